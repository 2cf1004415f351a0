"""Dated changes on the service page: the scenario's timeline as readable lines, each removable,
and a change added at a date (a re-organisation, new posts, new rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from caseload_sim.app import levers, session
from caseload_sim.app import timeline as dated
from caseload_sim.app.draft import Draft
from caseload_sim.scenario.wording import CHOICE_WORDS, field_label, value_words

#: The choices of the fields a dated change may set to one of a few words.
CHOICES = {
    "policy": ("skill_matched", "joint"),
    "cap_mode": ("hard", "soft"),
    "eligibility": ("hold", "co_worked", "no"),
}


def section(draft: Draft, base: dict[str, Any], now: dict[str, Any], problems: list[str]) -> None:
    """The draft's dated changes (``now``: its tables as they stand, valid or not)."""
    entries = now.get("timeline") or []
    if not entries:
        st.write("None: the service stays as it is for the whole run.")
    for place, entry in enumerate(entries):
        with st.container(border=True):
            left, right = st.columns([6, 1])
            left.markdown(f"**{_date_words(entry['date'])}: {entry.get('label') or 'a change'}**")
            left.markdown("\n".join(f"- {line}" for line in entry_lines(entry)))
            if right.button("Remove", key=f"remove-change:{place}:{session.generation()}"):
                _keep(draft, base, dated.without_entry(entries, place))
                st.rerun()
    for problem in (p for p in problems if ": timeline" in p):
        st.error(problem)
    _add(draft, base, now, entries)


def entry_lines(entry: dict[str, Any]) -> list[str]:
    """What a dated change sets, a line a field, and how it beds in."""
    lines = [
        f"{field_label(path)}: {value_words(value)}" for path, value in entry["changes"].items()
    ]
    dip, settle = entry.get("transition_dip_pct", 0.0), entry.get("transition_wd", 0.0)
    if dip and settle:
        lines.append(
            f"While it beds in: every worker {dip:g}% less productive for {settle:g} working days"
        )
    return lines


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


def _date_words(day: Any) -> str:
    """'1 September 2010'."""
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            return day
    return f"{day.day} {day:%B %Y}"
