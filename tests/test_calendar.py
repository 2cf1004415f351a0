"""Tests for caseload_sim.calendar: England working days, working-time arithmetic, deadlines."""

from __future__ import annotations

import datetime as dt
import math

import holidays
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from caseload_sim.calendar import SPAN_MARGIN_DAYS, WorkingCalendar

START = dt.date(2010, 4, 1)  # a Thursday, the day before Good Friday 2010
HORIZON = 3 * 365.0
HPD = 7.4

ENG = WorkingCalendar("england", START, HORIZON, day_start_hour=9.0, hours_per_day=HPD)
# A different window, to catch any hidden dependence on the default 09:00 / 7.4 h.
ENG_EARLY = WorkingCalendar("england", START, HORIZON, day_start_hour=7.5, hours_per_day=10.25)
# Whole-day windows on working days: consecutive windows touch (end == next start).
ENG_FULL = WorkingCalendar("england", START, HORIZON, day_start_hour=0.0, hours_per_day=24.0)
CONT = WorkingCalendar("continuous", START, HORIZON)

ENGLAND_CALENDARS = [ENG, ENG_EARLY, ENG_FULL]
ALL_CALENDARS = [*ENGLAND_CALENDARS, CONT]
# Windows ending before midnight: the deadline instant then falls on the deadline date.
DEADLINE_CALENDARS = [ENG, ENG_EARLY]

# Inputs stay well inside the span so that results (deadlines, advances) also fit.
times = st.floats(min_value=0.0, max_value=HORIZON, allow_nan=False, allow_infinity=False)
# 1500 h is ~200 working days, so advances from the horizon stay inside the 400-day margin.
hours_st = st.floats(min_value=1e-6, max_value=1500.0, allow_nan=False, allow_infinity=False)
calendars = st.sampled_from(ALL_CALENDARS)
england_calendars = st.sampled_from(ENGLAND_CALENDARS)


def at(cal: WorkingCalendar, d: dt.date, hour: float = 0.0) -> float:
    """Model time of clock ``hour`` on date ``d``."""
    return cal.from_date(d) + hour / 24.0


def assert_same_instant(actual: dt.datetime, expected: dt.datetime) -> None:
    # to_datetime rounds to microseconds, and window ends are not exact in binary.
    assert abs(actual - expected) < dt.timedelta(milliseconds=1), (actual, expected)


# ---------------------------------------------------------------------------
# Construction and validation
# ---------------------------------------------------------------------------


def test_attributes() -> None:
    assert ENG.kind == "england"
    assert ENG.start_date == START
    assert ENG.hours_per_day == HPD
    assert ENG.day_start_hour == 9.0
    assert CONT.kind == "continuous"
    assert CONT.hours_per_day == 24.0
    assert ENG.span_end == math.ceil(HORIZON) + SPAN_MARGIN_DAYS


def test_continuous_ignores_window_parameters() -> None:
    cal = WorkingCalendar("continuous", START, 10.0, day_start_hour=30.0, hours_per_day=-1.0)
    assert cal.hours_per_day == 24.0


