"""The words of the charts: numbers as the readings print them, KPI names and scenario titles.

Every KPI name a chart shows comes from the KPI registry (:mod:`caseload_sim.metrics.catalogue`):
``plain`` inside a sentence, ``title`` on an axis. Percentages print with one decimal place,
other values with one (two below 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from caseload_sim.experiment.sweep import parse_target
from caseload_sim.metrics.catalogue import KPIS
from caseload_sim.results.reader import ResultsFolder
from caseload_sim.scenario.wording import title_from_name


def number(value: Any) -> float:
    """A value of a results file as a float (NaN for a missing value)."""
    return math.nan if value is None else float(value)


def fmt(value: float) -> str:
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


def money(value: float) -> str:
    """An amount in pounds to three significant figures, whole pounds at least: '£359,000',
    '£5,790', '£412'."""
    amount = abs(value)
    if amount >= 1000:
        amount = round(amount, 2 - math.floor(math.log10(amount)))
    return ("\u2212" if value < 0 else "") + f"£{amount:,.0f}"


def pct(value: float) -> str:
    """A percentage KPI as the readings print it (one decimal place)."""
    return f"{value:.1f}%"


def unit(name: str) -> str:
    """The KPI's unit ('' for a name the registry does not know)."""
    return KPIS[name].unit if name in KPIS else ""


def with_unit(name: str, value: float) -> str:
    """A KPI's value with its unit: '49.0%', '0.71 days', '10.1'."""
    found = unit(name)
    if found == "%":
        return pct(value)
    if found in ("days", "hours"):
        return f"{fmt(value)} {found}"
    return fmt(value)


def interval(entry: dict[str, float], name: str) -> str:
    """'95% CI LOW to HIGH' of a KPI's entry in ``summary.json``."""
    if unit(name) == "%":
        return f"95% CI {entry['ci95_low']:.1f} to {entry['ci95_high']:.1f}"
    return f"95% CI {fmt(entry['ci95_low'])} to {fmt(entry['ci95_high'])}"


def plain(name: str) -> str:
    """The KPI's plain name, for inside a sentence (the identifier if the registry lacks it)."""
    return KPIS[name].plain if name in KPIS else name


def title(name: str) -> str:
    """The KPI's plain name with a capital letter (the identifier if the registry lacks it)."""
    return KPIS[name].title if name in KPIS else name


def axis_label(name: str) -> str:
    """'Worker utilisation (%)': the KPI's title and unit."""
    found = unit(name)
    return f"{title(name)} ({found})" if found else title(name)


def sentence(text: str) -> str:
    """The text with a capital letter and a full stop."""
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def change(
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
    titles = [title_from_name(run.name) for run in runs]
    if base is None:
        return f"{what} has nothing to count for {titles[0]}"
    parts = []
    for title, value in zip(titles[1:], values[1:], strict=True):
        if value is None:
            parts.append(f"has nothing to count with {title}")
            continue
        if len(runs) == 2:
            verb = "rises" if value > base else "falls" if value < base else "stays"
            if with_unit(name, value) == with_unit(name, base):
                about = "" if value == base else "about "
                return f"{what} stays at {about}{with_unit(name, base)} with {title}"
            if unit(name) == "%":
                return f"{what} {verb} from {pct(base)} to {pct(value)} with {title}"
            start, end = fmt(base), with_unit(name, value)
            return f"{what} {verb} from {start} to {end} with {title}"
        parts.append(f"{with_unit(name, value)} with {title}")
    return f"{what} is {with_unit(name, base)} with {titles[0]}; " + ", ".join(parts)


def target_words(text: str) -> str:
    """A target in words from the KPI registry: 'referral_to_allocation_days_mean<=0.15' ->
    'mean wait for allocation at most 0.15 days' (the text itself if it cannot be read)."""
    try:
        target = parse_target(text)
    except ValueError:
        return text
    kpi = KPIS[target.kpi]
    bound = "at most" if target.operator == "<=" else "at least"
    if kpi.unit == "%":
        amount = f"{target.value:g}%"
    elif kpi.unit in ("", "count"):
        amount = f"{target.value:g}"
    else:
        amount = f"{target.value:g} {kpi.unit}"
    return f"{kpi.plain} {bound} {amount}"
