"""Dated changes to the service during a run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from caseload_sim.scenario.changes import TIMELINE_FIELDS
from caseload_sim.scenario.schema.base import Section

# ------------------------------------------------------------------------------------- timeline


class TimelineEntry(Section):
    """A dated change to the service: a re-organisation, new posts, new rules, training."""

    date: dt.date = Field(
        description="The change applies from the start (00:00) of this date, not before."
    )
    label: str = Field(
        "", max_length=200, description="Short name of the change, used for its period."
    )
    changes: dict[str, Any] = Field(
        min_length=1,
        description=(
            "Fields to change, as dotted paths with their new values, e.g. "
            '"workforce.allocation.policy" = "skill_matched" or '
            '"workforce.teams.north.staff.sw" = 14. A new team is a table: '
            '"workforce.teams.cp" = { tiers = [...], staff = {...} }. Allowed under: '
            + ", ".join(TIMELINE_FIELDS)
            + "."
        ),
    )
    transition_dip_pct: float = Field(
        0.0,
        ge=0.0,
        le=100.0,
        description=("Loss of every worker's productivity while the change beds in. Unit: %."),
    )
    transition_wd: float = Field(
        0.0, ge=0.0, le=1000.0, description="How long the dip lasts. Unit: working days."
    )
    recruitment_lag_wd: float = Field(
        0.0,
        ge=0.0,
        le=1000.0,
        description=(
            "New posts the change creates stay empty this long (agency cover as in "
            "workforce.flow, if enabled). Unit: working days."
        ),
    )
    reallocate_ineligible: bool = Field(
        True,
        description=(
            "Re-allocate, at the change, cases whose worker may no longer hold them (for "
            "example when assistants stop holding child protection work)."
        ),
    )

    @property
    def name(self) -> str:
        """The label, or the date when there is none."""
        return self.label or f"change of {self.date.isoformat()}"
