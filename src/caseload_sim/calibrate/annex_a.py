"""Reading Ofsted ILACS Annex A child-level lists (1, 3, 4 and 5) from real, messy exports.

:func:`read_annex_a` takes a workbook (one sheet per list) or a folder of CSV files (one file per
list) and gives, for each list, the rows that can be used: one column per canonical
:class:`~caseload_sim.calibrate.columns.Column` found, plus ``row``, the row number the analyst
sees in the spreadsheet. Nothing is dropped silently: every rejected row, emptied cell and
missing list becomes a :class:`Problem`, written by :meth:`AnnexData.write_report` to
``calibration_report.csv``.

What the reader copes with: title rows above the heading row, headings under other names,
extra columns, blank and duplicate rows, dates as dd/mm/yyyy, yyyy-mm-dd, Excel serial numbers or
real spreadsheet dates, yes/no written six ways, CSV files with a byte-order mark, in UTF-8 or
Windows-1252, separated by commas, semicolons, tabs or bars.

Personal data: names, addresses and other personal columns are never read. The date of birth is
read only to check that no event comes before it, then forgotten. Problems quote an offending
value only when it is shaped like a date, a number or a known placeholder ("Unknown", "#N/A"):
anything else might be a name misplaced in the wrong column, so it is described, not quoted.
Exception messages quote headings, sheet names and file names only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from caseload_sim.calibrate.columns import (
    LISTS,
    PERSONAL_HEADINGS,
    AnnexList,
    Column,
    match_sheet,
    normalise_heading,
)

#: Lists that calibration cannot do without.
REQUIRED_LISTS = (1, 3)
#: Columns of the problem report, in order.
REPORT_COLUMNS = ("list", "row", "column", "problem")
#: How many non-empty rows at the top of a sheet are searched for the heading row.
HEADER_SEARCH_ROWS = 30
#: Day 0 of Excel's 1900 date system (so that serial 1 is 31/12/1899 and 40210 is 01/02/2010).
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Day 0 of the 1904 date system of old Mac workbooks.
EXCEL_1904_EPOCH = dt.date(1904, 1, 1)
#: The largest Excel serial (31/12/9999).
MAX_EXCEL_SERIAL = 2958465
#: The dates a pandas ``datetime64[ns]`` column can hold (with a margin).
_EARLIEST, _LATEST = dt.date(1678, 1, 1), dt.date(2261, 12, 31)

_ACCEPTED_DATES = "expected dd/mm/yyyy, yyyy-mm-dd or an Excel date"
_NOT_SHOWN = "not shown here, as it may be personal data"


class CalibrationError(ValueError):
    """A file, list or column problem that stops calibration; the message names the file, the
    list or sheet, the column heading, and what is allowed or was found."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, as the analyst can find and fix it."""

    list: str
    """The list's key: ``"list_1"``, ``"list_3"``, ..."""
    row: int
    """Spreadsheet row or CSV line (the heading row counts; 1-based); 0 for the whole list."""
    column: str
    """The heading as written in the file; ``""`` for a whole row or list."""
    problem: str
    """What is wrong and what was expected, in plain English."""


@dataclass
class AnnexData:
    """The lists read from one workbook or folder, and what was wrong with them."""

    lists: dict[int, pd.DataFrame]
    """List number -> rows kept: canonical column names present, plus ``row`` (source row)."""
    problems: list[Problem]
    source: Path
    as_of: dt.date
    """Dates after this are in the future."""

    def report_frame(self) -> pd.DataFrame:
        """One row per problem (columns ``list, row, column, problem``), in file order."""
        return pd.DataFrame(
            {
                "list": pd.Series([p.list for p in self.problems], dtype=object),
                "row": pd.Series([p.row for p in self.problems], dtype="int64"),
                "column": pd.Series([p.column for p in self.problems], dtype=object),
                "problem": pd.Series([p.problem for p in self.problems], dtype=object),
            }
        )

    def write_report(self, path: Path) -> None:
        """Write the problems to ``path`` (``calibration_report.csv``) atomically.

        The report holds the list, row, column heading and problem text only: never a name,
        address or date of birth."""
        from caseload_sim.files import write_atomically

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(REPORT_COLUMNS)
        for problem in self.problems:
            writer.writerow(
                [problem.list, problem.row, _defuse(problem.column), _defuse(problem.problem)]
            )
        write_atomically(Path(path), buffer.getvalue())

    def kept_count(self, number: int) -> int:
        """Rows of list ``number`` kept for calibration (0 for a list not read)."""
        frame = self.lists.get(number)
        return 0 if frame is None else len(frame)

    def rejected_count(self, number: int) -> int:
        """Rows of list ``number`` left out (blank, duplicate or with a problem in a column the
        list needs). Rows kept with an emptied optional cell do not count."""
        key = LISTS[number].key if number in LISTS else f"list_{number}"
        frame = self.lists.get(number)
        kept = set() if frame is None else {int(r) for r in frame["row"]}
        return len({p.row for p in self.problems if p.list == key and p.row > 0} - kept)


