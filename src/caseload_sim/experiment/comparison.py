"""Comparing options on common random numbers: paired differences against a baseline.

Every scenario runs on the same seed and replication indices, so replication i of each option
sees the same children (see :mod:`caseload_sim.randomness`). The difference of a KPI between an
option and the baseline is taken replication by replication and its Student-t interval is built
from those paired differences, which is far narrower than comparing two independent sets of runs
when the options share most of their noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseload_sim.experiment.executors import Executor
from caseload_sim.experiment.precision import PrecisionError
from caseload_sim.experiment.replications import ExperimentResult
from caseload_sim.experiment.runner import (
    ProgressCallback,
    replication_runner,
    resolve_warmup,
    run_scenarios,
    with_warmup,
)
from caseload_sim.experiment.settings import (
    DEFAULT_BUDGET,
    DEFAULT_PRECISION,
    Replications,
    RunSettings,
    refuse,
    settings_from,
)
from caseload_sim.experiment.statistics import t_interval
from caseload_sim.experiment.value_for_money import VALUE_COLUMNS, value_for_money, value_rows
from caseload_sim.scenario.schema import Scenario
from caseload_sim.scenario.timeline import MeasuredPeriod, measured_periods

#: Columns of ``comparison.csv`` and of :meth:`Comparison.table`.
COMPARISON_COLUMNS = (
    "scenario",
    "kpi",
    "mean",
    "ci95_low",
    "ci95_high",
    "diff_mean",
    "diff_ci95_low",
    "diff_ci95_high",
)


@dataclass
class Comparison:
    """Results of every scenario and paired differences against the first (the baseline)."""

    results: list[ExperimentResult]
    differences: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    #: for each option, the paired differences over each period between dated changes (its
    #: own, or the baseline's when it has none): label, dates and the differences by KPI
    period_differences: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: for each option, when the scenarios have costs: the paired cost difference and the cost
    #: of a point of each headline KPI gained over the measured period (each period's is under
    #: ``"value_for_money"`` in its entry of ``period_differences``); see
    #: :mod:`caseload_sim.experiment.value_for_money`
    value_for_money: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def baseline(self) -> str:
        return self.results[0].scenario.name

    @property
    def names(self) -> list[str]:
        return [result.scenario.name for result in self.results]

    def table(self) -> Any:
        """Long table: scenario, kpi, mean, CI, and the paired difference with its CI."""
        import pandas as pd

        return pd.DataFrame(self.rows(), columns=self.header())

    def header(self) -> list[str]:
        return list(COMPARISON_COLUMNS)

    def rows(self) -> list[list[Any]]:
        rows = []
        for result in self.results:
            name = result.scenario.name
            for kpi, entry in result.summary().items():
                difference = self.differences.get(name, {}).get(kpi)
                rows.append(
                    [
                        name,
                        kpi,
                        entry["mean"],
                        entry["ci95_low"],
                        entry["ci95_high"],
                        *(
                            (difference["mean"], difference["ci95_low"], difference["ci95_high"])
                            if difference is not None
                            else (0.0, 0.0, 0.0)
                        ),
                    ]
                )
        return rows

    def value_rows(self) -> list[list[Any]]:
        """Rows of ``value_for_money.csv`` (:data:`VALUE_COLUMNS`): each option over the
        measured period, then over each period after a dated change."""
        rows = []
        for name, value in self.value_for_money.items():
            rows += value_rows(name, value)
            for period in self.period_differences.get(name, []):
                rows += value_rows(name, period.get("value_for_money"), str(period["label"]))
        return rows

    @staticmethod
    def value_header() -> list[str]:
        return list(VALUE_COLUMNS)


def paired_differences(
    option: ExperimentResult, baseline: ExperimentResult
) -> dict[str, dict[str, float]]:
    """Per KPI: mean and 95% interval of (option - baseline), replication by replication."""
    differences = {}
    for kpi in option.outputs[0].kpis:
        if kpi not in baseline.outputs[0].kpis:
            continue
        values = [
            a.kpis[kpi] - b.kpis[kpi] for a, b in zip(option.outputs, baseline.outputs, strict=True)
        ]
        differences[kpi] = t_interval(values)
    return differences


def periods_to_compare(option: Scenario, baseline: Scenario) -> list[MeasuredPeriod]:
    """The periods an option is compared over: its own dated changes', or else the baseline's,
    each inside the baseline's measured window (the only window both were measured over)."""
    periods = measured_periods(option) or measured_periods(baseline)
    start, end = float(baseline.simulation.warmup_days), float(baseline.simulation.horizon_days)
    return [p for p in periods if start <= p.start and p.end <= end]


