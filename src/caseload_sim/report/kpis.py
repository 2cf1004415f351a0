"""The KPI tables of the report: each KPI's mean and interval, its definition, and the headline
KPIs in each period between dated changes.

KPIs are listed headline first (in the registry's headline order), then in the order found. A
row names its KPI by the registry's plain title; the appendix adds its identifier (for analysts:
the name in the folder's files).
"""

from __future__ import annotations

from typing import Any

from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.report.numbers import fmt, fmt_ci
from caseload_sim.scenario.wording import title_from_name


def ordered(names: list[str]) -> list[str]:
    """Headline KPIs first (in their order), then the rest as found."""
    head = [n for n in HEADLINE_KPIS if n in names]
    return head + [n for n in names if n not in head]


def title(name: str) -> str:
    """The KPI's plain title from the registry ('' for a KPI this version does not know)."""
    kpi = KPIS.get(name)
    return kpi.title if kpi else ""


def kpi_rows(kpis: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per KPI of ``summary.json``'s ``kpis``: its names, mean, interval and unit."""
    rows = []
    for name in ordered(list(kpis)):
        entry = kpis[name]
        rows.append(
            {
                "name": name,
                "title": title(name),
                "headline": name in HEADLINE_KPIS,
                "mean": fmt(entry.get("mean")),
                "ci": fmt_ci(entry.get("ci95_low"), entry.get("ci95_high")),
                "unit": entry.get("unit") or unit(name),
                "n": entry.get("n", ""),
            }
        )
    return rows


def period_table(summary: dict[str, Any], caption: str = "") -> dict[str, Any] | None:
    """The headline KPIs of each period of a run's ``summary.json``, with the days to recover
    (None when the run has no periods)."""
    periods = summary.get("periods") or []
    if not periods:
        return None
    present = [n for n in HEADLINE_KPIS if n in (periods[0].get("kpis") or {})]
    rows = []
    for name in present:
        cells = []
        for period in periods:
            entry = (period.get("kpis") or {}).get(name) or {}
            cells.append(
                {
                    "mean": fmt(entry.get("mean")),
                    "ci": fmt_ci(entry.get("ci95_low"), entry.get("ci95_high")),
                }
            )
        found = ((periods[0].get("kpis") or {}).get(name) or {}).get("unit") or unit(name)
        rows.append({"name": name, "title": title(name), "unit": found, "cells": cells})
    replications = summary.get("replications", "")
    recovery = []
    for position, period in enumerate(periods):
        entry = period.get("days_to_recover") or {}
        if position == 0:
            recovery.append({"mean": "-", "ci": "", "recovered": "-"})
            continue
        recovery.append(
            {
                "mean": fmt(entry.get("mean")),
                "ci": fmt_ci(entry.get("ci95_low"), entry.get("ci95_high")),
                "recovered": f"{entry.get('n', 0)} of {replications}",
            }
        )
    return {
        "scenario": summary.get("scenario", ""),
        "title": title_from_name(str(summary.get("scenario", ""))),
        "caption": caption,
        "columns": [
            {
                "label": str(period.get("label", "")),
                "dates": f"{period.get('start_date', '?')} to {period.get('end_date', '?')}",
            }
            for period in periods
        ],
        "rows": rows,
        "recovery": recovery,
    }


def recovery_note() -> str:
    """How the days to recover after a change are measured, with the registry's settings."""
    from caseload_sim.metrics.periods import (
        RECOVERY_TOLERANCE_REFERRALS,
        RECOVERY_TOLERANCE_SHARE,
        RECOVERY_WINDOW_DAYS,
    )

    return (
        "Days to recover: the days from a change until the number of unallocated referrals, "
        f"averaged over the previous {RECOVERY_WINDOW_DAYS:g} days, is back at or below its "
        f"average over the {RECOVERY_WINDOW_DAYS:g} days before the change (within "
        f"{RECOVERY_TOLERANCE_REFERRALS:g} referrals or {RECOVERY_TOLERANCE_SHARE:.0%} of it, "
        "whichever is larger), looking from the end of the change's transition on and read from "
        "the sampled time series. The mean and interval are over the replications that "
        "recovered before the period ended; the next row says how many did."
    )


def unit(name: str) -> str:
    """The KPI's unit ('' for a KPI this version does not know)."""
    kpi = KPIS.get(name)
    return kpi.unit if kpi else ""


def definitions(names: list[str]) -> list[dict[str, str]]:
    """What each KPI measures, from the registry: its names, definition, numerator and
    denominator, and unit."""
    rows = []
    for name in ordered(names):
        kpi = KPIS.get(name)
        if kpi is None:
            rows.append(
                {"name": name, "title": "", "description": "(not in this version's KPI catalogue)"}
            )
            continue
        rows.append(
            {
                "name": name,
                "title": kpi.title,
                "description": kpi.description,
                "numerator": kpi.numerator,
                "denominator": kpi.denominator,
                "unit": kpi.unit,
            }
        )
    return rows
