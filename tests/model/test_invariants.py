"""Invariants of the model: nothing lost, caps and eligibility kept, same seed same run, CRN."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from caseload_sim.experiment.statistics import t_interval
from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.model.demand import draw_contacts
from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.results import RunResult
from caseload_sim.randomness import RandomStreams
from caseload_sim.scenario.loading import ScenarioError, load_scenario
from caseload_sim.scenario.schema import TIERS, InitialCaseloadRow, Scenario
from checks import (
    OPEN,
    caps_by_worker,
    check_conservation,
    check_eligibility,
    loads_over_time,
)
from conftest import SCENARIOS, mmc, small_county


def test_conservation_on_the_county() -> None:
    check_conservation(simulate(small_county(), seed=3))


def test_conservation_with_a_backlog_at_the_end() -> None:
    # Too few staff: contacts wait for screening and referrals for allocation at the end.
    result = simulate(
        small_county(
            "workforce.access_centre.duty_workers=2",
            "workforce.allocation.cap_mode='hard'",
            "workforce.teams.north.staff.sw=1",
            "workforce.teams.south.staff.sw=1",
        ),
        seed=4,
    )
    assert result.awaiting_screening > 0
    assert np.isnan(result.cases.allocated_at).any()
    check_conservation(result)


def test_hard_caps_are_never_exceeded() -> None:
    result = simulate(
        small_county(
            "workforce.allocation.cap_mode='hard'",
            "workforce.teams.north.staff.sw=2",
            "workforce.teams.south.staff.sw=2",
        ),
        seed=5,
    )
    caps = caps_by_worker(result)
    loads = loads_over_time(result)
    assert loads, "nobody was allocated anything"
    assert any(level > 0.8 * caps[w] for w, series in loads.items() for _, level, _ in series), (
        "the test never brought a worker near the cap"
    )
    for worker, series in loads.items():
        assert max(level for _, level, _ in series) <= caps[worker] + 1e-9
    assert not result.cases.over_allocated.any()


def test_soft_caps_over_allocate_only_after_the_wait_and_within_the_limit() -> None:
    result = simulate(
        small_county(
            "workforce.allocation.cap_mode='soft'",
            "workforce.allocation.over_allocation_after_wd=3",
            "workforce.allocation.over_allocation_limit_pct=40",
            "workforce.grades.sw.caseload_cap=40",
            "workforce.grades.sp.caseload_cap=40",
            "workforce.grades.nqsw.caseload_cap=30",
            "workforce.grades.swa.caseload_cap=30",
        ),
        seed=6,
    )
    over = result.cases.rows(result.cases.over_allocated)
    assert len(over), "an overloaded service with soft caps should over-allocate"
    calendar = result.calendar
    for queued_at, allocated_at in zip(over.queued_at, over.allocated_at, strict=True):
        assert allocated_at >= calendar.deadline(float(queued_at), 3) - 1e-9
    caps = caps_by_worker(result)
    for worker, series in loads_over_time(result).items():
        for _, level, kind in series:
            assert level <= caps[worker] * 1.4 + 1e-9
            if kind == "allocation":
                assert level <= caps[worker] + 1e-9
    kpis = compute_kpis(result)
    assert kpis["over_allocated_referrals_pct"] > 0


@pytest.mark.parametrize("policy", ["joint", "skill_matched"])
def test_eligibility_is_never_violated(policy: str) -> None:
    result = simulate(small_county(f"workforce.allocation.policy='{policy}'"), seed=7)
    assert (result.cases.lead_post >= 0).any()
    co_worked = check_eligibility(result)
    if policy == "joint":
        assert co_worked > 0, "the baseline's joint allocation should co-work some cases"


def test_joint_allocation_puts_high_risk_cases_with_assistants() -> None:
    joint = compute_kpis(simulate(small_county(), seed=8))
    matched = compute_kpis(
        simulate(
            small_county(
                "workforce.allocation.policy='skill_matched'",
                "workforce.eligibility.swa.child_protection='no'",
                "workforce.eligibility.swa.immediate_risk='no'",
            ),
            seed=8,
        )
    )
    assert joint["high_risk_cases_held_by_unqualified_pct"] > 5
    assert matched["high_risk_cases_held_by_unqualified_pct"] == 0
    # Oversight is a small share of the lead's effort, as the scenario says.
    assert 0 < joint["oversight_hours_per_co_worked_case_mean"] < 2


def test_same_seed_same_run_and_a_different_seed_a_different_run() -> None:
    scenario = small_county()
    first, again, other = (simulate(scenario, seed=s) for s in (11, 11, 12))
    for name in ("time", "event", "case", "worker", "value"):
        np.testing.assert_array_equal(getattr(first.events, name), getattr(again.events, name))
    assert compute_kpis(first) == pytest.approx(compute_kpis(again), nan_ok=True)
    assert len(first.events.time) != len(other.events.time) or not np.array_equal(
        first.events.time, other.events.time
    )


def _first_episodes(result: RunResult) -> dict[int, tuple[float, ...]]:
    cases = result.cases
    first = cases.episode == 0
    return {
        child: (at, tier)
        for child, at, tier in zip(
            cases.child[first].tolist(),
            cases.referral_at[first].tolist(),
            cases.tier[first].tolist(),
            strict=True,
        )
    }


def test_scenarios_on_one_seed_see_the_same_children() -> None:
    """Common random numbers: staffing changes nothing about who arrives and what they need."""
    base = simulate(small_county(), seed=13)
    more = simulate(
        small_county(
            "workforce.teams.north.staff.sw=6", "workforce.allocation.policy='skill_matched'"
        ),
        seed=13,
    )
    a, b = _first_episodes(base), _first_episodes(more)
    assert len(a) > 100
    # Screening is unchanged, so the same children are referred, at the same tier.
    assert a == b
    # And the first contacts of both runs, referred or not, are the same stream, with the same
    # needs: the same effort for each piece of work and the same draws for what follows it.
    drawn = [draw_contacts(r.scenario, r.calendar, RandomStreams(13, 0)) for r in (base, more)]
    np.testing.assert_array_equal(drawn[0][0], drawn[1][0])
    first, second = drawn[0][2], drawn[1][2]
    np.testing.assert_array_equal(first.is_referral, second.is_referral)
    np.testing.assert_array_equal(first.complexity, second.complexity)
    for kind in ("initial_assessment", "core_assessment"):
        np.testing.assert_array_equal(first.effort[kind], second.effort[kind])
    np.testing.assert_array_equal(
        first.outcome_draw["first_assessment"], second.outcome_draw["first_assessment"]
    )


def _paired_difference(more: Scenario, fewer: Scenario, kpi: str, replications: int) -> dict:
    differences = [
        compute_kpis(simulate(more, seed=21, replication=i))[kpi]
        - compute_kpis(simulate(fewer, seed=21, replication=i))[kpi]
        for i in range(replications)
    ]
    return t_interval(differences)


def test_more_workers_never_raise_the_mean_wait_in_the_queue_model() -> None:
    fewer = mmc(
        "workforce.teams.validation.staff.sw=10",
        "simulation.horizon_days=1500",
        "simulation.warmup_days=100",
    )
    more = mmc(
        "workforce.teams.validation.staff.sw=11",
        "simulation.horizon_days=1500",
        "simulation.warmup_days=100",
    )
    difference = _paired_difference(more, fewer, "referral_to_allocation_days_mean", 5)
    # The extra worker's effect must not be an increase beyond the noise of the comparison.
    assert difference["mean"] <= difference["ci95_high"] - difference["mean"]
    assert difference["ci95_high"] < 0, "one more worker at rho = 0.9 clearly shortens the wait"


def test_more_workers_never_raise_the_mean_wait_in_the_county() -> None:
    fewer = small_county()
    more = small_county("workforce.teams.north.staff.sw=5", "workforce.teams.south.staff.sw=5")
    difference = _paired_difference(more, fewer, "referral_to_assessment_days_mean", 4)
    assert difference["mean"] <= difference["ci95_high"] - difference["mean"]


def test_every_tier_can_be_allocated_in_the_county() -> None:
    kpis = compute_kpis(simulate(small_county(), seed=9))
    for tier in TIERS:
        assert not math.isnan(kpis[f"referral_to_allocation_{tier}_days_mean"])


def test_an_initial_caseload_starts_the_run_with_open_cases() -> None:
    scenario = small_county(
        "initial_caseload.cases_per_worker.child_in_need=2.5",
        "initial_caseload.cases_per_worker.immediate_risk=0.5",
        "simulation.warmup_days=0",
    )
    scenario = scenario.model_copy(
        update={
            "initial_caseload": scenario.initial_caseload.model_copy(
                update={
                    "rows": [
                        InitialCaseloadRow(
                            team="north", grade="sw", tier="child_protection", cases_per_worker=4
                        )
                    ]
                }
            )
        }
    )
    result = simulate(scenario, seed=17)
    check_conservation(result)
    check_eligibility(result)
    initial = result.initial_cases
    assert len(initial) and (initial.allocated_at == 0.0).all()
    # Who holds each initial case, and at what tier (nobody re-allocates them here).
    assert (initial.lead_post >= 0).all()
    held_by = list(zip(initial.lead_post.tolist(), initial.tier.tolist(), strict=True))
    protection, immediate = TIERS.index("child_protection"), TIERS.index("immediate_risk")
    north_sw = [w for w in result.posts if w.team == "north" and w.grade == "sw"]
    for worker in north_sw:
        assert held_by.count((worker.index, protection)) == 4
    tiers = {TIERS[t] for t in initial.tier.tolist()}
    assert {"child_in_need", "immediate_risk", "child_protection"} <= tiers
    grades = {w.index: w.grade for w in result.posts}
    assert all(grades[post] in ("sw", "sp") for post, tier in held_by if tier == immediate)
    # The run starts loaded: caseloads at time 0 are the initial caseload.
    first = result.timeseries[0]
    assert first["open_cases"] == len(initial)
    assert (initial.outcome != OPEN).any(), "initial cases are worked on"
    assert not np.isnan(initial.ended_at[initial.outcome != OPEN]).any()
    # Initial cases are not counted as referrals of the run.
    assert not set(initial.case_id.tolist()) & set(result.cases.case_id.tolist())
    empty = compute_kpis(simulate(small_county("simulation.warmup_days=0"), seed=17))
    loaded = compute_kpis(result)
    assert loaded["caseload_per_worker_mean"] > empty["caseload_per_worker_mean"]


def test_an_initial_caseload_can_be_read_from_a_csv(tmp_path: Path) -> None:
    (tmp_path / "open.csv").write_text(
        "team,grade,tier,cases_per_worker\nsouth,sw,child_in_need,3\n"
    )
    scenario_file = tmp_path / "with_initial.toml"
    scenario_file.write_text(
        f'base = "{SCENARIOS / "county_2010_baseline.toml"}"\n'
        '[initial_caseload]\ncsv = "open.csv"\n'
    )
    scenario = load_scenario(scenario_file)
    assert [
        (r.team, r.grade, r.tier, r.cases_per_worker) for r in scenario.initial_caseload.rows
    ] == [("south", "sw", "child_in_need", 3.0)]
    assert scenario.initial_caseload.csv is None
    (tmp_path / "bad.csv").write_text("team,grade\nsouth,sw\n")
    scenario_file.write_text(
        f'base = "{SCENARIOS / "county_2010_baseline.toml"}"\n[initial_caseload]\ncsv = "bad.csv"\n'
    )
    with pytest.raises(ScenarioError, match="needs the columns"):
        load_scenario(scenario_file)
