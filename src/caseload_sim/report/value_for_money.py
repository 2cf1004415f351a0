"""Value for money in words, from ``comparison.json``'s ``value_for_money``: what each option
costs against the baseline and what a point of each headline KPI gained costs ("Plus 10 social
workers costs about £359,000 a year more and raises core assessments within timescale by 62.0
points: about £5,790 a point (95% CI £5,250 to £6,460).").

Plain functions of the folder's JSON, for the report's board page and the app's compare page
alike; the figures come from :mod:`caseload_sim.experiment.value_for_money`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from caseload_sim.charts.wording import money
from caseload_sim.metrics.catalogue import KPIS
from caseload_sim.report.findings import MINUS, period_words, short_titles, significant
from caseload_sim.scenario.wording import title_from_name

__all__ = [
    "NO_FIGURE",
    "OptionValue",
    "answer_cost_words",
    "cost_cell",
    "cost_words",
    "gain_words",
    "money",
    "point_cell",
    "signed_money",
    "value_findings",
    "value_table",
    "window_sentences",
]

NO_FIGURE = "—"


def signed_money(value: float) -> str:
    """An amount with its sign, for an interval: '+£12,300', '−£4,100'."""
    return ("+" if value >= 0 else MINUS) + money(abs(value))


def interval(entry: Mapping[str, Any]) -> str:
    """'95% CI £351,000 to £367,000' (signed when it spans 0)."""
    low, high = float(entry["ci95_low"]), float(entry["ci95_high"])
    if low < 0:
        return f"95% CI {signed_money(low)} to {signed_money(high)}"
    return f"95% CI {money(low)} to {money(high)}"


def _finite(entry: Mapping[str, Any] | None) -> bool:
    if not entry:
        return False
    values = [entry.get(k) for k in ("mean", "ci95_low", "ci95_high")]
    return all(v is not None and math.isfinite(float(v)) for v in values)


def fixed(entry: Mapping[str, Any]) -> bool:
    """Whether a difference was the same, to the pound, in every replication (posts added or
    moved with nobody leaving: the cost does not depend on chance)."""
    return _finite(entry) and float(entry["ci95_high"]) - float(entry["ci95_low"]) < 1.0


def cost_words(cost: Mapping[str, Any]) -> str:
    """What the option costs against the baseline, as the start of a predicate: 'costs about
    £359,000 a year more (95% CI ...)', 'saves about ...', 'costs about the same (...)', 'costs
    nothing more'."""
    mean = float(cost["mean"])
    if fixed(cost):
        if abs(mean) < 0.5:
            return "costs nothing more"
        return f"costs about {money(abs(mean))} a year {'more' if mean > 0 else 'less'}"
    if not _finite(cost):
        return f"costs about {money(abs(mean))} a year {'more' if mean >= 0 else 'less'}"
    if not significant(cost):
        return f"costs about the same a year (difference {signed_money(mean)}, {interval(cost)})"
    if mean > 0:
        return f"costs about {money(mean)} a year more ({interval(cost)})"
    saving = {"ci95_low": -float(cost["ci95_high"]), "ci95_high": -float(cost["ci95_low"])}
    return f"saves about {money(-mean)} a year ({interval(saving)})"


def gain_words(name: str, entry: Mapping[str, Any], cost: Mapping[str, Any]) -> str:
    """What a point of one KPI costs, as the end of a sentence: 'raises core assessments within
    timescale by 62.0 points: about £5,790 a point (95% CI ...)'."""
    kpi = KPIS[name]
    gain = entry["gain"]
    points = float(gain["mean"])
    raised = (points if kpi.better == "higher" else -points) > 0
    verb = "raises" if raised else "lowers"
    said = f"{verb} {kpi.plain} by {abs(points):.1f} points"
    if not significant(gain):
        return f"makes no clear difference to {kpi.plain}"
    per_point = entry.get("per_point")
    free = fixed(cost) and abs(float(cost["mean"])) < 0.5
    if free or not (significant(cost) or fixed(cost)) or not _finite(per_point):
        return said
    assert per_point is not None
    ratio = float(per_point["mean"])
    if ratio < 0:
        # Better for less, or worse for more: no price of a point to quote.
        return said + (": better for less" if points > 0 else ": worse for more")
    if points > 0:
        return f"{said}: about {money(ratio)} a point ({interval(per_point)})"
    return f"{said}: about {money(ratio)} saved for each point lost ({interval(per_point)})"


@dataclass(frozen=True)
class OptionValue:
    """What one option costs and buys, in sentences: over the measured period, then after
    each dated change."""

    option: str
    title: str
    sentences: tuple[str, ...]


