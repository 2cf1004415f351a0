"""Assessment quality: whether each assessment is adequate.

An initial, core or single assessment is inadequate with a chance that rises with the lead's
load against their cap, when their supervision is overdue and when they are unqualified, and
falls once they are trained (:mod:`.training`); the uniform that decides it was drawn when the
contact arrived (the ``quality`` stream), so two scenarios judge the same assessment with the
same draw. An inadequate assessment makes the case more likely to come back as a re-referral.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseload_sim.model.mechanisms.base import Mechanism, mechanism
from caseload_sim.model.mechanisms.sign_off import SIGNED_OFF
from caseload_sim.model.mechanisms.supervision import SupervisionSchedule
from caseload_sim.scenario.schema import QUALIFIED_GRADES

if TYPE_CHECKING:
    from caseload_sim.model.frontdoor import FrontDoor
    from caseload_sim.model.referral import Referral
    from caseload_sim.model.worktime import Worker


class AssessmentQuality(Mechanism):
    """Whether each assessment is adequate, and what an inadequate one does to re-referral."""

    name = "quality"

    def __init__(self, door: FrontDoor) -> None:
        self.settings = door.scenario.workforce.quality
        self.ctx = door.ctx
        self.staff = door.staff
        self.door = door
        self.supervision: SupervisionSchedule | None = None

    def start(self) -> None:

        found = self.door.mechanism("supervision")
        self.supervision = found if isinstance(found, SupervisionSchedule) else None

    def after_work(self, referral: Referral, kind: str, effort_hours: float, lead: Worker) -> None:
        if kind not in SIGNED_OFF:
            return
        inadequate = float(referral.specs.quality_draw[kind][referral.row]) < self.chance(lead)
        referral.inadequate = referral.inadequate or inadequate
        self.ctx.log.record(
            self.ctx.env.now, "assessment_rated", referral.case_id, lead.index, float(inadequate)
        )

    def chance(self, lead: Worker) -> float:
        """The chance that an assessment the lead completes now is inadequate."""
        quality = self.settings
        chance = quality.base_inadequate_probability
        if lead.caseload_cap > 0:
            chance *= 1.0 + quality.load_effect * lead.load / lead.caseload_cap
        now = self.ctx.env.now
        if self.supervision is not None and self.supervision.out_of_standard(lead, now):
            chance *= 1.0 + quality.unsupervised_effect
        if lead.grade not in QUALIFIED_GRADES:
            chance *= 1.0 + quality.unqualified_effect
        if now >= lead.trained_from:
            chance *= 1.0 - self.staff.current.workforce.training.effect
        return min(1.0, chance)

    def return_chance(self, referral: Referral, chance: float) -> float:
        if referral.inadequate:
            return min(1.0, chance * self.settings.re_referral_multiplier)
        return chance


@mechanism("quality")
def _quality(door: FrontDoor) -> Mechanism | None:
    return AssessmentQuality(door) if door.scenario.workforce.quality.enabled else None
