"""Dated changes: they apply at 00:00 of their date and not before, new posts stay empty for the
recruitment lag, staff move or posts close with their cases re-allocated, a transition dip
lowers productivity for its working days; KPIs per period and the days to recover.

The scenarios are built on the first model's rules (every optional mechanism off) at the small
county's size, so that only what a test switches on is modelled.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.metrics.periods import DAYS_TO_RECOVER, period_kpis
from caseload_sim.metrics.posts import PostAccount, post_accounts
from caseload_sim.model.frontdoor import FrontDoor
from caseload_sim.model.mechanisms.supervision import SupervisionSchedule
from caseload_sim.model.results import (
    AGENCY,
    PERMANENT,
    VACANT,
    PostHistory,
    RunResult,
)
from caseload_sim.scenario.schema import TIERS, Scenario
from checks import caseload_events
from conftest import small_county

FIRST_MODEL = Path(__file__).parent / "data" / "first_model.toml"
START = dt.date(2010, 4, 1)
HOUR = 1 / 24
WORKING_DAY = 7.4 / 24  # working time of one day, in days of the clock
CP = TIERS.index("child_protection")
#: Low caps: referrals queue for a worker from the fourth week on.
LOW_CAPS = (
    *(f"workforce.grades.{grade}.caseload_cap=25" for grade in ("swa", "nqsw", "sw", "sp")),
    "workforce.allocation.cap_mode='hard'",
)
STILL_FLOW = (
    "workforce.flow.enabled=true",
    "workforce.flow.vacancy_pct_at_start=0",
    "workforce.flow.agency_cover_pct=0",
    "workforce.flow.permanent_leaving_pct_per_year=0",
    "workforce.flow.agency_leaving_pct_per_year=0",
)


def county(*overrides: str) -> Scenario:
    """The small county with every optional mechanism off, and the overrides."""
    return small_county(*overrides, path=FIRST_MODEL)


def with_timeline(scenario: Scenario, *entries: dict[str, Any]) -> Scenario:
    data = scenario.model_dump(mode="python")
    data["timeline"] = list(entries)
    return Scenario.model_validate(data)


def t(date: dt.date) -> float:
    """Model time of 00:00 of a date."""
    return float((date - START).days)


def histories(result: RunResult) -> dict[int, PostHistory]:
    """Each post's history of holders, by post (posts change in every run here)."""
    found = {post.index: post.history for post in result.posts if post.history is not None}
    assert found
    return found


def accounts(result: RunResult, period: int | None = None) -> dict[int, PostAccount]:
    """Each post's working time over the measured window, or over one of its periods."""
    start, end = (
        (result.measured_from, result.measured_to)
        if period is None
        else (result.periods[period].start, result.periods[period].end)
    )
    return {a.index: a for a in post_accounts(result, start, end)}


def held_at(items: list[tuple[float, int, int]], time: float) -> set[int]:
    """Cases held after every change at or before ``time``."""
    count: dict[int, int] = defaultdict(int)
    for when, case, change in items:
        if when <= time:
            count[case] += change
    assert all(c in (0, 1) for c in count.values())
    return {case for case, c in count.items() if c}


# --------------------------------------------------------------------- new posts and the lag


