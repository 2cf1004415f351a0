"""A calibration from the app: Annex A lists uploaded into a temporary folder, calibrated in a
worker, the folder removed however it ends, and nothing personal in what is kept or shown."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from caseload_sim.app.draft import Draft
from caseload_sim.app.jobs import CALIBRATED, CALIBRATION_SUMMARY, Job, Request
from caseload_sim.calibrate.synthetic import synthesise_annex_a, write_annex_a
from caseload_sim.scenario.loading import load_scenario
from conftest import scenario_file

TIMEOUT = 300


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three months of a small county's lists, with invented children."""
    folder = tmp_path_factory.mktemp("annex_a")
    scenario = load_scenario(scenario_file(folder, "lists", horizon=90, warmup=0))
    return write_annex_a(synthesise_annex_a(scenario, seed=3), folder / "out", "xlsx")


def held(workbook: Path) -> Path:
    """The workbook as the page holds an upload: alone in a temporary folder."""
    root = Path(tempfile.mkdtemp(prefix="caseload-sim-annex-a-test-"))
    shutil.copy(workbook, root / workbook.name)
    return root / workbook.name


def calibration(upload: Path, digest: str = "lists") -> Request:
    return Request(
        title="Calibrated from annex_a.xlsx",
        scenarios_toml=(),
        draft_toml="",
        replications=2,
        seed=1,
        jobs=1,
        kind="calibrate",
        upload=str(upload),
        digest=digest,
        base="county_2010_baseline.toml",
        search=False,
    )


@pytest.fixture(scope="module")
def calibrated(workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Job, Path]:
    upload = held(workbook)
    job = Job.start(tmp_path_factory.mktemp("results"), calibration(upload))
    status = job.wait(timeout=TIMEOUT)
    assert status.state == "done", status.message
    return job, upload


def test_a_calibration_keeps_a_scenario_the_app_can_edit_and_removes_the_upload(
    calibrated: tuple[Job, Path],
) -> None:
    job, upload = calibrated
    assert not upload.parent.exists()
    assert not job.partial_out.exists()
    text = (job.out / CALIBRATED).read_text()
    assert 'base = "county_2010_baseline.toml"' in text
    draft = Draft.uploaded(CALIBRATED, text.encode())
    assert draft.base == "county_2010_baseline.toml"
    scenario = draft.build()
    assert scenario.demand.contacts_per_year is not None
    summary = json.loads((job.out / CALIBRATION_SUMMARY).read_text())
    assert set(summary["lists"]) == {"1", "3", "4", "5"}
    assert all(counts["used"] > 0 for counts in summary["lists"].values())
    assert summary["effort"] is None  # not searched
    assert "demand.contacts_per_year" in {v["path"] for v in summary["values"]}
    assert job.complete(calibration(Path("/elsewhere/annex_a.xlsx")))  # found by its digest


def test_nothing_personal_is_kept_from_the_lists(
    calibrated: tuple[Job, Path], workbook: Path
) -> None:
    job, _ = calibrated
    lists = pd.read_excel(workbook, sheet_name=None)
    children = {str(c) for sheet in lists.values() for c in sheet["Child Unique ID"]}
    births = {
        f"{d:%d/%m/%Y}" for sheet in lists.values() for d in sheet["Date of Birth"].dropna()
    } | {f"{d:%Y-%m-%d}" for sheet in lists.values() for d in sheet["Date of Birth"].dropna()}
    kept = [job.folder / "worker.log", *(p for p in job.out.rglob("*") if p.is_file())]
    for path in kept:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not [c for c in children if c in text], path
        assert not [b for b in births if b in text], path


def test_a_calibration_that_fails_says_why_and_removes_the_upload(tmp_path: Path) -> None:
    root = Path(tempfile.mkdtemp(prefix="caseload-sim-annex-a-test-"))
    upload = root / "annex_a.xlsx"
    upload.write_bytes(b"not a workbook")
    job = Job.start(tmp_path / "results", calibration(upload, digest="broken"))
    status = job.wait(timeout=TIMEOUT)
    assert status.state == "failed"
    assert "annex_a.xlsx" in status.message
    assert "Traceback" not in status.message
    assert not root.exists()
    assert not job.out.exists()


