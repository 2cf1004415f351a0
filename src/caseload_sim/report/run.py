"""The report of a ``run`` folder: for the board, what was run and its headline KPIs as
sentences, with the scenario's dated changes; then its summary, headline KPIs, periods, methods
and assumptions, and every KPI in the appendix."""

from __future__ import annotations

from typing import Any

from caseload_sim.report.assumptions import assumptions, regime_name, source_notes
from caseload_sim.report.board import run_board
from caseload_sim.report.kpis import definitions, kpi_rows, period_table, recovery_note
from caseload_sim.report.methods import methods_and_versions
from caseload_sim.report.numbers import fmt
from caseload_sim.report.page import Page
from caseload_sim.results.reader import ResultsFolder
from caseload_sim.scenario.wording import title_from_name


def summary_fields(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """The scenario summary of a run: title, seed, replications, timings (its description is
    in the board section)."""
    return [
        ("Scenario", title_from_name(str(summary.get("scenario", "")))),
        ("Seed", str(summary.get("seed", ""))),
        ("Replications", str(summary.get("replications", ""))),
        ("Warm-up", f"{fmt(summary.get('warmup_days'))} days"),
        ("Run length", f"{fmt(summary.get('horizon_days'))} days"),
        ("Assessment regime", regime_name(summary.get("regime"))),
    ]


def context(folder: ResultsFolder) -> Page:
    """Everything the report of a run folder shows."""
    summary = folder.summary
    provenance = folder.provenance
    scenario = folder.scenario_document()
    methods, versions = methods_and_versions(
        provenance, summary.get("replication_choice", {}), summary.get("warmup_choice", {})
    )
    kpis = summary.get("kpis", {})
    periods = period_table(summary)
    name = str(summary.get("scenario", folder.path.name))
    return Page(
        sources=source_notes(folder.path),
        period_tables=[periods] if periods else [],
        recovery_note=recovery_note() if periods else "",
        title=f"{title_from_name(name)}: scenario results",
        summary=summary_fields(summary),
        board=run_board(folder),
        kpi_tables=[
            {
                "scenario": name,
                "title": title_from_name(name),
                "caption": "",
                "rows": kpi_rows(kpis),
            }
        ],
        definitions=definitions(list(kpis)),
        methods=methods,
        versions=versions,
        assumptions=assumptions(scenario),
    )
