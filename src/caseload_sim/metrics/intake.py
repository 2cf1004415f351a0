"""KPIs of the front door's intake: contacts, referrals, decisions and re-referrals."""

from __future__ import annotations

import numpy as np

from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.stats import pct
from caseload_sim.metrics.view import RunView

#: DfE definition: a re-referral is a referral within 12 months of the child's previous one.
RE_REFERRAL_WINDOW_DAYS = 365.0


@kpi(
    "contacts_count",
    unit="count",
    plain="contacts received",
    reading="About {mean:,.0f} contacts were received in the measured period",
    description="Contacts received.",
    numerator="contacts arriving in the measured period",
)
def contacts_count(view: RunView) -> float:
    events = view.events
    return float(view.within(events.time[events.of("contact")]).sum())


@kpi(
    "referrals_count",
    unit="count",
    plain="referrals",
    reading="About {mean:,.0f} contacts became referrals in the measured period",
    description="Contacts accepted as referrals.",
    numerator="referrals decided in the measured period",
)
def referrals_count(view: RunView) -> float:
    return float(view.within(view.cases.decided_at).sum())


@kpi(
    "contact_decision_within_timescale_pct",
    unit="%",
    plain="contacts decided within timescale",
    reading="About {mean:.0f} in 100 contacts were decided within {decision}",
    description="Contacts decided (screened) within the decision timescale.",
    numerator="screening decisions in the period within decision_wd of the contact",
    denominator="screening decisions in the period",
)
def contact_decisions_on_time(view: RunView) -> float:
    events = view.events
    contact = events.of("contact")
    screened = events.of("screened")
    # Case numbers are given out in contact order, so they index an array of arrival times.
    arrived = np.full(int(events.case.max()) + 1 if events.case.size else 0, np.nan)
    arrived[events.case[contact]] = events.time[contact]
    times = events.time[screened]
    mask = (times >= view.start) & (times <= view.end)
    elapsed = view.elapsed_wd(arrived[events.case[screened][mask]], times[mask])
    return pct(elapsed <= view.timescales.decision_wd)


@kpi(
    "re_referral_pct",
    unit="%",
    plain="re-referrals within 12 months",
    reading="About {mean:.0f} in 100 referrals were of a child referred in the previous 12 months",
    description="Referrals within 12 months of a previous referral of the same child.",
    numerator="re-referrals decided in the period",
    denominator="referrals decided in the period",
)
def re_referrals(view: RunView) -> float:
    cases = view.cases
    is_re_referral = (cases.referral_at - cases.previous_referral_at) <= RE_REFERRAL_WINDOW_DAYS
    return pct(is_re_referral[view.within(cases.decided_at)])  # NaN compares False
