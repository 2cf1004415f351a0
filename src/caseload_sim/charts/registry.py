"""The chart registry: every chart declared once, next to the function that draws it.

A chart is a function of a results folder, registered with :func:`chart` under its name and the
kinds of results folder it applies to::

    @chart("backlog", kinds=("run", "compare"))
    def backlog(data: ChartData) -> Drawing: ...

A chart's place in the reading order is the order of declaration: the catalogue
(:mod:`caseload_sim.charts.catalogue`) imports the chart modules in that order, and
``charts_for`` draws the registered charts that apply to a folder's kind, in it. A chart that
needs something only some folders of its kind have (costs, say) gives ``applies``, a test of
the folder's data; it is left out where the test fails.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from caseload_sim.charts.style import (
    DPI,
    TITLE_FONTSIZE,
    TITLE_LINES,
    fit_to_width,
    text_height,
)
from caseload_sim.charts.wording import sentence
from caseload_sim.results.reader import ResultsFolder

#: The kinds of results folder a chart may apply to.
FOLDER_KINDS = ("run", "compare", "sweep", "staffing")


@dataclass(frozen=True)
class Chart:
    """One chart of a results folder.

    Attributes
    ----------
    name : file stem, e.g. ``"backlog"``.
    title : the title in plain words.
    reading : one plain-English sentence computed from the numbers in the folder.
    png : the figure as PNG bytes.
    svg : the same figure as SVG text.
    """

    name: str
    title: str
    reading: str
    png: bytes = field(repr=False)
    svg: str = field(repr=False)


class ChartData:
    """The results folder a chart is drawn from, opened once for all its charts.

    Parameters
    ----------
    folder : the results folder.
    """

    def __init__(self, folder: ResultsFolder) -> None:
        self.folder = folder

    @property
    def kind(self) -> str:
        """``"run"``, ``"compare"``, ``"sweep"`` or ``"staffing"``."""
        return self.folder.kind

    @cached_property
    def runs(self) -> list[ResultsFolder]:
        """The run folders of a run or compare folder, baseline first."""
        return self.folder.runs()


@dataclass(frozen=True)
class Drawing:
    """What a chart's function draws: the figure, its title and subtitle, and its reading
    (one sentence computed from the folder's numbers)."""

    figure: Figure
    title: str
    subtitle: str
    reading: str


#: A chart's drawing function.
Draw = Callable[[ChartData], Drawing]
#: Whether a chart applies to a folder of its kinds (None: to every one).
Applies = Callable[[ChartData], bool]
D = TypeVar("D", bound=Draw)


@dataclass(frozen=True)
class ChartDefinition:
    """A registered chart: its name (the file stem), the kinds of folder it applies to and the
    function that draws it."""

    name: str
    kinds: tuple[str, ...]
    draw: Draw
    applies: Applies | None = None

    def applies_to(self, data: ChartData) -> bool:
        """Whether the chart is drawn for this folder."""
        return data.kind in self.kinds and (self.applies is None or self.applies(data))


_CHARTS: dict[str, ChartDefinition] = {}


def register(definition: ChartDefinition) -> None:
    """Add a chart to the registry, after those already there (its name must be new)."""
    if definition.name in _CHARTS:
        raise ValueError(f"chart {definition.name!r} is declared twice")
    unknown = [kind for kind in definition.kinds if kind not in FOLDER_KINDS]
    if unknown or not definition.kinds:
        raise ValueError(
            f"chart {definition.name!r}: kinds must be some of {', '.join(FOLDER_KINDS)}, "
            f"not {', '.join(map(repr, unknown)) or 'none'}"
        )
    _CHARTS[definition.name] = definition


def chart(name: str, *, kinds: tuple[str, ...], applies: Applies | None = None) -> Callable[[D], D]:
    """Declare the decorated function as the drawing of chart ``name`` for folders of
    ``kinds`` (those of them for which ``applies`` is true, when it is given)."""

    def declare(draw: D) -> D:
        register(ChartDefinition(name, tuple(kinds), draw, applies))
        return draw

    return declare


def unregister(name: str) -> None:
    """Remove a chart (for tests and examples that declare one of their own)."""
    _CHARTS.pop(name, None)


@contextmanager
def extra_charts() -> Iterator[None]:
    """Charts declared inside the block are removed when it ends (for examples and tests)."""
    before = set(_CHARTS)
    try:
        yield
    finally:
        for name in [n for n in _CHARTS if n not in before]:
            unregister(name)


def definitions() -> Mapping[str, ChartDefinition]:
    """Every registered chart, in reading order (a live, read-only view)."""
    return _CHARTS


def charts_of_kind(kind: str) -> list[ChartDefinition]:
    """The registered charts that apply to a kind of folder, in reading order."""
    return [definition for definition in _CHARTS.values() if kind in definition.kinds]


def finish(drawing: Drawing) -> Figure:
    """The drawing's figure as it is saved: its title and subtitle above it, the figure taller
    by each line they wrap to beyond the two it was drawn for, at the resolution it is saved
    at."""
    fig = drawing.figure
    heading = fit_to_width(f"{drawing.title}\n{drawing.subtitle}", fig)
    extra = heading.count("\n") + 1 - TITLE_LINES
    if extra > 0:
        fig.set_figheight(fig.get_figheight() + text_height(extra, TITLE_FONTSIZE))
    fig.suptitle(heading, fontsize=TITLE_FONTSIZE)
    fig.set_dpi(DPI)
    return fig


def render(name: str, drawing: Drawing) -> Chart:
    """The drawing as a named chart: its title above the figure, saved as PNG and SVG (without
    dates or versions, so the same folder gives the same bytes)."""
    fig = finish(drawing)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
    svg = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "caseload_sim"}):
        fig.savefig(svg, format="svg", metadata={"Date": None})
    plt.close(fig)
    return Chart(name, drawing.title, sentence(drawing.reading), png.getvalue(), svg.getvalue())
