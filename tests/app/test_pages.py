"""The pages' logic, through Streamlit's own testing API: what a planner sees and what each
widget changes, without a browser."""

from __future__ import annotations

import json
import time
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from caseload_sim.app.draft import Draft
from caseload_sim.scenario.loading import load_scenario, scenario_to_toml
from conftest import scenario_file

TIMEOUT = 120


def service_page() -> None:
    from caseload_sim.app.views import service

    service.page()


def run_page() -> None:
    from caseload_sim.app.views import run

    run.page()


def past_page() -> None:
    from caseload_sim.app.views import past

    past.page()


@pytest.fixture
def results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "results"
    monkeypatch.setenv("CASELOAD_SIM_APP_RESULTS", str(folder))
    return folder


def _until_done(at: AppTest, job_key: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while at.session_state[job_key] is not None and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    assert not at.exception


def small_draft(folder: Path) -> Draft:
    """A small county as an uploaded scenario file (the whole table, no base)."""
    path = scenario_file(folder, "small", horizon=40, warmup=10)
    text = scenario_to_toml(load_scenario(path))
    return Draft.uploaded("small.toml", text.encode())


def test_the_service_page_shows_the_default_scenario_by_its_title(results: Path) -> None:
    at = AppTest.from_function(service_page, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [h.value for h in at.header] == ["County 2010 baseline"]
    assert "Nothing yet" in " ".join(m.value for m in at.markdown)
    assert at.selectbox[0].value == "county_2010_baseline.toml"


def test_a_lever_changed_is_a_change_of_the_draft_and_of_the_download(results: Path) -> None:
    at = AppTest.from_function(service_page, default_timeout=TIMEOUT).run()
    duty = next(n for n in at.number_input if n.label.startswith("Duty workers"))
    duty.set_value(10).run()
    assert not at.exception
    draft: Draft = at.session_state["draft"]
    assert draft.changes == {"workforce": {"access_centre": {"duty_workers": 10}}}
    table = at.dataframe[-1].value
    assert table.to_dict("records") == [
        {"What": "Duty workers screening contacts", "Was": "12 posts", "Now": "10 posts"}
    ]
    assert tomllib.loads(draft.to_toml())["workforce"] == {"access_centre": {"duty_workers": 10}}
    # Back to the base's value: no change left.
    duty.set_value(12).run()
    assert at.session_state["draft"].changes == {}


def test_demand_is_given_as_a_number_or_as_a_change_in_percent(results: Path) -> None:
    at = AppTest.from_function(service_page, default_timeout=TIMEOUT).run()
    contacts = next(n for n in at.number_input if n.label == "Contacts a year")
    before = contacts.value
    change = next(n for n in at.number_input if n.label.startswith("Or a change"))
    assert change.value == 0
    change.set_value(10.0).run()
    assert not at.exception
    now = round(before * 1.1)
    assert next(n for n in at.number_input if n.label == "Contacts a year").value == now
    assert at.session_state["draft"].changes == {"demand": {"contacts_per_year": now}}
    next(n for n in at.number_input if n.label == "Contacts a year").set_value(before // 2).run()
    change = next(n for n in at.number_input if n.label.startswith("Or a change"))
    assert change.value == round((before // 2 / before - 1) * 100, 1)


def test_a_mechanism_is_turned_on_with_its_main_figures(results: Path) -> None:
    at = AppTest.from_function(service_page, default_timeout=TIMEOUT).run()
    labels = [n.label for n in at.number_input]
    assert "Length of a supervision session (hours)" not in labels  # off in the baseline
    switch = next(t for t in at.toggle if t.label == "Supervision sessions modelled")
    assert switch.value is False
    switch.set_value(True).run()
    assert not at.exception
    session = next(n for n in at.number_input if n.label.startswith("Length of a supervision"))
    session.set_value(2.0).run()
    draft: Draft = at.session_state["draft"]
    assert draft.changes == {"workforce": {"supervision": {"enabled": True, "session_hours": 2.0}}}
    assert tomllib.loads(draft.to_toml())["workforce"]["supervision"]["enabled"] is True
    described = at.dataframe[-1].value.to_dict("records")
    assert {"What": "Supervision sessions modelled", "Was": "no", "Now": "yes"} in described
    assert draft.build().workforce.supervision.session_hours == 2.0


def test_what_the_staff_cost_is_a_lever_of_the_draft(results: Path) -> None:
    at = AppTest.from_function(service_page, default_timeout=TIMEOUT).run()
    assert "What the staff cost" in [h.value for h in at.subheader]
    salary = next(n for n in at.number_input if n.label == "Salary of a social worker (£ a year)")
    assert salary.value == 28_740
    salary.set_value(31_000.0).run()
    assert not at.exception
    draft: Draft = at.session_state["draft"]
    assert draft.changes == {"costs": {"salary": {"sw": 31_000.0}}}
    described = at.dataframe[-1].value.to_dict("records")
    assert {
        "What": "Salary of a social worker",
        "Was": "£28,740 a year",
        "Now": "£31,000 a year",
    } in described
    assert draft.build().costs.annual_cost("sw") == 31_000 * 1.25


def test_a_dated_change_is_added_shown_in_words_and_removed(results: Path) -> None:
    import datetime as dt

    at = AppTest.from_function(service_page, default_timeout=TIMEOUT).run()
    assert "None: the service stays as it is" in " ".join(m.value for m in at.markdown)
    at.date_input(key="change-date:0").set_value(dt.date(2010, 10, 1))
    at.text_input(key="change-label:0").set_value("More social workers")
    at.selectbox(key="change-field:0").set_value("workforce.teams.north.staff.sw")
    at.run()
    at.number_input(key="change-value:0:workforce.teams.north.staff.sw").set_value(15)
    at.button(key="change-add:0").click().run()
    assert not at.exception
    draft: Draft = at.session_state["draft"]
    assert draft.changes == {
        "timeline": [
            {
                "date": dt.date(2010, 10, 1),
                "label": "More social workers",
                "changes": {"workforce.teams.north.staff.sw": 15},
            }
        ]
    }
    scenario = draft.build()
    assert [entry.label for entry in scenario.timeline] == ["More social workers"]
    shown = " ".join(m.value for m in at.markdown)
    assert "**1 October 2010: More social workers**" in shown
    before = scenario.workforce.teams["north"].staff.sw  # the start of the run's
    assert f"- North team: social workers (posts): {before} \u2192 15" in shown
    assert {"What": "Dated changes", "Was": "0", "Now": "1"} in (
        at.dataframe[-1].value.to_dict("records")
    )
    # The download says exactly that, and comes back as the same scenario.
    again = Draft.uploaded("mine.toml", draft.to_toml().encode())
    assert again.build() == scenario
    # A second field at the same date and label joins the same change.
    at.selectbox(key="change-field:0").set_value("workforce.allocation.policy")
    at.run()
    at.button(key="change-add:0").click().run()
    (entry,) = at.session_state["draft"].changes["timeline"]
    assert set(entry["changes"]) == {
        "workforce.teams.north.staff.sw",
        "workforce.allocation.policy",
    }
    at.button(key="remove-change:0:0").click().run()
    assert at.session_state["draft"].changes == {}


def test_a_scenario_that_cannot_run_says_why_beside_the_lever_and_on_the_run_page(
    results: Path,
) -> None:
    draft = Draft.bundled("county_2010_baseline.toml")
    draft.set("workforce.grades.sw.fte", 1.5)
    at = AppTest.from_function(service_page, default_timeout=TIMEOUT)
    at.session_state["draft"] = draft
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("workforce.grades.sw.fte" in e and "cannot be run yet" in e for e in errors)
    assert any(e.startswith("county_2010_baseline.toml: workforce.grades.sw.fte") for e in errors)
    at = AppTest.from_function(run_page, default_timeout=TIMEOUT)
    at.session_state["draft"] = draft
    at.run()
    assert "cannot be run yet" in at.error[0].value
    assert not at.button


def test_a_run_shows_its_cards_from_its_summary_and_is_found_again(
    results: Path, tmp_path: Path
) -> None:
    at = AppTest.from_function(run_page, default_timeout=TIMEOUT)
    at.session_state["draft"] = small_draft(tmp_path)
    at.run()
    replications = next(n for n in at.number_input if n.label == "How many")
    replications.set_value(2)
    at.button[0].click().run()  # the form's Run
    _until_done(at, "job")
    shown = Path(at.session_state["shown"])
    summary = json.loads((shown / "summary.json").read_text())
    assert summary["replications"] == 2
    ia = summary["kpis"]["initial_assessment_within_timescale_pct"]
    texts = " ".join(m.value for m in at.markdown)
    assert f"About {ia['mean']:.0f} in 100 initial assessments" in texts
    assert f"(95% CI {ia['ci95_low']:.0f} to {ia['ci95_high']:.0f})" in texts
    assert at.metric[0].value == f"{ia['mean']:.1f}%"
    # Asked again: reopened, not run again.
    at.button[0].click().run()
    assert "run before with the same seed and replications" in at.info[0].value
    assert at.session_state["job"] is None
    # And listed under Past runs.
    past = AppTest.from_function(past_page, default_timeout=TIMEOUT).run()
    assert not past.exception
    assert past.dataframe[0].value["Run"].tolist() == ["Small"]


def test_a_run_larger_than_the_app_allows_is_refused_with_the_limit(results: Path) -> None:
    draft = Draft.bundled("county_2010_baseline.toml")
    draft.set("simulation.horizon_days", 5000)
    at = AppTest.from_function(run_page, default_timeout=TIMEOUT)
    at.session_state["draft"] = draft
    at.run()
    at.button[0].click().run()
    assert "at most 3,650 days" in at.error[0].value
    assert "job" not in at.session_state


def compare_page() -> None:
    from caseload_sim.app.views import compare

    compare.page()


def test_a_comparison_shows_each_difference_and_after_each_dated_change(
    results: Path, tmp_path: Path
) -> None:
    from conftest import TIMELINE_LINES, run_cli

    base = scenario_file(tmp_path, "base")
    option = scenario_file(tmp_path, "option", *TIMELINE_LINES)
    out = tmp_path / "compared"
    assert (
        run_cli("compare", str(base), str(option), "-r", "2", "--jobs", "1", "--out", str(out)) == 0
    )
    document = json.loads((out / "comparison.json").read_text())
    at = AppTest.from_function(compare_page, default_timeout=TIMEOUT)
    at.session_state["compared"] = out
    at.run()
    assert not at.exception
    overall, *periods, value = [frame.value for frame in at.dataframe]
    assert list(overall.columns) == ["KPI", "Base (baseline)", "Option"]
    ia = document["differences"]["option"]["initial_assessment_within_timescale_pct"]
    first = overall.iloc[0]
    assert first["KPI"] == "Initial assessments within timescale"
    assert first["Option"].startswith(f"{ia['mean']:+.1f} points ({ia['ci95_low']:.1f} to ")
    (after,) = periods
    assert list(after.columns)[1].startswith("New allocation rules (")
    assert list(after.columns)[2].startswith("Re-organisation (2010-05-17 to ")
    assert [m.value for m in at.markdown if "after each dated change" in m.value] == [
        "#### Option after each dated change"
    ]
    # The findings first, in the report's own sentences.
    from caseload_sim.report.findings import comparison_findings

    (found,) = comparison_findings(document)
    said = " ".join(m.value for m in at.markdown) + " ".join(t.value for t in at.text)
    for finding in found.findings:
        assert finding.sentence in said
    if not found.findings:
        assert found.nothing in " ".join(m.value for m in at.markdown)
    # The scenarios have costs: what the option costs, in the report's sentences and a table.
    from caseload_sim.report.value_for_money import value_findings

    (costs,) = value_findings(document)
    assert costs.sentences and all(sentence in said for sentence in costs.sentences)
    assert list(value.columns) == [
        "Option",
        "Staffing cost a year",
        "KPI",
        "Points gained",
        "Cost of a point",
    ]


def test_compare_asks_for_an_option_and_a_scenario_that_can_run(results: Path) -> None:
    at = AppTest.from_function(compare_page, default_timeout=TIMEOUT).run()
    at.multiselect[0].set_value([])
    at.button[0].click().run()
    assert "Choose at least one option" in at.error[0].value
    draft = Draft.bundled("county_2010_baseline.toml")
    draft.set("workforce.grades.sw.fte", 1.5)
    at = AppTest.from_function(compare_page, default_timeout=TIMEOUT)
    at.session_state["draft"] = draft
    at.run()
    at.button[0].click().run()
    assert "cannot be run yet" in at.error[0].value
    assert "compare_job" not in at.session_state or at.session_state["compare_job"] is None


def test_a_difference_reads_in_points_for_a_share_and_in_its_unit_otherwise() -> None:
    from caseload_sim.report.findings import difference_words as difference

    share = {"mean": 14.93, "ci95_low": 5.04, "ci95_high": 24.8}
    assert difference(share, "%") == "+14.9 points (5.0 to 24.8), significant"
    wait = {"mean": -0.31, "ci95_low": -0.9, "ci95_high": 0.2}
    assert difference(wait, "days") == "-0.31 days (-0.90 to 0.20)"
    assert difference({"mean": 3.0, "ci95_low": None, "ci95_high": None}, "count") == "+3"
    assert difference(None, "%") == "—"


def staffing_page() -> None:
    from caseload_sim.app.views import staffing

    staffing.page()


def test_a_staffing_search_gives_the_answer_in_words_and_each_level_run(
    results: Path, tmp_path: Path
) -> None:
    at = AppTest.from_function(staffing_page, default_timeout=TIMEOUT)
    at.session_state["draft"] = small_draft(tmp_path)
    at.run()
    assert not at.exception
    assert at.selectbox[0].value == "north" and at.selectbox[1].value == "sw"
    number = {n.label: n for n in at.number_input}
    number["From (posts)"].set_value(1)
    number["To (posts)"].set_value(6)
    number["Value"].set_value(20)
    number["How many"].set_value(2)
    at.button[0].click().run()  # the form's Search
    _until_done(at, "staffing_job")
    folder = Path(at.session_state["searched"])
    document = json.loads((folder / "staffing.json").read_text())
    assert document["targets"] == ["initial_assessment_within_timescale_pct>=20"]
    assert document["range"] == [1, 6]
    said = (at.success or at.warning)[0].value
    if document["met"]:
        answer = document["answer"]
        assert said.startswith(
            f"**{answer} social worker{'s' if answer != 1 else ''} in the North team** is the "
            "fewest that meets initial assessments within timescale at least 20%"
        )
        # The scenario has costs: what the answer's staff cost, in the report's words.
        from caseload_sim.report.value_for_money import answer_cost_words

        cost = answer_cost_words(document)
        assert cost.startswith(f"At {answer}, the staff cost about £")
        assert cost in [t.value for t in at.markdown]
    else:
        assert said.startswith("North team: social workers (posts): no value from 1 to 6")
    table = at.dataframe[0].value
    assert table["Posts"].tolist() == [str(v) for v in document["points_run"]]
    assert set(table["Met with 95% confidence"]) <= {"yes", "no"}
    # Kept, and listed with its answer under Past runs.
    past = AppTest.from_function(past_page, default_timeout=TIMEOUT).run()
    listed = past.dataframe[0].value
    assert listed["Kind"].tolist() == ["Staffing search"]
    assert listed["First figures"].iloc[0].startswith("Answer: ")
    assert "North team" in listed["First figures"].iloc[0]
    assert listed["Replications"].tolist() == ["2"]


def test_a_staffing_search_with_an_empty_range_is_refused(results: Path, tmp_path: Path) -> None:
    at = AppTest.from_function(staffing_page, default_timeout=TIMEOUT)
    at.session_state["draft"] = small_draft(tmp_path)
    at.run()
    number = {n.label: n for n in at.number_input}
    number["From (posts)"].set_value(9)
    number["To (posts)"].set_value(4)
    at.button[0].click().run()
    assert "it must be more than from (9)" in at.error[0].value
    number = {n.label: n for n in at.number_input}
    number["From (posts)"].set_value(0)
    number["To (posts)"].set_value(500)
    at.button[0].click().run()
    assert "at most 60 values" in at.error[0].value
    assert at.session_state["staffing_job"] is None if "staffing_job" in at.session_state else True


def test_automatic_replications_run_until_the_intervals_are_narrow(
    results: Path, tmp_path: Path
) -> None:
    at = AppTest.from_function(run_page, default_timeout=TIMEOUT)
    at.session_state["draft"] = small_draft(tmp_path)
    at.run()
    at.radio[0].set_value("Automatic")
    at.button[0].click().run()
    job = at.session_state["job"]
    assert job.request().replications == "auto"
    _until_done(at, "job")
    summary = json.loads((Path(at.session_state["shown"]) / "summary.json").read_text())
    assert summary["replication_choice"]["method"] != "fixed"
    assert summary["replications"] >= 2


def test_past_runs_lists_comparisons_and_reopens_them(results: Path, tmp_path: Path) -> None:
    from conftest import run_cli

    base = scenario_file(tmp_path, "base", horizon=40, warmup=10)
    option = scenario_file(tmp_path, "option", horizon=40, warmup=10)
    out = results / "kept"
    assert (
        run_cli("compare", str(base), str(option), "-r", "2", "--jobs", "1", "--out", str(out)) == 0
    )
    at = AppTest.from_function(past_page, default_timeout=TIMEOUT).run()
    assert not at.exception
    listed = at.dataframe[0].value
    assert listed["Kind"].tolist() == ["Comparison"]
    assert listed["Replications"].tolist() == ["2 of each"]
    assert listed["First figures"].iloc[0].startswith("Initial assessments within timescale: ")
    assert listed["First figures"].iloc[0].endswith("points with Option")
    # Reopened on the page of its kind: the table of differences.
    assert list(at.dataframe[1].value.columns) == ["KPI", "Base (baseline)", "Option"]


def test_no_run_starts_while_the_app_runs_as_many_as_it_allows(
    results: Path, tmp_path: Path
) -> None:
    import os

    from caseload_sim.app.jobs import JOBS, running_jobs
    from caseload_sim.app.limits import MAX_RUNNING

    for n in range(MAX_RUNNING):
        folder = results / JOBS / f"busy{n}"
        folder.mkdir(parents=True)
        (folder / "status.json").write_text('{"state": "running"}')
        (folder / "pid").write_text(str(os.getpid()))  # alive as long as the test runs
    assert running_jobs(results) == MAX_RUNNING
    at = AppTest.from_function(run_page, default_timeout=TIMEOUT)
    at.session_state["draft"] = small_draft(tmp_path)
    at.run()
    at.button[0].click().run()
    assert f"the app runs at most {MAX_RUNNING} at once" in at.error[0].value
    assert at.session_state["job"] is None if "job" in at.session_state else True
