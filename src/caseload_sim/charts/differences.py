"""differences: what each option changes, as paired differences from the baseline (compare).

A forest plot from ``comparison.json``: for each headline KPI, the difference of each option from
the baseline on common random numbers with its 95% interval, and a line at 0.
"""

from __future__ import annotations

import textwrap

from caseload_sim.charts.registry import ChartData, Drawing, chart
from caseload_sim.charts.style import figure, note, series_style, subtitle
from caseload_sim.charts.wording import number, title, unit, with_unit
from caseload_sim.metrics.catalogue import HEADLINE_KPIS


@chart("differences", kinds=("compare",))
def differences(data: ChartData) -> Drawing:
    """Each option's paired difference from the baseline on each headline KPI."""
    runs = data.runs
    document = data.folder.comparison
    baseline = document["baseline"]
    options = [s for s in document["scenarios"] if s != baseline]
    paired = document.get("differences", {})
    base_kpis = document.get("kpis", {}).get(baseline, {})
    names = [
        k
        for k in HEADLINE_KPIS
        if base_kpis.get(k, {}).get("mean") is not None
        and any(paired.get(o, {}).get(k, {}).get("mean") is not None for o in options)
    ]
    fig, axes = figure(9, 0.95 * max(1, len(names)) + 1.6, max(1, len(names)), 1)
    changed: dict[str, int] = {o: 0 for o in options}
    for row, name in enumerate(names):
        ax = axes[row, 0]
        for index, option in enumerate(options):
            entry = paired.get(option, {}).get(name, {})
            if entry.get("mean") is None:
                continue
            mean, low, high = (number(entry[k]) for k in ("mean", "ci95_low", "ci95_high"))
            if low > 0 or high < 0:
                changed[option] += 1
            style = series_style(index + 1)
            y = -index
            ax.errorbar(
                mean,
                y,
                xerr=[[mean - low], [high - mean]],
                fmt=style["marker"],
                color=style["color"],
                markersize=7,
                capsize=4,
                label=option if row == 0 else None,
            )
        ax.axvline(0, color="black", linewidth=1)
        ax.set_yticks([])
        ax.set_ylim(-len(options) + 0.5, 0.5)
        unit_text = "percentage points" if unit(name) == "%" else unit(name)
        base = number(base_kpis[name]["mean"])
        ax.set_ylabel(
            f"{textwrap.fill(title(name), 30)}\n(baseline {with_unit(name, base)})",
            rotation=0,
            ha="right",
            va="center",
            fontsize=8,
        )
        ax.text(1.0, 0.5, f" {unit_text}", transform=ax.transAxes, fontsize=8, va="center")
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(axis="x", labelsize=8)
        low_x, high_x = ax.get_xlim()
        span = max(abs(low_x), abs(high_x))
        ax.set_xlim(-span * 1.1, span * 1.1)
    if names:
        axes[-1, 0].set_xlabel(
            f"Paired difference from {baseline} (option minus baseline, in each KPI's own unit;"
            " 95% CI)"
        )
        axes[0, 0].legend(
            fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.02), ncol=min(3, len(options))
        )
    else:
        note(axes[0, 0], "No headline KPI to compare")
    parts = [
        f"{option} changes {changed[option]} of {len(names)} headline KPIs with 95% confidence"
        for option in options
    ]
    reading = f"Against {baseline}, " + "; ".join(parts) + " (interval excluding 0)"
    heading = "What each option changes: paired differences from the baseline, headline KPIs"
    return Drawing(fig, heading, subtitle(runs), reading)
