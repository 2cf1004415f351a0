"""The span of a working calendar: which days and hours are worked, precomputed once.

The rules and conventions are those of :mod:`caseload_sim.calendar`.
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

CalendarKind = Literal["england", "continuous"]

#: Extra days precomputed beyond ``horizon_days``; long enough for any statutory
#: timescale (the longest, 45 working days, is about 65 calendar days) started near the
#: horizon, and for a 365-day look-ahead from the horizon.
SPAN_MARGIN_DAYS = 400

HOURS_PER_DAY = 24.0
_DAYS_PER_YEAR = 365


class CalendarSpan:
    """The working days and working windows of a run's span, the base of a ``WorkingCalendar``.

    Holds the tables precomputed from the calendar's rules, and answers questions about dates,
    conversions between model time and dates, and the windows or working days in a range. The
    parameters are those of :class:`~caseload_sim.calendar.WorkingCalendar`.
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
        #: deadlines already worked out, by (day of the start, working days): every piece of
        #: work asks for one, and a day's contacts all ask the same questions
        self._deadline_by_day: dict[tuple[int, float], float] = {}

        if kind == "continuous":
            # day_start_hour / hours_per_day are documented as ignored, so not validated.
            self._day_start_hour = 0.0
            self._hours_per_day = HOURS_PER_DAY
            self._init_empty_arrays()
            return

        dsh = float(day_start_hour)
        hpd = float(hours_per_day)
        if not (math.isfinite(hpd) and 0.0 < hpd <= HOURS_PER_DAY):
            raise ValueError(f"hours_per_day must satisfy 0 < hours_per_day <= 24, got {hpd!r}")
        if not (math.isfinite(dsh) and dsh >= 0.0):
            raise ValueError(f"day_start_hour must be a finite number >= 0, got {dsh!r}")
        if dsh + hpd > HOURS_PER_DAY:
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
        self._starts_arr = self._wd_days_arr + dsh / HOURS_PER_DAY
        self._ends_arr = self._wd_days_arr + (dsh + hpd) / HOURS_PER_DAY
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
