"""Sweeps over scenario fields, and the search for the staffing that meets a target.

A sweep runs the full factorial grid of the values given for each field, every point on the same
seeds (common random numbers). A staffing search finds the smallest value of one field (for
example the number of social workers in a team) at which every target is met with 95%
confidence: the interval's bound, not the mean, must clear the target. It assumes that more of
the field never makes a KPI worse, and bisects the range, so it runs about log2(points) points
rather than all of them.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseload_sim.experiment.executors import Executor
from caseload_sim.experiment.precision import PrecisionError
from caseload_sim.experiment.replications import ExperimentResult
from caseload_sim.experiment.runner import ProgressCallback, replication_runner, run_scenarios
from caseload_sim.experiment.settings import (
    DEFAULT_BUDGET,
    DEFAULT_PRECISION,
    Replications,
    RunSettings,
    refuse,
    settings_from,
)
from caseload_sim.scenario.loading import ScenarioError, apply_overrides, parse_override
from caseload_sim.scenario.schema import Scenario

_TARGET = re.compile(r"^\s*([a-z0-9_]+)\s*(>=|<=)\s*([-+0-9.eE]+)\s*$")
#: The settings a sweep or staffing search refuses: each point is its scenario as it stands.
_REFUSED_BY_POINTS = {
    "warmup": "each point keeps the scenario's simulation.warmup_days; change it with --set",
    "events": "run one point to keep its event log",
}


@dataclass(frozen=True)
class Vary:
    """One field of a sweep and the values it takes (as written for ``--set``)."""

    path: str
    values: tuple[str, ...]


def parse_vary(text: str) -> Vary:
    """``PATH=V1,V2,...`` or ``PATH=START:STOP[:STEP]`` (STOP included; STEP defaults to 1)."""
    path, sep, spec = text.partition("=")
    path, spec = path.strip(), spec.strip()
    if not sep or not path or not spec:
        raise PrecisionError(
            f"--vary {text!r}: expected PATH=V1,V2,... or PATH=START:STOP[:STEP], e.g. "
            "workforce.teams.north.staff.sw=10:16"
        )
    if ":" in spec and "," not in spec and not spec.startswith(("'", '"', "[", "{")):
        parts = spec.split(":")
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            raise PrecisionError(f"--vary {text!r}: START:STOP:STEP must be numbers") from None
        if len(numbers) not in (2, 3):
            raise PrecisionError(f"--vary {text!r}: give START:STOP or START:STOP:STEP")
        start, stop = numbers[0], numbers[1]
        step = numbers[2] if len(numbers) == 3 else 1.0
        if step <= 0 or stop < start:
            raise PrecisionError(f"--vary {text!r}: need STOP >= START and STEP > 0")
        count = math.floor((stop - start) / step + 1e-9) + 1
        integers = all(p.lstrip("+-").isdigit() for p in parts)
        grid = [start + i * step for i in range(count)]
        shown = [str(int(v)) if integers else repr(round(v, 12)) for v in grid]
        return Vary(path, tuple(shown))
    listed = tuple(v.strip() for v in spec.split(",") if v.strip())
    if not listed:
        raise PrecisionError(f"--vary {text!r}: no values given")
    return Vary(path, listed)


def point_scenario(base: Scenario, assignments: Sequence[tuple[str, str]]) -> Scenario:
    """The base scenario with one point's values applied (and named after them)."""
    overrides = [f"{path}={value}" for path, value in assignments]
    label = ", ".join(f"{path}={value}" for path, value in assignments)
    try:
        scenario = apply_overrides(base, overrides, base.name)
    except ScenarioError as error:
        raise PrecisionError(str(error)) from None
    return apply_overrides(scenario, [f"name={_toml_string(f'{base.name} [{label}]')}"], base.name)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class SweepResult:
    """Every point of a sweep: its field values and its replications."""

    varies: list[Vary]
    points: list[tuple[tuple[str, str], ...]]
    results: list[ExperimentResult]
    replication_choice: dict[str, Any] = field(default_factory=dict)

    def rows(self) -> list[list[Any]]:
        rows = []
        for index, (assignments, result) in enumerate(zip(self.points, self.results, strict=True)):
            values = [_typed(value) for _, value in assignments]
            for kpi, entry in result.summary().items():
                rows.append(
                    [index, *values, kpi, entry["mean"], entry["ci95_low"], entry["ci95_high"]]
                )
        return rows

    def header(self) -> list[str]:
        return ["point", *[v.path for v in self.varies], "kpi", "mean", "ci95_low", "ci95_high"]

    def table(self) -> Any:
        """Long table ``point, <one column per field>, kpi, mean, ci95_low, ci95_high``."""
        import pandas as pd

        return pd.DataFrame(self.rows(), columns=self.header())