@pytest.mark.parametrize(
    ("day_start_hour", "hours_per_day", "match"),
    [
        (9.0, 0.0, "hours_per_day"),
        (9.0, -1.0, "hours_per_day"),
        (0.0, 24.5, "hours_per_day"),
        (9.0, math.nan, "hours_per_day"),
        (-1.0, 7.4, "day_start_hour"),
        (17.0, 7.5, "midnight"),
        (0.5, 24.0, "midnight"),
    ],
)
def test_invalid_window_rejected(day_start_hour: float, hours_per_day: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        WorkingCalendar("england", START, 10.0, day_start_hour, hours_per_day)


def test_window_may_end_exactly_at_midnight() -> None:
    cal = WorkingCalendar("england", START, 10.0, day_start_hour=16.6, hours_per_day=7.4)
    assert cal.window_end(at(cal, START, 17.0)) == cal.from_date(START) + 1.0


def test_invalid_kind_horizon_and_start_date() -> None:
    with pytest.raises(ValueError, match="kind"):
        WorkingCalendar("wales", START, 10.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="horizon_days"):
        WorkingCalendar("england", START, -1.0)
    with pytest.raises(ValueError, match="horizon_days"):
        WorkingCalendar("england", START, math.inf)
    with pytest.raises(TypeError, match="start_date"):
        WorkingCalendar("england", dt.datetime(2010, 4, 1, 9), 10.0)


# ---------------------------------------------------------------------------
# Working days
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "d",
    [
        dt.date(2010, 4, 2),  # Good Friday
        dt.date(2010, 4, 5),  # Easter Monday
        dt.date(2010, 5, 3),  # Early May
        dt.date(2010, 5, 31),  # Spring
        dt.date(2010, 8, 30),  # Summer
        dt.date(2010, 12, 27),  # Christmas Day (substitute)
        dt.date(2010, 12, 28),  # Boxing Day (substitute)
        dt.date(2011, 1, 3),  # New Year's Day (substitute)
        dt.date(2011, 4, 29),  # Royal wedding, a one-off
    ],
)
def test_bank_holidays_are_not_working_days(d: dt.date) -> None:
    assert d.weekday() < 5  # a weekday, so only the holiday rule excludes it
    assert not ENG.is_working_day(d)
    assert CONT.is_working_day(d)


@pytest.mark.parametrize("d", [dt.date(2022, 6, 2), dt.date(2022, 9, 19), dt.date(2023, 5, 8)])
def test_one_off_bank_holidays_2022_2023(d: dt.date) -> None:
    cal = WorkingCalendar("england", dt.date(2022, 1, 1), 730.0)
    assert not cal.is_working_day(d)


def test_weekends_are_not_working_days() -> None:
    assert not ENG.is_working_day(dt.date(2010, 4, 3))  # Saturday
    assert not ENG.is_working_day(dt.date(2010, 4, 4))  # Sunday
    assert ENG.is_working_day(dt.date(2010, 4, 1))  # Thursday
    assert ENG.is_working_day(dt.date(2010, 4, 6))  # Tuesday after Easter Monday


def test_working_days_match_holidays_package() -> None:
    last = ENG.to_date(ENG.span_end - 0.5)
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(START.year, last.year + 1))
    d = START
    while d <= last:
        assert ENG.is_working_day(d) == (d.weekday() < 5 and d not in bank), d
        d += dt.timedelta(days=1)


def test_working_days_in_year_from_independent_count() -> None:
    bank = holidays.country_holidays("GB", subdiv="ENG", years=[2010, 2011])
    days = [START + dt.timedelta(days=i) for i in range(365)]
    expected = sum(1 for d in days if d.weekday() < 5 and d not in bank)
    assert expected == 253  # 261 weekdays less 8 weekday bank holidays in 2010-11
    assert ENG.working_days_in_year_from(START) == expected
    assert CONT.working_days_in_year_from(START) == 365


def test_dates_outside_span_raise() -> None:
    with pytest.raises(ValueError, match="outside"):
        ENG.is_working_day(dt.date(2010, 3, 31))
    with pytest.raises(ValueError, match="outside"):
        ENG.is_working_day(START + dt.timedelta(days=int(ENG.span_end)))
    with pytest.raises(ValueError, match="outside"):
        ENG.working_days_in_year_from(ENG.to_date(ENG.span_end - 100))


# ---------------------------------------------------------------------------
# Conversions
# ---------------------------------------------------------------------------


def test_conversions() -> None:
    assert ENG.from_date(START) == 0.0
    assert ENG.from_date(dt.date(2010, 4, 2)) == 1.0
    assert ENG.to_date(0.0) == START
    assert ENG.to_date(0.999999) == START
    assert ENG.to_date(1.0) == dt.date(2010, 4, 2)
    assert ENG.to_datetime(1.5) == dt.datetime(2010, 4, 2, 12)
    with pytest.raises(ValueError, match="finite"):
        ENG.to_date(math.nan)


# ---------------------------------------------------------------------------
# Windows
# ---------------------------------------------------------------------------


