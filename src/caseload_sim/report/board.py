"""The report's first section, for a board: what was compared (or run), what it found in
sentences with their intervals, and each scenario's dated changes as lines; and what each option
changes from the baseline, in the same words (:mod:`caseload_sim.report.findings`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from caseload_sim.report.findings import (
    DatedChange,
    compared_sentences,
    comparison_findings,
    cost_readings,
    dated_changes,
    field_changes,
    headline_readings,
    run_sentences,
)
from caseload_sim.report.value_for_money import value_findings
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError
from caseload_sim.scenario.wording import title_from_name

if TYPE_CHECKING:
    from caseload_sim.scenario.schema import Scenario


def checked_scenario(run: ResultsFolder) -> Scenario | None:
    """The run's ``scenario.toml`` as a checked scenario; None when it cannot be read (the
    report then shows what it can from the folder's other files)."""
    try:
        return run.scenario
    except ResultsFolderError:
        return None


def changes_of(scenario: Scenario | None) -> list[DatedChange]:
    """The scenario's dated changes in words (none when it cannot be read)."""
    if scenario is None or not scenario.timeline:
        return []
    try:
        return dated_changes(scenario)
    except ValueError:
        return []


def compare_board(
    folder: ResultsFolder,
    documents: dict[str, dict[str, Any]],
    summaries: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The board section of a compare folder, and what each option changes from the baseline.

    ``documents`` and ``summaries`` are each scenario's ``scenario.toml`` (as tables) and
    ``summary.json``, by name.
    """
    comparison = folder.comparison
    names = [str(n) for n in comparison.get("scenarios", [])]
    baseline = str(comparison.get("baseline", names[0] if names else ""))
    scenarios = {name: checked_scenario(folder.run(name)) for name in names}
    base_scenario = scenarios.get(baseline)
    start = base_scenario.simulation.start_date if base_scenario is not None else None
    base_timeline = documents.get(baseline, {}).get("timeline", [])
    dated = []
    for name in names:
        changes = changes_of(scenarios[name])
        if not changes:
            continue
        same = name != baseline and documents[name].get("timeline", []) == base_timeline
        dated.append(
            {
                "scenario": name,
                "title": title_from_name(name),
                "baseline": name == baseline,
                "same_as_baseline": same,
                "changes": [] if same else changes,
            }
        )
    board = {
        "what": "What was compared",
        "sentences": compared_sentences(comparison, summaries.get(baseline, {}), start),
        "descriptions": [
            {
                "scenario": name,
                "title": title_from_name(name),
                "role": "baseline" if name == baseline else "option",
                "text": str(summaries.get(name, {}).get("description", "") or ""),
            }
            for name in names
        ],
        "found": "What the comparison found",
        "findings": comparison_findings(comparison),
        "value": value_findings(comparison),
        "price_year": _price_year(base_scenario),
        "readings": [],
        "dated": dated,
    }
    options = []
    for name in names:
        if name == baseline:
            continue
        timeline = documents.get(name, {}).get("timeline", [])
        if timeline == base_timeline:
            timeline_note = "Its dated changes are the baseline's." if timeline else ""
            own: list[DatedChange] = []
        else:
            own = changes_of(scenarios[name])
            timeline_note = "It has none of the baseline's dated changes." if base_timeline else ""
            if own and base_timeline:
                timeline_note = "Its dated changes take the place of the baseline's."
        options.append(
            {
                "scenario": name,
                "title": title_from_name(name),
                "fields": field_changes(documents.get(baseline, {}), documents.get(name, {})),
                "dated": own,
                "timeline_note": timeline_note,
            }
        )
    return board, options


def _price_year(scenario: Scenario | None) -> str:
    costs = scenario.costs if scenario is not None else None
    return costs.price_year if costs is not None else ""


def run_board(folder: ResultsFolder) -> dict[str, Any]:
    """The board section of a run folder: what was run, the headline KPIs as the registry's
    readings, and the scenario's dated changes."""
    summary = folder.summary
    scenario = checked_scenario(folder)
    name = str(summary.get("scenario", folder.path.name))
    changes = changes_of(scenario)
    return {
        "what": "What was run",
        "sentences": run_sentences(
            summary, scenario.simulation.start_date if scenario is not None else None
        ),
        "descriptions": [
            {
                "scenario": name,
                "title": title_from_name(name),
                "role": "",
                "text": str(summary.get("description", "") or ""),
            }
        ],
        "found": "What the run found",
        "findings": [],
        "value": [],
        "price_year": "",
        # Without its scenario the timescales a reading names are not known.
        "readings": [
            *headline_readings(summary.get("kpis", {}), scenario),
            *cost_readings(summary.get("kpis", {}), scenario),
        ]
        if scenario is not None
        else [],
        "dated": [
            {
                "scenario": name,
                "title": title_from_name(name),
                "baseline": False,
                "same_as_baseline": False,
                "changes": changes,
            }
        ]
        if changes
        else [],
    }
