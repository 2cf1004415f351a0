"""A self-contained HTML report of a results folder, for a board or a planning meeting.

``write_report(folder)`` reads any results folder that ``run``, ``compare``, ``sweep`` or
``staffing`` wrote, draws its charts (``caseload_sim.charts``) and writes ``folder/report.html``:
one file with the charts embedded as base64 PNG data URIs and the CSS inline, no script and
nothing fetched from the network, so it opens offline in any browser and prints to PDF.

Every number in the report is formatted from the folder's JSON and CSV files by ``fmt`` (two
decimals), so the report and ``summary.json`` / ``comparison.json`` always agree.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from caseload_sim.charts import Chart, charts_for, write_charts
from caseload_sim.files import write_atomically
from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError, results_kind

__all__ = [
    "ResultsFolderError",
    "build_report",
    "fmt",
    "fmt_ci",
    "fmt_diff",
    "scenario_differences",
    "write_report",
]

REPORT_NAME = "report.html"

KIND_TITLES = {
    "run": "Scenario results",
    "compare": "Comparison of options",
    "sweep": "Sweep",
    "staffing": "Staffing search",
}

GRADE_NAMES = {
    "swa": "social work assistant",
    "nqsw": "newly qualified social worker",
    "sw": "social worker",
    "sp": "senior practitioner",
    "tm": "team manager",
}


def fmt(value: Any) -> str:
    """A number as the report shows it: two decimals with thousands separators; '-' if none."""
    if value is None or value == "":
        return "-"
    number = float(value)
    return "-" if math.isnan(number) else f"{number:,.2f}"


def fmt_diff(value: Any) -> str:
    """A difference as the report shows it: signed, two decimals."""
    if value is None or value == "":
        return "-"
    number = float(value)
    return "-" if math.isnan(number) else f"{number:+,.2f}"


def fmt_ci(low: Any, high: Any) -> str:
    """A 95% confidence interval as the report shows it: 'LOW to HIGH'; '-' if there is none."""
    low_text, high_text = fmt(low), fmt(high)
    return "-" if low_text == high_text == "-" else f"{low_text} to {high_text}"


def write_report(folder: str | Path) -> Path:
    """Write ``folder/report.html`` (and the charts under ``folder/charts/``); its path.

    Raises ``ResultsFolderError`` (a ``ValueError``) if ``folder`` is not a results folder.
    """
    out = Path(folder)
    kind = results_kind(out)
    charts = charts_for(out)
    write_charts(out, charts)
    path = out / REPORT_NAME
    write_atomically(path, build_report(out, charts, kind))
    return path


def build_report(
    folder: str | Path, charts: list[Chart] | None = None, kind: str | None = None
) -> str:
    """The report's HTML for a results folder."""
    out = Path(folder)
    kind = kind or results_kind(out)
    if charts is None:
        charts = charts_for(out)
    builder = {"run": _run, "compare": _compare, "sweep": _sweep, "staffing": _staffing}[kind]
    context = builder(ResultsFolder(out, kind))
    context.kind = kind
    context.kind_title = KIND_TITLES[kind]
    context.folder = str(out)
    context.charts = [
        {
            "name": chart.name,
            "title": chart.title,
            "reading": chart.reading,
            "src": "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii"),
        }
        for chart in charts
    ]
    return _render(context)


@dataclass
class _Context:
    """Everything the template shows."""

    title: str
    summary: list[tuple[str, str]]
    kind: str = ""
    kind_title: str = ""
    folder: str = ""
    option_changes: list[dict[str, Any]] = field(default_factory=list)
    kpi_tables: list[dict[str, Any]] = field(default_factory=list)
    #: headline KPIs in each period between dated changes, one table per scenario that has them
    period_tables: list[dict[str, Any]] = field(default_factory=list)
    recovery_note: str = ""
    differences: dict[str, Any] | None = None
    points: dict[str, Any] | None = None
    answer: str = ""
    definitions: list[dict[str, str]] = field(default_factory=list)
    charts: list[dict[str, str]] = field(default_factory=list)
    methods: list[tuple[str, str]] = field(default_factory=list)
    versions: list[tuple[str, str]] = field(default_factory=list)
    assumptions: dict[str, Any] | None = None
    assumptions_note: str = ""
    sources: list[dict[str, str]] = field(default_factory=list)