@pytest.mark.parametrize(
    ("flow", "agency_from", "permanent_from"),
    [
        ((), None, dt.date(2010, 6, 10)),
        (
            (
                *STILL_FLOW,
                "workforce.flow.agency_cover_pct=100",
                "workforce.flow.agency_onboarding_wd=3",
            ),
            dt.date(2010, 6, 4),
            dt.date(2010, 6, 10),
        ),
    ],
    ids=["empty", "agency_cover"],
)
def test_new_posts_stay_empty_for_the_recruitment_lag(
    flow: tuple[str, ...], agency_from: dt.date | None, permanent_from: dt.date
) -> None:
    # Two more SWs in the north from Tuesday 1 June, recruited with a lag of 7 working days:
    # 1 June is day 0, so the recruits start at 00:00 on Thursday 10 June (with flow, agency
    # workers cover from the third working day, Friday 4 June).
    scenario = with_timeline(
        county(*LOW_CAPS, *flow),
        {
            "date": dt.date(2010, 6, 1),
            "changes": {"workforce.teams.north.staff.sw": 5},
            "recruitment_lag_wd": 7,
        },
    )
    door = FrontDoor(scenario, 1, 0)
    before = len(door.staff.workers)
    changed, first_holder = t(dt.date(2010, 6, 1)), t(permanent_from)
    filled = t(agency_from) if agency_from is not None else first_holder
    now = changed - 0.5
    door.env.run(until=now)
    assert len(door.staff.workers) == before  # no new post before the date
    new: list[Any] = []
    while now < filled + 0.5:
        now += HOUR
        door.env.run(until=now)
        new = door.staff.workers[before:]
        if now <= changed:
            assert not new
            continue
        assert len(new) == 2 and all(w.grade == "sw" and w.team == "north" for w in new)
        if now <= filled:
            # The posts exist but nobody holds them: no cases, no work.
            assert all(not w.in_post and w.cases == 0 and w.working_on is None for w in new)
            if now + HOUR > filled:
                assert door.board.waiting > 0  # referrals are waiting for someone to hold them
        else:
            assert all(w.in_post and w.cases > 0 for w in new)
    result = door.run()
    caseloads = caseload_events(result)
    completed = result.events.of("assessment_completed")
    posts = accounts(result)
    for worker in new:
        history = histories(result)[worker.index]
        assert history.established_from == changed
        expected = [(changed, VACANT), (first_holder, PERMANENT)]
        if agency_from is not None:
            expected.insert(1, (filled, AGENCY))
        assert [(time, holder) for time, holder, _, _ in history.changes] == expected
        # Its first case exactly when someone first holds it (the queue was waiting).
        assert min(time for time, _, _ in caseloads[worker.index]) == filled
        done = result.events.time[completed & (result.events.worker == worker.index)]
        assert done.size and done.min() > filled
        record = posts[worker.index]
        # Vacant (DfE: without a permanent holder) for the 7 working days of the lag.
        assert record.vacant_days == pytest.approx(7 * WORKING_DAY)
        assert record.agency_days == pytest.approx(4 * WORKING_DAY if agency_from else 0.0)


# ---------------------------------------------------------------------- at the date, not before


@pytest.mark.parametrize("reallocate", [True, False])
def test_a_change_of_eligibility_applies_from_00_00_of_its_date(reallocate: bool) -> None:
    # Assistants hold child protection work co-worked (joint allocation) until 1 June, then not
    # at all.
    scenario = with_timeline(
        county(),
        {
            "date": dt.date(2010, 6, 1),
            "changes": {"workforce.eligibility.swa.child_protection": "no"},
            "reallocate_ineligible": reallocate,
        },
    )
    door = FrontDoor(scenario, 4, 0)
    changed = t(dt.date(2010, 6, 1))
    assistants = [w for w in door.staff.workers if w.grade == "swa"]

    def cp_held() -> set[int]:
        return {r.case_id for w in assistants for r in w.held.values() if r.tier_rank == CP}

    door.env.run(until=changed - 0.01)
    before = cp_held()
    assert before  # assistants hold child protection cases just before the date
    door.env.run(until=changed + 0.01)
    if reallocate:
        assert not cp_held()  # none straight after 00:00
    else:
        assert cp_held() == before  # kept, but...
    result = door.run()
    tier = dict(
        zip(
            [*result.cases.case_id.tolist(), *result.initial_cases.case_id.tolist()],
            [*result.cases.tier.tolist(), *result.initial_cases.tier.tolist()],
            strict=True,
        )
    )
    caseloads = caseload_events(result)
    given = [
        time
        for worker in assistants
        for time, case, change in caseloads[worker.index]
        if change > 0 and tier[case] == CP
    ]
    assert sum(time < changed for time in given) >= 5
    # ...no new child protection case for an assistant at or after 00:00 of the date.
    assert not [time for time in given if time >= changed]
    cases = result.cases
    allocated_at = dict(zip(cases.case_id.tolist(), cases.allocated_at.tolist(), strict=True))
    grades = {w.index: w.grade for w in result.posts}
    for case in before:
        assert allocated_at[case] < changed  # the first allocation is still the one timed
        if reallocate:
            # Re-allocated at the date to someone who may hold child protection work.
            again = [
                (time, worker)
                for worker, items in caseloads.items()
                for time, c, change in items
                if c == case and change > 0 and time >= changed
            ]
            assert again and min(again)[0] == changed
            assert grades[min(again)[1]] != "swa"


