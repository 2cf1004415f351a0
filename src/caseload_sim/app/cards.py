"""The headline KPIs of a run as cards: a plain title, the value with its unit, the 95% interval
and the one-sentence reading, all from the KPI registry and the run's ``summary.json``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.metrics.registry import read, reading_context
from caseload_sim.results.reader import ResultsFolder


@dataclass(frozen=True)
class Card:
    """One KPI as the page shows it."""

    name: str
    title: str
    value: str
    interval: str
    reading: str


def shown(value: float | None, unit: str) -> str:
    """A value as a card shows it: '48.5%', '3.2 days', '1,204'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}"
    if unit:
        return f"{value:.1f} {unit}"
    return f"{value:.2f}"


def cards(folder: ResultsFolder) -> list[Card]:
    """The headline KPIs the run measured, in the registry's order."""
    summary = folder.summary
    context = reading_context(folder.scenario)
    made = []
    for name in HEADLINE_KPIS:
        entry: dict[str, Any] | None = summary["kpis"].get(name)
        if entry is None:
            continue
        unit = KPIS[name].unit
        low, high = entry.get("ci95_low"), entry.get("ci95_high")
        interval = (
            f"95% CI {shown(low, unit)} to {shown(high, unit)}"
            if low is not None and high is not None
            else "one replication: no interval"
        )
        made.append(
            Card(
                name,
                KPIS[name].title,
                shown(entry.get("mean"), unit),
                interval,
                read(name, entry, context),
            )
        )
    return made
