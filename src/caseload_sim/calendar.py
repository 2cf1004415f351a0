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
"""

from __future__ import annotations

import datetime
import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Literal, get_args

import holidays
import numpy as np
import numpy.typing as npt

__all__ = ["SPAN_MARGIN_DAYS", "CalendarKind", "WorkingCalendar"]

CalendarKind = Literal["england", "continuous"]

#: Extra days precomputed beyond ``horizon_days``; long enough for any statutory
#: timescale (the longest, 45 working days, is about 65 calendar days) started near the
#: horizon, and for a 365-day look-ahead from the horizon.
SPAN_MARGIN_DAYS = 400

# Working-time tolerance (hours) for snapping a result onto a window end. Accumulated
# rounding in hours is ~1e-12 over decades, so 1e-9 h (3.6 microseconds) is ample while
# being far below any meaningful duration.
_SNAP_HOURS = 1e-9

_HOURS_PER_DAY = 24.0
_DAYS_PER_YEAR = 365


class WorkingCalendar:
    """Working days, working windows and working-time arithmetic on model time.

    Parameters
    ----------
    kind : {"england", "continuous"}
        Calendar rules; see the module docstring.
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

    def __init__(
        self,
        kind: CalendarKind,
        start_date: datetime.date,
        horizon_days: float,
        day_start_hour: float = 9.0,
        hours_per_day: float = 7.4,
    ) -> None:
        if kind not in get_args(CalendarKind):
            raise ValueError(f"kind must be one of {get_args(CalendarKind)}, got {kind!r}")
        # A datetime is a date subclass; accepting one would silently shift t = 0 to its
        # clock time in some places (to_datetime) and not in others (date arithmetic).
        if isinstance(start_date, datetime.datetime) or not isinstance(start_date, datetime.date):
            raise TypeError(f"start_date must be a datetime.date, got {start_date!r}")
        horizon = float(horizon_days)
        if not (math.isfinite(horizon) and horizon >= 0.0):
            raise ValueError(f"horizon_days must be a finite number >= 0, got {horizon_days!r}")

        self._kind: CalendarKind = kind
        self._start_date = start_date
        self._horizon_days = horizon
        self._n_days = math.ceil(horizon) + SPAN_MARGIN_DAYS
        # Inputs must fall on a precomputed date: [0, n_days).
        self._t_max = float(self._n_days)
        self._start_midnight = datetime.datetime.combine(start_date, datetime.time())

        if kind == "continuous":
            # day_start_hour / hours_per_day are documented as ignored, so not validated.
            self._day_start_hour = 0.0
            self._hours_per_day = _HOURS_PER_DAY
            self._init_empty_arrays()
            return

        dsh = float(day_start_hour)
        hpd = float(hours_per_day)
        if not (math.isfinite(hpd) and 0.0 < hpd <= _HOURS_PER_DAY):
            raise ValueError(f"hours_per_day must satisfy 0 < hours_per_day <= 24, got {hpd!r}")
        if not (math.isfinite(dsh) and dsh >= 0.0):
            raise ValueError(f"day_start_hour must be a finite number >= 0, got {dsh!r}")
        if dsh + hpd > _HOURS_PER_DAY:
            raise ValueError(
                "the working window must end by midnight: day_start_hour + hours_per_day "
                f"= {dsh!r} + {hpd!r} = {dsh + hpd!r} > 24"
            )
        self._day_start_hour = dsh
        self._hours_per_day = hpd

        end_date = start_date + datetime.timedelta(days=self._n_days - 1)
        bank_holidays = holidays.country_holidays(
            "GB", subdiv="ENG", years=range(start_date.year, end_date.year + 1)
        )
        holiday_set = set(bank_holidays.keys())
        day_index = np.arange(self._n_days, dtype=np.int64)
        weekday = (start_date.weekday() + day_index) % 7
        is_holiday = np.fromiter(
            (start_date + datetime.timedelta(days=int(i)) in holiday_set for i in day_index),
            dtype=bool,
            count=self._n_days,
        )
        mask = (weekday < 5) & ~is_holiday

        self._mask = mask
        # Prefix counts: _cum_wd[i] = number of working days among day indices 0..i-1.
        self._cum_wd = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
        self._wd_days_arr = day_index[mask]
        self._starts_arr = self._wd_days_arr + dsh / _HOURS_PER_DAY
        self._ends_arr = self._wd_days_arr + (dsh + hpd) / _HOURS_PER_DAY
        # Python lists for scalar bisect: far cheaper per call than np.searchsorted, and
        # they return Python floats rather than numpy scalars to the simulation.
        self._wd_days: list[int] = self._wd_days_arr.tolist()
        self._starts: list[float] = self._starts_arr.tolist()
        self._ends: list[float] = self._ends_arr.tolist()
        self._cum_wd_list: list[int] = self._cum_wd.tolist()

    def _init_empty_arrays(self) -> None:
        """Give continuous calendars empty array attributes so every attribute is defined."""
        self._mask = np.ones(0, dtype=bool)
        self._cum_wd = np.zeros(1, dtype=np.int64)
        self._wd_days_arr = np.zeros(0, dtype=np.int64)
        self._starts_arr = np.zeros(0, dtype=np.float64)
        self._ends_arr = np.zeros(0, dtype=np.float64)
        self._wd_days = []
        self._starts = []
        self._ends = []
        self._cum_wd_list = [0]

    # ------------------------------------------------------------------
    # Read-only configuration
    # ------------------------------------------------------------------

    @property
    def kind(self) -> CalendarKind:
        """Calendar kind, ``"england"`` or ``"continuous"``."""
        return self._kind

    @property
    def start_date(self) -> datetime.date:
        """Date whose midnight is model time 0."""
        return self._start_date

    @property
    def horizon_days(self) -> float:
        """Horizon the calendar was built for (days)."""
        return self._horizon_days

    @property
    def day_start_hour(self) -> float:
        """Clock hour at which the working window opens (0.0 for continuous)."""
        return self._day_start_hour

    @property
    def hours_per_day(self) -> float:
        """Working hours per working day (24.0 for continuous)."""
        return self._hours_per_day

    @property
    def span_end(self) -> float:
        """Exclusive upper bound of model times accepted by calendar queries (days)."""
        return self._t_max

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(kind={self._kind!r}, start_date={self._start_date!r}, "
            f"horizon_days={self._horizon_days!r}, day_start_hour={self._day_start_hour!r}, "
            f"hours_per_day={self._hours_per_day!r})"
        )

    # ------------------------------------------------------------------
    # Validation helpers
    # ------------------------------------------------------------------

    def _check_t(self, t: float, name: str = "t") -> float:
        """Return ``t`` as float, raising ValueError unless ``0 <= t < span_end``."""
        # Written as a negated range test so that NaN fails it too.
        if not (0.0 <= t < self._t_max):
            raise ValueError(self._span_message(t, name))
        return float(t)

    def _span_message(self, t: float, name: str) -> str:
        return (
            f"{name}={t!r} is outside the calendar's precomputed span [0, {self._t_max!r}) "
            f"days from {self._start_date.isoformat()}; build the WorkingCalendar with a "
            "larger horizon_days"
        )

    def _beyond_span(self, t: float, what: str) -> ValueError:
        return ValueError(
            f"{what} for t={t!r} lies beyond the calendar's precomputed span "
            f"(ends {self._t_max!r} days after {self._start_date.isoformat()}); build the "
            "WorkingCalendar with a larger horizon_days"
        )

    def _day_index(self, d: datetime.date) -> int:
        """Index of date ``d`` in the precomputed span, raising ValueError outside it."""
        i = (d - self._start_date).days
        if not (0 <= i < self._n_days):
            raise ValueError(
                f"date {d.isoformat()} is outside the calendar's precomputed span "
                f"{self._start_date.isoformat()} .. "
                f"{(self._start_date + datetime.timedelta(days=self._n_days - 1)).isoformat()}"
            )
        return i

    # ------------------------------------------------------------------
    # Conversions (pure arithmetic, valid for any finite t)
    # ------------------------------------------------------------------

    def to_date(self, t: float) -> datetime.date:
        """Calendar date containing model time ``t``.

        Parameters
        ----------
        t : float
            Model time (days). Any finite value; no span check is needed.

        Returns
        -------
        datetime.date
        """
        if not math.isfinite(t):
            raise ValueError(f"t must be finite, got {t!r}")
        return self._start_date + datetime.timedelta(days=math.floor(t))

    def to_datetime(self, t: float) -> datetime.datetime:
        """Naive local datetime of model time ``t`` (rounded to microseconds)."""
        if not math.isfinite(t):
            raise ValueError(f"t must be finite, got {t!r}")
        return self._start_midnight + datetime.timedelta(days=float(t))

    def from_date(self, d: datetime.date) -> float:
        """Model time of midnight at the start of date ``d``."""
        return float((d - self._start_date).days)

    # ------------------------------------------------------------------
    # Day-level queries
    # ------------------------------------------------------------------

    def is_working_day(self, d: datetime.date) -> bool:
        """Whether ``d`` is a working day (always True for continuous).

        Raises
        ------
        ValueError
            If ``d`` is outside the precomputed span.
        """
        i = self._day_index(d)
        if self._kind == "continuous":
            return True
        return bool(self._mask[i])

    def working_days_in_year_from(self, d: datetime.date) -> int:
        """Number of working days in the 365 days ``d .. d + 364`` (365 for continuous).

        Used to turn an annual rate into a per-working-day rate.

        Raises
        ------
        ValueError
            If any of the 365 days is outside the precomputed span.
        """
        i = self._day_index(d)
        self._day_index(d + datetime.timedelta(days=_DAYS_PER_YEAR - 1))
        if self._kind == "continuous":
            return _DAYS_PER_YEAR
        return self._cum_wd_list[i + _DAYS_PER_YEAR] - self._cum_wd_list[i]

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
        partial = (t - self._starts[k]) * _HOURS_PER_DAY
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
            return (t1 - t0) * _HOURS_PER_DAY
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
            result = t + hours / _HOURS_PER_DAY
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
        used = (t - starts[k0]) * _HOURS_PER_DAY if starts[k0] <= t else 0.0
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
        result = ends[k] if at_end else starts[k] + rem / _HOURS_PER_DAY
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
        d0 = math.floor(t0)
        # Number of working days on or before date(t0); window cnt - 1 is the last of them.
        cnt = bisect_right(self._wd_days, d0)
        if n == 0:
            d0_is_working = cnt > 0 and self._wd_days[cnt - 1] == d0
            k = cnt - 1 if d0_is_working else cnt
        else:
            k = cnt - 1 + n
        if k >= len(self._ends):
            raise self._beyond_span(t0, f"the {n}-working-day deadline")
        return self._ends[k]

    # ------------------------------------------------------------------
    # Range queries (vectorised output)
    # ------------------------------------------------------------------

    def _check_interval(self, t0: float, t1: float) -> None:
        if not (0.0 <= t0 <= self._t_max):
            raise ValueError(self._span_message(t0, "t0"))
        if not (0.0 <= t1 <= self._t_max):
            raise ValueError(self._span_message(t1, "t1"))

    def working_windows(
        self, t0: float, t1: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Starts and ends (model days) of the windows intersecting ``[t0, t1)``.

        Windows are clipped to ``[t0, t1)``; both arrays are empty if ``t1 <= t0``.
        Continuous windows are whole days, so this splits ``[t0, t1)`` at midnights.
        """
        self._check_interval(t0, t1)
        if t1 <= t0:
            empty = np.zeros(0, dtype=np.float64)
            return empty, empty.copy()
        if self._kind == "continuous":
            first = math.floor(t0)
            last = math.ceil(t1)
            days = np.arange(first, last, dtype=np.float64)
            starts = np.maximum(days, t0)
            ends = np.minimum(days + 1.0, t1)
            return starts, ends
        lo = bisect_right(self._ends, t0)  # first window ending after t0
        hi = bisect_left(self._starts, t1)  # windows starting before t1
        starts = np.maximum(self._starts_arr[lo:hi], t0)
        ends = np.minimum(self._ends_arr[lo:hi], t1)
        return starts, ends

    def working_day_dates(self, t0: float, t1: float) -> list[datetime.date]:
        """Dates of the working days whose window starts in ``[t0, t1)``.

        Continuous windows start at midnight, so these are the dates whose midnight lies in
        ``[t0, t1)``.
        """
        self._check_interval(t0, t1)
        if t1 <= t0:
            return []
        day_range: Sequence[int]
        if self._kind == "continuous":
            day_range = range(math.ceil(t0), math.ceil(t1))
        else:
            lo = bisect_left(self._starts, t0)
            hi = bisect_left(self._starts, t1)
            day_range = self._wd_days[lo:hi]
        return [self._start_date + datetime.timedelta(days=i) for i in day_range]
