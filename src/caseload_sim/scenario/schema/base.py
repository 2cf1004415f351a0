"""What every section of a scenario shares: risk tiers, grades, probabilities, strict tables."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Tier = Literal["immediate_risk", "child_protection", "child_in_need", "disabled_child"]
Grade = Literal["swa", "nqsw", "sw", "sp", "tm"]
Eligibility = Literal["hold", "co_worked", "no"]

#: Referral risk tiers in allocation priority order (highest first).
TIERS: tuple[Tier, ...] = ("immediate_risk", "child_protection", "child_in_need", "disabled_child")
#: Tiers counted as high risk in the KPIs (MODEL.md section 5).
HIGH_RISK_TIERS: frozenset[str] = frozenset({"immediate_risk", "child_protection"})
#: Grades in order of seniority.
GRADES: tuple[Grade, ...] = ("swa", "nqsw", "sw", "sp", "tm")
#: Grades that hold a social work qualification; a social work assistant does not.
QUALIFIED_GRADES: frozenset[str] = frozenset({"nqsw", "sw", "sp", "tm"})
#: Grades below team manager: the practitioners who hold cases, are supervised, go on training
#: and turn over (team managers and duty screeners are held fixed).
PRACTITIONER_GRADES: tuple[Grade, ...] = ("swa", "nqsw", "sw", "sp")
GRADE_NAMES: dict[str, str] = {
    "swa": "social work assistant",
    "nqsw": "newly qualified social worker",
    "sw": "social worker",
    "sp": "senior practitioner",
    "tm": "team manager",
}
TIER_NAMES: dict[str, str] = {
    "immediate_risk": "immediate risk",
    "child_protection": "child protection",
    "child_in_need": "child in need",
    "disabled_child": "disabled child",
}
ELIGIBILITY_NAMES: dict[str, str] = {
    "hold": "may hold",
    "co_worked": "only co-worked",
    "no": "may not hold",
}

PROBABILITY_TOLERANCE = 1e-6

Probability = Annotated[float, Field(ge=0.0, le=1.0)]


class Section(BaseModel):
    """A part of a scenario: unknown fields are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def check_sums_to_one(values: dict[str, float], what: str) -> None:
    """Refuse shares that do not sum to 1 (to within :data:`PROBABILITY_TOLERANCE`), naming them."""
    total = math.fsum(values.values())
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        shown = ", ".join(f"{k} = {v:g}" for k, v in values.items())
        raise ValueError(f"{what} must sum to 1 (they sum to {total:g}: {shown})")
