"""Recording: writing up each assessment and enquiry, deferred when a worker is busy.

After each piece of casework the lead owes a record, an amount of writing in proportion to the
work done. Recording is the least urgent work a worker has: it is done when no casework is
waiting (for example when the cases held have had their share of the day), so an overloaded
worker builds a backlog and records fall overdue, as the 2010 inspection found.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np
import simpy

from caseload_sim.model.mechanisms.base import Mechanism, mechanism
from caseload_sim.model.work import Task
from caseload_sim.model.worktime import Worker
from caseload_sim.scenario.schema import TIERS

if TYPE_CHECKING:
    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.model.frontdoor import FrontDoor
    from caseload_sim.model.referral import Referral
    from caseload_sim.model.staff import Staff
    from caseload_sim.scenario.schema import Recording

# Below every tier of casework: a record is written only when no casework is waiting.
_RANK = len(TIERS) + 1
#: The casework that is written up afterwards.
RECORDED = frozenset({"initial_assessment", "core_assessment", "single_assessment", "s47_enquiry"})


class Record:
    """One record owed: when the work was done, when the record is due, when it was written."""

    __slots__ = ("created_at", "due_at", "written_at", "task")

    def __init__(self, created_at: float, due_at: float) -> None:
        self.created_at = created_at
        self.due_at = due_at
        self.written_at = math.nan
        self.task: Task | None = None


class RecordKeeping(Mechanism):
    """The records owed and written over a run."""

    name = "recording"

    def __init__(
        self,
        env: simpy.Environment,
        settings: Recording,
        calendar: WorkingCalendar,
        seq: itertools.count[int],
        staff: Staff,
    ) -> None:
        self.env = env
        self.settings = settings
        self.calendar = calendar
        self._seq = seq
        #: whose backlog the time series samples
        self.staff = staff
        self.records: list[Record] = []
        # Insertion-ordered, so that the backlog sums in the same order in every run.
        self._open: dict[Record, None] = {}

    def after_work(self, referral: Referral, kind: str, effort_hours: float, lead: Worker) -> None:
        if kind in RECORDED:
            self.owe(lead, effort_hours)

    def owe(self, worker: Worker, effort_hours: float) -> None:
        """The worker owes a record of the work just done."""
        hours = self.settings.share_of_effort * effort_hours
        if hours <= 0:
            return
        now = self.env.now
        record = Record(now, self.calendar.deadline(now, self.settings.overdue_after_wd))
        record.task = Task(
            "recording", record, hours, math.inf, _RANK, next(self._seq), on_done=self._written
        )
        self.records.append(record)
        self._open[record] = None
        worker.assign(record.task)

    def _written(self, task: Task) -> None:
        record = task.case
        assert isinstance(record, Record)
        record.written_at = self.env.now
        self._open.pop(record, None)

    def backlog_hours(self) -> float:
        """Hours of recording owed and not yet done."""
        return math.fsum(r.task.remaining_hours for r in self._open if r.task is not None)

    def sample(self) -> dict[str, float]:
        holders = [w for w in self.staff.case_holders if w.in_post]
        if not holders:
            return {}
        return {"recording_backlog_hours_per_worker": self.backlog_hours() / len(holders)}

    def results(self) -> dict[str, np.ndarray]:
        table = np.array(
            [(r.created_at, r.due_at, r.written_at) for r in self.records], dtype=float
        ).reshape(-1, 3)
        return {"done_at": table[:, 0], "due_at": table[:, 1], "written_at": table[:, 2]}


@mechanism("recording")
def _recording(door: FrontDoor) -> Mechanism | None:
    settings = door.scenario.workforce.recording
    if not settings.enabled:
        return None
    ctx = door.ctx
    return RecordKeeping(ctx.env, settings, ctx.calendar, ctx.seq, door.staff)