def test_next_working_start_skips_weekend_and_bank_holiday() -> None:
    friday_evening = at(ENG, dt.date(2010, 5, 28), 18.0)  # Monday 31 May is a bank holiday
    assert_same_instant(
        ENG.to_datetime(ENG.next_working_start(friday_evening)), dt.datetime(2010, 6, 1, 9)
    )
    assert_same_instant(
        ENG.to_datetime(ENG.window_end(friday_evening)), dt.datetime(2010, 6, 1, 16, 24)
    )


def test_window_boundaries_are_half_open() -> None:
    start = ENG.next_working_start(at(ENG, START, 3.0))
    end = ENG.window_end(start)
    assert ENG.next_working_start(start) == start
    assert ENG.window_end(start) == end
    # Exactly at the end: outside this window, so both move to the next working day.
    nxt = ENG.next_working_start(end)
    assert ENG.to_date(nxt) == dt.date(2010, 4, 6)
    assert ENG.window_end(end) > nxt
    assert ENG.working_hours_between(start, end) == pytest.approx(HPD)


def test_touching_windows_are_continuous() -> None:
    monday = at(ENG_FULL, dt.date(2010, 4, 12))
    tuesday = monday + 1.0
    assert ENG_FULL.window_end(monday) == tuesday
    assert ENG_FULL.next_working_start(tuesday) == tuesday
    assert ENG_FULL.working_hours_between(monday, tuesday + 0.5) == pytest.approx(36.0)


def test_working_windows_and_dates() -> None:
    t0 = at(ENG, START, 12.0)  # Thursday noon
    t1 = at(ENG, dt.date(2010, 4, 7), 10.0)  # Wednesday 10:00
    starts, ends = ENG.working_windows(t0, t1)
    assert len(starts) == len(ends) == 3  # Thu (from noon), Tue, Wed (to 10:00)
    assert starts[0] == t0
    assert ends[-1] == t1
    assert float(np.sum(ends - starts)) * 24 == pytest.approx(ENG.working_hours_between(t0, t1))
    assert ENG.working_day_dates(t0, t1) == [dt.date(2010, 4, 6), dt.date(2010, 4, 7)]
    assert ENG.working_day_dates(at(ENG, START), t1)[0] == START
    empty_s, empty_e = ENG.working_windows(t1, t0)
    assert empty_s.size == empty_e.size == 0


# ---------------------------------------------------------------------------
# Working-time arithmetic
# ---------------------------------------------------------------------------


def test_advance_over_easter() -> None:
    t = at(ENG, START, 10.0)  # Thursday 10:00; Friday and Monday are bank holidays
    assert_same_instant(
        ENG.to_datetime(ENG.advance_working_hours(t, HPD)), dt.datetime(2010, 4, 6, 10)
    )
    # Work that fits today ends at close of play, not the next morning.
    assert_same_instant(
        ENG.to_datetime(ENG.advance_working_hours(t, 6.4)), dt.datetime(2010, 4, 1, 16, 24)
    )
    assert ENG.advance_working_hours(t, 6.4) == ENG.window_end(t)
    # Zero hours leaves even an out-of-hours time alone.
    assert ENG.advance_working_hours(at(ENG, START, 20.0), 0.0) == at(ENG, START, 20.0)


def test_advance_rejects_negative_hours() -> None:
    with pytest.raises(ValueError, match="hours"):
        ENG.advance_working_hours(1.0, -0.1)


def test_elapsed_working_days_across_weekend_and_bank_holiday() -> None:
    # Friday 30 April -> Tuesday 4 May 2010: Sat, Sun, Early May bank holiday, then Tuesday.
    t0 = at(ENG, dt.date(2010, 4, 30), 15.0)
    assert ENG.elapsed_working_days(t0, at(ENG, dt.date(2010, 5, 3), 23.0)) == 0.0
    assert ENG.elapsed_working_days(t0, at(ENG, dt.date(2010, 5, 4), 0.5)) == 1.0
    assert ENG.elapsed_working_days(t0, at(ENG, dt.date(2010, 5, 7), 12.0)) == 4.0
    # Thursday 1 April -> Tuesday 6 April: Good Friday, weekend, Easter Monday.
    assert ENG.elapsed_working_days(at(ENG, START, 9.5), at(ENG, dt.date(2010, 4, 6), 9.5)) == 1.0
    # The referral's own day never counts, even when t1 is later that day.
    assert ENG.elapsed_working_days(at(ENG, START, 9.0), at(ENG, START, 16.0)) == 0.0
    assert ENG.elapsed_working_days(5.0, 2.0) == 0.0