def value_findings(comparison: Mapping[str, Any]) -> list[OptionValue]:
    """For each option of ``comparison.json`` with costs, its cost against the baseline and
    the cost of a point of each headline KPI it moves with 95% confidence."""
    values = comparison.get("value_for_money") or {}
    names = [str(n) for n in comparison.get("scenarios", [])]
    short = short_titles(names or list(values))
    found = []
    for option, value in values.items():
        subject = short.get(option, title_from_name(option))
        periods = comparison.get("period_differences", {}).get(option) or []
        windows = [("over the whole measured period" if periods else "", value)]
        windows += [
            (period_words(periods, index), period.get("value_for_money"))
            for index, period in enumerate(periods)
            if index > 0 and period.get("value_for_money")
        ]
        sentences = [
            sentence
            for when, window in windows
            for sentence in window_sentences(subject, window, when)
        ]
        found.append(OptionValue(option, title_from_name(option), tuple(sentences)))
    return found


def window_sentences(subject: str, value: Mapping[str, Any], when: str = "") -> list[str]:
    """One window's sentences: the cost with the first KPI that moves, then one sentence for
    each other KPI that moves."""
    cost = value["cost"]
    tail = f" {when}" if when else ""
    moving = [name for name, entry in value.get("kpis", {}).items() if significant(entry["gain"])]
    if not moving:
        return [
            f"{subject} {cost_words(cost)}{tail}, and moves none of the headline timeliness "
            "and oversight figures with 95% confidence."
        ]
    first, *others = moving
    kpis = value["kpis"]
    sentences = [f"{subject} {cost_words(cost)}{tail} and {gain_words(first, kpis[first], cost)}."]
    sentences += [f"It {gain_words(name, kpis[name], cost)}." for name in others]
    return sentences


def point_cell(
    gain: Mapping[str, Any], per_point: Mapping[str, Any] | None, cost: Mapping[str, Any]
) -> str:
    """The cost of a point gained as a table cell: '£5,790 (£5,200 to £6,500)'; 'better at no
    extra cost' or 'worse at no saving' where the cost is the same, 'better for less' or 'worse
    for more' where cost and KPI move opposite ways; '—' where the KPI, or the cost, does not
    move significantly."""
    if not significant(gain):
        return NO_FIGURE
    if fixed(cost) and abs(float(cost["mean"])) < 0.5:
        return "better at no extra cost" if float(gain["mean"]) > 0 else "worse at no saving"
    if not (significant(cost) or fixed(cost)) or per_point is None or not _finite(per_point):
        return NO_FIGURE
    ratio = float(per_point["mean"])
    if ratio < 0:
        return "better for less" if float(gain["mean"]) > 0 else "worse for more"
    return f"{money(ratio)} ({interval(per_point).removeprefix('95% CI ')})"


def cost_cell(cost: Mapping[str, Any]) -> str:
    """A cost difference as a table cell: '+£359,000', '+£12,300 (£8,000 to £16,600)'."""
    mean = float(cost["mean"])
    text = signed_money(mean) if abs(mean) >= 0.5 else "£0"
    if fixed(cost) or not _finite(cost):
        return text
    return f"{text} ({interval(cost).removeprefix('95% CI ')})"


def value_table(comparison: Mapping[str, Any]) -> list[dict[str, str]]:
    """One row per option and costed KPI over the measured period: the cost difference, the
    points gained and the cost of a point ('—' where the KPI does not move significantly)."""
    rows = []
    for option, value in (comparison.get("value_for_money") or {}).items():
        cost = value["cost"]
        for name, entry in value.get("kpis", {}).items():
            gain, per_point = entry["gain"], entry.get("per_point")
            rows.append(
                {
                    "Option": title_from_name(option),
                    "Staffing cost a year": cost_cell(cost),
                    "KPI": KPIS[name].title,
                    "Points gained": f"{float(gain['mean']):+.1f}"
                    + (
                        f" ({float(gain['ci95_low']):.1f} to {float(gain['ci95_high']):.1f})"
                        if _finite(gain)
                        else ""
                    ),
                    "Cost of a point": point_cell(gain, per_point, cost),
                }
            )
    return rows


def answer_cost_words(document: Mapping[str, Any]) -> str:
    """What the answer of a staffing search costs, from ``staffing.json`` ('' without costs):
    "At 18, the staff cost about £2,480,000 a year (95% CI ...), about £359,000 a year more
    than at 13, the fewest run."."""
    found = document.get("cost_of_answer")
    if not found:
        return ""
    cost = found["cost"]
    answer = _shown(document.get("answer"))
    said = f"At {answer}, the staff cost about {money(float(cost['mean']))} a year"
    if _finite(cost) and not fixed(cost):
        said += f" ({interval(cost)})"
    difference = found.get("difference")
    if difference:
        mean = float(difference["mean"])
        more = "more" if mean >= 0 else "less"
        fewest = _shown(found["fewest_run"])
        said += f", about {money(abs(mean))} a year {more} than at {fewest}, the fewest run"
        if _finite(difference) and not fixed(difference):
            said += f" ({interval(difference)})"
    return said + "."


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
