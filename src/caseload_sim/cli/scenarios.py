"""``check``, ``schema`` and ``kpis``: a scenario validated, the scenario schema, the KPI list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from caseload_sim.cli.common import load, wide_console
from caseload_sim.cli.options import SetOption


def check(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML) to validate.")],
    set_: SetOption = None,
) -> None:
    """Validate a scenario file (and overrides) without running it."""
    loaded = load(scenario, set_)
    typer.echo(f"{scenario}: valid scenario {loaded.scenario.name!r}")


def schema(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the scenario reference as Markdown.")
    ] = False,
) -> None:
    """Print the scenario JSON Schema (for editors), or the Markdown reference."""
    if markdown:
        from caseload_sim.scenario.reference import scenario_reference_markdown

        typer.echo(scenario_reference_markdown(), nl=False)
        return
    import json

    from caseload_sim.scenario.schema import Scenario

    typer.echo(json.dumps(Scenario.model_json_schema(), indent=2))


def kpis(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the KPI definitions as Markdown.")
    ] = False,
) -> None:
    """List the KPIs with their units and definitions."""
    from caseload_sim.metrics.catalogue import KPIS, kpi_reference_markdown

    if markdown:
        typer.echo(kpi_reference_markdown(), nl=False)
        return
    from rich.table import Table

    table = Table(title="caseload_sim KPIs (see docs/kpis.md for numerators and denominators)")
    table.add_column("id", no_wrap=True)
    table.add_column("plain name")
    table.add_column("unit")
    table.add_column("definition")
    for kpi in KPIS.values():
        table.add_row(kpi.name, kpi.title, kpi.unit, kpi.description)
    wide_console().print(table)
