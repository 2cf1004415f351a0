"""The runs the app has kept: every one an ordinary results folder under the results folder,
listed newest first with what a planner needs to recognise it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from caseload_sim.app.cards import shown
from caseload_sim.app.jobs import JOBS
from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError

#: How many headline figures the list shows for each run.
FIGURES = 2


@dataclass(frozen=True)
class PastRun:
    """A kept run: its folder, its title, when it ran, its replications and first figures."""

    folder: Path
    title: str
    when: str
    replications: int
    figures: tuple[tuple[str, str], ...]


def title_of(folder: ResultsFolder) -> str:
    """The title a run was given in the app (its scenario's name for a folder made elsewhere)."""
    command = str(folder.provenance.get("command", ""))
    prefix = "caseload-sim app: "
    if command.startswith(prefix):
        return command[len(prefix) :]
    return folder.name if folder.kind == "run" else folder.path.name


def past_runs(results: Path) -> list[PastRun]:
    """Every complete run folder directly under ``results``, newest first (folders that are
    not results folders, and the jobs' own folder, are passed over)."""
    found = []
    for path in sorted(Path(results).glob("*/summary.json")):
        if path.parent.name == JOBS:
            continue
        folder = ResultsFolder(path.parent, "run")
        try:
            summary = folder.summary
            figures = tuple(
                (KPIS[name].title, shown(summary["kpis"][name].get("mean"), KPIS[name].unit))
                for name in HEADLINE_KPIS
                if name in summary["kpis"]
            )[:FIGURES]
            found.append(
                PastRun(
                    folder.path,
                    title_of(folder),
                    str(folder.provenance.get("started_utc", "")),
                    folder.replications,
                    figures,
                )
            )
        except (ResultsFolderError, KeyError, TypeError, ValueError):
            continue  # a folder written by something else, or damaged: not listed
    return sorted(found, key=lambda run: run.when, reverse=True)
