"""The workforce: grades, teams, case weights, eligibility, allocation and the access centre,
gathered with the workforce mechanisms and flow in the ``workforce`` section."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from caseload_sim.scenario.schema.base import TIERS, Eligibility, Probability, Section, Tier
from caseload_sim.scenario.schema.flow import WorkforceFlow
from caseload_sim.scenario.schema.mechanisms import (
    Absence,
    AssessmentQuality,
    Recording,
    SignOff,
    Supervision,
    Training,
)

# ------------------------------------------------------------------------------------ workforce


class GradeTerms(Section):
    """Terms that apply to every worker of a grade."""

    weekly_hours: float = Field(
        37.0, gt=0.0, le=168.0, description="Contracted full-time hours a week. Unit: hours."
    )
    fte: float = Field(1.0, gt=0.0, le=1.0, description="Full-time equivalent of each post.")
    caseload_cap: float = Field(
        100.0, ge=0.0, description="Weighted caseload cap. Unit: caseload points."
    )
    casework_share: Probability = Field(
        0.65,
        description=(
            "Share of working time available for casework; the rest goes to recording, "
            "supervision, training, duty and absence."
        ),
    )


def _terms(cap: float, casework: float = 0.65) -> GradeTerms:
    return GradeTerms(caseload_cap=cap, casework_share=casework)


class GradeTable(Section):
    """Terms for each grade."""

    swa: GradeTerms = Field(default_factory=lambda: _terms(80.0))
    nqsw: GradeTerms = Field(default_factory=lambda: _terms(90.0))
    sw: GradeTerms = Field(default_factory=lambda: _terms(100.0))
    sp: GradeTerms = Field(default_factory=lambda: _terms(100.0, 0.55))
    tm: GradeTerms = Field(default_factory=lambda: _terms(0.0, 0.5))


class StaffCounts(Section):
    """Number of posts of each grade in a team (filled posts)."""

    swa: int = Field(0, ge=0, le=10_000, description="Social work assistants.")
    nqsw: int = Field(0, ge=0, le=10_000, description="Newly qualified social workers.")
    sw: int = Field(0, ge=0, le=10_000, description="Social workers.")
    sp: int = Field(0, ge=0, le=10_000, description="Senior practitioners.")
    tm: int = Field(0, ge=0, le=10_000, description="Team managers.")


class Team(Section):
    """A front-door team: the tiers it takes and its staff."""

    tiers: list[Tier] = Field(
        default_factory=lambda: list(TIERS), min_length=1, description="Tiers this team takes."
    )
    staff: StaffCounts = Field(default_factory=StaffCounts)


class TierWeights(Section):
    """Caseload points of one case of each tier."""

    immediate_risk: float = Field(8.0, gt=0.0, description="Unit: caseload points.")
    child_protection: float = Field(7.0, gt=0.0, description="Unit: caseload points.")
    child_in_need: float = Field(5.0, gt=0.0, description="Unit: caseload points.")
    disabled_child: float = Field(5.0, gt=0.0, description="Unit: caseload points.")


class TierEligibility(Section):
    """May a grade hold a case of each tier: hold, only co_worked, or no."""

    immediate_risk: Eligibility = "hold"
    child_protection: Eligibility = "hold"
    child_in_need: Eligibility = "hold"
    disabled_child: Eligibility = "hold"


def _eligibility(ir: str, cp: str, cin: str, dc: str) -> TierEligibility:
    return TierEligibility.model_validate(
        {"immediate_risk": ir, "child_protection": cp, "child_in_need": cin, "disabled_child": dc}
    )


class EligibilityTable(Section):
    """Grade x tier: who may hold what."""

    swa: TierEligibility = Field(default_factory=lambda: _eligibility("no", "no", "hold", "hold"))
    nqsw: TierEligibility = Field(
        default_factory=lambda: _eligibility("co_worked", "co_worked", "hold", "hold")
    )
    sw: TierEligibility = Field(default_factory=TierEligibility)
    sp: TierEligibility = Field(default_factory=TierEligibility)
    tm: TierEligibility = Field(default_factory=lambda: _eligibility("no", "no", "no", "no"))


class Allocation(Section):
    """How waiting referrals are given to workers."""

    policy: Literal["skill_matched", "joint"] = Field(
        "skill_matched",
        description=(
            "skill_matched: least-loaded worker whose grade may hold the tier; a co-worked lead "
            "only when nobody who may hold it has room. joint: co-worked leads (for example "
            "social work assistants on child protection) compete on equal terms, the practice "
            "the 2010 inspection criticised."
        ),
    )
    oversight_fraction: Probability = Field(
        0.1,
        description=(
            "Share of the lead's effort that the qualified co-worker of a co-worked case spends "
            "on oversight; also the share of the case's weight on the co-worker's caseload."
        ),
    )
    cap_mode: Literal["hard", "soft"] = Field(
        "hard",
        description=(
            "hard: never above the cap. soft: a referral that has waited over_allocation_after_wd "
            "goes to the least-loaded eligible worker even above the cap."
        ),
    )
    over_allocation_after_wd: float = Field(
        5.0, ge=0.0, description="Wait before over-allocation (soft caps). Unit: working days."
    )
    over_allocation_limit_pct: float = Field(
        50.0, ge=0.0, description="How far above the cap a worker may go (soft caps). Unit: %."
    )


class AccessCentre(Section):
    """The duty workers who screen contacts at the single access point."""

    duty_workers: int = Field(12, ge=0, le=10_000, description="Screening posts (FTE 1 each).")
    weekly_hours: float = Field(37.0, gt=0.0, le=168.0, description="Unit: hours a week.")
    screening_share: Probability = Field(
        0.7, description="Share of a duty worker's time spent screening contacts."
    )


class Workforce(Section):
    """Teams, grades, caps and the rules for who may hold what."""

    grades: GradeTable = Field(default_factory=GradeTable)
    teams: dict[str, Team] = Field(
        default_factory=lambda: {"assessment": Team(staff=StaffCounts(sw=55, sp=5, tm=5))},
        min_length=1,
        description="Teams by name.",
    )
    case_weights: TierWeights = Field(default_factory=TierWeights)
    eligibility: EligibilityTable = Field(default_factory=EligibilityTable)
    allocation: Allocation = Field(default_factory=Allocation)
    access_centre: AccessCentre = Field(default_factory=AccessCentre)
    absence: Absence = Field(default_factory=Absence)
    supervision: Supervision = Field(default_factory=Supervision)
    sign_off: SignOff = Field(default_factory=SignOff)
    recording: Recording = Field(default_factory=Recording)
    quality: AssessmentQuality = Field(default_factory=AssessmentQuality)
    training: Training = Field(default_factory=Training)
    flow: WorkforceFlow = Field(default_factory=WorkforceFlow)

    @field_validator("teams")
    @classmethod
    def _team_names(cls, teams: dict[str, Team]) -> dict[str, Team]:
        for name in teams:
            if not name or not name.replace("_", "").isalnum():
                raise ValueError(f"team name {name!r} must be letters, digits and underscores only")
        return teams
