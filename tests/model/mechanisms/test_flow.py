"""Workforce flow: vacancies, agency cover, leavers, recruitment and progression of posts.

The scenarios are built on the first model's rules (tests/model/data/first_model.toml, every
optional mechanism off) at the small county's size, so that only what a test switches on is
modelled, whatever the bundled baseline turns on.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Generator
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.metrics.posts import post_accounts
from caseload_sim.model.context import build_calendar
from caseload_sim.model.frontdoor import FrontDoor, simulate
from caseload_sim.model.mechanisms.flow import FLOW_GRADES
from caseload_sim.model.referral import Referral
from caseload_sim.model.results import AGENCY, PERMANENT, VACANT, RunResult
from caseload_sim.model.worktime import Worker
from caseload_sim.scenario.schema import TIERS, Scenario
from checks import OPEN, caseload_events
from conftest import draw_staff, small_county

FIRST_MODEL = Path(__file__).parents[1] / "data" / "first_model.toml"
#: Nobody leaves, nothing is vacant, nobody is covered: flow with nothing to do.
STILL = {
    "vacancy_pct_at_start": 0,
    "agency_cover_pct": 0,
    "permanent_leaving_pct_per_year": 0,
    "agency_leaving_pct_per_year": 0,
}
#: Many case-holding posts and almost no demand: the workforce stream alone decides what
#: happens to the posts, and a long run is cheap.
MANY_POSTS = (
    "workforce.teams.north.staff={ tm = 1, sp = 0, sw = 40, nqsw = 0, swa = 0 }",
    "workforce.teams.south.staff={ tm = 1, sp = 0, sw = 40, nqsw = 0, swa = 0 }",
    "workforce.teams.disabled_children.staff={ tm = 0, sp = 0, sw = 20, swa = 0 }",
    "workforce.access_centre.duty_workers=1",
    "demand.contacts_per_year=30",
)
NO_NQSW = (
    "workforce.teams.north.staff={ tm = 1, sp = 1, sw = 4, nqsw = 0, swa = 1 }",
    "workforce.teams.south.staff={ tm = 1, sp = 0, sw = 4, nqsw = 0, swa = 2 }",
)
CASE_HOLDING_CAPS = tuple(
    f"workforce.grades.{grade}.caseload_cap=25" for grade in ("swa", "nqsw", "sw", "sp")
)


def county(*overrides: str) -> Scenario:
    """The small county with every optional mechanism off, and the overrides."""
    return small_county(*overrides, path=FIRST_MODEL)


def flow(**fields: float | str) -> list[str]:
    """Overrides that switch workforce.flow on with these settings."""
    return ["workforce.flow.enabled=true", *(f"workforce.flow.{k}={v}" for k, v in fields.items())]


def with_timeline(scenario: Scenario, *entries: dict[str, Any]) -> Scenario:
    data = scenario.model_dump(mode="python")
    data["timeline"] = list(entries)
    return Scenario.model_validate(data)


# ------------------------------------------------------------------------------------- checks


def check_posts(door: FrontDoor) -> None:
    """Every open case has exactly one lead, in post, or waits in the queue; caseloads add up;
    a vacant post holds nothing."""
    board = door.board
    queued = [r for queue in board.queues for r in queue]
    assert len(queued) == board.waiting
    assert len({id(r) for r in queued}) == len(queued)
    open_cases = [r for r in (*door.cases.referrals, *door.cases.initial) if r.outcome == "open"]
    held = [r for r in open_cases if r.lead is not None]
    waiting = [r for r in open_cases if r.lead is None]
    assert {id(r) for r in waiting} == {id(r) for r in queued}
    for referral in held:
        lead = referral.lead
        assert lead is not None and lead.in_post
        assert lead.held.get(referral.case_id) is referral
        assert referral.handed_on is None
    for worker in door.staff.workers:
        assert worker.cases == len(worker.held)
        assert all(r.outcome == "open" for r in worker.held.values())
        if not worker.in_post:
            assert not worker.held
    assert sum(w.cases for w in door.staff.workers) == len(held)


def watch(door: FrontDoor, check: Callable[[FrontDoor], None]) -> list[float]:
    """Run ``check`` at 00:30 each day (after the changes of holder at 00:00); the times."""
    times: list[float] = []

    def daily() -> Generator[Any, Any, None]:
        yield door.env.timeout(0.02)
        while True:
            check(door)
            times.append(door.env.now)
            yield door.env.timeout(1.0)

    door.env.process(daily())
    return times


def check_flow_conservation(result: RunResult) -> None:
    """Every contact and referral is accounted for, with cases waiting to be re-allocated."""
    cases = result.cases
    assert result.contacts == result.screened_out + len(cases) + result.awaiting_screening
    ended = cases.outcome != OPEN
    assert not np.isnan(cases.ended_at[ended]).any()
    assert np.isnan(cases.ended_at[~ended]).all()
    leads = np.concatenate([cases.lead_post, result.initial_cases.lead_post])
    still_open = np.concatenate([~ended, result.initial_cases.outcome == OPEN])
    events = result.events
    # The queue: first allocations and re-allocations still to be made.
    assert events.value[events.of("unallocated_change")].sum() == (still_open & (leads < 0)).sum()
    # Held cases: each allocation (first or again) is matched by a release or a transfer.
    assert events.value[events.of("caseload_change")].sum() == (still_open & (leads >= 0)).sum()
    assert (cases.allocated_at[ended] <= cases.ended_at[ended]).all()


def leavers(result: RunResult) -> list[tuple[float, int, str]]:
    """Holders who left: (time, post, permanent or agency), from the event log."""
    events = result.events
    left = events.of("holder_left")
    return [
        (time, post, AGENCY if agency else PERMANENT)
        for time, post, agency in zip(
            events.time[left].tolist(),
            events.worker[left].tolist(),
            events.value[left].tolist(),
            strict=True,
        )
    ]


def first_working_midnight(scenario: Scenario, at_or_after: float) -> float:
    """00:00 of the first working day starting at or after a model time."""
    calendar = build_calendar(scenario)
    day = math.ceil(at_or_after - 1e-9)
    while not calendar.is_working_day(scenario.simulation.start_date + dt.timedelta(days=day)):
        day += 1
    return float(day)


# ------------------------------------------------------------------- vacancies at the start


@pytest.mark.parametrize("cover", [0, 100])
def test_vacancy_pct_at_start_leaves_that_share_of_posts_without_a_permanent_holder(
    cover: int,
) -> None:
    scenario = county(
        *MANY_POSTS,
        *flow(
            vacancy_pct_at_start=30,
            agency_cover_pct=cover,
            recruitment_lag_wd=40,
            permanent_leaving_pct_per_year=0,
            agency_leaving_pct_per_year=0,
        ),
    )
    door = FrontDoor(scenario, 5, 0)  # built, not yet run: the service at t = 0
    posts = door.staff.posts
    flowing = [w for w in door.staff.workers if w.grade in FLOW_GRADES]
    assert len(flowing) == 100
    without = [w for w in flowing if posts.holder[w.index] != PERMANENT]
    assert len(without) == 30
    for worker in without:
        if posts.holder[worker.index] == AGENCY:
            assert cover == 100 and worker.in_post
        else:
            assert posts.holder[worker.index] == VACANT and not worker.in_post
    if cover == 100:
        # Covered from the start unless the recruit starts on the first day anyway.
        assert sum(posts.holder[w.index] == AGENCY for w in without) >= 25
    # Managers and duty screeners are never vacant.
    assert all(posts.holder[w.index] == PERMANENT for w in door.staff.workers if w.grade == "tm")
    assert all(w.in_post for w in door.staff.workers if w.grade not in FLOW_GRADES)


@pytest.mark.parametrize("cover", [0, 100])
def test_posts_vacant_at_the_start_are_filled_within_the_recruitment_lag(cover: int) -> None:
    lag = 60
    vacancies = flow(
        vacancy_pct_at_start=40,
        agency_cover_pct=cover,
        recruitment_lag_wd=lag,
        permanent_leaving_pct_per_year=0,
        agency_leaving_pct_per_year=0,
    )
    calendar = build_calendar(county(*MANY_POSTS, *vacancies))
    midnights = np.floor(calendar.working_windows(0.0, 400.0)[0])
    end_of_lag = float(midnights[lag])  # 00:00 of the lag-th working day after the first
    # Measured from the start to the end of the lag.
    scenario = county(
        *MANY_POSTS,
        *vacancies,
        "simulation.warmup_days=0",
        f"simulation.horizon_days={end_of_lag}",
    )
    fractions = []
    vacancy_rates = []
    for replication in range(3):
        door = FrontDoor(scenario, 7, replication)
        result = door.run()
        kpis = compute_kpis(result)
        vacant_days = 0
        for index, history in door.staff.posts.history.items():
            if door.staff.workers[index].grade not in FLOW_GRADES:
                continue
            holders = [holder for _, holder, _, _ in history.changes]
            if holders[-1] == PERMANENT and len(history.changes) == 1:
                continue  # held throughout
            # Vacant at the start, then one permanent recruit at 00:00 of a working day within
            # the lag (a recruit due on the lag-th day itself starts after the run's end).
            starts = [time for time, holder, _, _ in history.changes[1:] if holder == PERMANENT]
            assert holders[1] in (VACANT, AGENCY)
            if starts:
                (recruit,) = starts
                assert holders[-1] == PERMANENT
                assert 0.0 <= recruit < end_of_lag
                assert recruit in midnights
                days_before = int(np.searchsorted(midnights, recruit))
            else:
                recruit = math.inf
                days_before = lag
            vacant_days += days_before
            fractions.append(days_before / lag)
            if cover == 100 and recruit > 0:
                assert AGENCY in holders
        # Working time without a permanent holder, over the posts' working time.
        assert kpis["vacancy_rate_pct"] == pytest.approx(100 * vacant_days / (100 * lag))
        assert kpis["staff_turnover_pct"] == 0
        if cover == 100:
            # Every post held throughout, by an agency worker until its recruit.
            assert kpis["agency_share_pct"] == pytest.approx(kpis["vacancy_rate_pct"])
            assert kpis["available_fte_mean"] == pytest.approx(100)
        else:
            assert kpis["agency_share_pct"] == 0
            assert kpis["available_fte_mean"] == pytest.approx(
                100 * (1 - kpis["vacancy_rate_pct"] / 100)
            )
        vacancy_rates.append(kpis["vacancy_rate_pct"])
        if cover == 100:
            assert all(w.in_post for w in door.staff.workers)  # covered until filled
    # Recruits start uniformly within the lag: each post is vacant for a uniform share of it
    # (mean 1/2, variance 1/12), so the mean vacancy over the lag is 40% x 1/2.
    assert len(fractions) == 3 * 40
    sd = math.sqrt(1 / 12 / len(fractions))
    assert abs(float(np.mean(fractions)) - 0.5) <= 4 * sd
    assert abs(float(np.mean(vacancy_rates)) - 20.0) <= 4 * 40 * sd


# -------------------------------------------------------------------------------- leavers

LEAVING_PCT = 40.0
AGENCY_LEAVING_PCT = 200.0


@cache
def long_runs() -> tuple[RunResult, ...]:
    """Two ten-year runs of a hundred posts: ~900 permanent and ~200 agency leavers."""
    scenario = county(
        *MANY_POSTS,
        *flow(
            vacancy_pct_at_start=0,
            agency_cover_pct=100,
            agency_onboarding_wd=5,
            recruitment_lag_wd=40,
            permanent_leaving_pct_per_year=LEAVING_PCT,
            agency_leaving_pct_per_year=AGENCY_LEAVING_PCT,
        ),
        "simulation.horizon_days=3652",
    )
    return tuple(simulate(scenario, seed=11, replication=r) for r in range(2))


def leavers_and_years(result: RunResult, holder: str) -> tuple[int, float]:
    """Holders of this kind who left in the measured period, and the years they held posts."""
    start, end = result.measured_from, result.measured_to
    window = result.calendar.working_hours_between(start, end) / 24.0
    years = (end - start) / 365.25
    records = [w for w in post_accounts(result, start, end) if w.holds_cases]
    if holder == PERMANENT:
        held = sum(w.established_days - w.vacant_days for w in records)
    else:
        held = sum(w.agency_days for w in records)
    count = sum(1 for time, _, who in leavers(result) if who == holder and start <= time < end)
    return count, held / window * years


def test_permanent_holders_leave_at_the_rate_asked_for() -> None:
    # The parameter is a rate, leavers per person-year (as the DfE turnover rate), spread evenly
    # over the working days.
    hazard = LEAVING_PCT / 100
    leavers, years = 0, 0.0
    for result in long_runs():
        count, exposure = leavers_and_years(result, PERMANENT)
        kpis = compute_kpis(result)
        assert kpis["staff_turnover_pct"] == pytest.approx(100 * count / exposure)
        leavers += count
        years += exposure
    assert years > 1500
    expected = hazard * years
    # Poisson count: within four standard errors.
    assert abs(leavers - expected) <= 4 * math.sqrt(expected), (leavers, expected)
    # ...which tells the rate from a chance of leaving within the year (that would give
    # -ln(1 - p) x years, about 6 standard errors more leavers).
    as_chance = -math.log(1 - LEAVING_PCT / 100) * years
    assert abs(leavers - as_chance) > 4 * math.sqrt(as_chance)


def test_agency_workers_leave_at_their_own_higher_rate() -> None:
    hazard = AGENCY_LEAVING_PCT / 100
    leavers, years = 0, 0.0
    permanent, permanent_years = 0, 0.0
    for result in long_runs():
        count, exposure = leavers_and_years(result, AGENCY)
        leavers += count
        years += exposure
        count, exposure = leavers_and_years(result, PERMANENT)
        permanent += count
        permanent_years += exposure
        assert compute_kpis(result)["agency_share_pct"] > 0
    expected = hazard * years
    assert expected > 150
    assert abs(leavers - expected) <= 4 * math.sqrt(expected), (leavers, expected)
    # Agency workers leave at five times the permanent rate (2.0 against 0.4 a year): far
    # beyond the noise of either count.
    difference = leavers / years - permanent / permanent_years
    noise = math.sqrt(leavers / years**2 + permanent / permanent_years**2)
    assert difference > 6 * noise


def test_the_overload_effect_makes_overloaded_holders_leave_sooner() -> None:
    # With almost no demand every caseload is about 0% of its cap. A threshold of 0% makes
    # everyone "overloaded", so an effect of 3 quadruples the hazard; a threshold of 50% makes
    # nobody overloaded, so the same effect changes nothing.
    def leavers(effect: float, threshold: float) -> tuple[int, float]:
        scenario = county(
            *MANY_POSTS,
            *flow(
                agency_cover_pct=0,
                recruitment_lag_wd=5,
                permanent_leaving_pct_per_year=10,
                agency_leaving_pct_per_year=0,
                overload_threshold_pct=threshold,
                overload_leaving_effect=effect,
            ),
            "simulation.horizon_days=1826",
        )
        return leavers_and_years(simulate(scenario, seed=4), PERMANENT)

    hazard = 0.1
    for effect, threshold, factor in ((0.0, 0.0, 1), (3.0, 0.0, 4), (3.0, 50.0, 1)):
        count, years = leavers(effect, threshold)
        expected = factor * hazard * years
        assert abs(count - expected) <= 4 * math.sqrt(expected), (effect, threshold, count)


# ------------------------------------------------------------------------- vacated posts


def test_a_leavers_cases_are_reallocated_at_once_and_keep_their_first_allocation() -> None:
    scenario = county(
        *flow(
            permanent_leaving_pct_per_year=300,
            agency_leaving_pct_per_year=300,
            agency_cover_pct=50,
            agency_onboarding_wd=5,
            recruitment_lag_wd=20,
        ),
        "simulation.horizon_days=200",
    )
    door = FrontDoor(scenario, 3, 0)
    checked = watch(door, check_posts)
    result = door.run()
    assert len(checked) == 200
    check_flow_conservation(result)
    by_case: dict[int, Referral] = {
        r.case_id: r for r in [*door.cases.referrals, *door.cases.initial]
    }
    caseloads = caseload_events(result)
    first_allocated: dict[int, float] = {}
    for items in caseloads.values():
        for time, case, change in items:
            if change > 0:
                first_allocated[case] = min(first_allocated.get(case, math.inf), time)
    holding_leavers = 0
    moved: set[int] = set()
    for left_at, post, _holder in leavers(result):
        items = caseloads.get(post, [])
        before = sum(change for time, _, change in items if time < left_at)
        after = sum(change for time, _, change in items if time <= left_at)
        assert after == 0, "a vacated post still holds cases"
        handed = [case for time, case, change in items if time == left_at and change < 0]
        assert len(handed) == before
        holding_leavers += before > 0
        history = door.staff.posts.history[post]
        refilled = min(
            (t for t, holder, _, _ in history.changes if t > left_at and holder != VACANT),
            default=math.inf,
        )
        # Nothing is allocated to the post until someone holds it again.
        assert not [t for t, _, c in items if left_at <= t < refilled and c > 0]
        for case in handed:
            moved.add(case)
            referral = by_case[case]
            # The case was not closed by the leaving, and its first allocation is the one timed.
            assert math.isnan(referral.ended_at) or referral.ended_at >= left_at
            assert referral.allocated_at == first_allocated[case] < left_at
            # Its next allocation, if any, is to someone else, from the leaving time on.
            again = [
                (t, worker)
                for worker, changes in caseloads.items()
                for t, c, change in changes
                if c == case and change > 0 and t >= left_at
            ]
            if again:
                assert min(again)[1] != post
    assert holding_leavers >= 10
    assert len(moved) >= 50
    # Re-allocated cases finish their pathway like any other.
    finished = [by_case[c] for c in moved if by_case[c].outcome != "open"]
    assert len(finished) >= 20
    for referral in finished:
        if referral.tier != "immediate_risk":
            assert not math.isnan(referral.initial_assessment_done_at)
        assert referral.allocated_at <= referral.ended_at


# --------------------------------------------------------------------------- progression


def check_progression(door: FrontDoor, months: float) -> int:
    """Each NQSW post's holder became an SW at the first 00:00 of a working day at least the
    progression months after taking up post, and not before; the number that progressed."""
    scenario = door.scenario
    year = months * 365.25 / 12
    grades = scenario.workforce.grades
    cp = TIERS.index("child_protection")
    progressed = 0
    for index, history in door.staff.posts.history.items():
        if history.changes[0][2] != "nqsw":
            continue
        worker = door.staff.workers[index]
        started = [since for _, holder, _, since in history.changes if holder == PERMANENT][-1]
        expected = first_working_midnight(scenario, started + year)
        assert expected < door.ctx.measured_to
        became = [time for time, _, grade, _ in history.changes if grade == "sw"]
        assert became and became[0] == expected, (index, started, became)
        for time, _, grade, _ in history.changes:
            assert grade == ("sw" if time >= expected else "nqsw")
        # An SW's cap and rules from then on: child protection held outright.
        assert worker.grade == "sw"
        assert worker.caseload_cap == grades.sw.caseload_cap
        assert worker in door.board.may_hold[cp]
        progressed += 1
    return progressed


def test_a_newly_qualified_worker_becomes_a_social_worker_after_the_progression_months() -> None:
    months = 2.0
    scenario = county(
        "workforce.teams.north.staff.nqsw=2",
        "workforce.teams.south.staff.nqsw=2",
        *flow(**STILL, nqsw_progression_months=months),
    )
    door = FrontDoor(scenario, 2, 0)
    door.run()
    # In post for a random part of the progression period at the start.
    for history in door.staff.posts.history.values():
        if history.changes[0][2] == "nqsw":
            assert -months * 365.25 / 12 < history.changes[-1][3] <= 0
    assert check_progression(door, months) == 4


def test_an_nqsw_appointed_during_the_run_progresses_from_taking_up_post() -> None:
    months = 2.0
    # New NQSW posts from Tuesday 4 May, filled five working days later (Tuesday 11 May).
    scenario = with_timeline(
        county(*NO_NQSW, *flow(**STILL, nqsw_progression_months=months)),
        {
            "date": dt.date(2010, 5, 4),
            "changes": {"workforce.teams.north.staff.nqsw": 2},
            "recruitment_lag_wd": 5,
        },
    )
    door = FrontDoor(scenario, 2, 0)
    door.run()
    assert check_progression(door, months) == 2
    for index in (-1, -2):
        history = door.staff.posts.history[sorted(door.staff.posts.history)[index]]
        assert history.established_from == door.ctx.calendar.from_date(dt.date(2010, 5, 4))
        filled = door.ctx.calendar.from_date(dt.date(2010, 5, 11))
        assert history.changes[1][:2] == (filled, PERMANENT)


# ------------------------------------------------------------- flow with nothing to do

MECHANISMS = (
    "workforce.sign_off.enabled=true",
    "workforce.recording.enabled=true",
    "workforce.quality.enabled=true",
    "workforce.absence.annual_leave_days_per_year=25",
    "workforce.absence.sickness_days_per_year=9",
    "initial_caseload.cases_per_worker.child_in_need=3",
)


@pytest.mark.parametrize("mechanisms", [(), MECHANISMS], ids=["plain", "mechanisms"])
@pytest.mark.parametrize("seed", [1, 2])
def test_flow_with_nothing_to_do_changes_no_kpi(mechanisms: tuple[str, ...], seed: int) -> None:
    # Without NQSWs: flow would give them random start dates (and progress some of them).
    off = county(*NO_NQSW, *mechanisms)
    on = county(*NO_NQSW, *mechanisms, *flow(**STILL))
    without, with_flow = simulate(off, seed), simulate(on, seed)
    # The same run, event for event...
    for name in ("time", "event", "case", "worker", "value"):
        assert np.array_equal(getattr(without.events, name), getattr(with_flow.events, name))
    assert not leavers(with_flow)
    # ...and the same KPIs.
    before, after = compute_kpis(without), compute_kpis(with_flow)
    assert before.keys() == after.keys()
    for name, value in before.items():
        if math.isnan(value):
            assert math.isnan(after[name]), name
        else:
            assert after[name] == value, name
    assert after["vacancy_rate_pct"] == 0
    assert after["agency_share_pct"] == 0
    assert after["staff_turnover_pct"] == 0


def test_flow_with_nothing_to_do_keeps_the_supervision_kpis() -> None:
    off = county(*NO_NQSW, "workforce.supervision.enabled=true")
    on = county(*NO_NQSW, "workforce.supervision.enabled=true", *flow(**STILL))
    without, with_flow = simulate(off, 1), simulate(on, 1)
    sessions = [r.mechanisms["supervision"] for r in (without, with_flow)]
    assert sessions[0].keys() == sessions[1].keys()
    for name in sessions[0]:  # the same sessions...
        np.testing.assert_array_equal(sessions[0][name], sessions[1][name])
    before, after = compute_kpis(without), compute_kpis(with_flow)
    names = [name for name in before if "supervision" in name]
    assert len(names) >= 2
    for name in names:
        # ...measured the same way (the sample on the period's last day counts either way).
        assert after[name] == before[name], name


# -------------------------------------------------------------------------- invariants


@st.composite
def flow_scenarios(draw: st.DrawFn) -> Scenario:
    """The small county with random staff, caps, rules and flow, and perhaps a dated change."""
    sets = []
    for team in ("north", "south"):
        sets.append(f"workforce.teams.{team}.staff={draw_staff(draw)}")
    for grade in ("swa", "nqsw", "sw", "sp"):
        sets.append(f"workforce.grades.{grade}.caseload_cap={draw(st.integers(10, 100))}")
    sets.append(
        f"workforce.allocation.policy='{draw(st.sampled_from(['joint', 'skill_matched']))}'"
    )
    sets.append(f"workforce.allocation.cap_mode='{draw(st.sampled_from(['hard', 'soft']))}'")
    sets.append(f"workforce.sign_off.enabled={draw(st.sampled_from(['true', 'false']))}")
    sets.append(f"workforce.supervision.enabled={draw(st.sampled_from(['true', 'false']))}")
    sets.append(f"demand.contacts_per_year={draw(st.integers(2000, 9000))}")
    sets.append(f"initial_caseload.cases_per_worker.child_in_need={draw(st.floats(0, 4))}")
    sets.append(f"simulation.horizon_days={draw(st.integers(60, 150))}")
    sets.append(f"simulation.seed={draw(st.integers(0, 2**32))}")
    sets += flow(
        vacancy_pct_at_start=draw(st.floats(0, 60)),
        agency_cover_pct=draw(st.floats(0, 100)),
        agency_onboarding_wd=draw(st.integers(0, 15)),
        recruitment_lag_wd=draw(st.integers(0, 60)),
        permanent_leaving_pct_per_year=draw(st.floats(0, 99)),
        agency_leaving_pct_per_year=draw(st.floats(0, 99)),
        nqsw_progression_months=draw(st.floats(1, 12)),
        overload_threshold_pct=draw(st.floats(0, 150)),
        overload_sustained_wd=draw(st.integers(1, 60)),
        overload_leaving_effect=draw(st.floats(0, 5)),
    )
    scenario = county(*sets)
    if draw(st.booleans()):
        changes: dict[str, Any] = {
            "workforce.teams.north.staff.sw": draw(st.integers(1, 6)),
            "workforce.teams.south.staff.swa": draw(st.integers(0, 4)),
        }
        if draw(st.booleans()):
            changes["workforce.eligibility.swa.child_protection"] = "no"
        if draw(st.booleans()):
            changes["workforce.allocation.policy"] = "skill_matched"
        scenario = with_timeline(
            scenario,
            {
                "date": dt.date(2010, 4, 1) + dt.timedelta(days=draw(st.integers(1, 55))),
                "changes": changes,
                "recruitment_lag_wd": draw(st.integers(0, 30)),
                "transition_dip_pct": draw(st.floats(0, 60)),
                "transition_wd": draw(st.integers(0, 20)),
                "reallocate_ineligible": draw(st.booleans()),
            },
        )
    return scenario


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flow_scenarios())
def test_cases_are_conserved_and_caps_kept_whoever_comes_and_goes(scenario: Scenario) -> None:
    door = FrontDoor(scenario, scenario.simulation.seed, 0)
    hard = scenario.workforce.allocation.cap_mode == "hard"
    allocated = door.board.on_allocated
    assert allocated is not None

    def allocate_within_caps(referral: Referral) -> None:
        # Cases open at the start are placed without the rule; re-allocated ones follow it.
        placed = referral.initial and referral.handed_on is None
        assert referral.lead is not None
        for worker in (referral.lead, referral.coworker):
            if worker is not None:
                assert worker.in_post
                if hard and not placed:
                    assert worker.load <= worker.caseload_cap + 1e-9
        allocated(referral)

    door.board.on_allocated = allocate_within_caps
    vacate = door.staff.posts.on_vacated

    def vacate_and_check(worker: Worker) -> None:
        vacate(worker)
        # Straight after a change of holder the post holds nothing and is offered nothing.
        assert not worker.in_post and worker.cases == 0 and not worker.held
        assert all(worker not in group for group in door.board.may_hold)
        assert all(worker not in group for group in door.board.co_worked_leads)
        event("a post fell vacant")

    door.staff.posts.on_vacated = vacate_and_check
    watch(door, check_posts)
    result = door.run()
    check_posts(door)
    check_flow_conservation(result)
    # The leavers and the posts' histories tell the same story.
    for time, index, holder in leavers(result):
        changes = door.staff.posts.history[index].changes
        # The post fell vacant then (and may have been filled again at once, with no lag)...
        position = next(
            i for i, change in enumerate(changes) if change[0] == time and change[1] == VACANT
        )
        # ...from the kind of holder who left.
        assert position > 0 and changes[position - 1][1] == holder
    kpis = compute_kpis(result)
    for name in ("vacancy_rate_pct", "agency_share_pct", "absence_pct"):
        assert math.isnan(kpis[name]) or 0.0 <= kpis[name] <= 100.0, name
    assert kpis["staff_turnover_pct"] >= 0 or math.isnan(kpis["staff_turnover_pct"])
