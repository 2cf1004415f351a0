"""Paired differences after each dated change: an option against the baseline over each period
between the option's dated changes (or the baseline's), on common random numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from caseload_sim.experiment.comparison import compare, periods_to_compare
from caseload_sim.experiment.replications import run_replication
from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.model.frontdoor import simulate
from caseload_sim.scenario.timeline import measured_periods
from conftest import TIMELINE_LINES, run_cli, scenario_file, small_county

#: KPIs that read only what happened in the window (not who holds cases at the end of the run).
WINDOW_ONLY = (
    "initial_assessment_within_timescale_pct",
    "core_assessment_within_timescale_pct",
    "referral_to_allocation_days_mean",
    "caseload_per_worker_mean",
    "unallocated_referrals_mean",
)
# Only the re-organisation (17 May) changes anything inside the measured window.
LATER_ONLY = (
    'timeline=[{ date = 2010-05-17, label = "More social workers", '
    'changes = { "workforce.teams.north.staff.sw" = 5 } }]'
)


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@pytest.fixture(scope="module")
def pair():
    baseline = small_county("name=base")
    option = small_county("name=option", LATER_ONLY)
    return baseline, option


def test_counting_busy_time_apart_changes_nothing(pair) -> None:
    baseline, option = pair
    (period,) = measured_periods(option)[1:]
    plain = run_replication(baseline, 3, 0)
    split = run_replication(baseline, 3, 0, windows=[(period.start, period.end)])
    assert all(same(plain.kpis[k], split.kpis[k]) for k in plain.kpis)
    assert plain.timeseries == split.timeseries


def test_a_window_at_a_periods_bounds_is_that_period(pair) -> None:
    _, option = pair
    periods = measured_periods(option)
    windows = [(p.start, p.end) for p in periods]
    output = run_replication(option, 3, 1, windows=windows)
    for own, window in zip(output.periods, output.windows, strict=True):
        assert all(same(own[k], window[k]) for k in window)


def test_a_window_that_was_not_counted_apart_is_refused(pair) -> None:
    baseline, _ = pair
    result = simulate(baseline, 3, 0)
    middle = (result.measured_from + result.measured_to) / 2
    with pytest.raises(ValueError, match="simulate with those splits"):
        compute_kpis(result, window=(result.measured_from, middle))


def test_before_the_change_the_option_is_the_baseline(pair) -> None:
    baseline, option = pair
    comparison = compare([baseline, option], replications=3, jobs=1)
    before, after = comparison.period_differences["option"]
    assert (before["label"], after["label"]) == ("start", "More social workers")
    for kpi in WINDOW_ONLY:
        entry = before["differences"][kpi]
        if entry["n"]:
            assert (entry["mean"], entry["ci95_low"], entry["ci95_high"]) == (0.0, 0.0, 0.0), kpi
    # After it: the paired difference of each replication's period values, by hand.
    period = measured_periods(option)[1]
    window = [(period.start, period.end)]
    mine = [run_replication(option, option.simulation.seed, r, windows=window) for r in range(3)]
    theirs = [
        run_replication(baseline, baseline.simulation.seed, r, windows=window) for r in range(3)
    ]
    kpi = "referral_to_allocation_days_mean"
    by_hand = [a.periods[1][kpi] - b.windows[0][kpi] for a, b in zip(mine, theirs, strict=True)]
    assert after["differences"][kpi]["mean"] == pytest.approx(sum(by_hand) / 3, rel=1e-12)


def test_an_option_without_dated_changes_is_compared_over_the_baselines(pair) -> None:
    baseline, option = pair
    plain = small_county("name=plain", "workforce.teams.north.staff.sw=5")
    assert periods_to_compare(plain, option) == measured_periods(option)
    assert periods_to_compare(plain, baseline) == []


def test_the_folder_the_printout_and_the_report_carry_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = scenario_file(tmp_path, "base")
    option = scenario_file(tmp_path, "option", *TIMELINE_LINES)
    out = tmp_path / "out"
    code = run_cli(
        "compare",
        str(base),
        str(option),
        "-r",
        "2",
        "--jobs",
        "1",
        "--out",
        str(out),
        "--report",
    )
    printed = capsys.readouterr().out
    assert code == 0
    document = json.loads((out / "comparison.json").read_text())
    (periods,) = document["period_differences"].values()
    # The change in the warm-up is folded into the first measured period, which takes its label.
    assert [p["label"] for p in periods] == ["New allocation rules", "Re-organisation"]
    assert set(periods[1]["differences"]) >= set(WINDOW_ONLY)
    assert "Option against Base after each dated change" in " ".join(printed.split())
    report = (out / "report.html").read_text()
    assert "Option after each dated change" in report
    assert report.count('class="diff-table period-diff-table"') == 1
