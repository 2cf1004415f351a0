"""How much work the service does: the counts of the measured period that England's published
statistics give for a year (DfE, *Referrals, assessments and children who are the subject of a
child protection plan*, and the Children in Need census after it).

Each is counted over the measured period, as contacts and referrals are, so that the counts of
the periods between dated changes add up to the whole; over the usual measured year they are a
year's counts, to set beside the published ones. Assessments count when completed, as the DfE
counts them; section 47 enquiries when started; conferences when held; children becoming the
subject of a plan when their initial conference makes one.
"""

from __future__ import annotations

import numpy as np

from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.view import RunView


def _count(view: RunView, times: np.ndarray) -> float:
    return float(view.within(times).sum())


@kpi(
    "initial_assessments_count",
    unit="count",
    plain="initial assessments completed",
    reading="About {mean:,.0f} initial assessments were completed in the measured period",
    description="Initial assessments completed (DfE: initial assessments completed in the year).",
    numerator="initial assessments completed in the measured period",
    regime="wt2010",
)
def initial_assessments_count(view: RunView) -> float:
    return _count(view, view.cases.initial_assessment_done_at)


@kpi(
    "core_assessments_count",
    unit="count",
    plain="core assessments completed",
    reading="About {mean:,.0f} core assessments were completed in the measured period",
    description="Core assessments completed (DfE: core assessments completed in the year).",
    numerator="core assessments completed in the measured period",
    regime="wt2010",
)
def core_assessments_count(view: RunView) -> float:
    return _count(view, view.cases.core_assessment_done_at)


@kpi(
    "single_assessments_count",
    unit="count",
    plain="single assessments completed",
    reading="About {mean:,.0f} single assessments were completed in the measured period",
    description="Single assessments completed (Children in Need census: assessments "
    "completed in the year).",
    numerator="single assessments completed in the measured period",
    regime="single_assessment",
)
def single_assessments_count(view: RunView) -> float:
    return _count(view, view.cases.single_assessment_done_at)


@kpi(
    "s47_enquiries_count",
    unit="count",
    plain="section 47 enquiries started",
    reading="About {mean:,.0f} section 47 enquiries were started in the measured period",
    description="Section 47 enquiries started (DfE: section 47 enquiries in the year).",
    numerator="section 47 enquiries started in the measured period",
)
def s47_enquiries_count(view: RunView) -> float:
    return _count(view, view.cases.s47_start_at)


@kpi(
    "icpcs_count",
    unit="count",
    plain="initial child protection conferences held",
    reading="About {mean:,.0f} initial child protection conferences were held in the measured "
    "period",
    description="Initial child protection conferences held (DfE: ICPCs in the year).",
    numerator="initial child protection conferences held in the measured period",
)
def icpcs_count(view: RunView) -> float:
    return _count(view, view.cases.icpc_at)


@kpi(
    "cp_plans_count",
    unit="count",
    plain="children becoming the subject of a child protection plan",
    reading="About {mean:,.0f} children became the subject of a child protection plan in the "
    "measured period",
    description="Children becoming the subject of a child protection plan (DfE: in the year), "
    "at their initial child protection conference.",
    numerator="initial child protection conferences in the measured period that made a plan",
)
def cp_plans_count(view: RunView) -> float:
    cases = view.cases
    # The conference makes the plan: a case still open at the end of the period (its core
    # assessment under way, say) counts, as the census counts it.
    return float((view.within(cases.icpc_at) & cases.plan_if_conference).sum())