def test_a_cancelled_calibration_keeps_nothing_and_removes_the_upload(
    workbook: Path, tmp_path: Path
) -> None:
    import time

    upload = held(workbook)
    searching = Request(**{**calibration(upload, digest="cancelled").__dict__, "search": True})
    job = Job.start(tmp_path / "results", searching)
    time.sleep(4)  # into the calibration: the lists are read, the effort is being searched
    assert job.status().state == "running"
    job.cancel()
    status = job.wait(timeout=TIMEOUT)
    assert status.state == "cancelled"
    assert not upload.parent.exists()
    assert not job.out.exists() and not job.partial_out.exists()


def test_the_page_removes_an_upload_its_worker_left(tmp_path: Path, workbook: Path) -> None:
    upload = held(workbook)
    job = Job(tmp_path, "stopped")
    job.folder.mkdir(parents=True)
    (job.folder / "request.json").write_text(json.dumps(calibration(upload).__dict__))
    job.discard_upload()
    assert not upload.parent.exists()


def calibrate_page() -> None:
    from caseload_sim.app.views import calibrate

    calibrate.page()


def test_the_page_shows_the_calibration_and_makes_it_the_scenario_being_edited(
    calibrated: tuple[Job, Path],
) -> None:
    job, _ = calibrated
    at = AppTest.from_function(calibrate_page, default_timeout=120)
    at.session_state["calibrated"] = job.out
    at.run()
    assert not at.exception
    lists, values, *problems = (frame.value for frame in at.dataframe)
    assert lists["List"].tolist() == ["List 1", "List 3", "List 4", "List 5"]
    assert "Contacts a year" in values["What"].tolist()
    said = " ".join(m.value for m in at.markdown)
    assert problems or "every row and cell the calibration uses could be read" in said
    use = next(b for b in at.button if b.label == "Use this scenario")
    use.click().run()
    assert not at.exception
    draft = at.session_state["draft"]
    assert draft.source == CALIBRATED
    assert draft.build().name.startswith("calibrated_")
    assert "now the one you are editing" in at.success[0].value


def test_an_upload_is_refused_with_what_the_page_takes() -> None:
    from caseload_sim.app.views.calibrate import _refusal

    class Upload:
        def __init__(self, name: str, size: int = 10) -> None:
            self.name, self.size = name, size

    assert "Choose the Annex A workbook" in (_refusal([]) or "")
    assert "not both" in (_refusal([Upload("a.xlsx"), Upload("list_1.csv")]) or "")
    assert "at most 50 MB" in (_refusal([Upload("a.xlsx", 60_000_000)]) or "")
    assert _refusal([Upload("list_1.csv"), Upload("list_3.csv")]) is None


def test_the_rows_left_out_are_counted_by_list_column_and_problem(
    calibrated: tuple[Job, Path], tmp_path: Path
) -> None:
    job, _ = calibrated
    folder = tmp_path / "kept"
    shutil.copytree(job.out, folder)
    (folder / "calibration_report.csv").write_text(
        "list,row,column,problem\n"
        "list_3,5,Date of referral,not a date (value not shown here)\n"
        "list_3,9,Date of referral,not a date (value not shown here)\n"
        "list_4,2,Does the Child have a Disability,not yes or no ('maybe')\n"
    )
    at = AppTest.from_function(calibrate_page, default_timeout=120)
    at.session_state["calibrated"] = folder
    at.run()
    assert not at.exception
    problems = at.dataframe[2].value
    assert problems.to_dict("records") == [
        {"List": "list_3", "Column": "Date of referral", "Problem": "not a date", "Rows": 2},
        {
            "List": "list_4",
            "Column": "Does the Child have a Disability",
            "Problem": "not yes or no",
            "Rows": 1,
        },
    ]
