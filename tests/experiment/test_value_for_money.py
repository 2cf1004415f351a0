"""Value for money: Fieller's interval for a cost per point, the paired cost differences of a
comparison, and the sentences that say them."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from caseload_sim.experiment.replications import ExperimentResult, ReplicationOutput
from caseload_sim.experiment.statistics import ratio_interval
from caseload_sim.experiment.sweep import StaffingResult, Target
from caseload_sim.experiment.value_for_money import COST_KPI, VALUE_COLUMNS, value_for_money
from caseload_sim.report.value_for_money import (
    answer_cost_words,
    money,
    value_findings,
    value_table,
)
from caseload_sim.scenario.schema import Scenario
from conftest import run_cli_captured, scenario_file

IA = "initial_assessment_within_timescale_pct"
UNQUALIFIED = "high_risk_cases_held_by_unqualified_pct"


# ----------------------------------------------------------------------------- Fieller's ratio


def test_a_ratio_without_noise_is_exact() -> None:
    found = ratio_interval([100.0, 100.0, 100.0], [4.0, 4.0, 4.0])
    assert found is not None
    assert found["mean"] == found["ci95_low"] == found["ci95_high"] == 25.0


def test_no_ratio_where_the_denominator_does_not_move() -> None:
    assert ratio_interval([10.0, 12.0, 11.0], [1.0, -1.0, 0.5]) is None
    assert ratio_interval([10.0], [1.0]) is None


def test_fiellers_interval_covers_the_true_ratio_95_times_in_100() -> None:
    rng = np.random.default_rng(14)
    trials, covered = 2000, 0
    for _ in range(trials):
        gain = rng.normal(10.0, 3.0, size=10)
        cost = 5_000.0 * gain + rng.normal(20_000.0, 8_000.0, size=10)  # true ratio: 7,000
        found = ratio_interval(cost.tolist(), gain.tolist())
        assert found is not None  # a gain of 10 (sd 3) over 10 runs always moves
        covered += found["ci95_low"] <= 7_000.0 <= found["ci95_high"]
    # Binomial(2000, 0.95): 1900 +- 3.5 sd is 1866 to 1934.
    assert 1866 <= covered <= 1934


# -------------------------------------------------------------------------- paired differences


def replications(cost: list[float], ia: list[float], unqualified: list[float]) -> list[dict]:
    return [
        {COST_KPI: c, IA: a, UNQUALIFIED: u} for c, a, u in zip(cost, ia, unqualified, strict=True)
    ]


def test_value_for_money_pairs_replications_and_signs_gains_by_what_is_better() -> None:
    baseline = replications([1e6, 1e6, 1e6], [50.0, 60.0, 55.0], [20.0, 25.0, 22.0])
    option = replications([1.1e6, 1.1e6, 1.1e6], [60.0, 71.0, 64.0], [10.0, 14.0, 13.0])
    found = value_for_money(option, baseline)
    assert found is not None
    assert found["cost"]["mean"] == pytest.approx(100_000.0)
    ia = found["kpis"][IA]
    assert ia["gain"]["mean"] == pytest.approx(10.0)
    assert ia["per_point"]["mean"] == pytest.approx(10_000.0)
    # Fewer high-risk cases held by the unqualified is a gain.
    unqualified = found["kpis"][UNQUALIFIED]
    assert unqualified["gain"]["mean"] == pytest.approx(10.0)
    assert unqualified["per_point"]["mean"] == pytest.approx(10_000.0)


def test_no_value_for_money_without_costs() -> None:
    baseline = replications([math.nan] * 2, [50.0, 60.0], [20.0, 25.0])
    assert value_for_money(baseline, baseline) is None


# --------------------------------------------------------------------------------- sentences


def interval(mean: float, half: float) -> dict[str, float]:
    return {"mean": mean, "ci95_low": mean - half, "ci95_high": mean + half, "n": 10}


def document(cost: dict, kpis: dict) -> dict:
    return {
        "scenarios": ["county_base", "county_more_posts"],
        "value_for_money": {"county_more_posts": {"cost": cost, "kpis": kpis}},
    }


def test_money_to_three_significant_figures() -> None:
    assert [money(v) for v in (359_250.0, 5_789.4, 412.4, 0.0, -12_345.0)] == [
        "£359,000",
        "£5,790",
        "£412",
        "£0",
        "\u2212£12,300",
    ]


def test_the_sentence_gives_the_cost_of_a_point() -> None:
    found = value_findings(
        document(
            interval(359_250.0, 0.0),
            {
                IA: {"gain": interval(62.0, 6.0), "per_point": interval(5_794.0, 600.0)},
                UNQUALIFIED: {"gain": interval(0.5, 2.0), "per_point": None},
            },
        )
    )
    assert [o.sentences for o in found] == [
        (
            "More posts costs about £359,000 a year more and raises initial assessments within "
            "timescale by 62.0 points: about £5,790 a point (95% CI £5,190 to £6,390).",
        )
    ]
    rows = value_table(
        document(
            interval(359_250.0, 0.0),
            {UNQUALIFIED: {"gain": interval(0.5, 2.0), "per_point": None}},
        )
    )
    assert rows[0]["Cost of a point"] == "\u2014"


def test_better_for_less_and_nothing_more() -> None:
    saving = value_findings(
        document(
            interval(-50_000.0, 10_000.0),
            {UNQUALIFIED: {"gain": interval(20.0, 2.0), "per_point": interval(-2_500.0, 500.0)}},
        )
    )[0].sentences
    assert saving == (
        "More posts saves about £50,000 a year (95% CI £40,000 to £60,000) and lowers "
        "high-risk cases held by an unqualified worker by 20.0 points: better for less.",
    )
    free = value_findings(
        document(
            interval(0.0, 0.0),
            {IA: {"gain": interval(4.2, 3.0), "per_point": interval(0.0, 0.0)}},
        )
    )[0].sentences
    assert free == (
        "More posts costs nothing more and raises initial assessments within timescale by "
        "4.2 points.",
    )
    still = value_findings(
        document(
            interval(12_000.0, 30_000.0),
            {IA: {"gain": interval(1.0, 3.0), "per_point": None}},
        )
    )[0].sentences
    assert still == (
        "More posts costs about the same a year (difference +£12,000, 95% CI \u2212£18,000 "
        "to +£42,000), and moves none of the headline timeliness and oversight figures with "
        "95% confidence.",
    )


def test_the_cost_of_a_staffing_answer() -> None:
    def point(costs: list[float]) -> ExperimentResult:
        outputs = [
            ReplicationOutput(index, {COST_KPI: cost, IA: 70.0}, [])
            for index, cost in enumerate(costs)
        ]
        return ExperimentResult(Scenario(), 1, outputs)

    result = StaffingResult(
        "workforce.teams.north.staff.sw",
        [Target(IA, ">=", 65.0)],
        ["13", "14", "15"],
        {0: point([1.0e6, 1.1e6]), 2: point([1.0718e6, 1.1718e6])},
        "15",
    )
    assert answer_cost_words(result.document()) == (
        "At 15, the staff cost about £1,120,000 a year (95% CI £486,000 to £1,760,000), about "
        "£71,800 a year more than at 13, the fewest run."
    )


# ------------------------------------------------------------------------- the command line


def test_compare_prints_and_writes_the_cost_differences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = scenario_file(tmp_path, "base")
    more = scenario_file(tmp_path, "more", "[workforce.teams.north.staff]", "sw = 16")
    out = tmp_path / "cmp"
    code, printed, _ = run_cli_captured(
        capsys, "compare", str(base), str(more), "-r", "3", "-j", "1", "--out", str(out)
    )
    assert code == 0
    # Three more social workers held all year, nobody leaving: 3 x £28,740 x 1.25 a year.
    assert "More costs about £108,000 a year more" in " ".join(printed.split())
    with (out / "value_for_money.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == list(VALUE_COLUMNS)
    assert {row["scenario"] for row in rows} == {"more"}
    for row in rows:
        assert float(row["cost_diff_mean"]) == pytest.approx(3 * 28_740 * 1.25)
    stored = json.loads((out / "comparison.json").read_text())["value_for_money"]["more"]
    assert stored["cost"]["mean"] == pytest.approx(107_775.0)
    assert IA in stored["kpis"]
