"""A piece of work, and the queue it waits in, most urgent first.

Work is effort (hours), not a fixed delay: a task completes at the moment its remaining effort
reaches zero. The queue orders tasks by urgency (earliest deadline, then highest risk, then
oldest); how a worker spends time on them is :mod:`caseload_sim.model.worktime`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

# What a worker is doing between events (``Worker.activity``).
ASLEEP = 0  # outside working time or away: a timer wakes them
IDLE = 1  # in working time with nothing to do (a new task wakes them)
WORKING = 2  # working through a plan
VACANT = 3  # nobody holds the post (``fill`` wakes it)
CHOOSING = 4  # settling the plan just ended and choosing what is next

if TYPE_CHECKING:
    import simpy

    from caseload_sim.model.engine import Signal
    from caseload_sim.model.mechanisms.recording import Record
    from caseload_sim.model.referral import Contact, Referral
    from caseload_sim.model.worktime import Worker

    #: What a piece of work is about: a contact to screen, a referral's casework, a worker's
    #: supervision session, or a record to write.
    Subject: TypeAlias = "Contact | Referral | Worker | Record"


class Task:
    """A piece of work: remaining effort, a deadline, and who waits for it."""

    __slots__ = (
        "kind",
        "case",
        "remaining_hours",
        "deadline",
        "rank",
        "seq",
        "done",
        "on_done",
        "cancelled",
        "finished",
        "hours_worked",
        "pace_hours",
        "paced_day",
        "hours_today",
    )

    def __init__(
        self,
        kind: str,
        case: Subject,
        effort_hours: float,
        deadline: float,
        rank: int,
        seq: int,
        done: simpy.Event | Signal | None = None,
        on_done: Callable[[Task], None] | None = None,
        pace_hours: float = math.inf,
    ) -> None:
        self.kind = kind
        self.case = case
        self.remaining_hours = effort_hours
        self.deadline = deadline
        self.rank = rank
        self.seq = seq
        self.done = done
        self.on_done = on_done
        self.cancelled = False
        self.finished = False
        self.hours_worked = 0.0
        # At most pace_hours of work a working day: visits, replies from other agencies and the
        # family's availability pace a case, so a worker spreads their day over several cases.
        self.pace_hours = pace_hours
        #: the working day (its end) that ``hours_today`` counts for
        self.paced_day = -1.0
        self.hours_today = 0.0

    def urgency(self) -> tuple[float, int, int]:
        """Sort key: earliest deadline, then highest risk (lowest rank), then oldest."""
        return (self.deadline, self.rank, self.seq)


class WorkQueue:
    """Work waiting for one worker, or for a pool sharing one inbox (the duty screeners)."""

    __slots__ = ("_heap", "workers", "shared")

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, int, Task]] = []
        self.workers: list[Worker] = []
        #: whether a pool of workers takes work from this queue (the duty screeners' inbox)
        self.shared = False

    def __len__(self) -> int:
        return len(self._heap)

    def join(self, worker: Worker) -> None:
        """A worker takes work from this queue from now on."""
        self.workers.append(worker)
        self.shared = len(self.workers) > 1

    def push(self, task: Task) -> None:
        """Add new work and make sure someone notices it."""
        heapq.heappush(self._heap, (task.deadline, task.rank, task.seq, task))
        workers = self.workers
        if not self.shared:
            workers[0].task_arrived(task)
            return
        for worker in workers:
            if worker.activity == IDLE:
                worker.wake()
                return
        # Everyone is busy: the one on the least urgent work, if less urgent than this, switches
        # at their next block boundary.
        chosen = None
        least = task
        now = workers[0].env.now
        for worker in workers:
            if worker.activity != WORKING:
                continue  # (nothing under way: asleep, away, or choosing from an empty plan)
            under_way = worker.switchable_under_way(now)
            # Most work under way is more urgent by deadline alone: that is checked first.
            if (
                under_way is not None
                and under_way.deadline >= least.deadline
                and under_way.urgency() > least.urgency()
            ):
                chosen, least = worker, under_way
        if chosen is not None:
            chosen.switch_after_block()

    def entries(self) -> list[tuple[float, int, int, Task]]:
        return list(self._heap)

    def remove(self, ids: set[int]) -> None:
        """Drop the tasks with these ``id()`` values."""
        self._heap = [entry for entry in self._heap if id(entry[3]) not in ids]
        heapq.heapify(self._heap)

    def put_back(self, task: Task) -> None:
        heapq.heappush(self._heap, (task.deadline, task.rank, task.seq, task))

    def pop(self) -> Task | None:
        """The most urgent live task, or None."""
        heap = self._heap
        while heap:
            task = heapq.heappop(heap)[3]
            if not task.cancelled:
                return task
        return None


def merge_spells(spells: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sorted, separate spells covering the same time as ``spells``."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spells):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