def period_differences(
    option: ExperimentResult,
    baseline: ExperimentResult,
    periods: Sequence[MeasuredPeriod],
    baseline_windows: Sequence[tuple[float, float]],
) -> list[dict[str, Any]]:
    """Per period: its label and dates, and per KPI the mean and 95% interval of (option -
    baseline) over it, replication by replication. The option's replications were measured over
    the periods as further windows (``ReplicationOutput.windows``, in the order of
    ``periods``), the baseline's over ``baseline_windows``, which hold every period."""
    found = []
    for index, period in enumerate(periods):
        there = list(baseline_windows).index((period.start, period.end))
        ours = [output.windows[index] for output in option.outputs]
        theirs = [output.windows[there] for output in baseline.outputs]
        differences = {
            kpi: t_interval([a[kpi] - b[kpi] for a, b in zip(ours, theirs, strict=True)])
            for kpi in ours[0]
            if kpi in theirs[0]
        }
        found.append(
            {
                "label": period.label,
                "start_day": period.start,
                "end_day": period.end,
                "start_date": period.start_date.isoformat(),
                "end_date": period.end_date.isoformat(),
                "differences": differences,
                "value_for_money": value_for_money(ours, theirs),
            }
        )
    return found


def compare(
    scenarios: Sequence[Scenario],
    replications: Replications = None,
    seed: int | None = None,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    *,
    warmup: float | str | None = None,
    precision: float = DEFAULT_PRECISION,
    budget: int = DEFAULT_BUDGET,
    executor: Executor | None = None,
    out: Path | None = None,
    resume: bool = False,
    settings: RunSettings | None = None,
) -> Comparison:
    """Run scenarios on common random numbers and difference them against the first.

    The seed defaults to the first scenario's; every scenario uses it. Other parameters are as
    for :func:`caseload_sim.experiment.runner.run_experiment` (``"auto"`` replications choose one
    number for all scenarios, from the precision of every scenario's headline KPIs); a
    comparison keeps no event log.
    """
    chosen = settings_from(
        settings,
        replications=replications,
        seed=seed,
        jobs=jobs,
        warmup=warmup,
        precision=precision,
        budget=budget,
        resume=resume,
    )
    refuse(chosen, "compare", events="run one scenario to keep its event log")
    if len(scenarios) < 2:
        raise PrecisionError("compare needs at least two scenarios (a baseline and an option)")
    names = [s.name for s in scenarios]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise PrecisionError(
            f"scenario names must differ to be compared; repeated: {', '.join(duplicated)} "
            "(set name = ... in the files, or --set name=...)"
        )
    root = scenarios[0].simulation.seed if chosen.seed is None else chosen.seed
    with replication_runner(executor, chosen, out, progress) as runner:
        resolved = []
        warmups = []
        for scenario in scenarios:
            adjusted, record = resolve_warmup(runner, scenario, root, chosen.warmup)
            resolved.append(adjusted)
            warmups.append(record)
        if chosen.warmup == "auto":
            # Paired differences need one measured period: every option takes the longest
            # warm-up MSER-5 found for any of them.
            longest = max(record["warmup_days"] for record in warmups)
            resolved = [with_warmup(s, longest) for s in resolved]
            for record in warmups:
                record["applied_warmup_days"] = longest
        # Each option over the periods it is compared in, and the baseline over all of them
        # (its windows first the first option's, and so on), so differences are paired there.
        compared = {s.name: periods_to_compare(s, resolved[0]) for s in resolved[1:]}
        every = [(p.start, p.end) for periods in compared.values() for p in periods]
        baseline_windows = list(dict.fromkeys(every))
        runner.measure_windows(resolved[0], baseline_windows)
        for scenario in resolved[1:]:
            runner.measure_windows(scenario, [(p.start, p.end) for p in compared[scenario.name]])
        outputs, replication_record = run_scenarios(runner, resolved, root, chosen)
    results = [
        ExperimentResult(s, root, o, replication_record, w)
        for s, o, w in zip(resolved, outputs, warmups, strict=True)
    ]
    comparison = Comparison(results)
    for result in results[1:]:
        name = result.scenario.name
        comparison.differences[name] = paired_differences(result, results[0])
        value = value_for_money(
            [o.kpis for o in result.outputs], [o.kpis for o in results[0].outputs]
        )
        if value is not None:
            comparison.value_for_money[name] = value
        if compared[name]:
            comparison.period_differences[name] = period_differences(
                result, results[0], compared[name], baseline_windows
            )
    return comparison
