"""Checks of a list's dates against each other, once its rows are read.

A date far older than the rest of its column is a placeholder (01/01/1900) or a typing error,
not a date of this export; an authorisation before the assessment began, or a conference before
its strategy discussion, cannot be right. Such a date rejects the row if the column is one the
list needs, and is emptied if not; either way it is reported.
"""

from __future__ import annotations

from typing import Any

from caseload_sim.calibrate.columns import AnnexList, Column
from caseload_sim.calibrate.problems import Problem

#: A date this many years before most dates of its column is a placeholder (01/01/1900) or a
#: typing error, not a date of this export.
PLAUSIBLE_YEARS = 5
#: Dates that must not come before another date of the same row: (later, earlier).
DATE_ORDER: dict[int, tuple[tuple[str, str], ...]] = {
    4: (("assessment_authorised", "assessment_start"),),
    5: (("icpc_date", "strategy_date"),),
}


def check_plausible(
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
    for later, earlier in DATE_ORDER.get(annex_list.number, ()):
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
