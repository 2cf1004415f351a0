"""The report of a ``compare`` folder: for the board, what was compared and what it found; what
each option changes; the headline KPIs' paired differences from the baseline (after each dated
change too); and, in the appendix, every KPI of every scenario."""

from __future__ import annotations

from typing import Any

from caseload_sim.metrics.catalogue import HEADLINE_KPIS
from caseload_sim.report.assumptions import assumptions, regime_name, source_notes
from caseload_sim.report.board import compare_board
from caseload_sim.report.findings import flatten, significant
from caseload_sim.report.kpis import (
    definitions,
    kpi_rows,
    ordered,
    period_table,
    recovery_note,
    title,
    unit,
)
from caseload_sim.report.methods import methods_and_versions
from caseload_sim.report.numbers import NOT_SET, fmt, fmt_diff, show
from caseload_sim.report.page import Page
from caseload_sim.results.reader import ResultsFolder
from caseload_sim.scenario.wording import title_from_name


def scenario_differences(baseline: dict[str, Any], option: dict[str, Any]) -> list[dict[str, str]]:
    """The fields of ``option`` that differ from ``baseline`` (name and description left out),
    with both values as written in a scenario file; the report shows them in words
    (:func:`caseload_sim.report.findings.field_changes`)."""
    base, other = flatten(baseline), flatten(option)
    changes = []
    for path in sorted(set(base) | set(other)):
        if path in ("name", "description"):
            continue
        if base.get(path, NOT_SET) != other.get(path, NOT_SET):
            changes.append(
                {
                    "path": path,
                    "baseline": show(base.get(path, NOT_SET)),
                    "option": show(other.get(path, NOT_SET)),
                }
            )
    return changes


def difference_cell(entry: dict[str, Any] | None) -> dict[str, Any]:
    """A paired difference as a table cell: its text, and whether its interval excludes 0."""
    if not entry or entry.get("mean") is None:
        return {"text": "-", "significant": False}
    low, high = entry.get("ci95_low"), entry.get("ci95_high")
    return {
        "text": f"{fmt_diff(entry['mean'])} ({fmt(low)} to {fmt(high)})",
        "significant": significant(entry),
    }


def period_difference_tables(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    """For each option compared over periods between dated changes, a table of the headline
    KPIs' paired differences in each period."""
    tables = []
    for option, periods in comparison.get("period_differences", {}).items():
        if not periods:
            continue
        names = [k for k in HEADLINE_KPIS if k in periods[0].get("differences", {})]
        tables.append(
            {
                "option": option,
                "title": title_from_name(option),
                "baseline": title_from_name(str(comparison.get("baseline", ""))),
                "periods": [
                    f"{p['label']} ({p['start_date']} to {p['end_date']})" for p in periods
                ],
                "rows": [
                    {
                        "name": name,
                        "title": title(name),
                        "unit": unit(name),
                        "cells": [difference_cell(p["differences"].get(name)) for p in periods],
                    }
                    for name in names
                ],
            }
        )
    return tables


def context(folder: ResultsFolder) -> Page:
    """Everything the report of a compare folder shows."""
    comparison = folder.comparison
    provenance = folder.provenance
    names: list[str] = list(comparison.get("scenarios", []))
    baseline = comparison.get("baseline", names[0] if names else "")
    summaries = {}
    scenarios = {}
    for name in names:
        run = folder.run(name)
        summaries[name] = run.summary if run.has("summary.json") else {}
        scenarios[name] = run.scenario_document()
    base_summary = summaries.get(baseline, {})
    options = [n for n in names if n != baseline]
    fields = [
        ("Baseline", title_from_name(baseline)),
        ("Options", ", ".join(title_from_name(n) for n in options) or "(none)"),
        ("Seed", str(comparison.get("seed", ""))),
        ("Replications", f"{comparison.get('replications', '')} per scenario, paired"),
        ("Warm-up", f"{fmt(base_summary.get('warmup_days'))} days"),
        ("Run length", f"{fmt(base_summary.get('horizon_days'))} days"),
        ("Assessment regime", regime_name(base_summary.get("regime"))),
    ]
    board, changes = compare_board(folder, scenarios, summaries)
    tables = []
    for name in names:
        kpis = summaries[name].get("kpis") or {
            kpi: {**entry, "unit": unit(kpi)}
            for kpi, entry in comparison.get("kpis", {}).get(name, {}).items()
        }
        tables.append(
            {
                "scenario": name,
                "title": title_from_name(name),
                "caption": "baseline" if name == baseline else "option",
                "rows": kpi_rows(kpis),
            }
        )
    all_kpis = ordered(list(comparison.get("kpis", {}).get(baseline, {})))
    diff_rows = []
    for kpi in all_kpis:
        cells = [
            difference_cell(comparison.get("differences", {}).get(option, {}).get(kpi))
            for option in options
        ]
        base_mean = comparison.get("kpis", {}).get(baseline, {}).get(kpi, {}).get("mean")
        diff_rows.append(
            {
                "name": kpi,
                "title": title(kpi),
                "headline": kpi in HEADLINE_KPIS,
                "unit": unit(kpi),
                "baseline": fmt(base_mean),
                "cells": cells,
            }
        )
    methods, versions = methods_and_versions(
        provenance,
        base_summary.get("replication_choice", provenance.get("replications", {})),
        base_summary.get("warmup_choice", {}),
    )
    period_tables = [
        table
        for name in names
        if (table := period_table(summaries[name], "baseline" if name == baseline else "option"))
    ]
    count = f"{len(options)} option{'s' if len(options) != 1 else ''}"
    return Page(
        sources=source_notes(folder.run(baseline).path),
        period_tables=period_tables,
        recovery_note=recovery_note() if period_tables else "",
        title=f"{title_from_name(baseline)} and {count}",
        summary=fields,
        board=board,
        option_changes=changes,
        kpi_tables=tables,
        differences={
            "baseline": title_from_name(baseline),
            "options": [title_from_name(n) for n in options],
            "rows": diff_rows,
        },
        period_differences=period_difference_tables(comparison),
        definitions=definitions(all_kpis),
        methods=methods,
        versions=versions,
        assumptions=assumptions(scenarios.get(baseline, {})),
        assumptions_note=f"The baseline, {title_from_name(baseline)}; each option differs from "
        'it only in what is listed under "What each option changes from the baseline".',
    )