def flatten(document: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested TOML document as ``{"dotted.path": value}`` (lists are values)."""
    flat: dict[str, Any] = {}
    for key, value in document.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def scenario_differences(baseline: dict[str, Any], option: dict[str, Any]) -> list[dict[str, str]]:
    """The fields of ``option`` that differ from ``baseline`` (name and description left out)."""
    base, other = flatten(baseline), flatten(option)
    changes = []
    for path in sorted(set(base) | set(other)):
        if path in ("name", "description"):
            continue
        if base.get(path, _MISSING) != other.get(path, _MISSING):
            changes.append(
                {
                    "path": path,
                    "baseline": _show(base.get(path, _MISSING)),
                    "option": _show(other.get(path, _MISSING)),
                }
            )
    return changes


_MISSING = object()


def _show(value: Any) -> str:
    if value is _MISSING:
        return "(not set)"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return json.dumps(value, default=str)


# --- the pieces -------------------------------------------------------------------------------


def _ordered(names: list[str]) -> list[str]:
    """Headline KPIs first (in their order), then the rest as found."""
    head = [n for n in HEADLINE_KPIS if n in names]
    return head + [n for n in names if n not in head]


def _kpi_rows(kpis: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for name in _ordered(list(kpis)):
        entry = kpis[name]
        rows.append(
            {
                "name": name,
                "headline": name in HEADLINE_KPIS,
                "mean": fmt(entry.get("mean")),
                "ci": fmt_ci(entry.get("ci95_low"), entry.get("ci95_high")),
                "unit": entry.get("unit") or _unit(name),
                "n": entry.get("n", ""),
            }
        )
    return rows


def _period_table(summary: dict[str, Any], caption: str = "") -> dict[str, Any] | None:
    """The headline KPIs of each period of a run's ``summary.json``, with the days to recover
    (None when the run has no periods)."""
    periods = summary.get("periods") or []
    if not periods:
        return None
    present = [n for n in HEADLINE_KPIS if n in (periods[0].get("kpis") or {})]
    rows = []
    for name in present:
        cells = []
        for period in periods:
            entry = (period.get("kpis") or {}).get(name) or {}
            cells.append(
                {
                    "mean": fmt(entry.get("mean")),
                    "ci": fmt_ci(entry.get("ci95_low"), entry.get("ci95_high")),
                }
            )
        unit = ((periods[0].get("kpis") or {}).get(name) or {}).get("unit") or _unit(name)
        rows.append({"name": name, "unit": unit, "cells": cells})
    replications = summary.get("replications", "")
    recovery = []
    for position, period in enumerate(periods):
        entry = period.get("days_to_recover") or {}
        if position == 0:
            recovery.append({"mean": "-", "ci": "", "recovered": "-"})
            continue
        recovery.append(
            {
                "mean": fmt(entry.get("mean")),
                "ci": fmt_ci(entry.get("ci95_low"), entry.get("ci95_high")),
                "recovered": f"{entry.get('n', 0)} of {replications}",
            }
        )
    return {
        "scenario": summary.get("scenario", ""),
        "caption": caption,
        "columns": [
            {
                "label": str(period.get("label", "")),
                "dates": f"{period.get('start_date', '?')} to {period.get('end_date', '?')}",
            }
            for period in periods
        ],
        "rows": rows,
        "recovery": recovery,
    }


def _recovery_note() -> str:
    from caseload_sim.metrics.periods import (
        RECOVERY_TOLERANCE_REFERRALS,
        RECOVERY_TOLERANCE_SHARE,
        RECOVERY_WINDOW_DAYS,
    )

    return (
        "Days to recover: the days from a change until the number of unallocated referrals, "
        f"averaged over the previous {RECOVERY_WINDOW_DAYS:g} days, is back at or below its "
        f"average over the {RECOVERY_WINDOW_DAYS:g} days before the change (within "
        f"{RECOVERY_TOLERANCE_REFERRALS:g} referrals or {RECOVERY_TOLERANCE_SHARE:.0%} of it, "
        "whichever is larger), looking from the end of the change's transition on and read from "
        "the sampled time series. The mean and interval are over the replications that "
        "recovered before the period ended; the next row says how many did."
    )


def _unit(name: str) -> str:
    kpi = KPIS.get(name)
    return kpi.unit if kpi else ""


def _definitions(names: list[str]) -> list[dict[str, str]]:
    rows = []
    for name in _ordered(names):
        kpi = KPIS.get(name)
        if kpi is None:
            rows.append({"name": name, "description": "(not in this version's KPI catalogue)"})
            continue
        rows.append(
            {
                "name": name,
                "description": kpi.description,
                "numerator": kpi.numerator,
                "denominator": kpi.denominator,
                "unit": kpi.unit,
            }
        )
    return rows


def _summary_fields(summary: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("Scenario", str(summary.get("scenario", ""))),
        ("Description", str(summary.get("description", "") or "(none given)")),
        ("Seed", str(summary.get("seed", ""))),
        ("Replications", str(summary.get("replications", ""))),
        ("Warm-up", f"{fmt(summary.get('warmup_days'))} days"),
        ("Run length", f"{fmt(summary.get('horizon_days'))} days"),
        ("Assessment regime", _regime(summary.get("regime"))),
    ]


def _regime(regime: Any) -> str:
    names = {
        "wt2010": "Working Together 2010 (initial and core assessments)",
        "single_assessment": "Working Together 2013 (single assessment)",
    }
    return names.get(str(regime), str(regime))


def _replication_text(choice: dict[str, Any]) -> str:
    if not choice:
        return "not recorded"
    if "per_point" in choice:
        counts = sorted({str(p.get("run", "?")) for p in choice["per_point"]})
        methods = sorted({str(p.get("method", "fixed")) for p in choice["per_point"]})
        return f"{', '.join(counts)} per point ({', '.join(methods)})"
    method = choice.get("method", "fixed")
    run = choice.get("run", choice.get("replications", "?"))
    if method == "fixed":
        return f"{run}, fixed in advance (the scenario's simulation.replications or --replications)"
    parts = [f"{run} run, chosen by the {method}"]
    if "precision" in choice:
        parts.append(
            f"target: 95% half-width within {_show(float(choice['precision']) * 100)}% of the "
            "mean of every headline KPI"
        )
    if "recommended" in choice:
        parts.append(f"recommended {choice['recommended']}")
    if "reason" in choice:
        parts.append(str(choice["reason"]))
    return "; ".join(parts)


def _warmup_text(choice: dict[str, Any]) -> str:
    if not choice:
        return "not recorded"
    days = fmt(choice.get("warmup_days"))
    method = choice.get("method", "fixed")
    if method == "fixed":
        return f"{days} days, fixed in advance (the scenario's simulation.warmup_days or --warmup)"
    text = f"{days} days, chosen by {method}"
    if "pilot_replications" in choice:
        text += f" from {choice['pilot_replications']} pilot replications"
    truncation = choice.get("truncation_days")
    if isinstance(truncation, dict) and truncation:
        found = ", ".join(f"{name} {fmt(value)} days" for name, value in truncation.items())
        text += f" (truncation found per series: {found}; the warm-up is the latest)"
    return text


def _methods(
    provenance: dict[str, Any], replication: dict[str, Any], warmup: dict[str, Any]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    rows = [
        ("Replications", _replication_text(replication)),
        ("Warm-up", _warmup_text(warmup)),
        ("Root seed", str(provenance.get("seed", "not recorded"))),
        ("Seed scheme", str(provenance.get("seed_scheme", "not recorded"))),
        (
            "Confidence intervals",
            "Student-t 95% intervals over independent replications; options are compared on "
            "common random numbers (paired differences).",
        ),
        ("Command", str(provenance.get("command", "not recorded"))),
        ("Started (UTC)", str(provenance.get("started_utc", "not recorded"))),
        (
            "Run time",
            f"{fmt(provenance['wall_seconds'])} seconds"
            if "wall_seconds" in provenance
            else "not recorded",
        ),
        (
            "Executor",
            f"{provenance.get('executor', 'not recorded')}, parallelism "
            f"{provenance.get('parallelism', '?')}"
            + (" (resumed)" if provenance.get("resumed") else ""),
        ),
    ]
    versions = [
        ("Python", f"{provenance.get('python', '?')} ({provenance.get('implementation', '?')})"),
        ("Platform", str(provenance.get("platform", "?"))),
        *[(name, str(version)) for name, version in provenance.get("packages", {}).items()],
    ]
    return rows, versions


def source_notes(folder: Path) -> list[dict[str, str]]:
    """The notes written beside values in the scenario files kept under ``sources/``.

    A note is the comment after a value (``referral_conversion = 0.22  # ADCS ...``) or after a
    table header (``[demand.tier_mix]  # illustrative``); it says where the figure comes from.
    """
    notes: list[dict[str, str]] = []
    for name, text in ResultsFolder(folder).sources():
        table = ""
        for line in text.splitlines():
            code, hash_, comment = line.partition("#")
            code, comment = code.strip(), comment.strip()
            header = code.startswith("[") and code.endswith("]")
            if header:
                table = code.strip("[]").strip()
            if not hash_ or not code or not comment:
                continue
            if header:
                notes.append(
                    {
                        "file": name,
                        "field": table,
                        "value": "",
                        "note": comment,
                    }
                )
            elif "=" in code:
                key, _, value = code.partition("=")
                field_path = f"{table}.{key.strip()}" if table else key.strip()
                notes.append(
                    {
                        "file": name,
                        "field": field_path,
                        "value": value.strip(),
                        "note": comment,
                    }
                )
    return notes


def _assumptions(scenario: dict[str, Any]) -> dict[str, Any] | None:
    """The resolved scenario's key parameters, for the assumptions section."""
    if not scenario:
        return None
    demand = scenario.get("demand", {})
    pathway = scenario.get("pathway", {})
    workforce = scenario.get("workforce", {})
    police = scenario.get("partners", {}).get("police", {})
    if demand.get("contacts_per_year") is not None:
        rate = f"{fmt(demand['contacts_per_year'])} contacts a year"
    elif demand.get("contacts_per_working_day") is not None:
        rate = f"{fmt(demand['contacts_per_working_day'])} contacts per working day"
    else:
        rate = "not given"
    parameters = [
        ("Demand", rate),
        ("Referral conversion", _share(demand.get("referral_conversion"))),
        ("Out-of-hours share", _share(demand.get("out_of_hours_share"))),
        ("Re-referral probability", _share(demand.get("re_referral_probability"))),
        (
            "Tier mix of referrals",
            ", ".join(
                f"{tier.replace('_', ' ')} {_share(share)}"
                for tier, share in demand.get("tier_mix", {}).items()
            ),
        ),
        (
            "Timescales (working days)",
            ", ".join(
                f"{name.removesuffix('_wd').replace('_', ' ')} {_show(value)}"
                for name, value in pathway.get("timescales", {}).items()
            ),
        ),
        ("Assessment regime", _regime(pathway.get("regime"))),
    ]
    allocation = workforce.get("allocation", {})
    allocation_text = (
        f"policy {allocation.get('policy', '?')}, caps {allocation.get('cap_mode', '?')}"
    )
    if allocation.get("cap_mode") == "soft":
        allocation_text += (
            f" (over-allocation after {_show(allocation.get('over_allocation_after_wd'))} working "
            f"days, up to {_show(allocation.get('over_allocation_limit_pct'))}% over the cap)"
        )
    if "oversight_fraction" in allocation:
        allocation_text += f"; oversight fraction {_show(allocation['oversight_fraction'])}"
    parameters.append(("Allocation", allocation_text))
    police_text = str(police.get("mode", "not given"))
    if police.get("mode") == "slots":
        police_text += f": {_show(police.get('slots_per_working_day'))} slots per working day"
    delay = police.get("delay", {})
    if police.get("mode") == "delay" or (police.get("mode") == "slots" and delay):
        police_text += f"; delay mean {_show(delay.get('mean_hours'))} hours"
    parameters.append(("Police availability for strategy discussions", police_text))
    access = workforce.get("access_centre", {})
    if access:
        parameters.append(
            (
                "Access centre",
                f"{_show(access.get('duty_workers'))} duty workers, screening share "
                f"{_share(access.get('screening_share'))}",
            )
        )
    teams = workforce.get("teams", {})
    grades_seen: list[str] = []
    for team in teams.values():
        for grade in team.get("staff", {}):
            if grade not in grades_seen:
                grades_seen.append(grade)
    grade_order = [g for g in GRADE_NAMES if g in grades_seen] + [
        g for g in grades_seen if g not in GRADE_NAMES
    ]
    staffing = [
        {
            "team": name.replace("_", " "),
            "tiers": ", ".join(t.replace("_", " ") for t in team.get("tiers", [])),
            "counts": [_show(team.get("staff", {}).get(g, 0)) for g in grade_order],
            "total": _show(sum(float(v) for v in team.get("staff", {}).values())),
        }
        for name, team in teams.items()
    ]
    grades = workforce.get("grades", {})
    caps = [
        {
            "grade": g,
            "name": GRADE_NAMES.get(g, g),
            "cap": _show(grades[g].get("caseload_cap", "?")),
            "casework": _share(grades[g].get("casework_share")),
            "hours": _show(grades[g].get("weekly_hours", "?")),
        }
        for g in [g for g in GRADE_NAMES if g in grades]
        + [g for g in grades if g not in GRADE_NAMES]
    ]
    return {
        "description": scenario.get("description", "") or "(none given)",
        "parameters": parameters,
        "grades": [{"grade": g, "name": GRADE_NAMES.get(g, g)} for g in grade_order],
        "staffing": staffing,
        "caps": caps,
        "case_weights": ", ".join(
            f"{tier.replace('_', ' ')} {_show(weight)}"
            for tier, weight in workforce.get("case_weights", {}).items()
        ),
    }


def _share(value: Any) -> str:
    if value is None:
        return "not given"
    return f"{float(value) * 100:g}%"


# --- one builder per kind of folder -----------------------------------------------------------


def _run(folder: ResultsFolder) -> _Context:
    summary = folder.summary
    provenance = folder.provenance
    scenario = folder.scenario_document()
    methods, versions = _methods(
        provenance, summary.get("replication_choice", {}), summary.get("warmup_choice", {})
    )
    kpis = summary.get("kpis", {})
    period_table = _period_table(summary)
    return _Context(
        sources=source_notes(folder.path),
        period_tables=[period_table] if period_table else [],
        recovery_note=_recovery_note() if period_table else "",
        title=f"{summary.get('scenario', folder.path.name)}: scenario results",
        summary=_summary_fields(summary),
        kpi_tables=[
            {"scenario": summary.get("scenario", ""), "caption": "", "rows": _kpi_rows(kpis)}
        ],
        definitions=_definitions(list(kpis)),
        methods=methods,
        versions=versions,
        assumptions=_assumptions(scenario),
    )


def _compare(folder: ResultsFolder) -> _Context:
    comparison = folder.comparison
    provenance = folder.provenance
    names: list[str] = list(comparison.get("scenarios", []))
    baseline = comparison.get("baseline", names[0] if names else "")
    summaries = {}
    scenarios = {}
    for name in names:
        run = folder.run(name)
        summaries[name] = run.summary if run.has("summary.json") else {}
        scenarios[name] = run.scenario_document()
    base_summary = summaries.get(baseline, {})
    fields = [
        ("Baseline", str(baseline)),
        ("Options", ", ".join(n for n in names if n != baseline) or "(none)"),
        ("Seed", str(comparison.get("seed", ""))),
        ("Replications", f"{comparison.get('replications', '')} per scenario, paired"),
        ("Warm-up", f"{fmt(base_summary.get('warmup_days'))} days"),
        ("Run length", f"{fmt(base_summary.get('horizon_days'))} days"),
        ("Assessment regime", _regime(base_summary.get("regime"))),
    ]
    for name in names:
        fields.append((f"Description of {name}", str(summaries[name].get("description", ""))))
    changes = [
        {
            "scenario": name,
            "changes": scenario_differences(scenarios.get(baseline, {}), scenarios[name]),
        }
        for name in names
        if name != baseline
    ]
    tables = []
    for name in names:
        kpis = summaries[name].get("kpis") or {
            kpi: {**entry, "unit": _unit(kpi)}
            for kpi, entry in comparison.get("kpis", {}).get(name, {}).items()
        }
        caption = "baseline" if name == baseline else "option"
        tables.append({"scenario": name, "caption": caption, "rows": _kpi_rows(kpis)})
    options = [n for n in names if n != baseline]
    all_kpis = _ordered(list(comparison.get("kpis", {}).get(baseline, {})))
    diff_rows = []
    for kpi in all_kpis:
        cells = []
        for option in options:
            entry = comparison.get("differences", {}).get(option, {}).get(kpi)
            if not entry or entry.get("mean") is None:
                cells.append({"text": "-", "significant": False})
                continue
            low, high = entry.get("ci95_low"), entry.get("ci95_high")
            significant = low is not None and high is not None and (low > 0 or high < 0)
            cells.append(
                {
                    "text": f"{fmt_diff(entry['mean'])} ({fmt(low)} to {fmt(high)})",
                    "significant": significant,
                }
            )
        base_mean = comparison.get("kpis", {}).get(baseline, {}).get(kpi, {}).get("mean")
        diff_rows.append(
            {
                "name": kpi,
                "headline": kpi in HEADLINE_KPIS,
                "unit": _unit(kpi),
                "baseline": fmt(base_mean),
                "cells": cells,
            }
        )
    methods, versions = _methods(
        provenance,
        base_summary.get("replication_choice", provenance.get("replications", {})),
        base_summary.get("warmup_choice", {}),
    )
    period_tables = [
        table
        for name in names
        if (table := _period_table(summaries[name], "baseline" if name == baseline else "option"))
    ]
    return _Context(
        sources=source_notes(folder.run(baseline).path),
        period_tables=period_tables,
        recovery_note=_recovery_note() if period_tables else "",
        title=f"{baseline} and {len(options)} option{'s' if len(options) != 1 else ''}",
        summary=fields,
        option_changes=changes,
        kpi_tables=tables,
        differences={"baseline": baseline, "options": options, "rows": diff_rows},
        definitions=_definitions(all_kpis),
        methods=methods,
        versions=versions,
        assumptions=_assumptions(scenarios.get(baseline, {})),
        assumptions_note=f"The baseline, {baseline}; each option differs from it only in the "
        "fields listed under the scenario summary.",
    )


def _base_name(provenance: dict[str, Any]) -> str:
    names = provenance.get("scenarios") or ["scenario"]
    return str(names[0]).split(" [", 1)[0]


def _sweep(folder: ResultsFolder) -> _Context:
    rows = folder.read_rows("sweep.csv")
    provenance = folder.provenance
    header = list(rows[0]) if rows else []
    fields_varied = [
        h for h in header if h not in ("point", "kpi", "mean", "ci95_low", "ci95_high")
    ]
    points: dict[str, list[str]] = {}
    by_kpi: dict[str, dict[str, dict[str, str]]] = {}
    for row in rows:
        points.setdefault(row["point"], [row[f] for f in fields_varied])
        by_kpi.setdefault(row["kpi"], {})[row["point"]] = row
    point_ids = sorted(points, key=int)
    table_rows = []
    for kpi in _ordered(list(by_kpi)):
        cells = []
        for point in point_ids:
            entry = by_kpi[kpi].get(point)
            cells.append(
                {
                    "mean": fmt(entry["mean"]) if entry else "-",
                    "ci": fmt_ci(entry["ci95_low"], entry["ci95_high"]) if entry else "",
                }
            )
        table_rows.append(
            {"name": kpi, "headline": kpi in HEADLINE_KPIS, "unit": _unit(kpi), "cells": cells}
        )
    warmups = provenance.get("warmup", {})
    first_warmup: dict[str, Any] = next(iter(warmups.values()), {}) if warmups else {}
    summary = [
        ("Scenario", _base_name(provenance)),
        ("Fields varied", ", ".join(fields_varied)),
        ("Points", str(len(point_ids))),
        ("Seed", str(provenance.get("seed", ""))),
        ("Replications", _replication_text(provenance.get("replications", {}))),
        ("Warm-up", f"{fmt(first_warmup.get('warmup_days'))} days"),
    ]
    methods, versions = _methods(provenance, provenance.get("replications", {}), first_warmup)
    return _Context(
        sources=source_notes(folder.path),
        title=f"{_base_name(provenance)}: sweep of {', '.join(fields_varied)}",
        summary=summary,
        points={
            "columns": [
                ", ".join(f"{f}={v}" for f, v in zip(fields_varied, points[p], strict=True))
                for p in point_ids
            ],
            "rows": table_rows,
            "staffing": False,
        },
        definitions=_definitions(list(by_kpi)),
        methods=methods,
        versions=versions,
        assumptions_note="A sweep folder does not keep a resolved scenario file: the scenario is "
        "the file named in the command above, with each point's value of the varied fields.",
    )


def _staffing(folder: ResultsFolder) -> _Context:
    document = folder.read_json("staffing.json")
    rows = folder.read_rows("staffing.csv")
    provenance = folder.provenance
    path = str(document.get("path", ""))
    targets = [str(t) for t in document.get("targets", [])]
    if document.get("met"):
        answer = (
            f"The smallest {path} that meets {' and '.join(targets)} with 95% confidence is "
            f"{_show(document.get('answer'))}."
        )
    else:
        low, high = (document.get("range") or ["?", "?"])[:2]
        answer = (
            f"No value of {path} from {_show(low)} to {_show(high)} meets "
            f"{' and '.join(targets)} with 95% confidence."
        )
    point_rows = [
        {
            "value": row.get(path, ""),
            "kpi": row["kpi"],
            "mean": fmt(row["mean"]),
            "ci": fmt_ci(row["ci95_low"], row["ci95_high"]),
            "target": row["target"],
            "target_met": row["target_met"] == "True",
            "all_met": row["all_met"] == "True",
        }
        for row in rows
    ]
    warmups = provenance.get("warmup", {})
    first_warmup: dict[str, Any] = next(iter(warmups.values()), {}) if warmups else {}
    summary = [
        ("Scenario", _base_name(provenance)),
        ("Field searched", path),
        ("Range", " to ".join(_show(v) for v in document.get("range", []))),
        ("Targets (met with 95% confidence)", "; ".join(targets)),
        ("Points run", ", ".join(_show(v) for v in document.get("points_run", []))),
        ("Seed", str(provenance.get("seed", ""))),
        ("Replications", _replication_text(document.get("replications", {}))),
        ("Warm-up", f"{fmt(first_warmup.get('warmup_days'))} days"),
    ]
    methods, versions = _methods(provenance, document.get("replications", {}), first_warmup)
    return _Context(
        sources=source_notes(folder.path),
        title=f"{_base_name(provenance)}: staffing search on {path}",
        summary=summary,
        points={"staffing": True, "path": path, "rows": point_rows},
        answer=answer,
        definitions=_definitions(sorted({row["kpi"] for row in rows})),
        methods=methods,
        versions=versions,
        assumptions_note="A staffing folder does not keep a resolved scenario file: the scenario "
        "is the file named in the command above, with each point's value of the field searched.",
    )


# --- rendering --------------------------------------------------------------------------------


def _render(context: _Context) -> str:
    import jinja2

    source = files("caseload_sim.report").joinpath("template.html.j2").read_text(encoding="utf-8")
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return environment.from_string(source).render(report=context)
