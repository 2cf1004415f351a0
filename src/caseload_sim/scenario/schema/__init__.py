"""The validated model of a scenario file.

Every number the simulation uses lives here, with a unit, a default and a description, so that
the JSON Schema (``caseload-sim schema``) and the scenario reference in ``docs/`` say what a
planner may write. Defaults are the illustrative county front door of 2010 (MODEL.md section 6);
each bundled scenario file restates the values it relies on, with its source.

One module per section of a scenario file: :mod:`.demand`, :mod:`.pathway`, :mod:`.workforce`
(with the workforce's :mod:`.mechanisms` and :mod:`.flow`), :mod:`.partners`,
:mod:`.simulation` (with the initial caseload), :mod:`.timeline`, and :mod:`.scenario`, which
puts them together and checks what spans sections. What they share is in :mod:`.base`.
"""

from caseload_sim.scenario.schema.base import (
    ELIGIBILITY_NAMES,
    GRADE_NAMES,
    GRADES,
    HIGH_RISK_TIERS,
    PRACTITIONER_GRADES,
    PROBABILITY_TOLERANCE,
    QUALIFIED_GRADES,
    TIER_NAMES,
    TIERS,
    Eligibility,
    Grade,
    Probability,
    Section,
    Tier,
)
from caseload_sim.scenario.schema.costs import AgencyDayRates, Costs, GradeSalaries
from caseload_sim.scenario.schema.demand import Demand, MonthProfile, TierShares, WeekdayProfile
from caseload_sim.scenario.schema.flow import WorkforceFlow
from caseload_sim.scenario.schema.mechanisms import (
    Absence,
    AssessmentQuality,
    Recording,
    SignOff,
    Supervision,
    Training,
)
from caseload_sim.scenario.schema.partners import Partners, Police
from caseload_sim.scenario.schema.pathway import (
    AssessmentOutcomes,
    Effort,
    EffortTable,
    OutcomesByTier,
    Pathway,
    Timescales,
)
from caseload_sim.scenario.schema.scenario import Scenario
from caseload_sim.scenario.schema.simulation import (
    InitialCaseload,
    InitialCaseloadRow,
    Simulation,
    TierCases,
)
from caseload_sim.scenario.schema.timeline import TIMELINE_FIELDS, TimelineEntry
from caseload_sim.scenario.schema.workforce import (
    AccessCentre,
    Allocation,
    EligibilityTable,
    GradeTable,
    GradeTerms,
    StaffCounts,
    Team,
    TierEligibility,
    TierWeights,
    Workforce,
)

__all__ = [
    "GRADES",
    "ELIGIBILITY_NAMES",
    "GRADE_NAMES",
    "HIGH_RISK_TIERS",
    "PRACTITIONER_GRADES",
    "PROBABILITY_TOLERANCE",
    "QUALIFIED_GRADES",
    "TIER_NAMES",
    "TIERS",
    "TIMELINE_FIELDS",
    "Absence",
    "AccessCentre",
    "AgencyDayRates",
    "Allocation",
    "AssessmentOutcomes",
    "AssessmentQuality",
    "Costs",
    "Demand",
    "Effort",
    "EffortTable",
    "Eligibility",
    "EligibilityTable",
    "Grade",
    "GradeSalaries",
    "GradeTable",
    "GradeTerms",
    "InitialCaseload",
    "InitialCaseloadRow",
    "MonthProfile",
    "OutcomesByTier",
    "Partners",
    "Pathway",
    "Police",
    "Probability",
    "Recording",
    "Scenario",
    "Section",
    "SignOff",
    "Simulation",
    "StaffCounts",
    "Supervision",
    "Team",
    "Tier",
    "TierCases",
    "TierEligibility",
    "TierShares",
    "TierWeights",
    "TimelineEntry",
    "Timescales",
    "Training",
    "WeekdayProfile",
    "Workforce",
    "WorkforceFlow",
]
