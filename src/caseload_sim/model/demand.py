"""Demand: when contacts arrive and what each one will turn out to need.

Contacts arrive as a non-homogeneous Poisson process whose rate is constant within each working
day (the mean rate times the weekday and month profiles). A share arrives out of hours, in the
night or weekend before the working day, and waits for the day service. Everything random about a
contact (whether it becomes a referral, its tier, complexity, the effort each piece of work will
need, what each assessment leads to, whether it comes back) is drawn when it arrives, from streams
that no staffing decision touches: two scenarios on one seed see the same children.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from caseload_sim.scenario.schema import TIERS

if TYPE_CHECKING:
    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.randomness import RandomStreams
    from caseload_sim.scenario.schema import Effort, Scenario

#: Pieces of work whose effort is drawn for every contact, in a fixed order (stream layout).
EFFORT_KINDS = (
    "screening",
    "initial_assessment",
    "core_assessment",
    "single_assessment",
    "s47_enquiry",
    "strategy_discussion",
    "handover",
)
#: Effort that a referral's complexity weight scales (the casework, not screening or meetings).
_COMPLEXITY_SCALED = (
    "initial_assessment",
    "core_assessment",
    "single_assessment",
    "s47_enquiry",
    "handover",
)
#: Uniform draws for outcomes, in a fixed order (stream layout); the draw deciding whether a
#: referral closes at its decision (``referral_nfa``) comes after all of them.
OUTCOME_DRAWS = ("first_assessment", "core_assessment", "icpc", "cp_plan", "no_icpc", "closure")
#: Uniform draws for the quality of each kind of assessment, in a fixed order (stream layout).
QUALITY_DRAWS = ("initial_assessment", "core_assessment", "single_assessment")

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass
class CaseSpecs:
    """What a batch of contacts will need, one array element per contact."""

    is_referral: np.ndarray  # bool
    tier: np.ndarray  # index into TIERS
    complexity: np.ndarray  # effort multiplier
    effort: dict[str, np.ndarray]  # hours, by EFFORT_KINDS
    outcome_draw: dict[str, np.ndarray]  # uniforms in [0, 1), by OUTCOME_DRAWS
    returns: np.ndarray  # bool: comes back after closure
    return_after_days: np.ndarray
    police_delay_hours: np.ndarray
    return_draw: np.ndarray  # the uniform behind ``returns`` (an inadequate assessment raises it)
    quality_draw: dict[str, np.ndarray]  # uniforms in [0, 1), by QUALITY_DRAWS

    def __len__(self) -> int:
        return len(self.tier)

    def take(self, index: np.ndarray) -> CaseSpecs:
        """The specs of some contacts, in the given order."""
        values: dict[str, Any] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, dict):
                values[field.name] = {k: v[index] for k, v in value.items()}
            else:
                values[field.name] = value[index]
        return CaseSpecs(**values)


def effort_from_uniform(effort: Effort, u: np.ndarray) -> np.ndarray:
    """Effort hours by inversion of the distribution function.

    Inversion keeps common random numbers when a scenario changes an effort's mean or spread: the
    same child's draw moves monotonically instead of being replaced.
    """
    mean = effort.mean_hours
    if mean == 0 or effort.distribution == "fixed":
        return np.full(u.shape, mean)
    if effort.distribution == "exponential" or (effort.cv == 1 and effort.distribution == "gamma"):
        return -mean * np.log1p(-u)
    if effort.cv == 0:
        return np.full(u.shape, mean)
    from scipy import special  # only here: the exponential and fixed cases need no scipy

    if effort.distribution == "gamma":
        shape = 1.0 / effort.cv**2
        return special.gammaincinv(shape, u) * (mean / shape)
    sigma2 = np.log1p(effort.cv**2)
    return np.exp(np.log(mean) - sigma2 / 2 + np.sqrt(sigma2) * special.ndtri(u))


class CaseTables:
    """What drawing a contact's needs takes from the scenario, worked out once per run (a run
    draws returning children's needs one at a time)."""

    def __init__(self, scenario: Scenario) -> None:
        demand = scenario.demand
        self.referral_conversion = demand.referral_conversion
        self.re_referral_probability = demand.re_referral_probability
        self.re_referral_window_days = demand.re_referral_window_days
        tier_cumulative = np.cumsum([getattr(demand.tier_mix, t) for t in TIERS])
        self.tier_edges = tier_cumulative / tier_cumulative[-1]
        share_cumulative = np.cumsum(demand.complexity_shares)
        self.level_edges = share_cumulative / share_cumulative[-1]
        self.complexity_weights = np.asarray(demand.complexity_weights, dtype=float)
        table = scenario.pathway.effort
        self.efforts = [
            (kind, getattr(table, kind), kind in _COMPLEXITY_SCALED) for kind in EFFORT_KINDS
        ]
        self.police_delay = scenario.partners.police.delay


