"""From Annex A lists to a calibrated scenario, its validation report and its evidence.

``calibrate(data, out)`` reads the lists (:mod:`~caseload_sim.calibrate.annex_a`), estimates
what they show (:mod:`~caseload_sim.calibrate.fitting`), finds the assessment effort by
simulation (:mod:`~caseload_sim.calibrate.search`), writes the scenario
(:mod:`~caseload_sim.calibrate.scenario_file`), and checks the result: the calibrated scenario
is simulated, synthetic lists are written from the run and fitted in the same way, and
``calibration_report.html`` sets observed against simulated for each fitted quantity.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from caseload_sim.calibrate.fitting import Calibration, FittedValue, fit
from caseload_sim.calibrate.search import SearchResult, search_effort
from caseload_sim.scenario.schema import Scenario

REPORT_CSV = "calibration_report.csv"
REPORT_HTML = "calibration_report.html"
#: Fewer observed assessments than this and the effort keeps the base scenario's value.
MIN_ASSESSMENTS_FOR_SEARCH = 30
#: Fewer usable contacts or referrals than this and there is nothing to calibrate from.
MIN_ROWS = 20
#: Contacts over fewer working days than this cannot show a rate, let alone its profiles.
MIN_WORKING_DAYS = 20


@dataclass
class CalibrationOutcome:
    """What a calibration produced."""

    scenario_path: Path
    report_csv: Path
    report_html: Path
    scenario: Scenario
    calibration: Calibration
    simulated: Calibration | None
    search: SearchResult | None
    kept: dict[int, int]
    rejected: dict[int, int]


def calibrate(
    data_path: str | Path,
    out: str | Path,
    base_path: str | Path | None = None,
    as_of: dt.date | None = None,
    search: bool = True,
    replications: int = 2,
    seed: int | None = None,
) -> CalibrationOutcome:
    """Calibrate a scenario from Annex A lists; write it to ``out`` with its reports beside it.

    Raises
    ------
    caseload_sim.calibrate.annex_a.CalibrationError
        When the data cannot be used (the message names the file, list and column).
    caseload_sim.scenario.ScenarioError
        When the base scenario is invalid, or the fitted values make an invalid scenario.
    """
    from caseload_sim.calibrate.annex_a import read_annex_a
    from caseload_sim.calibrate.scenario_file import default_header, scenario_text
    from caseload_sim.files import write_atomically
    from caseload_sim.scenario.loading import default_scenario_path, load_scenario

    out = Path(out)
    base_file = Path(base_path) if base_path is not None else default_scenario_path()
    base = load_scenario(base_file)
    from caseload_sim.calibrate.annex_a import CalibrationError

    data = read_annex_a(data_path, as_of)
    out.parent.mkdir(parents=True, exist_ok=True)
    report_csv = out.parent / REPORT_CSV
    data.write_report(report_csv)
    span = data.lists[1]["contact_date"] if data.kept_count(1) else None
    if span is not None and _working_days(span.min().date(), span.max().date()) < MIN_WORKING_DAYS:
        raise CalibrationError(
            f"{data_path}: list 1's dates span fewer than {MIN_WORKING_DAYS} working days "
            f"({span.min():%d/%m/%Y} to {span.max():%d/%m/%Y}); calibration needs at least a few "
            "months of contacts"
        )
    for number in (1, 3):
        if data.kept_count(number) < MIN_ROWS:
            raise CalibrationError(
                f"{data_path}: list {number} has {data.kept_count(number)} usable rows (at least "
                f"{MIN_ROWS} are needed); the rejected rows and why are in {report_csv}"
            )
    calibration = observed = fit(data, base)
    values = _as_base_writes_them(calibration.values, base)
    scenario = apply_values(base, values)
    # The effort, then the corrections by simulation (which depend on how long cases stay
    # open), then the effort again under the corrected workload.
    result = None
    durations = calibration.distributions.get("assessment_start_to_authorisation")
    searching = (
        search and durations is not None and len(durations.days) >= MIN_ASSESSMENTS_FOR_SEARCH
    )
    if searching:
        assert durations is not None
        result = search_effort(scenario, durations.days, seed=seed, replications=replications)
        values = _with_effort(values, result, len(durations.days))
        scenario = apply_values(base, values)
    values = correct_by_simulation(scenario, base, calibration, values, seed)
    scenario = apply_values(base, values)
    if searching:
        assert durations is not None
        result = search_effort(scenario, durations.days, seed=seed, replications=replications)
        values = _with_effort(values, result, len(durations.days))
        scenario = apply_values(base, values)
    elif search:
        calibration.notes.append(
            "Too few authorised assessments in list 4 to search the assessment effort: it keeps "
            "the base scenario's value."
        )
    calibration = replace(calibration, values=values)
    name = f"calibrated_{Path(data_path).stem}".replace(" ", "_")[:200]
    text = scenario_text(
        name,
        f"Calibrated from {Path(data_path).name} ({calibration.window[0]:%d/%m/%Y} to "
        f"{calibration.window[1]:%d/%m/%Y}) on {base_file.name}.",
        base_file,
        out,
        values,
        default_header(str(data_path), calibration.window, base_file),
    )
    write_atomically(out, text)
    scenario = load_scenario(out)  # exactly what a planner will run
    simulated = simulate_and_fit(scenario, base, seed)
    report_html = out.parent / REPORT_HTML
    from caseload_sim.calibrate.report import report_html as render

    write_atomically(report_html, render(calibration, observed, simulated, result, data, out))
    return CalibrationOutcome(
        scenario_path=out,
        report_csv=report_csv,
        report_html=report_html,
        scenario=scenario,
        calibration=calibration,
        simulated=simulated,
        search=result,
        kept={n: data.kept_count(n) for n in data.lists},
        rejected={n: data.rejected_count(n) for n in data.lists},
    )


def simulate_and_fit(scenario: Scenario, base: Scenario, seed: int | None) -> Calibration | None:
    """The calibrated scenario's own lists, synthesised from a run and fitted the same way."""
    from caseload_sim.calibrate.annex_a import CalibrationError, read_annex_a
    from caseload_sim.calibrate.synthetic import synthesise_annex_a, write_annex_a

    lists = synthesise_annex_a(scenario, seed=seed)
    with tempfile.TemporaryDirectory() as folder:
        written = write_annex_a(lists, Path(folder), fmt="csv")
        try:
            synthetic = read_annex_a(written, as_of=dt.date.max)
        except CalibrationError:
            return None
        return fit(synthetic, base)


