"""The event log of one run: what happened, when, to which case, by which worker.

Stored as one tuple per event while the simulation runs (cheap appends), and turned into numpy
columns at the end (:class:`caseload_sim.model.results.EventArrays`). Levels that the KPIs
average over time (the unallocated queue, each worker's caseload) are logged as signed changes so
that their time-weighted means are exact.
"""

from __future__ import annotations

import numpy as np

from caseload_sim.model.results import EVENT_CODES, EventArrays

_CONTACT = EVENT_CODES["contact"]
_SCREENED = EVENT_CODES["screened"]
_QUEUE = EVENT_CODES["unallocated_change"]
_CASELOAD = EVENT_CODES["caseload_change"]
_HIGH_RISK = EVENT_CODES["high_risk_caseload_change"]


class EventLog:
    """Append-only event log: one tuple per event, turned into columns at the end."""

    __slots__ = ("rows",)

    def __init__(self) -> None:
        # One tuple append per event is about twice as fast as five column appends.
        self.rows: list[tuple[float, int, int, int, float]] = []

    def __len__(self) -> int:
        return len(self.rows)

    def record(
        self, time: float, name: str, case: int, worker: int = -1, value: float = 0.0
    ) -> None:
        """Append one event by name."""
        self.rows.append((time, EVENT_CODES[name], case, worker, value))

    def contact(self, time: float, case: int, out_of_hours: bool) -> None:
        self.rows.append((time, _CONTACT, case, -1, float(out_of_hours)))

    def screened(self, time: float, case: int, became_referral: bool) -> None:
        self.rows.append((time, _SCREENED, case, -1, float(became_referral)))

    def queue_change(self, time: float, case: int, change: int) -> None:
        self.rows.append((time, _QUEUE, case, -1, float(change)))

    def caseload_change(
        self, time: float, case: int, worker: int, change: int, high_risk_change: int
    ) -> None:
        self.rows.append((time, _CASELOAD, case, worker, float(change)))
        if high_risk_change:
            self.rows.append((time, _HIGH_RISK, case, worker, float(high_risk_change)))

    def arrays(self) -> EventArrays:
        """The log as numpy arrays (times are non-decreasing: events are logged as they occur)."""
        if not self.rows:
            empty = np.zeros(0)
            return EventArrays(
                empty, empty.astype(np.int16), empty.astype(np.int64), empty.astype(np.int32), empty
            )
        table = np.array(self.rows, dtype=float)
        return EventArrays(
            time=table[:, 0].copy(),
            event=table[:, 1].astype(np.int16),
            case=table[:, 2].astype(np.int64),
            worker=table[:, 3].astype(np.int32),
            value=table[:, 4].copy(),
        )
