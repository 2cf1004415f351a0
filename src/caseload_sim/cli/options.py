"""The options several commands share, declared once (typer reads them from the annotations)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Override a scenario field, e.g. --set workforce.teams.north.staff.sw=14 "
        "(repeatable).",
    ),
]
DefaultScenarioArgument = Annotated[
    Path | None,
    typer.Argument(help="Scenario file (TOML). Default: the bundled county_2010_baseline."),
]
ScenarioArgument = Annotated[Path, typer.Argument(help="Scenario file (TOML).")]
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
IdsOption = Annotated[
    bool,
    typer.Option(
        "--ids",
        help="Also print each KPI's identifier (the name summary.json, the CSV files and "
        "--target use).",
    ),
]
ReportOption = Annotated[
    bool,
    typer.Option(
        "--report", help="Also write report.html (one self-contained page) and the charts."
    ),
]
