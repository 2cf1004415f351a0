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
  discussion came before their assessment was authorised (the risk was seen at referral, not
  found by the assessment); disabled children are those assessed with a disability; the share
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
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from caseload_sim.calendar import WorkingCalendar

if TYPE_CHECKING:
    import pandas as pd

    from caseload_sim.calibrate.annex_a import AnnexData
    from caseload_sim.scenario.schema import Scenario

#: Families compared for elapsed-time distributions (scipy.stats names).
FAMILIES = ("expon", "gamma", "lognorm", "weibull_min")
#: Shares that need follow-up (did the enquiry reach a conference?) count only what began at
#: least this long before the end of the data, so that the end of the export does not cut them
#: short.
FOLLOW_UP_DAYS = 60
#: Assessments are timed only if they began at least this long before the last one in the data
#: (and, in the simulation, before the end of the run), so that both are cut off alike.
COMPLETION_DAYS = 30
#: Elapsed working days are fitted as (days + 0.5): a distribution on (0, inf) cannot put mass
#: on 0, and same-day events are common.
_CONTINUITY = 0.5
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass
class FittedValue:
    """A scenario field set from the data, and the evidence for it."""

    path: str
    value: Any
    n: int
    evidence: str


@dataclass
class DistributionFit:
    """Elapsed working days between two events, and the families fitted to them."""

    name: str
    description: str
    days: np.ndarray
    #: family -> {"params": tuple, "aic": float, "ks": float, "p_value": float}
    fits: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def best(self) -> str | None:
        if not self.fits:
            return None
        return min(self.fits, key=lambda family: self.fits[family]["aic"])


@dataclass
class Calibration:
    """Everything estimated from the lists."""

    source: str
    window: tuple[dt.date, dt.date]
    values: list[FittedValue]
    distributions: dict[str, DistributionFit]
    #: contact or referral source code -> share, by list
    sources: dict[str, dict[str, float]]
    #: team -> (workers seen, referrals allocated, referrals per worker)
    teams: dict[str, tuple[int, int, float]]
    #: cases allocated per worker over the window
    cases_per_worker: np.ndarray
    #: observed contacts per working day and their weekday/month means (for the report)
    daily_contacts: pd.Series
    notes: list[str] = field(default_factory=list)

    def value(self, path: str) -> Any:
        for fitted in self.values:
            if fitted.path == path:
                return fitted.value
        raise KeyError(path)

    def overrides(self) -> dict[str, Any]:
        """The fitted fields as dotted paths."""
        return {fitted.path: fitted.value for fitted in self.values}


def working_calendar(first: dt.date, last: dt.date) -> WorkingCalendar:
    """An England calendar spanning the data (working days as the model counts them)."""
    return WorkingCalendar("england", first, float((last - first).days + 1))


def elapsed_working_days(calendar: WorkingCalendar, start: pd.Series, end: pd.Series) -> np.ndarray:
    """Working days from each start date to its end date (the DfE way: the start's own day
    does not count, the end's does)."""
    origin = np.datetime64(calendar.start_date, "D")
    t0 = (start.to_numpy(dtype="datetime64[D]") - origin).astype(float)
    t1 = (end.to_numpy(dtype="datetime64[D]") - origin).astype(float)
    return calendar.elapsed_working_days_array(t0, t1)


