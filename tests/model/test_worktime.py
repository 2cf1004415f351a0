"""How a worker spends time: effort, working hours, urgency, blocks and pacing."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import simpy

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.model.work import Task, WorkQueue
from caseload_sim.model.worktime import Worker

START = dt.date(2010, 4, 6)  # a Tuesday after Easter Monday
CONTINUOUS = WorkingCalendar("continuous", START, 400)
ENGLAND = WorkingCalendar("england", START, 400, day_start_hour=9.0, hours_per_day=7.4)
HOUR = 1 / 24


def make_worker(
    calendar: WorkingCalendar,
    rate_per_hour: float = 1.0,
    block_hours: float = 3.7,
    queue: WorkQueue | None = None,
    env: simpy.Environment | None = None,
) -> tuple[simpy.Environment, Worker]:
    env = env or simpy.Environment()
    worker = Worker(
        env,
        calendar,
        0,
        "sw",
        "team",
        rate_per_hour * 24,
        100.0,
        block_hours * HOUR,
        0.0,
        400.0,
        queue=queue,
    )
    return env, worker


def task(
    env: simpy.Environment,
    hours: float,
    deadline: float,
    seq: int,
    rank: int = 2,
    pace: float = math.inf,
) -> Task:
    return Task(
        "initial_assessment", None, hours, deadline, rank, seq, done=env.event(), pace_hours=pace
    )


def completion_times(env: simpy.Environment, tasks: list[Task], until: float) -> list[float]:
    finished: dict[int, float] = {}
    for t in tasks:
        t.done.callbacks.append(lambda _e, t=t: finished.__setitem__(t.seq, env.now))
    env.run(until=until)
    return [finished.get(t.seq, math.nan) for t in tasks]


def test_a_task_completes_when_its_effort_is_spent_not_at_a_block_end() -> None:
    env, worker = make_worker(CONTINUOUS, rate_per_hour=0.5)
    job = task(env, 3.0, 10.0, 0)
    worker.assign(job)
    (done,) = completion_times(env, [job], 5)
    assert done == pytest.approx(6 * HOUR)  # 3 hours of effort at half speed
    assert job.hours_worked == pytest.approx(3.0)


def test_work_stops_outside_working_hours() -> None:
    env, worker = make_worker(ENGLAND)
    job = task(env, 10.0, 30.0, 0)
    worker.assign(job)  # at midnight on Tuesday 6 April
    (done,) = completion_times(env, [job], 10)
    # 7.4 hours on Tuesday (09:00-16:24), the remaining 2.6 on Wednesday from 09:00.
    assert done == pytest.approx(1 + (9 + 2.6) * HOUR)


def test_the_most_urgent_task_is_done_first() -> None:
    env, worker = make_worker(CONTINUOUS)
    late = task(env, 5.0, 20.0, 0)
    soon = task(env, 5.0, 2.0, 1)
    worker.assign(late)
    worker.assign(soon)
    done_late, done_soon = completion_times(env, [late, soon], 5)
    assert done_soon == pytest.approx(5 * HOUR)
    assert done_late == pytest.approx(10 * HOUR)


def test_equal_deadlines_go_by_risk_then_arrival() -> None:
    env, worker = make_worker(CONTINUOUS)
    cin = task(env, 1.0, 3.0, 0, rank=2)
    cp = task(env, 1.0, 3.0, 1, rank=1)
    later_cp = task(env, 1.0, 3.0, 2, rank=1)
    for t in (cin, later_cp, cp):
        worker.assign(t)
    done = completion_times(env, [cp, later_cp, cin], 5)
    assert done == pytest.approx([1 * HOUR, 2 * HOUR, 3 * HOUR])


def test_an_urgent_arrival_waits_for_the_end_of_the_block_then_switches() -> None:
    env, worker = make_worker(CONTINUOUS, block_hours=4.0)
    long_job = task(env, 10.0, 20.0, 0)
    worker.assign(long_job)
    urgent = task(env, 1.0, 1.0, 1, rank=0)

    def arrive() -> simpy.events.Event:
        yield env.timeout(1.5 * HOUR)
        worker.assign(urgent)

    env.process(arrive())
    done_long, done_urgent = completion_times(env, [long_job, urgent], 5)
    assert done_urgent == pytest.approx(5 * HOUR)  # block ends at 4 h, then 1 h of work
    assert done_long == pytest.approx(11 * HOUR)


def test_a_less_urgent_arrival_does_not_interrupt() -> None:
    env, worker = make_worker(CONTINUOUS, block_hours=1.0)
    first = task(env, 3.0, 2.0, 0)
    worker.assign(first)
    second = task(env, 1.0, 5.0, 1)

    def arrive() -> simpy.events.Event:
        yield env.timeout(0.5 * HOUR)
        worker.assign(second)

    env.process(arrive())
    assert completion_times(env, [first, second], 5) == pytest.approx([3 * HOUR, 4 * HOUR])


def test_pacing_spreads_a_case_over_working_days() -> None:
    env, worker = make_worker(ENGLAND)
    job = task(env, 3.0, 30.0, 0, pace=1.0)
    worker.assign(job)
    (done,) = completion_times(env, [job], 20)
    # One hour a working day: Tuesday, Wednesday, Thursday, finishing 10:00 on Thursday.
    assert done == pytest.approx(2 + 10 * HOUR)


def test_twice_the_cases_take_about_twice_as_long_each() -> None:
    """With pacing the worker shares each day across the cases held, so elapsed time grows with
    the caseload. The time to clear all the work doubles exactly; the mean time per case a little
    less than doubles, because every case needs at least effort / pace days whatever the load."""

    def elapsed(cases: int) -> list[float]:
        env, worker = make_worker(CONTINUOUS, rate_per_hour=0.25)  # six hours a day
        jobs = [task(env, 4.0, 60.0, i, pace=1.0) for i in range(cases)]
        for j in jobs:
            worker.assign(j)
        return completion_times(env, jobs, 300)

    few, many = elapsed(40), elapsed(80)
    assert max(many) / max(few) == pytest.approx(2.0, rel=0.05)
    ratio = (sum(many) / len(many)) / (sum(few) / len(few))
    assert 1.75 <= ratio <= 2.0


def test_a_shared_inbox_is_worked_by_all_its_workers() -> None:
    env = simpy.Environment()
    inbox = WorkQueue()
    for _ in range(2):
        make_worker(CONTINUOUS, queue=inbox, env=env)
    jobs = [task(env, 1.0, 5.0, i) for i in range(4)]
    for j in jobs:
        inbox.push(j)
    assert completion_times(env, jobs, 5) == pytest.approx([HOUR, HOUR, 2 * HOUR, 2 * HOUR])


def test_busy_time_is_counted_only_inside_the_measured_period() -> None:
    env = simpy.Environment()
    worker = Worker(env, CONTINUOUS, 0, "sw", "team", 24.0, 100.0, 1.0, 1.0, 2.0)
    worker.assign(task(env, 36.0, 5.0, 0))  # busy from day 0 to day 1.5
    env.run(until=3)
    assert worker.busy_days == pytest.approx(0.5)


def test_pacing_years_into_a_run_neither_hangs_nor_loses_work() -> None:
    """Far into a run, clock differences carry rounding: a nearly spent daily allowance must
    count as spent instead of asking for a stretch too short to move the clock."""
    for start in (1100.0, 1185.3, 3650.7, 9000.1):
        env = simpy.Environment(initial_time=start)
        calendar = WorkingCalendar("continuous", START, start + 400)
        worker = Worker(
            env, calendar, 0, "sw", "team", 0.65 * 24, 100.0, 3.7 * HOUR, 0.0, start + 400
        )
        jobs = [
            task(env, hours, start + 60, i, pace=0.6)
            for i, hours in enumerate((4.1, 7.3, 0.6, 2.9999999))
        ]
        for job in jobs:
            worker.assign(job)
        steps = 0
        while env.peek() < start + 60 and steps < 100_000:
            env.step()
            steps += 1
        assert steps < 100_000, f"the worker loops at t = {env.now}"
        assert all(job.finished for job in jobs)
        assert sum(job.hours_worked for job in jobs) == pytest.approx(4.1 + 7.3 + 0.6 + 2.9999999)
