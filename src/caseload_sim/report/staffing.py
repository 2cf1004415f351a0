"""The report of a ``staffing`` folder: the answer in one sentence, and the points searched."""

from __future__ import annotations

from caseload_sim.charts.wording import target_words
from caseload_sim.report.assumptions import source_notes
from caseload_sim.report.kpis import definitions, title
from caseload_sim.report.methods import (
    first_warmup,
    methods_and_versions,
    replication_text,
    scenario_name,
)
from caseload_sim.report.numbers import fmt, fmt_ci, show
from caseload_sim.report.page import Page
from caseload_sim.report.value_for_money import answer_cost_words
from caseload_sim.results.reader import ResultsFolder


def context(folder: ResultsFolder) -> Page:
    """Everything the report of a staffing folder shows."""
    document = folder.read_json("staffing.json")
    rows = folder.read_rows("staffing.csv")
    provenance = folder.provenance
    path = str(document.get("path", ""))
    targets = [str(t) for t in document.get("targets", [])]
    wanted = " and ".join(target_words(t) for t in targets)
    if document.get("met"):
        answer = (
            f"The smallest {path} that keeps {wanted} with 95% confidence is "
            f"{show(document.get('answer'))}."
        )
    else:
        low, high = (document.get("range") or ["?", "?"])[:2]
        answer = (
            f"No value of {path} from {show(low)} to {show(high)} keeps {wanted} "
            "with 95% confidence."
        )
    cost = answer_cost_words(document)
    if cost:
        answer = f"{answer} {cost}"
    point_rows = [
        {
            "value": row.get(path, ""),
            "kpi": row["kpi"],
            "title": title(row["kpi"]),
            "mean": fmt(row["mean"]),
            "ci": fmt_ci(row["ci95_low"], row["ci95_high"]),
            "target": row["target"],
            "target_met": row["target_met"] == "True",
            "all_met": row["all_met"] == "True",
        }
        for row in rows
    ]
    warmup = first_warmup(provenance)
    summary = [
        ("Scenario", scenario_name(provenance)),
        ("Field searched", path),
        ("Range", " to ".join(show(v) for v in document.get("range", []))),
        ("Targets (met with 95% confidence)", "; ".join(targets)),
        ("Points run", ", ".join(show(v) for v in document.get("points_run", []))),
        ("Seed", str(provenance.get("seed", ""))),
        ("Replications", replication_text(document.get("replications", {}))),
        ("Warm-up", f"{fmt(warmup.get('warmup_days'))} days"),
    ]
    methods, versions = methods_and_versions(provenance, document.get("replications", {}), warmup)
    return Page(
        sources=source_notes(folder.path),
        title=f"{scenario_name(provenance)}: staffing search on {path}",
        summary=summary,
        points={"staffing": True, "path": path, "rows": point_rows},
        answer=answer,
        definitions=definitions(sorted({row["kpi"] for row in rows})),
        methods=methods,
        versions=versions,
        assumptions_note="A staffing folder does not keep a resolved scenario file: the scenario "
        "is the file named in the command above, with each point's value of the field searched.",
    )