# ------------------------------------------------------------ staff moved, posts abolished


def test_moved_staff_keep_their_cases_and_an_abolished_posts_cases_are_reallocated() -> None:
    scenario = with_timeline(
        county(),
        {
            "date": dt.date(2010, 6, 1),
            "label": "move",
            "changes": {"workforce.teams.north.staff.sw": 2, "workforce.teams.south.staff.sw": 4},
        },
        {
            "date": dt.date(2010, 7, 1),
            "label": "abolish",
            "changes": {"workforce.teams.south.staff.swa": 1},
        },
    )
    door = FrontDoor(scenario, 6, 0)
    teams = {w.index: w.team for w in door.staff.workers}
    before = len(door.staff.workers)
    result = door.run()
    moved_at, closed_at = t(dt.date(2010, 6, 1)), t(dt.date(2010, 7, 1))
    assert len(door.staff.workers) == before  # a move and a closure create no post
    moved = [w for w in door.staff.workers if w.team != teams[w.index]]
    assert len(moved) == 1
    (mover,) = moved
    assert (teams[mover.index], mover.team, mover.grade) == ("north", "south", "sw")
    caseloads = caseload_events(result)
    items = caseloads[mover.index]
    kept = held_at(items, moved_at - 0.01)
    assert kept
    assert not [c for time, c, change in items if time == moved_at and change < 0]
    history = histories(result)
    assert history[mover.index].established_to == math.inf
    # One south assistant's post is abolished at 00:00 on 1 July, and its cases go elsewhere.
    closed = [i for i, h in history.items() if h.established_to < math.inf]
    assert len(closed) == 1
    (post,) = closed
    assert history[post].established_to == closed_at
    assert (teams[post], door.staff.workers[post].grade) == ("south", "swa")
    items = caseloads[post]
    handed = held_at(items, closed_at - 0.01)
    assert handed and not held_at(items, closed_at)
    assert not [time for time, _, change in items if time >= closed_at and change > 0]
    cases = result.cases
    allocated_at = dict(zip(cases.case_id.tolist(), cases.allocated_at.tolist(), strict=True))
    for case in handed:
        assert allocated_at[case] < closed_at
    record = accounts(result)[post]
    # The post counts for the working time it existed.
    assert record.established_days == pytest.approx(
        result.calendar.working_hours_between(result.measured_from, closed_at) / 24
    )


# ----------------------------------------------------------------------- the transition dip


def rates_during(door: FrontDoor, times: list[float]) -> list[list[float]]:
    """Every worker's rate as a share of their full rate at each time."""
    shares = []
    for time in times:
        door.env.run(until=time)
        shares.append([w.rate / w.full_rate for w in door.staff.workers if w.full_rate > 0])
    return shares


