"""The console script as a process: it leaves without the interpreter's teardown, so what it
prints, the files it writes and its exit code must all be complete before it goes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SCENARIOS, scenario_file

CLI = [sys.executable, "-m", "caseload_sim"]


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_a_run_writes_its_whole_folder_and_exits_0(tmp_path: Path) -> None:
    scenario = scenario_file(tmp_path, horizon=40, warmup=10)
    done = _run("run", str(scenario), "-r", "2", "--jobs", "2", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "initial" in done.stdout.lower()  # the KPI table reached the reader
    summary = tmp_path / "out" / "summary.json"
    assert json.loads(summary.read_text())  # written whole, not cut off by the exit


def test_bad_input_exits_2_with_its_message_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        f'base = "{SCENARIOS / "county_2010_baseline.toml"}"\n[simulation]\nhorizon_days = -3\n'
    )
    done = _run("check", str(bad))
    assert done.returncode == 2
    assert "horizon_days" in done.stderr and "bad.toml" in done.stderr
    assert "Traceback" not in done.stderr


def test_help_is_printed_in_full_through_a_pipe() -> None:
    done = _run("--help")
    assert done.returncode == 0
    assert "Usage" in done.stdout and "calibrate" in done.stdout


def test_a_reader_that_goes_away_gets_no_traceback(tmp_path: Path) -> None:
    command = " ".join([*CLI, "kpis"]) + " | head -1"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
    assert done.stdout.strip()
    assert "Traceback" not in done.stderr
