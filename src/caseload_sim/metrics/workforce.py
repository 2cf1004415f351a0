"""KPIs of the workforce: staff at work, absence, vacancies, agency cover and turnover of the
case-holding posts (DfE children's social work workforce statistics definitions)."""

from __future__ import annotations

import math

from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.view import RunView

_DAYS_PER_YEAR = 365.25


@kpi(
    "available_fte_mean",
    unit="FTE",
    plain="case-holding staff at work (FTE)",
    reading="On average {mean:.1f} FTE of case-holding staff were at work",
    description="Case-holding staff at work, not on leave or sick (time-weighted, in FTE).",
    numerator="sum over case-holding workers of FTE x working time not absent in the period",
    denominator="working time in the period",
)
def available_fte(view: RunView) -> float:
    window = view.working_window
    if window <= 0:
        return math.nan
    return sum(w.fte * w.available_days for w in view.case_holders) / window


@kpi(
    "vacancy_rate_pct",
    unit="%",
    plain="vacancy rate",
    reading="About {mean:.0f} in 100 case-holding posts had no permanent holder",
    description="Share of case-holding posts without a permanent holder, covered by an agency "
    "worker or empty (DfE workforce statistics definition; time-weighted).",
    numerator="working time of case-holding posts without a permanent holder in the period",
    denominator="working time of case-holding posts established in the period",
)
def vacancy_rate(view: RunView) -> float:
    holders = view.case_holders
    established = sum(w.established_days for w in holders)
    if established <= 0:
        return math.nan
    return 100.0 * sum(w.vacant_days for w in holders) / established


def _held(view: RunView) -> float:
    return sum(w.available_days + w.absent_days for w in view.case_holders)


@kpi(
    "agency_share_pct",
    unit="%",
    plain="agency share",
    reading="Agency workers held the case-holding posts in use about {mean:.0f} in 100 of the time",
    description="Share of case-holding posts' held time held by agency workers (time-weighted).",
    numerator="working time of case-holding posts held by agency workers in the period",
    denominator="working time of case-holding posts held by anyone in the period",
)
def agency_share(view: RunView) -> float:
    held = _held(view)
    return 100.0 * sum(w.agency_days for w in view.case_holders) / held if held > 0 else math.nan


@kpi(
    "staff_turnover_pct",
    unit="%",
    plain="staff turnover",
    reading="Permanent case-holding staff left at a rate of about {mean:.0f} in 100 a year",
    description="Permanent holders of case-holding posts who left, as a share of the permanent "
    "staff a year.",
    numerator="permanent holders leaving in the period, scaled to a year",
    denominator="mean number of case-holding posts with a permanent holder in the period",
)
def staff_turnover(view: RunView) -> float:
    holders = view.case_holders
    start, end = view.start, view.end
    window = view.working_window
    permanent = sum(w.established_days - w.vacant_days for w in holders)
    if not (permanent > 0 and window > 0):
        return math.nan
    posts = {w.index for w in holders}
    events = view.events
    left = events.of("holder_left")
    leavers = sum(
        1
        for time, index, agency in zip(
            events.time[left].tolist(),
            events.worker[left].tolist(),
            events.value[left].tolist(),
            strict=True,
        )
        if not agency and index in posts and start <= time < end
    )
    years = (end - start) / _DAYS_PER_YEAR
    return 100.0 * leavers / (permanent / window) / years


@kpi(
    "absence_pct",
    unit="%",
    plain="time lost to leave and sickness",
    reading="About {mean:.0f} in 100 working hours of case-holding staff were lost to leave "
    "and sickness",
    description="Share of case-holding workers' working time lost to leave and sickness.",
    numerator="working time of case-holding workers lost to absence in the period",
    denominator="working time of case-holding workers in the period",
)
def absence(view: RunView) -> float:
    held = _held(view)
    return 100.0 * sum(w.absent_days for w in view.case_holders) / held if held > 0 else math.nan
