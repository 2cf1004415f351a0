"""The levers: plain names, the schema's ranges, and changes recorded only where they differ."""

from __future__ import annotations

from caseload_sim.app import levers
from caseload_sim.app.draft import Draft
from caseload_sim.scenario.loading import load_scenario
from conftest import SCENARIOS


def baseline() -> dict:
    return load_scenario(SCENARIOS / "county_2010_baseline.toml").model_dump()


def test_ranges_come_from_the_schema() -> None:
    assert levers.bounds("workforce.teams.north.staff.sw") == (0, 10_000)
    assert levers.bounds("workforce.grades.sw.fte") == (0.0, 1.0)
    duty = levers.lever("workforce.access_centre.duty_workers")
    assert duty.help.startswith("Screening posts")
    assert (duty.label, duty.unit) == ("Duty workers screening contacts", "posts")


def test_every_mechanism_lever_has_a_label_a_range_and_a_kind() -> None:
    scenario = baseline()
    for mechanism in levers.mechanisms():
        if mechanism.switch is not None:
            assert isinstance(levers.value(scenario, mechanism.switch.path), bool)
        for figure in mechanism.figures:
            assert isinstance(levers.value(scenario, figure.path), int | float)
            assert figure.minimum is not None, figure.path
            assert figure.label and figure.unit, figure.path


def test_the_cost_levers_are_the_scenarios_costs_with_the_schemas_ranges() -> None:
    scenario = baseline()
    rows = levers.cost_levers(scenario)
    paths = [lever.path for row in rows for lever in row]
    assert paths[:6] == [f"costs.salary.{g}" for g in ("swa", "nqsw", "sw", "sp", "tm", "duty")]
    for lever in (lever for row in rows for lever in row):
        assert isinstance(levers.value(scenario, lever.path), float), lever.path
        assert lever.minimum == 0.0 and lever.maximum is not None, lever.path
        assert lever.label and lever.unit and lever.help, lever.path
    assert rows[0][2].label == "Salary of a social worker" and rows[0][2].unit == "£ a year"
    # A scenario without costs has no cost levers.
    assert levers.cost_levers({**scenario, "costs": None}) == []


def test_a_table_cell_back_at_its_base_value_is_no_change() -> None:
    scenario = baseline()
    draft = Draft.bundled("county_2010_baseline.toml")
    rows = levers.staff_rows(scenario)
    edited = [dict(row) for row in rows]
    edited[0]["sw"] = 14
    for path, new, before in levers.table_cells("staff", rows, edited):
        levers.sync(draft, path, new, before)
    assert draft.changed() == ["workforce.teams.north.staff.sw"]
    assert isinstance(draft.changes["workforce"]["teams"]["north"]["staff"]["sw"], int)
    for path, new, before in levers.table_cells("staff", rows, rows):
        levers.sync(draft, path, new, before)
    assert draft.changed() == []


def test_who_may_hold_which_work_maps_to_the_eligibility_table() -> None:
    scenario = baseline()
    draft = Draft.bundled("county_2010_baseline.toml")
    rows = levers.eligibility_rows(scenario)
    edited = [dict(row) for row in rows]
    swa = next(row for row in edited if row["grade"] == "swa")
    swa["child_protection"] = "no"
    for path, new, before in levers.table_cells("eligibility", rows, edited):
        levers.sync(draft, path, new, before)
    assert draft.build().workforce.eligibility.swa.child_protection == "no"


def test_changes_are_described_in_a_planners_words() -> None:
    scenario = baseline()
    draft = Draft.bundled("county_2010_baseline.toml")
    draft.set("workforce.teams.disabled_children.staff.sw", 4)
    draft.set("workforce.allocation.policy", "skill_matched")
    draft.set("workforce.case_weights.child_protection", 8.0)
    described = levers.describe_changes(draft, scenario)
    assert described[0] == {
        "What": "Disabled children team: social workers (posts)",
        "Was": "3",
        "Now": "4",
    }
    assert described[1]["What"] == "How referrals are allocated"
    assert described[1]["Was"].startswith("jointly")
    assert described[2]["What"] == "Child protection: caseload points a case counts for"


def test_the_demand_lever_follows_the_unit_the_scenario_uses() -> None:
    assert levers.demand_lever(baseline()).path == "demand.contacts_per_year"
    per_day = load_scenario(SCENARIOS / "validation" / "mmc.toml").model_dump()
    assert levers.demand_lever(per_day).path == "demand.contacts_per_working_day"
