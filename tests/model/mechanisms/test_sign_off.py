"""Managerial oversight: sign-off of allocations and assessments takes managers' time."""

from __future__ import annotations

import math

import numpy as np
import pytest

from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.model.frontdoor import simulate
from caseload_sim.scenario.loading import ScenarioError
from conftest import small_county

ON = "workforce.sign_off.enabled=true"


def test_an_assessment_is_complete_when_a_manager_signs_it_off() -> None:
    result = simulate(small_county(ON, "workforce.grades.tm.casework_share=1.0"), seed=2)
    events = result.events
    signed = events.of("assessment_signed_off")
    assert signed.sum() > 50
    signed_at: dict[int, list[float]] = {}
    for case, time in zip(events.case[signed].tolist(), events.time[signed].tolist(), strict=True):
        signed_at.setdefault(case, []).append(time)
    cases = result.cases
    done = ~np.isnan(cases.initial_assessment_done_at)
    assert done.any()
    for case, done_at in zip(
        cases.case_id[done].tolist(), cases.initial_assessment_done_at[done].tolist(), strict=True
    ):
        # The initial assessment counts as done at its sign-off, the referral's first.
        assert done_at == signed_at[case][0]
    kpis = compute_kpis(result)
    assert kpis["assessment_sign_off_days_p90"] < 2  # managers with time sign off promptly


def test_busy_managers_delay_sign_off_and_with_it_timeliness() -> None:
    busy = compute_kpis(
        simulate(small_county(ON, "workforce.grades.tm.casework_share=0.15"), seed=3)
    )
    free = compute_kpis(
        simulate(small_county(ON, "workforce.grades.tm.casework_share=1.0"), seed=3)
    )
    assert busy["assessment_sign_off_days_p90"] > free["assessment_sign_off_days_p90"] + 1
    assert (
        busy["initial_assessment_within_timescale_pct"]
        < free["initial_assessment_within_timescale_pct"]
    )


def test_without_sign_off_nothing_changes() -> None:
    off = compute_kpis(simulate(small_county(), seed=4))
    assert math.isnan(off["assessment_sign_off_days_p90"])
    same = compute_kpis(simulate(small_county("workforce.sign_off.enabled=false"), seed=4))
    assert off == pytest.approx(same, nan_ok=True)


def test_sign_off_needs_a_manager() -> None:
    with pytest.raises(ScenarioError, match="sign_off needs a team manager"):
        small_county(
            ON,
            "workforce.teams.north.staff.tm=0",
            "workforce.teams.south.staff.tm=0",
            "workforce.teams.disabled_children.staff.tm=0",
            "pathway.effort.strategy_discussion.mean_hours=0",
        )
