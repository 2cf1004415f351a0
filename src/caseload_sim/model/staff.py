"""The staff of a run: every post, who is in post, the managers, and the terms in force.

Case-holding teams have posts of each grade; the access centre has duty workers who screen
contacts from a shared inbox. A post's casework rate is its share of the contracted week spent
on casework, lowered while a re-organisation beds in (a transition dip). When a holder leaves,
or a dated change abolishes a post or stops a grade holding a tier, the cases go back to be
re-allocated with the work not yet begun (:meth:`Staff.hand_on`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from caseload_sim.model.posts import Posts
from caseload_sim.model.work import WorkQueue
from caseload_sim.model.worktime import Worker
from caseload_sim.scenario.schema import GRADES, PRACTITIONER_GRADES, Scenario

if TYPE_CHECKING:
    from caseload_sim.model.allocation import AllocationBoard
    from caseload_sim.model.context import RunContext
    from caseload_sim.model.referral import Referral

_DAY_HOURS = 24.0


def hours_per_week(ctx: RunContext) -> float:
    """Working hours in a week of the run's calendar (every hour on the continuous one)."""
    calendar = ctx.calendar
    return 7 * _DAY_HOURS if calendar.kind == "continuous" else 5 * calendar.hours_per_day


def casework_rate(scenario: Scenario, grade: str, week_hours: float) -> float:
    """Hours of casework a post of the grade delivers per day of working time."""
    terms = getattr(scenario.workforce.grades, grade)
    return _DAY_HOURS * terms.fte * terms.casework_share * terms.weekly_hours / week_hours


def block_days(scenario: Scenario) -> float:
    """The shortest stretch a worker gives a piece of work before choosing again (days)."""
    return scenario.simulation.block_hours / _DAY_HOURS


def build_workers(ctx: RunContext, period_bounds: list[float]) -> tuple[list[Worker], WorkQueue]:
    """The posts of the teams, grade by grade, then the access centre's duty workers (who share
    one inbox); returns the posts and that inbox."""
    scenario, env, calendar = ctx.scenario, ctx.env, ctx.calendar
    week = hours_per_week(ctx)
    block = block_days(scenario)
    window = (ctx.measured_from, ctx.measured_to)
    workers: list[Worker] = []
    for team_name, team in scenario.workforce.teams.items():
        for grade in GRADES:
            terms = getattr(scenario.workforce.grades, grade)
            rate = casework_rate(scenario, grade, week)
            for _ in range(getattr(team.staff, grade)):
                workers.append(
                    Worker(
                        env,
                        calendar,
                        len(workers),
                        grade,
                        team_name,
                        rate,
                        terms.caseload_cap,
                        block,
                        *window,
                    )
                )
    started = -scenario.workforce.supervision.nqsw_days_in_post_at_start
    for worker in workers:
        worker.fte = getattr(scenario.workforce.grades, worker.grade).fte
        worker.started_at = started
        track_periods(worker, period_bounds)
    centre = scenario.workforce.access_centre
    inbox = WorkQueue()
    duty_rate = _DAY_HOURS * centre.screening_share * centre.weekly_hours / week
    for _ in range(centre.duty_workers):
        workers.append(
            Worker(
                env,
                calendar,
                len(workers),
                "duty",
                "access_centre",
                duty_rate,
                0.0,
                block,
                *window,
                queue=inbox,
            )
        )
        track_periods(workers[-1], period_bounds)
    return workers, inbox


def track_periods(worker: Worker, period_bounds: list[float]) -> None:
    """Have the worker count their busy time in each period between dated changes."""
    worker.period_bounds = period_bounds
    worker.busy_by_period = [0.0] * (len(period_bounds) - 1)