def fit(data: AnnexData, base: Scenario) -> Calibration:
    """Estimate what the lists show of the service; the base scenario gives the rest."""
    import pandas as pd

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
    values: list[FittedValue] = []

    # --- contacts and referrals ---------------------------------------------------------------
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
            f"{len(days)} working days; 95% CI {_poisson_ci(first_contacts, len(days))}",
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
                f"{_binomial_ci(min(new_referrals, common_contacts), common_contacts)}",
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
                f"referral within 12 months; 95% CI {_binomial_ci(re_referrals, known)}",
            )
        )

    # --- tiers and outcomes ---------------------------------------------------------------------
    values += _tiers_and_outcomes(referrals, assessments, enquiries, calendar, base, window, notes)

    # --- elapsed times ----------------------------------------------------------------------------
    distributions: dict[str, DistributionFit] = {}
    if assessments is not None and len(assessments):
        starts = _first_on_or_after(
            referrals[["child_id", "referral_date"]],
            assessments[["child_id", "assessment_start"]],
            "referral_date",
            "assessment_start",
        )
        distributions["referral_to_assessment_start"] = _fit_days(
            "referral_to_assessment_start",
            "Referral to the start of the assessment (working days)",
            elapsed_working_days(calendar, starts["referral_date"], starts["assessment_start"]),
        )
        # Assessments begun near the end of the data are cut short by it: leave them out.
        begun = assessments["assessment_start"]
        settled = begun <= begun.max() - pd.Timedelta(days=COMPLETION_DAYS)
        done = assessments[settled].dropna(subset=["assessment_authorised"])
        distributions["assessment_start_to_authorisation"] = _fit_days(
            "assessment_start_to_authorisation",
            "Start of the assessment to its authorisation (working days)",
            elapsed_working_days(calendar, done["assessment_start"], done["assessment_authorised"]),
        )
    if enquiries is not None and len(enquiries):
        held = enquiries.dropna(subset=["icpc_date"])
        distributions["strategy_to_icpc"] = _fit_days(
            "strategy_to_icpc",
            "Strategy discussion to initial child protection conference (working days)",
            elapsed_working_days(calendar, held["strategy_date"], held["icpc_date"]),
        )

    # --- sources and caseloads --------------------------------------------------------------------
    sources = {
        "contacts": _shares(contacts.get("contact_source")),
        "referrals": _shares(referrals.get("referral_source")),
    }
    teams: dict[str, tuple[int, int, float]] = {}
    per_worker = np.zeros(0)
    if "allocated_worker" in referrals and referrals["allocated_worker"].notna().any():
        allocated = referrals.dropna(subset=["allocated_worker"])
        per_worker = allocated.groupby("allocated_worker").size().to_numpy(dtype=float)
        if "allocated_team" in allocated:
            for team, rows in allocated.dropna(subset=["allocated_team"]).groupby("allocated_team"):
                workers = rows["allocated_worker"].nunique()
                teams[str(team)] = (int(workers), len(rows), len(rows) / max(workers, 1))
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


