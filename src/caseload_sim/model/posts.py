"""Posts and who holds them.

Every worker of the model is a *post*, held by a permanent worker, an agency worker or nobody.
A post created by a dated change stays empty for that change's recruitment lag; one abolished
by a change is closed and its holder redeployed. Workforce flow
(:mod:`caseload_sim.model.mechanisms.flow`) adds vacancies at the start, leavers, agency cover
and progression on top of these.

Changes of holder happen at 00:00 of a working day, when nobody is part-way through a block of
work, so no effort is lost or double counted. Each post keeps a history of its holders and
grades, from which the KPIs measure vacancy, agency cover and available time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from caseload_sim.model.results import AGENCY, PERMANENT, VACANT, PostHistory

if TYPE_CHECKING:
    import simpy

    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.model.worktime import Worker


class Posts:
    """The posts of a run and their holders."""

    def __init__(
        self,
        env: simpy.Environment,
        calendar: WorkingCalendar,
        horizon: float,
        on_vacated: Callable[[Worker], None],
        on_filled: Callable[[Worker], None],
    ) -> None:
        self.env = env
        self.calendar = calendar
        self.on_vacated = on_vacated
        self.on_filled = on_filled
        #: what may cover a post while it waits for its recruit (workforce flow offers agency
        #: workers): called with the post and when the recruit starts
        self.offer_cover: Callable[[Worker, float], None] | None = None
        self.history: dict[int, PostHistory] = {}
        self.workers: dict[int, Worker] = {}
        self.holder: dict[int, str] = {}
        #: when a permanent recruit will start in each vacant post
        self.recruit_at: dict[int, float] = {}
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
        self.record(worker, PERMANENT)

    def open_vacant(self, worker: Worker, recruitment_lag_wd: float) -> None:
        """A new post, empty until a recruit starts after the lag (with cover meanwhile if
        :attr:`offer_cover` gives it)."""
        now = self.env.now
        self.workers[worker.index] = worker
        self.history[worker.index] = PostHistory(now)
        worker.vacate()
        self.record(worker, VACANT)
        self.await_recruit(worker, self.working_day_after(now, recruitment_lag_wd))

    def close(self, worker: Worker) -> None:
        """The post is abolished from now (its holder, if any, is redeployed)."""
        if worker.in_post:
            worker.vacate()
            self.on_vacated(worker)
        self.recruit_at.pop(worker.index, None)
        self.holder[worker.index] = VACANT
        self.history[worker.index].established_to = self.env.now

    def is_open(self, worker: Worker) -> bool:
        return self.history[worker.index].established_to == math.inf

    # -- holders changing ------------------------------------------------------------------
    def await_recruit(self, worker: Worker, recruit: float) -> None:
        """A permanent recruit starts in the vacant post at ``recruit``."""
        self.recruit_at[worker.index] = recruit
        if recruit <= self.env.now:
            self.fill(worker, PERMANENT)
            return
        if recruit < math.inf:
            delay = recruit - self.env.now
            self.env.timeout(delay).callbacks.append(self.recruit_starts(worker, recruit))
        if self.offer_cover is not None:
            self.offer_cover(worker, recruit)

    def recruit_starts(self, worker: Worker, recruit: float) -> Callable[[object], None]:
        """What happens when the recruit due at ``recruit`` starts (a timer's callback)."""

        def starts(_event: object) -> None:
            if self.recruit_at.get(worker.index) != recruit or not self.is_open(worker):
                return  # superseded, or the post was abolished
            del self.recruit_at[worker.index]
            if self.holder[worker.index] != AGENCY:
                self.fill(worker, PERMANENT)
                return
            # The agency worker hands the post, and its cases, to the permanent recruit.
            worker.started_at = self.env.now
            worker.trained_from = math.inf  # a new person, not yet trained
            regraded = worker.grade != worker.post_grade
            worker.grade = worker.post_grade
            self.record(worker, PERMANENT)
            if regraded:
                self.on_filled(worker)

        return starts

    def fill(self, worker: Worker, holder: str) -> None:
        """Someone takes up the empty post now."""
        # A new holder comes in at the post's grade (a newly qualified predecessor may have
        # progressed beyond it).
        worker.grade = worker.post_grade
        worker.started_at = self.env.now
        worker.trained_from = math.inf  # a new person, not yet trained
        # Everything the post held was handed on when it fell empty; only rounding is left.
        assert abs(worker.load) < 1e-6, worker.load
        worker.load = 0.0
        self.record(worker, holder)
        worker.fill()
        self.on_filled(worker)

    # -- bookkeeping ---------------------------------------------------------------------------
    def record(self, worker: Worker, holder: str) -> None:
        """A change of holder (or of the holder's grade or start date) from now."""
        self.holder[worker.index] = holder
        self.history[worker.index].changes.append(
            (self.env.now, holder, worker.grade, worker.started_at)
        )

    def amend(self, worker: Worker) -> None:
        """Record a change of grade or start date under the same holder."""
        self.record(worker, self.holder[worker.index])

    def working_day_after(self, time: float, working_days: float) -> float:
        """00:00 of the working day ``working_days`` after the one at or after ``time`` (inf if
        the run ends first)."""
        midnights = self.midnights
        first = int(np.searchsorted(midnights, time - 1e-9))
        target = first + int(round(working_days))
        return float(midnights[target]) if target < len(midnights) else math.inf