def _typed(value: str) -> Any:
    _, parsed = parse_override(f"x={value}")
    return parsed


def sweep(
    scenario: Scenario,
    varies: Sequence[Vary],
    replications: Replications = None,
    seed: int | None = None,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    *,
    precision: float = DEFAULT_PRECISION,
    budget: int = DEFAULT_BUDGET,
    executor: Executor | None = None,
    out: Path | None = None,
    resume: bool = False,
    settings: RunSettings | None = None,
) -> SweepResult:
    """Run the full factorial grid of ``varies`` on common random numbers.

    The options are as for :func:`caseload_sim.experiment.runner.run_experiment`, but every point
    keeps its scenario's warm-up and no event log.
    """
    chosen = settings_from(
        settings,
        replications=replications,
        seed=seed,
        jobs=jobs,
        precision=precision,
        budget=budget,
        resume=resume,
    )
    refuse(chosen, "sweep", **_REFUSED_BY_POINTS)
    if not varies:
        raise PrecisionError("sweep needs at least one --vary PATH=VALUES")
    root = scenario.simulation.seed if chosen.seed is None else chosen.seed
    points = [
        tuple(zip([v.path for v in varies], combination, strict=True))
        for combination in itertools.product(*[v.values for v in varies])
    ]
    scenarios = [point_scenario(scenario, point) for point in points]
    with replication_runner(executor, chosen, out, progress) as runner:
        outputs, record = run_scenarios(runner, scenarios, root, chosen)
    results = [
        ExperimentResult(
            s, root, o, record, {"method": "fixed", "warmup_days": s.simulation.warmup_days}
        )
        for s, o in zip(scenarios, outputs, strict=True)
    ]
    return SweepResult(list(varies), points, results, record)


# ------------------------------------------------------------------------------------ staffing


@dataclass(frozen=True)
class Target:
    """A KPI bound: ``kpi >= value`` or ``kpi <= value``, met with 95% confidence."""

    kpi: str
    operator: str
    value: float

    def __str__(self) -> str:
        return f"{self.kpi}{self.operator}{self.value:g}"

    def met_by(self, summary: dict[str, dict[str, Any]]) -> bool:
        entry = summary[self.kpi]
        if self.operator == ">=":
            bound = entry["ci95_low"]
            return not math.isnan(bound) and bound >= self.value
        bound = entry["ci95_high"]
        return not math.isnan(bound) and bound <= self.value


