"""KPIs of one run, each defined once here (numerator, denominator, window, unit).

Every KPI is computed over the measured period only, from the end of warm-up to the end of the run.
Timeliness and delay KPIs count the milestones reached in that period (as the Department for
Education counts assessments "completed in the year"); levels are exact time-weighted means over
the period. A KPI with nothing to count (no immediate-risk referral, say) is NaN, not 0.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.metrics.events import EventArrays
from caseload_sim.model.frontdoor import RunResult, WorkerRecord
from caseload_sim.model.referral import Referral
from caseload_sim.scenario.schema import GRADES, HIGH_RISK_TIERS, QUALIFIED_GRADES, TIERS

_DAY_HOURS = 24.0
RE_REFERRAL_WINDOW_DAYS = 365.0  # DfE definition: a referral within 12 months of the previous one


@dataclass(frozen=True)
class KpiDefinition:
    """What a KPI measures."""

    name: str
    unit: str
    description: str
    numerator: str
    denominator: str
    regime: str = "any"  # "wt2010", "single_assessment" or "any"


def _catalogue() -> dict[str, KpiDefinition]:
    entries = [
        KpiDefinition(
            "contacts_count",
            "count",
            "Contacts received.",
            "contacts arriving in the measured period",
            "-",
        ),
        KpiDefinition(
            "referrals_count",
            "count",
            "Contacts accepted as referrals.",
            "referrals decided in the measured period",
            "-",
        ),
        KpiDefinition(
            "contact_decision_within_timescale_pct",
            "%",
            "Contacts decided (screened) within the decision timescale.",
            "screening decisions in the period within decision_wd of the contact",
            "screening decisions in the period",
        ),
        KpiDefinition(
            "initial_assessment_within_timescale_pct",
            "%",
            "Initial assessments completed within timescale (national indicator).",
            "initial assessments completed in the period within initial_assessment_wd "
            "working days of referral",
            "initial assessments completed in the period",
            "wt2010",
        ),
        KpiDefinition(
            "core_assessment_within_timescale_pct",
            "%",
            "Core assessments completed within timescale.",
            "core assessments completed in the period within core_assessment_wd "
            "working days of their start",
            "core assessments completed in the period",
            "wt2010",
        ),
        KpiDefinition(
            "assessment_within_timescale_pct",
            "%",
            "Single assessments completed within timescale (Working Together 2013).",
            "single assessments completed in the period within single_assessment_wd "
            "working days of referral",
            "single assessments completed in the period",
            "single_assessment",
        ),
        KpiDefinition(
            "referral_to_allocation_days_mean",
            "days",
            "Mean wait from referral to allocation to a worker (calendar days).",
            "sum of waits of referrals allocated in the period",
            "referrals allocated in the period",
        ),
        KpiDefinition(
            "referral_to_allocation_days_p90",
            "days",
            "90th percentile of the wait from referral to allocation (calendar days).",
            "90th percentile over referrals allocated in the period",
            "-",
        ),
        *[
            KpiDefinition(
                f"referral_to_allocation_{tier}_days_mean",
                "days",
                f"Mean wait from referral to allocation, {tier.replace('_', ' ')} "
                "referrals (calendar days).",
                f"sum of waits of {tier} referrals allocated in the period",
                f"{tier} referrals allocated in the period",
            )
            for tier in TIERS
        ],
        KpiDefinition(
            "referral_to_assessment_days_mean",
            "days",
            "Mean time from referral to the first assessment completed.",
            "sum of times for first assessments completed in the period",
            "first assessments completed in the period",
        ),
        KpiDefinition(
            "referral_to_strategy_discussion_days_median",
            "days",
            "Median time from an immediate-risk referral to its strategy discussion.",
            "median over immediate-risk strategy discussions held in the period",
            "-",
        ),
        KpiDefinition(
            "referral_to_strategy_discussion_days_p90",
            "days",
            "90th percentile time from an immediate-risk referral to its strategy discussion.",
            "90th percentile over immediate-risk strategy discussions held in the period",
            "-",
        ),
        KpiDefinition(
            "strategy_discussion_within_target_pct",
            "%",
            "Immediate-risk strategy discussions held within the local target.",
            "immediate-risk strategy discussions held in the period within "
            "strategy_discussion_target_wd working days of referral",
            "immediate-risk strategy discussions held in the period",
        ),
        KpiDefinition(
            "icpc_within_timescale_pct",
            "%",
            "Initial child protection conferences within timescale.",
            "ICPCs in the period within icpc_after_strategy_wd working days of the "
            "strategy discussion",
            "ICPCs held in the period",
        ),
        KpiDefinition(
            "caseload_per_worker_mean",
            "cases",
            "Cases held as lead per case-holding worker (time-weighted).",
            "time-integral over the period of cases held as lead by case-holding workers",
            "number of case-holding workers x length of the period",
        ),
        KpiDefinition(
            "caseload_per_worker_p90",
            "cases",
            "90th percentile over case-holding workers of their time-weighted mean caseload.",
            "-",
            "-",
        ),
        KpiDefinition(
            "caseload_per_worker_max",
            "cases",
            "Most cases any worker held as lead at any moment of the period.",
            "-",
            "-",
        ),
        *[
            KpiDefinition(
                f"caseload_per_worker_{grade}_mean",
                "cases",
                f"Cases held as lead per {grade} (time-weighted).",
                f"time-integral of cases held by {grade} workers",
                f"number of {grade} workers x length of the period",
            )
            for grade in GRADES
        ],
        KpiDefinition(
            "high_risk_cases_per_worker_mean",
            "cases",
            "High-risk (immediate risk or child protection) cases held as lead per "
            "case-holding worker (time-weighted).",
            "time-integral of high-risk cases held as lead",
            "number of case-holding workers x length of the period",
        ),
        KpiDefinition(
            "high_risk_cases_per_worker_p90",
            "cases",
            "90th percentile over case-holding workers of their time-weighted mean "
            "high-risk caseload.",
            "-",
            "-",
        ),
        KpiDefinition(
            "high_risk_cases_per_worker_max",
            "cases",
            "Most high-risk cases any worker held as lead at any moment of the period.",
            "-",
            "-",
        ),
        KpiDefinition(
            "high_risk_cases_held_by_unqualified_pct",
            "%",
            "High-risk referrals whose lead (case-holder) is unqualified.",
            "high-risk referrals allocated in the period to a social work assistant",
            "high-risk referrals allocated in the period",
        ),
        KpiDefinition(
            "co_worked_cases_pct",
            "%",
            "Referrals allocated to a lead with a qualified co-worker.",
            "co-worked referrals allocated in the period",
            "referrals allocated in the period",
        ),
        KpiDefinition(
            "oversight_hours_per_co_worked_case_mean",
            "hours",
            "Co-worker oversight actually given per co-worked case.",
            "oversight hours given to co-worked cases that ended in the period",
            "co-worked cases that ended in the period",
        ),
        KpiDefinition(
            "over_allocated_referrals_pct",
            "%",
            "Referrals allocated above the worker's cap (soft caps).",
            "referrals allocated above cap in the period",
            "referrals allocated in the period",
        ),
        KpiDefinition(
            "unallocated_referrals_mean",
            "referrals",
            "Referrals waiting for allocation (time-weighted).",
            "time-integral of the unallocated queue over the period",
            "length of the period",
        ),
        KpiDefinition(
            "open_cases_mean",
            "cases",
            "Referrals open at the front door, allocated or not (time-weighted).",
            "time-integral of open referrals over the period",
            "length of the period",
        ),
        KpiDefinition(
            "re_referral_pct",
            "%",
            "Referrals within 12 months of a previous referral of the same child.",
            "re-referrals decided in the period",
            "referrals decided in the period",
        ),
        KpiDefinition(
            "available_fte_mean",
            "FTE",
            "Case-holding staff at work, not on leave or sick (time-weighted, in FTE).",
            "sum over case-holding workers of FTE x working time not absent in the period",
            "working time in the period",
        ),
        KpiDefinition(
            "vacancy_rate_pct",
            "%",
            "Share of case-holding posts without a permanent holder, covered by an agency "
            "worker or empty (DfE workforce statistics definition; time-weighted).",
            "working time of case-holding posts without a permanent holder in the period",
            "working time of case-holding posts established in the period",
        ),
        KpiDefinition(
            "agency_share_pct",
            "%",
            "Share of case-holding posts' held time held by agency workers (time-weighted).",
            "working time of case-holding posts held by agency workers in the period",
            "working time of case-holding posts held by anyone in the period",
        ),
        KpiDefinition(
            "staff_turnover_pct",
            "%",
            "Permanent holders of case-holding posts who left, as a share of the permanent "
            "staff a year.",
            "permanent holders leaving in the period, scaled to a year",
            "mean number of case-holding posts with a permanent holder in the period",
        ),
        KpiDefinition(
            "absence_pct",
            "%",
            "Share of case-holding workers' working time lost to leave and sickness.",
            "working time of case-holding workers lost to absence in the period",
            "working time of case-holding workers in the period",
        ),
        KpiDefinition(
            "assessment_sign_off_days_p90",
            "days",
            "90th percentile of the time from an assessment's completion to a manager's sign-off.",
            "90th percentile over assessments signed off in the period",
            "-",
        ),
        KpiDefinition(
            "recording_overdue_pct",
            "%",
            "Records written later than the standard (workforce.recording.overdue_after_wd).",
            "records falling due in the period that were written after their due time or not "
            "written by the end of the run",
            "records falling due in the period",
        ),
        KpiDefinition(
            "recording_backlog_hours_mean",
            "hours",
            "Recording owed and not yet done, per case-holding worker (weekly samples).",
            "sum over samples in the period of the hours owed per case-holding worker",
            "samples in the period",
        ),
        KpiDefinition(
            "inadequate_assessment_pct",
            "%",
            "Assessments judged inadequate (initial, core or single).",
            "assessments completed in the period that were inadequate",
            "assessments completed in the period",
        ),
        KpiDefinition(
            "supervision_out_of_standard_pct",
            "%",
            "Supervised workers out of the supervision standard (LGA standard 5), time-weighted.",
            "worker-days in the period on which the time since the last session exceeds the "
            "standard interval for the worker's stage",
            "worker-days of supervised workers in the period (sampled daily)",
        ),
        KpiDefinition(
            "days_since_supervision_p90",
            "days",
            "90th percentile of the days since a worker's last supervision session.",
            "90th percentile over supervised workers and days of the period (sampled daily)",
            "-",
        ),
        KpiDefinition(
            "days_since_supervision_max",
            "days",
            "The longest any supervised worker in post had gone without a session (or since "
            "their start), on any day of the period.",
            "largest days since the last session over daily samples of supervised workers",
            "-",
        ),
        KpiDefinition(
            "worker_utilisation_pct",
            "%",
            "Share of case-holding workers' casework time spent on work.",
            "working time spent on tasks by case-holding workers in the period",
            "working time of case-holding workers in the period",
        ),
    ]
    return {entry.name: entry for entry in entries}


KPIS: dict[str, KpiDefinition] = _catalogue()

#: The KPIs a planner looks at first (printed by ``caseload-sim run``).
HEADLINE_KPIS = (
    "initial_assessment_within_timescale_pct",
    "core_assessment_within_timescale_pct",
    "assessment_within_timescale_pct",
    "referral_to_allocation_days_mean",
    "referral_to_allocation_days_p90",
    "referral_to_strategy_discussion_days_p90",
    "strategy_discussion_within_target_pct",
    "caseload_per_worker_mean",
    "high_risk_cases_per_worker_max",
    "high_risk_cases_held_by_unqualified_pct",
    "unallocated_referrals_mean",
    "worker_utilisation_pct",
)


def kpis_for_regime(regime: str) -> list[str]:
    """KPI names reported under an assessment regime, in catalogue order."""
    return [name for name, kpi in KPIS.items() if kpi.regime in ("any", regime)]


def _pct(hits: np.ndarray) -> float:
    return float(100.0 * hits.mean()) if hits.size else math.nan


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else math.nan


def _quantile(values: np.ndarray, q: float) -> float:
    return float(np.quantile(values, q)) if values.size else math.nan


def time_average(times: np.ndarray, changes: np.ndarray, start: float, end: float) -> float:
    """Exact time-weighted mean over [start, end] of a level that starts at 0 and steps by
    ``changes`` at ``times`` (non-decreasing)."""
    if end <= start:
        return math.nan
    level = np.cumsum(changes)
    following = np.append(times[1:], end)
    overlap = np.clip(np.minimum(following, end) - np.maximum(times, start), 0.0, None)
    return float((level * overlap).sum() / (end - start))


def peak_level(times: np.ndarray, changes: np.ndarray, start: float, end: float) -> float:
    """Highest value over [start, end] of a level that starts at 0 and steps at ``times``."""
    level = np.cumsum(changes)
    before = np.nonzero(times < start)[0]
    peak = float(level[before[-1]]) if before.size else 0.0
    inside = (times >= start) & (times <= end)
    if inside.any():
        peak = max(peak, float(level[inside].max()))
    return peak


_MILESTONES = (
    "decided_at",
    "referral_at",
    "initial_assessment_done_at",
    "core_assessment_done_at",
    "core_assessment_start_at",
    "single_assessment_done_at",
    "allocated_at",
    "tier_rank",
    "first_assessment_at",
    "strategy_at",
    "icpc_at",
    "ended_at",
    "previous_referral_at",
)


class _Milestones:
    """Column views of the referrals' milestones, read in one pass."""

    def __init__(self, referrals: list[Referral]) -> None:
        self._referrals = referrals
        rows = list(map(operator.attrgetter(*_MILESTONES), referrals))
        table = np.array(rows, dtype=float).reshape(len(referrals), len(_MILESTONES))
        self._columns = {name: table[:, i] for i, name in enumerate(_MILESTONES)}

    def column(self, attribute: str | Callable[[Referral], float]) -> np.ndarray:
        if isinstance(attribute, str) and attribute in self._columns:
            return self._columns[attribute]
        getter = attribute if callable(attribute) else operator.attrgetter(attribute)
        return np.fromiter(map(getter, self._referrals), dtype=float, count=len(self._referrals))


