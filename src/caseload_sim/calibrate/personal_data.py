"""Keeping personal data out of everything calibration writes or says.

Names, addresses and other personal columns are never read: their headings are known only so
that a heading row can be recognised by them and they can be skipped on purpose. The date of
birth is read only to check that no event comes before it, then forgotten.

A problem quotes an offending value only when it is shaped like a date, a short number or a
known placeholder ("Unknown", "#N/A"): anything else might be a name misplaced in the wrong
column, so it is described, not quoted. Exception messages quote headings, sheet names and file
names only.
"""

from __future__ import annotations

import re

from caseload_sim.calibrate.columns import PERSONAL_HEADINGS, normalise_heading

#: Personal headings, as :func:`~caseload_sim.calibrate.columns.normalise_heading` gives them.
PERSONAL = frozenset(normalise_heading(heading) for heading in PERSONAL_HEADINGS)
#: Headings of the date of birth, the one personal column that is read (and then forgotten).
BIRTH = frozenset(normalise_heading(h) for h in ("Date of Birth", "DOB", "D.O.B."))
#: How a problem text refers to a value it does not quote.
NOT_SHOWN = "not shown here, as it may be personal data"

_MONTH = (
    r"(?:jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|"
    r"sept|september|oct|october|nov|november|dec|december)"
)
_SHOWABLE = (
    # dates and date-times: 31/02/2010, 2010-02-31, 01.02.10 12:00
    re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(?:[ t][\d:.]{1,15}(?:z|[+\-]\d\d:?\d\d)?)?"),
    re.compile(rf"(?:\d{{1,2}}[ \-/]?)?{_MONTH}[ \-/,]*\d{{2,4}}"),
    re.compile(r"\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?"),
    # spreadsheet errors
    re.compile(r"#[a-z0-9/]{1,7}[!?]?"),
    # placeholders
    re.compile(
        r"unknown|not known|n/?a|tbc|tbd|null|none|nil|missing|not recorded|not applicable|"
        r"pending|maybe|unsure|not sure|other|ongoing|in progress|not stated|refused|declined|"
        r"nk|yes|no|y|n|true|false|x|\?|-+|\.+"
    ),
)
# Short numbers only: a long one might be a phone or NHS number in the wrong column.
_SHOWABLE_NUMBER = re.compile(r"[+\-]?\d[\d,]*(?:\.\d+)?(?:e[+\-]?\d+)?")
# Person ids in case systems are often 6-8 digits: longer numbers are not quoted.
_MAX_SHOWN_DIGITS = 5


def quoted(text: str) -> str | None:
    """A cell's text in quotes for a problem text, or ``None`` if it might be personal data.

    ``text`` is the cell as :func:`~caseload_sim.calibrate.cells.cell_text` shows it."""
    if len(text) > 40:
        return None
    lower = text.lower()
    if _SHOWABLE_NUMBER.fullmatch(lower):
        return f"'{text}'" if sum(ch.isdigit() for ch in text) <= _MAX_SHOWN_DIGITS else None
    if any(pattern.fullmatch(lower) for pattern in _SHOWABLE):
        return f"'{text}'"
    return None


def described(text: str) -> str:
    """A cell's text for a problem text: quoted if it cannot be personal data, else only
    described."""
    shown = quoted(text)
    return f"value {shown}" if shown else f"the value ({NOT_SHOWN})"
