"""waits: how long referrals wait, as the cumulative share of waits (run, compare).

From ``waits.csv``, all replications pooled: referral to allocation, and an immediate-risk
referral to its strategy discussion; markers at the 25th, 50th, 75th and 90th percentiles.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from caseload_sim.charts.registry import ChartData, Drawing, chart
from caseload_sim.charts.style import (
    figure,
    legend_below,
    note,
    series_style,
    subtitle,
)
from caseload_sim.charts.wording import change, plain
from caseload_sim.metrics.registry import read, reading_context
from caseload_sim.scenario.wording import title_from_name


@chart("waits", kinds=("run", "compare"))
def waits(data: ChartData) -> Drawing:
    """The cumulative share of waits for allocation and for a strategy discussion."""
    runs = data.runs
    fig, axes = figure(12, 5, 1, 2)
    measures = (
        ("referral_to_allocation_days", "Referral to allocation (days, calendar)"),
        (
            "referral_to_strategy_discussion_days",
            "Immediate-risk referral to strategy discussion (days, calendar)",
        ),
    )
    counts: list[list[int]] = [[] for _ in runs]
    for ax, (measure, label) in zip(axes[0], measures, strict=True):
        drawn = False
        for index, run in enumerate(runs):
            table = run.waits
            days = np.sort(table.loc[table["measure"] == measure, "days"].to_numpy(dtype=float))
            days = days[~np.isnan(days)]
            counts[index].append(days.size)
            if not days.size:
                continue
            drawn = True
            share = np.arange(1, days.size + 1) / days.size * 100
            style = series_style(index)
            ax.step(
                days,
                share,
                where="post",
                color=style["color"],
                linestyle=style["linestyle"],
                linewidth=1.8,
            )
            marks = np.searchsorted(share, [25, 50, 75, 90])
            ax.plot(
                days[marks],
                share[marks],
                linestyle="none",
                marker=style["marker"],
                color=style["color"],
                markersize=6,
            )
        ax.axhline(90, color="0.5", linestyle=":", linewidth=1)
        ax.text(
            1,
            90,
            "90% ",
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="bottom",
            fontsize=8,
            color="0.3",
        )
        ax.set_xlabel(label)
        ax.set_ylabel("Share waiting this long or less (%)")
        ax.set_ylim(0, 102)
        ax.set_xlim(left=0)
        ax.grid(alpha=0.3)
        if not drawn:
            note(ax, "none in the measured period")
    # One legend for both panels, below them: a scenario's line is the same in each, and long
    # names in a legend inside a panel would hide the lines.
    handles = [
        Line2D([], [], linewidth=1.8, markersize=6, **series_style(index))
        for index in range(len(runs))
    ]
    labels = [
        f"{title_from_name(run.name)} ({allocated:,} waits for allocation, {discussed:,} for a "
        "strategy discussion)"
        for run, (allocated, discussed) in zip(runs, counts, strict=True)
    ]
    legend_below(fig, handles, labels, most=2)
    name = "referral_to_allocation_days_p90"
    if len(runs) == 1:
        entry = runs[0].kpi(name)
        reading = (
            read(name, entry, reading_context(runs[0].scenario))
            if entry
            else "No referral was allocated in the measured period"
        )
    else:
        reading = change(f"the {plain(name)}", name, runs)
    heading = "How long referrals wait: cumulative share of waits (all replications pooled)"
    markers = subtitle(runs).replace(", 95% intervals", "; markers at 25, 50, 75, 90%")
    return Drawing(fig, heading, markers, reading)
