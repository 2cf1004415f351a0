"""Absence: the working days a worker is away on annual leave or sick.

Each worker's spells are drawn once, at the start of a run, from a stream keyed by the worker, as
whole working days: leave in blocks at random dates (the number of days over the run is the
annual allowance pro rata), sickness in spells that start on a day at work with a fixed chance
and last a geometric number of working days with the given mean. A worker does no work
while absent; the cases they hold wait for them, as they do in practice when cover is not
arranged.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from caseload_sim.model.mechanisms.base import Mechanism, mechanism

if TYPE_CHECKING:
    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.model.frontdoor import FrontDoor
    from caseload_sim.model.worktime import Worker
    from caseload_sim.scenario.schema import Absence


class Absences(Mechanism):
    """Every worker's leave and sickness, drawn when their post starts."""

    name = "absence"

    def __init__(self, door: FrontDoor) -> None:
        self.settings = door.scenario.workforce.absence
        self.ctx = door.ctx
        self.staff = door.staff

    def start(self) -> None:
        for worker in self.staff.workers:
            self.post_added(worker)

    def post_added(self, worker: Worker) -> None:
        ctx = self.ctx
        worker.take_time_off(
            absence_spells(
                self.settings, ctx.calendar, ctx.horizon, ctx.streams.keyed("absence", worker.index)
            )
        )


@mechanism("absence")
def _absences(door: FrontDoor) -> Mechanism | None:
    absence = door.scenario.workforce.absence
    if absence.annual_leave_days_per_year > 0 or absence.sickness_days_per_year > 0:
        return Absences(door)
    return None


def working_days(calendar: WorkingCalendar, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (model days) of every working day's window over the run."""
    if calendar.kind == "continuous":
        starts = np.arange(0.0, math.ceil(horizon))
        return starts, starts + 1.0
    return calendar.working_windows(0.0, horizon)


def absence_spells(
    absence: Absence, calendar: WorkingCalendar, horizon: float, rng: np.random.Generator
) -> list[tuple[float, float]]:
    """One worker's spells of absence over the run: sorted, separate (start, end) pairs."""
    if absence.annual_leave_days_per_year <= 0 and absence.sickness_days_per_year <= 0:
        return []
    starts, ends = working_days(calendar, horizon)
    count = len(starts)
    if count == 0:
        return []
    per_year = calendar.working_days_in_year_from(calendar.start_date)
    away = np.zeros(count, dtype=bool)
    # Leave: whole blocks in distinct slots, so the days taken are the allowance pro rata.
    block = int(round(absence.leave_block_days))
    slots = count // block
    expected = min(slots, absence.annual_leave_days_per_year * count / per_year / block)
    blocks = int(expected) + int(rng.random() < expected - int(expected))
    for slot in rng.choice(slots, size=blocks, replace=False) if blocks else ():
        away[slot * block : (slot + 1) * block] = True
    # Sickness: a spell may start on a day at work; its chance p is set so that the expected
    # share f of those days lost is the one asked for. Days at work between spells number
    # (1 - p) / p on average and a spell lasts m, so f = m / (m + (1 - p) / p), which gives
    # p = f / (m (1 - f) + f).
    present = count - int(away.sum())
    if absence.sickness_days_per_year > 0 and present > 0:
        mean = absence.sickness_spell_days_mean
        share = min(0.95, absence.sickness_days_per_year * count / per_year / present)
        chance = share / (mean * (1.0 - share) + share)
        draws = rng.random(count).tolist()
        lengths = rng.geometric(1.0 / mean, size=count).tolist()
        # The spells run on the days that are not leave: a spell that meets a block of leave
        # carries on after it, so no sick day is lost inside the leave.
        on_leave = away.copy()
        day = 0
        while day < count:
            if on_leave[day] or draws[day] >= chance:
                day += 1
                continue
            remaining = lengths[day]
            while remaining > 0 and day < count:
                if not on_leave[day]:
                    away[day] = True
                    remaining -= 1
                day += 1
    spells: list[tuple[float, float]] = []
    day = 0
    while day < count:
        if not away[day]:
            day += 1
            continue
        last = day
        while last + 1 < count and away[last + 1]:
            last += 1
        spells.append((float(starts[day]), float(ends[last])))
        day = last + 1
    return spells
