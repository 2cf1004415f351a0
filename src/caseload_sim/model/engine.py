"""Lighter ways than a SimPy process to make things happen at the right time.

A run has tens of thousands of referrals and contacts; a SimPy process for each costs a start-up
event and a process object. The pathway of a referral is a plain sequence of waits that is never
interrupted, and arrivals are known in advance, so both are driven from events' callbacks.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, TypeAlias, TypeVar

import simpy

T = TypeVar("T")


def follow(steps: Followed[Any]) -> None:
    """Drive a generator of SimPy events (and signals) from their own callbacks, starting now.

    Each event the generator yields resumes it when it happens, with the event's value (or,
    when the event failed, by throwing its exception into the generator).
    """

    def resume(event: Any) -> None:
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


class Signal:
    """Something a followed sequence waits for that happens when it is told to, at once.

    A finished piece of casework is one: the referral's next step follows the moment the effort
    runs out, while the worker who finished it is still choosing what to do next, so that what
    it brings them is among what they choose from. (A SimPy event would wait for its turn in
    the event queue at the same moment, by when the worker had chosen without it.) Only for
    sequences driven by :func:`follow`; a SimPy process waits for a SimPy event.
    """

    __slots__ = ("callbacks",)
    ok = True
    value = None

    def __init__(self) -> None:
        self.callbacks: list[Callable[[Signal], None]] | None = []

    def succeed(self) -> None:
        callbacks = self.callbacks
        assert callbacks is not None, "a signal happens once"
        self.callbacks = None
        for callback in callbacks:
            callback(self)


#: A sequence of waits driven by :func:`follow`, returning ``T``.
Followed: TypeAlias = Generator["simpy.Event | Signal", Any, T]


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
