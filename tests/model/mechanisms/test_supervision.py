"""Supervision to LGA standard 5: sessions take managers' time and run late when they are busy."""

from __future__ import annotations

import math

import pytest

from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.results import RunResult
from caseload_sim.scenario.schema import Supervision
from conftest import small_county

ON = "workforce.supervision.enabled=true"


def test_the_standard_interval_follows_lga_standard_5() -> None:
    settings = Supervision(enabled=True)
    assert settings.interval_days("nqsw", 0.0) == 7.0  # weekly for six weeks
    assert settings.interval_days("nqsw", 50.0) == 14.0  # fortnightly to six months
    assert settings.interval_days("nqsw", 200.0) == 30.0  # then monthly
    assert settings.interval_days("sw", 0.0) == 30.0
    later = Supervision(enabled=True, nqsw_days_in_post_at_start=190)
    assert later.interval_days("nqsw", 0.0) == 30.0


def sessions(result: RunResult) -> dict[int, list[float]]:
    """The sessions each supervised worker had, in order."""
    reported = result.mechanisms["supervision"]
    held: dict[int, list[float]] = {worker: [] for worker in reported["supervised"].tolist()}
    for worker, time in zip(reported["worker"].tolist(), reported["held_at"].tolist(), strict=True):
        held[worker].append(time)
    return held


def test_no_managers_means_no_supervision_and_the_kpi_says_so() -> None:
    scenario = small_county(
        ON,
        "workforce.teams.north.staff.tm=0",
        "workforce.teams.south.staff.tm=0",
        "workforce.teams.disabled_children.staff.tm=0",
        "pathway.effort.strategy_discussion.mean_hours=0",
    )
    result = simulate(scenario, seed=2)
    held = sessions(result)
    assert held and all(not times for times in held.values())
    kpis = compute_kpis(result)
    assert kpis["supervision_out_of_standard_pct"] > 95
    assert kpis["days_since_supervision_p90"] > 100


def test_managers_with_time_keep_to_the_standard() -> None:
    scenario = small_county(
        ON,
        "workforce.grades.tm.casework_share=1.0",
        "pathway.effort.strategy_discussion.mean_hours=0",
    )
    result = simulate(scenario, seed=3)
    kpis = compute_kpis(result)
    assert kpis["supervision_out_of_standard_pct"] < 5
    grades = {w.index: w.grade for w in result.posts}
    settings = scenario.workforce.supervision
    for worker, held in sessions(result).items():
        assert len(held) > 0
        # First sessions are spread over the first interval; each later one falls due an
        # interval after the last and is held by the end of the next working day.
        assert held[0] <= result.calendar.deadline(settings.interval_days(grades[worker], 0), 1)
        for previous, session in zip(held[:-1], held[1:], strict=True):
            due = previous + settings.interval_days(grades[worker], previous)
            assert due - 1e-9 <= session <= result.calendar.deadline(due, 1)
        if grades[worker] == "nqsw":
            assert held[0] < 7 + 4  # weekly at first (a weekend and a bank holiday at most)


def test_busy_managers_supervise_late() -> None:
    busy = small_county(ON, "workforce.grades.tm.casework_share=0.05")
    free = small_county(ON, "workforce.grades.tm.casework_share=1.0")
    late = compute_kpis(simulate(busy, seed=4))
    prompt = compute_kpis(simulate(free, seed=4))
    assert late["supervision_out_of_standard_pct"] > prompt["supervision_out_of_standard_pct"] + 10
    assert late["days_since_supervision_p90"] > prompt["days_since_supervision_p90"]


def test_without_supervision_the_kpis_are_empty_and_nothing_else_changes() -> None:
    off = compute_kpis(simulate(small_county(), seed=5))
    assert math.isnan(off["supervision_out_of_standard_pct"])
    assert math.isnan(off["days_since_supervision_p90"])
    same = compute_kpis(simulate(small_county("workforce.supervision.enabled=false"), seed=5))
    assert off == pytest.approx(same, nan_ok=True)
