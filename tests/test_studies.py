"""The Python calls that write a results folder: the same bytes as the command line, the scenario's
files under sources/, the command in provenance.json, progress, refusals and Ctrl-C."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import caseload_sim
from caseload_sim.experiment.settings import RunSettings
from caseload_sim.studies import (
    LoadedScenario,
    StudyError,
    StudyInterrupted,
    compare_to_folder,
    read_scenario,
    run_to_folder,
    staffing_to_folder,
    sweep_to_folder,
    write_folder_report,
)
from conftest import MMC, SMALL_COUNTY, run_cli, scenario_file, small_county

SHORT = ["simulation.horizon_days=150", "simulation.warmup_days=30"]
SETTINGS = RunSettings(replications=3, seed=11, jobs=1)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a results folder but provenance.json (it records the command and times)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "provenance.json"
    }


def command_of(folder: Path) -> str:
    return str(json.loads((folder / "provenance.json").read_text())["command"])


def test_run_to_folder_writes_the_folder_caseload_sim_run_writes(tmp_path: Path) -> None:
    scenario = scenario_file(tmp_path, "small_county")
    sets = [f"--set={text}" for text in SMALL_COUNTY]
    by_command, by_call = tmp_path / "command", tmp_path / "call"
    command = ["run", str(scenario), *sets, "-r", "3", "--seed", "11", "-j", "1", "--events"]
    assert run_cli(*command, "--out", str(by_command)) == 0
    study = run_to_folder(
        scenario,
        by_call,
        RunSettings(replications=3, seed=11, jobs=1, events=True),
        overrides=SMALL_COUNTY,
    )
    assert study.folder == by_call and study.report is None
    assert study.result.replications == 3 and study.result.seed == 11
    files = folder_bytes(by_call)
    assert files == folder_bytes(by_command)
    for name in ("summary.json", "events.csv", "sources/1_small_county.toml"):
        assert name in files, name
    assert not (by_call / ".checkpoints").exists()
    # In this process the command line records the test runner's arguments after its name.
    assert command_of(by_command).startswith("caseload-sim")
    assert command_of(by_call).startswith(f"caseload_sim.run_to_folder({str(scenario)!r}, ")
    assert "RunSettings(replications=3, seed=11, jobs=1, events=True)" in command_of(by_call)


def test_compare_to_folder_writes_the_folder_caseload_sim_compare_writes(tmp_path: Path) -> None:
    base = scenario_file(tmp_path, "base")
    more = scenario_file(tmp_path, "more", "[workforce.teams.north.staff]", "sw = 16")
    by_command, by_call = tmp_path / "command", tmp_path / "call"
    command = ["compare", str(base), str(more), *[f"--set={text}" for text in SHORT]]
    assert run_cli(*command, "-r", "3", "--seed", "11", "-j", "2", "--out", str(by_command)) == 0
    study = compare_to_folder(
        [base, more], by_call, RunSettings(replications=3, seed=11, jobs=2), overrides=SHORT
    )
    assert study.result.names == ["base", "more"]
    files = folder_bytes(by_call)
    assert files == folder_bytes(by_command)
    for name in ("comparison.csv", "base/summary.json", "more/sources/1_more.toml"):
        assert name in files, name
    assert command_of(by_call).startswith("caseload_sim.compare_to_folder([")


def test_sweep_and_staffing_folders_are_those_of_the_commands(tmp_path: Path) -> None:
    base = str(scenario_file(tmp_path, "base", horizon=60, warmup=10))
    vary = "workforce.teams.north.staff.sw=3,5"
    common = ["-r", "2", "--seed", "11", "-j", "1"]
    settings = RunSettings(replications=2, seed=11, jobs=1)
    assert run_cli("sweep", base, "--vary", vary, *common, "--out", str(tmp_path / "s1")) == 0
    swept = sweep_to_folder(base, [vary], tmp_path / "s2", settings)
    assert len(swept.result.points) == 2
    assert folder_bytes(tmp_path / "s1") == folder_bytes(tmp_path / "s2")

    mmc = str(MMC)
    sets = ["simulation.horizon_days=120", "simulation.warmup_days=20"]
    search = ("workforce.teams.validation.staff.sw=9:11", "referrals_count>=1")
    command = ["staffing", mmc, "--vary", search[0], "--target", search[1], *common]
    command += [f"--set={text}" for text in sets]
    assert run_cli(*command, "--out", str(tmp_path / "f1")) == 0
    found = staffing_to_folder(
        mmc, search[0], [search[1]], tmp_path / "f2", settings, overrides=sets
    )
    assert found.result.met
    assert folder_bytes(tmp_path / "f1") == folder_bytes(tmp_path / "f2")


def test_a_scenario_object_gives_the_same_results_without_sources(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, "small", horizon=60, warmup=10)
    from_file = run_to_folder(path, tmp_path / "file", SETTINGS)
    loaded = caseload_sim.load_scenario(path)
    from_object = run_to_folder(loaded, tmp_path / "object", SETTINGS)
    files = folder_bytes(tmp_path / "file")
    assert [name for name in files if name.startswith("sources/")] == [
        "sources/0_county_2010_baseline.toml",
        "sources/1_small.toml",
    ]
    assert folder_bytes(tmp_path / "object") == {
        name: data for name, data in files.items() if not name.startswith("sources/")
    }
    assert from_object.result.summary() == from_file.result.summary()
    assert "<scenario 'small'>" in command_of(tmp_path / "object")


def test_overrides_apply_to_a_loaded_scenario_and_keep_its_files(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, "small", horizon=60, warmup=10)
    loaded = read_scenario(path)
    assert isinstance(loaded, LoadedScenario) and loaded.files[-1] == path.resolve()
    study = run_to_folder(loaded, tmp_path / "out", SETTINGS, overrides=["name=changed"])
    assert study.result.scenario.name == "changed"
    assert (tmp_path / "out" / "sources" / "1_small.toml").is_file()


def test_the_default_folder_is_that_of_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    study = run_to_folder(small_county(*SHORT, "name='my council'"), settings=SETTINGS)
    assert study.folder == Path("results") / "my_council"
    assert (tmp_path / "results" / "my_council" / "summary.json").is_file()


def test_progress_is_reported_and_a_progress_display_shown_only_while_running(
    tmp_path: Path,
) -> None:
    path = scenario_file(tmp_path, "small", horizon=60, warmup=10)
    seen: list[tuple[int, int]] = []
    run_to_folder(path, tmp_path / "a", SETTINGS, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3, 3)

    shown: list[str] = []

    @contextmanager
    def display() -> Iterator[object]:
        shown.append("start")
        yield lambda done, total: shown.append(f"{done}/{total}")
        shown.append("stop")

    run_to_folder(path, tmp_path / "b", SETTINGS, progress=display())
    assert shown[0] == "start" and shown[-1] == "stop" and "3/3" in shown


def test_input_the_user_can_fix_is_refused_with_the_command_line_s_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(StudyError) as error:
        run_to_folder(missing, tmp_path / "out", SETTINGS)
    assert run_cli("run", str(missing), "-r", "3", "--out", str(tmp_path / "out")) == 2
    assert capsys.readouterr().err == f"caseload-sim: {error.value}\n"

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    path = scenario_file(tmp_path, "small", horizon=60, warmup=10)
    with pytest.raises(StudyError, match="^--out .*: exists and is not a folder$"):
        run_to_folder(path, blocker, SETTINGS)
    same = small_county(*SHORT)
    with pytest.raises(StudyError, match="names must differ"):
        compare_to_folder([same, same], tmp_path / "cmp", SETTINGS)
    with pytest.raises(StudyError, match="staffing searches numbers"):
        staffing_to_folder(path, "workforce.allocation.cap_mode=hard,soft", ["referrals_count>=1"])
    with pytest.raises(StudyError, match="no such folder"):
        write_folder_report(tmp_path / "nowhere")


def test_ctrl_c_names_the_folder_and_keeps_the_finished_replications(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import caseload_sim.experiment.runner as runner

    real = runner.run_replication
    calls = {"n": 0}

    def interrupted_after_two(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_replication", interrupted_after_two)
    path = scenario_file(tmp_path, "small", horizon=60, warmup=10)
    out = tmp_path / "out"
    with pytest.raises(StudyInterrupted) as interrupted:
        run_to_folder(path, out, SETTINGS)
    assert isinstance(interrupted.value, KeyboardInterrupt)
    assert interrupted.value.folder == out
    assert len(list((out / ".checkpoints").rglob("*.json"))) == 2
    assert not (out / "summary.json").exists()
    resumed = run_to_folder(path, out, RunSettings(replications=3, seed=11, jobs=1, resume=True))
    assert calls["n"] == 4 and resumed.result.replications == 3
    assert not (out / ".checkpoints").exists()


def test_the_calls_are_part_of_the_public_api() -> None:
    for name in (
        "RunSettings",
        "StudyError",
        "run_to_folder",
        "compare_to_folder",
        "sweep_to_folder",
        "staffing_to_folder",
    ):
        assert name in caseload_sim.__all__
        assert getattr(caseload_sim, name) is not None
    assert caseload_sim.run_to_folder is run_to_folder
