"""Confidence intervals over replications."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

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


def ratio_interval(
    numerators: Sequence[float], denominators: Sequence[float], confidence: float = CONFIDENCE
) -> dict[str, float | int] | None:
    """Ratio of two paired means, mean(numerators) / mean(denominators), with Fieller's
    confidence interval (Fieller 1954, *J. R. Stat. Soc. B* 16: 175-185).

    Fieller's interval is bounded only when the denominator's own mean differs from 0 at the
    same confidence, so None is returned where it does not (and with fewer than two pairs):
    a cost per point of a KPI that did not move has no meaningful value. Pairs with a NaN in
    either are left out.
    """
    from scipy import special

    pairs = [
        (a, b) for a, b in zip(numerators, denominators, strict=True) if not (a != a or b != b)
    ]
    n = len(pairs)
    if n < 2:
        return None
    mean_a = math.fsum(a for a, _ in pairs) / n
    mean_b = math.fsum(b for _, b in pairs) / n
    var_a = math.fsum((a - mean_a) ** 2 for a, _ in pairs) / (n - 1) / n
    var_b = math.fsum((b - mean_b) ** 2 for _, b in pairs) / (n - 1) / n
    cov = math.fsum((a - mean_a) * (b - mean_b) for a, b in pairs) / (n - 1) / n
    t2 = float(special.stdtrit(n - 1, 0.5 + confidence / 2)) ** 2
    # The ratios r with (mean_a - r mean_b)^2 <= t^2 var(mean_a - r mean_b): a quadratic in r.
    quad = mean_b**2 - t2 * var_b
    if quad <= 0:
        return None  # the denominator is not told apart from 0: the interval is unbounded
    half = -(mean_a * mean_b - t2 * cov)
    const = mean_a**2 - t2 * var_a
    discriminant = max(0.0, half**2 - quad * const)
    low = (-half - math.sqrt(discriminant)) / quad
    high = (-half + math.sqrt(discriminant)) / quad
    return {"mean": mean_a / mean_b, "ci95_low": low, "ci95_high": high, "n": n}


def excludes_zero(entry: Mapping[str, Any] | None) -> bool:
    """Whether an interval (``ci95_low`` and ``ci95_high``, as the results files hold them;
    None, NaN or missing: no interval) leaves out 0: a paired difference told apart from
    chance."""
    if not entry:
        return False
    low, high = entry.get("ci95_low"), entry.get("ci95_high")
    if low is None or high is None or low == "" or high == "":
        return False
    return float(low) > 0 or float(high) < 0  # NaN is neither
