"""``run``, ``compare``, ``sweep`` and ``staffing``: read the options, call the Python API
(:mod:`caseload_sim.studies`, which writes the results folder), print what came of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from caseload_sim.cli.common import (
    BadInput,
    command_line,
    load,
    progress_bar,
    run_settings,
    user_errors,
    wide_console,
)
from caseload_sim.cli.options import (
    AddressOption,
    AllOption,
    BudgetOption,
    DefaultScenarioArgument,
    ExecutorOption,
    IdsOption,
    JobsOption,
    OutOption,
    PrecisionOption,
    ReplicationsOption,
    ReportOption,
    ResumeOption,
    ScenarioArgument,
    SeedOption,
    SetOption,
    WarmupOption,
)
from caseload_sim.cli.reports import print_report
from caseload_sim.cli.tables import note_choices, print_comparison, print_kpis, print_periods


def run(
    scenario: DefaultScenarioArgument = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    jobs: JobsOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Results folder (default: results/NAME).")
    ] = None,
    events: Annotated[bool, typer.Option("--events", help="Also write events.csv.")] = False,
    all_kpis: AllOption = False,
    ids: IdsOption = False,
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
    from caseload_sim.studies import run_to_folder

    loaded = load(scenario, set_)
    settings = run_settings(
        replications=replications,
        seed=seed,
        jobs=jobs,
        executor=executor,
        address=address,
        warmup=warmup,
        precision=precision,
        budget=budget,
        resume=resume,
        events=events,
    )
    with user_errors():
        study = run_to_folder(
            loaded,
            out,
            settings,
            progress=progress_bar(f"{loaded.scenario.name}: replications"),
            command=command_line(),
        )
    print_kpis(study.result, all_kpis, ids)
    print_periods(study.result, ids)
    note_choices(study.result)
    wide_console().print(f"Results written to [bold]{study.folder}[/bold]")
    if report:
        print_report(study.folder)


def compare(
    scenarios: Annotated[
        list[Path], typer.Argument(help="Scenario files; the first is the baseline.")
    ],
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    jobs: JobsOption = None,
    out: OutOption = None,
    all_kpis: AllOption = False,
    ids: IdsOption = False,
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
    from caseload_sim.studies import compare_to_folder

    if len(scenarios) < 2:
        raise BadInput("compare needs at least two scenario files: a baseline and an option")
    loaded = [load(path, set_) for path in scenarios]
    settings = run_settings(
        replications=replications,
        seed=seed,
        jobs=jobs,
        executor=executor,
        address=address,
        warmup=warmup,
        precision=precision,
        budget=budget,
        resume=resume,
    )
    with user_errors():
        study = compare_to_folder(
            loaded,
            out,
            settings,
            progress=progress_bar(f"{len(loaded)} scenarios: replications"),
            command=command_line(),
        )
    print_comparison(study.result, all_kpis, ids)
    note_choices(study.result.results[0])
    wide_console().print(f"Results written to [bold]{study.folder}[/bold]")
    if report:
        print_report(study.folder)


def sweep(
    scenario: ScenarioArgument,
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
    from caseload_sim.studies import parse_varies, sweep_to_folder

    loaded = load(scenario, set_)
    with user_errors():
        varies = parse_varies(vary)
    settings = run_settings(
        replications=replications,
        seed=seed,
        jobs=jobs,
        executor=executor,
        address=address,
        precision=precision,
        budget=budget,
        resume=resume,
    )
    with user_errors():
        study = sweep_to_folder(
            loaded,
            varies,
            out,
            settings,
            progress=progress_bar(f"{loaded.scenario.name}: sweep"),
            command=command_line(),
        )
    wide_console().print(
        f"{len(study.result.points)} points run; results written to "
        f"[bold]{study.folder / 'sweep.csv'}[/bold]"
    )
    if report:
        print_report(study.folder)


def staffing(
    scenario: ScenarioArgument,
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
    ids: IdsOption = False,
) -> None:
    """Find the smallest value of a field (e.g. social workers) that meets every target."""
    from caseload_sim.studies import parse_staffing, staffing_to_folder

    loaded = load(scenario, set_)
    with user_errors():
        varied, targets = parse_staffing(vary, target)
    settings = run_settings(
        replications=replications,
        seed=seed,
        jobs=jobs,
        executor=executor,
        address=address,
        precision=precision,
        budget=budget,
        resume=resume,
    )
    with user_errors():
        study = staffing_to_folder(
            loaded,
            varied,
            targets,
            out,
            settings,
            progress=progress_bar(f"{loaded.scenario.name}: staffing search"),
            command=command_line(),
        )
    from caseload_sim.charts.wording import target_words
    from caseload_sim.scenario.wording import field_label

    result = study.result
    console = wide_console()
    wanted = " and ".join(str(t) if ids else target_words(str(t)) for t in targets)
    field = result.path if ids else field_label(result.path)
    run_values = ", ".join(result.values[i] for i in sorted(result.evaluated))
    if result.met:
        console.print(
            f"Smallest {field} meeting {wanted} with 95% confidence: "
            f"[bold]{result.answer}[/bold] (points run: {run_values})"
        )
    else:
        console.print(
            f"[bold]No value[/bold] of {field} from {result.values[0]} to "
            f"{result.values[-1]} meets {wanted} with 95% confidence (points run: "
            f"{run_values})."
        )
    from rich.markup import escape

    from caseload_sim.report.value_for_money import answer_cost_words

    cost = answer_cost_words(result.document())
    if cost:
        console.print(escape(cost))
    console.print(f"Results written to [bold]{study.folder}[/bold]")
    if report:
        print_report(study.folder)
