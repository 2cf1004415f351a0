"""The tier mix, the referrals closed at their decision and the outcomes of section 47
enquiries, from lists 3, 4 and 5.

Immediate-risk referrals are those whose section 47 strategy discussion began within the base
scenario's target for one (a working day) of the referral: most strategy discussions are held
during an assessment, later, and a referral whose discussion came that soon was seen to be at
immediate risk when it arrived. The rule's share, and those of wider and narrower windows, go in
the calibration's notes. Disabled children are
those assessed with a disability; child protection and child in need split the rest as the
base scenario does. The shares of referrals reaching an s47 enquiry, of enquiries reaching an
initial child protection conference, and of conferences making a plan use only what began
``FOLLOW_UP_DAYS`` or more before the end of the data, so that the end of the export does not
cut them short.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from caseload_sim.calibrate.elapsed_times import elapsed_working_days
from caseload_sim.calibrate.estimates import FittedValue, binomial_interval
from caseload_sim.calibrate.linking import link_to_referral

if TYPE_CHECKING:
    import pandas as pd

    from caseload_sim.calendar import WorkingCalendar
    from caseload_sim.scenario.schema import Scenario

#: Shares that need follow-up (did the enquiry reach a conference?) count only what began at
#: least this long before the end of the data, so that the end of the export does not cut them
#: short.
FOLLOW_UP_DAYS = 60


def fit_tiers_and_outcomes(
    referrals: pd.DataFrame,
    assessments: pd.DataFrame | None,
    enquiries: pd.DataFrame | None,
    base: Scenario,
    window: str,
    notes: list[str],
    calendar: WorkingCalendar,
) -> list[FittedValue]:
    """The tier mix, and the conference, plan and post-assessment s47 shares where list 5 shows
    them; ``notes`` gains a line for each share left at the base scenario's value."""
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
        linked = link_to_referral(
            followed[["child_id", "referral_date"]],
            enquiries[["child_id", "strategy_date"]],
            "referral_date",
            "strategy_date",
        )
        s47_total = len(linked)
        if total:
            within = immediate_window(base)
            elapsed = elapsed_working_days(
                calendar, linked["referral_date"], linked["strategy_date"]
            )
            immediate = float((elapsed <= within).sum()) / total
            notes.append(immediate_risk_note(elapsed, total, within))
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
                    f"protection conference; 95% CI {binomial_interval(icpc, len(early))}",
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
                    f"protection plan; 95% CI {binomial_interval(made, len(plans))}",
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
            f"lists 3-5, {window}: immediate risk = a referral whose section 47 strategy "
            f"discussion began within {immediate_window(base):g} working day(s) of it (the "
            "base's target for one); disabled = assessed with a disability; child protection "
            "and child in need split the rest as the base does",
        )
    )
    if s47_total is not None:
        values += _s47_outcomes(base, shares, s47_total, total, window)
    values += _closed_at_decision(referrals, immediate, window, notes)
    return values


def _closed_at_decision(
    referrals: pd.DataFrame, immediate: float, window: str, notes: list[str]
) -> list[FittedValue]:
    """The share of referrals not at immediate risk closed with no further action at their
    decision, from list 3's "Referral NFA?" (a child at immediate risk is never closed so)."""
    answers = referrals["referral_nfa"].dropna() if "referral_nfa" in referrals else None
    if answers is None or answers.empty:
        notes.append(
            "List 3 has no 'Referral NFA?' answers: the share of referrals closed at their "
            "decision is the base's."
        )
        return []
    closed, answered = int(answers.astype(bool).sum()), len(answers)
    eligible = answered * (1.0 - immediate)
    share = min(1.0, closed / eligible) if eligible > 0 else 0.0
    return [
        FittedValue(
            "pathway.referral_nfa_share",
            round(share, 4),
            answered,
            f"list 3, {window}: {closed:,} of {answered:,} referrals were no further action "
            f"at the referral (95% CI {binomial_interval(closed, answered)}), over the "
            f"{1.0 - immediate:.1%} not at immediate risk",
        )
    ]


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


#: The windows whose immediate-risk shares the report sets beside the rule's (working days).
SENSITIVITY_WD = (0, 1, 2, 3, 5, 10)


def immediate_window(base: Scenario) -> float:
    """How soon after its referral a strategy discussion must begin for the referral to count
    as one of immediate risk: the base scenario's target for such a discussion, in whole working
    days (the lists give dates, not times)."""
    return float(math.ceil(base.pathway.timescales.strategy_discussion_target_wd))


def immediate_risk_note(elapsed: np.ndarray, total: int, within: float) -> str:
    """The rule, the share of referrals it gives, and the shares other windows would give.

    Most strategy discussions are held during an assessment, days or weeks after the referral;
    one held within the target of the referral itself is the mark of a child at immediate risk.
    A service that holds them late (as the 2010 inspection found) is undercounted by the rule:
    the wider windows show by how much."""
    shares = [
        f"{days} working day{'s' if days != 1 else ''}: {(elapsed <= days).sum() / total:.1%}"
        for days in SENSITIVITY_WD
    ]
    return (
        f"Immediate risk: a referral whose section 47 strategy discussion began within "
        f"{within:g} working day(s) of it counts as immediate risk, "
        f"{(elapsed <= within).sum() / total:.1%} of {total:,} referrals. With other windows: "
        + "; ".join(shares)
        + "."
    )
