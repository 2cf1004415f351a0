"""England's average front door in 2009-10 against the published statistics.

    .venv/bin/python experiments/england_2009_10/run.py [--replications 20] [--jobs 2]

Runs scenarios/england_2009_10.toml and sets each published figure of the year ending 31 March
2010, divided by England's 152 authorities, beside the simulated value with its 95% confidence
interval. The tolerances are fixed here, before any run: a count agrees when the simulated mean is
within 10% of the published value, a percentage when it is within 5 points. Figures the scenario
was fitted to are marked "fitted"; the others are predictions. The social workers' posts are
fitted first: a sweep over posts around the scenario's, and the level whose mean share of initial
assessments within 7 working days is nearest 67%. Writes docs/validation-england.md and the
tables under experiments/england_2009_10/results/.
"""

from __future__ import annotations

import argparse
import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseload_sim.experiment.runner import run_experiment
from caseload_sim.experiment.sweep import SweepResult, Target, parse_vary, sweep
from caseload_sim.files import replace_atomically
from caseload_sim.scenario.loading import load_scenario
from caseload_sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "england_2009_10.toml"
DOC = ROOT / "docs" / "validation-england.md"
RESULTS = ROOT / "experiments" / "england_2009_10" / "results"

AUTHORITIES = 152
#: Tolerances, stated before the runs: flows within 10%, timeliness within 5 points.
FLOW_TOLERANCE = 0.10
TIMELINESS_POINTS = 5.0
#: Children aged under 18 in England, about 2009: 304,400 children in need at 31 March 2009 were
#: 276 per 10,000 children (DCSF, Children in need in England, 2008-09, experimental statistics),
#: so about 11.03 million children, 72,600 per authority (derived, not published as such).
CHILDREN = 304_400 / 276 * 10_000
#: The team and grade whose posts are fitted to the timeliness of initial assessments.
FITTED_POSTS = "workforce.teams.assessment.staff.sw"
FIT_KPI = "initial_assessment_within_timescale_pct"
FIT_TARGET = 67.0
#: Grades that hold cases (team managers chair strategy discussions and hold none).
CASE_HOLDING = ("swa", "nqsw", "sw", "sp")


@dataclass(frozen=True)
class Published:
    """One published figure and the KPI that measures it in the model."""

    label: str
    kpi: str
    national: float  # England's figure (a count), or the percentage itself
    source: str
    fitted: bool
    count: bool = True
    note: str = ""

    @property
    def value(self) -> float:
        """The figure for the average authority."""
        return self.national / AUTHORITIES if self.count else self.national

    def tolerance(self) -> float:
        return self.value * FLOW_TOLERANCE if self.count else TIMELINESS_POINTS


DFE_2010 = (
    "DfE, Referrals, assessments and children who are the subject of a child protection plan, "
    "England, year ending 31 March 2010"
)
HL3288 = "Lord Agnew, written answer HL3288, 29 November 2017"
PUBLISHED = (
    Published("Referrals", "referrals_count", 603_700, DFE_2010, fitted=True),
    Published("Initial assessments", "initial_assessments_count", 395_300, DFE_2010, fitted=True),
    Published(
        "Initial assessments within 7 working days",
        "initial_assessment_within_timescale_pct",
        67.0,
        DFE_2010,
        fitted=True,
        count=False,
        note="the social workers' posts are fitted to it",
    ),
    Published("Core assessments", "core_assessments_count", 142_100, DFE_2010, fitted=True),
    Published(
        "Core assessments within 35 working days",
        "core_assessment_within_timescale_pct",
        78.0,
        DFE_2010,
        fitted=False,
        count=False,
    ),
    Published("Section 47 enquiries", "s47_enquiries_count", 89_300, HL3288, fitted=True),
    Published(
        "Initial child protection conferences",
        "icpcs_count",
        43_900,
        HL3288,
        fitted=False,
        note="the first census year, probably undercounted",
    ),
    Published(
        "Children becoming the subject of a plan", "cp_plans_count", 44_300, DFE_2010, fitted=True
    ),
    Published(
        "Re-referrals within 12 months",
        "re_referral_pct",
        24.0,
        "DCSF, the same release for the year ending 31 March 2008",
        fitted=True,
        count=False,
        note="2007-08's figure; 2009-10's was not found. The scenario's chance of return is set "
        "to it; the KPI counts returns within 12 months of the earlier referral",
    ),
)


