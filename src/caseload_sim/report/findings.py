"""What a results folder found, in sentences: for a board, for the app's pages and the report.

- :func:`difference_sentence`: one paired difference of one KPI ("Restructure sept lowers core
  assessments within timescale by 10.4 points (95% CI 3.0 to 17.9) after Re-organisation on
  1 September 2010.");
- :func:`comparison_findings`: for each option, the headline KPIs it changes with 95%
  confidence, over the measured period and after each dated change, what matters first;
- :func:`compared_sentences` and :func:`run_sentences`: what was compared or run, in words;
- :func:`headline_readings`: the headline KPIs of a run as the registry's readings;
- :func:`dated_changes` and :func:`field_changes` (from
  :mod:`~caseload_sim.report.scenario_changes`): what a scenario's dated changes, or an option,
  change: each field by its plain label, with its value before and after in words.

Plain functions of the folder's JSON and of scenarios (no page, no app), so that the app's
pages and the report say the same things in the same words.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from caseload_sim.experiment.statistics import excludes_zero
from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.metrics.registry import read, reading_context
from caseload_sim.report.scenario_changes import (
    DatedChange,
    FieldChange,
    date_words,
    dated_changes,
    field_changes,
    flatten,
)
from caseload_sim.scenario.wording import title_from_name

if TYPE_CHECKING:
    from caseload_sim.scenario.schema import Scenario

__all__ = [
    "MAX_FINDINGS",
    "DatedChange",
    "FieldChange",
    "Finding",
    "OptionFindings",
    "compared_sentences",
    "comparison_findings",
    "cost_readings",
    "date_words",
    "dated_changes",
    "difference_sentence",
    "difference_words",
    "field_changes",
    "flatten",
    "headline_readings",
    "period_words",
    "run_sentences",
    "short_titles",
    "significant",
]

#: The findings shown for each option; the rest are counted ("and 3 more ...").
MAX_FINDINGS = 6
MINUS = "\u2212"

# ------------------------------------------------------------------------------------ numbers


#: Whether a paired difference's 95% interval leaves out 0.
significant = excludes_zero


def unit_words(unit: str) -> str:
    """A difference's unit in words: a difference of percentages is in points."""
    return {"%": "points", "count": ""}.get(unit, unit)


def digits(unit: str, value: float) -> int:
    """Decimals for a difference: none for counts, one for shares and for values of 1 or more."""
    if unit == "count":
        return 0
    return 1 if unit == "%" or abs(value) >= 1 else 2


def difference_words(entry: Mapping[str, Any] | None, unit: str) -> str:
    """A paired difference as a table cell in words: '+14.9 points (5.0 to 24.8), significant'
    for a share, '-1.0 days (-1.8 to -0.3)' otherwise; '—' when there is none."""
    mean = _number((entry or {}).get("mean"))
    if entry is None or mean is None:
        return "—"
    places = digits(unit, mean)
    text = f"{mean:+,.{places}f} {unit_words(unit)}".rstrip()
    low, high = _number(entry.get("ci95_low")), _number(entry.get("ci95_high"))
    if low is None or high is None:
        return text
    flag = ", significant" if significant(entry) else ""
    return f"{text} ({low:,.{places}f} to {high:,.{places}f}){flag}"


def difference_sentence(subject: str, name: str, entry: Mapping[str, Any], when: str = "") -> str:
    """One paired difference (option minus baseline) of one KPI as a sentence.

    Parameters
    ----------
    subject
        The option, as the sentence names it ("Restructure sept").
    name
        The KPI's identifier; the sentence uses its plain name and unit from the registry.
    entry
        ``mean``, ``ci95_low`` and ``ci95_high`` of the difference, as ``comparison.json`` has
        them.
    when
        Where in the run the difference was measured ("after Re-organisation on 1 September
        2010"); nothing for the whole measured period.

    Returns
    -------
    str
        "Restructure sept lowers core assessments within timescale by 10.4 points (95% CI 3.0
        to 17.9) after ...", or "... makes no clear difference to ... (95% CI −1.2 to +2.0
        points)" when the interval includes 0.
    """
    kpi = KPIS.get(name)
    plain = kpi.plain if kpi else name
    unit = kpi.unit if kpi else ""
    tail = f" {when}" if when else ""
    mean = _number(entry.get("mean"))
    if mean is None:
        return f"{subject}: nothing to count for {plain}{tail}."
    low, high = _number(entry.get("ci95_low")), _number(entry.get("ci95_high"))
    places = digits(unit, mean)
    words = unit_words(unit)
    if low is None or high is None:
        verb = "raises" if mean > 0 else "lowers"
        found = _amount(abs(mean), places, words)
        return f"{subject} {verb} {plain} by {found}{tail} (one replication: no interval)."
    if mean == low == high == 0:
        return f"{subject} makes no difference to {plain} in any replication{tail}."
    if not significant(entry):
        interval = f"{_signed(low, places)} to {_signed(high, places)}"
        return (
            f"{subject} makes no clear difference to {plain} "
            f"(95% CI {interval}{' ' + words if words else ''}){tail}."
        )
    verb = "raises" if mean > 0 else "lowers"
    near, far = sorted((abs(low), abs(high)))
    # An interval that leaves out 0 must not read as starting at 0.
    close = places
    while close < places + 3 and float(f"{near:.{close}f}") == 0:
        close += 1
    return (
        f"{subject} {verb} {plain} by {_amount(abs(mean), places, words)} "
        f"(95% CI {near:,.{close}f} to {far:,.{places}f}){tail}."
    )


