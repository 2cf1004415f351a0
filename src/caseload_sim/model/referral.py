"""A referral: one episode of a child's case at the front door, and its milestones; and the
contact it starts as."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from caseload_sim.scenario.schema import TIERS

if TYPE_CHECKING:
    import simpy

    from caseload_sim.model.demand import CaseSpecs
    from caseload_sim.model.work import Task
    from caseload_sim.model.worktime import Worker

NOT_YET = math.nan

#: Where a referral's episode at the front door ended.
OUTCOMES = ("open", "nfa", "cin", "cp_plan")


class Contact:
    """A contact waiting to be screened: what its referral, if it becomes one, starts from.

    Three contacts in four are screened out, so a contact is not a referral until it is one.
    """

    __slots__ = (
        "case_id",
        "child",
        "episode",
        "specs",
        "row",
        "contact_at",
        "out_of_hours",
        "previous_referral_at",
    )

    def __init__(
        self,
        case_id: int,
        child: int,
        episode: int,
        specs: CaseSpecs,
        row: int,
        contact_at: float,
        out_of_hours: bool,
        previous_referral_at: float = NOT_YET,
    ) -> None:
        self.case_id = case_id
        self.child = child
        self.episode = episode
        self.specs = specs
        self.row = row
        self.contact_at = contact_at
        self.out_of_hours = out_of_hours
        self.previous_referral_at = previous_referral_at

    def referral(self) -> Referral:
        """The referral this contact has become."""
        return Referral(
            self.case_id,
            self.child,
            self.episode,
            self.specs,
            self.row,
            self.contact_at,
            self.out_of_hours,
            self.previous_referral_at,
        )


class Referral:
    """A referral and everything that happens to it (times in model days; NaN = not yet)."""

    __slots__ = (
        "case_id",
        "child",
        "episode",
        "tier_rank",
        "complexity",
        "specs",
        "row",
        "contact_at",
        "out_of_hours",
        "referral_at",
        "decided_at",
        "previous_referral_at",
        "queued_at",
        "allocated_at",
        "strategy",
        "initial",
        "done_fraction",
        "inadequate",
        "lead",
        "coworker",
        "over_allocated",
        "weight",
        "overdue_at",
        "strategy_requested_at",
        "strategy_at",
        "first_assessment_at",
        "initial_assessment_done_at",
        "core_assessment_start_at",
        "core_assessment_done_at",
        "single_assessment_done_at",
        "s47_start_at",
        "s47_done_at",
        "icpc_at",
        "outcome",
        "ended_at",
        "oversight_tasks",
        "lead_grade",
        "handed_on",
        "oversight_weight",
    )

    def __init__(
        self,
        case_id: int,
        child: int,
        episode: int,
        specs: CaseSpecs,
        row: int,
        contact_at: float,
        out_of_hours: bool,
        previous_referral_at: float = NOT_YET,
    ) -> None:
        self.case_id = case_id
        self.child = child
        self.episode = episode
        self.specs = specs
        self.row = row
        self.tier_rank = int(specs.tier[row])
        self.complexity = float(specs.complexity[row])
        self.contact_at = contact_at
        self.out_of_hours = out_of_hours
        # The referral is received when the contact is (its date starts the timescales).
        self.referral_at = contact_at
        self.decided_at = NOT_YET
        #: the child's previous referral (NaN: none known)
        self.previous_referral_at = previous_referral_at
        self.queued_at = NOT_YET
        self.allocated_at = NOT_YET
        self.strategy: simpy.Process | None = None
        #: open before the run began (an initial caseload), and how much of its first piece of
        #: work was already done
        self.initial = False
        self.done_fraction = 0.0
        #: an assessment of this episode was inadequate
        self.inadequate = False
        self.lead: Worker | None = None
        self.coworker: Worker | None = None
        self.lead_grade = ""
        self.over_allocated = False
        self.weight = 0.0
        #: caseload points the co-worker carries for this case
        self.oversight_weight = 0.0
        self.overdue_at = math.inf
        self.strategy_requested_at = NOT_YET
        self.strategy_at = NOT_YET
        self.first_assessment_at = NOT_YET
        self.initial_assessment_done_at = NOT_YET
        self.core_assessment_start_at = NOT_YET
        self.core_assessment_done_at = NOT_YET
        self.single_assessment_done_at = NOT_YET
        self.s47_start_at = NOT_YET
        self.s47_done_at = NOT_YET
        self.icpc_at = NOT_YET
        self.outcome = "open"
        self.ended_at = NOT_YET
        self.oversight_tasks: list[Task] | None = None
        #: while the case waits to be re-allocated (its worker left, or may no longer hold it):
        #: the work its next worker takes over; None otherwise
        self.handed_on: list[Task] | None = None

    @property
    def tier(self) -> str:
        return TIERS[self.tier_rank]

    def effort(self, kind: str) -> float:
        """Worker hours this referral needs for a piece of work (drawn at arrival)."""
        return float(self.specs.effort[kind][self.row])

    def draw(self, name: str) -> float:
        """This referral's uniform draw for an outcome (drawn at arrival)."""
        return float(self.specs.outcome_draw[name][self.row])

    @property
    def oversight_hours(self) -> float:
        return sum(task.hours_worked for task in self.oversight_tasks or ())
