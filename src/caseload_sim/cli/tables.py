"""The KPI tables the experiment commands print, each KPI by its plain title (and, with
``--ids``, its identifier beside it).

Names, units and the headline order come from the KPI registry
(:mod:`caseload_sim.metrics.catalogue`). Planners read the titles; identifiers are for files and
code, so they are printed only on request, for analysts who script against ``summary.json`` and
the CSV files. On a console too narrow for both columns the identifier goes under the name.
Scenarios are headed by their title ("County 2010 as found"), not the name their results folders
go by.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from caseload_sim.cli.common import wide_console

if TYPE_CHECKING:
    from rich.table import Table

    from caseload_sim.experiment.comparison import Comparison
    from caseload_sim.experiment.replications import ExperimentResult

#: The narrowest the column of plain names gets when a wide table must fit the console.
TITLE_MIN_WIDTH = 16

#: A row: the KPI's plain title, its identifier, and the other cells.
Row = tuple[str, str, Sequence[str]]
#: A column after the KPI's names: its header and its options (``rich.table.Table.add_column``).
Column = tuple[str, dict[str, Any]]


def fmt(value: float) -> str:
    """A figure with two decimals and thousands separators; ``-`` for nothing to count."""
    return "-" if value != value else f"{value:,.2f}"  # NaN is not equal to itself


def title(name: str) -> str:
    """The plain title of a KPI (its identifier if the registry has none)."""
    from caseload_sim.metrics.catalogue import KPIS

    return KPIS[name].title if name in KPIS else name


def scenario_title(name: str) -> str:
    """A scenario's name as a planner reads it ("County 2010 as found"), escaped for rich, which
    reads headings as markup."""
    from rich.markup import escape

    from caseload_sim.scenario.wording import title_from_name

    return escape(title_from_name(name))


def headline(names: Collection[str], all_kpis: bool) -> list[str]:
    """Every KPI given, or those of them in the registry's headline order."""
    from caseload_sim.metrics.catalogue import HEADLINE_KPIS

    return list(names) if all_kpis else [n for n in HEADLINE_KPIS if n in names]


def print_kpi_table(
    heading: str,
    columns: Sequence[Column],
    rows: Sequence[Row],
    caption: str | None = None,
    ids: bool = False,
) -> None:
    """A table of KPIs named by plain title, and with ``ids`` by identifier too: in two columns
    if the console has room for them with the titles wrapped no narrower than
    :data:`TITLE_MIN_WIDTH` and the other cells whole, otherwise in one (the identifier dimmed
    under the title)."""
    from rich.measure import Measurement

    console = wide_console()
    if not ids:  # with no identifier to move under it, a title simply wraps on a narrow console
        console.print(kpi_table(heading, columns, rows, caption))
        return
    table = kpi_table(heading, columns, rows, caption, beside=True, ids=True)
    unlimited = console.options.update(max_width=1_000_000)
    natural = Measurement.get(console, unlimited, table).maximum
    longest = max((len(plain) for plain, _, _ in rows), default=0)
    if natural - max(0, longest - TITLE_MIN_WIDTH) > console.width:
        table = kpi_table(heading, columns, rows, caption, beside=False, ids=True)
    console.print(table)


