"""KPIs for each period between dated changes, and how long the service took to recover.

A scenario with a timeline is measured over its whole measured period and, separately, over each
period between changes, so that a planner sees the service before and after a re-organisation.
After each change the *days to recover* are the days from the change until the unallocated
queue, averaged over the previous ``RECOVERY_WINDOW_DAYS`` days, is back at or below its average
over the same length of time before the change (with a small tolerance for noise), looking only
from the end of the change's transition on. A replication that has not recovered by the end of
the period gives NaN, and ``n`` in the summary says how many did.
"""

from __future__ import annotations

import math

import numpy as np

from caseload_sim.metrics.kpis import compute_kpis
from caseload_sim.model.frontdoor import RunResult

#: Length of the averaging window before and after a change (four weeks).
RECOVERY_WINDOW_DAYS = 28.0
#: The queue counts as recovered within this many referrals of its level before the change, or
#: this share of it, whichever is larger (the sampled queue is noisy day to day).
RECOVERY_TOLERANCE_REFERRALS = 0.5
RECOVERY_TOLERANCE_SHARE = 0.1
#: The name under which each period reports its days to recover.
DAYS_TO_RECOVER = "days_to_recover"


def period_kpis(result: RunResult) -> list[dict[str, float]]:
    """Every KPI for each period of the run (empty without a timeline), with the days the
    service took to recover from the change that began the period (NaN for the first)."""
    if not result.periods:
        return []
    entries = []
    for position, period in enumerate(result.periods):
        values = compute_kpis(result.for_period(period))
        values[DAYS_TO_RECOVER] = (
            days_to_recover(result, period.start, period.end, period.settled_at)
            if position > 0
            else math.nan
        )
        entries.append(values)
    return entries


def days_to_recover(result: RunResult, change: float, end: float, look_from: float) -> float:
    """Days from ``change`` until the unallocated queue's recent mean is back to its level
    before the change, looking from ``look_from``; NaN if not by ``end``."""
    days = np.array([row["day"] for row in result.timeseries], dtype=float)
    queue = np.array([row["unallocated_referrals"] for row in result.timeseries], dtype=float)
    before = queue[(days >= change - RECOVERY_WINDOW_DAYS) & (days < change)]
    if before.size == 0:
        return math.nan
    level = float(before.mean())
    allowed = level + max(RECOVERY_TOLERANCE_REFERRALS, RECOVERY_TOLERANCE_SHARE * level)
    for day in days[(days >= look_from) & (days <= end)]:
        recent = queue[(days > day - RECOVERY_WINDOW_DAYS) & (days <= day) & (days >= change)]
        if recent.size and float(recent.mean()) <= allowed:
            return float(day - change)
    return math.nan
