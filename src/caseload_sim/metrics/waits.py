"""The individual waits kept case by case for distributions (``waits.csv``)."""

from __future__ import annotations

from caseload_sim.model.results import RunResult
from caseload_sim.scenario.schema import TIERS

#: The waits kept case by case.
WAIT_MEASURES = ("referral_to_allocation_days", "referral_to_strategy_discussion_days")


def measured_waits(result: RunResult) -> dict[str, list[float]]:
    """Each referral's wait for allocation (allocated in the measured period), and each
    immediate-risk referral's wait for its strategy discussion (held in the period), in days."""
    start, end = result.measured_from, result.measured_to
    cases = result.cases
    allocated = (cases.allocated_at >= start) & (cases.allocated_at <= end)
    allocation = cases.allocated_at[allocated] - cases.referral_at[allocated]
    held = (
        (cases.tier == TIERS.index("immediate_risk"))
        & (cases.strategy_at >= start)
        & (cases.strategy_at <= end)
    )
    strategy = cases.strategy_at[held] - cases.referral_at[held]
    return {WAIT_MEASURES[0]: allocation.tolist(), WAIT_MEASURES[1]: strategy.tolist()}
