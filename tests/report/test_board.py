"""The report's first section, for a board, and the findings in sentences behind it (shared with
the app): what was compared, what changes with 95% confidence, and each dated change as lines."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from page_text import section, texts

from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.report import build_report
from caseload_sim.report.findings import (
    MAX_FINDINGS,
    compared_sentences,
    comparison_findings,
    cost_readings,
    dated_changes,
    difference_sentence,
    difference_words,
    field_changes,
    headline_readings,
    period_words,
    short_titles,
)
from caseload_sim.results.reader import ResultsFolder
from caseload_sim.scenario.loading import load_scenario
from conftest import SCENARIOS, TIMELINE_LINES, run_cli, scenario_file, small_county

CORE = "core_assessment_within_timescale_pct"
WAIT = "referral_to_allocation_days_mean"
UNQUALIFIED = "high_risk_cases_held_by_unqualified_pct"
JOINT = "jointly (high-risk work to an assistant with a qualified co-worker)"
SKILL = "by skill (each tier to the grades that may hold it)"


@pytest.fixture(scope="session")
def dated_comparison(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A small comparison: the county without dated changes against the county with two (new
    allocation rules during the warm-up, a re-organisation after it); the report of it and of
    the option's run, without charts (they are not part of what is checked here)."""
    root = tmp_path_factory.mktemp("board")
    plain = scenario_file(root, "small_plain", horizon=150)
    dated = scenario_file(root, "small_dated", *TIMELINE_LINES, horizon=150)
    out = root / "compared"
    code = run_cli("compare", str(plain), str(dated), "-r", "3", "-j", "1", "--out", str(out))
    assert code == 0
    return {
        "folder": out,
        "comparison": json.loads((out / "comparison.json").read_text()),
        "html": build_report(out, charts=[]),
        "run": out / "small_dated",
        "run_html": build_report(out / "small_dated", charts=[], kind="run"),
    }


# ------------------------------------------------------------------------ one difference


def test_a_significant_fall_is_said_with_its_interval_as_magnitudes() -> None:
    entry = {"mean": -10.428, "ci95_low": -17.883, "ci95_high": -2.971}
    when = "after Re-organisation on 1 September 2010"
    assert difference_sentence("Restructure sept", CORE, entry, when) == (
        "Restructure sept lowers core assessments within timescale by 10.4 points "
        "(95% CI 3.0 to 17.9) after Re-organisation on 1 September 2010."
    )


def test_a_significant_rise_takes_the_kpis_unit() -> None:
    entry = {"mean": 0.634, "ci95_low": 0.158, "ci95_high": 1.11}
    assert difference_sentence("Option", "caseload_per_worker_mean", entry) == (
        "Option raises cases per worker by 0.63 cases (95% CI 0.16 to 1.11)."
    )
    # An interval just clear of 0 keeps the decimals that show it.
    entry = {"mean": 1.04, "ci95_low": 0.012, "ci95_high": 2.07}
    assert difference_sentence("Option", "caseload_per_worker_mean", entry) == (
        "Option raises cases per worker by 1.0 cases (95% CI 0.01 to 2.1)."
    )
    entry = {"mean": 12.0, "ci95_low": 3.2, "ci95_high": 20.8}
    assert difference_sentence("Option", "referrals_count", entry) == (
        "Option raises referrals by 12 (95% CI 3 to 21)."
    )


def test_an_interval_that_includes_0_is_no_clear_difference() -> None:
    entry = {"mean": 0.21, "ci95_low": -1.153, "ci95_high": 1.571}
    assert difference_sentence("Option", WAIT, entry) == (
        "Option makes no clear difference to mean wait for allocation "
        "(95% CI \u22121.15 to +1.57 days)."
    )
    same = {"mean": 0.0, "ci95_low": 0.0, "ci95_high": 0.0}
    assert difference_sentence("Option", CORE, same, "before A on 1 May 2010") == (
        "Option makes no difference to core assessments within timescale in any replication "
        "before A on 1 May 2010."
    )


