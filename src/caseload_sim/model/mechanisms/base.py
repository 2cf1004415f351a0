"""What a workforce mechanism is: one way staff time is taken or work is held up.

A mechanism (supervision, sign-off, recording, assessment quality, training, absence, workforce
flow) is one module with one class that overrides the hooks below it needs; the front door calls
each hook at its point of the run, and only for the mechanisms that override it. A mechanism is
built from its scenario section by a factory registered with :func:`mechanism` under the name
it reports as, which returns None when the section switches it off;
:data:`caseload_sim.model.mechanisms.ORDER` gives the order the mechanisms are built in and
their hooks called.

Hooks, and when they are called:

``start()``
    once, after the staff, the allocation board and the pathway exist, before any referral: to
    schedule the mechanism's own events (supervision sessions, leavers, training).
``post_added(worker)``
    a dated change created a post (it is open, and empty for its recruitment lag).
``managers_changed(managers)``
    the team managers in post changed.
``stage_changed(previous, current)``
    a dated change has put ``current`` (a whole scenario) in force.
``allocated(referral, lead)``
    a referral was allocated for the first time.
``after_work(referral, kind, effort_hours, lead)``
    the lead finished a piece of casework of this kind (``initial_assessment``...).
``gate(referral, kind)``
    the worker has finished the piece of work (or it needed none); return a generator of SimPy
    events to make it wait before it counts as complete (a manager's sign-off), or None.
``return_chance(referral, chance)``
    the chance that the closing case comes back as a re-referral; return it, adjusted.
``sample()``
    columns for this row of the time series.
``results()``
    what its KPIs read (plain arrays, by name), at the end of the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import numpy as np

if TYPE_CHECKING:
    from caseload_sim.model.engine import Followed
    from caseload_sim.model.frontdoor import FrontDoor
    from caseload_sim.model.referral import Referral
    from caseload_sim.model.worktime import Worker
    from caseload_sim.scenario.schema import Scenario


class Mechanism:
    """A workforce mechanism: override the hooks it takes part in (see the module docstring)."""

    #: the name its results are reported under (``RunResult.mechanisms``)
    name = ""

    def start(self) -> None:
        """Schedule the mechanism's own events."""

    def post_added(self, worker: Worker) -> None:
        """A dated change created this post."""

    def managers_changed(self, managers: list[Worker]) -> None:
        """The team managers in post are now these."""

    def stage_changed(self, previous: Scenario, current: Scenario) -> None:
        """A dated change put ``current`` in force."""

    def allocated(self, referral: Referral, lead: Worker) -> None:
        """The referral was allocated to ``lead`` for the first time."""

    def after_work(self, referral: Referral, kind: str, effort_hours: float, lead: Worker) -> None:
        """``lead`` finished a piece of the referral's casework."""

    def gate(self, referral: Referral, kind: str) -> Followed[None] | None:
        """What the piece of work waits for before it counts as complete (None: nothing)."""
        return None

    def return_chance(self, referral: Referral, chance: float) -> float:
        """The chance that the closing case comes back, as this mechanism changes it."""
        return chance

    def sample(self) -> dict[str, float]:
        """This mechanism's columns of the time series, now."""
        return {}

    def results(self) -> dict[str, np.ndarray]:
        """What the mechanism's KPIs read, by name."""
        return {}


def taking_part(mechanisms: list[Mechanism], hook: str) -> list[Mechanism]:
    """The mechanisms that take part in a hook (those that override it), in order."""
    default = getattr(Mechanism, hook)
    return [m for m in mechanisms if getattr(type(m), hook) is not default]


#: Builds a mechanism for a run, or returns None when its scenario section switches it off.
Factory = Callable[["FrontDoor"], "Mechanism | None"]
F = TypeVar("F", bound=Factory)

_FACTORIES: dict[str, Factory] = {}


def mechanism(name: str) -> Callable[[F], F]:
    """Register the decorated factory as the mechanism ``name``."""

    def register(factory: F) -> F:
        if name in _FACTORIES:
            raise ValueError(f"mechanism {name!r} is registered twice")
        _FACTORIES[name] = factory
        return factory

    return register


def factories() -> dict[str, Factory]:
    """Every registered mechanism's factory, by name, in registration order."""
    return _FACTORIES


def unregister(name: str) -> None:
    """Remove a mechanism (for examples and tests that register one of their own)."""
    _FACTORIES.pop(name, None)