def compute_kpis(result: RunResult) -> dict[str, float]:
    """Every KPI of one run, by name (NaN where there is nothing to count)."""
    scenario = result.scenario
    calendar = result.calendar
    start, end = result.measured_from, result.measured_to
    timescales = scenario.pathway.timescales
    events = result.events
    referrals = result.referrals
    columns = _Milestones(referrals)
    values: dict[str, float] = {}

    def within(times: np.ndarray) -> np.ndarray:
        return (times >= start) & (times <= end)

    def elapsed_wd(frm: np.ndarray, to: np.ndarray) -> np.ndarray:
        return calendar.elapsed_working_days_array(frm, to)

    # --- volumes and the contact decision -----------------------------------------------
    contact_times = events.time[events.of("contact")]
    values["contacts_count"] = float(within(contact_times).sum())
    decided = columns.column("decided_at")
    referral_at = columns.column("referral_at")
    in_period = within(decided)
    values["referrals_count"] = float(in_period.sum())
    values["contact_decision_within_timescale_pct"] = _contact_decision_pct(
        events, calendar, start, end, timescales.decision_wd
    )

    # --- assessments --------------------------------------------------------------------
    if scenario.pathway.regime == "wt2010":
        done = columns.column("initial_assessment_done_at")
        mask = within(done)
        values["initial_assessment_within_timescale_pct"] = _pct(
            elapsed_wd(referral_at[mask], done[mask]) <= timescales.initial_assessment_wd
        )
        done = columns.column("core_assessment_done_at")
        began = columns.column("core_assessment_start_at")
        mask = within(done)
        values["core_assessment_within_timescale_pct"] = _pct(
            elapsed_wd(began[mask], done[mask]) <= timescales.core_assessment_wd
        )
    else:
        done = columns.column("single_assessment_done_at")
        mask = within(done)
        values["assessment_within_timescale_pct"] = _pct(
            elapsed_wd(referral_at[mask], done[mask]) <= timescales.single_assessment_wd
        )

    # --- allocation ---------------------------------------------------------------------
    allocated = columns.column("allocated_at")
    tier = columns.column("tier_rank")
    mask = within(allocated)
    waits = allocated[mask] - referral_at[mask]
    values["referral_to_allocation_days_mean"] = _mean(waits)
    values["referral_to_allocation_days_p90"] = _quantile(waits, 0.9)
    for rank, name in enumerate(TIERS):
        values[f"referral_to_allocation_{name}_days_mean"] = _mean(waits[tier[mask] == rank])
    high_risk_ranks = [TIERS.index(t) for t in HIGH_RISK_TIERS]
    high_risk = np.isin(tier, high_risk_ranks)
    # Who holds each referral, read in one pass over the referrals.
    holding = list(map(operator.attrgetter("lead_grade", "coworker", "over_allocated"), referrals))
    unqualified = np.array([grade not in QUALIFIED_GRADES for grade, _, _ in holding], dtype=bool)
    values["high_risk_cases_held_by_unqualified_pct"] = _pct(unqualified[mask & high_risk])
    co_worked = np.array([coworker is not None for _, coworker, _ in holding], dtype=bool)
    values["co_worked_cases_pct"] = _pct(co_worked[mask])
    over = np.array([over for _, _, over in holding], dtype=bool)
    values["over_allocated_referrals_pct"] = _pct(over[mask])

    first = columns.column("first_assessment_at")
    mask = within(first)
    values["referral_to_assessment_days_mean"] = _mean(first[mask] - referral_at[mask])

    # --- strategy discussions and conferences ---------------------------------------------
    held = columns.column("strategy_at")
    mask = within(held) & (tier == TIERS.index("immediate_risk"))
    delay = held[mask] - referral_at[mask]
    values["referral_to_strategy_discussion_days_median"] = _quantile(delay, 0.5)
    values["referral_to_strategy_discussion_days_p90"] = _quantile(delay, 0.9)
    values["strategy_discussion_within_target_pct"] = _pct(
        elapsed_wd(referral_at[mask], held[mask]) <= timescales.strategy_discussion_target_wd
    )
    icpc = columns.column("icpc_at")
    mask = within(icpc)
    values["icpc_within_timescale_pct"] = _pct(
        elapsed_wd(held[mask], icpc[mask]) <= timescales.icpc_after_strategy_wd
    )

    # --- caseloads ----------------------------------------------------------------------
    values.update(_caseload_kpis(result))
    ended = columns.column("ended_at")
    mask = within(ended) & co_worked
    oversight = np.array([referrals[i].oversight_hours for i in np.flatnonzero(mask)], dtype=float)
    values["oversight_hours_per_co_worked_case_mean"] = _mean(oversight)
    queue = events.of("unallocated_change")
    values["unallocated_referrals_mean"] = time_average(
        events.time[queue], events.value[queue], start, end
    )
    # Open cases include those already open at the start (an initial caseload).
    initial_ended = np.array([r.ended_at for r in result.initial_cases], dtype=float)
    ended_all = np.concatenate([ended, initial_ended])
    opened_all = np.concatenate([decided, np.zeros(len(initial_ended))])
    open_until = np.where(np.isnan(ended_all), end, ended_all)
    opened = np.where(np.isnan(opened_all), end, opened_all)
    overlap = np.clip(np.minimum(open_until, end) - np.maximum(opened, start), 0.0, None)
    values["open_cases_mean"] = float(overlap.sum() / (end - start))

    # --- re-referrals -------------------------------------------------------------------
    previous = columns.column("previous_referral_at")
    is_re_referral = (referral_at - previous) <= RE_REFERRAL_WINDOW_DAYS  # NaN compares False
    values["re_referral_pct"] = _pct(is_re_referral[in_period])

    values.update(_supervision_kpis(result))
    values.update(_recording_kpis(result))
    rated = events.of("assessment_rated") & (events.time >= start) & (events.time <= end)
    values["inadequate_assessment_pct"] = _pct(events.value[rated] > 0.5)
    signed = events.of("assessment_signed_off") & (events.time >= start) & (events.time <= end)
    values["assessment_sign_off_days_p90"] = _quantile(events.value[signed], 0.9)
    holders = [w for w in result.workers if w.holds_cases]
    values.update(_post_kpis(result, holders))
    available = sum(w.available_days for w in holders)
    values["worker_utilisation_pct"] = (
        100.0 * sum(w.busy_days for w in holders) / available if available > 0 else math.nan
    )
    return {name: values.get(name, math.nan) for name in kpis_for_regime(scenario.pathway.regime)}


