"""Results folders written from Python exactly as the command line writes them.

:func:`run_to_folder`, :func:`compare_to_folder`, :func:`sweep_to_folder` and
:func:`staffing_to_folder` do what ``caseload-sim run``, ``compare``, ``sweep`` and ``staffing``
do once their options are read: load the scenario (a file and overrides, so that its files are
kept under ``sources/``), check the output folder, run on the settings' executor, write the folder
and its provenance, clear the checkpoints and, when asked, write the report. The command line
calls them, so a Python call and the command write the same files, byte for byte, but for
``provenance.json``, which records the command (or the call) and the times.

Input the user can fix is refused with :class:`StudyError`, whose message is the one the command
line prints; Ctrl-C while the replications run raises :class:`StudyInterrupted`, which names the
folder holding the finished ones (run again with ``resume`` to continue).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

if TYPE_CHECKING:
    from caseload_sim.experiment.comparison import Comparison
    from caseload_sim.experiment.replications import ExperimentResult
    from caseload_sim.experiment.runner import ProgressCallback
    from caseload_sim.experiment.settings import RunSettings
    from caseload_sim.experiment.sweep import StaffingResult, SweepResult, Target, Vary
    from caseload_sim.scenario.schema import Scenario

#: Called with (finished, total) as replications finish; or a context manager entered while the
#: replications run, giving that callback (a progress bar shown for that time only).
Progress: TypeAlias = "ProgressCallback | AbstractContextManager[ProgressCallback] | None"
#: A scenario file (None: the bundled default), a loaded scenario, or a scenario object.
ScenarioInput: TypeAlias = "str | Path | LoadedScenario | Scenario | None"
R = TypeVar("R")

RESULTS = Path("results")


class StudyError(ValueError):
    """Input the user can fix (a scenario, a setting, the output folder); the message says how."""


class StudyInterrupted(KeyboardInterrupt):
    """Ctrl-C while the replications ran; the finished ones are saved in ``folder``."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario and the files it was read from, which its results keep under ``sources/``."""

    scenario: Scenario
    files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Study(Generic[R]):
    """What a call wrote: the results folder, the results, and the report when asked for."""

    folder: Path
    result: R
    report: Path | None = None


def read_scenario(path: str | Path | None, overrides: Sequence[str] = ()) -> LoadedScenario:
    """A scenario file (None: the bundled default) with ``--set`` overrides, and its files."""
    from caseload_sim.scenario.loading import ScenarioError, load_scenario, source_files

    try:
        scenario = load_scenario(path, list(overrides))
    except ScenarioError as error:
        raise StudyError(str(error)) from error
    return LoadedScenario(scenario, tuple(source_files(path)))


def _loaded(scenario: ScenarioInput, overrides: Sequence[str]) -> LoadedScenario:
    if scenario is None or isinstance(scenario, str | Path):
        return read_scenario(scenario, overrides)
    loaded = scenario if isinstance(scenario, LoadedScenario) else LoadedScenario(scenario)
    if not overrides:
        return loaded
    from caseload_sim.scenario.loading import ScenarioError, apply_overrides

    try:
        changed = apply_overrides(loaded.scenario, overrides, loaded.scenario.name)
    except ScenarioError as error:
        raise StudyError(str(error)) from error
    return LoadedScenario(changed, loaded.files)


