"""The scenario a planner is editing: where it starts from, and only what they changed.

A :class:`Draft` starts from a bundled scenario (by file name) or from an uploaded file's table,
and keeps the planner's changes as a nested table, as a scenario file that says
``base = "county_2010_baseline.toml"`` keeps only what differs. It is built into a
:class:`~caseload_sim.scenario.schema.Scenario` by the same merge and the same validation as a
file on disk (``base =`` then the schema), so its errors are the command line's, and it is
written as exactly such a file: uploading that file again gives the identical scenario.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

from caseload_sim.scenario.loading import (
    SCENARIO_DIR,
    ScenarioError,
    merge_tables,
    parse_scenario_bytes,
    read_initial_caseload_csv,
    read_scenario_data,
    resolve_base,
    validate_scenario,
)

if TYPE_CHECKING:
    from caseload_sim.scenario.schema import Scenario

#: The largest scenario file the app reads (bytes); a scenario is a few kilobytes of text.
MAX_SCENARIO_BYTES = 1_000_000


def bundled_scenarios() -> list[Path]:
    """The scenario files shipped with caseload_sim (the validation scenarios aside)."""
    return sorted(SCENARIO_DIR.glob("*.toml"))


@dataclass
class Draft:
    """A scenario being edited.

    ``base`` is a bundled scenario's file name, or None when the draft starts from an uploaded
    file without one, whose whole table is then ``start``; ``changes`` holds only what the
    planner changed, as nested tables keyed like the scenario file. ``source`` names the draft
    in messages (the bundled or uploaded file's name).
    """

    base: str | None
    start: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)
    source: str = "scenario"

    @classmethod
    def bundled(cls, name: str) -> Draft:
        """A draft of a bundled scenario, with nothing changed yet."""
        _require_bundled(name, f"{name}: not a bundled scenario")
        return cls(base=name, source=name)

    @classmethod
    def uploaded(cls, name: str, raw: bytes) -> Draft:
        """A draft of an uploaded scenario file.

        A file with ``base =`` naming a bundled scenario keeps that base and its own tables as
        the changes (so a downloaded draft comes back as it went); a file without ``base`` is
        the starting point itself. A file based on anything else is refused: its base is not
        on this server.
        """
        if len(raw) > MAX_SCENARIO_BYTES:
            raise ScenarioError(
                f"{name}: {len(raw):,} bytes; a scenario file may be at most "
                f"{MAX_SCENARIO_BYTES:,} bytes"
            )
        data = parse_scenario_bytes(raw, name)
        base = data.pop("base", None)
        if base is None:
            return cls(base=None, start=data, source=name)
        if not isinstance(base, str) or Path(base).name != base:
            raise ScenarioError(
                f"{name}: base: {base!r}: an uploaded scenario may be based on a bundled "
                f"scenario by its file name ({_known()})"
            )
        _require_bundled(base, f"{name}: base: {base!r} is not a bundled scenario")
        return cls(base=base, changes=data, source=name)

    def table(self) -> dict[str, Any]:
        """The merged table the schema validates (the base's chain resolved, then the changes)."""
        if self.base is not None:
            path = SCENARIO_DIR / self.base
            start = resolve_base(read_scenario_data(path), path)
        else:
            start = copy.deepcopy(self.start)
        return merge_tables(start, copy.deepcopy(self.changes))

    def build(self) -> Scenario:
        """The validated scenario, or a :class:`ScenarioError` naming each field at fault."""
        data = self.table()
        where = SCENARIO_DIR / self.base if self.base is not None else SCENARIO_DIR / "upload"
        read_initial_caseload_csv(data, where)
        return validate_scenario(data, self.source)

    def set(self, path: str, value: Any) -> None:
        """Change one field (a dotted path such as ``workforce.teams.north.staff.sw``)."""
        node = self.changes
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value

    def unset(self, path: str) -> None:
        """Take back a change, so the field is the base's again (emptied tables go too)."""
        parts = path.split(".")
        trail: list[dict[str, Any]] = [self.changes]
        for part in parts[:-1]:
            node = trail[-1].get(part)
            if not isinstance(node, dict):
                return
            trail.append(node)
        trail[-1].pop(parts[-1], None)
        for depth in range(len(trail) - 1, 0, -1):
            if trail[depth]:
                break
            del trail[depth - 1][parts[depth - 1]]

    def changed(self) -> list[str]:
        """The dotted paths the planner changed, in the order of the file."""
        return list(_paths(self.changes))

    def to_toml(self) -> str:
        """The draft as a scenario file: ``base =`` and only the changes (or, for an upload
        without a base, its table with the changes merged in)."""
        if self.base is not None:
            return tomli_w.dumps({"base": self.base, **self.changes})
        return tomli_w.dumps(merge_tables(self.start, self.changes))  # neither is changed


def _known() -> str:
    return ", ".join(path.name for path in bundled_scenarios())


def _require_bundled(name: str, refusal: str) -> None:
    """Refuse a name that is not a bundled scenario's, saying which are."""
    if not (SCENARIO_DIR / name).is_file():
        raise ScenarioError(f"{refusal}; allowed: {_known()}")


def _paths(table: dict[str, Any], prefix: str = "") -> list[str]:
    found = []
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            found.extend(_paths(value, path + "."))
        else:
            found.append(path)
    return found
