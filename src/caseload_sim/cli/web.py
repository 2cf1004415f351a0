"""``app``: start the planners' web app (Streamlit, the ``[app]`` extra) on this machine."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer

from caseload_sim.app.limits import MAX_UPLOAD_MB
from caseload_sim.cli.common import BadInput


def app_command(
    host: Annotated[
        str, typer.Option(help="Address to serve on; loopback unless you mean to share it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.", min=1, max=65535)] = 8501,
    results: Annotated[
        Path, typer.Option(help="Folder that keeps every run made in the app.")
    ] = Path("results/app"),
) -> None:
    """Start the web app for planners: describe the service, run what-ifs, keep the runs."""
    if importlib.util.find_spec("streamlit") is None:
        raise BadInput(
            "the app needs the app extra: pip install 'caseload_sim[app]' "
            "(or run make app, which sets it up)"
        )
    _check_address(host, port)
    folder = results.resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BadInput(
            f"--results {results}: cannot create the folder ({error.strerror})"
        ) from None
    if not _is_loopback(host):
        typer.echo(
            f"caseload-sim: serving on {host}: anyone who can reach this address can use the app",
            err=True,
        )
    script = Path(__file__).resolve().parents[1] / "app" / "main.py"
    command = [
        sys.executable,
        *("-m", "streamlit", "run", str(script)),
        *("--server.address", host, "--server.port", str(port)),
        *("--server.headless", "true", "--server.maxUploadSize", str(MAX_UPLOAD_MB)),
        *("--browser.gatherUsageStats", "false", "--global.developmentMode", "false"),
        *("--server.fileWatcherType", "none", "--client.toolbarMode", "minimal"),
        # No traceback reaches a page: a generic message there, the details on this console.
        *("--client.showErrorDetails", "none"),
    ]
    typer.echo(f"caseload-sim app: http://{host}:{port} (runs kept in {folder}); Ctrl-C stops it")
    sys.stdout.flush()
    os.execve(sys.executable, command, {**os.environ, "CASELOAD_SIM_APP_RESULTS": str(folder)})


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _check_address(host: str, port: int) -> None:
    """Refuse an address this machine cannot serve on, before the app starts."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise BadInput(f"--host {host}: not an address of this machine") from None
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == 98:  # EADDRINUSE
                raise BadInput(f"--port {port}: already in use; choose another port") from None
            raise BadInput(f"--host {host}: cannot serve there ({error.strerror})") from None
