"""A planner's journey through the app in a real headless browser: Debian's chromium (``make
browser`` installs it), driven by Playwright, against ``caseload-sim app`` on a free loopback
port.

One test walks the whole journey in order, as a planner would: change the north team's social
workers, download the scenario, run three replications and check the cards against that run's
``summary.json``, download the report, compare the edited scenario with the baseline, search for
the staffing a target needs, cancel a run, find them under Past runs, calibrate from a synthetic
Annex A workbook, and upload a bad scenario. Screenshots of each page go to
``$CASELOAD_SIM_SCREENSHOTS`` when it is set (the planner's guide, ``docs/app.md``, shows them).
Skipped when chromium is missing, unless the environment variable CI is set: then it fails.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseload_sim.app.server import running_app
from caseload_sim.app.views.service import CELL_WIDTH, LABEL_WIDTH
from caseload_sim.report.browser import CHROMIUM, HEADLESS_FLAGS

playwright = pytest.importorskip("playwright.sync_api")

WAIT_MS = 180_000  # a run on a loaded two-core machine
VIEWPORT = {"width": 1400, "height": 2200}
#: How a staffing search's answer begins, met or not.
ANSWERED = re.compile("is the fewest that meets|no value from")


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {CHROMIUM} is missing: `make browser` installs it")
    pytest.skip(f"{CHROMIUM} is not installed (run `make browser`); with CI set this fails")


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    _require_chromium()
    results = tmp_path / "runs"
    with running_app(results) as url:
        yield url, results


def _shot(page, name: str, tmp_path: Path, height: int | None = None) -> None:  # noqa: ANN001
    folder = Path(os.environ.get("CASELOAD_SIM_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)  # the last rerun's fade
    clip = (
        None if height is None else {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
    )
    page.screenshot(path=str(folder / f"app-{name}.png"), clip=clip)


def _edit_cell(page, x: float, y: float, value: str, done, attempts: int = 3) -> None:  # noqa: ANN001
    """Type ``value`` into the grid's cell at ``(x, y)`` until ``done`` shows that the page took
    it. The grid is drawn on a canvas and edited through an overlay; on a loaded machine a
    double-click can land while the page is still being redrawn, so it is tried again."""
    for attempt in range(attempts):
        try:
            page.mouse.dblclick(x, y)
            page.wait_for_function(  # the cell's editor is open and has the keyboard
                "['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)", timeout=20_000
            )
            page.keyboard.press("Control+A")
            page.keyboard.type(value)
            # The grid takes the typed value on its next render; Enter before that keeps the
            # old one.
            page.wait_for_function(f"document.activeElement?.value === '{value}'")
            page.wait_for_timeout(300)
            page.keyboard.press("Enter")
            done.wait_for(timeout=30_000)
            return
        except playwright.TimeoutError:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")


def _workbook(folder: Path) -> Path:
    """Three months of a small county's Annex A lists, with invented children."""
    from caseload_sim.calibrate.synthetic import synthesise_annex_a, write_annex_a
    from caseload_sim.scenario.loading import load_scenario
    from conftest import scenario_file

    scenario = load_scenario(scenario_file(folder, "lists", horizon=90, warmup=0))
    return write_annex_a(synthesise_annex_a(scenario, seed=3), folder / "annex_a", "xlsx")


def _runs(results: Path) -> list[Path]:
    return sorted(p for p in results.iterdir() if not p.name.startswith("."))