def draw_case_specs(
    scenario: Scenario | CaseTables,
    attributes: np.random.Generator,
    effort_rng: np.random.Generator,
    outcomes: np.random.Generator,
    partners: np.random.Generator,
    n: int,
    quality: np.random.Generator | None = None,
    decided: bool = False,
) -> CaseSpecs:
    """Draw the needs of ``n`` contacts; each stream's draws have a fixed layout per contact.

    ``quality`` defaults to the attributes generator; its draws come last, so they never move
    the draws of the other purposes. ``scenario`` may be given as its :class:`CaseTables`,
    already worked out (as for each returning child). ``decided`` cases (open before the run
    began) are past their referral's decision and draw nothing for it.
    """
    tables = scenario if isinstance(scenario, CaseTables) else CaseTables(scenario)
    # attributes: conversion, tier, complexity, return, return delay (5 per contact)
    u = attributes.random((n, 5))
    is_referral = u[:, 0] < tables.referral_conversion
    tier = np.minimum(np.searchsorted(tables.tier_edges, u[:, 1], side="right"), len(TIERS) - 1)
    level = np.minimum(
        np.searchsorted(tables.level_edges, u[:, 2], side="right"), len(tables.level_edges) - 1
    )
    complexity = tables.complexity_weights[level]
    returns = u[:, 3] < tables.re_referral_probability
    return_after = u[:, 4] * tables.re_referral_window_days

    effort_u = effort_rng.random((n, len(EFFORT_KINDS)))
    effort = {}
    for column, (kind, distribution, scaled) in enumerate(tables.efforts):
        hours = effort_from_uniform(distribution, effort_u[:, column])
        effort[kind] = hours * complexity if scaled else hours
    outcome_u = outcomes.random((n, len(OUTCOME_DRAWS)))
    outcome_draw = {name: outcome_u[:, i] for i, name in enumerate(OUTCOME_DRAWS)}
    police = effort_from_uniform(tables.police_delay, partners.random(n))
    quality_u = (quality or attributes).random((n, len(QUALITY_DRAWS)))
    quality_draw = {name: quality_u[:, i] for i, name in enumerate(QUALITY_DRAWS)}
    # Drawn after every other purpose, so that adding it moved none of their draws.
    outcome_draw["referral_nfa"] = np.ones(n) if decided else outcomes.random(n)
    return CaseSpecs(
        is_referral,
        tier,
        complexity,
        effort,
        outcome_draw,
        returns,
        return_after,
        police,
        u[:, 3].copy(),
        quality_draw,
    )


def contacts_per_working_day(scenario: Scenario, calendar: WorkingCalendar) -> float:
    """The mean contact rate per working day, whichever way the scenario gives it."""
    demand = scenario.demand
    if demand.contacts_per_working_day is not None:
        return demand.contacts_per_working_day
    assert demand.contacts_per_year is not None
    return demand.contacts_per_year / calendar.working_days_in_year_from(calendar.start_date)


