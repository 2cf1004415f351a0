"""Recording: owed after casework, done when nothing more urgent waits, overdue when busy."""

from __future__ import annotations

import math

import pytest

from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.model.frontdoor import simulate
from conftest import small_county

ON = "workforce.recording.enabled=true"
ROOMY = ("workforce.teams.north.staff.sw=12", "workforce.teams.south.staff.sw=12")


def test_every_record_owed_is_written_or_still_owed() -> None:
    result = simulate(small_county(ON, *ROOMY), seed=2)
    reported = result.mechanisms["recording"]
    records = list(
        zip(
            reported["done_at"].tolist(),
            reported["due_at"].tolist(),
            reported["written_at"].tolist(),
            strict=True,
        )
    )
    assert records
    written = [r for r in records if not math.isnan(r[2])]
    assert written, "a worker with spare time writes records"
    for created, due, done in records:
        assert created <= due
        if not math.isnan(done):
            assert done >= created
    # One record per assessment or enquiry completed.
    completed = result.events.of("assessment_completed").sum()
    assert len(records) == completed


def test_staff_with_time_keep_records_up_to_date_and_busy_staff_fall_behind() -> None:
    roomy = compute_kpis(simulate(small_county(ON, *ROOMY), seed=3))
    busy = compute_kpis(simulate(small_county(ON), seed=3))
    assert roomy["recording_overdue_pct"] < 15
    assert busy["recording_overdue_pct"] > roomy["recording_overdue_pct"] + 10
    assert busy["recording_backlog_hours_mean"] > roomy["recording_backlog_hours_mean"]


def test_without_recording_nothing_changes() -> None:
    off = compute_kpis(simulate(small_county(), seed=4))
    assert math.isnan(off["recording_overdue_pct"])
    assert math.isnan(off["recording_backlog_hours_mean"])
    same = compute_kpis(simulate(small_county("workforce.recording.enabled=false"), seed=4))
    assert off == pytest.approx(same, nan_ok=True)
