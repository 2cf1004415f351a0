"""Workforce flow: vacancies, agency cover, leavers, recruitment and progression."""

from __future__ import annotations

from pydantic import Field

from caseload_sim.scenario.schema.base import Section

# ------------------------------------------------------------------------------- workforce flow


class WorkforceFlow(Section):
    """Vacancies, agency cover, leavers, recruitment and progression of case-holding posts.

    Each post of a case-holding grade (swa, nqsw, sw, sp) is held by a permanent worker, by an
    agency worker, or by nobody. Holders leave at random (agency workers more often); when a post
    falls empty its cases are re-allocated to colleagues, an agency worker may start after the
    onboarding lag, and a permanent recruit starts after the recruitment lag (replacing any agency
    worker). Newly qualified social workers become social workers after their first year.
    Vacancy and agency rates follow the definitions of the Department for Education's
    Children's social work workforce statistics: a post covered by an agency worker is still
    vacant. Off by default; every figure is illustrative until a council calibrates it.
    """

    enabled: bool = Field(False, description="Model vacancies, leavers and recruitment.")
    vacancy_pct_at_start: float = Field(
        0.0,
        ge=0.0,
        le=100.0,
        description=(
            "Share of case-holding posts without a permanent holder at the start; their "
            "recruits start at random within the recruitment lag. Unit: %."
        ),
    )
    agency_cover_pct: float = Field(
        0.0,
        ge=0.0,
        le=100.0,
        description="Chance that a vacant post is covered by an agency worker. Unit: %.",
    )
    agency_onboarding_wd: float = Field(
        10.0,
        ge=0.0,
        le=250.0,
        description="From a post falling empty to an agency worker starting. Unit: working days.",
    )
    recruitment_lag_wd: float = Field(
        65.0,
        ge=0.0,
        le=1000.0,
        description=(
            "From a permanent holder leaving to a permanent recruit starting. Unit: working days."
        ),
    )
    permanent_leaving_pct_per_year: float = Field(
        15.0,
        ge=0.0,
        le=400.0,
        description=(
            "Leavers per person-year among permanent holders, as the DfE turnover rate "
            "(Children's social work workforce statistics: about 15-17% a year). Unit: %/year."
        ),
    )
    agency_leaving_pct_per_year: float = Field(
        50.0,
        ge=0.0,
        le=400.0,
        description="Leavers per person-year among agency workers. Unit: %/year.",
    )
    nqsw_progression_months: float = Field(
        12.0,
        ge=1.0,
        le=60.0,
        description=(
            "A newly qualified social worker becomes a social worker after this long in post "
            "(the assessed and supported year in employment). Unit: months."
        ),
    )
    overload_threshold_pct: float = Field(
        90.0,
        ge=0.0,
        le=500.0,
        description=(
            "A holder is overloaded while their sustained caseload is at least this share of "
            "their cap. Unit: % of cap."
        ),
    )
    overload_sustained_wd: float = Field(
        60.0,
        ge=1.0,
        le=1000.0,
        description=(
            "Span of the moving average that makes a caseload sustained. Unit: working days."
        ),
    )
    overload_leaving_effect: float = Field(
        0.0,
        ge=0.0,
        le=20.0,
        description=(
            "Relative increase in the chance of leaving while overloaded (1 doubles it; 0 "
            "turns the effect off)."
        ),
    )
