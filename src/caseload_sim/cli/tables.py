"""The KPI tables the experiment commands print, in plain words with each KPI's identifier beside.

Names, units and the headline order come from the KPI registry
(:mod:`caseload_sim.metrics.catalogue`); identifiers stay visible because analysts script
against them.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from caseload_sim.cli.common import wide_console

if TYPE_CHECKING:
    from rich.table import Table

    from caseload_sim.experiment.comparison import Comparison
    from caseload_sim.experiment.replications import ExperimentResult

#: The narrowest the column of plain names gets when a wide table must fit the console.
TITLE_MIN_WIDTH = 16


def fmt(value: float) -> str:
    """A figure with two decimals and thousands separators; ``-`` for nothing to count."""
    return "-" if value != value else f"{value:,.2f}"  # NaN is not equal to itself


def kpi_table(title: str, names: list[str], caption: str | None = None) -> Table:
    """A table whose first columns name each KPI: its plain title, then its identifier."""
    from rich.table import Table

    table = Table(title=title, caption=caption)
    table.add_column("KPI", min_width=TITLE_MIN_WIDTH)
    table.add_column("id", style="dim", no_wrap=True, min_width=max(map(len, names), default=2))
    return table


def title(name: str) -> str:
    """The plain title of a KPI (its identifier if the registry has none)."""
    from caseload_sim.metrics.catalogue import KPIS

    return KPIS[name].title if name in KPIS else name


def headline(names: Collection[str], all_kpis: bool) -> list[str]:
    """Every KPI given, or those of them in the registry's headline order."""
    from caseload_sim.metrics.catalogue import HEADLINE_KPIS

    return list(names) if all_kpis else [n for n in HEADLINE_KPIS if n in names]


def print_kpis(result: ExperimentResult, all_kpis: bool) -> None:
    """The mean and 95% interval of the headline KPIs (or all) of one scenario."""
    summary = result.summary()
    names = headline(summary, all_kpis)
    table = kpi_table(
        f"{result.scenario.name}: {result.replications} replications, seed "
        f"{result.seed} (95% confidence intervals)",
        names,
    )
    table.add_column("mean", justify="right")
    table.add_column("95% CI", justify="right")
    table.add_column("unit")
    for name in names:
        entry = summary[name]
        table.add_row(
            title(name),
            name,
            fmt(entry["mean"]),
            f"{fmt(entry['ci95_low'])} to {fmt(entry['ci95_high'])}",
            entry["unit"],
        )
    wide_console().print(table)


def print_periods(result: ExperimentResult) -> None:
    """The headline KPIs of each period between dated changes (nothing without a timeline)."""
    from rich.markup import escape

    from caseload_sim.metrics.periods import DAYS_TO_RECOVER

    periods = result.period_summary()
    if not periods:
        return
    names = headline(periods[0]["kpis"], False)
    table = kpi_table(
        "Before and after each change: mean (95% CI) in each period",
        [*names, DAYS_TO_RECOVER, "replications_recovered"],
        caption="days_to_recover: from the change until the unallocated queue is back to its "
        "level before it, in the replications that recovered within the period.",
    )
    for period in periods:
        dates = f"{period['start_date']} to {period['end_date']}"
        table.add_column(
            f"{escape(period['label'])}\n{dates}", justify="right", min_width=len(dates)
        )
    table.add_column("unit")

    def cell(entry: dict[str, Any]) -> str:
        if entry["n"] == 0:
            return "-"
        interval = (
            f" ({fmt(entry['ci95_low'])} to {fmt(entry['ci95_high'])})" if entry["n"] > 1 else ""
        )
        return f"{fmt(entry['mean'])}{interval}"

    for name in names:
        unit = periods[0]["kpis"][name]["unit"]
        table.add_row(title(name), name, *[cell(period["kpis"][name]) for period in periods], unit)
    recovery = [period[DAYS_TO_RECOVER] for period in periods[1:]]
    table.add_row(
        "Days to recover", DAYS_TO_RECOVER, "-", *[cell(entry) for entry in recovery], "days"
    )
    table.add_row(
        "Replications that recovered",
        "replications_recovered",
        "-",
        *[f"{entry['n']} of {result.replications}" for entry in recovery],
        "replications",
    )
    wide_console().print(table)


def print_comparison(comparison: Comparison, all_kpis: bool) -> None:
    """Baseline means and each option's paired difference, starred where it excludes 0."""
    base = comparison.results[0]
    summaries = [r.summary() for r in comparison.results]
    names = headline(summaries[0], all_kpis)
    table = kpi_table(
        f"Paired comparison against {comparison.baseline}: "
        f"{base.replications} replications on common random numbers, seed "
        f"{base.seed}. * the 95% CI of the difference excludes 0",
        names,
    )
    table.add_column(comparison.baseline, justify="right")
    for result in comparison.results[1:]:
        table.add_column(f"{result.scenario.name}\n(difference, 95% CI)", justify="right")
    for name in names:
        cells = [fmt(summaries[0][name]["mean"])]
        for result in comparison.results[1:]:
            d = comparison.differences[result.scenario.name].get(name)
            if d is None or d["n"] == 0:
                cells.append("-")
                continue
            significant = d["ci95_low"] > 0 or d["ci95_high"] < 0
            cells.append(
                f"{d['mean']:+,.2f} ({fmt(d['ci95_low'])} to "
                f"{fmt(d['ci95_high'])}){' *' if significant else ''}"
            )
        table.add_row(title(name), name, *cells)
    wide_console().print(table)


def note_choices(result: ExperimentResult) -> None:
    """A line on how the replications and the warm-up were chosen, when they were."""
    choice = result.replication_choice
    console = wide_console()
    if choice.get("method", "fixed") != "fixed":
        console.print(f"Replications: {choice['run']} run ({choice['reason']}).")
    warmup = result.warmup_choice
    if warmup.get("method", "fixed") != "fixed":
        console.print(f"Warm-up: {warmup['warmup_days']:g} days by MSER-5.")
