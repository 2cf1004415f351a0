"""A member of staff as the rest of the model sees them: post, grade, team, caseload, absences
and working time used.

How they spend that time on the work they hold is :class:`caseload_sim.model.worktime.Worker`,
which builds on this.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from caseload_sim.model.work import merge_spells

if TYPE_CHECKING:
    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.model.referral import Referral


class StaffMember:
    """Who holds a post and what they carry: the part of a worker that is bookkeeping."""

    def __init__(
        self,
        calendar: WorkingCalendar,
        index: int,
        grade: str,
        team: str,
        effort_hours_per_day: float,
        caseload_cap: float,
        measured_from: float,
        measured_to: float,
    ) -> None:
        self.calendar = calendar
        self.index = index
        self.grade = grade
        #: the grade the post is established at (a newly qualified holder may progress beyond it)
        self.post_grade = grade
        self.team = team
        #: effort delivered per day of working time (hours/day) at full productivity (a
        #: transition after a re-organisation lowers the worker's ``rate`` below it for a while)
        self.full_rate = effort_hours_per_day
        self.caseload_cap = caseload_cap
        self._fte = 1.0
        #: when the worker finished mandatory training (inf: not trained)
        self.trained_from = math.inf
        # caseload, in points and cases, kept by the allocation board
        self.load = 0.0
        self.cases = 0
        self.high_risk_cases = 0
        #: whether someone holds the post (a vacant post does no work and takes no cases)
        self.in_post = True
        #: when the post's holder took it up (negative: before the run)
        self.started_at = 0.0
        #: referrals this worker leads, and those they co-work, kept by the allocation board
        self.held: dict[int, Referral] = {}
        self.coworked: dict[int, Referral] = {}
        #: the post's FTE from each time on (a dated change may alter it)
        self.fte_history: list[tuple[float, float]] = [(0.0, 1.0)]
        # working time spent on tasks, inside the measured period (days), and in each of its
        # periods between dated changes
        self.busy_days = 0.0
        self._measured_from = measured_from
        self._measured_to = measured_to
        self.period_bounds: list[float] = [measured_from, measured_to]
        self.busy_by_period: list[float] = [0.0]
        #: spells of leave or sickness, sorted and apart: (start, end) in model days
        self.absences: list[tuple[float, float]] = []
        self._absence_index = 0

    @property
    def fte(self) -> float:
        """Full-time equivalent of the post."""
        return self._fte

    @fte.setter
    def fte(self, value: float) -> None:
        self._fte = value
        if len(self.fte_history) == 1:  # before any dated change: the post's FTE from the start
            self.fte_history[0] = (self.fte_history[0][0], value)

    def add_absences(self, spells: list[tuple[float, float]]) -> None:
        """Add spells of absence (leave, sickness, training) to those already known."""
        self.absences = merge_spells([*self.absences, *spells])
        self._absence_index = 0

    def _absence_at(self, now: float) -> tuple[float, float]:
        """(end of the absence under way, or ``now``; start of the next absence, or inf)."""
        absences = self.absences
        index = self._absence_index
        while index < len(absences) and absences[index][1] <= now:
            index += 1
        self._absence_index = index
        if index == len(absences):
            return now, math.inf
        start, end = absences[index]
        if start <= now:
            return end, math.inf
        return now, start

    def _add_busy(self, start: float, end: float) -> None:
        """Count working time spent on tasks from ``start`` to ``end``."""
        overlap = min(end, self._measured_to) - max(start, self._measured_from)
        if overlap > 0:
            self.busy_days += overlap
            # Periods exist only with dated changes in the measured period (one period is the
            # whole of it, and its busy time is busy_days).
            bounds = self.period_bounds
            if len(bounds) > 2:
                for period in range(len(bounds) - 1):
                    part = min(end, bounds[period + 1]) - max(start, bounds[period])
                    if part > 0:
                        self.busy_by_period[period] += part
