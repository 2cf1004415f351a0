"""The app's entry script (``streamlit run``; ``caseload-sim app`` starts it): the pages and the
frame around them. Streamlit runs it again on every interaction."""

from __future__ import annotations

import streamlit as st

from caseload_sim.app.views import calibrate, compare, past, run, service, staffing

st.set_page_config(page_title="caseload_sim", page_icon=":material/groups:", layout="wide")

pages = [
    st.Page(
        service.page,
        title="Describe the service",
        icon=":material/tune:",
        url_path="service",
        default=True,
    ),
    st.Page(run.page, title="Run a what-if", icon=":material/play_arrow:", url_path="run"),
    st.Page(
        compare.page, title="Compare options", icon=":material/compare_arrows:", url_path="compare"
    ),
    st.Page(
        staffing.page, title="Find the staffing", icon=":material/group_add:", url_path="staffing"
    ),
    st.Page(
        calibrate.page,
        title="Calibrate from our data",
        icon=":material/upload_file:",
        url_path="calibrate",
    ),
    st.Page(past.page, title="Past runs", icon=":material/history:", url_path="past"),
]
st.sidebar.markdown("**caseload_sim**: a children's social care front door, simulated.")
st.navigation(pages).run()
