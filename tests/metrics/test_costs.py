"""What the staff cost, checked by hand to the penny: known posts, known days, known agency
cover, known hires and courses; and, in a simulated run, costs that follow the dated timeline."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.metrics.costs import DAYS_PER_YEAR, staff_costs
from caseload_sim.metrics.view import RunView
from caseload_sim.model.context import build_calendar
from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.results import AGENCY, PERMANENT, VACANT, PostHistory
from caseload_sim.scenario.schema import Scenario
from conftest import small_county
from handmade import cases, post, run, scenario

PENNY = 0.005

#: Round figures: a social worker costs £100 a day before on-costs, £120 after them.
COSTS: dict[str, Any] = {
    "salary": {
        "swa": 0.0,
        "nqsw": 29_220.0,  # £80 a day
        "sw": 36_525.0,  # £100 a day
        "sp": 40_177.5,  # £110 a day
        "tm": 43_830.0,  # £120 a day
        "duty": 18_262.5,  # £50 a day
    },
    "on_costs_pct": 20.0,
    "agency_multiple": 1.5,
    "agency_day_rate": {"sp": 250.0},
    "recruitment_per_hire": 4_000.0,
    "training_per_trainee_day": 175.0,
}


def with_costs(base: Scenario, costs: dict[str, Any] | None = None) -> Scenario:
    data = base.model_dump(mode="python", exclude_none=True)
    data["costs"] = COSTS if costs is None else costs
    return Scenario.model_validate(data)


def history(*changes: tuple[float, str, str], established: tuple[float, float] = (0.0, math.inf)):
    """A post's holders from when: ``(time, holder, grade)``."""
    return PostHistory(
        established[0], established[1], [(t, holder, grade, t) for t, holder, grade in changes]
    )


def handmade_run():
    """Six posts over days 0 to 100 of a run from Thursday 1 April 2010, and two courses."""
    calendar_scenario = with_costs(scenario())
    posts = [
        # 0: a social worker throughout: 100 days at £120.
        post(0, "sw"),
        # 1: a half-time newly qualified worker who becomes a social worker on day 30.
        post(1, "nqsw", fte=0.5, history=history((0, PERMANENT, "nqsw"), (30, PERMANENT, "sw"))),
        # 2: empty for 20 days, an agency worker for 30, then a permanent recruit (a hire).
        post(
            2, "sw", history=history((0, VACANT, "sw"), (20, AGENCY, "sw"), (50, PERMANENT, "sw"))
        ),
        # 3: a senior practitioner post covered by an agency worker at £250 a working day from
        # Sunday 11 April to Tuesday 11 May (20 working days: 3 May is a bank holiday), then
        # empty.
        post(3, "sp", history=history((0, VACANT, "sp"), (10, AGENCY, "sp"), (40, VACANT, "sp"))),
        # 4: a team manager's post abolished on day 60.
        post(
            4, "tm", holds_cases=False, history=history((0, PERMANENT, "tm"), established=(0, 60))
        ),
        # 5: a post created on day 70, filled on day 80 (a hire), and a duty screener.
        post(
            5,
            "sw",
            history=history((70, VACANT, "sw"), (80, PERMANENT, "sw"), established=(70, math.inf)),
        ),
        post(6, "duty", team="access_centre", holds_cases=False),
    ]
    calendar = build_calendar(calendar_scenario)
    start = calendar.from_date(dt.date(2010, 4, 12))  # Monday: a two-day course
    late = calendar.from_date(dt.date(2010, 7, 9))  # Friday, day 99: one day of it is in the window
    training = {
        "post": np.array([0, 2]),
        "start": np.array([start + 9 / 24, late + 9 / 24]),
        "end": np.array([start + 1 + 17 / 24, late + 3 + 17 / 24]),
    }
    table = cases(
        {
            "referral_at": 5.0,
            "decided_at": 5.0,
            "initial_assessment_done_at": 8.0,
            "core_assessment_start_at": 8.0,
            "core_assessment_done_at": 30.0,
        },
        {"referral_at": 50.0, "decided_at": 50.0, "initial_assessment_done_at": 55.0},
        {"referral_at": 101.0, "decided_at": 101.0},  # after the window
    )
    return run(
        scenario=calendar_scenario,
        measured=(0.0, 100.0),
        posts=posts,
        case_table=table,
        mechanisms={"training": training},
    )


#: What the hand-made run cost, worked out by hand.
PERMANENT_COST = (
    100 * 120  # post 0
    + 0.5 * (30 * 96 + 70 * 120)  # post 1: 30 days as newly qualified, 70 as a social worker
    + 50 * 120  # post 2 from day 50
    + 60 * 144  # post 4 until day 60
    + 20 * 120  # post 5 from day 80
    + 100 * 60  # the duty screener
)
AGENCY_COST = 30 * 120 * 1.5 + 20 * 250  # post 2 (the multiple) and post 3 (the day rate)
RECRUITMENT_COST = 2 * 4_000  # posts 2 and 5
TRAINING_COST = (2 + 1) * 175  # two days in April, one day (Friday 9 July) in the window


