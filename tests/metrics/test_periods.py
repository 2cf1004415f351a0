"""KPIs for each period between dated changes, and the days the service takes to recover."""

from __future__ import annotations

import math

from caseload_sim.metrics import periods as periods_module
from caseload_sim.metrics.periods import days_to_recover
from caseload_sim.model.results import RunResult
from handmade import events, run


def queue_log(steps: list[tuple[float, float]]) -> RunResult:
    """A run whose event log moves the unallocated queue to ``level`` at each (time, level)."""
    rows, level = [], 0.0
    for time, new in steps:
        rows.append((time, "unallocated_change", 0, -1, new - level))
        level = new
    return run(log=events(*rows))


def recover(steps: list[tuple[float, float]], change: float, end: float, look: float) -> float:
    return days_to_recover(queue_log(steps), change, end, look)


def test_the_recovery_rules_are_those_the_tests_assume() -> None:
    assert periods_module.RECOVERY_WINDOW_DAYS == 28.0
    assert periods_module.RECOVERY_TOLERANCE_REFERRALS == 0.5
    assert periods_module.RECOVERY_TOLERANCE_SHARE == 0.1


def test_days_to_recover_counts_to_when_the_recent_queue_is_back_to_its_level() -> None:
    # Two waiting before the change on day 50, ten from day 50 to day 60, two again from then.
    # Allowed: 2 + max(0.5, 10% of 2) = 2.5. The mean over the 28 days to day d (86 <= d < 88)
    # is (10 x (88 - d) + 2 x (d - 60)) / 28 = (760 - 8d) / 28: 2.57 on day 86, 2.29 on day 87.
    # Checked once a day from the day after the change: recovered 37 days after it.
    steps = [(0.0, 2.0), (50.0, 10.0), (60.0, 2.0)]
    assert recover(steps, 50.0, 120.0, 50.0) == 37.0
    # Looking only from the end of a transition on day 95: recovered by then, so 45 days.
    assert recover(steps, 50.0, 120.0, 95.0) == 45.0
    # Not by day 86, the end of the period.
    assert math.isnan(recover(steps, 50.0, 86.0, 50.0))
    # The level before is the mean over the 28 days before the change only: a long queue
    # earlier does not count.
    assert recover([(0.0, 30.0), (20.0, 2.0), (50.0, 10.0), (60.0, 2.0)], 50.0, 120.0, 50.0) == 37


def test_days_to_recover_allows_a_tenth_of_a_longer_queue() -> None:
    # Ten before: allowed 11. Eleven after is recovered the next day; 11.5 never.
    assert recover([(0.0, 10.0), (50.0, 11.0)], 50.0, 90.0, 50.0) == 1.0
    assert math.isnan(recover([(0.0, 10.0), (50.0, 11.5)], 50.0, 90.0, 50.0))
    # An empty queue before: half a referral allowed.
    assert recover([(50.0, 0.5)], 50.0, 90.0, 50.0) == 1.0
    assert math.isnan(recover([(50.0, 0.6)], 50.0, 90.0, 50.0))


def test_days_to_recover_is_nan_without_a_time_before_the_change() -> None:
    assert math.isnan(recover([(0.0, 0.0)], 0.0, 90.0, 0.0))