def test_a_transition_dip_lowers_every_workers_rate_for_its_working_days() -> None:
    # 40% less for 5 working days from Tuesday 1 June: 1, 2, 3, 4 and 7 June; full again from
    # 00:00 on Tuesday 8 June.
    scenario = with_timeline(
        county(),
        {
            "date": dt.date(2010, 6, 1),
            "changes": {"workforce.allocation.policy": "skill_matched"},
            "transition_dip_pct": 40,
            "transition_wd": 5,
        },
    )
    door = FrontDoor(scenario, 1, 0)
    begins, ends = t(dt.date(2010, 6, 1)), t(dt.date(2010, 6, 8))
    times = [begins - 2 + 0.1 + 0.25 * k for k in range(48)]
    assert times[0] < begins and times[-1] > ends
    for time, shares in zip(times, rates_during(door, times), strict=True):
        expected = 0.6 if begins < time < ends else 1.0
        assert shares == pytest.approx([expected] * len(shares)), time
    result = door.run()
    assert result.periods
    # The period after the change settles when the dip is over.
    assert result.periods[1].settled_at >= ends


def test_a_second_dip_lasts_its_own_transition() -> None:
    # 50% for 10 working days from 1 June (to 15 June), then 20% for 10 working days from
    # 8 June (to 22 June): on 16-21 June the second dip is still in force.
    scenario = with_timeline(
        county(),
        {
            "date": dt.date(2010, 6, 1),
            "changes": {"workforce.allocation.policy": "skill_matched"},
            "transition_dip_pct": 50,
            "transition_wd": 10,
        },
        {
            "date": dt.date(2010, 6, 8),
            "changes": {"workforce.allocation.policy": "joint"},
            "transition_dip_pct": 20,
            "transition_wd": 10,
        },
    )
    door = FrontDoor(scenario, 1, 0)
    times = [t(dt.date(2010, 6, day)) + 0.5 for day in (16, 17, 18, 21)]
    for shares in rates_during(door, times):
        assert shares == pytest.approx([0.8] * len(shares))


def test_an_nqsw_who_progresses_during_a_dip_stays_in_it() -> None:
    scenario = with_timeline(
        county(*STILL_FLOW, "workforce.flow.nqsw_progression_months=2"),
        {
            "date": dt.date(2010, 4, 6),
            "changes": {"workforce.allocation.policy": "skill_matched"},
            "transition_dip_pct": 50,
            "transition_wd": 50,
        },
    )
    door = FrontDoor(scenario, 1, 0)
    began = t(dt.date(2010, 4, 6))
    ends = door.staff.posts.working_day_after(began, 50)
    times = [began + 0.5 + k for k in range(int(ends - began) - 1)]
    shares = rates_during(door, times)
    progressed = [
        h.changes[-1][0]
        for h in door.staff.posts.history.values()
        if h.changes[0][2] == "nqsw" and h.changes[-1][2] == "sw"
    ]
    # NQSWs progressed during the dip (and none before the change: see the re-staffing test).
    assert progressed and all(began < time < ends for time in progressed)
    for time, at in zip(times, shares, strict=True):
        assert at == pytest.approx([0.5] * len(at)), time


# ------------------------------------------------------------------ re-staffing at a change


def test_a_change_of_rules_alone_leaves_every_post_in_place() -> None:
    scenario = with_timeline(
        county(*STILL_FLOW, "workforce.flow.nqsw_progression_months=2"),
        {
            "date": dt.date(2010, 6, 1),
            "changes": {"workforce.allocation.policy": "skill_matched"},
            "recruitment_lag_wd": 20,
        },
    )
    door = FrontDoor(scenario, 2, 0)
    before = len(door.staff.workers)
    result = door.run()
    history = histories(result)
    progressed = [h for h in history.values() if h.changes[-1][2] == "sw"]
    assert [h for h in progressed if h.changes[0][2] == "nqsw"]  # NQSWs progressed before
    assert len(result.posts) == before
    assert all(h.established_to == math.inf for h in history.values())
    assert not result.events.of("holder_left").any()


def test_the_most_recently_created_post_is_abolished_first() -> None:
    scenario = with_timeline(
        county(),
        {"date": dt.date(2010, 5, 4), "changes": {"workforce.teams.south.staff.sw": 4}},
        {"date": dt.date(2010, 6, 1), "changes": {"workforce.teams.south.staff.sw": 3}},
    )
    history = histories(FrontDoor(scenario, 1, 0).run())
    newest = max(history)
    assert history[newest].established_from == t(dt.date(2010, 5, 4))
    closed = [i for i, h in history.items() if h.established_to < math.inf]
    assert closed == [newest]


