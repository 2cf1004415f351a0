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
    """The user pressed Ctrl-C during a long command (the results folder, if any)."""


def _load(scenario: Path | None, overrides: list[str] | None) -> Any:
    from caseload_sim.scenario.loading import ScenarioError, load_scenario

    try:
        return load_scenario(scenario, overrides or [])
    except ScenarioError as error:
        raise BadInput(str(error)) from None


ReplicationsOption = Annotated[
    str | None,
    typer.Option(
        "--replications",
        "-r",
        metavar="N|auto",
        help="Replications, or 'auto' to choose them to --precision (Hoad, Robinson & Davies "
        "2010). Default: the scenario's simulation.replications.",
    ),
]
SeedOption = Annotated[int | None, typer.Option(min=0, help="Root random seed.")]
JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Local processes (default: all cores)."),
]
ExecutorOption = Annotated[
    str, typer.Option("--executor", metavar="local|dask", help="Where replications run.")
]
AddressOption = Annotated[
    str | None,
    typer.Option("--address", metavar="tcp://HOST:PORT", help="Dask scheduler (--executor dask)."),
]
WarmupOption = Annotated[
    str | None,
    typer.Option(
        "--warmup",
        metavar="DAYS|auto",
        help="Warm-up in days, or 'auto' for MSER-5. Default: the scenario's warmup_days.",
    ),
]
PrecisionOption = Annotated[
    float,
    typer.Option(min=0.0001, help="Relative half-width target for --replications auto."),
]
BudgetOption = Annotated[
    int, typer.Option(min=3, help="Most replications --replications auto may run.")
]
ResumeOption = Annotated[
    bool,
    typer.Option("--resume", help="Reuse replications an interrupted run saved in --out."),
]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Results folder.")]
AllOption = Annotated[bool, typer.Option("--all", help="Print every KPI, not the headline.")]
ReportOption = Annotated[
    bool,
    typer.Option(
        "--report", help="Also write report.html (one self-contained page) and the charts."
    ),
]


class _Session:
    """What every experiment command does around its work: checks, progress, provenance."""

    def __init__(
        self, out: Path, executor: str, address: str | None, jobs: int | None, resume: bool
    ) -> None:
        import datetime as dt
        import time

        _check_output_folder(out)
        self.out = out
        self.resume = resume
        self.started = time.perf_counter()
        self.started_utc = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.executor_kind = executor
        from caseload_sim.experiment.executors import ExecutorError, make_executor

        try:
            self.executor = make_executor(executor, jobs, address)
        except ExecutorError as error:
            raise BadInput(str(error)) from None

    def run(self, description: str, work: Any) -> Any:
        """Run ``work(progress)`` with a progress bar; errors become messages."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        from caseload_sim.experiment.executors import ExecutorError
        from caseload_sim.experiment.precision import PrecisionError

        try:
            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            ) as bar:
                task = bar.add_task(description, total=None)
                return work(lambda done, total: bar.update(task, completed=done, total=total))
        except KeyboardInterrupt:
            raise Interrupted(self.out) from None
        except (PrecisionError, ExecutorError) as error:
            raise BadInput(str(error)) from None
        finally:
            self.executor.close()

    def provenance(self) -> dict[str, Any]:
        import time

        return {
            "command": " ".join(["caseload-sim", *sys.argv[1:]]),
            "started_utc": self.started_utc,
            "wall_seconds": round(time.perf_counter() - self.started, 3),
            "executor": self.executor_kind,
            "parallelism": self.executor.parallelism,
            "resumed": self.resume,
        }


def _replications(value: str | None) -> int | str | None:
    if value is None or value == "auto":
        return value
    try:
        count = int(value)
    except ValueError:
        raise BadInput(f"--replications {value!r}: allowed: a whole number >= 1, or auto") from None
    if count < 1:
        raise BadInput(f"--replications {value!r}: allowed: a whole number >= 1, or auto")
    return count


def _warmup(value: str | None) -> float | str | None:
    if value is None or value == "auto":
        return value
    try:
        days = float(value)
    except ValueError:
        raise BadInput(f"--warmup {value!r}: allowed: a number of days >= 0, or auto") from None
    if not days >= 0:
        raise BadInput(f"--warmup {value!r}: allowed: a number of days >= 0, or auto")
    return days


@app.command()
def run(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario file (TOML). Default: the bundled county_2010_baseline."),
    ] = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    jobs: JobsOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Results folder (default: results/NAME).")
    ] = None,
    events: Annotated[bool, typer.Option("--events", help="Also write events.csv.")] = False,
    all_kpis: AllOption = False,
    warmup: WarmupOption = None,
    precision: PrecisionOption = 0.05,
    budget: BudgetOption = 100,
    executor: ExecutorOption = "local",
    address: AddressOption = None,
    resume: ResumeOption = False,
    set_: SetOption = None,
    report: ReportOption = False,
) -> None:
    """Run a scenario's replications and report its KPIs with 95% confidence intervals."""
    from caseload_sim.experiment.runner import run_experiment
    from caseload_sim.results.writer import write_results

    loaded = _load(scenario, set_)
    folder = out if out is not None else Path("results") / _folder_name(loaded.name)
    count, days = _replications(replications), _warmup(warmup)
    session = _Session(folder, executor, address, jobs, resume)
    result = session.run(
        f"{loaded.name}: replications",
        lambda progress: run_experiment(
            loaded,
            count,
            seed,
            keep_events=events,
            progress=progress,
            warmup=days,
            precision=precision,
            budget=budget,
            executor=session.executor,
            out=folder,
            resume=resume,
        ),
    )
    write_results(result, folder, events=events, provenance=session.provenance())
    _keep_sources(folder, scenario)
    _clear_checkpoints(folder)
    _print_kpis(result, all_kpis)
    _print_periods(result)
    _note_choices(result)
    _wide_console().print(f"Results written to [bold]{folder}[/bold]")
    if report:
        _write_report(folder)


