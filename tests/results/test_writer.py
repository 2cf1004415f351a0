"""Writing results folders: each kind holds the files it declares, in the declared layouts, and
the same results give the same bytes."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from caseload_sim.experiment.comparison import COMPARISON_COLUMNS, compare
from caseload_sim.experiment.replications import ExperimentResult, ReplicationOutput
from caseload_sim.experiment.runner import run_experiment
from caseload_sim.experiment.sweep import Vary, parse_target, staffing, sweep
from caseload_sim.results import writer
from caseload_sim.results.kinds import (
    EVENTS_COLUMNS,
    FILES,
    KINDS,
    REPLICATIONS_COLUMNS,
    RUN,
    TIMESERIES_COLUMNS,
    WAITS_COLUMNS,
    Kind,
    folder_name,
)
from caseload_sim.results.reader import results_kind
from caseload_sim.results.writer import (
    copy_sources,
    write_comparison,
    write_results,
    write_staffing,
    write_sweep,
)
from conftest import mmc

SHORT = ("simulation.horizon_days=60", "simulation.warmup_days=10")
STAFF = "workforce.teams.validation.staff.sw"
SEED = 5


@pytest.fixture(scope="module")
def result() -> ExperimentResult:
    return run_experiment(mmc(*SHORT), 2, SEED, jobs=1, keep_events=True)


@pytest.fixture(scope="module")
def folders(result: ExperimentResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder of each kind, from short runs of the M/M/c scenario."""
    root = tmp_path_factory.mktemp("written")
    base = mmc(*SHORT)
    option = mmc(*SHORT, f"{STAFF}=11", 'name="eleven workers"')
    values = Vary(STAFF, ("10", "11"))
    target = parse_target("referral_to_allocation_days_mean<=100")
    return {
        "run": write_results(result, root / "run", events=True),
        "compare": write_comparison(compare([base, option], 2, SEED, jobs=1), root / "compare"),
        "sweep": write_sweep(sweep(base, [values], 2, SEED, jobs=1), root / "sweep"),
        "staffing": write_staffing(
            staffing(base, values, [target], 2, SEED, jobs=1), root / "staffing"
        ),
    }


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as stream:
        return next(csv.reader(stream))


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_each_writer_writes_the_files_its_kind_declares(
    folders: dict[str, Path], kind: Kind
) -> None:
    folder = folders[kind.name]
    assert results_kind(folder) == kind.name
    files = {path.name for path in folder.iterdir() if path.is_file()}
    declared = {file.name for file in kind.files}
    assert set(kind.always()) <= files
    assert files <= declared, "every file written is declared"
    assert not list(folder.rglob("*.tmp")), "no temporary file is left"


def test_the_run_folder_files(folders: dict[str, Path]) -> None:
    assert RUN.always() == FILES
    assert FILES[0] == "summary.json"
    files = {path.name for path in folders["run"].iterdir()}
    assert files == {*FILES, "events.csv"}, "with events, no timeline"


def test_a_compare_folder_holds_a_run_folder_per_scenario(folders: dict[str, Path]) -> None:
    out = folders["compare"]
    subfolders = sorted(path.name for path in out.iterdir() if path.is_dir())
    assert subfolders == sorted([folder_name("validation_mmc"), folder_name("eleven workers")])
    assert folder_name("eleven workers") == "eleven_workers"
    for name in subfolders:
        assert {path.name for path in (out / name).iterdir()} == set(FILES), name
        assert results_kind(out / name) == "run"


def test_csv_files_follow_the_declared_columns(folders: dict[str, Path]) -> None:
    run = folders["run"]
    assert header(run / "replications.csv") == list(REPLICATIONS_COLUMNS)
    assert header(run / "waits.csv") == list(WAITS_COLUMNS)
    assert header(run / "events.csv") == list(EVENTS_COLUMNS)
    assert header(run / "timeseries.csv")[: len(TIMESERIES_COLUMNS)] == list(TIMESERIES_COLUMNS)
    assert "day" in header(run / "timeseries.csv")
    assert header(folders["compare"] / "comparison.csv") == list(COMPARISON_COLUMNS)
    assert header(folders["sweep"] / "sweep.csv") == [
        "point",
        STAFF,
        "kpi",
        "mean",
        "ci95_low",
        "ci95_high",
    ]
    assert header(folders["staffing"] / "staffing.csv") == [
        STAFF,
        "kpi",
        "mean",
        "ci95_low",
        "ci95_high",
        "target",
        "target_met",
        "all_met",
    ]
    for path in [*run.iterdir(), *folders["compare"].iterdir()]:
        if path.suffix in (".csv", ".json"):
            assert b"\r\n" not in path.read_bytes(), path.name


