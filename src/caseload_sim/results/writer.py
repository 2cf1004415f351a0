"""Writing a results folder: every file whole or not at all.

Each file is written through :mod:`caseload_sim.files`, so an interrupted run never leaves a
half-written result. Numbers are written with Python's shortest round-trip representation, so
the same results give byte-identical files. What each file holds is declared in
:mod:`caseload_sim.results.kinds`.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseload_sim.experiment.replications import ExperimentResult
from caseload_sim.files import write_atomically
from caseload_sim.results.kinds import (
    EVENTS_COLUMNS,
    PERIODS_COLUMNS,
    REPLICATIONS_COLUMNS,
    TIMESERIES_COLUMNS,
    WAITS_COLUMNS,
    folder_name,
)
from caseload_sim.scenario.loading import scenario_to_toml

if TYPE_CHECKING:
    from caseload_sim.experiment.comparison import Comparison
    from caseload_sim.experiment.sweep import StaffingResult, SweepResult


def package_version() -> str:
    """The installed version of caseload_sim."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("caseload_sim")
    except PackageNotFoundError:
        return "unknown"


def _number(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _interval(entry: dict[str, Any], unit: bool = True) -> dict[str, Any]:
    """Mean, interval, unit and ``n`` of a summary entry, in the order summary.json gives them
    (NaN becomes None, written as null)."""
    document = {
        "mean": _number(entry["mean"]),
        "ci95_low": _number(entry["ci95_low"]),
        "ci95_high": _number(entry["ci95_high"]),
    }
    if unit:
        document["unit"] = entry["unit"]
    document["n"] = entry["n"]
    return document


def periods_document(result: ExperimentResult) -> list[dict[str, Any]]:
    """The ``periods`` of ``summary.json``: every KPI, and the days to recover, in each period
    between dated changes (empty without a timeline)."""
    from caseload_sim.metrics.periods import DAYS_TO_RECOVER

    return [
        {
            "label": period["label"],
            "start_day": period["start_day"],
            "end_day": period["end_day"],
            "start_date": period["start_date"],
            "end_date": period["end_date"],
            "kpis": {name: _interval(entry) for name, entry in period["kpis"].items()},
            DAYS_TO_RECOVER: _interval(period[DAYS_TO_RECOVER], unit=False),
        }
        for period in result.period_summary()
    ]


def summary_document(result: ExperimentResult) -> dict[str, Any]:
    """The content of ``summary.json``."""
    scenario = result.scenario
    kpis = {name: _interval(entry) for name, entry in result.summary().items()}
    return {
        "scenario": scenario.name,
        "description": scenario.description,
        "seed": result.seed,
        "replications": result.replications,
        "warmup_days": scenario.simulation.warmup_days,
        "horizon_days": scenario.simulation.horizon_days,
        "regime": scenario.pathway.regime,
        "package_version": package_version(),
        "replication_choice": result.replication_choice,
        "warmup_choice": result.warmup_choice,
        "kpis": kpis,
        "periods": periods_document(result),
    }


def _periods_csv(periods: list[dict[str, Any]]) -> str:
    """``periods.csv``: one row per period and KPI (the days to recover last in each period)."""
    from caseload_sim.metrics.periods import DAYS_TO_RECOVER

    rows = []
    for index, period in enumerate(periods):
        entries = {**period["kpis"], DAYS_TO_RECOVER: period[DAYS_TO_RECOVER]}
        for name, entry in entries.items():
            rows.append(
                [
                    index,
                    period["label"],
                    period["start_date"],
                    period["end_date"],
                    name,
                    _nan(entry["mean"]),
                    _nan(entry["ci95_low"]),
                    _nan(entry["ci95_high"]),
                    entry["n"],
                ]
            )
    return _csv(list(PERIODS_COLUMNS), rows)


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def write_results(
    result: ExperimentResult,
    folder: str | Path,
    events: bool = False,
    provenance: dict[str, Any] | None = None,
) -> Path:
    """Write ``summary.json``, ``replications.csv``, ``timeseries.csv``, ``waits.csv``,
    ``scenario.toml``, ``provenance.json``, ``periods.csv`` when the timeline splits the
    measured period and, with ``events``, ``events.csv`` to ``folder``; returns the folder."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(out / "scenario.toml", scenario_to_toml(result.scenario))
    write_atomically(
        out / "replications.csv",
        _csv(
            list(REPLICATIONS_COLUMNS),
            [
                [o.replication, name, value]
                for o in result.outputs
                for name, value in o.kpis.items()
            ],
        ),
    )
    write_atomically(out / "timeseries.csv", _timeseries_csv(result))
    write_atomically(
        out / "waits.csv",
        _csv(
            list(WAITS_COLUMNS),
            [
                [o.replication, measure, days]
                for o in result.outputs
                for measure, values in o.waits.items()
                for days in values
            ],
        ),
    )
    if not events:
        # A folder describes one run: an event log left by an earlier run would not match it.
        (out / "events.csv").unlink(missing_ok=True)
    else:
        write_atomically(
            out / "events.csv",
            _csv(
                list(EVENTS_COLUMNS),
                [[o.replication, *event] for o in result.outputs for event in (o.events or [])],
            ),
        )
    document = summary_document(result)
    if document["periods"]:
        write_atomically(out / "periods.csv", _periods_csv(document["periods"]))
    else:
        # As for the event log: a table of periods left by an earlier run would not match.
        (out / "periods.csv").unlink(missing_ok=True)
    write_provenance(out, provenance, [result])
    # The summary goes last: its presence says the folder is complete.
    write_atomically(out / "summary.json", _json(document))
    return out


def _json(document: Any) -> str:
    return json.dumps(_clean(document), indent=2, allow_nan=False) + "\n"


def _clean(value: Any) -> Any:
    """JSON has no NaN or infinity: write them as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def provenance_document(
    extra: dict[str, Any] | None, results: list[ExperimentResult]
) -> dict[str, Any]:
    """What STRESS-DES items 4 and 5 ask a simulation study to report about how it was run."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    from caseload_sim.randomness import SEED_SCHEME

    versions = {}
    for package in ("caseload_sim", "simpy", "numpy", "scipy", "pandas", "pydantic", "holidays"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "not installed"
    document: dict[str, Any] = {
        "seed_scheme": SEED_SCHEME,
        "seed": results[0].seed if results else None,
        "scenarios": [r.scenario.name for r in results],
        "replications": results[0].replication_choice if results else {},
        "warmup": {r.scenario.name: r.warmup_choice for r in results},
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": versions,
    }
    document.update(extra or {})
    return document


def write_provenance(
    out: Path, extra: dict[str, Any] | None, results: list[ExperimentResult]
) -> None:
    """``provenance.json``: versions, platform, seed scheme, run time and choices made."""
    write_atomically(out / "provenance.json", _json(provenance_document(extra, results)))


def write_comparison(
    comparison: Comparison, folder: str | Path, provenance: dict[str, Any] | None = None
) -> Path:
    """``comparison.csv``, ``comparison.json``, ``provenance.json`` and one results folder per
    scenario (named after it) under ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for result in comparison.results:
        write_results(result, out / folder_name(result.scenario.name), provenance=provenance)
    write_atomically(out / "comparison.csv", _csv(comparison.header(), comparison.rows()))
    summaries = {r.scenario.name: r.summary() for r in comparison.results}
    document = {
        "baseline": comparison.baseline,
        "scenarios": comparison.names,
        "seed": comparison.results[0].seed,
        "replications": comparison.results[0].replications,
        "kpis": {
            name: {
                kpi: {k: entry[k] for k in ("mean", "ci95_low", "ci95_high")}
                for kpi, entry in summary.items()
            }
            for name, summary in summaries.items()
        },
        "differences": {
            name: {
                kpi: {k: entry[k] for k in ("mean", "ci95_low", "ci95_high")}
                for kpi, entry in differences.items()
            }
            for name, differences in comparison.differences.items()
        },
        # After each dated change: an option's differences over each period (its own dated
        # changes, or the baseline's), for the options that have such periods.
        "period_differences": {
            name: [
                {
                    **{k: period[k] for k in ("label", "start_date", "end_date")},
                    "differences": {
                        kpi: {k: entry[k] for k in ("mean", "ci95_low", "ci95_high")}
                        for kpi, entry in period["differences"].items()
                    },
                    **(
                        {"value_for_money": period["value_for_money"]}
                        if period.get("value_for_money")
                        else {}
                    ),
                }
                for period in periods
            ]
            for name, periods in comparison.period_differences.items()
        },
        # With costs: each option's paired cost difference and cost of a point gained.
        "value_for_money": comparison.value_for_money,
    }
    if comparison.value_for_money:
        write_atomically(
            out / "value_for_money.csv", _csv(comparison.value_header(), comparison.value_rows())
        )
    write_provenance(out, provenance, comparison.results)
    write_atomically(out / "comparison.json", _json(document))
    return out


def write_sweep(
    result: SweepResult, folder: str | Path, provenance: dict[str, Any] | None = None
) -> Path:
    """``sweep.csv`` (and ``provenance.json``) for a sweep."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    write_provenance(out, provenance, result.results)
    write_atomically(out / "sweep.csv", _csv(result.header(), result.rows()))
    return out


def write_staffing(
    result: StaffingResult, folder: str | Path, provenance: dict[str, Any] | None = None
) -> Path:
    """``staffing.csv`` (the points run), ``staffing.json`` (the answer), ``provenance.json``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    write_provenance(out, provenance, [result.evaluated[i] for i in sorted(result.evaluated)])
    write_atomically(out / "staffing.csv", _csv(result.header(), result.rows()))
    write_atomically(out / "staffing.json", _json(result.document()))
    return out


def copy_sources(folder: str | Path, files: list[Path]) -> None:
    """Keep the scenario files a result came from, comments and all, under ``sources/``.

    The resolved ``scenario.toml`` holds every value but not the notes beside them, which say
    where each figure comes from; the report reads those notes from here.
    """
    out = Path(folder) / "sources"
    for order, path in enumerate(files):
        write_atomically(out / f"{order}_{path.name}", path.read_text(encoding="utf-8-sig"))


def _timeseries_csv(result: ExperimentResult) -> str:
    start = result.scenario.simulation.start_date
    columns: list[str] = []
    for output in result.outputs:
        for row in output.timeseries:
            for key in row:
                if key not in columns:
                    columns.append(key)
    import datetime as dt

    rows = []
    for output in result.outputs:
        for row in output.timeseries:
            date = start + dt.timedelta(days=math.floor(row["day"]))
            rows.append(
                [
                    output.replication,
                    date.isoformat(),
                    *[row.get(column, math.nan) for column in columns],
                ]
            )
    return _csv([*TIMESERIES_COLUMNS, *columns], rows)
