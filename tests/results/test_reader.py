"""Reading a results folder back: its kind, each of its files, and errors that name the folder
and the file.

The folders are written by the writer from results made by hand (no simulation), so the numbers
read back are known exactly.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from caseload_sim.experiment.comparison import Comparison, paired_differences
from caseload_sim.experiment.replications import ExperimentResult, ReplicationOutput
from caseload_sim.experiment.sweep import StaffingResult, SweepResult, Target, Vary
from caseload_sim.results.kinds import KINDS, folder_name
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError, results_kind
from caseload_sim.results.writer import (
    copy_sources,
    write_comparison,
    write_results,
    write_staffing,
    write_sweep,
)
from caseload_sim.scenario.loading import scenario_to_toml
from caseload_sim.scenario.schema import Scenario
from conftest import MMC, mmc

WAIT = "referral_to_allocation_days_mean"
STAFF = "workforce.teams.validation.staff.sw"


def made_result(scenario: Scenario, waits: list[float]) -> ExperimentResult:
    """A result of one replication per value of ``waits``, the mean wait for allocation; the
    initial assessments within timescale have nothing to count (NaN)."""
    outputs = [
        ReplicationOutput(
            replication=index,
            kpis={"referrals_count": 10.0 + index, WAIT: wait, "worker_utilisation_pct": math.nan},
            timeseries=[{"day": 0.0, "open_cases": 1.0}, {"day": 7.0, "open_cases": 2.0 + index}],
            waits={"referral_to_allocation_days": [0.25, wait]},
        )
        for index, wait in enumerate(waits)
    ]
    return ExperimentResult(
        scenario,
        7,
        outputs,
        {"method": "fixed", "run": len(waits)},
        {"method": "fixed", "warmup_days": scenario.simulation.warmup_days},
    )


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder of each kind."""
    root = tmp_path_factory.mktemp("read")
    base = made_result(mmc(), [1.0, 2.0, 4.0])
    option = made_result(mmc('name="option one"'), [0.5, 1.0, 1.5])
    comparison = Comparison([base, option], {"option one": paired_differences(option, base)})
    varied = Vary(STAFF, ("9", "10"))
    sweep = SweepResult(
        [varied], [((STAFF, "9"),), ((STAFF, "10"),)], [base, option], {"method": "fixed", "run": 3}
    )
    staffing = StaffingResult(
        STAFF, [Target(WAIT, "<=", 3.0)], ["9", "10"], {0: base, 1: option}, "10", {"run": 3}
    )
    folders = {
        "run": write_results(base, root / "run"),
        "compare": write_comparison(comparison, root / "compare"),
        "sweep": write_sweep(sweep, root / "sweep"),
        "staffing": write_staffing(staffing, root / "staffing"),
    }
    copy_sources(folders["run"], [MMC])
    return folders


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_each_kind_is_recognised(folders: dict[str, Path], kind: str) -> None:
    assert results_kind(folders[kind]) == kind
    assert ResultsFolder(folders[kind]).kind == kind
    assert ResultsFolder(str(folders[kind])).path == folders[kind]


def test_a_folder_of_another_kind_is_recognised_by_its_first_marker(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    # A run folder that a sweep was later written into is read as the sweep.
    both = tmp_path / "both"
    both.mkdir()
    (both / "summary.json").write_bytes((folders["run"] / "summary.json").read_bytes())
    (both / "sweep.csv").write_bytes((folders["sweep"] / "sweep.csv").read_bytes())
    assert results_kind(both) == "sweep"


def test_a_folder_that_is_not_results_is_named(tmp_path: Path) -> None:
    empty = tmp_path / "not_results"
    empty.mkdir()
    (empty / "notes.txt").write_text("nothing here")
    expected = (
        f"{empty} is not a caseload-sim results folder: expected comparison.json (compare), "
        "staffing.json (staffing), sweep.csv (sweep) or summary.json (run)"
    )
    with pytest.raises(ResultsFolderError, match=re.escape(expected)):
        results_kind(empty)
    with pytest.raises(ResultsFolderError, match=re.escape(expected)):
        ResultsFolder(empty).kind  # noqa: B018 (the property raises)
    missing = tmp_path / "missing_folder"
    with pytest.raises(ResultsFolderError, match=re.escape(f"{missing} is not a folder")):
        results_kind(missing)
    a_file = tmp_path / "summary.json"
    a_file.write_text("{}")
    with pytest.raises(ResultsFolderError, match="is not a folder"):
        results_kind(a_file)
    # Opening reads nothing: the error comes when the kind is first needed.
    assert ResultsFolder(missing).path == missing


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("run", "replications.csv"),
        ("run", "timeseries.csv"),
        ("run", "waits.csv"),
        ("run", "scenario.toml"),
        ("staffing", "staffing.csv"),
    ],
)
def test_a_missing_file_names_the_folder_and_the_file(
    folders: dict[str, Path], tmp_path: Path, kind: str, name: str
) -> None:
    partial = tmp_path / "partial"
    partial.mkdir()
    for file in folders[kind].iterdir():
        if file.is_file() and file.name != name:
            (partial / file.name).write_bytes(file.read_bytes())
    folder = ResultsFolder(partial)
    assert not folder.has(name)
    expected = f"{partial}: expected {name} in this {kind} results folder"
    with pytest.raises(ResultsFolderError, match=re.escape(expected)):
        folder.file(name)
    with pytest.raises(ResultsFolderError, match=re.escape(expected)):
        if name == "scenario.toml":
            folder.scenario  # noqa: B018 (the property reads the file)
        elif name.endswith(".csv"):
            folder.read_table(name)


