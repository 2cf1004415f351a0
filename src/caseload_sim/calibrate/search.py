"""Simulation-based calibration of what the lists cannot show: hours of work per assessment.

The time from the start of an assessment to its authorisation is observed (list 4); the worker
hours it took are not. The model turns hours into elapsed time through the pacing of each case,
the worker's other cases and the manager's sign-off, so the hours are found by simulation: the
mean effort of the first assessment is scaled by a factor ``m`` until the simulated mean elapsed
working days from start to authorisation equal the observed mean.

Every candidate runs on the same seeds (common random numbers), so the simulated mean moves
smoothly with ``m``; the search brackets the root on a log scale and bisects. The distance is the
relative difference of the means, and the search stops within ``tolerance`` of it or after
``budget`` candidates. The Kolmogorov-Smirnov statistic between the observed and the simulated
durations is reported as a check on the shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from caseload_sim.calibrate.fitting import COMPLETION_DAYS
from caseload_sim.scenario.schema import Scenario

#: Relative difference of the mean elapsed time at which the search stops.
DEFAULT_TOLERANCE = 0.03
DEFAULT_BUDGET = 14
_LOW, _HIGH = 0.05, 20.0


@dataclass
class SearchResult:
    """The effort found, and each candidate tried."""

    effort_field: str
    base_hours: float
    hours: float
    observed_mean: float
    simulated_mean: float
    distance: float
    ks_statistic: float
    converged: bool
    tolerance: float
    replications: int
    #: (factor, hours, simulated mean, distance)
    trials: list[tuple[float, float, float, float]] = field(default_factory=list)
    simulated_days: np.ndarray = field(default_factory=lambda: np.zeros(0))


def first_assessment_field(scenario: Scenario) -> str:
    """The effort field of the first assessment under the scenario's regime."""
    kind = "initial_assessment" if scenario.pathway.regime == "wt2010" else "single_assessment"
    return f"pathway.effort.{kind}.mean_hours"


def simulated_durations(scenario: Scenario, seed: int, replications: int) -> np.ndarray:
    """Working days from allocation (the assessment's start) to the first assessment's
    authorisation, for assessments started in the measured period of each replication."""
    from caseload_sim.model.frontdoor import simulate

    days = []
    for replication in range(replications):
        result = simulate(scenario, seed, replication)
        start, done = result.cases.allocated_at, result.cases.first_assessment_at
        # Cut off as the observed ones are: begun at least COMPLETION_DAYS before the end.
        latest = result.measured_to - COMPLETION_DAYS
        keep = (start >= result.measured_from) & (start <= latest) & ~np.isnan(done)
        # Dates, as the lists have them.
        days.append(
            result.calendar.elapsed_working_days_array(
                np.floor(start[keep]), np.floor(done[keep]) + 0.5
            )
        )
    return np.concatenate(days) if days else np.zeros(0)


def search_effort(
    scenario: Scenario,
    observed_days: np.ndarray,
    seed: int | None = None,
    replications: int = 2,
    tolerance: float = DEFAULT_TOLERANCE,
    budget: int = DEFAULT_BUDGET,
) -> SearchResult:
    """Scale the first assessment's mean effort until simulated and observed mean elapsed
    times from start to authorisation agree."""
    from scipy import stats

    from caseload_sim.scenario.loading import apply_overrides

    path = first_assessment_field(scenario)
    kind = path.split(".")[2]
    base_hours = getattr(scenario.pathway.effort, kind).mean_hours
    root = scenario.simulation.seed if seed is None else seed
    target = float(np.mean(observed_days))
    cache: dict[float, tuple[float, np.ndarray]] = {}

    def evaluate(factor: float) -> float:
        """Simulated minus observed mean, relative to the observed mean."""
        if factor not in cache:
            hours = base_hours * factor
            candidate = apply_overrides(scenario, [f"{path}={hours!r}"], "calibration")
            durations = simulated_durations(candidate, root, replications)
            mean = float(np.mean(durations)) if durations.size else math.nan
            cache[factor] = (mean, durations)
        mean = cache[factor][0]
        return (mean - target) / target if target > 0 else math.nan

    trials: list[tuple[float, float, float, float]] = []

    def record(factor: float) -> float:
        distance = evaluate(factor)
        trials.append((factor, base_hours * factor, cache[factor][0], distance))
        return distance

    low, high = 1.0, 1.0
    d_low = d_high = record(1.0)
    # Bracket the root: more effort means longer assessments.
    while d_low > 0 and low > _LOW and len(trials) < budget:
        high, d_high = low, d_low
        low = max(_LOW, low / 2.0)
        d_low = record(low)
    while d_high < 0 and high < _HIGH and len(trials) < budget:
        low, d_low = high, d_high
        high = min(_HIGH, high * 2.0)
        d_high = record(high)
    best = min(trials, key=lambda trial: abs(trial[3]))
    while abs(best[3]) > tolerance and len(trials) < budget and d_low <= 0 <= d_high:
        middle = math.sqrt(low * high)
        d_middle = record(middle)
        if d_middle < 0:
            low, d_low = middle, d_middle
        else:
            high, d_high = middle, d_middle
        best = min(trials, key=lambda trial: abs(trial[3]))
    factor, hours, mean, distance = best
    durations = cache[factor][1]
    ks = (
        float(stats.ks_2samp(observed_days, durations).statistic)
        if durations.size and len(observed_days)
        else math.nan
    )
    return SearchResult(
        effort_field=path,
        base_hours=base_hours,
        hours=hours,
        observed_mean=target,
        simulated_mean=mean,
        distance=distance,
        ks_statistic=ks,
        converged=abs(distance) <= tolerance,
        tolerance=tolerance,
        replications=replications,
        trials=trials,
        simulated_days=durations,
    )
