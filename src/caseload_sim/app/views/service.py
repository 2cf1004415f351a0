"""Describe the service: start from a bundled or uploaded scenario and change its levers.

Every widget starts from the scenario as it stood when this draft began (so an uploaded draft
shows its own changes) and writes back into the draft only what differs from the base; the
schema checks the result on every change, and its message is shown beside the lever at fault.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from caseload_sim.app import levers, session
from caseload_sim.app.draft import Draft, bundled_scenarios
from caseload_sim.app.limits import MAX_UPLOAD_MB
from caseload_sim.app.views import dated_changes
from caseload_sim.app.wording import bundled_title, scenario_title
from caseload_sim.scenario.loading import ScenarioError, merge_tables
from caseload_sim.scenario.schema import ELIGIBILITY_NAMES, GRADES, TIERS
from caseload_sim.scenario.wording import CHOICE_WORDS, grade_label, tier_label


def page() -> None:
    st.title("Describe the service")
    _start_from()
    draft = session.draft()
    based_on = _base_scenario(draft)
    if based_on is None:
        return
    base = based_on.model_dump(mode="python")
    start = _start_tables(draft, base)
    scenario, problem = session.built()
    shown = scenario or based_on
    st.header(scenario_title(shown))
    if shown.description:
        st.caption(shown.description)
    problems = problem.splitlines() if problem else []
    if problems:
        st.error("This scenario cannot be run yet:\n\n" + "\n".join(f"- {p}" for p in problems))
    generation = session.generation()

    st.subheader("Demand", divider="gray")
    _demand(draft, base, start, generation, problems)
    st.subheader("Staff", divider="gray")
    st.caption("Posts in each team, by grade. A post is the grade's full-time equivalent below.")
    _table(draft, "staff", levers.staff_rows(base), levers.staff_rows(start), generation, problems)
    st.subheader("Caseloads", divider="gray")
    st.caption(
        "Each grade's caseload cap (in caseload points), the FTE of one post, and the "
        "share of working time a post has for casework."
    )
    _table(draft, "grades", levers.grade_rows(base), levers.grade_rows(start), generation, problems)
    st.caption("The caseload points each case counts for, by tier.")
    _table(
        draft, "weights", levers.weight_rows(base), levers.weight_rows(start), generation, problems
    )
    st.subheader("Who may hold which work", divider="gray")
    _table(
        draft,
        "eligibility",
        levers.eligibility_rows(base),
        levers.eligibility_rows(start),
        generation,
        problems,
    )
    st.subheader("Allocation and partners", divider="gray")
    for lever in levers.single_levers(base)[1:]:
        _single(draft, base, start, lever, generation, problems)
    st.subheader("How workers' time goes", divider="gray")
    st.caption(
        "Each mechanism of the workforce, on or off, with its main figures; the others stay "
        "as the scenario file gives them."
    )
    for mechanism in levers.mechanisms():
        _mechanism(draft, base, start, mechanism, generation, problems)
    _costs(draft, base, start, generation, problems)
    st.subheader("Dated changes", divider="gray")
    st.caption(
        "Changes to the service from a date during the run: a re-organisation, new posts, new "
        "rules. Each is measured apart, before and after, when the scenario is run."
    )
    dated_changes.section(draft, base, draft.table(), scenario, problems)

    st.subheader("What you changed", divider="gray")
    _changes(draft, base)


def _start_from() -> None:
    """Choose a bundled scenario, or upload a scenario file."""
    current = session.draft()
    names = [path.name for path in bundled_scenarios()]
    left, right = st.columns(2)
    with left:
        chosen = st.selectbox(
            "Start from a bundled scenario",
            names,
            index=names.index(current.base) if current.base in names else 0,
            format_func=bundled_title,
            key=f"bundled:{session.generation()}",
        )
        differs = chosen != current.base or current.source != chosen
        if differs and st.button("Start from this scenario", key="start-bundled"):
            session.replace_draft(Draft.bundled(chosen))
            st.rerun()
    with right:
        upload = st.file_uploader(
            f"Or upload a scenario file (TOML, up to {MAX_UPLOAD_MB} MB)",
            type=["toml"],
            key=f"upload:{session.generation()}",
        )
        if upload is not None:
            try:
                session.replace_draft(Draft.uploaded(upload.name, upload.getvalue()))
            except ScenarioError as error:
                st.error(str(error))
            else:
                st.rerun()


def _base_scenario(draft: Draft) -> Any:
    """The scenario the draft is based on, with none of its changes."""
    try:
        return Draft(draft.base, draft.start, {}, draft.source).build()
    except ScenarioError as error:
        st.error(f"The scenario this draft starts from cannot be read:\n\n{error}")
        return None


def _start_tables(draft: Draft, base: dict[str, Any]) -> dict[str, Any]:
    """The base's tables with the draft's changes as they stood when this generation of
    widgets began (valid or not: a change the schema refuses is still shown, to be mended)."""
    key = f"start:{session.generation()}"
    if key not in st.session_state:
        st.session_state[key] = merge_tables(base, copy.deepcopy(draft.changes))
    found: dict[str, Any] = st.session_state[key]
    return found


def _problems_for(prefix: str, problems: list[str]) -> list[str]:
    """The schema's messages about fields under ``prefix`` (each names its field after ': ')."""
    return [p for p in problems if f": {prefix}" in p]