@dataclass(frozen=True)
class Row:
    """A published figure beside the simulated one."""

    figure: Published
    mean: float
    low: float
    high: float

    @property
    def difference(self) -> float:
        return self.mean - self.figure.value

    @property
    def agrees(self) -> bool:
        return not math.isnan(self.mean) and abs(self.difference) <= self.figure.tolerance()


def compare_with_published(summary: dict[str, dict[str, Any]]) -> list[Row]:
    """Each published figure beside the simulated mean and its 95% interval."""
    return [
        Row(f, summary[f.kpi]["mean"], summary[f.kpi]["ci95_low"], summary[f.kpi]["ci95_high"])
        for f in PUBLISHED
    ]


def posts(scenario: Scenario, path: str = FITTED_POSTS) -> int:
    """The number of posts at a dotted path of the scenario."""
    value: Any = scenario
    for part in path.split("."):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return int(value)


def case_holding_fte(scenario: Scenario) -> float:
    """Posts that hold cases, in full-time equivalents."""
    grades = scenario.workforce.grades
    return sum(
        getattr(team.staff, grade) * getattr(grades, grade).fte
        for team in scenario.workforce.teams.values()
        for grade in CASE_HOLDING
    )


@dataclass
class Fit:
    """The sweep over the fitted posts: each level and its KPIs' summary."""

    levels: list[int]
    summaries: list[dict[str, dict[str, Any]]]

    def column(self, kpi: str, statistic: str = "mean") -> list[float]:
        return [summary[kpi][statistic] for summary in self.summaries]

    @property
    def best(self) -> int:
        """The level whose mean is nearest the target."""
        means = self.column(FIT_KPI)
        return self.levels[min(range(len(means)), key=lambda i: abs(means[i] - FIT_TARGET))]

    @property
    def fewest(self) -> int | None:
        """The fewest posts meeting the target with 95% confidence, as ``staffing`` asks (the
        sweep ran every level of its range on the same seeds), if any level does."""
        target = Target(FIT_KPI, ">=", FIT_TARGET)
        met = [
            level for level, s in zip(self.levels, self.summaries, strict=True) if target.met_by(s)
        ]
        return min(met) if met else None

    def mix(self, kpi: str) -> float:
        """The KPI of an equal mix of authorities staffed at every level of the sweep."""
        values = self.column(kpi)
        return sum(values) / len(values)


def fit_posts(
    scenario: Scenario, levels: Sequence[int], replications: int, jobs: int
) -> tuple[Fit, SweepResult]:
    """Run the scenario at each level of the fitted posts (common random numbers)."""
    vary = parse_vary(f"{FITTED_POSTS}={','.join(str(level) for level in levels)}")
    result = sweep(scenario, [vary], replications, jobs=jobs)
    return Fit(list(levels), [r.summary() for r in result.results]), result


def _number(value: float, count: bool) -> str:
    if math.isnan(value):
        return "—"
    return f"{value:,.0f}" if count else f"{value:.1f}%"


def _difference(row: Row) -> str:
    if row.figure.count:
        return f"{row.difference / row.figure.value:+.1%}"
    return f"{row.difference:+.1f} points"


