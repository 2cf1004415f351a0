"""The post accounting the KPIs need: each post's working time in a window of the run, held,
absent, vacant and covered by an agency worker, from the run's post records.

Times are working time in days of the clock (hours of working time / 24 on the england
calendar), so that shares of them are shares of the working week.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.model.results import AGENCY, PERMANENT, PostHistory, PostRecord, RunResult

_DAY_HOURS = 24.0


@dataclass
class PostAccount:
    """One post of a run over one window (the measured window, or one of its periods)."""

    index: int
    #: the grade at the end of the window, and the team at the end of the run
    grade: str
    team: str
    holds_cases: bool
    #: working time spent on work
    busy_days: float
    #: working time with the post held, less absence
    available_days: float
    #: working time with the post held, lost to leave, sickness and training
    absent_days: float
    #: the post's FTE, averaged over the window
    fte: float
    #: working time the post existed
    established_days: float = 0.0
    #: ...without a permanent holder (vacant, whether or not an agency worker covered it)
    vacant_days: float = 0.0
    #: ...held by an agency worker
    agency_days: float = 0.0
    #: who held the post and at what grade, from when (None: one permanent holder throughout)
    history: PostHistory | None = None


def working_time(calendar: WorkingCalendar, start: float, end: float) -> float:
    """Working time between two model times, in days of the clock."""
    if calendar.kind == "continuous":
        return end - start
    return calendar.working_hours_between(start, end) / _DAY_HOURS


def absent_working_days(
    spells: list[tuple[float, float]], calendar: WorkingCalendar, start: float, end: float
) -> float:
    """Working time (in days of the clock) lost to the spells within [start, end]."""
    lost = 0.0
    for first, last in spells:
        a, b = max(first, start), min(last, end)
        if b <= a:
            continue
        if calendar.kind == "continuous":
            lost += b - a
        else:
            lost += calendar.working_hours_between(a, b) / _DAY_HOURS
    return lost


def busy_parts(result: RunResult, start: float, end: float) -> range | None:
    """Which of the posts' counted parts of busy time make up ``[start, end]`` (None: the whole
    measured window, counted as ``busy_days``).

    Raises ``ValueError`` for a window whose ends are not among the run's ``busy_bounds``:
    busy time was not counted apart there.
    """
    if start == result.measured_from and end == result.measured_to:
        return None
    bounds = result.busy_bounds
    if not bounds and result.periods:  # a result made without them (by hand)
        bounds = [p.start for p in result.periods] + [result.periods[-1].end]
    if start not in bounds or end not in bounds:
        raise ValueError(
            f"a window from day {start:g} to {end:g} does not end where the run counted busy "
            f"time apart ({', '.join(f'{b:g}' for b in bounds)}): simulate with those splits"
        )
    return range(bounds.index(start), bounds.index(end))


def post_accounts(result: RunResult, start: float, end: float) -> list[PostAccount]:
    """Every post's working time over ``[start, end]``: the measured window, or a window whose
    ends are among the run's ``busy_bounds`` (a period, or a window asked for)."""
    calendar = result.calendar
    window = working_time(calendar, start, end)
    parts = busy_parts(result, start, end)
    accounts = []
    for post in result.posts:
        busy = post.busy_days if parts is None else sum(post.busy_by_period[k] for k in parts)
        history = post.history
        if history is None:
            lost = absent_working_days(post.absences, calendar, start, end)
            accounts.append(
                PostAccount(
                    post.index,
                    post.grade,
                    post.team,
                    post.holds_cases,
                    busy,
                    window - lost,
                    lost,
                    post.fte,
                    established_days=window,
                )
            )
            continue
        established = (
            working_time(
                calendar, max(start, history.established_from), min(end, history.established_to)
            )
            if min(end, history.established_to) > max(start, history.established_from)
            else 0.0
        )
        held = history.spells(start, end, (PERMANENT, AGENCY))
        agency = history.spells(start, end, (AGENCY,))
        permanent = sum(
            working_time(calendar, a, b) for a, b in history.spells(start, end, (PERMANENT,))
        )
        lost = sum(absent_working_days(post.absences, calendar, a, b) for a, b in held)
        in_post = sum(working_time(calendar, a, b) for a, b in held)
        grade = post.grade
        for time, _holder, changed_grade, _since in history.changes:
            if time <= end:
                grade = changed_grade
        accounts.append(
            PostAccount(
                post.index,
                grade,
                post.team,
                post.holds_cases,
                busy,
                in_post - lost,
                lost,
                mean_fte(post, start, end),
                established_days=established,
                vacant_days=max(0.0, established - permanent),
                agency_days=sum(working_time(calendar, a, b) for a, b in agency),
                history=history,
            )
        )
    return accounts


def mean_fte(post: PostRecord, start: float, end: float) -> float:
    """The post's FTE averaged over [start, end] (a dated change may alter it)."""
    changes = post.fte_changes
    if len(changes) == 1 or end <= start:
        return post.fte
    total = 0.0
    for position, (since, fte) in enumerate(changes):
        until = changes[position + 1][0] if position + 1 < len(changes) else float("inf")
        total += fte * max(0.0, min(until, end) - max(since, start))
    return total / (end - start)


def held_spells(post: PostAccount, start: float, end: float) -> list[tuple[float, float]]:
    """When the post was held within [start, end] (the whole window for a post never vacant)."""
    if post.history is None:
        return [(start, end)]
    return post.history.spells(start, end, (PERMANENT, AGENCY))
