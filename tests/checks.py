"""Checks of the model's invariants, shared by example tests and property tests."""

from __future__ import annotations

import math
from collections import defaultdict

from caseload_sim.model.frontdoor import RunResult

ENDED = {"nfa", "cin", "cp_plan"}


def check_conservation(result: RunResult) -> None:
    """Every contact ends in exactly one recorded outcome or is still in the system."""
    referrals = result.referrals
    assert result.contacts == result.screened_out + len(referrals) + result.awaiting_screening
    events = result.events
    assert events.of("contact").sum() == result.contacts
    assert events.of("screened").sum() == result.screened_out + len(referrals)
    assert (events.value[events.of("screened")] == 1).sum() == len(referrals)
    ended = [r for r in referrals if r.outcome in ENDED]
    still_open = [r for r in referrals if r.outcome == "open"]
    assert len(ended) + len(still_open) == len(referrals)
    assert all(not math.isnan(r.ended_at) for r in ended)
    assert all(math.isnan(r.ended_at) for r in still_open)
    initial = result.initial_cases
    assert all(r.initial for r in initial) and not any(r.initial for r in referrals)
    everyone = [*referrals, *initial]
    assert events.of("case_closed").sum() == sum(r.outcome == "nfa" for r in everyone)
    assert events.of("case_handed_over").sum() == sum(
        r.outcome in ("cin", "cp_plan") for r in everyone
    )
    # The unallocated queue: what joined and did not leave is what is still waiting.
    waiting = sum(
        1 for r in referrals if not math.isnan(r.queued_at) and math.isnan(r.allocated_at)
    )
    assert events.value[events.of("unallocated_change")].sum() == waiting
    # Held cases: each allocation is matched by a release once the case has ended.
    held = events.value[events.of("caseload_change")].sum()
    open_initial = sum(1 for r in initial if r.outcome == "open")
    assert held == sum(1 for r in still_open if not math.isnan(r.allocated_at)) + open_initial
    # Milestones are in order.
    for r in referrals:
        assert r.contact_at <= r.decided_at
        if not math.isnan(r.allocated_at):
            assert r.queued_at <= r.allocated_at
        if not math.isnan(r.ended_at):
            assert r.allocated_at <= r.ended_at


def loads_over_time(result: RunResult) -> dict[int, list[tuple[float, float, str]]]:
    """(time, load after the change, what the change was) per worker."""
    fraction = result.scenario.workforce.allocation.oversight_fraction
    changes: dict[int, list[tuple[float, int, float, str]]] = defaultdict(list)
    for r in [*result.referrals, *result.initial_cases]:
        if math.isnan(r.allocated_at):
            continue
        kind = "initial" if r.initial else ("over_allocation" if r.over_allocated else "allocation")
        for worker, share in ((r.lead, 1.0), (r.coworker, fraction)):
            if worker is None:
                continue
            # Releases sort before allocations at the same moment: room is freed, then reused.
            changes[worker.index].append((r.allocated_at, 1, r.weight * share, kind))
            if not math.isnan(r.ended_at):
                changes[worker.index].append((r.ended_at, 0, -r.weight * share, "release"))
    loads = {}
    for worker, items in changes.items():
        level = 0.0
        series = []
        for time, _order, change, kind in sorted(items):
            level += change
            series.append((time, level, kind))
        loads[worker] = series
    return loads


def caps_by_worker(result: RunResult) -> dict[int, float]:
    grades = result.scenario.workforce.grades
    return {w.index: getattr(grades, w.grade).caseload_cap for w in result.workers if w.holds_cases}


def check_eligibility(result: RunResult) -> int:
    """Every lead may hold the tier (outright, or co-worked with a qualified co-worker) and is in
    a team that takes it. Returns the number of co-worked allocations."""
    scenario = result.scenario
    teams = scenario.workforce.teams
    rules = scenario.workforce.eligibility
    co_worked = 0
    for r in result.referrals:
        if r.lead is None:
            continue
        assert r.tier in teams[r.lead.team].tiers
        rule = getattr(getattr(rules, r.lead.grade), r.tier)
        assert rule in ("hold", "co_worked")
        if rule == "co_worked":
            co_worked += 1
            assert r.coworker is not None
            assert getattr(getattr(rules, r.coworker.grade), r.tier) == "hold"
            assert r.tier in teams[r.coworker.team].tiers
        else:
            assert r.coworker is None
    return co_worked


def check_hard_caps(result: RunResult) -> None:
    caps = caps_by_worker(result)
    for worker, series in loads_over_time(result).items():
        assert max(level for _, level, _ in series) <= caps[worker] + 1e-9


def caseload_events(result: RunResult) -> dict[int, list[tuple[float, int, int]]]:
    """(time, case, +1/-1) of each worker's caseload changes, in time order."""
    events = result.events
    mask = events.of("caseload_change")
    by_worker: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
    for time, case, worker, change in zip(
        events.time[mask].tolist(),
        events.case[mask].tolist(),
        events.worker[mask].tolist(),
        events.value[mask].tolist(),
        strict=True,
    ):
        by_worker[worker].append((time, case, int(change)))
    return by_worker
