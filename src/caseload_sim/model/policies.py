"""Allocation policies: who gets a referral waiting at the head of its tier's queue.

A policy is a plain function ``policy(board, referral) -> Choice | None`` registered by name in
:data:`POLICIES`; ``workforce.allocation.policy`` names one (the schema's allowed names are
these, and a test checks that they agree). The board gives a policy the pools of eligible
workers and the searches for the least-loaded one with room, so a policy says only whom it
prefers. Adding a policy is one function here, registered with :func:`policy`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from caseload_sim.model.allocation import AllocationBoard
    from caseload_sim.model.referral import Referral
    from caseload_sim.model.worktime import Worker

#: The lead, the qualified co-worker (None if not co-worked), and whether the lead is taken
#: over the cap (soft caps, for a referral that has waited too long).
Choice: TypeAlias = "tuple[Worker, Worker | None, bool]"
Policy: TypeAlias = "Callable[[AllocationBoard, Referral], Choice | None]"

#: Every allocation policy, by the name a scenario gives it.
POLICIES: dict[str, Policy] = {}


def policy(name: str) -> Callable[[Policy], Policy]:
    """Register the decorated function as the allocation policy ``name``."""

    def register(choose: Policy) -> Policy:
        POLICIES[name] = choose
        return choose

    return register


@policy("skill_matched")
def skill_matched(board: AllocationBoard, referral: Referral) -> Choice | None:
    """Workers who may hold the tier outright first; a co-worked lead (an assistant with a
    qualified co-worker) only when none of them has room."""
    rank, weight = referral.tier_rank, referral.weight
    lead = board.least_loaded_with_room(board.may_hold[rank], weight, 1.0)
    if lead is not None:
        return lead, None, False
    co_lead, coworker = board.co_worked_pair(rank, weight, 1.0)
    if co_lead is not None:
        return co_lead, coworker, False
    if board.may_over_allocate(referral):
        lead = board.least_loaded_with_room(board.may_hold[rank], weight, board.over_limit)
        co_lead, coworker = board.co_worked_pair(rank, weight, board.over_limit)
        if co_lead is not None and lead is None:
            return co_lead, coworker, True
        if lead is not None:
            return lead, None, True
    return None


@policy("joint")
def joint(board: AllocationBoard, referral: Referral) -> Choice | None:
    """Co-worked leads compete with qualified workers on equal terms: the least loaded
    relative to their cap wins (the joint allocation the 2010 inspection criticised)."""
    rank, weight = referral.tier_rank, referral.weight
    lead = board.least_loaded_with_room(board.may_hold[rank], weight, 1.0)
    co_lead, coworker = board.co_worked_pair(rank, weight, 1.0)
    if co_lead is not None and (lead is None or relative_load(co_lead) < relative_load(lead)):
        return co_lead, coworker, False
    if lead is not None:
        return lead, None, False
    if board.may_over_allocate(referral):
        lead = board.least_loaded_with_room(board.may_hold[rank], weight, board.over_limit)
        co_lead, coworker = board.co_worked_pair(rank, weight, board.over_limit)
        if co_lead is not None and (lead is None or relative_load(co_lead) < relative_load(lead)):
            return co_lead, coworker, True
        if lead is not None:
            return lead, None, True
    return None


def relative_load(worker: Worker) -> tuple[float, int]:
    """Caseload relative to the cap, then the post's number: the order of "least loaded"."""
    return (worker.load / worker.caseload_cap, worker.index)
