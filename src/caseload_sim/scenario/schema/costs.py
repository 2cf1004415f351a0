"""What the front door's staff cost: salaries and on-costs by grade, agency cover, recruitment
and training (the ``[costs]`` section; without it no cost is counted).

Defaults are English figures for 2009-10 where a published one was found, each named in its
field's description; the rest are marked illustrative. ``docs/model.md`` (section 15) gives the
sources and the arithmetic.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from caseload_sim.scenario.schema.base import Section


def _salary(default: float, source: str) -> Any:
    return Field(default, ge=0.0, le=1_000_000.0, description=f"{source} Unit: £ a year.")


class GradeSalaries(Section):
    """Full-time salary of a post of each grade, before on-costs (an FTE below 1 costs its
    share)."""

    swa: float = _salary(
        19_810.0,
        "Social work assistant: the average for key, outreach and support workers in the "
        "Community Care and Unison pay survey (July 2009).",
    )
    nqsw: float = _salary(
        25_220.0,
        "Newly qualified social worker: the average starting salary of social workers found "
        "by Incomes Data Services (July 2009).",
    )
    sw: float = _salary(
        28_740.0,
        "Social worker: the average for social workers and senior social workers in the "
        "Community Care and Unison pay survey (July 2009).",
    )
    sp: float = _salary(
        32_000.0,
        "Senior practitioner: illustrative, between the average maximum for a social worker "
        "(£30,983) and the average minimum for a team leader (£33,386) found by the Local "
        "Authority Workforce Intelligence Group (2006).",
    )
    tm: float = _salary(
        35_367.0,
        "Team manager: the middle of the average range for team leaders found by the Local "
        "Authority Workforce Intelligence Group (2006), £33,386 to £37,347.",
    )
    duty: float = _salary(
        19_810.0,
        "Duty screener of the access centre: illustrative, paid as a support worker (the "
        "Community Care and Unison figure for social work assistants).",
    )


def _day_rate(grade: str) -> Any:
    return Field(
        None,
        ge=0.0,
        le=10_000.0,
        description=f"An agency {grade}'s charge for each working day in post (absent: the "
        "agency multiple of the post's cost). Unit: £ a working day.",
    )


class AgencyDayRates(Section):
    """What an agency charges a day for a worker of each grade, where it is known; a grade
    without one costs the agency multiple of its permanent cost."""

    swa: float | None = _day_rate("social work assistant")
    nqsw: float | None = _day_rate("newly qualified social worker")
    sw: float | None = _day_rate("social worker")
    sp: float | None = _day_rate("senior practitioner")


class Costs(Section):
    """What the staff cost. Posts cost from the day they are held, at the holder's grade and
    the post's FTE: a permanent holder their salary and on-costs (leave and sickness are paid),
    an agency worker the agency rate while they cover the post; an empty post costs nothing.
    Each permanent recruit costs a recruitment, each day on a training course a training fee.
    Prices are of ``price_year`` and are not inflated over a run."""

    price_year: str = Field(
        "2009-10",
        min_length=1,
        max_length=20,
        description="The financial year whose prices the figures are in (for the reader).",
    )
    salary: GradeSalaries = Field(default_factory=GradeSalaries)
    on_costs_pct: float = Field(
        25.0,
        ge=0.0,
        le=200.0,
        description=(
            "Employer's on-costs as a share of salary: National Insurance (12.8% above the "
            "earnings threshold in 2009-10) and the Local Government Pension Scheme's employer "
            "contribution; illustrative. Unit: % of salary."
        ),
    )
    agency_multiple: float = Field(
        1.46,
        ge=0.0,
        le=10.0,
        description=(
            "What an agency worker costs as a multiple of the post's permanent cost (salary "
            "and on-costs), for a grade without a day rate: an agency worker cost £14,400 a "
            "year more than a newly qualified permanent one (Sefton Council's research, cited "
            "by the Department of Health; Community Care, 1 September 2010), and (£31,525 + "
            "£14,400) / £31,525 = 1.46 at the default salary and on-costs."
        ),
    )
    agency_day_rate: AgencyDayRates = Field(default_factory=AgencyDayRates)
    recruitment_per_hire: float = Field(
        5_400.0,
        ge=0.0,
        le=1_000_000.0,
        description=(
            "Cost of recruiting a permanent holder into an empty post (advertising, fees, "
            "interviews), counted on the day they start: the middle of the £4,200 to £6,600 "
            "Swansea Council paid a recruitment company for each social worker hired (16 to "
            "20% of the first year's salary, 2009); a proxy, no English figure was found. "
            "Unit: £ a hire."
        ),
    )
    training_per_trainee_day: float = Field(
        150.0,
        ge=0.0,
        le=100_000.0,
        description=(
            "Fee for each working day a practitioner spends on the mandatory training "
            "(workforce.training; trainer, venue and materials, the trainee's salary being "
            "counted with their post); illustrative. Unit: £ a trainee-day."
        ),
    )

    def annual_cost(self, grade: str) -> float:
        """A full-time permanent post of the grade for a year: salary and on-costs (£)."""
        return float(getattr(self.salary, grade)) * (1.0 + self.on_costs_pct / 100.0)

    def agency_day_rate_of(self, grade: str) -> float | None:
        """The day rate an agency charges for the grade, if the scenario gives one."""
        rate: float | None = getattr(self.agency_day_rate, grade, None)
        return rate
