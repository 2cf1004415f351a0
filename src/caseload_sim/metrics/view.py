"""A run seen over one window: what every KPI reads.

Every KPI is computed over a window of a run, the measured period or one of its periods between
dated changes: milestones reached in the window count (as the Department for Education counts
assessments "completed in the year"), and levels are exact time-weighted means over it. A
:class:`RunView` gives the KPIs the run's plain results and that window, and keeps what several
KPIs share (the caseload averages of every worker, say) so that it is worked out once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from caseload_sim.metrics.posts import PostAccount, post_accounts, working_time
from caseload_sim.model.results import CaseTable, RunResult

T = TypeVar("T")


class RunView:
    """One run over one window: the measured window, the period of that index, or a window
    ``(start, end)`` whose ends are among the run's ``busy_bounds``."""

    def __init__(
        self,
        result: RunResult,
        period: int | None = None,
        window: tuple[float, float] | None = None,
    ) -> None:
        self.result = result
        self.scenario = result.scenario
        self.calendar = result.calendar
        self.events = result.events
        self.cases: CaseTable = result.cases
        if window is not None:
            self.start, self.end = window
        elif period is None:
            self.start, self.end = result.measured_from, result.measured_to
        else:
            self.start, self.end = result.periods[period].start, result.periods[period].end
        self.timescales = result.scenario.pathway.timescales
        self._shared: dict[str, Any] = {}

    def within(self, times: np.ndarray) -> np.ndarray:
        """Which of ``times`` fall in the window (NaN, a milestone not reached, does not)."""
        return (times >= self.start) & (times <= self.end)

    def elapsed_wd(self, frm: np.ndarray, to: np.ndarray) -> np.ndarray:
        """Working days elapsed from each ``frm`` to each ``to`` on the run's calendar."""
        return self.calendar.elapsed_working_days_array(frm, to)

    def shared(self, key: str, work: Callable[[RunView], T]) -> T:
        """``work(self)``, worked out once per view for every KPI that asks for ``key``."""
        if key not in self._shared:
            self._shared[key] = work(self)
        found: T = self._shared[key]
        return found

    def events_in_window(self, name: str) -> np.ndarray:
        """Mask of the events of this name in the window."""
        events = self.events
        return events.of(name) & (events.time >= self.start) & (events.time <= self.end)

    def mechanism(self, name: str) -> dict[str, np.ndarray] | None:
        """What a workforce mechanism reported (None when it was not switched on or reports
        nothing)."""
        return self.result.mechanisms.get(name)

    @property
    def posts(self) -> list[PostAccount]:
        """Every post's working time over the window."""
        return self.shared("posts", lambda view: post_accounts(view.result, view.start, view.end))

    @property
    def case_holders(self) -> list[PostAccount]:
        """The case-holding posts over the window."""
        return self.shared("case_holders", lambda view: [w for w in view.posts if w.holds_cases])

    @property
    def working_window(self) -> float:
        """Working time in the window, in days of the clock."""
        return working_time(self.calendar, self.start, self.end)
