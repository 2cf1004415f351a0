"""pathway: the modelled pathway from contact to child protection plan (run, compare).

A flow diagram of the resolved ``scenario.toml`` (the baseline's in a comparison): the shares of
contacts that become referrals, of referrals in each tier, and of each step's outcomes. It shows
the model's assumptions, not results.
"""

from __future__ import annotations

import textwrap

from matplotlib.patches import FancyBboxPatch

from caseload_sim.charts.registry import ChartData, Drawing, chart
from caseload_sim.charts.style import figure
from caseload_sim.scenario.wording import title_from_name


@chart("pathway", kinds=("run", "compare"))
def pathway(data: ChartData) -> Drawing:
    """The pathway of the first scenario (the baseline), with the shares of its scenario."""
    run = data.runs[0]
    scenario = run.scenario
    demand, rules = scenario.demand, scenario.pathway
    mix = demand.tier_mix
    conversion = demand.referral_conversion
    assessed = {
        "child_protection": mix.child_protection,
        "child_in_need": mix.child_in_need,
        "disabled_child": mix.disabled_child,
    }
    total = sum(assessed.values())
    outcomes = rules.after_first_assessment

    def average(field_name: str) -> float:
        if total <= 0:
            return 0.0
        return (
            sum(
                share * getattr(getattr(outcomes, tier), field_name)
                for tier, share in assessed.items()
            )
            / total
        )

    nfa, cin, core, s47 = (average(k) for k in ("nfa", "cin", "core", "s47"))
    timescales = rules.timescales
    single = rules.regime == "single_assessment"
    first = (
        f"Single assessment\n(within {timescales.single_assessment_wd:g} WD)"
        if single
        else f"Initial assessment\n(within {timescales.initial_assessment_wd:g} WD)"
    )

    fig, axes = figure(15, 7.5)
    ax = axes[0, 0]
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    width, height = 0.105, 0.1
    boxes: dict[str, tuple[float, float]] = {}

    def box(key: str, x: float, y: float, text: str, shade: str = "white") -> None:
        boxes[key] = (x, y)
        ax.add_patch(
            FancyBboxPatch(
                (x - width / 2, y - height / 2),
                width,
                height,
                boxstyle="round,pad=0.005",
                fc=shade,
                ec="black",
                lw=1.2,
            )
        )
        ax.text(x, y, text, ha="center", va="center", fontsize=9)

    def arrow(a: str, b: str, label: str = "", side: str = "right") -> None:
        (xa, ya), (xb, yb) = boxes[a], boxes[b]
        if side == "right":
            start, end = (xa + width / 2, ya), (xb - width / 2, yb)
        else:  # vertical, downwards or upwards
            direction = -1 if yb < ya else 1
            start, end = (xa, ya + direction * height / 2), (xb, yb - direction * height / 2)
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={"arrowstyle": "-|>", "color": "0.2", "lw": 1.3, "shrinkA": 0, "shrinkB": 0},
        )
        if label:
            ax.text(
                start[0] + 0.6 * (end[0] - start[0]),
                start[1] + 0.6 * (end[1] - start[1]),
                label,
                ha="center",
                va="center",
                fontsize=9,
                fontweight="bold",
                bbox={"fc": "white", "ec": "0.6", "boxstyle": "round,pad=0.2"},
            )

    pct = "{:.0%}".format
    grey = "0.9"
    box("contacts", 0.065, 0.5, "Contacts")
    box("referral", 0.2, 0.62, "Referral")
    box("screened", 0.2, 0.3, "Screened out\n(no referral)", grey)
    arrow("contacts", "referral", pct(conversion))
    arrow("contacts", "screened", pct(1 - conversion))
    tiers = (
        ("immediate_risk", "Immediate risk", 0.86),
        ("child_protection", "Child protection", 0.64),
        ("child_in_need", "Child in need", 0.44),
        ("disabled_child", "Disabled child", 0.24),
    )
    for key, label, y in tiers:
        box(key, 0.34, y, label)
        arrow("referral", key, pct(getattr(mix, key)))
    box(
        "strategy",
        0.485,
        0.86,
        f"Strategy discussion\n(target {timescales.strategy_discussion_target_wd:g} WD)",
    )
    box("first", 0.485, 0.44, first)
    arrow("immediate_risk", "strategy", "100%")
    for key, _, _ in tiers[1:]:
        arrow(key, "first")
    box("s47", 0.635, 0.86, "s47 enquiry")
    arrow("strategy", "s47")
    box("nfa", 0.635, 0.14, "No further action\n(case closes)", grey)
    box("cin", 0.635, 0.34, "Child in need\n(handed on)")
    arrow("first", "nfa", pct(nfa))
    arrow("first", "cin", pct(cin))
    if not single:
        box("core", 0.635, 0.58, f"Core assessment\n(within {timescales.core_assessment_wd:g} WD)")
        arrow("first", "core", pct(core))
    arrow("first", "s47", pct(s47))
    box("icpc", 0.785, 0.86, "Initial child\nprotection conference")
    arrow("s47", "icpc", pct(rules.icpc_probability))
    box("plan", 0.93, 0.86, "Child protection\nplan")
    arrow("icpc", "plan", pct(rules.cp_plan_probability))
    notes = [
        "Shares after the first assessment are averaged over the child protection, child in need "
        "and disabled child tiers, weighted by the tier mix.",
        f"Not drawn: after an s47 enquiry with no conference {pct(rules.no_icpc_cin_share)} are "
        "handed on as child in need"
        + ("" if single else f"; after a core assessment {pct(rules.core_assessment_cin_share)}")
        + ("." if single else " are handed on as child in need."),
    ]
    ax.text(
        0.82,
        0.45,
        "\n".join(_wrap(n, 40) for n in notes),
        ha="center",
        va="center",
        fontsize=8.5,
        bbox={"fc": "0.97", "ec": "0.7"},
    )
    reach_s47 = mix.immediate_risk + (1 - mix.immediate_risk) * s47
    reading = (
        f"{pct(conversion)} of contacts become referrals and about {pct(reach_s47)} of referrals "
        f"reach an s47 enquiry ({pct(mix.immediate_risk)} at immediate risk directly, the rest "
        "after a first assessment)"
    )
    regime = "Working Together 2013 single assessment" if single else "Working Together 2010"
    below = f"{title_from_name(run.name)}; {regime} regime; shares from the resolved scenario.toml"
    heading = "The modelled pathway from contact to child protection plan"
    return Drawing(fig, heading, below, reading)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))
