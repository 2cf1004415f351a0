"""Comparisons, sweeps, staffing searches and the automatic choices (the commands that run them:
tests/cli/)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from caseload_sim.analytic import mmc_mean_wait, smallest_servers_for_mean_wait
from caseload_sim.experiment.comparison import compare
from caseload_sim.experiment.precision import PrecisionError
from caseload_sim.experiment.runner import run_experiment
from caseload_sim.experiment.statistics import t_interval
from caseload_sim.experiment.sweep import Vary, parse_target, parse_vary, staffing
from conftest import mmc, run_cli, scenario_file, small_county

SHORT = ("simulation.horizon_days=90", "simulation.warmup_days=20")


def test_pairing_on_common_random_numbers_shrinks_the_interval_of_a_difference() -> None:
    baseline = small_county(*SHORT)
    option = small_county(*SHORT, "workforce.teams.north.staff.sw=5", "name='more staff'")
    paired = compare([baseline, option], replications=8, jobs=1)
    kpi = "caseload_per_worker_mean"
    difference = paired.differences["more staff"][kpi]
    # The same option on other seeds: an unpaired comparison of two independent sets of runs.
    independent = run_experiment(option, 8, seed=baseline.simulation.seed + 1000, jobs=1)
    base_values = paired.results[0].kpi_values(kpi)
    other_values = independent.kpi_values(kpi)
    unpaired = t_interval([a - b for a, b in zip(other_values, base_values, strict=True)])
    paired_width = difference["ci95_high"] - difference["ci95_low"]
    unpaired_width = unpaired["ci95_high"] - unpaired["ci95_low"]
    assert paired_width < unpaired_width
    assert difference["ci95_high"] < 0, "more staff must lower caseloads"


def test_parse_vary_and_target() -> None:
    assert parse_vary("a.b=10:14:2") == Vary("a.b", ("10", "12", "14"))
    assert parse_vary("a.b=1,2,5") == Vary("a.b", ("1", "2", "5"))
    assert parse_vary("a.b=0.5:1.0:0.25").values == ("0.5", "0.75", "1.0")
    target = parse_target("referral_to_allocation_days_mean<=0.2")
    assert (target.kpi, target.operator, target.value) == (
        "referral_to_allocation_days_mean",
        "<=",
        0.2,
    )
    for bad in ("a.b", "a.b=5:1", "a.b=x:y"):
        with pytest.raises(PrecisionError):
            parse_vary(bad)
    with pytest.raises(PrecisionError, match="did you mean"):
        parse_target("referral_to_allocation_days_maen<=1")


def test_staffing_finds_the_erlang_c_answer_without_running_every_point() -> None:
    """M/M/c at 9 referrals a day, mean effort one day: the smallest c with Wq <= 0.15 days."""
    target_wait = 0.15
    expected = smallest_servers_for_mean_wait(9.0, 1.0, target_wait)
    # The analytic answer is clear of the target on both sides, so 95% intervals can tell.
    assert mmc_mean_wait(9.0, 1.0, expected) < 0.6 * target_wait
    assert mmc_mean_wait(9.0, 1.0, expected - 1) > 1.4 * target_wait
    scenario = mmc("simulation.horizon_days=1200", "simulation.warmup_days=100")
    result = staffing(
        scenario,
        parse_vary("workforce.teams.validation.staff.sw=10:20"),
        [parse_target(f"referral_to_allocation_days_mean<={target_wait}")],
        replications=5,
        jobs=2,
    )
    assert result.met
    assert int(result.answer) == expected
    assert len(result.evaluated) < len(result.values)
    document = result.document()
    assert document["answer"] == expected and document["met"] is True


def test_automatic_replications_are_recorded_and_do_not_depend_on_jobs() -> None:
    scenario = small_county(*SHORT)
    one = run_experiment(scenario, "auto", jobs=1, precision=0.15, budget=12)
    two = run_experiment(scenario, "auto", jobs=2, precision=0.15, budget=12)
    choice = one.replication_choice
    assert choice["method"].startswith("confidence interval with look-ahead")
    assert one.replications == choice["run"] == two.replications
    assert 3 <= choice["recommended"] <= choice["run"] <= 12
    # Bit-identical (NaN included), not merely close.
    assert json.dumps([o.kpis for o in one.outputs]) == json.dumps([o.kpis for o in two.outputs])
    if choice["met"]:
        summary = one.summary()
        for kpi in choice["kpis"]:
            entry = summary[kpi]
            if entry["n"] >= 2 and abs(entry["mean"]) > 1e-9:
                half = (entry["ci95_high"] - entry["ci95_low"]) / 2
                assert half / abs(entry["mean"]) <= 0.15 + 1e-12, kpi


def test_automatic_warmup_by_mser5() -> None:
    """A queue that starts empty and settles: MSER-5 cuts the start, within the first half."""
    scenario = mmc("simulation.horizon_days=400", "simulation.warmup_days=0")
    result = run_experiment(scenario, 2, jobs=1, warmup="auto")
    record = result.warmup_choice
    assert record["method"].startswith("MSER-5")
    assert set(record["truncation_days"]) == {"unallocated_referrals", "open_cases"}
    assert 0 <= record["warmup_days"] <= 200
    assert result.scenario.simulation.warmup_days == record["warmup_days"]
    assert not math.isnan(result.summary()["referral_to_allocation_days_mean"]["mean"])


def test_a_run_too_short_for_mser5_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(PrecisionError, match="too short for MSER-5"):
        run_experiment(
            small_county("simulation.horizon_days=40", "simulation.warmup_days=0"),
            2,
            jobs=1,
            warmup="auto",
        )
    code = run_cli(
        "run",
        str(scenario_file(tmp_path, "short")),
        "--warmup",
        "auto",
        "-r",
        "2",
        "-j",
        "1",
        "--set",
        "simulation.horizon_days=40",
        "--set",
        "simulation.warmup_days=0",
        "--out",
        str(tmp_path / "short"),
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "too short for MSER-5" in err and "Traceback" not in err


def test_options_compared_with_automatic_warmup_share_one_measured_period() -> None:
    calm = mmc("simulation.horizon_days=400", "simulation.warmup_days=0", "name='calm'")
    busy = mmc(
        "simulation.horizon_days=400",
        "simulation.warmup_days=0",
        "name='busy'",
        "demand.contacts_per_working_day=9.6",
    )
    comparison = compare([calm, busy], replications=2, jobs=1, warmup="auto")
    warmups = {r.scenario.simulation.warmup_days for r in comparison.results}
    assert len(warmups) == 1
    found = [r.warmup_choice["warmup_days"] for r in comparison.results]
    assert warmups == {max(found)}
