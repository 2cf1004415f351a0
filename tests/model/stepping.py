"""The slow reference of how a worker spends time: the worker of the model before it planned its
day, which steps through the day slice by slice (one SimPy process resume per slice).

Kept only for the tests: ``tests/model/test_worktime.py`` checks, over random days of work,
that the planning worker of :mod:`caseload_sim.model.worktime` completes every piece of work at
the moment this one does.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from caseload_sim.model.staff_member import StaffMember
from caseload_sim.model.work import Task, WorkQueue

if TYPE_CHECKING:
    from caseload_sim.calendar import WorkingCalendar

_EPSILON = 1e-12
_ALLOWANCE_TOLERANCE_HOURS = 1e-6


class SteppingQueue(WorkQueue):
    """The queue of the stepping worker: the model's queue, offering new work as it did."""

    __slots__ = ()

    def push(self, task: Task) -> None:
        """Add new work and make sure someone notices it."""
        heapq.heappush(self._heap, (task.deadline, task.rank, task.seq, task))
        workers: list[Any] = self.workers
        for worker in workers:
            if worker.wake_if_idle():
                return
        # Everyone is busy: the one on the least urgent work switches at their next block boundary.
        key = task.urgency()
        candidates = [w for w in workers if w.may_switch_for(key)]
        if candidates:
            max(candidates, key=lambda w: w.current_urgency()).switch_after_block()


