"""Compare options: the scenario being edited (and any bundled options) against a baseline,
paired on common random numbers; the differences, what is significant, and the differences
after each dated change."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from caseload_sim.app import session
from caseload_sim.app.cards import shown
from caseload_sim.app.draft import Draft, bundled_scenarios
from caseload_sim.app.history import title_of
from caseload_sim.app.jobs import Job, Request
from caseload_sim.app.limits import MAX_OPTIONS, refusals
from caseload_sim.app.views import how_to_run, results_view
from caseload_sim.app.views.run import ended, follow, start_or_reopen
from caseload_sim.app.wording import bundled_title, period_heading, scenario_title
from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.report.findings import comparison_findings, difference_words
from caseload_sim.report.value_for_money import value_findings, value_table
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError
from caseload_sim.scenario.loading import ScenarioError, scenario_to_toml
from caseload_sim.scenario.wording import title_from_name

#: What the page calls the scenario being edited among the options.
EDITED = "the scenario you are editing"


def page() -> None:
    st.title("Compare options")
    job: Job | None = session.get("compare_job")
    if job is not None:
        follow("compare_job", "compared")
        return
    ended()
    _ask()
    folder = session.get("compared")
    if folder is not None:
        show(folder, session.get("drawing"))


def _ask() -> None:
    draft = session.draft()
    edited, problem = session.built()
    names = [path.name for path in bundled_scenarios()]
    default_base = draft.base if draft.base in names else names[0]
    with st.form("compare"):
        baseline = st.selectbox(
            "Baseline",
            names,
            index=names.index(default_base),
            format_func=bundled_title,
            help="Every option is compared with this scenario, replication by replication.",
        )
        choices = [EDITED, *names]
        options = st.multiselect(
            f"Options (up to {MAX_OPTIONS})",
            choices,
            default=[EDITED],
            format_func=lambda name: name if name == EDITED else bundled_title(name),
        )
        asked = session.get("compare_asked", {"seed": 20100706})
        chosen = how_to_run.fields(asked, seed=int(asked.get("seed", 20100706)), least=2)
        started = st.form_submit_button("Compare", type="primary")
    if not started:
        return
    session.put("compare_asked", chosen.remembered())
    if not options:
        st.error("Choose at least one option to compare with the baseline.")
        return
    if len(options) > MAX_OPTIONS:
        st.error(f"options: {len(options)}; the app compares at most {MAX_OPTIONS} at once")
        return
    if EDITED in options and edited is None:
        st.error(f"The scenario you are editing cannot be run yet:\n\n{problem}")
        return
    try:
        scenarios = [Draft.bundled(baseline).build()]
        for option in options:
            scenario = edited if option == EDITED else Draft.bundled(option).build()
            scenarios.append(scenario)
    except ScenarioError as error:
        st.error(str(error))
        return
    scenarios = _distinct_names(scenarios)
    refused = [r for s in scenarios for r in refusals(s, chosen.replications, chosen.jobs)]
    if refused:
        listed = "\n".join(f"- {reason}" for reason in dict.fromkeys(refused))
        st.error(f"This comparison is larger than the app allows:\n\n{listed}")
        return
    request = Request(
        title=" against ".join(
            [", ".join(scenario_title(s) for s in scenarios[1:]), scenario_title(scenarios[0])]
        ),
        scenarios_toml=tuple(scenario_to_toml(s) for s in scenarios),
        draft_toml=draft.to_toml(),
        replications=chosen.replications,
        seed=chosen.seed,
        jobs=chosen.jobs,
        kind="compare",
    )
    start_or_reopen(
        request,
        "compare_job",
        "compared",
        "These options were compared before with the same seed and replications: here is "
        "that comparison, reopened.",
    )


def _distinct_names(scenarios: list[Any]) -> list[Any]:
    """Scenarios compared must have different names: an edited copy of the baseline becomes
    NAME_edited (and so on)."""
    seen: set[str] = set()
    distinct = []
    for scenario in scenarios:
        name, n = scenario.name, 1
        while name in seen:
            name = f"{scenario.name}_edited" if n == 1 else f"{scenario.name}_edited_{n}"
            n += 1
        seen.add(name)
        distinct.append(
            scenario if name == scenario.name else scenario.model_copy(update={"name": name})
        )
    return distinct


def show(path: Any, drawing: Job | None = None) -> None:
    """A comparison: the paired differences of the headline KPIs, what is significant, after
    each dated change, the charts and the downloads."""
    folder = ResultsFolder(path, "compare")
    try:
        document = folder.comparison
    except ResultsFolderError as error:
        st.error(f"This comparison cannot be shown: {error}")
        return
    baseline = document["baseline"]
    st.subheader(title_of(folder))
    st.caption(
        f"{document['replications']} replications of each, paired on common random numbers "
        f"(seed {document['seed']}). A difference is significant when its 95% interval "
        "leaves out 0."
    )
    _findings(document)
    st.markdown("#### The headline figures")
    _table(difference_rows(document, document["differences"], baseline))
    for option, periods in document.get("period_differences", {}).items():
        st.markdown(f"#### {title_from_name(option)} after each dated change")
        _table(period_rows(periods))
    _value_for_money(document)
    results_view.figures(folder, "compare", drawing)
    results_view.downloads(folder)


def _findings(document: dict[str, Any]) -> None:
    """What each option changes with 95% confidence, in the report's sentences."""
    st.markdown("#### What the options change")
    for option in comparison_findings(document):
        st.markdown(f"**{option.title}**")
        if option.nothing:
            st.write(option.nothing)
            continue
        lines = [f"- {finding.sentence}" for finding in option.findings]
        if option.more_text:
            lines.append(f"- {option.more_text[:1].upper()}{option.more_text[1:]}")
        st.markdown("\n".join(lines))