def _tiers_and_outcomes(
    referrals: pd.DataFrame,
    assessments: pd.DataFrame | None,
    enquiries: pd.DataFrame | None,
    calendar: WorkingCalendar,
    base: Scenario,
    window: str,
    notes: list[str],
) -> list[FittedValue]:
    import pandas as pd

    values: list[FittedValue] = []
    total = len(referrals)
    mix = base.demand.tier_mix.model_dump()
    immediate = mix["immediate_risk"]
    disabled = mix["disabled_child"]
    s47_total = None
    if enquiries is not None and len(enquiries):
        end = max(referrals["referral_date"].max(), enquiries["strategy_date"].max())
        cutoff = end - pd.Timedelta(days=FOLLOW_UP_DAYS)
        # Referrals from the date list 5 starts: a list 5 covering a shorter period than list 3
        # would otherwise make enquiries look rare.
        begins = enquiries["strategy_date"].min()
        ends = min(cutoff, enquiries["strategy_date"].max())
        followed = referrals[
            (referrals["referral_date"] >= begins) & (referrals["referral_date"] <= ends)
        ]
        total = len(followed)
        linked = _first_on_or_after(
            followed[["child_id", "referral_date"]],
            enquiries[["child_id", "strategy_date"]],
            "referral_date",
            "strategy_date",
        )
        classified = _before_authorisation(linked, assessments)
        s47_total = len(linked)
        if classified is None:
            notes.append(
                "No authorisation dates in list 4: immediate-risk referrals cannot be told from "
                "those found by assessment, so the immediate-risk share is the base's."
            )
        elif total:
            immediate_count, known = classified
            # The share of enquiries that were immediate, among those that can be told, times
            # the share of referrals reaching an enquiry.
            immediate = (immediate_count / known if known else 0.0) * s47_total / total
        early = enquiries[enquiries["strategy_date"] <= cutoff]
        held = early["icpc_date"].notna()
        icpc = int(held.sum())
        if early.empty:
            notes.append(
                f"No s47 enquiry began {FOLLOW_UP_DAYS} or more days before the end of the data: "
                "the conference and plan shares are the base's."
            )
        else:
            values.append(
                FittedValue(
                    "pathway.icpc_probability",
                    round(icpc / len(early), 4),
                    len(early),
                    f"list 5, {window}: {icpc:,} of {len(early):,} s47 enquiries begun "
                    f"{FOLLOW_UP_DAYS}+ days before the end of the data led to an initial child "
                    f"protection conference; 95% CI {_binomial_ci(icpc, len(early))}",
                )
            )
        plans = early.loc[held, "cp_plan"].dropna()
        if len(plans):
            made = int(plans.sum())
            values.append(
                FittedValue(
                    "pathway.cp_plan_probability",
                    round(made / len(plans), 4),
                    len(plans),
                    f"list 5, {window}: {made:,} of {len(plans):,} conferences made a child "
                    f"protection plan; 95% CI {_binomial_ci(made, len(plans))}",
                )
            )
    else:
        notes.append("No list 5: s47, conference and plan shares keep the base scenario's values.")
    if assessments is not None and len(assessments) and assessments["disability"].notna().any():
        flags = assessments["disability"].dropna()
        disabled = float(flags.mean())
    else:
        notes.append("No disability flags in list 4: the disabled children's share is the base's.")
    rest = max(0.0, 1.0 - immediate - disabled)
    base_rest = mix["child_protection"] + mix["child_in_need"]
    cp = rest * (mix["child_protection"] / base_rest if base_rest > 0 else 0.5)
    shares = {
        "immediate_risk": immediate,
        "child_protection": cp,
        "child_in_need": rest - cp,
        "disabled_child": disabled,
    }
    rounded = {k: round(v, 4) for k, v in shares.items()}
    rounded["child_in_need"] = round(
        1.0 - sum(v for k, v in rounded.items() if k != "child_in_need"), 4
    )
    values.append(
        FittedValue(
            "demand.tier_mix",
            rounded,
            total,
            f"lists 3-5, {window}: immediate risk = strategy discussion before the assessment "
            "was authorised; disabled = assessed with a disability; child protection and child "
            "in need split the rest as the base does",
        )
    )
    if s47_total is not None:
        values += _s47_outcomes(base, shares, s47_total, total, window)
    return values


def _s47_outcomes(
    base: Scenario, shares: dict[str, float], s47_total: int, total: int, window: str
) -> list[FittedValue]:
    """Scale the post-assessment s47 shares so that the model's s47 share matches the data's."""
    outcomes = base.pathway.after_first_assessment
    later_observed = max(0.0, s47_total / total - shares["immediate_risk"])
    predicted = sum(
        shares[tier] * getattr(outcomes, tier).s47
        for tier in ("child_protection", "child_in_need", "disabled_child")
    )
    if predicted <= 0:
        return []
    factor = later_observed / predicted
    values = []
    for tier in ("child_protection", "child_in_need", "disabled_child"):
        terms = getattr(outcomes, tier)
        s47 = min(1.0, terms.s47 * factor)
        others = terms.nfa + terms.cin + terms.core
        scale = (1.0 - s47) / others if others > 0 else 0.0
        table = {
            "nfa": round(terms.nfa * scale, 4),
            "cin": round(terms.cin * scale, 4),
            "core": round(terms.core * scale, 4),
        }
        table["s47"] = round(1.0 - table["nfa"] - table["cin"] - table["core"], 4)
        values.append(
            FittedValue(
                f"pathway.after_first_assessment.{tier}",
                table,
                s47_total,
                f"lists 3 and 5, {window}: {s47_total:,} s47 enquiries from {total:,} referrals; "
                f"s47 shares after assessment scaled by {factor:.2f} from the base, the other "
                "outcomes in the base's proportions",
            )
        )
    return values


