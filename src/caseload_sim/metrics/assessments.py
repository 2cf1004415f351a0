"""KPIs of assessments: completed within their statutory timescales, and time to the first."""

from __future__ import annotations

from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.stats import mean, pct
from caseload_sim.metrics.view import RunView


@kpi(
    "initial_assessment_within_timescale_pct",
    unit="%",
    plain="initial assessments within timescale",
    reading="About {mean:.0f} in 100 initial assessments were completed within "
    "{initial_assessment} of referral",
    description="Initial assessments completed within timescale (national indicator).",
    numerator="initial assessments completed in the period within initial_assessment_wd "
    "working days of referral",
    denominator="initial assessments completed in the period",
    regime="wt2010",
    headline=1,
    better="higher",
)
def initial_assessments_on_time(view: RunView) -> float:
    cases = view.cases
    done = cases.initial_assessment_done_at
    mask = view.within(done)
    elapsed = view.elapsed_wd(cases.referral_at[mask], done[mask])
    return pct(elapsed <= view.timescales.initial_assessment_wd)


@kpi(
    "core_assessment_within_timescale_pct",
    unit="%",
    plain="core assessments within timescale",
    reading="About {mean:.0f} in 100 core assessments were completed within "
    "{core_assessment} of their start",
    description="Core assessments completed within timescale.",
    numerator="core assessments completed in the period within core_assessment_wd "
    "working days of their start",
    denominator="core assessments completed in the period",
    regime="wt2010",
    headline=2,
    better="higher",
)
def core_assessments_on_time(view: RunView) -> float:
    cases = view.cases
    done = cases.core_assessment_done_at
    mask = view.within(done)
    elapsed = view.elapsed_wd(cases.core_assessment_start_at[mask], done[mask])
    return pct(elapsed <= view.timescales.core_assessment_wd)


@kpi(
    "assessment_within_timescale_pct",
    unit="%",
    plain="single assessments within timescale",
    reading="About {mean:.0f} in 100 single assessments were completed within "
    "{single_assessment} of referral",
    description="Single assessments completed within timescale (Working Together 2013).",
    numerator="single assessments completed in the period within single_assessment_wd "
    "working days of referral",
    denominator="single assessments completed in the period",
    regime="single_assessment",
    headline=3,
    better="higher",
)
def single_assessments_on_time(view: RunView) -> float:
    cases = view.cases
    done = cases.single_assessment_done_at
    mask = view.within(done)
    elapsed = view.elapsed_wd(cases.referral_at[mask], done[mask])
    return pct(elapsed <= view.timescales.single_assessment_wd)


@kpi(
    "referral_to_assessment_days_mean",
    unit="days",
    plain="mean time from referral to the first assessment",
    reading="The first assessment was completed {mean:.1f} days after referral on average",
    description="Mean time from referral to the first assessment completed.",
    numerator="sum of times for first assessments completed in the period",
    denominator="first assessments completed in the period",
)
def referral_to_assessment(view: RunView) -> float:
    cases = view.cases
    first = cases.first_assessment_at
    mask = view.within(first)
    return mean(first[mask] - cases.referral_at[mask])
