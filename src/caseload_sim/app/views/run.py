"""Run a what-if: replications of the scenario being edited, in a worker process, with progress,
the time left and Cancel; then its results. A run asked for again (same scenario, seed and
replications) is reopened from the results folder instead of run again."""

from __future__ import annotations

import streamlit as st

from caseload_sim.app import session
from caseload_sim.app.jobs import Job, Request, running_jobs
from caseload_sim.app.limits import busy, refusals
from caseload_sim.app.views import how_to_run, results_view
from caseload_sim.app.wording import scenario_title
from caseload_sim.scenario.loading import scenario_to_toml

#: How often the page looks at a running job (seconds).
POLL_SECONDS = 1.0


def page() -> None:
    st.title("Run a what-if")
    job: Job | None = session.get("job")
    if job is not None:
        follow("job", "shown")
    else:
        ended()
        _ask()
    shown = session.get("shown")
    if shown is not None and job is None:
        results_view.show(shown, session.get("drawing"))


def _ask() -> None:
    draft = session.draft()
    scenario, problem = session.built()
    if scenario is None:
        st.error(
            f"The scenario cannot be run yet; change it under Describe the service.\n\n{problem}"
        )
        return
    changes = len(draft.changed())
    title = scenario_title(scenario) + (
        f", with {changes} change{'s' if changes != 1 else ''}" if changes else ""
    )
    with st.form("run"):
        # Kept by the session, not the widgets: the form is not drawn while a run is under way,
        # and Streamlit forgets the values of widgets that were not drawn.
        asked = session.get("asked", {})
        # The name and seed are this scenario's; replications and processes carry over.
        if asked.get("for") != title:
            asked = {k: v for k, v in asked.items() if k not in ("title", "seed")}
        name = st.text_input("Name this run", value=asked.get("title", title), max_chars=120)
        chosen = how_to_run.fields(asked, seed=int(scenario.simulation.seed))
        started = st.form_submit_button("Run", type="primary")
    if not started:
        return
    session.put("asked", {"for": title, "title": name, **chosen.remembered()})
    refused = refusals(scenario, chosen.replications, chosen.jobs)
    if refused:
        st.error(
            "This run is larger than the app allows:\n\n" + "\n".join(f"- {r}" for r in refused)
        )
        return
    request = Request(
        title=name.strip() or title,
        scenarios_toml=(scenario_to_toml(scenario),),
        draft_toml=draft.to_toml(),
        replications=chosen.replications,
        seed=chosen.seed,
        jobs=chosen.jobs,
    )
    start_or_reopen(
        request,
        "job",
        "shown",
        "This scenario was run before with the same seed and replications: here is that run, "
        "reopened.",
    )


def start_or_reopen(request: Request, job_key: str, shown_key: str, again: str) -> None:
    """Start the request's job under ``job_key``; or, when its results folder is already
    complete, show that folder (under ``shown_key``) and say so in the words ``again``."""
    job = Job(session.results_folder(), request.key())
    if job.complete(request):
        session.put(shown_key, job.out)
        session.put("drawing", None)
        st.info(again)
        return
    refused = busy(running_jobs(session.results_folder()))
    if refused:
        st.error(refused)
        return
    session.put(job_key, Job.start(session.results_folder(), request))
    st.rerun()


@st.fragment(run_every=POLL_SECONDS)
def follow(job_key: str, shown_key: str) -> None:
    """The job under ``job_key`` as it runs: progress, the time left, Cancel. When it is over,
    its results folder goes under ``shown_key`` (or how it ended under ``ended``)."""
    job: Job | None = session.get(job_key)
    if job is None:
        return
    status = job.status()
    if status.over:
        job.discard_upload()
        session.put(job_key, None)
        if status.state == "done":
            session.put(shown_key, job.out)
            session.put("drawing", job if status.report == "drawing" else None)
        else:
            session.put("ended", status.message)
        st.rerun(scope="app")
        return
    done = status.finished / status.total if status.total else 0.0
    left = status.left_seconds
    words = (
        f"{status.finished} of {status.total} replications"
        + (f", about {left:.0f} s left" if left is not None else "")
        if status.total
        else f"Under way: {job.age_seconds:.0f} s so far"
    )
    st.progress(done, text=words)
    if st.button("Cancel", key=f"cancel:{job_key}"):
        job.cancel()


def ended() -> None:
    """Say how the last run ended, when it did not end with results."""
    message = session.get("ended")
    if message:
        st.warning(message)
        session.put("ended", None)