def read_annex_a(path: str | Path, as_of: dt.date | None = None) -> AnnexData:
    """Read Annex A lists 1, 3, 4 and 5 from a workbook or a folder of CSV files.

    Parameters
    ----------
    path
        An ``.xlsx`` workbook with one sheet per list ("List 1", "list_1", "L1 Contacts", ...),
        or a folder of CSV files named the same way ("list_1.csv", "List 3 Referrals.csv").
    as_of
        The date the data were extracted: later dates are in the future. Default: today.

    Raises
    ------
    CalibrationError
        When the path is not a workbook or folder, list 1 or 3 is missing or empty, or a list
        lacks a column it needs.
    """
    source = Path(path)
    if as_of is None:
        as_of = dt.date.today()
    elif isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    found, tables, duplicates = _open_source(source)
    kind = "CSV file" if source.is_dir() else "sheet"
    absent = [number for number in REQUIRED_LISTS if number not in tables]
    if absent:
        named = " and ".join(f"list {n} ({LISTS[n].title})" for n in absent)
        seen = ", ".join(f"'{name}'" for name in found) or "none"
        example = (
            "'list_1.csv', 'List 3 Referrals.csv'"
            if kind == "CSV file"
            else "'List 1', 'list_3', 'L4 Assessments'"
        )
        raise CalibrationError(
            f"{source}: no {kind} for {named}; {kind}s found: {seen}. Name each list's "
            f"{kind} after its number, e.g. {example}"
        )
    problems: list[Problem] = []
    lists: dict[int, pd.DataFrame] = {}
    for number, annex_list in sorted(LISTS.items()):
        table = tables.get(number)
        if table is None:
            problems.append(_absent(annex_list, f"no {kind} for this list"))
            continue
        for other in duplicates.get(number, []):
            problems.append(
                Problem(
                    annex_list.key,
                    0,
                    "",
                    f"{other} is also for list {number}: {table.label} is read and {other} "
                    "is ignored",
                )
            )
        frame = _read_list(annex_list, table, source, as_of, problems)
        if frame is not None:
            lists[number] = frame
    return AnnexData(lists=lists, problems=problems, source=source, as_of=as_of)


# --- sources ------------------------------------------------------------------------------------


@dataclass
class _Table:
    """The non-empty rows of one sheet or CSV file."""

    label: str
    """How messages name it: "sheet 'List 1'" or "file 'list_1.csv'"."""
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    """(1-based row number, cells) of every row with at least one non-empty cell."""
    epoch: dt.date = EXCEL_EPOCH
    letters: bool = True
    """Whether columns are named by letter (a sheet) or by number (a CSV file)."""

    def column_name(self, index: int) -> str:
        if not self.letters:
            return f"field {index + 1}"
        from openpyxl.utils import get_column_letter

        return f"column {get_column_letter(index + 1)}"


_Opened = tuple[list[str], dict[int, _Table], dict[int, list[str]]]


def _open_source(source: Path) -> _Opened:
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