def test_the_accounting_of_a_handmade_run_to_the_penny() -> None:
    result = handmade_run()
    found = staff_costs(RunView(result))
    assert found is not None
    assert found.permanent == pytest.approx(PERMANENT_COST, abs=PENNY)
    assert found.agency == pytest.approx(AGENCY_COST, abs=PENNY)
    assert (found.hires, found.recruitment) == (2, RECRUITMENT_COST)
    assert (found.trainee_days, found.training) == (3, TRAINING_COST)
    total = PERMANENT_COST + AGENCY_COST + RECRUITMENT_COST + TRAINING_COST
    kpis = compute_kpis(result)
    year = DAYS_PER_YEAR / 100
    assert kpis["staff_cost_permanent_gbp_per_year"] == pytest.approx(
        PERMANENT_COST * year, abs=PENNY
    )
    assert kpis["staff_cost_agency_gbp_per_year"] == pytest.approx(AGENCY_COST * year, abs=PENNY)
    assert kpis["recruitment_cost_gbp_per_year"] == pytest.approx(
        RECRUITMENT_COST * year, abs=PENNY
    )
    assert kpis["training_cost_gbp_per_year"] == pytest.approx(TRAINING_COST * year, abs=PENNY)
    assert kpis["staff_cost_total_gbp_per_year"] == pytest.approx(total * year, abs=PENNY)
    # Two referrals were decided in the window, and three assessments completed.
    assert kpis["staff_cost_per_referral_gbp"] == pytest.approx(total / 2, abs=PENNY)
    assert kpis["staff_cost_per_assessment_gbp"] == pytest.approx(total / 3, abs=PENNY)


def test_the_costs_of_two_windows_add_up_to_the_whole() -> None:
    result = handmade_run()
    whole = staff_costs(RunView(result))
    parts = [staff_costs(RunView(result, window=w)) for w in ((0.0, 50.0), (50.0, 100.0))]
    assert whole is not None and all(p is not None for p in parts)
    for field in ("permanent", "agency", "recruitment", "training", "hires", "trainee_days"):
        assert sum(getattr(p, field) for p in parts) == pytest.approx(getattr(whole, field))
    # The hire on day 50 falls in the second window, not in both.
    assert [p.hires for p in parts] == [0, 2]


def test_without_costs_every_cost_kpi_is_nan() -> None:
    without = scenario().model_copy(update={"costs": None})
    result = run(scenario=without, posts=[post(0)])
    kpis = compute_kpis(result)
    costs = [name for name in kpis if "cost" in name]
    assert len(costs) == 7
    assert all(math.isnan(kpis[name]) for name in costs)


# ---------------------------------------------------------------------- a simulated timeline

#: No newly qualified workers (whose progression would change their pay at random), nobody
#: leaving, nothing vacant at the start, and every empty post covered after 5 working days.
TIMELINE_COUNTY = (
    "workforce.teams.north.staff={ tm = 1, sp = 1, sw = 3, nqsw = 0, swa = 1 }",
    "workforce.teams.south.staff={ tm = 1, sp = 0, sw = 3, nqsw = 0, swa = 2 }",
    "workforce.flow.enabled=true",
    "workforce.flow.vacancy_pct_at_start=0",
    "workforce.flow.agency_cover_pct=100",
    "workforce.flow.agency_onboarding_wd=5",
    "workforce.flow.permanent_leaving_pct_per_year=0",
    "workforce.flow.agency_leaving_pct_per_year=0",
    # Tuesday 1 June 2010: two more social workers in the north team, recruited in 20
    # working days.
    'timeline=[{ date = 2010-06-01, label = "Two more posts", recruitment_lag_wd = 20, '
    'changes = { "workforce.teams.north.staff.sw" = 5 } }]',
)


