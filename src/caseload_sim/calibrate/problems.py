"""What is wrong with a council's Annex A data, and the rejection report that lists it.

Two kinds of trouble: a :class:`CalibrationError` stops calibration (a file that cannot be read,
a list or column it cannot do without); a :class:`Problem` does not (a rejected row, an emptied
cell, a list left out) and goes to ``calibration_report.csv`` so that the analyst can find and
fix it in the spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from caseload_sim.calibrate.columns import AnnexList

#: Columns of the problem report, in order.
REPORT_COLUMNS = ("list", "row", "column", "problem")


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


def list_not_read(annex_list: AnnexList, why: str) -> Problem:
    """The problem of a whole list left out, and what calibration does instead."""
    return Problem(
        annex_list.key,
        0,
        "",
        f"list {annex_list.number} ({annex_list.title}) not read: {why}; calibration will use "
        f"the base scenario's values for what list {annex_list.number} would give",
    )


def report_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """One row per problem (columns ``list, row, column, problem``), in the order given."""
    import pandas as pd

    return pd.DataFrame(
        {
            "list": pd.Series([p.list for p in problems], dtype=object),
            "row": pd.Series([p.row for p in problems], dtype="int64"),
            "column": pd.Series([p.column for p in problems], dtype=object),
            "problem": pd.Series([p.problem for p in problems], dtype=object),
        }
    )


def write_report(problems: Sequence[Problem], path: Path) -> None:
    """Write the problems to ``path`` (``calibration_report.csv``) atomically.

    The report holds the list, row, column heading and problem text only: never a name,
    address or date of birth."""
    from caseload_sim.files import write_atomically

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for problem in problems:
        writer.writerow(
            [problem.list, problem.row, _defuse(problem.column), _defuse(problem.problem)]
        )
    write_atomically(Path(path), buffer.getvalue())


def _defuse(text: str) -> str:
    """A report cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
