"""What the commands share: errors the user can fix, Ctrl-C, the console, loading and settings.

Heavy libraries are imported inside the functions, so that ``caseload-sim --help`` answers at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from caseload_sim.experiment.settings import RunSettings
    from caseload_sim.studies import LoadedScenario

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1
EXIT_INTERRUPTED = 130


class BadInput(Exception):
    """Input the user can fix; reported with exit code 2."""


class Interrupted(Exception):
    """The user pressed Ctrl-C during a long command (the results folder, if any)."""


@contextmanager
def user_errors() -> Iterator[None]:
    """The Python calls' refusals as bad input, and Ctrl-C in their replications as such."""
    from caseload_sim.studies import StudyError, StudyInterrupted

    try:
        yield
    except StudyError as error:
        raise BadInput(str(error)) from None
    except StudyInterrupted as interrupted:
        raise Interrupted(interrupted.folder) from None


def load(scenario: Path | None, overrides: list[str] | None) -> LoadedScenario:
    """A scenario file with its ``--set`` overrides (and the files it came from)."""
    from caseload_sim.studies import read_scenario

    with user_errors():
        return read_scenario(scenario, overrides or [])


def run_settings(**options: Any) -> RunSettings:
    """The settings of an experiment command, from its options."""
    from caseload_sim.experiment.settings import RunSettings, SettingsError

    try:
        return RunSettings(**options)
    except SettingsError as error:
        raise BadInput(str(error)) from None


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar of finished replications on standard error, gone when they are done."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def command_line() -> str:
    """The command as typed, for ``provenance.json``."""
    return " ".join(["caseload-sim", *sys.argv[1:]])


def wide_console() -> Any:
    """A console wide enough for the KPI tables even when output goes to a file or pipe."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=160)


def fail(message: str, code: int) -> NoReturn:
    """Print ``caseload-sim: MESSAGE`` on standard error and exit with ``code``."""
    typer.echo(f"caseload-sim: {message}", err=True)
    raise SystemExit(code)
