"""One replication, and the results of many replications of one scenario.

Each replication's random streams come from (scenario seed, replication index) alone, and results
are kept in replication order, so the output is byte-identical whatever runs them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from caseload_sim.scenario.schema import Scenario

ProgressCallback = Callable[[int, int], None]


@dataclass
class ReplicationOutput:
    """What one replication returns to the experiment (small enough to send between processes)."""

    replication: int
    kpis: dict[str, float]
    timeseries: list[dict[str, float]]
    events: list[tuple[float, str, int, int, float]] | None = None
    #: individual waits in the measured period, by measure (for distributions and ECDFs)
    waits: dict[str, list[float]] = field(default_factory=dict)
    #: KPIs of each period between dated changes, with its days to recover (empty without a
    #: timeline)
    periods: list[dict[str, float]] = field(default_factory=list)
    #: KPIs over each further window asked for (another option's periods), in the order asked
    windows: list[dict[str, float]] = field(default_factory=list)


@dataclass
class ExperimentResult:
    """All replications of one scenario, in replication order."""

    scenario: Scenario
    seed: int
    outputs: list[ReplicationOutput] = field(default_factory=list)
    #: how the number of replications was chosen (method, target, outcome)
    replication_choice: dict[str, Any] = field(default_factory=dict)
    #: how the warm-up was chosen (fixed, or MSER-5 and its figures)
    warmup_choice: dict[str, Any] = field(default_factory=dict)

    @property
    def replications(self) -> int:
        return len(self.outputs)

    def kpi_values(self, name: str) -> list[float]:
        """One KPI's value in each replication."""
        return [output.kpis[name] for output in self.outputs]

    def summary(self) -> dict[str, dict[str, Any]]:
        """Mean and 95% confidence interval of every KPI, with its unit."""
        from caseload_sim.experiment.statistics import t_interval
        from caseload_sim.metrics.catalogue import KPIS

        names = list(self.outputs[0].kpis) if self.outputs else []
        return {
            name: {**t_interval(self.kpi_values(name)), "unit": KPIS[name].unit} for name in names
        }

    def period_summary(self) -> list[dict[str, Any]]:
        """Each period between dated changes (empty without one in the measured window): its
        label, bounds in model days and dates, the mean and 95% confidence interval of every KPI
        over the replications, with its unit, and of the days to recover from the change that
        began the period.

        Dates are ISO strings; ``end_date`` is the last date in the period, ``end_day`` the
        bound in model days (not in the period).
        """
        from caseload_sim.experiment.statistics import t_interval
        from caseload_sim.metrics.catalogue import KPIS
        from caseload_sim.metrics.periods import DAYS_TO_RECOVER
        from caseload_sim.scenario.timeline import measured_periods

        periods = measured_periods(self.scenario)
        if not periods or not self.outputs:
            return []
        for output in self.outputs:
            if len(output.periods) != len(periods):
                raise ValueError(
                    f"{self.scenario.name}: replication {output.replication} has "
                    f"{len(output.periods)} periods; the scenario's timeline makes {len(periods)}"
                )
        entries = []
        for index, period in enumerate(periods):
            values = [output.periods[index] for output in self.outputs]
            names = [name for name in values[0] if name != DAYS_TO_RECOVER]
            entries.append(
                {
                    "label": period.label,
                    "start_day": period.start,
                    "end_day": period.end,
                    "start_date": period.start_date.isoformat(),
                    "end_date": period.end_date.isoformat(),
                    "kpis": {
                        name: {
                            **t_interval([v[name] for v in values]),
                            "unit": KPIS[name].unit if name in KPIS else "",
                        }
                        for name in names
                    },
                    DAYS_TO_RECOVER: t_interval([v.get(DAYS_TO_RECOVER, math.nan) for v in values]),
                }
            )
        return entries

    def replications_frame(self) -> Any:
        """Long table ``replication, kpi, value`` as a pandas DataFrame."""
        import pandas as pd

        rows = [(o.replication, k, v) for o in self.outputs for k, v in o.kpis.items()]
        return pd.DataFrame(rows, columns=["replication", "kpi", "value"])

    def timeseries_frame(self) -> Any:
        """Time series of every replication as a pandas DataFrame."""
        import pandas as pd

        rows = [{"replication": o.replication, **row} for o in self.outputs for row in o.timeseries]
        return pd.DataFrame(rows)


def run_replication(
    scenario: Scenario,
    seed: int,
    replication: int,
    keep_events: bool = False,
    windows: Sequence[tuple[float, float]] = (),
) -> ReplicationOutput:
    """Simulate one replication and measure it (also over each of ``windows``, in model days:
    the run counts working time apart at their ends, which changes nothing in it)."""
    from caseload_sim.metrics.catalogue import compute_kpis
    from caseload_sim.metrics.periods import period_kpis
    from caseload_sim.metrics.waits import measured_waits
    from caseload_sim.model.frontdoor import simulate
    from caseload_sim.model.results import EVENT_NAMES

    result = simulate(scenario, seed, replication, [t for window in windows for t in window])
    events = None
    if keep_events:
        arrays = result.events
        events = [
            (t, EVENT_NAMES[e], c, w, v)
            for t, e, c, w, v in zip(
                arrays.time.tolist(),
                arrays.event.tolist(),
                arrays.case.tolist(),
                arrays.worker.tolist(),
                arrays.value.tolist(),
                strict=True,
            )
        ]
    return ReplicationOutput(
        replication,
        compute_kpis(result),
        result.timeseries,
        events,
        measured_waits(result),
        period_kpis(result),
        [compute_kpis(result, window=window) for window in windows],
    )
