"""Run a what-if: replications of the scenario being edited, in a worker process, with progress,
the time left and Cancel; then its results. A run asked for again (same scenario, seed and
replications) is reopened from the results folder instead of run again."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from caseload_sim.app import session
from caseload_sim.app.jobs import Job, Request, running_jobs
from caseload_sim.app.limits import busy, refusals
from caseload_sim.app.views import how_to_run, results_view
from caseload_sim.app.wording import scenario_title
from caseload_sim.scenario.loading import scenario_to_toml

#: How often the page looks at a running job (seconds): seldom while it has long to go, since
#: each look takes a little of the machine the run needs, and often once it is nearly done, so
#: that its results appear as soon as they are there.
POLL_SECONDS = 1.5
POLL_NEAR_END_SECONDS = 0.1
#: "Nearly done": this long left at the pace so far (seconds).
NEAR_END_SECONDS = 3.0


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


def start_or_reopen(
    request: Request,
    job_key: str,
    shown_key: str,
    again: str,
    release: Callable[[], None] | None = None,
) -> None:
    """Start the request's job under ``job_key``; or, when its results folder is already
    complete, show that folder (under ``shown_key``) and say so in the words ``again``.
    ``release`` is called when no new job takes the request (reopened, refused, or the same
    request already running): what the page set aside for it is not needed."""
    results = session.results_folder()
    started: Job | None = None
    try:
        job = Job(results, request.key())
        if job.complete(request):
            session.put(shown_key, job.out)
            session.put("drawing", None)
            st.info(again)
            return
        refused = busy(running_jobs(results))
        if refused:
            st.error(refused)
            return
        try:
            started = Job.start(results, request)
        except OSError as error:
            st.error(f"This could not start ({error.strerror or error}).")
            return
    finally:
        # Nothing the page set aside is needed unless a new job of this very request took it.
        if release is not None and (started is None or started.request() != request):
            release()
    session.put(job_key, started)
    st.rerun()


def follow(job_key: str, shown_key: str) -> None:
    """The job under ``job_key`` as it runs: progress, the time left, Cancel. When it is over,
    its results folder goes under ``shown_key`` (or how it ended under ``ended``)."""
    if session.get(f"{job_key}:near end"):
        _near_end(job_key, shown_key)
    else:
        _running(job_key, shown_key)


@st.fragment(run_every=POLL_SECONDS)
def _running(job_key: str, shown_key: str) -> None:
    _look(job_key, shown_key, near_end=False)


@st.fragment(run_every=POLL_NEAR_END_SECONDS)
def _near_end(job_key: str, shown_key: str) -> None:
    _look(job_key, shown_key, near_end=True)


def _look(job_key: str, shown_key: str, near_end: bool) -> None:
    job: Job | None = session.get(job_key)
    if job is None:
        return
    status = job.status()
    if status.over:
        job.discard_upload()
        session.put(job_key, None)
        session.put(f"{job_key}:near end", False)
        if status.state == "done":
            session.put(shown_key, job.out)
            session.put("drawing", job if status.report == "drawing" else None)
        else:
            session.put("ended", status.message)
        st.rerun(scope="app")
        return
    left = status.left_seconds
    if not near_end and left is not None and left <= NEAR_END_SECONDS:
        session.put(f"{job_key}:near end", True)
        st.rerun(scope="app")  # to look more often from now on
        return
    done = status.finished / status.total if status.total else 0.0
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
