"""KPIs of supervision (LGA Standards for Employers, standard 5), sampled daily: how often a
worker is past the standard interval since their last session, and the gaps themselves."""

from __future__ import annotations

import math

import numpy as np

from caseload_sim.metrics.posts import held_spells
from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.stats import pct, quantile
from caseload_sim.metrics.view import RunView
from caseload_sim.scenario.schema import PRACTITIONER_GRADES


def _by_worker(workers: np.ndarray, times: np.ndarray) -> dict[int, list[float]]:
    """The sessions held, by worker, in the order they were held."""
    sessions: dict[int, list[float]] = {}
    for worker, time in zip(workers.tolist(), times.tolist(), strict=True):
        sessions.setdefault(worker, []).append(time)
    return sessions


def _gaps(view: RunView) -> tuple[np.ndarray, np.ndarray] | None:
    """Days since the last session, and whether that is out of standard, for every supervised
    worker in post on every day of the window; None when supervision is not modelled."""
    reported = view.mechanism("supervision")
    if reported is None:
        return None
    sessions = _by_worker(reported["worker"], reported["held_at"])
    settings = view.scenario.workforce.supervision
    start, end = view.start, view.end
    days = np.arange(start, end + 1e-9, 1.0)
    out_of_standard: list[np.ndarray] = []
    since: list[np.ndarray] = []
    for worker in view.posts:
        history = worker.history
        if history is None:
            if worker.grade not in PRACTITIONER_GRADES:
                continue
            sampled = days
            grades = [worker.grade] * len(days)
            started: list[float | None] = [None] * len(days)
            began = np.zeros(len(days))
        else:
            # Only days when the post is held count; a new holder's start counts as a session.
            spells = held_spells(worker, start, end)
            # Spells are half-open, but the sample at the very end of the period counts, as
            # for a post that never changes hands.
            sampled = days[[any(a <= d < b or d == b == end for a, b in spells) for d in days]]
            change_times = np.array([change[0] for change in history.changes])
            at = np.searchsorted(change_times, sampled, side="right") - 1
            grades = [history.changes[i][2] for i in at]
            starts = [history.changes[i][3] for i in at]
            started = list(starts)
            began = np.maximum(np.array(starts, dtype=np.float64), 0.0)
            keep = np.array([g in PRACTITIONER_GRADES for g in grades], dtype=bool)
            if not keep.any():
                continue
            sampled = sampled[keep]
            grades = [g for g, k in zip(grades, keep, strict=True) if k]
            started = [t for t, k in zip(started, keep, strict=True) if k]
            began = began[keep]
        # The start of the run counts as the last session of a worker not yet supervised.
        held = np.array([0.0, *sessions.get(worker.index, [])])
        last = np.maximum(held[np.searchsorted(held, sampled, side="right") - 1], began)
        allowed = np.array(
            [
                settings.interval_days(grade, t, since_)
                for grade, t, since_ in zip(grades, last, started, strict=True)
            ]
        )
        since.append(sampled - last)
        out_of_standard.append(sampled - last > allowed + 1e-9)
    if not since:
        return None
    return np.concatenate(since), np.concatenate(out_of_standard)


def gaps(view: RunView) -> tuple[np.ndarray, np.ndarray] | None:
    """As :func:`_gaps`, worked out once per view."""
    return view.shared("supervision_gaps", _gaps)


@kpi(
    "supervision_out_of_standard_pct",
    unit="%",
    plain="workers out of the supervision standard",
    reading="On about {mean:.0f} in 100 days a worker was overdue for supervision",
    description="Supervised workers out of the supervision standard (LGA standard 5), "
    "time-weighted.",
    numerator="worker-days in the period on which the time since the last session exceeds the "
    "standard interval for the worker's stage",
    denominator="worker-days of supervised workers in the period (sampled daily)",
)
def out_of_standard(view: RunView) -> float:
    found = gaps(view)
    return pct(found[1]) if found is not None else math.nan


@kpi(
    "days_since_supervision_p90",
    unit="days",
    plain="90th percentile days since supervision",
    reading="On nine days in ten a worker's last supervision was at most {mean:.0f} days ago",
    description="90th percentile of the days since a worker's last supervision session.",
    numerator="90th percentile over supervised workers and days of the period (sampled daily)",
)
def days_since_p90(view: RunView) -> float:
    found = gaps(view)
    return quantile(found[0], 0.9) if found is not None else math.nan


@kpi(
    "days_since_supervision_max",
    unit="days",
    plain="longest gap without supervision",
    reading="The longest any worker went without supervision was {mean:.0f} days",
    description="The longest any supervised worker in post had gone without a session (or since "
    "their start), on any day of the period.",
    numerator="largest days since the last session over daily samples of supervised workers",
)
def days_since_max(view: RunView) -> float:
    found = gaps(view)
    if found is None or not found[0].size:
        return math.nan
    return float(found[0].max())
