"""The runs the app has kept: every one an ordinary results folder under the results folder,
listed newest first with what a planner needs to recognise it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from caseload_sim.app.cards import shown
from caseload_sim.app.jobs import JOBS
from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError, results_kind
from caseload_sim.scenario.wording import count_words, field_label, title_from_name

#: How many headline figures the list shows for each run.
FIGURES = 2


#: What the list calls each kind of kept folder.
KIND_WORDS = {"run": "What-if", "compare": "Comparison", "staffing": "Staffing search"}


@dataclass(frozen=True)
class PastRun:
    """A kept run, comparison or search: its folder and kind, its title, when it ran, its
    replications and its first figures (for a search, its answer)."""

    folder: Path
    kind: str
    title: str
    when: str
    replications: str
    figures: tuple[tuple[str, str], ...]


def title_of(folder: ResultsFolder) -> str:
    """The title a run was given in the app (its scenario's name for a folder made elsewhere)."""
    command = str(folder.provenance.get("command", ""))
    prefix = "caseload-sim app: "
    if command.startswith(prefix):
        return command[len(prefix) :]
    return folder.name if folder.kind == "run" else folder.path.name


def past_runs(results: Path) -> list[PastRun]:
    """Every complete results folder the app shows directly under ``results``, newest first
    (folders that are not results folders, or are damaged, and the jobs' own folder, are
    passed over)."""
    found = []
    for path in sorted(Path(results).iterdir()) if Path(results).is_dir() else ():
        if path.name == JOBS or not path.is_dir():
            continue
        try:
            kind = results_kind(path)
            if kind not in KIND_WORDS:
                continue
            folder = ResultsFolder(path, kind)
            found.append(
                PastRun(
                    folder.path,
                    kind,
                    title_of(folder),
                    str(folder.provenance.get("started_utc", "")),
                    _replications(folder),
                    _figures(folder),
                )
            )
        except (ResultsFolderError, KeyError, TypeError, ValueError, IndexError):
            continue  # a folder written by something else, or damaged: not listed
    return sorted(found, key=lambda run: run.when, reverse=True)


def _replications(folder: ResultsFolder) -> str:
    if folder.kind == "run":
        return str(folder.replications)
    if folder.kind == "compare":
        return f"{folder.comparison['replications']} of each"
    return str(folder.replications_per_point() or "")


def _figures(folder: ResultsFolder) -> tuple[tuple[str, str], ...]:
    """The run's first headline figures; a comparison's first headline difference of its first
    option; a search's answer."""
    if folder.kind == "staffing":
        document = folder.read_json("staffing.json")
        if document["met"]:
            return (("Answer", count_words(document["path"], document["answer"])),)
        return (("Answer", f"{field_label(document['path'])}: none in the range"),)
    if folder.kind == "compare":
        document = folder.comparison
        option, differences = next(iter(document["differences"].items()))
        name = next(n for n in HEADLINE_KPIS if n in differences)
        mean = differences[name]["mean"]
        unit = "points" if KPIS[name].unit == "%" else KPIS[name].unit
        return ((KPIS[name].title, f"{mean:+.1f} {unit} with {title_from_name(option)}"),)
    kpis = folder.summary["kpis"]
    return tuple(
        (KPIS[name].title, shown(kpis[name].get("mean"), KPIS[name].unit))
        for name in HEADLINE_KPIS
        if name in kpis
    )[:FIGURES]
