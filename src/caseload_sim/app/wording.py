"""How the app names things: scenarios by a title, never by a file stem."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseload_sim.scenario.schema import Scenario


def scenario_title(scenario: Scenario) -> str:
    """'County 2010 baseline' for ``county_2010_baseline``: a scenario's name as a title."""
    return title_from_name(scenario.name)


def title_from_name(name: str) -> str:
    """A scenario's name (as results files give it) as a title."""
    words = name.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]