def test_a_difference_in_a_table_cell_is_worded_as_the_apps() -> None:
    assert difference_words({"mean": 14.91, "ci95_low": 5.0, "ci95_high": 24.8}, "%") == (
        "+14.9 points (5.0 to 24.8), significant"
    )
    assert difference_words({"mean": -0.5, "ci95_low": -1.0, "ci95_high": 0.1}, "days") == (
        "-0.50 days (-1.00 to 0.10)"
    )
    assert difference_words(None, "%") == difference_words({"mean": None}, "%") == "—"


def test_each_period_is_placed_by_the_changes_around_it() -> None:
    periods = [
        {"label": "start", "start_date": "2010-05-31"},
        {"label": "New rules", "start_date": "2010-07-01"},
        {"label": "Re-organisation", "start_date": "2010-09-01"},
    ]
    assert period_words(periods, 0) == "before New rules on 1 July 2010"
    assert period_words(periods, 1) == (
        "between New rules on 1 July 2010 and Re-organisation on 1 September 2010"
    )
    assert period_words(periods, 2) == "after Re-organisation on 1 September 2010"


def test_short_titles_drop_the_words_every_name_shares() -> None:
    names = ["county_2010_as_found", "county_2010_restructure_sept", "county_2010_plus_10"]
    assert short_titles(names) == {
        "county_2010_as_found": "As found",
        "county_2010_restructure_sept": "Restructure sept",
        "county_2010_plus_10": "Plus 10",
    }
    assert short_titles(["a_x", "a_x_2"]) == {"a_x": "X", "a_x_2": "X 2"}
    assert short_titles(["with timeline", "without timeline"]) == {
        "with timeline": "With timeline",
        "without timeline": "Without timeline",
    }


# ------------------------------------------------------------------------------- findings


def _entry(mean: float, half: float) -> dict[str, float]:
    return {"mean": mean, "ci95_low": mean - half, "ci95_high": mean + half}


def test_findings_keep_what_is_significant_headline_first_and_count_the_rest() -> None:
    every = list(HEADLINE_KPIS)
    quiet = {name: _entry(0.1, 1.0) for name in every}
    loud = {name: _entry(-5.0, 1.0) for name in every}
    comparison = {
        "baseline": "c_base",
        "scenarios": ["c_base", "c_loud", "c_quiet", "c_dated"],
        "differences": {
            "c_loud": loud,
            "c_quiet": quiet,
            "c_dated": {**quiet, CORE: _entry(-3.0, 1.0)},
        },
        "period_differences": {
            "c_dated": [
                {"label": "start", "start_date": "2010-05-31", "differences": loud},
                {
                    "label": "Re-organisation",
                    "start_date": "2010-09-01",
                    "differences": {**quiet, UNQUALIFIED: _entry(-20.0, 5.0)},
                },
            ]
        },
    }
    loud_found, quiet_found, dated_found = comparison_findings(comparison)
    assert [f.kpi for f in loud_found.findings] == every[:MAX_FINDINGS]
    assert loud_found.more == len(every) - MAX_FINDINGS
    assert loud_found.more_text == (
        f"and {len(every) - MAX_FINDINGS} more differences whose 95% interval leaves out 0."
    )
    assert loud_found.findings[0].sentence.startswith("Loud lowers ")
    assert not quiet_found.findings and not quiet_found.more
    assert quiet_found.nothing == (
        "Quiet makes no clear difference to any headline KPI: every 95% interval includes 0."
    )
    # The period before the first change is not a finding: the periods after changes are.
    assert [(f.kpi, f.period) for f in dated_found.findings] == [
        (CORE, None),
        (UNQUALIFIED, "Re-organisation"),
    ]
    assert [f.sentence for f in dated_found.findings] == [
        "Dated lowers core assessments within timescale by 3.0 points (95% CI 2.0 to 4.0) over "
        "the whole measured period.",
        "Dated lowers high-risk cases held by an unqualified worker by 20.0 points (95% CI 15.0 "
        "to 25.0) after Re-organisation on 1 September 2010.",
    ]


def test_one_replication_has_no_interval_and_so_no_finding() -> None:
    comparison = {
        "baseline": "base",
        "scenarios": ["base", "option"],
        "replications": 1,
        "differences": {"option": {CORE: {"mean": -4.0, "ci95_low": None, "ci95_high": None}}},
    }
    (found,) = comparison_findings(comparison)
    assert not found.findings
    assert found.nothing == (
        "Option: with one replication there is no interval, so no difference can be told apart "
        "from chance."
    )
    assert difference_sentence("Option", CORE, {"mean": -4.0}) == (
        "Option lowers core assessments within timescale by 4.0 points (one replication: no "
        "interval)."
    )


