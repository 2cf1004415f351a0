"""With every workforce mechanism off, the model reproduces the first model's results exactly."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.model.frontdoor import simulate
from caseload_sim.scenario.loading import load_scenario

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("replication", [0, 1])
def test_every_mechanism_off_reproduces_the_first_model(replication: int) -> None:
    scenario = load_scenario(DATA / "first_model.toml")
    workforce = scenario.workforce
    assert not any(
        section.enabled
        for section in (
            workforce.supervision,
            workforce.sign_off,
            workforce.recording,
            workforce.quality,
            workforce.training,
            workforce.flow,
        )
    )
    assert workforce.absence.annual_leave_days_per_year == 0
    assert workforce.absence.sickness_days_per_year == 0
    assert scenario.timeline == []
    expected = json.loads((DATA / "first_model_kpis.json").read_text())[str(replication)]
    kpis = compute_kpis(simulate(scenario, None, replication))
    for name, value in expected.items():
        if value is None:
            assert math.isnan(kpis[name]), name
        else:
            assert kpis[name] == value, name
