"""The KPI registry: every KPI declared once, with what a reader, the docs and the code need.

A KPI is a function of a run's measured window, registered with :func:`kpi`::

    @kpi("initial_assessment_within_timescale_pct", unit="%",
         plain="initial assessments within timescale",
         reading="About {mean:.0f} in 100 initial assessments were completed within "
                 "{initial_assessment} of referral",
         description="Initial assessments completed within timescale (national indicator).",
         numerator="initial assessments completed in the period within ...",
         denominator="initial assessments completed in the period",
         regime="wt2010", headline=1)
    def initial_assessments_on_time(view: RunView) -> float: ...

The catalogue (:mod:`caseload_sim.metrics.catalogue`) imports the modules that declare KPIs, in
the order the catalogue lists them; ``docs/kpis.md``, the command line, the charts and the
report take each KPI's unit, plain name and reading from here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from caseload_sim.scenario.schema import Scenario

#: The assessment regimes a KPI may belong to ("any": reported under both).
REGIMES = ("any", "wt2010", "single_assessment")
#: Which way a KPI is better ("": neither).
BETTER = ("higher", "lower", "")


@dataclass(frozen=True)
class KpiDefinition:
    """What a KPI measures, and how to say it in plain words.

    ``plain`` is a lower-case phrase that reads inside a sentence ("mean wait for allocation");
    ``reading`` is a sentence template: ``{mean}`` is the value (with a format spec, for example
    ``{mean:.0f}``) and the timescales of the scenario are available by name (see
    :func:`reading_context`). The 95% interval is added by :func:`read`.
    """

    name: str
    unit: str
    description: str
    numerator: str
    denominator: str
    plain: str
    reading: str
    regime: str = "any"
    #: the KPI's place among those a planner looks at first (1 first; 0: not one of them)
    headline: int = 0
    #: which way is better: "higher", "lower", or "" where neither is (a caseload, a count)
    better: str = ""

    @property
    def title(self) -> str:
        """The plain name with a capital letter, for headings and table rows."""
        return self.plain[:1].upper() + self.plain[1:]


#: A KPI's computation: the value over a run's measured window (NaN where nothing counts).
Compute = Callable[[Any], float]
F = TypeVar("F", bound=Compute)

_DEFINITIONS: dict[str, KpiDefinition] = {}
_COMPUTE: dict[str, Compute] = {}


def register(definition: KpiDefinition, compute: Compute | None = None) -> None:
    """Add a KPI to the registry (its name must be new)."""
    if definition.name in _DEFINITIONS:
        raise ValueError(f"KPI {definition.name!r} is declared twice")
    if definition.better not in BETTER:
        raise ValueError(f"KPI {definition.name!r}: better must be one of {BETTER}")
    if definition.regime not in REGIMES:
        raise ValueError(f"KPI {definition.name!r}: regime must be one of {', '.join(REGIMES)}")
    _DEFINITIONS[definition.name] = definition
    if compute is not None:
        _COMPUTE[definition.name] = compute


def kpi(
    name: str,
    *,
    unit: str,
    plain: str,
    reading: str,
    description: str,
    numerator: str,
    denominator: str = "-",
    regime: str = "any",
    headline: int = 0,
    better: str = "",
) -> Callable[[F], F]:
    """Declare the decorated function as the computation of a KPI."""

    def declare(compute: F) -> F:
        register(
            KpiDefinition(
                name,
                unit,
                description,
                numerator,
                denominator,
                plain,
                reading,
                regime,
                headline,
                better,
            ),
            compute,
        )
        return compute

    return declare


def unregister(name: str) -> None:
    """Remove a KPI (for tests and examples that declare one of their own)."""
    _DEFINITIONS.pop(name, None)
    _COMPUTE.pop(name, None)


@contextmanager
def extra_kpis() -> Iterator[None]:
    """KPIs declared inside the block are removed when it ends (for examples and tests)."""
    before = set(_DEFINITIONS)
    try:
        yield
    finally:
        for name in [n for n in _DEFINITIONS if n not in before]:
            unregister(name)


def definitions() -> Mapping[str, KpiDefinition]:
    """Every declared KPI, in declaration order (a live, read-only view)."""
    return _DEFINITIONS


def computation(name: str) -> Compute | None:
    """The function that computes a KPI (None for a KPI declared without one)."""
    return _COMPUTE.get(name)


# -------------------------------------------------------------------------------- readings


def working_days(count: float) -> str:
    """'1 working day', '7 working days'."""
    return f"{count:g} working day" + ("" if count == 1 else "s")


def reading_context(scenario: Scenario | None = None) -> dict[str, str]:
    """The words a reading may use for the scenario's timescales (the defaults without one)."""
    if scenario is None:
        from caseload_sim.scenario.schema import Scenario

        scenario = Scenario()
    timescales = scenario.pathway.timescales
    return {
        "decision": working_days(timescales.decision_wd),
        "initial_assessment": working_days(timescales.initial_assessment_wd),
        "core_assessment": working_days(timescales.core_assessment_wd),
        "single_assessment": working_days(timescales.single_assessment_wd),
        "strategy_target": working_days(timescales.strategy_discussion_target_wd),
        "icpc": working_days(timescales.icpc_after_strategy_wd),
        "recording_due": working_days(scenario.workforce.recording.overdue_after_wd),
    }


_MEAN_FORMAT = re.compile(r"\{mean(:[^}]*)?\}")


def read(
    name: str,
    entry: Mapping[str, Any],
    context: Mapping[str, str] | None = None,
) -> str:
    """A KPI's value as one plain-English sentence, with its 95% interval when there is one.

    ``entry`` has ``mean`` and, optionally, ``ci95_low`` and ``ci95_high`` (None or NaN when
    absent), as ``summary.json`` gives them. For example "About 49 in 100 initial assessments
    were completed within 7 working days of referral (95% CI 46 to 52)."
    """
    definition = _DEFINITIONS[name]
    mean = _number(entry.get("mean"))
    if mean is None:
        return f"Nothing to count for {definition.plain} in this run."
    words = dict(reading_context() if context is None else context)
    sentence = definition.reading.format(mean=mean, **words)
    low, high = _number(entry.get("ci95_low")), _number(entry.get("ci95_high"))
    if low is not None and high is not None:
        found = _MEAN_FORMAT.search(definition.reading)
        spec = "{" + (found.group(1) if found and found.group(1) else ":g") + "}"
        # An amount of money keeps its pound sign in the interval.
        if found and definition.reading[max(0, found.start() - 1) : found.start()] == "£":
            spec = "£" + spec
        if spec.format(low) == spec.format(high) == spec.format(mean):
            sentence += " (the same in every replication)"
        else:
            sentence += f" (95% CI {spec.format(low)} to {spec.format(high)})"
    return sentence + "."


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    return None if math.isnan(number) else number
