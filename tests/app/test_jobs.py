"""Runs in worker processes: the same folder as the command line, progress as it goes, a saved
run found again, Cancel that leaves nothing behind, and bad input ending with its message."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from caseload_sim.app.jobs import JOBS, Job, Request
from caseload_sim.scenario.loading import load_scenario, scenario_to_toml
from conftest import run_cli, scenario_file


def request_for(folder: Path, replications: int = 2, horizon: int = 40, **lines: str) -> Request:
    path = scenario_file(folder, "small", *lines.values(), horizon=horizon, warmup=10)
    scenario = load_scenario(path)
    return Request(
        title="Small county",
        scenarios_toml=(scenario_to_toml(scenario),),
        draft_toml='base = "county_2010_baseline.toml"\n',
        replications=replications,
        seed=scenario.simulation.seed,
        jobs=2,
    )


def test_a_job_writes_the_folder_the_command_line_writes(tmp_path: Path) -> None:
    request = request_for(tmp_path)
    job = Job.start(tmp_path / "results", request)
    status = job.wait(timeout=300)
    assert status.state == "done", status.message
    assert (status.finished, status.total) == (2, 2)
    assert (job.out / "draft.toml").read_text() == request.draft_toml
    while job.status().report == "drawing":
        time.sleep(0.2)
    assert job.status().report == "ready"
    assert (job.out / "report.html").is_file()
    assert not job.partial_out.exists()
    # The same scenario, seed and replications through the command line: the same KPIs.
    cli_out = tmp_path / "cli"
    assert (
        run_cli(
            "run",
            str(job.folder / "scenario.toml"),
            "-r",
            "2",
            "--jobs",
            "1",
            "--out",
            str(cli_out),
        )
        == 0
    )
    ours = json.loads((job.out / "summary.json").read_text())
    theirs = json.loads((cli_out / "summary.json").read_text())
    assert ours["kpis"] == theirs["kpis"]
    assert (job.out / "replications.csv").read_bytes() == (
        cli_out / "replications.csv"
    ).read_bytes()


def test_the_key_is_the_scenario_seed_and_replications_not_the_processes(tmp_path: Path) -> None:
    request = request_for(tmp_path)
    assert Request(**{**request.__dict__, "jobs": 1}).key() == request.key()
    assert Request(**{**request.__dict__, "seed": 1}).key() != request.key()
    assert Request(**{**request.__dict__, "replications": 3}).key() != request.key()
    assert Request(**{**request.__dict__, "title": "another name"}).key() == request.key()


def test_cancel_stops_the_run_and_keeps_nothing(tmp_path: Path) -> None:
    request = request_for(tmp_path, replications=40, horizon=200)
    job = Job.start(tmp_path / "results", request)
    deadline = time.monotonic() + 120
    while job.status().finished == 0 and time.monotonic() < deadline:
        time.sleep(0.1)  # under way: its first replication has finished
    job.cancel()
    status = job.wait(timeout=60)
    assert status.state == "cancelled"
    assert not job.out.exists()
    assert not job.partial_out.exists()
    listed = [p.name for p in (tmp_path / "results").iterdir()]
    assert listed == [JOBS]


def test_bad_input_ends_the_job_with_the_command_lines_message(tmp_path: Path) -> None:
    request = request_for(tmp_path)
    broken = Request(
        **{**request.__dict__, "scenarios_toml": ("name = 'x'\n[demand]\nnope = 1\n",)}
    )
    job = Job.start(tmp_path / "results", broken)
    status = job.wait(timeout=120)
    assert status.state == "failed"
    assert "demand.nope: unknown field" in status.message
    assert not job.out.exists() and not job.partial_out.exists()


def test_a_worker_that_dies_is_seen_as_failed(tmp_path: Path) -> None:
    job = Job(tmp_path, "gone")
    job.folder.mkdir(parents=True)
    (job.folder / "status.json").write_text('{"state": "running"}')
    (job.folder / "pid").write_text("999999999")
    assert job.status().state == "failed"


@pytest.mark.parametrize("left", [None, 6.0])
def test_time_left_is_the_pace_so_far(left: float | None) -> None:
    from caseload_sim.app.jobs import Status

    status = Status("running", finished=0 if left is None else 2, total=5, elapsed_seconds=4.0)
    assert status.left_seconds == left


def test_a_compare_job_writes_the_folder_compare_writes(tmp_path: Path) -> None:
    from conftest import TIMELINE_LINES

    base = load_scenario(scenario_file(tmp_path, "base", horizon=80, warmup=20))
    option = load_scenario(scenario_file(tmp_path, "option", *TIMELINE_LINES))
    request = Request(
        title="Option against base",
        scenarios_toml=(scenario_to_toml(base), scenario_to_toml(option)),
        draft_toml="",
        replications=2,
        seed=7,
        jobs=2,
        kind="compare",
    )
    assert request.key() != Request(**{**request.__dict__, "kind": "run"}).key()
    job = Job.start(tmp_path / "results", request)
    status = job.wait(timeout=300)
    assert status.state == "done", status.message
    assert job.complete(request)
    document = json.loads((job.out / "comparison.json").read_text())
    assert document["scenarios"] == ["base", "option"]
    assert [p["label"] for p in document["period_differences"]["option"]] == [
        "New allocation rules",
        "Re-organisation",
    ]


def test_a_request_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="allowed: run, compare"):
        Request("x", ("",), "", 1, 1, 1, kind="sweep")
