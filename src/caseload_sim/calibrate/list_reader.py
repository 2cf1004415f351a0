"""Reading one Annex A list from its table: the rows that can be used, and what is wrong with
the others.

Under the heading row, each row is read cell by cell (:mod:`~caseload_sim.calibrate.cells`).
A blank row, a repeat of the heading row, a duplicate of an earlier row, or a problem in a
column the list needs leaves the row out; a problem in an optional column empties only that
cell. Then the dates are checked against each other
(:mod:`~caseload_sim.calibrate.plausibility`). Every row left out and every cell emptied is a
:class:`~caseload_sim.calibrate.problems.Problem`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from caseload_sim.calibrate.cells import cell_text, date_of_birth, is_blank, parse_cell
from caseload_sim.calibrate.columns import REQUIRED_LISTS, AnnexList, Column, normalise_heading
from caseload_sim.calibrate.headings import (
    HEADER_SEARCH_ROWS,
    choose_columns,
    find_heading_row,
    heading_and_aliases,
    headings_needed,
    recognised_headings,
)
from caseload_sim.calibrate.plausibility import check_plausible
from caseload_sim.calibrate.problems import CalibrationError, Problem, list_not_read
from caseload_sim.calibrate.workbooks import Table


def read_list(
    annex_list: AnnexList,
    table: Table,
    source: Path,
    as_of: dt.date,
    problems: list[Problem],
) -> pd.DataFrame | None:
    """The kept rows of one list (``None`` for an empty optional list), adding its problems.

    Raises
    ------
    CalibrationError
        When a list calibration needs is empty, or any list has no heading row or lacks a
        column it needs.
    """
    key = annex_list.key
    where = f"{source}: list {annex_list.number} ({annex_list.title}), {table.label}"
    if not table.rows:
        if annex_list.number in REQUIRED_LISTS:
            raise CalibrationError(
                f"{where} is empty; it must hold the list under a heading row with "
                f"{headings_needed(annex_list)}"
            )
        problems.append(list_not_read(annex_list, f"{table.label} is empty"))
        return None

    header_at, _ = find_heading_row(annex_list, table.rows)
    required = [column for column in annex_list.columns if column.required]
    if header_at < 0:
        raise CalibrationError(
            f"{where}: no heading row found in the first {HEADER_SEARCH_ROWS} rows; looked for "
            f"{headings_needed(annex_list)}"
        )
    header_row, header = table.rows[header_at]
    headings = [cell_text(cell) for cell in header]
    places, birth = choose_columns(annex_list, headings, table.column_name, problems)
    missing = [column for column in required if column.name not in places]
    if missing:
        raise CalibrationError(
            f"{where}: no column "
            + "; no column ".join(heading_and_aliases(column) for column in missing)
            + f". Headings recognised on row {header_row}: "
            + recognised_headings(annex_list, headings)
        )
    columns = [column for column in annex_list.columns if column.name in places]
    where_is = {column.name: places[column.name] for column in columns}
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
        if all(is_blank(value) for value in raw.values()) and is_blank(born_raw):
            problems.append(Problem(key, number, "", "blank row"))
            continue
        if all(normalise_heading(cell_text(raw[name])) == header_normal[name] for name in raw):
            problems.append(Problem(key, number, "", "a repeat of the heading row"))
            continue
        born = date_of_birth(born_raw, table.epoch)
        parsed: dict[str, Any] = {}
        identity: list[Any] = []
        rejected = False
        for column in columns:
            value, problem = parse_cell(column, raw[column.name], table.epoch, as_of, born)
            if problem is None and value is None and column.required:
                problem = f"missing {column.heading}"
            if problem is not None:
                problems.append(Problem(key, number, written[column.name], problem))
                rejected = rejected or column.required
                identity.append(("not read", cell_text(raw[column.name])))
            else:
                identity.append(value)
            parsed[column.name] = None if problem is not None else value
        if rejected:
            continue
        identity.append(born if born is not None else cell_text(born_raw))
        earlier = first_seen.setdefault(tuple(identity), number)
        if earlier != number:
            problems.append(Problem(key, number, "", f"duplicate of row {earlier}"))
            continue
        kept_rows.append(number)
        for name, value in parsed.items():
            values[name].append(value)
    check_plausible(annex_list, columns, values, kept_rows, written, problems)
    return _frame(columns, values, kept_rows)


def _frame(columns: list[Column], values: dict[str, list[Any]], rows: list[int]) -> pd.DataFrame:
    """The kept rows as a table: dates as ``datetime64``, yes/no as nullable booleans, counts
    as nullable integers, plus ``row``."""
    data: dict[str, pd.Series] = {}
    for column in columns:
        cells = values[column.name]
        if column.kind == "date":
            data[column.name] = pd.Series(
                [None if d is None else dt.datetime(d.year, d.month, d.day) for d in cells],
                dtype="datetime64[ns]",
            )
        elif column.kind in ("yes_no", "disability"):
            data[column.name] = pd.Series(cells, dtype="boolean")
        elif column.kind == "count":
            data[column.name] = pd.Series(cells, dtype="Int64")
        else:
            data[column.name] = pd.Series(cells, dtype=object)
    data["row"] = pd.Series(rows, dtype="int64")
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


def _cell(cells: tuple[Any, ...], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None
