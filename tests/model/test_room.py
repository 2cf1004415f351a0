"""Who has room: the groups' heaps answer exactly as looking at every eligible worker does.

Over random groups, loads, caps and changes of load (hypothesis), and at every attempt to
allocate in whole runs of scenarios that change caps, grades, teams and holders along the way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.model import room
from caseload_sim.model.allocation import AllocationBoard
from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.room import CapGroup, Eligible, least_loaded_with_room
from caseload_sim.model.worktime import Worker
from caseload_sim.scenario.loading import load_scenario

CALENDAR = WorkingCalendar("continuous", dt.date(2010, 4, 1), 100)
ROOT = Path(__file__).resolve().parents[2]


def _worker(env: simpy.Environment, index: int, cap: float, load: float) -> Worker:
    worker = Worker(env, CALENDAR, index, "sw", "north", 10.0, cap, 0.1, 0.0, 100.0)
    worker.load = load
    return worker


# Loads made of the case weights a scenario uses (sums of 1, 1.5, 0.5 and oversight shares of
# 0.2), so that ties and rounding both occur.
_load = st.lists(st.sampled_from([0.0, 0.2, 0.5, 1.0, 1.5, 0.3]), max_size=8).map(sum)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    caps=st.lists(st.sampled_from([1.0, 3.0, 12.0, 18.0]), min_size=1, max_size=4),
    people=st.lists(st.tuples(st.integers(0, 3), _load), min_size=1, max_size=12),
    changes=st.lists(
        st.tuples(st.integers(0, 11), st.sampled_from([-1.5, -1.0, -0.2, 0.2, 1.0, 1.5])),
        max_size=40,
    ),
    weight=st.sampled_from([0.2, 0.5, 1.0, 1.5]),
    factor=st.sampled_from([1.0, 1.2]),
    exclude=st.booleans(),
)
def test_the_heaps_find_the_worker_a_look_at_everyone_finds(
    caps: list[float],
    people: list[tuple[int, float]],
    changes: list[tuple[int, float]],
    weight: float,
    factor: float,
    exclude: bool,
) -> None:
    env = simpy.Environment()
    workers = [
        _worker(env, index, caps[group % len(caps)], load)
        for index, (group, load) in enumerate(people)
    ]
    by_cap: dict[float, list[Worker]] = {}
    for worker in workers:
        by_cap.setdefault(worker.caseload_cap, []).append(worker)
    groups = {cap: CapGroup(cap, members) for cap, members in by_cap.items()}
    eligible = Eligible(list(groups.values()))
    assert sorted(w.index for w in eligible) == [w.index for w in workers]
    for step, (who, change) in enumerate([(0, 0.0), *changes]):
        worker = workers[who % len(workers)]
        worker.load = max(0.0, worker.load + change)
        groups[worker.caseload_cap].load_changed(worker)
        other_than = workers[step % len(workers)] if exclude else None
        assert least_loaded_with_room(eligible, weight, factor, other_than) is room._scan(
            list(eligible), weight, factor, other_than
        )


def _checked(
    workers: list[Worker], weight: float, cap_factor: float, other_than: Worker | None = None
) -> Worker | None:
    found = least_loaded_with_room(workers, weight, cap_factor, other_than)
    assert isinstance(workers, Eligible)
    assert found is room._scan(list(workers), weight, cap_factor, other_than)
    return found


@pytest.fixture
def every_search_checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(AllocationBoard, "least_loaded_with_room", staticmethod(_checked))
    yield


@pytest.mark.parametrize(
    ("path", "sets"),
    [
        ("scenarios/county_2010_as_found.toml", ["simulation.horizon_days=200"]),
        ("scenarios/county_2010_restructure_sept.toml", ["simulation.horizon_days=250"]),
        (
            None,
            [
                "simulation.horizon_days=200",
                "workforce.allocation.cap_mode=soft",
                "workforce.allocation.policy=joint",
                "workforce.flow.enabled=true",
            ],
        ),
    ],
)
def test_in_whole_runs_every_search_finds_who_a_look_at_everyone_finds(
    every_search_checked: Any, path: str | None, sets: list[str]
) -> None:
    scenario = load_scenario(ROOT / path if path else None, sets)
    simulate(scenario, None, 0)
