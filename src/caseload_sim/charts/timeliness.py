"""timeliness: assessments and strategy discussions within their timescales (run, compare).

Bars of each timeliness KPI with its 95% interval, one bar per scenario, against the national
figures for England 2009-10 where there is one.
"""

from __future__ import annotations

import textwrap

from caseload_sim.charts.registry import ChartData, Drawing, chart
from caseload_sim.charts.style import (
    HATCHES,
    NATIONAL_CA_PCT,
    NATIONAL_IA_PCT,
    NATIONAL_PLACE,
    NATIONAL_SOURCE,
    figure,
    legend_below,
    note,
    series_style,
    subtitle,
)
from caseload_sim.charts.wording import change, interval, pct, plain, title
from caseload_sim.metrics.registry import reading_context
from caseload_sim.results.reader import ResultsFolder
from caseload_sim.scenario.wording import title_from_name

#: The timeliness KPIs, in the order drawn, each with its timescale's key among the words the
#: readings use (:func:`caseload_sim.metrics.registry.reading_context`).
_TIMESCALES = (
    ("initial_assessment_within_timescale_pct", "initial_assessment"),
    ("core_assessment_within_timescale_pct", "core_assessment"),
    ("assessment_within_timescale_pct", "single_assessment"),
    ("strategy_discussion_within_target_pct", "strategy_target"),
)


def _timeliness_kpis(runs: list[ResultsFolder]) -> list[tuple[str, str]]:
    """(KPI, its timescale in words) of the timeliness KPIs with something to count, in
    order."""
    words = reading_context(runs[0].scenario)
    return [(k, words[t]) for k, t in _TIMESCALES if any(r.kpi(k) for r in runs)]


def _share_of(name: str, timescale: str) -> str:
    """'the share of initial assessments within timescale (7 working days)'."""
    return f"the share of {plain(name)} ({timescale})"


@chart("timeliness", kinds=("run", "compare"))
def timeliness(data: ChartData) -> Drawing:
    """Each timeliness KPI per scenario, with the national reference lines."""
    runs = data.runs
    fig, axes = figure(10, 5.5)
    ax = axes[0, 0]
    kpis = _timeliness_kpis(runs)
    width = 0.7 / max(1, len(runs))
    for index, run in enumerate(runs):
        style = series_style(index)
        for position, (name, _) in enumerate(kpis):
            entry = run.kpi(name)
            if entry is None:
                continue
            x = position - 0.35 + width * (index + 0.5)
            ax.bar(
                x,
                entry["mean"],
                width * 0.9,
                color=style["color"],
                alpha=0.35,
                edgecolor=style["color"],
                hatch=HATCHES[index % len(HATCHES)],
                label=title_from_name(run.name) if position == 0 else None,
            )
            ax.errorbar(
                x,
                entry["mean"],
                yerr=[[entry["mean"] - entry["ci95_low"]], [entry["ci95_high"] - entry["mean"]]],
                fmt=style["marker"],
                color="black",
                markersize=6,
                capsize=4,
            )
            ax.text(
                x,
                min(entry["ci95_high"], 100) + 1.5,
                f"{entry['mean']:.1f}",
                ha="center",
                fontsize=8,
            )
    names = [name for name, _ in kpis]
    national = {
        "initial_assessment_within_timescale_pct": NATIONAL_IA_PCT,
        "core_assessment_within_timescale_pct": NATIONAL_CA_PCT,
    }
    labelled = False
    for name, value in national.items():
        if name in names:
            position = names.index(name)
            # Named in the legend and under the group, not beside the line, where it would
            # cover the bars' own figures.
            ax.hlines(
                value,
                position - 0.45,
                position + 0.45,
                colors="black",
                linestyles="--",
                linewidth=1.5,
                label=None if labelled else NATIONAL_SOURCE,
            )
            labelled = True

    def tick(name: str, words: str) -> str:
        label = f"{textwrap.fill(title(name), 20)}\n({words})"
        if name in national:
            label += f"\n{NATIONAL_PLACE}: {national[name]:g}%"
        return label

    ax.set_xticks(range(len(kpis)))
    ax.set_xticklabels([tick(n, words) for n, words in kpis])
    ax.set_ylabel("Completed within timescale (%)")
    ax.set_ylim(0, 110)
    ax.grid(axis="y", alpha=0.3)
    # Below the plot, clear of the three-line labels of the bars.
    handles, labels = ax.get_legend_handles_labels()
    legend_below(fig, handles, labels)
    if not kpis:
        note(ax, "No assessments or strategy discussions in the measured period")
        reading = "No timeliness KPI had anything to count in the measured period"
    else:
        phrases = [_share_of(name, words) for name, words in kpis]
        name = kpis[0][0]
        if len(runs) == 1:
            entry = runs[0].kpi(name)
            assert entry is not None
            reading = f"{phrases[0]} is {pct(entry['mean'])} ({interval(entry, name)})"
            if len(kpis) > 1:
                entry2 = runs[0].kpi(kpis[1][0])
                if entry2 is not None:
                    reading += f", and {phrases[1]} is {pct(entry2['mean'])}"
        else:
            reading = change(phrases[0], name, runs)
    heading = "Timeliness of assessments and strategy discussions"
    return Drawing(fig, heading, subtitle(runs), reading)