# ------------------------------------------------------------------------------------ findings


def period_words(periods: Sequence[Mapping[str, Any]], index: int) -> str:
    """Where a period between dated changes lies, as the end of a sentence: "before
    Re-organisation on 1 September 2010", "after Re-organisation on 1 September 2010", or
    "between A on ... and B on ..." for a period with changes on both sides."""

    def change(period: Mapping[str, Any]) -> str:
        return f"{period.get('label')} on {date_words(str(period.get('start_date')))}"

    later = change(periods[index + 1]) if index + 1 < len(periods) else ""
    if index == 0:
        return f"before {later}" if later else ""
    if later:
        return f"between {change(periods[index])} and {later}"
    return f"after {change(periods[index])}"


_WORDS = re.compile(r"[\s_\-]+")


def short_titles(names: Sequence[str]) -> dict[str, str]:
    """Each scenario's title without the words every name starts with, for sentences that name
    them again and again: county_2010_as_found and county_2010_restructure_sept become "As
    found" and "Restructure sept" (every title keeps at least one word)."""
    split = [[w for w in _WORDS.split(name) if w] or [name] for name in names]
    shared = 0
    if len(split) > 1:
        shortest = min(len(words) for words in split)
        while shared < shortest - 1 and len({words[shared] for words in split}) == 1:
            shared += 1
    return {
        name: title_from_name(" ".join(words[shared:]))
        for name, words in zip(names, split, strict=True)
    }


@dataclass(frozen=True)
class Finding:
    """One paired difference of one headline KPI, as a sentence."""

    option: str
    kpi: str
    #: the period's label; None for the whole measured period
    period: str | None
    sentence: str


@dataclass(frozen=True)
class OptionFindings:
    """What one option changes, what matters first."""

    option: str
    #: the option's title ("County 2010 restructure sept")
    title: str
    #: the findings shown, at most ``MAX_FINDINGS``
    findings: tuple[Finding, ...]
    #: the findings left off
    more: int
    #: said when nothing changed with 95% confidence
    nothing: str = ""

    @property
    def more_text(self) -> str:
        """'and 3 more differences whose 95% interval leaves out 0' ('' for none)."""
        if not self.more:
            return ""
        plural = "s" if self.more != 1 else ""
        return f"and {self.more} more difference{plural} whose 95% interval leaves out 0."


def comparison_findings(
    comparison: Mapping[str, Any], limit: int = MAX_FINDINGS
) -> list[OptionFindings]:
    """For each option of ``comparison.json``, the headline KPIs it changes with 95% confidence:
    over the whole measured period and, when the option or the baseline has dated changes, in
    each period that begins at one (from ``period_differences``).

    Findings are ordered by the KPI's place among the headline KPIs (the registry's order of
    what a planner looks at first), each KPI's whole period before its periods in date order;
    the first ``limit`` are kept and the rest counted.
    """
    names = [str(n) for n in comparison.get("scenarios", [])]
    baseline = str(comparison.get("baseline", names[0] if names else ""))
    short = short_titles(names or [baseline])
    found = []
    for option, differences in comparison.get("differences", {}).items():
        subject = short.get(option, title_from_name(option))
        periods = comparison.get("period_differences", {}).get(option) or []
        windows: list[tuple[str | None, str, Mapping[str, Any]]] = [
            (None, "over the whole measured period" if periods else "", differences)
        ]
        windows += [
            (str(period.get("label")), period_words(periods, index), period["differences"])
            for index, period in enumerate(periods)
            if index > 0
        ]
        kept = [
            (
                rank,
                position,
                Finding(
                    option, name, label, difference_sentence(subject, name, entries[name], when)
                ),
            )
            for position, (label, when, entries) in enumerate(windows)
            for rank, name in enumerate(HEADLINE_KPIS)
            if significant(entries.get(name))
        ]
        kept.sort(key=lambda item: (item[0], item[1]))
        if kept:
            nothing = ""
        elif comparison.get("replications") == 1:
            nothing = (
                f"{subject}: with one replication there is no interval, so no difference can be "
                "told apart from chance."
            )
        else:
            nothing = (
                f"{subject} makes no clear difference to any headline KPI: every 95% interval "
                "includes 0."
            )
        found.append(
            OptionFindings(
                option,
                title_from_name(option),
                tuple(f for _, _, f in kept[:limit]),
                max(0, len(kept) - limit),
                nothing,
            )
        )
    return found