def test_the_same_result_gives_the_same_bytes(
    result: ExperimentResult, folders: dict[str, Path], tmp_path: Path
) -> None:
    again = write_results(result, tmp_path / "again", events=True)
    for name in (*FILES, "events.csv"):
        assert (again / name).read_bytes() == (folders["run"] / name).read_bytes(), name


def test_the_summary_is_written_last(
    result: ExperimentResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    real = writer.write_atomically

    def recorded(path: Path, text: str) -> None:
        written.append(path.name)
        real(path, text)

    monkeypatch.setattr(writer, "write_atomically", recorded)
    write_results(result, tmp_path / "out")
    assert written[-1] == "summary.json"
    assert sorted(written) == sorted(FILES)


def test_a_stale_event_log_is_removed(result: ExperimentResult, tmp_path: Path) -> None:
    out = write_results(result, tmp_path / "out", events=True)
    assert (out / "events.csv").is_file()
    write_results(result, out)
    assert not (out / "events.csv").exists()


def test_numbers_are_written_exactly_and_nan_as_nothing(tmp_path: Path) -> None:
    scenario = mmc()
    outputs = [
        ReplicationOutput(
            replication,
            {"referrals_count": 0.1 + 0.2 + replication, "worker_utilisation_pct": math.nan},
            [{"day": 0.5, "open_cases": 1 / 3}],
            waits={"referral_to_allocation_days": [2.5]},
        )
        for replication in range(2)
    ]
    out = write_results(ExperimentResult(scenario, 3, outputs), tmp_path / "made")
    assert (out / "replications.csv").read_text(encoding="utf-8") == (
        "replication,kpi,value\n"
        "0,referrals_count,0.30000000000000004\n"
        "0,worker_utilisation_pct,\n"
        "1,referrals_count,1.3\n"
        "1,worker_utilisation_pct,\n"
    )
    assert (out / "timeseries.csv").read_text(encoding="utf-8") == (
        "replication,date,day,open_cases\n"
        f"0,{scenario.simulation.start_date.isoformat()},0.5,0.3333333333333333\n"
        f"1,{scenario.simulation.start_date.isoformat()},0.5,0.3333333333333333\n"
    )
    text = (out / "summary.json").read_text(encoding="utf-8")
    assert "NaN" not in text and text.endswith("}\n")
    summary = json.loads(text)
    assert summary["kpis"]["worker_utilisation_pct"] == {
        "mean": None,
        "ci95_low": None,
        "ci95_high": None,
        "unit": "%",
        "n": 0,
    }
    assert summary["kpis"]["referrals_count"]["mean"] == pytest.approx(0.8)
    assert list(summary) == [
        "scenario",
        "description",
        "seed",
        "replications",
        "warmup_days",
        "horizon_days",
        "regime",
        "package_version",
        "replication_choice",
        "warmup_choice",
        "kpis",
        "periods",
    ]


def test_the_scenario_files_are_kept_with_their_notes(tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    base.write_text("\ufeff# from Excel, with a byte order mark\nname = 'base'\n", encoding="utf-8")
    option = tmp_path / "option.toml"
    option.write_text("base = 'base.toml'  # the baseline\n", encoding="utf-8")
    copy_sources(tmp_path / "out", [base, option])
    kept = tmp_path / "out" / "sources"
    assert sorted(path.name for path in kept.iterdir()) == ["0_base.toml", "1_option.toml"]
    assert (kept / "0_base.toml").read_text(encoding="utf-8").startswith("# from Excel")
    assert (kept / "1_option.toml").read_bytes() == option.read_bytes()
