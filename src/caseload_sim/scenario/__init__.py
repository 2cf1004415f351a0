"""Scenarios: the validated schema, loading files and applying overrides."""

from caseload_sim.scenario.loading import (
    ScenarioError,
    apply_overrides,
    default_scenario_path,
    load_scenario,
    scenario_to_toml,
)
from caseload_sim.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "apply_overrides",
    "default_scenario_path",
    "load_scenario",
    "scenario_to_toml",
]
