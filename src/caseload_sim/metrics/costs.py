"""KPIs of what the staff cost (the scenario's ``[costs]``; NaN without it).

Costs follow who held each post when (:class:`caseload_sim.model.results.PostHistory`): a post
costs from the day it is held, at the holder's grade and the post's FTE. A permanent holder
costs their salary and on-costs for every calendar day (a year is 365.25 days; leave and
sickness are paid); an agency worker costs the grade's day rate for each working day in post,
or the agency multiple of the permanent cost for every calendar day; an empty post costs
nothing. Each permanent holder taking up an empty post (or one an agency worker covered) is a
hire, costed on the day they start; each working day on the mandatory training course costs its
fee. A window counts what falls in ``[start, end)``, so the periods between dated changes add up
to the whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.metrics.posts import mean_fte
from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.view import RunView
from caseload_sim.model.results import AGENCY, PERMANENT, PostRecord
from caseload_sim.scenario.schema import Costs

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class StaffCosts:
    """What the staff cost over a window, in pounds (not yet a year's worth)."""

    permanent: float = 0.0
    agency: float = 0.0
    recruitment: float = 0.0
    training: float = 0.0
    #: permanent holders who took up empty posts in the window
    hires: int = 0
    #: working days spent on the training course in the window
    trainee_days: int = 0

    @property
    def total(self) -> float:
        return self.permanent + self.agency + self.recruitment + self.training


def working_days(calendar: WorkingCalendar, start: float, end: float) -> int:
    """Working days whose working hours begin in ``[start, end)``."""
    return len(calendar.working_day_dates(start, end)) if end > start else 0


def held_segments(
    post: PostRecord, start: float, end: float
) -> list[tuple[float, float, str, str]]:
    """``(from, to, holder, grade)`` for each spell of one holder at one grade within
    ``[start, end)`` while the post existed (a post never changed has one spell)."""
    if post.history is None:
        return [(start, end, PERMANENT, post.grade)]
    return post.history.segments(start, end)


def hires(post: PostRecord, start: float, end: float) -> int:
    """Permanent holders who took up the post, empty or covered by an agency worker, in
    ``[start, end)`` (a post held from its establishment was not recruited to in the run)."""
    if post.history is None:
        return 0
    changes = post.history.changes
    return sum(
        1
        for position in range(1, len(changes))
        if changes[position][1] == PERMANENT
        and changes[position - 1][1] != PERMANENT
        and start <= changes[position][0] < end
    )


def post_costs(
    post: PostRecord, costs: Costs, calendar: WorkingCalendar, start: float, end: float
) -> tuple[float, float]:
    """What one post cost over ``[start, end)``: its permanent holders and its agency cover."""
    permanent = agency = 0.0
    for a, b, holder, grade in held_segments(post, start, end):
        fte = mean_fte(post, a, b)
        year_share = (b - a) / DAYS_PER_YEAR
        if holder == PERMANENT:
            permanent += costs.annual_cost(grade) * fte * year_share
        elif holder == AGENCY:
            rate = costs.agency_day_rate_of(grade)
            if rate is None:
                agency += costs.agency_multiple * costs.annual_cost(grade) * fte * year_share
            else:
                agency += rate * fte * working_days(calendar, a, b)
    return permanent, agency


def staff_costs(view: RunView) -> StaffCosts | None:
    """What the staff cost over the view's window (None without ``[costs]``)."""
    return view.shared("costs", _staff_costs)


def _staff_costs(view: RunView) -> StaffCosts | None:
    costs = view.scenario.costs
    if costs is None:
        return None
    result, start, end = view.result, view.start, view.end
    permanent = agency = 0.0
    hired = 0
    for post in result.posts:
        own, covered = post_costs(post, costs, view.calendar, start, end)
        permanent += own
        agency += covered
        hired += hires(post, start, end)
    courses = view.mechanism("training")
    trainee_days = 0
    if courses is not None:
        trainee_days = sum(
            working_days(view.calendar, max(first, start), min(last, end))
            for first, last in zip(courses["start"].tolist(), courses["end"].tolist(), strict=True)
        )
    return StaffCosts(
        permanent,
        agency,
        hired * costs.recruitment_per_hire,
        trainee_days * costs.training_per_trainee_day,
        hired,
        trainee_days,
    )


def _per_year(view: RunView, amount: float) -> float:
    days = view.end - view.start
    return amount * DAYS_PER_YEAR / days if days > 0 else math.nan


def _cost(view: RunView, part: str) -> float:
    found = staff_costs(view)
    return math.nan if found is None else _per_year(view, getattr(found, part))


@kpi(
    "staff_cost_permanent_gbp_per_year",
    unit="£/year",
    plain="cost of permanent staff",
    reading="Permanent staff cost about £{mean:,.0f} a year",
    description="Salaries and on-costs of the posts' permanent holders, at the holder's grade "
    "and the post's FTE, for the days they held them (costs.salary, costs.on_costs_pct).",
    numerator="cost of permanent holders in the period",
    denominator="years in the period (365.25 days a year)",
)
def permanent_cost(view: RunView) -> float:
    return _cost(view, "permanent")


@kpi(
    "staff_cost_agency_gbp_per_year",
    unit="£/year",
    plain="cost of agency cover",
    reading="Agency workers covering empty posts cost about £{mean:,.0f} a year",
    description="What agency workers cost while they covered posts: the grade's day rate for "
    "each working day, or the agency multiple of the post's permanent cost "
    "(costs.agency_day_rate, costs.agency_multiple).",
    numerator="cost of agency cover in the period",
    denominator="years in the period (365.25 days a year)",
)
def agency_cost(view: RunView) -> float:
    return _cost(view, "agency")


@kpi(
    "recruitment_cost_gbp_per_year",
    unit="£/year",
    plain="cost of recruitment",
    reading="Recruiting permanent staff into empty posts cost about £{mean:,.0f} a year",
    description="Permanent holders taking up empty (or agency-covered) posts, at the cost of a "
    "hire (costs.recruitment_per_hire), on the day they start.",
    numerator="hires in the period x cost of a hire",
    denominator="years in the period (365.25 days a year)",
)
def recruitment_cost(view: RunView) -> float:
    return _cost(view, "recruitment")


@kpi(
    "training_cost_gbp_per_year",
    unit="£/year",
    plain="cost of training",
    reading="The mandatory training course cost about £{mean:,.0f} a year in fees",
    description="Working days on the mandatory training course (workforce.training) at the fee "
    "of a trainee-day (costs.training_per_trainee_day); the trainees' salaries are counted "
    "with their posts.",
    numerator="trainee-days in the period x fee of a trainee-day",
    denominator="years in the period (365.25 days a year)",
)
def training_cost(view: RunView) -> float:
    return _cost(view, "training")


@kpi(
    "staff_cost_total_gbp_per_year",
    unit="£/year",
    plain="staffing cost",
    reading="The front door's staff cost about £{mean:,.0f} a year in all",
    description="Permanent staff, agency cover, recruitment and training together.",
    numerator="cost of permanent holders, agency cover, hires and training in the period",
    denominator="years in the period (365.25 days a year)",
)
def total_cost(view: RunView) -> float:
    return _cost(view, "total")


@kpi(
    "staff_cost_per_referral_gbp",
    unit="£",
    plain="staffing cost per referral",
    reading="Each referral cost about £{mean:,.0f} in staff",
    description="Staffing cost over the period for each referral decided in it.",
    numerator="staffing cost in the period (permanent, agency, recruitment and training)",
    denominator="referrals decided in the period",
)
def cost_per_referral(view: RunView) -> float:
    found = staff_costs(view)
    referrals = float(view.within(view.cases.decided_at).sum())
    return found.total / referrals if found is not None and referrals > 0 else math.nan


@kpi(
    "staff_cost_per_assessment_gbp",
    unit="£",
    plain="staffing cost per completed assessment",
    reading="Each completed assessment cost about £{mean:,.0f} in staff",
    description="Staffing cost over the period for each initial, core or single assessment "
    "completed in it (section 47 enquiries are not counted as assessments).",
    numerator="staffing cost in the period (permanent, agency, recruitment and training)",
    denominator="initial, core and single assessments completed in the period",
)
def cost_per_assessment(view: RunView) -> float:
    found = staff_costs(view)
    cases = view.cases
    completed = sum(
        float(view.within(times).sum())
        for times in (
            cases.initial_assessment_done_at,
            cases.core_assessment_done_at,
            cases.single_assessment_done_at,
        )
    )
    return found.total / completed if found is not None and completed > 0 else math.nan
