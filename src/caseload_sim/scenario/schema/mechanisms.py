"""How a worker's time goes beyond casework: absence, supervision, sign-off, recording, the
quality of assessments and training. Each is off (or zero) by default."""

from __future__ import annotations

from pydantic import Field

from caseload_sim.scenario.schema.base import Probability, Section

# ------------------------------------------------------------------------- workforce mechanisms


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

    def interval_days(self, grade: str, time: float, started_at: float | None = None) -> float:
        """Days the standard allows between sessions for a worker of this grade at this model
        time, who took up the post at ``started_at`` (by default ``nqsw_days_in_post_at_start``
        before the run): weekly, then fortnightly, for the newly qualified; monthly after."""
        if grade == "nqsw":
            if started_at is None:
                started_at = -self.nqsw_days_in_post_at_start
            in_post = time - started_at
            if in_post < self.nqsw_weekly_days:
                return 7.0
            if in_post < self.nqsw_fortnightly_days:
                return 14.0
        return self.standard_interval_days


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
