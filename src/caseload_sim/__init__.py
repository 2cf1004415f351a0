"""caseload_sim: a discrete-event simulation of a children's social care front door.

The public Python API mirrors the command line::

    from caseload_sim import load_scenario, run_experiment, write_results

    scenario = load_scenario("scenarios/county_2010_baseline.toml",
                             ["workforce.teams.north.staff.sw=14"])
    result = run_experiment(scenario, replications=10)
    result.summary()["initial_assessment_within_timescale_pct"]

and writes the results folder a command writes, byte for byte but for ``provenance.json``::

    from caseload_sim import RunSettings, run_to_folder

    study = run_to_folder("scenarios/county_2010_baseline.toml", "results/north_14",
                          RunSettings(replications=10, seed=20100706),
                          overrides=["workforce.teams.north.staff.sw=14"])
    study.folder, study.result.summary()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "KPIS",
    "ExperimentResult",
    "RunResult",
    "RunSettings",
    "Scenario",
    "ScenarioError",
    "StudyError",
    "compare_to_folder",
    "compute_kpis",
    "load_scenario",
    "run_experiment",
    "run_to_folder",
    "simulate",
    "staffing_to_folder",
    "sweep_to_folder",
    "write_results",
]

# Imported on first use so that `caseload-sim --help` does not load numpy, scipy or pydantic.
_LOCATIONS = {
    "KPIS": "caseload_sim.metrics.catalogue",
    "compute_kpis": "caseload_sim.metrics.catalogue",
    "ExperimentResult": "caseload_sim.experiment.replications",
    "run_experiment": "caseload_sim.experiment.runner",
    "RunSettings": "caseload_sim.experiment.settings",
    "write_results": "caseload_sim.results.writer",
    "RunResult": "caseload_sim.model.results",
    "simulate": "caseload_sim.model.frontdoor",
    "Scenario": "caseload_sim.scenario.schema",
    "ScenarioError": "caseload_sim.scenario.loading",
    "load_scenario": "caseload_sim.scenario.loading",
    "StudyError": "caseload_sim.studies",
    "run_to_folder": "caseload_sim.studies",
    "compare_to_folder": "caseload_sim.studies",
    "sweep_to_folder": "caseload_sim.studies",
    "staffing_to_folder": "caseload_sim.studies",
}

if TYPE_CHECKING:
    from caseload_sim.experiment.replications import ExperimentResult
    from caseload_sim.experiment.runner import run_experiment
    from caseload_sim.experiment.settings import RunSettings
    from caseload_sim.metrics.catalogue import KPIS, compute_kpis
    from caseload_sim.model.frontdoor import simulate
    from caseload_sim.model.results import RunResult
    from caseload_sim.results.writer import write_results
    from caseload_sim.scenario.loading import ScenarioError, load_scenario
    from caseload_sim.scenario.schema import Scenario
    from caseload_sim.studies import (
        StudyError,
        compare_to_folder,
        run_to_folder,
        staffing_to_folder,
        sweep_to_folder,
    )


def __getattr__(name: str) -> Any:
    if name in _LOCATIONS:
        import importlib

        return getattr(importlib.import_module(_LOCATIONS[name]), name)
    raise AttributeError(f"module 'caseload_sim' has no attribute {name!r}")
