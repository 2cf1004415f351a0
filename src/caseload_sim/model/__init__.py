"""The simulation itself: demand and intake, the pathway, staff and posts, allocation, how a
worker spends time, partners, workforce mechanisms, and the plain run results."""

from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.results import RunResult

__all__ = ["RunResult", "simulate"]
