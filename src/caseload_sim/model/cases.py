"""The cases of a run: every referral decided, those open when it began, and how many are open.

At the end of the run the referrals' milestones are written into a
:class:`~caseload_sim.model.results.CaseTable`, one column per milestone.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np

from caseload_sim.model.referral import Referral
from caseload_sim.model.results import OUTCOMES, CaseTable
from caseload_sim.scenario.schema import GRADES

#: Children with a case open at the start are numbered from here (new children from 0).
INITIAL_CHILD = 1_000_000_000

_TIMES = (
    "referral_at",
    "decided_at",
    "previous_referral_at",
    "queued_at",
    "allocated_at",
    "strategy_requested_at",
    "strategy_at",
    "first_assessment_at",
    "initial_assessment_done_at",
    "core_assessment_start_at",
    "core_assessment_done_at",
    "single_assessment_done_at",
    "s47_start_at",
    "s47_done_at",
    "icpc_at",
    "ended_at",
)
_GRADE_CODES: dict[str, int] = {grade: code for code, grade in enumerate(GRADES)}
_OUTCOME_CODES = {outcome: code for code, outcome in enumerate(OUTCOMES)}


class CaseBook:
    """Referrals as they are decided, and the count of those open."""

    def __init__(self) -> None:
        #: case numbers, given out in the order cases open (contacts, and an initial caseload)
        self.case_ids = itertools.count()
        self.referrals: list[Referral] = []
        self.initial: list[Referral] = []
        #: referrals open at the front door now, allocated or not
        self.open = 0


#: Whole-number and yes/no attributes read with the times, in one pass (as floats: exact).
_COUNTS = (
    "case_id",
    "child",
    "episode",
    "tier_rank",
    "row",
    "out_of_hours",
    "over_allocated",
    "inadequate",
)


def case_table(referrals: list[Referral], cp_plan_probability: float) -> CaseTable:
    """The referrals' milestones in columns."""
    count = len(referrals)
    # Reading tens of thousands of referrals costs far more than filling columns: every plain
    # attribute is read in one pass.
    names = (*_TIMES, *_COUNTS)
    table = np.array(list(map(operator.attrgetter(*names), referrals)), dtype=float).reshape(
        count, len(names)
    )
    column = {name: table[:, i] for i, name in enumerate(names)}
    held = [
        (
            _GRADE_CODES[r.lead.grade] if r.lead is not None else -1,
            r.lead.index if r.lead is not None else -1,
            r.coworker.index if r.coworker is not None else -1,
            _GRADE_CODES.get(r.lead_grade, -1),
            _OUTCOME_CODES[r.outcome],
        )
        for r in referrals
    ]
    codes = np.array(held, dtype=np.int64).reshape(count, 5)
    return CaseTable(
        case_id=column["case_id"].astype(np.int64),
        child=column["child"].astype(np.int64),
        episode=column["episode"].astype(np.int64),
        tier=column["tier_rank"].astype(np.int64),
        out_of_hours=column["out_of_hours"] > 0,
        outcome=codes[:, 4].astype(np.int8),
        first_lead_grade=codes[:, 3].astype(np.int8),
        lead_grade=codes[:, 0].astype(np.int8),
        lead_post=codes[:, 1].astype(np.int32),
        coworker_post=codes[:, 2].astype(np.int32),
        over_allocated=column["over_allocated"] > 0,
        oversight_hours=np.array(
            [r.oversight_hours if r.oversight_tasks else 0.0 for r in referrals], dtype=float
        ),
        inadequate=column["inadequate"] > 0,
        plan_if_conference=_draws(referrals, column["row"], "cp_plan") < cp_plan_probability,
        **{name: column[name] for name in _TIMES},
    )


def _draws(referrals: list[Referral], rows: np.ndarray, name: str) -> np.ndarray:
    """Each referral's uniform draw of this name, gathered from the arrays it was drawn in
    (most referrals share the arrays of the run's first contacts)."""
    found = np.empty(len(referrals))
    specs = list(map(operator.attrgetter("specs"), referrals))
    ids = np.fromiter(map(id, specs), dtype=np.int64, count=len(specs))
    _, first, which = np.unique(ids, return_index=True, return_inverse=True)
    at = rows.astype(np.int64)
    # The referrals of each array together, in one gather each.
    order = np.argsort(which, kind="stable")
    ends = np.cumsum(np.bincount(which, minlength=len(first))).tolist()
    begin = 0
    for position, end in zip(first.tolist(), ends, strict=True):
        members = order[begin:end]
        found[members] = specs[position].outcome_draw[name][at[members]]
        begin = end
    return found