# -------------------------------------------------------------------------- dated changes


def test_the_restructures_dated_change_in_words_with_values_before_and_after() -> None:
    scenario = load_scenario(SCENARIOS / "county_2010_restructure_sept.toml")
    (change,) = dated_changes(scenario)
    assert change.date == dt.date(2010, 9, 1)
    assert change.heading == "1 September 2010: Re-organisation"
    assert change.settling == ("everyone's productivity is 10% lower for its first 40 working days")
    lines = change.lines()
    assert lines[0] == (
        "1 September 2010: Re-organisation (everyone's productivity is 10% lower for its first "
        "40 working days)"
    )
    for line in (
        "Social work assistants holding child protection work: only co-worked \u2192 may not hold",
        "Social work assistants holding immediate risk work: only co-worked \u2192 may not hold",
        f"How referrals are allocated: {JOINT} \u2192 {SKILL}",
        "North team: work it holds: immediate risk, child protection, child in need \u2192 "
        "child protection, child in need",
        "Immediate response team: work it holds: immediate risk, child protection; posts: 6 "
        "social workers, 2 senior practitioners, 1 team manager (new)",
    ):
        assert line in lines, line
    (posts,) = [f for f in change.fields if f.path == "workforce.teams.north.staff"]
    assert posts.label == "North team: posts"
    assert "13 social workers" in posts.before and "10 social workers" in posts.after
    assert not [line for line in lines if re.search(r"[{}\[\]\"]", line)], "no JSON"


def test_a_later_change_starts_from_the_value_the_earlier_one_left() -> None:
    scenario = small_county(
        "timeline=["
        '{ date = 2010-05-03, label = "Fewer", changes = { "workforce.teams.north.staff.sw" '
        "= 2 } }, "
        '{ date = 2010-06-01, label = "More", changes = { "workforce.teams.north.staff.sw" '
        "= 5 } }]"
    )
    first, second = dated_changes(scenario)
    assert [f.text for f in first.fields] == ["North team: social workers (posts): 3 \u2192 2"]
    assert [f.text for f in second.fields] == ["North team: social workers (posts): 2 \u2192 5"]
    assert first.settling == second.settling == ""


def test_an_options_fields_in_words_leave_out_names_and_timelines() -> None:
    baseline = {
        "name": "a",
        "workforce": {"allocation": {"policy": "joint"}, "teams": {"north": {"staff": {"sw": 3}}}},
        "timeline": [],
    }
    option = {
        "name": "b",
        "workforce": {"allocation": {"policy": "skill_matched"}, "teams": {"north": {}}},
        "timeline": [{"date": "2010-05-01"}],
    }
    assert [f.text for f in field_changes(baseline, option)] == [
        f"How referrals are allocated: {JOINT} \u2192 {SKILL}",
        "North team: social workers (posts): 3 \u2192 \u2014",
    ]


# ------------------------------------------------------------------- the report's board


def test_the_compare_report_opens_with_the_board(dated_comparison: dict[str, Any]) -> None:
    html = dated_comparison["html"]
    comparison = dated_comparison["comparison"]
    assert html.index('<section id="board">') < html.index('<section id="summary">')
    board = section(html, "board")
    assert board.startswith("For the board What was compared ")
    folder = ResultsFolder(dated_comparison["folder"])
    baseline = folder.run("small_plain")
    for sentence in compared_sentences(
        comparison, baseline.summary, baseline.scenario.simulation.start_date
    ):
        assert sentence in board, sentence
    assert "Small plain, the baseline, against one option: Small dated." in board
    assert "Each was run 3 times for 150 days from 1 April 2010" in board
    assert "common random numbers, seed 20100706" in board
    assert "<h1>Small plain and 1 option</h1>" in html


