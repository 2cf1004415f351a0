"""sweep: the headline KPIs across the values of the fields a sweep varied (sweep).

From ``sweep.csv``: up to six headline KPIs against the first varied field, each in its own
panel with a 95% confidence band; one line per value of the second varied field if there is one.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from caseload_sim.charts.registry import ChartData, Drawing, chart
from caseload_sim.charts.style import figure, note, pixels, series_style, wrap
from caseload_sim.charts.wording import axis_label, plain, with_unit
from caseload_sim.metrics.catalogue import HEADLINE_KPIS
from caseload_sim.results.reader import ResultsFolder, ResultsFolderError
from caseload_sim.scenario.wording import field_label


def _replications_per_point(folder: ResultsFolder) -> str:
    count = folder.replications_per_point()
    return f"{count} replications per point" if count else "replications: see provenance.json"


def _axis_values(series: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    numeric = pd.to_numeric(series, errors="coerce")
    if numeric.notna().all():
        return numeric.to_numpy(dtype=float), None
    labels = list(dict.fromkeys(series.astype(str)))
    return np.array([labels.index(v) for v in series.astype(str)], dtype=float), labels


@chart("sweep", kinds=("sweep",))
def sweep(data: ChartData) -> Drawing:
    """The headline KPIs, mean and 95% band, against the first varied field."""
    folder = data.folder
    table = folder.read_table("sweep.csv")
    columns = list(table.columns)
    if "kpi" not in columns or "point" not in columns:
        raise ResultsFolderError(f"{folder.path}: sweep.csv lacks the point and kpi columns")
    fields = columns[columns.index("point") + 1 : columns.index("kpi")]
    if not fields:
        raise ResultsFolderError(f"{folder.path}: sweep.csv names no varied field")
    first = fields[0]
    second = fields[1] if len(fields) > 1 else None
    present = [k for k in HEADLINE_KPIS if table.loc[table["kpi"] == k, "mean"].notna().any()][:6]
    ncols = min(3, max(1, len(present)))
    nrows = max(1, math.ceil(len(present) / ncols))
    panel = 3.4
    fig, axes = figure(4.2 * ncols + 1, panel * nrows + 1, nrows, ncols)
    groups = [(None, table)] if second is None else list(table.groupby(second, sort=True))
    for i, name in enumerate(present):
        ax = axes[i // ncols, i % ncols]
        for index, (key, group) in enumerate(groups):
            rows = group[group["kpi"] == name]
            x, labels = _axis_values(rows[first])
            order = np.argsort(x)
            x = x[order]
            mean = rows["mean"].to_numpy(dtype=float)[order]
            low = rows["ci95_low"].to_numpy(dtype=float)[order]
            high = rows["ci95_high"].to_numpy(dtype=float)[order]
            style = series_style(index)
            named = key is not None and second is not None
            label = f"{field_label(str(second))} = {key}" if named else None
            ax.plot(x, mean, label=label, **style)
            ax.fill_between(x, low, high, color=style["color"], alpha=0.18, linewidth=0)
            if labels is not None:
                ax.set_xticks(range(len(labels)))
                ax.set_xticklabels(labels, fontsize=8)
        # Along the panel's side, of which the axes take about two thirds.
        ax.set_ylabel(wrap(axis_label(name), 0.65 * pixels(panel), 9), fontsize=9)
        ax.set_xlabel(field_label(first), fontsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        if second is not None and i == 0:
            ax.legend(fontsize=7)
    for j in range(len(present), nrows * ncols):
        axes[j // ncols, j % ncols].set_visible(False)
    if not present:
        note(axes[0, 0], "No headline KPI in sweep.csv")
        reading = "The sweep holds no headline KPI"
    else:
        name = present[0]
        rows = table[table["kpi"] == name]
        if second is not None:
            rows = rows[rows[second].astype(str) == str(groups[0][0])]
        x, _ = _axis_values(rows[first])
        order = np.argsort(x, kind="stable")
        ordered = rows.iloc[order]
        lo, hi = ordered.iloc[0], ordered.iloc[-1]
        reading = (
            f"As {field_label(first)} goes from {lo[first]} to {hi[first]}"
            + (f" (with {field_label(second)} = {groups[0][0]})" if second is not None else "")
            + f", the KPI '{plain(name)}' moves from {with_unit(name, float(lo['mean']))} to "
            f"{with_unit(name, float(hi['mean']))}"
        )
    below = f"{_replications_per_point(folder)}; bands are 95% confidence intervals"
    return Drawing(fig, f"Headline KPIs across the sweep of {field_label(first)}", below, reading)