def test_a_change_may_remove_a_team() -> None:
    base = county()
    teams = base.workforce.model_dump()["teams"]
    teams["north"]["tiers"].append("disabled_child")
    scenario = with_timeline(
        base,
        {
            "date": dt.date(2010, 6, 1),
            "changes": {"workforce.teams": {"north": teams["north"], "south": teams["south"]}},
        },
    )  # a valid timeline: every tier still has holders
    result = FrontDoor(scenario, 1, 0).run()
    history = histories(result)
    removed = [w for w in result.posts if w.team == "disabled_children"]
    assert removed
    assert all(history[w.index].established_to == t(dt.date(2010, 6, 1)) for w in removed)


# ------------------------------------------------------------------------------- periods


def test_the_measured_period_is_split_at_each_change_inside_it() -> None:
    scenario = with_timeline(
        county(),
        {
            "date": dt.date(2010, 4, 12),  # in the warm-up: the first measured period's service
            "label": "early",
            "changes": {"workforce.allocation.policy": "skill_matched"},
        },
        {
            "date": dt.date(2010, 6, 1),
            "label": "reorg",
            "changes": {"workforce.teams.north.staff.sw": 4},
            "transition_dip_pct": 15,
            "transition_wd": 5,
        },
        {
            "date": dt.date(2010, 7, 1),
            "label": "rules",
            "changes": {"workforce.allocation.policy": "joint"},
        },
    )
    door = FrontDoor(scenario, 3, 0)
    result = door.run()
    assert [p.label for p in result.periods] == ["early", "reorg", "rules"]
    bounds = [30.0, t(dt.date(2010, 6, 1)), t(dt.date(2010, 7, 1)), 150.0]
    assert [(p.start, p.end) for p in result.periods] == list(
        zip(bounds[:-1], bounds[1:], strict=True)
    )
    # The first period settles at once, as does one after a change without a transition; the
    # re-organisation's settles after its five working days of dip (1, 2, 3, 4 and 7 June), by
    # the end of 8 June.
    settled = [p.settled_at for p in result.periods]
    assert settled[0] == 30.0 and settled[2] == bounds[2]
    dip_ends = t(dt.date(2010, 6, 8))
    assert dip_ends <= settled[1] < dip_ends + 1
    # Each post's time and work add up over the periods.
    whole = accounts(result)
    parts: dict[int, list[Any]] = defaultdict(list)
    for position in range(len(result.periods)):
        for record in accounts(result, position).values():
            parts[record.index].append(record)
    assert parts.keys() == whole.keys()
    for index, records in parts.items():
        for name in ("busy_days", "established_days", "available_days", "vacant_days"):
            assert sum(getattr(r, name) for r in records) == pytest.approx(
                getattr(whole[index], name), abs=1e-9
            ), (index, name)
    entries = period_kpis(result)
    assert len(entries) == 3
    assert math.isnan(entries[0][DAYS_TO_RECOVER])
    for entry, period in zip(entries[1:], result.periods[1:], strict=True):
        recovered = entry[DAYS_TO_RECOVER]
        assert math.isnan(recovered) or (
            period.settled_at - period.start <= recovered <= period.end - period.start
        )
    for name in ("contacts_count", "referrals_count"):
        assert sum(e[name] for e in entries) == pytest.approx(compute_kpis(result)[name]), name


# --------------------------------------------------------------- changes that empty or move posts