def _post_kpis(result: RunResult, holders: list[WorkerRecord]) -> dict[str, float]:
    """Available FTE, absence, vacancies, agency cover and turnover of case-holding posts."""
    from caseload_sim.model.workforce import PERMANENT

    start, end = result.measured_from, result.measured_to
    calendar = result.calendar
    window = (
        end - start
        if calendar.kind == "continuous"
        else calendar.working_hours_between(start, end) / _DAY_HOURS
    )
    values: dict[str, float] = {}
    held = sum(w.available_days + w.absent_days for w in holders)
    if window > 0:
        values["available_fte_mean"] = sum(w.fte * w.available_days for w in holders) / window
    if held > 0:
        values["absence_pct"] = 100.0 * sum(w.absent_days for w in holders) / held
        values["agency_share_pct"] = 100.0 * sum(w.agency_days for w in holders) / held
    established = sum(w.established_days for w in holders)
    if established > 0:
        values["vacancy_rate_pct"] = 100.0 * sum(w.vacant_days for w in holders) / established
    permanent = sum(w.established_days - w.vacant_days for w in holders)
    if permanent > 0 and window > 0:
        posts = {w.index for w in holders}
        leavers = sum(
            1
            for time, index, holder in result.leavers or ()
            if holder == PERMANENT and index in posts and start <= time < end
        )
        years = (end - start) / 365.25
        values["staff_turnover_pct"] = 100.0 * leavers / (permanent / window) / years
    return values


