"""The periods a scenario's measured window is split into by its dated changes.

A replication returns the KPIs of each period as plain values (:attr:`ReplicationOutput.periods`,
in period order); the labels and bounds that go with them depend on the scenario alone, so the
experiment works them out here, without running the model, by the same rule as the simulation:

* the measured window is ``[simulation.warmup_days, simulation.horizon_days]`` in model days;
* it is split at the start (00:00) of the date of every timeline entry that falls strictly
  inside it;
* changes on or before the start of the window are folded into the first period, which then
  takes the label of the last of them (the service in force when measuring starts), and
  ``"start"`` when there is none;
* a window with no change inside it is not split, and has no periods.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from caseload_sim.scenario.schema import Scenario

__all__ = ["MeasuredPeriod", "measured_periods"]


@dataclass(frozen=True)
class MeasuredPeriod:
    """One period of the measured window, between two dated changes."""

    label: str
    #: first instant of the period, in model days since 00:00 on ``simulation.start_date``
    start: float
    #: the end of the period (not in it), in model days
    end: float
    #: the date of ``start``
    start_date: dt.date
    #: the last date in the period (the day before ``end`` when ``end`` is a midnight)
    end_date: dt.date


def measured_periods(scenario: Scenario) -> list[MeasuredPeriod]:
    """The periods of the scenario's measured window, in order (empty without a change inside
    the window)."""
    if not scenario.timeline:
        return []
    from caseload_sim.model.frontdoor import build_calendar
    from caseload_sim.scenario.timeline import stages

    calendar = build_calendar(scenario)
    simulation = scenario.simulation
    measured_from = float(simulation.warmup_days)
    measured_to = float(simulation.horizon_days)
    later = stages(scenario)[1:]
    changes = [calendar.from_date(stage.date) for stage in later]
    inside = [t for t in changes if measured_from < t < measured_to]
    if not inside:
        return []
    labels = ["start"] + [
        stage.label for stage, t in zip(later, changes, strict=True) if t < measured_to
    ]
    # Changes before the measured window are folded into its first period.
    labels = labels[len(labels) - len(inside) - 1 :]
    bounds = [measured_from, *inside, measured_to]
    return [
        MeasuredPeriod(
            label,
            bounds[i],
            bounds[i + 1],
            calendar.to_date(bounds[i]),
            calendar.to_date(math.nextafter(bounds[i + 1], -math.inf)),
        )
        for i, label in enumerate(labels)
    ]
