"""The model as it is against the model before workers planned their day, on common random numbers.

``data/reference_kpis.json`` holds each headline KPI of 20 replications of the two county scenarios
from the model before (its commit is in the file; ``experiments/equivalence/record_reference.py``
wrote it). Planning the day instead of stepping through it changes the order of floating-point
sums and of events due at the same moment, so results are not bit-for-bit the same; they must be
the same statistically: the mean of each headline KPI over the same 20 replications (same seed,
same children) lies inside the 95% interval of the reference's values. The paired differences
are reported with the test's output (``pytest -s``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from caseload_sim.experiment.runner import run_experiment
from caseload_sim.experiment.statistics import t_interval
from caseload_sim.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = json.loads((Path(__file__).parent / "data" / "reference_kpis.json").read_text())
RECORDED_ON = Path(__file__).parent / "data" / "reference_scenarios"


def _values(values: list[float | None]) -> list[float]:
    return [math.nan if v is None else v for v in values]


@pytest.mark.parametrize("name", ["county_2010_baseline", "county_2010_as_found"])
def test_headline_kpis_lie_within_the_reference_intervals(name: str) -> None:
    reference = REFERENCE[name]
    replications = REFERENCE["replications"]
    assert replications >= 20
    # The scenarios as they were when the reference was recorded (the bundled ones have moved on).
    scenario = load_scenario(RECORDED_ON / f"{name}.toml")
    result = run_experiment(scenario, replications, seed=reference["seed"], jobs=1)
    outside = []
    for kpi, stored in reference["kpis"].items():
        before = _values(stored)
        now = result.kpi_values(kpi)
        assert len(now) == len(before) == replications
        interval = t_interval(before)
        mean_now = t_interval(now)["mean"]
        paired = t_interval([a - b for a, b in zip(now, before, strict=True)])
        print(
            f"{name} {kpi}: before {interval['mean']:.4g} [{interval['ci95_low']:.4g}, "
            f"{interval['ci95_high']:.4g}], now {mean_now:.4g}; paired difference "
            f"{paired['mean']:+.3g} [{paired['ci95_low']:+.3g}, {paired['ci95_high']:+.3g}]"
        )
        if math.isnan(interval["mean"]):
            assert math.isnan(mean_now), kpi
            continue
        low, high = interval["ci95_low"], interval["ci95_high"]
        if interval["ci95_low"] == interval["ci95_high"]:  # the same in every replication
            inside = math.isclose(mean_now, low, rel_tol=1e-9, abs_tol=1e-12)
        else:
            inside = low <= mean_now <= high
        if not inside:
            outside.append(f"{kpi}: {mean_now:.4g} not in [{low:.4g}, {high:.4g}]")
    assert not outside, outside