@pytest.mark.parametrize("day_rate", [None, 230.0])
def test_costs_follow_the_timeline(day_rate: float | None) -> None:
    costs = {**COSTS, "agency_day_rate": {"sw": day_rate} if day_rate else {}}
    chosen = with_costs(small_county(*TIMELINE_COUNTY), costs)
    result = simulate(chosen, seed=3)
    calendar = result.calendar
    created = calendar.from_date(dt.date(2010, 6, 1))
    # Agency workers from Tuesday 8 June (5 working days on), recruits from Tuesday 29 June
    # (20 working days on); June 2010 has no bank holiday.
    covered = calendar.from_date(dt.date(2010, 6, 8))
    recruited = calendar.from_date(dt.date(2010, 6, 29))
    new = [p for p in result.posts if p.history and p.history.established_from == created]
    assert len(new) == 2
    for record in new:
        assert [(t, holder) for t, holder, _, _ in record.history.changes] == [
            (created, VACANT),
            (covered, AGENCY),
            (recruited, PERMANENT),
        ]
    start, end = result.measured_from, result.measured_to
    assert start < created and recruited < end
    annual = {g: chosen.costs.annual_cost(g) for g in ("swa", "sw", "sp", "tm", "duty")}
    # Every post of the start held throughout by its permanent holder.
    established = [
        grade
        for team in chosen.workforce.teams.values()
        for grade in ("swa", "sw", "sp", "tm")
        for _ in range(getattr(team.staff, grade))
    ] + ["duty"] * chosen.workforce.access_centre.duty_workers
    permanent = sum(annual[g] for g in established) * (end - start) / DAYS_PER_YEAR
    permanent += 2 * annual["sw"] * (end - recruited) / DAYS_PER_YEAR
    if day_rate is None:
        agency = 2 * 1.5 * annual["sw"] * (recruited - covered) / DAYS_PER_YEAR
    else:
        agency = 2 * day_rate * 15  # 8 to 28 June: 15 working days
    found = staff_costs(RunView(result))
    assert found is not None
    assert found.permanent == pytest.approx(permanent, abs=PENNY)
    assert found.agency == pytest.approx(agency, abs=PENNY)
    assert (found.hires, found.recruitment) == (2, 8_000.0)
    # The period after the change holds all of the new posts' cost.
    assert len(result.periods) == 2
    before, after = (compute_kpis(result, period) for period in (0, 1))
    length = result.periods[0].end - result.periods[0].start
    expected_before = sum(annual[g] for g in established) * length / DAYS_PER_YEAR
    assert before["staff_cost_permanent_gbp_per_year"] == pytest.approx(
        expected_before * DAYS_PER_YEAR / length, abs=PENNY
    )
    assert before["staff_cost_agency_gbp_per_year"] == 0
    assert after["staff_cost_agency_gbp_per_year"] > 0


# ------------------------------------------------------------------- over random workforces


@st.composite
def workforce(draw: st.DrawFn) -> list[str]:
    """Overrides giving the small county random workforce flow and a dated change of posts."""
    sets = [
        "workforce.flow.enabled=true",
        f"workforce.flow.vacancy_pct_at_start={draw(st.integers(0, 40))}",
        f"workforce.flow.agency_cover_pct={draw(st.sampled_from([0, 50, 100]))}",
        f"workforce.flow.agency_onboarding_wd={draw(st.integers(0, 15))}",
        f"workforce.flow.recruitment_lag_wd={draw(st.integers(0, 60))}",
        f"workforce.flow.permanent_leaving_pct_per_year={draw(st.integers(0, 200))}",
        f"workforce.flow.agency_leaving_pct_per_year={draw(st.integers(0, 300))}",
        f"workforce.grades.nqsw.fte={draw(st.sampled_from([0.5, 1.0]))}",
        f"simulation.seed={draw(st.integers(0, 2**32))}",
    ]
    if draw(st.booleans()):
        posts = draw(st.integers(0, 6))
        lag = draw(st.integers(0, 30))
        sets.append(
            f'timeline=[{{ date = 2010-06-01, label = "Posts", recruitment_lag_wd = {lag}, '
            f'changes = {{ "workforce.teams.north.staff.sw" = {posts} }} }}]'
        )
    return sets


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workforce())
def test_costs_add_up_over_periods_and_stay_within_the_posts(sets: list[str]) -> None:
    chosen = with_costs(small_county(*sets))
    result = simulate(chosen)
    whole = staff_costs(RunView(result))
    assert whole is not None
    windows = [(p.start, p.end) for p in result.periods] or [
        (result.measured_from, result.measured_to)
    ]
    parts = [staff_costs(RunView(result, window=w)) for w in windows]
    for field in ("permanent", "agency", "recruitment", "training", "hires"):
        found = [getattr(p, field) for p in parts]
        assert all(value >= 0 for value in found), field
        assert sum(found) == pytest.approx(getattr(whole, field)), field
    # No post costs more than its dearest holder held it for the whole window.
    costs = chosen.costs
    assert costs is not None
    dearest = max(costs.annual_cost(g) for g in ("swa", "nqsw", "sw", "sp", "tm", "duty"))
    years = (result.measured_to - result.measured_from) / DAYS_PER_YEAR
    ceiling = sum(p.fte if p.history is None else 1.0 for p in result.posts) * dearest * years
    assert whole.permanent <= ceiling + PENNY
    assert whole.permanent + whole.agency / costs.agency_multiple <= ceiling + PENNY
    # A hire is a permanent holder starting in an empty or covered post: never more than the
    # posts' changes of holder.
    changes = sum(len(p.history.changes) for p in result.posts if p.history is not None)
    assert whole.hires <= changes


def test_a_service_that_never_changes_costs_its_posts_exactly() -> None:
    chosen = with_costs(small_county())
    result = simulate(chosen, seed=5)
    found = staff_costs(RunView(result))
    assert found is not None
    years = (result.measured_to - result.measured_from) / DAYS_PER_YEAR
    expected = sum(chosen.costs.annual_cost(p.grade) * p.fte for p in result.posts) * years
    assert found.permanent == pytest.approx(expected, abs=PENNY)
    assert (found.agency, found.recruitment, found.training, found.hires) == (0, 0, 0, 0)
