"""KPI of managers' sign-off: how long completed assessments wait for authorisation."""

from __future__ import annotations

from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.stats import quantile
from caseload_sim.metrics.view import RunView


@kpi(
    "assessment_sign_off_days_p90",
    unit="days",
    plain="90th percentile wait for sign-off",
    reading="Nine in ten assessments were signed off by a manager within {mean:.1f} days of "
    "completion",
    description="90th percentile of the time from an assessment's completion to a manager's "
    "sign-off.",
    numerator="90th percentile over assessments signed off in the period",
)
def sign_off_wait_p90(view: RunView) -> float:
    signed = view.events_in_window("assessment_signed_off")
    return quantile(view.events.value[signed], 0.9)
