"""Reading Annex A lists from messy workbooks and CSV folders: every problem reported, nothing
dropped silently, no personal data anywhere in what comes out."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from caseload_sim.calibrate.annex_a import (
    AnnexData,
    CalibrationError,
    Problem,
    read_annex_a,
)
from caseload_sim.calibrate.columns import LISTS

AS_OF = dt.date(2011, 3, 31)
DOB = dt.date(2008, 3, 17)
DAY = dt.date(2010, 2, 1)
SERIAL = (DAY - dt.date(1899, 12, 30)).days  # 40210
NAME, SURNAME, ADDRESS, POSTCODE = "Zebedee", "Quixotic-Farthingale", "42 Privet Drive", "ZZ9 9ZZ"
#: Every way the date of birth could leak.
PERSONAL = (
    NAME,
    SURNAME,
    ADDRESS,
    POSTCODE,
    f"{DOB:%d/%m/%Y}",
    DOB.isoformat(),
    f"{DOB:%d-%m-%Y}",
    f"{DOB:%d.%m.%Y}",
    str((DOB - dt.date(1899, 12, 30)).days),
)

Rows = list[list[Any]]
Sheets = dict[str, Rows]

L1_HEAD = [
    "Child Unique ID",
    "Forename",
    "Surname",
    "Address",
    "Postcode",
    "Date of Birth",
    "Date of Contact",
    "Contact Source",
]
L3_HEAD = [
    "Child Unique ID",
    "Forename",
    "Date of Birth",
    "Date of referral",
    "Referral Source",
    "Referral NFA?",
    "Number of Referrals in Last 12 Months",
    "Allocated Team",
    "Allocated Worker",
]
L4_HEAD = [
    "Child Unique ID",
    "Surname",
    "Date of Birth",
    "Continuous Assessment Start Date",
    "Continuous Assessment Date of Authorisation",
    "Does the Child have a Disability",
    "Allocated Team",
]
L5_HEAD = [
    "Child Unique ID",
    "Address",
    "Date of Birth",
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
]


def l1(child: Any, date: Any, source: Any = "Police", dob: Any = DOB) -> list[Any]:
    return [child, NAME, SURNAME, ADDRESS, POSTCODE, dob, date, source]


def l3(
    child: Any, date: Any, nfa: Any = "No", n12: Any = 1, team: Any = "North", dob: Any = DOB
) -> list[Any]:
    return [child, NAME, dob, date, "Police", nfa, n12, team, "SW-07"]


def l4(child: Any, start: Any, done: Any = "2010-03-20", disabled: Any = "N") -> list[Any]:
    return [child, SURNAME, DOB, start, done, disabled, "North"]


def l5(child: Any, strategy: Any, icpc: Any = None, plan: Any = None) -> list[Any]:
    return [child, ADDRESS, DOB, strategy, icpc, plan]


def lists(
    list_1: Rows | None = None,
    list_3: Rows | None = None,
    list_4: Rows | None = None,
    list_5: Rows | None = None,
    *,
    optional: bool = True,
) -> Sheets:
    """Sheets for all four lists: the rows given (under the Annex A headings) or two good ones."""
    sheets = {
        "List 1": list_1 or [L1_HEAD, l1("C1", "01/02/2010"), l1("C2", "02/02/2010")],
        "List 3": list_3 or [L3_HEAD, l3("C1", "03/02/2010"), l3("C2", "04/02/2010")],
    }
    if optional:
        sheets["List 4"] = list_4 or [L4_HEAD, l4("C1", "05/02/2010")]
        sheets["List 5"] = list_5 or [L5_HEAD, l5("C1", "06/02/2010", "01/03/2010", "Yes")]
    return sheets


def write_book(path: Path, sheets: Sheets) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def write_folder(
    folder: Path, files: Sheets, *, encoding: str = "utf-8-sig", delimiter: str = ","
) -> Path:
    folder.mkdir(exist_ok=True)
    for name, rows in files.items():
        stem = name if name.lower().endswith(".csv") else f"{name}.csv"
        with (folder / stem).open("w", newline="", encoding=encoding) as stream:
            writer = csv.writer(stream, delimiter=delimiter)
            for row in rows:
                writer.writerow(["" if cell is None else str(cell) for cell in row])
    return folder


Writer = Callable[[Path, Sheets], Path]


@pytest.fixture(params=["xlsx", "csv"])
def write(request: pytest.FixtureRequest) -> Writer:
    """Writes sheets as a workbook or as a folder of CSV files (one per sheet)."""
    if request.param == "xlsx":
        return lambda folder, sheets: write_book(folder / "annex_a.xlsx", sheets)
    return lambda folder, sheets: write_folder(folder / "annex_a", sheets)


def problems_of(data: AnnexData, key: str) -> list[Problem]:
    return [p for p in data.problems if p.list == key]


def row_problems(data: AnnexData, key: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for p in problems_of(data, key):
        if p.row:
            found.setdefault(p.row, []).append(p.problem)
    return found


def assert_no_personal_data(text: str) -> None:
    for value in PERSONAL:
        assert value not in text, f"personal value {value!r} leaked"


def everything_written(data: AnnexData, folder: Path) -> str:
    """The text of every DataFrame and of the report, as a planner might open them."""
    report = folder / "calibration_report.csv"
    data.write_report(report)
    frames = "\n".join(frame.to_csv() for frame in data.lists.values())
    columns = " ".join(str(c) for frame in data.lists.values() for c in frame.columns)
    return "\n".join([frames, columns, report.read_text(encoding="utf-8"), repr(data.problems)])


# --- dates ----------------------------------------------------------------------------------------


def test_every_accepted_date_form_is_the_same_day(write: Writer, tmp_path: Path) -> None:
    forms: list[Any] = [
        "01/02/2010",
        "1/2/2010",
        "01-02-2010",
        "01.02.2010",
        "2010-02-01",
        "2010-02-01 00:00:00",
        "2010-02-01T09:30:00",
        str(SERIAL),
        f"{SERIAL}.75",
        " 01/02/2010 ",
    ]
    objects: list[Any] = [SERIAL, SERIAL + 0.4, dt.datetime(2010, 2, 1, 9, 30), DAY]
    rows = [L1_HEAD] + [l1(f"C{i}", form) for i, form in enumerate(forms + objects)]
    data = read_annex_a(write(tmp_path, lists(list_1=rows)), as_of=AS_OF)
    contacts = data.lists[1]
    assert problems_of(data, "list_1") == []
    assert len(contacts) == len(forms) + len(objects)
    assert contacts["contact_date"].dtype == "datetime64[ns]"
    assert (contacts["contact_date"] == pd.Timestamp(DAY)).all()
    assert contacts["row"].tolist() == list(range(2, len(rows) + 1))


def test_1904_workbooks_read_serial_numbers_in_their_own_date_system(tmp_path: Path) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    book.remove(book.active)
    for name, rows in lists(list_1=[L1_HEAD, l1("C1", SERIAL - 1462), l1("C2", DAY)]).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(tmp_path / "mac.xlsx")
    data = read_annex_a(tmp_path / "mac.xlsx", as_of=AS_OF)
    assert (data.lists[1]["contact_date"] == pd.Timestamp(DAY)).all()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/02/2010", "date '31/02/2010' is not a real date (expected dd/mm/yyyy)"),
        ("2010-13-01", "date '2010-13-01' is not a real date"),
        ("00/01/2010", "date '00/01/2010' is not a real date"),
        ("13/31/2010", "date '13/31/2010' is not a real date"),
        ("01/02/10", "date '01/02/10' is not in a format that can be read"),
        ("1 Feb 2010", "date '1 Feb 2010' is not in a format that can be read"),
        ("#N/A", "date '#N/A' is not in a format that can be read"),
        ("0", "as an Excel date number it must be between 1 and 2958465"),
        # A 7-digit number may be a person id: it is not quoted, and not taken as a date.
        (3000000, "(not shown here, as it may be personal data) is not a date"),
        ("01/02/1066", "outside the years"),
        (True, "date 'TRUE' is not in a format that can be read"),
        (dt.time(9, 30), "a time, not a date"),
        ("Mrs Smith", "the value (not shown here, as it may be personal data) is not a date"),
        ("9434765919", "the value (not shown here, as it may be personal data) is not a date"),
    ],
)
def test_dates_that_cannot_be_used_reject_the_row(
    tmp_path: Path, value: Any, expected: str
) -> None:
    rows = [L1_HEAD, l1("C1", "01/02/2010"), l1("C2", value)]
    data = read_annex_a(write_book(tmp_path / "a.xlsx", lists(list_1=rows)), as_of=AS_OF)
    [problem] = problems_of(data, "list_1")
    assert (problem.row, problem.column) == (3, "Date of Contact")
    assert expected in problem.problem
    assert "Smith" not in problem.problem and "9434765919" not in problem.problem
    assert data.lists[1]["child_id"].tolist() == ["C1"]
    assert (data.kept_count(1), data.rejected_count(1)) == (1, 1)


def test_future_dates_are_rejected_in_needed_columns_and_emptied_in_others(
    write: Writer, tmp_path: Path
) -> None:
    sheets = lists(
        list_1=[L1_HEAD, l1("C1", "31/03/2011"), l1("C2", "01/04/2011"), l1("C3", SERIAL + 500)],
        list_4=[L4_HEAD, l4("C1", "05/02/2011", done="2011-04-30")],
    )
    data = read_annex_a(write(tmp_path, sheets), as_of=AS_OF)
    assert data.as_of == AS_OF
    assert data.lists[1]["child_id"].tolist() == ["C1"]  # the extract date itself is fine
    problems = row_problems(data, "list_1")
    future = "date '01/04/2011' is in the future (after 31/03/2011, the extract date)"
    assert problems[3] == [future]
    assert "(Excel date 16/06/2011) is in the future" in problems[4][0]
    # An optional date in the future is emptied; the assessment is kept.
    assessments = data.lists[4]
    assert len(assessments) == 1 and pd.isna(assessments["assessment_authorised"].iloc[0])
    assert row_problems(data, "list_4") == {
        2: ["date '2011-04-30' is in the future (after 31/03/2011, the extract date)"]
    }
    assert data.rejected_count(4) == 0


def test_as_of_defaults_to_today(tmp_path: Path) -> None:
    rows = [L1_HEAD, l1("C1", "01/02/2010"), l1("C2", "01/02/2099")]
    data = read_annex_a(write_book(tmp_path / "a.xlsx", lists(list_1=rows)))
    assert data.as_of == dt.date.today()
    assert data.lists[1]["child_id"].tolist() == ["C1"]


def test_dates_before_birth_are_rejected_without_showing_the_birth_date(
    write: Writer, tmp_path: Path
) -> None:
    sheets = lists(
        list_1=[
            L1_HEAD,
            l1("C1", "01/02/2007"),  # before birth
            l1("C2", DOB + dt.timedelta(days=1)),  # after birth: fine
            l1("C3", "01/02/2007", dob=None),  # unknown birth date: nothing to check
            l1("C4", "01/02/2007", dob="not recorded"),  # unreadable birth date: not checked
        ],
        list_5=[
            L5_HEAD,
            l5("C1", "06/02/2010", icpc="01/01/2007"),
            # Work with an unborn child, up to 40 weeks before the (expected) birth, is real.
            l5("C2", DOB - dt.timedelta(days=60), icpc=DOB - dt.timedelta(days=30)),
        ],
    )
    data = read_annex_a(write(tmp_path, sheets), as_of=AS_OF)
    assert row_problems(data, "list_1") == {
        2: ["date '01/02/2007' is more than 40 weeks before the child's date of birth"]
    }
    assert data.lists[1]["child_id"].tolist() == ["C2", "C3", "C4"]
    assert row_problems(data, "list_5") == {
        2: ["date '01/01/2007' is more than 40 weeks before the child's date of birth"]
    }
    assert data.lists[5]["child_id"].tolist() == ["C1", "C2"]
    assert not pd.isna(data.lists[5]["icpc_date"].iloc[1])
    assert pd.isna(data.lists[5]["icpc_date"].iloc[0])
    assert_no_personal_data(everything_written(data, tmp_path))


# --- layout ---------------------------------------------------------------------------------------


def test_heading_row_under_a_title_with_renamed_and_extra_columns(
    write: Writer, tmp_path: Path
) -> None:
    list_1: Rows = [
        ["Annex A: List 1 - Contacts"],
        ["Extracted 31/03/2011 from the case management system", None, "Page 1"],
        [],
        ["Child ID", "Case Note", "Contact Date (dd/mm/yyyy)", "Name", "Source", "Worker Notes"],
        ["C1", "rang twice", "01/02/2010", NAME, "Police", "x"],
        ["C2", None, "02/02/2010", NAME, "School"],
    ]
    data = read_annex_a(write(tmp_path, lists(list_1=list_1)), as_of=AS_OF)
    contacts = data.lists[1]
    assert problems_of(data, "list_1") == []
    assert list(contacts.columns) == ["child_id", "contact_date", "contact_source", "row"]
    assert contacts["row"].tolist() == [5, 6]
    assert contacts["contact_source"].tolist() == ["6", "2A"]  # read as census codes


def test_blank_rows_are_reported_and_trailing_ones_ignored(write: Writer, tmp_path: Path) -> None:
    list_1: Rows = [
        L1_HEAD,
        l1("C1", "01/02/2010"),
        [],  # row 3: empty
        [None, NAME, SURNAME, "", "  "],  # row 4: nothing read, only personal columns
        l1("C2", "02/02/2010"),
        [],
        [],
    ]
    data = read_annex_a(write(tmp_path, lists(list_1=list_1)), as_of=AS_OF)
    assert row_problems(data, "list_1") == {3: ["blank row"], 4: ["blank row"]}
    assert data.lists[1]["row"].tolist() == [2, 5]
    assert (data.kept_count(1), data.rejected_count(1)) == (2, 2)


def test_duplicate_rows_keep_the_first(write: Writer, tmp_path: Path) -> None:
    list_3 = [
        L3_HEAD,
        l3("C1", "03/02/2010"),
        l3("C1", "03/02/2010", n12=2),  # differs in an optional column: kept
        l3("C1", "2010-02-03"),  # the same referral, date written another way
        l3("C1", "03/02/2010", n12="-1"),
        l3("C1", "03/02/2010", n12="-1"),  # duplicate of a row kept with an emptied cell
    ]
    data = read_annex_a(write(tmp_path, lists(list_3=list_3)), as_of=AS_OF)
    assert data.lists[3]["row"].tolist() == [2, 3, 5]
    problems = row_problems(data, "list_3")
    assert problems[4] == ["duplicate of row 2"]
    assert problems[6][-1] == "duplicate of row 5"
    assert (data.kept_count(3), data.rejected_count(3)) == (3, 2)


def test_a_repeated_heading_row_is_rejected(tmp_path: Path) -> None:
    list_1 = [L1_HEAD, l1("C1", "01/02/2010"), L1_HEAD, l1("C2", "02/02/2010")]
    data = read_annex_a(write_book(tmp_path / "a.xlsx", lists(list_1=list_1)), as_of=AS_OF)
    assert row_problems(data, "list_1") == {3: ["a repeat of the heading row"]}
    assert data.kept_count(1) == 2


def test_two_columns_for_one_heading_use_the_first(tmp_path: Path) -> None:
    list_1: Rows = [
        ["Child Unique ID", "Date of Contact", "Contact Date", "Source"],
        ["C1", "01/02/2010", "not a date", "Police"],
    ]
    data = read_annex_a(write_book(tmp_path / "a.xlsx", lists(list_1=list_1)), as_of=AS_OF)
    [problem] = problems_of(data, "list_1")
    assert (problem.row, problem.column) == (0, "Contact Date")
    assert "'Date of Contact' (column B) is used and 'Contact Date' (column C)" in problem.problem
    assert data.lists[1]["contact_date"].tolist() == [pd.Timestamp(DAY)]


def test_the_annex_a_heading_wins_over_another_name(tmp_path: Path) -> None:
    # "ID" is another name for the child's ID, but here it is the system's record number.
    list_1: Rows = [["ID", "Child Unique ID", "Date of Contact"], [9001, "C1", "01/02/2010"]]
    data = read_annex_a(write_book(tmp_path / "a.xlsx", lists(list_1=list_1)), as_of=AS_OF)
    assert data.lists[1]["child_id"].tolist() == ["C1"]
    [problem] = problems_of(data, "list_1")
    assert problem.row == 0 and problem.column == "ID"


@pytest.mark.parametrize("name", ["List 1", "list_1", "L1 Contacts", "Annex A List 1 - Contacts"])
def test_sheet_names(tmp_path: Path, name: str) -> None:
    sheets = lists()
    sheets = {name: sheets.pop("List 1"), "Summary": [["Total", 2]], **sheets}
    data = read_annex_a(write_book(tmp_path / "a.xlsx", sheets), as_of=AS_OF)
    assert data.kept_count(1) == 2
    assert [p for p in data.problems if p.row == 0] == []


def test_a_second_sheet_for_a_list_is_ignored_and_reported(tmp_path: Path) -> None:
    sheets = {**lists(), "L1 Contacts (old)": [L1_HEAD, l1("C9", "01/02/2010")]}
    data = read_annex_a(write_book(tmp_path / "a.xlsx", sheets), as_of=AS_OF)
    assert data.lists[1]["child_id"].tolist() == ["C1", "C2"]
    [problem] = problems_of(data, "list_1")
    assert "sheet 'L1 Contacts (old)' is also for list 1" in problem.problem


def test_an_empty_sheet_for_a_list_gives_way_to_one_with_rows(tmp_path: Path) -> None:
    sheets = {"List 1": [], **lists()}
    sheets["L1 Contacts"] = sheets.pop("List 1")
    sheets = {"List 1": [["Annex A list 1 (template)"]], **sheets}
    data = read_annex_a(write_book(tmp_path / "a.xlsx", sheets), as_of=AS_OF)
    assert data.kept_count(1) == 2
    [problem] = problems_of(data, "list_1")
    assert problem.problem.startswith("sheet 'List 1' is also for list 1")


def test_a_csv_folder_with_a_byte_order_mark(tmp_path: Path) -> None:
    sheets = lists(optional=False)
    folder = write_folder(
        tmp_path / "export",
        {
            "list_1.csv": sheets["List 1"],
            "List 3 Referrals.csv": sheets["List 3"],
            "notes.csv": [["anything"], ["at all"]],
        },
        encoding="utf-8-sig",
    )
    assert (folder / "list_1.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    data = read_annex_a(folder, as_of=AS_OF)
    assert data.kept_count(1) == 2 and data.kept_count(3) == 2
    assert "child_id" in data.lists[1]  # the BOM did not spoil the first heading
    assert {p.list for p in data.problems} == {"list_4", "list_5"}


def test_a_csv_folder_from_windows_excel_with_semicolons(tmp_path: Path) -> None:
    sheets = lists(optional=False)
    sheets["List 1"][0] = [*L1_HEAD, "Remarque"]
    sheets["List 1"][1] = [*sheets["List 1"][1], "déjà vu £5"]
    folder = write_folder(tmp_path / "export", sheets, encoding="cp1252", delimiter=";")
    data = read_annex_a(folder, as_of=AS_OF)
    assert data.kept_count(1) == 2 and data.kept_count(3) == 2


# --- yes/no, counts and codes ---------------------------------------------------------------------


def test_yes_no_counts_and_codes(write: Writer, tmp_path: Path) -> None:
    list_3: Rows = [
        L3_HEAD,
        l3("C1", "03/02/2010", nfa="Yes", n12="3.0"),
        l3("C2", "03/02/2010", nfa="n", n12=0),
        l3("C3", "03/02/2010", nfa="TRUE", n12=2.0),
        l3("C4", "03/02/2010", nfa="0", n12=None, team=None),
        l3("C5", "03/02/2010", nfa=1, n12="1"),
        l3("C6", "03/02/2010", nfa=None, n12="12"),
        l3("C7", "03/02/2010", nfa="maybe", n12="-1"),
        l3("C8", "03/02/2010", nfa="Zebedee", n12="2.5"),
        l3(12345, "03/02/2010"),
        l3(None, "03/02/2010"),
        l3("  ", "03/02/2010"),
    ]
    data = read_annex_a(write(tmp_path, lists(list_3=list_3)), as_of=AS_OF)
    referrals = data.lists[3]
    assert referrals["referral_nfa"].dtype == "boolean"
    assert referrals["referrals_last_12_months"].dtype == "Int64"
    assert referrals["child_id"].dtype == object
    assert referrals["child_id"].tolist() == [*(f"C{i}" for i in range(1, 9)), "12345"]
    nfa = [None if pd.isna(v) else bool(v) for v in referrals["referral_nfa"]]
    assert nfa == [True, False, True, False, True, None, None, None, False]
    n12 = [None if pd.isna(v) else int(v) for v in referrals["referrals_last_12_months"]]
    assert n12 == [3, 0, 2, None, 1, 12, None, None, 1]
    assert referrals["allocated_team"].tolist()[3] is None
    problems = row_problems(data, "list_3")
    assert problems[8] == [
        "value 'maybe' is not yes or no (expected a) Yes, b) No or c) Unknown, Yes/No, Y/N, "
        "True/False or 1/0)",
        "value '-1' is not a count (expected a whole number, 0 or more)",
    ]
    assert "not shown here" in problems[9][0] and "Zebedee" not in problems[9][0]
    assert problems[11] == ["missing Child Unique ID"] == problems[12]
    assert (data.kept_count(3), data.rejected_count(3)) == (9, 2)


def test_odd_cells_do_not_break_the_reader(tmp_path: Path) -> None:
    list_1: Rows = [
        L1_HEAD,
        l1("C1", "01/02/2010") + ["extra"] * 300,  # an extra-long row
        ["C2"],  # a short row: no date
        [None, None, None, None, None, None, "02/02/2010"],  # no ID
        [3.5, None, None, None, None, dt.datetime(2008, 1, 1), DAY, 7],  # numbers for text
        ["C4", None, None, None, None, dt.time(10, 0), "02/02/2010", True],  # odd birth date
    ]
    sheets = lists(list_1=list_1)
    sheets["List 4"] = [L4_HEAD]
    sheets["List 5"] = []
    data = read_annex_a(write_book(tmp_path / "a.xlsx", sheets), as_of=AS_OF)
    contacts = data.lists[1]
    assert contacts["child_id"].tolist() == ["C1", "3.5", "C4"]
    # A number is a source's census code; a TRUE is no source, so that cell is emptied.
    assert contacts["contact_source"].tolist() == ["6", "7", None]
    problems = row_problems(data, "list_1")
    assert problems[3] == ["missing Date of Contact"]
    assert problems[4] == ["missing Child Unique ID"]
    assert problems[6][0].startswith("value 'TRUE' is not a source")
    # A list 4 with headings and no rows is read as empty; an empty list 5 is not read.
    assert data.kept_count(4) == 0 and list(data.lists[4].columns)[-1] == "row"
    assert data.lists[4]["assessment_start"].dtype == "datetime64[ns]"
    assert 5 not in data.lists
    [problem] = problems_of(data, "list_5")
    assert problem.row == 0 and "sheet 'List 5' is empty" in problem.problem


# --- what stops calibration -----------------------------------------------------------------------


def test_a_missing_required_column_names_file_list_sheet_and_headings(tmp_path: Path) -> None:
    list_1: Rows = [
        ["Contacts received"],
        ["Child Unique ID", "Forename", "Address", "Date of Birth", "Contact Source"],
        ["C1", NAME, ADDRESS, DOB, "Police"],
    ]
    path = write_book(tmp_path / "annex.xlsx", lists(list_1=list_1))
    with pytest.raises(CalibrationError) as caught:
        read_annex_a(path, as_of=AS_OF)
    message = str(caught.value)
    assert str(path) in message
    assert "list 1 (Contacts), sheet 'List 1'" in message
    assert "no column 'Date of Contact' (also accepted: 'Contact Date')" in message
    assert "Headings recognised on row 2: 'Child Unique ID', 'Forename', 'Address'" in message
    assert_no_personal_data(message)


def test_a_sheet_without_any_heading_row(tmp_path: Path) -> None:
    list_1: Rows = [["C1", NAME, ADDRESS, DOB, "Police"]] * 3
    with pytest.raises(CalibrationError, match="no heading row found") as caught:
        read_annex_a(write_book(tmp_path / "a.xlsx", lists(list_1=list_1)), as_of=AS_OF)
    assert_no_personal_data(str(caught.value))


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_missing_required_list_names_what_was_found(tmp_path: Path, kind: str) -> None:
    sheets = lists()
    del sheets["List 3"]
    sheets["Summary"] = [["Referrals", 2]]
    path = (
        write_book(tmp_path / "a.xlsx", sheets)
        if kind == "xlsx"
        else write_folder(tmp_path / "folder", sheets)
    )
    with pytest.raises(CalibrationError) as caught:
        read_annex_a(path, as_of=AS_OF)
    message = str(caught.value)
    assert str(path) in message and "list 3 (Referrals)" in message
    assert "'Summary" in message and "'List 1" in message
    assert "list 1 (" not in message


def test_missing_optional_lists_are_reported_for_the_whole_list(
    write: Writer, tmp_path: Path
) -> None:
    data = read_annex_a(write(tmp_path, lists(optional=False)), as_of=AS_OF)
    assert sorted(data.lists) == [1, 3]
    [four] = problems_of(data, "list_4")
    [five] = problems_of(data, "list_5")
    for problem, number in ((four, 4), (five, 5)):
        assert (problem.row, problem.column) == (0, "")
        assert f"list {number}" in problem.problem and "base scenario" in problem.problem
        assert data.kept_count(number) == data.rejected_count(number) == 0


@pytest.mark.parametrize("empty", [[], [L1_HEAD], [["Annex A list 1"], [], L1_HEAD]])
def test_an_empty_required_list_stops_calibration(tmp_path: Path, empty: Rows) -> None:
    sheets = lists()
    sheets["List 1"] = empty
    with pytest.raises(CalibrationError, match=r"list 1 \(Contacts\), sheet 'List 1'"):
        read_annex_a(write_book(tmp_path / "a.xlsx", sheets), as_of=AS_OF)


def test_paths_that_are_not_annex_a(tmp_path: Path) -> None:
    cases = {
        tmp_path / "missing.xlsx": "no such file or folder",
        tmp_path / "old.xls": "save it from Excel as an .xlsx workbook",
        tmp_path / "list_1.csv": "give the folder that holds the CSV files",
        tmp_path / "broken.xlsx": "cannot be read as an Excel workbook",
        tmp_path / "empty_folder": "the folder holds no CSV files",
    }
    for path in cases:
        if path.suffix:
            if path.name != "missing.xlsx":
                path.write_text("Child Unique ID,Date of Contact\n", encoding="utf-8")
        else:
            path.mkdir()
    for path, expected in cases.items():
        with pytest.raises(CalibrationError) as caught:
            read_annex_a(path, as_of=AS_OF)
        assert str(path) in str(caught.value) and expected in str(caught.value)


# --- what comes out -------------------------------------------------------------------------------


def messy_sheets() -> Sheets:
    """Every kind of problem, in all four lists; rejected rows have IDs starting "BAD"."""
    return lists(
        list_1=[
            ["Children's Services - Annex A"],
            [],
            L1_HEAD,
            l1("C1", "01/02/2010"),
            l1("BAD-future", "01/02/2012"),
            [],
            l1("BAD-birth", "01/02/2007"),
            l1("C1", "01/02/2010"),  # duplicate of row 4 (named BAD by the check below)
            l1("BAD-impossible", "30/02/2010"),
            l1("C2", SERIAL),
            l1(None, "01/02/2010"),
            l1("C3", "2010-02-01"),
        ],
        list_3=[
            L3_HEAD,
            l3("C1", "03/02/2010", nfa="Zebedee"),  # kept, the NFA emptied
            l3("BAD-text", "Quixotic-Farthingale"),
            l3("C2", "04/02/2010", n12="lots"),
        ],
        list_4=[L4_HEAD, l4("C1", "05/02/2010", done="31/04/2010"), l4("BAD", "yesterday")],
        list_5=[L5_HEAD, l5("C1", "06/02/2010", plan="Unknown"), l5("BAD", "01/01/2000")],
    )


def test_no_personal_data_in_any_output(write: Writer, tmp_path: Path) -> None:
    data = read_annex_a(write(tmp_path, messy_sheets()), as_of=AS_OF)
    for number, frame in data.lists.items():
        canonical = {column.name for column in LISTS[number].columns} | {"row"}
        assert set(frame.columns) <= canonical
        for column in frame.columns:
            if frame[column].dtype == "datetime64[ns]":
                assert not (frame[column] == pd.Timestamp(DOB)).any()
    assert_no_personal_data(everything_written(data, tmp_path))


def test_report_lists_every_rejected_row_as_the_analyst_sees_it(tmp_path: Path) -> None:
    path = write_book(tmp_path / "annex_a.xlsx", messy_sheets())
    data = read_annex_a(path, as_of=AS_OF)
    report = tmp_path / "out" / "calibration_report.csv"
    data.write_report(report)
    assert sorted(p.name for p in report.parent.iterdir()) == ["calibration_report.csv"]
    text = report.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "list,row,column,problem"
    read_back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(read_back.columns) == ["list", "row", "column", "problem"]
    assert len(read_back) == len(data.problems)
    pd.testing.assert_frame_equal(
        data.report_frame().astype(str), read_back, check_dtype=False, check_like=False
    )
    assert list(data.report_frame().columns) == ["list", "row", "column", "problem"]

    book = openpyxl.load_workbook(path, read_only=True)
    header_rows = {"list_1": 3, "list_3": 1, "list_4": 1, "list_5": 1}
    for number in sorted(data.lists):
        key = LISTS[number].key
        sheet = book[f"List {number}"]
        rows = list(sheet.iter_rows(values_only=True))
        data_rows = range(header_rows[key] + 1, len(rows) + 1)
        kept = set(data.lists[number]["row"])
        reported = {int(r) for r in read_back.loc[read_back["list"] == key, "row"]} - {0}
        rejected = set(data_rows) - kept
        assert rejected <= reported  # every rejected row is in the report
        for row in rejected:
            # the row number is the sheet's: it holds the rejected row
            child = rows[row - 1][0] if rows[row - 1] else None
            assert child is None or str(child).startswith("BAD") or child == "C1"
        assert data.kept_count(number) + data.rejected_count(number) == len(data_rows)
    book.close()
    assert data.kept_count(1) == 3 and data.rejected_count(1) == 6
    assert data.kept_count(3) == 2 and data.rejected_count(3) == 1
    assert data.kept_count(4) == 1 and data.rejected_count(4) == 1
    assert data.kept_count(5) == 1 and data.rejected_count(5) == 1


def test_the_report_is_replaced_whole(tmp_path: Path) -> None:
    report = tmp_path / "calibration_report.csv"
    report.write_text("old contents\n", encoding="utf-8")
    data = AnnexData(
        lists={},
        problems=[Problem("list_1", 5, "=Date", "-blank row")],
        source=tmp_path,
        as_of=AS_OF,
    )
    data.write_report(report)
    rows = list(csv.reader(report.read_text(encoding="utf-8").splitlines()))
    # Cells a spreadsheet would run as a formula are defused.
    assert rows == [["list", "row", "column", "problem"], ["list_1", "5", "'=Date", "'-blank row"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calibration_report.csv"]
    assert data.report_frame()["row"].dtype == "int64"


def test_ofsteds_coded_answers_and_their_local_spellings_are_read(
    write: Writer, tmp_path: Path
) -> None:
    """Exports carry Ofsted's coded answers ("a) Yes", "q) 6: Police"), census codes ("NONE",
    "MOB") and local spellings; every one is read, and only a truly unreadable cell is rejected."""
    sources = ["q) 6: Police", "6: Police", "6", "POLICE", "e) 2A: Schools", "p1) 5D: LA services"]
    nfa = ["a) Yes", "b) No", "A) YES", "yes", "N", "c) Unknown"]
    disabled = ["b) No", "a) Yes", "NONE", "MOB", "AUT, LD", "Not known"]
    plan = ["a) Yes", "b) No", "Y", "no", "c) Unknown", "maybe"]
    dates = [f"0{day}/02/2010" for day in range(1, 7)]
    children = [f"C{i}" for i in range(1, 7)]
    sheets = lists(
        [L1_HEAD, *(l1(c, d, s) for c, d, s in zip(children, dates, sources, strict=True))],
        [L3_HEAD, *(l3(c, d, n) for c, d, n in zip(children, dates, nfa, strict=True))],
        [
            L4_HEAD,
            *(l4(c, d, disabled=x) for c, d, x in zip(children, dates, disabled, strict=True)),
        ],
        [
            L5_HEAD,
            *(l5(c, d, "01/03/2010", p) for c, d, p in zip(children, dates, plan, strict=True)),
        ],
    )
    data = read_annex_a(write(tmp_path, sheets), AS_OF)
    assert data.lists[1]["contact_source"].tolist() == ["6", "6", "6", "6", "2A", "5D"]
    answers = [None if pd.isna(v) else bool(v) for v in data.lists[3]["referral_nfa"]]
    assert answers == [True, False, True, True, False, None]
    found = [None if pd.isna(v) else bool(v) for v in data.lists[4]["disability"]]
    assert found == [False, True, False, True, True, None]
    plans = [None if pd.isna(v) else bool(v) for v in data.lists[5]["cp_plan"]]
    assert plans == [True, False, True, False, None, None]
    # "c) Unknown" and "Not known" are answers, not errors: the one cell rejected is "maybe".
    assert [p.problem for p in data.problems] == [
        "value 'maybe' is not yes or no (expected a) Yes, b) No or c) Unknown, Yes/No, Y/N, "
        "True/False or 1/0)"
    ]
    for number in (1, 3, 4, 5):
        assert data.rejected_count(number) == 0
