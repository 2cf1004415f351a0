"""Working-day calendar: the single place where working days and working hours are defined.

Model time is a float in **days** since 00:00 on the scenario ``start_date`` (``t = 0.0``).
Every rule about which days are worked, when the working day starts and ends, and how
statutory timescales ("within 7 working days") are counted goes through
:class:`WorkingCalendar`, so the rest of the simulation never looks at weekdays or bank
holidays directly.

Two kinds of calendar are supported:

``"england"``
    Monday-Friday excluding England bank holidays (taken from the ``holidays`` package,
    ``country_holidays("GB", subdiv="ENG")``). Each working day has one working window
    ``[day_start_hour, day_start_hour + hours_per_day)`` in local clock hours.
``"continuous"``
    Every day is a working day and its window is the whole day, so working time is plain
    elapsed time. Used to validate the simulation against queueing theory.

Conventions
-----------
* Windows are half-open, ``[start, end)``: a time exactly at a window's end is *outside*
  that window, so work that finishes exactly at close of play does not spill into the next
  day, and ``next_working_start(end)`` is the next window's start.
* For the England calendar, window starts/ends are precomputed as float arrays over
  ``[0, horizon_days]`` plus a margin (:data:`SPAN_MARGIN_DAYS`) so that deadlines falling
  after the horizon still work. Times outside the precomputed span raise ValueError. The
  continuous calendar uses the same span so that a model that runs under one kind of
  calendar does not fail only under the other.
* Floating point: window boundaries are computed once as ``day + hour / 24``, and each
  method compares against exactly those stored floats, so a value returned by one method
  (for example a window end from :meth:`WorkingCalendar.deadline`) is classified
  consistently by the others.

The tables of the run's span (which dates are worked, their windows) are built once by
:mod:`.span`; the working-time arithmetic the simulation relies on is in :mod:`.working_time`.
"""

from caseload_sim.calendar.span import SPAN_MARGIN_DAYS, CalendarKind
from caseload_sim.calendar.working_time import WorkingCalendar

__all__ = ["SPAN_MARGIN_DAYS", "CalendarKind", "WorkingCalendar"]
