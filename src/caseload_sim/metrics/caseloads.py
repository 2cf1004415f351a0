"""KPIs of caseloads: cases and high-risk cases held per worker, open cases, utilisation.

Caseloads are those of the staff in post: a vacant post's time does not count. A worker's
caseload is the exact time-weighted mean of the cases they held as lead over the window (over
the spells they held the post); the ``_max`` KPIs are the highest caseload at any moment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from caseload_sim.metrics.posts import held_spells
from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.stats import mean, peak_level, quantile, time_average
from caseload_sim.metrics.view import RunView
from caseload_sim.scenario.schema import GRADE_NAMES, GRADES


@dataclass
class _Levels:
    """Each case-holding worker's time-weighted mean and peak of one kind of caseload."""

    averages: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    by_grade: dict[str, list[float]] = field(default_factory=lambda: {g: [] for g in GRADES})


def _levels(view: RunView) -> dict[str, _Levels]:
    events = view.events
    start, end = view.start, view.end
    holders = view.case_holders
    levels = {"cases": _Levels(), "high_risk": _Levels()}
    streams = {
        "cases": events.of("caseload_change"),
        "high_risk": events.of("high_risk_caseload_change"),
    }
    for kind, mask in streams.items():
        workers = events.worker[mask]
        times = events.time[mask]
        changes = events.value[mask]
        order = np.argsort(workers, kind="stable")  # keeps time order within a worker
        workers, times, changes = workers[order], times[order], changes[order]
        indices = [w.index for w in holders]
        bounds = np.searchsorted(workers, indices, side="left")
        ends = np.searchsorted(workers, indices, side="right")
        found = levels[kind]
        for worker, lo, hi in zip(holders, bounds, ends, strict=True):
            t, c = times[lo:hi], changes[lo:hi]
            spells = held_spells(worker, start, end)
            length = sum(b - a for a, b in spells)
            if length <= 0:
                continue
            if hi == lo:
                average, peak = 0.0, 0.0
            else:
                average = sum(time_average(t, c, a, b) * (b - a) for a, b in spells) / length
                peak = max(peak_level(t, c, a, b) for a, b in spells)
            found.averages.append(average)
            found.peaks.append(peak)
            found.by_grade[worker.grade].append(average)
    return levels


def levels(view: RunView, kind: str) -> _Levels:
    """The caseload levels of one kind (``cases`` or ``high_risk``), worked out once."""
    return view.shared("caseload_levels", _levels)[kind]


@kpi(
    "caseload_per_worker_mean",
    unit="cases",
    plain="cases per worker",
    reading="A case-holding worker held {mean:.1f} cases on average",
    description="Cases held as lead per case-holding worker (time-weighted).",
    numerator="time-integral over the period of cases held as lead by case-holding workers",
    denominator="number of case-holding workers x length of the period",
    headline=8,
)
def caseload_mean(view: RunView) -> float:
    return mean(np.asarray(levels(view, "cases").averages))


@kpi(
    "caseload_per_worker_p90",
    unit="cases",
    plain="90th percentile caseload",
    reading="Nine in ten case-holding workers held {mean:.1f} cases or fewer on average",
    description="90th percentile over case-holding workers of their time-weighted mean caseload.",
    numerator="-",
)
def caseload_p90(view: RunView) -> float:
    return quantile(np.asarray(levels(view, "cases").averages), 0.9)


@kpi(
    "caseload_per_worker_max",
    unit="cases",
    plain="most cases held by one worker",
    reading="The most cases any one worker held at once was {mean:.1f}",
    description="Most cases any worker held as lead at any moment of the period.",
    numerator="-",
)
def caseload_max(view: RunView) -> float:
    peaks = levels(view, "cases").peaks
    return float(max(peaks)) if peaks else math.nan


def _grade_mean(grade: str, view: RunView) -> float:
    return mean(np.asarray(levels(view, "cases").by_grade[grade]))


for _grade in GRADES:
    _name = GRADE_NAMES[_grade]
    kpi(
        f"caseload_per_worker_{_grade}_mean",
        unit="cases",
        plain=f"cases per {_name}",
        reading=f"A {_name} held {{mean:.1f}} cases on average",
        description=f"Cases held as lead per {_grade} (time-weighted).",
        numerator=f"time-integral of cases held by {_grade} workers",
        denominator=f"number of {_grade} workers x length of the period",
    )(partial(_grade_mean, _grade))


@kpi(
    "high_risk_cases_per_worker_mean",
    unit="cases",
    plain="high-risk cases per worker",
    reading="A case-holding worker held {mean:.1f} high-risk cases on average",
    description="High-risk (immediate risk or child protection) cases held as lead per "
    "case-holding worker (time-weighted).",
    numerator="time-integral of high-risk cases held as lead",
    denominator="number of case-holding workers x length of the period",
)
def high_risk_mean(view: RunView) -> float:
    return mean(np.asarray(levels(view, "high_risk").averages))


@kpi(
    "high_risk_cases_per_worker_p90",
    unit="cases",
    plain="90th percentile high-risk caseload",
    reading="Nine in ten case-holding workers held {mean:.1f} high-risk cases or fewer on average",
    description="90th percentile over case-holding workers of their time-weighted mean "
    "high-risk caseload.",
    numerator="-",
)
def high_risk_p90(view: RunView) -> float:
    return quantile(np.asarray(levels(view, "high_risk").averages), 0.9)


@kpi(
    "high_risk_cases_per_worker_max",
    unit="cases",
    plain="most high-risk cases held by one worker",
    reading="The most high-risk cases any one worker held at once was {mean:.1f}",
    description="Most high-risk cases any worker held as lead at any moment of the period.",
    numerator="-",
    headline=9,
)
def high_risk_max(view: RunView) -> float:
    peaks = levels(view, "high_risk").peaks
    return float(max(peaks)) if peaks else math.nan


@kpi(
    "open_cases_mean",
    unit="cases",
    plain="mean number of open cases",
    reading="On average {mean:,.0f} referrals were open at the front door",
    description="Referrals open at the front door, allocated or not (time-weighted).",
    numerator="time-integral of open referrals over the period",
    denominator="length of the period",
)
def open_cases(view: RunView) -> float:
    cases = view.cases
    start, end = view.start, view.end
    # Open cases include those already open at the start (an initial caseload).
    initial_ended = view.result.initial_cases.ended_at
    ended_all = np.concatenate([cases.ended_at, initial_ended])
    opened_all = np.concatenate([cases.decided_at, np.zeros(len(initial_ended))])
    open_until = np.where(np.isnan(ended_all), end, ended_all)
    opened = np.where(np.isnan(opened_all), end, opened_all)
    overlap = np.clip(np.minimum(open_until, end) - np.maximum(opened, start), 0.0, None)
    return float(overlap.sum() / (end - start))


@kpi(
    "worker_utilisation_pct",
    unit="%",
    plain="worker utilisation",
    reading="Case-holding workers spent about {mean:.0f} in 100 of their working hours at "
    "work on casework",
    description="Share of case-holding workers' casework time spent on work.",
    numerator="working time spent on tasks by case-holding workers in the period",
    denominator="working time of case-holding workers in the period",
    headline=12,
)
def utilisation(view: RunView) -> float:
    holders = view.case_holders
    available = sum(w.available_days for w in holders)
    return 100.0 * sum(w.busy_days for w in holders) / available if available > 0 else math.nan
