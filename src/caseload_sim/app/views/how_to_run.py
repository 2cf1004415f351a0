"""How a run, comparison or search runs: replications (a number, or automatic), the seed and the
processes; one set of fields for every page that starts one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from caseload_sim.app.jobs import AUTOMATIC
from caseload_sim.app.limits import MAX_REPLICATIONS, max_jobs
from caseload_sim.experiment.settings import DEFAULT_BUDGET, DEFAULT_PRECISION

#: The words of the replications choice.
A_NUMBER = "A number"
AUTOMATIC_WORDS = "Automatic"


@dataclass(frozen=True)
class Asked:
    """What the planner asked for: replications (a number or ``"auto"``), seed, processes."""

    replications: int | str
    seed: int
    jobs: int

    def remembered(self) -> dict[str, Any]:
        """As the session keeps it, to fill the fields again next time."""
        return {"replications": self.replications, "seed": self.seed, "jobs": self.jobs}


def fields(asked: dict[str, Any], seed: int, least: int = 1, default: int = 10) -> Asked:
    """The fields, inside the caller's form, filled from what was ``asked`` last time (or
    ``default`` replications and the scenario's ``seed``); ``least``: the fewest replications
    that make sense (a comparison's interval needs two)."""
    last = asked.get("replications", default)
    how, count, seeded, processes = st.columns([1.3, 1, 1, 1])
    choice = how.radio(
        "Replications",
        [A_NUMBER, AUTOMATIC_WORDS],
        index=1 if last == AUTOMATIC else 0,
        horizontal=True,
        help=(
            "Automatic adds replications until every headline figure's 95% interval is within "
            f"±{DEFAULT_PRECISION:.0%} of its value, up to {DEFAULT_BUDGET} (Hoad, Robinson "
            "and Davies, 2010)."
        ),
    )
    number = count.number_input(
        "How many",
        min_value=least,
        max_value=MAX_REPLICATIONS,
        value=max(least, last if isinstance(last, int) else default),
        step=1,
        help="Independent runs of the same year; more give narrower intervals.",
    )
    chosen_seed = seeded.number_input(
        "Seed",
        min_value=0,
        value=int(asked.get("seed", seed)),
        step=1,
        help="The same seed gives the same results; options compared on one seed are "
        "paired on common random numbers.",
    )
    jobs = processes.number_input(
        "Processes",
        min_value=1,
        max_value=max_jobs(),
        value=min(int(asked.get("jobs", max_jobs())), max_jobs()),
        step=1,
    )
    return Asked(
        replications=AUTOMATIC if choice == AUTOMATIC_WORDS else int(number),
        seed=int(chosen_seed),
        jobs=int(jobs),
    )