def held_spells(worker: WorkerRecord, start: float, end: float) -> list[tuple[float, float]]:
    """When the post was held within [start, end] (the whole window for a post never vacant)."""
    from caseload_sim.model.workforce import AGENCY, PERMANENT

    if worker.history is None:
        return [(start, end)]
    return worker.history.spells(start, end, (PERMANENT, AGENCY))


def _contact_decision_pct(
    events: EventArrays, calendar: WorkingCalendar, start: float, end: float, decision_wd: float
) -> float:
    contact = events.of("contact")
    screened = events.of("screened")
    # Case numbers are given out in contact order, so they index an array of arrival times.
    arrived = np.full(int(events.case.max()) + 1 if events.case.size else 0, np.nan)
    arrived[events.case[contact]] = events.time[contact]
    times = events.time[screened]
    mask = (times >= start) & (times <= end)
    elapsed = calendar.elapsed_working_days_array(arrived[events.case[screened][mask]], times[mask])
    return _pct(elapsed <= decision_wd)


def _caseload_kpis(result: RunResult) -> dict[str, float]:
    events = result.events
    start, end = result.measured_from, result.measured_to
    holders = [w for w in result.workers if w.holds_cases]
    values: dict[str, float] = {}
    averages: dict[str, list[float]] = {"cases": [], "high_risk": []}
    peaks: dict[str, list[float]] = {"cases": [], "high_risk": []}
    by_grade: dict[str, list[float]] = {g: [] for g in GRADES}
    streams = {
        "cases": events.of("caseload_change"),
        "high_risk": events.of("high_risk_caseload_change"),
    }
    for kind, mask in streams.items():
        workers = events.worker[mask]
        times = events.time[mask]
        changes = events.value[mask]
        order = np.argsort(workers, kind="stable")  # keeps time order within a worker
        workers, times, changes = workers[order], times[order], changes[order]
        indices = [w.index for w in holders]
        bounds = np.searchsorted(workers, indices, side="left")
        ends = np.searchsorted(workers, indices, side="right")
        for worker, lo, hi in zip(holders, bounds, ends, strict=True):
            t, c = times[lo:hi], changes[lo:hi]
            # Caseloads are those of the staff in post: a vacant post's time does not count.
            spells = held_spells(worker, start, end)
            length = sum(b - a for a, b in spells)
            if length <= 0:
                continue
            if hi == lo:
                average, peak = 0.0, 0.0
            else:
                average = sum(time_average(t, c, a, b) * (b - a) for a, b in spells) / length
                peak = max(peak_level(t, c, a, b) for a, b in spells)
            averages[kind].append(average)
            peaks[kind].append(peak)
            if kind == "cases":
                by_grade[worker.grade].append(average)
    for kind, prefix in (
        ("cases", "caseload_per_worker"),
        ("high_risk", "high_risk_cases_per_worker"),
    ):
        array = np.asarray(averages[kind])
        values[f"{prefix}_mean"] = _mean(array)
        values[f"{prefix}_p90"] = _quantile(array, 0.9)
        values[f"{prefix}_max"] = float(max(peaks[kind])) if peaks[kind] else math.nan
    for grade, grade_values in by_grade.items():
        values[f"caseload_per_worker_{grade}_mean"] = _mean(np.asarray(grade_values))
    return values


