"""Runs started from the app, each in a worker process of its own.

The page must stay responsive while replications run, and a Cancel must stop them at once and
leave no half-written folder. So a run is a job: the page writes its request into a job folder
and starts ``python -m caseload_sim.app.worker`` on it, in a process group of its own; the
worker runs the study exactly as the command line does (:mod:`caseload_sim.studies`, on the
local executor's processes), writes its progress as it goes, and its results into a folder
beside the final one, renamed into place only when complete. Cancel is Ctrl-C to that process
group, which the study already handles: the worker then removes the partial folder.

Every file here is written whole (:mod:`caseload_sim.files`), so a page that reads a job while
the worker writes it never sees half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from caseload_sim.files import write_atomically
from caseload_sim.results.kinds import KINDS as RESULTS_KINDS

#: The folder under the results folder that holds the jobs' requests and progress.
JOBS = ".jobs"


#: What a job may be: one scenario's replications, options compared with a baseline, a
#: search for the smallest staffing that meets targets, or a calibration from Annex A lists.
KINDS = ("run", "compare", "staffing", "calibrate")

#: The file a calibration's folder holds once complete (it is not a results folder).
CALIBRATED = "calibrated.toml"
#: What a calibration used and found, for the page (counts and fitted values only).
CALIBRATION_SUMMARY = "calibration.json"

#: Replications chosen until the intervals are narrow enough (see ``RunSettings``).
AUTOMATIC = "auto"


@dataclass(frozen=True)
class Request:
    """What to run: a ``run`` of one scenario, a ``compare`` of several (the first the
    baseline) or a ``staffing`` search on one, each scenario exactly as built (TOML); the
    scenario being edited as the planner wrote it (``base =`` and the changes); how many
    replications (or :data:`AUTOMATIC`), on which seed and how many processes; for a search,
    the field it varies (``PATH=START:STOP``) and the targets (``KPI>=VALUE``); for a
    calibration, the uploaded lists (a file in a temporary folder of its own, removed when the
    calibration ends), their digest, the bundled scenario it builds on and whether the effort
    is searched by simulation."""

    title: str
    scenarios_toml: tuple[str, ...]
    draft_toml: str
    replications: int | str
    seed: int
    jobs: int
    kind: str = "run"
    vary: str = ""
    targets: tuple[str, ...] = ()
    upload: str = ""
    digest: str = ""
    base: str = ""
    search: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r}: allowed: {', '.join(KINDS)}")
        if isinstance(self.replications, str) and self.replications != AUTOMATIC:
            raise ValueError(f"replications {self.replications!r}: a number or {AUTOMATIC!r}")
        # From JSON a tuple comes back as a list.
        object.__setattr__(self, "scenarios_toml", tuple(self.scenarios_toml))
        object.__setattr__(self, "targets", tuple(self.targets))

    def key(self) -> str:
        """The same scenarios, seed and replications (and search) give the same key, so a saved
        run is found again instead of run again (the number of processes never changes a
        result)."""
        asked: list[Any] = [self.kind, *self.scenarios_toml, self.replications, self.seed]
        if self.kind == "staffing":
            asked += [self.vary, *self.targets]
        if self.kind == "calibrate":  # the same lists, not the same temporary file
            asked += [self.digest, self.base, self.search]
        return hashlib.sha256(json.dumps(asked).encode()).hexdigest()[:12]

    @property
    def marker(self) -> str:
        """The file a complete results folder of this kind holds."""
        if self.kind == "calibrate":
            return CALIBRATED
        return next(kind.marker for kind in RESULTS_KINDS if kind.name == self.kind)


@dataclass(frozen=True)
class Status:
    """Where a job is: ``running``, ``done``, ``failed`` or ``cancelled``, with its progress
    (replications finished of all), the time so far and an estimate of the time left."""

    state: str
    finished: int = 0
    total: int = 0
    elapsed_seconds: float = 0.0
    message: str = ""
    #: once done: ``drawing`` while the report and charts are drawn, then ``ready`` or ``failed``
    report: str = ""

    @property
    def left_seconds(self) -> float | None:
        """The time left at the pace so far (None before the first replication finishes)."""
        if self.finished == 0 or self.total == 0:
            return None
        return self.elapsed_seconds / self.finished * (self.total - self.finished)

    @property
    def over(self) -> bool:
        return self.state != "running"


class Job:
    """A run's job folder under ``RESULTS/.jobs/KEY``, and the results folder it makes."""

    def __init__(self, results: Path, key: str) -> None:
        self.results = Path(results)
        self.key = key
        self.folder = self.results / JOBS / key
        #: the worker, when this object started it (else it is found by its pid)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def out(self) -> Path:
        """The results folder the job makes (present only once complete)."""
        return self.results / self.key

    @property
    def partial_out(self) -> Path:
        """Where the worker writes the results folder until it is complete."""
        return self.folder / "partial"

    def request(self) -> Request:
        return Request(**json.loads((self.folder / "request.json").read_text(encoding="utf-8")))

    def scenario_files(self, request: Request) -> list[Path]:
        """Where the job keeps its scenarios (one for a run; the baseline first for a compare)."""
        if request.kind == "calibrate":
            return []
        if request.kind != "compare":
            return [self.folder / "scenario.toml"]
        return [self.folder / f"scenario-{i}.toml" for i in range(len(request.scenarios_toml))]

    def complete(self, request: Request) -> bool:
        """Whether the results folder of the request is there, complete."""
        return (self.out / request.marker).is_file()

    @classmethod
    def start(cls, results: Path, request: Request) -> Job:
        """Start a job for the request (a job already running for it is reused)."""
        job = cls(results, request.key())
        if job.folder.exists() and not job.status().over:
            return job
        job.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(job.folder / "request.json", json.dumps(asdict(request)))
        for path, text in zip(job.scenario_files(request), request.scenarios_toml, strict=True):
            write_atomically(path, text)
        write_atomically(job.folder / "status.json", json.dumps({"state": "running"}))
        (job.folder / "progress.json").unlink(missing_ok=True)
        log = (job.folder / "worker.log").open("w", encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, "-m", "caseload_sim.app.worker", str(job.folder)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group, so Cancel reaches its workers too
        )
        log.close()
        write_atomically(job.folder / "pid", str(process.pid))
        job._process = process
        return job

    def status(self) -> Status:
        """The job's state now, read from the files the worker writes."""
        stated = read_json(self.folder / "status.json") or {"state": "running"}
        progress = read_json(self.folder / "progress.json") or {}
        state = stated.get("state", "running")
        if state == "running" and not self._alive():
            state, stated = "failed", {"message": "the run stopped unexpectedly"}
        elif stated.get("report") == "drawing" and not self._alive():
            stated = {**stated, "report": "failed"}
        return Status(
            state=state,
            finished=int(progress.get("finished", 0)),
            total=int(progress.get("total", 0)),
            elapsed_seconds=float(progress.get("elapsed_seconds", 0.0)),
            message=str(stated.get("message", "")),
            report=str(stated.get("report", "")),
        )

    def discard_upload(self) -> None:
        """Remove a calibration's uploaded lists (their temporary folder), if still there. The
        worker does so when it ends; the page does so again once the job is over, in case the
        worker was stopped before it could."""
        try:
            request = self.request()
        except (OSError, ValueError, TypeError):
            return
        if request.kind == "calibrate" and request.upload:
            shutil.rmtree(Path(request.upload).parent, ignore_errors=True)

    @property
    def age_seconds(self) -> float:
        """How long ago the job was started."""
        try:
            return max(0.0, time.time() - (self.folder / "request.json").stat().st_mtime)
        except OSError:
            return 0.0

    def cancel(self) -> None:
        """Stop the run as Ctrl-C would; the worker removes what it had written."""
        pid = self._pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):  # it has just ended
                os.killpg(pid, signal.SIGINT)

    def wait(self, timeout: float = 600.0, poll: float = 0.1) -> Status:
        """Wait until the job is over (for scripts and tests); its last status."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.status()
            if found.over or time.monotonic() > deadline:
                return found
            time.sleep(poll)

    def _pid(self) -> int | None:
        try:
            return int((self.folder / "pid").read_text())
        except (OSError, ValueError):
            return None

    def _alive(self) -> bool:
        if self._process is not None:
            return self._process.poll() is None
        pid = self._pid()
        if pid is None:
            return True  # started a moment ago: the pid is written next
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        # A finished child of this process stays a zombie until reaped: reap it here.
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return True  # not our child: it exists, so it runs
        return done == 0


def running_jobs(results: Path) -> int:
    """How many jobs are under way now under the results folder, from every session."""
    found = 0
    for folder in (Path(results) / JOBS).glob("*"):
        stated = read_json(folder / "status.json") or {}
        if stated.get("state") == "running" and Job(results, folder.name)._alive():
            found += 1
    return found


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON table written whole by a job, or None when it is missing, unreadable or not a
    table."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
