"""Running a scenario's replications, on one core or several, with identical results.

Each replication's random streams come from (scenario seed, replication index) alone, and results
are put back in replication order, so the output is byte-identical whatever ``jobs`` is.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
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


@dataclass
class ExperimentResult:
    """All replications of one scenario, in replication order."""

    scenario: Scenario
    seed: int
    outputs: list[ReplicationOutput] = field(default_factory=list)

    @property
    def replications(self) -> int:
        return len(self.outputs)

    def kpi_values(self, name: str) -> list[float]:
        """One KPI's value in each replication."""
        return [output.kpis[name] for output in self.outputs]

    def summary(self) -> dict[str, dict[str, Any]]:
        """Mean and 95% confidence interval of every KPI, with its unit."""
        from caseload_sim.experiment.statistics import t_interval
        from caseload_sim.metrics.kpis import KPIS

        names = list(self.outputs[0].kpis) if self.outputs else []
        return {
            name: {**t_interval(self.kpi_values(name)), "unit": KPIS[name].unit} for name in names
        }

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
    scenario: Scenario, seed: int, replication: int, keep_events: bool = False
) -> ReplicationOutput:
    """Simulate one replication and measure it."""
    from caseload_sim.metrics.events import EVENT_NAMES
    from caseload_sim.metrics.kpis import compute_kpis
    from caseload_sim.model.frontdoor import simulate

    result = simulate(scenario, seed, replication)
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
    return ReplicationOutput(replication, compute_kpis(result), result.timeseries, events)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_experiment(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int | None = None,
    keep_events: bool = False,
    progress: ProgressCallback | None = None,
) -> ExperimentResult:
    """Run replications ``0 .. replications-1`` of a scenario.

    Parameters
    ----------
    scenario
        A validated scenario.
    replications, seed
        Default to the scenario's ``simulation.replications`` and ``simulation.seed``.
    jobs
        Worker processes; default all cores. Results do not depend on it.
    keep_events
        Keep each replication's event log (for ``events.csv``).
    progress
        Called with (finished, total) as replications finish.
    """
    total = scenario.simulation.replications if replications is None else replications
    root = scenario.simulation.seed if seed is None else seed
    workers = min(default_jobs() if jobs is None else jobs, total)
    outputs: list[ReplicationOutput] = []
    if workers <= 1:
        for index in range(total):
            outputs.append(run_replication(scenario, root, index, keep_events))
            if progress is not None:
                progress(index + 1, total)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(run_replication, scenario, root, index, keep_events)
                for index in range(total)
            ]
            for finished, future in enumerate(as_completed(futures), start=1):
                outputs.append(future.result())
                if progress is not None:
                    progress(finished, total)
    outputs.sort(key=lambda output: output.replication)
    return ExperimentResult(scenario, root, outputs)
