"""What one browser session holds: the scenario being edited, the run under way, the run shown.

Each browser session has its own (Streamlit's session state), so two planners never see each
other's scenarios; the runs they make are kept in the one results folder the app was started
with, where the same scenario, seed and replications find the saved run again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import streamlit as st

from caseload_sim.app.draft import Draft
from caseload_sim.scenario.loading import DEFAULT_SCENARIO, ScenarioError

#: Set by ``caseload-sim app --results DIR``.
RESULTS_VARIABLE = "CASELOAD_SIM_APP_RESULTS"


def results_folder() -> Path:
    """The folder that keeps this app's runs."""
    return Path(os.environ.get(RESULTS_VARIABLE, "results/app"))


def draft() -> Draft:
    """The scenario this session is editing (the bundled default to start with)."""
    if "draft" not in st.session_state:
        st.session_state["draft"] = Draft.bundled(DEFAULT_SCENARIO.name)
    found: Draft = st.session_state["draft"]
    return found


def replace_draft(new: Draft) -> None:
    """Start editing another scenario: every lever starts again from it."""
    st.session_state["draft"] = new
    st.session_state["generation"] = generation() + 1


def generation() -> int:
    """A count of fresh starts; lever widgets are keyed by it, so a new draft resets them."""
    return int(st.session_state.get("generation", 0))


def built() -> tuple[Any, str | None]:
    """The draft built into a scenario, or None and the schema's message."""
    try:
        return draft().build(), None
    except ScenarioError as error:
        return None, str(error)


def get(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    st.session_state[key] = value
