"""Charts of a results folder, drawn from the files in it (never by running the model).

``charts_for(folder)`` returns every chart that applies to a ``run``, ``compare``, ``sweep`` or
``staffing`` results folder, each as PNG and SVG with a title and a one-sentence reading computed
from the numbers; ``write_charts`` saves them under ``folder/charts/``. Every chart is readable in
greyscale and by colour-blind readers: series differ by line style and marker as well as by
colour (the Okabe-Ito palette).

- :mod:`~caseload_sim.charts.registry`: how a chart is declared (``@chart(name, kinds=...)``),
  the ``Chart`` it becomes, and ``extra_charts`` / ``unregister`` for a chart of one's own;
- :mod:`~caseload_sim.charts.catalogue`: the chart modules in reading order, ``charts_for`` and
  ``write_charts``;
- :mod:`~caseload_sim.charts.style` and :mod:`~caseload_sim.charts.wording`: how every chart
  looks, and how its numbers and KPI names are written;
- one module per chart: ``backlog``, ``caseloads``, ``timeliness``, ``waits``, ``differences``,
  ``pathway``, ``sweep``, ``staffing``.
"""

from __future__ import annotations

from caseload_sim.charts.catalogue import charts_for, write_charts
from caseload_sim.charts.registry import (
    FOLDER_KINDS,
    Chart,
    ChartData,
    Drawing,
    chart,
    extra_charts,
    unregister,
)
from caseload_sim.results.reader import ResultsFolderError, results_kind

__all__ = [
    "FOLDER_KINDS",
    "Chart",
    "ChartData",
    "Drawing",
    "ResultsFolderError",
    "chart",
    "charts_for",
    "extra_charts",
    "results_kind",
    "unregister",
    "write_charts",
]
