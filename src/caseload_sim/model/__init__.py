"""The simulation itself: demand, referrals, workforce, allocation, partners, worker time."""

from caseload_sim.model.frontdoor import RunResult, simulate

__all__ = ["RunResult", "simulate"]
