"""Dated changes to a scenario's table: which fields a timeline may change, and changing them.

Plain operations on the table of a scenario (as read from its file), apart from the timeline
that builds the service after each change, so that the schema can name the fields a timeline may
change without importing the timeline (which validates each stage against the schema).
"""

from __future__ import annotations

import copy
from typing import Any

#: The parts of a scenario a timeline entry may change; the rest is fixed for a run.
TIMELINE_FIELDS: tuple[str, ...] = (
    "workforce.grades",
    "workforce.teams",
    "workforce.case_weights",
    "workforce.eligibility",
    "workforce.allocation",
    "workforce.training",
)

# Tables whose keys are names chosen by the planner: a change may add a new key under them.
_OPEN_TABLES = frozenset({("workforce", "teams")})


def apply_change(data: dict[str, Any], path: str, value: Any, where: str) -> None:
    """Set the field at the dotted ``path`` of a scenario's table to (a copy of) ``value``.

    Raises
    ------
    ValueError
        Starting with ``where``, when the field is fixed for a run or does not exist (a new
        key is allowed only in a table of named entries, such as ``workforce.teams``).
    """
    parts = path.split(".")
    if not any(path == allowed or path.startswith(allowed + ".") for allowed in TIMELINE_FIELDS):
        raise ValueError(
            f"{where}: changes.{path!r} cannot change during a run; a timeline may change fields "
            f"under {', '.join(TIMELINE_FIELDS)}"
        )
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if not isinstance(node, dict):
            raise ValueError(f"{where}: changes.{path!r}: {'.'.join(parts[:depth])} is a value")
        if part not in node and not (tuple(parts[:depth]) in _OPEN_TABLES and last):
            allowed = ", ".join(sorted(node))
            raise ValueError(
                f"{where}: changes.{path!r}: {'.'.join(parts[:depth])} has no field {part!r}; "
                f"allowed: {allowed}"
            )
        if last:
            node[part] = copy.deepcopy(value)
        else:
            node = node[part]
