"""The ``caseload-sim`` command line: parse, call the Python API, print.

Heavy libraries (numpy, scipy, pandas, pydantic) are imported inside the commands so that
``caseload-sim --help`` answers at once. Exit codes: 0 success, 2 bad input, 1 internal error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(
    name="caseload-sim",
    help="Simulate a children's social care front door and test staffing options.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Override a scenario field, e.g. --set workforce.teams.north.staff.sw=14 "
        "(repeatable).",
    ),
]


class BadInput(Exception):
    """Input the user can fix; reported with exit code 2."""


class Interrupted(Exception):
    """The user pressed Ctrl-C during a long command."""


def _load(scenario: Path | None, overrides: list[str] | None) -> Any:
    from caseload_sim.scenario.loading import ScenarioError, load_scenario

    try:
        return load_scenario(scenario, overrides or [])
    except ScenarioError as error:
        raise BadInput(str(error)) from None


@app.command()
def run(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario file (TOML). Default: the bundled county_2010_baseline."),
    ] = None,
    replications: Annotated[
        int | None, typer.Option("--replications", "-r", min=1, help="Replications to run.")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Root random seed.")] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Parallel processes (default: all cores)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Results folder (default: results/NAME).")
    ] = None,
    events: Annotated[bool, typer.Option("--events", help="Also write events.csv.")] = False,
    all_kpis: Annotated[
        bool, typer.Option("--all", help="Print every KPI, not the headline.")
    ] = False,
    set_: SetOption = None,
) -> None:
    """Run a scenario's replications and report its KPIs with 95% confidence intervals."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from caseload_sim.experiment.output import write_results
    from caseload_sim.experiment.replications import run_experiment

    loaded = _load(scenario, set_)
    folder = out if out is not None else Path("results") / _folder_name(loaded.name)
    _check_output_folder(folder)
    console = Console(stderr=True)
    total = replications or loaded.simulation.replications
    try:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task(f"{loaded.name}: replications", total=total)
            result = run_experiment(
                loaded,
                total,
                seed,
                jobs,
                keep_events=events,
                progress=lambda done, _total: bar.update(task, completed=done),
            )
    except KeyboardInterrupt:
        raise Interrupted from None
    write_results(result, folder, events=events)
    _print_kpis(result, all_kpis)
    _wide_console().print(f"Results written to [bold]{folder}[/bold]")


def _folder_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "scenario"


def _check_output_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"--out {folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BadInput(f"--out {folder}: cannot create the folder ({error.strerror})") from None
    if not os.access(folder, os.W_OK):
        raise BadInput(f"--out {folder}: the folder is not writable")


def _print_kpis(result: Any, all_kpis: bool) -> None:
    from rich.table import Table

    from caseload_sim.metrics.kpis import HEADLINE_KPIS

    summary = result.summary()
    names = list(summary) if all_kpis else [n for n in HEADLINE_KPIS if n in summary]
    table = Table(
        title=f"{result.scenario.name}: {result.replications} replications, seed "
        f"{result.seed} (95% confidence intervals)"
    )
    table.add_column("KPI", no_wrap=True, min_width=max(len(n) for n in names))
    table.add_column("mean", justify="right")
    table.add_column("95% CI", justify="right")
    table.add_column("unit")
    for name in names:
        entry = summary[name]
        table.add_row(
            name,
            _fmt(entry["mean"]),
            f"{_fmt(entry['ci95_low'])} to {_fmt(entry['ci95_high'])}",
            entry["unit"],
        )
    _wide_console().print(table)


def _wide_console() -> Any:
    """A console wide enough for the KPI tables even when output goes to a file or pipe."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=120)


def _fmt(value: float) -> str:
    return "-" if value != value else f"{value:,.2f}"  # NaN is not equal to itself


@app.command()
def check(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML) to validate.")],
    set_: SetOption = None,
) -> None:
    """Validate a scenario file (and overrides) without running it."""
    loaded = _load(scenario, set_)
    typer.echo(f"{scenario}: valid scenario {loaded.name!r}")


@app.command()
def schema(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the scenario reference as Markdown.")
    ] = False,
) -> None:
    """Print the scenario JSON Schema (for editors), or the Markdown reference."""
    if markdown:
        from caseload_sim.scenario.reference import scenario_reference_markdown

        typer.echo(scenario_reference_markdown(), nl=False)
        return
    import json

    from caseload_sim.scenario.schema import Scenario

    typer.echo(json.dumps(Scenario.model_json_schema(), indent=2))


@app.command()
def kpis(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the KPI definitions as Markdown.")
    ] = False,
) -> None:
    """List the KPIs with their units and definitions."""
    from caseload_sim.metrics.kpis import KPIS, kpi_reference_markdown

    if markdown:
        typer.echo(kpi_reference_markdown(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="caseload_sim KPIs (see docs/kpis.md for numerators and denominators)")
    table.add_column("KPI", no_wrap=True)
    table.add_column("unit")
    table.add_column("what it measures")
    for kpi in KPIS.values():
        table.add_row(kpi.name, kpi.unit, kpi.description)
    Console().print(table)


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"caseload-sim: {message}", err=True)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command line, turning errors into messages and exit codes."""
    try:
        app(args=argv)
    except BadInput as error:
        _fail(str(error), EXIT_BAD_INPUT)
    except Interrupted:
        _fail("interrupted; no partial result files were written", 130)
    except Exception as error:  # an internal error: say so plainly, details on request
        if os.environ.get("CASELOAD_SIM_DEBUG"):
            raise
        _fail(
            f"internal error: {type(error).__name__}: {error} (set CASELOAD_SIM_DEBUG=1 for "
            "details)",
            EXIT_INTERNAL,
        )


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
