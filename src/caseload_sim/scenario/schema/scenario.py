"""The whole scenario, and the checks that span its sections."""

from __future__ import annotations

from pydantic import Field, model_validator

from caseload_sim.scenario.schema.base import GRADES, TIERS, Section
from caseload_sim.scenario.schema.costs import Costs
from caseload_sim.scenario.schema.demand import Demand
from caseload_sim.scenario.schema.partners import Partners
from caseload_sim.scenario.schema.pathway import Pathway
from caseload_sim.scenario.schema.simulation import InitialCaseload, Simulation
from caseload_sim.scenario.schema.timeline import TimelineEntry
from caseload_sim.scenario.schema.workforce import Workforce

# ------------------------------------------------------------------------------------- scenario


class Scenario(Section):
    """A front-door scenario: demand, pathway, workforce, partners and run settings."""

    name: str = Field(
        "scenario", min_length=1, max_length=200, description="Short name used in results."
    )
    description: str = Field("", description="What this scenario represents and its sources.")
    demand: Demand = Field(default_factory=lambda: Demand(contacts_per_year=24_200.0))
    pathway: Pathway = Field(default_factory=Pathway)
    workforce: Workforce = Field(default_factory=Workforce)
    partners: Partners = Field(default_factory=Partners)
    simulation: Simulation = Field(default_factory=Simulation)
    initial_caseload: InitialCaseload = Field(default_factory=InitialCaseload)
    costs: Costs | None = Field(
        None,
        description=(
            "What the staff cost, for the cost KPIs and value for money in comparisons "
            "(absent: no cost is counted)."
        ),
    )
    timeline: list[TimelineEntry] = Field(
        default_factory=list,
        description=(
            "Dated changes, in date order: [[timeline]] tables, each with a date and the fields "
            "it changes. KPIs are also reported for each period between changes."
        ),
    )

    @model_validator(mode="after")
    def _coherent(self) -> Scenario:
        self._check_every_tier_has_a_holder()
        self._check_initial_caseload()
        self._check_managers_and_duty()
        self._check_whole_working_days()
        if self.simulation.calendar == "continuous" and self.demand.out_of_hours_share > 0:
            raise ValueError(
                "demand.out_of_hours_share must be 0 on the continuous calendar "
                "(every hour is working time)"
            )
        self._check_timeline()
        return self

    def _check_timeline(self) -> None:
        if not self.timeline and not self.workforce.flow.enabled:
            return
        if self.simulation.calendar != "england":
            raise ValueError(
                "a timeline and workforce.flow need the england calendar (changes happen "
                "between working days)"
            )
        if self.simulation.working_day_start_hour <= 0:
            raise ValueError(
                "a timeline and workforce.flow need simulation.working_day_start_hour above 0 "
                "(changes of holder and dated changes happen at 00:00, outside working time)"
            )
        from caseload_sim.scenario.timeline import stages

        stages(self)  # every stage must itself be a valid scenario

    def _check_every_tier_has_a_holder(self) -> None:
        workforce = self.workforce
        for tier in TIERS:
            if getattr(self.demand.tier_mix, tier) <= 0:
                continue
            holders = [
                f"{team_name}.{grade}"
                for team_name, team in workforce.teams.items()
                if tier in team.tiers
                for grade in GRADES
                if getattr(team.staff, grade) > 0
                and getattr(getattr(workforce.eligibility, grade), tier) == "hold"
                and getattr(workforce.grades, grade).caseload_cap > 0
            ]
            if not holders:
                raise ValueError(
                    f"no worker may hold {tier} referrals (demand.tier_mix.{tier} > 0): give a "
                    "team that takes this tier staff of a grade whose eligibility is 'hold' and "
                    "whose caseload_cap is above 0"
                )

    def _check_initial_caseload(self) -> None:
        teams = self.workforce.teams
        for index, row in enumerate(self.initial_caseload.rows):
            where = f"initial_caseload.rows[{index}]"
            if row.team not in teams:
                raise ValueError(
                    f"{where}.team is {row.team!r}; allowed: {', '.join(sorted(teams))}"
                )
            if row.tier not in teams[row.team].tiers:
                raise ValueError(f"{where}: team {row.team!r} does not take {row.tier} referrals")
            rule = getattr(getattr(self.workforce.eligibility, row.grade), row.tier)
            if rule != "hold" and row.cases_per_worker > 0:
                raise ValueError(
                    f"{where}: grade {row.grade} may not hold {row.tier} cases outright "
                    f"(workforce.eligibility.{row.grade}.{row.tier} is {rule!r})"
                )

    def _check_whole_working_days(self) -> None:
        # Working days are counted by date on the England calendar, so only whole days make sense.
        if self.simulation.calendar != "england":
            return
        periods = {
            f"pathway.timescales.{name}": value
            for name, value in self.pathway.timescales.model_dump().items()
        }
        periods["workforce.allocation.over_allocation_after_wd"] = (
            self.workforce.allocation.over_allocation_after_wd
        )
        periods["workforce.sign_off.target_wd"] = self.workforce.sign_off.target_wd
        periods["workforce.recording.overdue_after_wd"] = self.workforce.recording.overdue_after_wd
        for field, value in periods.items():
            if value != int(value):
                raise ValueError(
                    f"{field} is {value:g}: on the england calendar working-day periods must be "
                    "whole numbers (use the continuous calendar for fractions of a day)"
                )

    def _check_managers_and_duty(self) -> None:
        needs_strategy = self.demand.tier_mix.immediate_risk > 0 or any(
            outcome.s47 > 0 for _, outcome in self.pathway.after_first_assessment
        )
        managers = sum(team.staff.tm for team in self.workforce.teams.values())
        if needs_strategy and managers == 0 and self.pathway.effort.strategy_discussion.mean_hours:
            raise ValueError(
                "strategy discussions need a team manager: add staff.tm to a team, or set "
                "pathway.effort.strategy_discussion.mean_hours = 0"
            )
        sign_off = self.workforce.sign_off
        if (
            sign_off.enabled
            and managers == 0
            and (sign_off.assessment_hours > 0 or sign_off.allocation_hours > 0)
        ):
            raise ValueError(
                "workforce.sign_off needs a team manager: add staff.tm to a team, or set "
                "workforce.sign_off.enabled = false"
            )
        if self.pathway.effort.screening.mean_hours > 0 and (
            self.workforce.access_centre.duty_workers == 0
        ):
            raise ValueError(
                "contacts need screening but workforce.access_centre.duty_workers is 0: add duty "
                "workers or set pathway.effort.screening.mean_hours = 0"
            )

    @property
    def first_assessment_timescale_wd(self) -> float:
        """Timescale of the first assessment under the scenario's regime (working days)."""
        timescales = self.pathway.timescales
        if self.pathway.regime == "wt2010":
            return timescales.initial_assessment_wd
        return timescales.single_assessment_wd