@app.command()
def compare(
    scenarios: Annotated[
        list[Path], typer.Argument(help="Scenario files; the first is the baseline.")
    ],
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    jobs: JobsOption = None,
    out: OutOption = None,
    all_kpis: AllOption = False,
    warmup: WarmupOption = None,
    precision: PrecisionOption = 0.05,
    budget: BudgetOption = 100,
    executor: ExecutorOption = "local",
    address: AddressOption = None,
    resume: ResumeOption = False,
    set_: SetOption = None,
    report: ReportOption = False,
) -> None:
    """Compare scenarios on common random numbers: paired differences against the first."""
    from caseload_sim.experiment.comparison import compare as run_comparison
    from caseload_sim.results.writer import write_comparison

    if len(scenarios) < 2:
        raise BadInput("compare needs at least two scenario files: a baseline and an option")
    loaded = [_load(path, set_) for path in scenarios]
    folder = out if out is not None else Path("results") / "comparison"
    count, days = _replications(replications), _warmup(warmup)
    session = _Session(folder, executor, address, jobs, resume)
    comparison = session.run(
        f"{len(loaded)} scenarios: replications",
        lambda progress: run_comparison(
            loaded,
            count,
            seed,
            progress=progress,
            warmup=days,
            precision=precision,
            budget=budget,
            executor=session.executor,
            out=folder,
            resume=resume,
        ),
    )
    write_comparison(comparison, folder, provenance=session.provenance())
    for path, result in zip(scenarios, comparison.results, strict=True):
        _keep_sources(folder / _folder_name(result.scenario.name), path)
    _clear_checkpoints(folder)
    _print_comparison(comparison, all_kpis)
    _note_choices(comparison.results[0])
    _wide_console().print(f"Results written to [bold]{folder}[/bold]")
    if report:
        _write_report(folder)


@app.command()
def sweep(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    vary: Annotated[
        list[str],
        typer.Option(
            "--vary",
            metavar="PATH=V1,V2|START:STOP[:STEP]",
            help="A field and its values (repeatable: the full grid is run).",
        ),
    ],
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    jobs: JobsOption = None,
    out: OutOption = None,
    precision: PrecisionOption = 0.05,
    budget: BudgetOption = 100,
    executor: ExecutorOption = "local",
    address: AddressOption = None,
    resume: ResumeOption = False,
    set_: SetOption = None,
    report: ReportOption = False,
) -> None:
    """Run a grid of values of one or more fields on common random numbers."""
    from caseload_sim.experiment.precision import PrecisionError
    from caseload_sim.experiment.sweep import parse_vary
    from caseload_sim.experiment.sweep import sweep as run_sweep
    from caseload_sim.results.writer import write_sweep

    loaded = _load(scenario, set_)
    try:
        varies = [parse_vary(text) for text in vary]
    except PrecisionError as error:
        raise BadInput(str(error)) from None
    folder = out if out is not None else Path("results") / f"{_folder_name(loaded.name)}_sweep"
    count = _replications(replications)
    session = _Session(folder, executor, address, jobs, resume)
    result = session.run(
        f"{loaded.name}: sweep",
        lambda progress: run_sweep(
            loaded,
            varies,
            count,
            seed,
            progress=progress,
            precision=precision,
            budget=budget,
            executor=session.executor,
            out=folder,
            resume=resume,
        ),
    )
    write_sweep(result, folder, provenance=session.provenance())
    _keep_sources(folder, scenario)
    _clear_checkpoints(folder)
    _wide_console().print(
        f"{len(result.points)} points run; results written to [bold]{folder / 'sweep.csv'}[/bold]"
    )
    if report:
        _write_report(folder)


