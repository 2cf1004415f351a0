"""The generated reference documents are up to date with the code."""

from __future__ import annotations

from caseload_sim.metrics.catalogue import kpi_reference_markdown
from caseload_sim.scenario.reference import scenario_reference_markdown
from conftest import ROOT


def test_scenario_reference_is_up_to_date() -> None:
    written = (ROOT / "docs" / "scenario-reference.md").read_text()
    assert written == scenario_reference_markdown(), "run `make docs` and commit the result"


def test_kpi_reference_is_up_to_date() -> None:
    written = (ROOT / "docs" / "kpis.md").read_text()
    assert written == kpi_reference_markdown(), "run `make docs` and commit the result"
