"""Referrals closed with no further action at their decision, with no assessment."""

from __future__ import annotations

import numpy as np
from scipy import stats

from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.results import OUTCOMES, CaseTable
from caseload_sim.scenario.schema import TIERS
from checks import check_conservation
from conftest import small_county

_IMMEDIATE = TIERS.index("immediate_risk")


def _closed_at_decision(share: float, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    """Which referrals were closed at their decision, and which could have been (not at
    immediate risk), for the run's decided referrals."""
    result = simulate(small_county(f"pathway.referral_nfa_share={share}"), seed=seed)
    check_conservation(result)
    cases = result.cases
    closed = np.isnan(cases.allocated_at) & (cases.outcome == OUTCOMES.index("nfa"))
    return closed, cases.tier != _IMMEDIATE


def test_the_share_closed_at_decision_is_the_scenario_share() -> None:
    closed, eligible = _closed_at_decision(0.4)
    assert not closed[~eligible].any()  # a child at immediate risk is always allocated
    n, k = int(eligible.sum()), int(closed[eligible].sum())
    # Two-sided binomial test at the 0.1% level: the draws are independent uniforms.
    assert stats.binomtest(k, n, 0.4).pvalue > 0.001, (k, n)


def test_a_larger_share_closes_the_same_first_referrals_and_more() -> None:
    # Common random numbers: each child's draw is fixed, so raising the share only adds to the
    # first referrals closed at their decision (returning children depend on the run).
    small = simulate(small_county("pathway.referral_nfa_share=0.2"), seed=5).cases
    large = simulate(small_county("pathway.referral_nfa_share=0.5"), seed=5).cases

    def closed_children(cases: CaseTable) -> set[int]:
        first = (cases.episode == 0) & np.isnan(cases.allocated_at)
        first &= cases.outcome == OUTCOMES.index("nfa")
        return set(cases.child[first].tolist())

    fewer, more = closed_children(small), closed_children(large)
    assert fewer and fewer < more


def test_no_share_closes_nothing_at_decision() -> None:
    closed, _ = _closed_at_decision(0.0)
    assert not closed.any()
