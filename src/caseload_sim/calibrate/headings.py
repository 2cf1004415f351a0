"""Finding a list's heading row and which column holds what.

Exports often put a title, a date or a blank line above the headings, and name columns in their
own way. The heading row is the row near the top where most of the list's headings are found
(under the Annex A heading or another known name, matched loosely: see
:func:`~caseload_sim.calibrate.columns.normalise_heading`); personal headings count too, as they
are part of a real heading row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from caseload_sim.calibrate.cells import cell_text
from caseload_sim.calibrate.columns import AnnexList, Column, normalise_heading
from caseload_sim.calibrate.personal_data import BIRTH, PERSONAL
from caseload_sim.calibrate.problems import Problem

#: How many non-empty rows at the top of a sheet are searched for the heading row.
HEADER_SEARCH_ROWS = 30

#: How well a row reads as a heading row: required columns, all columns and personal columns
#: recognised (compared in that order).
Score = tuple[int, int, int]


def match_heading(annex_list: AnnexList, heading: str) -> tuple[Column, bool] | None:
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


def _names(column: Column) -> tuple[str, ...]:
    return (normalise_heading(column.heading),) + tuple(
        normalise_heading(alias) for alias in column.aliases
    )


def heading_score(annex_list: AnnexList, cells: Sequence[Any]) -> Score:
    """How much a row looks like the list's heading row: required columns, all columns and
    personal columns recognised."""
    matched: set[str] = set()
    personal = 0
    for cell in cells:
        text = cell_text(cell)
        found = match_heading(annex_list, text)
        if found is not None:
            matched.add(found[0].name)
        elif normalise_heading(text) in PERSONAL:
            personal += 1
    required = sum(1 for c in annex_list.columns if c.required and c.name in matched)
    return required, len(matched), personal


def find_heading_row(
    annex_list: AnnexList, rows: Sequence[tuple[int, tuple[Any, ...]]]
) -> tuple[int, Score]:
    """The heading row (an index into ``rows``; -1 if none) and its score: the row, near the
    top, where most of the needed headings are found."""
    header_at, best = -1, (0, 0, 0)
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = heading_score(annex_list, cells)
        # A heading row names at least one required column: a data row whose cell happens to
        # read like an optional heading ("NFA") is not one.
        if score[0] >= 1 and score > best:
            header_at, best = index, score
    return header_at, best


def choose_columns(
    annex_list: AnnexList,
    headings: Sequence[str],
    column_name: Callable[[int], str],
    problems: list[Problem],
) -> tuple[dict[str, int], int | None]:
    """Which column of the sheet holds each canonical column, and which the date of birth.

    The Annex A heading wins over another name, then the first column; each further column for
    the same adds a problem (``column_name`` names a column by its position, as the analyst
    sees it)."""
    chosen: dict[str, tuple[int, bool]] = {}
    birth: int | None = None
    for index, text in enumerate(headings):
        found = match_heading(annex_list, text)
        if found is None:
            if birth is None and normalise_heading(text) in BIRTH:
                birth = index
            continue
        column, exact = found
        if column.name not in chosen or (exact and not chosen[column.name][1]):
            chosen[column.name] = (index, exact)
    for index, text in enumerate(headings):
        found = match_heading(annex_list, text)
        if found is None or chosen[found[0].name][0] == index:
            continue
        used = chosen[found[0].name][0]
        problems.append(
            Problem(
                annex_list.key,
                0,
                text,
                f"two columns are for {found[0].heading}: '{headings[used]}' "
                f"({column_name(used)}) is used and '{text}' "
                f"({column_name(index)}) is ignored",
            )
        )
    return {name: index for name, (index, _) in chosen.items()}, birth


def recognised_headings(annex_list: AnnexList, headings: Sequence[str]) -> str:
    """The headings of a row that are known headings, for a message (``"none"`` if none).

    Other cells are left out: they may be data (names, dates of birth)."""
    return (
        ", ".join(
            f"'{_short(text)}'"
            for text in headings
            if text
            and (
                match_heading(annex_list, text) is not None
                or normalise_heading(text) in PERSONAL
                or normalise_heading(text) in BIRTH
            )
        )
        or "none"
    )


def headings_needed(annex_list: AnnexList) -> str:
    """The headings of the list's required columns, with their other names, for a message."""
    return " and ".join(
        heading_and_aliases(column) for column in annex_list.columns if column.required
    )


def heading_and_aliases(column: Column) -> str:
    """A column's Annex A heading and its other accepted names, for a message."""
    text = f"'{column.heading}'"
    if column.aliases:
        text += " (also accepted: " + ", ".join(f"'{a}'" for a in column.aliases) + ")"
    return text


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
