"""``python -m caseload_sim.app.worker JOB_FOLDER``: run one job of the app (see
:mod:`caseload_sim.app.jobs`) and say how it ended in ``status.json``.

The study runs exactly as ``caseload-sim run`` runs it, into the job's partial folder; when it is
complete, the folder is renamed to its place under the results folder and the job is done, so
the page can show its figures at once. The report and its charts are drawn after that (each file
written whole), and the job's status says when they are ready. Input
the planner can fix ends the job with the command line's message; Ctrl-C (the page's Cancel)
removes the partial folder; anything else is an internal error, whose details go to the job's
``worker.log`` and never to the page.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path

from caseload_sim.app.jobs import CALIBRATED, CALIBRATION_SUMMARY, Job, Request
from caseload_sim.files import write_atomically


def run(folder: Path) -> str:
    """Run the job in ``folder``; the state it ended in."""
    from caseload_sim.studies import StudyError, write_folder_report

    job = Job(folder.parent.parent, folder.name)
    request = job.request()
    shutil.rmtree(job.partial_out, ignore_errors=True)
    if request.kind == "calibrate":
        from caseload_sim.calibrate.annex_a import CalibrationError
        from caseload_sim.scenario.loading import ScenarioError

        try:
            ended = _make(job, partial(_calibrate, request), (CalibrationError, ScenarioError))
        finally:  # nothing of the council's data outlives the calibration but what it wrote
            job.discard_upload()
        return ended or _end(folder, "done", "", report="ready")
    ended = _make(job, partial(_study, job, request), (StudyError,))
    if ended:
        return ended
    _end(folder, "done", "", report="drawing")
    try:
        # The figures are on the page now; the charts must not take the machine from it.
        os.nice(10)
        write_folder_report(job.out)
    except (Exception, KeyboardInterrupt):  # the figures stand without the charts
        traceback.print_exc()
        return _end(folder, "done", "The charts and the report could not be drawn.", "failed")
    return _end(folder, "done", "", report="ready")


def _make(
    job: Job, write: Callable[[Path], None], user_errors: tuple[type[Exception], ...]
) -> str | None:
    """Write the job's folder with ``write`` (into the partial folder, renamed into place once
    complete); None when it is complete, else the state the job ended in. Input the planner can
    fix (``user_errors``) ends it with its own message; Ctrl-C (Cancel) keeps nothing; anything
    else is an internal error, logged here, with a short message for the page."""
    try:
        write(job.partial_out)
        shutil.rmtree(job.out, ignore_errors=True)
        job.partial_out.rename(job.out)
        return None
    except KeyboardInterrupt:  # Cancel (the study's StudyInterrupted, or before it began)
        shutil.rmtree(job.partial_out, ignore_errors=True)
        return _end(job.folder, "cancelled", "Cancelled: nothing was kept.")
    except user_errors as error:
        shutil.rmtree(job.partial_out, ignore_errors=True)
        return _end(job.folder, "failed", str(error))
    except Exception as error:
        traceback.print_exc()
        shutil.rmtree(job.partial_out, ignore_errors=True)
        return _end(
            job.folder, "failed", f"internal error ({type(error).__name__}); details in the log"
        )


def _study(job: Job, request: Request, out: Path) -> None:
    """Run the study as the command line does, with progress for the page, and keep the
    scenario as the planner wrote it."""
    from caseload_sim import RunSettings
    from caseload_sim.studies import compare_to_folder, run_to_folder, staffing_to_folder

    started = time.monotonic()

    def progress(finished: int, total: int) -> None:
        elapsed = round(time.monotonic() - started, 3)
        write_atomically(
            job.folder / "progress.json",
            json.dumps({"finished": finished, "total": total, "elapsed_seconds": elapsed}),
        )

    settings = RunSettings(replications=request.replications, seed=request.seed, jobs=request.jobs)
    command = f"caseload-sim app: {request.title}"
    files = job.scenario_files(request)
    if request.kind == "compare":
        compare_to_folder(files, out, settings, progress=progress, command=command)
    elif request.kind == "staffing":
        staffing_to_folder(
            files[0],
            request.vary,
            request.targets,
            out,
            settings,
            progress=progress,
            command=command,
        )
    else:
        run_to_folder(files[0], out, settings, progress=progress, command=command)
    write_atomically(out / "draft.toml", request.draft_toml)


def _calibrate(request: Request, out: Path) -> None:
    """Calibrate the scenario from the uploaded lists, and say what it used and found (counts
    and fitted values only) for the page."""
    from caseload_sim.calibrate.pipeline import calibrate
    from caseload_sim.scenario.loading import SCENARIO_DIR

    upload = Path(request.upload)
    outcome = calibrate(
        upload,
        out / CALIBRATED,
        SCENARIO_DIR / request.base,
        search=request.search,
        replications=int(request.replications),
        seed=request.seed,
    )
    summary = {
        "source": upload.name,
        "base": request.base,
        "lists": {
            str(n): {"used": outcome.kept[n], "rejected": outcome.rejected[n]}
            for n in sorted(outcome.kept)
        },
        "effort": None
        if outcome.search is None
        else {
            "field": outcome.search.effort_field,
            "hours": outcome.search.hours,
            "simulated_days": outcome.search.simulated_mean,
            "observed_days": outcome.search.observed_mean,
        },
        "values": [
            {"path": v.path, "value": v.value, "n": v.n, "evidence": v.evidence}
            for v in outcome.calibration.values
        ],
    }
    write_atomically(out / CALIBRATION_SUMMARY, json.dumps(summary, indent=2))


def _end(folder: Path, state: str, message: str, report: str = "") -> str:
    document = {"state": state, "message": message, "report": report}
    write_atomically(folder / "status.json", json.dumps(document))
    return state


if __name__ == "__main__":
    ended = run(Path(sys.argv[1]))
    sys.exit(0 if ended == "done" else 1)
