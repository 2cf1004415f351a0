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

The steps, one module each: :mod:`~caseload_sim.calibrate.workbooks` opens the workbook or
folder and finds each list's table; :mod:`~caseload_sim.calibrate.headings` finds the heading
row and which column holds what; :mod:`~caseload_sim.calibrate.list_reader` reads the rows,
each cell through :mod:`~caseload_sim.calibrate.cells`, and checks their dates with
:mod:`~caseload_sim.calibrate.plausibility`; :mod:`~caseload_sim.calibrate.personal_data`
decides what a message may quote; :mod:`~caseload_sim.calibrate.problems` holds the problems
and writes the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from caseload_sim.calibrate.columns import LISTS, REQUIRED_LISTS
from caseload_sim.calibrate.list_reader import read_list
from caseload_sim.calibrate.problems import (
    CalibrationError,
    Problem,
    list_not_read,
    report_frame,
    write_report,
)
from caseload_sim.calibrate.workbooks import open_source

__all__ = ["AnnexData", "CalibrationError", "Problem", "read_annex_a"]


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
        return report_frame(self.problems)

    def write_report(self, path: Path) -> None:
        """Write the problems to ``path`` (``calibration_report.csv``) atomically.

        The report holds the list, row, column heading and problem text only: never a name,
        address or date of birth."""
        write_report(self.problems, path)

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
    found, tables, duplicates = open_source(source)
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
            problems.append(list_not_read(annex_list, f"no {kind} for this list"))
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
        frame = read_list(annex_list, table, source, as_of, problems)
        if frame is not None:
            lists[number] = frame
    return AnnexData(lists=lists, problems=problems, source=source, as_of=as_of)
