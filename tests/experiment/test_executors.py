"""Executors: in this process, local processes and a real Dask cluster give identical results.

A Dask ``LocalCluster`` (two worker processes of one thread, on loopback) is started once for the
module. The command line is checked with ``--executor dask`` too, including its errors.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import LocalCluster

from caseload_sim.cli import main
from caseload_sim.experiment.comparison import Comparison, compare
from caseload_sim.experiment.executors import (
    DaskExecutor,
    Executor,
    InProcessExecutor,
    LocalProcessExecutor,
)
from caseload_sim.experiment.replications import ExperimentResult
from caseload_sim.experiment.runner import run_experiment
from caseload_sim.results.kinds import FILES
from caseload_sim.results.writer import write_comparison, write_results
from conftest import TIMELINE, run_cli, scenario_file, small_county

SHORT = ("simulation.horizon_days=60", "simulation.warmup_days=10")
REPLICATIONS = 4
SEED = 11
# Every result file but provenance.json, which records wall time and the executor used.
COMPARED_FILES = tuple(name for name in FILES if name != "provenance.json")
# Nothing listens on the discard port of loopback: connecting fails at once, every time.
UNREACHABLE = "tcp://127.0.0.1:9"
CLIENT_TIMEOUT_SECONDS = 10  # DaskExecutor's Client(timeout=...)


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with warnings.catch_warnings():
        # Without a dashboard the scheduler still serves health and metrics over HTTP, asking
        # for port 8787 (on loopback); under xdist another worker's cluster may hold it and
        # this one takes a free port instead, with a warning that says so.
        warnings.filterwarnings("ignore", "Port 8787 is already in use", UserWarning)
        dask_cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
    try:
        yield dask_cluster
    finally:
        dask_cluster.close()


def exact(value: Any) -> Any:
    """A value with every float as its exact hex form: NaN equals NaN, 0.0 is not -0.0 (plain
    ``==`` fails on a NaN unpickled from another process: it is not the same object)."""
    if isinstance(value, float):
        return ("float", value.hex())
    if isinstance(value, dict):
        return {key: exact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [exact(item) for item in value]
    return value


def outputs_of(result: ExperimentResult) -> list[Any]:
    return [
        exact([o.replication, o.kpis, list(o.kpis), o.timeseries, o.events, o.periods])
        for o in result.outputs
    ]


def file_bytes(folder: Path, names: tuple[str, ...] = COMPARED_FILES) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in names}


def run_with(executor: Executor, **kwargs: Any) -> ExperimentResult:
    try:
        return run_experiment(small_county(*SHORT), REPLICATIONS, SEED, executor=executor, **kwargs)
    finally:
        executor.close()


def test_every_executor_gives_identical_results(cluster: LocalCluster, tmp_path: Path) -> None:
    dask = DaskExecutor(cluster.scheduler_address)
    assert dask.parallelism == 2
    executors: dict[str, Executor] = {
        "in_process": InProcessExecutor(),
        "local_2": LocalProcessExecutor(2),
        "dask": dask,
    }
    results = {name: run_with(executor) for name, executor in executors.items()}
    reference = results["in_process"]
    assert [o.replication for o in reference.outputs] == list(range(REPLICATIONS))
    assert len({o.kpis["referrals_count"] for o in reference.outputs}) > 1  # distinct streams
    for name, result in results.items():
        assert outputs_of(result) == outputs_of(reference), name
        assert result.replication_choice == reference.replication_choice, name
        write_results(result, tmp_path / name)
    expected = file_bytes(tmp_path / "in_process")
    for name in ("local_2", "dask"):
        assert file_bytes(tmp_path / name) == expected, name


def test_a_dask_run_resumes_from_local_checkpoints(cluster: LocalCluster, tmp_path: Path) -> None:
    out = tmp_path / "out"
    scenario = small_county(*SHORT)
    # Half the replications run here and are saved; the Dask run does the rest.
    run_experiment(scenario, REPLICATIONS // 2, SEED, jobs=1, out=out)
    dask = DaskExecutor(cluster.scheduler_address)
    try:
        resumed = run_experiment(scenario, REPLICATIONS, SEED, executor=dask, out=out, resume=True)
    finally:
        dask.close()
    assert outputs_of(resumed) == outputs_of(run_with(InProcessExecutor()))


def test_the_periods_of_a_timeline_come_back_from_every_executor(cluster: LocalCluster) -> None:
    scenario = small_county(*SHORT, TIMELINE)
    reference = run_experiment(scenario, 2, SEED, executor=InProcessExecutor())
    assert all(len(o.periods) == 3 for o in reference.outputs)
    dask = DaskExecutor(cluster.scheduler_address)
    for executor in (LocalProcessExecutor(2), dask):
        try:
            result = run_experiment(scenario, 2, SEED, executor=executor)
        finally:
            executor.close()
        for mine, theirs in zip(result.outputs, reference.outputs, strict=True):
            assert len(mine.periods) == len(theirs.periods)
            for period, expected in zip(mine.periods, theirs.periods, strict=True):
                assert list(period) == list(expected)
                assert period == pytest.approx(expected, rel=1e-12, nan_ok=True)
        assert [p["label"] for p in result.period_summary()] == [
            "start",
            "New allocation rules",
            "Re-organisation",
        ]


def comparison_bytes(comparison: Comparison, folder: Path) -> dict[str, bytes]:
    write_comparison(comparison, folder)
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "provenance.json"
    }


def test_compare_on_dask_equals_the_local_comparison(cluster: LocalCluster, tmp_path: Path) -> None:
    scenarios = [
        small_county(*SHORT, 'name="small baseline"'),
        small_county(*SHORT, 'name="more duty"', "workforce.access_centre.duty_workers=4"),
    ]
    dask = DaskExecutor(cluster.scheduler_address)
    try:
        on_dask = compare(scenarios, 3, SEED, executor=dask)
    finally:
        dask.close()
    local = compare(scenarios, 3, SEED, jobs=1)
    assert on_dask.names == local.names == ["small baseline", "more duty"]
    for mine, theirs in zip(on_dask.results, local.results, strict=True):
        assert outputs_of(mine) == outputs_of(theirs), mine.scenario.name
    assert exact(on_dask.differences) == exact(local.differences)
    assert exact(on_dask.rows()) == exact(local.rows())
    dask_files = comparison_bytes(on_dask, tmp_path / "dask")
    assert "comparison.csv" in dask_files and "more_duty/summary.json" in dask_files
    assert dask_files == comparison_bytes(local, tmp_path / "local")


# --------------------------------------------------------------------------- command line


def test_cli_run_on_dask_writes_the_same_files_as_one_job(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    scenario = str(scenario_file(tmp_path, "small_county", horizon=60, warmup=10))
    dask_out, local_out = tmp_path / "dask", tmp_path / "local"
    code = run_cli(
        "run",
        scenario,
        "-r",
        "3",
        "--executor",
        "dask",
        "--address",
        cluster.scheduler_address,
        "--out",
        str(dask_out),
    )
    assert code == 0
    assert run_cli("run", scenario, "-r", "3", "-j", "1", "--out", str(local_out)) == 0
    assert (dask_out / "summary.json").read_bytes() == (local_out / "summary.json").read_bytes()
    assert file_bytes(dask_out) == file_bytes(local_out)
    assert not (dask_out / ".checkpoints").exists()  # cleared once the results are written


def test_cli_dask_without_an_address_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = run_cli(
        "run",
        str(scenario_file(tmp_path, "small_county", horizon=60, warmup=10)),
        "-r",
        "1",
        "--executor",
        "dask",
        "--out",
        str(out),
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "--executor dask needs --address" in err
    assert "Traceback" not in err


def test_cli_dask_with_an_unreachable_scheduler_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start = time.perf_counter()
    code = run_cli(
        "run",
        str(scenario_file(tmp_path, "small_county", horizon=60, warmup=10)),
        "-r",
        "1",
        "--executor",
        "dask",
        "--address",
        UNREACHABLE,
        "--out",
        str(tmp_path / "out"),
    )
    took = time.perf_counter() - start
    assert code == 2
    err = capsys.readouterr().err
    assert f"--address {UNREACHABLE}: cannot reach a Dask scheduler" in err
    assert "Traceback" not in err
    assert took < CLIENT_TIMEOUT_SECONDS + 5, f"gave up after {took:.1f} s"
    assert not (tmp_path / "out" / "summary.json").exists()


def test_a_malformed_scheduler_address_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:

    with pytest.raises(SystemExit) as exit_:
        main(["run", "-r", "1", "--executor", "dask", "--address", "nonsense"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "tcp://HOST:PORT" in err and "Traceback" not in err