def test_a_planners_journey(app_url: tuple[str, Path], tmp_path: Path) -> None:
    url, results = app_url
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[flag for flag in HEADLESS_FLAGS if flag != "--headless"],
        )
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(WAIT_MS)

        # Describe the service: the north team's social workers from 11 to 14.
        page.goto(url)
        page.get_by_text("Who may hold which work").wait_for()
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.locator('[role="gridcell"]', has_text="North").wait_for(state="attached")
        staff = grid.bounding_box()
        assert staff is not None
        social_workers = 2  # the third grade column: assistants, newly qualified, social workers
        _edit_cell(
            page,
            staff["x"] + LABEL_WIDTH + social_workers * CELL_WIDTH + CELL_WIDTH / 2,
            staff["y"] + 35 + 17,  # the header row, then the middle of the first row
            "14",
            done=page.get_by_role("button", name="Undo every change"),
        )
        _shot(page, "service", tmp_path)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the scenario (TOML)").click()
        scenario = tomllib.loads(Path(download.value.path()).read_text())
        assert scenario == {
            "base": "county_2010_baseline.toml",
            "workforce": {"teams": {"north": {"staff": {"sw": 14}}}},
        }

        # Run a what-if: three replications, with progress, then the cards.
        page.get_by_role("link", name="Run a what-if").click()
        name = page.get_by_label("Name this run")
        name.wait_for()
        assert name.input_value() == "County 2010 baseline, with 1 change"
        replications = page.get_by_role("spinbutton", name="How many")
        replications.fill("3")
        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_text("of 3 replications").first.wait_for()
        page.get_by_text("in 100 initial assessments were completed").first.wait_for()
        (run,) = _runs(results)
        summary = json.loads((run / "summary.json").read_text())
        assert summary["replications"] == 3
        assert summary["seed"] == 20100706
        text = page.inner_text('[data-testid="stMain"]')
        values = page.locator('[data-testid="stMetricValue"]')
        kpis = summary["kpis"]
        for place, expected in enumerate(
            (
                f"{kpis['initial_assessment_within_timescale_pct']['mean']:.1f}%",
                f"{kpis['core_assessment_within_timescale_pct']['mean']:.1f}%",
                f"{kpis['referral_to_allocation_days_mean']['mean']:.1f} days",
            )
        ):
            playwright.expect(values.nth(place)).to_have_text(expected)
        ia = summary["kpis"]["initial_assessment_within_timescale_pct"]
        assert (
            f"About {ia['mean']:.0f} in 100 initial assessments were completed within 7 working "
            f"days of referral (95% CI {ia['ci95_low']:.0f} to {ia['ci95_high']:.0f})."
        ) in text
        report_button = page.get_by_role("button", name="The report (HTML)")
        report_button.wait_for()
        _shot(page, "run", tmp_path)
        _shot(page, "run-cards", tmp_path, height=1250)
        with page.expect_download() as download:
            report_button.click()
        report = Path(download.value.path()).read_text()
        assert report.lstrip().lower().startswith("<!doctype html")
        assert "Initial assessments within timescale" in report

        # Compare the edited scenario with the bundled baseline, paired.
        page.get_by_role("link", name="Compare options").click()
        page.get_by_role("spinbutton", name="How many").fill("3")
        page.get_by_role("button", name="Compare", exact=True).click()
        page.get_by_text("County 2010 baseline edited against County 2010 baseline").wait_for()
        (compared,) = [p for p in _runs(results) if (p / "comparison.json").is_file()]
        document = json.loads((compared / "comparison.json").read_text())
        assert document["scenarios"] == ["county_2010_baseline", "county_2010_baseline_edited"]
        gain = document["differences"]["county_2010_baseline_edited"][
            "initial_assessment_within_timescale_pct"
        ]
        assert gain["ci95_low"] > 0  # three more social workers in the north: more on time
        _shot(page, "compare", tmp_path)

        # Find the staffing: the north team's social workers for a target, searched.
        page.get_by_role("link", name="Find the staffing").click()
        page.get_by_role("spinbutton", name="From (posts)").fill("11")
        page.get_by_role("spinbutton", name="To (posts)").fill("13")
        page.get_by_role("spinbutton", name="Value").fill("30")
        page.get_by_role("spinbutton", name="How many").fill("2")
        page.get_by_role("button", name="Search", exact=True).click()
        page.get_by_text(ANSWERED).first.wait_for()
        (searched,) = [p for p in _runs(results) if (p / "staffing.json").is_file()]
        found = json.loads((searched / "staffing.json").read_text())
        assert found["targets"] == ["initial_assessment_within_timescale_pct>=30"]
        assert found["range"] == [11, 13]
        main = page.inner_text('[data-testid="stMain"]')
        if found["met"]:
            assert f"{found['answer']} social workers in the North team is the fewest" in main
        else:
            assert "no value from 11 to 13 meets" in main
        _shot(page, "staffing", tmp_path)

        # Cancel a long run: nothing is kept of it.
        page.get_by_role("link", name="Run a what-if").click()
        page.get_by_label("Name this run").wait_for()
        replications.fill("60")
        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_text("of 60 replications").first.wait_for()
        page.get_by_role("button", name="Cancel").click()
        page.get_by_text("Cancelled: nothing was kept.").wait_for()
        assert _runs(results) == sorted([run, compared, searched])

        # Past runs: each is listed, and the newest (the search) reopens.
        page.get_by_role("link", name="Past runs").click()
        page.get_by_text("Reopen").first.wait_for()
        page.get_by_text(ANSWERED).first.wait_for()
        kept = page.locator('[data-testid="stDataFrame"]').first
        for title in ("County 2010 baseline, with 1 change", "Comparison", "Staffing search"):
            kept.locator('[role="gridcell"]', has_text=title).first.wait_for(state="attached")
        _shot(page, "past", tmp_path)

        # Calibrate from Annex A lists: the calibrated scenario becomes the one being edited.
        page.get_by_role("link", name="Calibrate from our data").click()
        page.locator('input[type="file"]').set_input_files(str(_workbook(tmp_path)))
        page.get_by_text("annex_a.xlsx").first.wait_for()
        page.get_by_text("Find the assessment effort by simulation").click()  # off: quicker
        page.get_by_role("button", name="Calibrate", exact=True).click()
        page.get_by_role("button", name="Use this scenario").click()
        page.get_by_text("now the one you are editing").wait_for()
        fitted = page.locator('[data-testid="stDataFrame"]').nth(1)
        fitted.locator('[role="gridcell"]', has_text="Contacts a year").wait_for(state="attached")
        _shot(page, "calibrate", tmp_path)
        assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("caseload-sim-annex-a-*"))
        page.get_by_role("link", name="Describe the service").click()
        page.get_by_role("heading", name="Calibrated annex a").wait_for()

        # A bad scenario file: the loader's message, naming the file and the field.
        bad = tmp_path / "mine.toml"
        bad.write_text('base = "county_2010_baseline.toml"\n[simulation]\nhorizon_days = -5\n')
        page.get_by_role("link", name="Describe the service").click()
        page.locator('input[type="file"]').set_input_files(str(bad))
        page.get_by_text("mine.toml: simulation.horizon_days").first.wait_for()
        assert "Traceback" not in page.inner_text("body")
        browser.close()
