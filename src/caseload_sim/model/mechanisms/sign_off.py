"""Managers' sign-off: recording allocation decisions and authorising assessments.

A team manager records each allocation decision (their time; the case does not wait for it)
and signs off each initial, core or single assessment, which counts as completed only then, as
the Department for Education counts an assessment at its date of authorisation. Busy managers
sign off late: the inspection's "managerial oversight ... frequently not recorded".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseload_sim.model.engine import Followed, Signal
from caseload_sim.model.mechanisms.base import Mechanism, mechanism
from caseload_sim.model.work import Task

if TYPE_CHECKING:
    from caseload_sim.model.frontdoor import FrontDoor
    from caseload_sim.model.referral import Referral
    from caseload_sim.model.worktime import Worker

#: The assessments a manager authorises.
SIGNED_OFF = frozenset({"initial_assessment", "core_assessment", "single_assessment"})


class SignOff(Mechanism):
    """Allocation decisions recorded, and assessments authorised, by team managers."""

    name = "sign_off"

    def __init__(self, door: FrontDoor) -> None:
        self.settings = door.scenario.workforce.sign_off
        self.ctx = door.ctx
        self.staff = door.staff

    def allocated(self, referral: Referral, lead: Worker) -> None:
        settings = self.settings
        # With every manager post empty the decision goes unrecorded.
        if settings.allocation_hours <= 0 or referral.initial or not self.staff.managers:
            return
        ctx = self.ctx
        now = ctx.env.now
        self.staff.manager_for(lead).assign(
            Task(
                "allocation_decision",
                referral,
                settings.allocation_hours,
                ctx.calendar.deadline(now, settings.target_wd),
                referral.tier_rank,
                next(ctx.seq),
            )
        )

    def gate(self, referral: Referral, kind: str) -> Followed[None] | None:
        if self.settings.assessment_hours <= 0 or kind not in SIGNED_OFF:
            return None
        return self._authorised(referral)

    def _authorised(self, referral: Referral) -> Followed[None]:
        ctx, staff, settings = self.ctx, self.staff, self.settings
        env = ctx.env
        finished_at = env.now
        author = referral.lead
        manager = staff.manager_for(author) if author is not None else staff.any_manager()
        signed = Signal()
        manager.assign(
            Task(
                "sign_off",
                referral,
                settings.assessment_hours,
                ctx.calendar.deadline(finished_at, settings.target_wd),
                referral.tier_rank,
                next(ctx.seq),
                done=signed,
            )
        )
        yield signed
        ctx.log.record(
            env.now, "assessment_signed_off", referral.case_id, manager.index, env.now - finished_at
        )


@mechanism("sign_off")
def _sign_off(door: FrontDoor) -> Mechanism | None:
    return SignOff(door) if door.scenario.workforce.sign_off.enabled else None