def check_output_folder(folder: Path) -> None:
    """Create the output folder if need be; refuse one that cannot be written."""
    if folder.exists() and not folder.is_dir():
        raise StudyError(f"--out {folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StudyError(f"--out {folder}: cannot create the folder ({error.strerror})") from None
    if not os.access(folder, os.W_OK):
        raise StudyError(f"--out {folder}: the folder is not writable")


class _Running:
    """Around an experiment: the output folder checked, the executor, the clock, provenance."""

    def __init__(self, folder: Path, settings: RunSettings) -> None:
        from caseload_sim.experiment.executors import ExecutorError, make_executor

        check_output_folder(folder)
        self.folder = folder
        self.settings = settings
        self.started = time.perf_counter()
        self.started_utc = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            self.executor = make_executor(settings.executor, settings.jobs, settings.address)
        except ExecutorError as error:
            raise StudyError(str(error)) from error

    def run(self, experiment: Callable[..., R], progress: Progress) -> R:
        """``experiment`` (an experiment function given its scenarios) on this run's executor,
        folder and settings; the executor is closed after it."""
        from caseload_sim.experiment.executors import ExecutorError
        from caseload_sim.experiment.precision import PrecisionError

        shown = progress if isinstance(progress, AbstractContextManager) else nullcontext(progress)
        try:
            with shown as report:
                return experiment(
                    progress=report, executor=self.executor, out=self.folder, settings=self.settings
                )
        except KeyboardInterrupt:
            raise StudyInterrupted(self.folder) from None
        except (PrecisionError, ExecutorError) as error:
            raise StudyError(str(error)) from error
        finally:
            self.executor.close()

    def provenance(self, command: str) -> dict[str, Any]:
        return {
            "command": command,
            "started_utc": self.started_utc,
            "wall_seconds": round(time.perf_counter() - self.started, 3),
            "executor": self.settings.executor,
            "parallelism": self.executor.parallelism,
            "resumed": self.settings.resume,
        }


def _settings(settings: RunSettings | None) -> RunSettings:
    from caseload_sim.experiment.settings import RunSettings

    return settings if settings is not None else RunSettings()


def _folder(out: str | Path | None, default: str) -> Path:
    return Path(out) if out is not None else RESULTS / default


def _name(scenario: Scenario) -> str:
    from caseload_sim.results.kinds import folder_name

    return folder_name(scenario.name)


def _python_call(
    function: str,
    arguments: Sequence[Any],
    settings: RunSettings,
    overrides: Sequence[str],
    report: bool,
) -> str:
    """How a Python call is recorded in ``provenance.json`` (the command line records argv)."""
    shown = [_shown(argument) for argument in arguments]
    if settings.changed():
        shown.append(repr(settings))
    if overrides:
        shown.append(f"overrides={_shown(overrides)}")
    if report:
        shown.append("report=True")
    return f"caseload_sim.{function}({', '.join(shown)})"


def _shown(value: Any) -> str:
    if isinstance(value, LoadedScenario):
        value = value.scenario
    if isinstance(value, str | Path):
        return repr(str(value))
    if isinstance(value, list | tuple):
        return f"[{', '.join(_shown(item) for item in value)}]"
    name = getattr(value, "name", None)
    return f"<scenario {name!r}>" if isinstance(name, str) else repr(value)


def _finish(
    folder: Path, result: R, sources: Sequence[tuple[Path, LoadedScenario]], report: bool
) -> Study[R]:
    """Keep each scenario's files, clear the checkpoints, and write the report if asked."""
    from caseload_sim.experiment.checkpoints import CheckpointStore
    from caseload_sim.results.writer import copy_sources

    for where, loaded in sources:
        copy_sources(where, list(loaded.files))
    CheckpointStore(folder).clear()
    return Study(folder, result, write_folder_report(folder) if report else None)


def run_to_folder(
    scenario: ScenarioInput = None,
    out: str | Path | None = None,
    settings: RunSettings | None = None,
    *,
    overrides: Sequence[str] = (),
    report: bool = False,
    progress: Progress = None,
    command: str | None = None,
) -> Study[ExperimentResult]:
    """Run a scenario's replications and write its results folder, as ``caseload-sim run`` does.

    Parameters
    ----------
    scenario
        A scenario file (None: the bundled default), or a scenario (its files are then unknown
        and ``sources/`` is not written).
    out
        The results folder; default ``results/NAME``.
    settings
        How to run (:class:`~caseload_sim.experiment.settings.RunSettings`); default the
        scenario's own choices on local processes.
    overrides
        ``dotted.path=value`` changes, as ``--set``.
    report
        Also write ``report.html`` and the charts.
    progress
        See :data:`Progress`.
    command
        Recorded in ``provenance.json``; default a description of this call.
    """
    from caseload_sim.experiment.runner import run_experiment
    from caseload_sim.results.writer import write_results

    chosen = _settings(settings)
    loaded = _loaded(scenario, overrides)
    folder = _folder(out, _name(loaded.scenario))
    running = _Running(folder, chosen)
    result = running.run(partial(run_experiment, loaded.scenario), progress)
    call = _python_call("run_to_folder", [scenario, folder], chosen, overrides, report)
    write_results(result, folder, chosen.events, running.provenance(command or call))
    return _finish(folder, result, [(folder, loaded)], report)


def compare_to_folder(
    scenarios: Sequence[ScenarioInput],
    out: str | Path | None = None,
    settings: RunSettings | None = None,
    *,
    overrides: Sequence[str] = (),
    report: bool = False,
    progress: Progress = None,
    command: str | None = None,
) -> Study[Comparison]:
    """Compare scenarios (the first is the baseline) and write the folder, as ``caseload-sim
    compare`` does: default ``results/comparison``; ``overrides`` apply to every scenario; the
    other parameters are those of :func:`run_to_folder`."""
    from caseload_sim.experiment.comparison import compare
    from caseload_sim.results.writer import write_comparison

    chosen = _settings(settings)
    loaded = [_loaded(scenario, overrides) for scenario in scenarios]
    folder = _folder(out, "comparison")
    running = _Running(folder, chosen)
    comparison = running.run(partial(compare, [item.scenario for item in loaded]), progress)
    call = _python_call("compare_to_folder", [scenarios, folder], chosen, overrides, report)
    write_comparison(comparison, folder, running.provenance(command or call))
    sources = [
        (folder / _name(result.scenario), item)
        for item, result in zip(loaded, comparison.results, strict=True)
    ]
    return _finish(folder, comparison, sources, report)


def parse_varies(varies: Sequence[str | Vary]) -> list[Vary]:
    """The fields of a sweep, each ``PATH=V1,V2,...`` or ``PATH=START:STOP[:STEP]``."""
    from caseload_sim.experiment.precision import PrecisionError
    from caseload_sim.experiment.sweep import parse_vary

    try:
        return [parse_vary(vary) if isinstance(vary, str) else vary for vary in varies]
    except PrecisionError as error:
        raise StudyError(str(error)) from error


def sweep_to_folder(
    scenario: ScenarioInput,
    varies: Sequence[str | Vary],
    out: str | Path | None = None,
    settings: RunSettings | None = None,
    *,
    overrides: Sequence[str] = (),
    report: bool = False,
    progress: Progress = None,
    command: str | None = None,
) -> Study[SweepResult]:
    """Run the full grid of ``varies`` (see :func:`parse_varies`) and write the folder, as
    ``caseload-sim sweep`` does: default ``results/NAME_sweep``; the other parameters are those
    of :func:`run_to_folder`."""
    from caseload_sim.experiment.sweep import sweep
    from caseload_sim.results.writer import write_sweep

    chosen = _settings(settings)
    loaded = _loaded(scenario, overrides)
    fields = parse_varies(varies)
    folder = _folder(out, f"{_name(loaded.scenario)}_sweep")
    running = _Running(folder, chosen)
    result = running.run(partial(sweep, loaded.scenario, fields), progress)
    call = _python_call("sweep_to_folder", [scenario, varies, folder], chosen, overrides, report)
    write_sweep(result, folder, running.provenance(command or call))
    return _finish(folder, result, [(folder, loaded)], report)


def parse_staffing(vary: str | Vary, targets: Sequence[str | Target]) -> tuple[Vary, list[Target]]:
    """The field a staffing search varies (numbers only) and its targets (``KPI>=VALUE``...)."""
    from caseload_sim.experiment.precision import PrecisionError
    from caseload_sim.experiment.sweep import parse_target, parse_vary

    text = vary if isinstance(vary, str) else f"{vary.path}={','.join(vary.values)}"
    try:
        varied = parse_vary(vary) if isinstance(vary, str) else vary
        parsed = [parse_target(target) if isinstance(target, str) else target for target in targets]
        for value in varied.values:
            float(value)
    except ValueError as error:
        message = (
            str(error)
            if isinstance(error, PrecisionError)
            else f"--vary {text!r}: staffing searches numbers; give START:STOP[:STEP] or numbers"
        )
        raise StudyError(message) from error
    return varied, parsed


def staffing_to_folder(
    scenario: ScenarioInput,
    vary: str | Vary,
    targets: Sequence[str | Target],
    out: str | Path | None = None,
    settings: RunSettings | None = None,
    *,
    overrides: Sequence[str] = (),
    report: bool = False,
    progress: Progress = None,
    command: str | None = None,
) -> Study[StaffingResult]:
    """Find the smallest value of ``vary`` meeting every target (see :func:`parse_staffing`) and
    write the folder, as ``caseload-sim staffing`` does: default ``results/NAME_staffing``; the
    other parameters are those of :func:`run_to_folder`."""
    from caseload_sim.experiment.sweep import staffing
    from caseload_sim.results.writer import write_staffing

    chosen = _settings(settings)
    loaded = _loaded(scenario, overrides)
    varied, parsed = parse_staffing(vary, targets)
    folder = _folder(out, f"{_name(loaded.scenario)}_staffing")
    running = _Running(folder, chosen)
    result = running.run(partial(staffing, loaded.scenario, varied, parsed), progress)
    arguments = [scenario, vary, targets, folder]
    call = _python_call("staffing_to_folder", arguments, chosen, overrides, report)
    write_staffing(result, folder, running.provenance(command or call))
    return _finish(folder, result, [(folder, loaded)], report)


def write_folder_report(folder: str | Path) -> Path:
    """Write ``FOLDER/report.html`` (and the charts) for a results folder; the report's path."""
    where = Path(folder)
    wanted = "give a results folder written by run, compare, sweep or staffing"
    if not where.exists():
        raise StudyError(f"{where}: no such folder; {wanted}")
    if not where.is_dir():
        raise StudyError(f"{where}: not a folder; {wanted}")
    from caseload_sim.report import write_report
    from caseload_sim.results.reader import ResultsFolderError

    try:
        return write_report(where)
    except ResultsFolderError as error:
        raise StudyError(str(error)) from error
    except OSError as error:
        raise StudyError(f"{where}: cannot write the report ({error.strerror})") from error
