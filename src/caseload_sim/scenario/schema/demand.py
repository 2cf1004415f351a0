"""Demand: contacts arriving at the single access point, and what they turn into."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from caseload_sim.scenario.schema.base import Probability, Section, check_sums_to_one

# --------------------------------------------------------------------------------------- demand


class WeekdayProfile(Section):
    """Relative contact volume by weekday; rescaled so the mean over the week is 1."""

    mon: float = Field(1.0, ge=0.0, description="Relative volume on Mondays.")
    tue: float = Field(1.0, ge=0.0, description="Relative volume on Tuesdays.")
    wed: float = Field(1.0, ge=0.0, description="Relative volume on Wednesdays.")
    thu: float = Field(1.0, ge=0.0, description="Relative volume on Thursdays.")
    fri: float = Field(1.0, ge=0.0, description="Relative volume on Fridays.")

    @model_validator(mode="after")
    def _not_all_zero(self) -> WeekdayProfile:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one weekday must have a positive relative volume")
        return self


class MonthProfile(Section):
    """Relative contact volume by calendar month; rescaled so the mean over the year is 1."""

    jan: float = Field(1.0, ge=0.0, description="Relative volume in January.")
    feb: float = Field(1.0, ge=0.0, description="Relative volume in February.")
    mar: float = Field(1.0, ge=0.0, description="Relative volume in March.")
    apr: float = Field(1.0, ge=0.0, description="Relative volume in April.")
    may: float = Field(1.0, ge=0.0, description="Relative volume in May.")
    jun: float = Field(1.0, ge=0.0, description="Relative volume in June.")
    jul: float = Field(1.0, ge=0.0, description="Relative volume in July.")
    aug: float = Field(1.0, ge=0.0, description="Relative volume in August.")
    sep: float = Field(1.0, ge=0.0, description="Relative volume in September.")
    oct: float = Field(1.0, ge=0.0, description="Relative volume in October.")
    nov: float = Field(1.0, ge=0.0, description="Relative volume in November.")
    dec: float = Field(1.0, ge=0.0, description="Relative volume in December.")

    @model_validator(mode="after")
    def _not_all_zero(self) -> MonthProfile:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one month must have a positive relative volume")
        return self


class TierShares(Section):
    """Share of referrals in each risk tier (probabilities summing to 1)."""

    immediate_risk: Probability = Field(
        0.06, description="Share of referrals where a child is at immediate risk of harm."
    )
    child_protection: Probability = Field(
        0.24, description="Share needing child protection (s47) consideration, not immediate."
    )
    child_in_need: Probability = Field(0.62, description="Share of child in need referrals.")
    disabled_child: Probability = Field(
        0.08, description="Share of referrals for disabled children (their own route)."
    )

    @model_validator(mode="after")
    def _sums_to_one(self) -> TierShares:
        check_sums_to_one(self.model_dump(), "the tier shares")
        return self


class Demand(Section):
    """Contacts arriving at the single access point, and what they turn into."""

    contacts_per_working_day: float | None = Field(
        None,
        gt=0.0,
        description=(
            "Mean contacts per working day (per day on the continuous calendar), before weekday "
            "and month profiles. Give this or contacts_per_year, not both. Unit: contacts/day."
        ),
    )
    contacts_per_year: float | None = Field(
        None,
        gt=0.0,
        description=(
            "Contacts per year, spread over the working days of the year from the start date. "
            "Unit: contacts/year."
        ),
    )
    weekday_profile: WeekdayProfile = Field(default_factory=WeekdayProfile)
    month_profile: MonthProfile = Field(default_factory=MonthProfile)
    out_of_hours_share: float = Field(
        0.2,
        ge=0.0,
        lt=1.0,
        description=(
            "Share of contacts arriving outside working hours; the out-of-hours service hands "
            "them to the day service at the start of the next working day. Must be 0 on the "
            "continuous calendar."
        ),
    )
    referral_conversion: Probability = Field(
        0.26,
        description=(
            "Share of contacts that become referrals (ADCS Safeguarding Pressures: 23-29%)."
        ),
    )
    tier_mix: TierShares = Field(default_factory=TierShares)
    complexity_weights: list[Annotated[float, Field(gt=0.0)]] = Field(
        default_factory=lambda: [0.75, 1.0, 1.5],
        min_length=1,
        description="Effort multipliers for the complexity levels of a referral (dimensionless).",
    )
    complexity_shares: list[Probability] = Field(
        default_factory=lambda: [0.25, 0.5, 0.25],
        min_length=1,
        description="Share of referrals at each complexity level (same length, summing to 1).",
    )
    re_referral_probability: float = Field(
        0.23,
        ge=0.0,
        lt=1.0,
        description=(
            "Chance that a case leaving the front door (closed, or handed on and later closed) "
            "comes back as a new referral within re_referral_window_days. In a steady state it "
            "is also the share of referrals that are re-referrals (DfE CIN statistics: 24% in "
            "2007-08, 22.4% in 2022-23)."
        ),
    )
    re_referral_window_days: float = Field(
        365.0, gt=0.0, description="Window in which a closed case may return. Unit: days."
    )

    @model_validator(mode="after")
    def _rate_and_complexity(self) -> Demand:
        given = [self.contacts_per_working_day, self.contacts_per_year]
        if sum(v is not None for v in given) != 1:
            raise ValueError("give exactly one of contacts_per_working_day or contacts_per_year")
        if len(self.complexity_weights) != len(self.complexity_shares):
            raise ValueError(
                "complexity_weights and complexity_shares must have the same length "
                f"({len(self.complexity_weights)} and {len(self.complexity_shares)})"
            )
        check_sums_to_one(
            {f"complexity_shares[{i}]": s for i, s in enumerate(self.complexity_shares)},
            "complexity_shares",
        )
        return self