def comparison_table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| figure | published, England | average authority | simulated (95% CI) | difference | "
        "tolerance | agrees | fitted or predicted |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        f = row.figure
        national = f"{f.national:,.0f}" if f.count else f"{f.national:.0f}%"
        tolerance = f"±{FLOW_TOLERANCE:.0%}" if f.count else f"±{TIMELINESS_POINTS:g} points"
        kind = "fitted" if f.fitted else "**predicted**"
        interval = f"{_number(row.low, f.count)} to {_number(row.high, f.count)}"
        lines.append(
            f"| {f.label} | {national} | {_number(f.value, f.count)} | "
            f"{_number(row.mean, f.count)} ({interval}) | {_difference(row)} | {tolerance} | "
            f"{'yes' if row.agrees else '**no**'} | {kind} |"
        )
    return lines


def core_note(rows: Sequence[Row], fit: Fit) -> str:
    """What the core assessments' timeliness says, in this run's numbers."""
    row = next(r for r in rows if r.figure.kpi == "core_assessment_within_timescale_pct")
    mixed = fit.mix("core_assessment_within_timescale_pct")
    direction = "above" if row.mean > row.figure.value else "below"
    return (
        f"- **Core assessments on time.** The average authority, staffed so that "
        f"{fit.column(FIT_KPI)[fit.levels.index(fit.best)]:.1f}% of its initial assessments are "
        "on time, "
        f"completes {row.mean:.1f}% of its core assessments within 35 working days, {direction} "
        f"the published {row.figure.value:.0f}%. Workers take the most urgent work first, and a "
        "core assessment's deadline is far off, so in the model core assessments fall late only "
        "once workers are nearly saturated, and then steeply (the fit below). England's figure "
        "is the total over 152 authorities that differed in load, and a mix of authorities has "
        "fewer core assessments on time than one average authority: an equal mix of the fit's "
        f"staffing levels gives {fit.mix(FIT_KPI):.1f}% of initial and {mixed:.1f}% of core "
        "assessments on time. What is left of the gap points at what the model leaves out: its "
        "elapsed times come from workers' time alone, paced by "
        "`pathway.max_hours_per_case_per_day`, with no wait for other agencies' reports and no "
        "drift of work that is not urgent. Read its core assessments' timeliness as a best case."
    )


