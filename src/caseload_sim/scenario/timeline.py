"""A scenario's timeline: the service as it stands in each period between dated changes.

A ``[[timeline]]`` entry changes some workforce fields from its date on. The service in force
after an entry is itself a complete scenario (a *stage*), validated like any scenario file, so a
change that would leave a tier with nobody to hold it is refused before anything runs.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.scenario.changes import apply_change
from caseload_sim.scenario.messages import problems_in_words

if TYPE_CHECKING:
    from caseload_sim.scenario.schema import Scenario, TimelineEntry


@dataclass(frozen=True)
class Stage:
    """The service in force from ``date`` (the run's start for the first stage)."""

    date: dt.date
    label: str
    scenario: Scenario
    #: the entry that began this stage (None for the service at the start)
    entry: TimelineEntry | None


def stages(scenario: Scenario) -> list[Stage]:
    """The service at the start, then after each timeline entry in turn.

    Raises
    ------
    ValueError
        Naming the entry and the field, when an entry is out of order, outside the run, changes
        a field that is fixed for a run, or leaves a service that is not a valid scenario.
    """
    # The scenario's own class validates each stage: the schema calls this function to check a
    # timeline, so importing the schema here would close a cycle.
    validate = type(scenario).model_validate
    simulation = scenario.simulation
    first = simulation.start_date
    last = first + dt.timedelta(days=int(simulation.horizon_days))
    data = scenario.model_dump(mode="python")
    data["timeline"] = []
    result = [Stage(first, "start", _without_timeline(scenario), None)]
    previous = first
    for index, entry in enumerate(scenario.timeline):
        where = f"timeline[{index}] ({entry.name})"
        if not previous < entry.date < last:
            bound = "the start date" if index == 0 else "the previous entry's date"
            raise ValueError(
                f"{where}: date {entry.date.isoformat()} must fall after {bound} "
                f"({previous.isoformat()}) and before the end of the run ({last.isoformat()})"
            )
        for path, value in entry.changes.items():
            apply_change(data, path, value, where)
        try:
            stage = validate(data)
        except ValidationError as error:
            raise ValueError(f"{where}: after its changes, {problems_in_words(error)}") from None
        result.append(Stage(entry.date, entry.name, stage, entry))
        previous = entry.date
    return result


# ------------------------------------------------------------------------------------- periods
#
# The periods the measured window is split into, by one rule for the simulation (which
# measures each period) and the experiment (which labels the periods' results):
#
# * the measured window is ``[simulation.warmup_days, simulation.horizon_days]`` in model days;
# * it is split at the start (00:00) of the date of every timeline entry that falls strictly
#   inside it;
# * changes on or before the start of the window are folded into the first period, which then
#   takes the label of the last of them (the service in force when measuring starts), and
#   ``"start"`` when there is none;
# * a window with no change inside it is not split, and has no periods.


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
    #: working days of transition after the change that began the period (0 for the first)
    transition_wd: float = 0.0


def measured_periods(scenario: Scenario) -> list[MeasuredPeriod]:
    """The periods of the scenario's measured window, in order (empty without a change inside
    the window)."""
    if not scenario.timeline:
        return []
    simulation = scenario.simulation
    # Only dates are converted here, so the plain calendar of the run's span serves.
    calendar = WorkingCalendar(simulation.calendar, simulation.start_date, simulation.horizon_days)
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
    transitions = [0.0] + [
        stage.entry.transition_wd if stage.entry is not None else 0.0
        for stage, t in zip(later, changes, strict=True)
        if measured_from < t < measured_to
    ]
    bounds = [measured_from, *inside, measured_to]
    return [
        MeasuredPeriod(
            label,
            bounds[i],
            bounds[i + 1],
            calendar.to_date(bounds[i]),
            calendar.to_date(math.nextafter(bounds[i + 1], -math.inf)),
            transitions[i],
        )
        for i, label in enumerate(labels)
    ]


def _without_timeline(scenario: Scenario) -> Scenario:
    return scenario.model_copy(update={"timeline": []})
