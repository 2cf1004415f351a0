"""A run's results as the page shows them: cards, the periods of a timeline, charts, downloads.

Shown from the Run page when a run ends and from Past runs when one is reopened; everything is
read from the results folder, so a reopened run looks exactly as it did.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from caseload_sim.app import session
from caseload_sim.app.cards import Card, cards, shown
from caseload_sim.app.history import title_of
from caseload_sim.app.jobs import Job
from caseload_sim.app.wording import period_heading
from caseload_sim.charts.registry import charts_of_kind
from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError

CARDS_PER_ROW = 3


def show(path: Path, drawing: Job | None = None) -> None:
    """Everything a planner reads about one run (``drawing``: the job still drawing its charts
    and report, which appear when it is done)."""
    folder = ResultsFolder(path, "run")
    try:
        made = cards(folder)
    except ResultsFolderError as error:
        st.error(f"This run cannot be shown: {error}")
        return
    st.subheader(title_of(folder))
    st.caption(
        f"{folder.replications} replications, seed {folder.summary.get('seed')}; "
        f"run {when(str(folder.provenance.get('started_utc', '')))}"
    )
    _cards(made)
    _periods(folder)
    figures(folder, "run", drawing)
    downloads(folder)


def figures(folder: ResultsFolder, kind: str, drawing: Job | None) -> None:
    """The folder's charts, or word that they are being drawn (by ``drawing``'s worker, when
    that job made this folder)."""
    if drawing is not None and Path(drawing.out) == Path(folder.path):
        _drawing(drawing)
    else:
        _charts(folder, kind)


@st.fragment(run_every=1.0)
def _drawing(job: Job) -> None:
    if job.status().report == "drawing":
        st.info("Drawing the charts and the report…", icon=":material/hourglass_top:")
        return
    session.put("drawing", None)
    st.rerun(scope="app")


def when(started_utc: str) -> str:
    """'1 December 2026, 16:16 UTC' for an ISO time."""
    try:
        moment = dt.datetime.fromisoformat(started_utc)
    except ValueError:
        return started_utc or "at an unknown time"
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def _cards(made: list[Card]) -> None:
    for start in range(0, len(made), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, card in zip(columns, made[start : start + CARDS_PER_ROW], strict=False):
            with column, st.container(border=True):
                st.markdown(f"**{card.title}**")
                st.metric(card.title, card.value, label_visibility="collapsed")
                st.write(card.reading)


def _periods(folder: ResultsFolder) -> None:
    """Before and after each dated change: the headline KPIs in each period."""
    periods = folder.periods
    if len(periods) < 2:
        return
    st.markdown("#### Before and after each dated change")
    rows = []
    for name in HEADLINE_KPIS:
        unit = KPIS[name].unit
        row = {"KPI": KPIS[name].title}
        for period in periods:
            entry = period.get("kpis", {}).get(name)
            if entry is None:
                break
            row[period_heading(period)] = shown(entry.get("mean"), unit)
        else:
            rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _charts(folder: ResultsFolder, kind: str) -> None:
    pictures = [
        folder.path / "charts" / f"{definition.name}.png" for definition in charts_of_kind(kind)
    ]
    pictures = [picture for picture in pictures if picture.is_file()]
    if not pictures:
        return
    st.markdown("#### Charts")
    for picture in pictures:
        st.image(str(picture), width="stretch")


def downloads(folder: ResultsFolder) -> None:
    """The report, the scenario as written, the tables and the whole folder, to download."""
    st.markdown("#### Take it away")
    # Each is (label, data, file name, type); files are read and zipped when asked for, not on
    # every rerun of the page.
    offered: list[tuple[str, Any, str, str]] = [
        (label, folder.file(name).read_bytes, f"{folder.path.name}_{name}", kind)
        for name, label, kind in (
            ("report.html", "The report (HTML)", "text/html"),
            ("draft.toml", "The scenario (TOML)", "application/toml"),
        )
        if folder.has(name)
    ]
    offered += [
        (
            "The tables (CSV, zip)",
            partial(_zip, folder.path, "*.csv"),
            f"{folder.path.name}_tables.zip",
            "application/zip",
        ),
        (
            "The whole results folder (zip)",
            partial(_zip, folder.path, "**/*"),
            f"{folder.path.name}.zip",
            "application/zip",
        ),
    ]
    for column, (label, data, name, kind) in zip(st.columns(len(offered)), offered, strict=True):
        column.download_button(label, data, file_name=name, mime=kind, on_click="ignore")


def _zip(root: Path, pattern: str) -> bytes:
    files = [path for path in root.glob(pattern) if path.is_file()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            archive.write(path, Path(root.name) / path.relative_to(root))
    return buffer.getvalue()