#: Fitted values that the data see through the model's own workings (contacts dated by the day
#: they arrived, out of hours included; re-referrals counted within 12 months of the previous
#: referral, not of the closure), corrected by simulation.
CORRECTED = ("demand.weekday_profile", "demand.month_profile", "demand.re_referral_probability")
#: Moment-matching steps (each one simulation of the calibrated scenario).
CORRECTION_STEPS = 2


def correct_by_simulation(
    scenario: Scenario,
    base: Scenario,
    calibration: Calibration,
    values: list[FittedValue],
    seed: int | None,
) -> list[FittedValue]:
    """Moment matching for the values in ``CORRECTED``, ``CORRECTION_STEPS`` steps.

    The data show these quantities as the model's mechanisms distort them: an out-of-hours
    contact late in the evening is dated the day before the working day that deals with it,
    and a case that returns 11 months after it closed may be more than 12 months after its
    referral. So the scenario with the fitted values is simulated, its synthetic lists are
    fitted the same way, and each value is scaled by observed over simulated (profiles
    renormalised to a mean of 1); then again from the corrected scenario.
    """
    for step in range(1, CORRECTION_STEPS + 1):
        if step > 1:
            scenario = apply_values(base, values)
        simulated = simulate_and_fit(scenario, base, seed)
        if simulated is None:
            return values
        values = _corrected(values, calibration, simulated, step)
    return values


