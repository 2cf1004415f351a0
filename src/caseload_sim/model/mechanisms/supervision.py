"""Supervision: team managers' sessions with the workers they manage.

Standard 5 of the LGA Standards for Employers of Social Workers asks for supervision weekly for a
newly qualified worker's first six weeks, fortnightly to six months, then at least monthly, in
sessions of about 1.5 hours. Each session falls due one standard interval after the last; the
manager is given it as a piece of work due on that day, competing with strategy discussions by
urgency, and the worker spends the same time. A session is held when the manager has done it,
so an overloaded manager supervises late: the finding of the 2010 inspection that some staff had
no formal supervision for months.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from caseload_sim.model.mechanisms.base import Mechanism, mechanism
from caseload_sim.model.work import Task
from caseload_sim.model.worktime import Worker
from caseload_sim.scenario.schema import PRACTITIONER_GRADES, TIERS

if TYPE_CHECKING:
    from caseload_sim.model.frontdoor import FrontDoor
    from caseload_sim.scenario.schema import Supervision

# At equal deadlines supervision gives way to casework of every tier.
_RANK = len(TIERS)


class SupervisionSchedule(Mechanism):
    """Sessions for every supervised worker, and when each was held."""

    name = "supervision"

    def __init__(
        self,
        env: simpy.Environment,
        settings: Supervision,
        workers: list[Worker],
        seq: itertools.count[int],
        manager_for: Callable[[Worker], Worker | None],
    ) -> None:
        self.env = env
        self.settings = settings
        self._seq = seq
        self._workers = workers
        #: who supervises a worker whose manager has gone (a post abolished by a dated change)
        self.manager_for = manager_for
        self.sessions: dict[int, list[float]] = {}
        #: each supervised worker's manager (dealt again when the managers in post change)
        self.assigned: dict[int, Worker] = {}
        self.supervisees = [w for w in workers if w.grade in PRACTITIONER_GRADES]
        for worker in self.supervisees:
            self.sessions[worker.index] = []

    def start(self) -> None:
        caseload = self.deal([w for w in self._workers if w.grade == "tm"])
        for supervised in caseload.values():
            for order, worker in enumerate(supervised):
                # A manager's first sessions are spread across the first interval, not all due
                # on one day.
                first = (order + 1) / len(supervised)
                self.env.process(self._cycle(worker, first))

    def managers_changed(self, managers: list[Worker]) -> None:
        self.deal(managers)

    def post_added(self, worker: Worker) -> None:
        if worker.grade in PRACTITIONER_GRADES:
            self.add(worker)

    def results(self) -> dict[str, np.ndarray]:
        workers = [index for index, held in self.sessions.items() for _ in held]
        times = [time for held in self.sessions.values() for time in held]
        return {
            "supervised": np.array(list(self.sessions), dtype=np.int64),
            "worker": np.array(workers, dtype=np.int64),
            "held_at": np.array(times, dtype=float),
        }

    def deal(self, managers: list[Worker]) -> dict[int, list[Worker]]:
        """Share the supervised workers among the managers: each team's in turn among its
        managers (among all managers for a team without one). Returns each manager's list."""
        by_team: dict[str, list[Worker]] = {}
        for manager in managers:
            by_team.setdefault(manager.team, []).append(manager)
        turn: dict[str, int] = {}
        caseload: dict[int, list[Worker]] = {}
        self.assigned = {}
        for worker in self.supervisees:
            pool = by_team.get(worker.team) or managers
            if not pool:
                continue  # nobody to supervise them: the KPIs will show it
            position = turn.get(worker.team, 0)
            turn[worker.team] = position + 1
            manager = pool[position % len(pool)]
            self.assigned[worker.index] = manager
            caseload.setdefault(manager.index, []).append(worker)
        return caseload

    def add(self, worker: Worker) -> None:
        """A post created during the run: its holder is supervised from their start."""
        self.sessions[worker.index] = []
        self.supervisees.append(worker)
        manager = self.manager_for(worker)
        if manager is not None:
            self.assigned[worker.index] = manager
        self.env.process(self._cycle(worker, 1.0))

    def out_of_standard(self, worker: Worker, now: float) -> bool:
        """Whether the worker's last session (or their start) is longer ago than the standard."""
        held = self.sessions.get(worker.index)
        if held is None:
            return False  # not a supervised grade
        last = max(held[-1] if held else 0.0, worker.started_at)
        allowed = self.settings.interval_days(worker.grade, last, worker.started_at)
        return now - last > allowed + 1e-9

    def _cycle(self, worker: Worker, first_fraction: float) -> Generator[simpy.Event, Any, None]:
        env, settings = self.env, self.settings
        last = env.now
        fraction = first_fraction
        while True:
            allowed = settings.interval_days(worker.grade, last, worker.started_at)
            due = last + fraction * allowed
            fraction = 1.0
            if due > env.now:
                yield env.timeout(due - env.now)
            if not worker.in_post:
                # A vacant post is not supervised; its next holder is, from their start.
                while not worker.in_post:
                    yield env.timeout(1.0)
                last = max(env.now, worker.started_at)
                continue
            manager = self.assigned.get(worker.index)
            if manager is None or not manager.in_post:
                manager = self.manager_for(worker)
            if manager is None:
                yield env.timeout(1.0)  # no manager in post anywhere: try again tomorrow
                continue
            held = env.event()
            # Sessions that give way to casework are due "never": done only when nothing else is.
            deadline = math.inf if settings.gives_way_to_casework else due
            manager.assign(
                Task(
                    "supervision",
                    worker,
                    settings.session_hours,
                    deadline,
                    _RANK,
                    next(self._seq),
                    done=held,
                )
            )
            worker.assign(
                Task("supervised", worker, settings.session_hours, deadline, _RANK, next(self._seq))
            )
            yield held
            last = env.now
            self.sessions[worker.index].append(last)


@mechanism("supervision")
def _supervision(door: FrontDoor) -> Mechanism | None:
    settings = door.scenario.workforce.supervision
    if not settings.enabled:
        return None
    ctx, staff = door.ctx, door.staff
    return SupervisionSchedule(ctx.env, settings, staff.workers, ctx.seq, staff.supervisor_for)
