"""Every file written whole or not at all (:mod:`caseload_sim.files`): a write that fails keeps
the old file and leaves no temporary file behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from caseload_sim.experiment.replications import ExperimentResult, ReplicationOutput
from caseload_sim.files import replace_atomically, write_atomically, write_bytes_atomically
from caseload_sim.results.writer import write_results
from conftest import mmc


def umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_text_is_written_as_given(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "notes.csv"
    write_atomically(path, "a,b\r\nc,d\nÉ\n")
    assert path.read_bytes() == "a,b\r\nc,d\nÉ\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask()
    assert os.listdir(path.parent) == ["notes.csv"]
    write_bytes_atomically(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert os.listdir(path.parent) == ["notes.csv"]


def test_a_failed_flush_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "summary.json"
    path.write_text("old", encoding="utf-8")

    def disk_full(_handle: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, "new")
    with pytest.raises(OSError, match="No space left"):
        write_bytes_atomically(path, b"new")
    assert path.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["summary.json"]


def test_an_interrupted_rename_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "chart.png"
    path.write_bytes(b"old")

    def interrupted(_source: object, _target: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomically(path, b"new")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["chart.png"]


def test_files_written_together_are_all_replaced_or_none(tmp_path: Path) -> None:
    first, second = tmp_path / "list_1.csv", tmp_path / "list_3.csv"
    first.write_text("old 1")
    second.write_text("old 3")

    def failing(path: Path) -> None:
        path.write_text("half")
        raise ValueError("the second file cannot be made")

    with pytest.raises(ValueError, match="second file"):
        replace_atomically({first: lambda path: path.write_text("new 1"), second: failing})
    assert (first.read_text(), second.read_text()) == ("old 1", "old 3")
    assert sorted(os.listdir(tmp_path)) == ["list_1.csv", "list_3.csv"]
    replace_atomically(
        {first: lambda path: path.write_text("new 1"), second: lambda p: p.write_text("new 3")}
    )
    assert (first.read_text(), second.read_text()) == ("new 1", "new 3")
    assert stat.S_IMODE(second.stat().st_mode) == 0o666 & ~umask()
    assert sorted(os.listdir(tmp_path)) == ["list_1.csv", "list_3.csv"]


def test_an_interrupted_results_folder_keeps_the_old_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def made(value: float) -> ExperimentResult:
        output = ReplicationOutput(0, {"referrals_count": value}, [{"day": 0.0}])
        return ExperimentResult(mmc(), 1, [output])

    out = write_results(made(1.0), tmp_path / "out")
    old = (out / "summary.json").read_bytes()
    real = os.replace

    def interrupted_at_the_summary(source: str, target: str) -> None:
        if Path(target).name == "summary.json":
            raise KeyboardInterrupt
        real(source, target)

    monkeypatch.setattr(os, "replace", interrupted_at_the_summary)
    with pytest.raises(KeyboardInterrupt):
        write_results(made(2.0), out)
    assert (out / "summary.json").read_bytes() == old
    assert "2.0" in (out / "replications.csv").read_text(), "the files before it were replaced"
    assert not [name for name in os.listdir(out) if name.endswith(".tmp")]
