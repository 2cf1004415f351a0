"""Partner agencies: when the police can join a strategy discussion.

A strategy discussion needs police as well as a team manager (Working Together 2010, 5.56). The
police are either always available, available after a random wait in working hours, or offer a
fixed number of strategy-discussion slots each working day, booked in request order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.scenario.schema import Police


class PoliceAvailability:
    """Books the police into strategy discussions."""

    def __init__(self, police: Police, calendar: WorkingCalendar) -> None:
        self.mode = police.mode
        self.slots_per_day = police.slots_per_working_day
        self.calendar = calendar
        self._booked: dict[float, int] = {}

    def earliest(self, requested_at: float, delay_hours: float) -> float:
        """When the police can take part in a discussion requested at ``requested_at``.

        ``delay_hours`` is this request's own wait in working hours, drawn when the referral
        arrived (used in ``delay`` mode only) so that scenarios share it.
        """
        if self.mode == "unlimited":
            return requested_at
        calendar = self.calendar
        if self.mode == "delay":
            return calendar.advance_working_hours(requested_at, delay_hours)
        day_start = calendar.next_working_start(requested_at)
        while True:
            window_start = self._window_start(day_start)
            used = self._booked.get(window_start, 0)
            if used < self.slots_per_day:
                self._booked[window_start] = used + 1
                return max(requested_at, day_start)
            day_start = calendar.next_working_start(calendar.window_end(day_start))

    def _window_start(self, t: float) -> float:
        """The start of the working window holding ``t`` (the key of that day's slots)."""
        calendar = self.calendar
        if calendar.kind == "continuous":
            return float(int(t))
        return calendar.from_date(calendar.to_date(t))