def test_abolishing_every_manager_in_post_leaves_their_work_for_the_new_manager_post() -> None:
    # One entry creates a team whose manager post stays empty for 30 working days; the next
    # day every manager in post is abolished. Strategy discussions and sign-offs wait for the
    # new manager instead of failing.
    scenario = with_timeline(
        county("workforce.sign_off.enabled=true", "simulation.horizon_days=150"),
        {
            "date": dt.date(2010, 5, 3),
            "recruitment_lag_wd": 30,
            "changes": {
                "workforce.teams.x": {"tiers": ["child_in_need"], "staff": {"tm": 1, "sw": 1}}
            },
        },
        {
            "date": dt.date(2010, 5, 4),
            "changes": {"workforce.teams.north.staff.tm": 0, "workforce.teams.south.staff.tm": 0},
        },
    )
    door = FrontDoor(scenario, 5, 0)
    result = door.run()
    filled = t(dt.date(2010, 5, 3)) + 30 * 7 / 5  # about 30 working days later
    held = result.events.time[result.events.of("strategy_discussion_held")]
    gap = held[(held > t(dt.date(2010, 5, 5))) & (held < filled - 7)]
    assert gap.size == 0, "a strategy discussion was held with no manager in post"
    assert held.max() > filled, "strategy discussions resumed once the new manager started"


def test_a_co_worker_who_leaves_takes_their_share_of_the_case_with_them() -> None:
    scenario = county(
        *STILL_FLOW,
        "workforce.flow.permanent_leaving_pct_per_year=300",
        "workforce.flow.recruitment_lag_wd=5",
        "workforce.allocation.oversight_fraction=0.3",
        "simulation.horizon_days=120",
    )
    door = FrontDoor(scenario, 2, 0)
    dropped: list[Any] = []
    original = door.board.drop_coworker

    def watch_drop(referral: Any) -> None:
        dropped.append((referral, referral.coworker))
        original(referral)

    door.board.drop_coworker = watch_drop  # type: ignore[method-assign]
    door.run()
    assert dropped, "no co-worker left during the run"
    for referral, coworker in dropped:
        assert referral.case_id not in coworker.coworked
        assert referral.oversight_weight == 0.0
    # Every post's load is what it holds and co-works now.
    for worker in door.staff.case_holders:
        expected = sum(r.weight for r in worker.held.values()) + sum(
            r.oversight_weight for r in worker.coworked.values()
        )
        assert worker.load == pytest.approx(expected, abs=1e-6)


def test_people_move_with_their_posts_and_empty_posts_are_abolished_first() -> None:
    scenario = with_timeline(
        county(*STILL_FLOW, "workforce.flow.vacancy_pct_at_start=30"),
        {
            "date": dt.date(2010, 5, 3),
            "changes": {
                "workforce.teams.north.staff.sw": 1,
                "workforce.teams.south.staff.sw": 1,
                "workforce.teams.x": {"tiers": ["child_in_need"], "staff": {"sw": 2}},
            },
        },
    )
    door = FrontDoor(scenario, 4, 0)
    posts = door.staff.posts
    vacant_before = {w.index for w in posts.workers.values() if not w.in_post}
    door.env.run(until=t(dt.date(2010, 5, 3)) + 0.01)
    moved = [w for w in posts.workers.values() if w.team == "x"]
    closed = [w for w in posts.workers.values() if not posts.is_open(w)]
    assert len(moved) == 2 and len(closed) == 2
    # Moves take people (held posts); abolition takes the empty posts.
    assert all(w.in_post for w in moved)
    empty_sw = [i for i in vacant_before if posts.workers[i].post_grade == "sw"]
    assert sum(w.index in vacant_before for w in closed) == min(2, len(empty_sw))


