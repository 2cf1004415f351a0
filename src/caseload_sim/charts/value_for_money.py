"""value_for_money: what each option costs against what it gains (compare, with costs).

A cost-effectiveness plane for each headline percentage that an option moves (at most four,
two a row), from
``comparison.json``'s ``value_for_money`` over the measured period: each option's points gained
(across) and its difference in staffing cost a year (up), paired on common random numbers, with
their 95% intervals. Above and to the right, an option buys points; below and to the right, it
gains them and saves money.
"""

from __future__ import annotations

import math
from typing import Any

from caseload_sim.charts.registry import ChartData, Drawing, chart
from caseload_sim.charts.style import figure, legend_below, pixels, series_style, subtitle, wrap
from caseload_sim.charts.wording import money, number, title
from caseload_sim.experiment.statistics import excludes_zero as significant
from caseload_sim.experiment.value_for_money import value_kpis
from caseload_sim.metrics.catalogue import KPIS
from caseload_sim.scenario.wording import title_from_name

WIDTH = 9
#: The height of a row of panels.
ROW_HEIGHT = 4.2
#: The most panels, and the most side by side.
MOST_PANELS = 4
COLUMNS = 2
LABEL_FONTSIZE = 8


def _costed(data: ChartData) -> bool:
    return bool(data.folder.comparison.get("value_for_money"))


def _panels(values: dict[str, Any]) -> list[str]:
    """The KPIs to draw: those some option moves with 95% confidence, else the first two."""
    available = [k for k in value_kpis() if any(k in v.get("kpis", {}) for v in values.values())]
    moved = [
        k
        for k in available
        if any(significant(v["kpis"][k]["gain"]) for v in values.values() if k in v["kpis"])
    ]
    return (moved or available[:2])[:MOST_PANELS]


@chart("value_for_money", kinds=("compare",), applies=_costed)
def value_for_money(data: ChartData) -> Drawing:
    """Each option's staffing cost against the points it gains, on each headline percentage."""
    document = data.folder.comparison
    values: dict[str, Any] = document["value_for_money"]
    options = list(values)
    names = _panels(values)
    columns = min(COLUMNS, max(1, len(names)))
    rows = max(1, math.ceil(len(names) / columns))
    fig, axes = figure(WIDTH, ROW_HEIGHT * rows + 0.6, rows, columns)
    for spare in range(len(names), rows * columns):
        axes[spare // columns, spare % columns].set_visible(False)
    handles = []
    for place, name in enumerate(names):
        ax = axes[place // columns, place % columns]
        priced = 0
        for index, option in enumerate(options):
            entry = values[option]["kpis"].get(name)
            if entry is None:
                continue
            cost, gain = values[option]["cost"], entry["gain"]
            x, x_low, x_high = (number(gain[k]) for k in ("mean", "ci95_low", "ci95_high"))
            y, y_low, y_high = (number(cost[k]) / 1000 for k in ("mean", "ci95_low", "ci95_high"))
            style = series_style(index + 1)
            drawn = ax.errorbar(
                x,
                y,
                xerr=[[max(0.0, x - x_low)], [max(0.0, x_high - x)]],
                yerr=[[max(0.0, y - y_low)], [max(0.0, y_high - y)]],
                fmt=style["marker"],
                color=style["color"],
                markersize=7,
                capsize=4,
            )
            if place == 0:
                handles.append(drawn)
            per_point = entry.get("per_point")
            if significant(gain) and per_point and number(per_point["mean"]) > 0 and y > 0:
                # Under the point, then over the next, so that close points keep their labels.
                priced += 1
                ax.annotate(
                    f"{money(number(per_point['mean']))} a point",
                    (x, y),
                    xytext=(0, -14 if priced % 2 else 9),
                    textcoords="offset points",
                    ha="center",
                    fontsize=LABEL_FONTSIZE,
                    color=style["color"],
                )
        ax.axhline(0, color="black", linewidth=1)
        ax.axvline(0, color="black", linewidth=1)
        ax.grid(alpha=0.3)
        ax.margins(x=0.2, y=0.12)  # room for each point's price under it
        ax.tick_params(labelsize=LABEL_FONTSIZE)
        width = pixels(WIDTH) / columns
        ax.set_title(wrap(title(name), 0.9 * width, 10), fontsize=10)
        gained = "points fewer" if KPIS[name].better == "lower" else "points gained"
        ax.set_xlabel(
            wrap(f"{gained}, 95% CI", 0.9 * width, LABEL_FONTSIZE), fontsize=LABEL_FONTSIZE
        )
    for row in range(rows):
        axes[row, 0].set_ylabel(
            "staffing cost against the baseline\n(£ thousand a year, 95% CI)",
            fontsize=LABEL_FONTSIZE,
        )
    legend_below(fig, handles, [title_from_name(option) for option in options])
    heading = "Value for money: what each option costs against the points it gains"
    return Drawing(fig, heading, subtitle(data.runs), _reading(values, names))


def _reading(values: dict[str, Any], names: list[str]) -> str:
    """The cheapest point bought of the first KPI drawn, or that no option moves it."""
    if not names:
        return f"None of the {len(values)} options can be costed against a headline percentage"
    name = names[0]
    plain = KPIS[name].plain
    bought = [
        (number(entry["per_point"]["mean"]), option, entry)
        for option, value in values.items()
        if (entry := value["kpis"].get(name))
        and significant(entry["gain"])
        and entry.get("per_point")
        and number(entry["per_point"]["mean"]) > 0
        and number(value["cost"]["mean"]) > 0
    ]
    if not bought:
        moved = sum(
            1 for v in values.values() if name in v["kpis"] and significant(v["kpis"][name]["gain"])
        )
        return (
            f"For {plain}, {moved} of the {len(values)} options gain points with 95% confidence, "
            "and none buys them at a price (each costs nothing more, or saves money)"
        )
    per_point, option, entry = min(bought, key=lambda item: item[0])
    cost = number(values[option]["cost"]["mean"])
    return (
        f"For {plain}, {title_from_name(option)} gains {number(entry['gain']['mean']):.1f} "
        f"points for about {money(cost)} a year more, about {money(per_point)} a point"
    )
