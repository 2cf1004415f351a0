"""Every KPI computed from run results made by hand, against the value worked out by hand.

The calendar is England's from Thursday 1 April 2010 (model day 0); June 2010 has no bank
holiday, and Monday 7 June is model day 67. Working days are counted the DfE way: the days after
the start's date up to and including the end's.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from caseload_sim.metrics.catalogue import KPIS, compute_kpis, kpis_for_regime
from caseload_sim.model.results import AGENCY, PERMANENT, VACANT, Period, PostHistory
from handmade import cases, events, post, run, scenario

MONDAY = 67.0  # Monday 7 June 2010, 00:00
TEN = 10 / 24  # 10:00, inside the working day (09:00 to 16:24)
WINDOW = (60.0, 120.0)
HOURS_PER_DAY = 7.4 / 24  # one working day of working time, in days of the clock


def day(n: int) -> float:
    """10:00 on the n-th calendar day after Monday 7 June."""
    return MONDAY + n + TEN


def kpis(**given: object) -> dict[str, float]:
    return compute_kpis(run(measured=WINDOW, **given))  # type: ignore[arg-type]


def test_volumes_and_the_contact_decision() -> None:
    log = events(
        (10.0, "contact", 0, -1, 0.0),  # before the window
        (day(0), "contact", 1, -1, 0.0),
        (day(1), "screened", 1, -1, 1.0),  # the next working day: within 1 WD
        (day(2), "contact", 2, -1, 1.0),
        (day(7), "screened", 2, -1, 0.0),  # Wednesday to Monday: 3 WD, late
        (200.0, "contact", 3, -1, 0.0),  # after the window
    )
    table = cases({"case_id": 1, "referral_at": day(0), "decided_at": day(1)})
    found = kpis(log=log, case_table=table)
    assert found["contacts_count"] == 2
    assert found["referrals_count"] == 1
    assert found["contact_decision_within_timescale_pct"] == 50.0


def test_re_referrals_are_those_within_12_months_of_the_previous_one() -> None:
    table = cases(
        {"referral_at": day(0), "decided_at": day(0), "previous_referral_at": day(0) - 365},
        {"referral_at": day(0), "decided_at": day(0), "previous_referral_at": day(0) - 366},
        {"referral_at": day(1), "decided_at": day(1)},
        {"referral_at": day(1), "decided_at": day(1)},
    )
    assert kpis(case_table=table)["re_referral_pct"] == 25.0


def test_assessments_within_timescale_count_working_days_from_the_right_start() -> None:
    table = cases(
        # (A first assessment of 0 is replaced below by its completion.)
        # Monday to Tuesday of the next week: 6 WD, within 7.
        {
            "referral_at": day(0),
            "initial_assessment_done_at": day(8),
            "first_assessment_at": day(8),
        },
        # Monday to Thursday of the next week: 8 WD, late.
        {
            "referral_at": day(0),
            "initial_assessment_done_at": day(10),
            "first_assessment_at": day(10),
        },
        # Done after the window: not counted.
        {"referral_at": day(0), "initial_assessment_done_at": 130.0},
        # A core assessment of 35 WD from its start (7 weeks), and one of 36.
        {
            "referral_at": day(0) - 20,
            "core_assessment_start_at": day(0),
            "core_assessment_done_at": day(49),
        },
        {
            "referral_at": day(0) - 20,
            "core_assessment_start_at": day(-1) - 60,
            "core_assessment_done_at": day(0),
        },
    )
    found = kpis(case_table=table)
    assert found["initial_assessment_within_timescale_pct"] == 50.0
    assert found["core_assessment_within_timescale_pct"] == 50.0
    assert found["referral_to_assessment_days_mean"] == pytest.approx((8 + 10) / 2)
    assert "assessment_within_timescale_pct" not in found  # the wt2010 regime


def test_single_assessments_under_working_together_2013() -> None:
    outcomes = "{ nfa = 0.5, cin = 0.3, core = 0.0, s47 = 0.2 }"
    single = scenario(
        "pathway.regime='single_assessment'",
        *[
            f"pathway.after_first_assessment.{tier}={outcomes}"
            for tier in ("child_protection", "child_in_need", "disabled_child")
        ],
    )
    table = cases(
        {"referral_at": day(0), "single_assessment_done_at": day(63)},  # 45 WD: 9 weeks
        {"referral_at": day(0), "single_assessment_done_at": day(64)},  # 46 WD
    )
    found = compute_kpis(run(scenario=single, measured=(60.0, 140.0), case_table=table))
    assert list(found) == kpis_for_regime("single_assessment")
    assert found["assessment_within_timescale_pct"] == 50.0
    assert found["single_assessments_count"] == 2
    assert "initial_assessment_within_timescale_pct" not in found
    assert "initial_assessments_count" not in found


def test_allocation_waits_and_who_holds_high_risk_work() -> None:
    table = cases(
        {
            "tier": "child_protection",
            "referral_at": day(0),
            "allocated_at": day(1),
            "first_lead_grade": "swa",
            "coworker_post": 3,
        },
        {
            "tier": "immediate_risk",
            "referral_at": day(0),
            "allocated_at": day(0) + 0.5,
            "first_lead_grade": "sw",
            "over_allocated": True,
        },
        {
            "tier": "child_in_need",
            "referral_at": day(0),
            "allocated_at": day(3),
            "first_lead_grade": "swa",
        },
        {
            "tier": "child_in_need",
            "referral_at": day(0),
            "allocated_at": day(5),
            "first_lead_grade": "sw",
        },
        # Allocated before the window: not counted.
        {
            "tier": "child_protection",
            "referral_at": 30.0,
            "allocated_at": 31.0,
            "first_lead_grade": "swa",
        },
    )
    found = kpis(case_table=table)
    waits = np.array([1.0, 0.5, 3.0, 5.0])
    assert found["referral_to_allocation_days_mean"] == pytest.approx(waits.mean())
    assert found["referral_to_allocation_days_p90"] == pytest.approx(np.quantile(waits, 0.9))
    assert found["referral_to_allocation_child_in_need_days_mean"] == pytest.approx(4.0)
    assert found["referral_to_allocation_immediate_risk_days_mean"] == pytest.approx(0.5)
    assert math.isnan(found["referral_to_allocation_disabled_child_days_mean"])
    # One of the two high-risk referrals allocated in the window is held by an assistant.
    assert found["high_risk_cases_held_by_unqualified_pct"] == 50.0
    assert found["co_worked_cases_pct"] == 25.0
    assert found["over_allocated_referrals_pct"] == 25.0


def test_oversight_is_counted_for_co_worked_cases_that_ended_in_the_window() -> None:
    table = cases(
        {"coworker_post": 1, "ended_at": day(0), "oversight_hours": 2.0},
        {"coworker_post": 1, "ended_at": day(1), "oversight_hours": 1.0},
        {"coworker_post": 1, "ended_at": 150.0, "oversight_hours": 9.0},  # after the window
        {"ended_at": day(1), "oversight_hours": 0.0},  # not co-worked
    )
    assert kpis(case_table=table)["oversight_hours_per_co_worked_case_mean"] == 1.5


def test_the_unallocated_queue_is_an_exact_time_weighted_mean() -> None:
    log = events(
        (50.0, "unallocated_change", 0, -1, 1.0),  # one waiting from before the window
        (70.0, "unallocated_change", 1, -1, 1.0),
        (80.0, "unallocated_change", 0, -1, -1.0),
        (90.0, "unallocated_change", 1, -1, -1.0),
    )
    # 60-70: 1, 70-80: 2, 80-90: 1, 90-120: 0 -> 40 referral-days over 60 days.
    assert kpis(log=log)["unallocated_referrals_mean"] == pytest.approx(40 / 60)


def test_strategy_discussions_and_conferences() -> None:
    table = cases(
        # Same day: within the 1-WD target; the next day: within; two working days: late.
        {"tier": "immediate_risk", "referral_at": day(0), "strategy_at": day(0) + 0.1},
        {"tier": "immediate_risk", "referral_at": day(0), "strategy_at": day(1)},
        {
            "tier": "immediate_risk",
            "referral_at": day(0),
            "strategy_at": day(2),
            "icpc_at": day(23),
        },  # 15 WD after the strategy discussion (3 weeks)
        # Not immediate risk: its strategy discussion is not timed, its conference is (16 WD).
        {
            "tier": "child_protection",
            "referral_at": day(0),
            "strategy_at": day(2),
            "icpc_at": day(24),
        },
    )
    found = kpis(case_table=table)
    delays = np.array([0.1, 1.0, 2.0])
    assert found["referral_to_strategy_discussion_days_median"] == pytest.approx(1.0)
    assert found["referral_to_strategy_discussion_days_p90"] == pytest.approx(
        np.quantile(delays, 0.9)
    )
    assert found["strategy_discussion_within_target_pct"] == pytest.approx(200 / 3)
    assert found["icpc_within_timescale_pct"] == 50.0


def test_caseloads_are_time_weighted_per_worker_and_peaks_are_exact() -> None:
    log = events(
        # Worker 0 (a social worker) holds 2 cases from 30 (before the window), 3 from 90.
        (30.0, "caseload_change", 1, 0, 1.0),
        (30.0, "caseload_change", 2, 0, 1.0),
        (30.0, "high_risk_caseload_change", 2, 0, 1.0),
        (90.0, "caseload_change", 3, 0, 1.0),
        # Worker 1 (an assistant) holds one case from 60 to 75.
        (60.0, "caseload_change", 4, 1, 1.0),
        (75.0, "caseload_change", 4, 1, -1.0),
    )
    posts = [post(0, "sw"), post(1, "swa"), post(2, "tm", holds_cases=False)]
    found = kpis(log=log, posts=posts)
    worker_0 = (2 * 30 + 3 * 30) / 60
    worker_1 = 15 / 60
    assert found["caseload_per_worker_mean"] == pytest.approx((worker_0 + worker_1) / 2)
    assert found["caseload_per_worker_p90"] == pytest.approx(np.quantile([worker_0, worker_1], 0.9))
    assert found["caseload_per_worker_max"] == 3
    assert found["caseload_per_worker_sw_mean"] == pytest.approx(worker_0)
    assert found["caseload_per_worker_swa_mean"] == pytest.approx(worker_1)
    assert math.isnan(found["caseload_per_worker_tm_mean"])  # the manager holds no cases
    assert found["high_risk_cases_per_worker_mean"] == pytest.approx(0.5)
    assert found["high_risk_cases_per_worker_max"] == 1


def test_open_cases_include_those_open_at_the_start() -> None:
    table = cases(
        {"decided_at": 50.0, "ended_at": 90.0},  # 30 days in the window
        {"decided_at": 100.0},  # still open: 20 days
    )
    initial = cases({"decided_at": 0.0, "ended_at": 70.0})  # 10 days
    assert kpis(case_table=table, initial=initial)["open_cases_mean"] == pytest.approx(1.0)


def test_staff_time_absence_and_utilisation() -> None:
    working = run(measured=WINDOW).calendar.working_hours_between(*WINDOW) / 24
    # Worker 0 away for the week of 7 June (five working days), worker 1 never.
    away = (MONDAY, MONDAY + 4 + 16.4 / 24)
    posts = [
        post(0, fte=1.0, absences=[away], busy_days=working / 2),
        post(1, fte=0.5, busy_days=working / 4),
        post(2, "duty", "access_centre", holds_cases=False, busy_days=working),
    ]
    found = kpis(posts=posts)
    lost = 5 * HOURS_PER_DAY
    assert found["absence_pct"] == pytest.approx(100 * lost / (2 * working))
    assert found["available_fte_mean"] == pytest.approx(
        ((working - lost) + 0.5 * working) / working
    )
    busy = working / 2 + working / 4
    assert found["worker_utilisation_pct"] == pytest.approx(100 * busy / (2 * working - lost))
    # No post changes hands: nothing vacant, no agency worker, nobody left.
    assert found["vacancy_rate_pct"] == 0 and found["agency_share_pct"] == 0
    assert found["staff_turnover_pct"] == 0


def test_vacancies_agency_cover_and_turnover_from_the_posts_histories() -> None:
    # Post 0: permanent to Monday 7 June, vacant a week, an agency worker for a week, then a
    # permanent recruit from 21 June. Post 1: permanent throughout.
    left, agency, recruit = MONDAY, MONDAY + 7, MONDAY + 14
    history = PostHistory(
        0.0,
        changes=[
            (0.0, PERMANENT, "sw", -1.0),
            (left, VACANT, "sw", -1.0),
            (agency, AGENCY, "sw", agency),
            (recruit, PERMANENT, "sw", recruit),
        ],
    )
    steady = PostHistory(0.0, changes=[(0.0, PERMANENT, "sw", -1.0)])
    log = events((left, "holder_left", -1, 0, 0.0))
    found = kpis(log=log, posts=[post(0, history=history), post(1, history=steady)])
    working = run(measured=WINDOW).calendar.working_hours_between(*WINDOW) / 24
    week = 5 * HOURS_PER_DAY
    assert found["vacancy_rate_pct"] == pytest.approx(100 * 2 * week / (2 * working))
    assert found["agency_share_pct"] == pytest.approx(100 * week / (2 * working - week))
    permanent = 2 * working - 2 * week
    years = (WINDOW[1] - WINDOW[0]) / 365.25
    assert found["staff_turnover_pct"] == pytest.approx(100 / (permanent / working) / years)


def test_sign_off_recording_and_quality_read_their_own_results() -> None:
    log = events(
        (day(0), "assessment_signed_off", 1, 5, 1.0),
        (day(1), "assessment_signed_off", 2, 5, 3.0),
        (day(2), "assessment_rated", 1, 0, 1.0),
        (day(3), "assessment_rated", 2, 0, 0.0),
        (day(4), "assessment_rated", 3, 0, 0.0),
        (day(5), "assessment_rated", 4, 0, 0.0),
    )
    recording = {
        "done_at": np.array([day(0), day(0), day(1)]),
        "due_at": np.array([day(5), day(5), day(6)]),
        "written_at": np.array([day(4), day(6), math.nan]),  # on time, late, never
    }
    timeseries = [
        {"day": 55.0, "recording_backlog_hours_per_worker": 100.0},  # before the window
        {"day": 62.0, "recording_backlog_hours_per_worker": 2.0},
        {"day": 69.0, "recording_backlog_hours_per_worker": 4.0},
    ]
    found = kpis(log=log, mechanisms={"recording": recording}, timeseries=timeseries)
    assert found["assessment_sign_off_days_p90"] == pytest.approx(np.quantile([1.0, 3.0], 0.9))
    assert found["inadequate_assessment_pct"] == 25.0
    assert found["recording_overdue_pct"] == pytest.approx(200 / 3)
    assert found["recording_backlog_hours_mean"] == 3.0
    without = kpis(log=log)
    assert math.isnan(without["recording_overdue_pct"])
    assert math.isnan(without["recording_backlog_hours_mean"])


def test_supervision_is_sampled_daily_against_the_standard() -> None:
    # A social worker supervised every 30 days is in standard; one never supervised is out of
    # standard from day 31 (the start of the run counts as a session).
    sessions = {
        "supervised": np.array([0, 1]),
        "worker": np.array([0, 0, 0, 0]),
        "held_at": np.array([25.0, 55.0, 85.0, 115.0]),
    }
    posts = [post(0), post(1)]
    found = kpis(posts=posts, mechanisms={"supervision": sessions})
    days = np.arange(60.0, 120.0 + 1e-9)
    gaps_0 = days - np.array([max(t for t in (0, 25, 55, 85, 115) if t <= d) for d in days])
    gaps_1 = days
    out = (gaps_0 > 30).sum() + (gaps_1 > 30).sum()
    assert found["supervision_out_of_standard_pct"] == pytest.approx(100 * out / (2 * len(days)))
    both = np.concatenate([gaps_0, gaps_1])
    assert found["days_since_supervision_p90"] == pytest.approx(np.quantile(both, 0.9))
    assert found["days_since_supervision_max"] == 120.0
    assert math.isnan(kpis(posts=posts)["supervision_out_of_standard_pct"])


def test_a_period_is_measured_over_its_own_dates_and_busy_time() -> None:
    periods = [Period("start", 60.0, 90.0, 60.0), Period("after", 90.0, 120.0, 95.0)]
    table = cases(
        {"referral_at": 70.0, "decided_at": 70.0},
        {"referral_at": 100.0, "decided_at": 100.0},
        {"referral_at": 110.0, "decided_at": 110.0},
    )
    posts = [post(0, busy_days=3.0, busy_by_period=[1.0, 2.0])]
    result = run(measured=WINDOW, case_table=table, periods=periods, posts=posts)
    whole, first, second = (compute_kpis(result, p) for p in (None, 0, 1))
    assert (whole["referrals_count"], first["referrals_count"], second["referrals_count"]) == (
        3,
        1,
        2,
    )
    calendar = result.calendar
    for values, (start, end), busy in ((first, (60.0, 90.0), 1.0), (second, (90.0, 120.0), 2.0)):
        working = calendar.working_hours_between(start, end) / 24
        assert values["worker_utilisation_pct"] == pytest.approx(100 * busy / working)


def test_every_kpi_is_computed_and_nan_when_there_is_nothing_to_count() -> None:
    found = kpis()
    assert list(found) == kpis_for_regime("wt2010")
    counts = {name for name in found if KPIS[name].unit == "count"}
    for name, value in found.items():
        # Levels over the window are 0 (nobody waiting, nothing open, no staff at work, no
        # staff to pay).
        levels = ("unallocated_referrals_mean", "open_cases_mean", "available_fte_mean")
        if name in counts or name in levels or KPIS[name].unit == "£/year":
            assert value == 0, name
        else:
            assert math.isnan(value), name


def test_the_counts_a_published_year_gives() -> None:
    """Assessments count when completed, enquiries when started, conferences when held, plans
    when a conference makes one; a milestone outside the window, or never reached, does not."""
    start = {"referral_at": day(0), "strategy_at": day(0)}
    table = cases(
        {
            "referral_at": day(0),
            "initial_assessment_done_at": day(1),
            "core_assessment_start_at": day(2),
            "core_assessment_done_at": day(20),
        },
        {  # both completed outside the window
            "referral_at": 20.0,
            "initial_assessment_done_at": 30.0,
            "core_assessment_start_at": 31.0,
            "core_assessment_done_at": 130.0,
        },
        {
            **start,
            "initial_assessment_done_at": day(3),
            "s47_start_at": day(3),
            "icpc_at": day(15),
            "outcome": "cp_plan",
            "plan_if_conference": True,
        },
        {**start, "s47_start_at": day(4), "icpc_at": day(16), "outcome": "cin"},
        {  # started before the window
            "referral_at": 40.0,
            "strategy_at": 45.0,
            "s47_start_at": 50.0,
            "icpc_at": day(2),
            "outcome": "cp_plan",
            "plan_if_conference": True,
        },
        {**start, "s47_start_at": day(5)},  # no conference (yet)
        {  # the conference made a plan; the case is still open (its core assessment)
            **start,
            "s47_start_at": day(6),
            "icpc_at": day(17),
            "plan_if_conference": True,
        },
        {  # a plan made after the window
            **start,
            "s47_start_at": day(6),
            "icpc_at": 130.0,
            "plan_if_conference": True,
        },
    )
    found = kpis(case_table=table)
    assert found["initial_assessments_count"] == 2
    assert found["core_assessments_count"] == 1
    assert found["s47_enquiries_count"] == 5
    assert found["icpcs_count"] == 4
    assert found["cp_plans_count"] == 3
    assert "single_assessments_count" not in found  # not reported under Working Together 2010
