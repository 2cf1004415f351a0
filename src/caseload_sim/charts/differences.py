"""differences: what each option changes, as paired differences from the baseline (compare).

A forest plot from ``comparison.json``: for each headline KPI, the difference of each option from
the baseline on common random numbers with its 95% interval, and a line at 0.
"""

from __future__ import annotations

import textwrap

from caseload_sim.charts.registry import ChartData, Drawing, chart
from caseload_sim.charts.style import (
    figure,
    legend_height,
    legend_labels,
    note,
    pixels,
    series_style,
    subtitle,
    text_height,
    wrap,
)
from caseload_sim.charts.wording import number, title, unit, with_unit
from caseload_sim.metrics.catalogue import HEADLINE_KPIS
from caseload_sim.scenario.wording import title_from_name

WIDTH = 9
#: The height of a KPI's row for the usual one to four options, and per option beyond.
ROW_HEIGHT = 0.95
OPTION_HEIGHT = 0.16
#: The characters of a KPI's name on a line, left of its row.
NAME_CHARACTERS = 30
LABEL_FONTSIZE = 8
#: The share of the figure's width the rows span (the KPI names and units take the rest).
ROWS_SHARE = 0.6


def _kpi_label(name: str, base: float) -> str:
    """The KPI's name, wrapped, over its baseline value."""
    return f"{textwrap.fill(title(name), NAME_CHARACTERS)}\n(baseline {with_unit(name, base)})"


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
    labels = [_kpi_label(name, number(base_kpis[name]["mean"])) for name in names]
    # Each row is as tall as its KPI's label, so that long names do not run into the next row.
    row = max(
        ROW_HEIGHT + OPTION_HEIGHT * max(0, len(options) - 4),
        *(text_height(label.count("\n") + 2, LABEL_FONTSIZE) for label in labels),
    )
    entries, ncols = legend_labels(
        [title_from_name(option) for option in options],
        ROWS_SHARE * pixels(WIDTH),
        LABEL_FONTSIZE,
    )
    key = legend_height(entries, ncols, LABEL_FONTSIZE) if names else 0.0
    fig, axes = figure(WIDTH, row * max(1, len(names)) + 1.6 + key, max(1, len(names)), 1)
    changed: dict[str, int] = {o: 0 for o in options}
    for place, (name, label) in enumerate(zip(names, labels, strict=True)):
        ax = axes[place, 0]
        for index, (option, entry_label) in enumerate(zip(options, entries, strict=True)):
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
                label=entry_label if place == 0 else None,
            )
        ax.axvline(0, color="black", linewidth=1)
        ax.set_yticks([])
        ax.set_ylim(-len(options) + 0.5, 0.5)
        unit_text = "percentage points" if unit(name) == "%" else unit(name)
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=LABEL_FONTSIZE)
        ax.text(
            1.0,
            0.5,
            f" {unit_text}",
            transform=ax.transAxes,
            fontsize=LABEL_FONTSIZE,
            va="center",
        )
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(axis="x", labelsize=LABEL_FONTSIZE)
        low_x, high_x = ax.get_xlim()
        span = max(abs(low_x), abs(high_x))
        ax.set_xlim(-span * 1.1, span * 1.1)
    if names:
        axes[-1, 0].set_xlabel(
            wrap(
                f"Paired difference from {title_from_name(baseline)} (option minus baseline, "
                "in each KPI's own unit; 95% CI)",
                ROWS_SHARE * pixels(WIDTH),
                10,
            )
        )
        # Above the rows, centred on them, as wide as they are.
        axes[0, 0].legend(
            fontsize=LABEL_FONTSIZE, loc="lower center", bbox_to_anchor=(0.5, 1.02), ncols=ncols
        )
    else:
        note(axes[0, 0], "No headline KPI to compare")
    parts = [
        f"{title_from_name(option)} changes {changed[option]} of {len(names)} headline KPIs "
        "with 95% confidence"
        for option in options
    ]
    reading = (
        f"Against {title_from_name(baseline)}, " + "; ".join(parts) + " (interval excluding 0)"
    )
    heading = "What each option changes: paired differences from the baseline, headline KPIs"
    return Drawing(fig, heading, subtitle(runs), reading)
