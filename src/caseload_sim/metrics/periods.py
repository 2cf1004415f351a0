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

from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.metrics.stats import time_average
from caseload_sim.model.results import RunResult

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
        values = compute_kpis(result, position)
        values[DAYS_TO_RECOVER] = (
            days_to_recover(result, period.start, period.end, period.settled_at)
            if position > 0
            else math.nan
        )
        entries.append(values)
    return entries


def days_to_recover(result: RunResult, change: float, end: float, look_from: float) -> float:
    """Days from ``change`` until the unallocated queue's recent mean is back to its level
    before the change, checked daily from ``look_from``; NaN if not by ``end``.

    The queue is the exact step function of the event log, not the sampled time series.
    """
    events = result.events
    queue = events.of("unallocated_change")
    times, changes = events.time[queue], events.value[queue]
    start = max(0.0, change - RECOVERY_WINDOW_DAYS)
    if change <= start:
        return math.nan
    level = time_average(times, changes, start, change)
    allowed = level + max(RECOVERY_TOLERANCE_REFERRALS, RECOVERY_TOLERANCE_SHARE * level)
    day = max(look_from, change + 1.0)
    while day <= end + 1e-9:
        recent = time_average(times, changes, max(change, day - RECOVERY_WINDOW_DAYS), day)
        if recent <= allowed:
            return float(day - change)
        day += 1.0
    return math.nan
