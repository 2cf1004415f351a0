"""Writing a results folder: every file whole or not at all.

Each file is written to a temporary name in the same folder, flushed to disk and renamed into
place, so an interrupted run never leaves a half-written result. Numbers are written with
Python's shortest round-trip representation, so the same results give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from caseload_sim.experiment.replications import ExperimentResult
from caseload_sim.scenario.loading import scenario_to_toml

FILES = ("summary.json", "replications.csv", "timeseries.csv", "scenario.toml")


def package_version() -> str:
    """The installed version of caseload_sim."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("caseload_sim")
    except PackageNotFoundError:
        return "unknown"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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


def summary_document(result: ExperimentResult) -> dict[str, Any]:
    """The content of ``summary.json``."""
    scenario = result.scenario
    kpis = {
        name: {
            "mean": _number(entry["mean"]),
            "ci95_low": _number(entry["ci95_low"]),
            "ci95_high": _number(entry["ci95_high"]),
            "unit": entry["unit"],
            "n": entry["n"],
        }
        for name, entry in result.summary().items()
    }
    return {
        "scenario": scenario.name,
        "description": scenario.description,
        "seed": result.seed,
        "replications": result.replications,
        "warmup_days": scenario.simulation.warmup_days,
        "horizon_days": scenario.simulation.horizon_days,
        "regime": scenario.pathway.regime,
        "package_version": package_version(),
        "kpis": kpis,
    }


def write_results(result: ExperimentResult, folder: str | Path, events: bool = False) -> Path:
    """Write ``summary.json``, ``replications.csv``, ``timeseries.csv``, ``scenario.toml`` and,
    with ``events``, ``events.csv`` to ``folder``; returns the folder."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(out / "scenario.toml", scenario_to_toml(result.scenario))
    write_atomically(
        out / "replications.csv",
        _csv(
            ["replication", "kpi", "value"],
            [
                [o.replication, name, value]
                for o in result.outputs
                for name, value in o.kpis.items()
            ],
        ),
    )
    write_atomically(out / "timeseries.csv", _timeseries_csv(result))
    if events:
        write_atomically(
            out / "events.csv",
            _csv(
                ["replication", "time_days", "event", "case", "worker", "value"],
                [[o.replication, *event] for o in result.outputs for event in (o.events or [])],
            ),
        )
    # The summary goes last: its presence says the folder is complete.
    document = summary_document(result)
    write_atomically(out / "summary.json", json.dumps(document, indent=2, allow_nan=False) + "\n")
    return out


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
    return _csv(["replication", "date", *columns], rows)
