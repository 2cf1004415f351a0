"""Writing Annex A lists as a council sends them: one workbook with a sheet per list, or one
CSV file per list, headings on the first row and dates as dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt
import math
from functools import partial
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from caseload_sim.files import replace_atomically

#: Sheet names of the workbook, by list number (CSV files are named list_1.csv...).
SHEET_NAMES = {1: "List 1", 3: "List 3", 4: "List 4", 5: "List 5"}


def write_annex_a(
    lists: dict[int, pd.DataFrame], out: Path, fmt: Literal["xlsx", "csv"] = "xlsx"
) -> Path:
    """Write Annex A lists as a council would send them.

    ``xlsx``: ``out/annex_a.xlsx``, one sheet per list ("List 1", "List 3"...), headings on row
    1, dates as real dates shown dd/mm/yyyy. ``csv``: ``out/list_1.csv``..., dates as dd/mm/yyyy
    text. Every file is written to a temporary file in ``out`` and then moved into place, so an
    interrupted write leaves the old files or the new, never a part. Returns the workbook, or
    the folder of CSV files.
    """
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"format {fmt!r}: allowed: xlsx, csv")
    unknown = sorted(set(lists) - set(SHEET_NAMES))
    if unknown:
        raise ValueError(f"no Annex A list {unknown[0]} is written; lists: 1, 3, 4, 5")
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        path = out / "annex_a.xlsx"
        replace_atomically({path: lambda temporary: _write_workbook(lists, temporary)})
        return path
    replace_atomically(
        {out / f"list_{number}.csv": partial(_write_csv, lists[number]) for number in sorted(lists)}
    )
    return out


def _write_workbook(lists: dict[int, pd.DataFrame], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for number in sorted(lists):
        table = lists[number]
        sheet = workbook.create_sheet(SHEET_NAMES[number])
        sheet.append([str(heading) for heading in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for values in table.itertuples(index=False, name=None):
            sheet.append([_cell_value(value) for value in values])
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
        for index, heading in enumerate(table.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(12, min(len(str(heading)) + 2, 40))
        sheet.freeze_panes = "A2"
    workbook.save(path)


def _cell_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    return value


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([str(heading) for heading in table.columns])
        for values in table.itertuples(index=False, name=None):
            writer.writerow([_csv_text(value) for value in values])


def _csv_text(value: Any) -> str:
    value = _cell_value(value)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
