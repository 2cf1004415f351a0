"""Scenario parameters estimated from a council's Annex A lists, each with its evidence.

What the lists show directly:

- **Contacts** (list 1): first contacts per working day, and their weekday and month profiles
  (a non-homogeneous Poisson process: the rate of each working day is the mean rate times the
  weekday and month factors, as the model draws it). A contact is a *first* contact unless it
  is the contact of a re-referral: the model generates re-referrals separately, so they are
  taken out of the contact rate.
- **Conversion and re-referrals** (lists 1 and 3): the share of first contacts that become
  referrals, and the share of referrals that are re-referrals (``Number of Referrals in Last
  12 Months`` above 1), which in a steady state is the model's re-referral probability.
- **Tiers and outcomes** (lists 3, 4 and 5): immediate-risk referrals are those whose strategy
  discussion began within the base's target for one (a working day) of the referral, most
  being held later, during an assessment; disabled children are those assessed with a
  disability; the share
  of referrals reaching an s47 enquiry, of s47 enquiries reaching an initial child protection
  conference, and of conferences making a plan. Shares that need follow-up use only what began
  ``FOLLOW_UP_DAYS`` or more before the end of the data.
- **Elapsed working days** from referral to the start of the assessment, from its start to
  authorisation, and from strategy discussion to conference, each fitted with several families
  by maximum likelihood and compared by AIC, with a Kolmogorov-Smirnov statistic.
- **Caseloads** per worker and cases per team, from ``Allocated Worker`` and ``Allocated
  Team``.

Effort (worker hours per assessment) cannot be seen in the lists; :mod:`caseload_sim.calibrate.
search` finds it by simulation.

One module each: :mod:`~caseload_sim.calibrate.demand` (contacts and referrals),
:mod:`~caseload_sim.calibrate.tiers_and_outcomes`, :mod:`~caseload_sim.calibrate.elapsed_times`,
with :mod:`~caseload_sim.calibrate.linking` to join one child's records across lists; the result
is a :class:`~caseload_sim.calibrate.estimates.Calibration`. This module ties them together and
adds the caseloads.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.calibrate.demand import fit_demand
from caseload_sim.calibrate.elapsed_times import COMPLETION_DAYS, fit_elapsed_times
from caseload_sim.calibrate.estimates import Calibration, FittedValue
from caseload_sim.calibrate.tiers_and_outcomes import fit_tiers_and_outcomes

if TYPE_CHECKING:
    import pandas as pd

    from caseload_sim.calibrate.annex_a import AnnexData
    from caseload_sim.scenario.schema import Scenario

__all__ = ["COMPLETION_DAYS", "Calibration", "FittedValue", "fit", "working_calendar"]


def working_calendar(first: dt.date, last: dt.date) -> WorkingCalendar:
    """An England calendar spanning the data (working days as the model counts them)."""
    return WorkingCalendar("england", first, float((last - first).days + 1))


def fit(data: AnnexData, base: Scenario) -> Calibration:
    """Estimate what the lists show of the service; the base scenario gives the rest."""
    # Optional columns a list may lack are read as missing throughout.
    contacts = _with_columns(data.lists[1], ("contact_source",))
    referrals = _with_columns(
        data.lists[3],
        ("referral_source", "referrals_last_12_months", "allocated_team", "allocated_worker"),
    )
    assessments = data.lists.get(4)
    if assessments is not None:
        assessments = _with_columns(assessments, ("assessment_authorised", "disability"))
    enquiries = data.lists.get(5)
    if enquiries is not None:
        enquiries = _with_columns(enquiries, ("icpc_date", "cp_plan"))
    # The contact rate is measured over list 1's own dates; shares that compare two lists over
    # the dates both cover.
    first = contacts["contact_date"].min().date()
    last = contacts["contact_date"].max().date()
    notes: list[str] = []
    referral_first = referrals["referral_date"].min().date()
    referral_last = referrals["referral_date"].max().date()
    common = (max(first, referral_first), min(last, referral_last))
    if abs((referral_first - first).days) > 31 or abs((referral_last - last).days) > 31:
        notes.append(
            f"Lists 1 and 3 cover different dates ({first:%d/%m/%Y} to {last:%d/%m/%Y} and "
            f"{referral_first:%d/%m/%Y} to {referral_last:%d/%m/%Y}): the contact rate uses "
            "list 1's dates, the conversion the dates both cover."
        )
    # Every date of every list must lie on the calendar (assessments begun before the first
    # contact of the export, conferences after its last), with a margin.
    dates = [
        frame[column]
        for frame in data.lists.values()
        for column in frame.columns
        if column != "row" and str(frame[column].dtype).startswith("datetime64")
    ]
    earliest = min([first, *(d.min().date() for d in dates if d.notna().any())])
    latest = max([last, *(d.max().date() for d in dates if d.notna().any())])
    calendar = working_calendar(earliest, latest + dt.timedelta(days=400))
    window = f"{first:%d/%m/%Y} to {last:%d/%m/%Y}"
    values, counts = fit_demand(contacts, referrals, calendar, (first, last), common, window, notes)
    values += fit_tiers_and_outcomes(
        referrals, assessments, enquiries, base, window, notes, calendar
    )
    distributions = fit_elapsed_times(referrals, assessments, enquiries, calendar)
    sources = {
        "contacts": _shares(contacts.get("contact_source")),
        "referrals": _shares(referrals.get("referral_source")),
    }
    teams, per_worker = _caseloads(referrals)
    return Calibration(
        source=str(data.source),
        window=(first, last),
        values=values,
        distributions=distributions,
        sources=sources,
        teams=teams,
        cases_per_worker=per_worker,
        daily_contacts=counts,
        notes=notes,
    )


def _caseloads(referrals: pd.DataFrame) -> tuple[dict[str, tuple[int, int, float]], np.ndarray]:
    """Workers seen, referrals allocated and referrals per worker in each team, and the
    referrals allocated to each worker."""
    teams: dict[str, tuple[int, int, float]] = {}
    per_worker = np.zeros(0)
    if "allocated_worker" in referrals and referrals["allocated_worker"].notna().any():
        allocated = referrals.dropna(subset=["allocated_worker"])
        per_worker = allocated.groupby("allocated_worker").size().to_numpy(dtype=float)
        if "allocated_team" in allocated:
            for team, rows in allocated.dropna(subset=["allocated_team"]).groupby("allocated_team"):
                workers = rows["allocated_worker"].nunique()
                teams[str(team)] = (int(workers), len(rows), len(rows) / max(workers, 1))
    return teams, per_worker


def _with_columns(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """The table with each optional column it lacks added, all missing."""
    missing = [name for name in names if name not in frame]
    if not missing:
        return frame
    return frame.assign(**{name: None for name in missing})


def _shares(column: pd.Series | None) -> dict[str, float]:
    """The share of each code in a column, blanks left out."""
    if column is None:
        return {}
    present = column.dropna()
    if present.empty:
        return {}
    counts = present.value_counts(normalize=True)
    return {str(code): round(float(share), 4) for code, share in counts.items()}