def markdown(
    rows: Sequence[Row],
    fit: Fit,
    scenario: Scenario,
    summary: dict[str, dict[str, Any]],
    replications: int,
    fit_replications: int,
) -> str:
    """docs/validation-england.md, every number from this run."""
    fte = case_holding_fte(scenario)
    per_authority_children = CHILDREN / AUTHORITIES
    per_10k = fte / per_authority_children * 10_000
    at_work = summary["available_fte_mean"]["mean"]
    fitted_level = posts(scenario)
    predictions = [r for r in rows if not r.figure.fitted]
    lines = [
        "# The model against England's published statistics, 2009-10",
        "",
        "This page is written by `experiments/england_2009_10/run.py` (command below); every",
        "number on it comes from that run. It sets the published figures of England's year ending",
        "31 March 2010, divided by England's 152 authorities, beside what",
        "[`scenarios/england_2009_10.toml`](../scenarios/england_2009_10.toml) gives: the average",
        "authority's front door, every value in it commented with its source or, where none was",
        "found, with how it was chosen.",
        "",
        "```",
        f".venv/bin/python experiments/england_2009_10/run.py --replications {replications} "
        f"--fit-replications {fit_replications} --jobs 2",
        "```",
        "",
        "## How agreement is judged (fixed before the runs)",
        "",
        f"- A **count** agrees when the simulated mean is within {FLOW_TOLERANCE:.0%} of the "
        "published figure for the average authority.",
        f"- A **percentage** agrees when the simulated mean is within {TIMELINESS_POINTS:g} "
        "points of the published one.",
        "- A figure is **fitted** when a value of the scenario was set from it (the referrals "
        "from the contacts, the assessments and enquiries from the outcome shares, the plans from "
        "the share of enquiries reaching a conference, the timeliness of initial assessments "
        "from the social workers' posts). Agreement on a fitted figure checks the arithmetic of "
        "the fit; the test of the model is the **predictions**, figures no value was set from.",
        "- Counts are per year of the measured window, 1 April 2009 to 31 March 2010 (the",
        "  statistical year), after a 90-day warm-up; intervals are 95% t-intervals over",
        f"  {replications} independent replications.",
        "",
        "## Published against simulated",
        "",
        *comparison_table(rows),
        "",
        "Notes:",
        "",
    ]
    for row in rows:
        if row.figure.note:
            lines.append(f"- {row.figure.label}: {row.figure.note}.")
    lines += [
        f"- Sources: {DFE_2010} (final figures, November 2010); {HL3288}.",
        "",
        "## What the predictions say",
        "",
    ]
    for row in predictions:
        f = row.figure
        verdict = "agrees" if row.agrees else "does not agree"
        lines.append(
            f"- **{f.label}**: published {_number(f.value, f.count)}, simulated "
            f"{_number(row.mean, f.count)} ({_difference(row)}): {verdict} within the tolerance."
        )
    lines += [
        "",
        "Read with the table above:",
        "",
        core_note(rows, fit),
        "- **Initial child protection conferences.** The scenario's share of enquiries reaching a "
        "conference is fitted to the children becoming the subject of a plan, with the model's "
        "default share of conferences making a plan (0.85, not published for 2009-10). The "
        "conferences it then implies are above the published count, which the DfE's first census "
        "year probably undercounted: the published conferences (43,900) are fewer than the plans "
        "(44,300), which a conference must make.",
        "",
        f"- **Caseloads.** Each case-holding worker holds "
        f"{summary['caseload_per_worker_mean']['mean']:.1f} cases on average, far below the 20 to "
        "30 cases at a time reported for children's social workers in 57 authorities in 2011 "
        "(Children's Workforce Development Council figures, as reported then). The model holds a "
        "case only while the front door works on it: an assessed case leaves once its hand-over "
        "is done, with no wait for a long-term team to take it, and those teams' cases are not "
        "in the model. Compare caseloads between options, not with a council's own counts.",
        "",
        "## The staffing fitted",
        "",
        f"Front-door staffing is not published. The social workers' posts (`{FITTED_POSTS}`) were "
        f"fitted by running the scenario at {len(fit.levels)} levels, {fit_replications} "
        "replications each on common random numbers, and taking the level whose mean share of "
        f"initial assessments within 7 working days is nearest {FIT_TARGET:g}%:",
        "",
        "| social workers' posts | initial assessments within 7 WD (95% CI) | core assessments "
        "within 35 WD | worker utilisation |",
        "|---|---|---|---|",
    ]
    means, lows, highs = (fit.column(FIT_KPI, s) for s in ("mean", "ci95_low", "ci95_high"))
    core = fit.column("core_assessment_within_timescale_pct")
    utilisation = fit.column("worker_utilisation_pct")
    for i, level in enumerate(fit.levels):
        mark = " (nearest)" if level == fit.best else ""
        lines.append(
            f"| {level}{mark} | {means[i]:.1f}% ({lows[i]:.1f} to {highs[i]:.1f}) | "
            f"{core[i]:.1f}% | {utilisation[i]:.1f}% |"
        )
    agreement = (
        f"The scenario's {fitted_level} posts are the fit."
        if fit.best == fitted_level
        else f"**The scenario has {fitted_level} posts; this run's fit is {fit.best}.** Set "
        f"`{FITTED_POSTS}` to {fit.best} and run again."
    )
    lines += [
        "",
        agreement,
        f"The stricter question of the staffing search (`caseload-sim staffing "
        f"scenarios/england_2009_10.toml --vary {FITTED_POSTS}={fit.levels[0]}:{fit.levels[-1]} "
        f"--target '{FIT_KPI}>={FIT_TARGET:g}' --replications {fit_replications}`), the fewest "
        f"posts meeting {FIT_TARGET:g}% with 95% confidence, has this answer on the same runs: "
        + (
            f"{fit.fewest}."
            if fit.fewest is not None
            else f"none from {fit.levels[0]} to {fit.levels[-1]}."
        ),
        "",
        "## What the staffing means per 10,000 children",
        "",
        f"- The scenario's case-holding staff: **{fte:.0f} FTE** (social workers and senior "
        f"practitioners; {at_work:.1f} FTE at work on average once leave and sickness are taken "
        "out), for an average authority of about "
        f"{per_authority_children:,.0f} children: **{per_10k:.1f} case-holding FTE per 10,000 "
        "children** at the front door.",
        "- Beside it: the first national count of local authority children's social workers, for "
        "2012, was 27,100 (23,300 FTE) in England's 152 councils (DfE children's social work "
        f"workforce statistics): {23_300 / CHILDREN * 10_000:.1f} FTE per 10,000 children in all "
        "children's social work, of which referral and assessment is one part. In September 2009 "
        "councils employed about 45,000 FTE social workers for adults and children together (NHS "
        "Information Centre); no children's count for 2009-10 was found.",
        f"- So the front door of the scenario holds {fte / (23_300 / AUTHORITIES):.0%} of an "
        "average council's 2012 children's social work FTE; no published split by service was "
        "found to check it.",
        f"- Children: {CHILDREN / 1e6:.2f} million in England, derived from 304,400 children in "
        "need at 31 March 2009 being 276 per 10,000 children (DCSF, Children in need in England, "
        "2008-09); the ONS mid-2009 estimate itself was not read.",
        "",
        "## Figures not found",
        "",
        "- Hours of social work for a core assessment, an s47 enquiry, a strategy discussion, "
        "screening and hand-over: Holmes, Munro and Soper (2010) give only the initial "
        "assessment's (about 10 hours, 87% paperwork and data entry) in what could be read; "
        "Holmes, McDermid, Jones and Ward, *How social workers spend their time* (DCSF-RR087, "
        "2009), probably holds the others but its tables could not be read. The scenario's "
        "values are chosen and say so.",
        "- The 2009-10 re-referral rate (2007-08's 24% is used), contacts (not collected "
        "nationally), the share of conferences making a plan, the tier mix and the outcome of "
        "initial assessments (no further action against services), front-door staffing, "
        "caseloads of referral and assessment workers.",
        "",
    ]
    return "\n".join(lines)


