"""The pathway: the route a referral takes, its timescales and the effort of each step."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from caseload_sim.scenario.schema.base import Probability, Section, check_sums_to_one

# -------------------------------------------------------------------------------------- pathway


class Timescales(Section):
    """Statutory and local timescales, in working days (Working Together 2010 defaults)."""

    decision_wd: float = Field(
        1.0, ge=0.0, description="Decision on a contact/referral. Unit: working days."
    )
    initial_assessment_wd: float = Field(
        7.0, ge=0.0, description="Initial assessment from referral (wt2010). Unit: working days."
    )
    core_assessment_wd: float = Field(
        35.0, ge=0.0, description="Core assessment from its start (wt2010). Unit: working days."
    )
    single_assessment_wd: float = Field(
        45.0,
        ge=0.0,
        description="Single assessment from referral (Working Together 2013). Unit: working days.",
    )
    strategy_discussion_target_wd: float = Field(
        1.0,
        ge=0.0,
        description=(
            "Local standard for a strategy discussion after an immediate-risk referral "
            "(same day / 24 hours). Unit: working days."
        ),
    )
    icpc_after_strategy_wd: float = Field(
        15.0,
        ge=0.0,
        description="Initial child protection conference after the strategy discussion. Unit: WD.",
    )
    handover_wd: float = Field(
        10.0,
        ge=0.0,
        description=(
            "Local standard for handing a case on to a long-term team once its assessment ends "
            "(illustrative). Unit: working days."
        ),
    )


class Effort(Section):
    """Worker hours one piece of work needs (before the referral's complexity weight)."""

    distribution: Literal["exponential", "gamma", "lognormal", "fixed"] = Field(
        "gamma", description="Distribution family of the effort."
    )
    mean_hours: float = Field(ge=0.0, description="Mean effort. Unit: worker hours.")
    cv: float = Field(
        0.6,
        ge=0.0,
        le=5.0,
        description="Coefficient of variation (gamma and lognormal only; exponential is 1).",
    )


def effort_of(mean: float, distribution: str = "gamma", cv: float = 0.6) -> Effort:
    """An effort of ``mean`` worker hours (for the defaults of the sections that need one)."""
    return Effort.model_validate({"distribution": distribution, "mean_hours": mean, "cv": cv})


class EffortTable(Section):
    """Effort distributions for each piece of front-door work."""

    screening: Effort = Field(
        default_factory=lambda: effort_of(0.5), description="Screening a contact (duty worker)."
    )
    initial_assessment: Effort = Field(default_factory=lambda: effort_of(4.0))
    core_assessment: Effort = Field(default_factory=lambda: effort_of(10.0))
    single_assessment: Effort = Field(default_factory=lambda: effort_of(12.0))
    s47_enquiry: Effort = Field(default_factory=lambda: effort_of(7.0))
    strategy_discussion: Effort = Field(
        default_factory=lambda: effort_of(1.5, cv=0.3),
        description="Team manager hours to arrange and chair a strategy discussion.",
    )
    handover: Effort = Field(
        default_factory=lambda: effort_of(2.5),
        description="Work before a case leaves the front door for a long-term team.",
    )


class AssessmentOutcomes(Section):
    """What follows the first assessment (shares summing to 1)."""

    nfa: Probability = Field(description="No further action: the case closes.")
    cin: Probability = Field(description="Child in need services: handed to a long-term team.")
    core: Probability = Field(
        0.0, description="A core assessment follows (wt2010 regime only; must be 0 otherwise)."
    )
    s47: Probability = Field(description="A strategy discussion and s47 enquiry follow.")

    @model_validator(mode="after")
    def _sums_to_one(self) -> AssessmentOutcomes:
        check_sums_to_one(self.model_dump(), "the outcome shares")
        return self


def _outcomes(nfa: float, cin: float, core: float, s47: float) -> AssessmentOutcomes:
    return AssessmentOutcomes(nfa=nfa, cin=cin, core=core, s47=s47)


class OutcomesByTier(Section):
    """Outcome shares after the first assessment, for each tier that has one."""

    child_protection: AssessmentOutcomes = Field(
        default_factory=lambda: _outcomes(0.25, 0.2, 0.15, 0.4)
    )
    child_in_need: AssessmentOutcomes = Field(
        default_factory=lambda: _outcomes(0.55, 0.2, 0.2, 0.05)
    )
    disabled_child: AssessmentOutcomes = Field(
        default_factory=lambda: _outcomes(0.3, 0.35, 0.33, 0.02)
    )


class Pathway(Section):
    """The route a referral takes and how long each step may take."""

    regime: Literal["wt2010", "single_assessment"] = Field(
        "wt2010",
        description=(
            "wt2010: initial assessment then, where needed, core assessment (Working Together "
            "2010); single_assessment: one assessment within single_assessment_wd (WT 2013)."
        ),
    )
    timescales: Timescales = Field(default_factory=Timescales)
    referral_nfa_share: Probability = Field(
        0.0,
        description=(
            "Share of referrals not at immediate risk that close with no further action when "
            "they are decided, with no assessment (DfE 2009-10: about a third of referrals led "
            "to no initial assessment)."
        ),
    )
    after_first_assessment: OutcomesByTier = Field(default_factory=OutcomesByTier)
    core_assessment_cin_share: Probability = Field(
        0.6, description="After a core assessment (no s47): share handed on as child in need."
    )
    icpc_probability: Probability = Field(
        0.35,
        description="Share of s47 enquiries leading to an ICPC (about a third: DfE CIN census).",
    )
    cp_plan_probability: Probability = Field(
        0.85, description="Share of ICPCs that make a child protection plan."
    )
    no_icpc_cin_share: Probability = Field(
        0.5, description="After an s47 enquiry with no ICPC: share handed on as child in need."
    )
    effort: EffortTable = Field(default_factory=EffortTable)
    max_hours_per_case_per_day: float = Field(
        2.0,
        gt=0.0,
        description=(
            "Most worker hours one case can absorb in a working day: visits, replies from other "
            "agencies and the family's availability pace the work, so a worker spreads each day "
            "over several cases and elapsed times grow with the caseload. Unit: hours/day."
        ),
    )

    @model_validator(mode="after")
    def _core_only_in_wt2010(self) -> Pathway:
        if self.regime == "single_assessment":
            for tier, outcome in self.after_first_assessment:
                if outcome.core > 0:
                    raise ValueError(
                        f"after_first_assessment.{tier}.core is {outcome.core:g}, but the "
                        "single_assessment regime has no core assessment: set it to 0"
                    )
        return self
