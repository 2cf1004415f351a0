"""Value for money of an option against the baseline, paired on common random numbers.

For each option: the paired difference in the staffing cost a year
(``staff_cost_total_gbp_per_year``) and, for each headline KPI with a better direction, the
points gained (the paired difference, signed so that a gain is positive) and the cost of a
point gained: the ratio of the mean cost difference to the mean gain, with Fieller's 95%
interval from the same replications. A KPI that does not move significantly has no cost per
point (None, shown as "—"): its interval would be unbounded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from caseload_sim.experiment.statistics import ratio_interval, t_interval

#: The cost the options are compared on.
COST_KPI = "staff_cost_total_gbp_per_year"

#: Columns of ``value_for_money.csv``.
VALUE_COLUMNS = (
    "scenario",
    "period",
    "kpi",
    "cost_diff_mean",
    "cost_diff_ci95_low",
    "cost_diff_ci95_high",
    "gain_mean",
    "gain_ci95_low",
    "gain_ci95_high",
    "cost_per_point_mean",
    "cost_per_point_ci95_low",
    "cost_per_point_ci95_high",
)


def value_kpis() -> list[str]:
    """The headline KPIs in percentages with a better direction, in headline order: those a
    point of which can be costed."""
    from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS

    return [name for name in HEADLINE_KPIS if KPIS[name].unit == "%" and KPIS[name].better]


def costed(kpis: Mapping[str, float]) -> bool:
    """Whether a replication's KPIs include a staffing cost (the scenario had ``[costs]``)."""
    value = kpis.get(COST_KPI, math.nan)
    return not math.isnan(value)


def value_for_money(
    option: Sequence[Mapping[str, float]], baseline: Sequence[Mapping[str, float]]
) -> dict[str, Any] | None:
    """The cost difference and each costed KPI's gain and cost per point, from the KPIs of the
    option's and the baseline's replications, pair by pair (None when either has no costs).

    Returns ``{"cost": interval, "kpis": {name: {"gain": interval, "per_point": interval or
    None}}}``, each interval a dict of ``mean``, ``ci95_low``, ``ci95_high`` and ``n``.
    """
    from caseload_sim.metrics.catalogue import KPIS

    if not option or not all(costed(k) for k in [*option, *baseline]):
        return None
    cost = [a[COST_KPI] - b[COST_KPI] for a, b in zip(option, baseline, strict=True)]
    found: dict[str, Any] = {"cost": t_interval(cost), "kpis": {}}
    for name in value_kpis():
        if name not in option[0] or name not in baseline[0]:
            continue
        sign = 1.0 if KPIS[name].better == "higher" else -1.0
        gain = [sign * (a[name] - b[name]) for a, b in zip(option, baseline, strict=True)]
        interval = t_interval(gain)
        if math.isnan(interval["mean"]):
            continue
        found["kpis"][name] = {"gain": interval, "per_point": ratio_interval(cost, gain)}
    return found


def value_rows(name: str, value: Mapping[str, Any] | None, period: str = "") -> list[list[Any]]:
    """Rows of ``value_for_money.csv`` for one option over one window (NaN for no cost per
    point)."""
    if value is None:
        return []
    cost = value["cost"]
    rows = []
    for kpi, entry in value["kpis"].items():
        per_point = entry["per_point"] or {}
        rows.append(
            [
                name,
                period,
                kpi,
                *(cost[k] for k in ("mean", "ci95_low", "ci95_high")),
                *(entry["gain"][k] for k in ("mean", "ci95_low", "ci95_high")),
                *(per_point.get(k, math.nan) for k in ("mean", "ci95_low", "ci95_high")),
            ]
        )
    return rows
