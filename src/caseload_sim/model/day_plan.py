"""A worker's plan for the rest of a working window, and the cases set aside until the next one.

A plan is a run of stretches, one after another with no gap: ``(task, start, end, ending, day)``.
It is filled in urgency order, each case taking what it may (until its effort is spent, its share
of the day is used, or the window ends), and taken into account (effort, the day's share, busy
time) once its time has passed, exactly as if the day had been stepped through stretch by
stretch. ``day`` is the working day a paced case's share counts for (0 for unpaced work).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseload_sim.model.work import Task, WorkQueue

# What is left of a case's daily allowance below this counts as used up. Model time is in days,
# so years into a run the hours computed from clock differences carry rounding of about 1e-11
# hours; a tolerance far above that and far below any real piece of work keeps a nearly spent
# allowance from asking for a stretch too short to move the clock.
ALLOWANCE_TOLERANCE_HOURS = 1e-6
_INF = math.inf

# What a stretch ends with.
GOES_ON = 0  # the task goes back to the queue (or is set aside once it has had today's share)
FINISHES = 1  # the task's effort runs out
SET_ASIDE = 2  # (no time) the task has had its share of today already

Stretch = tuple["Task", float, float, int, float]


class DayPlan:
    """The stretches a worker has planned; from ``stretches[next]`` on, not yet counted."""

    __slots__ = (
        "stretches",
        "next",
        "rate",
        "limit",
        "day",
        "back",
        "open",
        "resume_at",
        "parked",
        "parked_until",
        "_queue",
        "_continuous",
    )

    def __init__(self, queue: WorkQueue, continuous: bool) -> None:
        self.stretches: list[Stretch] = []
        self.next = 0
        #: hours of effort a day of working time, and the end of the planned time, for the plan
        self.rate = 0.0
        self.limit = 0.0
        #: the end of the working window (the day a paced case's share counts for), and the
        #: start of the next one (when cases set aside today come back)
        self.day = _INF
        self.back = _INF
        #: the plan stopped because the queue ran out (more work simply follows on)
        self.open = False
        #: the earliest time a case set aside comes back (planning stops there)
        self.resume_at = _INF
        #: cases set aside until a later working day (they have had their share of today)
        self.parked: list[Task] = []
        self.parked_until = _INF
        self._queue = queue
        self._continuous = continuous

    def current(self, now: float) -> int:
        """The position of the stretch under way at ``now``, or -1."""
        stretches = self.stretches
        for position in range(self.next, len(stretches)):
            piece = stretches[position]
            if piece[1] > now:
                return -1
            if now < piece[2]:
                return position
        return -1

    def waiting(self, now: float) -> int:
        """Planned tasks not yet begun."""
        return sum(1 for piece in self.stretches[self.next :] if piece[1] > now)

    def bring_back(self, now: float) -> None:
        """Return the cases set aside to the queue once their day has come."""
        if self.parked and now >= self.parked_until:
            put_back = self._queue.put_back
            for parked in self.parked:
                put_back(parked)
            self.parked.clear()
            self.parked_until = _INF

    def start(self, rate: float, limit: float) -> None:
        """Begin a plan (at the worker's rate, up to ``limit``)."""
        self.rate = rate
        self.limit = limit
        self.resume_at = self.parked_until

    def fill(self, cursor: float) -> None:
        """Plan from ``cursor``: the most urgent task first, each as long as it may."""
        queue = self._queue
        plan = self.stretches
        rate = self.rate
        limit = self.limit
        continuous = self._continuous
        day = self.day
        back = self.back
        resume = self.resume_at
        # A pool sharing one inbox takes one task at a time, leaving the rest to the others.
        ahead = not queue.shared
        self.open = False
        while cursor < limit and cursor < resume:
            task = queue.pop()
            if task is None:
                self.open = True
                break
            pace = task.pace_hours
            if pace == _INF:
                if rate <= 0:  # no casework time: the task is held without progressing
                    plan.append((task, cursor, limit, GOES_ON, 0.0))
                    break
                finish = cursor + task.remaining_hours / rate
                if finish > limit:
                    plan.append((task, cursor, limit, GOES_ON, 0.0))
                    break
                plan.append((task, cursor, finish, FINISHES, 0.0))
                if not ahead:
                    break
                cursor = finish
                continue
            if continuous:
                day = back = math.floor(cursor) + 1.0
            if rate <= 0:
                plan.append((task, cursor, limit, GOES_ON, day))
                break
            allowance = pace - (task.hours_today if task.paced_day == day else 0.0)
            # (Comparisons written out rather than min(): this loop runs at every plan.)
            if allowance <= ALLOWANCE_TOLERANCE_HOURS:
                plan.append((task, cursor, cursor, SET_ASIDE, day))
                if back < resume:
                    resume = back
                continue
            finish = cursor + task.remaining_hours / rate
            end = cursor + allowance / rate
            if limit < end:
                end = limit
            if finish <= end:
                end = finish
                plan.append((task, cursor, end, FINISHES, day))
            else:
                plan.append((task, cursor, end, GOES_ON, day))
                if end >= limit:
                    break
                if back < resume:
                    resume = back  # it has had its share of today
            cursor = end
            if not ahead:
                break
        self.resume_at = resume

    def give_back_from(self, position: int) -> None:
        """Return the tasks planned from ``position`` on to the queue."""
        plan = self.stretches
        put_back = self._queue.put_back
        for piece in plan[position:]:
            put_back(piece[0])
        del plan[position:]
        self.open = False

    def settle(self, until: float, firing: bool) -> tuple[list[Task], float, float]:
        """Take into account the stretches that ended by ``until`` (before it, unless
        ``firing``); return the tasks they finished, and the working time they cover."""
        plan = self.stretches
        position = self.next
        count = len(plan)
        finished: list[Task] = []
        if position == count:
            return finished, 0.0, 0.0
        rate = self.rate
        first = plan[position][1]
        last = first
        put_back = self._queue.put_back
        while position < count:
            task, start, end, ending, day = plan[position]
            if end > until or (end == until and not firing):
                break
            position += 1
            last = end
            if day and task.paced_day != day:
                task.paced_day = day
                task.hours_today = 0.0
            if ending == SET_ASIDE:
                self.park(task, day)
                continue
            worked = (end - start) * rate
            task.hours_worked += worked
            if ending == FINISHES:
                task.remaining_hours = 0.0
                task.finished = True
                finished.append(task)
                continue
            remaining = task.remaining_hours - worked
            task.remaining_hours = remaining if remaining > 0.0 else 0.0
            if task.cancelled:
                continue
            if day:
                task.hours_today += worked
                if task.hours_today >= task.pace_hours - ALLOWANCE_TOLERANCE_HOURS:
                    self.park(task, day)
                    continue
            put_back(task)
        if position == count:
            plan.clear()
            position = 0
        self.next = position
        return finished, first, last

    def park(self, task: Task, day: float) -> None:
        """Set a case aside until the next working day: it has had its share of today."""
        self.parked.append(task)
        resume = day if self._continuous else self.back
        if resume < self.parked_until:
            self.parked_until = resume

    def unpark(self, keep: list[Task]) -> None:
        """Keep only these of the cases set aside (the others have been handed on)."""
        self.parked = keep
        if not keep:
            self.parked_until = _INF
