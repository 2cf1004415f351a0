"""KPI of assessment quality: the share of assessments judged inadequate."""

from __future__ import annotations

from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.stats import pct
from caseload_sim.metrics.view import RunView


@kpi(
    "inadequate_assessment_pct",
    unit="%",
    plain="inadequate assessments",
    reading="About {mean:.0f} in 100 assessments were inadequate",
    description="Assessments judged inadequate (initial, core or single).",
    numerator="assessments completed in the period that were inadequate",
    denominator="assessments completed in the period",
)
def inadequate_assessments(view: RunView) -> float:
    rated = view.events_in_window("assessment_rated")
    return pct(view.events.value[rated] > 0.5)
