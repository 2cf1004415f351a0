"""What calibration estimates from the lists: each scenario value with its evidence, and the
whole result.

Every :class:`FittedValue` carries the number of observations it rests on and its evidence in
words (which lists, which dates, how counted, and a 95% confidence interval), as the calibrated
scenario file and the report show it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from caseload_sim.calibrate.elapsed_times import DistributionFit


@dataclass
class FittedValue:
    """A scenario field set from the data, and the evidence for it."""

    path: str
    value: Any
    n: int
    evidence: str


@dataclass
class Calibration:
    """Everything estimated from the lists."""

    source: str
    window: tuple[dt.date, dt.date]
    values: list[FittedValue]
    distributions: dict[str, DistributionFit]
    #: contact or referral source code -> share, by list
    sources: dict[str, dict[str, float]]
    #: team -> (workers seen, referrals allocated, referrals per worker)
    teams: dict[str, tuple[int, int, float]]
    #: cases allocated per worker over the window
    cases_per_worker: np.ndarray
    #: observed contacts per working day and their weekday/month means (for the report)
    daily_contacts: pd.Series
    notes: list[str] = field(default_factory=list)

    def value(self, path: str) -> Any:
        """The value fitted for a scenario field (a dotted path)."""
        for fitted in self.values:
            if fitted.path == path:
                return fitted.value
        raise KeyError(path)

    def overrides(self) -> dict[str, Any]:
        """The fitted fields as dotted paths."""
        return {fitted.path: fitted.value for fitted in self.values}


def binomial_interval(hits: int, n: int) -> str:
    """Wilson 95% interval, as text."""
    if n <= 0:
        return "n/a"
    z = 1.959963984540054
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{max(0.0, centre - half):.4f} to {min(1.0, centre + half):.4f}"


def poisson_interval(count: int, days: int) -> str:
    """Exact (Garwood) 95% interval of a daily rate, as text."""
    from scipy import stats

    low = stats.chi2.ppf(0.025, 2 * count) / 2 if count > 0 else 0.0
    high = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return f"{low / days:.2f} to {high / days:.2f} a working day"