def parse_target(text: str) -> Target:
    """``KPI>=VALUE`` or ``KPI<=VALUE``."""
    from caseload_sim.metrics.catalogue import KPIS

    match = _TARGET.match(text)
    if match is None:
        raise PrecisionError(
            f"--target {text!r}: expected KPI>=VALUE or KPI<=VALUE, e.g. "
            "'initial_assessment_within_timescale_pct>=80'"
        )
    kpi, operator, value = match.groups()
    if kpi not in KPIS:
        import difflib

        close = difflib.get_close_matches(kpi, list(KPIS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise PrecisionError(f"--target {text!r}: unknown KPI {kpi!r}{hint}; see caseload-sim kpis")
    try:
        return Target(kpi, operator, float(value))
    except ValueError:
        raise PrecisionError(f"--target {text!r}: {value!r} is not a number") from None


@dataclass
class StaffingResult:
    """The points a staffing search ran and the smallest value meeting every target."""

    path: str
    targets: list[Target]
    values: list[str]
    evaluated: dict[int, ExperimentResult]
    answer: str | None
    replication_choice: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.answer is not None

    def met_at(self, index: int) -> bool:
        summary = self.evaluated[index].summary()
        return all(target.met_by(summary) for target in self.targets)

    def cost_of_answer(self) -> dict[str, Any] | None:
        """With costs: the answer's staffing cost a year (mean and 95% interval) and its
        paired difference from the fewest point run (None without costs or an answer)."""
        from caseload_sim.experiment.statistics import t_interval
        from caseload_sim.experiment.value_for_money import COST_KPI, costed

        if self.answer is None:
            return None
        index = self.values.index(self.answer)
        answer = self.evaluated[index].outputs
        if not all(costed(output.kpis) for output in answer):
            return None
        fewest = min(self.evaluated)
        found: dict[str, Any] = {
            "cost": t_interval([output.kpis[COST_KPI] for output in answer]),
            "fewest_run": _typed(self.values[fewest]),
            "difference": None,
        }
        if fewest != index:
            # Every point runs on the same seed: the difference is paired.
            found["difference"] = t_interval(
                [
                    a.kpis[COST_KPI] - b.kpis[COST_KPI]
                    for a, b in zip(answer, self.evaluated[fewest].outputs, strict=True)
                ]
            )
        return found

    def document(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "answer": _typed(self.answer) if self.answer is not None else None,
            "targets": [str(t) for t in self.targets],
            "met": self.met,
            "range": [_typed(self.values[0]), _typed(self.values[-1])],
            "points_run": [_typed(self.values[i]) for i in sorted(self.evaluated)],
            "replications": self.replication_choice,
            "cost_of_answer": self.cost_of_answer(),
        }

    def rows(self) -> list[list[Any]]:
        rows = []
        for index in sorted(self.evaluated):
            summary = self.evaluated[index].summary()
            meets = self.met_at(index)
            for target in self.targets:
                entry = summary[target.kpi]
                rows.append(
                    [
                        _typed(self.values[index]),
                        target.kpi,
                        entry["mean"],
                        entry["ci95_low"],
                        entry["ci95_high"],
                        str(target),
                        target.met_by(summary),
                        meets,
                    ]
                )
        return rows

    def header(self) -> list[str]:
        return [
            self.path,
            "kpi",
            "mean",
            "ci95_low",
            "ci95_high",
            "target",
            "target_met",
            "all_met",
        ]


def staffing(
    scenario: Scenario,
    vary: Vary,
    targets: Sequence[Target],
    replications: Replications = None,
    seed: int | None = None,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    *,
    precision: float = DEFAULT_PRECISION,
    budget: int = DEFAULT_BUDGET,
    executor: Executor | None = None,
    out: Path | None = None,
    resume: bool = False,
    settings: RunSettings | None = None,
) -> StaffingResult:
    """The smallest value of ``vary.path`` at which every target is met with 95% confidence.

    The options are as for :func:`sweep`.
    """
    chosen = settings_from(
        settings,
        replications=replications,
        seed=seed,
        jobs=jobs,
        precision=precision,
        budget=budget,
        resume=resume,
    )
    refuse(chosen, "staffing", **_REFUSED_BY_POINTS)
    if not targets:
        raise PrecisionError("staffing needs at least one --target KPI>=VALUE or KPI<=VALUE")
    from caseload_sim.metrics.catalogue import kpis_for_regime

    reported = kpis_for_regime(scenario.pathway.regime)
    for target in targets:
        if target.kpi not in reported:
            raise PrecisionError(
                f"--target {target}: {target.kpi} is not reported under the "
                f"{scenario.pathway.regime} regime"
            )
    values = sorted(vary.values, key=lambda v: float(_typed(v)))
    root = scenario.simulation.seed if chosen.seed is None else chosen.seed
    evaluated: dict[int, ExperimentResult] = {}
    records: list[dict[str, Any]] = []

    with replication_runner(executor, chosen, out, progress) as runner:

        def meets(index: int) -> bool:
            if index not in evaluated:
                point = point_scenario(scenario, [(vary.path, values[index])])
                (outputs,), record = run_scenarios(runner, [point], root, chosen)
                records.append(record)
                evaluated[index] = ExperimentResult(
                    point,
                    root,
                    outputs,
                    record,
                    {"method": "fixed", "warmup_days": point.simulation.warmup_days},
                )
            summary = evaluated[index].summary()
            return all(target.met_by(summary) for target in targets)

        answer = None
        top = len(values) - 1
        if meets(top):
            low, high = 0, top
            while low < high:
                middle = (low + high) // 2
                if meets(middle):
                    high = middle
                else:
                    low = middle + 1
            answer = values[high]
    record = (
        records[0]
        if len(records) == 1
        else {"method": records[0].get("method"), "per_point": records}
    )
    return StaffingResult(vary.path, list(targets), values, evaluated, answer, record)