def _corrected(
    values: list[FittedValue], calibration: Calibration, simulated: Calibration, step: int
) -> list[FittedValue]:
    corrected = []
    for fitted in values:
        if fitted.path not in CORRECTED:
            corrected.append(fitted)
            continue
        observed = calibration.value(fitted.path)
        twin = simulated.value(fitted.path)
        if isinstance(fitted.value, dict):
            raw = {
                key: fitted.value[key] * observed[key] / twin[key] if twin[key] > 0 else 1.0
                for key in fitted.value
            }
            mean = sum(raw.values()) / len(raw)
            value: Any = {key: round(item / mean, 3) for key, item in raw.items()}
            shown = "simulated " + ", ".join(f"{k} {twin[k]:.3f}" for k in list(twin)[:3]) + "..."
        else:
            value = (
                round(min(0.95, fitted.value * observed / twin), 4) if twin > 0 else fitted.value
            )
            shown = f"simulated {twin:.4f} against observed {observed:.4f}"
        evidence = fitted.evidence.split("; corrected by simulation")[0]
        corrected.append(
            FittedValue(
                fitted.path,
                value,
                fitted.n,
                f"{evidence}; corrected by simulation so that the scenario reproduces what the "
                f"data show ({step} moment-matching steps; before the last, {shown})",
            )
        )
    return corrected


def apply_values(base: Scenario, values: list[FittedValue]) -> Scenario:
    """The base scenario with the fitted values set (validated)."""
    from caseload_sim.scenario.loading import validate_scenario

    data: dict[str, Any] = base.model_dump(mode="python")
    for fitted in values:
        node = data
        parts = fitted.path.split(".")
        for part in parts[:-1]:
            node = node[part]
        if isinstance(fitted.value, dict) and isinstance(node.get(parts[-1]), dict):
            node[parts[-1]] = {**node[parts[-1]], **fitted.value}
        else:
            node[parts[-1]] = fitted.value
    return validate_scenario(data, "the calibrated scenario")


def _with_effort(values: list[FittedValue], result: SearchResult, n: int) -> list[FittedValue]:
    """The values with the effort found by the search (replacing an earlier one)."""
    found = FittedValue(
        result.effort_field,
        round(result.hours, 3),
        n,
        f"found by simulation: list 4 start to authorisation, observed mean "
        f"{result.observed_mean:.2f} working days, simulated {result.simulated_mean:.2f} "
        f"(relative difference {result.distance:+.1%}, tolerance {result.tolerance:.0%}; "
        f"Kolmogorov-Smirnov D = {result.ks_statistic:.3f}; {result.replications} replications "
        "on common random numbers)",
    )
    return [v for v in values if v.path != result.effort_field] + [found]


def _working_days(first: dt.date, last: dt.date) -> int:
    from caseload_sim.calibrate.fitting import working_calendar

    calendar = working_calendar(first, last)
    return len(calendar.working_day_dates(0.0, float((last - first).days + 1)))


def _as_base_writes_them(values: list[FittedValue], base: Scenario) -> list[FittedValue]:
    """The contact rate in the form the base scenario gives it (the two forms exclude each
    other, and the calibrated file only adds to its base)."""
    from caseload_sim.model.context import build_calendar

    result = []
    for fitted in values:
        if fitted.path == "demand.contacts_per_working_day" and base.demand.contacts_per_year:
            calendar = build_calendar(base)
            days = calendar.working_days_in_year_from(calendar.start_date)
            fitted = FittedValue(
                "demand.contacts_per_year",
                round(float(fitted.value) * days, 1),
                fitted.n,
                f"{fitted.evidence}; x {days} working days in the base's year",
            )
        result.append(fitted)
    return result
