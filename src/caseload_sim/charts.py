"""Charts of a results folder, drawn from the files in it (never by running the model).

``charts_for(folder)`` returns every chart that applies to a ``run``, ``compare``, ``sweep`` or
``staffing`` results folder, each as PNG and SVG with a title and a one-sentence reading computed
from the numbers; ``write_charts`` saves them under ``folder/charts/``. Every chart is readable in
greyscale and by colour-blind readers: series differ by line style and marker as well as by
colour (the Okabe-Ito palette).
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402
from scipy import stats  # noqa: E402

from caseload_sim.files import write_atomically, write_bytes_atomically  # noqa: E402
from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS  # noqa: E402
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError  # noqa: E402
from caseload_sim.results.reader import results_kind as results_kind  # noqa: E402 (re-exported)
from caseload_sim.scenario.schema import GRADE_NAMES, GRADES  # noqa: E402

#: Okabe-Ito colours (colour-blind safe), in the order series use them.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
DPI = 100
#: National reference values: England 2007-08 (DfE, Referrals, assessments and children and
#: young people who are the subject of a child protection plan).
NATIONAL_IA_PCT = 71.0
NATIONAL_CA_PCT = 80.0
NATIONAL_SOURCE = "England 2007-08 (DfE)"

#: Plain names of the KPIs the charts talk about.
PLAIN_NAMES: dict[str, str] = {
    "initial_assessment_within_timescale_pct": "initial assessments within timescale",
    "core_assessment_within_timescale_pct": "core assessments within timescale",
    "assessment_within_timescale_pct": "single assessments within timescale",
    "referral_to_allocation_days_mean": "mean wait for allocation",
    "referral_to_allocation_days_p90": "90th percentile wait for allocation",
    "referral_to_strategy_discussion_days_p90": "90th percentile wait for a strategy discussion",
    "strategy_discussion_within_target_pct": "strategy discussions within target",
    "caseload_per_worker_mean": "cases per worker",
    "high_risk_cases_per_worker_mean": "high-risk cases per worker",
    "high_risk_cases_per_worker_max": "most high-risk cases held by one worker",
    "high_risk_cases_held_by_unqualified_pct": "high-risk cases held by an unqualified worker",
    "unallocated_referrals_mean": "mean number of unallocated referrals",
    "open_cases_mean": "mean number of open cases",
    "worker_utilisation_pct": "worker utilisation",
}


@dataclass(frozen=True)
class Chart:
    """One chart of a results folder.

    Attributes
    ----------
    name : file stem, e.g. ``"backlog"``.
    title : the title in plain words.
    reading : one plain-English sentence computed from the numbers in the folder.
    png : the figure as PNG bytes.
    svg : the same figure as SVG text.
    """

    name: str
    title: str
    reading: str
    png: bytes = field(repr=False)
    svg: str = field(repr=False)


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


# ------------------------------------------------------------------------------------- helpers


def _fmt(value: float) -> str:
    """A number as the readings print it."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1 or value == 0:
        return f"{value:.1f}"
    if abs(value) >= 0.01:
        return f"{value:.2f}"
    return f"{value:.1g}"


def _pct(value: float) -> str:
    """A percentage KPI as the readings print it (one decimal place)."""
    return f"{value:.1f}%"


def _value(name: str, value: float) -> str:
    unit = KPIS[name].unit if name in KPIS else ""
    if unit == "%":
        return _pct(value)
    if unit in ("days", "hours"):
        return f"{_fmt(value)} {unit}"
    return _fmt(value)


def _ci(entry: dict[str, float], name: str) -> str:
    unit = KPIS[name].unit if name in KPIS else ""
    if unit == "%":
        return f"95% CI {entry['ci95_low']:.1f} to {entry['ci95_high']:.1f}"
    return f"95% CI {_fmt(entry['ci95_low'])} to {_fmt(entry['ci95_high'])}"


def _plain(name: str) -> str:
    return PLAIN_NAMES.get(name, name.replace("_", " "))


