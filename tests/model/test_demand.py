"""Demand: contacts arrive at the rate and on the days asked for, and each one's needs are
drawn as the scenario says, from streams that staffing never touches."""

from __future__ import annotations

import math

import numpy as np
import pytest

from caseload_sim.model.context import build_calendar
from caseload_sim.model.demand import (
    EFFORT_KINDS,
    contacts_per_working_day,
    draw_case_specs,
    draw_contacts,
    draw_history_returns,
    draw_returning_case,
    effort_from_uniform,
)
from caseload_sim.randomness import RandomStreams
from caseload_sim.scenario.schema import TIERS, Effort
from handmade import scenario

YEAR = ("simulation.horizon_days=365", "simulation.warmup_days=0")


def within_sigmas(count: float, expected: float, sigmas: float = 4.0) -> bool:
    """A Poisson or binomial count against its expectation (4 standard errors)."""
    return abs(count - expected) <= sigmas * math.sqrt(expected)


def test_contacts_arrive_at_the_yearly_rate() -> None:
    county = scenario(*YEAR)
    calendar = build_calendar(county)
    per_day = contacts_per_working_day(county, calendar)
    assert per_day * calendar.working_days_in_year_from(county.simulation.start_date) == (
        pytest.approx(22_000)
    )
    working_days = len(calendar.working_windows(0.0, 365.0)[0])
    counts = []
    for replication in range(3):
        times, out_of_hours, specs = draw_contacts(county, calendar, RandomStreams(1, replication))
        assert np.all(np.diff(times) >= 0)  # in time order
        assert len(specs) == len(times) == len(out_of_hours)
        counts.append(len(times))
    # The profiles move the expectation a little with the mix of days; the mean of three years
    # is within 2% of the rate times the working days.
    assert np.mean(counts) == pytest.approx(per_day * working_days, rel=0.02)


def test_out_of_hours_contacts_arrive_outside_the_working_day() -> None:
    county = scenario(*YEAR)
    calendar = build_calendar(county)
    times, out_of_hours, _ = draw_contacts(county, calendar, RandomStreams(2, 0))
    share = out_of_hours.mean()
    assert abs(share - 0.2) < 4 * math.sqrt(0.2 * 0.8 / len(times))
    for time, night in zip(times[:2000].tolist(), out_of_hours[:2000].tolist(), strict=True):
        # In a working window, the next working start is now; out of hours, it is later.
        assert (calendar.next_working_start(time) > time) == night


def test_the_weekday_profile_shapes_the_week() -> None:
    county = scenario(*YEAR, "demand.out_of_hours_share=0")
    calendar = build_calendar(county)
    times, _, _ = draw_contacts(county, calendar, RandomStreams(3, 0))
    weekdays = np.array([calendar.to_date(t).weekday() for t in times.tolist()])
    mondays, fridays = (weekdays == 0).sum(), (weekdays == 4).sum()
    # Monday 1.15, Friday 0.85, over about as many of each (bank holidays fall on both).
    ratio = mondays / fridays
    assert 1.15 / 0.85 * 0.85 < ratio < 1.15 / 0.85 * 1.15


def test_each_contacts_needs_follow_the_scenario() -> None:
    county = scenario()
    n = 40_000
    rng = np.random.default_rng(5)
    specs = draw_case_specs(county, rng, rng, rng, rng, n)
    assert within_sigmas(specs.is_referral.sum(), county.demand.referral_conversion * n)
    for rank, tier in enumerate(TIERS):
        share = getattr(county.demand.tier_mix, tier)
        assert within_sigmas((specs.tier == rank).sum(), share * n), tier
    assert set(np.unique(specs.complexity)) == {0.75, 1.0, 1.5}
    assert within_sigmas((specs.complexity == 1.0).sum(), 0.5 * n)
    # Casework effort scales with complexity; screening does not.
    for kind in EFFORT_KINDS:
        mean = getattr(county.pathway.effort, kind).mean_hours
        scaled = kind not in ("screening", "strategy_discussion")
        expected = mean * (specs.complexity.mean() if scaled else 1.0)
        assert specs.effort[kind].mean() == pytest.approx(expected, rel=0.03), kind
    p = county.demand.re_referral_probability
    assert within_sigmas(specs.returns.sum(), p * n)
    assert np.array_equal(specs.returns, specs.return_draw < p)


@pytest.mark.parametrize("distribution", ["exponential", "gamma", "lognormal", "fixed"])
def test_effort_by_inversion_has_the_mean_and_keeps_the_order_of_the_draws(
    distribution: str,
) -> None:
    effort = Effort(distribution=distribution, mean_hours=4.0, cv=0.6)
    u = np.random.default_rng(7).random(100_000)
    hours = effort_from_uniform(effort, u)
    assert hours.mean() == pytest.approx(4.0, rel=0.02)
    if distribution in ("gamma", "lognormal"):
        assert hours.std() / hours.mean() == pytest.approx(0.6, rel=0.03)
    # Common random numbers: a larger mean moves every child's effort up, never down.
    more = effort_from_uniform(Effort(distribution=distribution, mean_hours=6.0, cv=0.6), u)
    assert np.all(more >= hours)
    order = np.argsort(u)
    assert np.all(np.diff(hours[order]) >= -1e-12)


def test_returns_of_children_seen_before_the_run_fade_over_the_first_window() -> None:
    county = scenario(*YEAR)
    calendar = build_calendar(county)
    first = second = 0
    # Ten replications pooled: a few thousand returns, so the ratio below has a standard error
    # of about 0.05.
    for replication in range(10):
        times, previous, specs = draw_history_returns(
            county, calendar, RandomStreams(8, replication)
        )
        assert specs.is_referral.all()
        assert np.all(previous < 0) and np.all(times - previous <= 365.0 + 1e-9)
        assert not (times >= 365.0).any()
        first += (times < 120).sum()
        second += ((times >= 120) & (times < 240)).sum()
    # The intensity falls linearly to 0 one window after the start: the first 120 days have
    # 1.65 times the returns of the next 120 (the profiles move this a little).
    assert 1.4 < first / second < 1.9


def test_a_childs_later_episode_is_the_same_in_any_run_of_the_seed() -> None:
    county = scenario()
    one = draw_returning_case(county, RandomStreams(9, 0), child=17, episode=2)
    again = draw_returning_case(county, RandomStreams(9, 0), child=17, episode=2)
    other = draw_returning_case(county, RandomStreams(9, 0), child=18, episode=2)
    assert one.is_referral.all()
    for kind in EFFORT_KINDS:
        assert one.effort[kind] == again.effort[kind]
    assert one.effort["initial_assessment"] != other.effort["initial_assessment"]
