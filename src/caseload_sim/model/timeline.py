"""Dated changes applied to the running service: a re-organisation, new posts, new rules.

At 00:00 of each timeline entry's date the service takes up the next stage (see
:mod:`caseload_sim.scenario.timeline`):

- grade terms (caps, hours, casework share) apply to every post of the grade from then on;
- staff counts are met first by moving posts between teams (a worker moved keeps their cases),
  then by abolishing posts (their cases are re-allocated) or creating posts, which stay empty
  for the entry's recruitment lag;
- the allocation rules, weights and eligibility apply to allocations from then on, and cases
  held by a worker who may no longer hold them are re-allocated (unless the entry says not to);
- training, if the entry turns it on, starts then;
- with a transition dip, every worker delivers that share less effort for the transition.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from caseload_sim.scenario.schema import GRADES

if TYPE_CHECKING:
    import simpy

    from caseload_sim.model.allocation import AllocationBoard
    from caseload_sim.model.staff import Staff
    from caseload_sim.model.worktime import Worker
    from caseload_sim.scenario.schema import Scenario, Team
    from caseload_sim.scenario.timeline import Stage

#: Called with the service before a dated change and the service after it.
StageChanged = Callable[["Scenario", "Scenario"], None]


def follow_timeline(
    staff: Staff, board: AllocationBoard, stages: list[Stage], stage_changed: StageChanged
) -> Generator[simpy.Event, Any, None]:
    """A process that applies each stage after the first at 00:00 of its date."""
    env = staff.env
    calendar = staff.ctx.calendar
    for position, stage in enumerate(stages[1:], start=1):
        when = calendar.from_date(stage.date)
        if when > env.now:
            yield env.timeout(when - env.now)
        apply_stage(staff, board, stage, position, stage_changed)


def apply_stage(
    staff: Staff,
    board: AllocationBoard,
    stage: Stage,
    position: int,
    stage_changed: StageChanged,
) -> None:
    """Change the running service into ``stage``."""
    entry = stage.entry
    assert entry is not None
    previous = staff.current
    staff.current = scenario = stage.scenario
    staff.ctx.log.record(staff.env.now, "dated_change", -1, value=float(position))
    # Nothing is allocated until the whole change is in place: the new caps and rules first,
    # then the posts, then the cases that must move.
    board.hold_allocation = True
    for worker in staff.posts.workers.values():
        staff.apply_grade_terms(worker)
    _restaff(staff, scenario.workforce.teams, entry.recruitment_lag_wd)
    staff.refresh()
    if entry.reallocate_ineligible:
        for worker in staff.case_holders:
            for referral in list(worker.held.values()):
                if not board.may_lead(worker, referral.tier_rank):
                    staff.hand_on(referral)
    stage_changed(previous, scenario)
    if entry.transition_dip_pct > 0 and entry.transition_wd > 0:
        staff.add_dip(entry.transition_dip_pct / 100.0, entry.transition_wd)
    board.hold_allocation = False
    board.allocate()


def _restaff(staff: Staff, teams: dict[str, Team], recruitment_lag_wd: float) -> None:
    posts = staff.posts
    for grade in GRADES:
        excess: dict[str, list[Worker]] = {}
        short: list[str] = []
        for name in sorted(set(teams) | {w.team for w in posts.workers.values()}):
            wanted = getattr(teams[name].staff, grade) if name in teams else 0
            # Staff tables count posts at their established grade, whoever holds them now.
            open_posts = [
                w
                for w in posts.workers.values()
                if w.team == name and w.post_grade == grade and posts.is_open(w)
            ]
            if len(open_posts) > wanted:
                excess[name] = open_posts
            short += [name] * (wanted - len(open_posts))
        counts = {
            name: len(workers) - _wanted(teams, name, grade) for name, workers in excess.items()
        }
        movers, abolished = _split_excess(excess, counts, len(short))
        # People move with their posts (and the cases they hold)...
        for name in short:
            if movers:
                movers.pop(0).team = name
            else:
                staff.new_post(name, grade, recruitment_lag_wd)
        # ...and what is still too many is abolished, empty posts first.
        for worker in abolished:
            staff.close_post(worker)


def _split_excess(
    excess: dict[str, list[Worker]], counts: dict[str, int], moves: int
) -> tuple[list[Worker], list[Worker]]:
    """Which surplus posts move and which are abolished: as many empty posts as possible are
    abolished, and held posts move (each team losing exactly its surplus)."""
    abolish_total = sum(counts.values()) - min(moves, sum(counts.values()))
    empty = {team: sum(not w.in_post for w in workers) for team, workers in excess.items()}
    abolish = {team: min(empty[team], counts[team]) for team in excess}
    teams = sorted(excess)
    for team in reversed(teams):  # too many empty posts to abolish: keep some to move
        while sum(abolish.values()) > abolish_total and abolish[team] > 0:
            abolish[team] -= 1
    for team in teams:  # too few: abolish held posts too
        while sum(abolish.values()) < abolish_total and abolish[team] < counts[team]:
            abolish[team] += 1
    movers: list[Worker] = []
    abolished: list[Worker] = []
    for team in teams:
        # Empty posts first for abolition, held posts first for moving; recent posts first.
        by_emptiness = sorted(excess[team], key=lambda w: (w.in_post, -w.index))
        gone = by_emptiness[: abolish[team]]
        abolished += gone
        staying = [w for w in excess[team] if w not in gone]
        movers += sorted(staying, key=lambda w: (not w.in_post, -w.index))[
            : counts[team] - abolish[team]
        ]
    movers.sort(key=lambda w: (not w.in_post, -w.index))
    return movers, abolished


def _wanted(teams: dict[str, Team], name: str, grade: str) -> int:
    return getattr(teams[name].staff, grade) if name in teams else 0
