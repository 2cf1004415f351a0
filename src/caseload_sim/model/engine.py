"""Lighter ways than a SimPy process to make things happen at the right time.

A run has tens of thousands of referrals and contacts; a SimPy process for each costs a start-up
event and a process object. The pathway of a referral is a plain sequence of waits that is never
interrupted, and arrivals are known in advance, so both are driven from events' callbacks.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy


def follow(steps: Generator[simpy.Event, Any, Any]) -> None:
    """Drive a generator of SimPy events from the events' own callbacks, starting now.

    Each event the generator yields resumes it when it happens, with the event's value (or,
    when the event failed, by throwing its exception into the generator).
    """

    def resume(event: simpy.Event | None) -> None:
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


def call_after(env: simpy.Environment, delay: float, action: Callable[[], None]) -> None:
    """Call ``action()`` ``delay`` days from now."""
    env.timeout(delay).callbacks.append(lambda _event: action())


def arrive_at(env: simpy.Environment, times: list[float], arrive: Callable[[int], None]) -> None:
    """Call ``arrive(i)`` at each of the sorted ``times``, keeping one timer pending.

    Callbacks on plain timers cost a fraction of a process resumption per arrival.
    """
    position = 0

    def next_arrivals(_event: object = None) -> None:
        nonlocal position
        while position < len(times) and times[position] <= env.now:
            arrive(position)
            position += 1
        if position < len(times):
            env.timeout(times[position] - env.now).callbacks.append(next_arrivals)

    next_arrivals()
