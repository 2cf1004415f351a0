"""Working-time arithmetic on model time: the ``WorkingCalendar`` the simulation asks.

The rules and conventions are those of :mod:`caseload_sim.calendar`.
"""

from __future__ import annotations

import math
from bisect import bisect_right

import numpy as np
import numpy.typing as npt

from caseload_sim.calendar.span import HOURS_PER_DAY, CalendarSpan

# Working-time tolerance (hours) for snapping a result onto a window end. Accumulated
# rounding in hours is ~1e-12 over decades, so 1e-9 h (3.6 microseconds) is ample while
# being far below any meaningful duration.
_SNAP_HOURS = 1e-9


class WorkingCalendar(CalendarSpan):
    """Working days, working windows and working-time arithmetic on model time.

    Parameters
    ----------
    kind : {"england", "continuous"}
        Calendar rules; see :mod:`caseload_sim.calendar`.
    start_date : datetime.date
        Date of model time ``t = 0.0`` (midnight at its start).
    horizon_days : float
        Simulated horizon in days; the precomputed span is
        ``ceil(horizon_days) + SPAN_MARGIN_DAYS`` days.
    day_start_hour : float, default 9.0
        Clock hour at which the working window opens (England only).
    hours_per_day : float, default 7.4
        Length of the working window in hours (England only; reported as 24 for
        ``"continuous"``).

    Raises
    ------
    ValueError
        If ``kind`` is unknown, ``horizon_days`` is negative or not finite, or (England)
        the window does not satisfy ``0 < hours_per_day <= 24``, ``0 <= day_start_hour``
        and ``day_start_hour + hours_per_day <= 24``.
    TypeError
        If ``start_date`` is a ``datetime`` rather than a plain ``date``.
    """

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(kind={self._kind!r}, start_date={self._start_date!r}, "
            f"horizon_days={self._horizon_days!r}, day_start_hour={self._day_start_hour!r}, "
            f"hours_per_day={self._hours_per_day!r})"
        )

    # ------------------------------------------------------------------
    # Hot path: window lookups and working-time arithmetic
    # ------------------------------------------------------------------

    def next_working_start(self, t: float) -> float:
        """Earliest time ``>= t`` that is inside a working window.

        Returns ``t`` itself if ``start <= t < end`` for some window, otherwise the start of
        the next window. A ``t`` exactly at a window's end is outside it (half-open windows).
        """
        if not (0.0 <= t < self._t_max):
            raise ValueError(self._span_message(t, "t"))
        if self._kind == "continuous":
            return float(t)
        # First window whose end is strictly after t: the one containing t, or the next.
        k = bisect_right(self._ends, t)
        if k == len(self._ends):
            raise self._beyond_span(t, "the next working window")
        start = self._starts[k]
        return start if start > t else float(t)

    def window_end(self, t: float) -> float:
        """End of the working window containing ``t``, or of the next window if none does.

        Continuous windows are whole days, so this is the following midnight.
        """
        if not (0.0 <= t < self._t_max):
            raise ValueError(self._span_message(t, "t"))
        if self._kind == "continuous":
            return float(math.floor(t) + 1)
        k = bisect_right(self._ends, t)
        if k == len(self._ends):
            raise self._beyond_span(t, "the next working window")
        return self._ends[k]

    def _cum_hours(self, t: float) -> float:
        """Working hours (England) in ``[0, t]``; flat between windows."""
        k = bisect_right(self._starts, t) - 1
        if k < 0:
            return 0.0
        partial = (t - self._starts[k]) * HOURS_PER_DAY
        return k * self._hours_per_day + min(partial, self._hours_per_day)

    def working_hours_between(self, t0: float, t1: float) -> float:
        """Hours of working time in ``[t0, t1]`` (0 if ``t1 <= t0``)."""
        self._check_t(t0, "t0")
        # t1 may equal span_end: it is only an interval end.
        if not (0.0 <= t1 <= self._t_max):
            raise ValueError(self._span_message(t1, "t1"))
        if t1 <= t0:
            return 0.0
        if self._kind == "continuous":
            return (t1 - t0) * HOURS_PER_DAY
        return self._cum_hours(t1) - self._cum_hours(t0)

    def advance_working_hours(self, t: float, hours: float) -> float:
        """Model time at which ``hours`` of working time have elapsed after ``t``.

        Inverse of :meth:`working_hours_between`: for ``hours > 0`` the result ``r`` is the
        earliest time with ``working_hours_between(t, r) == hours``. If the work finishes
        exactly at close of play the result is that window's end (not the next morning).
        ``hours == 0`` returns ``t`` unchanged, even outside working time.

        Raises
        ------
        ValueError
            If ``hours`` is negative or not finite, ``t`` is outside the span, or the
            result would lie beyond the precomputed span.
        """
        if not (0.0 <= t < self._t_max):
            raise ValueError(self._span_message(t, "t"))
        if not (math.isfinite(hours) and hours >= 0.0):
            raise ValueError(f"hours must be a finite number >= 0, got {hours!r}")
        if hours == 0.0:
            return float(t)
        if self._kind == "continuous":
            result = t + hours / HOURS_PER_DAY
            if result >= self._t_max:
                raise self._beyond_span(t, f"advancing {hours!r} working hours")
            return result

        hpd = self._hours_per_day
        starts, ends = self._starts, self._ends
        n_windows = len(ends)
        k0 = bisect_right(ends, t)
        if k0 == n_windows:
            raise self._beyond_span(t, "the next working window")
        # Measure from the start of window k0 rather than from t = 0 so the arithmetic
        # stays on small numbers (no loss of precision over long horizons).
        used = (t - starts[k0]) * HOURS_PER_DAY if starts[k0] <= t else 0.0
        full, rem = divmod(used + hours, hpd)
        k = k0 + int(full)
        # Work finishing (to within rounding) exactly at close of play ends at that window's
        # end, not at the next window's start: otherwise a job that fits today would be
        # reported as finishing tomorrow and could miss a same-day deadline.
        at_end = False
        if rem <= _SNAP_HOURS and k > k0:
            k, at_end = k - 1, True
        elif hpd - rem <= _SNAP_HOURS:
            at_end = True
        if k >= n_windows:
            raise self._beyond_span(t, f"advancing {hours!r} working hours")
        result = ends[k] if at_end else starts[k] + rem / HOURS_PER_DAY
        # Rounding must never move time backwards.
        return max(result, float(t))

    def elapsed_working_days(self, t0: float, t1: float) -> float:
        """Working days elapsed from ``t0`` to ``t1``, counted the DfE way.

        England: the number of working days ``d`` with ``date(t0) < d <= date(t1)``, as an
        integer-valued float, so a referral's own day never counts and the day of ``t1``
        counts whatever the clock time. Continuous: ``t1 - t0``. Both give 0 when
        ``t1 <= t0``.
        """
        self._check_t(t0, "t0")
        self._check_t(t1, "t1")
        if t1 <= t0:
            return 0.0
        if self._kind == "continuous":
            return float(t1 - t0)
        d0 = math.floor(t0)
        d1 = math.floor(t1)
        return float(self._cum_wd_list[d1 + 1] - self._cum_wd_list[d0 + 1])

    def elapsed_working_days_array(
        self, t0: npt.NDArray[np.float64], t1: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        """:meth:`elapsed_working_days` for arrays of start and end times (same rules)."""
        t0 = np.asarray(t0, dtype=float)
        t1 = np.asarray(t1, dtype=float)
        if t0.shape != t1.shape:
            raise ValueError(f"t0 and t1 must have the same shape ({t0.shape} and {t1.shape})")
        if t0.size == 0:
            return np.zeros(t0.shape)
        for name, times in (("t0", t0), ("t1", t1)):
            if not (np.all(times >= 0.0) and np.all(times < self._t_max)):
                bad = times[~((times >= 0.0) & (times < self._t_max))][0]
                raise ValueError(self._span_message(float(bad), name))
        if self._kind == "continuous":
            return np.maximum(t1 - t0, 0.0)
        d0 = np.floor(t0).astype(np.int64)
        d1 = np.floor(t1).astype(np.int64)
        counts = (self._cum_wd[d1 + 1] - self._cum_wd[d0 + 1]).astype(float)
        return np.where(t1 <= t0, 0.0, counts)

    def deadline(self, t0: float, working_days: float) -> float:
        """Latest model time ``t`` still satisfying ``elapsed_working_days(t0, t) <= n``.

        England: the end of the working window of the ``n``-th working day after
        ``date(t0)`` (``n = working_days``, an integer >= 0). ``n = 0`` means the end of
        ``date(t0)``'s window if that is a working day (which may be earlier than ``t0``
        for an out-of-hours ``t0``), otherwise the end of the next working day's window.
        Continuous: ``t0 + working_days``.

        Raises
        ------
        ValueError
            If ``working_days`` is negative (or, for England, not integer-valued), or the
            deadline lies beyond the precomputed span.
        """
        if not (0.0 <= t0 < self._t_max):
            raise ValueError(self._span_message(t0, "t0"))
        d0 = math.floor(t0)
        if type(working_days) is not bool and self._kind != "continuous":  # (True would pass for 1)
            known = self._deadline_by_day.get((d0, working_days))
            if known is not None:
                return known
        if not (math.isfinite(working_days) and working_days >= 0):
            raise ValueError(f"working_days must be a finite number >= 0, got {working_days!r}")
        if self._kind == "continuous":
            result = t0 + working_days
            if result >= self._t_max:
                raise self._beyond_span(t0, f"the {working_days!r}-working-day deadline")
            return float(result)
        if isinstance(working_days, bool) or working_days != int(working_days):
            raise ValueError(
                f"working_days must be a whole number for the England calendar, "
                f"got {working_days!r}"
            )
        n = int(working_days)
        # Number of working days on or before date(t0); window cnt - 1 is the last of them.
        cnt = bisect_right(self._wd_days, d0)
        if n == 0:
            d0_is_working = cnt > 0 and self._wd_days[cnt - 1] == d0
            k = cnt - 1 if d0_is_working else cnt
        else:
            k = cnt - 1 + n
        if k >= len(self._ends):
            raise self._beyond_span(t0, f"the {n}-working-day deadline")
        self._deadline_by_day[(d0, n)] = found = self._ends[k]
        return found