def test_deadline_seven_working_days_after_referral() -> None:
    # Referral Thursday 1 April 2010. Working days after it: Tue 6, Wed 7, Thu 8, Fri 9,
    # Mon 12, Tue 13, Wed 14 April -> the 7th is Wednesday 14 April, window ends 16:24.
    t0 = at(ENG, START, 10.0)
    d = ENG.deadline(t0, 7)
    assert_same_instant(ENG.to_datetime(d), dt.datetime(2010, 4, 14, 16, 24))
    assert ENG.elapsed_working_days(t0, d) == 7.0
    assert ENG.elapsed_working_days(t0, ENG.next_working_start(d)) == 8.0
    assert ENG.deadline(t0, 7.0) == d


def test_deadline_over_christmas() -> None:
    t0 = at(ENG, dt.date(2010, 12, 23), 11.0)  # Thursday; 27 and 28 Dec are substitutes
    assert ENG.to_date(ENG.deadline(t0, 1)) == dt.date(2010, 12, 24)
    assert ENG.to_date(ENG.deadline(t0, 2)) == dt.date(2010, 12, 29)


def test_deadline_zero_days() -> None:
    # Working day, even after hours: end of the same day's window.
    late = at(ENG, dt.date(2010, 4, 6), 20.0)
    assert ENG.deadline(late, 0) == ENG.window_end(at(ENG, dt.date(2010, 4, 6), 9.0))
    # Non-working day (Saturday): end of the next working day's window, same as n = 1.
    saturday = at(ENG, dt.date(2010, 4, 3), 11.0)
    assert ENG.to_date(ENG.deadline(saturday, 0)) == dt.date(2010, 4, 6)
    assert ENG.deadline(saturday, 0) == ENG.deadline(saturday, 1)


def test_deadline_rejects_bad_counts() -> None:
    with pytest.raises(ValueError, match="whole number"):
        ENG.deadline(1.0, 2.5)
    with pytest.raises(ValueError, match=">= 0"):
        ENG.deadline(1.0, -1)
    assert CONT.deadline(1.0, 2.5) == 3.5


def test_beyond_span_raises_value_error() -> None:
    end = ENG.span_end
    for call in (
        lambda: ENG.next_working_start(end + 1.0),
        lambda: ENG.window_end(end - 0.01),
        lambda: ENG.advance_working_hours(end - 30.0, 10_000.0),
        lambda: ENG.deadline(end - 10.0, 45),
        lambda: ENG.elapsed_working_days(0.0, end),
        lambda: ENG.working_hours_between(0.0, end + 1.0),
        lambda: ENG.next_working_start(-0.5),
        lambda: ENG.next_working_start(math.nan),
        lambda: CONT.advance_working_hours(end - 1.0, 48.0),
        lambda: CONT.deadline(end - 1.0, 2),
    ):
        with pytest.raises(ValueError, match="span"):
            call()


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@settings(max_examples=300)
@given(cal=calendars, t=times, h=hours_st)
def test_advance_inverts_working_hours_between(cal: WorkingCalendar, t: float, h: float) -> None:
    r = cal.advance_working_hours(t, h)
    assert r >= t
    assert cal.working_hours_between(t, r) == pytest.approx(h, rel=1e-9, abs=1e-6)
    # Earliest such time: r is never outside a window unless it is a window end.
    if cal.kind == "england":
        assert cal.next_working_start(r) == r or r == cal.window_end(r - 1e-9)


@settings(max_examples=300)
@given(cal=calendars, t=times)
def test_next_working_start_idempotent(cal: WorkingCalendar, t: float) -> None:
    s = cal.next_working_start(t)
    assert s >= t
    assert cal.next_working_start(s) == s
    assert cal.window_end(s) > s
    assert cal.is_working_day(cal.to_date(s))
    # Nothing between t and s is working time.
    assert cal.working_hours_between(t, s) == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=300)
