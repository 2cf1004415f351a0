"""The post accounting the KPIs need: when each post was held, and by whom."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseload_sim.model.frontdoor import WorkerRecord


def held_spells(worker: WorkerRecord, start: float, end: float) -> list[tuple[float, float]]:
    """When the post was held within [start, end] (the whole window for a post never vacant)."""
    from caseload_sim.model.workforce import AGENCY, PERMANENT

    if worker.history is None:
        return [(start, end)]
    return worker.history.spells(start, end, (PERMANENT, AGENCY))
