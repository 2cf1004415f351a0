"""The individual waits kept case by case for distributions (``waits.csv``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseload_sim.scenario.schema import TIERS

if TYPE_CHECKING:
    from caseload_sim.model.frontdoor import RunResult

#: The waits kept case by case.
WAIT_MEASURES = ("referral_to_allocation_days", "referral_to_strategy_discussion_days")


def measured_waits(result: RunResult) -> dict[str, list[float]]:
    """Each referral's wait for allocation (allocated in the measured period), and each
    immediate-risk referral's wait for its strategy discussion (held in the period), in days."""
    start, end = result.measured_from, result.measured_to
    immediate = TIERS.index("immediate_risk")
    allocation = [
        r.allocated_at - r.referral_at for r in result.referrals if start <= r.allocated_at <= end
    ]
    strategy = [
        r.strategy_at - r.referral_at
        for r in result.referrals
        if r.tier_rank == immediate and start <= r.strategy_at <= end
    ]
    return {WAIT_MEASURES[0]: allocation, WAIT_MEASURES[1]: strategy}
