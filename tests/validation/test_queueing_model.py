"""The model reduced to textbook queues agrees with queueing theory.

Each check compares the analytic value with a confidence interval over independent replications
(never a single run). Seeds are fixed, so each check is deterministic; the intervals are 99% ones
so that, over the handful of checks here, a correct model fails by chance with probability about
5% at most when a seed is changed, rather than 20%.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from caseload_sim.analytic import mm1_mean_sojourn, mmc_mean_wait, mmc_priority_mean_waits
from caseload_sim.experiment.statistics import t_interval
from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.model.frontdoor import simulate
from caseload_sim.scenario.schema import Scenario
from conftest import mmc

CONFIDENCE = 0.99
SEED = 1954


def replicate(scenario: Scenario, replications: int) -> list[dict[str, float]]:
    return [compute_kpis(simulate(scenario, SEED, i)) for i in range(replications)]


def interval(values: list[float]) -> dict[str, float]:
    return t_interval(values, confidence=CONFIDENCE)


def assert_inside(value: float, ci: dict[str, float], what: str) -> None:
    assert ci["ci95_low"] <= value <= ci["ci95_high"], (
        f"{what}: analytic {value:.4f} outside the {CONFIDENCE:.0%} interval "
        f"[{ci['ci95_low']:.4f}, {ci['ci95_high']:.4f}] (mean {ci['mean']:.4f}, n {ci['n']})"
    )


def test_mmc_wait_matches_erlang_c() -> None:
    scenario = mmc(
        "demand.contacts_per_working_day=4.0",
        "workforce.teams.validation.staff.sw=5",
        "simulation.horizon_days=3000",
        "simulation.warmup_days=200",
    )
    runs = replicate(scenario, 8)
    expected = mmc_mean_wait(4.0, 1.0, 5)
    ci = interval([k["referral_to_allocation_days_mean"] for k in runs])
    assert_inside(expected, ci, "M/M/5 at rho 0.8, mean wait in queue (days)")
    # The relative error of the mean over replications is small as well as inside the interval.
    assert abs(ci["mean"] - expected) / expected < 0.1


def test_mmc_utilisation_is_rho() -> None:
    scenario = mmc(
        "demand.contacts_per_working_day=4.0",
        "workforce.teams.validation.staff.sw=5",
        "simulation.horizon_days=3000",
        "simulation.warmup_days=200",
    )
    runs = replicate(scenario, 8)
    ci = interval([k["worker_utilisation_pct"] for k in runs])
    assert_inside(80.0, ci, "M/M/5 utilisation (%)")


def test_two_tier_priority_waits_match_cobham() -> None:
    """Non-preemptive priority M/M/c: child protection before child in need."""
    scenario = mmc(
        "demand.contacts_per_working_day=4.0",
        "workforce.teams.validation.staff.sw=5",
        "demand.tier_mix.child_protection=0.5",
        "demand.tier_mix.child_in_need=0.5",
        "simulation.horizon_days=3000",
        "simulation.warmup_days=200",
    )
    runs = replicate(scenario, 8)
    high, low = mmc_priority_mean_waits([2.0, 2.0], 1.0, 5)
    ci_high = interval([k["referral_to_allocation_child_protection_days_mean"] for k in runs])
    ci_low = interval([k["referral_to_allocation_child_in_need_days_mean"] for k in runs])
    assert_inside(high, ci_high, "priority class 1 (child protection) wait (days)")
    assert_inside(low, ci_low, "priority class 2 (child in need) wait (days)")
    assert ci_high["ci95_high"] < ci_low["ci95_low"], "the higher priority must wait less"


def test_mm1_time_in_system_checks_the_effort_mechanism() -> None:
    """One worker with a cap far above the queue works in arrival order: an M/M/1 queue."""
    scenario = mmc(
        "demand.contacts_per_working_day=0.7",
        "workforce.teams.validation.staff.sw=1",
        "workforce.grades.sw.caseload_cap=100000",
        "simulation.horizon_days=6000",
        "simulation.warmup_days=300",
    )
    runs = replicate(scenario, 8)
    # Allocation is immediate, so the whole time in system is spent held by the worker.
    assert max(k["referral_to_allocation_days_mean"] for k in runs) < 1e-9
    ci = interval([k["referral_to_assessment_days_mean"] for k in runs])
    assert_inside(mm1_mean_sojourn(0.7, 1.0), ci, "M/M/1 time in system (days)")


def test_littles_law_on_the_unallocated_queue() -> None:
    """L = lambda W over the measured window, for the queue waiting for allocation."""
    scenario = mmc(
        "demand.contacts_per_working_day=4.0",
        "workforce.teams.validation.staff.sw=5",
        "simulation.horizon_days=3000",
        "simulation.warmup_days=200",
    )
    ratios = []
    for replication in range(6):
        result = simulate(scenario, SEED, replication)
        kpis = compute_kpis(result)
        start, end = result.measured_from, result.measured_to
        # Sample-path identity: the area under the queue is the waiting inside the window.
        cases = result.cases
        waited = sum(
            max(0.0, min(end if math.isnan(allocated) else allocated, end) - max(queued, start))
            for queued, allocated in zip(
                cases.queued_at.tolist(), cases.allocated_at.tolist(), strict=True
            )
        )
        assert kpis["unallocated_referrals_mean"] == pytest.approx(waited / (end - start), rel=1e-9)
        arrivals = sum(start <= queued <= end for queued in cases.queued_at.tolist())
        rate = arrivals / (end - start)
        ratios.append(
            kpis["unallocated_referrals_mean"] / (rate * kpis["referral_to_allocation_days_mean"])
        )
    ci = interval(ratios)
    assert_inside(1.0, ci, "L / (lambda W) for the unallocated queue")


def test_littles_law_for_open_cases_in_the_county() -> None:
    """Open referrals: time-average number = throughput x mean time open (long county run)."""
    from conftest import small_county

    # With staff to spare, so that the measured window is near a steady state, which the
    # statistical form of the law below needs (a service filling up has more open than it).
    room = ("workforce.teams.north.staff.sw=6", "workforce.teams.south.staff.sw=6")
    result = simulate(
        small_county("simulation.horizon_days=400", "simulation.warmup_days=60", *room), seed=SEED
    )
    kpis = compute_kpis(result)
    start, end = result.measured_from, result.measured_to
    cases = result.cases
    spans = [
        (decided, ended if not math.isnan(ended) else math.inf)
        for decided, ended in zip(cases.decided_at.tolist(), cases.ended_at.tolist(), strict=True)
    ]
    inside = sum(max(0.0, min(e, end) - max(s, start)) for s, e in spans)
    assert kpis["open_cases_mean"] == pytest.approx(inside / (end - start), rel=1e-9)
    # Statistically, for referrals starting and ending within the window:
    durations = np.array([e - s for s, e in spans if start <= s and e <= end])
    rate = sum(start <= s <= end for s, _ in spans) / (end - start)
    assert kpis["open_cases_mean"] == pytest.approx(rate * durations.mean(), rel=0.15)
