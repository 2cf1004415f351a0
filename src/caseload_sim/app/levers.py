"""The fields a planner changes, in plain words and units, read from and written to a draft.

Each lever is a scenario field by its dotted path; its help text and its allowed range come from
the schema (one source: the scenario reference says the same), its label and unit from here,
in the words of a service planner. Levers are read from a scenario's plain tables (a built
scenario's ``model_dump()``, or that with a draft's changes laid over it, which need not be
valid yet) and turned back into changes of the draft, so the page holds no scenario state of
its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from caseload_sim.scenario.loading import schema_field
from caseload_sim.scenario.reference import field_bounds
from caseload_sim.scenario.schema import GRADES, TIERS
from caseload_sim.scenario.wording import (
    COSTED_POSTS,
    FIELD_LABELS,
    field_label,
    field_unit,
    field_value_words,
    grade_label,
    team_label,
    tier_label,
)

if TYPE_CHECKING:
    from caseload_sim.app.draft import Draft

#: A scenario as plain nested tables (``Scenario.model_dump()``).
Tables = dict[str, Any]


@dataclass(frozen=True)
class Lever:
    """One field a planner may change: where it is, what to call it, and what is allowed."""

    path: str
    label: str
    unit: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def help(self) -> str:
        """What the field means, from the schema."""
        found = schema_field(self.path.split("."))
        return (found.description or "") if found is not None else ""


def bounds(path: str) -> tuple[float | None, float | None]:
    """The smallest and largest values the schema allows at a path (None: no bound); a
    strict bound (greater than 0) is given as the bound itself, and the schema says the rest."""
    found = schema_field(path.split("."))
    low = high = None
    for kind, bound in field_bounds(found) if found is not None else ():
        if kind in ("ge", "gt"):
            low = bound
        else:
            high = bound
    return low, high


def lever(path: str, choices: tuple[str, ...] = ()) -> Lever:
    """A lever with the schema's range, named (and its unit given) as the report does."""
    low, high = bounds(path)
    return Lever(path, FIELD_LABELS[path], field_unit(path), low, high, choices)


def value(data: Tables, path: str) -> Any:
    """The value at a dotted path (KeyError when there is none)."""
    node: Any = data
    for part in path.split("."):
        node = node[part]
    return node


def row_label(kind: str, key: str) -> str:
    """The plain name of a lever table's row (a team, a grade or a tier)."""
    if kind == "staff":
        return team_label(key)
    if kind == "weights":
        return tier_label(key)
    return grade_label(key)


# ----------------------------------------------------------------------------- single levers


def demand_lever(data: Tables) -> Lever:
    """The demand level in the unit the scenario gives it: contacts a year or a working day."""
    if data["demand"].get("contacts_per_year") is not None:
        return lever("demand.contacts_per_year")
    return lever("demand.contacts_per_working_day")


def single_levers(data: Tables) -> list[Lever]:
    """The levers that are one number or one choice each, in the order the page shows them."""
    found = [
        demand_lever(data),
        lever("workforce.access_centre.duty_workers"),
        lever("workforce.allocation.policy", ("skill_matched", "joint")),
        lever("workforce.allocation.cap_mode", ("hard", "soft")),
    ]
    if data["partners"]["police"]["mode"] == "slots":
        found.append(lever("partners.police.slots_per_working_day"))
    return found


@dataclass(frozen=True)
class Mechanism:
    """A workforce mechanism: its switch (None when it is always on) and its main figures."""

    title: str
    switch: Lever | None
    figures: tuple[Lever, ...]


def mechanisms() -> list[Mechanism]:
    """The workforce mechanisms a planner may turn on or off, with the figures that matter
    most (the rest stay as the scenario file gives them)."""
    return [
        Mechanism(
            "Leave and sickness",
            None,
            (
                lever("workforce.absence.annual_leave_days_per_year"),
                lever("workforce.absence.sickness_days_per_year"),
            ),
        ),
        Mechanism(
            "Supervision",
            lever("workforce.supervision.enabled"),
            (
                lever("workforce.supervision.session_hours"),
                lever("workforce.supervision.standard_interval_days"),
            ),
        ),
        Mechanism(
            "Managers' sign-off",
            lever("workforce.sign_off.enabled"),
            (
                lever("workforce.sign_off.assessment_hours"),
                lever("workforce.sign_off.target_wd"),
            ),
        ),
        Mechanism(
            "Recording",
            lever("workforce.recording.enabled"),
            (
                lever("workforce.recording.share_of_effort"),
                lever("workforce.recording.overdue_after_wd"),
            ),
        ),
        Mechanism(
            "Quality of assessments",
            lever("workforce.quality.enabled"),
            (lever("workforce.quality.base_inadequate_probability"),),
        ),
        Mechanism(
            "Mandatory training",
            lever("workforce.training.enabled"),
            (
                lever("workforce.training.days_away"),
                lever("workforce.training.effect"),
            ),
        ),
        Mechanism(
            "Vacancies, leavers and agency cover",
            lever("workforce.flow.enabled"),
            (
                lever("workforce.flow.vacancy_pct_at_start"),
                lever("workforce.flow.agency_cover_pct"),
                lever("workforce.flow.permanent_leaving_pct_per_year"),
                lever("workforce.flow.recruitment_lag_wd"),
            ),
        ),
    ]