def test_the_board_says_what_changes_with_95_percent_confidence(
    dated_comparison: dict[str, Any],
) -> None:
    html = dated_comparison["html"]
    comparison = dated_comparison["comparison"]
    (found,) = comparison_findings(comparison)
    assert found.findings, "the re-organisation changes something with 95% confidence"
    assert texts(html, "ul", "findings") == [
        " ".join([*(f.sentence for f in found.findings), found.more_text]).strip()
    ]
    differences = comparison["differences"]["small_dated"]
    (periods,) = comparison["period_differences"].values()
    for finding in found.findings:
        entries = differences if finding.period is None else periods[-1]["differences"]
        low, high = entries[finding.kpi]["ci95_low"], entries[finding.kpi]["ci95_high"]
        assert low > 0 or high < 0, finding.sentence
        assert KPIS[finding.kpi].plain in finding.sentence
    # What is not significant is not a finding.
    quiet = [n for n in HEADLINE_KPIS if n in differences and not _excludes_0(differences[n])]
    assert quiet
    assert not [f for f in found.findings if f.period is None and f.kpi in quiet]
    # After the re-organisation, assistants hold no high-risk work: said with its interval.
    entry = periods[-1]["differences"][UNQUALIFIED]
    assert entry["ci95_high"] < 0
    sentence = (
        f"Dated lowers high-risk cases held by an unqualified worker by {-entry['mean']:.1f} "
        f"points (95% CI {-entry['ci95_high']:.1f} to {-entry['ci95_low']:.1f}) after "
        "Re-organisation on 17 May 2010."
    )
    assert sentence in section(html, "board")


def _excludes_0(entry: dict[str, Any]) -> bool:
    low, high = entry.get("ci95_low"), entry.get("ci95_high")
    return low is not None and high is not None and (low > 0 or high < 0)


def test_the_board_lists_dated_changes_as_lines_without_json(
    dated_comparison: dict[str, Any],
) -> None:
    html = dated_comparison["html"]
    assert (
        texts(html, "p", "dated-change")
        == [
            "12 April 2010: New allocation rules",
            "17 May 2010: Re-organisation (everyone's productivity is 15% lower for its first 5 "
            "working days)",
        ]
        * 2
    )  # under the board, and under what the option changes
    # One list of fields per dated change, each field by its label: value before -> after.
    assert (
        texts(html, "ul", "changes")
        == [
            f"How referrals are allocated: {JOINT} \u2192 {SKILL}",
            "North team: social workers (posts): 13 \u2192 4",
        ]
        * 2
    )
    changes = section(html, "summary")
    assert "What each option changes from the baseline" in changes
    assert "Nothing from the start of the run." in changes
    for text in (section(html, "board"), changes):
        assert not re.search(r"[{}\[\]\"]", text), "no JSON in the changes"
        assert "workforce." not in text, "fields by their labels, not their paths"


def test_kpi_identifiers_are_in_the_appendix_only(dated_comparison: dict[str, Any]) -> None:
    for html in (dated_comparison["html"], dated_comparison["run_html"]):
        body, appendix = html.split('<section id="appendix">')
        assert "<h2>Appendix: every KPI</h2>" in appendix
        assert 'class="kpi-id"' not in body
        assert 'class="kpi-id"' in appendix
        visible = " ".join(section(html, name) for name in ("board", "summary", "kpis", "periods"))
        for name in KPIS:
            assert name not in visible, name
        appendix_text = section(html, "appendix")
        for name in json.loads((dated_comparison["run"] / "summary.json").read_text())["kpis"]:
            assert name in appendix_text, name


def test_the_run_report_opens_with_readings_and_dated_changes(
    dated_comparison: dict[str, Any],
) -> None:
    html = dated_comparison["run_html"]
    run = ResultsFolder(dated_comparison["run"])
    board = section(html, "board")
    assert board.startswith("For the board What was run Small dated was run 3 times for 150 days")
    readings = headline_readings(run.summary["kpis"], run.scenario)
    assert len(readings) == len([n for n in HEADLINE_KPIS if n in run.summary["kpis"]])
    # The scenario has costs: what the staff cost follows the headline readings.
    costs = cost_readings(run.summary["kpis"], run.scenario)
    assert len(costs) == 3 and costs[0].startswith("The front door's staff cost about £")
    assert texts(html, "ul", "readings") == [" ".join(readings + costs)]
    assert any("(95% CI " in reading for reading in readings)
    assert "17 May 2010: Re-organisation" in board
    assert "North team: social workers (posts): 13 \u2192 4" in board
    assert "<h1>Small dated: scenario results</h1>" in html