def _open_workbook(source: Path) -> _Opened:
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
        candidates: list[tuple[int, _Table]] = []
        for sheet in book.worksheets:
            number = match_sheet(sheet.title)
            if number is not None:
                label = f"sheet '{sheet.title}'"
                candidates.append((number, _Table(label, _sheet_rows(source, sheet, label), epoch)))
    finally:
        book.close()
    return (found, *_choose(candidates))


def _choose(
    candidates: list[tuple[int, _Table]],
) -> tuple[dict[int, _Table], dict[int, list[str]]]:
    """The table read for each list (the one whose heading row shows most of the list's
    headings, the first of equals), and the labels of the others for the same list."""
    tables: dict[int, _Table] = {}
    best: dict[int, tuple[tuple[int, int, int], bool]] = {}
    for number, table in candidates:
        score = (_header(LISTS[number], table)[1], bool(table.rows))
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
                if cells and not all(_is_blank(cell) for cell in cells):
                    rows.append((number, tuple(cells)))
    except Exception as error:  # a damaged sheet: name it, never show its contents
        raise CalibrationError(
            f"{source}: {label} cannot be read ({type(error).__name__}); open the workbook in "
            "Excel and save it again"
        ) from None
    return rows


def _open_folder(source: Path) -> _Opened:
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
    candidates: list[tuple[int, _Table]] = []
    for file in files:
        number = match_sheet(file.stem)
        if number is not None:
            label = f"file '{file.name}'"
            candidates.append((number, _csv_table(source, file, LISTS[number], label)))
    return ([file.name for file in files], *_choose(candidates))


def _csv_table(source: Path, file: Path, annex_list: AnnexList, label: str) -> _Table:
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
            if record and not all(_is_blank(cell) for cell in record):
                rows.append((number, tuple(record)))
    except csv.Error as error:
        raise CalibrationError(
            f"{source}: {label} cannot be read as CSV after line {number} ({error})"
        ) from None
    return _Table(label, rows, EXCEL_EPOCH, letters=False)


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
            score = _score(annex_list, record)
            if score > best_score:
                best, best_score = candidate, score
    return best


# --- one list -----------------------------------------------------------------------------------

_PERSONAL = frozenset(normalise_heading(heading) for heading in PERSONAL_HEADINGS)
_BIRTH = frozenset(normalise_heading(h) for h in ("Date of Birth", "DOB", "D.O.B."))
#: Work with an unborn child (pre-birth assessments and conferences) is recorded against the
#: expected date of birth: dates up to a full-term pregnancy (40 weeks) before it are real.
PRE_BIRTH_DAYS = 280


def _names(column: Column) -> tuple[str, ...]:
    return (normalise_heading(column.heading),) + tuple(
        normalise_heading(alias) for alias in column.aliases
    )


def _match(annex_list: AnnexList, heading: str) -> tuple[Column, bool] | None:
    """The column a heading is for, and whether it is the Annex A heading (not another name)."""
    normal = normalise_heading(heading)
    if not normal:
        return None
    for column in annex_list.columns:
        names = _names(column)
        if normal == names[0]:
            return column, True
        if normal in names[1:]:
            return column, False
    return None


def _score(annex_list: AnnexList, cells: Sequence[Any]) -> tuple[int, int, int]:
    """How much a row looks like the list's heading row: required columns, all columns and
    personal columns recognised."""
    matched: set[str] = set()
    personal = 0
    for cell in cells:
        text = _heading(cell)
        found = _match(annex_list, text)
        if found is not None:
            matched.add(found[0].name)
        elif normalise_heading(text) in _PERSONAL:
            personal += 1
    required = sum(1 for c in annex_list.columns if c.required and c.name in matched)
    return required, len(matched), personal


