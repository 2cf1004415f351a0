"""The caseload already open when a run begins.

Without it a run starts with empty caseloads and needs a long warm-up. Each practitioner in
post is given, for each tier their team takes and their grade may hold outright, a number of
cases around the scenario's mean (the whole part, and one more with the chance of the rest);
each case is part-way through its first piece of work, and an immediate-risk case has had its
strategy discussion. These cases count in caseloads but not in the referral-timed KPIs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseload_sim.model.cases import INITIAL_CHILD
from caseload_sim.model.demand import draw_case_specs
from caseload_sim.model.referral import Referral
from caseload_sim.scenario.schema import TIERS

if TYPE_CHECKING:
    from caseload_sim.model.cases import CaseBook
    from caseload_sim.model.context import RunContext
    from caseload_sim.model.staff import Staff
    from caseload_sim.model.worktime import Worker

_IMMEDIATE_RISK = TIERS.index("immediate_risk")


def open_initial_caseload(ctx: RunContext, staff: Staff, cases: CaseBook) -> None:
    """Give the staff in post the cases open at the start of the run."""
    scenario = ctx.scenario
    initial = scenario.initial_caseload
    workforce = scenario.workforce
    rng = ctx.streams["initial"]
    overrides: dict[tuple[str, str, str], float] = {
        (r.team, r.grade, r.tier): r.cases_per_worker for r in initial.rows
    }
    plan: list[tuple[Worker, int]] = []
    for worker in staff.case_holders:
        if not worker.in_post:
            continue  # a post vacant at the start holds nothing
        team = workforce.teams[worker.team]
        for rank, tier in enumerate(TIERS):
            rule = getattr(getattr(workforce.eligibility, worker.grade), tier)
            if tier not in team.tiers or rule != "hold":
                continue
            mean = overrides.get(
                (worker.team, worker.grade, tier), getattr(initial.cases_per_worker, tier)
            )
            whole = int(mean)
            count = whole + int(rng.random() < mean - whole)
            plan += [(worker, rank)] * count
    specs = draw_case_specs(scenario, rng, rng, rng, rng, len(plan), decided=True)
    specs.tier[:] = [rank for _, rank in plan]
    specs.is_referral[:] = True
    done = rng.random(len(plan)).tolist()
    for row, (worker, rank) in enumerate(plan):
        referral = Referral(next(cases.case_ids), INITIAL_CHILD + row, 0, specs, row, 0.0, False)
        referral.initial = True
        referral.decided_at = 0.0
        referral.done_fraction = done[row]
        if rank == _IMMEDIATE_RISK:
            referral.strategy_at = 0.0  # its strategy discussion was held before the start
        cases.initial.append(referral)
        cases.open += 1
        staff.board.place(referral, worker)
