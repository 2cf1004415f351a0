"""The 2010 inspection reproduced, and the council's options compared on common random numbers.

    .venv/bin/python experiments/inspection_2010/run.py [--replications 10] [--jobs 2]

Runs the service as the inspection found it (county_2010_as_found) and the four options
(re-organisation from 1 September 2010, the capacity increase of the area for priority action,
mandatory training and their combination) on the same seeds, writes the comparison and its report to
experiments/inspection_2010/results/, copies its charts to docs/img/case-study/ and writes
docs/case-study.md with every number taken from this run.

So that the baseline is measured over the same two periods as the options (before and after
1 September 2010), it is given a timeline entry on that date that changes nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
from pathlib import Path
from typing import Any

from caseload_sim.experiment.comparison import compare
from caseload_sim.experiment.statistics import t_interval
from caseload_sim.experiment.value_for_money import COST_KPI
from caseload_sim.metrics.periods import DAYS_TO_RECOVER
from caseload_sim.report import write_report
from caseload_sim.report.value_for_money import (
    cost_cell,
    cost_words,
    money,
    point_cell,
    window_sentences,
)
from caseload_sim.results.writer import write_comparison
from caseload_sim.scenario.loading import load_scenario
from caseload_sim.scenario.schema import Scenario, TimelineEntry

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "experiments" / "inspection_2010" / "results"
CASE_STUDY = ROOT / "docs" / "case-study.md"
IMAGES = ROOT / "docs" / "img" / "case-study"
OPTIONS = (
    ("county_2010_restructure_sept", "Re-organisation"),
    ("county_2010_priority_action", "Capacity increase"),
    ("county_2010_training", "Training"),
    ("county_2010_combined", "All three"),
)
CHARTS = ("differences", "timeliness", "caseloads", "backlog", "value_for_money")


def baseline_with_marker(scenario: Scenario) -> Scenario:
    """The baseline with a change on 1 September 2010 that changes nothing (a period boundary)."""
    marker = TimelineEntry(
        date=scenario.simulation.start_date.replace(month=9, day=1),
        label="No change",
        changes={"workforce.allocation.policy": scenario.workforce.allocation.policy},
    )
    return Scenario.model_validate(
        {**scenario.model_dump(mode="python"), "timeline": [marker.model_dump(mode="python")]}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    baseline = baseline_with_marker(load_scenario(ROOT / "scenarios" / "county_2010_as_found.toml"))
    options = [load_scenario(ROOT / "scenarios" / f"{name}.toml") for name, _ in OPTIONS]
    comparison = compare([baseline, *options], args.replications, jobs=args.jobs)
    if RESULTS.exists():
        shutil.rmtree(RESULTS)
    write_comparison(comparison, RESULTS)
    write_report(RESULTS)
    IMAGES.mkdir(parents=True, exist_ok=True)
    for chart in CHARTS:
        shutil.copyfile(RESULTS / "charts" / f"{chart}.png", IMAGES / f"{chart}.png")
    study = Study(comparison, args.replications)
    CASE_STUDY.write_text(study.markdown())
    print(f"Wrote {CASE_STUDY.relative_to(ROOT)} and {RESULTS.relative_to(ROOT)}/report.html")


class Study:
    """The numbers of the case study: whole year, and the period after 1 September 2010."""

    def __init__(self, comparison: Any, replications: int) -> None:
        self.comparison = comparison
        self.results = comparison.results
        self.replications = replications
        self.names = [result.scenario.name for result in self.results]
        self.summaries = [
            json.loads((RESULTS / name / "summary.json").read_text()) for name in self.names
        ]

    # -- numbers -------------------------------------------------------------------------------
    def after(self, index: int, kpi: str) -> dict[str, float]:
        """Mean and CI of a KPI over the period after 1 September 2010."""
        values = [output.periods[-1][kpi] for output in self.results[index].outputs]
        return t_interval(values)

    def before(self, kpi: str) -> dict[str, float]:
        values = [output.periods[0][kpi] for output in self.results[0].outputs]
        return t_interval(values)

    def difference(self, index: int, kpi: str) -> dict[str, float]:
        """Paired difference option - baseline after 1 September 2010."""
        option = [output.periods[-1][kpi] for output in self.results[index].outputs]
        base = [output.periods[-1][kpi] for output in self.results[0].outputs]
        return t_interval([a - b for a, b in zip(option, base, strict=True)])

    # -- text ----------------------------------------------------------------------------------
    def row(self, kpi: str, label: str) -> str:
        cells = [label, _ci(self.before(kpi)), _ci(self.after(0, kpi))]
        for index in range(1, len(self.results)):
            cells.append(_difference(self.difference(index, kpi)))
        return "| " + " | ".join(cells) + " |"

    def table(self, rows: list[tuple[str, str]]) -> list[str]:
        header = ["KPI", "baseline before 1 Sep", "baseline after 1 Sep"] + [
            f"{label} (difference)" for _, label in OPTIONS
        ]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return lines + [self.row(kpi, label) for kpi, label in rows]

    def markdown(self) -> str:
        recover = [
            _ci(self.after(index, DAYS_TO_RECOVER), "days") for index in range(1, len(self.results))
        ]
        lines = [
            "# Case study: the 2010 inspection, reproduced and answered",
            "",
            "Every number and chart on this page comes from one command:",
            "",
            "```",
            f"make run && .venv/bin/python experiments/inspection_2010/run.py "
            f"--replications {self.replications} --jobs 2",
            "```",
            "",
            "It runs the five scenarios below on common random numbers "
            f"({self.replications} replications each, seed "
            f"{self.results[0].seed}), writes the comparison and its report to "
            "`experiments/inspection_2010/results/` (open `report.html`) and rewrites this page. "
            "The scenarios rest on England's 2009-10 statistics wherever a figure has a published "
            "counterpart (demand, the shares of assessments, enquiries and plans, re-referrals, "
            "the effort of an initial assessment, vacancies; see "
            "[validation-england.md](validation-england.md) and `docs/model.md`, section 14); "
            "their staffing, caps and rules are illustrative values chosen to show the findings, "
            "not a calibration to the council inspected. Each run starts on "
            "1 April 2010; the year measured runs from 30 June 2010 (a week before the "
            "inspection of 6-7 July) to 30 June 2011. Every option changes the service on "
            "1 September 2010, when the council's re-organisation began, so each KPI is given "
            "before that date (the service as found) and after it. The baseline carries a "
            "timeline entry on that date that changes nothing, so that it is measured over the "
            "same two periods. Differences are paired (option minus baseline, after "
            "1 September); an asterisk marks a 95% confidence interval that excludes 0.",
            "",
            "| scenario | what changes on 1 September 2010 |",
            "|---|---|",
            "| `county_2010_as_found` (the baseline) | nothing: the service as the inspection "
            "found it (`county_2010_baseline` with leave, sickness, vacancies and turnover, "
            "supervision, sign-off, recording and assessment quality switched on) |",
            "| `county_2010_restructure_sept` | skill-matched allocation (assistants stop holding "
            "child protection work; co-workers give a quarter of the work), an immediate "
            "response team formed from existing posts; 10% productivity lost for 40 working "
            "days |",
            "| `county_2010_priority_action` | ten social worker posts, and the south team's "
            "missing team manager post, empty until recruits start 65 working days later, with "
            "agency cover for the social worker posts where available |",
            "| `county_2010_training` | mandatory assessment training for every case-holding "
            "worker over three months |",
            "| `county_2010_combined` | all three |",
            "",
            "## At a glance",
            "",
            *self.glance(),
            "",
            "![Paired differences](img/case-study/differences.png)",
            "",
            "## The findings, one by one",
            "",
            "### Caseloads too high, with too much high-risk work",
            "",
            "> Many social workers carry caseloads that are too high and include too many cases "
            "involving high risk and complexity. This contributes to delays in progressing "
            "assessments and completing planned work.",
            "",
            *self.table(
                [
                    ("caseload_per_worker_mean", "cases per worker"),
                    ("high_risk_cases_per_worker_max", "most high-risk cases held by one worker"),
                    (
                        "initial_assessment_within_timescale_pct",
                        "initial assessments within 7 WD (%)",
                    ),
                    ("core_assessment_within_timescale_pct", "core assessments within 35 WD (%)"),
                    ("worker_utilisation_pct", "worker utilisation (%)"),
                ]
            ),
            "",
            "![Caseloads](img/case-study/caseloads.png)",
            "",
            "### Complex child protection work held by assistants with little oversight",
            "",
            "> Some complex child protection cases are jointly allocated to social work "
            "assistants and qualified social workers. However, in most of these cases "
            "assessments and casework are undertaken by the social work assistants with limited "
            "oversight or involvement by the social worker.",
            "",
            *self.table(
                [
                    (
                        "high_risk_cases_held_by_unqualified_pct",
                        "high-risk cases led by an unqualified worker (%)",
                    ),
                    ("co_worked_cases_pct", "co-worked cases (%)"),
                    (
                        "oversight_hours_per_co_worked_case_mean",
                        "oversight hours per co-worked case",
                    ),
                ]
            ),
            "",
            "### Strategy discussions for children at immediate risk come late",
            "",
            "> In some cases child protection strategy meetings are not held until a "
            "considerable time after the initial referral resulting in children remaining at "
            "potential risk.",
            "",
            *self.table(
                [
                    (
                        "strategy_discussion_within_target_pct",
                        "strategy discussions within target (%)",
                    ),
                    (
                        "referral_to_strategy_discussion_days_p90",
                        "referral to strategy discussion, p90 (days)",
                    ),
                    ("referral_to_allocation_days_p90", "referral to allocation, p90 (days)"),
                ]
            ),
            "",
            "### Assessment quality too variable; training yet to have an impact",
            "",
            "> The quality of initial and core assessments is too variable ... mandatory "
            "training to address these issues has recently been introduced. However, this has "
            "yet to have an impact.",
            "",
            *self.table(
                [
                    ("inadequate_assessment_pct", "inadequate assessments (%)"),
                    ("re_referral_pct", "re-referrals within 12 months (%)"),
                ]
            ),
            "",
            "### Recording late, managerial oversight not recorded",
            "",
            "> Recording is not undertaken in a timely manner ... managerial oversight, "
            "including records of decision-making, is frequently not recorded on case files.",
            "",
            *self.table(
                [
                    ("recording_overdue_pct", "records overdue (%)"),
                    ("recording_backlog_hours_mean", "recording backlog per worker (hours)"),
                    (
                        "assessment_sign_off_days_p90",
                        "completion to manager's sign-off, p90 (days)",
                    ),
                ]
            ),
            "",
            "### Supervision variable",
            "",
            "> The frequency and quality of staff supervision are variable across the authority. "
            "In one team some staff have not received formal supervision for several months.",
            "",
            *self.table(
                [
                    (
                        "supervision_out_of_standard_pct",
                        "worker-days out of the supervision standard (%)",
                    ),
                    ("days_since_supervision_p90", "days since last supervision, p90"),
                    ("days_since_supervision_max", "longest time without supervision (days)"),
                ]
            ),
            "",
            "### Staff capacity: the area for priority action",
            "",
            "> Following the Joint Area Review in 2008, a recommendation was made for immediate "
            "action to 'increase social care staff capacity ...'. However, since then there has "
            "been only limited progress.",
            "",
            *self.table(
                [
                    ("available_fte_mean", "case-holding staff at work (FTE)"),
                    ("vacancy_rate_pct", "vacancy rate (%)"),
                    ("agency_share_pct", "agency share (%)"),
                    ("staff_turnover_pct", "turnover (% a year)"),
                    ("unallocated_referrals_mean", "unallocated referrals"),
                ]
            ),
            "",
            "Days from 1 September 2010 until the unallocated queue was back to its level of the "
            "four weeks before (mean over the replications that recovered, n of "
            f"{self.replications}): "
            + "; ".join(
                f"{label}: {text}" for (_, label), text in zip(OPTIONS, recover, strict=True)
            )
            + ".",
            "",
            "![Backlog over time](img/case-study/backlog.png)",
            "",
            "![Timeliness](img/case-study/timeliness.png)",
            "",
            *self.costs(),
            "",
            "## Reading the answer",
            "",
            *self.reading(),
            "",
            "## What the model leaves out",
            "",
            "- Information sharing between agencies and the working relationship with the police "
            "(two further areas for development) appear only as the police's availability for "
            "strategy discussions (`partners.police`). None of the council's options changes "
            "that availability, so none brings strategy discussions back within target; a "
            "scenario can try it (`--set partners.police.slots_per_working_day=7`).",
            "- The strengths the inspection found (the disabled children's route, the access "
            "centre, the out-of-hours service) are in the baseline as found and every option "
            "keeps them.",
            "- The staffing, caps and rules are illustrative until a council calibrates them from "
            "its own data.",
            "",
        ]
        return "\n".join(lines)

    def value_after(self, index: int) -> dict[str, Any]:
        """An option's value for money after 1 September 2010 (its last period)."""
        name = self.names[index]
        value: dict[str, Any] = self.comparison.period_differences[name][-1]["value_for_money"]
        return value

    def costs(self) -> list[str]:
        """What each option costs after 1 September 2010, and what a point gained costs."""
        base = self.after(0, COST_KPI)
        prices = self.results[0].scenario.costs
        kpis = (
            ("initial_assessment_within_timescale_pct", "a point of IA within 7 WD"),
            ("core_assessment_within_timescale_pct", "a point of CA within 35 WD"),
            ("high_risk_cases_held_by_unqualified_pct", "a point fewer led by unqualified staff"),
        )
        header = ["after 1 September 2010", *(label for _, label in OPTIONS)]
        rows = [
            ["staffing cost a year (difference)"]
            + [cost_cell(self.value_after(i)["cost"]) for i in range(1, len(self.results))]
        ]
        for kpi, label in kpis:
            row = [f"cost of {label}"]
            for index in range(1, len(self.results)):
                entry = self.value_after(index)["kpis"][kpi]
                row.append(
                    point_cell(entry["gain"], entry["per_point"], self.value_after(index)["cost"])
                )
            rows.append(row)
        sentences = [
            sentence
            for index, (_, label) in enumerate(OPTIONS, start=1)
            for sentence in window_sentences(label, self.value_after(index), "after 1 September")
        ]
        return [
            "### What each option costs",
            "",
            "> The area for priority action asks for more capacity; the re-organisation moves "
            "posts and adds none.",
            "",
            f"As found, the front door's staff cost about {money(base['mean'])} a year after "
            f"1 September 2010 (95% CI {money(base['ci95_low'])} to {money(base['ci95_high'])}), "
            f"at {prices.price_year if prices else ''} prices: salaries and on-costs of the "
            "permanent staff, agency cover for vacant posts, recruitment and training fees "
            "(`docs/model.md`, section 15, gives each figure's source). Each option's "
            "difference is paired, run by run; the cost of a point is the cost difference over "
            "the points gained, with Fieller's 95% interval, and is given only where the figure "
            "moves with 95% confidence (— otherwise).",
            "",
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows),
            "",
            *(f"- {sentence}" for sentence in sentences),
            "",
            "Over the whole measured year, which runs two months before the options begin, the "
            "chart below sets each option's paired cost against the points it gains:",
            "",
            "![Value for money](img/case-study/value_for_money.png)",
        ]

    def glance(self) -> list[str]:
        """The service as found, in one paragraph, then the answer in one more."""

        def before(kpi: str) -> str:
            return f"{self.before(kpi)['mean']:.0f}"

        found = (
            "As found (30 June to 31 August 2010), "
            f"{before('initial_assessment_within_timescale_pct')}% of initial assessments were "
            "completed within 7 working days (England, 2009-10: 67%) and "
            f"{before('core_assessment_within_timescale_pct')}% of core assessments within 35 "
            "(England: 78%); "
            f"{before('high_risk_cases_held_by_unqualified_pct')}% of high-risk cases were led "
            "by a social work assistant or an NQSW under joint allocation, with "
            f"{self.before('oversight_hours_per_co_worked_case_mean')['mean']:.1f} hours of "
            "oversight per co-worked case; "
            f"{before('strategy_discussion_within_target_pct')}% of strategy discussions were "
            "held within the target, and one in ten took more than "
            f"{before('referral_to_strategy_discussion_days_p90')} days from the referral; "
            f"{before('supervision_out_of_standard_pct')}% of worker-days were outside the "
            "supervision standard, and one worker went "
            f"{before('days_since_supervision_max')} days without a session; "
            f"{before('recording_overdue_pct')}% of records were written late; and "
            f"{before('inadequate_assessment_pct')}% of assessments were inadequate."
        )
        best = max(
            range(1, len(self.results)),
            key=lambda i: self.difference(i, "core_assessment_within_timescale_pct")["mean"],
        )
        unqualified = self.difference(1, "high_risk_cases_held_by_unqualified_pct")
        timely = self.difference(1, "initial_assessment_within_timescale_pct")
        answer = (
            "After 1 September 2010 the re-organisation alone changes the share of high-risk "
            f"cases led by unqualified staff by {_difference(unqualified)} points and initial "
            f"assessments within 7 working days by {_difference(timely)} points; of the four "
            f"options, {OPTIONS[best - 1][1].lower()} improves core assessment timeliness most "
            f"({_difference(self.difference(best, 'core_assessment_within_timescale_pct'))} "
            "points)"
        )
        capacity = self.value_after(2)
        core = capacity["kpis"]["core_assessment_within_timescale_pct"]["per_point"]
        cost = (
            f"The capacity increase {cost_words(capacity['cost'])} in staff, about "
            f"{money(core['mean'])} for each point of core assessments within 35 working days; "
            f"the re-organisation {cost_words(self.value_after(1)['cost'])} (see What each "
            "option costs)."
        )
        return [found, "", answer + ". " + cost + " Section by section:"]

    def reading(self) -> list[str]:
        """Plain sentences generated from the differences."""
        lines = []
        for index, (_, label) in enumerate(OPTIONS, start=1):
            facts = []
            for kpi, what, better in (
                ("initial_assessment_within_timescale_pct", "initial assessments within 7 WD", 1),
                ("core_assessment_within_timescale_pct", "core assessments within 35 WD", 1),
                ("strategy_discussion_within_target_pct", "strategy discussions within target", 1),
                (
                    "high_risk_cases_held_by_unqualified_pct",
                    "high-risk cases led by unqualified staff",
                    -1,
                ),
                ("inadequate_assessment_pct", "inadequate assessments", -1),
                ("recording_overdue_pct", "overdue records", -1),
                ("caseload_per_worker_mean", "cases per worker", -1),
            ):
                diff = self.difference(index, kpi)
                if _significant(diff):
                    direction = "better" if diff["mean"] * better > 0 else "worse"
                    facts.append(f"{what} {diff['mean']:+.1f} ({direction})")
            text = "; ".join(facts) if facts else "no headline change distinguishable from noise"
            lines.append(f"- **{label}**, after 1 September 2010: {text}.")
        return lines


def _ci(entry: dict[str, float], unit: str = "") -> str:
    mean = entry["mean"]
    if mean is None or math.isnan(mean):
        return "-"
    suffix = f" {unit}" if unit else ""
    low, high = entry["ci95_low"], entry["ci95_high"]
    if math.isnan(low):
        return f"{mean:.1f}{suffix} (n={entry['n']})"
    return f"{mean:.1f}{suffix} ({low:.1f} to {high:.1f})" + (f", n={entry['n']}" if unit else "")


def _significant(entry: dict[str, float]) -> bool:
    low, high = entry["ci95_low"], entry["ci95_high"]
    return not (math.isnan(low) or math.isnan(high)) and (low > 0 or high < 0)


def _difference(entry: dict[str, float]) -> str:
    mean = entry["mean"]
    if mean is None or math.isnan(mean):
        return "-"
    star = " *" if _significant(entry) else ""
    return f"{mean:+.1f} ({entry['ci95_low']:+.1f} to {entry['ci95_high']:+.1f}){star}"


if __name__ == "__main__":
    main()
