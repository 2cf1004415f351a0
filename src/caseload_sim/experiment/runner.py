"""Experiments: replications of one or more scenarios on common random numbers.

The runner hands replication jobs to an executor, keeps every output it has (and, with a results
folder, saves each as it finishes so that an interrupted experiment can resume), and gives them
back in replication order. Everything an experiment reports therefore depends only on the
scenarios, the seed and the replication indices.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from caseload_sim.experiment.checkpoints import CheckpointStore, scenario_key
from caseload_sim.experiment.executors import Executor, make_executor
from caseload_sim.experiment.precision import (
    MSER_BATCH,
    PrecisionError,
    choose_replications,
    mser5_truncation,
    relative_half_width,
)
from caseload_sim.experiment.replications import (
    ExperimentResult,
    ReplicationOutput,
    run_replication,
)
from caseload_sim.experiment.settings import (
    DEFAULT_BUDGET,
    DEFAULT_PRECISION,
    Replications,
    RunSettings,
    settings_from,
)
from caseload_sim.scenario.schema import Scenario

ProgressCallback = Callable[[int, int], None]

WARMUP_SERIES = ("unallocated_referrals", "open_cases")
WARMUP_PILOT_REPLICATIONS = 5


def _run_keyed(
    key: str,
    scenario: Scenario,
    seed: int,
    replication: int,
    keep_events: bool,
    windows: tuple[tuple[float, float], ...] = (),
) -> tuple[str, ReplicationOutput]:
    return key, run_replication(scenario, seed, replication, keep_events, windows)


class ReplicationRunner:
    """Runs and remembers replications; resumes from saved ones when asked."""

    def __init__(
        self,
        executor: Executor | None = None,
        out: Path | None = None,
        resume: bool = False,
        keep_events: bool = False,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.executor = executor if executor is not None else make_executor("local", 1)
        self.checkpoints = CheckpointStore(out) if out is not None else None
        self.resume = resume
        self.keep_events = keep_events
        self.progress = progress
        self._outputs: dict[tuple[str, int], ReplicationOutput] = {}
        self._keys: dict[int, tuple[Scenario, str]] = {}
        self._windows: dict[int, tuple[Scenario, tuple[tuple[float, float], ...]]] = {}
        self._loaded: set[str] = set()
        self.finished = 0
        self.expected = 0
        #: replications actually simulated by this runner (not taken from checkpoints)
        self.simulated = 0

    def measure_windows(self, scenario: Scenario, windows: Sequence[tuple[float, float]]) -> None:
        """Measure every replication of ``scenario`` (this object) over these windows too."""
        self._windows[id(scenario)] = (scenario, tuple(windows))

    def windows(self, scenario: Scenario) -> tuple[tuple[float, float], ...]:
        """The further windows its replications are measured over (none unless asked)."""
        found = self._windows.get(id(scenario))
        return found[1] if found is not None and found[0] is scenario else ()

    def key(self, scenario: Scenario, seed: int) -> str:
        """Checkpoint key of a scenario on a seed (the scenario's hash is computed once), and of
        the further windows it is measured over."""
        cached = self._keys.get(id(scenario))
        if cached is None or cached[0] is not scenario:
            cached = (scenario, scenario_key(scenario))
            self._keys[id(scenario)] = cached
        windows = self.windows(scenario)
        if not windows:
            return f"{cached[1]}-{seed}"
        measured = hashlib.sha256(repr(windows).encode()).hexdigest()[:8]
        return f"{cached[1]}-{seed}-w{measured}"

    def outputs(self, requests: Sequence[tuple[Scenario, int, int]]) -> list[ReplicationOutput]:
        """Outputs of (scenario, seed, replication) requests, running whatever is missing."""
        keyed = [(self.key(s, seed), s, seed, r) for s, seed, r in requests]
        missing: dict[tuple[str, int], tuple[Any, ...]] = {}
        for key, scenario, seed, replication in keyed:
            self._load_checkpoints(key, scenario)
            if (key, replication) not in self._outputs:
                missing[(key, replication)] = (
                    key,
                    scenario,
                    seed,
                    replication,
                    self.keep_events,
                    self.windows(scenario),
                )
        if missing:
            self.expected += len(missing)
            self._report()
            for key, output in self.executor.run(_run_keyed, list(missing.values())):
                self._outputs[(key, output.replication)] = output
                if self.checkpoints is not None:
                    self.checkpoints.save(key, output)
                self.finished += 1
                self.simulated += 1
                self._report()
        return [self._outputs[(key, replication)] for key, _, _, replication in keyed]

    def _load_checkpoints(self, key: str, scenario: Scenario) -> None:
        if key in self._loaded:
            return
        self._loaded.add(key)
        if self.resume and self.checkpoints is not None:
            saved = self.checkpoints.load(key)
            if not saved:
                return
            from caseload_sim.scenario.timeline import measured_periods

            periods = len(measured_periods(scenario))
            for replication, output in saved.items():
                # A checkpoint saved without the KPIs of each period is run again.
                if len(output.periods) == periods:
                    self._outputs[(key, replication)] = output

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.finished, self.expected)

    def clear_checkpoints(self) -> None:
        if self.checkpoints is not None:
            self.checkpoints.clear()


@contextmanager
def replication_runner(
    executor: Executor | None,
    settings: RunSettings,
    out: Path | None,
    progress: ProgressCallback | None,
) -> Iterator[ReplicationRunner]:
    """A runner on the given executor, or on the settings' one, which it starts and closes."""
    runner = ReplicationRunner(
        executor or make_executor(settings.executor, settings.jobs, settings.address),
        out,
        settings.resume,
        settings.events,
        progress,
    )
    try:
        yield runner
    finally:
        if executor is None:
            runner.executor.close()


def headline_kpis(scenario: Scenario) -> list[str]:
    """The KPIs whose precision decides the number of replications."""
    from caseload_sim.metrics.catalogue import HEADLINE_KPIS, kpis_for_regime

    available = set(kpis_for_regime(scenario.pathway.regime))
    return [name for name in HEADLINE_KPIS if name in available]


def run_scenarios(
    runner: ReplicationRunner, scenarios: Sequence[Scenario], seed: int, settings: RunSettings
) -> tuple[list[list[ReplicationOutput]], dict[str, Any]]:
    """Replications of several scenarios on the same seeds, a fixed number or chosen."""
    precision, budget = settings.precision, settings.budget
    if settings.replications == "auto":
        kpis = sorted({k for s in scenarios for k in headline_kpis(s)})
        batch = max(1, runner.executor.parallelism)

        def ensure(n: int) -> None:
            # Run ahead in batches the executor can do at once; only the first n are used.
            upto = min(budget, max(n, math.ceil(n / batch) * batch))
            runner.outputs([(s, seed, r) for s in scenarios for r in range(upto)])

        def worst(n: int) -> float:
            runs = [runner.outputs([(s, seed, r) for r in range(n)]) for s in scenarios]
            return max(
                relative_half_width([o.kpis[k] for o in outputs])
                for outputs in runs
                for k in kpis
                if k in outputs[0].kpis
            )

        choice = choose_replications(worst, ensure, precision, budget)
        count = choice.run
        record = choice.as_dict(kpis)
    else:
        # The settings hold a whole number >= 1 here, and the schema keeps the scenario's so.
        count = (
            int(settings.replications)
            if settings.replications is not None
            else scenarios[0].simulation.replications
        )
        record = {"method": "fixed", "run": count}
    outputs = [runner.outputs([(s, seed, r) for r in range(count)]) for s in scenarios]
    return outputs, record


def choose_warmup(
    runner: ReplicationRunner, scenario: Scenario, seed: int, pilot: int = WARMUP_PILOT_REPLICATIONS
) -> dict[str, Any]:
    """MSER-5 on the weekly series of unallocated referrals and open cases (pilot runs)."""
    outputs = runner.outputs([(scenario, seed, r) for r in range(pilot)])
    interval = scenario.simulation.timeseries_interval_days
    truncation: dict[str, float] = {}
    for series in WARMUP_SERIES:
        rows = [[row[series] for row in output.timeseries] for output in outputs]
        length = min(len(r) for r in rows)
        averaged = [sum(r[i] for r in rows) / len(rows) for i in range(length)]
        cut = mser5_truncation(averaged)
        if cut is None:
            raise PrecisionError(
                f"{scenario.name}: the run is too short for MSER-5 to choose a warm-up from the "
                f"{series} series ({length} samples of {interval:g} days; MSER-5 needs its "
                "minimum in the first half of at least "
                f"{4 * MSER_BATCH} samples): lengthen simulation.horizon_days or give "
                "--warmup DAYS"
            )
        truncation[series] = cut * interval
    warmup = max(truncation.values())
    return {
        "method": "MSER-5 (White 1997) on weekly series averaged over pilot replications",
        "series": list(WARMUP_SERIES),
        "pilot_replications": pilot,
        "truncation_days": truncation,
        "warmup_days": warmup,
    }


def with_warmup(scenario: Scenario, warmup_days: float) -> Scenario:
    """A copy of the scenario with another warm-up."""
    from caseload_sim.scenario.loading import apply_overrides

    return apply_overrides(
        scenario, [f"simulation.warmup_days={float(warmup_days)!r}"], scenario.name
    )


def resolve_warmup(
    runner: ReplicationRunner, scenario: Scenario, seed: int, warmup: float | str | None
) -> tuple[Scenario, dict[str, Any]]:
    """The scenario with its warm-up as asked: its own, a number of days, or ``auto``."""
    if warmup is None:
        return scenario, {"method": "fixed", "warmup_days": scenario.simulation.warmup_days}
    if warmup == "auto":
        record = choose_warmup(runner, scenario, seed)
        return with_warmup(scenario, record["warmup_days"]), record
    days = float(warmup)
    return with_warmup(scenario, days), {"method": "fixed", "warmup_days": days}


def run_experiment(
    scenario: Scenario,
    replications: Replications = None,
    seed: int | None = None,
    jobs: int | None = None,
    keep_events: bool = False,
    progress: ProgressCallback | None = None,
    *,
    warmup: float | str | None = None,
    precision: float = DEFAULT_PRECISION,
    budget: int = DEFAULT_BUDGET,
    executor: Executor | None = None,
    out: Path | None = None,
    resume: bool = False,
    settings: RunSettings | None = None,
) -> ExperimentResult:
    """Run replications of one scenario.

    Parameters
    ----------
    scenario
        A validated scenario.
    replications, seed, jobs, keep_events, warmup, precision, budget, resume
        The run's options one by one, as in :class:`RunSettings` (``keep_events`` is its
        ``events``); or give them all as ``settings``.
    progress
        Called with (finished, total) as replications finish.
    executor
        Where the replications run; default the settings' executor (local processes, ``jobs``
        of them), started and closed here.
    out
        A results folder to save finished replications in (reused with ``resume``).
    """
    chosen = settings_from(
        settings,
        replications=replications,
        seed=seed,
        jobs=jobs,
        events=keep_events,
        warmup=warmup,
        precision=precision,
        budget=budget,
        resume=resume,
    )
    root = scenario.simulation.seed if chosen.seed is None else chosen.seed
    with replication_runner(executor, chosen, out, progress) as runner:
        scenario, warmup_record = resolve_warmup(runner, scenario, root, chosen.warmup)
        (outputs,), replication_record = run_scenarios(runner, [scenario], root, chosen)
    return ExperimentResult(scenario, root, outputs, replication_record, warmup_record)
