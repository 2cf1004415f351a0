"""The validated model of a scenario file.

Every number the simulation uses lives here, with a unit, a default and a description, so that
the JSON Schema (``caseload-sim schema``) and the scenario reference in ``docs/`` say what a
planner may write. Defaults are the illustrative county front door of 2010 (MODEL.md section 6);
each bundled scenario file restates the values it relies on, with its source.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Tier = Literal["immediate_risk", "child_protection", "child_in_need", "disabled_child"]
Grade = Literal["swa", "nqsw", "sw", "sp", "tm"]
Eligibility = Literal["hold", "co_worked", "no"]

#: Referral risk tiers in allocation priority order (highest first).
TIERS: tuple[Tier, ...] = ("immediate_risk", "child_protection", "child_in_need", "disabled_child")
#: Tiers counted as high risk in the KPIs (MODEL.md section 5).
HIGH_RISK_TIERS: frozenset[str] = frozenset({"immediate_risk", "child_protection"})
#: Grades in order of seniority.
GRADES: tuple[Grade, ...] = ("swa", "nqsw", "sw", "sp", "tm")
#: Grades that hold a social work qualification; a social work assistant does not.
QUALIFIED_GRADES: frozenset[str] = frozenset({"nqsw", "sw", "sp", "tm"})
GRADE_NAMES: dict[str, str] = {
    "swa": "social work assistant",
    "nqsw": "newly qualified social worker",
    "sw": "social worker",
    "sp": "senior practitioner",
    "tm": "team manager",
}

PROBABILITY_TOLERANCE = 1e-6

Probability = Annotated[float, Field(ge=0.0, le=1.0)]


class Section(BaseModel):
    """A part of a scenario: unknown fields are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _check_sums_to_one(values: dict[str, float], what: str) -> None:
    total = math.fsum(values.values())
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        shown = ", ".join(f"{k} = {v:g}" for k, v in values.items())
        raise ValueError(f"{what} must sum to 1 (they sum to {total:g}: {shown})")


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
        _check_sums_to_one(self.model_dump(), "the tier shares")
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
        _check_sums_to_one(
            {f"complexity_shares[{i}]": s for i, s in enumerate(self.complexity_shares)},
            "complexity_shares",
        )
        return self


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


def _effort(mean: float, distribution: str = "gamma", cv: float = 0.6) -> Effort:
    return Effort.model_validate({"distribution": distribution, "mean_hours": mean, "cv": cv})


