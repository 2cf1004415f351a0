"""Find the staffing: the fewest posts of a grade in a team at which a KPI meets its target with
95% confidence, searched on the scenario being edited (``caseload-sim staffing``'s search), with
the curve and the answer in a planner's words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from caseload_sim.app import session
from caseload_sim.app.cards import shown
from caseload_sim.app.history import title_of
from caseload_sim.app.jobs import Job, Request
from caseload_sim.app.limits import MAX_POINTS, refusals
from caseload_sim.app.views import how_to_run, results_view
from caseload_sim.app.views.run import ended, follow, start_or_reopen
from caseload_sim.app.wording import scenario_title
from caseload_sim.charts.wording import target_words
from caseload_sim.metrics.catalogue import KPIS, kpis_for_regime
from caseload_sim.report.value_for_money import answer_cost_words
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError
from caseload_sim.scenario.loading import scenario_to_toml
from caseload_sim.scenario.schema import GRADES, PRACTITIONER_GRADES
from caseload_sim.scenario.wording import count_words, field_label, grade_label, team_label

#: The target a planner is offered first: the national indicator of the 2010 framework.
FIRST_TARGET = "initial_assessment_within_timescale_pct"
AT_LEAST, AT_MOST = "at least", "at most"


def page() -> None:
    st.title("Find the staffing")
    st.write(
        "The fewest posts that meet a target with 95% confidence: the search runs the "
        "scenario you are editing at a few staffing levels (on common random numbers) and "
        "narrows down to the answer."
    )
    job: Job | None = session.get("staffing_job")
    if job is not None:
        follow("staffing_job", "searched")
        return
    ended()
    _ask()
    folder = session.get("searched")
    if folder is not None:
        show(folder, session.get("drawing"))


def _ask() -> None:
    draft = session.draft()
    scenario, problem = session.built()
    if scenario is None:
        st.error(
            "The scenario cannot be searched yet; change it under Describe the service."
            f"\n\n{problem}"
        )
        return
    teams = scenario.workforce.teams
    left, right = st.columns(2)
    team = left.selectbox("Team", list(teams), format_func=team_label)
    practitioners = [g for g in GRADES if g in PRACTITIONER_GRADES]
    grade = right.selectbox(
        "Grade",
        practitioners,
        index=practitioners.index("sw") if "sw" in practitioners else 0,
        format_func=grade_label,
    )
    now = int(getattr(teams[team].staff, grade))
    path = f"workforce.teams.{team}.staff.{grade}"
    reported = [name for name in kpis_for_regime(scenario.pathway.regime) if name in KPIS]
    # The range is this field's; the target and the run's settings carry over from the last
    # search. The range's widgets are keyed, so that a value typed is never lost to a new
    # default; Streamlit forgets such keys while the form is not drawn (a search is under
    # way), so the session keeps each field's last range apart too.
    asked = session.get("staffing_asked", {})
    ranges = session.get("staffing_ranges", {})
    range_keys = (f"staffing-from:{path}", f"staffing-to:{path}")
    first_range = ranges.get(path, (max(0, now - 4), now + 8))
    for key, first_value in zip(range_keys, first_range, strict=True):
        st.session_state.setdefault(key, first_value)
    with st.form("staffing"):
        st.caption(f"{field_label(path)}: {now} now.")
        low, high = st.columns(2)
        start = low.number_input("From (posts)", min_value=0, step=1, key=range_keys[0])
        stop = high.number_input("To (posts)", min_value=1, step=1, key=range_keys[1])
        kpi_column, bound_column, value_column = st.columns([3, 1, 1])
        first = asked.get("kpi", FIRST_TARGET)
        kpi = kpi_column.selectbox(
            "Target",
            reported,
            index=reported.index(first) if first in reported else 0,
            format_func=lambda name: KPIS[name].title,
        )
        bounds = [AT_LEAST, AT_MOST]
        bound = bound_column.radio(
            "Must be", bounds, index=bounds.index(asked.get("bound", AT_LEAST)), horizontal=True
        )
        value = value_column.number_input("Value", value=asked.get("value", 70.0), step=1.0)
        chosen = how_to_run.fields(asked, seed=int(scenario.simulation.seed), default=5)
        started = st.form_submit_button("Search", type="primary")
    if not started:
        return
    session.put("staffing_ranges", {**ranges, path: (int(start), int(stop))})
    session.put(
        "staffing_asked",
        {
            "kpi": kpi,
            "bound": bound,
            "value": float(value),
            **chosen.remembered(),
        },
    )
    refused = refusals(scenario, chosen.replications, chosen.jobs)
    if stop <= start:
        refused.append(f"to: {stop}; it must be more than from ({start})")
    elif stop - start + 1 > MAX_POINTS:
        refused.append(f"from {start} to {stop}: the app searches at most {MAX_POINTS} values")
    if refused:
        st.error("This search cannot start:\n\n" + "\n".join(f"- {r}" for r in refused))
        return
    target = f"{kpi}{'>=' if bound == AT_LEAST else '<='}{value:g}"
    request = Request(
        title=f"{scenario_title(scenario)}: {grade_label(grade).lower()} in the "
        f"{team_label(team)} team for {target_words(target)}",
        scenarios_toml=(scenario_to_toml(scenario),),
        draft_toml=draft.to_toml(),
        replications=chosen.replications,
        seed=chosen.seed,
        jobs=chosen.jobs,
        kind="staffing",
        vary=f"{path}={int(start)}:{int(stop)}",
        targets=(target,),
    )
    start_or_reopen(
        request,
        "staffing_job",
        "searched",
        "This search was made before with the same scenario, seed and replications: here it "
        "is, reopened.",
    )


def show(path: Path, drawing: Job | None = None) -> None:
    """A staffing search: the answer in words, the points run, the curve and the downloads."""
    folder = ResultsFolder(path, "staffing")
    try:
        document = folder.read_json("staffing.json")
        points = folder.read_table("staffing.csv")
    except ResultsFolderError as error:
        st.error(f"This search cannot be shown: {error}")
        return
    st.subheader(title_of(folder))
    answer = answer_words(document)
    (st.success if document.get("met") else st.warning)(answer)
    cost = answer_cost_words(document)
    if cost:
        st.write(cost)
    st.dataframe(pd.DataFrame(point_rows(document, points)), hide_index=True, width="stretch")
    results_view.figures(folder, "staffing", drawing)
    results_view.downloads(folder)


def answer_words(document: dict[str, Any]) -> str:
    """'**12** social workers in the North team is the fewest that meets initial assessments
    within timescale at least 45%, with 95% confidence.' (or that none in the range does)."""
    path = str(document.get("path", ""))
    wanted = " and ".join(target_words(t) for t in document.get("targets", []))
    if document.get("met"):
        answer = count_words(path, document.get("answer"))
        return f"**{answer}** is the fewest that meets {wanted}, with 95% confidence."
    low, high = (document.get("range") or ["?", "?"])[:2]
    return (
        f"{field_label(path)}: no value from {low} to {high} meets {wanted} with 95% "
        "confidence. Widen the range, or look at what else holds the service back."
    )


def point_rows(document: dict[str, Any], points: pd.DataFrame) -> list[dict[str, str]]:
    """One row for each staffing level run and target: its value, interval and whether met."""
    path = str(document.get("path", ""))
    rows = []
    for point in points.to_dict("records"):
        kpi = str(point.get("kpi", ""))
        unit = KPIS[kpi].unit if kpi in KPIS else ""
        rows.append(
            {
                "Posts": str(point.get(path, "")),
                "Target": target_words(str(point.get("target", ""))),
                "Mean": shown(point.get("mean"), unit),
                "95% CI": f"{shown(point.get('ci95_low'), unit)} to "
                f"{shown(point.get('ci95_high'), unit)}",
                "Met with 95% confidence": "yes" if point.get("target_met") is True else "no",
            }
        )
    return rows
