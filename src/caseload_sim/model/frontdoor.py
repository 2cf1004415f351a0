"""The front door assembled: contacts in, screening, referrals through their pathway, cases out.

```
contact --screen--> NFA / advice / early help
   v
referral --> allocation --> (immediate risk: strategy discussion --> s47 enquiry [+ core])
                            (otherwise: initial or single assessment --> NFA / CIN / core / s47)
        --> hand-over to a long-term team, or closure (a share come back as re-referrals)
```
Each referral is one SimPy process that reads like the pathway; the effort itself is spent by the
workers' own processes (see :mod:`caseload_sim.model.worktime`).
"""

from __future__ import annotations

import gc
import itertools
import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import simpy

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.metrics.events import ASSESSMENT_KINDS, EventArrays, EventLog
from caseload_sim.model.absence import (
    absence_spells,
    absent_working_days,
    working_days_from,
)
from caseload_sim.model.allocation import AllocationBoard
from caseload_sim.model.demand import (
    CaseSpecs,
    draw_case_specs,
    draw_contacts,
    draw_history_returns,
    draw_returning_case,
)
from caseload_sim.model.partners import PoliceAvailability
from caseload_sim.model.recording import RecordKeeping
from caseload_sim.model.referral import Referral
from caseload_sim.model.supervision import SupervisionSchedule
from caseload_sim.model.timeline import follow_timeline
from caseload_sim.model.workforce import FLOW_GRADES, PERMANENT, PostHistory, Posts
from caseload_sim.model.worktime import Task, Worker, WorkQueue
from caseload_sim.randomness import RandomStreams
from caseload_sim.scenario.schema import GRADES, QUALIFIED_GRADES, TIERS, Scenario, Training
from caseload_sim.scenario.timeline import measured_periods, stages

_IMMEDIATE_RISK = TIERS.index("immediate_risk")
_DAY_HOURS = 24.0
_GC_THRESHOLD = 50_000
# Children with a case open at the start are numbered from here (new children from 0).
_INITIAL_CHILD = 1_000_000_000
_RECORDED = frozenset({"initial_assessment", "core_assessment", "single_assessment", "s47_enquiry"})
_SIGNED_OFF = frozenset({"initial_assessment", "core_assessment", "single_assessment"})
_ASSESSMENT_CODE = {kind: code for code, kind in enumerate(ASSESSMENT_KINDS)}


@dataclass
class WorkerRecord:
    """One post of a run over one window (the measured period, or a period of it), for the
    KPIs. Times are working time, in days of the clock."""

    index: int
    grade: str
    team: str
    holds_cases: bool
    busy_days: float
    #: working time in the window with the post held, less absence
    available_days: float
    #: working time in the window with the post held, lost to leave, sickness and training
    absent_days: float
    fte: float
    #: working time in the window the post existed
    established_days: float = 0.0
    #: ...without a permanent holder (vacant, whether or not an agency worker covered it)
    vacant_days: float = 0.0
    #: ...held by an agency worker
    agency_days: float = 0.0
    #: who held the post and at what grade, from when (None: one permanent holder throughout)
    history: PostHistory | None = None


@dataclass
class Period:
    """A part of the measured period between dated changes."""

    label: str
    start: float
    end: float
    workers: list[WorkerRecord]
    #: when the transition after the change that began the period ends (its start if none)
    settled_at: float = 0.0


@dataclass
class RunResult:
    """Everything a run produced, ready for the KPIs."""

    scenario: Scenario
    seed: int
    replication: int
    calendar: WorkingCalendar
    measured_from: float
    measured_to: float
    events: EventArrays
    referrals: list[Referral]
    initial_cases: list[Referral]
    workers: list[WorkerRecord]
    #: supervision sessions held, by worker index (None when supervision is not modelled)
    supervision: dict[int, list[float]] | None
    #: records owed: (work done, record due, record written or NaN); None when not modelled
    records: list[tuple[float, float, float]] | None
    timeseries: list[dict[str, float]]
    contacts: int
    screened_out: int
    awaiting_screening: int
    #: the measured period split at each dated change (one period without a timeline)
    periods: list[Period] | None = None
    #: holders who left: (time, post index, "permanent" or "agency")
    leavers: list[tuple[float, int, str]] | None = None

    def for_period(self, period: Period) -> RunResult:
        """The same run, measured over one period."""
        return replace(
            self, measured_from=period.start, measured_to=period.end, workers=period.workers
        )


def build_calendar(scenario: Scenario) -> WorkingCalendar:
    """The working calendar of a scenario."""
    simulation = scenario.simulation
    return WorkingCalendar(
        simulation.calendar,
        simulation.start_date,
        simulation.horizon_days,
        day_start_hour=simulation.working_day_start_hour,
        hours_per_day=simulation.working_day_hours,
    )


