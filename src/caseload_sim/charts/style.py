"""How every chart looks: palette, line styles, markers, figures, subtitles, reference lines,
and text wrapped and legends laid out to fit the figure.

Series differ by line style and marker as well as by colour (the Okabe-Ito palette), so every
chart reads in greyscale and by colour-blind readers.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy import stats  # noqa: E402

from caseload_sim.results.reader import ResultsFolder  # noqa: E402
from caseload_sim.scenario.wording import title_from_name  # noqa: E402

#: Okabe-Ito colours (colour-blind safe), in the order series use them.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: Bar hatching, one per series, so bars differ without colour too.
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++")
DPI = 100

#: National reference values: England 2009-10 (DfE, Referrals, assessments and children and
#: young people who are the subject of a child protection plan, year ending 31 March 2010).
NATIONAL_IA_PCT = 67.0
NATIONAL_CA_PCT = 78.0
NATIONAL_PLACE = "England 2009-10"
NATIONAL_SOURCE = f"{NATIONAL_PLACE} (DfE)"

#: The width of an average character in ems, rounded up (DejaVu Sans averages about 0.53) so
#: that a line wrapped to a width fits it.
_CHARACTER_EMS = 0.6
#: The height of a line of text in ems (matplotlib's line spacing).
_LINE_EMS = 1.2
#: What a legend's column takes besides its label, in ems: the handle, the gap after it and the
#: space between columns (matplotlib's 2 + 0.8 + 2), with the frame's padding.
_LEGEND_COLUMN_EMS = 5.5
#: The longest label a legend keeps on one line before it gives up a column for it.
_LEGEND_LINE_CHARACTERS = 40
#: The lines of a chart's title and subtitle its figure is sized for.
TITLE_LINES = 2
TITLE_FONTSIZE = 12


def chart_settings() -> AbstractContextManager[None]:
    """The matplotlib settings every chart is drawn with."""
    return matplotlib.rc_context({"font.size": 10, "axes.titlesize": 10, "hatch.linewidth": 0.6})


def series_style(index: int) -> dict[str, Any]:
    """Colour, line style and marker of the series at ``index`` (baseline 0)."""
    i = index % len(PALETTE)
    return {"color": PALETTE[i], "linestyle": LINESTYLES[i], "marker": MARKERS[i]}


def t_band(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and Student-t 95% interval of a sample (the interval is the mean if n < 2)."""
    values = values[~np.isnan(values)]
    if values.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if values.size < 2:
        return mean, mean, mean
    half = float(stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size))
    return mean, mean - half, mean + half


def subtitle(runs: Sequence[ResultsFolder]) -> str:
    """'A vs B; N replications, 95% intervals'."""
    reps = runs[0].replications
    names = " vs ".join(title_from_name(run.name) for run in runs)
    return f"{names}; {reps} replication{'s' if reps != 1 else ''}, 95% intervals"


def pixels(inches: float) -> float:
    """A length of the figure in pixels, as the charts are saved."""
    return inches * DPI


def characters(width: float, fontsize: float) -> int:
    """How many characters of text at ``fontsize`` points fit in ``width`` pixels (at least 8,
    so that a narrow space breaks words rather than giving them a line each)."""
    return max(8, int(width / (_CHARACTER_EMS * fontsize * DPI / 72)))


def wrap(text: str, width: float, fontsize: float) -> str:
    """Each line of the text wrapped to fit ``width`` pixels at ``fontsize`` points."""
    chars = characters(width, fontsize)
    return "\n".join(textwrap.fill(line, chars) for line in text.split("\n"))


def text_height(lines: int, fontsize: float) -> float:
    """The height in inches of ``lines`` lines of text at ``fontsize`` points."""
    return lines * _LINE_EMS * fontsize / 72


def fit_to_width(text: str, fig: Figure) -> str:
    """Each line of a title wrapped to the figure's width (several long scenario names would
    otherwise run off it)."""
    return wrap(text, pixels(fig.get_figwidth()), TITLE_FONTSIZE)


def legend_labels(
    labels: Sequence[str], width: float, fontsize: float = 8, most: int = 3
) -> tuple[list[str], int]:
    """The labels wrapped, and the number of columns, of a legend that fits ``width`` pixels:
    as many columns (up to ``most``) as leave each label its own length or 40 characters."""
    em = fontsize * DPI / 72
    longest = max((len(label) for label in labels), default=0)
    ncols = max(1, min(most, len(labels)))
    while ncols > 1:
        room = width / ncols - _LEGEND_COLUMN_EMS * em
        if characters(room, fontsize) >= min(longest, _LEGEND_LINE_CHARACTERS):
            break
        ncols -= 1
    room = width / ncols - _LEGEND_COLUMN_EMS * em
    return [wrap(label, room, fontsize) for label in labels], ncols


def legend_height(labels: Sequence[str], ncols: int, fontsize: float = 8) -> float:
    """The height in inches of a legend of the (wrapped) labels in ``ncols`` columns: its
    tallest column, each entry's lines and the space between entries, and the frame."""
    rows = math.ceil(len(labels) / max(1, ncols))
    columns = [labels[i * rows : (i + 1) * rows] for i in range(ncols)]
    ems = max(
        (sum(_LINE_EMS * (label.count("\n") + 1) + 0.5 for label in column) for column in columns),
        default=0.0,
    )
    return (ems + 1.5) * fontsize / 72


def legend_below(
    fig: Figure, handles: Sequence[Any], labels: Sequence[str], most: int = 3, fontsize: float = 8
) -> None:
    """A legend under the plots, across the figure's width, its labels wrapped to fit; the
    figure grows by the legend's height so that the plots keep theirs."""
    if not labels:
        return
    wrapped, ncols = legend_labels(labels, 0.95 * pixels(fig.get_figwidth()), fontsize, most)
    fig.set_figheight(fig.get_figheight() + legend_height(wrapped, ncols, fontsize))
    fig.legend(handles, wrapped, fontsize=fontsize, loc="outside lower center", ncols=ncols)


def figure(width: float, height: float, nrows: int = 1, ncols: int = 1) -> tuple[Figure, Any]:
    """A figure of ``nrows`` by ``ncols`` axes (always a 2-D array), laid out to fit."""
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width, height), layout="constrained", squeeze=False
    )
    return fig, axes


def note(ax: Axes, text: str) -> None:
    """A note in the middle of empty axes ("nothing to count")."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=10)
