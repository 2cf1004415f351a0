"""``caseload-sim app``: refuses what it cannot do with a message, and starts the app."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest

from caseload_sim.app.server import running_app
from caseload_sim.cli import web
from conftest import run_cli_captured


def test_without_the_app_extra_it_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web.importlib.util, "find_spec", lambda name: None)
    code, _, err = run_cli_captured(capsys, "app")
    assert code == 2
    assert "pip install 'caseload_sim[app]'" in err


def test_a_port_in_use_is_refused_before_anything_starts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run_cli_captured(
            capsys, "app", "--port", str(port), "--results", str(tmp_path)
        )
    assert code == 2
    assert f"--port {port}: already in use" in err


def test_a_host_that_is_not_here_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli_captured(capsys, "app", "--host", "no-such-host.invalid")
    assert code == 2
    assert "--host no-such-host.invalid" in err


def test_it_serves_the_app_on_loopback(tmp_path: Path) -> None:
    with running_app(tmp_path / "runs") as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/_stcore/health") as reply:
            assert reply.read().decode().strip() == "ok"
        assert (tmp_path / "runs").is_dir()