def _value_for_money(document: dict[str, Any]) -> None:
    """What each option costs against the baseline and what a point gained costs, in the
    report's sentences and a table (nothing when the scenarios have no costs)."""
    options = value_findings(document)
    if not options:
        return
    st.markdown("#### What each option costs")
    st.caption(
        "Staffing cost a year (salaries and on-costs, agency cover, recruitment and training), "
        "paired run by run against the baseline. A point's cost is the cost difference over "
        "the points gained, with its 95% interval; — where the figure does not move with 95% "
        "confidence."
    )
    for option in options:
        st.markdown(f"**{option.title}**")
        st.markdown("\n".join(f"- {sentence}" for sentence in option.sentences))
    _table(value_table(document))


def _table(rows: list[dict[str, str]]) -> None:
    # Tall enough for every row: a table of a dozen KPIs should not scroll.
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch", height=35 * (len(rows) + 1) + 3
    )


def difference_rows(
    document: dict[str, Any], differences: dict[str, dict[str, Any]], baseline: str
) -> list[dict[str, str]]:
    """One row per headline KPI: the baseline's value and each option's paired difference."""
    rows = []
    for name in HEADLINE_KPIS:
        base = document.get("kpis", {}).get(baseline, {}).get(name)
        if base is None:
            continue
        unit = KPIS[name].unit
        row = {
            "KPI": KPIS[name].title,
            f"{title_from_name(baseline)} (baseline)": shown(base.get("mean"), unit),
        }
        for option, entries in differences.items():
            row[title_from_name(option)] = difference_words(entries.get(name), unit)
        rows.append(row)
    return rows


def period_rows(periods: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One row per headline KPI: the paired difference in each period between dated changes."""
    rows = []
    for name in HEADLINE_KPIS:
        if name not in periods[0].get("differences", {}):
            continue
        unit = KPIS[name].unit
        row = {"KPI": KPIS[name].title}
        for period in periods:
            row[period_heading(period)] = difference_words(period["differences"].get(name), unit)
        rows.append(row)
    return rows