def cost_levers(data: Tables) -> list[list[Lever]]:
    """What the staff cost, in rows of levers: each post's salary, then on-costs, agency cover,
    recruitment and training (none for a scenario without costs)."""
    if data.get("costs") is None:
        return []
    salaries = [lever(f"costs.salary.{grade}") for grade in COSTED_POSTS]
    return [
        salaries[:3],
        salaries[3:],
        [
            lever("costs.on_costs_pct"),
            lever("costs.agency_multiple"),
            lever("costs.recruitment_per_hire"),
            lever("costs.training_per_trainee_day"),
        ],
    ]


# ------------------------------------------------------------------------------ lever tables


def staff_rows(data: Tables) -> list[dict[str, Any]]:
    """Posts by team (rows) and grade (columns), as the page's table shows them."""
    return [
        {"team": name, **{g: team["staff"][g] for g in GRADES}}
        for name, team in data["workforce"]["teams"].items()
    ]


def grade_rows(data: Tables) -> list[dict[str, Any]]:
    """Caseload cap, full-time equivalent and casework share by grade."""
    grades = data["workforce"]["grades"]
    return [
        {"grade": g, **{c: grades[g][c] for c in ("caseload_cap", "fte", "casework_share")}}
        for g in GRADES
    ]


def weight_rows(data: Tables) -> list[dict[str, Any]]:
    """The caseload points each tier's case counts for."""
    return [{"tier": t, "weight": data["workforce"]["case_weights"][t]} for t in TIERS]


def eligibility_rows(data: Tables) -> list[dict[str, Any]]:
    """Who may hold which work: grades (rows) by tier (columns): hold, co_worked or no."""
    table = data["workforce"]["eligibility"]
    return [{"grade": g, **{t: table[g][t] for t in TIERS}} for g in GRADES]


#: How each table's cells map to scenario paths: (row key, path template by row and column).
TABLES: dict[str, tuple[str, str]] = {
    "staff": ("team", "workforce.teams.{row}.staff.{column}"),
    "grades": ("grade", "workforce.grades.{row}.{column}"),
    "weights": ("tier", "workforce.case_weights.{row}"),  # one column: the weight
    "eligibility": ("grade", "workforce.eligibility.{row}.{column}"),
}


def table_cells(
    kind: str, base_rows: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> list[tuple[str, Any, Any]]:
    """Every cell of a lever table as (path, value now, value in the base scenario)."""
    key, template = TABLES[kind]
    cells = []
    for base, row in zip(base_rows, rows, strict=True):
        for column, before in base.items():
            if column != key:
                path = template.format(row=base[key], column=column)
                cells.append((path, _plain(row.get(column)), before))
    return cells


def sync(draft: Draft, path: str, new: Any, before: Any) -> None:
    """Record a lever's value in the draft: a change where it differs from the base scenario,
    nothing where it is the base's (so the downloaded file says only what changed)."""
    new = _plain(new)
    if new is None or _same(new, before):
        draft.unset(path)
    else:
        whole = isinstance(before, int) and not isinstance(before, bool)
        draft.set(path, int(new) if whole and float(new).is_integer() else new)


def describe_changes(draft: Draft, base: Tables) -> list[dict[str, str]]:
    """The draft's changes as a planner reads them: what, from, to."""
    described = []
    for path in draft.changed():
        if path == "timeline":  # a list of its own: counted here, shown whole on the page
            was, now = len(base.get("timeline") or []), len(draft.changes["timeline"])
            described.append({"What": "Dated changes", "Was": str(was), "Now": str(now)})
            continue
        try:
            before = value(base, path)
        except (KeyError, TypeError):  # a field the base does not have
            before = None
        now = value(draft.changes, path)
        described.append(
            {
                "What": field_label(path),
                "Was": field_value_words(path, before),
                "Now": field_value_words(path, now),
            }
        )
    return described


def _same(new: Any, before: Any) -> bool:
    if isinstance(before, bool) or isinstance(new, bool) or isinstance(before, str):
        return bool(new == before)
    try:
        return float(new) == float(before)
    except (TypeError, ValueError):
        return bool(new == before)


def _plain(cell: Any) -> Any:
    # Table editors hand back numpy scalars (and NaN for an emptied cell); a scenario file
    # holds plain values.
    cell = cell.item() if hasattr(cell, "item") else cell
    return None if isinstance(cell, float) and cell != cell else cell
