"""staffing: the smallest staffing that meets the targets, and the points searched (staffing).

From ``staffing.csv`` and ``staffing.json``: for each target, its KPI at each point the search
ran with 95% interval error bars (filled where the target was met, hollow crosses where not), the
target as a dashed line and the answer as a dotted one.
"""

from __future__ import annotations

import math

from caseload_sim.charts.registry import ChartData, Drawing, chart
from caseload_sim.charts.style import PALETTE, figure, note, pixels, wrap
from caseload_sim.charts.wording import axis_label, target_words
from caseload_sim.experiment.sweep import Target, parse_target
from caseload_sim.scenario.wording import field_label


def _target(text: str) -> Target | None:
    """The target as ``staffing.json`` writes it (None if it cannot be read)."""
    try:
        return parse_target(text)
    except ValueError:
        return None


@chart("staffing", kinds=("staffing",))
def staffing(data: ChartData) -> Drawing:
    """Each target's KPI at the points searched, with the target and the answer."""
    folder = data.folder
    document = folder.read_json("staffing.json")
    table = folder.read_table("staffing.csv")
    path = str(document.get("path") or table.columns[0])
    if path not in table.columns:
        path = str(table.columns[0])
    targets = list(document.get("targets") or list(dict.fromkeys(table["target"].astype(str))))
    answer = document.get("answer")
    field = field_label(path)
    span = document.get("range") or [table[path].min(), table[path].max()]
    ncols = min(2, max(1, len(targets)))
    nrows = math.ceil(max(1, len(targets)) / 2)
    panel_width, panel_height = 6, 4.5
    fig, axes = figure(panel_width * ncols + 3, panel_height * nrows + 0.8, nrows, ncols)
    flat = axes.ravel()
    for i, target in enumerate(targets):
        ax = flat[i]
        bound = _target(target)
        rows = table[table["target"].astype(str) == target].sort_values(path)
        if bound is None or rows.empty:
            note(ax, f"target {target}: no points")
            continue
        name, value = bound.kpi, bound.value
        x = rows[path].to_numpy(dtype=float)
        mean = rows["mean"].to_numpy(dtype=float)
        low = rows["ci95_low"].to_numpy(dtype=float)
        high = rows["ci95_high"].to_numpy(dtype=float)
        met = rows["target_met"].astype(str).str.lower().eq("true").to_numpy()
        ax.plot(x, mean, color=PALETTE[0], linestyle="-", linewidth=1, zorder=1)
        for flag, marker, face, label in (
            (True, "o", PALETTE[0], "target met (95% CI)"),
            (False, "X", "white", "target not met"),
        ):
            sel = met == flag
            if sel.any():
                ax.errorbar(
                    x[sel],
                    mean[sel],
                    yerr=[mean[sel] - low[sel], high[sel] - mean[sel]],
                    fmt=marker,
                    color=PALETTE[0],
                    markerfacecolor=face,
                    markersize=8,
                    capsize=4,
                    label=label,
                    zorder=2,
                )
        ax.axhline(
            value,
            color=PALETTE[1],
            linestyle="--",
            linewidth=1.5,
            # Inside the panel, in at most half its width, so that it leaves the points clear.
            label=wrap(f"target: {target_words(target)}", 0.5 * pixels(panel_width), 8),
        )
        if answer is not None:
            ax.axvline(
                float(answer),
                color="black",
                linestyle=":",
                linewidth=1.5,
                label=f"answer: {answer}",
            )
        ax.set_xlabel(f"{field} (searched range {span[0]} to {span[1]})", fontsize=9)
        ax.set_ylabel(wrap(axis_label(name), 0.65 * pixels(panel_height), 9), fontsize=9)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    for j in range(len(targets), len(flat)):
        flat[j].set_visible(False)
    if answer is None:
        flat[0].text(
            0.5,
            0.95,
            "no value meets the targets",
            transform=flat[0].transAxes,
            ha="center",
            va="top",
            fontsize=11,
            color=PALETTE[1],
            bbox={"fc": "white", "ec": PALETTE[1]},
        )
        reading = (
            f"No value of {field} from {span[0]} to {span[1]} meets the targets with 95% confidence"
        )
    else:
        reading = (
            f"The smallest {field} that meets every target with 95% confidence is {answer} "
            f"(searched {span[0]} to {span[1]}, {len(document.get('points_run') or [])} points run)"
        )
    per_point = (document.get("replications") or {}).get("per_point") or []
    runs = sorted({int(p["run"]) for p in per_point if isinstance(p, dict) and p.get("run")})
    reps = (
        f"{', '.join(map(str, runs))} replications per point"
        if runs
        else "replications: see staffing.json"
    )
    below = (
        f"targets: {'; '.join(target_words(t) for t in targets)}\n{reps}; error bars are 95% CIs"
    )
    return Drawing(fig, f"Smallest staffing that meets the targets: {field}", below, reading)
