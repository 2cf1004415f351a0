"""The front door assembled: contacts in, screening, referrals through their pathway, cases out.

```
contact --screen--> NFA / advice / early help                          (intake)
   v
referral --> allocation --> assessment or s47 enquiry --> leaving     (allocation, pathway)
   worked by the staff in post, most urgent first                     (staff, worktime)
   with the workforce mechanisms switched on                          (mechanisms)
   and the dated changes of the timeline                              (timeline)
```

:class:`FrontDoor` only puts these parts together for one replication, in an order that fixes
the order of the simulation's events (and so its results); :func:`simulate` runs it and returns
plain data (:class:`~caseload_sim.model.results.RunResult`).
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

import numpy as np

from caseload_sim.model.allocation import AllocationBoard
from caseload_sim.model.cases import CaseBook, case_table
from caseload_sim.model.context import RunContext
from caseload_sim.model.initial_caseload import open_initial_caseload
from caseload_sim.model.intake import Intake
from caseload_sim.model.mechanisms import Mechanism, in_order
from caseload_sim.model.mechanisms.base import taking_part
from caseload_sim.model.observe import sample_timeseries
from caseload_sim.model.partners import PoliceAvailability
from caseload_sim.model.pathway import Pathway
from caseload_sim.model.referral import Referral
from caseload_sim.model.results import Period, PostRecord, RunResult
from caseload_sim.model.staff import Staff, build_workers
from caseload_sim.model.timeline import follow_timeline
from caseload_sim.randomness import RandomStreams
from caseload_sim.scenario.schema import Scenario
from caseload_sim.scenario.timeline import measured_periods, stages

# A run creates hundreds of thousands of short-lived objects that are freed by reference
# counting; collecting less often saves much of the collector's time and changes nothing in
# the results.
_GC_THRESHOLD = 50_000


class FrontDoor:
    """The simulated service for one replication."""

    def __init__(
        self, scenario: Scenario, seed: int, replication: int, splits: Sequence[float] = ()
    ) -> None:
        self.scenario = scenario
        self.ctx = ctx = RunContext(scenario, RandomStreams(seed, replication))
        self.env = ctx.env
        #: the service at the start and after each dated change (empty without a timeline)
        self.stages = stages(scenario) if scenario.timeline else []
        periods = measured_periods(scenario)
        self.period_bounds = (
            [*(p.start for p in periods), periods[-1].end]
            if periods
            else [ctx.measured_from, ctx.measured_to]
        )
        self.period_labels = [p.label for p in periods]
        # Busy time is counted between these bounds: the periods', and any further times asked
        # for (the dated changes of another option, to measure this one over its periods).
        self.busy_bounds = sorted(
            {*self.period_bounds, *(t for t in splits if ctx.measured_from < t < ctx.measured_to)}
        )
        # Each period's change and its transition (working days), to find when it settled.
        self.period_transitions = [(p.start, p.transition_wd) for p in periods]
        #: whether posts change during the run (their history is then kept for the KPIs)
        self.posts_change = scenario.workforce.flow.enabled or bool(self.stages)

        # The parts, each given what it acts on. Each worker's process starts when the worker
        # is built; everything after that is in the order that fixes the order of simultaneous
        # events (and so the results): mechanisms, the timeline, the open caseload, arrivals,
        # the time series.
        workers, duty_inbox = build_workers(ctx, self.busy_bounds)
        self.board = AllocationBoard(ctx.env, scenario, ctx.calendar, workers, ctx.log)
        self.staff = Staff(ctx, workers, duty_inbox, self.board, self.busy_bounds)
        self.cases = CaseBook()
        self.pathway = Pathway(
            ctx,
            self.staff,
            self.board,
            PoliceAvailability(scenario.partners.police, ctx.calendar),
            self.cases,
            returns=self._returns,
        )
        self.board.on_allocated = self.pathway.allocated
        self.intake = Intake(ctx, self.cases, duty_inbox, referred=self.pathway.referred)
        #: the workforce mechanisms switched on, in the order their hooks are called
        self.mechanisms: list[Mechanism] = []
        for name, factory in in_order():
            built = factory(self)
            if built is None:
                continue
            if built.name != name:
                raise ValueError(f"the mechanism registered as {name!r} is named {built.name!r}")
            self.mechanisms.append(built)
        self._on_stage = [m.stage_changed for m in taking_part(self.mechanisms, "stage_changed")]
        self._connect_mechanisms()
        for mechanism in self.mechanisms:
            mechanism.start()
        if len(self.stages) > 1:
            ctx.env.process(
                follow_timeline(self.staff, self.board, self.stages, self._stage_changed)
            )
        if scenario.initial_caseload.any:
            open_initial_caseload(ctx, self.staff, self.cases)
        self.intake.start()
        self.timeseries: list[dict[str, float]] = []
        ctx.env.process(
            sample_timeseries(
                self.staff,
                self.cases,
                taking_part(self.mechanisms, "sample"),
                self.stages,
                self.posts_change,
                self.timeseries,
            )
        )

    def _connect_mechanisms(self) -> None:
        mechanisms = self.mechanisms
        self.pathway.take_part(mechanisms)
        self.staff.post_added += [m.post_added for m in taking_part(mechanisms, "post_added")]
        self.staff.managers_changed += [
            m.managers_changed for m in taking_part(mechanisms, "managers_changed")
        ]

    def mechanism(self, name: str) -> Mechanism | None:
        """The mechanism of this name, if it is switched on."""
        return next((m for m in self.mechanisms if m.name == name), None)

    def _returns(self, previous: Referral) -> None:
        # The pathway is built before the intake it sends returning children back to.
        self.intake.returns(previous)

    def _stage_changed(self, previous: Scenario, current: Scenario) -> None:
        for hook in self._on_stage:
            hook(previous, current)

    # -- running -------------------------------------------------------------------------------
    def run(self) -> RunResult:
        """Run to the end of the horizon and return what happened, as plain data."""
        threshold = gc.get_threshold()
        gc.set_threshold(max(threshold[0], _GC_THRESHOLD), *threshold[1:])
        try:
            self.ctx.env.run(until=self.ctx.measured_to)
        finally:
            gc.set_threshold(*threshold)
        for worker in self.staff.workers:
            worker.finish_run(self.ctx.measured_to)
        return self._result()

    def _result(self) -> RunResult:
        ctx, intake = self.ctx, self.intake
        cp_plan = self.scenario.pathway.cp_plan_probability
        bounds = self.period_bounds
        periods = (
            [
                Period(
                    label, bounds[i], bounds[i + 1], self._settled_at(*self.period_transitions[i])
                )
                for i, label in enumerate(self.period_labels)
            ]
            if len(bounds) > 2
            else []
        )
        return RunResult(
            scenario=self.scenario,
            seed=ctx.streams.seed,
            replication=ctx.streams.replication,
            calendar=ctx.calendar,
            measured_from=ctx.measured_from,
            measured_to=ctx.measured_to,
            events=ctx.log.arrays(),
            cases=case_table(self.cases.referrals, cp_plan),
            initial_cases=case_table(self.cases.initial, cp_plan),
            posts=self._post_records(),
            timeseries=self.timeseries,
            contact_case=np.array(intake.contact_case, dtype=np.int64),
            contact_child=np.array(intake.contact_child, dtype=np.int64),
            contacts=intake.contacts,
            screened_out=intake.screened_out,
            awaiting_screening=intake.awaiting_screening(),
            periods=periods,
            busy_bounds=list(self.busy_bounds),
            mechanisms={m.name: found for m in self.mechanisms if (found := m.results())},
        )

    def _settled_at(self, change: float, transition_wd: float) -> float:
        """00:00 of the working day the transition after a change ends (the change itself if
        there is none): when the dip in productivity is over."""
        if transition_wd <= 0:
            return change
        return min(self.staff.posts.working_day_after(change, transition_wd), self.ctx.measured_to)

    def _post_records(self) -> list[PostRecord]:
        staff = self.staff
        holders = {id(w) for w in staff.case_holders}
        history = staff.posts.history if self.posts_change else {}
        return [
            PostRecord(
                index=w.index,
                grade=w.grade,
                post_grade=w.post_grade,
                team=w.team,
                holds_cases=id(w) in holders,
                fte=w.fte,
                fte_changes=list(w.fte_history),
                absences=list(w.absences),
                busy_days=w.busy_days,
                busy_by_period=list(w.busy_by_period),
                history=history.get(w.index),
            )
            for w in staff.workers
        ]


def simulate(
    scenario: Scenario,
    seed: int | None = None,
    replication: int = 0,
    splits: Sequence[float] = (),
) -> RunResult:
    """Run one replication of a scenario.

    Parameters
    ----------
    scenario
        A validated scenario.
    seed
        Root seed; defaults to the scenario's own.
    replication
        Replication index; with the seed it fixes every random stream.
    splits
        Times (model days) at which to count working time apart, besides the scenario's own
        dated changes, so that KPIs can be measured over windows that end there (another
        option's periods). They change nothing in the run.
    """
    root = scenario.simulation.seed if seed is None else seed
    return FrontDoor(scenario, root, replication, splits).run()
