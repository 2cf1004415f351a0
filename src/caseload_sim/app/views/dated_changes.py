"""Dated changes on the service page: the scenario's timeline as readable lines, each removable,
and a change added at a date (a re-organisation, new posts, new rules)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import streamlit as st

from caseload_sim.app import levers, session
from caseload_sim.app import timeline as dated
from caseload_sim.app.draft import Draft
from caseload_sim.report.scenario_changes import DatedChange, date_words, dated_changes
from caseload_sim.scenario.wording import CHOICE_WORDS, field_label, value_words

if TYPE_CHECKING:
    from caseload_sim.scenario.schema import Scenario

#: The choices of the fields a dated change may set to one of a few words.
CHOICES = {
    "policy": ("skill_matched", "joint"),
    "cap_mode": ("hard", "soft"),
    "eligibility": ("hold", "co_worked", "no"),
}


def section(
    draft: Draft,
    base: dict[str, Any],
    now: dict[str, Any],
    scenario: Scenario | None,
    problems: list[str],
) -> None:
    """The draft's dated changes (``now``: its tables as they stand, valid or not;
    ``scenario``: them built, when they are valid)."""
    entries = now.get("timeline") or []
    if not entries:
        st.write("None: the service stays as it is for the whole run.")
    described = _described(scenario, len(entries))
    for place, entry in enumerate(entries):
        with st.container(border=True):
            left, right = st.columns([6, 1])
            if described is not None:
                heading, *lines = described[place].lines()
            else:  # not valid yet: what it sets, without the values before
                heading = f"{date_words(entry['date'])}: {entry.get('label') or 'a change'}"
                lines = [
                    f"{field_label(path)}: {value_words(value)}"
                    for path, value in entry["changes"].items()
                ]
            left.markdown(f"**{heading}**")
            left.markdown("\n".join(f"- {line}" for line in lines))
            if right.button("Remove", key=f"remove-change:{place}:{session.generation()}"):
                _keep(draft, base, dated.without_entry(entries, place))
                st.rerun()
    for problem in (p for p in problems if ": timeline" in p):
        st.error(problem)
    _add(draft, base, now, entries)


def _described(scenario: Scenario | None, count: int) -> list[DatedChange] | None:
    """Each dated change in the report's words, with each field's value before and after."""
    if scenario is None:
        return None
    try:
        found = dated_changes(scenario)
    except ValueError:
        return None
    return found if len(found) == count else None


def _add(draft: Draft, base: dict[str, Any], now: dict[str, Any], entries: list[Any]) -> None:
    st.markdown("**Add a dated change**")
    simulation = now["simulation"]
    first = simulation["start_date"] + dt.timedelta(days=1)
    last = simulation["start_date"] + dt.timedelta(days=int(simulation["horizon_days"]) - 1)
    generation = session.generation()
    when, name = st.columns(2)
    date = when.date_input(
        "From",
        value=min(max(first, dt.date(first.year, 9, 1)), last),
        min_value=first,
        max_value=last,
        format="DD/MM/YYYY",
        key=f"change-date:{generation}",
    )
    label = name.text_input(
        "Label", value="Re-organisation", max_chars=200, key=f"change-label:{generation}"
    )
    fields = dated.changeable_fields(now)
    what, to = st.columns(2)
    path = what.selectbox(
        "What changes", fields, format_func=field_label, key=f"change-field:{generation}"
    )
    current = levers.value(now, path)
    with to:
        value = _value_input(path, current, f"change-value:{generation}:{path}")
    dip, settle = st.columns(2)
    dip_pct = dip.number_input(
        "Productivity lost while it beds in (%)",
        min_value=0.0,
        max_value=100.0,
        value=0.0,
        step=5.0,
        key=f"change-dip:{generation}",
    )
    settle_wd = settle.number_input(
        "For (working days)",
        min_value=0.0,
        max_value=1000.0,
        value=0.0,
        step=5.0,
        key=f"change-settle:{generation}",
    )
    if st.button("Add this change", key=f"change-add:{generation}"):
        new = dated.with_change(
            entries, date, label.strip(), path, value, float(dip_pct), float(settle_wd)
        )
        _keep(draft, base, new)
        st.rerun()


def _value_input(path: str, current: Any, key: str) -> Any:
    """A widget for the field's new value, of the field's own kind."""
    choices = next((c for name, c in CHOICES.items() if f".{name}" in path), None)
    label = "To"
    if choices is not None:
        return st.selectbox(
            label,
            choices,
            index=choices.index(current) if current in choices else 0,
            format_func=lambda choice: CHOICE_WORDS.get(choice, choice),
            key=key,
        )
    if isinstance(current, bool):
        return st.toggle("On from that date", value=not current, key=key)
    if isinstance(current, int):
        return int(st.number_input(label, min_value=0, value=current, step=1, key=key))
    return float(st.number_input(label, min_value=0.0, value=float(current), key=key))


def _keep(draft: Draft, base: dict[str, Any], timeline: list[Any]) -> None:
    """The new timeline as the draft's change (none when it is the base scenario's)."""
    if timeline == [dated.plain(entry) for entry in base.get("timeline") or []]:
        draft.unset("timeline")
    else:
        draft.set("timeline", timeline)