def kpi_units(names: Iterable[str]) -> dict[str, str]:
    """Unit of each KPI."""
    return {name: KPIS[name].unit for name in names}


def kpi_reference_markdown() -> str:
    """Every KPI's definition as Markdown (``docs/kpis.md``)."""
    lines = [
        "# KPI definitions",
        "",
        "Generated by `caseload-sim kpis --markdown` from the KPI catalogue (do not edit by hand).",
        "",
        "Every KPI is computed per replication over the measured period only: from the end of",
        "warm-up (`simulation.warmup_days`) to the end of the run (`simulation.horizon_days`).",
        "Timeliness and delay KPIs count the milestones reached in that period (as the Department",
        "for Education counts assessments completed in the year); levels such as caseloads and the",
        "unallocated queue are exact time-weighted means over the period. Working days are counted",
        "by date on the scenario's calendar (`elapsed working days <= timescale` is on time).",
        "High risk means immediate risk or child protection. Case-holding workers are those whose",
        "grade may hold some tier (outright or co-worked) and whose cap is above 0.",
        "`summary.json` reports, for each KPI, the mean over replications, a Student-t 95%",
        "confidence interval and `n`, the replications in which the KPI had something to count.",
        "",
        "| KPI | unit | regime | what it measures | numerator | denominator |",
        "|---|---|---|---|---|---|",
    ]
    for kpi in KPIS.values():
        lines.append(
            f"| `{kpi.name}` | {kpi.unit} | {kpi.regime} | {kpi.description} | "
            f"{kpi.numerator} | {kpi.denominator} |"
        )
    return "\n".join(lines) + "\n"


