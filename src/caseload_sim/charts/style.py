"""How every chart looks: palette, line styles, markers, figures, subtitles, reference lines.

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

#: Okabe-Ito colours (colour-blind safe), in the order series use them.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: Bar hatching, one per series, so bars differ without colour too.
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++")
DPI = 100

#: National reference values: England 2007-08 (DfE, Referrals, assessments and children and
#: young people who are the subject of a child protection plan).
NATIONAL_IA_PCT = 71.0
NATIONAL_CA_PCT = 80.0
NATIONAL_SOURCE = "England 2007-08 (DfE)"

#: The width of an average character of a chart's title (12 points) in pixels, rounded up so
#: that a wrapped line fits the figure.
_TITLE_CHARACTER_PIXELS = 10


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
    names = " vs ".join(run.name for run in runs)
    return f"{names}; {reps} replication{'s' if reps != 1 else ''}, 95% intervals"


def fit_to_width(text: str, fig: Figure) -> str:
    """Each line of a title wrapped to the figure's width (several long scenario names would
    otherwise run off it)."""
    width = int(fig.get_figwidth() * DPI / _TITLE_CHARACTER_PIXELS)
    return "\n".join(textwrap.fill(line, width) for line in text.split("\n"))


def figure(width: float, height: float, nrows: int = 1, ncols: int = 1) -> tuple[Figure, Any]:
    """A figure of ``nrows`` by ``ncols`` axes (always a 2-D array), laid out to fit."""
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width, height), layout="constrained", squeeze=False
    )
    return fig, axes


def note(ax: Axes, text: str) -> None:
    """A note in the middle of empty axes ("nothing to count")."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=10)
