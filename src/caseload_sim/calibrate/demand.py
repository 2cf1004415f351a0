"""Demand from lists 1 and 3: first contacts per working day and their profiles, the share
that become referrals, and the share of referrals that are re-referrals.

Contacts arrive as a non-homogeneous Poisson process: the rate of each working day is the mean
rate times the weekday and month factors, as the model draws it. A contact is a *first* contact
unless it is the contact of a re-referral: the model generates re-referrals separately, so they
are taken out of the contact rate. A re-referral is a referral whose ``Number of Referrals in
Last 12 Months`` shows an earlier one; in a steady state their share is the model's re-referral
probability.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import numpy as np

from caseload_sim.calibrate.estimates import FittedValue, binomial_interval, poisson_interval

if TYPE_CHECKING:
    import pandas as pd

    from caseload_sim.calendar import WorkingCalendar

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def fit_demand(
    contacts: pd.DataFrame,
    referrals: pd.DataFrame,
    calendar: WorkingCalendar,
    contact_dates: tuple[dt.date, dt.date],
    common: tuple[dt.date, dt.date],
    window: str,
    notes: list[str],
) -> tuple[list[FittedValue], pd.Series]:
    """The demand fields, and the first contacts on each working day of list 1.

    ``contact_dates`` are list 1's first and last dates (``window`` says them in words), over
    which the contact rate is measured; ``common`` are the dates lists 1 and 3 both cover, over
    which the conversion is; ``notes`` gains a line for anything the data cannot show."""
    import pandas as pd

    first, last = contact_dates
    values: list[FittedValue] = []
    days = pd.DatetimeIndex(
        calendar.working_day_dates(
            calendar.from_date(first), calendar.from_date(last + dt.timedelta(days=1))
        )
    )
    n12 = pd.to_numeric(referrals["referrals_last_12_months"], errors="coerce")
    # Annex A counts this referral among the last 12 months' (so a re-referral has 2 or more);
    # an export that counts only earlier referrals has zeros, and a re-referral has 1 or more.
    threshold = 1 if (n12 == 0).any() else 2
    if threshold == 1:
        notes.append(
            "'Number of Referrals in Last 12 Months' has zeros: it is read as counting earlier "
            "referrals only, so a re-referral is a count of 1 or more."
        )
    is_re_referral = (n12.fillna(0) >= threshold).to_numpy(dtype=bool)
    re_referrals = int(is_re_referral.sum())
    on_working_day = _to_working_day(contacts["contact_date"], calendar)
    re_referral_days = _to_working_day(referrals.loc[is_re_referral, "referral_date"], calendar)
    counts = on_working_day.value_counts().reindex(days, fill_value=0)
    counts = counts.sub(re_referral_days.value_counts().reindex(days, fill_value=0)).clip(lower=0)
    first_contacts = int(counts.sum())
    rate = counts.mean()
    values.append(
        FittedValue(
            "demand.contacts_per_working_day",
            round(float(rate), 3),
            first_contacts,
            f"list 1, {window}: {first_contacts:,} first contacts (re-referrals taken out) over "
            f"{len(days)} working days; 95% CI {poisson_interval(first_contacts, len(days))}",
        )
    )
    weekday_means = counts.groupby(counts.index.day_of_week).mean()
    weekday = {_WEEKDAYS[d]: float(weekday_means.get(d, rate) / rate) for d in range(5)}
    values.append(
        FittedValue(
            "demand.weekday_profile",
            {k: round(v, 3) for k, v in weekday.items()},
            first_contacts,
            f"list 1, {window}: mean first contacts on each weekday over the mean",
        )
    )
    month_means = counts.groupby(counts.index.month).mean()
    covered = sorted(month_means.index)
    month = {
        _MONTHS[m - 1]: float(month_means[m] / rate) if m in month_means.index else 1.0
        for m in range(1, 13)
    }
    evidence = f"list 1, {window}: mean first contacts per working day in each month over the mean"
    if len(covered) < 12:
        evidence += f"; months without data ({12 - len(covered)}) set to 1"
        notes.append("The data cover less than a year: months without data keep a profile of 1.")
    values.append(
        FittedValue(
            "demand.month_profile",
            {k: round(v, 3) for k, v in month.items()},
            first_contacts,
            evidence,
        )
    )
    both = (referrals["referral_date"] >= pd.Timestamp(common[0])) & (
        referrals["referral_date"] <= pd.Timestamp(common[1])
    )
    new_referrals = int((both.to_numpy(dtype=bool) & ~is_re_referral).sum())
    in_common = (counts.index >= pd.Timestamp(common[0])) & (
        counts.index <= pd.Timestamp(common[1])
    )
    common_contacts = int(counts[in_common].sum())
    conversion = new_referrals / common_contacts if common_contacts else math.nan
    if common_contacts:
        values.append(
            FittedValue(
                "demand.referral_conversion",
                round(min(1.0, conversion), 4),
                common_contacts,
                f"lists 1 and 3, {common[0]:%d/%m/%Y} to {common[1]:%d/%m/%Y}: "
                f"{new_referrals:,} referrals that are not re-referrals from "
                f"{common_contacts:,} first contacts; 95% CI "
                f"{binomial_interval(min(new_referrals, common_contacts), common_contacts)}",
            )
        )
    known = int(n12.notna().sum())
    if not known:
        notes.append(
            "List 3 has no 'Number of Referrals in Last 12 Months': re-referrals cannot be told "
            "apart, so every contact counts as a first contact and the re-referral probability "
            "is the base's."
        )
    share = re_referrals / known if known else math.nan
    if known:
        values.append(
            FittedValue(
                "demand.re_referral_probability",
                round(min(share, 0.95), 4),
                known,
                f"list 3, {window}: {re_referrals:,} of {known:,} referrals had an earlier "
                f"referral within 12 months; 95% CI {binomial_interval(re_referrals, known)}",
            )
        )
    return values, counts


def _to_working_day(dates: pd.Series, calendar: WorkingCalendar) -> pd.Series:
    """Each date, moved to the first working day on or after it (a contact on a Saturday is
    dealt with on Monday, as the model's out-of-hours contacts are)."""
    import pandas as pd

    origin = np.datetime64(calendar.start_date, "D")
    offsets = (dates.to_numpy(dtype="datetime64[D]") - origin).astype(float)
    starts = np.array([calendar.next_working_start(t) for t in offsets])
    return pd.Series(pd.to_datetime(origin + np.floor(starts).astype("timedelta64[D]")))
