"""`caseload-sim compare`: the paired tables, a folder per scenario, refusals, and resuming."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import run_cli, scenario_file


def test_compare_writes_paired_tables_and_each_scenario_folder(tmp_path: Path) -> None:
    base = scenario_file(tmp_path, "base")
    more = scenario_file(tmp_path, "more", "[workforce.teams.north.staff]", "sw = 16")
    out = tmp_path / "cmp"
    assert run_cli("compare", str(base), str(more), "-r", "3", "-j", "1", "--out", str(out)) == 0
    for name in (
        "comparison.csv",
        "comparison.json",
        "provenance.json",
        "base/summary.json",
        "more/summary.json",
    ):
        assert (out / name).is_file(), name
    assert not (out / ".checkpoints").exists()
    document = json.loads((out / "comparison.json").read_text())
    assert document["baseline"] == "base"
    assert document["scenarios"] == ["base", "more"]
    entry = document["differences"]["more"]["caseload_per_worker_mean"]
    assert set(entry) == {"mean", "ci95_low", "ci95_high"}
    assert set(document["kpis"]["more"]["caseload_per_worker_mean"]) == {
        "mean",
        "ci95_low",
        "ci95_high",
    }
    with (out / "comparison.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == [
        "scenario",
        "kpi",
        "mean",
        "ci95_low",
        "ci95_high",
        "diff_mean",
        "diff_ci95_low",
        "diff_ci95_high",
    ]
    base_rows = [r for r in rows if r["scenario"] == "base"]
    assert all(float(r["diff_mean"]) == 0.0 for r in base_rows)


def test_compare_needs_distinct_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = scenario_file(tmp_path, "same")
    code = run_cli(
        "compare", str(one), str(one), "-r", "2", "-j", "1", "--out", str(tmp_path / "x")
    )
    assert code == 2
    assert "names must differ" in capsys.readouterr().err


def test_an_interrupted_comparison_resumes_without_rerunning_and_gives_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import caseload_sim.experiment.runner as runner

    base = scenario_file(tmp_path, "base")
    more = scenario_file(tmp_path, "more", "[workforce.teams.north.staff]", "sw = 16")
    args = ["compare", str(base), str(more), "-r", "3", "-j", "1"]
    reference = tmp_path / "reference"
    assert run_cli(*args, "--out", str(reference)) == 0

    real = runner.run_replication
    calls = {"n": 0}

    def interrupted_after_four(*a: object, **k: object) -> object:
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(runner, "run_replication", interrupted_after_four)
    out = tmp_path / "resumed"
    assert run_cli(*args, "--out", str(out)) == 130
    assert len(list((out / ".checkpoints").rglob("*.json"))) == 4
    assert not (out / "comparison.csv").exists()

    calls["n"] = -100  # no more interruptions; count what the resumed run simulates
    assert run_cli(*args, "--out", str(out), "--resume") == 0
    assert calls["n"] == -100 + 2  # 6 replications in all, 4 saved
    for path in reference.rglob("*"):
        if path.is_file() and path.name != "provenance.json":
            assert (out / path.relative_to(reference)).read_bytes() == path.read_bytes(), path