#: The waits kept case by case for distributions (``waits.csv``).
WAIT_MEASURES = ("referral_to_allocation_days", "referral_to_strategy_discussion_days")


def measured_waits(result: RunResult) -> dict[str, list[float]]:
    """Each referral's wait for allocation (allocated in the measured period), and each
    immediate-risk referral's wait for its strategy discussion (held in the period), in days."""
    start, end = result.measured_from, result.measured_to
    immediate = TIERS.index("immediate_risk")
    allocation = [
        r.allocated_at - r.referral_at for r in result.referrals if start <= r.allocated_at <= end
    ]
    strategy = [
        r.strategy_at - r.referral_at
        for r in result.referrals
        if r.tier_rank == immediate and start <= r.strategy_at <= end
    ]
    return {WAIT_MEASURES[0]: allocation, WAIT_MEASURES[1]: strategy}


def _supervision_kpis(result: RunResult) -> dict[str, float]:
    """Out of standard share and the p90 of days since the last session, sampled daily."""
    from caseload_sim.model.supervision import SUPERVISED_GRADES, standard_interval

    sessions = result.supervision
    if sessions is None:
        return {}
    settings = result.scenario.workforce.supervision
    start, end = result.measured_from, result.measured_to
    days = np.arange(start, end + 1e-9, 1.0)
    out_of_standard: list[np.ndarray] = []
    since: list[np.ndarray] = []
    for worker in result.workers:
        history = worker.history
        if history is None:
            if worker.grade not in SUPERVISED_GRADES:
                continue
            sampled = days
            grades = [worker.grade] * len(days)
            started: list[float | None] = [None] * len(days)
            began = np.zeros(len(days))
        else:
            # Only days when the post is held count; a new holder's start counts as a session.
            spells = held_spells(worker, start, end)
            # Spells are half-open, but the sample at the very end of the period counts, as
            # for a post that never changes hands.
            sampled = days[[any(a <= d < b or d == b == end for a, b in spells) for d in days]]
            change_times = np.array([change[0] for change in history.changes])
            at = np.searchsorted(change_times, sampled, side="right") - 1
            grades = [history.changes[i][2] for i in at]
            starts = [history.changes[i][3] for i in at]
            started = list(starts)
            began = np.maximum(np.array(starts, dtype=np.float64), 0.0)
            keep = np.array([g in SUPERVISED_GRADES for g in grades], dtype=bool)
            if not keep.any():
                continue
            sampled = sampled[keep]
            grades = [g for g, k in zip(grades, keep, strict=True) if k]
            started = [t for t, k in zip(started, keep, strict=True) if k]
            began = began[keep]
        # The start of the run counts as the last session of a worker not yet supervised.
        held = np.array([0.0, *sessions.get(worker.index, [])])
        last = np.maximum(held[np.searchsorted(held, sampled, side="right") - 1], began)
        allowed = np.array(
            [
                standard_interval(settings, grade, t, since_)
                for grade, t, since_ in zip(grades, last, started, strict=True)
            ]
        )
        since.append(sampled - last)
        out_of_standard.append(sampled - last > allowed + 1e-9)
    if not since:
        return {}
    gaps = np.concatenate(since)
    return {
        "supervision_out_of_standard_pct": _pct(np.concatenate(out_of_standard)),
        "days_since_supervision_p90": _quantile(gaps, 0.9),
        "days_since_supervision_max": float(gaps.max()) if gaps.size else math.nan,
    }


def _recording_kpis(result: RunResult) -> dict[str, float]:
    if result.records is None:
        return {}
    start, end = result.measured_from, result.measured_to
    table = np.array(result.records, dtype=float).reshape(-1, 3)
    due, written = table[:, 1], table[:, 2]
    falling_due = (due >= start) & (due <= end)
    late = np.isnan(written) | (written > due)
    backlog = np.array(
        [
            row.get("recording_backlog_hours_per_worker", math.nan)
            for row in result.timeseries
            if start <= row["day"] <= end
        ]
    )
    return {
        "recording_overdue_pct": _pct(late[falling_due]),
        "recording_backlog_hours_mean": _mean(backlog[~np.isnan(backlog)]),
    }