def _times(count: Any) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def _window(summary: Mapping[str, Any], start_date: dt.date | None) -> str:
    """The run length and measured period of a run's ``summary.json``, as part of a sentence."""
    horizon = _number(summary.get("horizon_days"))
    warmup = _number(summary.get("warmup_days")) or 0.0
    if horizon is None:
        return ""
    text = f"for {horizon:g} days" + (f" from {date_words(start_date)}" if start_date else "")
    if start_date is not None:
        # A day of the run is the calendar day that holds it (calendar.CalendarSpan.to_date).
        first = start_date + dt.timedelta(days=math.floor(warmup))
        last = start_date + dt.timedelta(days=math.floor(math.nextafter(horizon, -math.inf)))
        measured = f"so the figures are for {date_words(first)} to {date_words(last)}"
    else:
        measured = f"so the figures are for the {horizon - warmup:g} days after it"
    if warmup:
        return f"{text}; the first {warmup:g} days are a warm-up, not measured, {measured}"
    return text


def compared_sentences(
    comparison: Mapping[str, Any],
    summary: Mapping[str, Any] | None = None,
    start_date: dt.date | None = None,
) -> list[str]:
    """What was compared, in words: the baseline and the options by title, the replications,
    the run length and measured period (from the baseline's ``summary.json`` and its start
    date), the seed, and what pairing on common random numbers means."""
    names = [str(n) for n in comparison.get("scenarios", [])]
    baseline = str(comparison.get("baseline", names[0] if names else ""))
    options = [title_from_name(n) for n in names if n != baseline]
    count = {1: "one option", 2: "two options", 3: "three options"}.get(
        len(options), f"{len(options)} options"
    )
    listed = options[0] if len(options) == 1 else ", ".join(options[:-1]) + f" and {options[-1]}"
    sentences = [f"{title_from_name(baseline)}, the baseline, against {count}: {listed}."]
    run = f"Each was run {_times(comparison.get('replications', '?'))}"
    window = _window(summary or {}, start_date)
    sentences.append(f"{run} {window}." if window else f"{run}.")
    sentences.append(
        "Each option was run on the same random numbers as the baseline, run by run (common "
        f"random numbers, seed {comparison.get('seed', '?')}): where the services are alike "
        "they meet the same referrals and the same chance events, so a difference comes from "
        "the option and not from luck. A difference counts when its 95% confidence interval "
        "leaves out 0."
    )
    return sentences


def run_sentences(summary: Mapping[str, Any], start_date: dt.date | None = None) -> list[str]:
    """What was run, in words, from a run's ``summary.json``: the scenario by title, the
    replications, the run length and measured period, the seed."""
    name = title_from_name(str(summary.get("scenario", "the scenario")))
    window = _window(summary, start_date)
    run = f"{name} was run {_times(summary.get('replications', '?'))}"
    return [
        f"{run} {window}." if window else f"{run}.",
        f"The figures are means over the replications (seed {summary.get('seed', '?')}), each "
        "with its 95% confidence interval.",
    ]


def headline_readings(
    kpis: Mapping[str, Mapping[str, Any]], scenario: Scenario | None = None
) -> list[str]:
    """The headline KPIs of ``summary.json``'s ``kpis`` as the registry's readings, with their
    95% intervals, in the registry's order (timescales in the scenario's words)."""
    context = reading_context(scenario)
    return [read(name, kpis[name], context) for name in HEADLINE_KPIS if name in kpis]


#: The cost KPIs a run's board reads out when the scenario has costs.
COST_READINGS = (
    "staff_cost_total_gbp_per_year",
    "staff_cost_per_referral_gbp",
    "staff_cost_per_assessment_gbp",
)


def cost_readings(
    kpis: Mapping[str, Mapping[str, Any]], scenario: Scenario | None = None
) -> list[str]:
    """What the staff cost, as the registry's readings (none without costs)."""
    context = reading_context(scenario)
    return [
        read(name, kpis[name], context)
        for name in COST_READINGS
        if name in kpis and _number(kpis[name].get("mean")) is not None
    ]


def _amount(value: float, places: int, words: str) -> str:
    return f"{value:,.{places}f}" + (f" {words}" if words else "")


def _signed(value: float, places: int) -> str:
    return f"{value:+,.{places}f}".replace("-", MINUS)


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    return None if math.isnan(number) else number
