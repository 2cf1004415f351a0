"""What one request to the app may ask of the server, so that no planner's click can take the
machine from everyone else; each refusal says the limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseload_sim.experiment.executors import default_jobs

if TYPE_CHECKING:
    from caseload_sim.scenario.schema import Scenario

MAX_REPLICATIONS = 200
MAX_HORIZON_DAYS = 3_650  # ten years
MAX_OPTIONS = 8
MAX_UPLOAD_MB = 50


def max_jobs() -> int:
    """The processes one run may use: the cores this server may use."""
    return default_jobs()


def refusals(scenario: Scenario, replications: int, jobs: int) -> list[str]:
    """Why a run may not start (empty when it may)."""
    found = []
    if not 1 <= replications <= MAX_REPLICATIONS:
        found.append(f"replications: {replications}; allowed: 1 to {MAX_REPLICATIONS}")
    if scenario.simulation.horizon_days > MAX_HORIZON_DAYS:
        found.append(
            f"simulation.horizon_days: {scenario.simulation.horizon_days:g} days; the app runs "
            f"at most {MAX_HORIZON_DAYS:,} days (ten years)"
        )
    if not 1 <= jobs <= max_jobs():
        found.append(f"processes: {jobs}; allowed: 1 to {max_jobs()} on this machine")
    return found
