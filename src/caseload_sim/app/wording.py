"""How the app names things: scenarios by a title, never by a file stem."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from caseload_sim.scenario.wording import title_from_name

if TYPE_CHECKING:
    from caseload_sim.scenario.schema import Scenario


def scenario_title(scenario: Scenario) -> str:
    """'County 2010 baseline' for ``county_2010_baseline``: a scenario's name as a title."""
    return title_from_name(scenario.name)


@cache
def bundled_title(name: str) -> str:
    """A bundled scenario's title, by its file name (the file's own name if it cannot be read).
    Bundled files do not change while the app runs, so each is read once."""
    from caseload_sim.app.draft import Draft
    from caseload_sim.scenario.loading import ScenarioError

    try:
        return scenario_title(Draft.bundled(name).build())
    except ScenarioError:
        return name


def period_heading(period: dict[str, Any]) -> str:
    """'Re-organisation (2010-09-01 to 2011-01-25)': a period between dated changes, as
    ``summary.json`` and ``comparison.json`` give it."""
    return f"{period.get('label')} ({period.get('start_date')} to {period.get('end_date')})"
