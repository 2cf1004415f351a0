"""caseloads: cases per worker by grade, and high-risk cases against the cap (run, compare).

Left, each grade's caseload in each replication (hollow) and its mean with a 95% interval
(filled); right, the high-risk cases per worker and the most held by one worker, against the
social worker's caseload cap expressed in child protection cases.
"""

from __future__ import annotations

import textwrap

import numpy as np

from caseload_sim.charts.registry import ChartData, Drawing, chart
from caseload_sim.charts.style import (
    LINESTYLES,
    figure,
    legend_below,
    series_style,
    subtitle,
    t_band,
)
from caseload_sim.charts.wording import change, fmt, interval, plain, title
from caseload_sim.results.reader import ResultsFolder
from caseload_sim.scenario.schema import GRADE_NAMES, GRADES
from caseload_sim.scenario.wording import title_from_name

#: The KPIs the chart draws and quotes.
CASELOAD = "caseload_per_worker_mean"
MOST_HIGH_RISK = "high_risk_cases_per_worker_max"
HIGH_RISK = ("high_risk_cases_per_worker_mean", MOST_HIGH_RISK)


def _cap_in_cases(run: ResultsFolder) -> tuple[float, float, float]:
    workforce = run.scenario.workforce
    cap = float(workforce.grades.sw.caseload_cap)
    weight = float(workforce.case_weights.child_protection)
    return cap / weight, cap, weight


@chart("caseloads", kinds=("run", "compare"))
def caseloads(data: ChartData) -> Drawing:
    """Cases per worker by grade (left); high-risk cases per worker against the cap (right)."""
    runs = data.runs
    fig, axes = figure(12, 5.5, 1, 2)
    ax, hr = axes[0, 0], axes[0, 1]
    grades = [
        g for g in GRADES if any(r.values(f"caseload_per_worker_{g}_mean").size for r in runs)
    ]
    width = 0.8 / max(1, len(runs))
    rng = np.random.default_rng(0)
    for index, run in enumerate(runs):
        style = series_style(index)
        named = False
        for position, grade in enumerate(grades):
            values = run.values(f"caseload_per_worker_{grade}_mean")
            if not values.size:
                continue
            x = position - 0.4 + width * (index + 0.5)
            jitter = rng.uniform(-width / 5, width / 5, values.size)
            ax.scatter(
                x + jitter,
                values,
                s=16,
                facecolors="none",
                edgecolors=style["color"],
                marker=style["marker"],
                alpha=0.7,
            )
            mean, low, high = t_band(values)
            ax.errorbar(
                x,
                mean,
                yerr=[[mean - low], [high - mean]],
                fmt=style["marker"],
                color=style["color"],
                markersize=8,
                capsize=4,
                # The legend below names each scenario once, whichever grade it has first.
                label=None if named else title_from_name(run.name),
            )
            named = True
    ax.set_xticks(range(len(grades)))
    ax.set_xticklabels([GRADE_NAMES[g].replace(" ", "\n", 2) for g in grades], fontsize=8)
    ax.set_ylabel("Cases held as lead per worker (cases, time-weighted)")
    ax.set_title(
        "Caseload by grade: replications (hollow)\nand mean with 95% CI (filled)", fontsize=10
    )
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)

    caps: list[float] = []
    for index, run in enumerate(runs):
        style = series_style(index)
        for position, name in enumerate(HIGH_RISK):
            entry = run.kpi(name)
            if entry is None:
                continue
            x = position - 0.3 + 0.6 * (index + 0.5) / len(runs)
            hr.errorbar(
                x,
                entry["mean"],
                yerr=[[entry["mean"] - entry["ci95_low"]], [entry["ci95_high"] - entry["mean"]]],
                fmt=style["marker"],
                color=style["color"],
                markersize=8,
                capsize=4,
            )
        cap, points, weight = _cap_in_cases(run)
        if cap not in caps:
            caps.append(cap)
            hr.axhline(
                cap,
                color="0.2",
                linestyle=LINESTYLES[len(caps)],
                linewidth=1.2,
                label=f"cap: SW cap {points:g} points ÷ {weight:g} points per child "
                f"protection case = {cap:.1f} cases"
                + ("" if index == 0 else f" ({title_from_name(run.name)})"),
            )
    hr.set_xticks([0, 1])
    hr.set_xticklabels([textwrap.fill(title(name), 22) for name in HIGH_RISK], fontsize=8)
    hr.set_xlim(-0.6, 1.6)
    hr.set_ylabel("High-risk cases per worker (cases)")
    hr.set_title(
        "High-risk (immediate risk or child protection) cases\nagainst the cap expressed in cases",
        fontsize=10,
    )
    hr.set_ylim(bottom=0, top=max([*caps, *[hr.get_ylim()[1]]]) * 1.15)
    hr.grid(axis="y", alpha=0.3)
    # One legend for both panels, below them: the scenarios' markers are the same in each, and
    # inside a panel a legend of several long names would hide the points.
    handles, labels = ax.get_legend_handles_labels()
    caps_handles, caps_labels = hr.get_legend_handles_labels()
    legend_below(fig, [*handles, *caps_handles], [*labels, *caps_labels])

    cap = caps[0]
    if len(runs) == 1:
        average, most = runs[0].kpi(CASELOAD), runs[0].kpi(MOST_HIGH_RISK)
        spread = interval(average, CASELOAD) if average else "no interval"
        reading = (
            f"Case-holding workers hold {fmt(average['mean']) if average else 'n/a'} cases "
            f"each on average ({spread}), and the {plain(MOST_HIGH_RISK)} is "
            f"{fmt(most['mean']) if most else 'n/a'}"
            f" against a cap of {cap:.1f} cases"
        )
    else:
        reading = (
            change(plain(CASELOAD), CASELOAD, runs)
            + "; "
            + change(f"the {plain(MOST_HIGH_RISK)}", MOST_HIGH_RISK, runs)
            + f" (cap {cap:.1f} cases)"
        )
    return Drawing(fig, "Caseloads per worker", subtitle(runs), reading)