@given(cal=calendars, a=times, b=times, c=times)
def test_working_hours_additive(cal: WorkingCalendar, a: float, b: float, c: float) -> None:
    a, b, c = sorted((a, b, c))
    total = cal.working_hours_between(a, c)
    assert cal.working_hours_between(a, b) + cal.working_hours_between(b, c) == pytest.approx(
        total, abs=1e-6
    )
    assert 0.0 <= total <= (c - a) * 24 + 1e-9


@settings(max_examples=200)
@given(cal=calendars, t0=times, span=st.floats(min_value=0.0, max_value=60.0))
def test_windows_sum_to_working_hours(cal: WorkingCalendar, t0: float, span: float) -> None:
    t1 = t0 + span
    starts, ends = cal.working_windows(t0, t1)
    assert np.all(ends > starts)
    assert np.all(starts >= t0) and np.all(ends <= t1)
    assert float(np.sum(ends - starts)) * 24 == pytest.approx(
        cal.working_hours_between(t0, t1), abs=1e-6
    )
    for d in cal.working_day_dates(t0, t1):
        assert cal.is_working_day(d)


@settings(max_examples=300)
@given(cal=st.sampled_from(DEADLINE_CALENDARS), t0=times, n=st.integers(min_value=1, max_value=45))
def test_deadline_is_last_moment_within_n_working_days(
    cal: WorkingCalendar, t0: float, n: int
) -> None:
    d = cal.deadline(t0, n)
    assert d > t0
    assert cal.elapsed_working_days(t0, d) == n
    assert cal.is_working_day(cal.to_date(d))
    assert d == cal.window_end(d - 1e-9)  # a window end
    # One moment later, i.e. the next working window, is one working day too many.
    assert cal.elapsed_working_days(t0, cal.next_working_start(d)) == n + 1


@settings(max_examples=200)
@given(cal=st.sampled_from(DEADLINE_CALENDARS), t0=times)
def test_deadline_zero_on_working_day(cal: WorkingCalendar, t0: float) -> None:
    assume(cal.is_working_day(cal.to_date(t0)))
    d = cal.deadline(t0, 0)
    assert cal.to_date(d) == cal.to_date(t0)
    assert cal.elapsed_working_days(t0, d) == 0


@settings(max_examples=200)
@given(cal=england_calendars, t0=times, t1=times)
def test_elapsed_working_days_counts_dates(cal: WorkingCalendar, t0: float, t1: float) -> None:
    assume(t1 - t0 < 40)
    expected = 0
    d = cal.to_date(t0) + dt.timedelta(days=1)
    while d <= cal.to_date(t1):
        expected += cal.is_working_day(d)
        d += dt.timedelta(days=1)
    assert cal.elapsed_working_days(t0, t1) == expected


@settings(max_examples=200)
@given(t0=times, t1=times, h=hours_st, n=st.floats(min_value=0.0, max_value=60.0))
def test_continuous_is_plain_arithmetic(t0: float, t1: float, h: float, n: float) -> None:
    assert CONT.next_working_start(t0) == t0
    assert CONT.window_end(t0) == math.floor(t0) + 1
    assert CONT.working_hours_between(t0, t1) == pytest.approx(max(t1 - t0, 0.0) * 24)
    assert CONT.advance_working_hours(t0, h) == pytest.approx(t0 + h / 24)
    assert CONT.elapsed_working_days(t0, t1) == pytest.approx(max(t1 - t0, 0.0))
    assert CONT.deadline(t0, n) == pytest.approx(t0 + n)
    assert CONT.is_working_day(CONT.to_date(t0))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0.0, HORIZON, allow_nan=False), st.floats(0.0, HORIZON, allow_nan=False)
        ),
        min_size=1,
        max_size=30,
    )
)
def test_elapsed_working_days_array_matches_the_scalar_rule(
    pairs: list[tuple[float, float]],
) -> None:
    t0 = np.array([a for a, _ in pairs])
    t1 = np.array([b for _, b in pairs])
    for calendar in ALL_CALENDARS:
        expected = [calendar.elapsed_working_days(a, b) for a, b in pairs]
        assert calendar.elapsed_working_days_array(t0, t1).tolist() == pytest.approx(expected)