def _single(
    draft: Draft,
    base: dict[str, Any],
    start: dict[str, Any],
    lever: levers.Lever,
    generation: int,
    problems: list[str],
    on_change: Any = None,
) -> Any:
    """A lever's widget; the value it holds now (``on_change``: called when it changes)."""
    before = levers.value(base, lever.path)
    initial = levers.value(start, lever.path)
    key = f"lever:{lever.path}:{generation}"
    new: Any
    if isinstance(before, bool):
        new = st.toggle(lever.label, value=bool(initial), help=lever.help, key=key)
    elif lever.choices:
        new = st.radio(
            lever.label,
            lever.choices,
            index=lever.choices.index(initial) if initial in lever.choices else 0,
            format_func=lambda choice: CHOICE_WORDS.get(choice, choice),
            help=lever.help,
            key=key,
        )
    else:
        kind = type(before)  # the widget's numbers all of the field's type
        low, high = (None if b is None else kind(b) for b in (lever.minimum, lever.maximum))
        initial = kind(initial)
        if (low is not None and initial < low) or (high is not None and initial > high):
            low = high = None  # a value the schema refuses is shown as it is, to be mended
        new = st.number_input(
            f"{lever.label} ({lever.unit})" if lever.unit else lever.label,
            value=initial,
            min_value=low,
            max_value=high,
            step=1 if kind is int else None,
            format=None if kind is int else "%g",
            help=lever.help,
            key=key,
            on_change=on_change,
        )
    levers.sync(draft, lever.path, new, before)
    for problem in _problems_for(lever.path, problems):
        st.error(problem)
    return new


def _demand(
    draft: Draft, base: dict[str, Any], start: dict[str, Any], generation: int, problems: list[str]
) -> None:
    """The demand level, as a number or as a change in % from the starting scenario; each
    field follows the other."""
    lever = levers.demand_lever(base)
    before = levers.value(base, lever.path)
    key, percent_key = f"lever:{lever.path}:{generation}", f"demand-change:{generation}"
    kind = type(before)

    def from_percent() -> None:
        level = before * (1 + st.session_state[percent_key] / 100)
        st.session_state[key] = kind(round(level) if kind is int else round(level, 2))

    def to_percent() -> None:
        now = st.session_state.get(key)
        if now is not None and before:
            st.session_state[percent_key] = round((now / before - 1) * 100, 1)

    if percent_key not in st.session_state:
        initial = levers.value(start, lever.path)
        st.session_state[percent_key] = round((initial / before - 1) * 100, 1) if before else 0.0
    left, right = st.columns(2)
    with left:
        _single(draft, base, start, lever, generation, problems, on_change=to_percent)
    with right:
        st.number_input(
            "Or a change from the scenario started from (%)",
            min_value=-100.0,
            step=5.0,
            format="%g",
            key=percent_key,
            on_change=from_percent,
            help="For example +10 for a tenth more contacts, -5 for a twentieth fewer.",
        )


def _mechanism(
    draft: Draft,
    base: dict[str, Any],
    start: dict[str, Any],
    mechanism: levers.Mechanism,
    generation: int,
    problems: list[str],
) -> None:
    """A mechanism's switch, then its figures beside it (shown only while it is on)."""
    with st.container(border=True):
        st.markdown(f"**{mechanism.title}**")
        switch = mechanism.switch
        if switch is not None and not _single(draft, base, start, switch, generation, problems):
            return
        _side_by_side(draft, base, start, mechanism.figures, generation, problems)