def test_nothing_is_allocated_under_the_old_caps_during_a_change() -> None:
    # The SW cap is cut from 25 to 10 while the assistants' posts are abolished: the assistants'
    # cases go to SWs only within the new cap.
    scenario = with_timeline(
        county(*LOW_CAPS, "simulation.horizon_days=120"),
        {
            "date": dt.date(2010, 6, 1),
            "changes": {
                "workforce.grades.sw.caseload_cap": 10,
                "workforce.grades.sp.caseload_cap": 10,
                "workforce.teams.north.staff.swa": 0,
                "workforce.teams.south.staff.swa": 0,
                "workforce.teams.disabled_children.staff.swa": 0,
            },
        },
    )
    door = FrontDoor(scenario, 6, 0)
    door.env.run(until=t(dt.date(2010, 6, 1)) + 0.01)
    gained = [r for w in door.staff.case_holders for r in w.held.values() if r.lead is w]
    # No allocation at the change took anyone over the new cap.
    events = door.ctx.log.arrays()
    at_change = events.of("caseload_change") & (events.time == t(dt.date(2010, 6, 1)))
    takers = {
        int(w)
        for w, v in zip(events.worker[at_change], events.value[at_change], strict=True)
        if v > 0
    }
    for index in takers:
        worker = door.staff.workers[index]
        assert worker.load <= worker.caseload_cap + 1e-9
    assert gained


def test_a_new_manager_takes_a_share_of_the_teams_supervision() -> None:
    scenario = with_timeline(
        county("workforce.supervision.enabled=true", "simulation.horizon_days=200"),
        {
            "date": dt.date(2010, 5, 3),
            "changes": {"workforce.teams.south.staff.tm": 2},
        },
    )
    door = FrontDoor(scenario, 1, 0)
    managers_at_start = {w.index for w in door.staff.managers}
    door.run()
    supervision = door.mechanism("supervision")
    assert isinstance(supervision, SupervisionSchedule)
    south = [w for w in door.staff.managers if w.team == "south"]
    assert len(south) == 2 and any(w.index not in managers_at_start for w in south)
    dealt = {
        supervision.assigned[w.index].index for w in supervision.supervisees if w.team == "south"
    }
    assert dealt == {w.index for w in south}


def test_a_change_of_fte_counts_only_from_its_date() -> None:
    base = county("simulation.horizon_days=150", "simulation.warmup_days=30")
    changed = with_timeline(
        base, {"date": dt.date(2010, 6, 1), "changes": {"workforce.grades.sw.fte": 0.5}}
    )
    marker = with_timeline(
        base,
        {"date": dt.date(2010, 6, 1), "changes": {"workforce.allocation.policy": "skill_matched"}},
    )
    first = FrontDoor(changed, 3, 0).run()
    same = FrontDoor(marker, 3, 0).run()
    assert first.periods and same.periods
    before = compute_kpis(first, 0)["available_fte_mean"]
    unchanged = compute_kpis(same, 0)["available_fte_mean"]
    assert before == pytest.approx(unchanged)
    after = compute_kpis(first, 1)["available_fte_mean"]
    assert after < before


def test_someone_new_in_a_trained_post_is_not_trained() -> None:
    scenario = county(
        *STILL_FLOW,
        "workforce.flow.permanent_leaving_pct_per_year=200",
        "workforce.flow.recruitment_lag_wd=3",
        "workforce.training.enabled=true",
        "workforce.training.rollout_days=5",
        "simulation.horizon_days=150",
    )
    door = FrontDoor(scenario, 8, 0)
    door.run()
    for index, history in door.staff.posts.history.items():
        worker = door.staff.posts.workers[index]
        starts = [
            time for time, holder, _g, _s in history.changes if holder == PERMANENT and time > 0
        ]
        if starts and math.isfinite(worker.trained_from):
            assert worker.trained_from > max(starts) or worker.trained_from <= min(starts)


def test_a_new_training_effect_alone_sends_nobody_on_training_again() -> None:
    training = {"enabled": True, "start_day": 30, "rollout_days": 10, "days_away": 2}
    scenario = with_timeline(
        county("simulation.horizon_days=120"),
        {"date": dt.date(2010, 4, 26), "changes": {"workforce.training": training}},
        {
            "date": dt.date(2010, 6, 1),
            "changes": {"workforce.training": {**training, "effect": 0.6}},
        },
    )
    door = FrontDoor(scenario, 2, 0)
    door.run()
    trained = [w for w in door.staff.case_holders if math.isfinite(w.trained_from)]
    assert trained
    # One spell of two working days each: the second entry did not schedule another.
    assert all(len(w.absences) == 1 for w in trained)
