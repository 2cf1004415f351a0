"""The tier mix and the outcomes of section 47 enquiries, from lists 3, 4 and 5.

Immediate-risk referrals are those whose strategy discussion came before their assessment was
authorised (the risk was seen at referral, not found by the assessment); disabled children are
those assessed with a disability; child protection and child in need split the rest as the
base scenario does. The shares of referrals reaching an s47 enquiry, of enquiries reaching an
initial child protection conference, and of conferences making a plan use only what began
``FOLLOW_UP_DAYS`` or more before the end of the data, so that the end of the export does not
cut them short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseload_sim.calibrate.estimates import FittedValue, binomial_interval
from caseload_sim.calibrate.linking import link_to_referral

if TYPE_CHECKING:
    import pandas as pd

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
        classified = _immediate_risk(linked, assessments)
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


def _immediate_risk(
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
