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
#: The values a staffing search may range over (it runs only some of them).
MAX_POINTS = 60
#: Runs under way at once, from every browser session: more would only share the same cores.
MAX_RUNNING = 4


def max_jobs() -> int:
    """The processes one run may use: the cores this server may use."""
    return default_jobs()


def refusals(scenario: Scenario, replications: int | str, jobs: int) -> list[str]:
    """Why a run may not start (empty when it may); ``replications`` may be ``"auto"``, which
    stops within the app's limit by itself."""
    found = []
    if isinstance(replications, int) and not 1 <= replications <= MAX_REPLICATIONS:
        found.append(f"replications: {replications}; allowed: 1 to {MAX_REPLICATIONS}")
    if scenario.simulation.horizon_days > MAX_HORIZON_DAYS:
        found.append(
            f"simulation.horizon_days: {scenario.simulation.horizon_days:g} days; the app runs "
            f"at most {MAX_HORIZON_DAYS:,} days (ten years)"
        )
    if not 1 <= jobs <= max_jobs():
        found.append(f"processes: {jobs}; allowed: 1 to {max_jobs()} on this machine")
    return found


def busy(running: int) -> str | None:
    """Why no run may start while ``running`` runs are under way (None when one may)."""
    if running >= MAX_RUNNING:
        return (
            f"{running} runs are under way already; the app runs at most {MAX_RUNNING} at once. "
            "Try again when one has finished."
        )
    return None
