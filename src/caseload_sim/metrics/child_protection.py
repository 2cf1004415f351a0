"""KPIs of child protection: strategy discussions for children at immediate risk, and the
initial child protection conferences that follow s47 enquiries."""

from __future__ import annotations

import numpy as np

from caseload_sim.metrics.registry import kpi
from caseload_sim.metrics.stats import pct, quantile
from caseload_sim.metrics.view import RunView
from caseload_sim.scenario.schema import TIERS

_IMMEDIATE_RISK = TIERS.index("immediate_risk")


def _strategy_held(view: RunView) -> np.ndarray:
    cases = view.cases
    return view.within(cases.strategy_at) & (cases.tier == _IMMEDIATE_RISK)


def _strategy_delays(view: RunView) -> np.ndarray:
    """Days from referral to strategy discussion, of those held in the window (immediate risk)."""
    cases = view.cases
    mask = view.shared("strategy_held", _strategy_held)
    return cases.strategy_at[mask] - cases.referral_at[mask]


@kpi(
    "referral_to_strategy_discussion_days_median",
    unit="days",
    plain="median wait for a strategy discussion",
    reading="Half of the children at immediate risk had their strategy discussion within "
    "{mean:.2f} days of referral",
    description="Median time from an immediate-risk referral to its strategy discussion.",
    numerator="median over immediate-risk strategy discussions held in the period",
)
def strategy_wait_median(view: RunView) -> float:
    return quantile(view.shared("strategy_delays", _strategy_delays), 0.5)


@kpi(
    "referral_to_strategy_discussion_days_p90",
    unit="days",
    plain="90th percentile wait for a strategy discussion",
    reading="Nine in ten children at immediate risk had their strategy discussion within "
    "{mean:.2f} days of referral",
    description="90th percentile time from an immediate-risk referral to its strategy discussion.",
    numerator="90th percentile over immediate-risk strategy discussions held in the period",
    headline=6,
)
def strategy_wait_p90(view: RunView) -> float:
    return quantile(view.shared("strategy_delays", _strategy_delays), 0.9)


@kpi(
    "strategy_discussion_within_target_pct",
    unit="%",
    plain="strategy discussions within target",
    reading="About {mean:.0f} in 100 strategy discussions for children at immediate risk were "
    "held within {strategy_target} of referral",
    description="Immediate-risk strategy discussions held within the local target.",
    numerator="immediate-risk strategy discussions held in the period within "
    "strategy_discussion_target_wd working days of referral",
    denominator="immediate-risk strategy discussions held in the period",
    headline=7,
    better="higher",
)
def strategy_discussions_on_time(view: RunView) -> float:
    cases = view.cases
    mask = view.shared("strategy_held", _strategy_held)
    elapsed = view.elapsed_wd(cases.referral_at[mask], cases.strategy_at[mask])
    return pct(elapsed <= view.timescales.strategy_discussion_target_wd)


@kpi(
    "icpc_within_timescale_pct",
    unit="%",
    plain="initial child protection conferences within timescale",
    reading="About {mean:.0f} in 100 initial child protection conferences were held within "
    "{icpc} of the strategy discussion",
    description="Initial child protection conferences within timescale.",
    numerator="ICPCs in the period within icpc_after_strategy_wd working days of the "
    "strategy discussion",
    denominator="ICPCs held in the period",
)
def conferences_on_time(view: RunView) -> float:
    cases = view.cases
    mask = view.within(cases.icpc_at)
    elapsed = view.elapsed_wd(cases.strategy_at[mask], cases.icpc_at[mask])
    return pct(elapsed <= view.timescales.icpc_after_strategy_wd)
