"""KPIs of recording: records written late, and the writing owed."""

from __future__ import annotations

import math

import numpy as np

from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.stats import mean, pct
from caseload_sim.metrics.view import RunView


@kpi(
    "recording_overdue_pct",
    unit="%",
    plain="records written late",
    reading="About {mean:.0f} in 100 records were written later than {recording_due} after "
    "the work",
    description="Records written later than the standard (workforce.recording.overdue_after_wd).",
    numerator="records falling due in the period that were written after their due time or not "
    "written by the end of the run",
    denominator="records falling due in the period",
)
def records_late(view: RunView) -> float:
    records = view.mechanism("recording")
    if records is None:
        return math.nan
    due, written = records["due_at"], records["written_at"]
    falling_due = (due >= view.start) & (due <= view.end)
    late = np.isnan(written) | (written > due)
    return pct(late[falling_due])


@kpi(
    "recording_backlog_hours_mean",
    unit="hours",
    plain="recording owed per worker",
    reading="A case-holding worker owed {mean:.1f} hours of recording on average",
    description="Recording owed and not yet done, per case-holding worker (weekly samples).",
    numerator="sum over samples in the period of the hours owed per case-holding worker",
    denominator="samples in the period",
)
def recording_backlog(view: RunView) -> float:
    if view.mechanism("recording") is None:
        return math.nan
    backlog = np.array(
        [
            row.get("recording_backlog_hours_per_worker", math.nan)
            for row in view.result.timeseries
            if view.start <= row["day"] <= view.end
        ]
    )
    return mean(backlog[~np.isnan(backlog)])