class EffortTable(Section):
    """Effort distributions for each piece of front-door work."""

    screening: Effort = Field(
        default_factory=lambda: _effort(0.5), description="Screening a contact (duty worker)."
    )
    initial_assessment: Effort = Field(default_factory=lambda: _effort(4.0))
    core_assessment: Effort = Field(default_factory=lambda: _effort(10.0))
    single_assessment: Effort = Field(default_factory=lambda: _effort(12.0))
    s47_enquiry: Effort = Field(default_factory=lambda: _effort(7.0))
    strategy_discussion: Effort = Field(
        default_factory=lambda: _effort(1.5, cv=0.3),
        description="Team manager hours to arrange and chair a strategy discussion.",
    )
    handover: Effort = Field(
        default_factory=lambda: _effort(2.5),
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
        _check_sums_to_one(self.model_dump(), "the outcome shares")
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


class Absence(Section):
    """Annual leave and sickness: working days on which a worker does no casework.

    Both default to 0, so that a scenario without them behaves as if every worker were always
    there (as the queueing validation needs).
    """

    annual_leave_days_per_year: float = Field(
        0.0,
        ge=0.0,
        le=100.0,
        description=(
            "Working days of annual leave per worker per year, taken in blocks at random dates "
            "(bank holidays are already off on the england calendar). Unit: working days/year."
        ),
    )
    leave_block_days: float = Field(
        5.0, ge=1.0, le=60.0, description="Length of a block of leave. Unit: working days."
    )
    sickness_days_per_year: float = Field(
        0.0,
        ge=0.0,
        le=100.0,
        description=(
            "Working days lost to sickness per worker per year, in spells starting at random. "
            "Unit: working days/year."
        ),
    )
    sickness_spell_days_mean: float = Field(
        3.0, ge=1.0, le=100.0, description="Mean length of a spell of sickness. Unit: working days."
    )


class Supervision(Section):
    """Formal supervision by team managers (LGA Standards for Employers, standard 5).

    Each worker below team manager is supervised by a manager of their team in sessions that
    take the manager's and the worker's time; a session falls due one standard interval after the
    last and is held when the manager has done it, late if the manager is overloaded. Off by
    default.
    """

    enabled: bool = Field(False, description="Model supervision sessions.")
    session_hours: float = Field(
        1.5, gt=0.0, le=8.0, description="Length of a session (LGA standard 5: 1.5). Unit: hours."
    )
    nqsw_weekly_days: float = Field(
        42.0,
        ge=0.0,
        description="A newly qualified worker is supervised weekly for this long. Unit: days.",
    )
    nqsw_fortnightly_days: float = Field(
        183.0,
        ge=0.0,
        description="...then fortnightly until this long in post. Unit: days.",
    )
    standard_interval_days: float = Field(
        30.0, gt=0.0, description="Everyone else at least this often (monthly). Unit: days."
    )
    nqsw_days_in_post_at_start: float = Field(
        0.0,
        ge=0.0,
        description="How long the newly qualified workers have been in post. Unit: days.",
    )
    gives_way_to_casework: bool = Field(
        False,
        description=(
            "Hold a session only when no casework waits for the manager (the first thing an "
            "overloaded manager drops); false: a session due today is as urgent as casework "
            "due today."
        ),
    )


class SignOff(Section):
    """Managerial oversight: a team manager signs off allocations and completed assessments.

    Signing off takes the manager's time and can queue behind their other work. An assessment
    counts as completed when it is signed off (authorised, as in the DfE returns), and the case
    moves on only then. Off by default.
    """

    enabled: bool = Field(False, description="Model managers' sign-off.")
    assessment_hours: float = Field(
        0.5, ge=0.0, le=8.0, description="Manager time to sign off an assessment. Unit: hours."
    )
    allocation_hours: float = Field(
        0.25, ge=0.0, le=8.0, description="Manager time to record an allocation. Unit: hours."
    )
    target_wd: float = Field(
        1.0, ge=0.0, le=20.0, description="Local standard for a sign-off. Unit: working days."
    )


class Recording(Section):
    """Writing up casework: owed after each assessment and enquiry, done when nothing more
    urgent is waiting. Off by default."""

    enabled: bool = Field(False, description="Model recording.")
    share_of_effort: float = Field(
        0.3,
        ge=0.0,
        le=5.0,
        description=(
            "Hours of recording owed per hour of assessment or enquiry work (illustrative)."
        ),
    )
    overdue_after_wd: float = Field(
        5.0, ge=0.0, le=100.0, description="A record is overdue after this. Unit: working days."
    )


class AssessmentQuality(Section):
    """The chance that an assessment is inadequate, and what an inadequate one leads to.

    The chance is base x (1 + load_effect x the lead's weighted load over cap) x (1 +
    unsupervised_effect, if the lead is out of the supervision standard) x (1 +
    unqualified_effect, if the lead is unqualified) x (1 - training effect, once trained), at
    most 1. A case whose assessment was inadequate is more likely to come back. Off by default;
    every figure is illustrative until a council calibrates it.
    """

    enabled: bool = Field(False, description="Model the quality of assessments.")
    base_inadequate_probability: Probability = Field(
        0.1, description="Chance an assessment is inadequate with no risk factor."
    )
    load_effect: float = Field(
        0.5, ge=0.0, le=10.0, description="Relative increase per unit of load over cap."
    )
    unsupervised_effect: float = Field(
        0.5, ge=0.0, le=10.0, description="Relative increase when supervision is overdue."
    )
    unqualified_effect: float = Field(
        1.0, ge=0.0, le=10.0, description="Relative increase when the lead is unqualified."
    )
    re_referral_multiplier: float = Field(
        1.5, ge=1.0, le=10.0, description="Re-referral chance multiplier after an inadequate one."
    )


class Training(Section):
    """Mandatory assessment training: days away, then a lower chance of an inadequate
    assessment. Off by default."""

    enabled: bool = Field(False, description="Model mandatory training.")
    start_day: float = Field(0.0, ge=0.0, description="When training begins. Unit: days.")
    rollout_days: float = Field(
        60.0, ge=0.0, description="Workers are trained in turn over this period. Unit: days."
    )
    days_away: float = Field(
        2.0, ge=0.0, le=30.0, description="Training time per worker. Unit: working days."
    )
    effect: Probability = Field(
        0.3, description="Relative reduction of the inadequate chance once trained."
    )


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


# ------------------------------------------------------------------------------------- partners


class Police(Section):
    """Police availability for strategy discussions."""

    mode: Literal["slots", "delay", "unlimited"] = Field(
        "slots",
        description=(
            "slots: a limited number of strategy-discussion slots each working day; delay: a "
            "random wait in working hours; unlimited: police are always available."
        ),
    )
    slots_per_working_day: int = Field(6, ge=1, le=10_000, description="Unit: slots/day.")
    delay: Effort = Field(
        default_factory=lambda: _effort(4.0, "exponential", 1.0),
        description="Wait for police in working hours (mode = delay); mean_hours is the mean.",
    )


class Partners(Section):
    """Partner agencies whose availability the front door depends on."""

    police: Police = Field(default_factory=Police)


# ----------------------------------------------------------------------------------- simulation


class Simulation(Section):
    """Run length, calendar and random seed."""

    start_date: dt.date = Field(dt.date(2010, 4, 1), description="First day simulated.")
    horizon_days: float = Field(
        455.0, gt=0.0, le=36_500.0, description="Length of a run, warm-up included. Unit: days."
    )
    warmup_days: float = Field(
        90.0, ge=0.0, description="Start-up period excluded from the KPIs. Unit: days."
    )
    calendar: Literal["england", "continuous"] = Field(
        "england",
        description=(
            "england: weekends and England bank holidays off, work in working hours; "
            "continuous: every hour is working time (for validation against queueing theory)."
        ),
    )
    working_day_start_hour: float = Field(
        9.0, ge=0.0, lt=24.0, description="When the working day starts. Unit: hour of day."
    )
    working_day_hours: float = Field(
        7.4, gt=0.0, le=24.0, description="Length of the working day. Unit: hours."
    )
    block_hours: float = Field(
        3.7,
        gt=0.0,
        description=(
            "A worker gives at least this much working time to the case they chose before "
            "choosing again by urgency. Unit: hours."
        ),
    )
    seed: int = Field(20100706, ge=0, le=2**63 - 1, description="Root of all random streams.")
    replications: int = Field(10, ge=1, le=100_000, description="Independent runs.")
    timeseries_interval_days: float = Field(
        7.0, gt=0.0, description="Sampling interval of timeseries.csv. Unit: days."
    )

    @model_validator(mode="after")
    def _window(self) -> Simulation:
        if self.warmup_days >= self.horizon_days:
            raise ValueError(
                f"warmup_days ({self.warmup_days:g}) must be less than horizon_days "
                f"({self.horizon_days:g})"
            )
        if self.working_day_start_hour + self.working_day_hours > 24.0:
            raise ValueError("the working day must end by midnight")
        return self


# ------------------------------------------------------------------------------ initial caseload


class TierCases(Section):
    """Open cases of each tier, per worker."""

    immediate_risk: float = Field(0.0, ge=0.0, le=1000.0, description="Unit: cases per worker.")
    child_protection: float = Field(0.0, ge=0.0, le=1000.0, description="Unit: cases per worker.")
    child_in_need: float = Field(0.0, ge=0.0, le=1000.0, description="Unit: cases per worker.")
    disabled_child: float = Field(0.0, ge=0.0, le=1000.0, description="Unit: cases per worker.")


class InitialCaseloadRow(Section):
    """Open cases of one tier per worker of one grade in one team (overrides the default)."""

    team: str = Field(description="A team in workforce.teams.")
    grade: Grade = Field(description="A grade of that team's staff.")
    tier: Tier = Field(description="A tier the team takes and the grade may hold.")
    cases_per_worker: float = Field(ge=0.0, le=1000.0, description="Unit: cases per worker.")


class InitialCaseload(Section):
    """Cases already open when the run starts, so that it need not start empty.

    Each case is held by a worker whose grade may hold its tier outright, part-way through its
    first assessment (or, for immediate risk, its s47 enquiry after a strategy discussion held at
    the start). A fractional number of cases per worker is met on average. Initial cases count
    in caseloads, open cases and utilisation from the start date, but not in the KPIs timed from
    a referral (they were referred before the run).
    """

    cases_per_worker: TierCases = Field(
        default_factory=TierCases,
        description="Open cases per case-holding worker who may hold the tier outright.",
    )
    rows: list[InitialCaseloadRow] = Field(
        default_factory=list,
        description="Per team and grade overrides (a CSV named in csv is read into these).",
    )
    csv: str | None = Field(
        None,
        description=(
            "A CSV file with columns team, grade, tier, cases_per_worker (path relative to the "
            "scenario file); its rows are added to rows when the scenario is loaded."
        ),
    )

    @property
    def any(self) -> bool:
        return any(v > 0 for v in self.cases_per_worker.model_dump().values()) or any(
            row.cases_per_worker > 0 for row in self.rows
        )


# ------------------------------------------------------------------------------------- timeline

#: The parts of a scenario a timeline entry may change; the rest is fixed for a run.
TIMELINE_FIELDS: tuple[str, ...] = (
    "workforce.grades",
    "workforce.teams",
    "workforce.case_weights",
    "workforce.eligibility",
    "workforce.allocation",
    "workforce.training",
)


class TimelineEntry(Section):
    """A dated change to the service: a re-organisation, new posts, new rules, training."""

    date: dt.date = Field(
        description="The change applies from the start (00:00) of this date, not before."
    )
    label: str = Field(
        "", max_length=200, description="Short name of the change, used for its period."
    )
    changes: dict[str, Any] = Field(
        min_length=1,
        description=(
            "Fields to change, as dotted paths with their new values, e.g. "
            '"workforce.allocation.policy" = "skill_matched" or '
            '"workforce.teams.north.staff.sw" = 14. A new team is a table: '
            '"workforce.teams.cp" = { tiers = [...], staff = {...} }. Allowed under: '
            + ", ".join(TIMELINE_FIELDS)
            + "."
        ),
    )
    transition_dip_pct: float = Field(
        0.0,
        ge=0.0,
        le=100.0,
        description=("Loss of every worker's productivity while the change beds in. Unit: %."),
    )
    transition_wd: float = Field(
        0.0, ge=0.0, le=1000.0, description="How long the dip lasts. Unit: working days."
    )
    recruitment_lag_wd: float = Field(
        0.0,
        ge=0.0,
        le=1000.0,
        description=(
            "New posts the change creates stay empty this long (agency cover as in "
            "workforce.flow, if enabled). Unit: working days."
        ),
    )
    reallocate_ineligible: bool = Field(
        True,
        description=(
            "Re-allocate, at the change, cases whose worker may no longer hold them (for "
            "example when assistants stop holding child protection work)."
        ),
    )

    @property
    def name(self) -> str:
        """The label, or the date when there is none."""
        return self.label or f"change of {self.date.isoformat()}"


# ------------------------------------------------------------------------------------- scenario


class Scenario(Section):
    """A front-door scenario: demand, pathway, workforce, partners and run settings."""

    name: str = Field(
        "scenario", min_length=1, max_length=200, description="Short name used in results."
    )
    description: str = Field("", description="What this scenario represents and its sources.")
    demand: Demand = Field(default_factory=lambda: Demand(contacts_per_year=24_200.0))
    pathway: Pathway = Field(default_factory=Pathway)
    workforce: Workforce = Field(default_factory=Workforce)
    partners: Partners = Field(default_factory=Partners)
    simulation: Simulation = Field(default_factory=Simulation)
    initial_caseload: InitialCaseload = Field(default_factory=InitialCaseload)
    timeline: list[TimelineEntry] = Field(
        default_factory=list,
        description=(
            "Dated changes, in date order: [[timeline]] tables, each with a date and the fields "
            "it changes. KPIs are also reported for each period between changes."
        ),
    )

    @model_validator(mode="after")
    def _coherent(self) -> Scenario:
        self._check_every_tier_has_a_holder()
        self._check_initial_caseload()
        self._check_managers_and_duty()
        self._check_whole_working_days()
        if self.simulation.calendar == "continuous" and self.demand.out_of_hours_share > 0:
            raise ValueError(
                "demand.out_of_hours_share must be 0 on the continuous calendar "
                "(every hour is working time)"
            )
        self._check_timeline()
        return self

    def _check_timeline(self) -> None:
        if not self.timeline and not self.workforce.flow.enabled:
            return
        if self.simulation.calendar != "england":
            raise ValueError(
                "a timeline and workforce.flow need the england calendar (changes happen "
                "between working days)"
            )
        if self.simulation.working_day_start_hour <= 0:
            raise ValueError(
                "a timeline and workforce.flow need simulation.working_day_start_hour above 0 "
                "(changes of holder and dated changes happen at 00:00, outside working time)"
            )
        from caseload_sim.scenario.timeline import stages

        stages(self)  # every stage must itself be a valid scenario

    def _check_every_tier_has_a_holder(self) -> None:
        workforce = self.workforce
        for tier in TIERS:
            if getattr(self.demand.tier_mix, tier) <= 0:
                continue
            holders = [
                f"{team_name}.{grade}"
                for team_name, team in workforce.teams.items()
                if tier in team.tiers
                for grade in GRADES
                if getattr(team.staff, grade) > 0
                and getattr(getattr(workforce.eligibility, grade), tier) == "hold"
                and getattr(workforce.grades, grade).caseload_cap > 0
            ]
            if not holders:
                raise ValueError(
                    f"no worker may hold {tier} referrals (demand.tier_mix.{tier} > 0): give a "
                    "team that takes this tier staff of a grade whose eligibility is 'hold' and "
                    "whose caseload_cap is above 0"
                )

    def _check_initial_caseload(self) -> None:
        teams = self.workforce.teams
        for index, row in enumerate(self.initial_caseload.rows):
            where = f"initial_caseload.rows[{index}]"
            if row.team not in teams:
                raise ValueError(
                    f"{where}.team is {row.team!r}; allowed: {', '.join(sorted(teams))}"
                )
            if row.tier not in teams[row.team].tiers:
                raise ValueError(f"{where}: team {row.team!r} does not take {row.tier} referrals")
            rule = getattr(getattr(self.workforce.eligibility, row.grade), row.tier)
            if rule != "hold" and row.cases_per_worker > 0:
                raise ValueError(
                    f"{where}: grade {row.grade} may not hold {row.tier} cases outright "
                    f"(workforce.eligibility.{row.grade}.{row.tier} is {rule!r})"
                )

    def _check_whole_working_days(self) -> None:
        # Working days are counted by date on the England calendar, so only whole days make sense.
        if self.simulation.calendar != "england":
            return
        periods = {
            f"pathway.timescales.{name}": value
            for name, value in self.pathway.timescales.model_dump().items()
        }
        periods["workforce.allocation.over_allocation_after_wd"] = (
            self.workforce.allocation.over_allocation_after_wd
        )
        periods["workforce.sign_off.target_wd"] = self.workforce.sign_off.target_wd
        periods["workforce.recording.overdue_after_wd"] = self.workforce.recording.overdue_after_wd
        for field, value in periods.items():
            if value != int(value):
                raise ValueError(
                    f"{field} is {value:g}: on the england calendar working-day periods must be "
                    "whole numbers (use the continuous calendar for fractions of a day)"
                )

    def _check_managers_and_duty(self) -> None:
        needs_strategy = self.demand.tier_mix.immediate_risk > 0 or any(
            outcome.s47 > 0 for _, outcome in self.pathway.after_first_assessment
        )
        managers = sum(team.staff.tm for team in self.workforce.teams.values())
        if needs_strategy and managers == 0 and self.pathway.effort.strategy_discussion.mean_hours:
            raise ValueError(
                "strategy discussions need a team manager: add staff.tm to a team, or set "
                "pathway.effort.strategy_discussion.mean_hours = 0"
            )
        sign_off = self.workforce.sign_off
        if (
            sign_off.enabled
            and managers == 0
            and (sign_off.assessment_hours > 0 or sign_off.allocation_hours > 0)
        ):
            raise ValueError(
                "workforce.sign_off needs a team manager: add staff.tm to a team, or set "
                "workforce.sign_off.enabled = false"
            )
        if self.pathway.effort.screening.mean_hours > 0 and (
            self.workforce.access_centre.duty_workers == 0
        ):
            raise ValueError(
                "contacts need screening but workforce.access_centre.duty_workers is 0: add duty "
                "workers or set pathway.effort.screening.mean_hours = 0"
            )

    @property
    def first_assessment_timescale_wd(self) -> float:
        """Timescale of the first assessment under the scenario's regime (working days)."""
        timescales = self.pathway.timescales
        if self.pathway.regime == "wt2010":
            return timescales.initial_assessment_wd
        return timescales.single_assessment_wd
