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


def case_table(referrals: list[Referral], cp_plan_probability: float) -> CaseTable:
    """The referrals' milestones in columns."""
    count = len(referrals)
    times = np.array(list(map(operator.attrgetter(*_TIMES), referrals)), dtype=float).reshape(
        count, len(_TIMES)
    )
    columns = {name: times[:, i] for i, name in enumerate(_TIMES)}
    people = list(map(operator.attrgetter("case_id", "child", "episode", "tier_rank"), referrals))
    ids = np.array(people, dtype=np.int64).reshape(count, 4)
    return CaseTable(
        case_id=ids[:, 0],
        child=ids[:, 1],
        episode=ids[:, 2],
        tier=ids[:, 3],
        out_of_hours=np.array([r.out_of_hours for r in referrals], dtype=bool),
        outcome=np.array([_OUTCOME_CODES[r.outcome] for r in referrals], dtype=np.int8),
        first_lead_grade=np.array(
            [_GRADE_CODES.get(r.lead_grade, -1) for r in referrals], dtype=np.int8
        ),
        lead_grade=np.array(
            [_GRADE_CODES[r.lead.grade] if r.lead is not None else -1 for r in referrals],
            dtype=np.int8,
        ),
        lead_post=np.array(
            [r.lead.index if r.lead is not None else -1 for r in referrals], dtype=np.int32
        ),
        coworker_post=np.array(
            [r.coworker.index if r.coworker is not None else -1 for r in referrals],
            dtype=np.int32,
        ),
        over_allocated=np.array([r.over_allocated for r in referrals], dtype=bool),
        oversight_hours=np.array([r.oversight_hours for r in referrals], dtype=float),
        inadequate=np.array([r.inadequate for r in referrals], dtype=bool),
        plan_if_conference=np.array(
            [r.draw("cp_plan") < cp_plan_probability for r in referrals], dtype=bool
        ),
        **columns,
    )
