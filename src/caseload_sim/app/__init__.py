"""The planners' web app (Streamlit): describe the service, run a what-if, come back to it.

``caseload-sim app`` starts it (the ``[app]`` extra). The pages (:mod:`~caseload_sim.app.views`)
only lay out what the other modules work out, and those know nothing of Streamlit (but
:mod:`~caseload_sim.app.session`), so they are tested as plain Python:

* :mod:`~caseload_sim.app.draft`: the scenario being edited, its base and only the changes;
* :mod:`~caseload_sim.app.levers`: the fields a planner changes, in plain words and units;
* :mod:`~caseload_sim.app.jobs`: runs in a worker process, with progress and cancel;
* :mod:`~caseload_sim.app.history`: the runs kept under the results folder;
* :mod:`~caseload_sim.app.cards`: the headline KPIs as sentences with their intervals;
* :mod:`~caseload_sim.app.limits`: what one request may ask of the server;
* :mod:`~caseload_sim.app.server`: the app as a process on a free port (tests, benchmarks).
"""
