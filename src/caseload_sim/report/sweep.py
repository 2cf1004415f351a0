"""The report of a ``sweep`` folder: the fields varied and each KPI at every point of the grid."""

from __future__ import annotations

from caseload_sim.metrics.catalogue import HEADLINE_KPIS
from caseload_sim.report.assumptions import source_notes
from caseload_sim.report.kpis import definitions, ordered, title, unit
from caseload_sim.report.methods import (
    first_warmup,
    methods_and_versions,
    replication_text,
    scenario_name,
)
from caseload_sim.report.numbers import fmt, fmt_ci
from caseload_sim.report.page import Page
from caseload_sim.results.reader import ResultsFolder


def context(folder: ResultsFolder) -> Page:
    """Everything the report of a sweep folder shows."""
    rows = folder.read_rows("sweep.csv")
    provenance = folder.provenance
    header = list(rows[0]) if rows else []
    fields_varied = [
        h for h in header if h not in ("point", "kpi", "mean", "ci95_low", "ci95_high")
    ]
    points: dict[str, list[str]] = {}
    by_kpi: dict[str, dict[str, dict[str, str]]] = {}
    for row in rows:
        points.setdefault(row["point"], [row[f] for f in fields_varied])
        by_kpi.setdefault(row["kpi"], {})[row["point"]] = row
    point_ids = sorted(points, key=int)
    table_rows = []
    for kpi in ordered(list(by_kpi)):
        cells = []
        for point in point_ids:
            entry = by_kpi[kpi].get(point)
            cells.append(
                {
                    "mean": fmt(entry["mean"]) if entry else "-",
                    "ci": fmt_ci(entry["ci95_low"], entry["ci95_high"]) if entry else "",
                }
            )
        table_rows.append(
            {
                "name": kpi,
                "title": title(kpi),
                "headline": kpi in HEADLINE_KPIS,
                "unit": unit(kpi),
                "cells": cells,
            }
        )
    warmup = first_warmup(provenance)
    summary = [
        ("Scenario", scenario_name(provenance)),
        ("Fields varied", ", ".join(fields_varied)),
        ("Points", str(len(point_ids))),
        ("Seed", str(provenance.get("seed", ""))),
        ("Replications", replication_text(provenance.get("replications", {}))),
        ("Warm-up", f"{fmt(warmup.get('warmup_days'))} days"),
    ]
    methods, versions = methods_and_versions(provenance, provenance.get("replications", {}), warmup)
    return Page(
        sources=source_notes(folder.path),
        title=f"{scenario_name(provenance)}: sweep of {', '.join(fields_varied)}",
        summary=summary,
        points={
            "columns": [
                ", ".join(f"{f}={v}" for f, v in zip(fields_varied, points[p], strict=True))
                for p in point_ids
            ],
            "rows": table_rows,
            "staffing": False,
        },
        definitions=definitions(list(by_kpi)),
        methods=methods,
        versions=versions,
        assumptions_note="A sweep folder does not keep a resolved scenario file: the scenario is "
        "the file named in the command above, with each point's value of the varied fields.",
    )