def test_a_scenario_folder_missing_from_a_comparison_is_named(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    partial = tmp_path / "compare"
    partial.mkdir()
    for name in ("comparison.json", "comparison.csv", "provenance.json"):
        (partial / name).write_bytes((folders["compare"] / name).read_bytes())
    expected = f"{partial / 'validation_mmc'}: expected summary.json in this run results folder"
    with pytest.raises(ResultsFolderError, match=re.escape(expected)):
        ResultsFolder(partial).runs()
    (partial / "comparison.json").write_text('{"scenarios": []}')
    with pytest.raises(ResultsFolderError, match="comparison.json lists no scenarios"):
        ResultsFolder(partial).runs()


def test_unreadable_files_are_named(folders: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "summary.json").write_text("{ not json")
    (broken / "waits.csv").write_text("")
    (broken / "timeseries.csv").write_bytes(b"replication,date\n\xff\xfe,1\n")
    (broken / "scenario.toml").write_text("[demand\n")
    folder = ResultsFolder(broken)
    assert folder.kind == "run"

    def named(path: Path, problem: str) -> str:
        return re.escape(f"{path} {problem}")

    with pytest.raises(ResultsFolderError, match=named(broken / "summary.json", "is not valid")):
        folder.summary  # noqa: B018 (the property reads the file)
    for name in ("waits.csv", "timeseries.csv"):
        with pytest.raises(ResultsFolderError, match=named(broken / name, "is not a readable")):
            folder.read_table(name)
    with pytest.raises(ResultsFolderError, match=named(broken / "timeseries.csv", "is not a")):
        folder.read_rows("timeseries.csv")
    with pytest.raises(ResultsFolderError, match=named(broken / "scenario.toml", "could not")):
        folder.scenario  # noqa: B018 (the property reads the file)
    # The report shows what it can without a readable scenario file.
    assert folder.scenario_document() == {}
    # Without provenance.json there is nothing to say; an unreadable one is named.
    assert folder.provenance == {}
    assert folder.replications_per_point() is None
    (broken / "provenance.json").write_text("[")
    with pytest.raises(ResultsFolderError, match="provenance.json is not valid JSON"):
        ResultsFolder(broken).provenance  # noqa: B018 (the property reads the file)
    assert ResultsFolder(broken).replications_per_point() is None


def test_a_run_folder_reads_back_what_was_written(folders: dict[str, Path]) -> None:
    run = ResultsFolder(folders["run"])
    assert run.runs() == [run]
    assert run.name == "validation_mmc"
    assert run.replications == 3
    assert run.summary["seed"] == 7
    assert run.periods == []
    entry = run.summary["kpis"][WAIT]
    assert run.kpi(WAIT) == {k: entry[k] for k in ("mean", "ci95_low", "ci95_high")}
    assert entry["mean"] == pytest.approx(7 / 3)
    assert run.kpi("worker_utilisation_pct") is None, "nothing to count"
    assert run.kpi("not_a_kpi") is None
    assert list(run.values(WAIT)) == [1.0, 2.0, 4.0]
    assert run.values("worker_utilisation_pct").size == 0, "NaN is dropped"
    assert list(run.replications_table.columns) == ["replication", "kpi", "value"]
    assert list(run.timeseries["open_cases"]) == [1.0, 2.0, 1.0, 3.0, 1.0, 4.0]
    assert list(run.waits["days"]) == [0.25, 1.0, 0.25, 2.0, 0.25, 4.0]
    assert scenario_to_toml(run.scenario) == scenario_to_toml(mmc())
    assert run.scenario_document()["name"] == "validation_mmc"
    assert run.provenance["seed"] == 7
    assert run.replications_per_point() == 3
    rows = run.read_rows("replications.csv")
    assert rows[0] == {"replication": "0", "kpi": "referrals_count", "value": "10.0"}
    assert [(name, text) for name, text in run.sources()] == [
        ("mmc.toml", MMC.read_text(encoding="utf-8"))
    ]


def test_a_compare_folder_gives_its_runs_baseline_first(folders: dict[str, Path]) -> None:
    compare = ResultsFolder(folders["compare"])
    assert compare.comparison["baseline"] == "validation_mmc"
    runs = compare.runs()
    assert [run.name for run in runs] == ["validation_mmc", "option one"]
    assert [run.path.name for run in runs] == ["validation_mmc", folder_name("option one")]
    assert all(run.kind == "run" for run in runs)
    assert compare.run("option one").path == folders["compare"] / "option_one"
    assert runs[1].kpi(WAIT) is not None
    assert compare.sources() == []


def test_sweep_and_staffing_folders(folders: dict[str, Path]) -> None:
    sweep = ResultsFolder(folders["sweep"])
    table = sweep.read_table("sweep.csv")
    assert list(table.columns) == ["point", STAFF, "kpi", "mean", "ci95_low", "ci95_high"]
    assert sorted(set(table[STAFF])) == [9, 10]
    assert {row["point"] for row in sweep.read_rows("sweep.csv")} == {"0", "1"}
    assert sweep.replications_per_point() == 3
    staffing = ResultsFolder(folders["staffing"])
    answer = staffing.read_json("staffing.json")
    assert answer["answer"] == 10 and answer["met"] is True
    assert list(staffing.read_table("staffing.csv")["kpi"]) == [WAIT, WAIT]


def test_charts_and_the_report_raise_the_same_error() -> None:
    import caseload_sim.charts
    import caseload_sim.report

    assert caseload_sim.charts.ResultsFolderError is ResultsFolderError
    assert caseload_sim.report.ResultsFolderError is ResultsFolderError
    assert caseload_sim.charts.results_kind is results_kind
    assert issubclass(ResultsFolderError, ValueError)