def _side_by_side(
    draft: Draft,
    base: dict[str, Any],
    start: dict[str, Any],
    row: Sequence[levers.Lever],
    generation: int,
    problems: list[str],
) -> None:
    """Levers in a row, a column each."""
    for column, lever in zip(st.columns(len(row)), row, strict=True):
        with column:
            _single(draft, base, start, lever, generation, problems)


def _costs(
    draft: Draft, base: dict[str, Any], start: dict[str, Any], generation: int, problems: list[str]
) -> None:
    """What the staff cost, for the value for money of a comparison (only for a scenario with
    costs)."""
    rows = levers.cost_levers(base)
    if not rows:
        return
    st.subheader("What the staff cost", divider="gray")
    st.caption(
        f"At {base['costs']['price_year']} prices. A post costs from the day it is held: its "
        "salary with on-costs, or the agency rate while an agency worker covers it; an empty "
        "post costs nothing. Comparisons then say what each option costs and what a point of "
        "timeliness gained costs."
    )
    for row in rows:
        _side_by_side(draft, base, start, row, generation, problems)


def _table(
    draft: Draft,
    kind: str,
    base_rows: list[dict[str, Any]],
    start_rows: list[dict[str, Any]],
    generation: int,
    problems: list[str],
) -> None:
    key_column = levers.TABLES[kind][0]
    frame = pd.DataFrame(start_rows).set_index(key_column)
    if kind == "eligibility":
        frame = frame.replace(ELIGIBILITY_NAMES)
    frame.insert(0, "label", [levers.row_label(kind, key) for key in frame.index])
    edited = st.data_editor(
        frame,
        column_config=_columns(kind),
        hide_index=True,
        num_rows="fixed",
        key=f"table:{kind}:{generation}",
        width="stretch",
    )
    edited = edited.drop(columns="label")
    if kind == "eligibility":
        edited = edited.replace({words: code for code, words in ELIGIBILITY_NAMES.items()})
    rows = edited.reset_index().to_dict("records")
    for path, new, before in levers.table_cells(kind, base_rows, rows):
        levers.sync(draft, path, new, before)
    prefix = levers.TABLES[kind][1].split("{")[0]
    for problem in _problems_for(prefix, problems):
        st.error(problem)


#: Column widths of the staff table (pixels): fixed, so every grade reads alike.
LABEL_WIDTH = 180
CELL_WIDTH = 150


def _columns(kind: str) -> dict[str, Any]:
    column = st.column_config
    heading = {"staff": "Team", "grades": "Grade", "weights": "Tier", "eligibility": "Grade"}
    label = {"label": column.TextColumn(heading[kind], disabled=True, width=LABEL_WIDTH)}
    if kind == "staff":
        return {
            **label,
            **{
                g: column.NumberColumn(grade_label(g), min_value=0, step=1, width=CELL_WIDTH)
                for g in GRADES
            },
        }
    if kind == "grades":
        return {
            **label,
            "caseload_cap": column.NumberColumn("Caseload cap (points)", min_value=0.0),
            "fte": column.NumberColumn("FTE of a post", min_value=0.01, max_value=1.0),
            "casework_share": column.NumberColumn(
                "Share of time for casework", min_value=0.0, max_value=1.0
            ),
        }
    if kind == "weights":
        return {**label, "weight": column.NumberColumn("Points a case counts for", min_value=0.01)}
    return {
        **label,
        **{
            t: column.SelectboxColumn(
                tier_label(t), options=list(ELIGIBILITY_NAMES.values()), required=True
            )
            for t in TIERS
        },
    }


def _changes(draft: Draft, base: dict[str, Any]) -> None:
    changed = draft.changed()
    if not changed:
        st.write("Nothing yet: this is the scenario as it was started from.")
    else:
        st.dataframe(
            pd.DataFrame(levers.describe_changes(draft, base)),
            hide_index=True,
            width="stretch",
        )
    left, right = st.columns(2)
    with left:
        st.download_button(
            "Download the scenario (TOML)",
            draft.to_toml(),
            file_name=_file_name(draft),
            mime="application/toml",
            on_click="ignore",
        )
    with right:
        if changed and st.button("Undo every change"):
            session.replace_draft(Draft(draft.base, draft.start, {}, draft.source))
            st.rerun()


def _file_name(draft: Draft) -> str:
    stem = (draft.base or draft.source).removesuffix(".toml")
    return f"{stem}_edited.toml" if draft.changed() else f"{stem}.toml"
