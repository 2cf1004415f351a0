"""Mandatory training: the practitioners in post, in turn over a roll-out, each away for the
course's working days; once back, their assessments are less often inadequate
(:mod:`.quality`). A dated change may switch training on or give it a new start; someone who
takes up a post later is not trained.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from caseload_sim.model.mechanisms.absence import working_days
from caseload_sim.model.mechanisms.base import Mechanism, mechanism
from caseload_sim.scenario.schema import PRACTITIONER_GRADES

if TYPE_CHECKING:
    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.model.frontdoor import FrontDoor
    from caseload_sim.scenario.schema import Scenario
    from caseload_sim.scenario.schema import Training as TrainingSettings


class TrainingRollout(Mechanism):
    """Mandatory training: each practitioner in post in turn over the roll-out."""

    name = "training"

    def __init__(self, door: FrontDoor) -> None:
        self.ctx = door.ctx
        self.staff = door.staff
        #: every course taken: the post, and the first and last working day's start and end
        self.courses: list[tuple[int, float, float]] = []

    def start(self) -> None:
        training = self.ctx.scenario.workforce.training
        if training.enabled:
            self.schedule(training, training.start_day)

    def stage_changed(self, previous: Scenario, current: Scenario) -> None:
        training, before = current.workforce.training, previous.workforce.training
        # A roll-out starts when training is switched on or given a new start; a new effect
        # alone changes what training does, not who goes on it.
        if training.enabled and (
            not before.enabled
            or (training.start_day, training.rollout_days, training.days_away)
            != (before.start_day, before.rollout_days, before.days_away)
        ):
            self.schedule(training, begins=max(self.ctx.env.now, training.start_day))

    def schedule(self, training: TrainingSettings, begins: float) -> None:
        """Train the practitioners in post now, in turn from ``begins`` over the roll-out."""
        # Someone who takes up a post later is not trained.
        trainees = [w for w in self.staff.workers if w.grade in PRACTITIONER_GRADES and w.in_post]
        calendar, horizon = self.ctx.calendar, self.ctx.horizon
        for order, worker in enumerate(trainees):
            start = begins + training.rollout_days * order / max(1, len(trainees))
            spell = working_days_from(calendar, horizon, start, round(training.days_away))
            if spell is None:
                continue  # the run ends before this worker's turn
            worker.take_time_off([spell])
            worker.trained_from = spell[1]
            self.courses.append((worker.index, *spell))

    def results(self) -> dict[str, np.ndarray]:
        """Each course: the trainee's post and when it began and ended (what training costs)."""
        if not self.courses:
            return {}
        post, start, end = zip(*self.courses, strict=True)
        return {
            "post": np.asarray(post, dtype=np.int64),
            "start": np.asarray(start, dtype=float),
            "end": np.asarray(end, dtype=float),
        }


@mechanism("training")
def _training(door: FrontDoor) -> Mechanism | None:
    # A dated change may switch training on later in the run.
    stages = [door.scenario, *(stage.scenario for stage in door.stages)]
    return TrainingRollout(door) if any(s.workforce.training.enabled for s in stages) else None


def working_days_from(
    calendar: WorkingCalendar, horizon: float, time: float, days: int
) -> tuple[float, float] | None:
    """The spell covering ``days`` working days from the first working day at or after
    ``time``, or None if the run ends first."""
    starts, ends = working_days(calendar, horizon)
    first = int(np.searchsorted(starts, time - 1e-9))
    if days <= 0 or first + days > len(starts):
        return None
    return float(starts[first]), float(ends[first + days - 1])