def kpi_table(
    heading: str,
    columns: Sequence[Column],
    rows: Sequence[Row],
    caption: str | None = None,
    beside: bool = True,
    ids: bool = False,
) -> Table:
    """The table :func:`print_kpi_table` prints: the titles alone, or with the identifiers
    beside them or under them."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=heading, caption=caption)
    widest = max((len(name) for _, name, _ in rows), default=2)
    if ids and not beside:
        # Unwrapped, so that a narrow console wraps the figures (as it always has), not the names.
        table.add_column("KPI and id", no_wrap=True)
    else:
        table.add_column("KPI", min_width=TITLE_MIN_WIDTH)
        if ids:
            table.add_column("id", style="dim", no_wrap=True, min_width=widest)
    for header, options in columns:
        table.add_column(header, **options)
    for plain, name, cells in rows:
        if not ids:
            names = [Text(plain)]
        elif beside:
            names = [Text(plain), Text(name)]
        else:
            names = [Text.assemble(plain, "\n", (name, "dim"))]
        table.add_row(*names, *cells)
    return table


def print_kpis(result: ExperimentResult, all_kpis: bool, ids: bool = False) -> None:
    """The mean and 95% interval of the headline KPIs (or all) of one scenario."""
    summary = result.summary()
    right = {"justify": "right"}
    rows: list[Row] = []
    for name in headline(summary, all_kpis):
        entry = summary[name]
        interval = f"{fmt(entry['ci95_low'])} to {fmt(entry['ci95_high'])}"
        rows.append((title(name), name, [fmt(entry["mean"]), interval, entry["unit"]]))
    print_kpi_table(
        f"{scenario_title(result.scenario.name)}: {result.replications} replications, seed "
        f"{result.seed} (95% confidence intervals)",
        [("mean", right), ("95% CI", right), ("unit", {})],
        rows,
        ids=ids,
    )
    if not all_kpis:
        print_costs(result)


def print_costs(result: ExperimentResult) -> None:
    """What the staff cost, in the report's readings (nothing without costs)."""
    from rich.markup import escape

    from caseload_sim.report.findings import cost_readings

    console = wide_console()
    for reading in cost_readings(result.summary(), result.scenario):
        console.print(escape(reading))


def print_periods(result: ExperimentResult, ids: bool = False) -> None:
    """The headline KPIs of each period between dated changes (nothing without a timeline)."""
    from rich.markup import escape

    from caseload_sim.metrics.periods import DAYS_TO_RECOVER

    periods = result.period_summary()
    if not periods:
        return
    columns: list[Column] = []
    for period in periods:
        dates = f"{period['start_date']} to {period['end_date']}"
        header = f"{escape(period['label'])}\n{dates}"
        columns.append((header, {"justify": "right", "min_width": len(dates)}))
    columns.append(("unit", {}))

    def cell(entry: dict[str, Any]) -> str:
        if entry["n"] == 0:
            return "-"
        interval = (
            f" ({fmt(entry['ci95_low'])} to {fmt(entry['ci95_high'])})" if entry["n"] > 1 else ""
        )
        return f"{fmt(entry['mean'])}{interval}"

    rows: list[Row] = []
    for name in headline(periods[0]["kpis"], False):
        unit = periods[0]["kpis"][name]["unit"]
        rows.append((title(name), name, [*[cell(p["kpis"][name]) for p in periods], unit]))
    recovery = [period[DAYS_TO_RECOVER] for period in periods[1:]]
    rows.append(("Days to recover", DAYS_TO_RECOVER, ["-", *map(cell, recovery), "days"]))
    recovered = [f"{entry['n']} of {result.replications}" for entry in recovery]
    rows.append(
        ("Replications that recovered", "replications_recovered", ["-", *recovered, "replications"])
    )
    print_kpi_table(
        "Before and after each change: mean (95% CI) in each period",
        columns,
        rows,
        caption="Days to recover: from the change until the unallocated queue is back to its "
        "level before it, in the replications that recovered within the period.",
        ids=ids,
    )


