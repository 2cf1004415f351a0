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

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from caseload_sim.scenario.schema import GRADES

if TYPE_CHECKING:
    import simpy

    from caseload_sim.model.frontdoor import FrontDoor
    from caseload_sim.model.worktime import Worker
    from caseload_sim.scenario.timeline import Stage


def follow_timeline(door: FrontDoor, stages: list[Stage]) -> Generator[simpy.Event, Any, None]:
    """A process that applies each stage after the first at 00:00 of its date."""
    env = door.env
    for position, stage in enumerate(stages[1:], start=1):
        when = door.calendar.from_date(stage.date)
        if when > env.now:
            yield env.timeout(when - env.now)
        apply_stage(door, stage, position)


def apply_stage(door: FrontDoor, stage: Stage, position: int) -> None:
    """Change the running service into ``stage``."""
    entry = stage.entry
    assert entry is not None
    previous = door.current
    door.current = scenario = stage.scenario
    door.log.record(door.env.now, "dated_change", -1, value=float(position))
    # Nothing is allocated until the whole change is in place: the new caps and rules first,
    # then the posts, then the cases that must move.
    door.board.hold_allocation = True
    for worker in door.posts.workers.values():
        door.apply_grade_terms(worker)
    _restaff(door, scenario.workforce.teams, entry.recruitment_lag_wd)
    door.refresh_staff()
    if entry.reallocate_ineligible:
        for worker in door.case_holders:
            for referral in list(worker.held.values()):
                if not door.board.may_lead(worker, referral.tier_rank):
                    door.hand_on(referral)
    training, before = scenario.workforce.training, previous.workforce.training
    # A roll-out starts when training is switched on or given a new start; a new effect alone
    # changes what training does, not who goes on it.
    if training.enabled and (
        not before.enabled
        or (training.start_day, training.rollout_days, training.days_away)
        != (before.start_day, before.rollout_days, before.days_away)
    ):
        door.schedule_training(training, begins=max(door.env.now, training.start_day))
    if entry.transition_dip_pct > 0 and entry.transition_wd > 0:
        _dip(door, entry.transition_dip_pct / 100.0, entry.transition_wd)
    door.board.hold_allocation = False
    door.board.allocate()


def _restaff(door: FrontDoor, teams: dict[str, Any], recruitment_lag_wd: float) -> None:
    posts = door.posts
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
                door.new_post(name, grade, recruitment_lag_wd)
        # ...and what is still too many is abolished, empty posts first.
        for worker in abolished:
            door.close_post(worker)


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


def _wanted(teams: dict[str, Any], name: str, grade: str) -> int:
    return getattr(teams[name].staff, grade) if name in teams else 0


def _dip(door: FrontDoor, share: float, working_days: float) -> None:
    """Lower everyone's rate by ``share`` for the transition (dips in force together compound)."""
    ends = door.posts.working_day_after(door.env.now, working_days)
    dip = (ends, share)
    door.dips.append(dip)
    door.apply_productivity()
    if ends == float("inf"):
        return

    def recover(_event: object) -> None:
        door.dips.remove(dip)
        door.apply_productivity()

    door.env.timeout(ends - door.env.now).callbacks.append(recover)
