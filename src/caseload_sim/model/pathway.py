"""The referral's pathway: from allocation through assessment or s47 enquiry to leaving.

```
referral --> (immediate risk: strategy discussion --> s47 enquiry [+ core assessment])
             (otherwise: initial or single assessment --> NFA / CIN / core / s47)
         --> hand-over to a long-term team, or closure (a share come back as re-referrals)
```

Each referral's pathway reads like the process: a generator of waits, started when the
referral is first allocated and followed through event callbacks
(:func:`caseload_sim.model.engine.follow`). The effort itself is spent by the workers
(:mod:`caseload_sim.model.worktime`).
Workforce mechanisms take part at four points: when a case is allocated, after each piece of
work, at a gate a piece of work may wait on before it counts as done (a manager's sign-off), and
in the chance that a closed case comes back.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import simpy

from caseload_sim.model.engine import Followed, Signal, call_after, follow
from caseload_sim.model.mechanisms.base import Mechanism, taking_part
from caseload_sim.model.results import ASSESSMENT_KINDS
from caseload_sim.model.work import Task
from caseload_sim.scenario.schema import TIERS

if TYPE_CHECKING:
    from caseload_sim.model.allocation import AllocationBoard
    from caseload_sim.model.cases import CaseBook
    from caseload_sim.model.context import RunContext
    from caseload_sim.model.partners import PoliceAvailability
    from caseload_sim.model.referral import Referral
    from caseload_sim.model.staff import Staff
    from caseload_sim.model.worktime import Worker

_IMMEDIATE_RISK = TIERS.index("immediate_risk")
_ASSESSMENT_CODE = {kind: code for code, kind in enumerate(ASSESSMENT_KINDS)}

Waits = Followed[None]


class Pathway:
    """What happens to referrals once decided, for one run."""

    def __init__(
        self,
        ctx: RunContext,
        staff: Staff,
        board: AllocationBoard,
        police: PoliceAvailability,
        cases: CaseBook,
        returns: Callable[[Referral], None],
    ) -> None:
        self.ctx = ctx
        self.env = ctx.env
        self.calendar = ctx.calendar
        self.log = ctx.log
        self.seq = ctx.seq
        self.staff = staff
        self.board = board
        self.police = police
        self.cases = cases
        #: what happens when a closed case comes back (a re-referral of the same child)
        self.returns = returns
        pathway = ctx.scenario.pathway
        self.settings = pathway
        self.timescales = pathway.timescales
        self.wt2010 = pathway.regime == "wt2010"
        self.pace_hours = pathway.max_hours_per_case_per_day
        self.return_probability = ctx.scenario.demand.re_referral_probability
        self.referral_nfa_share = pathway.referral_nfa_share
        self.measured_to = ctx.measured_to
        self._on_allocated: list[Callable[[Referral, Worker], None]] = []
        self._after_work: list[Callable[[Referral, str, float, Worker], None]] = []
        self._gates: list[Callable[[Referral, str], Waits | None]] = []
        self._return_chance: list[Callable[[Referral, float], float]] = []

    def take_part(self, mechanisms: list[Mechanism]) -> None:
        """Let the mechanisms act at the points of the pathway they take part in."""
        self._on_allocated = [m.allocated for m in taking_part(mechanisms, "allocated")]
        self._after_work = [m.after_work for m in taking_part(mechanisms, "after_work")]
        self._gates = [m.gate for m in taking_part(mechanisms, "gate")]
        self._return_chance = [m.return_chance for m in taking_part(mechanisms, "return_chance")]

    # -- into the pathway --------------------------------------------------------------------
    def referred(self, referral: Referral) -> None:
        """A decided referral waits to be allocated (its strategy discussion, if it is at
        immediate risk, is sought at once, while it waits), unless the decision was no further
        action with no assessment."""
        if referral.tier_rank == _IMMEDIATE_RISK:
            referral.strategy = self.env.process(self.strategy_discussion(referral))
        elif referral.draw("referral_nfa") < self.referral_nfa_share:
            self._ended(referral, "nfa", allocated=False)
            return
        self.board.add(referral)

    def allocated(self, referral: Referral) -> None:
        """A referral has its worker: its pathway starts (a re-allocated case carries on)."""
        lead = referral.lead
        assert lead is not None
        handed_on = referral.handed_on
        if handed_on is not None:
            # A re-allocated case: its new worker takes over the work waiting for it.
            referral.handed_on = None
            for task in handed_on:
                lead.assign(task)
            return
        referral.lead_grade = lead.grade
        for hook in self._on_allocated:
            hook(referral, lead)
        # The referral's pathway starts once it has a worker: until then it only waits.
        follow(self._route(referral))

    def _route(self, referral: Referral) -> Waits:
        strategy = referral.strategy
        if strategy is not None:
            yield strategy
            referral.strategy = None  # finished referrals are kept for the KPIs: keep them light
        if referral.tier_rank == _IMMEDIATE_RISK:
            outcome = yield from self._s47_route(referral)
        else:
            outcome = yield from self._assessment_route(referral)
        yield from self._leave(referral, outcome)

    # -- the routes ----------------------------------------------------------------------------
    def _assessment_route(self, referral: Referral) -> Followed[str]:
        calendar, timescales = self.calendar, self.timescales
        kind = "initial_assessment" if self.wt2010 else "single_assessment"
        timescale = (
            timescales.initial_assessment_wd if self.wt2010 else timescales.single_assessment_wd
        )
        yield from self.work(referral, kind, calendar.deadline(referral.referral_at, timescale))
        shares = getattr(self.settings.after_first_assessment, referral.tier)
        draw = referral.draw("first_assessment")
        if draw < shares.nfa:
            return "nfa"
        if draw < shares.nfa + shares.cin:
            return "cin"
        if draw < shares.nfa + shares.cin + shares.core:
            referral.core_assessment_start_at = start = self.env.now
            yield from self.work(
                referral, "core_assessment", calendar.deadline(start, timescales.core_assessment_wd)
            )
            return (
                "cin"
                if referral.draw("core_assessment") < self.settings.core_assessment_cin_share
                else "nfa"
            )
        yield self.env.process(self.strategy_discussion(referral))
        return (yield from self._s47_route(referral))

    def _s47_route(self, referral: Referral) -> Followed[str]:
        calendar, timescales = self.calendar, self.timescales
        pathway = self.settings
        held_at = referral.strategy_at
        referral.s47_start_at = self.env.now
        yield from self.work(
            referral, "s47_enquiry", calendar.deadline(held_at, timescales.icpc_after_strategy_wd)
        )
        icpc = referral.draw("icpc") < pathway.icpc_probability
        if icpc:
            referral.icpc_at = self.env.now
            self.log.record(self.env.now, "icpc_held", referral.case_id)
        # The s47 enquiry is carried out through an assessment: a core assessment begun at the
        # strategy discussion (WT 2010), or the single assessment (WT 2013), if not yet done.
        if self.wt2010 and math.isnan(referral.core_assessment_done_at):
            referral.core_assessment_start_at = held_at
            yield from self.work(
                referral,
                "core_assessment",
                calendar.deadline(held_at, timescales.core_assessment_wd),
            )
        elif not self.wt2010 and math.isnan(referral.single_assessment_done_at):
            yield from self.work(
                referral,
                "single_assessment",
                calendar.deadline(referral.referral_at, timescales.single_assessment_wd),
            )
        if icpc:
            return "cp_plan" if referral.draw("cp_plan") < pathway.cp_plan_probability else "cin"
        return "cin" if referral.draw("no_icpc") < pathway.no_icpc_cin_share else "nfa"

    def strategy_discussion(self, referral: Referral) -> Generator[simpy.Event, Any, None]:
        """A strategy discussion: the police's availability, then a team manager's time."""
        env, calendar, log = self.env, self.calendar, self.log
        now = env.now
        referral.strategy_requested_at = now
        log.record(now, "strategy_discussion_requested", referral.case_id)
        target = calendar.deadline(now, self.timescales.strategy_discussion_target_wd)
        police_at = self.police.earliest(
            now, float(referral.specs.police_delay_hours[referral.row])
        )
        if police_at > now:
            yield env.timeout(police_at - now)
        effort = referral.effort("strategy_discussion")
        if effort > 0:
            manager = self.staff.any_manager()
            held = env.event()
            manager.assign(
                Task(
                    "strategy_discussion",
                    referral,
                    effort,
                    target,
                    referral.tier_rank,
                    next(self.seq),
                    done=held,
                )
            )
            yield held
        referral.strategy_at = env.now
        log.record(env.now, "strategy_discussion_held", referral.case_id)

    # -- a piece of work -----------------------------------------------------------------------
    def work(self, referral: Referral, kind: str, deadline: float) -> Waits:
        """The lead does a piece of work; a co-worker spends the oversight share alongside."""
        effort = referral.effort(kind)
        if referral.done_fraction:
            # A case open at the start is part-way through its first piece of work.
            effort *= 1.0 - referral.done_fraction
            referral.done_fraction = 0.0
        if effort > 0:
            done = Signal()
            self.give_lead(referral, self._casework(kind, referral, effort, deadline, done))
            oversight = None
            if referral.coworker is not None and self.board.oversight_fraction > 0:
                share = effort * self.board.oversight_fraction
                oversight = self._casework("oversight", referral, share, deadline)
                if referral.oversight_tasks is None:
                    referral.oversight_tasks = []
                referral.oversight_tasks.append(oversight)
                referral.coworker.assign(oversight)
            yield done
            if oversight is not None and not oversight.finished:
                oversight.cancelled = True  # the stage is done; oversight not yet given is lost
            lead = referral.lead  # who finished it (the case may have changed hands)
            assert lead is not None
            for hook in self._after_work:
                hook(referral, kind, effort, lead)
        for gate in self._gates:
            waits = gate(referral, kind)
            if waits is not None:
                yield from waits
        self._completed(referral, kind)

    def _casework(
        self,
        kind: str,
        referral: Referral,
        effort: float,
        deadline: float,
        done: Signal | None = None,
    ) -> Task:
        """A piece of the referral's casework, paced like all casework (see worktime)."""
        return Task(
            kind,
            referral,
            effort,
            deadline,
            referral.tier_rank,
            next(self.seq),
            done=done,
            pace_hours=self.pace_hours,
        )

    def give_lead(self, referral: Referral, task: Task) -> None:
        """Give the case's worker a piece of its work (kept for the next worker while the case
        waits to be re-allocated)."""
        if referral.handed_on is not None:
            referral.handed_on.append(task)
        else:
            assert referral.lead is not None
            referral.lead.assign(task)

    def _completed(self, referral: Referral, kind: str) -> None:
        now = self.env.now
        if kind == "initial_assessment":
            referral.initial_assessment_done_at = now
        elif kind == "core_assessment":
            referral.core_assessment_done_at = now
        elif kind == "single_assessment":
            referral.single_assessment_done_at = now
        elif kind == "s47_enquiry":
            referral.s47_done_at = now
        if kind != "s47_enquiry" and math.isnan(referral.first_assessment_at):
            referral.first_assessment_at = now
        if kind in _ASSESSMENT_CODE:
            # No worker while the case waits to be re-allocated after its sign-off was asked for.
            lead = referral.lead.index if referral.lead is not None else -1
            self.log.record(
                now, "assessment_completed", referral.case_id, lead, _ASSESSMENT_CODE[kind]
            )

    # -- leaving ---------------------------------------------------------------------------------
    def _leave(self, referral: Referral, outcome: str) -> Waits:
        env = self.env
        if outcome != "nfa":
            deadline = self.calendar.deadline(env.now, self.timescales.handover_wd)
            effort = referral.effort("handover")
            if effort > 0:
                handed_over = Signal()
                self.give_lead(
                    referral, self._casework("handover", referral, effort, deadline, handed_over)
                )
                yield handed_over
        self._ended(referral, outcome)

    def _ended(self, referral: Referral, outcome: str, allocated: bool = True) -> None:
        """The case leaves the front door now, closed or handed over (and its worker, if it
        was ever ``allocated``)."""
        env = self.env
        now = env.now
        referral.outcome = outcome
        referral.ended_at = now
        self.cases.open -= 1
        if allocated:
            if referral.handed_on is not None:
                self.board.withdraw(referral)  # it closes while waiting to be re-allocated
            else:
                self.board.release(referral)
        # A case closed now, or handed on and closed later by a long-term team, may come back.
        chance = self.return_probability
        for adjust in self._return_chance:
            chance = adjust(referral, chance)
        returns = float(referral.specs.return_draw[referral.row]) < chance
        event = "case_closed" if outcome == "nfa" else "case_handed_over"
        self.log.record(now, event, referral.case_id, value=float(returns))
        if returns:
            delay = float(referral.specs.return_after_days[referral.row])
            if now + delay < self.measured_to:
                call_after(env, delay, lambda: self.returns(referral))
