"""`caseload-sim sweep` and `caseload-sim staffing`: the grid, and a search that finds nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import MMC, run_cli, scenario_file


def test_sweep_runs_the_full_grid(tmp_path: Path) -> None:
    base = scenario_file(tmp_path, "base")
    out = tmp_path / "sweep"
    code = run_cli(
        "sweep",
        str(base),
        "--vary",
        "workforce.teams.north.staff.sw=9,13",
        "--vary",
        "workforce.allocation.cap_mode='hard','soft'",
        "-r",
        "2",
        "-j",
        "1",
        "--out",
        str(out),
    )
    assert code == 0
    with (out / "sweep.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0])[:3] == [
        "point",
        "workforce.teams.north.staff.sw",
        "workforce.allocation.cap_mode",
    ]
    assert {r["point"] for r in rows} == {"0", "1", "2", "3"}
    assert {
        (r["workforce.teams.north.staff.sw"], r["workforce.allocation.cap_mode"]) for r in rows
    } == {("9", "hard"), ("9", "soft"), ("13", "hard"), ("13", "soft")}


def test_staffing_says_plainly_when_nothing_in_the_range_meets_the_targets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "staffing"
    code = run_cli(
        "staffing",
        str(MMC),
        "--vary",
        "workforce.teams.validation.staff.sw=10:11",
        "--target",
        "referral_to_allocation_days_mean<=0.001",
        "-r",
        "3",
        "-j",
        "1",
        "--set",
        "simulation.horizon_days=300",
        "--set",
        "simulation.warmup_days=30",
        "--out",
        str(out),
    )
    assert code == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert (
        "No value of Validation team: social workers (posts) from 10 to 11 meets mean wait for "
        "allocation at most 0.001 days with 95% confidence"
    ) in printed
    document = json.loads((out / "staffing.json").read_text())
    assert document["met"] is False and document["answer"] is None
    assert document["points_run"] == [11]  # the top of the range failed: nothing below can pass
    with (out / "staffing.csv").open() as stream:
        assert next(csv.reader(stream))[:2] == ["workforce.teams.validation.staff.sw", "kpi"]
