"""Workforce flow: vacancies, agency cover, leavers, recruitment and progression.

With ``workforce.flow`` enabled, some practitioner posts are vacant at the start; holders leave
at random (leavers per person-year, as the DfE turnover rate; agency workers more often, anyone
more often after a sustained overload); the post's cases are then re-allocated to colleagues,
an agency worker may start after the onboarding lag, and a permanent recruit starts after the
recruitment lag, taking over from any agency worker. Newly qualified social workers become
social workers after their first year. Changes of holder happen at 00:00 of a working day.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from caseload_sim.model.mechanisms.base import Mechanism, mechanism
from caseload_sim.model.results import AGENCY, PERMANENT, VACANT
from caseload_sim.scenario.schema import PRACTITIONER_GRADES

if TYPE_CHECKING:
    from caseload_sim.model.frontdoor import FrontDoor
    from caseload_sim.model.worktime import Worker

#: Grades whose posts turn over (team managers and duty screeners are held fixed).
FLOW_GRADES = PRACTITIONER_GRADES
_DAYS_PER_MONTH = 365.25 / 12.0


class Turnover(Mechanism):
    """Turnover of the practitioner posts."""

    name = "flow"

    def __init__(self, door: FrontDoor) -> None:
        self.settings = door.scenario.workforce.flow
        self.ctx = door.ctx
        self.staff = door.staff
        self.posts = door.staff.posts
        self.rng = door.ctx.streams["workforce"]
        self._sustained_load: dict[int, float] = {}
        self.posts.offer_cover = self.offer_agency

    def start(self) -> None:
        """Vacancies at the start, the first year of the newly qualified, and the daily
        process of leavers, recruits and progression."""
        settings, rng, posts = self.settings, self.rng, self.posts
        env = self.ctx.env
        turning_over = [w for w in posts.workers.values() if w.grade in FLOW_GRADES]
        year = settings.nqsw_progression_months * _DAYS_PER_MONTH
        for worker in turning_over:
            if worker.grade == "nqsw":
                # The newly qualified started at random through their first year.
                worker.started_at = -float(rng.random()) * year
                posts.amend(worker)
        vacant = int(round(len(turning_over) * settings.vacancy_pct_at_start / 100.0))
        chosen: list[int] = (
            rng.choice(len(turning_over), size=vacant, replace=False).tolist() if vacant else []
        )
        lag = settings.recruitment_lag_wd
        for position in sorted(int(p) for p in chosen):
            worker = turning_over[position]
            worker.vacate()
            posts.record(worker, VACANT)
            recruit = posts.working_day_after(0.0, float(rng.random()) * lag)
            posts.recruit_at[worker.index] = recruit
            env.timeout(recruit).callbacks.append(posts.recruit_starts(worker, recruit))
            if rng.random() < settings.agency_cover_pct / 100.0 and recruit > 0:
                posts.fill(worker, AGENCY)
        env.process(self._daily())
        self.staff.refresh()

    def _daily(self) -> Generator[simpy.Event, Any, None]:
        settings, rng, posts = self.settings, self.rng, self.posts
        env = self.ctx.env
        per_day = posts.working_days_per_year
        year = settings.nqsw_progression_months * _DAYS_PER_MONTH
        threshold = settings.overload_threshold_pct / 100.0
        span = settings.overload_sustained_wd
        # Leaving rates are leavers per person-year (as the DfE turnover rate), spread evenly
        # over the working days: the chance of staying through one working day.
        stay = {
            PERMANENT: math.exp(-settings.permanent_leaving_pct_per_year / 100.0 / per_day),
            AGENCY: math.exp(-settings.agency_leaving_pct_per_year / 100.0 / per_day),
        }
        for midnight in posts.midnights.tolist():
            if midnight > env.now:
                yield env.timeout(midnight - env.now)
            now = env.now
            turning_over = [w for w in posts.workers.values() if w.grade in FLOW_GRADES]
            draws = rng.random(len(turning_over)).tolist()
            for worker, draw in zip(turning_over, draws, strict=True):
                holder = posts.holder[worker.index]
                if holder == VACANT or not posts.is_open(worker) or worker.started_at >= now:
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
                    posts.amend(worker)
                    posts.on_filled(worker)  # new grade: new cap and rules

    def _leaves(self, worker: Worker, holder: str) -> None:
        posts = self.posts
        now = self.ctx.env.now
        self.ctx.log.record(now, "holder_left", -1, worker.index, float(holder == AGENCY))
        worker.vacate()
        posts.record(worker, VACANT)
        self._sustained_load.pop(worker.index, None)
        posts.on_vacated(worker)
        if holder == PERMANENT or worker.index not in posts.recruit_at:
            lag = self.settings.recruitment_lag_wd
            posts.await_recruit(worker, posts.working_day_after(now, lag))
        else:
            self.offer_agency(worker, posts.recruit_at[worker.index])

    def offer_agency(self, worker: Worker, recruit: float) -> None:
        """With the cover chance, an agency worker starts in the vacant post after onboarding,
        if before the permanent recruit."""
        if worker.grade not in FLOW_GRADES:
            return
        settings, posts = self.settings, self.posts
        env = self.ctx.env
        if self.rng.random() >= settings.agency_cover_pct / 100.0:
            return
        starts = posts.working_day_after(env.now, settings.agency_onboarding_wd)
        if starts >= recruit:
            return

        def agency_starts(_event: object) -> None:
            if posts.holder[worker.index] == VACANT and posts.is_open(worker):
                posts.fill(worker, AGENCY)

        env.timeout(starts - env.now).callbacks.append(agency_starts)


@mechanism("flow")
def _flow(door: FrontDoor) -> Mechanism | None:
    return Turnover(door) if door.scenario.workforce.flow.enabled else None
