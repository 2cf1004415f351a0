"""Reading one cell: dates in every accepted form (and the ones refused), yes/no answers, counts,
and the text a cell shows."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from caseload_sim.calibrate.cells import (
    EXCEL_1904_EPOCH,
    EXCEL_EPOCH,
    MAX_EXCEL_SERIAL,
    cell_text,
    count,
    date_of_birth,
    is_blank,
    parse_cell,
    read_date,
    yes_no,
)
from caseload_sim.calibrate.columns import LISTS, Column

DAY = dt.date(2010, 2, 1)
SERIAL = (DAY - EXCEL_EPOCH).days  # 40210
AS_OF = dt.date(2011, 3, 31)
BORN = dt.date(2008, 3, 17)
ACCEPTED = "(expected dd/mm/yyyy, yyyy-mm-dd or an Excel date)"
NOT_SHOWN = "the value (not shown here, as it may be personal data)"
COLUMNS: dict[str, Column] = {c.name: c for lst in LISTS.values() for c in lst.columns}


@pytest.mark.parametrize(
    "value",
    [
        "01/02/2010",
        "1/2/2010",
        " 01/02/2010 ",
        "01.02.2010",
        "01-02-2010",
        "01/02/2010 09:30",
        "01/02/2010 09:30:15",
        "01/02/2010T09:30:15.25",
        "2010-02-01",
        "2010-2-1",
        "2010-02-01 09:30",
        "2010-02-01T09:30:00",
        "2010-02-01T09:30:00Z",
        "2010-02-01T09:30:00+01:00",
        SERIAL,
        float(SERIAL) + 0.75,
        str(SERIAL),
        f"{SERIAL}.5",
        DAY,
        dt.datetime(2010, 2, 1, 17, 45),
    ],
)
def test_every_accepted_date_form(value: Any) -> None:
    assert read_date(value, EXCEL_EPOCH) == (DAY, None)


def test_excel_date_numbers_count_from_the_workbooks_own_day_0() -> None:
    assert read_date(1, EXCEL_EPOCH) == (dt.date(1899, 12, 31), None)
    assert read_date(SERIAL, EXCEL_1904_EPOCH) == (EXCEL_1904_EPOCH + dt.timedelta(SERIAL), None)
    assert read_date(MAX_EXCEL_SERIAL, EXCEL_EPOCH) == (dt.date(9999, 12, 31), None)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("30/02/2010", "date '30/02/2010' is not a real date (expected dd/mm/yyyy)"),
        ("2010-13-01", "date '2010-13-01' is not a real date (expected dd/mm/yyyy)"),
        ("01/02/10", f"date '01/02/10' is not in a format that can be read {ACCEPTED}"),
        ("2010/02/01", f"date '2010/02/01' is not in a format that can be read {ACCEPTED}"),
        ("Feb 2010", f"date 'Feb 2010' is not in a format that can be read {ACCEPTED}"),
        (True, f"date 'TRUE' is not in a format that can be read {ACCEPTED}"),
        (
            0,
            f"date '0' is not a date: as an Excel date number it must be between 1 and "
            f"{MAX_EXCEL_SERIAL} {ACCEPTED}",
        ),
        (
            "-5",
            f"date '-5' is not in a format that can be read {ACCEPTED}",
        ),
        (
            -5,
            f"date '-5' is not a date: as an Excel date number it must be between 1 and "
            f"{MAX_EXCEL_SERIAL} {ACCEPTED}",
        ),
        (dt.time(9, 30), f"a time, not a date {ACCEPTED}"),
        (dt.timedelta(days=1), f"a time, not a date {ACCEPTED}"),
        # Not quoted: a word or a long number might be a name or an NHS number.
        ("yesterday", f"{NOT_SHOWN} is not a date {ACCEPTED}"),
        (MAX_EXCEL_SERIAL + 1, f"{NOT_SHOWN} is not a date {ACCEPTED}"),
        (math.inf, f"{NOT_SHOWN} is not a date {ACCEPTED}"),
    ],
)
def test_dates_that_cannot_be_read_say_why(value: Any, problem: str) -> None:
    assert read_date(value, EXCEL_EPOCH) == (None, problem)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("01/02/2012", "date '01/02/2012' is in the future (after 31/03/2011, the extract date)"),
        (
            SERIAL + 800,
            f"date '{SERIAL + 800}' (Excel date 11/04/2012) is in the future (after 31/03/2011, "
            "the extract date)",
        ),
        (
            dt.date(1600, 1, 1),
            "date '01/01/1600' is outside the years 1678 to 2261 that can be used",
        ),
        ("01/02/2007", "date '01/02/2007' is more than 40 weeks before the child's date of birth"),
    ],
)
def test_dates_that_cannot_be_used(value: Any, problem: str) -> None:
    assert parse_cell(COLUMNS["contact_date"], value, EXCEL_EPOCH, AS_OF, BORN) == (None, problem)


def test_dates_up_to_40_weeks_before_birth_are_pre_birth_work() -> None:
    earliest = BORN - dt.timedelta(weeks=40)
    column = COLUMNS["contact_date"]
    assert parse_cell(column, earliest, EXCEL_EPOCH, AS_OF, BORN) == (earliest, None)
    before = earliest - dt.timedelta(days=1)
    assert parse_cell(column, before, EXCEL_EPOCH, AS_OF, BORN)[0] is None
    assert parse_cell(column, before, EXCEL_EPOCH, AS_OF, None) == (before, None)


@pytest.mark.parametrize("value", [None, "", "   ", math.nan])
def test_blank_cells_are_neither_a_value_nor_a_problem(value: Any) -> None:
    assert is_blank(value)
    for column in COLUMNS.values():
        assert parse_cell(column, value, EXCEL_EPOCH, AS_OF, BORN) == (None, None)


@pytest.mark.parametrize("value", [0, 0.0, "0", "x", False])
def test_cells_that_are_not_blank(value: Any) -> None:
    assert not is_blank(value)


@pytest.mark.parametrize(
    ("value", "answer"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (1.0, True),
        (0.0, False),
        ("Yes", True),
        (" yes ", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("1.0", True),
        ("No", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("0.0", False),
        ("maybe", None),
        ("Unknown", None),
        (2, None),
        ("", None),
        (None, None),
        (DAY, None),
    ],
)
def test_yes_no(value: Any, answer: bool | None) -> None:
    assert yes_no(value) is answer


def test_a_cell_that_is_not_yes_or_no() -> None:
    column = COLUMNS["referral_nfa"]
    expected = (
        "is not yes or no (expected a) Yes, b) No or c) Unknown, Yes/No, Y/N, True/False or 1/0)"
    )
    assert parse_cell(column, "maybe", EXCEL_EPOCH, AS_OF, BORN) == (
        None,
        f"value 'maybe' {expected}",
    )
    assert parse_cell(column, "Zebedee", EXCEL_EPOCH, AS_OF, BORN) == (
        None,
        f"{NOT_SHOWN} {expected}",
    )
    assert parse_cell(column, "Y", EXCEL_EPOCH, AS_OF, BORN) == (True, None)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (0, 0),
        (3, 3),
        (3.0, 3),
        ("3", 3),
        (" +2 ", 2),
        ("4.0", 4),
        ("4.00", 4),
        (-1, None),
        (2.5, None),
        ("2.5", None),
        ("-1", None),
        ("three", None),
        (True, None),
        (math.inf, None),
        (math.nan, None),
        (None, None),
    ],
)
def test_count(value: Any, number: int | None) -> None:
    assert count(value) == number


def test_a_cell_that_is_not_a_count() -> None:
    column = COLUMNS["referrals_last_12_months"]
    expected = "is not a count (expected a whole number, 0 or more)"
    assert parse_cell(column, "2.5", EXCEL_EPOCH, AS_OF, BORN) == (None, f"value '2.5' {expected}")
    assert parse_cell(column, "lots", EXCEL_EPOCH, AS_OF, BORN) == (None, f"{NOT_SHOWN} {expected}")
    assert parse_cell(column, " 3 ", EXCEL_EPOCH, AS_OF, BORN) == (3, None)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Police ", "Police"),
        (3.0, "3"),
        (2.5, "2.5"),
        (7, "7"),
        (True, "TRUE"),
        (False, "FALSE"),
        (DAY, "01/02/2010"),
        (dt.datetime(2010, 2, 1), "01/02/2010"),
        (dt.datetime(2010, 2, 1, 9, 30), "01/02/2010 09:30:00"),
    ],
)
def test_cell_text_is_what_a_spreadsheet_shows(value: Any, text: str) -> None:
    assert cell_text(value) == text


def test_codes_and_ids_are_read_as_text() -> None:
    assert parse_cell(COLUMNS["allocated_team"], " North ", EXCEL_EPOCH, AS_OF, BORN) == (
        "North",
        None,
    )
    assert parse_cell(COLUMNS["child_id"], 1234.0, EXCEL_EPOCH, AS_OF, BORN) == ("1234", None)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (" Police ", "6"),
        ("q) 6: Police", "6"),
        ("6: Police", "6"),
        (6, "6"),
        (6.0, "6"),
        ("POLICE", "6"),
        ("e) 2A: Schools", "2A"),
        ("School", "2A"),
        ("3c", "3C"),
        ("HEALTH SERVICES \u2013 school nurse", "3C"),
        ("p1) 5D: LA services", "5D"),
        ("Early help", "5D"),
        ("OTHER LEGAL AGENCY \u2013 including courts", "7"),
        ("s) 8: Other", "8"),
        ("u) 10: Unknown", "10"),
    ],
)
def test_a_source_is_read_as_its_census_code(value: Any, code: str) -> None:
    assert parse_cell(COLUMNS["contact_source"], value, EXCEL_EPOCH, AS_OF, BORN) == (code, None)


def test_a_source_that_is_none_of_the_codes_is_a_problem() -> None:
    value, problem = parse_cell(COLUMNS["referral_source"], "maybe", EXCEL_EPOCH, AS_OF, BORN)
    assert value is None
    assert problem is not None and problem.startswith("value 'maybe' is not a source")


@pytest.mark.parametrize(
    ("value", "answer"),
    [
        ("a) Yes", True),
        ("b) No", False),
        ("A) YES", True),
        ("NONE", False),
        ("MOB", True),
        ("AUT, LD", True),
        ("c) Unknown", None),
        ("Not known", None),
    ],
)
def test_a_disability_is_a_yes_no_answer_or_census_codes(value: Any, answer: bool | None) -> None:
    assert parse_cell(COLUMNS["disability"], value, EXCEL_EPOCH, AS_OF, BORN) == (answer, None)


def test_an_unknown_answer_is_no_answer_and_no_problem() -> None:
    for value in ("c) Unknown", "Unknown", "not known", "NK"):
        assert parse_cell(COLUMNS["referral_nfa"], value, EXCEL_EPOCH, AS_OF, BORN) == (None, None)
    assert parse_cell(COLUMNS["cp_plan"], "b) No", EXCEL_EPOCH, AS_OF, BORN) == (False, None)


def test_a_date_of_birth_is_read_if_it_can_be_and_otherwise_ignored() -> None:
    assert date_of_birth("17/03/2008", EXCEL_EPOCH) == BORN
    assert date_of_birth(None, EXCEL_EPOCH) is None
    assert date_of_birth("not known", EXCEL_EPOCH) is None
