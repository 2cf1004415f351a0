"""Elapsed working days between the events of a case, and the distributions fitted to them.

Three intervals are seen in the lists: from referral to the start of the assessment (lists 3
and 4), from the start of the assessment to its authorisation (list 4), and from the strategy
discussion to the initial child protection conference (list 5). Working days are counted the
DfE way (the start's own day does not count, the end's does). Each interval is fitted with
several families by maximum likelihood and compared by AIC, with a Kolmogorov-Smirnov
statistic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from caseload_sim.calibrate.linking import link_to_referral

if TYPE_CHECKING:
    import pandas as pd

    from caseload_sim.calendar import WorkingCalendar

#: Families compared for elapsed-time distributions (scipy.stats names).
FAMILIES = ("expon", "gamma", "lognorm", "weibull_min")
#: Assessments are timed only if they began at least this long before the last one in the data
#: (and, in the simulation, before the end of the run), so that both are cut off alike.
COMPLETION_DAYS = 30
#: Elapsed working days are fitted as (days + 0.5): a distribution on (0, inf) cannot put mass
#: on 0, and same-day events are common.
_CONTINUITY = 0.5


@dataclass
class DistributionFit:
    """Elapsed working days between two events, and the families fitted to them."""

    name: str
    description: str
    days: np.ndarray
    #: family -> {"params": tuple, "aic": float, "ks": float, "p_value": float}
    fits: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def best(self) -> str | None:
        """The family with the lowest AIC, if any could be fitted."""
        if not self.fits:
            return None
        return min(self.fits, key=lambda family: self.fits[family]["aic"])


def elapsed_working_days(calendar: WorkingCalendar, start: pd.Series, end: pd.Series) -> np.ndarray:
    """Working days from each start date to its end date (the DfE way: the start's own day
    does not count, the end's does)."""
    origin = np.datetime64(calendar.start_date, "D")
    t0 = (start.to_numpy(dtype="datetime64[D]") - origin).astype(float)
    t1 = (end.to_numpy(dtype="datetime64[D]") - origin).astype(float)
    return calendar.elapsed_working_days_array(t0, t1)


def fit_elapsed_times(
    referrals: pd.DataFrame,
    assessments: pd.DataFrame | None,
    enquiries: pd.DataFrame | None,
    calendar: WorkingCalendar,
) -> dict[str, DistributionFit]:
    """The intervals the lists show, by name, each with its fitted families."""
    import pandas as pd

    distributions: dict[str, DistributionFit] = {}
    if assessments is not None and len(assessments):
        starts = link_to_referral(
            referrals[["child_id", "referral_date"]],
            assessments[["child_id", "assessment_start"]],
            "referral_date",
            "assessment_start",
        )
        distributions["referral_to_assessment_start"] = _fit_days(
            "referral_to_assessment_start",
            "Referral to the start of the assessment (working days)",
            elapsed_working_days(calendar, starts["referral_date"], starts["assessment_start"]),
        )
        # Assessments begun near the end of the data are cut short by it: leave them out.
        begun = assessments["assessment_start"]
        settled = begun <= begun.max() - pd.Timedelta(days=COMPLETION_DAYS)
        done = assessments[settled].dropna(subset=["assessment_authorised"])
        distributions["assessment_start_to_authorisation"] = _fit_days(
            "assessment_start_to_authorisation",
            "Start of the assessment to its authorisation (working days)",
            elapsed_working_days(calendar, done["assessment_start"], done["assessment_authorised"]),
        )
    if enquiries is not None and len(enquiries):
        held = enquiries.dropna(subset=["icpc_date"])
        distributions["strategy_to_icpc"] = _fit_days(
            "strategy_to_icpc",
            "Strategy discussion to initial child protection conference (working days)",
            elapsed_working_days(calendar, held["strategy_date"], held["icpc_date"]),
        )
    return distributions


def _fit_days(name: str, description: str, days: np.ndarray) -> DistributionFit:
    """The families fitted to elapsed working days (none if fewer than 10 observations)."""
    from scipy import stats

    result = DistributionFit(name, description, np.asarray(days, dtype=float))
    if len(days) < 10:
        return result
    shifted = result.days + _CONTINUITY
    for family in FAMILIES:
        distribution = getattr(stats, family)
        try:
            params = distribution.fit(shifted, floc=0.0)
        except (ValueError, RuntimeError, FloatingPointError):
            continue
        log_likelihood = float(np.sum(distribution.logpdf(shifted, *params)))
        if not math.isfinite(log_likelihood):
            continue
        free = len(params) - 1  # the location is fixed at 0
        ks = stats.kstest(shifted, family, args=params)
        result.fits[family] = {
            "params": tuple(float(p) for p in params),
            "aic": 2 * free - 2 * log_likelihood,
            "ks": float(ks.statistic),
            "p_value": float(ks.pvalue),
            "mean": float(distribution.mean(*params)) - _CONTINUITY,
        }
    return result