@app.command()
def staffing(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    vary: Annotated[
        str,
        typer.Option(
            "--vary",
            metavar="PATH=START:STOP[:STEP]",
            help="The field to search, e.g. workforce.teams.north.staff.sw=8:20.",
        ),
    ],
    target: Annotated[
        list[str],
        typer.Option(
            "--target",
            metavar="KPI>=VALUE|KPI<=VALUE",
            help="A target every point must meet with 95% confidence (repeatable).",
        ),
    ],
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    jobs: JobsOption = None,
    out: OutOption = None,
    precision: PrecisionOption = 0.05,
    budget: BudgetOption = 100,
    executor: ExecutorOption = "local",
    address: AddressOption = None,
    resume: ResumeOption = False,
    set_: SetOption = None,
    report: ReportOption = False,
) -> None:
    """Find the smallest value of a field (e.g. social workers) that meets every target."""
    from caseload_sim.experiment.precision import PrecisionError
    from caseload_sim.experiment.sweep import parse_target, parse_vary
    from caseload_sim.experiment.sweep import staffing as run_staffing
    from caseload_sim.results.writer import write_staffing

    loaded = _load(scenario, set_)
    try:
        varied = parse_vary(vary)
        targets = [parse_target(text) for text in target]
        for value in varied.values:
            float(value)
    except ValueError as error:
        message = (
            str(error)
            if isinstance(error, PrecisionError)
            else f"--vary {vary!r}: staffing searches numbers; give START:STOP[:STEP] or numbers"
        )
        raise BadInput(message) from None
    folder = out if out is not None else Path("results") / f"{_folder_name(loaded.name)}_staffing"
    count = _replications(replications)
    session = _Session(folder, executor, address, jobs, resume)
    result = session.run(
        f"{loaded.name}: staffing search",
        lambda progress: run_staffing(
            loaded,
            varied,
            targets,
            count,
            seed,
            progress=progress,
            precision=precision,
            budget=budget,
            executor=session.executor,
            out=folder,
            resume=resume,
        ),
    )
    write_staffing(result, folder, provenance=session.provenance())
    _keep_sources(folder, scenario)
    _clear_checkpoints(folder)
    console = _wide_console()
    wanted = " and ".join(str(t) for t in targets)
    run_values = ", ".join(result.values[i] for i in sorted(result.evaluated))
    if result.met:
        console.print(
            f"Smallest {result.path} meeting {wanted} with 95% confidence: "
            f"[bold]{result.answer}[/bold] (points run: {run_values})"
        )
    else:
        console.print(
            f"[bold]No value[/bold] of {result.path} from {result.values[0]} to "
            f"{result.values[-1]} meets {wanted} with 95% confidence (points run: "
            f"{run_values})."
        )
    console.print(f"Results written to [bold]{folder}[/bold]")
    if report:
        _write_report(folder)


@app.command("report")
def report_command(
    folder: Annotated[
        Path, typer.Argument(help="A results folder written by run, compare, sweep or staffing.")
    ],
) -> None:
    """Write FOLDER/report.html: KPIs, charts, methods and assumptions in one offline page."""
    if not folder.exists():
        raise BadInput(
            f"{folder}: no such folder; give a results folder written by run, "
            "compare, sweep or staffing"
        )
    if not folder.is_dir():
        raise BadInput(
            f"{folder}: not a folder; give a results folder written by run, "
            "compare, sweep or staffing"
        )
    _write_report(folder)


def _write_report(folder: Path) -> None:
    """Write the HTML report (and charts) of a results folder and print its path."""
    from caseload_sim.report import write_report
    from caseload_sim.results.reader import ResultsFolderError

    try:
        path = write_report(folder)
    except ResultsFolderError as error:
        raise BadInput(str(error)) from None
    except OSError as error:
        raise BadInput(f"{folder}: cannot write the report ({error.strerror})") from None
    _wide_console().print(f"Report written to [bold]{path}[/bold]")


def _keep_sources(folder: Path, scenario: Path | None) -> None:
    """Copy the scenario file (and those it is based on) into the results, notes and all."""
    from caseload_sim.results.writer import copy_sources
    from caseload_sim.scenario.loading import source_files

    copy_sources(folder, source_files(scenario))


