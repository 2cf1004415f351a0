"""Past runs: every run, comparison and staffing search kept under the results folder, newest
first; any reopens as it was, without running again."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from caseload_sim.app import session
from caseload_sim.app.history import KIND_WORDS, past_runs
from caseload_sim.app.views import compare, results_view, staffing


def page() -> None:
    st.title("Past runs")
    runs = past_runs(session.results_folder())
    if not runs:
        st.write(
            "Nothing yet. What-ifs, comparisons and staffing searches made in the app are kept "
            "here."
        )
        return
    table = pd.DataFrame(
        [
            {
                "Run": run.title,
                "Kind": KIND_WORDS[run.kind],
                "When": results_view.when(run.when),
                "Replications": run.replications,
                "First figures": "; ".join(f"{title}: {value}" for title, value in run.figures),
            }
            for run in runs
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    labels = [f"{run.title} ({results_view.when(run.when)})" for run in runs]
    chosen = st.selectbox("Reopen", range(len(runs)), format_func=lambda i: labels[i])
    if chosen is not None:
        reopen(runs[chosen].kind, runs[chosen].folder)


def reopen(kind: str, folder: Path) -> None:
    """Show a kept folder on the page its kind belongs to."""
    shows = {"run": results_view.show, "compare": compare.show, "staffing": staffing.show}
    shows[kind](folder)
