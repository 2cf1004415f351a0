"""The mechanism protocol: a mechanism takes part only in the hooks it overrides, in the order
the mechanisms are registered, and reports its results under its name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from caseload_sim.model.frontdoor import FrontDoor, simulate
from caseload_sim.model.mechanisms import ORDER, factories, in_order
from caseload_sim.model.mechanisms.base import Mechanism, mechanism, taking_part, unregister
from conftest import small_county


def test_the_mechanisms_and_their_order() -> None:
    assert ORDER == (
        "absence",
        "sign_off",
        "recording",
        "training",
        "quality",
        "supervision",
        "flow",
    )
    # Every mechanism registered is in the order, whatever order the modules were imported in.
    assert set(factories()) == set(ORDER)
    assert [name for name, _ in in_order()] == list(ORDER)


def test_a_mechanism_takes_part_only_in_the_hooks_it_overrides() -> None:
    class Counting(Mechanism):
        def after_work(self, referral: Any, kind: str, effort_hours: float, lead: Any) -> None:
            pass

    class Quiet(Mechanism):
        pass

    counting, quiet = Counting(), Quiet()
    assert taking_part([quiet, counting], "after_work") == [counting]
    assert taking_part([quiet, counting], "gate") == []


def test_with_every_mechanism_off_none_is_built() -> None:
    door = FrontDoor(small_county(), 1, 0)
    assert door.mechanisms == []
    assert door.mechanism("supervision") is None


def test_each_section_switched_on_builds_its_mechanism() -> None:
    door = FrontDoor(
        small_county(
            "workforce.absence.sickness_days_per_year=5",
            "workforce.sign_off.enabled=true",
            "workforce.recording.enabled=true",
            "workforce.quality.enabled=true",
            "workforce.training.enabled=true",
            "workforce.supervision.enabled=true",
            "workforce.flow.enabled=true",
        ),
        1,
        0,
    )
    assert [m.name for m in door.mechanisms] == list(ORDER)


class Visits(Mechanism):
    """A mechanism for this test: counts the assessments finished and what the pathway did."""

    name = "visits"

    def __init__(self, door: FrontDoor) -> None:
        self.door = door
        self.started = False
        self.finished: list[tuple[float, str]] = []
        self.allocations = 0

    def start(self) -> None:
        self.started = True

    def allocated(self, referral: Any, lead: Any) -> None:
        self.allocations += 1

    def after_work(self, referral: Any, kind: str, effort_hours: float, lead: Any) -> None:
        self.finished.append((self.door.env.now, kind))

    def sample(self) -> dict[str, float]:
        return {"assessments_finished": float(len(self.finished))}

    def results(self) -> dict[str, np.ndarray]:
        return {"finished_at": np.array([time for time, _ in self.finished])}


@pytest.fixture
def visits() -> Iterator[list[Visits]]:
    built: list[Visits] = []

    @mechanism("visits")
    def _visits(door: FrontDoor) -> Mechanism:
        built.append(Visits(door))
        return built[-1]

    try:
        yield built
    finally:
        unregister("visits")


def test_a_mechanism_reports_under_the_name_it_is_registered_as() -> None:
    @mechanism("misnamed")
    def _misnamed(door: FrontDoor) -> Mechanism:
        return Visits(door)  # reports as "visits"

    try:
        with pytest.raises(ValueError, match="registered as 'misnamed' is named 'visits'"):
            FrontDoor(small_county(), 1, 0)
    finally:
        unregister("misnamed")


def test_a_registered_mechanism_takes_part_in_the_run(visits: list[Visits]) -> None:
    scenario = small_county()
    result = simulate(scenario, 3)
    (mechanism_,) = visits
    assert mechanism_.started
    # Every piece of casework finished is seen once, in time order.
    times = [time for time, _ in mechanism_.finished]
    assert times == sorted(times) and times
    completed = result.events.of("assessment_completed")
    assert len(times) == completed.sum()
    assert mechanism_.allocations >= (~np.isnan(result.cases.allocated_at)).sum()
    assert "assessments_finished" in result.timeseries[-1]
    assert np.array_equal(result.mechanisms["visits"]["finished_at"], np.array(times))
    # Watching changes nothing else: the run without the mechanism is the same, event for event.
    unregister("visits")
    unwatched = simulate(scenario, 3)
    assert "visits" not in unwatched.mechanisms
    for name in ("time", "event", "case", "worker", "value"):
        assert np.array_equal(getattr(result.events, name), getattr(unwatched.events, name))
