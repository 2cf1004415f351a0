"""The charts, in reading order, and drawing them for a results folder.

Importing this module declares the charts: each chart module below registers its own with
:func:`caseload_sim.charts.registry.chart`, and the order of the imports is the order in which a
folder's charts are drawn, written and shown in the report. A new chart is a new module, added
here.
"""

from __future__ import annotations

from pathlib import Path

# The chart modules, in reading order (imported for the charts they declare).
# isort: off
from caseload_sim.charts import backlog  # noqa: F401
from caseload_sim.charts import caseloads  # noqa: F401
from caseload_sim.charts import timeliness  # noqa: F401
from caseload_sim.charts import waits  # noqa: F401
from caseload_sim.charts import differences  # noqa: F401
from caseload_sim.charts import value_for_money  # noqa: F401
from caseload_sim.charts import pathway  # noqa: F401
from caseload_sim.charts import sweep  # noqa: F401
from caseload_sim.charts import staffing  # noqa: F401

# isort: on
from caseload_sim.charts.registry import Chart, ChartData, charts_of_kind, render
from caseload_sim.charts.style import chart_settings
from caseload_sim.files import write_atomically, write_bytes_atomically
from caseload_sim.results.reader import ResultsFolder


def charts_for(folder: Path) -> list[Chart]:
    """Every registered chart that applies to the results folder's kind, in reading order.

    Parameters
    ----------
    folder : a ``run``, ``compare``, ``sweep`` or ``staffing`` results folder.

    Returns
    -------
    list of Chart
        run: backlog, caseloads, timeliness, waits, pathway; compare: the same with differences
        and, when the scenarios have costs, value_for_money before pathway (the baseline's);
        sweep: sweep; staffing: staffing.

    Raises
    ------
    ResultsFolderError
        If the folder is not a results folder or a file the charts need is missing.
    """
    results = ResultsFolder(folder)
    data = ChartData(results)
    with chart_settings():
        return [
            render(definition.name, definition.draw(data))
            for definition in charts_of_kind(results.kind)
            if definition.applies_to(data)
        ]


def write_charts(folder: Path, charts: list[Chart]) -> None:
    """Write each chart to ``folder/charts/NAME.png`` and ``NAME.svg``, each atomically.

    Parameters
    ----------
    folder : the results folder.
    charts : the charts, as ``charts_for`` returns them.
    """
    out = Path(folder) / "charts"
    out.mkdir(parents=True, exist_ok=True)
    for chart in charts:
        write_atomically(out / f"{chart.name}.svg", chart.svg)
        write_bytes_atomically(out / f"{chart.name}.png", chart.png)