def _with_columns(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """The table with each optional column it lacks added, all missing."""
    missing = [name for name in names if name not in frame]
    if not missing:
        return frame
    return frame.assign(**{name: None for name in missing})


def _before_authorisation(
    linked: pd.DataFrame, assessments: pd.DataFrame | None
) -> tuple[int, int] | None:
    """Of the enquiries whose referral's assessment has an authorisation date, how many had
    their strategy discussion before it (immediate risk), and how many there are; None when
    list 4 has no authorisation dates at all (nothing can be told)."""
    import pandas as pd

    if assessments is None or not assessments["assessment_authorised"].notna().any():
        return None
    joined = pd.merge_asof(
        linked.sort_values("referral_date"),
        assessments[["child_id", "assessment_start", "assessment_authorised"]]
        .dropna(subset=["assessment_start"])
        .sort_values("assessment_start"),
        left_on="referral_date",
        right_on="assessment_start",
        by="child_id",
        direction="forward",
        tolerance=pd.Timedelta(days=183),
    )
    authorised = joined["assessment_authorised"]
    known = authorised.notna()
    immediate = known & (joined["strategy_date"] < authorised)
    return int(immediate.sum()), int(known.sum())


def _to_working_day(dates: pd.Series, calendar: WorkingCalendar) -> pd.Series:
    """Each date, moved to the first working day on or after it (a contact on a Saturday is
    dealt with on Monday, as the model's out-of-hours contacts are)."""
    import pandas as pd

    origin = np.datetime64(calendar.start_date, "D")
    offsets = (dates.to_numpy(dtype="datetime64[D]") - origin).astype(float)
    starts = np.array([calendar.next_working_start(t) for t in offsets])
    return pd.Series(pd.to_datetime(origin + np.floor(starts).astype("timedelta64[D]")))


def _first_on_or_after(
    left: pd.DataFrame, right: pd.DataFrame, left_date: str, right_date: str
) -> pd.DataFrame:
    """Each row of ``right`` joined to the latest ``left`` row of the same child on or before
    it (within 12 months): an assessment or enquiry to the referral that began it."""
    import pandas as pd

    right = right.dropna(subset=[right_date]).sort_values(right_date)
    left = left.dropna(subset=[left_date]).sort_values(left_date)
    joined = pd.merge_asof(
        right,
        left,
        left_on=right_date,
        right_on=left_date,
        by="child_id",
        direction="backward",
        tolerance=pd.Timedelta(days=365),
    )
    return joined.dropna(subset=[left_date])


def _fit_days(name: str, description: str, days: np.ndarray) -> DistributionFit:
    from scipy import stats

    result = DistributionFit(name, description, np.asarray(days, dtype=float))
    if len(days) < 10:
        return result
    shifted = result.days + _CONTINUITY
    for family in FAMILIES:
        distribution = getattr(stats, family)
        try:
            params = distribution.fit(shifted, floc=0.0)
        except (ValueError, RuntimeError, FloatingPointError):
            continue
        log_likelihood = float(np.sum(distribution.logpdf(shifted, *params)))
        if not math.isfinite(log_likelihood):
            continue
        free = len(params) - 1  # the location is fixed at 0
        ks = stats.kstest(shifted, family, args=params)
        result.fits[family] = {
            "params": tuple(float(p) for p in params),
            "aic": 2 * free - 2 * log_likelihood,
            "ks": float(ks.statistic),
            "p_value": float(ks.pvalue),
            "mean": float(distribution.mean(*params)) - _CONTINUITY,
        }
    return result


def _shares(column: pd.Series | None) -> dict[str, float]:
    if column is None:
        return {}
    present = column.dropna()
    if present.empty:
        return {}
    counts = present.value_counts(normalize=True)
    return {str(code): round(float(share), 4) for code, share in counts.items()}


def _binomial_ci(hits: int, n: int) -> str:
    """Wilson 95% interval, as text."""
    if n <= 0:
        return "n/a"
    z = 1.959963984540054
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{max(0.0, centre - half):.4f} to {min(1.0, centre + half):.4f}"


def _poisson_ci(count: int, days: int) -> str:
    """Exact (Garwood) 95% interval of a daily rate, as text."""
    from scipy import stats

    low = stats.chi2.ppf(0.025, 2 * count) / 2 if count > 0 else 0.0
    high = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return f"{low / days:.2f} to {high / days:.2f} a working day"