def _header(annex_list: AnnexList, table: _Table) -> tuple[int, tuple[int, int, int]]:
    """The heading row (an index into ``table.rows``; -1 if none) and its score: the row, near
    the top, where most of the needed headings are found."""
    header_at, best = -1, (0, 0, 0)
    for index, (_, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        score = _score(annex_list, cells)
        # A heading row names at least one required column: a data row whose cell happens to
        # read like an optional heading ("NFA") is not one.
        if score[0] >= 1 and score > best:
            header_at, best = index, score
    return header_at, best


def _read_list(
    annex_list: AnnexList,
    table: _Table,
    source: Path,
    as_of: dt.date,
    problems: list[Problem],
) -> pd.DataFrame | None:
    """The kept rows of one list (``None`` for an empty optional list), adding its problems."""
    key = annex_list.key
    where = f"{source}: list {annex_list.number} ({annex_list.title}), {table.label}"
    if not table.rows:
        if annex_list.number in REQUIRED_LISTS:
            raise CalibrationError(
                f"{where} is empty; it must hold the list under a heading row with "
                f"{_headings_needed(annex_list)}"
            )
        problems.append(_absent(annex_list, f"{table.label} is empty"))
        return None

    header_at, _ = _header(annex_list, table)
    required = [column for column in annex_list.columns if column.required]
    if header_at < 0:
        raise CalibrationError(
            f"{where}: no heading row found in the first {HEADER_SEARCH_ROWS} rows; looked for "
            f"{_headings_needed(annex_list)}"
        )
    header_row, header = table.rows[header_at]
    headings = [_heading(cell) for cell in header]

    # Which column of the sheet holds each canonical column (the Annex A heading before another
    # name, then the first), and the date of birth.
    chosen: dict[str, tuple[int, bool]] = {}
    birth: int | None = None
    for index, text in enumerate(headings):
        found = _match(annex_list, text)
        if found is None:
            if birth is None and normalise_heading(text) in _BIRTH:
                birth = index
            continue
        column, exact = found
        if column.name not in chosen or (exact and not chosen[column.name][1]):
            chosen[column.name] = (index, exact)
    for index, text in enumerate(headings):
        found = _match(annex_list, text)
        if found is None or chosen[found[0].name][0] == index:
            continue
        used = chosen[found[0].name][0]
        problems.append(
            Problem(
                key,
                0,
                text,
                f"two columns are for {found[0].heading}: '{headings[used]}' "
                f"({table.column_name(used)}) is used and '{text}' "
                f"({table.column_name(index)}) is ignored",
            )
        )
    missing = [column for column in required if column.name not in chosen]
    if missing:
        raise CalibrationError(
            f"{where}: no column "
            + "; no column ".join(_heading_and_aliases(column) for column in missing)
            + f". Headings recognised on row {header_row}: "
            # Only cells that are known headings: others may be data (names, dates of birth).
            + (
                ", ".join(
                    f"'{_short(text)}'"
                    for text in headings
                    if text
                    and (
                        _match(annex_list, text) is not None
                        or normalise_heading(text) in _PERSONAL
                        or normalise_heading(text) in _BIRTH
                    )
                )
                or "none"
            )
        )
    columns = [column for column in annex_list.columns if column.name in chosen]
    where_is = {column.name: chosen[column.name][0] for column in columns}
    written = {column.name: headings[where_is[column.name]] for column in columns}
    header_normal = {name: normalise_heading(text) for name, text in written.items()}

    data_rows = table.rows[header_at + 1 :]
    if not data_rows and annex_list.number in REQUIRED_LISTS:
        raise CalibrationError(
            f"{where} has a heading row (row {header_row}) but no data rows under it"
        )

    values: dict[str, list[Any]] = {column.name: [] for column in columns}
    kept_rows: list[int] = []
    first_seen: dict[tuple[Any, ...], int] = {}
    expected = header_row + 1
    for number, cells in data_rows:
        for blank in range(expected, number):
            problems.append(Problem(key, blank, "", "blank row"))
        expected = number + 1

        raw = {column.name: _cell(cells, where_is[column.name]) for column in columns}
        born_raw = _cell(cells, birth)
        if all(_is_blank(value) for value in raw.values()) and _is_blank(born_raw):
            problems.append(Problem(key, number, "", "blank row"))
            continue
        if all(normalise_heading(_heading(raw[name])) == header_normal[name] for name in raw):
            problems.append(Problem(key, number, "", "a repeat of the heading row"))
            continue
        born = _date_of_birth(born_raw, table.epoch)
        parsed: dict[str, Any] = {}
        identity: list[Any] = []
        rejected = False
        for column in columns:
            value, problem = _parse(column, raw[column.name], table.epoch, as_of, born)
            if problem is None and value is None and column.required:
                problem = f"missing {column.heading}"
            if problem is not None:
                problems.append(Problem(key, number, written[column.name], problem))
                rejected = rejected or column.required
                identity.append(("not read", _text(raw[column.name])))
            else:
                identity.append(value)
            parsed[column.name] = None if problem is not None else value
        if rejected:
            continue
        identity.append(born if born is not None else _text(born_raw))
        earlier = first_seen.setdefault(tuple(identity), number)
        if earlier != number:
            problems.append(Problem(key, number, "", f"duplicate of row {earlier}"))
            continue
        kept_rows.append(number)
        for name, value in parsed.items():
            values[name].append(value)
    _check_plausible(annex_list, columns, values, kept_rows, written, problems)
    return _frame(columns, values, kept_rows)


#: A date this many years before most dates of its column is a placeholder (01/01/1900) or a
#: typing error, not a date of this export.
PLAUSIBLE_YEARS = 5
#: Dates that must not come before another date of the same row: (later, earlier).
_ORDER = {
    4: (("assessment_authorised", "assessment_start"),),
    5: (("icpc_date", "strategy_date"),),
}


def _check_plausible(
    annex_list: AnnexList,
    columns: list[Column],
    values: dict[str, list[Any]],
    kept_rows: list[int],
    written: dict[str, str],
    problems: list[Problem],
) -> None:
    """Reject dates far older than the rest of their column, and dates before the date they
    follow in the same row: the row if the column is required, the cell if not."""
    key = annex_list.key
    drop: set[int] = set()
    for column in columns:
        if column.kind != "date":
            continue
        cells = values[column.name]
        present = sorted(d for d in cells if d is not None)
        if not present:
            continue
        median = present[len(present) // 2]
        floor = median.replace(year=median.year - PLAUSIBLE_YEARS, day=min(median.day, 28))
        for position, day in enumerate(cells):
            if day is not None and day < floor:
                problems.append(
                    Problem(
                        key,
                        kept_rows[position],
                        written[column.name],
                        f"date '{day:%d/%m/%Y}' is more than {PLAUSIBLE_YEARS} years before most "
                        "dates in this column (a placeholder date?)",
                    )
                )
                if column.required:
                    drop.add(position)
                else:
                    cells[position] = None
    for later, earlier in _ORDER.get(annex_list.number, ()):
        if later not in values or earlier not in values:
            continue
        for position, (end, begin) in enumerate(zip(values[later], values[earlier], strict=True)):
            if end is not None and begin is not None and end < begin:
                problems.append(
                    Problem(
                        key,
                        kept_rows[position],
                        written[later],
                        f"date '{end:%d/%m/%Y}' is before the {written[earlier]} of the same row "
                        f"('{begin:%d/%m/%Y}')",
                    )
                )
                values[later][position] = None
    if drop:
        keep = [i for i in range(len(kept_rows)) if i not in drop]
        kept_rows[:] = [kept_rows[i] for i in keep]
        for name in values:
            values[name][:] = [values[name][i] for i in keep]


def _frame(columns: list[Column], values: dict[str, list[Any]], rows: list[int]) -> pd.DataFrame:
    data: dict[str, pd.Series] = {}
    for column in columns:
        cells = values[column.name]
        if column.kind == "date":
            data[column.name] = pd.Series(
                [None if d is None else dt.datetime(d.year, d.month, d.day) for d in cells],
                dtype="datetime64[ns]",
            )
        elif column.kind == "yes_no":
            data[column.name] = pd.Series(cells, dtype="boolean")
        elif column.kind == "count":
            data[column.name] = pd.Series(cells, dtype="Int64")
        else:
            data[column.name] = pd.Series(cells, dtype=object)
    data["row"] = pd.Series(rows, dtype="int64")
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


def _cell(cells: tuple[Any, ...], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None


def _absent(annex_list: AnnexList, why: str) -> Problem:
    return Problem(
        annex_list.key,
        0,
        "",
        f"list {annex_list.number} ({annex_list.title}) not read: {why}; calibration will use "
        f"the base scenario's values for what list {annex_list.number} would give",
    )


def _headings_needed(annex_list: AnnexList) -> str:
    return " and ".join(
        _heading_and_aliases(column) for column in annex_list.columns if column.required
    )


def _heading_and_aliases(column: Column) -> str:
    text = f"'{column.heading}'"
    if column.aliases:
        text += " (also accepted: " + ", ".join(f"'{a}'" for a in column.aliases) + ")"
    return text


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- cells --------------------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def _text(value: Any) -> str:
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


def _heading(value: Any) -> str:
    return _text(value)


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


def _shown(value: Any) -> str | None:
    """The value quoted for a problem text, or ``None`` if it might be personal data."""
    text = _text(value)
    if len(text) > 40:
        return None
    lower = text.lower()
    if _SHOWABLE_NUMBER.fullmatch(lower):
        return f"'{text}'" if sum(ch.isdigit() for ch in text) <= _MAX_SHOWN_DIGITS else None
    if any(pattern.fullmatch(lower) for pattern in _SHOWABLE):
        return f"'{text}'"
    return None


def _parse(
    column: Column, value: Any, epoch: dt.date, as_of: dt.date, born: dt.date | None
) -> tuple[Any, str | None]:
    """(value, None), (None, None) for a blank cell, or (None, what is wrong)."""
    if _is_blank(value):
        return None, None
    if column.kind == "date":
        return _check_date(value, epoch, as_of, born)
    if column.kind == "yes_no":
        answer = _yes_no(value)
        if answer is None:
            return (
                None,
                f"{_described(value)} is not yes or no (expected Yes/No, Y/N, True/False or 1/0)",
            )
        return answer, None
    if column.kind == "count":
        count = _count(value)
        if count is None:
            return None, f"{_described(value)} is not a count (expected a whole number, 0 or more)"
        return count, None
    return _text(value), None


def _described(value: Any) -> str:
    """A value for a problem text: quoted if it cannot be personal data, else only described."""
    shown = _shown(value)
    return f"value {shown}" if shown else f"the value ({_NOT_SHOWN})"


def _check_date(
    value: Any, epoch: dt.date, as_of: dt.date, born: dt.date | None
) -> tuple[dt.date | None, str | None]:
    day, problem = _date(value, epoch)
    if day is None:
        return None, problem
    shown = _shown(value) or f"'{day:%d/%m/%Y}'"
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


_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[zZ]|[+\-]\d{2}:?\d{2})?)?"
)
_SERIAL = re.compile(r"\d+(?:\.\d+)?")