def print_comparison(comparison: Comparison, all_kpis: bool, ids: bool = False) -> None:
    """Baseline means and each option's paired difference, starred where it excludes 0."""
    base = comparison.results[0]
    summaries = [r.summary() for r in comparison.results]
    options = comparison.results[1:]
    columns: list[Column] = [(scenario_title(comparison.baseline), {"justify": "right"})]
    for result in options:
        header = f"{scenario_title(result.scenario.name)}\n(difference, 95% CI)"
        columns.append((header, {"justify": "right"}))
    rows: list[Row] = []
    for name in headline(summaries[0], all_kpis):
        cells = [fmt(summaries[0][name]["mean"])]
        for result in options:
            cells.append(difference_cell(comparison.differences[result.scenario.name].get(name)))
        rows.append((title(name), name, cells))
    print_kpi_table(
        f"Paired comparison against {scenario_title(comparison.baseline)}: "
        f"{base.replications} replications on common random numbers, seed "
        f"{base.seed}. * the 95% CI of the difference excludes 0",
        columns,
        rows,
        ids=ids,
    )
    for result in options:
        periods = comparison.period_differences.get(result.scenario.name)
        if periods:
            print_period_differences(
                comparison.baseline, result.scenario.name, periods, all_kpis, ids
            )
    if comparison.value_for_money:
        print_value_for_money(comparison)


def print_value_for_money(comparison: Comparison) -> None:
    """What each option costs against the baseline and what a point of each headline KPI
    gained costs, in a table and in the report's sentences."""
    from rich.markup import escape
    from rich.table import Table

    from caseload_sim.report.value_for_money import value_findings, value_table

    document = {
        "scenarios": comparison.names,
        "value_for_money": comparison.value_for_money,
        "period_differences": comparison.period_differences,
    }
    rows = value_table(document)
    table = Table(
        title=f"Value for money against {scenario_title(comparison.baseline)} over the measured "
        "period: the paired difference in staffing cost a year, and the cost of each point "
        "gained (95% CI; — where the KPI does not move significantly)"
    )
    for header in rows[0] if rows else ():
        table.add_column(header, justify="left" if header in ("Option", "KPI") else "right")
    shown = None
    for row in rows:
        cells = list(row.values())
        if (cells[0], cells[1]) == shown:
            cells[0] = cells[1] = ""  # the option and its cost, once for its rows
        else:
            shown = (cells[0], cells[1])
        table.add_row(*(escape(cell) for cell in cells))
    console = wide_console()
    console.print(table)
    for option in value_findings(document):
        for sentence in option.sentences:
            console.print(escape(sentence))


def difference_cell(d: dict[str, Any] | None) -> str:
    """A paired difference with its 95% interval, starred when the interval excludes 0."""
    if d is None or d.get("n") == 0 or d.get("mean") is None or math.isnan(d["mean"]):
        return "-"
    from caseload_sim.experiment.statistics import excludes_zero

    low, high = d["ci95_low"], d["ci95_high"]
    return f"{d['mean']:+,.2f} ({fmt(low)} to {fmt(high)}){' *' if excludes_zero(d) else ''}"


def print_period_differences(
    baseline: str, option: str, periods: list[dict[str, Any]], all_kpis: bool, ids: bool = False
) -> None:
    """An option's paired differences in each period between dated changes."""
    from rich.markup import escape

    columns: list[Column] = [
        (f"{escape(p['label'])}\n{p['start_date']} to {p['end_date']}", {"justify": "right"})
        for p in periods
    ]
    names = headline(periods[0]["differences"], all_kpis)
    rows: list[Row] = [
        (title(name), name, [difference_cell(p["differences"].get(name)) for p in periods])
        for name in names
    ]
    print_kpi_table(
        f"{scenario_title(option)} against {scenario_title(baseline)} after each dated change: "
        "the paired difference in each period (95% CI). * the interval excludes 0",
        columns,
        rows,
        ids=ids,
    )


def note_choices(result: ExperimentResult) -> None:
    """A line on how the replications and the warm-up were chosen, when they were."""
    choice = result.replication_choice
    console = wide_console()
    if choice.get("method", "fixed") != "fixed":
        console.print(f"Replications: {choice['run']} run ({choice['reason']}).")
    warmup = result.warmup_choice
    if warmup.get("method", "fixed") != "fixed":
        console.print(f"Warm-up: {warmup['warmup_days']:g} days by MSER-5.")
