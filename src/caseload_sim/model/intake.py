"""Intake: contacts arriving at the single access point, screening, and re-referrals.

Contacts arrive as drawn in advance (:mod:`caseload_sim.model.demand`): first contacts, and the
re-referrals of children whose earlier case closed before the run began. The duty workers screen
them from one shared inbox within the decision timescale; a contact that becomes a referral is
passed on (to :meth:`caseload_sim.model.pathway.Pathway.referred`). A case that closes may come
back later as a re-referral of the same child, through :meth:`Intake.returns`.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING

from caseload_sim.model.demand import (
    CaseSpecs,
    CaseTables,
    draw_contacts,
    draw_history_returns,
    draw_returning_case,
)
from caseload_sim.model.engine import arrive_at
from caseload_sim.model.referral import Contact, Referral
from caseload_sim.model.work import Task

if TYPE_CHECKING:
    from caseload_sim.model.cases import CaseBook
    from caseload_sim.model.context import RunContext
    from caseload_sim.model.work import WorkQueue


class Intake:
    """The access point: contacts in, screened by the duty workers, referrals out."""

    def __init__(
        self,
        ctx: RunContext,
        cases: CaseBook,
        duty_inbox: WorkQueue,
        referred: Callable[[Referral], None],
    ) -> None:
        self.ctx = ctx
        self.env, self.log, self.seq, self.calendar = ctx.env, ctx.log, ctx.seq, ctx.calendar
        self.cases = cases
        self.duty_inbox = duty_inbox
        #: what happens to a contact that becomes a referral
        self.referred = referred
        self.screening_needed = ctx.scenario.pathway.effort.screening.mean_hours > 0
        self.decision_wd = ctx.scenario.pathway.timescales.decision_wd
        self.contacts = 0
        self.screened_out = 0
        #: the case number and the child of each contact (compact: kept for every contact)
        self.contact_case = array("q")
        self.contact_child = array("q")
        #: the scenario's tables for drawing a returning child's needs
        self._case_tables = CaseTables(ctx.scenario)

    def start(self) -> None:
        """Contacts start to arrive once the run is under way."""
        self.ctx.env.timeout(0).callbacks.append(self._start_arrivals)

    def _start_arrivals(self, _event: object) -> None:
        ctx = self.ctx
        scenario = ctx.scenario
        times, out_of_hours, specs = draw_contacts(scenario, ctx.calendar, ctx.streams)
        first_contacts = len(times)
        ooh = out_of_hours.tolist()
        arrive_at(
            ctx.env,
            times.tolist(),
            lambda row: self.contact(specs, row, child=row, episode=0, out_of_hours=ooh[row]),
        )
        if scenario.demand.re_referral_probability > 0:
            times, previous, history = draw_history_returns(scenario, ctx.calendar, ctx.streams)
            earlier = previous.tolist()
            arrive_at(
                ctx.env,
                times.tolist(),
                lambda row: self.contact(
                    history,
                    row,
                    child=first_contacts + row,
                    episode=1,
                    out_of_hours=False,
                    previous_referral_at=earlier[row],
                ),
            )

    def returns(self, previous: Referral) -> None:
        """A child whose case closed comes back now, as a contact about a new episode."""
        episode = previous.episode + 1
        ctx = self.ctx
        specs = draw_returning_case(self._case_tables, ctx.streams, previous.child, episode)
        self.contact(
            specs,
            0,
            previous.child,
            episode,
            out_of_hours=False,
            previous_referral_at=previous.referral_at,
        )

    def contact(
        self,
        specs: CaseSpecs,
        row: int,
        child: int,
        episode: int,
        out_of_hours: bool,
        previous_referral_at: float = math.nan,
    ) -> None:
        """A contact arrives now; ``specs[row]`` is what it will turn out to need."""
        now = self.env.now
        case_id = next(self.cases.case_ids)
        self.contacts += 1
        self.log.contact(now, case_id, out_of_hours)
        self.contact_case.append(case_id)
        self.contact_child.append(child)
        if not self.screening_needed:
            if self._becomes_referral(case_id, specs, row):
                self._refer(
                    Referral(
                        case_id, child, episode, specs, row, now, out_of_hours, previous_referral_at
                    )
                )
            return
        contact = Contact(
            case_id, child, episode, specs, row, now, out_of_hours, previous_referral_at
        )
        deadline = self.calendar.deadline(now, self.decision_wd)
        task = Task(
            "screening",
            contact,
            float(specs.effort["screening"][row]),
            deadline,
            int(specs.tier[row]),
            next(self.seq),
            on_done=self._screening_done,
        )
        self.duty_inbox.push(task)

    def _screening_done(self, task: Task) -> None:
        contact = task.case
        assert isinstance(contact, Contact)
        self._screened(contact)

    def _screened(self, contact: Contact) -> None:
        if self._becomes_referral(contact.case_id, contact.specs, contact.row):
            self._refer(contact.referral())

    def _becomes_referral(self, case_id: int, specs: CaseSpecs, row: int) -> bool:
        """The screening decision, now: a referral, or screened out."""
        becomes_referral = bool(specs.is_referral[row])
        self.log.screened(self.env.now, case_id, becomes_referral)
        if not becomes_referral:
            self.screened_out += 1
        return becomes_referral

    def _refer(self, referral: Referral) -> None:
        now = self.env.now
        referral.decided_at = now
        self.cases.referrals.append(referral)
        self.cases.open += 1
        if referral.episode > 0:
            self.log.record(now, "re_referral", referral.case_id)
        self.referred(referral)

    def awaiting_screening(self) -> int:
        """Contacts not yet screened: waiting in the inbox or being screened now."""
        inbox = self.duty_inbox
        return len(inbox) + sum(worker.in_hand() for worker in inbox.workers)