def _date(value: Any, epoch: dt.date) -> tuple[dt.date | None, str | None]:
    """A cell as a date, or what is wrong with it (for a cell that is not blank)."""
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
    shown = _shown(value)
    if shown is None:
        return None, _not_a_date(value)
    return None, (
        f"date {shown} is not a date: as an Excel date number it must be between 1 and "
        f"{MAX_EXCEL_SERIAL} ({_ACCEPTED_DATES})"
    )


def _not_a_date(value: Any) -> str:
    if isinstance(value, dt.time | dt.timedelta):
        return f"a time, not a date ({_ACCEPTED_DATES})"
    shown = _shown(value)
    if shown is None:
        return f"the value ({_NOT_SHOWN}) is not a date ({_ACCEPTED_DATES})"
    return f"date {shown} is not in a format that can be read ({_ACCEPTED_DATES})"


def _date_of_birth(value: Any, epoch: dt.date) -> dt.date | None:
    """The date of birth if it can be read; otherwise nothing is checked against it (and, as it
    is not used for calibration, nothing is reported)."""
    if _is_blank(value):
        return None
    day, _ = _date(value, epoch)
    return day


_YES = frozenset({"yes", "y", "true", "1", "1.0"})
_NO = frozenset({"no", "n", "false", "0", "0.0"})


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
    return None


_COUNT = re.compile(r"\+?(\d+)(?:\.0*)?")


def _count(value: Any) -> int | None:
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


def _defuse(text: str) -> str:
    """A report cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
