"""``report``: the HTML report of a results folder (``--report`` on the experiment commands too)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from caseload_sim.cli.common import user_errors, wide_console


def report_command(
    folder: Annotated[
        Path, typer.Argument(help="A results folder written by run, compare, sweep or staffing.")
    ],
) -> None:
    """Write FOLDER/report.html: KPIs, charts, methods and assumptions in one offline page."""
    print_report(folder)


def print_report(folder: Path) -> None:
    """Write the HTML report (and charts) of a results folder and print its path."""
    from caseload_sim.studies import write_folder_report

    with user_errors():
        path = write_folder_report(folder)
    wide_console().print(f"Report written to [bold]{path}[/bold]")
