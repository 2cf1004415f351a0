"""Checks of the model's invariants, shared by example tests and property tests.

They read the plain run results only (:class:`caseload_sim.model.results.RunResult`).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from caseload_sim.model.results import OUTCOMES, CaseTable, RunResult
from caseload_sim.scenario.schema import TIERS

OPEN, NFA, CIN, CP_PLAN = (OUTCOMES.index(o) for o in ("open", "nfa", "cin", "cp_plan"))


def check_conservation(result: RunResult) -> None:
    """Every contact ends in exactly one recorded outcome or is still in the system."""
    cases = result.cases
    referrals = len(cases)
    assert result.contacts == result.screened_out + referrals + result.awaiting_screening
    events = result.events
    assert events.of("contact").sum() == result.contacts
    assert len(result.contact_case) == result.contacts
    assert events.of("screened").sum() == result.screened_out + referrals
    assert (events.value[events.of("screened")] == 1).sum() == referrals
    ended = cases.outcome != OPEN
    assert not np.isnan(cases.ended_at[ended]).any()
    assert np.isnan(cases.ended_at[~ended]).all()
    initial = result.initial_cases
    outcomes = np.concatenate([cases.outcome, initial.outcome])
    assert events.of("case_closed").sum() == (outcomes == NFA).sum()
    assert events.of("case_handed_over").sum() == np.isin(outcomes, (CIN, CP_PLAN)).sum()
    # The unallocated queue: what joined and did not leave is what is still waiting.
    waiting = (~np.isnan(cases.queued_at) & np.isnan(cases.allocated_at)).sum()
    assert events.value[events.of("unallocated_change")].sum() == waiting
    # Held cases: each allocation is matched by a release once the case has ended.
    held = events.value[events.of("caseload_change")].sum()
    open_initial = (initial.outcome == OPEN).sum()
    assert held == (~ended & ~np.isnan(cases.allocated_at)).sum() + open_initial
    # Milestones are in order.
    assert (cases.referral_at <= cases.decided_at).all()
    allocated = ~np.isnan(cases.allocated_at)
    assert (cases.queued_at[allocated] <= cases.allocated_at[allocated]).all()
    assert (cases.allocated_at[ended & allocated] <= cases.ended_at[ended & allocated]).all()
    # A case that ended with no worker was closed at its decision, never queued or assessed.
    at_decision = ended & ~allocated
    assert (cases.outcome[at_decision] == NFA).all()
    np.testing.assert_array_equal(cases.ended_at[at_decision], cases.decided_at[at_decision])
    assert np.isnan(cases.queued_at[at_decision]).all()
    assert np.isnan(cases.first_assessment_at[at_decision]).all()
    assert (cases.tier[at_decision] != TIERS.index("immediate_risk")).all()
    if result.scenario.pathway.referral_nfa_share == 0:
        assert not at_decision.any()


def weights(result: RunResult, cases: CaseTable) -> np.ndarray:
    """Each case's caseload weight (the scenario's weight of its tier)."""
    table = result.scenario.workforce.case_weights
    return np.array([getattr(table, TIERS[t]) for t in cases.tier.tolist()], dtype=float)


def loads_over_time(result: RunResult) -> dict[int, list[tuple[float, float, str]]]:
    """(time, load after the change, what the change was) per worker."""
    fraction = result.scenario.workforce.allocation.oversight_fraction
    changes: dict[int, list[tuple[float, int, float, str]]] = defaultdict(list)
    for cases, initial in ((result.cases, False), (result.initial_cases, True)):
        for row, weight in enumerate(weights(result, cases).tolist()):
            allocated_at = float(cases.allocated_at[row])
            if np.isnan(allocated_at):
                continue
            ended_at = float(cases.ended_at[row])
            over = bool(cases.over_allocated[row])
            kind = "initial" if initial else ("over_allocation" if over else "allocation")
            posts = ((int(cases.lead_post[row]), 1.0), (int(cases.coworker_post[row]), fraction))
            for post, share in posts:
                if post < 0:
                    continue
                # Releases sort before allocations at the same moment: room is freed, then
                # reused.
                changes[post].append((allocated_at, 1, weight * share, kind))
                if not np.isnan(ended_at):
                    changes[post].append((ended_at, 0, -weight * share, "release"))
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
    return {p.index: getattr(grades, p.grade).caseload_cap for p in result.posts if p.holds_cases}


def check_eligibility(result: RunResult) -> int:
    """Every lead may hold the tier (outright, or co-worked with a qualified co-worker) and is in
    a team that takes it. Returns the number of co-worked allocations."""
    scenario = result.scenario
    teams = scenario.workforce.teams
    rules = scenario.workforce.eligibility
    posts = {p.index: p for p in result.posts}
    cases = result.cases
    co_worked = 0
    for tier_rank, lead_post, coworker_post in zip(
        cases.tier.tolist(), cases.lead_post.tolist(), cases.coworker_post.tolist(), strict=True
    ):
        if lead_post < 0:
            continue
        tier, lead = TIERS[tier_rank], posts[lead_post]
        assert tier in teams[lead.team].tiers
        rule = getattr(getattr(rules, lead.grade), tier)
        assert rule in ("hold", "co_worked")
        if rule == "co_worked":
            co_worked += 1
            assert coworker_post >= 0
            coworker = posts[coworker_post]
            assert getattr(getattr(rules, coworker.grade), tier) == "hold"
            assert tier in teams[coworker.team].tiers
        else:
            assert coworker_post < 0
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