def _clear_checkpoints(folder: Path) -> None:
    from caseload_sim.experiment.checkpoints import CheckpointStore

    CheckpointStore(folder).clear()


def _note_choices(result: Any) -> None:
    choice = result.replication_choice
    console = _wide_console()
    if choice.get("method", "fixed") != "fixed":
        console.print(f"Replications: {choice['run']} run ({choice['reason']}).")
    warmup = result.warmup_choice
    if warmup.get("method", "fixed") != "fixed":
        console.print(f"Warm-up: {warmup['warmup_days']:g} days by MSER-5.")


def _folder_name(name: str) -> str:
    from caseload_sim.results.kinds import folder_name

    return folder_name(name)


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

    from caseload_sim.metrics.catalogue import HEADLINE_KPIS

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


def _print_periods(result: Any) -> None:
    """The headline KPIs of each period between dated changes (nothing without a timeline)."""
    from rich.markup import escape
    from rich.table import Table

    from caseload_sim.metrics.catalogue import HEADLINE_KPIS
    from caseload_sim.metrics.periods import DAYS_TO_RECOVER

    periods = result.period_summary()
    if not periods:
        return
    names = [n for n in HEADLINE_KPIS if n in periods[0]["kpis"]]
    table = Table(
        title="Before and after each change: mean (95% CI) in each period",
        caption="days_to_recover: from the change until the unallocated queue is back to its "
        "level before it, in the replications that recovered within the period.",
    )
    table.add_column("KPI", no_wrap=True, min_width=max((len(n) for n in names), default=3))
    for period in periods:
        table.add_column(
            f"{escape(period['label'])}\n{period['start_date']} to {period['end_date']}",
            justify="right",
        )
    table.add_column("unit")

    def cell(entry: dict[str, Any]) -> str:
        if entry["n"] == 0:
            return "-"
        interval = (
            f" ({_fmt(entry['ci95_low'])} to {_fmt(entry['ci95_high'])})" if entry["n"] > 1 else ""
        )
        return f"{_fmt(entry['mean'])}{interval}"

    for name in names:
        unit = periods[0]["kpis"][name]["unit"]
        table.add_row(name, *[cell(period["kpis"][name]) for period in periods], unit)
    recovery = [period[DAYS_TO_RECOVER] for period in periods[1:]]
    table.add_row(DAYS_TO_RECOVER, "-", *[cell(entry) for entry in recovery], "days")
    table.add_row(
        "replications_recovered",
        "-",
        *[f"{entry['n']} of {result.replications}" for entry in recovery],
        "replications",
    )
    _wide_console().print(table)


