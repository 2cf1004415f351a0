"""The round trip: synthetic Annex A lists from a known scenario, calibrated back to it.

The truth is the small county over a 90-day warm-up and a year. Its lists are synthesised from
one run, then calibrated on a base scenario that is wrong in every value calibration sets. Each
recovered value must lie within a tolerance of the truth derived from the data it rests on:
four standard errors of a Poisson count or binomial share (so a correct estimator fails about
once in 16,000 checks), widened only where a stated model effect adds to the noise.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from caseload_sim.calibrate.pipeline import CalibrationOutcome, calibrate
from caseload_sim.calibrate.synthetic import synthesise_annex_a, write_annex_a
from caseload_sim.scenario.loading import scenario_to_toml
from caseload_sim.scenario.schema import Scenario
from conftest import run_cli, small_county

YEAR = ("simulation.horizon_days=455", "simulation.warmup_days=90")
WRONG = (
    "demand.contacts_per_year=8000",
    "demand.referral_conversion=0.3",
    "demand.re_referral_probability=0.1",
    "pathway.effort.initial_assessment.mean_hours=4",
    "pathway.referral_nfa_share=0.1",
    "pathway.icpc_probability=0.5",
    "pathway.cp_plan_probability=0.6",
)
AS_OF = dt.date(2030, 1, 1)


@dataclass
class RoundTrip:
    truth: Scenario
    outcome: CalibrationOutcome
    folder: Path


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    folder = tmp_path_factory.mktemp("round_trip")
    truth = small_county(*YEAR)
    write_annex_a(synthesise_annex_a(truth, seed=11), folder / "data", "xlsx")
    base = folder / "base.toml"
    base.write_text(scenario_to_toml(small_county(*YEAR, *WRONG)))
    outcome = calibrate(
        folder / "data" / "annex_a.xlsx", folder / "out" / "calibrated.toml", base, as_of=AS_OF
    )
    return RoundTrip(truth, outcome, folder)


def n_of(outcome: CalibrationOutcome, path: str) -> int:
    return next(v.n for v in outcome.calibration.values if v.path == path)


def binomial_tolerance(p: float, n: int) -> float:
    return 4.0 * math.sqrt(p * (1.0 - p) / n)


def test_the_contact_rate_is_recovered(round_trip: RoundTrip) -> None:
    truth = round_trip.truth.demand.contacts_per_year
    found = round_trip.outcome.scenario.demand.contacts_per_year
    assert truth is not None and found is not None
    n = n_of(round_trip.outcome, "demand.contacts_per_year")
    assert abs(found - truth) <= 4.0 * math.sqrt(n) * truth / n, (found, truth)


def test_the_weekday_and_month_profiles_are_recovered(round_trip: RoundTrip) -> None:
    # About 22 first contacts a working day: a weekday's mean over 50 days has a standard error
    # of about 3% of the mean, a month's over 21 days about 4.5%; four of them, plus the
    # out-of-hours contacts dated the evening before (corrected by simulation, with its own
    # noise), give 0.12 and 0.18.
    for section, tolerance in (("weekday_profile", 0.12), ("month_profile", 0.18)):
        truth = getattr(round_trip.truth.demand, section).model_dump()
        found = getattr(round_trip.outcome.scenario.demand, section).model_dump()
        for key, value in truth.items():
            normal = value / (sum(truth.values()) / len(truth))
            assert abs(found[key] - normal) <= tolerance, (section, key, found[key], normal)


def test_conversion_and_re_referrals_are_recovered(round_trip: RoundTrip) -> None:
    demand, truth = round_trip.outcome.scenario.demand, round_trip.truth.demand
    n = n_of(round_trip.outcome, "demand.referral_conversion")
    assert abs(demand.referral_conversion - truth.referral_conversion) <= binomial_tolerance(
        truth.referral_conversion, n
    )
    n = n_of(round_trip.outcome, "demand.re_referral_probability")
    p = truth.re_referral_probability
    assert abs(demand.re_referral_probability - p) <= binomial_tolerance(p, n)


def test_tiers_and_child_protection_shares_are_recovered(round_trip: RoundTrip) -> None:
    found, truth = round_trip.outcome.scenario, round_trip.truth
    n = n_of(round_trip.outcome, "demand.tier_mix")
    for tier in ("immediate_risk", "disabled_child"):
        p = getattr(truth.demand.tier_mix, tier)
        assert abs(getattr(found.demand.tier_mix, tier) - p) <= binomial_tolerance(p, n), tier
    for field in ("icpc_probability", "cp_plan_probability"):
        p = getattr(truth.pathway, field)
        n = n_of(round_trip.outcome, f"pathway.{field}")
        assert abs(getattr(found.pathway, field) - p) <= binomial_tolerance(p, n), field


def test_the_referrals_closed_at_their_decision_are_recovered(round_trip: RoundTrip) -> None:
    p = round_trip.truth.pathway.referral_nfa_share
    assert p > 0.2  # the wrong base's is 0.1
    n = n_of(round_trip.outcome, "pathway.referral_nfa_share")
    found = round_trip.outcome.scenario.pathway.referral_nfa_share
    # The share is of referrals not at immediate risk: its standard error grows by that factor.
    eligible = 1.0 - round_trip.truth.demand.tier_mix.immediate_risk
    assert abs(found - p) <= binomial_tolerance(p, n) / eligible, (found, p)


def test_the_assessment_effort_is_found_by_simulation(round_trip: RoundTrip) -> None:
    search = round_trip.outcome.search
    assert search is not None and search.converged
    truth = round_trip.truth.pathway.effort.initial_assessment.mean_hours
    found = round_trip.outcome.scenario.pathway.effort.initial_assessment.mean_hours
    # The search matches the mean elapsed time within 3%; elapsed time moves less than in
    # proportion to effort (pacing and sign-off add fixed days), and the observed mean of about
    # 1,400 assessments has its own noise (about 2%): 25% of the hours covers both.
    assert abs(found - truth) <= 0.25 * truth, (found, truth)


def test_the_outputs_are_written_and_hold_no_personal_data(round_trip: RoundTrip) -> None:
    outcome = round_trip.outcome
    text = outcome.scenario_path.read_text()
    assert text.startswith("# Calibrated from")
    assert "base = " in text and "(n = " in text
    report = outcome.report_html.read_text()
    assert "data:image/png;base64," in report and "<script" not in report
    # Each fitted field in the scenario appears in the observed-against-simulated table.
    assert "<th>in the scenario</th><th>observed</th><th>simulated</th>" in report
    for fitted in outcome.calibration.values:
        assert f"<code>{fitted.path}</code>" in report
    assert "http://" not in report and "https://" not in report
    assert outcome.report_csv.read_text().splitlines()[0] == "list,row,column,problem"
    # No child id or date of birth from the lists reaches any output.
    lists = synthesise_annex_a(round_trip.truth, seed=11)
    ids = set(lists[3]["Child Unique ID"].head(200))
    # Dates of birth before the data's first date (a baby born on a date of the window shares
    # that date with the window itself, which the outputs do name).
    first = outcome.calibration.window[0]
    births = {f"{d:%d/%m/%Y}" for d in lists[3]["Date of Birth"].head(200) if d < first}
    for output in (text, report, outcome.report_csv.read_text()):
        assert not any(child in output for child in ids)
        assert not any(birth in output for birth in births)


def test_the_calibrated_scenario_runs_and_its_simulation_matches(round_trip: RoundTrip) -> None:
    simulated = round_trip.outcome.simulated
    assert simulated is not None
    observed = round_trip.outcome.calibration
    n = n_of(round_trip.outcome, "demand.referral_conversion")
    p = observed.value("demand.referral_conversion")
    # Two independent estimates of the same share: their difference has twice the variance.
    assert abs(simulated.value("demand.referral_conversion") - p) <= math.sqrt(
        2
    ) * binomial_tolerance(p, n)


def test_the_command_line_calibrates_and_refuses_bad_input(
    round_trip: RoundTrip, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = round_trip.folder / "data" / "annex_a.xlsx"
    base = round_trip.folder / "base.toml"
    out = tmp_path / "cli" / "calibrated.toml"
    code = run_cli(
        "calibrate",
        str(data),
        "--out",
        str(out),
        "--base",
        str(base),
        "--as-of",
        "2030-01-01",
        "--no-search",
    )
    assert code == 0, capsys.readouterr().err
    assert out.exists() and (out.parent / "calibration_report.html").exists()
    capsys.readouterr()
    assert run_cli("calibrate", str(tmp_path / "missing.xlsx"), "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "missing.xlsx" in err and "Traceback" not in err
    assert run_cli("calibrate", str(data), "--out", str(out), "--as-of", "30/04/2024") == 2
    assert "--as-of" in capsys.readouterr().err


def test_lists_without_optional_columns_still_calibrate(
    round_trip: RoundTrip, tmp_path: Path
) -> None:
    lists = synthesise_annex_a(round_trip.truth, seed=11)
    lists[3] = lists[3].drop(columns=["Number of Referrals in Last 12 Months", "Referral Source"])
    lists[4] = lists[4].drop(columns=["Continuous Assessment Date of Authorisation"])
    lists[5] = lists[5].drop(
        columns=["Did the Initial Child Protection Conference Result in a Child Protection Plan"]
    )
    del lists[1]["Contact Source"]
    folder = write_annex_a(lists, tmp_path / "data", "csv")
    base = round_trip.folder / "base.toml"
    outcome = calibrate(folder, tmp_path / "out" / "calibrated.toml", base, as_of=AS_OF)
    paths = {value.path for value in outcome.calibration.values}
    # What the missing columns would give keeps the base's value, and the report says why.
    assert "demand.re_referral_probability" not in paths
    assert "pathway.cp_plan_probability" not in paths
    assert outcome.search is None
    assert any(
        "Number of Referrals in Last 12 Months" in note for note in outcome.calibration.notes
    )
    assert outcome.scenario.demand.re_referral_probability == 0.1  # the (wrong) base's


def test_lists_with_no_usable_rows_are_refused_with_the_report_written(
    round_trip: RoundTrip, tmp_path: Path
) -> None:
    from caseload_sim.calibrate.annex_a import CalibrationError

    lists = synthesise_annex_a(round_trip.truth, seed=11)
    lists[3]["Date of referral"] = "not a date"
    folder = write_annex_a(lists, tmp_path / "data", "csv")
    out = tmp_path / "out" / "calibrated.toml"
    with pytest.raises(CalibrationError, match="list 3 has 0 usable rows"):
        calibrate(folder, out, round_trip.folder / "base.toml", as_of=AS_OF)
    assert not out.exists()
    report = (out.parent / "calibration_report.csv").read_text().splitlines()
    assert len(report) == 1 + len(lists[3])


def test_dates_outside_the_contacts_window_are_used_not_refused(
    round_trip: RoundTrip, tmp_path: Path
) -> None:
    # Assessments begun before the export's first contact, conferences after its last.
    lists = synthesise_annex_a(round_trip.truth, seed=11)
    start = "Continuous Assessment Start Date"
    lists[4].loc[:4, start] = lists[4].loc[:4, start].map(lambda d: d - dt.timedelta(days=200))
    conference = "Date of Initial Child Protection Conference"
    held = lists[5][conference].notna()
    lists[5].loc[held, conference] = (
        lists[5].loc[held, conference].map(lambda d: d + dt.timedelta(days=300))
    )
    folder = write_annex_a(lists, tmp_path / "data", "csv")
    outcome = calibrate(
        folder,
        tmp_path / "out" / "c.toml",
        round_trip.folder / "base.toml",
        as_of=AS_OF,
        search=False,
    )
    assert outcome.calibration.distributions["strategy_to_icpc"].days.min() > 150


def calibrate_lists(
    round_trip: RoundTrip, lists: dict[int, Any], folder: Path, **options: Any
) -> CalibrationOutcome:
    data = write_annex_a(lists, folder / "data", "csv")
    options.setdefault("search", False)
    return calibrate(
        data, folder / "out" / "c.toml", round_trip.folder / "base.toml", as_of=AS_OF, **options
    )


def test_placeholder_and_out_of_order_dates_are_reported_not_used(
    round_trip: RoundTrip, tmp_path: Path
) -> None:
    lists = synthesise_annex_a(round_trip.truth, seed=11)
    start = "Continuous Assessment Start Date"
    authorised = "Continuous Assessment Date of Authorisation"
    lists[4].loc[:9, start] = dt.date(1900, 1, 1)  # a case system's "no date"
    lists[4] = lists[4].drop(columns=["Date of Birth"])  # nothing to check dates against
    done = lists[4][authorised].notna()
    late = lists[4].index[done][10:20]
    lists[4].loc[late, authorised] = (
        lists[4].loc[late, start].map(lambda d: d - dt.timedelta(days=30))
    )
    outcome = calibrate_lists(round_trip, lists, tmp_path)
    report = outcome.report_csv.read_text()
    assert report.count("more than 5 years before most dates in this column") == 10
    assert report.count("is before the Continuous Assessment Start Date of the same row") == 10
    days = outcome.calibration.distributions["assessment_start_to_authorisation"].days
    assert days.max() < 200 and days.min() >= 0


def test_a_count_of_earlier_referrals_only_is_read_as_such(
    round_trip: RoundTrip, tmp_path: Path
) -> None:
    lists = synthesise_annex_a(round_trip.truth, seed=11)
    count = "Number of Referrals in Last 12 Months"
    lists[3][count] = lists[3][count] - 1  # an export that leaves this referral out
    # With the effort searched: how long cases stay open sets how many returns fall within 12
    # months of the referral, which the correction by simulation allows for.
    outcome = calibrate_lists(round_trip, lists, tmp_path, search=True)
    p = round_trip.truth.demand.re_referral_probability
    n = n_of(outcome, "demand.re_referral_probability")
    found = outcome.scenario.demand.re_referral_probability
    assert abs(found - p) <= binomial_tolerance(p, n)
    assert any("counting earlier referrals only" in note for note in outcome.calibration.notes)


def test_the_immediate_risk_rule_its_share_and_its_sensitivity_are_reported(
    round_trip: RoundTrip, tmp_path: Path
) -> None:
    import re

    (note,) = [n for n in round_trip.outcome.calibration.notes if n.startswith("Immediate risk")]
    assert "strategy discussion began within 1 working day(s) of it" in note
    found = round_trip.outcome.scenario.demand.tier_mix.immediate_risk
    shares = [float(x) / 100 for x in re.findall(r"working days?: ([\d.]+)%", note)]
    assert len(shares) == 6 and shares == sorted(shares)  # wider windows count more
    assert shares[1] == pytest.approx(found, abs=0.0006)  # the rule's own window: 1 day
    assert html.escape(note, quote=False) in round_trip.outcome.report_html.read_text()
    # The rule needs no authorisation dates: without them the share is the same.
    lists = synthesise_annex_a(round_trip.truth, seed=11)
    lists[4] = lists[4].drop(columns=["Continuous Assessment Date of Authorisation"])
    again = calibrate_lists(round_trip, lists, tmp_path)
    assert again.scenario.demand.tier_mix.immediate_risk == pytest.approx(found, abs=1e-4)


def test_a_few_days_of_contacts_are_refused(round_trip: RoundTrip, tmp_path: Path) -> None:
    from caseload_sim.calibrate.annex_a import CalibrationError

    lists = synthesise_annex_a(round_trip.truth, seed=11)
    for number, column in ((1, "Date of Contact"), (3, "Date of referral")):
        lists[number][column] = dt.date(2011, 3, 15)
    with pytest.raises(CalibrationError, match="fewer than 20 working days"):
        calibrate_lists(round_trip, lists, tmp_path)


def test_free_text_in_code_columns_is_not_shown(round_trip: RoundTrip, tmp_path: Path) -> None:
    lists = synthesise_annex_a(round_trip.truth, seed=11)
    lists[1].loc[: len(lists[1]) // 2, "Contact Source"] = "Mrs Jane Example rang about the boy"
    outcome = calibrate_lists(round_trip, lists, tmp_path)
    report = outcome.report_html.read_text()
    problems = outcome.report_csv.read_text()
    assert "Jane Example" not in report and "Jane Example" not in problems
    # Not a source: each such cell is emptied and listed, described and never quoted.
    assert "the value (not shown here, as it may be personal data) is not a source" in problems
