"""Small statistics the KPIs share: shares, means, quantiles and exact time-weighted levels."""

from __future__ import annotations

import math

import numpy as np


def pct(hits: np.ndarray) -> float:
    """The share of true values, in %; NaN when there is nothing to count."""
    return float(100.0 * hits.mean()) if hits.size else math.nan


def mean(values: np.ndarray) -> float:
    """The mean; NaN when there is nothing to count."""
    return float(values.mean()) if values.size else math.nan


def quantile(values: np.ndarray, q: float) -> float:
    """The ``q`` quantile (numpy's linear interpolation); NaN when there is nothing to count."""
    return float(np.quantile(values, q)) if values.size else math.nan


def time_average(times: np.ndarray, changes: np.ndarray, start: float, end: float) -> float:
    """Exact time-weighted mean over [start, end] of a level that starts at 0 and steps by
    ``changes`` at ``times`` (non-decreasing)."""
    if end <= start:
        return math.nan
    level = np.cumsum(changes)
    following = np.append(times[1:], end)
    overlap = np.clip(np.minimum(following, end) - np.maximum(times, start), 0.0, None)
    return float((level * overlap).sum() / (end - start))


def peak_level(times: np.ndarray, changes: np.ndarray, start: float, end: float) -> float:
    """Highest value over [start, end] of a level that starts at 0 and steps at ``times``."""
    level = np.cumsum(changes)
    before = np.nonzero(times < start)[0]
    peak = float(level[before[-1]]) if before.size else 0.0
    inside = (times >= start) & (times <= end)
    if inside.any():
        peak = max(peak, float(level[inside].max()))
    return peak
