"""The ``caseload-sim`` command line: parse, call the Python API, print.

One module per group of commands (:mod:`~caseload_sim.cli.experiments`,
:mod:`~caseload_sim.cli.scenarios`, :mod:`~caseload_sim.cli.calibration`,
:mod:`~caseload_sim.cli.reports`); they are registered here in the order ``--help`` lists them.
Heavy libraries (numpy, scipy, pandas, pydantic) are imported inside the commands so that
``caseload-sim --help`` answers at once. Exit codes: 0 success, 2 bad input, 1 internal error,
130 interrupted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys

import typer

from caseload_sim.cli import calibration, experiments, reports, scenarios, web
from caseload_sim.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    BadInput,
    Interrupted,
    fail,
)

app = typer.Typer(
    name="caseload-sim",
    help="Simulate a children's social care front door and test staffing options.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command()(experiments.run)
app.command()(experiments.compare)
app.command()(experiments.sweep)
app.command()(experiments.staffing)
app.command("report")(reports.report_command)
app.command()(scenarios.check)
app.command()(scenarios.schema)
app.command()(scenarios.kpis)
app.command("synth-annex-a")(calibration.synth_annex_a)
app.command("calibrate")(calibration.calibrate)
app.command("app")(web.app_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command line, turning errors into messages and exit codes."""
    try:
        app(args=argv)
    except BadInput as error:
        fail(str(error), EXIT_BAD_INPUT)
    except Interrupted as interrupted:
        where = f" in {interrupted.args[0]}" if interrupted.args else ""
        fail(
            "interrupted; no partial result files were written. Finished replications are "
            f"saved{where}: run the same command with --resume to continue",
            EXIT_INTERRUPTED,
        )
    except Exception as error:  # an internal error: say so plainly, details on request
        if os.environ.get("CASELOAD_SIM_DEBUG"):
            raise
        fail(
            f"internal error: {type(error).__name__}: {error} (set CASELOAD_SIM_DEBUG=1 for "
            "details)",
            EXIT_INTERNAL,
        )


def entry() -> None:
    """The ``caseload-sim`` console script: :func:`main`, then leave the process at once.

    Everything a command makes is written and closed before :func:`main` returns; what is left
    is a heap of millions of small objects (a run's referrals and events), and freeing them one
    by one at interpreter exit took 0.2 to 0.5 s of every run. So, as mypy does, flush the
    streams and exit without that teardown. Tests call :func:`main`, which returns normally.
    """
    try:
        main()
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    if isinstance(code, str):  # SystemExit("message"): Python prints it and exits 1
        sys.stderr.write(code + "\n")
        code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # the reader has gone (``| head``)
            stream.flush()
    os._exit(code or 0)
