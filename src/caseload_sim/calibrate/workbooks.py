"""Opening a council's workbook, or its folder of CSV files, and finding the table of each list.

A workbook has one sheet per list, a folder one CSV file per list, named after the list's number
("List 1", "list_3.csv", "L4 Assessments"). CSV files may carry a byte-order mark, be in UTF-8,
UTF-16 or Windows-1252, and be separated by commas, semicolons, tabs or bars. When two sheets or
files are for the same list, the one whose heading row shows most of the list's headings is
read and the others are reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseload_sim.calibrate.cells import EXCEL_1904_EPOCH, EXCEL_EPOCH, is_blank
from caseload_sim.calibrate.columns import LISTS, AnnexList, match_sheet
from caseload_sim.calibrate.headings import (
    HEADER_SEARCH_ROWS,
    Score,
    find_heading_row,
    heading_score,
)
from caseload_sim.calibrate.problems import CalibrationError


@dataclass
class Table:
    """The non-empty rows of one sheet or CSV file."""

    label: str
    """How messages name it: "sheet 'List 1'" or "file 'list_1.csv'"."""
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    """(1-based row number, cells) of every row with at least one non-empty cell."""
    epoch: dt.date = EXCEL_EPOCH
    letters: bool = True
    """Whether columns are named by letter (a sheet) or by number (a CSV file)."""

    def column_name(self, index: int) -> str:
        """A column as the analyst finds it: "column C" in a sheet, "field 3" in a CSV file."""
        if not self.letters:
            return f"field {index + 1}"
        from openpyxl.utils import get_column_letter

        return f"column {get_column_letter(index + 1)}"


#: Names of all sheets or CSV files, the table of each list, and the labels of further sheets or
#: files for a list already found.
Opened = tuple[list[str], dict[int, Table], dict[int, list[str]]]


def open_source(source: Path) -> Opened:
    """Names of all sheets or CSV files, the table of each list, and the labels of further
    sheets or files for a list already found."""
    if source.is_dir():
        return _open_folder(source)
    if not source.exists():
        raise CalibrationError(
            f"{source}: no such file or folder; give an Excel workbook (.xlsx) with one sheet "
            "per Annex A list, or a folder of CSV files, one per list"
        )
    suffix = source.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_workbook(source)
    hint = {
        ".xls": "save it from Excel as an .xlsx workbook",
        ".csv": "give the folder that holds the CSV files, one file per list",
        ".ods": "save it as an .xlsx workbook",
    }.get(suffix, "give an .xlsx workbook or a folder of CSV files")
    raise CalibrationError(
        f"{source}: not an Annex A workbook or folder ({suffix or 'no extension'}); accepted: "
        f"an Excel workbook (.xlsx) with one sheet per list, or a folder of CSV files, one per "
        f"list; {hint}"
    )


def _open_workbook(source: Path) -> Opened:
    import warnings

    from openpyxl import load_workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise CalibrationError(
            f"{source}: cannot be read as an Excel workbook (.xlsx) ({type(error).__name__}); "
            "open it in Excel and save it again as an .xlsx workbook"
        ) from None
    try:
        epoch = EXCEL_1904_EPOCH if book.epoch == CALENDAR_MAC_1904 else EXCEL_EPOCH
        found = [sheet.title for sheet in book.worksheets]
        candidates: list[tuple[int, Table]] = []
        for sheet in book.worksheets:
            number = match_sheet(sheet.title)
            if number is not None:
                label = f"sheet '{sheet.title}'"
                candidates.append((number, Table(label, _sheet_rows(source, sheet, label), epoch)))
    finally:
        book.close()
    return (found, *_choose(candidates))


def _choose(
    candidates: list[tuple[int, Table]],
) -> tuple[dict[int, Table], dict[int, list[str]]]:
    """The table read for each list (the one whose heading row shows most of the list's
    headings, the first of equals), and the labels of the others for the same list."""
    tables: dict[int, Table] = {}
    best: dict[int, tuple[Score, bool]] = {}
    for number, table in candidates:
        score = (find_heading_row(LISTS[number], table.rows)[1], bool(table.rows))
        if number not in tables or score > best[number]:
            tables[number], best[number] = table, score
    duplicates: dict[int, list[str]] = {}
    for number, table in candidates:
        if tables[number] is not table:
            duplicates.setdefault(number, []).append(table.label)
    return tables, duplicates


def _sheet_rows(source: Path, sheet: Any, label: str) -> list[tuple[int, tuple[Any, ...]]]:
    import warnings

    # Exporters often write a wrong size into the sheet; read every row that is there.
    sheet.reset_dimensions()
    rows: list[tuple[int, tuple[Any, ...]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if cells and not all(is_blank(cell) for cell in cells):
                    rows.append((number, tuple(cells)))
    except Exception as error:  # a damaged sheet: name it, never show its contents
        raise CalibrationError(
            f"{source}: {label} cannot be read ({type(error).__name__}); open the workbook in "
            "Excel and save it again"
        ) from None
    return rows


def _open_folder(source: Path) -> Opened:
    try:
        files = sorted(
            (
                entry
                for entry in source.iterdir()
                if entry.is_file()
                and entry.suffix.lower() == ".csv"
                and not entry.name.startswith((".", "~$"))
            ),
            key=lambda entry: entry.name.lower(),
        )
    except OSError as error:
        raise CalibrationError(f"{source}: the folder cannot be read ({error.strerror})") from None
    if not files:
        workbooks = sorted(entry.name for entry in source.glob("*.xls*"))
        hint = (
            f"; to read a workbook give its path, e.g. {source / workbooks[0]}" if workbooks else ""
        )
        raise CalibrationError(
            f"{source}: the folder holds no CSV files; accepted: CSV files named after the "
            f"lists ('list_1.csv', 'List 3 Referrals.csv'){hint}"
        )
    candidates: list[tuple[int, Table]] = []
    for file in files:
        number = match_sheet(file.stem)
        if number is not None:
            label = f"file '{file.name}'"
            candidates.append((number, _csv_table(source, file, LISTS[number], label)))
    return ([file.name for file in files], *_choose(candidates))


def _csv_table(source: Path, file: Path, annex_list: AnnexList, label: str) -> Table:
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise CalibrationError(f"{source}: {label} cannot be read ({error.strerror})") from None
    text = _decode(raw).replace("\x00", "")
    delimiter = _delimiter(text, annex_list)
    rows: list[tuple[int, tuple[Any, ...]]] = []
    number = 0
    try:
        for number, record in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        ):
            if record and not all(is_blank(cell) for cell in record):
                rows.append((number, tuple(record)))
    except csv.Error as error:
        raise CalibrationError(
            f"{source}: {label} cannot be read as CSV after line {number} ({error})"
        ) from None
    return Table(label, rows, EXCEL_EPOCH, letters=False)


def _decode(raw: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without a byte-order mark), UTF-16 as Excel's "Unicode
    text" writes it, or else Windows-1252 as Excel's plain "CSV" writes it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(text: str, annex_list: AnnexList) -> str:
    """The separator under which the top of the file shows most of the list's headings."""
    head = text[:65536].splitlines()[: HEADER_SEARCH_ROWS * 2]
    best, best_score = ",", (0, 0, 0)
    for candidate in (",", ";", "\t", "|"):
        try:
            records = list(csv.reader(head, delimiter=candidate))
        except csv.Error:
            continue
        for record in records[:HEADER_SEARCH_ROWS]:
            score = heading_score(annex_list, record)
            if score > best_score:
                best, best_score = candidate, score
    return best
