"""``synth-annex-a`` and ``calibrate``: synthetic Ofsted Annex A lists, and a scenario fitted to
a council's own lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from caseload_sim.cli.common import (
    EXIT_INTERRUPTED,
    BadInput,
    fail,
    load,
    user_errors,
    wide_console,
)
from caseload_sim.cli.options import DefaultScenarioArgument, SeedOption, SetOption


def synth_annex_a(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the lists to.")],
    scenario: DefaultScenarioArgument = None,
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
    layout: Annotated[
        str,
        typer.Option(
            "--layout",
            metavar="ofsted|plain",
            help="ofsted: Ofsted's coded answers ('a) Yes', 'q) 6: Police'), as councils export "
            "them; plain: bare answers ('Yes', '6').",
        ),
    ] = "ofsted",
    set_: SetOption = None,
) -> None:
    """Write synthetic Ofsted Annex A lists 1, 3, 4 and 5 from one run (invented children)."""
    if fmt not in ("xlsx", "csv"):
        raise BadInput(f"--format {fmt!r}: allowed: xlsx, csv")
    from caseload_sim.calibrate.columns import LISTS
    from caseload_sim.calibrate.synthetic import LAYOUTS, synthesise_annex_a, write_annex_a

    if layout not in LAYOUTS:
        raise BadInput(f"--layout {layout!r}: allowed: {', '.join(LAYOUTS)}")
    from caseload_sim.studies import check_output_folder

    loaded = load(scenario, set_).scenario
    with user_errors():
        check_output_folder(out)
    try:
        lists = synthesise_annex_a(loaded, seed, replication, layout)
        written = write_annex_a(lists, out, "csv" if fmt == "csv" else "xlsx")
    except KeyboardInterrupt:
        fail(f"interrupted; no partly written file was left in {out}", EXIT_INTERRUPTED)
    except OSError as error:
        raise BadInput(f"--out {out}: cannot write the lists ({error.strerror})") from None
    console = wide_console()
    root = loaded.simulation.seed if seed is None else seed
    console.print(
        f"Synthetic Annex A lists (invented children) from one run of {loaded.name}, seed "
        f"{root}, replication {replication}, written to [bold]{written}[/bold]"
    )
    for number, table in lists.items():
        console.print(f"  List {number} ({LISTS[number].title}): {len(table):,} rows")


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
        fail(f"interrupted; {out} was not written (or is as it was)", EXIT_INTERRUPTED)
    except OSError as error:
        raise BadInput(f"cannot write {error.filename or out}: {error.strerror}") from None
    console = wide_console()
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
