"""KPIs of allocation: how long referrals wait for a worker, and who comes to hold them."""

from __future__ import annotations

from functools import partial

import numpy as np

from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.stats import mean, pct, quantile, time_average
from caseload_sim.metrics.view import RunView
from caseload_sim.scenario.schema import GRADES, HIGH_RISK_TIERS, QUALIFIED_GRADES, TIERS

_QUALIFIED_CODES = [GRADES.index(grade) for grade in QUALIFIED_GRADES]


def _allocated(view: RunView) -> tuple[np.ndarray, np.ndarray]:
    """Referrals allocated in the window (mask), and the wait of each of them (days)."""
    cases = view.cases
    mask = view.within(cases.allocated_at)
    return mask, cases.allocated_at[mask] - cases.referral_at[mask]


def allocated(view: RunView) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`_allocated`, worked out once per view."""
    return view.shared("allocated", _allocated)


@kpi(
    "referral_to_allocation_days_mean",
    unit="days",
    plain="mean wait for allocation",
    reading="A referral waited {mean:.2f} days on average to be allocated a worker",
    description="Mean wait from referral to allocation to a worker (calendar days).",
    numerator="sum of waits of referrals allocated in the period",
    denominator="referrals allocated in the period",
    headline=4,
)
def wait_for_allocation(view: RunView) -> float:
    return mean(allocated(view)[1])


@kpi(
    "referral_to_allocation_days_p90",
    unit="days",
    plain="90th percentile wait for allocation",
    reading="Nine in ten referrals were allocated a worker within {mean:.2f} days",
    description="90th percentile of the wait from referral to allocation (calendar days).",
    numerator="90th percentile over referrals allocated in the period",
    headline=5,
)
def wait_for_allocation_p90(view: RunView) -> float:
    return quantile(allocated(view)[1], 0.9)


def _wait_of_tier(rank: int, view: RunView) -> float:
    mask, waits = allocated(view)
    return mean(waits[view.cases.tier[mask] == rank])


for _rank, _tier in enumerate(TIERS):
    _words = _tier.replace("_", " ")
    _article = "An" if _words[0] in "aeiou" else "A"
    kpi(
        f"referral_to_allocation_{_tier}_days_mean",
        unit="days",
        plain=f"mean wait for allocation, {_words} referrals",
        reading=f"{_article} {_words} referral waited {{mean:.2f}} days on average to be allocated",
        description=f"Mean wait from referral to allocation, {_words} referrals (calendar days).",
        numerator=f"sum of waits of {_tier} referrals allocated in the period",
        denominator=f"{_tier} referrals allocated in the period",
    )(partial(_wait_of_tier, _rank))


@kpi(
    "high_risk_cases_held_by_unqualified_pct",
    unit="%",
    plain="high-risk cases held by an unqualified worker",
    reading="About {mean:.0f} in 100 high-risk referrals were held by an unqualified worker",
    description="High-risk referrals whose lead (case-holder) is unqualified.",
    numerator="high-risk referrals allocated in the period to a social work assistant",
    denominator="high-risk referrals allocated in the period",
    headline=10,
    better="lower",
)
def high_risk_held_by_unqualified(view: RunView) -> float:
    cases = view.cases
    high_risk = np.isin(cases.tier, [TIERS.index(t) for t in HIGH_RISK_TIERS])
    unqualified = ~np.isin(cases.first_lead_grade, _QUALIFIED_CODES)
    return pct(unqualified[allocated(view)[0] & high_risk])


@kpi(
    "co_worked_cases_pct",
    unit="%",
    plain="co-worked referrals",
    reading="About {mean:.0f} in 100 referrals were allocated to a lead with a qualified co-worker",
    description="Referrals allocated to a lead with a qualified co-worker.",
    numerator="co-worked referrals allocated in the period",
    denominator="referrals allocated in the period",
)
def co_worked(view: RunView) -> float:
    return pct(view.cases.co_worked[allocated(view)[0]])


@kpi(
    "oversight_hours_per_co_worked_case_mean",
    unit="hours",
    plain="oversight given per co-worked case",
    reading="A co-worked case was given {mean:.1f} hours of qualified oversight on average",
    description="Co-worker oversight actually given per co-worked case.",
    numerator="oversight hours given to co-worked cases that ended in the period",
    denominator="co-worked cases that ended in the period",
)
def oversight_per_co_worked_case(view: RunView) -> float:
    cases = view.cases
    mask = view.within(cases.ended_at) & cases.co_worked
    return mean(cases.oversight_hours[mask])


@kpi(
    "over_allocated_referrals_pct",
    unit="%",
    plain="referrals allocated over the cap",
    reading="About {mean:.0f} in 100 referrals were allocated above the worker's caseload cap",
    description="Referrals allocated above the worker's cap (soft caps).",
    numerator="referrals allocated above cap in the period",
    denominator="referrals allocated in the period",
)
def over_allocated(view: RunView) -> float:
    return pct(view.cases.over_allocated[allocated(view)[0]])


@kpi(
    "unallocated_referrals_mean",
    unit="referrals",
    plain="mean number of unallocated referrals",
    reading="On average {mean:.1f} referrals were waiting for a worker",
    description="Referrals waiting for allocation (time-weighted).",
    numerator="time-integral of the unallocated queue over the period",
    denominator="length of the period",
    headline=11,
)
def unallocated(view: RunView) -> float:
    events = view.events
    queue = events.of("unallocated_change")
    return time_average(events.time[queue], events.value[queue], view.start, view.end)
