"""`caseload-sim run`: the results folder, its files and provenance, and identical results for any
--jobs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import caseload_sim
from caseload_sim.metrics.catalogue import KPIS, kpis_for_regime
from conftest import run_cli, scenario_file

RESULT_FILES = ("summary.json", "replications.csv", "timeseries.csv", "waits.csv", "scenario.toml")


def test_run_writes_the_results_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = run_cli(
        "run",
        str(scenario_file(tmp_path, "small_county")),
        "-r",
        "3",
        "-j",
        "1",
        "--out",
        str(out),
        "--events",
    )
    assert code == 0
    for name in (*RESULT_FILES, "events.csv"):
        assert (out / name).is_file(), name
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary files left"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "small_county"
    assert summary["replications"] == 3
    assert summary["seed"] == 20100706
    assert summary["package_version"]
    assert set(summary["kpis"]) == set(kpis_for_regime("wt2010"))
    entry = summary["kpis"]["referral_to_allocation_days_mean"]
    assert set(entry) == {"mean", "ci95_low", "ci95_high", "unit", "n"}
    assert entry["unit"] == "days" and entry["n"] == 3
    assert entry["ci95_low"] <= entry["mean"] <= entry["ci95_high"]
    with (out / "replications.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert rows and set(rows[0]) == {"replication", "kpi", "value"}
    assert len(rows) == 3 * len(summary["kpis"])
    with (out / "timeseries.csv").open() as stream:
        header = next(csv.reader(stream))
    for column in (
        "replication",
        "date",
        "day",
        "unallocated_referrals",
        "open_cases",
        "caseload_per_worker",
        "high_risk_cases_per_worker",
        "caseload_per_worker_sw",
    ):
        assert column in header
    with (out / "events.csv").open() as stream:
        assert next(csv.reader(stream)) == [
            "replication",
            "time_days",
            "event",
            "case",
            "worker",
            "value",
        ]


def test_same_seed_gives_byte_identical_files_for_any_jobs(tmp_path: Path) -> None:
    scenario = scenario_file(tmp_path, "small_county")
    outs = [tmp_path / "one", tmp_path / "two"]
    assert run_cli("run", str(scenario), "-r", "4", "-j", "1", "--out", str(outs[0])) == 0
    assert run_cli("run", str(scenario), "-r", "4", "-j", "2", "--out", str(outs[1])) == 0
    for name in RESULT_FILES:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_seed_option_changes_the_results(tmp_path: Path) -> None:
    scenario = scenario_file(tmp_path, "small_county")
    run_cli("run", str(scenario), "-r", "2", "-j", "1", "--out", str(tmp_path / "a"))
    run_cli("run", str(scenario), "-r", "2", "-j", "1", "--seed", "5", "--out", str(tmp_path / "b"))
    a = json.loads((tmp_path / "a" / "summary.json").read_text())
    b = json.loads((tmp_path / "b" / "summary.json").read_text())
    assert b["seed"] == 5
    assert a["kpis"]["referrals_count"] != b["kpis"]["referrals_count"]


def test_run_without_a_scenario_uses_the_bundled_default(tmp_path: Path) -> None:
    out = tmp_path / "default"
    code = run_cli(
        "run",
        "-r",
        "2",
        "-j",
        "1",
        "--out",
        str(out),
        "--set",
        "simulation.horizon_days=40",
        "--set",
        "simulation.warmup_days=10",
    )
    assert code == 0
    assert json.loads((out / "summary.json").read_text())["scenario"] == "county_2010_baseline"


def test_an_interrupted_run_leaves_no_result_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import caseload_sim.experiment.runner as runner

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_replication", interrupted)
    out = tmp_path / "interrupted"
    code = run_cli(
        "run", str(scenario_file(tmp_path, "small_county")), "-r", "2", "-j", "1", "--out", str(out)
    )
    assert code == 130
    assert "interrupted" in capsys.readouterr().err
    assert not any(out.iterdir())


def test_an_unusable_output_folder_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = run_cli(
        "run", str(scenario_file(tmp_path, "small_county")), "-r", "1", "--out", str(blocker)
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "--out" in err and "Traceback" not in err


def test_the_python_api_mirrors_the_command_line(tmp_path: Path) -> None:
    scenario = caseload_sim.load_scenario(scenario_file(tmp_path, "small_county"))
    result = caseload_sim.run_experiment(scenario, replications=2, jobs=1)
    frame = result.replications_frame()
    assert list(frame.columns) == ["replication", "kpi", "value"]
    assert set(frame["kpi"]) <= set(KPIS)
    assert not result.timeseries_frame().empty
    assert caseload_sim.write_results(result, tmp_path / "api").is_dir()


def test_result_files_are_readable_and_a_stale_event_log_is_removed(tmp_path: Path) -> None:
    import os
    import stat

    scenario = scenario_file(tmp_path, "small_county")
    out = tmp_path / "again"
    assert run_cli("run", str(scenario), "-r", "1", "-j", "1", "--out", str(out), "--events") == 0
    assert (out / "events.csv").exists()
    assert run_cli("run", str(scenario), "-r", "1", "-j", "1", "--out", str(out)) == 0
    assert not (out / "events.csv").exists()
    umask = os.umask(0)
    os.umask(umask)
    mode = stat.S_IMODE((out / "summary.json").stat().st_mode)
    assert mode == 0o666 & ~umask


def test_provenance_records_how_the_results_were_made(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert (
        run_cli(
            "run", str(scenario_file(tmp_path, "base")), "-r", "2", "-j", "1", "--out", str(out)
        )
        == 0
    )
    provenance = json.loads((out / "provenance.json").read_text())
    for key in (
        "seed_scheme",
        "seed",
        "packages",
        "python",
        "platform",
        "wall_seconds",
        "replications",
        "warmup",
        "command",
        "executor",
    ):
        assert key in provenance, key
    assert "PCG64" in provenance["seed_scheme"] and "SeedSequence" in provenance["seed_scheme"]
    assert provenance["packages"]["simpy"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["replication_choice"] == {"method": "fixed", "run": 2}
    assert summary["warmup_choice"] == {"method": "fixed", "warmup_days": 20.0}
