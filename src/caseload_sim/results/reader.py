"""Reading a results folder back: its kind, and each of its files.

``ResultsFolder(path)`` reads nothing until asked; each file is read when first needed, and a
missing or unreadable file raises ``ResultsFolderError`` naming the folder and the file. pandas,
numpy and pydantic are imported by the methods that need them, so opening a folder is cheap.
"""

from __future__ import annotations

import csv
import json
import math
import tomllib
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseload_sim.results.kinds import KINDS, folder_name

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from caseload_sim.scenario.schema import Scenario


class ResultsFolderError(ValueError):
    """The folder is not a caseload-sim results folder, or a file it needs is missing."""


def results_kind(folder: Path) -> str:
    """The kind of results folder: ``"compare"``, ``"staffing"``, ``"sweep"`` or ``"run"``.

    Raises
    ------
    ResultsFolderError
        If the folder holds none of ``comparison.json``, ``staffing.json``, ``sweep.csv`` or
        ``summary.json``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ResultsFolderError(
            f"{folder} is not a folder: expected a caseload-sim results folder"
        )
    for kind in KINDS:
        if (folder / kind.marker).is_file():
            return kind.name
    *others, last = [f"{kind.marker} ({kind.name})" for kind in KINDS]
    raise ResultsFolderError(
        f"{folder} is not a caseload-sim results folder: expected {', '.join(others)} or {last}"
    )


class ResultsFolder:
    """A results folder written by ``run``, ``compare``, ``sweep`` or ``staffing``.

    Parameters
    ----------
    path : the folder.
    kind : its kind when the caller knows it (a scenario's folder inside a compare folder);
        otherwise it is recognised from the files, when first asked for.
    """

    def __init__(self, path: str | Path, kind: str | None = None) -> None:
        self.path = Path(path)
        self._kind = kind

    @property
    def kind(self) -> str:
        """``"run"``, ``"compare"``, ``"sweep"`` or ``"staffing"`` (see :func:`results_kind`)."""
        if self._kind is None:
            self._kind = results_kind(self.path)
        return self._kind

    # -------------------------------------------------------------------------- any file

    def has(self, name: str) -> bool:
        """Whether the folder holds the file ``name``."""
        return (self.path / name).is_file()

    def file(self, name: str) -> Path:
        """The path of the file ``name``, which must be there."""
        path = self.path / name
        if not path.is_file():
            raise ResultsFolderError(
                f"{self.path}: expected {name} in this {self.kind} results folder"
            )
        return path

    def read_json(self, name: str) -> Any:
        """The JSON document in the file ``name``."""
        path = self.file(name)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:  # not JSON, or not UTF-8
            raise ResultsFolderError(f"{path} is not valid JSON: {error}") from error
        except OSError as error:
            raise ResultsFolderError(f"{path} could not be read: {error}") from error

    def read_table(self, name: str) -> pd.DataFrame:
        """The CSV file ``name`` as a table (numbers as numbers, empty cells as NaN)."""
        import pandas as pd

        path = self.file(name)
        try:
            return pd.read_csv(path)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
            raise ResultsFolderError(f"{path} is not a readable CSV file: {error}") from error
        except OSError as error:
            raise ResultsFolderError(f"{path} could not be read: {error}") from error

    def read_rows(self, name: str) -> list[dict[str, str]]:
        """The CSV file ``name`` as rows of text, keyed by the header."""
        path = self.file(name)
        try:
            with path.open(encoding="utf-8", newline="") as stream:
                return list(csv.DictReader(stream))
        except (csv.Error, UnicodeDecodeError) as error:
            raise ResultsFolderError(f"{path} is not a readable CSV file: {error}") from error
        except OSError as error:
            raise ResultsFolderError(f"{path} could not be read: {error}") from error

    # ------------------------------------------------------------------ documents of any kind

    @cached_property
    def provenance(self) -> dict[str, Any]:
        """``provenance.json``: how the results were made (empty if the folder has none)."""
        if not self.has("provenance.json"):
            return {}
        document: dict[str, Any] = self.read_json("provenance.json")
        return document

    def replications_per_point(self) -> Any:
        """The replications run at each point, as ``provenance.json`` records them (None when
        it does not say)."""
        try:
            choice = self.provenance.get("replications") or {}
            return choice.get("run") or choice.get("replications") or None
        except (ResultsFolderError, AttributeError):
            return None

    def sources(self) -> list[tuple[str, str]]:
        """The scenario files kept under ``sources/``, in order: each one's name and text."""
        return [
            (path.name.split("_", 1)[-1], path.read_text(encoding="utf-8"))
            for path in sorted((self.path / "sources").glob("*.toml"))
        ]

    # ----------------------------------------------------------------------- compare folders

    @cached_property
    def comparison(self) -> dict[str, Any]:
        """``comparison.json``: baseline, scenarios, their KPIs and the paired differences."""
        document: dict[str, Any] = self.read_json("comparison.json")
        return document

    def run(self, scenario: str) -> ResultsFolder:
        """The run folder of one scenario of a compare folder (not read yet)."""
        return ResultsFolder(self.path / folder_name(scenario), kind="run")

    def runs(self) -> list[ResultsFolder]:
        """The run folders behind a run or compare folder, baseline first."""
        if self.kind == "run":
            return [self]
        runs = []
        for name in self.comparison.get("scenarios", []):
            run = self.run(name)
            run.file("summary.json")
            runs.append(run)
        if not runs:
            raise ResultsFolderError(f"{self.path}: comparison.json lists no scenarios")
        return runs

    # --------------------------------------------------------------------------- run folders

    @cached_property
    def summary(self) -> dict[str, Any]:
        """``summary.json``: each KPI's mean and interval, and how the run was set up."""
        document: dict[str, Any] = self.read_json("summary.json")
        return document

    @property
    def name(self) -> str:
        """The scenario's name."""
        return str(self.summary["scenario"])

    @property
    def replications(self) -> int:
        return int(self.summary["replications"])

    @property
    def periods(self) -> list[dict[str, Any]]:
        """The periods between dated changes in ``summary.json`` (empty without a timeline)."""
        periods = self.summary.get("periods") or []
        return [p for p in periods if isinstance(p, dict)]

    def kpi(self, name: str) -> dict[str, float] | None:
        """Mean and interval of a KPI, or None if it had nothing to count."""
        entry = self.summary.get("kpis", {}).get(name)
        if not entry or entry.get("mean") is None:
            return None
        return {k: _float(entry.get(k)) for k in ("mean", "ci95_low", "ci95_high")}

    @cached_property
    def replications_table(self) -> pd.DataFrame:
        """``replications.csv``: each KPI in each replication."""
        return self.read_table("replications.csv")

    def values(self, name: str) -> np.ndarray:
        """The KPI's value in each replication (NaN dropped)."""
        import numpy as np
        import pandas as pd

        table = self.replications_table
        values = table.loc[table["kpi"] == name, "value"]
        return np.asarray(pd.to_numeric(values, errors="coerce").dropna(), dtype=float)

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """``timeseries.csv``: the state sampled over time in each replication."""
        return self.read_table("timeseries.csv")

    @cached_property
    def waits(self) -> pd.DataFrame:
        """``waits.csv``: every measured wait in each replication."""
        return self.read_table("waits.csv")

    @cached_property
    def scenario(self) -> Scenario:
        """``scenario.toml``, loaded and checked as any scenario file."""
        from caseload_sim.scenario.loading import load_scenario

        path = self.file("scenario.toml")
        try:
            return load_scenario(path)
        except Exception as error:  # the loader's own errors name the problem
            raise ResultsFolderError(f"{path} could not be read: {error}") from error

    def scenario_document(self) -> dict[str, Any]:
        """``scenario.toml`` as plain tables, unchecked; empty when it is missing or cannot be
        read (a report then shows what it can without it)."""
        try:
            return tomllib.loads((self.path / "scenario.toml").read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            return {}


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)
