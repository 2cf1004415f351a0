"""Choosing the number of replications and the warm-up from the runs themselves.

Replications: the confidence-interval method with look-ahead of Hoad, Robinson & Davies (2010),
"Automated selection of the number of replications for a discrete-event simulation", Journal of
the Operational Research Society 61(11), 1632-1644. Replications are added one at a time until
the relative half-width of the 95% interval of every headline KPI is within the target; the
answer is accepted only if it stays within the target for the next kLimit replications
(f = kLimit while n <= 100, kLimit * n / 100 beyond).

Warm-up: MSER-5 (White 1997, "An effective truncation heuristic for bias reduction in simulation
output", Simulation 69(6); recommended by Hoad, Robinson & Davies 2010, "Automating warm-up length
estimation", JORS 61(9)) on the weekly series averaged over replications.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from caseload_sim.experiment.statistics import t_interval

INITIAL_REPLICATIONS = 3
LOOK_AHEAD = 5  # kLimit of Hoad, Robinson & Davies (2010)
MSER_BATCH = 5
_ZERO = 1e-12


class PrecisionError(ValueError):
    """The runs cannot give what was asked (for example a run too short for MSER-5)."""


def relative_half_width(values: Sequence[float]) -> float:
    """Half-width of the 95% interval over |mean|; 0 for a KPI that is always 0 (or absent)."""
    interval = t_interval(values)
    if interval["n"] < 2:
        return 0.0 if interval["n"] == 0 else math.inf
    mean = interval["mean"]
    half_width = (interval["ci95_high"] - interval["ci95_low"]) / 2
    if abs(mean) < _ZERO:
        return 0.0 if half_width < _ZERO else math.inf
    return half_width / abs(mean)


def look_ahead(replications: int, limit: int = LOOK_AHEAD) -> int:
    """How many more replications must keep the precision (Hoad et al. 2010, f(kLimit, n))."""
    return limit if replications <= 100 else math.floor(limit * replications / 100)


@dataclass
class ReplicationChoice:
    """The outcome of the automatic choice."""

    recommended: int
    run: int
    met: bool
    precision: float
    budget: int
    achieved: float
    reason: str

    def as_dict(self, kpis: Sequence[str]) -> dict[str, object]:
        return {
            "method": "confidence interval with look-ahead (Hoad, Robinson & Davies 2010)",
            "kpis": list(kpis),
            "precision": self.precision,
            "look_ahead": LOOK_AHEAD,
            "budget": self.budget,
            "recommended": self.recommended,
            "run": self.run,
            "met": self.met,
            "achieved_relative_half_width": self.achieved,
            "reason": self.reason,
        }


def choose_replications(
    precision_of: Callable[[int], float],
    ensure: Callable[[int], None],
    precision: float,
    budget: int,
) -> ReplicationChoice:
    """Run replications until the worst relative half-width is within ``precision``.

    ``ensure(n)`` makes sure replications ``0..n-1`` have run; ``precision_of(n)`` is the worst
    relative half-width over the headline KPIs using them. Decisions depend only on those
    numbers, so the answer is the same however the replications are run.
    """
    if budget < INITIAL_REPLICATIONS:
        raise PrecisionError(
            f"--budget {budget}: at least {INITIAL_REPLICATIONS} replications are needed"
        )
    n = INITIAL_REPLICATIONS
    ensure(n)
    while True:
        achieved = precision_of(n)
        if achieved <= precision:
            candidate = n
            extra = look_ahead(candidate)
            held = True
            for m in range(candidate + 1, candidate + extra + 1):
                if m > budget:
                    return ReplicationChoice(
                        candidate,
                        m - 1,
                        True,
                        precision,
                        budget,
                        achieved,
                        f"precision met at {candidate}; the look-ahead was cut short at the "
                        f"budget of {budget}",
                    )
                ensure(m)
                if precision_of(m) > precision:
                    held, n = False, m
                    break
            if held:
                return ReplicationChoice(
                    candidate,
                    candidate + extra,
                    True,
                    precision,
                    budget,
                    achieved,
                    f"relative half-width {achieved:.4f} <= {precision} at {candidate} "
                    f"replications and for the {extra} after",
                )
            continue
        if n >= budget:
            return ReplicationChoice(
                n,
                n,
                False,
                precision,
                budget,
                achieved,
                f"budget of {budget} replications reached with relative half-width "
                f"{achieved:.4f} > {precision}",
            )
        n += 1
        ensure(n)


def mser5_truncation(series: Sequence[float]) -> int | None:
    """MSER-5 truncation point, in observations, or None if the series is too short.

    Observations are grouped in batches of 5; the truncation d (in batches) minimises the
    standard error of the mean of the batches that remain, sum((Y_i - mean)^2) / (n - d)^2.
    The statistic is unreliable when few batches remain, so, as White (1997) advises, only the
    first half of the series is searched; a minimum at the end of that half means the series is
    still settling and the run is too short to tell, and no answer is given.
    """
    values = np.asarray(series, dtype=float)
    batches = len(values) // MSER_BATCH
    if batches < 4:
        return None
    means = values[: batches * MSER_BATCH].reshape(batches, MSER_BATCH).mean(axis=1)
    half = batches // 2
    statistics = [
        float(((means[d:] - means[d:].mean()) ** 2).sum()) / (batches - d) ** 2
        for d in range(half + 1)
    ]
    best = int(np.argmin(statistics))
    if best == half:
        return None
    return best * MSER_BATCH
