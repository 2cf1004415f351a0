"""What every part of one run shares: the clock, the calendar, the random streams, the log."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import simpy

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.model.events import EventLog
from caseload_sim.randomness import RandomStreams
from caseload_sim.scenario.schema import Scenario


def build_calendar(scenario: Scenario) -> WorkingCalendar:
    """The working calendar of a scenario."""
    simulation = scenario.simulation
    return WorkingCalendar(
        simulation.calendar,
        simulation.start_date,
        simulation.horizon_days,
        day_start_hour=simulation.working_day_start_hour,
        hours_per_day=simulation.working_day_hours,
    )


@dataclass
class RunContext:
    """One replication's environment, calendar, random streams and event log."""

    scenario: Scenario
    streams: RandomStreams
    env: simpy.Environment = field(default_factory=simpy.Environment)
    log: EventLog = field(default_factory=EventLog)
    #: numbers the pieces of work in the order they are given out: among equally urgent work
    #: the older goes first
    seq: itertools.count[int] = field(default_factory=itertools.count)

    def __post_init__(self) -> None:
        simulation = self.scenario.simulation
        self.calendar = build_calendar(self.scenario)
        #: the measured window, after the warm-up
        self.measured_from = float(simulation.warmup_days)
        self.measured_to = float(simulation.horizon_days)
        self.horizon = simulation.horizon_days
