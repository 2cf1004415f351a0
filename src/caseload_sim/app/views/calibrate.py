"""Calibrate from our data: a council's Ofsted Annex A lists in, a calibrated scenario out, with
the rows left out and why, and the evidence of observed against simulated.

The upload is personal data. It is written only to a temporary folder of its own, which the
calibration's worker removes when it ends, however it ends (the page removes it when no worker
takes it); the page shows counts, fitted values and the problem report, which never holds a
name, an address or a date of birth (:mod:`caseload_sim.calibrate.personal_data`).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from caseload_sim.app import session
from caseload_sim.app.draft import Draft, bundled_scenarios
from caseload_sim.app.jobs import CALIBRATED, CALIBRATION_SUMMARY, Job, Request, read_json
from caseload_sim.app.limits import MAX_UPLOAD_MB
from caseload_sim.app.views.run import ended, follow, start_or_reopen
from caseload_sim.app.wording import bundled_title
from caseload_sim.calibrate.pipeline import REPORT_CSV, REPORT_HTML
from caseload_sim.scenario.loading import ScenarioError
from caseload_sim.scenario.wording import field_label, field_value_words

#: Replications for each candidate effort in the search (the command line's default).
SEARCH_REPLICATIONS = 2
#: How many kinds of problem the page lists (the whole report downloads).
PROBLEM_KINDS = 30


def page() -> None:
    st.title("Calibrate from our data")
    st.write(
        "Upload your Ofsted Annex A lists 1, 3, 4 and 5 (a workbook, or the lists as CSV "
        "files). caseload_sim fits demand, conversion, re-referrals, the mix of work and the "
        "time assessments take, and checks the fit by simulation. Names, addresses and dates "
        "of birth are never read into the scenario or shown; the uploaded file is deleted when "
        "the calibration ends."
    )
    job: Job | None = session.get("calibration_job")
    if job is not None:
        st.caption("Calibrating: this takes from under a minute to a few minutes.")
        follow("calibration_job", "calibrated")
        return
    ended()
    _ask()
    folder = session.get("calibrated")
    if folder is not None:
        show(Path(folder))


def _ask() -> None:
    names = [path.name for path in bundled_scenarios()]
    with st.form("calibrate"):
        files = st.file_uploader(
            "Annex A lists",
            type=["xlsx", "csv"],
            accept_multiple_files=True,
            help=f"One workbook (.xlsx) or list_1.csv, list_3.csv...; at most {MAX_UPLOAD_MB} MB.",
        )
        base = st.selectbox(
            "Build on",
            names,
            index=names.index("county_2010_baseline.toml")
            if "county_2010_baseline.toml" in names
            else 0,
            format_func=bundled_title,
            help="Every figure the lists cannot give (staffing, caps, rules) is this scenario's.",
        )
        search = st.checkbox(
            "Find the assessment effort by simulation",
            value=True,
            help="Simulates candidate efforts until initial assessments take as long as yours "
            "do; a few minutes. Without it the effort stays the base scenario's.",
        )
        started = st.form_submit_button("Calibrate", type="primary")
    if not started:
        return
    refused = _refusal(files or [])
    if refused:
        st.error(refused)
        return
    upload, digest = _hold(files or [])
    request = Request(
        title=f"Calibrated from {_source_name(files or [])} on {bundled_title(base)}",
        scenarios_toml=(),
        draft_toml="",
        replications=SEARCH_REPLICATIONS,
        seed=int(Draft.bundled(base).build().simulation.seed),
        jobs=1,
        kind="calibrate",
        upload=str(upload),
        digest=digest,
        base=base,
        search=search,
    )
    start_or_reopen(
        request,
        "calibration_job",
        "calibrated",
        "These lists were calibrated before on the same scenario: here is that result.",
        release=lambda: shutil.rmtree(upload.parent, ignore_errors=True),
    )


def _refusal(files: list[Any]) -> str | None:
    if not files:
        return "Choose the Annex A workbook, or the lists as CSV files."
    kinds = {Path(f.name).suffix.lower() for f in files}
    if ".xlsx" in kinds and len(files) > 1:
        return "Upload one workbook, or CSV files only: not both, nor two workbooks."
    size = sum(f.size for f in files)
    if size > MAX_UPLOAD_MB * 1_000_000:
        return f"{size / 1e6:.0f} MB uploaded; the app takes at most {MAX_UPLOAD_MB} MB."
    return None


def _hold(files: list[Any]) -> tuple[Path, str]:
    """Write the upload to a temporary folder of its own: the workbook, or a folder of the
    CSV files; its path and the digest of what was uploaded (so the same lists find their
    calibration again)."""
    root = Path(tempfile.mkdtemp(prefix="caseload-sim-annex-a-"))
    digest = hashlib.sha256()
    if len(files) == 1 and files[0].name.lower().endswith(".xlsx"):
        target = root / Path(files[0].name).name
        files_at = [(target, files[0])]
    else:
        target = root / "lists"
        target.mkdir()
        files_at = [(target / Path(f.name).name, f) for f in files]
    for path, file in sorted(files_at, key=lambda pair: pair[0].name):
        data = file.getvalue()
        digest.update(path.name.encode() + b"\0" + data)
        path.write_bytes(data)
    return target, digest.hexdigest()[:16]


def _source_name(files: list[Any]) -> str:
    return files[0].name if len(files) == 1 else f"{len(files)} list files"


def show(folder: Path) -> None:
    """A calibration: what each list gave, the values set, the rows left out and why, the
    evidence, and the calibrated scenario to use or download."""
    summary = read_json(folder / CALIBRATION_SUMMARY)
    if summary is None or not (folder / CALIBRATED).is_file():
        st.error(f"This calibration cannot be shown: {folder.name} is not complete.")
        return
    text = (folder / CALIBRATED).read_bytes()
    st.subheader(f"Calibrated from {summary['source']} on {bundled_title(summary['base'])}")
    if st.button("Use this scenario", type="primary", key=f"use:{folder.name}"):
        try:
            session.replace_draft(Draft.uploaded(CALIBRATED, text))
        except ScenarioError as error:
            st.error(str(error))
        else:
            st.success(
                "The calibrated scenario is now the one you are editing: change it under "
                "Describe the service, run it or compare it."
            )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "List": f"List {n}",
                    "Rows used": f"{c['used']:,}",
                    "Rows left out": f"{c['rejected']:,}",
                }
                for n, c in summary["lists"].items()
            ]
        ),
        hide_index=True,
    )
    effort = summary.get("effort")
    if effort:
        st.write(
            f"{field_label(effort['field'])}: **{effort['hours']:.2f} hours**, found by "
            f"simulation: assessments then take {effort['simulated_days']:.2f} working days on "
            f"average against your {effort['observed_days']:.2f}."
        )
    st.markdown("#### What the calibration set")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "What": field_label(v["path"]),
                    "Value": field_value_words(v["path"], v["value"]),
                    "From (n)": f"{v['n']:,}",
                    "Evidence": v["evidence"],
                }
                for v in summary["values"]
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    _problems(folder / REPORT_CSV)
    report = folder / REPORT_HTML
    if report.is_file():
        with st.expander("The evidence: observed against simulated", expanded=False):
            # Written by the calibration itself, every value escaped: safe to frame.
            st.iframe(report, height=900)
    st.markdown("#### Take it away")
    left, middle, right = st.columns(3)
    left.download_button(
        "The calibrated scenario (TOML)",
        text,
        file_name=f"{folder.name}_{CALIBRATED}",
        mime="application/toml",
        on_click="ignore",
    )
    if report.is_file():
        middle.download_button(
            "The evidence (HTML)",
            report.read_bytes,
            file_name=f"{folder.name}_{REPORT_HTML}",
            mime="text/html",
            on_click="ignore",
        )
    if (folder / REPORT_CSV).is_file():
        right.download_button(
            "The rows left out and why (CSV)",
            (folder / REPORT_CSV).read_bytes,
            file_name=f"{folder.name}_{REPORT_CSV}",
            mime="text/csv",
            on_click="ignore",
        )


def _problems(path: Path) -> None:
    """The problems found, by list, column and kind, most frequent first."""
    try:
        problems = pd.read_csv(path, dtype=str)
    except (OSError, ValueError):
        return
    st.markdown("#### Rows left out and cells not read")
    if problems.empty:
        st.write("None: every row and cell the calibration uses could be read.")
        return
    problems["Problem"] = problems["problem"].str.replace(r"\s*\(.*\)$", "", regex=True)
    counted = (
        problems.groupby(["list", "column", "Problem"], sort=False)
        .size()
        .reset_index(name="Rows")
        .sort_values("Rows", ascending=False)
        .head(PROBLEM_KINDS)
        .rename(columns={"list": "List", "column": "Column"})
    )
    st.dataframe(counted, hide_index=True, width="stretch")