def _wide_console() -> Any:
    """A console wide enough for the KPI tables even when output goes to a file or pipe."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=160)


def _print_comparison(comparison: Any, all_kpis: bool) -> None:
    from rich.table import Table

    from caseload_sim.metrics.catalogue import HEADLINE_KPIS

    base = comparison.results[0]
    summaries = [r.summary() for r in comparison.results]
    names = list(summaries[0]) if all_kpis else [n for n in HEADLINE_KPIS if n in summaries[0]]
    table = Table(
        title=f"Paired comparison against {comparison.baseline}: "
        f"{base.replications} replications on common random numbers, seed "
        f"{base.seed}. * the 95% CI of the difference excludes 0"
    )
    table.add_column("KPI", no_wrap=True, min_width=max(len(n) for n in names))
    table.add_column(comparison.baseline, justify="right")
    for result in comparison.results[1:]:
        table.add_column(f"{result.scenario.name}\n(difference, 95% CI)", justify="right")
    for name in names:
        cells = [_fmt(summaries[0][name]["mean"])]
        for result in comparison.results[1:]:
            d = comparison.differences[result.scenario.name].get(name)
            if d is None or d["n"] == 0:
                cells.append("-")
                continue
            significant = d["ci95_low"] > 0 or d["ci95_high"] < 0
            cells.append(
                f"{d['mean']:+,.2f} ({_fmt(d['ci95_low'])} to "
                f"{_fmt(d['ci95_high'])}){' *' if significant else ''}"
            )
        table.add_row(name, *cells)
    _wide_console().print(table)


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
    from caseload_sim.metrics.catalogue import KPIS, kpi_reference_markdown

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


@app.command("synth-annex-a")
def synth_annex_a(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the lists to.")],
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario file (TOML). Default: the bundled county_2010_baseline."),
    ] = None,
    seed: SeedOption = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="xlsx|csv",
            help="annex_a.xlsx (a sheet per list) or list_1.csv, list_3.csv...",
        ),
    ] = "xlsx",
    replication: Annotated[
        int, typer.Option(min=0, help="Replication index (with the seed, fixes the run).")
    ] = 0,
    set_: SetOption = None,
) -> None:
    """Write synthetic Ofsted Annex A lists 1, 3, 4 and 5 from one run (invented children)."""
    if fmt not in ("xlsx", "csv"):
        raise BadInput(f"--format {fmt!r}: allowed: xlsx, csv")
    loaded = _load(scenario, set_)
    _check_output_folder(out)
    from caseload_sim.calibrate.columns import LISTS
    from caseload_sim.calibrate.synthetic import synthesise_annex_a, write_annex_a

    try:
        lists = synthesise_annex_a(loaded, seed, replication)
        written = write_annex_a(lists, out, "csv" if fmt == "csv" else "xlsx")
    except KeyboardInterrupt:
        _fail(f"interrupted; no partly written file was left in {out}", 130)
    except OSError as error:
        raise BadInput(f"--out {out}: cannot write the lists ({error.strerror})") from None
    console = _wide_console()
    root = loaded.simulation.seed if seed is None else seed
    console.print(
        f"Synthetic Annex A lists (invented children) from one run of {loaded.name}, seed "
        f"{root}, replication {replication}, written to [bold]{written}[/bold]"
    )
    for number, table in lists.items():
        console.print(f"  List {number} ({LISTS[number].title}): {len(table):,} rows")


@app.command("calibrate")
def calibrate(
    data: Annotated[
        Path, typer.Argument(help="Annex A workbook (.xlsx) or a folder of list CSV files.")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Calibrated scenario file to write (TOML).")
    ],
    base: Annotated[
        Path | None,
        typer.Option(help="Scenario the calibration builds on. Default: county_2010_baseline."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="YYYY-MM-DD", help="Dates after this are errors. Default: today."
        ),
    ] = None,
    search: Annotated[
        bool,
        typer.Option(
            "--search/--no-search", help="Find the assessment effort by simulation (default on)."
        ),
    ] = True,
    replications: Annotated[
        int, typer.Option(min=1, max=50, help="Replications per candidate in the effort search.")
    ] = 2,
    seed: SeedOption = None,
) -> None:
    """Calibrate a scenario from a council's Ofsted Annex A lists 1, 3, 4 and 5."""
    import datetime as dt

    from caseload_sim.calibrate.annex_a import CalibrationError
    from caseload_sim.calibrate.pipeline import calibrate as run_calibration
    from caseload_sim.scenario.loading import ScenarioError

    cutoff = None
    if as_of is not None:
        try:
            cutoff = dt.date.fromisoformat(as_of)
        except ValueError:
            raise BadInput(f"--as-of {as_of!r}: allowed: a date as YYYY-MM-DD") from None
    if out.exists() and out.is_dir():
        raise BadInput(
            f"--out {out}: is a folder; give the scenario file to write, e.g. {out}/calibrated.toml"
        )
    try:
        outcome = run_calibration(
            data, out, base, as_of=cutoff, search=search, replications=replications, seed=seed
        )
    except (CalibrationError, ScenarioError) as error:
        raise BadInput(str(error)) from None
    except KeyboardInterrupt:
        _fail(f"interrupted; {out} was not written (or is as it was)", 130)
    except OSError as error:
        raise BadInput(f"cannot write {error.filename or out}: {error.strerror}") from None
    console = _wide_console()
    for number in sorted(outcome.kept):
        console.print(
            f"List {number}: {outcome.kept[number]:,} rows used, "
            f"{outcome.rejected[number]:,} rejected"
        )
    if outcome.search is not None:
        found = outcome.search
        console.print(
            f"Effort found by simulation: {found.effort_field} = {found.hours:.2f} hours "
            f"(simulated mean {found.simulated_mean:.2f} against observed "
            f"{found.observed_mean:.2f} working days, {found.distance:+.1%})"
        )
    console.print(f"Calibrated scenario written to [bold]{outcome.scenario_path}[/bold]")
    console.print(f"Rejected rows: {outcome.report_csv}; evidence: {outcome.report_html}")


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"caseload-sim: {message}", err=True)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command line, turning errors into messages and exit codes."""
    try:
        app(args=argv)
    except BadInput as error:
        _fail(str(error), EXIT_BAD_INPUT)
    except Interrupted as interrupted:
        where = f" in {interrupted.args[0]}" if interrupted.args else ""
        _fail(
            "interrupted; no partial result files were written. Finished replications are "
            f"saved{where}: run the same command with --resume to continue",
            130,
        )
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
