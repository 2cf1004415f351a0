"""A self-contained HTML report of a results folder, for a board or a planning meeting.

``write_report(folder)`` reads any results folder that ``run``, ``compare``, ``sweep`` or
``staffing`` wrote, draws its charts (``caseload_sim.charts``) and writes ``folder/report.html``:
one file with the charts embedded as base64 PNG data URIs and the CSS inline, no script and
nothing fetched from the network, so it opens offline in any browser and prints to PDF.

- :mod:`~caseload_sim.report.run`, :mod:`~caseload_sim.report.compare`,
  :mod:`~caseload_sim.report.sweep`, :mod:`~caseload_sim.report.staffing`: what the report of each
  kind of folder shows;
- :mod:`~caseload_sim.report.board`: the first section, for a board, in the words of
  :mod:`~caseload_sim.report.findings` (what was compared or run and what it found, in
  sentences with their intervals) and :mod:`~caseload_sim.report.scenario_changes` (each field a
  dated change or an option changes, before and after) — plain functions the app calls too;
- :mod:`~caseload_sim.report.kpis`: the KPI, definition and period tables;
- :mod:`~caseload_sim.report.methods` and :mod:`~caseload_sim.report.assumptions`: the methods,
  the scenario's key parameters and the source notes of its files;
- :mod:`~caseload_sim.report.numbers`: every number as the report shows it (``fmt``, two
  decimals), so the report and ``summary.json`` / ``comparison.json`` always agree;
- :mod:`~caseload_sim.report.page`: the page and its rendering (``template.html.j2``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

from caseload_sim.charts import Chart, charts_for, write_charts
from caseload_sim.files import write_atomically
from caseload_sim.report import compare, run, staffing, sweep
from caseload_sim.report.assumptions import source_notes
from caseload_sim.report.compare import scenario_differences
from caseload_sim.report.numbers import fmt, fmt_ci, fmt_diff
from caseload_sim.report.page import Page, render
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError, results_kind

__all__ = [
    "ResultsFolderError",
    "build_report",
    "fmt",
    "fmt_ci",
    "fmt_diff",
    "scenario_differences",
    "source_notes",
    "write_report",
]

REPORT_NAME = "report.html"

KIND_TITLES = {
    "run": "Scenario results",
    "compare": "Comparison of options",
    "sweep": "Sweep",
    "staffing": "Staffing search",
}

#: What the report of each kind of folder shows.
_CONTEXTS: dict[str, Callable[[ResultsFolder], Page]] = {
    "run": run.context,
    "compare": compare.context,
    "sweep": sweep.context,
    "staffing": staffing.context,
}


def write_report(folder: str | Path) -> Path:
    """Write ``folder/report.html`` (and the charts under ``folder/charts/``); its path.

    Raises ``ResultsFolderError`` (a ``ValueError``) if ``folder`` is not a results folder.
    """
    out = Path(folder)
    kind = results_kind(out)
    charts = charts_for(out)
    write_charts(out, charts)
    path = out / REPORT_NAME
    write_atomically(path, build_report(out, charts, kind))
    return path


def build_report(
    folder: str | Path, charts: list[Chart] | None = None, kind: str | None = None
) -> str:
    """The report's HTML for a results folder."""
    out = Path(folder)
    kind = kind or results_kind(out)
    if charts is None:
        charts = charts_for(out)
    page = _CONTEXTS[kind](ResultsFolder(out, kind))
    page.kind = kind
    page.kind_title = KIND_TITLES[kind]
    page.folder = str(out)
    page.charts = [
        {
            "name": chart.name,
            "title": chart.title,
            "reading": chart.reading,
            "src": "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii"),
        }
        for chart in charts
    ]
    return render(page)