class SteppingWorker(StaffMember):
    """A worker who steps through the day slice by slice, one SimPy process resume per slice."""

    def __init__(
        self,
        env: simpy.Environment,
        calendar: WorkingCalendar,
        index: int,
        grade: str,
        team: str,
        effort_hours_per_day: float,
        caseload_cap: float,
        block_days: float,
        measured_from: float,
        measured_to: float,
        queue: SteppingQueue | None = None,
    ) -> None:
        super().__init__(
            calendar,
            index,
            grade,
            team,
            effort_hours_per_day,
            caseload_cap,
            measured_from,
            measured_to,
        )
        self.env = env
        #: effort delivered per day of working time now (hours/day)
        self.rate = effort_hours_per_day
        self.block_days = block_days
        self.queue = queue if queue is not None else SteppingQueue()
        self.queue.join(self)  # type: ignore[arg-type]  # (a queue of stepping workers)
        self._continuous = calendar.kind == "continuous"
        self._current: Task | None = None
        self._idle: simpy.Event | None = None
        self._switching = False
        self._parked: list[Task] = []
        self._parked_until = math.inf
        self._process = env.process(self._work())

    @property
    def working_on(self) -> Task | None:
        """The task this worker is spending time on now, if any."""
        return self._current

    # -- called by whoever hands out work ---------------------------------------------------
    def assign(self, task: Task) -> None:
        """Give this worker a task of their own."""
        self.queue.push(task)

    def wake_if_idle(self) -> bool:
        idle = self._idle
        if idle is not None and not idle.triggered:
            self._idle = None
            idle.succeed()
            return True
        return False

    def may_switch_for(self, key: tuple[float, int, int]) -> bool:
        current = self._current
        return current is not None and not self._switching and key < current.urgency()

    def current_urgency(self) -> tuple[float, int, int]:
        assert self._current is not None
        return self._current.urgency()

    def switch_after_block(self) -> None:
        self._switching = True
        self._process.interrupt()

    # -- the working loop ---------------------------------------------------------------------
    def _work(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        calendar = self.calendar
        while True:
            now = env.now
            if self._parked and now >= self._parked_until:
                for parked in self._parked:
                    self.queue.put_back(parked)
                self._parked.clear()
                self._parked_until = math.inf
            if not self._continuous:
                start = calendar.next_working_start(now)
                if start > now:
                    yield env.timeout(start - now)
                    continue
            if not self.in_post:
                # A vacant post waits to be filled (``fill`` wakes it).
                self._idle = env.event()
                yield self._idle
                continue
            next_absence = math.inf
            if self.absences:
                back, next_absence = self._absence_at(now)
                if back > now:
                    yield env.timeout(back - now)
                    continue
            task = self.queue.pop()
            if task is None:
                self._idle = env.event()
                if self._parked:
                    timer = env.timeout(self._parked_until - now)
                    timer.callbacks.append(self._wake_from_timer)
                yield self._idle
                continue
            day_end = math.inf if self._continuous else calendar.window_end(now)
            # The rate may change between blocks (a transition dip), never within one.
            rate = self.rate
            # A worker with no casework time (rate 0) holds work without progressing it.
            finish = now + task.remaining_hours / rate if rate > 0 else math.inf
            stop = min(finish, day_end, next_absence)
            paced = task.pace_hours != math.inf
            if paced:
                today = math.floor(now) + 1.0 if self._continuous else day_end
                if task.paced_day != today:
                    task.paced_day = today
                    task.hours_today = 0.0
                allowance = task.pace_hours - task.hours_today
                if allowance <= _ALLOWANCE_TOLERANCE_HOURS:
                    self._park(task, today)
                    continue
                if rate > 0:
                    stop = min(stop, now + allowance / rate)
            self._current = task
            try:
                yield env.timeout(stop - now)
            except simpy.Interrupt:
                # A more urgent task arrived: finish the block under way, then choose again.
                interrupted_at = env.now
                blocks = math.ceil((interrupted_at - now) / self.block_days - _EPSILON)
                stop = min(stop, max(now + blocks * self.block_days, interrupted_at))
                if stop > interrupted_at:
                    yield env.timeout(stop - interrupted_at)
            self._current = None
            self._switching = False
            self._account(task, now, env.now, rate)
            if finish <= stop:
                task.remaining_hours = 0.0
                task.finished = True
                if task.done is not None:
                    task.done.succeed()
                if task.on_done is not None:
                    task.on_done(task)
            else:
                worked = (env.now - now) * rate
                task.remaining_hours = max(task.remaining_hours - worked, 0.0)
                if task.cancelled:
                    continue
                if paced:
                    task.hours_today += worked
                    if task.hours_today >= task.pace_hours - _ALLOWANCE_TOLERANCE_HOURS:
                        self._park(task, task.paced_day)
                        continue
                self.queue.put_back(task)

    def _park(self, task: Task, day_end: float) -> None:
        """Set a case aside until the next working day: it has had its share of today."""
        resume = day_end if self._continuous else self.calendar.next_working_start(day_end)
        self._parked.append(task)
        self._parked_until = min(self._parked_until, resume)

    def _wake_from_timer(self, _event: object) -> None:
        self.wake_if_idle()

    def _account(self, task: Task, start: float, end: float, rate: float) -> None:
        task.hours_worked += (end - start) * rate
        self._add_busy(start, end)

    # -- changes of holder ------------------------------------------------------------------
    def vacate(self) -> None:
        """The holder leaves: the post stops working until :meth:`fill`.

        Only between working days, when no block is under way (dated changes and leavers take
        effect at 00:00 on the england calendar).
        """
        assert self._current is None, "a post can only fall vacant between blocks of work"
        self.in_post = False

    def fill(self) -> None:
        """Someone takes up the post."""
        self.in_post = True
        self.wake_if_idle()

    def take_tasks(self, case: Any) -> list[Task]:
        """Remove and return this worker's waiting tasks for one case (to hand them on)."""
        taken = [entry[3] for entry in self._heap_entries() if entry[3].case is case]
        taken += [task for task in self._parked if task.case is case]
        if taken:
            ids = {id(task) for task in taken}
            self.queue.remove(ids)
            self._parked = [task for task in self._parked if id(task) not in ids]
        return [task for task in taken if not task.cancelled]

    def take_all_tasks(self) -> list[Task]:
        """Remove and return all this worker's waiting tasks (a post abolished)."""
        taken = [entry[3] for entry in self._heap_entries()] + self._parked
        self.queue.remove({id(task) for task in taken})
        self._parked = []
        return [task for task in taken if not task.cancelled]

    def take_time_off(self, spells: list[tuple[float, float]]) -> None:
        """Add spells of absence (leave, sickness, training)."""
        self.add_absences(spells)

    def _heap_entries(self) -> list[tuple[float, int, int, Task]]:
        return self.queue.entries()
