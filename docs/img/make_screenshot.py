"""Regenerate docs/img/report.png: the top of the report of a short run of the default scenario.

Run from the repository root after `make browser` (it needs /usr/bin/chromium):

    .venv/bin/python docs/img/make_screenshot.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from caseload_sim.report.browser import CHROMIUM, chromium_command

HERE = Path(__file__).resolve().parent


def main() -> int:
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: run `make browser` first", file=sys.stderr)
        return 1
    from caseload_sim.cli import main as cli

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "default"
        try:
            cli(["run", "-r", "3", "--out", str(folder), "--report"])
        except SystemExit as exit_:
            if exit_.code:
                return int(exit_.code)
        target = HERE / "report.png"
        subprocess.run(
            chromium_command(
                Path(work) / "profile",
                "--hide-scrollbars",
                "--window-size=1200,1500",
                f"--screenshot={target}",
                (folder / "report.html").as_uri(),
            ),
            check=True,
            capture_output=True,
            timeout=180,
        )
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
