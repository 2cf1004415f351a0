"""``calibration_report.html``: what was read, what was fitted, and observed against simulated.

One self-contained file (charts as embedded PNGs, no script, nothing fetched). For each fitted
quantity it sets the value estimated from the council's lists beside the same quantity
estimated, the same way, from lists synthesised from a run of the calibrated scenario: where
they differ, the scenario does not reproduce the data and the text says by how much.
"""

from __future__ import annotations

import base64
import html
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from caseload_sim.calibrate.code_sets import source_words

if TYPE_CHECKING:
    from caseload_sim.calibrate.annex_a import AnnexData
    from caseload_sim.calibrate.fitting import Calibration
    from caseload_sim.calibrate.search import SearchResult

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.8rem 0 1.4rem; font-size: 0.92rem; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.55rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; }
.note { color: #555; font-size: 0.9rem; }
td.field { min-width: 15rem; }
td.field code { overflow-wrap: anywhere; }
td.evidence { min-width: 24rem; font-size: 0.85rem; }
"""
# Okabe-Ito: observed in blue, simulated in vermillion (distinct in greyscale by style too).
_OBSERVED, _SIMULATED = "#0072B2", "#D55E00"


def report_html(
    calibration: Calibration,
    observed: Calibration,
    simulated: Calibration | None,
    search: SearchResult | None,
    data: AnnexData,
    scenario_path: Path,
) -> str:
    first, last = calibration.window
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Calibration report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Calibration report</h1>",
        f"<p>Data: <code>{_e(Path(calibration.source).name)}</code>, "
        f"{first:%d/%m/%Y} to {last:%d/%m/%Y}. Scenario written: "
        f"<code>{_e(scenario_path.name)}</code>. Rejected rows and why: "
        "<code>calibration_report.csv</code>.</p>",
        _lists_table(data),
        "<h2>Fitted values: observed and simulated</h2>",
        "<p class='note'>In the scenario: the value written to the calibrated scenario. "
        "Observed: what the council's lists show. Simulated: the same statistic from lists "
        "synthesised from one run of the calibrated scenario (same definitions, same code). "
        "Where the data show a value through the model's workings (out-of-hours contacts dated "
        "the evening before; re-referrals counted from the referral), the scenario's value "
        "differs from the observed one so that the simulated one matches it.</p>",
        _values_table(calibration, observed, simulated, search),
    ]
    if calibration.notes:
        parts.append("<ul>" + "".join(f"<li>{_e(n)}</li>" for n in calibration.notes) + "</ul>")
    parts.append("<h2>Contacts by weekday and month</h2>")
    parts.append(_img(_profiles_chart(calibration, simulated), "Contact profiles"))
    parts.append("<h2>Elapsed working days</h2>")
    for name, durations in calibration.distributions.items():
        other = simulated.distributions.get(name) if simulated is not None else None
        parts.append(f"<h3>{_e(durations.description)}</h3>")
        parts.append(_fits_table(durations))
        if len(durations.days):
            parts.append(_img(_ecdf_chart(durations, other), durations.description))
    if search is not None:
        parts.append(_search_section(search))
    parts.append(_sources_and_teams(calibration))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _lists_table(data: AnnexData) -> str:
    rows = "".join(
        f"<tr><td>List {n}</td><td class='num'>{data.kept_count(n):,}</td>"
        f"<td class='num'>{data.rejected_count(n):,}</td></tr>"
        for n in sorted(data.lists)
    )
    return (
        "<h2>Lists read</h2><table><tr><th>list</th><th>rows used</th><th>rows rejected</th>"
        f"</tr>{rows}</table>"
    )


def _values_table(
    calibration: Calibration,
    observed: Calibration,
    simulated: Calibration | None,
    search: SearchResult | None,
) -> str:
    seen = {v.path: v.value for v in observed.values}
    other = {v.path: v.value for v in simulated.values} if simulated is not None else {}
    rows = []
    for fitted in calibration.values:
        path = _twin_path(fitted.path)
        data_value, model_value = seen.get(path), other.get(path)
        if search is not None and fitted.path == search.effort_field:
            # Hours are not observed: compare the elapsed time they produce.
            data_value = f"{search.observed_mean:.2f} working days, start to authorisation"
            twin = (
                simulated.distributions.get("assessment_start_to_authorisation")
                if simulated
                else None
            )
            model_value = (
                f"{np.mean(twin.days):.2f} working days"
                if twin is not None and len(twin.days)
                else None
            )
        unit = " a working day" if path != fitted.path else ""
        rows.append(
            f"<tr><td class='field'><code>{_e(fitted.path)}</code></td>"
            f"<td>{_show(fitted.value)}</td>"
            f"<td>{_show(data_value) + unit if data_value is not None else '-'}</td>"
            f"<td>{_show(model_value) + unit if model_value is not None else '-'}</td>"
            f"<td class='num'>{fitted.n:,}</td><td class='evidence'>{_e(fitted.evidence)}</td></tr>"
        )
    return (
        "<table><tr><th>field</th><th>in the scenario</th><th>observed</th><th>simulated</th>"
        f"<th>n</th><th>evidence</th></tr>{''.join(rows)}</table>"
    )


def _twin_path(path: str) -> str:
    # The calibrated file may give the contact rate per year; the fit is per working day.
    return "demand.contacts_per_working_day" if path == "demand.contacts_per_year" else path


def _fits_table(fitted: Any) -> str:
    if not fitted.fits:
        return f"<p class='note'>{len(fitted.days)} observations: too few to fit.</p>"
    best = fitted.best
    rows = "".join(
        f"<tr><td>{_e(family)}{' (best AIC)' if family == best else ''}</td>"
        f"<td class='num'>{fit['aic']:.1f}</td><td class='num'>{fit['ks']:.3f}</td>"
        f"<td class='num'>{fit['p_value']:.3g}</td><td class='num'>{fit['mean']:.2f}</td></tr>"
        for family, fit in sorted(fitted.fits.items(), key=lambda item: item[1]["aic"])
    )
    return (
        f"<p>{len(fitted.days):,} observations, mean {np.mean(fitted.days):.2f} working days, "
        f"median {np.median(fitted.days):.1f}. Families fitted by maximum likelihood to days + "
        "0.5 (location 0), compared by AIC; Kolmogorov-Smirnov D and p against the fit (p is "
        "approximate: the parameters were estimated from the same data).</p>"
        "<table><tr><th>family</th><th>AIC</th><th>KS D</th><th>KS p</th><th>mean (days)</th>"
        f"</tr>{rows}</table>"
    )


def _search_section(search: SearchResult) -> str:
    rows = "".join(
        f"<tr><td class='num'>{factor:.3f}</td><td class='num'>{hours:.2f}</td>"
        f"<td class='num'>{mean:.2f}</td><td class='num'>{distance:+.1%}</td></tr>"
        for factor, hours, mean, distance in search.trials
    )
    verdict = "converged" if search.converged else "did not converge within its budget"
    return (
        "<h2>Assessment effort, found by simulation</h2>"
        f"<p><code>{_e(search.effort_field)}</code>: {search.hours:.2f} hours (base "
        f"{search.base_hours:.2f}). The search {verdict}: observed mean "
        f"{search.observed_mean:.2f} working days from start to authorisation, simulated "
        f"{search.simulated_mean:.2f} ({search.distance:+.1%}; tolerance "
        f"{search.tolerance:.0%}); Kolmogorov-Smirnov D between the two samples "
        f"{search.ks_statistic:.3f}. Every candidate ran on the same seeds "
        f"({search.replications} replications).</p>"
        "<table><tr><th>factor</th><th>hours</th><th>simulated mean (days)</th>"
        f"<th>distance</th></tr>{rows}</table>"
    )


def _sources_and_teams(calibration: Calibration) -> str:
    parts = ["<h2>Sources and caseloads</h2>"]
    for name, shares in calibration.sources.items():
        if shares:
            cells = "".join(
                f"<tr><td>{_e(source_words(code))}</td><td class='num'>{share:.1%}</td></tr>"
                for code, share in list(shares.items())[:15]
            )
            parts.append(
                f"<h3>{_e(name.capitalize())} by source</h3><table><tr><th>source</th>"
                f"<th>share</th></tr>{cells}</table>"
            )
    parts.append(
        "<p class='note'>The model does not distinguish sources: these shares are reported, "
        "not used.</p>"
    )
    if calibration.teams:
        cells = "".join(
            f"<tr><td>{_e(_code(team))}</td><td class='num'>{workers}</td><td class='num'>{cases:,}"
            f"</td><td class='num'>{per:.1f}</td></tr>"
            for team, (workers, cases, per) in sorted(calibration.teams.items())
        )
        parts.append(
            "<h3>Referrals allocated by team</h3><table><tr><th>team</th><th>workers seen</th>"
            f"<th>referrals</th><th>per worker</th></tr>{cells}</table>"
        )
    if calibration.cases_per_worker.size:
        per = calibration.cases_per_worker
        parts.append(
            f"<p>Referrals allocated per worker over the window: median {np.median(per):.0f}, "
            f"90th percentile {np.quantile(per, 0.9):.0f}, across {per.size} workers. The "
            "calibrated scenario keeps the base's teams and staffing: compare them with these "
            "counts.</p>"
        )
    return "\n".join(parts)


# --------------------------------------------------------------------------------------- charts


def _profiles_chart(calibration: Calibration, simulated: Calibration | None) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    for ax, path, title in (
        (axes[0], "demand.weekday_profile", "Weekday"),
        (axes[1], "demand.month_profile", "Month"),
    ):
        observed = calibration.value(path)
        keys = list(observed)
        x = np.arange(len(keys))
        ax.bar(x - 0.2, [observed[k] for k in keys], 0.4, label="observed", color=_OBSERVED)
        if simulated is not None:
            other = simulated.value(path)
            ax.bar(
                x + 0.2,
                [other[k] for k in keys],
                0.4,
                label="simulated",
                color=_SIMULATED,
                hatch="//",
                edgecolor="white",
            )
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_xticks(x, keys)
        ax.set_title(f"{title} factor (1 = average)")
        ax.legend(fontsize=8)
    return _png(fig)


def _ecdf_chart(observed: Any, simulated: Any) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
    for fitted, label, colour, style in (
        (observed, "observed", _OBSERVED, "-"),
        (simulated, "simulated", _SIMULATED, "--"),
    ):
        if fitted is None or not len(fitted.days):
            continue
        days = np.sort(fitted.days)
        ax.step(
            days,
            np.arange(1, days.size + 1) / days.size,
            where="post",
            label=label,
            color=colour,
            linestyle=style,
        )
    ax.set_xlabel("working days")
    ax.set_ylabel("share at or below")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _png(fig)


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _img(png: bytes, alt: str) -> str:
    encoded = base64.b64encode(png).decode("ascii")
    return f"<p><img alt='{_e(alt)}' src='data:image/png;base64,{encoded}'></p>"


def _code(text: str) -> str:
    """A source or team code as written, unless it reads like free text (which could name
    someone): then only its length is shown."""
    if len(text) <= 30 and len(text.split()) <= 4:
        return text
    return f"(free text of {len(text)} characters, not shown)"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "<br>".join(f"{_e(str(k))} = {_show(v)}" for k, v in value.items())
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.1f}" if abs(value) >= 1000 else f"{value:.4g}"
    return _e(str(value))


def _e(text: str) -> str:
    return html.escape(text, quote=True)
