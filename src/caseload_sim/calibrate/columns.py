"""The Ofsted ILACS Annex A lists that calibration reads, and the columns it needs from each.

Annex A ("Annex A: data to be provided to inspectors", Ofsted, *Inspecting local authority
children's services*) asks for child-level lists in one workbook, one sheet per list, dates as
dd/mm/yyyy. Calibration needs only four lists and, from them, only dates, codes and the
allocated team and worker: names, addresses, dates of birth and other personal fields are never
read into the model, and never written anywhere.

Each column below has a canonical name (used in code), the heading Annex A gives it, other
headings councils are known to use, and its kind. Headings are matched loosely: case, spaces,
punctuation and a trailing "(dd/mm/yyyy)" are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["id", "date", "code", "yes_no", "disability", "source", "count"]


@dataclass(frozen=True)
class Column:
    """One column calibration reads."""

    name: str
    heading: str
    kind: ColumnKind
    required: bool = True
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnnexList:
    """One Annex A list: its number, its name, and the columns read from it."""

    number: int
    title: str
    columns: tuple[Column, ...]

    @property
    def key(self) -> str:
        return f"list_{self.number}"


_CHILD = Column(
    "child_id", "Child Unique ID", "id", aliases=("Child ID", "ID", "Child Unique Identifier")
)
_TEAM = Column("allocated_team", "Allocated Team", "code", required=False, aliases=("Team",))
_WORKER = Column(
    "allocated_worker",
    "Allocated Worker",
    "code",
    required=False,
    aliases=("Worker", "Social Worker"),
)

LIST_1 = AnnexList(
    1,
    "Contacts",
    (
        _CHILD,
        Column("contact_date", "Date of Contact", "date", aliases=("Contact Date",)),
        Column("contact_source", "Contact Source", "source", required=False, aliases=("Source",)),
    ),
)
LIST_3 = AnnexList(
    3,
    "Referrals",
    (
        _CHILD,
        Column("referral_date", "Date of referral", "date", aliases=("Referral Date",)),
        Column("referral_source", "Referral Source", "source", required=False, aliases=("Source",)),
        Column(
            "referral_nfa",
            "Referral NFA?",
            "yes_no",
            required=False,
            aliases=("Referral NFA", "NFA"),
        ),
        Column(
            "referrals_last_12_months",
            "Number of Referrals in Last 12 Months",
            "count",
            required=False,
            aliases=("Referrals in Last 12 Months", "Number of referrals in the last 12 months"),
        ),
        _TEAM,
        _WORKER,
    ),
)
LIST_4 = AnnexList(
    4,
    "Assessments",
    (
        _CHILD,
        Column(
            "assessment_start",
            "Continuous Assessment Start Date",
            "date",
            aliases=("Assessment Start Date", "Assessment Start"),
        ),
        Column(
            "assessment_authorised",
            "Continuous Assessment Date of Authorisation",
            "date",
            required=False,
            aliases=(
                "Assessment Authorisation Date",
                "Date of Authorisation",
                "Assessment Completed",
            ),
        ),
        Column(
            "disability",
            "Does the Child have a Disability",
            "disability",
            required=False,
            aliases=("Disability", "Disabled"),
        ),
        _TEAM,
        _WORKER,
    ),
)
LIST_5 = AnnexList(
    5,
    "Section 47 enquiries",
    (
        _CHILD,
        Column(
            "strategy_date",
            "Strategy discussion initiating Section 47 Enquiry Start Date",
            "date",
            aliases=("Strategy Discussion Date", "S47 Start Date", "Section 47 Start Date"),
        ),
        Column(
            "icpc_date",
            "Date of Initial Child Protection Conference",
            "date",
            required=False,
            aliases=("ICPC Date", "Initial Child Protection Conference Date"),
        ),
        Column(
            "cp_plan",
            "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            "yes_no",
            required=False,
            aliases=("CP Plan", "Child Protection Plan"),
        ),
        _TEAM,
        _WORKER,
    ),
)

#: The lists calibration reads, by number.
LISTS: dict[int, AnnexList] = {lst.number: lst for lst in (LIST_1, LIST_3, LIST_4, LIST_5)}
#: Lists that calibration cannot do without.
REQUIRED_LISTS = (1, 3)

#: Headings of personal fields a real export carries: recognised so that they are skipped on
#: purpose (and never copied anywhere), not reported as unknown.
PERSONAL_HEADINGS = (
    "Forename",
    "Surname",
    "Full Name",
    "Name",
    "Address",
    "Postcode",
    "Date of Birth",
    "Gender",
    "Ethnicity",
    "Age of Child (Years)",
    "Age",
    "UPN",
    "NHS Number",
    "DOB",
    "D.O.B.",
    "First Name",
    "Last Name",
    "Child Name",
)


def normalise_heading(text: str) -> str:
    """A heading reduced for loose matching: lower case, no punctuation, single spaces, and no
    trailing format hint such as "(dd/mm/yyyy)"."""
    text = re.sub(
        r"\((?:(?:[dmy]{1,4}[./-]){2}[dmy]{2,4}|date)\)\s*$", "", text.strip(), flags=re.I
    )
    text = re.sub(r"[^0-9a-z]+", " ", text.lower())
    return " ".join(text.split())


def match_sheet(name: str) -> int | None:
    """The list number a sheet (or CSV file stem) is for, from names such as "List 1",
    "list_1", "L1 Contacts", "Annex A List 3 - Referrals"; None if it names no list we read."""
    normal = normalise_heading(name)
    found = re.search(r"(?:^|\s)(?:list|l)\s?(\d{1,2})(?:\s|$)", normal)
    if found is None:
        return None
    number = int(found.group(1))
    return number if number in LISTS else None
