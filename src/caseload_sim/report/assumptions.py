"""The report's assumptions: the key parameters of the resolved scenario, and the notes written
beside values in the scenario files that say where each figure comes from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseload_sim.report.numbers import fmt, share, show
from caseload_sim.results.reader import ResultsFolder
from caseload_sim.scenario.schema import GRADE_NAMES


def regime_name(regime: Any) -> str:
    names = {
        "wt2010": "Working Together 2010 (initial and core assessments)",
        "single_assessment": "Working Together 2013 (single assessment)",
    }
    return names.get(str(regime), str(regime))


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


def assumptions(scenario: dict[str, Any]) -> dict[str, Any] | None:
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
        ("Referral conversion", share(demand.get("referral_conversion"))),
        ("Out-of-hours share", share(demand.get("out_of_hours_share"))),
        ("Re-referral probability", share(demand.get("re_referral_probability"))),
        (
            "Tier mix of referrals",
            ", ".join(
                f"{tier.replace('_', ' ')} {share(part)}"
                for tier, part in demand.get("tier_mix", {}).items()
            ),
        ),
        (
            "Timescales (working days)",
            ", ".join(
                f"{name.removesuffix('_wd').replace('_', ' ')} {show(value)}"
                for name, value in pathway.get("timescales", {}).items()
            ),
        ),
        ("Assessment regime", regime_name(pathway.get("regime"))),
    ]
    allocation = workforce.get("allocation", {})
    allocation_text = (
        f"policy {allocation.get('policy', '?')}, caps {allocation.get('cap_mode', '?')}"
    )
    if allocation.get("cap_mode") == "soft":
        allocation_text += (
            f" (over-allocation after {show(allocation.get('over_allocation_after_wd'))} working "
            f"days, up to {show(allocation.get('over_allocation_limit_pct'))}% over the cap)"
        )
    if "oversight_fraction" in allocation:
        allocation_text += f"; oversight fraction {show(allocation['oversight_fraction'])}"
    parameters.append(("Allocation", allocation_text))
    police_text = str(police.get("mode", "not given"))
    if police.get("mode") == "slots":
        police_text += f": {show(police.get('slots_per_working_day'))} slots per working day"
    delay = police.get("delay", {})
    if police.get("mode") == "delay" or (police.get("mode") == "slots" and delay):
        police_text += f"; delay mean {show(delay.get('mean_hours'))} hours"
    parameters.append(("Police availability for strategy discussions", police_text))
    access = workforce.get("access_centre", {})
    if access:
        parameters.append(
            (
                "Access centre",
                f"{show(access.get('duty_workers'))} duty workers, screening share "
                f"{share(access.get('screening_share'))}",
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
            "counts": [show(team.get("staff", {}).get(g, 0)) for g in grade_order],
            "total": show(sum(float(v) for v in team.get("staff", {}).values())),
        }
        for name, team in teams.items()
    ]
    grades = workforce.get("grades", {})
    caps = [
        {
            "grade": g,
            "name": GRADE_NAMES.get(g, g),
            "cap": show(grades[g].get("caseload_cap", "?")),
            "casework": share(grades[g].get("casework_share")),
            "hours": show(grades[g].get("weekly_hours", "?")),
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
            f"{tier.replace('_', ' ')} {show(weight)}"
            for tier, weight in workforce.get("case_weights", {}).items()
        ),
    }
