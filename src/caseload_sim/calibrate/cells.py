"""Reading one cell of a list: blank or not, its text, and its value as the column's kind wants
it: a date, a yes/no answer or a count.

Dates are accepted as dd/mm/yyyy (or with dots or dashes), yyyy-mm-dd, with or without a time,
as Excel date numbers (in the workbook's own date system) and as real spreadsheet dates. Yes/no
answers are accepted as Yes/No, Y/N, True/False or 1/0, in any case. A count is a whole number,
0 or more. Whatever cannot be read comes back with what is wrong, in words that never quote a
value that might be personal data (:mod:`~caseload_sim.calibrate.personal_data`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from caseload_sim.calibrate.code_sets import disability, is_unknown, source, yes_no
from caseload_sim.calibrate.columns import Column
from caseload_sim.calibrate.personal_data import NOT_SHOWN, described, quoted

#: Day 0 of Excel's 1900 date system (so that serial 1 is 31/12/1899 and 40210 is 01/02/2010).
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Day 0 of the 1904 date system of old Mac workbooks.
EXCEL_1904_EPOCH = dt.date(1904, 1, 1)
#: The largest Excel serial (31/12/9999).
MAX_EXCEL_SERIAL = 2958465
#: Work with an unborn child (pre-birth assessments and conferences) is recorded against the
#: expected date of birth: dates up to a full-term pregnancy (40 weeks) before it are real.
PRE_BIRTH_DAYS = 280
#: The dates a pandas ``datetime64[ns]`` column can hold (with a margin).
_EARLIEST, _LATEST = dt.date(1678, 1, 1), dt.date(2261, 12, 31)

_ACCEPTED_DATES = "expected dd/mm/yyyy, yyyy-mm-dd or an Excel date"

_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[zZ]|[+\-]\d{2}:?\d{2})?)?"
)
_SERIAL = re.compile(r"\d+(?:\.\d+)?")
_COUNT = re.compile(r"\+?(\d+)(?:\.0*)?")


def is_blank(value: Any) -> bool:
    """Whether a cell is empty: nothing, only spaces, or a missing number."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def cell_text(value: Any) -> str:
    """A cell as text, as a spreadsheet would show it: whole numbers without ".0", dates as
    dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M:%S}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


def parse_cell(
    column: Column, value: Any, epoch: dt.date, as_of: dt.date, born: dt.date | None
) -> tuple[Any, str | None]:
    """A cell's value for its column: ``(value, None)``, ``(None, None)`` for a blank cell, or
    ``(None, what is wrong)``.

    Parameters
    ----------
    epoch
        Day 0 of the workbook's date system (:data:`EXCEL_EPOCH` or :data:`EXCEL_1904_EPOCH`).
    as_of
        The extract date: later dates are in the future.
    born
        The child's date of birth, if known: dates well before it are wrong.
    """
    if is_blank(value):
        return None, None
    if column.kind == "date":
        return _check_date(value, epoch, as_of, born)
    if column.kind in ("yes_no", "disability"):
        if is_unknown(value):  # a valid answer that gives no answer
            return None, None
        answer = yes_no(value) if column.kind == "yes_no" else disability(value)
        if answer is None:
            codes = " or census disability codes (NONE, MOB, AUT...)" * (column.kind != "yes_no")
            return (
                None,
                f"{described(cell_text(value))} is not yes or no (expected a) Yes, b) No or "
                f"c) Unknown, Yes/No, Y/N, True/False or 1/0{codes})",
            )
        return answer, None
    if column.kind == "source":
        code = source(value)
        if code is None:
            return (
                None,
                f"{described(cell_text(value))} is not a source (expected a census source code "
                "such as 6, its coded answer such as 'q) 6: Police', or its name)",
            )
        return code, None
    if column.kind == "count":
        number = count(value)
        if number is None:
            return (
                None,
                f"{described(cell_text(value))} is not a count (expected a whole number, 0 or "
                "more)",
            )
        return number, None
    return cell_text(value), None


def _check_date(
    value: Any, epoch: dt.date, as_of: dt.date, born: dt.date | None
) -> tuple[dt.date | None, str | None]:
    day, problem = read_date(value, epoch)
    if day is None:
        return None, problem
    shown = quoted(cell_text(value)) or f"'{day:%d/%m/%Y}'"
    if isinstance(value, int | float) or (
        isinstance(value, str) and _SERIAL.fullmatch(value.strip())
    ):
        shown += f" (Excel date {day:%d/%m/%Y})"
    if day > as_of:
        return None, f"date {shown} is in the future (after {as_of:%d/%m/%Y}, the extract date)"
    if not _EARLIEST <= day <= _LATEST:
        return None, (
            f"date {shown} is outside the years {_EARLIEST.year} to {_LATEST.year} that can be used"
        )
    if born is not None and day < born - dt.timedelta(days=PRE_BIRTH_DAYS):
        return None, (
            f"date {shown} is more than {PRE_BIRTH_DAYS // 7} weeks before the child's date of "
            "birth"
        )
    return day, None


def read_date(value: Any, epoch: dt.date) -> tuple[dt.date | None, str | None]:
    """A cell that is not blank as a date, or what is wrong with it.

    ``epoch`` is day 0 of the workbook's date system, for Excel date numbers."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, _not_a_date(value)
    if isinstance(value, int | float):
        return _serial(float(value), value, epoch)
    text = value.strip()
    for pattern, order in ((_DMY, (4, 3, 1)), (_ISO, (1, 2, 3))):
        found = pattern.fullmatch(text)
        if found is not None:
            year, month, day = (int(found.group(i)) for i in order)
            try:
                return dt.date(year, month, day), None
            except ValueError:
                return None, f"date '{text}' is not a real date (expected dd/mm/yyyy)"
    if _SERIAL.fullmatch(text):
        return _serial(float(text), value, epoch)
    return None, _not_a_date(value)


def _serial(number: float, value: Any, epoch: dt.date) -> tuple[dt.date | None, str | None]:
    if math.isfinite(number) and 1 <= number <= MAX_EXCEL_SERIAL:
        try:
            return epoch + dt.timedelta(days=math.floor(number)), None
        except OverflowError:
            pass
    shown = quoted(cell_text(value))
    if shown is None:
        return None, _not_a_date(value)
    return None, (
        f"date {shown} is not a date: as an Excel date number it must be between 1 and "
        f"{MAX_EXCEL_SERIAL} ({_ACCEPTED_DATES})"
    )


def _not_a_date(value: Any) -> str:
    if isinstance(value, dt.time | dt.timedelta):
        return f"a time, not a date ({_ACCEPTED_DATES})"
    shown = quoted(cell_text(value))
    if shown is None:
        return f"the value ({NOT_SHOWN}) is not a date ({_ACCEPTED_DATES})"
    return f"date {shown} is not in a format that can be read ({_ACCEPTED_DATES})"


def date_of_birth(value: Any, epoch: dt.date) -> dt.date | None:
    """The date of birth if it can be read; otherwise nothing is checked against it (and, as it
    is not used for calibration, nothing is reported)."""
    if is_blank(value):
        return None
    day, _ = read_date(value, epoch)
    return day


def count(value: Any) -> int | None:
    """A count (a whole number, 0 or more, as a number or as text such as "3" or "+2"), or
    ``None`` if the cell is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() and value >= 0 else None
    if isinstance(value, str):
        found = _COUNT.fullmatch(value.strip())
        return int(found.group(1)) if found else None
    return None