def _working_day_rates(
    scenario: Scenario, calendar: WorkingCalendar
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Working windows over the run and the expected contacts attributed to each."""
    horizon = scenario.simulation.horizon_days
    if calendar.kind == "continuous":
        # Every day is a working day; the weekday profile describes Monday to Friday only.
        starts = np.arange(0.0, np.ceil(horizon))
        ends = np.minimum(starts + 1.0, horizon)
        full_length = 1.0
    else:
        starts, ends = calendar.working_windows(0.0, horizon)
        full_length = calendar.hours_per_day / 24.0
    demand = scenario.demand
    weekday = np.array([getattr(demand.weekday_profile, d) for d in _WEEKDAYS])
    weekday = np.append(weekday / weekday.mean(), [1.0, 1.0])
    month = np.array([getattr(demand.month_profile, m) for m in _MONTHS])
    month = month / month.mean()
    dates = np.datetime64(calendar.start_date, "D") + np.floor(starts).astype("int64")
    weekday_index = (dates.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday
    month_index = dates.astype("datetime64[M]").astype("int64") % 12
    # A partial last window gets its share of the day's contacts.
    coverage = np.clip((ends - starts) / full_length, 0.0, 1.0)
    rate = (
        contacts_per_working_day(scenario, calendar)
        * weekday[weekday_index]
        * month[month_index]
        * coverage
    )
    return starts, ends, rate


def _uniform_in(
    starts: np.ndarray, ends: np.ndarray, counts: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    return np.repeat(starts, counts) + rng.random(counts.sum()) * np.repeat(ends - starts, counts)


def contact_arrival_times(
    scenario: Scenario, calendar: WorkingCalendar, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Arrival times (days, sorted) of the contacts over the run, and which came out of hours."""
    starts, ends, rate = _working_day_rates(scenario, calendar)
    share = scenario.demand.out_of_hours_share
    in_hours = rng.poisson(rate * (1.0 - share))
    out_of_hours = rng.poisson(rate * share)
    day_times = _uniform_in(starts, ends, in_hours, rng)
    # Out-of-hours contacts arrive between the end of the previous working day and this one.
    previous_end = np.concatenate([[0.0], ends[:-1]])
    night_times = _uniform_in(np.minimum(previous_end, starts), starts, out_of_hours, rng)
    times = np.concatenate([day_times, night_times])
    ooh = np.concatenate([np.zeros(len(day_times), bool), np.ones(len(night_times), bool)])
    order = np.argsort(times, kind="stable")
    return times[order], ooh[order]


def draw_history_returns(
    scenario: Scenario, calendar: WorkingCalendar, streams: RandomStreams
) -> tuple[np.ndarray, np.ndarray, CaseSpecs]:
    """Re-referrals of children whose earlier case left before the run began.

    Without them a run would start with no children able to come back, and re-referrals (and
    the demand they bring) would ramp up over the first re-referral window. In a steady state
    returns arrive at p / (1 - p) times the rate of new referrals (p the re-referral
    probability); a child returning at time t left uniformly within the window before it, so
    the share of returns whose earlier case left before the start falls linearly from 1 at the
    start to 0 one window later. Returns the arrival times, the earlier referral times
    (negative: before the start) and the needs.
    """
    demand = scenario.demand
    p = demand.re_referral_probability
    window = demand.re_referral_window_days
    rng = streams["history"]
    starts, ends, rate = _working_day_rates(scenario, calendar)
    intensity = (
        rate * demand.referral_conversion * p / (1.0 - p) * np.clip(1.0 - starts / window, 0.0, 1.0)
    )
    counts = rng.poisson(intensity)
    times = np.sort(_uniform_in(starts, ends, counts, rng))
    previous = times - window + rng.random(len(times)) * (window - times)
    specs = draw_case_specs(scenario, rng, rng, rng, rng, len(times))
    specs.is_referral[:] = True
    return times, previous, specs


def draw_contacts(
    scenario: Scenario, calendar: WorkingCalendar, streams: RandomStreams
) -> tuple[np.ndarray, np.ndarray, CaseSpecs]:
    """All first contacts of a run: arrival times, out-of-hours flags and needs."""
    times, ooh = contact_arrival_times(scenario, calendar, streams["arrivals"])
    specs = draw_case_specs(
        scenario,
        streams["attributes"],
        streams["effort"],
        streams["outcomes"],
        streams["partners"],
        len(times),
        quality=streams["quality"],
    )
    return times, ooh, specs


def draw_returning_case(
    scenario: Scenario | CaseTables, streams: RandomStreams, child: int, episode: int
) -> CaseSpecs:
    """The needs of a child's later episode, from a stream keyed by child and episode."""
    rng = streams.keyed("re_referrals", child, episode)
    specs = draw_case_specs(scenario, rng, rng, rng, rng, 1)
    specs.is_referral[:] = True  # a closed case that comes back is a referral by definition
    return specs
