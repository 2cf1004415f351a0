"""Allocation: the policies registered by name, and the board that applies them, on workers
made by hand (each worker's load is set directly, so each choice can be worked out)."""

from __future__ import annotations

import datetime as dt
import typing
from types import SimpleNamespace
from typing import Any

import pytest
import simpy

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.model.allocation import AllocationBoard
from caseload_sim.model.events import EventLog
from caseload_sim.model.policies import POLICIES, policy, relative_load
from caseload_sim.model.worktime import Worker
from caseload_sim.scenario.schema import TIERS, Scenario
from caseload_sim.scenario.schema.workforce import Allocation
from handmade import scenario

CALENDAR = WorkingCalendar("continuous", dt.date(2010, 4, 1), 100)
CP = TIERS.index("child_protection")


def board(workers: list[Worker], *overrides: str) -> tuple[AllocationBoard, simpy.Environment]:
    """A board for the workers, under the default scenario's rules with the overrides; each
    worker belongs to the north team, which takes child protection work."""
    rules: Scenario = scenario(*overrides)
    env = workers[0].env if workers else simpy.Environment()
    return AllocationBoard(env, rules, CALENDAR, workers, EventLog()), env


def staff(env: simpy.Environment, *people: tuple[str, float]) -> list[Worker]:
    """Workers of the north team with these grades and loads (cap 100 each)."""
    workers = []
    for index, (grade, load) in enumerate(people):
        worker = Worker(env, CALENDAR, index, grade, "north", 10.0, 100.0, 0.1, 0.0, 100.0)
        worker.load = load
        workers.append(worker)
    return workers


def referral(weight: float = 7.0, overdue_at: float = float("inf")) -> Any:
    """What a policy reads of a referral waiting at the head of the child protection queue."""
    return SimpleNamespace(tier_rank=CP, weight=weight, overdue_at=overdue_at)


def test_the_schema_allows_exactly_the_registered_policies() -> None:
    allowed = typing.get_args(Allocation.model_fields["policy"].annotation)
    assert set(allowed) == set(POLICIES)
    assert all(callable(choose) for choose in POLICIES.values())


def test_skill_matched_prefers_a_worker_who_may_hold_the_tier_outright() -> None:
    env = simpy.Environment()
    # An SW at 60 and an assistant at 10 (who may hold child protection only co-worked).
    workers = staff(env, ("sw", 60.0), ("swa", 10.0))
    found, _ = board(workers, "workforce.allocation.policy='skill_matched'")
    assert found.policy is POLICIES["skill_matched"]
    assert found.policy(found, referral()) == (workers[0], None, False)


def test_skill_matched_co_works_only_when_no_holder_has_room() -> None:
    env = simpy.Environment()
    workers = staff(env, ("sw", 98.0), ("swa", 10.0), ("sp", 95.0))
    found, _ = board(
        workers,
        "workforce.allocation.policy='skill_matched'",
        "workforce.allocation.oversight_fraction=0.5",
    )
    # No holder has room for 7 points; the assistant leads, with the co-worker who has room
    # for the 3.5 points of oversight (the SP at 95, not the SW at 98).
    assert found.policy(found, referral()) == (workers[1], workers[2], False)


def test_joint_allocation_lets_the_least_loaded_compete_whatever_their_grade() -> None:
    env = simpy.Environment()
    workers = staff(env, ("sw", 60.0), ("swa", 10.0), ("sp", 80.0))
    found, _ = board(workers, "workforce.allocation.policy='joint'")
    assert relative_load(workers[1]) < relative_load(workers[0])
    lead, coworker, over = found.policy(found, referral())
    assert lead is workers[1] and coworker is workers[0] and not over
    # With the assistant loaded more than the SW, the SW leads alone.
    workers[1].load = 70.0
    assert found.policy(found, referral()) == (workers[0], None, False)


def test_nobody_with_room_means_no_allocation_under_hard_caps() -> None:
    env = simpy.Environment()
    workers = staff(env, ("sw", 95.0), ("swa", 96.0))
    for name in POLICIES:
        found, _ = board(workers, f"workforce.allocation.policy='{name}'")
        assert found.policy(found, referral()) is None, name


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_soft_caps_over_allocate_only_a_referral_that_has_waited(name: str) -> None:
    env = simpy.Environment()
    workers = staff(env, ("sw", 95.0), ("sp", 99.0))
    found, env = board(
        workers,
        f"workforce.allocation.policy='{name}'",
        "workforce.allocation.cap_mode='soft'",
        "workforce.allocation.over_allocation_limit_pct=10",
    )
    assert found.policy(found, referral(overdue_at=1.0)) is None  # not waited long enough yet
    env.run(until=1.0)
    # Now over the cap, within the 10% limit: the least loaded relative to their cap.
    assert found.policy(found, referral(overdue_at=1.0)) == (workers[0], None, True)
    assert found.policy(found, referral(weight=20.0, overdue_at=1.0)) is None  # over the limit


def test_a_new_policy_is_one_registered_function() -> None:
    @policy("most_experienced_first")
    def most_experienced_first(board: AllocationBoard, referral: Any) -> Any:
        pool = [w for w in board.may_hold[referral.tier_rank] if w.grade == "sp"]
        lead = board.least_loaded_with_room(pool, referral.weight, 1.0)
        return (lead, None, False) if lead is not None else None

    try:
        env = simpy.Environment()
        workers = staff(env, ("sw", 0.0), ("sp", 50.0))
        found, _ = board(workers)
        found.policy = POLICIES["most_experienced_first"]
        assert found.policy(found, referral()) == (workers[1], None, False)
    finally:
        del POLICIES["most_experienced_first"]


def test_the_board_allocates_by_tier_priority_and_holds_during_a_change() -> None:
    env = simpy.Environment()
    workers = staff(env, ("sw", 0.0))
    found, env = board(workers, "workforce.allocation.policy='skill_matched'")
    allocated: list[int] = []
    found.on_allocated = lambda r: allocated.append(r.case_id)
    found.hold_allocation = True

    def waiting(case_id: int, tier: str) -> Any:
        return SimpleNamespace(
            case_id=case_id,
            tier_rank=TIERS.index(tier),
            weight=0.0,
            overdue_at=float("inf"),
            queued_at=float("nan"),
            allocated_at=float("nan"),
            lead=None,
            coworker=None,
            over_allocated=False,
            oversight_weight=0.0,
        )

    found.add(waiting(1, "child_in_need"))
    found.add(waiting(2, "immediate_risk"))
    assert found.waiting == 2 and not allocated  # nothing while a change is put in place
    found.hold_allocation = False
    found.allocate()
    assert allocated == [2, 1]  # immediate risk first
    assert found.waiting == 0 and workers[0].cases == 2
