"""The HTML report in a real headless browser (Debian's chromium; `make browser` installs it).

The report has no script, so nothing is injected: chromium's `--dump-dom` shows the DOM after
load, and a screenshot at a large window size shows whether the charts were decoded and drawn
(the report's own CSS is greyscale, so coloured pixels come from the chart images). Skipped
when chromium is missing, unless the environment variable CI is set: then it fails.
"""

from __future__ import annotations

import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from caseload_sim.report.browser import CHROMIUM, chromium_command
from conftest import run_cli

WINDOW = (1400, 12000)  # tall enough for the whole of a run's report


def _require_chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {CHROMIUM} is missing: `make browser` installs it")
    pytest.skip(f"{CHROMIUM} is not installed (run `make browser`); with CI set this fails")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        chromium_command(profile, *args),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _page_errors(stderr: str) -> list[str]:
    """Chromium's reports of errors in the page (script errors, console errors)."""
    return [
        line
        for line in stderr.splitlines()
        if "Uncaught" in line
        or re.search(r"ERROR:.*console", line, re.IGNORECASE)
        or "CONSOLE(" in line
    ]


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")
        elif tag == "script":
            self.scripts += 1


def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    _require_chromium()
    import numpy as np
    from PIL import Image  # matplotlib's dependency

    folder = tmp_path / "run"
    code = run_cli(
        "run",
        "--set",
        "simulation.horizon_days=150",
        "-r",
        "3",
        "-j",
        "1",
        "--out",
        str(folder),
        "--report",
    )
    assert code == 0
    report = folder / "report.html"
    charts = sorted((folder / "charts").glob("*.png"))
    assert charts
    url = report.resolve().as_uri()

    dom = _chromium(tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not _page_errors(dom.stderr), _page_errors(dom.stderr)
    images = _Images()
    images.feed(dom.stdout)
    assert images.scripts == 0
    assert len(images.sources) == len(charts), "chromium's DOM has every chart"
    assert all(src.startswith("data:image/png;base64,") for src in images.sources)

    shot = tmp_path / "report.png"
    width, height = WINDOW
    screenshot = _chromium(tmp_path, f"--window-size={width},{height}", f"--screenshot={shot}", url)
    assert screenshot.returncode == 0, screenshot.stderr[-2000:]
    assert not _page_errors(screenshot.stderr), _page_errors(screenshot.stderr)
    with Image.open(shot) as picture:
        assert picture.size == (width, height)
        pixels = np.asarray(picture.convert("RGB")).astype(int)
    not_white = int((pixels.sum(axis=2) < 720).sum())
    coloured = int((pixels.max(axis=2) - pixels.min(axis=2) > 60).sum())
    assert not_white > 0.02 * width * height, "the page is blank"
    # Text and tables are grey; a chart that failed to decode would draw no colour at all.
    assert coloured > 2_000 * len(charts), f"only {coloured} coloured pixels: charts not drawn"
