"""A run seen over one window: what every KPI reads.

Every KPI is computed over a window of a run, the measured period or one of its periods between
dated changes: milestones reached in the window count (as the Department for Education counts
assessments "completed in the year"), and levels are exact time-weighted means over it. A
:class:`RunView` gives the KPIs the run's plain results and that window, and keeps what several
KPIs share (the caseload averages of every worker, say) so that it is worked out once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

if TYPE_CHECKING:
    from caseload_sim.model.frontdoor import RunResult, WorkerRecord

T = TypeVar("T")

_DAY_HOURS = 24.0


class RunView:
    """One run over one window ``[start, end]`` (model days)."""

    def __init__(self, result: RunResult) -> None:
        self.result = result
        self.scenario = result.scenario
        self.calendar = result.calendar
        self.events = result.events
        self.start = result.measured_from
        self.end = result.measured_to
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

    @property
    def cases(self) -> Any:
        """The referrals' milestones, one array element per referral."""
        return self.shared("cases", lambda view: _CaseColumns(view.result))

    @property
    def holders(self) -> list[WorkerRecord]:
        """The case-holding posts over the window."""
        return self.shared(
            "holders", lambda view: [w for w in view.result.workers if w.holds_cases]
        )

    @property
    def working_window(self) -> float:
        """Working time in the window, in days of the clock."""
        start, end = self.start, self.end
        if self.calendar.kind == "continuous":
            return end - start
        return float(self.calendar.working_hours_between(start, end) / _DAY_HOURS)


_MILESTONES = (
    "decided_at",
    "referral_at",
    "initial_assessment_done_at",
    "core_assessment_done_at",
    "core_assessment_start_at",
    "single_assessment_done_at",
    "allocated_at",
    "tier_rank",
    "first_assessment_at",
    "strategy_at",
    "icpc_at",
    "ended_at",
    "previous_referral_at",
)


class _CaseColumns:
    """Column views of the referrals' milestones, read in one pass."""

    def __init__(self, result: RunResult) -> None:
        import operator

        from caseload_sim.scenario.schema import QUALIFIED_GRADES

        referrals = result.referrals
        rows = list(map(operator.attrgetter(*_MILESTONES), referrals))
        table = np.array(rows, dtype=float).reshape(len(referrals), len(_MILESTONES))
        for i, name in enumerate(_MILESTONES):
            setattr(self, name, table[:, i])
        self.tier = table[:, _MILESTONES.index("tier_rank")]
        holding = list(
            map(operator.attrgetter("lead_grade", "coworker", "over_allocated"), referrals)
        )
        self.unqualified_lead = np.array(
            [grade not in QUALIFIED_GRADES for grade, _, _ in holding], dtype=bool
        )
        self.co_worked = np.array([coworker is not None for _, coworker, _ in holding], dtype=bool)
        self.over_allocated = np.array([over for _, _, over in holding], dtype=bool)
        self._referrals = referrals
        self.initial_ended_at = np.array([r.ended_at for r in result.initial_cases], dtype=float)

    def oversight_hours(self, rows: np.ndarray) -> np.ndarray:
        return np.array([self._referrals[i].oversight_hours for i in rows], dtype=float)
