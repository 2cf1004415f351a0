"""Past runs: every run kept under the results folder, newest first; any reopens as it was."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from caseload_sim.app import session
from caseload_sim.app.history import past_runs
from caseload_sim.app.views import results_view


def page() -> None:
    st.title("Past runs")
    runs = past_runs(session.results_folder())
    if not runs:
        st.write("No runs yet. Runs made under Run a what-if are kept here.")
        return
    table = pd.DataFrame(
        [
            {
                "Run": run.title,
                "When": results_view.when(run.when),
                "Replications": run.replications,
                **{title: value for title, value in run.figures},
            }
            for run in runs
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    labels = [f"{run.title} ({results_view.when(run.when)})" for run in runs]
    chosen = st.selectbox("Reopen a run", range(len(runs)), format_func=lambda i: labels[i])
    if chosen is not None:
        results_view.show(runs[chosen].folder)
