"""Assessment quality and mandatory training."""

from __future__ import annotations

import math

import pytest

from caseload_sim.experiment.statistics import t_interval
from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.metrics.posts import post_accounts
from caseload_sim.model.frontdoor import simulate
from conftest import small_county

ON = "workforce.quality.enabled=true"
LONG = ("simulation.horizon_days=300", "simulation.warmup_days=60")


def paired(option: list[str], baseline: list[str], kpi: str, replications: int = 4) -> dict:
    differences = [
        compute_kpis(simulate(small_county(*option), seed=8, replication=r))[kpi]
        - compute_kpis(simulate(small_county(*baseline), seed=8, replication=r))[kpi]
        for r in range(replications)
    ]
    return t_interval(differences)


def test_training_lowers_the_inadequate_assessment_rate() -> None:
    trained = [
        ON,
        *LONG,
        "workforce.training.enabled=true",
        "workforce.training.effect=0.6",
        "workforce.training.rollout_days=20",
    ]
    difference = paired(trained, [ON, *LONG], "inadequate_assessment_pct")
    assert difference["ci95_high"] < 0


def test_training_takes_days_away() -> None:
    result = simulate(
        small_county(
            ON,
            "workforce.training.enabled=true",
            "workforce.training.days_away=3",
            "workforce.training.start_day=40",
        ),
        seed=9,
    )
    posts = post_accounts(result, result.measured_from, result.measured_to)
    trainees = [w for w in posts if w.grade in ("swa", "nqsw", "sw", "sp")]
    assert trainees and all(w.absent_days > 0 for w in trainees)
    kpis = compute_kpis(result)
    assert kpis["absence_pct"] > 0


def test_heavier_loads_and_unqualified_leads_mean_more_inadequate_assessments() -> None:
    more_staff = [ON, *LONG, "workforce.teams.north.staff.sw=7", "workforce.teams.south.staff.sw=7"]
    difference = paired(more_staff, [ON, *LONG], "inadequate_assessment_pct")
    assert difference["ci95_high"] < 0
    no_assistants = [ON, *LONG, "workforce.quality.unqualified_effect=0"]
    difference = paired(no_assistants, [ON, *LONG], "inadequate_assessment_pct")
    assert difference["ci95_high"] < 0


def test_inadequate_assessments_bring_more_re_referrals() -> None:
    bad = [
        ON,
        *LONG,
        "workforce.quality.base_inadequate_probability=0.6",
        "workforce.quality.re_referral_multiplier=3",
    ]
    difference = paired(bad, [*LONG], "re_referral_pct")
    assert difference["ci95_low"] > 0


def test_without_quality_nothing_changes() -> None:
    off = compute_kpis(simulate(small_county(), seed=5))
    assert math.isnan(off["inadequate_assessment_pct"])
    same = compute_kpis(simulate(small_county("workforce.quality.enabled=false"), seed=5))
    assert off == pytest.approx(same, nan_ok=True)
