"""Finding the heading row and which column holds what."""

from __future__ import annotations

from caseload_sim.calibrate.columns import LISTS
from caseload_sim.calibrate.headings import (
    HEADER_SEARCH_ROWS,
    choose_columns,
    find_heading_row,
    heading_and_aliases,
    headings_needed,
    match_heading,
    recognised_headings,
)
from caseload_sim.calibrate.problems import Problem

CONTACTS = LISTS[1]


def test_headings_match_loosely_and_say_whether_they_are_annex_as() -> None:
    found = match_heading(CONTACTS, "  date of CONTACT (dd/mm/yyyy) ")
    assert found is not None and found[0].name == "contact_date" and found[1]
    found = match_heading(CONTACTS, "Contact-Date")
    assert found is not None and found[0].name == "contact_date" and not found[1]
    assert match_heading(CONTACTS, "Forename") is None
    assert match_heading(CONTACTS, " ") is None


def test_the_heading_row_is_found_under_a_title_and_not_in_the_data() -> None:
    rows = [
        (1, ("Children's Services - Annex A",)),
        (3, ("Child Unique ID", "Forename", "Date of Contact", "Source")),
        (4, ("C1", "Zebedee", "01/02/2010", "Police")),
    ]
    assert find_heading_row(CONTACTS, rows) == (1, (2, 3, 1))
    # A row naming only an optional column ("Source") is not a heading row.
    assert find_heading_row(CONTACTS, [(1, ("Source", "x"))]) == (-1, (0, 0, 0))
    far_down = [(n, ("title",)) for n in range(1, HEADER_SEARCH_ROWS + 1)]
    assert find_heading_row(CONTACTS, [*far_down, (99, ("Child Unique ID",))])[0] == -1


def test_the_annex_a_heading_wins_and_the_other_column_is_reported() -> None:
    problems: list[Problem] = []
    headings = ["Child ID", "Date of Birth", "Contact Date", "Date of Contact", "DOB"]
    places, birth = choose_columns(CONTACTS, headings, lambda i: f"column {i + 1}", problems)
    assert places == {"child_id": 0, "contact_date": 3}
    assert birth == 1
    assert problems == [
        Problem(
            "list_1",
            0,
            "Contact Date",
            "two columns are for Date of Contact: 'Date of Contact' (column 4) is used and "
            "'Contact Date' (column 3) is ignored",
        )
    ]


def test_messages_name_headings_but_no_data() -> None:
    headings = ["Child ID", "Zebedee", "Date of Birth", "17/03/2008", "", "Forename"]
    assert recognised_headings(CONTACTS, headings) == "'Child ID', 'Date of Birth', 'Forename'"
    assert recognised_headings(CONTACTS, ["Zebedee"]) == "none"
    assert headings_needed(CONTACTS) == (
        "'Child Unique ID' (also accepted: 'Child ID', 'ID', 'Child Unique Identifier') and "
        "'Date of Contact' (also accepted: 'Contact Date')"
    )
    assert heading_and_aliases(LISTS[4].columns[0]).startswith("'Child Unique ID'")
