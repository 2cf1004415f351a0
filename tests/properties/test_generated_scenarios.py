"""Hypothesis: any valid scenario runs, and the invariants hold whatever the scenario says."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseload_sim.metrics.catalogue import compute_kpis, kpis_for_regime
from caseload_sim.model.frontdoor import simulate
from caseload_sim.scenario.schema import TIERS
from checks import check_conservation, check_eligibility, check_hard_caps
from conftest import draw_staff, small_county


@st.composite
def overrides(draw: st.DrawFn) -> list[str]:
    """--set overrides turning the small county into a random valid scenario."""
    sets = []
    continuous = draw(st.booleans())
    if continuous:
        sets += ["simulation.calendar='continuous'", "demand.out_of_hours_share=0"]
    for team in ("north", "south"):
        sets.append(f"workforce.teams.{team}.staff={draw_staff(draw)}")
    sets.append(f"workforce.teams.disabled_children.staff.sw={draw(st.integers(1, 2))}")
    for grade in ("swa", "nqsw", "sw", "sp"):
        sets.append(f"workforce.grades.{grade}.caseload_cap={draw(st.integers(8, 120))}")
    sets.append(
        f"workforce.allocation.policy='{draw(st.sampled_from(['joint', 'skill_matched']))}'"
    )
    sets.append(f"workforce.allocation.cap_mode='{draw(st.sampled_from(['hard', 'soft']))}'")
    sets.append(f"workforce.allocation.oversight_fraction={draw(st.floats(0, 0.5))}")
    weights = [draw(st.integers(0, 10)) for _ in TIERS]
    if sum(weights) == 0:
        weights[2] = 1
    shares = [w / sum(weights) for w in weights]
    shares[-1] = 1.0 - math.fsum(shares[:-1])
    sets += [f"demand.tier_mix.{tier}={share!r}" for tier, share in zip(TIERS, shares, strict=True)]
    if draw(st.booleans()):
        sets.append("pathway.regime='single_assessment'")
        for tier in ("child_protection", "child_in_need", "disabled_child"):
            sets += [
                f"pathway.after_first_assessment.{tier}="
                "{ nfa = 0.4, cin = 0.4, core = 0.0, s47 = 0.2 }"
            ]
    sets.append(f"pathway.max_hours_per_case_per_day={draw(st.floats(0.2, 8.0))}")
    sets.append(f"partners.police.mode='{draw(st.sampled_from(['slots', 'delay', 'unlimited']))}'")
    sets.append(f"partners.police.slots_per_working_day={draw(st.integers(1, 6))}")
    sets.append(f"demand.re_referral_probability={draw(st.floats(0, 0.5))}")
    sets.append(f"pathway.referral_nfa_share={draw(st.sampled_from([0.0, 0.3, 1.0]))}")
    sets.append(f"demand.contacts_per_year={draw(st.integers(300, 6000))}")
    sets.append(f"workforce.access_centre.duty_workers={draw(st.integers(1, 4))}")
    horizon = draw(st.integers(30, 120))
    sets.append(f"simulation.horizon_days={horizon}")
    sets.append(f"simulation.warmup_days={draw(st.integers(0, horizon // 3))}")
    sets.append(f"simulation.seed={draw(st.integers(0, 2**32))}")
    return sets


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides())
def test_any_valid_scenario_runs_and_keeps_the_invariants(sets: list[str]) -> None:
    scenario = small_county(*sets)
    result = simulate(scenario)
    check_conservation(result)
    check_eligibility(result)
    if scenario.workforce.allocation.cap_mode == "hard":
        check_hard_caps(result)
    kpis = compute_kpis(result)
    assert list(kpis) == kpis_for_regime(scenario.pathway.regime)
    for name, value in kpis.items():
        if name.endswith("_pct") and not math.isnan(value):
            assert 0.0 <= value <= 100.0, name
        if name.endswith(("_days_mean", "_days_p90", "_days_median", "_count")):
            assert math.isnan(value) or value >= 0.0, name
