"""Confidence intervals over replications."""

from __future__ import annotations

import math
from collections.abc import Sequence

CONFIDENCE = 0.95


def t_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> dict[str, float | int]:
    """Mean and two-sided Student-t confidence interval of independent replications.

    NaN values (a KPI with nothing to count in a replication) are left out and ``n`` says how
    many remained. With fewer than two values the interval is NaN: one run says nothing about
    its own noise.
    """
    # scipy.special, not scipy.stats: the same quantile function (``stats.t.ppf`` calls
    # ``stdtrit``) at a fraction of the import time, which every run of the command line pays.
    from scipy import special

    kept = [v for v in values if not math.isnan(v)]
    n = len(kept)
    if n == 0:
        return {"mean": math.nan, "ci95_low": math.nan, "ci95_high": math.nan, "n": 0}
    mean = math.fsum(kept) / n
    if n < 2:
        return {"mean": mean, "ci95_low": math.nan, "ci95_high": math.nan, "n": n}
    variance = math.fsum((v - mean) ** 2 for v in kept) / (n - 1)
    half_width = float(special.stdtrit(n - 1, 0.5 + confidence / 2)) * math.sqrt(variance / n)
    return {"mean": mean, "ci95_low": mean - half_width, "ci95_high": mean + half_width, "n": n}