class Staff:
    """The posts of a run, the managers in post, and the service (terms and rules) in force."""

    def __init__(
        self,
        ctx: RunContext,
        workers: list[Worker],
        duty_inbox: WorkQueue,
        board: AllocationBoard,
        period_bounds: list[float],
    ) -> None:
        self.ctx = ctx
        self.env = ctx.env
        self.workers = workers
        self.duty_inbox = duty_inbox
        self.board = board
        self.period_bounds = period_bounds
        #: the service in force (changed by the timeline's dated changes)
        self.current = ctx.scenario
        #: transition dips in force: (when it ends, share of effort lost)
        self.dips: list[tuple[float, float]] = []
        self.week_hours = hours_per_week(ctx)
        self.block_days = block_days(ctx.scenario)
        #: called with a post created during the run, once it is open
        self.post_added: list[Callable[[Worker], None]] = []
        #: called with the managers in post whenever they change
        self.managers_changed: list[Callable[[list[Worker]], None]] = []
        self.managers: list[Worker] = []
        self._team_managers: dict[str, list[Worker]] = {}
        self._find_managers()
        #: the posts that may hold cases (outright or co-worked), in post or not
        self.case_holders = [
            w
            for w in workers
            if any(w in group for group in board.may_hold + board.co_worked_leads)
        ]
        self.posts = Posts(
            ctx.env, ctx.calendar, ctx.horizon, self._post_vacated, self._post_filled
        )
        for worker in workers:
            if worker.queue is not duty_inbox:
                self.posts.establish(worker, worker.started_at)

    # -- terms in force --------------------------------------------------------------------
    def apply_grade_terms(self, worker: Worker) -> None:
        """The cap, hours and FTE of the worker's grade in the service now in force."""
        terms = getattr(self.current.workforce.grades, worker.grade)
        worker.caseload_cap = terms.caseload_cap
        worker.full_rate = casework_rate(self.current, worker.grade, self.week_hours)
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

    def add_dip(self, share: float, working_days: float) -> None:
        """Everyone delivers ``share`` less effort for ``working_days`` (dips compound)."""
        ends = self.posts.working_day_after(self.env.now, working_days)
        dip = (ends, share)
        self.dips.append(dip)
        self.apply_productivity()
        if ends == float("inf"):
            return

        def recover(_event: object) -> None:
            self.dips.remove(dip)
            self.apply_productivity()

        self.env.timeout(ends - self.env.now).callbacks.append(recover)

    def refresh(self) -> None:
        """Take up the posts now filled, after a change of holder, grade or team."""
        self.board.configure(self.current, self.workers)
        self._find_managers()

    # -- managers --------------------------------------------------------------------------
    def _find_managers(self) -> None:
        before = [(m.index, m.team) for m in self.managers]
        self.managers = [w for w in self.workers if w.grade == "tm" and w.in_post]
        self._team_managers = {}
        for manager in self.managers:
            self._team_managers.setdefault(manager.team, []).append(manager)
        if before != [(m.index, m.team) for m in self.managers]:
            for listener in self.managers_changed:
                listener(self.managers)

    def manager_for(self, worker: Worker) -> Worker:
        """The least busy team manager of the worker's team (or of any team)."""
        manager = self.supervisor_for(worker)
        return manager if manager is not None else self.any_manager()

    def any_manager(self) -> Worker:
        """The least busy team manager in post; with none in post (every manager post empty
        after a dated change), an open manager post, whose work waits for its holder."""
        if self.managers:
            return min(self.managers, key=lambda w: (w.waiting(), w.index))
        posts = [
            w for w in self.posts.workers.values() if w.grade == "tm" and self.posts.is_open(w)
        ]
        assert posts, "validation ensures a team manager post wherever one is needed"
        return min(posts, key=lambda w: (w.waiting(), w.index))

    def supervisor_for(self, worker: Worker) -> Worker | None:
        """The least busy manager of the worker's team (of any team without one), if any."""
        pool = self._team_managers.get(worker.team) or self.managers
        return min(pool, key=lambda w: (w.waiting(), w.index)) if pool else None

    # -- posts changing during the run ------------------------------------------------------
    def new_post(self, team: str, grade: str, recruitment_lag_wd: float) -> Worker:
        """A post created by a dated change, empty for the recruitment lag."""
        ctx = self.ctx
        terms = getattr(self.current.workforce.grades, grade)
        worker = Worker(
            ctx.env,
            ctx.calendar,
            len(self.workers),
            grade,
            team,
            casework_rate(self.current, grade, self.week_hours),
            terms.caseload_cap,
            self.block_days,
            ctx.measured_from,
            ctx.measured_to,
        )
        worker.fte = terms.fte
        worker.started_at = self.env.now
        track_periods(worker, self.period_bounds)
        self.workers.append(worker)
        if grade in PRACTITIONER_GRADES and terms.caseload_cap > 0:
            self.case_holders.append(worker)
        self.posts.open_vacant(worker, recruitment_lag_wd)
        # The mechanisms take it up once it is open (its absences drawn, its holder supervised):
        # nothing is allocated during a dated change, so a post filled at once does no work yet.
        for listener in self.post_added:
            listener(worker)
        return worker

    def close_post(self, worker: Worker) -> None:
        """A post abolished by a dated change: its cases and its waiting work go elsewhere."""
        self.posts.close(worker)
        waiting = worker.take_all_tasks()
        if worker.grade == "tm":
            self._find_managers()
            for task in waiting:
                self.manager_for(worker).assign(task)
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

    def _post_vacated(self, worker: Worker) -> None:
        for referral in list(worker.held.values()):
            self.hand_on(referral)
        for referral in list(worker.coworked.values()):
            # The co-worker has gone: the oversight they had not given is lost, and the lead
            # carries on alone (as the inspection found co-worked cases often did).
            for task in worker.take_tasks(referral):
                task.cancelled = True
            self.board.drop_coworker(referral)
        self.refresh()
        self.board.allocate()

    def _post_filled(self, worker: Worker) -> None:
        self.apply_grade_terms(worker)
        self.refresh()
        self.board.allocate()