def _axis_label(name: str) -> str:
    unit = KPIS[name].unit if name in KPIS else ""
    text = _plain(name)
    return f"{text[0].upper()}{text[1:]} ({unit})" if unit else text


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _change(
    what: str,
    name: str,
    runs: Sequence[ResultsFolder],
    values: Sequence[float | None] | None = None,
) -> str:
    """'<what> falls from A to B with OPTION' for a comparison of runs on one KPI."""
    if values is None:
        found = [run.kpi(name) for run in runs]
        values = [None if f is None else f["mean"] for f in found]
    base = values[0]
    if base is None:
        return f"{what} has nothing to count for {runs[0].name}"
    parts = []
    for run, value in zip(runs[1:], values[1:], strict=True):
        if value is None:
            parts.append(f"has nothing to count with {run.name}")
            continue
        if len(runs) == 2:
            verb = "rises" if value > base else "falls" if value < base else "stays"
            if _value(name, value) == _value(name, base):
                about = "" if value == base else "about "
                return f"{what} stays at {about}{_value(name, base)} with {run.name}"
            unit = KPIS[name].unit if name in KPIS else ""
            if unit == "%":
                return f"{what} {verb} from {_pct(base)} to {_pct(value)} with {run.name}"
            start, end = _fmt(base), _value(name, value)
            return f"{what} {verb} from {start} to {end} with {run.name}"
        parts.append(f"{_value(name, value)} with {run.name}")
    return f"{what} is {_value(name, base)} with {runs[0].name}; " + ", ".join(parts)


def _style(index: int) -> dict[str, Any]:
    i = index % len(PALETTE)
    return {"color": PALETTE[i], "linestyle": LINESTYLES[i], "marker": MARKERS[i]}


