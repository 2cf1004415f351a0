"""How a worker spends working time: effort shared across the work they hold, most urgent first.

Each worker takes the most urgent piece of work in their queue (:mod:`caseload_sim.model.work`)
and gives it at least one block of working time before choosing again; a piece completes at the
moment its remaining effort reaches zero. A worker holding twice the work therefore takes about
twice as long over each piece.

A case is paced: it takes at most its daily share of the worker's time (visits and replies from
other agencies pace it), so a worker spreads the day over the cases held. The working day is
therefore worked out rather than stepped through: from any moment the worker fills the rest of
the working window in urgency order, each case taking what it may, and only the next completion
(or the window's end) is an event. The plan changes when something changes it: a more urgent task
arrives (the worker finishes the block under way, then chooses again), a less urgent one takes its
place in the plan, tasks are taken away, or the worker's time changes (from the end of the
stretch under way, as a worker finishes what they are doing). A timer that a changed plan no
longer needs finds it is no longer the worker's timer and does nothing.

What is planned is taken into account (effort spent, busy time, a case's share of the day) when
the plan's time has passed, at the worker's next event, exactly as if the day had been stepped
through stretch by stretch.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import simpy

from caseload_sim.model.day_plan import FINISHES, GOES_ON, DayPlan
from caseload_sim.model.staff_member import StaffMember
from caseload_sim.model.work import ASLEEP, CHOOSING, IDLE, VACANT, WORKING, Task, WorkQueue

if TYPE_CHECKING:
    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.model.work import Subject

__all__ = ["Worker"]

_EPSILON = 1e-12
_INF = math.inf


class Worker(StaffMember):
    """A member of staff whose working time is spent on the work in their queue."""

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
        queue: WorkQueue | None = None,
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
        self._rate = effort_hours_per_day
        self.block_days = block_days
        self.queue = queue if queue is not None else WorkQueue()
        self.queue.join(self)
        self._continuous = calendar.kind == "continuous"
        self.plan = DayPlan(self.queue, self._continuous)
        #: what the worker is doing between events (ASLEEP, IDLE, WORKING, ... of
        #: :mod:`caseload_sim.model.work`)
        self.activity = ASLEEP
        self._timer: simpy.Event | None = None
        self._timer_at = _INF
        #: a more urgent task waits for the block under way to end (at this time)
        self._switching_at = -_INF
        # The working window last planned in: [start, end).
        self._window = (_INF, -_INF)
        self._set_timer(env.now)

    # -- what others see ---------------------------------------------------------------------
    @property
    def rate(self) -> float:
        """Effort delivered per day of working time now (hours/day)."""
        return self._rate

    @rate.setter
    def rate(self, value: float) -> None:
        if value != self._rate:
            self._rate = value
            self._availability_changed()

    @property
    def working_on(self) -> Task | None:
        """The task this worker is spending time on now, if any."""
        plan = self.plan
        current = plan.current(self.env.now)
        return plan.stretches[current][0] if current >= 0 else None

    def in_hand(self) -> int:
        """How many tasks this worker has taken up and not yet finished or put back."""
        plan = self.plan
        return len(plan.stretches) - plan.next

    def waiting(self) -> int:
        """How many tasks wait for this worker (not counting the one under way)."""
        now = self.env.now
        self._catch_up(now)
        return len(self.queue) + self.plan.waiting(now)

    # -- called by whoever hands out work ---------------------------------------------------
    def assign(self, task: Task) -> None:
        """Give this worker a task of their own."""
        self.queue.push(task)

    def task_arrived(self, task: Task) -> None:
        """A task has been put in this worker's own queue: take it up now if free, switch to it
        at the end of the block under way if more urgent, or else give it its place in the
        plan."""
        state = self.activity
        if state == IDLE:
            self._wake()
            return
        if state != WORKING:
            return  # asleep, vacant or choosing: the task waits in the queue
        now = self.env.now
        plan = self.plan
        current = plan.current(now)
        if current < 0:
            if now < self._timer_at:
                self._wake()  # the day's work had run out: take this up now
            return  # (or the plan ends now, and its timer chooses again)
        if self._switching_at >= now:
            return  # the worker chooses again at the end of the block under way
        stretches = plan.stretches
        key = task.urgency()
        if key < stretches[current][0].urgency():
            self._switch(current, now)
            return
        # The plan after the stretch under way is in urgency order: the task goes before the
        # first planned task less urgent than it.
        # (By deadline first, the full urgency only on a tie: plans can be long.)
        position = current + 1
        deadline = task.deadline
        count = len(stretches)
        while position < count:
            other = stretches[position][0]
            if other.deadline < deadline or (other.deadline == deadline and other.urgency() < key):
                position += 1
            else:
                break
        if position < count:
            plan.give_back_from(position)
            plan.fill(stretches[position - 1][2])
        elif plan.open:
            plan.fill(stretches[-1][2])
        else:
            return  # the plan ends before the task's turn; it is chosen then
        self._plan_timer()

    def wake(self) -> None:
        """Take up work now (a free worker offered a task from a shared inbox)."""
        self._wake()

    def switchable_under_way(self, now: float) -> Task | None:
        """The work under way at ``now``, if the worker may still switch from it."""
        if self._switching_at >= now:
            return None
        plan = self.plan
        current = plan.current(now)
        return plan.stretches[current][0] if current >= 0 else None

    def switch_after_block(self) -> None:
        """A more urgent task waits: finish the block under way, then choose again."""
        now = self.env.now
        self._switch(self.plan.current(now), now)

    # -- the plan ---------------------------------------------------------------------------------
    def _switch(self, current: int, now: float) -> None:
        stretches = self.plan.stretches
        task, start, end, ending, day = stretches[current]
        blocks = math.ceil((now - start) / self.block_days - _EPSILON)
        boundary = max(start + blocks * self.block_days, now)
        if boundary < end:
            stretches[current] = (task, start, boundary, GOES_ON, day)
            end = boundary
        self.plan.give_back_from(current + 1)
        self._switching_at = end
        self._set_timer(end)

    def _set_timer(self, at: float) -> None:
        if at == self._timer_at:
            return
        self._timer_at = at
        if at == _INF:
            self._timer = None
            return
        now = self.env.now
        delay = at - now
        while now + delay < at:
            # The clock must not stop a rounding error short of the time planned: the plan's
            # times are what the worker goes by. (A step or two at most: the difference is
            # exact unless ``at`` is over twice ``now``, and then a step of the delay is about
            # one of ``at``.)
            delay = math.nextafter(delay, _INF)
        timer = self.env.timeout(delay)
        timer.callbacks.append(self._on_timer)
        self._timer = timer

    def _on_timer(self, event: simpy.Event) -> None:
        if event is self._timer:  # else a plan that has since changed
            self._timer = None
            self._timer_at = _INF
            self._wake()

    def _settle(self, until: float, firing: bool) -> list[Task]:
        finished, first, last = self.plan.settle(until, firing)
        if last > first:
            self._add_busy(first, last)
        return finished

    def _wake(self) -> None:
        """Take into account everything planned up to now; go on with the plan, or plan from
        now."""
        now = self.env.now
        self._switching_at = -_INF
        if not self.plan.stretches:  # nothing planned: free, or starting the day
            self.activity = CHOOSING
            self._plan_from(now)
            return
        finished = self._settle(now, True)
        if self.plan.stretches:
            # The plan goes on past a piece just finished: what that brings this worker takes
            # its place in the plan (or, if more urgent, is chosen now), as when a worker
            # finishes something and looks at what is next.
            self._plan_timer()
            self._finished(finished)
            return
        # Whatever finishing brings waits in the queue and is chosen below.
        self.activity = CHOOSING
        if finished:
            self._finished(finished)
        self._plan_from(now)

    @staticmethod
    def _finished(finished: list[Task]) -> None:
        """Tell whoever waits for these tasks that they are done."""
        for task in finished:
            if task.done is not None:
                task.done.succeed()
            if task.on_done is not None:
                task.on_done(task)

    def _plan_from(self, now: float) -> None:
        """Plan the rest of the working window from ``now``, or sleep until working time."""
        plan = self.plan
        plan.bring_back(now)
        window_start, window_end = self._window
        if not window_start <= now < window_end:
            if self._continuous:
                self._window = (now, _INF)
            else:
                calendar = self.calendar
                window_start = calendar.next_working_start(now)
                if window_start > now:
                    self.activity = ASLEEP
                    self._set_timer(window_start)
                    return
                window_end = calendar.window_end(now)
                self._window = (now, window_end)
                plan.day = window_end
                plan.back = calendar.next_working_start(window_end)
        if not self.in_post:
            self.activity = VACANT
            self._set_timer(_INF)
            return
        limit = self._window[1]
        if self.absences:
            back, next_absence = self._absence_at(now)
            if back > now:
                self.activity = ASLEEP
                self._set_timer(back)
                return
            limit = min(limit, next_absence)
        plan.start(self._rate, limit)
        plan.fill(now)
        if plan.open and self.queue.shared:
            # In a shared inbox a plan that ran out of work holds only cases set aside just now:
            # set them aside, so that a free worker in a pool is always an idle one.
            self._settle(now, True)
        if plan.stretches:
            self.activity = WORKING
            self._plan_timer()
        else:
            self.activity = IDLE
            self._set_timer(plan.parked_until)

    def _plan_timer(self) -> None:
        """Wake when the next planned task finishes, or at the plan's end: when the window ends
        (then at the next working window), or a case set aside comes back."""
        plan = self.plan
        for piece in plan.stretches[plan.next :]:
            if piece[3] == FINISHES:
                self._set_timer(piece[2])
                return
        if plan.open:
            self._set_timer(plan.resume_at)
            return
        last = plan.stretches[-1]
        end = last[2]
        if last[3] != FINISHES and end >= self._window[1] and not self.queue.shared:
            # Nothing happens at the window's end but sleep (in a shared inbox, what is left
            # goes back to the inbox for whoever starts first the next day).
            end = plan.back
        self._set_timer(end)

    def _availability_changed(self) -> None:
        """The rate or the absences changed: the plan after the stretch under way is made again
        when it ends."""
        if self.activity != WORKING:
            return
        self._plan_again_after_current(self.env.now)

    def _plan_again_after_current(self, now: float) -> None:
        """Give back what is planned after the stretch under way (all of it, if that stretch
        begins only now), and choose again when that stretch ends."""
        plan = self.plan
        current = plan.current(now)
        if current < 0:
            return
        stretches = plan.stretches
        if stretches[current][1] < now:
            plan.give_back_from(current + 1)
            self._set_timer(stretches[current][2])
            return
        position = current
        while position > plan.next and stretches[position - 1][1] >= now:
            position -= 1
        plan.give_back_from(position)
        self._set_timer(now)

    def finish_run(self, until: float) -> None:
        """Count the stretches that ended before the run did (their busy time)."""
        self._settle(until, False)

    # -- changes of holder and of work held ---------------------------------------------------
    def vacate(self) -> None:
        """The holder leaves: the post stops working until :meth:`fill`.

        Only between working days, when no block is under way (dated changes and leavers take
        effect at 00:00 on the england calendar).
        """
        assert self.working_on is None, "a post can only fall vacant between blocks of work"
        self.in_post = False
        if self.activity == IDLE:
            self.activity = VACANT

    def fill(self) -> None:
        """Someone takes up the post."""
        self.in_post = True
        if self.activity == VACANT:
            self._wake()

    def _hand_back_plan(self) -> None:
        """Before tasks change hands: take into account what is done and return to the queue
        what is only planned (the stretch under way goes on)."""
        if self.activity != WORKING:
            return
        now = self.env.now
        self._catch_up(now)
        self._plan_again_after_current(now)
        self._rest_if_nothing_planned(now)

    def _catch_up(self, now: float) -> None:
        """Take into account the stretches that ended before now, as the worker stepping
        through the day would have by now (those ending just now are for the timer due now)."""
        if self.activity != WORKING:
            return
        self._settle(now, False)
        self._rest_if_nothing_planned(now)

    def _rest_if_nothing_planned(self, now: float) -> None:
        """With the plan used up outside a wake: free in working time, else asleep (the timer
        already set wakes the worker)."""
        if not self.plan.stretches:
            self.activity = IDLE if now < self._window[1] else ASLEEP

    def take_tasks(self, case: Subject) -> list[Task]:
        """Remove and return this worker's waiting tasks for one case (to hand them on)."""
        self._hand_back_plan()
        parked = self.plan.parked
        taken = [entry[3] for entry in self.queue.entries() if entry[3].case is case]
        taken += [task for task in parked if task.case is case]
        if taken:
            ids = {id(task) for task in taken}
            self.queue.remove(ids)
            self.plan.unpark([task for task in parked if id(task) not in ids])
        return [task for task in taken if not task.cancelled]

    def take_all_tasks(self) -> list[Task]:
        """Remove and return all this worker's waiting tasks (a post abolished)."""
        self._hand_back_plan()
        taken = [entry[3] for entry in self.queue.entries()] + self.plan.parked
        self.queue.remove({id(task) for task in taken})
        self.plan.unpark([])
        return [task for task in taken if not task.cancelled]

    def take_time_off(self, spells: list[tuple[float, float]]) -> None:
        """Add spells of absence (leave, sickness, training)."""
        self.add_absences(spells)
        self._availability_changed()
