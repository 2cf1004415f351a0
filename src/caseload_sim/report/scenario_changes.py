"""What a scenario's dated changes, or an option, change, in words: each field by its plain label
(:mod:`caseload_sim.scenario.wording`) with its value before and after.

Plain functions of scenarios and their tables, for the app's pages and the report alike;
:mod:`caseload_sim.report.findings` gives them with the findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from caseload_sim.scenario.timeline import stages
from caseload_sim.scenario.wording import field_label, field_value_words

if TYPE_CHECKING:
    from caseload_sim.scenario.schema import Scenario, TimelineEntry

ARROW = "\u2192"
#: How :func:`~caseload_sim.scenario.wording.value_words` says a field the scenario had not.
NONE_BEFORE = "\u2014"
#: Fields of a scenario that are not part of what an option changes.
NOT_CHANGES = ("name", "description")


# Month names spelled out here: strftime's %B follows the process's locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_words(day: dt.date | str) -> str:
    """'1 September 2010' for 2010-09-01 (a date or its ISO text)."""
    found = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return f"{found.day} {MONTHS[found.month - 1]} {found.year}"


@dataclass(frozen=True)
class FieldChange:
    """One field a change sets: its plain label, and its value before and after in words."""

    path: str
    label: str
    before: str
    after: str

    @property
    def change(self) -> str:
        """'only co-worked → may not hold' (the value and 'as before' when it is the same)."""
        if self.before == self.after:
            return f"{self.after} (as before)"
        if self.before == NONE_BEFORE:
            return f"{self.after} (new)"
        return f"{self.before} {ARROW} {self.after}"

    @property
    def text(self) -> str:
        """'Social work assistants holding child protection work: only co-worked → may not
        hold'."""
        return f"{self.label}: {self.change}"


@dataclass(frozen=True)
class DatedChange:
    """One dated change of a scenario's timeline, in words."""

    date: dt.date
    label: str
    #: how the change beds in ("everyone's productivity is 10% lower for 40 working days")
    settling: str
    fields: tuple[FieldChange, ...]

    @property
    def heading(self) -> str:
        """'1 September 2010: Re-organisation'."""
        return f"{date_words(self.date)}: {self.label}" if self.label else date_words(self.date)

    def lines(self) -> list[str]:
        """The heading (with how the change beds in), then one line per field."""
        head = self.heading + (f" ({self.settling})" if self.settling else "")
        return [head, *(change.text for change in self.fields)]


def dated_changes(scenario: Scenario) -> list[DatedChange]:
    """Each entry of the scenario's timeline in words: its date and label, how it beds in,
    and each field it changes with its value before (the service as it stands just before the
    date, after the earlier entries) and after.

    Raises ``ValueError`` (naming the entry) for a timeline that ``scenario.timeline.stages``
    refuses.
    """
    found = []
    service = stages(scenario)
    for before, after in zip(service, service[1:], strict=False):
        entry = after.entry
        if entry is None:
            continue
        old = before.scenario.model_dump(mode="python")
        new = after.scenario.model_dump(mode="python")
        fields = tuple(
            FieldChange(
                path,
                field_label(path),
                field_value_words(path, _at(old, path)),
                field_value_words(path, _at(new, path)),
            )
            for path in entry.changes
        )
        found.append(DatedChange(entry.date, entry.label, _settling(entry), fields))
    return found


def _settling(entry: TimelineEntry) -> str:
    parts = []
    if entry.transition_dip_pct and entry.transition_wd:
        parts.append(
            f"everyone's productivity is {entry.transition_dip_pct:g}% lower for its first "
            f"{entry.transition_wd:g} working days"
        )
    if entry.recruitment_lag_wd:
        parts.append(f"new posts stay empty for {entry.recruitment_lag_wd:g} working days")
    if not entry.reallocate_ineligible:
        parts.append("cases stay with a worker who may no longer hold them")
    return "; ".join(parts)


def flatten(document: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested scenario table as ``{"dotted.path": value}`` (lists are values)."""
    flat: dict[str, Any] = {}
    for key, value in document.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def field_changes(baseline: Mapping[str, Any], option: Mapping[str, Any]) -> list[FieldChange]:
    """The fields in which an option's resolved scenario (``scenario.toml`` as tables) differs
    from the baseline's from the start of the run, each by its plain label with the baseline's
    value before and the option's after ('—' where one does not set it). Names, descriptions
    and timelines are left out: a timeline is a scenario's dated changes
    (:func:`dated_changes`)."""
    base, other = flatten(baseline), flatten(option)
    changes = []
    for path in sorted(set(base) | set(other)):
        if path in NOT_CHANGES or path == "timeline" or path.startswith("timeline."):
            continue
        if base.get(path) != other.get(path):
            changes.append(
                FieldChange(
                    path,
                    field_label(path),
                    field_value_words(path, base.get(path)),
                    field_value_words(path, other.get(path)),
                )
            )
    return changes


def _at(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of a scenario's table (None where there is none)."""
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node
