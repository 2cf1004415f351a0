"""The dated changes of a draft (its ``[[timeline]]``), as plain lists a page edits.

A timeline is the scenario's list of entries, each a date, a label, the fields that change then
(dotted paths and their new values) and how the change beds in. The draft keeps the whole list
as one change when it differs from the base scenario's, as a scenario file's ``[[timeline]]``
replaces its base's; these functions make the new list, and the schema checks it like any other
change.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from caseload_sim.scenario.schema import GRADES, PRACTITIONER_GRADES, TIERS, TimelineEntry

#: An entry as the scenario's plain tables give it (``TimelineEntry.model_dump()``).
Entry = dict[str, Any]


def changeable_fields(data: dict[str, Any]) -> list[str]:
    """The fields a planner may change at a date, by dotted path: posts by team and grade,
    caseload caps, who may hold which work, the allocation rules, training."""
    workforce = data["workforce"]
    fields = [
        f"workforce.teams.{team}.staff.{grade}" for team in workforce["teams"] for grade in GRADES
    ]
    fields += [f"workforce.grades.{grade}.caseload_cap" for grade in PRACTITIONER_GRADES]
    fields += [
        f"workforce.eligibility.{grade}.{tier}" for grade in PRACTITIONER_GRADES for tier in TIERS
    ]
    fields += [
        "workforce.allocation.policy",
        "workforce.allocation.cap_mode",
        "workforce.training.enabled",
    ]
    return fields


def with_change(
    timeline: list[Entry],
    date: dt.date,
    label: str,
    path: str,
    value: Any,
    dip_pct: float = 0.0,
    settle_wd: float = 0.0,
) -> list[Entry]:
    """``timeline`` with ``path`` set to ``value`` from ``date``: added to the entry of the
    same date and label (which then takes this dip and time to settle), or as a new entry, in
    date order. The given list is not changed."""
    entries = [plain(entry) for entry in timeline]
    bedding_in = {"transition_dip_pct": dip_pct, "transition_wd": settle_wd}
    for place, entry in enumerate(entries):
        if entry["date"] == date and entry.get("label", "") == label:
            changes = {**entry["changes"], path: value}
            entries[place] = plain({**entry, "changes": changes, **bedding_in})
            break
    else:
        entries.append(
            plain({"date": date, "label": label, "changes": {path: value}, **bedding_in})
        )
    return sorted(entries, key=lambda entry: entry["date"])


def without_entry(timeline: list[Entry], index: int) -> list[Entry]:
    """``timeline`` without its entry at ``index``."""
    return [plain(entry) for place, entry in enumerate(timeline) if place != index]


def plain(entry: Entry) -> Entry:
    """An entry without the fields that are the schema's defaults, so a downloaded file says
    no more than the planner (or the scenario file) did."""
    fields = TimelineEntry.model_fields
    return {
        key: copy.deepcopy(value)
        for key, value in entry.items()
        if key in ("date", "changes") or key not in fields or value != fields[key].default
    }
