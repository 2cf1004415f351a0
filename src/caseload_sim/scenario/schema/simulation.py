"""How a run goes: its length, calendar and seed, and the cases open when it starts."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from caseload_sim.scenario.schema.base import Grade, Section, Tier

# ----------------------------------------------------------------------------------- simulation


class Simulation(Section):
    """Run length, calendar and random seed."""

    start_date: dt.date = Field(dt.date(2010, 4, 1), description="First day simulated.")
    horizon_days: float = Field(
        455.0, gt=0.0, le=36_500.0, description="Length of a run, warm-up included. Unit: days."
    )
    warmup_days: float = Field(
        90.0, ge=0.0, description="Start-up period excluded from the KPIs. Unit: days."
    )
    calendar: Literal["england", "continuous"] = Field(
        "england",
        description=(
            "england: weekends and England bank holidays off, work in working hours; "
            "continuous: every hour is working time (for validation against queueing theory)."
        ),
    )
    working_day_start_hour: float = Field(
        9.0, ge=0.0, lt=24.0, description="When the working day starts. Unit: hour of day."
    )
    working_day_hours: float = Field(
        7.4, gt=0.0, le=24.0, description="Length of the working day. Unit: hours."
    )
    block_hours: float = Field(
        3.7,
        gt=0.0,
        description=(
            "A worker gives at least this much working time to the case they chose before "
            "choosing again by urgency. Unit: hours."
        ),
    )
    seed: int = Field(20100706, ge=0, le=2**63 - 1, description="Root of all random streams.")
    replications: int = Field(10, ge=1, le=100_000, description="Independent runs.")
    timeseries_interval_days: float = Field(
        7.0, gt=0.0, description="Sampling interval of timeseries.csv. Unit: days."
    )

    @model_validator(mode="after")
    def _window(self) -> Simulation:
        if self.warmup_days >= self.horizon_days:
            raise ValueError(
                f"warmup_days ({self.warmup_days:g}) must be less than horizon_days "
                f"({self.horizon_days:g})"
            )
        if self.working_day_start_hour + self.working_day_hours > 24.0:
            raise ValueError("the working day must end by midnight")
        return self


# ------------------------------------------------------------------------------ initial caseload


class TierCases(Section):
    """Open cases of each tier, per worker."""

    immediate_risk: float = Field(0.0, ge=0.0, le=1000.0, description="Unit: cases per worker.")
    child_protection: float = Field(0.0, ge=0.0, le=1000.0, description="Unit: cases per worker.")
    child_in_need: float = Field(0.0, ge=0.0, le=1000.0, description="Unit: cases per worker.")
    disabled_child: float = Field(0.0, ge=0.0, le=1000.0, description="Unit: cases per worker.")


class InitialCaseloadRow(Section):
    """Open cases of one tier per worker of one grade in one team (overrides the default)."""

    team: str = Field(description="A team in workforce.teams.")
    grade: Grade = Field(description="A grade of that team's staff.")
    tier: Tier = Field(description="A tier the team takes and the grade may hold.")
    cases_per_worker: float = Field(ge=0.0, le=1000.0, description="Unit: cases per worker.")


class InitialCaseload(Section):
    """Cases already open when the run starts, so that it need not start empty.

    Each case is held by a worker whose grade may hold its tier outright, part-way through its
    first assessment (or, for immediate risk, its s47 enquiry after a strategy discussion held at
    the start). A fractional number of cases per worker is met on average. Initial cases count
    in caseloads, open cases and utilisation from the start date, but not in the KPIs timed from
    a referral (they were referred before the run).
    """

    cases_per_worker: TierCases = Field(
        default_factory=TierCases,
        description="Open cases per case-holding worker who may hold the tier outright.",
    )
    rows: list[InitialCaseloadRow] = Field(
        default_factory=list,
        description="Per team and grade overrides (a CSV named in csv is read into these).",
    )
    csv: str | None = Field(
        None,
        description=(
            "A CSV file with columns team, grade, tier, cases_per_worker (path relative to the "
            "scenario file); its rows are added to rows when the scenario is loaded."
        ),
    )

    @property
    def any(self) -> bool:
        return any(v > 0 for v in self.cases_per_worker.model_dump().values()) or any(
            row.cases_per_worker > 0 for row in self.rows
        )