def _t_band(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and Student-t 95% interval of a sample (the interval is the mean if n < 2)."""
    values = values[~np.isnan(values)]
    if values.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if values.size < 2:
        return mean, mean, mean
    half = float(stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size))
    return mean, mean - half, mean + half


_SUBTITLE_WIDTH = 110


def _subtitle(runs: Sequence[ResultsFolder]) -> str:
    reps = runs[0].replications
    names = " vs ".join(run.name for run in runs)
    # Several long scenario names would run off the figure: wrap them.
    return textwrap.fill(
        f"{names}; {reps} replication{'s' if reps != 1 else ''}, 95% intervals", _SUBTITLE_WIDTH
    )


def _figure(width: float, height: float, nrows: int = 1, ncols: int = 1) -> tuple[Figure, Any]:
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width, height), layout="constrained", squeeze=False
    )
    return fig, axes


def _finish(fig: Figure, name: str, title: str, subtitle: str, reading: str) -> Chart:
    fig.suptitle(f"{title}\n{subtitle}", fontsize=12)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
    svg = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "caseload_sim"}):
        fig.savefig(svg, format="svg", metadata={"Date": None})
    plt.close(fig)
    return Chart(name, title, _sentence(reading), png.getvalue(), svg.getvalue())


def _note(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=10)


# -------------------------------------------------------------------------------------- backlog


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


def _backlog(runs: list[ResultsFolder]) -> Chart:
    fig, axes = _figure(10, 7 + 0.3 * len(runs), 2, 1)
    changes = _dated_changes(runs)
    series = (
        (
            "unallocated_referrals",
            "Unallocated referrals (referrals)",
            "unallocated_referrals_mean",
        ),
        ("open_cases", "Open cases at the front door (cases)", "open_cases_mean"),
    )
    for ax, (column, label, _) in zip(axes[:, 0], series, strict=True):
        start = None
        for index, run in enumerate(runs):
            table = run.timeseries
            if column not in table:
                continue
            dates = pd.to_datetime(table["date"])
            start = dates.min() if start is None else min(start, dates.min())
            grouped = table.assign(date=dates).groupby("date")[column]
            rows = [(d, *_t_band(g.to_numpy(dtype=float))) for d, g in grouped]
            x = [r[0] for r in rows]
            mean = np.array([r[1] for r in rows])
            style = _style(index)
            ax.plot(
                x,
                mean,
                label=f"{run.name} (mean)",
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
                label=f"{run.name} (95% t band)",
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
    fig.legend(handles, labels, fontsize=8, loc="outside lower center", ncols=2)
    if len(runs) == 1:
        unalloc, open_ = runs[0].kpi("unallocated_referrals_mean"), runs[0].kpi("open_cases_mean")
        reading = (
            f"After warm-up an average of {_fmt(unalloc['mean']) if unalloc else 'n/a'} referrals "
            f"wait for allocation ({_ci(unalloc, 'unallocated_referrals_mean') if unalloc else ''})"
            f" and {_fmt(open_['mean']) if open_ else 'n/a'} cases are open at the front door"
        )
    else:
        reading = (
            _change("the mean number of unallocated referrals", "unallocated_referrals_mean", runs)
            + "; "
            + _change("the mean number of open cases", "open_cases_mean", runs)
        )
    if changes:
        marked = ", ".join(f"{label} ({date.date().isoformat()})" for date, label in changes)
        reading += f"; the dashed line{'s mark' if len(changes) > 1 else ' marks'} {marked}"
    title = "Referrals waiting for allocation and open cases over time"
    return _finish(fig, "backlog", title, _subtitle(runs), reading)


# ------------------------------------------------------------------------------------ caseloads


def _cap_in_cases(run: ResultsFolder) -> tuple[float, float, float]:
    workforce = run.scenario.workforce
    cap = float(workforce.grades.sw.caseload_cap)
    weight = float(workforce.case_weights.child_protection)
    return cap / weight, cap, weight


def _caseloads(runs: list[ResultsFolder]) -> Chart:
    fig, axes = _figure(12, 5.5, 1, 2)
    ax, hr = axes[0, 0], axes[0, 1]
    grades = [
        g for g in GRADES if any(r.values(f"caseload_per_worker_{g}_mean").size for r in runs)
    ]
    width = 0.8 / max(1, len(runs))
    rng = np.random.default_rng(0)
    for index, run in enumerate(runs):
        style = _style(index)
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
            mean, low, high = _t_band(values)
            ax.errorbar(
                x,
                mean,
                yerr=[[mean - low], [high - mean]],
                fmt=style["marker"],
                color=style["color"],
                markersize=8,
                capsize=4,
                label=run.name if position == 0 else None,
            )
    ax.set_xticks(range(len(grades)))
    ax.set_xticklabels([GRADE_NAMES[g].replace(" ", "\n", 2) for g in grades], fontsize=8)
    ax.set_ylabel("Cases held as lead per worker (cases, time-weighted)")
    ax.set_title(
        "Caseload by grade: replications (hollow)\nand mean with 95% CI (filled)", fontsize=10
    )
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")

    caps: list[float] = []
    for index, run in enumerate(runs):
        style = _style(index)
        for position, name in enumerate(
            ("high_risk_cases_per_worker_mean", "high_risk_cases_per_worker_max")
        ):
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
                label=run.name if position == 0 else None,
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
                f"protection case = {cap:.1f} cases" + ("" if index == 0 else f" ({run.name})"),
            )
    hr.set_xticks([0, 1])
    hr.set_xticklabels(
        ["mean per case-holding\nworker", "most held by one worker\nat any moment"], fontsize=8
    )
    hr.set_xlim(-0.6, 1.6)
    hr.set_ylabel("High-risk cases per worker (cases)")
    hr.set_title(
        "High-risk (immediate risk or child protection) cases\nagainst the cap expressed in cases",
        fontsize=10,
    )
    hr.set_ylim(bottom=0, top=max([*caps, *[hr.get_ylim()[1]]]) * 1.15)
    hr.grid(axis="y", alpha=0.3)
    hr.legend(fontsize=7, loc="lower right")

    cap = caps[0]
    if len(runs) == 1:
        average = runs[0].kpi("caseload_per_worker_mean")
        most = runs[0].kpi("high_risk_cases_per_worker_max")
        interval = _ci(average, "caseload_per_worker_mean") if average else "no interval"
        reading = (
            f"Case-holding workers hold {_fmt(average['mean']) if average else 'n/a'} cases "
            f"each on average ({interval}), and the most high-risk cases one worker held is "
            f"{_fmt(most['mean']) if most else 'n/a'}"
            f" against a cap of {cap:.1f} cases"
        )
    else:
        reading = (
            _change("the mean caseload per worker", "caseload_per_worker_mean", runs)
            + "; "
            + _change(
                "the most high-risk cases one worker held", "high_risk_cases_per_worker_max", runs
            )
            + f" (cap {cap:.1f} cases)"
        )
    return _finish(fig, "caseloads", "Caseloads per worker", _subtitle(runs), reading)


# ---------------------------------------------------------------------------------- timeliness


def _timeliness_kpis(runs: list[ResultsFolder]) -> list[tuple[str, str]]:
    """(KPI, axis label) of the timeliness KPIs with something to count, in order."""
    timescales = runs[0].scenario.pathway.timescales
    candidates = (
        (
            "initial_assessment_within_timescale_pct",
            f"Initial assessments\nwithin {timescales.initial_assessment_wd:g} WD",
        ),
        (
            "core_assessment_within_timescale_pct",
            f"Core assessments\nwithin {timescales.core_assessment_wd:g} WD",
        ),
        (
            "assessment_within_timescale_pct",
            f"Single assessments\nwithin {timescales.single_assessment_wd:g} WD",
        ),
        (
            "strategy_discussion_within_target_pct",
            f"Strategy discussions\nwithin {timescales.strategy_discussion_target_wd:g} WD",
        ),
    )
    return [(k, label) for k, label in candidates if any(r.kpi(k) for r in runs)]


def _timeliness_phrase(label: str) -> str:
    """'Initial assessments\nwithin 7 WD' -> 'initial assessments completed within 7 working
    days'."""
    what, within = label.split("\n")
    verb = "held" if what.startswith("Strategy") else "completed"
    return f"{what.lower()} {verb} {within.replace(' WD', ' working days')}"


def _were(phrase: str) -> str:
    return phrase.replace(" completed ", " were completed ").replace(" held ", " were held ")


def _timeliness(runs: list[ResultsFolder]) -> Chart:
    fig, axes = _figure(10, 5.5)
    ax = axes[0, 0]
    kpis = _timeliness_kpis(runs)
    width = 0.7 / max(1, len(runs))
    for index, run in enumerate(runs):
        style = _style(index)
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
                hatch=("", "//", "..", "xx", "\\\\", "--", "++")[index % 7],
                label=run.name if position == 0 else None,
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
    for name, value in (
        ("initial_assessment_within_timescale_pct", NATIONAL_IA_PCT),
        ("core_assessment_within_timescale_pct", NATIONAL_CA_PCT),
    ):
        if name in names:
            position = names.index(name)
            ax.hlines(
                value,
                position - 0.45,
                position + 0.45,
                colors="black",
                linestyles="--",
                linewidth=1.5,
            )
            ax.text(
                position + 0.45,
                value + 2.5,
                f"{NATIONAL_SOURCE}: {value:g}%",
                ha="right",
                va="bottom",
                fontsize=8,
                bbox={"fc": "white", "ec": "none", "alpha": 0.8},
            )
    ax.set_xticks(range(len(kpis)))
    ax.set_xticklabels([label for _, label in kpis])
    ax.set_ylabel("Completed within timescale (%)")
    ax.set_ylim(0, 110)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="upper right", bbox_to_anchor=(1, -0.1), ncol=len(runs))
    if not kpis:
        _note(ax, "No assessments or strategy discussions in the measured period")
        reading = "No timeliness KPI had anything to count in the measured period"
    else:
        phrases = [_timeliness_phrase(label) for _, label in kpis]
        name = kpis[0][0]
        if len(runs) == 1:
            entry = runs[0].kpi(name)
            assert entry is not None
            phrases = [_were(phrase) for phrase in phrases]
            reading = f"{_pct(entry['mean'])} of {phrases[0]} ({_ci(entry, name)})"
            if len(kpis) > 1:
                entry2 = runs[0].kpi(kpis[1][0])
                if entry2 is not None:
                    reading += f", and {_pct(entry2['mean'])} of {phrases[1]}"
        else:
            reading = _change(f"the share of {phrases[0]}", name, runs)
    title = "Timeliness of assessments and strategy discussions"
    return _finish(fig, "timeliness", title, _subtitle(runs), reading)


