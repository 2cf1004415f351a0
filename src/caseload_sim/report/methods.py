"""The report's methods: how the replications and the warm-up were chosen, the seeds, the
command, and the versions of everything that ran (from ``summary.json`` and ``provenance.json``).
"""

from __future__ import annotations

from typing import Any

from caseload_sim.report.numbers import fmt, show
from caseload_sim.scenario.wording import title_from_name


def replication_text(choice: dict[str, Any]) -> str:
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
            f"target: 95% half-width within {show(float(choice['precision']) * 100)}% of the "
            "mean of every headline KPI"
        )
    if "recommended" in choice:
        parts.append(f"recommended {choice['recommended']}")
    if "reason" in choice:
        parts.append(str(choice["reason"]))
    return "; ".join(parts)


def warmup_text(choice: dict[str, Any]) -> str:
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


def methods_and_versions(
    provenance: dict[str, Any], replication: dict[str, Any], warmup: dict[str, Any]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    rows = [
        ("Replications", replication_text(replication)),
        ("Warm-up", warmup_text(warmup)),
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


def scenario_name(provenance: dict[str, Any]) -> str:
    """The title of the (first) scenario a sweep or staffing search ran."""
    names = provenance.get("scenarios") or ["scenario"]
    return title_from_name(str(names[0]).split(" [", 1)[0])


def first_warmup(provenance: dict[str, Any]) -> dict[str, Any]:
    """The warm-up choice of the first scenario a sweep or staffing search ran (empty if none)."""
    warmups = provenance.get("warmup", {})
    return next(iter(warmups.values()), {}) if warmups else {}
