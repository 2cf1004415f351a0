"""Allocation: referrals waiting for a worker, and the rule that chooses one.

Waiting referrals are taken by priority (risk tier, then waiting time). A referral goes to the
least-loaded worker (weighted caseload relative to cap) whose grade may hold its tier and who has
room under the cap, as the scenario's allocation policy prefers (:mod:`caseload_sim.model.
policies`). A grade that may hold a tier only ``co_worked`` needs a qualified co-worker with room
for the oversight share. With soft caps, a referral that has waited long enough is
over-allocated.

A case whose worker leaves, or may no longer hold it after a dated change, goes back to the
front of its tier's queue and is re-allocated by the same rule; its first allocation is the one
the KPIs time.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from caseload_sim.model.policies import POLICIES, Choice, Policy
from caseload_sim.model.room import ROOM_TOLERANCE, CapGroup, Eligible, least_loaded_with_room
from caseload_sim.scenario.schema import GRADES, HIGH_RISK_TIERS, TIERS

if TYPE_CHECKING:
    import simpy

    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.model.events import EventLog
    from caseload_sim.model.referral import Referral
    from caseload_sim.model.worktime import Worker
    from caseload_sim.scenario.schema import Scenario

HIGH_RISK_RANKS = frozenset(TIERS.index(t) for t in HIGH_RISK_TIERS)


class AllocationBoard:
    """The unallocated queue and the allocation policy."""

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        calendar: WorkingCalendar,
        workers: list[Worker],
        log: EventLog,
    ) -> None:
        self.env = env
        self.calendar = calendar
        self.log = log
        self.queues: list[deque[Referral]] = [deque() for _ in TIERS]
        self.waiting = 0
        self.on_allocated: Callable[[Referral], None] | None = None
        #: while a dated change is being put in place, nothing is allocated
        self.hold_allocation = False
        #: a policy put on the board by hand, kept whatever the scenario names (see use_policy)
        self._chosen: Policy | None = None
        self.configure(scenario, workers)

    def configure(self, scenario: Scenario, workers: list[Worker]) -> None:
        """Take up the rules of a scenario and the posts now filled (at the start, and at each
        dated change or change of holder)."""
        rules = scenario.workforce.allocation
        self.policy = self._chosen or POLICIES[rules.policy]
        self.oversight_fraction = rules.oversight_fraction
        self.soft = rules.cap_mode == "soft"
        self.over_allocation_after_wd = rules.over_allocation_after_wd
        self.over_limit = 1.0 + rules.over_allocation_limit_pct / 100.0
        weights = scenario.workforce.case_weights
        self.weights = [getattr(weights, tier) for tier in TIERS]
        # Who may lead each tier outright, and who only with a co-worker: the workers of one
        # team and grade with one cap may hold the same tiers, and form one group of the index.
        members: dict[tuple[str, str, float], list[Worker]] = {}
        teams = scenario.workforce.teams
        for worker in workers:
            if worker.grade not in GRADES or worker.caseload_cap <= 0 or not worker.in_post:
                continue
            if worker.team not in teams:
                continue  # a team a dated change is removing: its posts are being moved or closed
            members.setdefault((worker.team, worker.grade, worker.caseload_cap), []).append(worker)
        self._group_of: dict[int, CapGroup] = {}
        holding: list[list[CapGroup]] = [[] for _ in TIERS]
        co_working: list[list[CapGroup]] = [[] for _ in TIERS]
        eligibility = scenario.workforce.eligibility
        for (team, grade, cap), group_members in members.items():
            group = CapGroup(cap, group_members)
            for worker in group_members:
                self._group_of[worker.index] = group
            for rank, tier in enumerate(TIERS):
                if tier not in teams[team].tiers:
                    continue
                rule = getattr(getattr(eligibility, grade), tier)
                if rule == "hold":
                    holding[rank].append(group)
                elif rule == "co_worked":
                    co_working[rank].append(group)
        self.may_hold: list[Eligible] = [Eligible(groups) for groups in holding]
        self.co_worked_leads: list[Eligible] = [Eligible(groups) for groups in co_working]

    def use_policy(self, policy: Policy) -> None:
        """Allocate by ``policy`` from now on, whatever policy the scenario (or a dated change)
        names: to try a policy that the scenario schema does not name yet."""
        self._chosen = self.policy = policy

    def may_lead(self, worker: Worker, rank: int) -> bool:
        """Whether the worker may still lead a case of this tier (outright or co-worked)."""
        return worker in self.may_hold[rank] or worker in self.co_worked_leads[rank]

    # -- queue ------------------------------------------------------------------------------
    def add(self, referral: Referral) -> None:
        """A decided referral joins the queue and is allocated as soon as a worker has room."""
        now = self.env.now
        referral.queued_at = now
        rank = referral.tier_rank
        referral.weight = self.weights[rank]
        if self.soft:
            referral.overdue_at = self.calendar.deadline(now, self.over_allocation_after_wd)
            if referral.overdue_at > now:
                timer = self.env.timeout(referral.overdue_at - now)
                timer.callbacks.append(self._allocate_on_timer)
        self.queues[rank].append(referral)
        self.waiting += 1
        self.log.queue_change(now, referral.case_id, +1)
        self.allocate()

    def _allocate_on_timer(self, _event: object) -> None:
        self.allocate()

    def allocate(self) -> None:
        """Allocate waiting referrals, highest priority first, while anyone has room."""
        if not self.waiting or self.hold_allocation:
            return
        queues = self.queues
        progress = True
        while progress:
            progress = False
            for queue in queues:
                if not queue:
                    continue
                choice = self.policy(self, queue[0])
                if choice is not None:
                    self._assign(queue.popleft(), choice)
                    progress = True
                    break

    def release(self, referral: Referral) -> None:
        """A case leaves its worker(s): free the room and allocate again."""
        now = self.env.now
        self._let_go(referral, now)
        self.allocate()

    def transfer(self, referral: Referral) -> None:
        """Take a case from its worker and re-allocate it first among its tier."""
        now = self.env.now
        self._let_go(referral, now)
        referral.lead = None
        referral.coworker = None
        if referral.handed_on is None:
            referral.handed_on = []
        if self.soft:
            referral.overdue_at = now  # already allocated once: over-allocate at once if need be
        self.queues[referral.tier_rank].appendleft(referral)
        self.waiting += 1
        self.log.queue_change(now, referral.case_id, +1)

    def withdraw(self, referral: Referral) -> None:
        """A case waiting to be re-allocated closes: it leaves the queue."""
        self.queues[referral.tier_rank].remove(referral)
        self.waiting -= 1
        self.log.queue_change(self.env.now, referral.case_id, -1)
        referral.handed_on = None

    def _let_go(self, referral: Referral, now: float) -> None:
        lead = referral.lead
        assert lead is not None
        del lead.held[referral.case_id]
        lead.load -= referral.weight
        self._load_changed(lead)
        lead.cases -= 1
        high_risk = referral.tier_rank in HIGH_RISK_RANKS
        if high_risk:
            lead.high_risk_cases -= 1
        self.log.caseload_change(now, referral.case_id, lead.index, -1, -int(high_risk))
        coworker = referral.coworker
        if coworker is not None:
            coworker.load -= referral.oversight_weight
            self._load_changed(coworker)
            coworker.coworked.pop(referral.case_id, None)

    def _load_changed(self, worker: Worker) -> None:
        group = self._group_of.get(worker.index)
        if group is not None:  # (a worker who may lead nothing now is in no group)
            group.load_changed(worker)

    def drop_coworker(self, referral: Referral) -> None:
        """The co-worker leaves the case (their post fell vacant): their share of it goes."""
        coworker = referral.coworker
        assert coworker is not None
        coworker.load -= referral.oversight_weight
        self._load_changed(coworker)
        coworker.coworked.pop(referral.case_id, None)
        # The case stays counted as co-worked; it no longer weighs on the empty post.
        referral.oversight_weight = 0.0

    # -- what a policy may ask ----------------------------------------------------------------
    def may_over_allocate(self, referral: Referral) -> bool:
        """Whether the referral has waited long enough to be allocated over a cap (soft caps)."""
        return self.soft and self.env.now >= referral.overdue_at

    @staticmethod
    def has_room(worker: Worker, weight: float, cap_factor: float = 1.0) -> bool:
        """Whether the worker has room for ``weight`` under ``cap_factor`` times their cap."""
        return worker.load + weight <= worker.caseload_cap * cap_factor + ROOM_TOLERANCE

    #: the least-loaded worker with room (see :mod:`caseload_sim.model.room`)
    least_loaded_with_room = staticmethod(least_loaded_with_room)

    def co_worked_pair(
        self, rank: int, weight: float, cap_factor: float
    ) -> tuple[Worker | None, Worker | None]:
        """The least-loaded co-worked lead for the tier with room, and the least-loaded worker
        who may hold the tier with room for the oversight share; (None, None) if either lacks."""
        leads = self.co_worked_leads[rank]
        if not leads:
            return None, None
        lead = self.least_loaded_with_room(leads, weight, cap_factor)
        if lead is None:
            return None, None
        coworker = self.least_loaded_with_room(
            self.may_hold[rank], weight * self.oversight_fraction, cap_factor, other_than=lead
        )
        if coworker is None:
            return None, None
        return lead, coworker

    def place(self, referral: Referral, lead: Worker) -> None:
        """Give a case to a worker directly (a case already open when the run starts)."""
        referral.weight = self.weights[referral.tier_rank]
        self._hold(referral, lead, None, False)

    def _assign(self, referral: Referral, choice: Choice) -> None:
        lead, coworker, over_allocated = choice
        self.waiting -= 1
        self.log.queue_change(self.env.now, referral.case_id, -1)
        self._hold(referral, lead, coworker, over_allocated)

    def _hold(
        self, referral: Referral, lead: Worker, coworker: Worker | None, over_allocated: bool
    ) -> None:
        now = self.env.now
        referral.lead = lead
        referral.coworker = coworker
        if math.isnan(referral.allocated_at):
            referral.over_allocated = over_allocated
            referral.allocated_at = now
        lead.held[referral.case_id] = referral
        lead.load += referral.weight
        self._load_changed(lead)
        lead.cases += 1
        high_risk = referral.tier_rank in HIGH_RISK_RANKS
        if high_risk:
            lead.high_risk_cases += 1
        self.log.caseload_change(now, referral.case_id, lead.index, +1, int(high_risk))
        referral.oversight_weight = 0.0
        if coworker is not None:
            # Kept with the case: the share may change at a dated change while it is held.
            referral.oversight_weight = referral.weight * self.oversight_fraction
            coworker.load += referral.oversight_weight
            self._load_changed(coworker)
            coworker.coworked[referral.case_id] = referral
        if self.on_allocated is not None:
            self.on_allocated(referral)