# --------------------------------------------------------------------------------------- waits


def _waits(runs: list[ResultsFolder]) -> Chart:
    fig, axes = _figure(12, 5, 1, 2)
    measures = (
        ("referral_to_allocation_days", "Referral to allocation (days, calendar)"),
        (
            "referral_to_strategy_discussion_days",
            "Immediate-risk referral to strategy discussion (days, calendar)",
        ),
    )
    for ax, (measure, label) in zip(axes[0], measures, strict=True):
        drawn = False
        for index, run in enumerate(runs):
            waits = run.waits
            days = np.sort(waits.loc[waits["measure"] == measure, "days"].to_numpy(dtype=float))
            days = days[~np.isnan(days)]
            if not days.size:
                continue
            drawn = True
            share = np.arange(1, days.size + 1) / days.size * 100
            style = _style(index)
            ax.step(
                days,
                share,
                where="post",
                label=f"{run.name} ({days.size:,} waits)",
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
        if drawn:
            ax.legend(fontsize=8, loc="lower right")
        else:
            _note(ax, "none in the measured period")
    name = "referral_to_allocation_days_p90"
    if len(runs) == 1:
        entry = runs[0].kpi(name)
        reading = (
            f"The 90th percentile wait for allocation is {_fmt(entry['mean'])} days "
            f"({_ci(entry, name)})"
            if entry
            else "No referral was allocated in the measured period"
        )
    else:
        reading = _change("the 90th percentile wait for allocation", name, runs)
    title = "How long referrals wait: cumulative share of waits (all replications pooled)"
    subtitle = _subtitle(runs).replace(", 95% intervals", "; markers at 25, 50, 75, 90%")
    return _finish(fig, "waits", title, subtitle, reading)


# --------------------------------------------------------------------------------- differences


def _differences(folder: ResultsFolder, runs: list[ResultsFolder]) -> Chart:
    document = folder.comparison
    baseline = document["baseline"]
    options = [s for s in document["scenarios"] if s != baseline]
    differences = document.get("differences", {})
    base_kpis = document.get("kpis", {}).get(baseline, {})
    names = [
        k
        for k in HEADLINE_KPIS
        if base_kpis.get(k, {}).get("mean") is not None
        and any(differences.get(o, {}).get(k, {}).get("mean") is not None for o in options)
    ]
    fig, axes = _figure(9, 0.95 * max(1, len(names)) + 1.6, max(1, len(names)), 1)
    changed: dict[str, int] = {o: 0 for o in options}
    for row, name in enumerate(names):
        ax = axes[row, 0]
        for index, option in enumerate(options):
            entry = differences.get(option, {}).get(name, {})
            if entry.get("mean") is None:
                continue
            mean, low, high = (_float(entry[k]) for k in ("mean", "ci95_low", "ci95_high"))
            if low > 0 or high < 0:
                changed[option] += 1
            style = _style(index + 1)
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
        unit = KPIS[name].unit
        unit_text = "percentage points" if unit == "%" else unit
        base = _float(base_kpis[name]["mean"])
        ax.set_ylabel(
            f"{_plain(name)}\n(baseline {_value(name, base)})",
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
        _note(axes[0, 0], "No headline KPI to compare")
    parts = [
        f"{option} changes {changed[option]} of {len(names)} headline KPIs with 95% confidence"
        for option in options
    ]
    reading = f"Against {baseline}, " + "; ".join(parts) + " (interval excluding 0)"
    title = "What each option changes: paired differences from the baseline, headline KPIs"
    return _finish(fig, "differences", title, _subtitle(runs), reading)


# --------------------------------------------------------------------------------------- sweep


def _replications_per_point(folder: ResultsFolder) -> str:
    count = folder.replications_per_point()
    return f"{count} replications per point" if count else "replications: see provenance.json"


def _axis_values(series: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    numeric = pd.to_numeric(series, errors="coerce")
    if numeric.notna().all():
        return numeric.to_numpy(dtype=float), None
    labels = list(dict.fromkeys(series.astype(str)))
    return np.array([labels.index(v) for v in series.astype(str)], dtype=float), labels


def _sweep(folder: ResultsFolder) -> Chart:
    table = folder.read_table("sweep.csv")
    columns = list(table.columns)
    if "kpi" not in columns or "point" not in columns:
        raise ResultsFolderError(f"{folder.path}: sweep.csv lacks the point and kpi columns")
    fields = columns[columns.index("point") + 1 : columns.index("kpi")]
    if not fields:
        raise ResultsFolderError(f"{folder.path}: sweep.csv names no varied field")
    first = fields[0]
    second = fields[1] if len(fields) > 1 else None
    present = [k for k in HEADLINE_KPIS if table.loc[table["kpi"] == k, "mean"].notna().any()][:6]
    ncols = min(3, max(1, len(present)))
    nrows = max(1, math.ceil(len(present) / ncols))
    fig, axes = _figure(4.2 * ncols + 1, 3.4 * nrows + 1, nrows, ncols)
    groups = [(None, table)] if second is None else list(table.groupby(second, sort=True))
    for i, name in enumerate(present):
        ax = axes[i // ncols, i % ncols]
        for index, (key, group) in enumerate(groups):
            rows = group[group["kpi"] == name]
            x, labels = _axis_values(rows[first])
            order = np.argsort(x)
            x = x[order]
            mean = rows["mean"].to_numpy(dtype=float)[order]
            low = rows["ci95_low"].to_numpy(dtype=float)[order]
            high = rows["ci95_high"].to_numpy(dtype=float)[order]
            style = _style(index)
            ax.plot(x, mean, label=None if key is None else f"{second} = {key}", **style)
            ax.fill_between(x, low, high, color=style["color"], alpha=0.18, linewidth=0)
            if labels is not None:
                ax.set_xticks(range(len(labels)))
                ax.set_xticklabels(labels, fontsize=8)
        ax.set_ylabel(_axis_label(name), fontsize=9)
        ax.set_xlabel(first, fontsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        if second is not None and i == 0:
            ax.legend(fontsize=7)
    for j in range(len(present), nrows * ncols):
        axes[j // ncols, j % ncols].set_visible(False)
    if not present:
        _note(axes[0, 0], "No headline KPI in sweep.csv")
        reading = "The sweep holds no headline KPI"
    else:
        name = present[0]
        rows = table[table["kpi"] == name]
        if second is not None:
            rows = rows[rows[second].astype(str) == str(groups[0][0])]
        x, _ = _axis_values(rows[first])
        order = np.argsort(x, kind="stable")
        ordered = rows.iloc[order]
        lo, hi = ordered.iloc[0], ordered.iloc[-1]
        reading = (
            f"As {first} goes from {lo[first]} to {hi[first]}"
            + (f" (with {second} = {groups[0][0]})" if second is not None else "")
            + f", the KPI '{_plain(name)}' moves from {_value(name, float(lo['mean']))} to "
            f"{_value(name, float(hi['mean']))}"
        )
    subtitle = f"{_replications_per_point(folder)}; bands are 95% confidence intervals"
    return _finish(fig, "sweep", f"Headline KPIs across the sweep of {first}", subtitle, reading)


# ------------------------------------------------------------------------------------ staffing

_TARGET = re.compile(r"^\s*([A-Za-z0-9_]+)\s*(<=|>=)\s*([-+0-9.eE]+)\s*$")


def _staffing(folder: ResultsFolder) -> Chart:
    document = folder.read_json("staffing.json")
    table = folder.read_table("staffing.csv")
    path = str(document.get("path") or table.columns[0])
    if path not in table.columns:
        path = str(table.columns[0])
    targets = list(document.get("targets") or list(dict.fromkeys(table["target"].astype(str))))
    answer = document.get("answer")
    span = document.get("range") or [table[path].min(), table[path].max()]
    fig, axes = _figure(
        6 * min(2, max(1, len(targets))) + 3,
        4.5 * math.ceil(max(1, len(targets)) / 2) + 0.8,
        math.ceil(max(1, len(targets)) / 2),
        min(2, max(1, len(targets))),
    )
    flat = axes.ravel()
    for i, target in enumerate(targets):
        ax = flat[i]
        match = _TARGET.match(target)
        rows = table[table["target"].astype(str) == target].sort_values(path)
        if match is None or rows.empty:
            _note(ax, f"target {target}: no points")
            continue
        name, op, value = match.group(1), match.group(2), float(match.group(3))
        x = rows[path].to_numpy(dtype=float)
        mean = rows["mean"].to_numpy(dtype=float)
        low = rows["ci95_low"].to_numpy(dtype=float)
        high = rows["ci95_high"].to_numpy(dtype=float)
        met = rows["target_met"].astype(str).str.lower().eq("true").to_numpy()
        ax.plot(x, mean, color=PALETTE[0], linestyle="-", linewidth=1, zorder=1)
        for flag, marker, face, label in (
            (True, "o", PALETTE[0], "target met (95% CI)"),
            (False, "X", "white", "target not met"),
        ):
            sel = met == flag
            if sel.any():
                ax.errorbar(
                    x[sel],
                    mean[sel],
                    yerr=[mean[sel] - low[sel], high[sel] - mean[sel]],
                    fmt=marker,
                    color=PALETTE[0],
                    markerfacecolor=face,
                    markersize=8,
                    capsize=4,
                    label=label,
                    zorder=2,
                )
        ax.axhline(
            value,
            color=PALETTE[1],
            linestyle="--",
            linewidth=1.5,
            label=f"target: {_plain(name)} {'≤' if op == '<=' else '≥'} {value:g}",
        )
        if answer is not None:
            ax.axvline(
                float(answer),
                color="black",
                linestyle=":",
                linewidth=1.5,
                label=f"answer: {answer}",
            )
        ax.set_xlabel(f"{path} (searched range {span[0]} to {span[1]})", fontsize=9)
        ax.set_ylabel(_axis_label(name), fontsize=9)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    for j in range(len(targets), len(flat)):
        flat[j].set_visible(False)
    if answer is None:
        flat[0].text(
            0.5,
            0.95,
            "no value meets the targets",
            transform=flat[0].transAxes,
            ha="center",
            va="top",
            fontsize=11,
            color=PALETTE[1],
            bbox={"fc": "white", "ec": PALETTE[1]},
        )
        reading = (
            f"No value of {path} from {span[0]} to {span[1]} meets the targets with 95% confidence"
        )
    else:
        reading = (
            f"The smallest {path} that meets every target with 95% confidence is {answer} "
            f"(searched {span[0]} to {span[1]}, {len(document.get('points_run') or [])} points run)"
        )
    per_point = (document.get("replications") or {}).get("per_point") or []
    runs = sorted({int(p["run"]) for p in per_point if isinstance(p, dict) and p.get("run")})
    reps = (
        f"{', '.join(map(str, runs))} replications per point"
        if runs
        else "replications: see staffing.json"
    )
    subtitle = f"targets: {'; '.join(targets)}\n{reps}; error bars are 95% CIs"
    return _finish(
        fig, "staffing", f"Smallest staffing that meets the targets: {path}", subtitle, reading
    )


# ------------------------------------------------------------------------------------- pathway


def _pathway(run: ResultsFolder) -> Chart:
    scenario = run.scenario
    demand, pathway = scenario.demand, scenario.pathway
    mix = demand.tier_mix
    conversion = demand.referral_conversion
    assessed = {
        "child_protection": mix.child_protection,
        "child_in_need": mix.child_in_need,
        "disabled_child": mix.disabled_child,
    }
    total = sum(assessed.values())
    outcomes = pathway.after_first_assessment

    def average(field_name: str) -> float:
        if total <= 0:
            return 0.0
        return (
            sum(
                share * getattr(getattr(outcomes, tier), field_name)
                for tier, share in assessed.items()
            )
            / total
        )

    nfa, cin, core, s47 = (average(k) for k in ("nfa", "cin", "core", "s47"))
    timescales = pathway.timescales
    single = pathway.regime == "single_assessment"
    first = (
        f"Single assessment\n(within {timescales.single_assessment_wd:g} WD)"
        if single
        else f"Initial assessment\n(within {timescales.initial_assessment_wd:g} WD)"
    )

    fig, axes = _figure(15, 7.5)
    ax = axes[0, 0]
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    width, height = 0.105, 0.1
    boxes: dict[str, tuple[float, float]] = {}

    def box(key: str, x: float, y: float, text: str, shade: str = "white") -> None:
        boxes[key] = (x, y)
        ax.add_patch(
            FancyBboxPatch(
                (x - width / 2, y - height / 2),
                width,
                height,
                boxstyle="round,pad=0.005",
                fc=shade,
                ec="black",
                lw=1.2,
            )
        )
        ax.text(x, y, text, ha="center", va="center", fontsize=9)

    def arrow(a: str, b: str, label: str = "", side: str = "right") -> None:
        (xa, ya), (xb, yb) = boxes[a], boxes[b]
        if side == "right":
            start, end = (xa + width / 2, ya), (xb - width / 2, yb)
        else:  # vertical, downwards or upwards
            direction = -1 if yb < ya else 1
            start, end = (xa, ya + direction * height / 2), (xb, yb - direction * height / 2)
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={"arrowstyle": "-|>", "color": "0.2", "lw": 1.3, "shrinkA": 0, "shrinkB": 0},
        )
        if label:
            ax.text(
                start[0] + 0.6 * (end[0] - start[0]),
                start[1] + 0.6 * (end[1] - start[1]),
                label,
                ha="center",
                va="center",
                fontsize=9,
                fontweight="bold",
                bbox={"fc": "white", "ec": "0.6", "boxstyle": "round,pad=0.2"},
            )

    pct = "{:.0%}".format
    grey = "0.9"
    box("contacts", 0.065, 0.5, "Contacts")
    box("referral", 0.2, 0.62, "Referral")
    box("screened", 0.2, 0.3, "Screened out\n(no referral)", grey)
    arrow("contacts", "referral", pct(conversion))
    arrow("contacts", "screened", pct(1 - conversion))
    tiers = (
        ("immediate_risk", "Immediate risk", 0.86),
        ("child_protection", "Child protection", 0.64),
        ("child_in_need", "Child in need", 0.44),
        ("disabled_child", "Disabled child", 0.24),
    )
    for key, label, y in tiers:
        box(key, 0.34, y, label)
        arrow("referral", key, pct(getattr(mix, key)))
    box(
        "strategy",
        0.485,
        0.86,
        f"Strategy discussion\n(target {timescales.strategy_discussion_target_wd:g} WD)",
    )
    box("first", 0.485, 0.44, first)
    arrow("immediate_risk", "strategy", "100%")
    for key, _, _ in tiers[1:]:
        arrow(key, "first")
    box("s47", 0.635, 0.86, "s47 enquiry")
    arrow("strategy", "s47")
    box("nfa", 0.635, 0.14, "No further action\n(case closes)", grey)
    box("cin", 0.635, 0.34, "Child in need\n(handed on)")
    arrow("first", "nfa", pct(nfa))
    arrow("first", "cin", pct(cin))
    if not single:
        box("core", 0.635, 0.58, f"Core assessment\n(within {timescales.core_assessment_wd:g} WD)")
        arrow("first", "core", pct(core))
    arrow("first", "s47", pct(s47))
    box("icpc", 0.785, 0.86, "Initial child\nprotection conference")
    arrow("s47", "icpc", pct(pathway.icpc_probability))
    box("plan", 0.93, 0.86, "Child protection\nplan")
    arrow("icpc", "plan", pct(pathway.cp_plan_probability))
    notes = [
        "Shares after the first assessment are averaged over the child protection, child in need "
        "and disabled child tiers, weighted by the tier mix.",
        f"Not drawn: after an s47 enquiry with no conference {pct(pathway.no_icpc_cin_share)} are "
        "handed on as child in need"
        + ("" if single else f"; after a core assessment {pct(pathway.core_assessment_cin_share)}")
        + ("." if single else " are handed on as child in need."),
    ]
    ax.text(
        0.82,
        0.45,
        "\n".join(_wrap(n, 40) for n in notes),
        ha="center",
        va="center",
        fontsize=8.5,
        bbox={"fc": "0.97", "ec": "0.7"},
    )
    reach_s47 = mix.immediate_risk + (1 - mix.immediate_risk) * s47
    reading = (
        f"{pct(conversion)} of contacts become referrals and about {pct(reach_s47)} of referrals "
        f"reach an s47 enquiry ({pct(mix.immediate_risk)} at immediate risk directly, the rest "
        "after a first assessment)"
    )
    regime = "Working Together 2013 single assessment" if single else "Working Together 2010"
    subtitle = f"{run.name}; {regime} regime; shares from the resolved scenario.toml"
    return _finish(
        fig,
        "pathway",
        "The modelled pathway from contact to child protection plan",
        subtitle,
        reading,
    )


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


# ------------------------------------------------------------------------------------- the API


def charts_for(folder: Path) -> list[Chart]:
    """Every chart that applies to the results folder, in reading order.

    Parameters
    ----------
    folder : a ``run``, ``compare``, ``sweep`` or ``staffing`` results folder.

    Returns
    -------
    list of Chart
        run: backlog, caseloads, timeliness, waits, pathway; compare: the same with differences
        before pathway (the baseline's); sweep: sweep; staffing: staffing.

    Raises
    ------
    ResultsFolderError
        If the folder is not a results folder or a file the charts need is missing.
    """
    results = ResultsFolder(folder)
    kind = results.kind
    with matplotlib.rc_context({"font.size": 10, "axes.titlesize": 10, "hatch.linewidth": 0.6}):
        if kind == "sweep":
            return [_sweep(results)]
        if kind == "staffing":
            return [_staffing(results)]
        runs = results.runs()
        builders: list[Callable[[], Chart]] = [
            lambda: _backlog(runs),
            lambda: _caseloads(runs),
            lambda: _timeliness(runs),
            lambda: _waits(runs),
        ]
        if kind == "compare":
            builders.append(lambda: _differences(results, runs))
        builders.append(lambda: _pathway(runs[0]))
        return [build() for build in builders]


def write_charts(folder: Path, charts: list[Chart]) -> None:
    """Write each chart to ``folder/charts/NAME.png`` and ``NAME.svg``, each atomically.

    Parameters
    ----------
    folder : the results folder.
    charts : the charts, as ``charts_for`` returns them.
    """
    out = Path(folder) / "charts"
    out.mkdir(parents=True, exist_ok=True)
    for chart in charts:
        write_atomically(out / f"{chart.name}.svg", chart.svg)
        write_bytes_atomically(out / f"{chart.name}.png", chart.png)
