"""backlog: referrals waiting for allocation and open cases over time (run, compare).

The weekly levels of ``timeseries.csv``, mean and 95% t band over replications, one line per
scenario; the warm-up shaded, and a dashed line at each dated change that begins a period.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from caseload_sim.charts.registry import ChartData, Drawing, chart
from caseload_sim.charts.style import (
    PALETTE,
    figure,
    legend_below,
    series_style,
    subtitle,
    t_band,
)
from caseload_sim.charts.wording import change, fmt, interval, plain
from caseload_sim.results.reader import ResultsFolder
from caseload_sim.scenario.wording import title_from_name

#: The KPIs the reading quotes.
UNALLOCATED = "unallocated_referrals_mean"
OPEN = "open_cases_mean"


def _dated_changes(runs: Sequence[ResultsFolder]) -> list[tuple[pd.Timestamp, str]]:
    """The date and label of each change that begins a period of any run, in date order (the
    labels of changes on the same date joined)."""
    labels: dict[pd.Timestamp, list[str]] = {}
    for run in runs:
        for period in run.periods[1:]:
            date = period.get("start_date")
            if not date:
                continue
            found = labels.setdefault(pd.Timestamp(date), [])
            label = str(period.get("label") or "")
            if label not in found:
                found.append(label)
    return [(date, " / ".join(labels[date])) for date in sorted(labels)]


def _mark_changes(
    ax: Axes, changes: Sequence[tuple[pd.Timestamp, str]], named: bool = True
) -> None:
    """A dashed vertical line at each dated change, labelled along it (if ``named``)."""
    for position, (date, label) in enumerate(changes):
        ax.axvline(
            date,
            color=PALETTE[-1],
            linestyle="--",
            linewidth=1.3,
            zorder=3,
            label="dated change (named beside the line)" if position == 0 else None,
        )
        if not named:
            continue
        if " / " in label:
            label = f"{date.date().isoformat()}: changes of {label.count(' / ') + 1} scenarios"
        ax.text(
            date,
            0.97,
            f" {label}",
            transform=ax.get_xaxis_transform(),
            rotation=90,
            ha="right",
            va="top",
            fontsize=8,
            bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1},
            zorder=4,
        )


@chart("backlog", kinds=("run", "compare"))
def backlog(data: ChartData) -> Drawing:
    """Referrals waiting for allocation (top) and open cases (bottom), week by week."""
    runs = data.runs
    fig, axes = figure(10, 7, 2, 1)
    changes = _dated_changes(runs)
    series = (
        ("unallocated_referrals", "Unallocated referrals (referrals)"),
        ("open_cases", "Open cases at the front door (cases)"),
    )
    for ax, (column, label) in zip(axes[:, 0], series, strict=True):
        start = None
        for index, run in enumerate(runs):
            table = run.timeseries
            if column not in table:
                continue
            dates = pd.to_datetime(table["date"])
            start = dates.min() if start is None else min(start, dates.min())
            grouped = table.assign(date=dates).groupby("date")[column]
            rows = [(d, *t_band(g.to_numpy(dtype=float))) for d, g in grouped]
            x = [r[0] for r in rows]
            mean = np.array([r[1] for r in rows])
            style = series_style(index)
            ax.plot(
                x,
                mean,
                label=f"{title_from_name(run.name)} (mean)",
                markevery=max(1, len(x) // 12),
                markersize=5,
                **style,
            )
            ax.fill_between(
                x,
                [r[2] for r in rows],
                [r[3] for r in rows],
                color=style["color"],
                alpha=0.18,
                linewidth=0,
                label=f"{title_from_name(run.name)} (95% t band)",
            )
        warmup = float(runs[0].summary.get("warmup_days") or 0)
        if start is not None and warmup > 0:
            end = start + pd.Timedelta(days=warmup)
            ax.axvspan(
                start,
                end,
                facecolor="0.88",
                hatch="//",
                edgecolor="0.7",
                linewidth=0,
                zorder=0,
                label=f"warm-up ({warmup:g} days, not in the KPIs)",
            )
            ax.text(
                start + (end - start) / 2,
                0.97,
                "warm-up",
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="top",
                fontsize=9,
            )
        _mark_changes(ax, changes, named=ax is axes[0, 0])
        ax.set_ylabel(label)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[1, 0].set_xlabel("Date (weekly)")
    # Below the plots, where long scenario names have the figure's whole width.
    handles, labels = axes[0, 0].get_legend_handles_labels()
    legend_below(fig, handles, labels, most=2)
    if len(runs) == 1:
        unalloc, open_ = runs[0].kpi(UNALLOCATED), runs[0].kpi(OPEN)
        spread = f" ({interval(unalloc, UNALLOCATED)})" if unalloc else ""
        reading = (
            f"After warm-up the {plain(UNALLOCATED)} is "
            f"{fmt(unalloc['mean']) if unalloc else 'n/a'}{spread} and the {plain(OPEN)} is "
            f"{fmt(open_['mean']) if open_ else 'n/a'}"
        )
    else:
        reading = (
            change(f"the {plain(UNALLOCATED)}", UNALLOCATED, runs)
            + "; "
            + change(f"the {plain(OPEN)}", OPEN, runs)
        )
    if changes:
        marked = ", ".join(f"{label} ({date.date().isoformat()})" for date, label in changes)
        reading += f"; the dashed line{'s mark' if len(changes) > 1 else ' marks'} {marked}"
    heading = "Referrals waiting for allocation and open cases over time"
    return Drawing(fig, heading, subtitle(runs), reading)
