"""Posts and who holds them: vacancies, agency cover, leavers, recruitment and progression.

Every worker of the model is a *post*. A post is held by a permanent worker, by an agency
worker, or by nobody. With ``workforce.flow`` enabled, holders of case-holding posts leave at
random (agency workers more often, anyone more often after a sustained overload); the post's
cases are then re-allocated to colleagues (:meth:`~caseload_sim.model.allocation.AllocationBoard.
transfer`), an agency worker may start after the onboarding lag, and a permanent recruit starts
after the recruitment lag, taking over from any agency worker. Newly qualified social workers
become social workers after their first year. A post created by a dated change stays empty for
that change's recruitment lag.

Changes of holder happen at 00:00 of a working day, when nobody is part-way through a block of
work, so no effort is lost or double counted. Each post keeps a history of its holders and
grades, from which the KPIs measure vacancy, agency cover and available time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import simpy

    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.metrics.events import EventLog
    from caseload_sim.model.worktime import Worker
    from caseload_sim.scenario.schema import WorkforceFlow

PERMANENT = "permanent"
AGENCY = "agency"
VACANT = ""
#: Grades whose posts turn over (team managers and duty screeners are held fixed).
FLOW_GRADES = ("swa", "nqsw", "sw", "sp")
_DAYS_PER_MONTH = 365.25 / 12.0


@dataclass
class PostHistory:
    """Who held a post and at what grade, from when: ``(time, holder, grade, started_at)``."""

    established_from: float
    established_to: float = math.inf
    changes: list[tuple[float, str, str, float]] = field(default_factory=list)

    def spells(
        self, start: float, end: float, holders: tuple[str, ...]
    ) -> list[tuple[float, float]]:
        """Times within [start, end] when the post existed and was held by one of ``holders``."""
        result = []
        changes = self.changes
        for position, (time, holder, _grade, _since) in enumerate(changes):
            until = changes[position + 1][0] if position + 1 < len(changes) else math.inf
            a = max(time, start, self.established_from)
            b = min(until, end, self.established_to)
            if holder in holders and b > a:
                result.append((a, b))
        return result


class Posts:
    """The posts of a run, their holders, and (with flow enabled) their turnover."""

    def __init__(
        self,
        env: simpy.Environment,
        calendar: WorkingCalendar,
        horizon: float,
        settings: WorkforceFlow,
        rng: np.random.Generator,
        on_vacated: Callable[[Worker], None],
        on_filled: Callable[[Worker], None],
        log: EventLog,
    ) -> None:
        self.env = env
        self.log = log
        self.calendar = calendar
        self.settings = settings
        self.rng = rng
        self.on_vacated = on_vacated
        self.on_filled = on_filled
        self.history: dict[int, PostHistory] = {}
        self.workers: dict[int, Worker] = {}
        self.holder: dict[int, str] = {}
        #: when a permanent recruit will start in each vacant post
        self._recruit_at: dict[int, float] = {}
        self._sustained_load: dict[int, float] = {}
        self.leavers: list[tuple[float, int, str]] = []
        starts = calendar.working_windows(0.0, horizon)[0] if horizon > 0 else np.zeros(0)
        #: 00:00 of each working day of the run: when holders change
        self.midnights = np.floor(np.asarray(starts, dtype=float))
        self.working_days_per_year = calendar.working_days_in_year_from(calendar.start_date)

    # -- establishment ---------------------------------------------------------------------
    def establish(self, worker: Worker, started_at: float) -> None:
        """A post filled by a permanent holder from now (or from the start of the run)."""
        now = self.env.now
        self.workers[worker.index] = worker
        self.history[worker.index] = PostHistory(now)
        worker.started_at = started_at
        self._record(worker, PERMANENT)

    def open_vacant(self, worker: Worker, recruitment_lag_wd: float) -> None:
        """A new post, empty until a recruit starts after the lag (agency cover meanwhile as
        the flow settings say)."""
        now = self.env.now
        self.workers[worker.index] = worker
        self.history[worker.index] = PostHistory(now)
        worker.vacate()
        self._record(worker, VACANT)
        self._await_recruit(worker, self.working_day_after(now, recruitment_lag_wd))

    def close(self, worker: Worker) -> None:
        """The post is abolished from now (its holder, if any, is redeployed)."""
        if worker.in_post:
            worker.vacate()
            self.on_vacated(worker)
        self._recruit_at.pop(worker.index, None)
        self.holder[worker.index] = VACANT
        self.history[worker.index].established_to = self.env.now

    def is_open(self, worker: Worker) -> bool:
        return self.history[worker.index].established_to == math.inf

    # -- the start of a run with flow ------------------------------------------------------
    def start_flow(self) -> None:
        """Vacancies at the start, the first year of the newly qualified, and the daily
        process of leavers, recruits and progression."""
        settings, rng = self.settings, self.rng
        posts = [w for w in self.workers.values() if w.grade in FLOW_GRADES]
        year = settings.nqsw_progression_months * _DAYS_PER_MONTH
        for worker in posts:
            if worker.grade == "nqsw":
                # The newly qualified started at random through their first year.
                worker.started_at = -float(rng.random()) * year
                self._amend(worker)
        vacant = int(round(len(posts) * settings.vacancy_pct_at_start / 100.0))
        chosen: list[int] = (
            rng.choice(len(posts), size=vacant, replace=False).tolist() if vacant else []
        )
        lag = settings.recruitment_lag_wd
        for position in sorted(int(p) for p in chosen):
            worker = posts[position]
            worker.vacate()
            self._record(worker, VACANT)
            recruit = self.working_day_after(0.0, float(rng.random()) * lag)
            self._recruit_at[worker.index] = recruit
            self.env.timeout(recruit).callbacks.append(self._recruit_starts(worker, recruit))
            if rng.random() < settings.agency_cover_pct / 100.0 and recruit > 0:
                self._fill(worker, AGENCY)
        self.env.process(self._daily())

    def _daily(self) -> Generator[simpy.Event, Any, None]:
        settings, rng = self.settings, self.rng
        per_day = self.working_days_per_year
        year = settings.nqsw_progression_months * _DAYS_PER_MONTH
        threshold = settings.overload_threshold_pct / 100.0
        span = settings.overload_sustained_wd
        # Leaving rates are leavers per person-year (as the DfE turnover rate), spread evenly
        # over the working days: the chance of staying through one working day.
        stay = {
            PERMANENT: math.exp(-settings.permanent_leaving_pct_per_year / 100.0 / per_day),
            AGENCY: math.exp(-settings.agency_leaving_pct_per_year / 100.0 / per_day),
        }
        for midnight in self.midnights.tolist():
            if midnight > self.env.now:
                yield self.env.timeout(midnight - self.env.now)
            now = self.env.now
            posts = [w for w in self.workers.values() if w.grade in FLOW_GRADES]
            draws = rng.random(len(posts)).tolist()
            for worker, draw in zip(posts, draws, strict=True):
                holder = self.holder[worker.index]
                if holder == VACANT or not self.is_open(worker) or worker.started_at >= now:
                    continue  # nobody there, or someone who starts today (and stays today)
                ratio = worker.load / worker.caseload_cap if worker.caseload_cap > 0 else 0.0
                sustained = self._sustained_load.get(worker.index, ratio)
                sustained += (ratio - sustained) / span
                self._sustained_load[worker.index] = sustained
                hazard = 1.0 + (settings.overload_leaving_effect if sustained >= threshold else 0.0)
                leaves = draw >= stay[holder] ** hazard
                if leaves:
                    self._leaves(worker, holder)
                elif (
                    worker.grade == "nqsw"
                    and holder == PERMANENT
                    and now - worker.started_at >= year
                ):
                    worker.grade = "sw"
                    self._amend(worker)
                    self.on_filled(worker)  # new grade: new cap and rules

    def _leaves(self, worker: Worker, holder: str) -> None:
        now = self.env.now
        settings = self.settings
        self.leavers.append((now, worker.index, holder))
        self.log.record(now, "holder_left", -1, worker.index, float(holder == AGENCY))
        worker.vacate()
        self._record(worker, VACANT)
        self._sustained_load.pop(worker.index, None)
        self.on_vacated(worker)
        if holder == PERMANENT or worker.index not in self._recruit_at:
            self._await_recruit(worker, self.working_day_after(now, settings.recruitment_lag_wd))
        else:
            self._offer_agency(worker, self._recruit_at[worker.index])

    def _await_recruit(self, worker: Worker, recruit: float) -> None:
        self._recruit_at[worker.index] = recruit
        if recruit <= self.env.now:
            self._fill(worker, PERMANENT)
            return
        if recruit < math.inf:
            delay = recruit - self.env.now
            self.env.timeout(delay).callbacks.append(self._recruit_starts(worker, recruit))
        if self.settings.enabled and worker.grade in FLOW_GRADES:
            self._offer_agency(worker, recruit)

    def _offer_agency(self, worker: Worker, recruit: float) -> None:
        """With the cover chance, an agency worker starts after onboarding, if before the
        permanent recruit."""
        settings = self.settings
        if self.rng.random() >= settings.agency_cover_pct / 100.0:
            return
        starts = self.working_day_after(self.env.now, settings.agency_onboarding_wd)
        if starts >= recruit:
            return

        def agency_starts(_event: object) -> None:
            if self.holder[worker.index] == VACANT and self.is_open(worker):
                self._fill(worker, AGENCY)

        self.env.timeout(starts - self.env.now).callbacks.append(agency_starts)

    def _recruit_starts(self, worker: Worker, recruit: float) -> Callable[[object], None]:
        def starts(_event: object) -> None:
            if self._recruit_at.get(worker.index) != recruit or not self.is_open(worker):
                return  # superseded, or the post was abolished
            del self._recruit_at[worker.index]
            if self.holder[worker.index] == AGENCY:
                # The agency worker hands the post, and its cases, to the permanent recruit.
                worker.started_at = self.env.now
                worker.trained_from = math.inf  # a new person, not yet trained
                regraded = worker.grade != worker.post_grade
                worker.grade = worker.post_grade
                self._record(worker, PERMANENT)
                if regraded:
                    self.on_filled(worker)
            else:
                self._fill(worker, PERMANENT)

        return starts

    def _fill(self, worker: Worker, holder: str) -> None:
        # A new holder comes in at the post's grade (a newly qualified predecessor may have
        # progressed beyond it).
        worker.grade = worker.post_grade
        worker.started_at = self.env.now
        worker.trained_from = math.inf  # a new person, not yet trained
        # Everything the post held was handed on when it fell empty; only rounding is left.
        assert abs(worker.load) < 1e-6, worker.load
        worker.load = 0.0
        self._record(worker, holder)
        worker.fill()
        self.on_filled(worker)

    # -- bookkeeping ---------------------------------------------------------------------------
    def _record(self, worker: Worker, holder: str) -> None:
        self.holder[worker.index] = holder
        self.history[worker.index].changes.append(
            (self.env.now, holder, worker.grade, worker.started_at)
        )

    def _amend(self, worker: Worker) -> None:
        """Record a change of grade or start date under the same holder."""
        self._record(worker, self.holder[worker.index])

    def working_day_after(self, time: float, working_days: float) -> float:
        """00:00 of the working day ``working_days`` after the one at or after ``time`` (inf if
        the run ends first)."""
        midnights = self.midnights
        first = int(np.searchsorted(midnights, time - 1e-9))
        target = first + int(round(working_days))
        return float(midnights[target]) if target < len(midnights) else math.inf
