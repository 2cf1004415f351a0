"""The app as a process of its own on a free loopback port, for the browser tests and the
benchmark: started, waited for until it answers, and stopped."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_app(results: Path, timeout: float = 60.0) -> Iterator[str]:
    """``caseload-sim app`` on a free loopback port, keeping its runs in ``results``; its
    address once it answers its health check. Stopped when the block ends."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "caseload_sim",
            "app",
            "--port",
            str(port),
            "--results",
            str(results),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health") as reply:
                    if reply.read().decode().strip() == "ok":
                        break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(
                        f"the app stopped while starting (exit {server.returncode})"
                    ) from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not answer within {timeout:g} s") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
