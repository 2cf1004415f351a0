"""Partner agencies whose availability the front door depends on."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from caseload_sim.scenario.schema.base import Section
from caseload_sim.scenario.schema.pathway import Effort, effort_of

# ------------------------------------------------------------------------------------- partners


class Police(Section):
    """Police availability for strategy discussions."""

    mode: Literal["slots", "delay", "unlimited"] = Field(
        "slots",
        description=(
            "slots: a limited number of strategy-discussion slots each working day; delay: a "
            "random wait in working hours; unlimited: police are always available."
        ),
    )
    slots_per_working_day: int = Field(6, ge=1, le=10_000, description="Unit: slots/day.")
    delay: Effort = Field(
        default_factory=lambda: effort_of(4.0, "exponential", 1.0),
        description="Wait for police in working hours (mode = delay); mean_hours is the mean.",
    )


class Partners(Section):
    """Partner agencies whose availability the front door depends on."""

    police: Police = Field(default_factory=Police)
