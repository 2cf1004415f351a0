"""What a run gives back: plain data, no model objects.

:func:`caseload_sim.model.frontdoor.simulate` returns a :class:`RunResult`: the event log, a
table of the referrals' milestones in columns, a record of every post, the time series and what
each workforce mechanism reports. The KPIs (:mod:`caseload_sim.metrics`), synthetic Annex A
lists and every other reader work from these alone, so the simulation can change inside without
them noticing. Times are in model days from 00:00 of ``simulation.start_date``; a milestone not
reached is NaN.

This module is a leaf of the model: it imports no other part of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.scenario.schema import Scenario

# -------------------------------------------------------------------------------- event log

#: Event names, by code. Append only: codes appear in saved event logs.
EVENT_NAMES: tuple[str, ...] = (
    "contact",  # value: 1 if out of hours
    "screened",  # value: 1 if it became a referral
    "unallocated_change",  # value: +1 joins the queue, -1 leaves it (allocated)
    "caseload_change",  # worker; value: +1 or -1 case held as lead
    "high_risk_caseload_change",  # worker; value: +1 or -1 high-risk case held as lead
    "strategy_discussion_requested",
    "strategy_discussion_held",
    "assessment_completed",  # worker; value: index into ASSESSMENT_KINDS
    "icpc_held",
    "case_closed",  # value: 1 if it will come back as a re-referral
    "case_handed_over",  # value: 1 if it will come back as a re-referral
    "re_referral",
    "assessment_signed_off",  # worker (manager); value: days from completion to sign-off
    "assessment_rated",  # worker (lead); value: 1 if the assessment was inadequate
    "holder_left",  # worker (post); value: 1 if the holder was an agency worker
    "dated_change",  # value: index of the timeline entry that took effect
)
EVENT_CODES = {name: code for code, name in enumerate(EVENT_NAMES)}
#: The pieces of work an ``assessment_completed`` event names, by its value.
ASSESSMENT_KINDS = ("initial_assessment", "core_assessment", "single_assessment", "s47_enquiry")


@dataclass
class EventArrays:
    """The event log as numpy columns, in the order the events happened."""

    time: np.ndarray
    event: np.ndarray
    case: np.ndarray
    worker: np.ndarray
    value: np.ndarray

    def of(self, name: str) -> np.ndarray:
        """Boolean mask of events with this name."""
        return self.event == EVENT_CODES[name]


# ------------------------------------------------------------------------------- the cases

#: Where a referral's episode at the front door ended, by the code in :attr:`CaseTable.outcome`.
OUTCOMES = ("open", "nfa", "cin", "cp_plan")


@dataclass
class CaseTable:
    """The referrals of a run, one array element per referral, in the order they were decided.

    ``lead_grade`` and ``lead_post`` describe the worker holding the case at the end of the run
    (-1: nobody, for example while it waits to be re-allocated); ``first_lead_grade`` is the
    grade of the worker it was first allocated to (-1: never allocated), which the KPIs of who
    holds high-risk work read.
    """

    case_id: np.ndarray
    child: np.ndarray
    episode: np.ndarray
    #: index into :data:`caseload_sim.scenario.schema.TIERS`
    tier: np.ndarray
    out_of_hours: np.ndarray
    #: the contact's arrival, which is also the referral date that starts the timescales
    referral_at: np.ndarray
    decided_at: np.ndarray
    #: the child's previous referral (NaN: none known)
    previous_referral_at: np.ndarray
    queued_at: np.ndarray
    allocated_at: np.ndarray
    strategy_requested_at: np.ndarray
    strategy_at: np.ndarray
    first_assessment_at: np.ndarray
    initial_assessment_done_at: np.ndarray
    core_assessment_start_at: np.ndarray
    core_assessment_done_at: np.ndarray
    single_assessment_done_at: np.ndarray
    s47_start_at: np.ndarray
    s47_done_at: np.ndarray
    icpc_at: np.ndarray
    ended_at: np.ndarray
    #: index into :data:`OUTCOMES`
    outcome: np.ndarray
    #: index into :data:`caseload_sim.scenario.schema.GRADES` (-1: never allocated)
    first_lead_grade: np.ndarray
    lead_grade: np.ndarray
    lead_post: np.ndarray
    #: the qualified co-worker's post at the end of the run (-1: not co-worked); a case whose
    #: co-worker left stays co-worked
    coworker_post: np.ndarray
    over_allocated: np.ndarray
    #: qualified oversight actually given to a co-worked case (hours)
    oversight_hours: np.ndarray
    #: an assessment of the episode was judged inadequate
    inadequate: np.ndarray
    #: the episode's draw says a conference would lead to a child protection plan
    plan_if_conference: np.ndarray

    def __len__(self) -> int:
        return len(self.case_id)

    @property
    def co_worked(self) -> np.ndarray:
        """Whether each referral is held with a qualified co-worker."""
        return self.coworker_post >= 0

    def rows(self, mask: np.ndarray) -> CaseTable:
        """The referrals selected by a boolean mask or an index array."""
        return CaseTable(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})


# ------------------------------------------------------------------------------- the posts

#: Who holds a post: a permanent worker, an agency worker, or nobody.
PERMANENT = "permanent"
AGENCY = "agency"
VACANT = ""


@dataclass
class PostHistory:
    """Who held a post and at what grade, from when: ``(time, holder, grade, started_at)``."""

    established_from: float
    established_to: float = math.inf
    changes: list[tuple[float, str, str, float]] = field(default_factory=list)

    def segments(self, start: float, end: float) -> list[tuple[float, float, str, str]]:
        """``(from, to, holder, grade)`` for each spell of one holder at one grade within
        [start, end] while the post existed."""
        result = []
        changes = self.changes
        for position, (time, holder, grade, _since) in enumerate(changes):
            until = changes[position + 1][0] if position + 1 < len(changes) else math.inf
            a = max(time, start, self.established_from)
            b = min(until, end, self.established_to)
            if b > a:
                result.append((a, b, holder, grade))
        return result

    def spells(
        self, start: float, end: float, holders: tuple[str, ...]
    ) -> list[tuple[float, float]]:
        """Times within [start, end] when the post existed and was held by one of ``holders``."""
        return [(a, b) for a, b, holder, _ in self.segments(start, end) if holder in holders]


@dataclass
class PostRecord:
    """One post (a worker of the model) over the whole run."""

    index: int
    #: the grade at the end of the run, and the grade the post is established at
    grade: str
    post_grade: str
    #: the team at the end of the run
    team: str
    #: whether the post holds cases (a case-holding grade with a caseload cap above 0)
    holds_cases: bool
    #: the post's FTE at the end of the run, and from each time on: ``(time, fte)``
    fte: float
    fte_changes: list[tuple[float, float]]
    #: spells of leave, sickness and training: ``(start, end)``, sorted and apart
    absences: list[tuple[float, float]]
    #: working time spent on work in the measured window, and between each pair of the run's
    #: ``busy_bounds`` when there are more than two (days)
    busy_days: float
    busy_by_period: list[float]
    #: who held the post when (None: one permanent holder throughout, as without dated changes
    #: or workforce flow)
    history: PostHistory | None = None


@dataclass
class Period:
    """A part of the measured window between dated changes."""

    label: str
    start: float
    end: float
    #: 00:00 of the working day the transition after the change that began the period ends
    #: (its start if there is none)
    settled_at: float


# ----------------------------------------------------------------------------- the result


@dataclass
class RunResult:
    """Everything one replication produced, as plain data."""

    scenario: Scenario
    seed: int
    replication: int
    calendar: WorkingCalendar
    measured_from: float
    measured_to: float
    events: EventArrays
    #: the referrals decided during the run
    cases: CaseTable
    #: the cases already open when the run began (an initial caseload)
    initial_cases: CaseTable
    posts: list[PostRecord]
    #: one row per sample (``timeseries.csv``): the day and the state then
    timeseries: list[dict[str, float]]
    #: the child of every contact, by case number (``contact_case[i]`` is about
    #: ``contact_child[i]``)
    contact_case: np.ndarray
    contact_child: np.ndarray
    contacts: int
    screened_out: int
    awaiting_screening: int
    #: the measured window split at each dated change (empty without a change inside it)
    periods: list[Period] = field(default_factory=list)
    #: the bounds between which each post's busy time was counted (``busy_by_period``): the
    #: measured window's ends, its periods' and any further splits asked for
    busy_bounds: list[float] = field(default_factory=list)
    #: what each workforce mechanism switched on reports, by its name (for its KPIs)
    mechanisms: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