class FrontDoor:
    """The simulated service for one replication."""

    def __init__(self, scenario: Scenario, seed: int, replication: int) -> None:
        self.scenario = scenario
        self.env = simpy.Environment()
        self.calendar = calendar = build_calendar(scenario)
        self.streams = RandomStreams(seed, replication)
        self.log = EventLog()
        simulation = scenario.simulation
        self.measured_from = simulation.warmup_days
        self.measured_to = simulation.horizon_days
        self._seq = itertools.count()
        self._case_ids = itertools.count()
        self.contacts = 0
        self.screened_out = 0
        self.referrals: list[Referral] = []
        self.initial_cases: list[Referral] = []
        self.open_referrals = 0
        self.timeseries: list[dict[str, float]] = []

        #: the service in force (changed by the timeline's dated changes)
        self.current = scenario
        #: transition dips in force: (when it ends, share of effort lost)
        self.dips: list[tuple[float, float]] = []
        self.stages = stages(scenario) if scenario.timeline else []
        periods = measured_periods(scenario)
        self.period_bounds = (
            [*(p.start for p in periods), periods[-1].end]
            if periods
            else [self.measured_from, self.measured_to]
        )
        self.period_labels = [p.label for p in periods]
        # Each period's change and its transition (working days), to find when it settled.
        self.period_transitions = [(p.start, p.transition_wd) for p in periods]

        pathway = scenario.pathway
        self.timescales = pathway.timescales
        self.wt2010 = pathway.regime == "wt2010"
        self.pace_hours = pathway.max_hours_per_case_per_day
        self.hours_per_week = (
            7 * _DAY_HOURS if calendar.kind == "continuous" else 5 * calendar.hours_per_day
        )
        self.block_days = simulation.block_hours / _DAY_HOURS
        self.workers = self._build_workers(self.block_days)
        self.quality = scenario.workforce.quality if scenario.workforce.quality.enabled else None
        for worker in self.workers:
            self._draw_absences(worker)
        if scenario.workforce.training.enabled:
            self.schedule_training(
                scenario.workforce.training, scenario.workforce.training.start_day
            )
        self.managers: list[Worker] = []
        self._team_managers: dict[str, list[Worker]] = {}
        self._find_managers()
        self.sign_off = scenario.workforce.sign_off if scenario.workforce.sign_off.enabled else None
        self.recording = (
            RecordKeeping(self.env, scenario.workforce.recording, calendar, self._seq)
            if scenario.workforce.recording.enabled
            else None
        )
        self.supervision = (
            SupervisionSchedule(
                self.env,
                scenario.workforce.supervision,
                self.workers,
                self._seq,
                self._supervisor_for,
            )
            if scenario.workforce.supervision.enabled
            else None
        )
        self.board = AllocationBoard(self.env, scenario, calendar, self.workers, self.log)
        self.board.on_allocated = self._allocated
        self.case_holders = [
            w
            for w in self.workers
            if any(w in group for group in self.board.holders + self.board.co_worked_leads)
        ]
        flow = scenario.workforce.flow
        self.posts = Posts(
            self.env,
            calendar,
            simulation.horizon_days,
            flow,
            self.streams["workforce"],
            self._post_vacated,
            self._post_filled,
            self.log,
        )
        #: whether posts change during the run (their history is then kept for the KPIs)
        self.posts_change = flow.enabled or bool(self.stages)
        for worker in self.workers:
            if worker.queue is not self.duty_inbox:
                self.posts.establish(worker, worker.started_at)
        if flow.enabled:
            self.posts.start_flow()
            self.refresh_staff()
        if len(self.stages) > 1:
            self.env.process(follow_timeline(self, self.stages))
        self.police = PoliceAvailability(scenario.partners.police, calendar)
        if scenario.initial_caseload.any:
            self._open_initial_caseload()
        self.screening_needed = pathway.effort.screening.mean_hours > 0
        self.env.timeout(0).callbacks.append(self._start_arrivals)
        self.env.process(self._sample_timeseries())

    # -- building ---------------------------------------------------------------------------
    def _build_workers(self, block_days: float) -> list[Worker]:
        scenario, calendar = self.scenario, self.calendar
        workers: list[Worker] = []
        for team_name, team in scenario.workforce.teams.items():
            for grade in GRADES:
                terms = getattr(scenario.workforce.grades, grade)
                rate = (
                    _DAY_HOURS
                    * terms.fte
                    * terms.casework_share
                    * terms.weekly_hours
                    / self.hours_per_week
                )
                for _ in range(getattr(team.staff, grade)):
                    workers.append(
                        Worker(
                            self.env,
                            calendar,
                            len(workers),
                            grade,
                            team_name,
                            rate,
                            terms.caseload_cap,
                            block_days,
                            self.measured_from,
                            self.measured_to,
                        )
                    )
        started = -scenario.workforce.supervision.nqsw_days_in_post_at_start
        for worker in workers:
            worker.fte = getattr(scenario.workforce.grades, worker.grade).fte
            worker.started_at = started
            self._track_periods(worker)
        centre = scenario.workforce.access_centre
        self.duty_inbox = WorkQueue()
        duty_rate = _DAY_HOURS * centre.screening_share * centre.weekly_hours / self.hours_per_week
        for _ in range(centre.duty_workers):
            workers.append(
                Worker(
                    self.env,
                    calendar,
                    len(workers),
                    "duty",
                    "access_centre",
                    duty_rate,
                    0.0,
                    block_days,
                    self.measured_from,
                    self.measured_to,
                    queue=self.duty_inbox,
                )
            )
            self._track_periods(workers[-1])
        return workers

    def _casework_rate(self, grade: str) -> float:
        terms = getattr(self.current.workforce.grades, grade)
        return (
            _DAY_HOURS * terms.fte * terms.casework_share * terms.weekly_hours / self.hours_per_week
        )

    def _track_periods(self, worker: Worker) -> None:
        worker.period_bounds = self.period_bounds
        worker.busy_by_period = [0.0] * (len(self.period_bounds) - 1)

    def _draw_absences(self, worker: Worker) -> None:
        absence = self.scenario.workforce.absence
        if absence.annual_leave_days_per_year > 0 or absence.sickness_days_per_year > 0:
            worker.take_time_off(
                absence_spells(
                    absence,
                    self.calendar,
                    self.scenario.simulation.horizon_days,
                    self.streams.keyed("absence", worker.index),
                )
            )

    # -- posts changing during the run ----------------------------------------------------------
    def apply_grade_terms(self, worker: Worker) -> None:
        """The cap, hours and FTE of the worker's grade in the service now in force."""
        terms = getattr(self.current.workforce.grades, worker.grade)
        worker.caseload_cap = terms.caseload_cap
        worker.full_rate = self._casework_rate(worker.grade)
        worker.rate = worker.full_rate * self.productivity()
        if terms.fte != worker.fte:
            worker.fte_history.append((self.env.now, terms.fte))
        worker.fte = terms.fte

    def productivity(self) -> float:
        """The share of full effort delivered now (below 1 during a transition dip)."""
        factor = 1.0
        for _ends, share in self.dips:
            factor *= 1.0 - share
        return factor

    def apply_productivity(self) -> None:
        """Every worker's rate at the productivity now in force."""
        factor = self.productivity()
        for worker in self.workers:
            worker.rate = worker.full_rate * factor

    def refresh_staff(self) -> None:
        """Take up the posts now filled, after a change of holder, grade or team."""
        self.board.configure(self.current, self.workers)
        self._find_managers()

    def _find_managers(self) -> None:
        before = [(m.index, m.team) for m in self.managers]
        self.managers = [w for w in self.workers if w.grade == "tm" and w.in_post]
        self._team_managers = {}
        for manager in self.managers:
            self._team_managers.setdefault(manager.team, []).append(manager)
        supervision = getattr(self, "supervision", None)
        if supervision is not None and before != [(m.index, m.team) for m in self.managers]:
            supervision.deal(self.managers)

    def new_post(self, team: str, grade: str, recruitment_lag_wd: float) -> Worker:
        """A post created by a dated change, empty for the recruitment lag."""
        terms = getattr(self.current.workforce.grades, grade)
        worker = Worker(
            self.env,
            self.calendar,
            len(self.workers),
            grade,
            team,
            self._casework_rate(grade),
            terms.caseload_cap,
            self.block_days,
            self.measured_from,
            self.measured_to,
        )
        worker.fte = terms.fte
        worker.started_at = self.env.now
        self._track_periods(worker)
        self.workers.append(worker)
        if grade in FLOW_GRADES and terms.caseload_cap > 0:
            self.case_holders.append(worker)
        self._draw_absences(worker)
        self.posts.open_vacant(worker, recruitment_lag_wd)
        if self.supervision is not None and grade in FLOW_GRADES:
            self.supervision.add(worker)
        return worker

    def close_post(self, worker: Worker) -> None:
        """A post abolished by a dated change: its cases and its waiting work go elsewhere."""
        self.posts.close(worker)
        waiting = worker.take_all_tasks()
        if worker.grade == "tm":
            self._find_managers()
            for task in waiting:
                self._manager_for(worker).assign(task)
            return
        # Records the holder owed pass to the least loaded colleague in post (of the same team
        # if there is one); anything else they had waiting goes with them.
        colleagues = [w for w in self.case_holders if w.in_post and w is not worker]
        team = [w for w in colleagues if w.team == worker.team] or colleagues
        for task in waiting:
            if task.kind == "recording" and team:
                min(team, key=lambda w: (w.load, w.index)).assign(task)
            else:
                task.cancelled = True

    def hand_on(self, referral: Referral) -> None:
        """Take a case from its worker, with the work they had not begun, to re-allocate it."""
        lead = referral.lead
        assert lead is not None
        waiting = lead.take_tasks(referral)
        self.board.transfer(referral)
        assert referral.handed_on is not None
        referral.handed_on.extend(waiting)

    def _give_lead(self, referral: Referral, task: Task) -> None:
        """Give the case's worker a piece of its work (kept for the next worker while the case
        waits to be re-allocated)."""
        if referral.handed_on is not None:
            referral.handed_on.append(task)
        else:
            assert referral.lead is not None
            referral.lead.assign(task)

    def _post_vacated(self, worker: Worker) -> None:
        for referral in list(worker.held.values()):
            self.hand_on(referral)
        for referral in list(worker.coworked.values()):
            # The co-worker has gone: the oversight they had not given is lost, and the lead
            # carries on alone (as the inspection found co-worked cases often did).
            for task in worker.take_tasks(referral):
                task.cancelled = True
            self.board.drop_coworker(referral)
        self.refresh_staff()
        self.board.allocate()

    def _post_filled(self, worker: Worker) -> None:
        self.apply_grade_terms(worker)
        self.refresh_staff()
        self.board.allocate()

    def schedule_training(self, training: Training, begins: float) -> None:
        """Mandatory training: each case-holding grade's workers in turn over the roll-out."""
        # The holders in post now; someone who takes up a post later is not trained.
        trainees = [w for w in self.workers if w.grade in FLOW_GRADES and w.in_post]
        horizon = self.scenario.simulation.horizon_days
        for order, worker in enumerate(trainees):
            start = begins + training.rollout_days * order / max(1, len(trainees))
            spell = working_days_from(self.calendar, horizon, start, round(training.days_away))
            if spell is None:
                continue  # the run ends before this worker's turn
            worker.take_time_off([spell])
            worker.trained_from = spell[1]

    def _inadequate_chance(self, lead: Worker) -> float:
        quality = self.quality
        assert quality is not None
        chance = quality.base_inadequate_probability
        if lead.caseload_cap > 0:
            chance *= 1.0 + quality.load_effect * lead.load / lead.caseload_cap
        if self.supervision is not None and self.supervision.out_of_standard(lead, self.env.now):
            chance *= 1.0 + quality.unsupervised_effect
        if lead.grade not in QUALIFIED_GRADES:
            chance *= 1.0 + quality.unqualified_effect
        if self.env.now >= lead.trained_from:
            chance *= 1.0 - self.current.workforce.training.effect
        return min(1.0, chance)

    # -- the caseload open at the start -------------------------------------------------------
    def _open_initial_caseload(self) -> None:
        initial = self.scenario.initial_caseload
        workforce = self.scenario.workforce
        rng = self.streams["initial"]
        overrides: dict[tuple[str, str, str], float] = {
            (r.team, r.grade, r.tier): r.cases_per_worker for r in initial.rows
        }
        plan: list[tuple[Worker, int]] = []
        for worker in self.case_holders:
            if not worker.in_post:
                continue  # a post vacant at the start holds nothing
            team = workforce.teams[worker.team]
            for rank, tier in enumerate(TIERS):
                rule = getattr(getattr(workforce.eligibility, worker.grade), tier)
                if tier not in team.tiers or rule != "hold":
                    continue
                mean = overrides.get(
                    (worker.team, worker.grade, tier), getattr(initial.cases_per_worker, tier)
                )
                whole = int(mean)
                count = whole + int(rng.random() < mean - whole)
                plan += [(worker, rank)] * count
        specs = draw_case_specs(self.scenario, rng, rng, rng, rng, len(plan))
        specs.tier[:] = [rank for _, rank in plan]
        specs.is_referral[:] = True
        done = rng.random(len(plan)).tolist()
        for row, (worker, rank) in enumerate(plan):
            referral = Referral(
                next(self._case_ids), _INITIAL_CHILD + row, 0, specs, row, 0.0, False
            )
            referral.initial = True
            referral.decided_at = 0.0
            referral.done_fraction = done[row]
            if rank == _IMMEDIATE_RISK:
                referral.strategy_at = 0.0  # its strategy discussion was held before the start
            self.initial_cases.append(referral)
            self.open_referrals += 1
            self.board.place(referral, worker)

    # -- contacts and screening ----------------------------------------------------------------
    def _start_arrivals(self, _event: object) -> None:
        times, out_of_hours, specs = draw_contacts(self.scenario, self.calendar, self.streams)
        first_contacts = len(times)
        ooh = out_of_hours.tolist()
        self._arrive_at(
            times.tolist(),
            lambda row: self._contact(specs, row, child=row, episode=0, out_of_hours=ooh[row]),
        )
        if self.scenario.demand.re_referral_probability > 0:
            times, previous, history = draw_history_returns(
                self.scenario, self.calendar, self.streams
            )
            earlier = previous.tolist()
            self._arrive_at(
                times.tolist(),
                lambda row: self._contact(
                    history,
                    row,
                    child=first_contacts + row,
                    episode=1,
                    out_of_hours=False,
                    previous_referral_at=earlier[row],
                ),
            )

    def _arrive_at(self, times: list[float], arrive: Callable[[int], None]) -> None:
        """Call ``arrive(i)`` at each of the sorted ``times``, keeping one timer pending.

        Callbacks on plain timers cost a fraction of a process resumption per arrival.
        """
        env = self.env
        position = 0

        def next_arrivals(_event: object = None) -> None:
            nonlocal position
            while position < len(times) and times[position] <= env.now:
                arrive(position)
                position += 1
            if position < len(times):
                env.timeout(times[position] - env.now).callbacks.append(next_arrivals)

        next_arrivals()

    def _contact(
        self,
        specs: CaseSpecs,
        row: int,
        child: int,
        episode: int,
        out_of_hours: bool,
        previous_referral_at: float = math.nan,
    ) -> None:
        now = self.env.now
        case_id = next(self._case_ids)
        self.contacts += 1
        self.log.contact(now, case_id, out_of_hours)
        referral = Referral(case_id, child, episode, specs, row, now, out_of_hours)
        referral.previous_referral_at = previous_referral_at
        if not self.screening_needed:
            self._screened(referral)
            return
        deadline = self.calendar.deadline(now, self.timescales.decision_wd)
        task = Task(
            "screening",
            referral,
            float(specs.effort["screening"][row]),
            deadline,
            referral.tier_rank,
            next(self._seq),
            on_done=self._screening_done,
        )
        self.duty_inbox.push(task)

    def _screening_done(self, task: Task) -> None:
        self._screened(task.case)

    def _screened(self, referral: Referral) -> None:
        now = self.env.now
        becomes_referral = bool(referral.specs.is_referral[referral.row])
        self.log.screened(now, referral.case_id, becomes_referral)
        if not becomes_referral:
            self.screened_out += 1
            return
        referral.decided_at = now
        self.referrals.append(referral)
        self.open_referrals += 1
        if referral.episode > 0:
            self.log.record(now, "re_referral", referral.case_id)
        if referral.tier_rank == _IMMEDIATE_RISK:
            # The strategy discussion is sought at once, while the referral waits for a worker.
            referral.strategy = self.env.process(self._strategy_discussion(referral))
        self.board.add(referral)

    # -- the referral's pathway ------------------------------------------------------------------
    def _allocated(self, referral: Referral) -> None:
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
        sign_off = self.sign_off
        if (
            sign_off is not None
            and sign_off.allocation_hours > 0
            and not referral.initial
            and self.managers  # with every manager post empty the decision goes unrecorded
        ):
            # The manager records the allocation decision; the case does not wait for it.
            now = self.env.now
            self._manager_for(lead).assign(
                Task(
                    "allocation_decision",
                    referral,
                    sign_off.allocation_hours,
                    self.calendar.deadline(now, sign_off.target_wd),
                    referral.tier_rank,
                    next(self._seq),
                )
            )
        # The referral's pathway starts once it has a worker: until then it only waits.
        follow(self._pathway(referral))

    def _manager_for(self, worker: Worker) -> Worker:
        """The least busy team manager of the worker's team (or of any team)."""
        manager = self._supervisor_for(worker)
        return manager if manager is not None else self._any_manager()

    def _any_manager(self) -> Worker:
        """The least busy team manager in post; with none in post (every manager post empty
        after a dated change), an open manager post, whose work waits for its holder."""
        if self.managers:
            return min(self.managers, key=lambda w: (len(w.queue), w.index))
        posts = [
            w for w in self.posts.workers.values() if w.grade == "tm" and self.posts.is_open(w)
        ]
        assert posts, "validation ensures a team manager post wherever one is needed"
        return min(posts, key=lambda w: (len(w.queue), w.index))

    def _supervisor_for(self, worker: Worker) -> Worker | None:
        pool = self._team_managers.get(worker.team) or self.managers
        return min(pool, key=lambda w: (len(w.queue), w.index)) if pool else None

    def _pathway(self, referral: Referral) -> Generator[simpy.Event, Any, None]:
        strategy = referral.strategy
        if strategy is not None:
            yield strategy
            referral.strategy = None  # finished referrals are kept for the KPIs: keep them light
        if referral.tier_rank == _IMMEDIATE_RISK:
            outcome = yield from self._s47_route(referral)
        else:
            outcome = yield from self._assessment_route(referral)
        yield from self._leave(referral, outcome)

    def _assessment_route(self, referral: Referral) -> Generator[simpy.Event, Any, str]:
        calendar, timescales = self.calendar, self.timescales
        kind = "initial_assessment" if self.wt2010 else "single_assessment"
        timescale = (
            timescales.initial_assessment_wd if self.wt2010 else timescales.single_assessment_wd
        )
        yield from self._work(referral, kind, calendar.deadline(referral.referral_at, timescale))
        shares = getattr(self.scenario.pathway.after_first_assessment, referral.tier)
        draw = referral.draw("first_assessment")
        if draw < shares.nfa:
            return "nfa"
        if draw < shares.nfa + shares.cin:
            return "cin"
        if draw < shares.nfa + shares.cin + shares.core:
            referral.core_assessment_start_at = start = self.env.now
            yield from self._work(
                referral, "core_assessment", calendar.deadline(start, timescales.core_assessment_wd)
            )
            pathway = self.scenario.pathway
            return (
                "cin"
                if referral.draw("core_assessment") < pathway.core_assessment_cin_share
                else "nfa"
            )
        yield self.env.process(self._strategy_discussion(referral))
        return (yield from self._s47_route(referral))

    def _s47_route(self, referral: Referral) -> Generator[simpy.Event, Any, str]:
        calendar, timescales = self.calendar, self.timescales
        pathway = self.scenario.pathway
        held_at = referral.strategy_at
        referral.s47_start_at = self.env.now
        yield from self._work(
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
            yield from self._work(
                referral,
                "core_assessment",
                calendar.deadline(held_at, timescales.core_assessment_wd),
            )
        elif not self.wt2010 and math.isnan(referral.single_assessment_done_at):
            yield from self._work(
                referral,
                "single_assessment",
                calendar.deadline(referral.referral_at, timescales.single_assessment_wd),
            )
        if icpc:
            return "cp_plan" if referral.draw("cp_plan") < pathway.cp_plan_probability else "cin"
        return "cin" if referral.draw("no_icpc") < pathway.no_icpc_cin_share else "nfa"

    def _strategy_discussion(self, referral: Referral) -> Generator[simpy.Event, Any, None]:
        env, calendar = self.env, self.calendar
        now = env.now
        referral.strategy_requested_at = now
        self.log.record(now, "strategy_discussion_requested", referral.case_id)
        target = calendar.deadline(now, self.timescales.strategy_discussion_target_wd)
        police_at = self.police.earliest(
            now, float(referral.specs.police_delay_hours[referral.row])
        )
        if police_at > now:
            yield env.timeout(police_at - now)
        effort = referral.effort("strategy_discussion")
        if effort > 0:
            manager = self._any_manager()
            held = env.event()
            manager.assign(
                Task(
                    "strategy_discussion",
                    referral,
                    effort,
                    target,
                    referral.tier_rank,
                    next(self._seq),
                    done=held,
                )
            )
            yield held
        referral.strategy_at = env.now
        self.log.record(env.now, "strategy_discussion_held", referral.case_id)

    def _work(
        self, referral: Referral, kind: str, deadline: float
    ) -> Generator[simpy.Event, Any, None]:
        """The lead does a piece of work; a co-worker spends the oversight share alongside."""
        effort = referral.effort(kind)
        if referral.done_fraction:
            # A case open at the start is part-way through its first piece of work.
            effort *= 1.0 - referral.done_fraction
            referral.done_fraction = 0.0
        if effort > 0:
            done = self.env.event()
            self._give_lead(
                referral,
                Task(
                    kind,
                    referral,
                    effort,
                    deadline,
                    referral.tier_rank,
                    next(self._seq),
                    done=done,
                    pace_hours=self.pace_hours,
                ),
            )
            oversight = None
            if referral.coworker is not None and self.board.oversight_fraction > 0:
                oversight = Task(
                    "oversight",
                    referral,
                    effort * self.board.oversight_fraction,
                    deadline,
                    referral.tier_rank,
                    next(self._seq),
                    pace_hours=self.pace_hours,
                )
                if referral.oversight_tasks is None:
                    referral.oversight_tasks = []
                referral.oversight_tasks.append(oversight)
                referral.coworker.assign(oversight)
            yield done
            if oversight is not None and not oversight.finished:
                oversight.cancelled = True  # the stage is done; oversight not yet given is lost
            lead = referral.lead  # who finished it (the case may have changed hands)
            assert lead is not None
            if self.recording is not None and kind in _RECORDED:
                self.recording.owe(lead, effort)
            if self.quality is not None and kind in _SIGNED_OFF:
                inadequate = float(
                    referral.specs.quality_draw[kind][referral.row]
                ) < self._inadequate_chance(lead)
                referral.inadequate = referral.inadequate or inadequate
                self.log.record(
                    self.env.now,
                    "assessment_rated",
                    referral.case_id,
                    lead.index,
                    float(inadequate),
                )
        sign_off = self.sign_off
        if sign_off is not None and sign_off.assessment_hours > 0 and kind in _SIGNED_OFF:
            # An assessment is complete when a manager has authorised it.
            finished_at = self.env.now
            author = referral.lead
            manager = self._manager_for(author) if author is not None else self._any_manager()
            signed = self.env.event()
            manager.assign(
                Task(
                    "sign_off",
                    referral,
                    sign_off.assessment_hours,
                    self.calendar.deadline(finished_at, sign_off.target_wd),
                    referral.tier_rank,
                    next(self._seq),
                    done=signed,
                )
            )
            yield signed
            self.log.record(
                self.env.now,
                "assessment_signed_off",
                referral.case_id,
                manager.index,
                self.env.now - finished_at,
            )
        self._completed(referral, kind)

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

    def _leave(self, referral: Referral, outcome: str) -> Generator[simpy.Event, Any, None]:
        if outcome != "nfa":
            deadline = self.calendar.deadline(self.env.now, self.timescales.handover_wd)
            effort = referral.effort("handover")
            if effort > 0:
                handed_over = self.env.event()
                self._give_lead(
                    referral,
                    Task(
                        "handover",
                        referral,
                        effort,
                        deadline,
                        referral.tier_rank,
                        next(self._seq),
                        done=handed_over,
                        pace_hours=self.pace_hours,
                    ),
                )
                yield handed_over
        now = self.env.now
        referral.outcome = outcome
        referral.ended_at = now
        self.open_referrals -= 1
        if referral.handed_on is not None:
            self.board.withdraw(referral)  # it closes while waiting to be re-allocated
        else:
            self.board.release(referral)
        # A case closed now, or handed on and closed later by a long-term team, may come back.
        chance = self.scenario.demand.re_referral_probability
        if self.quality is not None and referral.inadequate:
            chance = min(1.0, chance * self.quality.re_referral_multiplier)
        returns = float(referral.specs.return_draw[referral.row]) < chance
        event = "case_closed" if outcome == "nfa" else "case_handed_over"
        self.log.record(now, event, referral.case_id, value=float(returns))
        if returns:
            delay = float(referral.specs.return_after_days[referral.row])
            if now + delay < self.measured_to:
                timer = self.env.timeout(delay)
                timer.callbacks.append(lambda _event: self._return(referral))

    def _return(self, previous: Referral) -> None:
        episode = previous.episode + 1
        specs = draw_returning_case(self.scenario, self.streams, previous.child, episode)
        self._contact(
            specs,
            0,
            previous.child,
            episode,
            out_of_hours=False,
            previous_referral_at=previous.referral_at,
        )

    # -- observation -------------------------------------------------------------------------
    def _sample_timeseries(self) -> Generator[simpy.Event, Any, None]:
        interval = self.scenario.simulation.timeseries_interval_days
        env = self.env
        holders = self.case_holders
        by_grade = {g: [w for w in holders if w.grade == g] for g in GRADES}
        by_grade = {g: ws for g, ws in by_grade.items() if ws}
        changing = self.posts_change
        grades = [
            g
            for g in GRADES
            if g in by_grade
            or any(
                getattr(team.staff, g)
                for stage in self.stages
                for team in stage.scenario.workforce.teams.values()
            )
        ]
        while env.now <= self.measured_to:
            if changing:
                # Posts fall vacant, are filled and change grade: average over those held now.
                posts = holders
                holders = [w for w in posts if w.in_post]
                by_grade = {g: [w for w in holders if w.grade == g] for g in grades}
            row: dict[str, float] = {
                "day": env.now,
                "unallocated_referrals": float(self.board.waiting),
                "open_cases": float(self.open_referrals),
                "caseload_per_worker": _mean(w.cases for w in holders),
                "high_risk_cases_per_worker": _mean(w.high_risk_cases for w in holders),
            }
            for grade, workers in by_grade.items():
                row[f"caseload_per_worker_{grade}"] = _mean(w.cases for w in workers)
            if self.recording is not None and holders:
                row["recording_backlog_hours_per_worker"] = self.recording.backlog_hours() / len(
                    holders
                )
            if changing:
                row["posts_held"] = float(len(holders))
                row["posts_vacant"] = float(
                    sum(1 for w in posts if not w.in_post and self.posts.is_open(w))
                )
                holders = posts
            self.timeseries.append(row)
            yield env.timeout(interval)

    # -- running -------------------------------------------------------------------------------
    def run(self) -> RunResult:
        # A run creates hundreds of thousands of short-lived objects that are freed by reference
        # counting; collecting less often saves much of the collector's time and changes nothing
        # in the results.
        threshold = gc.get_threshold()
        gc.set_threshold(max(threshold[0], _GC_THRESHOLD), *threshold[1:])
        try:
            self.env.run(until=self.measured_to)
        finally:
            gc.set_threshold(*threshold)
        workers = self._worker_records(self.measured_from, self.measured_to, None)
        periods = None
        if len(self.period_bounds) > 2:
            bounds = self.period_bounds
            periods = [
                Period(
                    label,
                    bounds[i],
                    bounds[i + 1],
                    self._worker_records(bounds[i], bounds[i + 1], i),
                    self._settled_at(*self.period_transitions[i]),
                )
                for i, label in enumerate(self.period_labels)
            ]
        awaiting = len(self.duty_inbox) + sum(
            1 for w in self.workers if w.queue is self.duty_inbox and w.working_on is not None
        )
        return RunResult(
            scenario=self.scenario,
            seed=self.streams.seed,
            replication=self.streams.replication,
            calendar=self.calendar,
            measured_from=self.measured_from,
            measured_to=self.measured_to,
            events=self.log.arrays(),
            referrals=self.referrals,
            initial_cases=self.initial_cases,
            supervision=self.supervision.sessions if self.supervision is not None else None,
            records=(
                [(r.created_at, r.due_at, r.written_at) for r in self.recording.records]
                if self.recording is not None
                else None
            ),
            workers=workers,
            timeseries=self.timeseries,
            contacts=self.contacts,
            screened_out=self.screened_out,
            awaiting_screening=awaiting,
            periods=periods,
            leavers=self.posts.leavers if self.scenario.workforce.flow.enabled else None,
        )

    def _settled_at(self, change: float, transition_wd: float) -> float:
        """00:00 of the working day the transition after a change ends (the change itself if
        there is none): when the dip in productivity is over."""
        if transition_wd <= 0:
            return change
        return min(self.posts.working_day_after(change, transition_wd), self.measured_to)

    def _working_time(self, start: float, end: float) -> float:
        if self.calendar.kind == "continuous":
            return end - start
        return self.calendar.working_hours_between(start, end) / _DAY_HOURS

    def _worker_records(self, start: float, end: float, period: int | None) -> list[WorkerRecord]:
        """Each post's working time in a window: held, absent, vacant, with an agency worker."""
        window = self._working_time(start, end)
        holders = set(id(w) for w in self.case_holders)
        records = []
        for w in self.workers:
            busy = w.busy_days if period is None else w.busy_by_period[period]
            history = self.posts.history.get(w.index) if self.posts_change else None
            if history is None:
                lost = absent_working_days(w.absences, self.calendar, start, end)
                records.append(
                    WorkerRecord(
                        w.index,
                        w.grade,
                        w.team,
                        id(w) in holders,
                        busy,
                        window - lost,
                        lost,
                        w.fte,
                        established_days=window,
                    )
                )
                continue
            established = (
                self._working_time(
                    max(start, history.established_from), min(end, history.established_to)
                )
                if min(end, history.established_to) > max(start, history.established_from)
                else 0.0
            )
            held = history.spells(start, end, (PERMANENT, "agency"))
            agency = history.spells(start, end, ("agency",))
            permanent = sum(
                self._working_time(a, b) for a, b in history.spells(start, end, (PERMANENT,))
            )
            lost = sum(absent_working_days(w.absences, self.calendar, a, b) for a, b in held)
            in_post = sum(self._working_time(a, b) for a, b in held)
            grade = w.grade
            for time, _holder, changed_grade, _since in history.changes:
                if time <= end:
                    grade = changed_grade
            records.append(
                WorkerRecord(
                    w.index,
                    grade,
                    w.team,
                    id(w) in holders,
                    busy,
                    in_post - lost,
                    lost,
                    _mean_fte(w, start, end),
                    established_days=established,
                    vacant_days=max(0.0, established - permanent),
                    agency_days=sum(self._working_time(a, b) for a, b in agency),
                    history=history,
                )
            )
        return records


def follow(steps: Generator[simpy.Event, Any, Any]) -> None:
    """Drive a generator of SimPy events from the events' own callbacks.

    A referral's pathway is a plain sequence of waits that is never interrupted; following it
    this way costs a fraction of a SimPy process (no start-up event, no process object) for each
    of the thousands of referrals in a run, and starts it at once.
    """

    def resume(event: simpy.Event | None) -> None:
        # A failed event (a process that raised) is thrown into the steps, not sent as a value.
        failed = event is not None and not event.ok
        value = None if event is None else event.value
        while True:
            try:
                target = steps.throw(_as_error(value)) if failed else steps.send(value)
            except StopIteration:
                return
            if target.callbacks is not None:  # still to happen: carry on when it does
                target.callbacks.append(resume)
                return
            failed = not target.ok
            value = target.value  # already happened: carry on now

    resume(None)


def _as_error(value: Any) -> BaseException:
    assert isinstance(value, BaseException)
    return value


def _mean_fte(worker: Worker, start: float, end: float) -> float:
    """The post's FTE averaged over [start, end] (a dated change may alter it)."""
    changes = worker.fte_history
    if len(changes) == 1 or end <= start:
        return worker.fte
    total = 0.0
    for position, (since, fte) in enumerate(changes):
        until = changes[position + 1][0] if position + 1 < len(changes) else math.inf
        total += fte * max(0.0, min(until, end) - max(since, start))
    return total / (end - start)


def _mean(values: Any) -> float:
    items = list(values)
    return float(np.mean(items)) if items else math.nan


def simulate(scenario: Scenario, seed: int | None = None, replication: int = 0) -> RunResult:
    """Run one replication of a scenario.

    Parameters
    ----------
    scenario
        A validated scenario.
    seed
        Root seed; defaults to the scenario's own.
    replication
        Replication index; with the seed it fixes every random stream.
    """
    root = scenario.simulation.seed if seed is None else seed
    return FrontDoor(scenario, root, replication).run()