def _comparison_csv(rows: Sequence[Row], path: Path) -> None:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "figure",
                "kpi",
                "published_england",
                "published_average_authority",
                "mean",
                "ci95_low",
                "ci95_high",
                "tolerance",
                "agrees",
                "fitted",
            ]
        )
        for row in rows:
            f = row.figure
            writer.writerow(
                [
                    f.label,
                    f.kpi,
                    f.national,
                    round(f.value, 2),
                    row.mean,
                    row.low,
                    row.high,
                    round(f.tolerance(), 2),
                    row.agrees,
                    f.fitted,
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--fit-replications", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--fit-span", type=int, default=3, help="posts either side of the file's")
    args = parser.parse_args()
    scenario = load_scenario(SCENARIO)
    level = posts(scenario)
    levels = list(range(level - args.fit_span, level + args.fit_span + 1))
    fit, fitted = fit_posts(scenario, levels, args.fit_replications, args.jobs)
    result = run_experiment(scenario, args.replications, jobs=args.jobs)
    summary = result.summary()
    rows = compare_with_published(summary)
    page = markdown(rows, fit, scenario, summary, args.replications, args.fit_replications)
    # The page and its tables are replaced together or not at all.
    replace_atomically(
        {
            DOC: lambda path: path.write_text(page),
            RESULTS / "comparison.csv": lambda path: _comparison_csv(rows, path),
            RESULTS / "fit.csv": lambda path: fitted.table().to_csv(path, index=False),
        }
    )
    print(f"Wrote {DOC.relative_to(ROOT)} and {RESULTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
