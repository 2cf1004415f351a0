"""The page: everything the template shows, and rendering it as one self-contained HTML file."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any


@dataclass
class Page:
    """Everything the template shows."""

    title: str
    summary: list[tuple[str, str]]
    kind: str = ""
    kind_title: str = ""
    folder: str = ""
    #: the first section, for a board: what was compared or run, the findings in sentences,
    #: and each scenario's dated changes (see :mod:`caseload_sim.report.board`)
    board: dict[str, Any] | None = None
    option_changes: list[dict[str, Any]] = field(default_factory=list)
    kpi_tables: list[dict[str, Any]] = field(default_factory=list)
    #: headline KPIs in each period between dated changes, one table per scenario that has them
    period_tables: list[dict[str, Any]] = field(default_factory=list)
    recovery_note: str = ""
    differences: dict[str, Any] | None = None
    #: for each option with dated changes (its own or the baseline's), the headline KPIs'
    #: paired differences in each period
    period_differences: list[dict[str, Any]] = field(default_factory=list)
    points: dict[str, Any] | None = None
    answer: str = ""
    definitions: list[dict[str, str]] = field(default_factory=list)
    charts: list[dict[str, str]] = field(default_factory=list)
    methods: list[tuple[str, str]] = field(default_factory=list)
    versions: list[tuple[str, str]] = field(default_factory=list)
    assumptions: dict[str, Any] | None = None
    assumptions_note: str = ""
    sources: list[dict[str, str]] = field(default_factory=list)


def render(context: Page) -> str:
    """The page as HTML (the template with the CSS inline, no script)."""
    import jinja2

    source = files("caseload_sim.report").joinpath("template.html.j2").read_text(encoding="utf-8")
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return environment.from_string(source).render(report=context)
