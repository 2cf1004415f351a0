"""The time series of a run (``timeseries.csv``): the state of the front door at regular times.

Every ``simulation.timeseries_interval_days`` up to the end of the run: the unallocated queue,
the open cases, the caseloads of the case-holding staff in post (overall and by grade), each
mechanism's own columns, and, when posts change during the run, how many are held and vacant.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from caseload_sim.scenario.schema import GRADES

if TYPE_CHECKING:
    import simpy

    from caseload_sim.model.cases import CaseBook
    from caseload_sim.model.mechanisms.base import Mechanism
    from caseload_sim.model.staff import Staff
    from caseload_sim.scenario.timeline import Stage


def sample_timeseries(
    staff: Staff,
    cases: CaseBook,
    mechanisms: list[Mechanism],
    stages: list[Stage],
    posts_change: bool,
    rows: list[dict[str, float]],
) -> Generator[simpy.Event, Any, None]:
    """A process that appends a row to ``rows`` at every sampling time."""
    ctx = staff.ctx
    interval = ctx.scenario.simulation.timeseries_interval_days
    env = ctx.env
    board = staff.board
    holders = staff.case_holders
    by_grade = {g: [w for w in holders if w.grade == g] for g in GRADES}
    by_grade = {g: ws for g, ws in by_grade.items() if ws}
    grades = [
        g
        for g in GRADES
        if g in by_grade
        or any(
            getattr(team.staff, g)
            for stage in stages
            for team in stage.scenario.workforce.teams.values()
        )
    ]
    while env.now <= ctx.measured_to:
        if posts_change:
            # Posts fall vacant, are filled and change grade: average over those held now.
            posts = holders
            holders = [w for w in posts if w.in_post]
            by_grade = {g: [w for w in holders if w.grade == g] for g in grades}
        row: dict[str, float] = {
            "day": env.now,
            "unallocated_referrals": float(board.waiting),
            "open_cases": float(cases.open),
            "caseload_per_worker": _mean(w.cases for w in holders),
            "high_risk_cases_per_worker": _mean(w.high_risk_cases for w in holders),
        }
        for grade, workers in by_grade.items():
            row[f"caseload_per_worker_{grade}"] = _mean(w.cases for w in workers)
        for mechanism in mechanisms:
            row.update(mechanism.sample())
        if posts_change:
            row["posts_held"] = float(len(holders))
            row["posts_vacant"] = float(
                sum(1 for w in posts if not w.in_post and staff.posts.is_open(w))
            )
            holders = posts
        rows.append(row)
        yield env.timeout(interval)


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return float(np.mean(items)) if items else math.nan
