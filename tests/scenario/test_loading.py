"""Scenario files and ``--set`` overrides: bad input is a clear message and exit code 2.

Every problem must raise a :class:`ScenarioError` naming the file, the field path and what is
allowed, and ``caseload-sim`` must turn it into exit code 2 with the message on stderr, never a
traceback. The positive tests pin the bundled scenarios, overrides, ``base =`` inheritance, the
TOML round trip and the JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import tomli_w

from caseload_sim.scenario.loading import ScenarioError, load_scenario, scenario_to_toml
from caseload_sim.scenario.schema import Scenario
from conftest import SCENARIOS
from conftest import run_cli_captured as run_cli

BASELINE = SCENARIOS / "county_2010_baseline.toml"
NO_JOINT = SCENARIOS / "county_2010_no_joint_allocation.toml"
PLUS_10 = SCENARIOS / "county_2010_plus_10_social_workers.toml"
BUNDLED = sorted(SCENARIOS.rglob("*.toml"))

STAFF_FIELDS = "nqsw, sp, sw, swa, tm"
DEMAND_FIELDS = (
    "complexity_shares, complexity_weights, contacts_per_working_day, contacts_per_year, "
    "month_profile, out_of_hours_share, re_referral_probability, re_referral_window_days, "
    "referral_conversion, tier_mix, weekday_profile"
)
TOP_LEVEL_FIELDS = (
    "costs, demand, description, initial_caseload, name, partners, pathway, simulation, "
    "timeline, workforce"
)


# ------------------------------------------------------------------------------------- helpers


def on_baseline(folder: Path, body: str, name: str = "scenario.toml") -> Path:
    """A scenario file in ``folder`` that changes the baseline by ``body`` (TOML)."""
    path = folder / name
    path.write_text(f"base = {json.dumps(str(BASELINE))}\n{body}", encoding="utf-8")
    return path


def assert_bad_input(
    capsys: pytest.CaptureFixture[str],
    path: Path | None,
    *expected: str,
    overrides: tuple[str, ...] = (),
) -> str:
    """``load_scenario`` raises a ScenarioError containing every expected fragment, and
    ``caseload-sim check`` exits 2 with the same message on stderr and no traceback."""
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path, list(overrides))
    message = str(raised.value)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert "Traceback" not in message

    sets = [arg for text in overrides for arg in ("--set", text)]
    code, out, err = run_cli(capsys, "check", str(path if path is not None else BASELINE), *sets)
    assert code == 2, (out, err)
    assert message in err
    assert err.startswith("caseload-sim: ")
    assert "Traceback" not in out + err
    assert "internal error" not in err
    return message


# ---------------------------------------------------------------------------- unreadable files


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "no_such_scenario.toml"
    assert_bad_input(capsys, path, str(path), "no such file")


def test_a_folder_is_not_a_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_bad_input(capsys, tmp_path, str(tmp_path), "is a folder", "scenario file (.toml)")


def test_toml_syntax_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\n[demand\ncontacts_per_year = 100\n', encoding="utf-8")
    assert_bad_input(capsys, path, str(path), "TOML syntax error", "line 2")


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("  \n\n", encoding="utf-8")
    assert_bad_input(capsys, path, str(path), "empty", "needs at least a name")


def test_binary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(b'name = "x"\n\x00\x01\x02\xff\xfe')
    assert_bad_input(capsys, path, str(path), "not a text file", "TOML text file")


def test_non_utf8_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "Café du Nord"\n'.encode("latin-1"))
    assert_bad_input(capsys, path, str(path), "not UTF-8", "save the scenario as UTF-8")


# ------------------------------------------------------------------------------ unknown fields


def test_unknown_top_level_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, 'nmae = "typo"\n')
    assert_bad_input(
        capsys,
        path,
        f"{path}: nmae: unknown field",
        "(did you mean 'name'?)",
        f"allowed here: {TOP_LEVEL_FIELDS}",
    )


def test_bad_costs_name_the_field_and_what_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = on_baseline(tmp_path, "[costs.salary]\nsw = -100\n[costs.agency_day_rate]\ntm = 300\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: costs.salary.sw: allowed: greater than or equal to 0 (got -100)",
        f"{path}: costs.agency_day_rate.tm: unknown field; allowed here: nqsw, sp, sw, swa",
    )


def test_unknown_nested_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, "[demand]\ncontacts_per_wd = 3\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: demand.contacts_per_wd: unknown field",
        "(did you mean 'contacts_per_",
        f"allowed here: {DEMAND_FIELDS}",
    )


def test_unknown_field_in_a_named_team(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # workforce.teams is a table of named teams: the allowed list must come from the Team model
    # below the team's name, not be empty.
    path = on_baseline(tmp_path, "[workforce.teams.north.staff]\nsww = 14\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: workforce.teams.north.staff.sww: unknown field",
        "(did you mean 'sw'?)",
        f"allowed here: {STAFF_FIELDS}",
    )


def test_unknown_field_in_a_team(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, "[workforce.teams.north]\ntiers_taken = []\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: workforce.teams.north.tiers_taken: unknown field",
        "allowed here: staff, tiers",
    )


# ------------------------------------------------------------------------- values out of range


def test_wrong_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, '[demand]\nreferral_conversion = "a quarter"\n')
    assert_bad_input(
        capsys,
        path,
        f"{path}: demand.referral_conversion:",
        "allowed: a valid number",
        "(got 'a quarter')",
    )


def test_negative_staff_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, "[workforce.teams.north]\nstaff = { sw = -1 }\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: workforce.teams.north.staff.sw:",
        "allowed: greater than or equal to 0",
        "(got -1)",
    )


def test_negative_rate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, "[demand]\ncontacts_per_year = -22000\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: demand.contacts_per_year:",
        "allowed: greater than 0",
        "(got -22000)",
    )


def test_negative_effort(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, "[pathway.effort.s47_enquiry]\nmean_hours = -6.0\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: pathway.effort.s47_enquiry.mean_hours:",
        "allowed: greater than or equal to 0",
    )


def test_probability_above_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, "[pathway]\nicpc_probability = 1.35\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: pathway.icpc_probability:",
        "allowed: less than or equal to 1",
        "(got 1.35)",
    )


def test_probability_below_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, "[workforce.allocation]\noversight_fraction = -0.1\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: workforce.allocation.oversight_fraction:",
        "allowed: greater than or equal to 0",
    )


def test_tier_shares_must_sum_to_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, "[demand.tier_mix]\nimmediate_risk = 0.5\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: demand.tier_mix:",
        "the tier shares must sum to 1",
        "they sum to 1.44",
        "immediate_risk = 0.5",
    )


def test_outcome_shares_must_sum_to_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, "[pathway.after_first_assessment.child_in_need]\nnfa = 0.1\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: pathway.after_first_assessment.child_in_need:",
        "the outcome shares must sum to 1",
        "nfa = 0.1",
    )


def test_literal_field_lists_the_allowed_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = on_baseline(tmp_path, '[pathway]\nregime = "wt2013"\n')
    assert_bad_input(
        capsys, path, f"{path}: pathway.regime:", "'wt2010' or 'single_assessment'", "'wt2013'"
    )


# ---------------------------------------------------------------------- incoherent scenarios


def test_a_tier_nobody_may_hold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "assistants_only.toml"
    path.write_text(
        'name = "assistants only"\n'
        "[demand]\ncontacts_per_year = 5000\n"
        "[workforce.teams.only]\nstaff = { swa = 6, tm = 1 }\n"
        '[workforce.eligibility.swa]\nimmediate_risk = "no"\nchild_protection = "no"\n',
        encoding="utf-8",
    )
    assert_bad_input(
        capsys,
        path,
        str(path),
        "no worker may hold immediate_risk referrals",
        "demand.tier_mix.immediate_risk > 0",
        "eligibility is 'hold'",
    )


def test_child_protection_held_by_nobody(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "no_cp_holder.toml"
    path.write_text(
        'name = "no child protection holder"\n'
        "[demand]\ncontacts_per_year = 5000\n"
        "[demand.tier_mix]\nimmediate_risk = 0.0\nchild_protection = 0.3\n"
        "child_in_need = 0.6\ndisabled_child = 0.1\n"
        "[workforce.teams.only]\nstaff = { swa = 6, tm = 1 }\n"
        '[workforce.eligibility.swa]\nimmediate_risk = "no"\nchild_protection = "no"\n',
        encoding="utf-8",
    )
    assert_bad_input(
        capsys,
        path,
        str(path),
        "no worker may hold child_protection referrals",
        "demand.tier_mix.child_protection > 0",
        "caseload_cap is above 0",
    )


def test_warmup_must_be_shorter_than_horizon(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = on_baseline(tmp_path, "[simulation]\nhorizon_days = 100\nwarmup_days = 100\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: simulation:",
        "warmup_days (100) must be less than horizon_days (100)",
    )


def test_both_contact_rates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, "[demand]\ncontacts_per_working_day = 85\n")
    assert_bad_input(
        capsys,
        path,
        f"{path}: demand:",
        "give exactly one of contacts_per_working_day or contacts_per_year",
    )


def test_neither_contact_rate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "no_rate.toml"
    path.write_text('name = "x"\n[demand]\nreferral_conversion = 0.25\n', encoding="utf-8")
    assert_bad_input(
        capsys, path, f"{path}: demand:", "give exactly one of contacts_per_working_day"
    )


def test_core_assessment_under_single_assessment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = on_baseline(tmp_path, '[pathway]\nregime = "single_assessment"\n')
    assert_bad_input(
        capsys,
        path,
        f"{path}: pathway:",
        "after_first_assessment.child_protection.core is 0.12",
        "single_assessment regime has no core assessment: set it to 0",
    )


def test_fractional_working_days_on_the_england_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = on_baseline(tmp_path, "[pathway.timescales]\ninitial_assessment_wd = 7.5\n")
    assert_bad_input(
        capsys,
        path,
        str(path),
        "pathway.timescales.initial_assessment_wd is 7.5",
        "must be whole numbers",
        "continuous calendar",
    )


def test_fractional_working_days_allowed_on_the_continuous_calendar(tmp_path: Path) -> None:
    path = on_baseline(
        tmp_path,
        "[demand]\nout_of_hours_share = 0.0\n"
        "[pathway.timescales]\ninitial_assessment_wd = 7.5\n"
        '[simulation]\ncalendar = "continuous"\n',
    )
    assert load_scenario(path).pathway.timescales.initial_assessment_wd == 7.5


# ---------------------------------------------------------------------------------- overrides


def test_unknown_set_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert_bad_input(
        capsys,
        None,
        "--set 'simulation.sede=7'",
        "simulation has no field 'sede'",
        "(did you mean 'seed'?)",
        "allowed: block_hours, calendar,",
        overrides=("simulation.sede=7",),
    )


def test_unknown_set_team(capsys: pytest.CaptureFixture[str]) -> None:
    assert_bad_input(
        capsys,
        None,
        "workforce.teams has no field 'nrth'",
        "(did you mean 'north'?)",
        "allowed: disabled_children, north, south",
        overrides=("workforce.teams.nrth.staff.sw=20",),
    )


def test_set_without_equals(capsys: pytest.CaptureFixture[str]) -> None:
    assert_bad_input(
        capsys,
        None,
        "--set 'simulation.seed'",
        "expected dotted.path=value",
        overrides=("simulation.seed",),
    )


def test_set_with_an_empty_path_part(capsys: pytest.CaptureFixture[str]) -> None:
    assert_bad_input(
        capsys, None, "simulation..seed", "has an empty part", overrides=("simulation..seed=7",)
    )


def test_set_below_a_single_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert_bad_input(
        capsys,
        None,
        "simulation.seed is a single value, not a table",
        overrides=("simulation.seed.low=7",),
    )


def test_set_with_a_bad_value_type(capsys: pytest.CaptureFixture[str]) -> None:
    assert_bad_input(
        capsys,
        None,
        f"{BASELINE} with --set simulation.seed=abc",
        "simulation.seed:",
        "allowed: a valid integer",
        "(got 'abc')",
        overrides=("simulation.seed=abc",),
    )


def test_set_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    assert_bad_input(
        capsys,
        None,
        "demand.referral_conversion:",
        "allowed: less than or equal to 1",
        overrides=("demand.referral_conversion=1.2",),
    )


# ----------------------------------------------------------------------------- base inheritance


def test_missing_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "option.toml"
    path.write_text('base = "no_such_baseline.toml"\nname = "option"\n', encoding="utf-8")
    assert_bad_input(
        capsys,
        path,
        f"{path}: base:",
        "no such scenario file 'no_such_baseline.toml'",
        str(tmp_path / "no_such_baseline.toml"),
    )


def test_a_bare_base_name_not_beside_the_file_is_the_bundled_scenario(tmp_path: Path) -> None:
    path = tmp_path / "downloaded.toml"
    path.write_text(
        'base = "county_2010_baseline.toml"\n[workforce.teams.north.staff]\nsw = 14\n',
        encoding="utf-8",
    )
    expected = load_scenario(
        SCENARIOS / "county_2010_baseline.toml", ["workforce.teams.north.staff.sw=14"]
    )
    assert load_scenario(path) == expected
    from caseload_sim.scenario.loading import source_files

    assert source_files(path) == [(SCENARIOS / "county_2010_baseline.toml").resolve(), path]


def test_a_file_beside_wins_over_the_bundled_scenario_of_that_name(tmp_path: Path) -> None:
    (tmp_path / "county_2010_baseline.toml").write_text('name = "mine"\n', encoding="utf-8")
    path = tmp_path / "option.toml"
    path.write_text('base = "county_2010_baseline.toml"\n', encoding="utf-8")
    assert load_scenario(path).name == "mine"


def test_base_that_is_not_a_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "option.toml"
    path.write_text('base = 3\nname = "option"\n', encoding="utf-8")
    assert_bad_input(capsys, path, f"{path}: base:", "allowed: a path to a scenario file")


def test_base_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "first.toml"
    second = tmp_path / "second.toml"
    first.write_text('base = "second.toml"\nname = "first"\n', encoding="utf-8")
    second.write_text('base = "first.toml"\nname = "second"\n', encoding="utf-8")
    message = assert_bad_input(capsys, first, "base:", "a cycle", "first.toml")
    assert str(second) in message


def test_base_is_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "self.toml"
    path.write_text('base = "self.toml"\nname = "self"\n', encoding="utf-8")
    assert_bad_input(capsys, path, f"{path}: base: 'self.toml'", "a cycle")


def test_error_in_the_base_names_the_base_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = tmp_path / "parent.toml"
    parent.write_text('name = "parent"\n[demand\n', encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('base = "parent.toml"\nname = "child"\n', encoding="utf-8")
    assert_bad_input(capsys, child, f"{parent}: TOML syntax error")


# ------------------------------------------------------------------------------ valid scenarios


def test_the_bundled_scenarios_are_found() -> None:
    names = {path.name for path in BUNDLED}
    assert {
        "county_2010_baseline.toml",
        "county_2010_no_joint_allocation.toml",
        "county_2010_plus_10_social_workers.toml",
        "mmc.toml",
    } <= names


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.stem)
def test_each_bundled_scenario_loads(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert Scenario.model_validate(scenario.model_dump()) == scenario
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 0, err
    assert f"valid scenario {scenario.name!r}" in out
    assert err == ""


def test_the_default_is_the_baseline() -> None:
    assert load_scenario(None) == load_scenario(BASELINE)
    assert load_scenario(None).name == "county_2010_baseline"


def test_check_a_valid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = on_baseline(tmp_path, 'name = "mine"\n[workforce.teams.north.staff]\nsw = 12\n')
    code, out, err = run_cli(capsys, "check", str(path))
    assert (code, err) == (0, "")
    assert out.strip() == f"{path}: valid scenario 'mine'"


def test_check_with_overrides(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "check", str(BASELINE), "--set", "workforce.teams.north.staff.sw=20"
    )
    assert (code, err) == (0, "")
    assert "valid scenario" in out


def test_set_overrides_apply() -> None:
    baseline = load_scenario(None)
    changed = load_scenario(
        None,
        [
            "workforce.teams.north.staff.sw=20",
            "simulation.start_date=2011-04-01",
            "pathway.regime='wt2010'",
            "name=option A",
            "demand.complexity_shares.0=0.3",
            "demand.complexity_shares.1=0.45",
        ],
    )
    assert changed.workforce.teams["north"].staff.sw == 20
    assert changed.workforce.teams["north"].staff.sp == baseline.workforce.teams["north"].staff.sp
    assert changed.workforce.teams["south"] == baseline.workforce.teams["south"]
    assert changed.simulation.start_date == dt.date(2011, 4, 1)
    assert isinstance(changed.simulation.start_date, dt.date)
    assert changed.name == "option A"
    assert changed.demand.complexity_shares == [0.3, 0.45, 0.25]
    assert baseline.workforce.teams["north"].staff.sw == 13  # the original is untouched


def test_set_a_whole_table() -> None:
    changed = load_scenario(None, ["workforce.teams.north.staff={ tm = 1, sw = 4 }"])
    staff = changed.workforce.teams["north"].staff
    assert (staff.tm, staff.sp, staff.sw, staff.nqsw, staff.swa) == (1, 0, 4, 0, 0)


def test_set_daily_rate_clears_the_annual_rate() -> None:
    assert load_scenario(None).demand.contacts_per_year == 22_000
    changed = load_scenario(None, ["demand.contacts_per_working_day=90"])
    assert changed.demand.contacts_per_working_day == 90
    assert changed.demand.contacts_per_year is None


def test_set_annual_rate_clears_the_daily_rate() -> None:
    mmc = SCENARIOS / "validation" / "mmc.toml"
    changed = load_scenario(mmc, ["demand.contacts_per_year=3000"])
    assert changed.demand.contacts_per_year == 3000
    assert changed.demand.contacts_per_working_day is None


def test_the_last_override_wins() -> None:
    changed = load_scenario(None, ["simulation.seed=1", "simulation.seed=2"])
    assert changed.simulation.seed == 2


def test_base_merges_tables_key_by_key() -> None:
    baseline = load_scenario(BASELINE)
    plus_10 = load_scenario(PLUS_10)
    assert plus_10.name == "county_2010_plus_10_social_workers"
    for team in ("north", "south"):
        staff = plus_10.workforce.teams[team].staff
        before = baseline.workforce.teams[team].staff
        assert staff.sw == before.sw + 5 == 18
        assert (staff.tm, staff.sp, staff.nqsw, staff.swa) == (
            before.tm,
            before.sp,
            before.nqsw,
            before.swa,
        )
        assert plus_10.workforce.teams[team].tiers == baseline.workforce.teams[team].tiers
    assert (
        plus_10.workforce.teams["disabled_children"]
        == baseline.workforce.teams["disabled_children"]
    )
    assert plus_10.demand == baseline.demand
    assert plus_10.pathway == baseline.pathway
    assert plus_10.simulation == baseline.simulation


def test_base_keeps_the_rest_of_a_changed_table() -> None:
    baseline = load_scenario(BASELINE)
    option = load_scenario(NO_JOINT)
    swa = option.workforce.eligibility.swa
    assert (swa.immediate_risk, swa.child_protection) == ("no", "no")
    assert (swa.child_in_need, swa.disabled_child) == ("hold", "hold")
    assert option.workforce.allocation.policy == "skill_matched"
    assert option.workforce.allocation.cap_mode == baseline.workforce.allocation.cap_mode
    assert option.workforce.eligibility.nqsw == baseline.workforce.eligibility.nqsw


def test_base_relative_to_the_file_and_chained(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    middle = on_baseline(tmp_path, "[workforce.teams.south.staff]\nsp = 4\n", "middle.toml")
    top = tmp_path / "sub" / "top.toml"
    top.write_text(
        f'base = "../{middle.name}"\nname = "top"\n[workforce.teams.south.staff]\nsw = 13\n',
        encoding="utf-8",
    )
    staff = load_scenario(top).workforce.teams["south"].staff
    assert (staff.tm, staff.sp, staff.sw, staff.nqsw, staff.swa) == (2, 4, 13, 3, 5)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.stem)
def test_scenario_to_toml_round_trips(path: Path, tmp_path: Path) -> None:
    scenario = load_scenario(path)
    written = tmp_path / "resolved.toml"
    written.write_text(scenario_to_toml(scenario), encoding="utf-8")
    assert load_scenario(written) == scenario


def test_scenario_to_toml_round_trips_with_overrides(tmp_path: Path) -> None:
    scenario = load_scenario(
        None, ["demand.contacts_per_working_day=87.5", "simulation.start_date=2011-04-01"]
    )
    written = tmp_path / "resolved.toml"
    written.write_text(scenario_to_toml(scenario), encoding="utf-8")
    again = load_scenario(written)
    assert again == scenario
    assert again.demand.contacts_per_year is None


def test_schema_prints_json_with_bounds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "schema")
    assert (code, err) == (0, "")
    schema = json.loads(out)
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(TOP_LEVEL_FIELDS.split(", "))
    definitions = schema["$defs"]
    conversion = definitions["Demand"]["properties"]["referral_conversion"]
    assert (conversion["minimum"], conversion["maximum"]) == (0, 1)
    assert definitions["StaffCounts"]["properties"]["sw"]["minimum"] == 0
    assert definitions["Simulation"]["properties"]["horizon_days"]["exclusiveMinimum"] == 0
    assert definitions["Demand"]["additionalProperties"] is False


def test_bad_input_is_a_value_error() -> None:
    # Callers of the Python API may catch ValueError; ScenarioError is one.
    assert issubclass(ScenarioError, ValueError)


def test_tomli_w_writes_a_loadable_file(tmp_path: Path) -> None:
    # The helper the property tests rely on: the baseline's resolved data, written with tomli_w
    # and with None dropped, loads back as the baseline.
    data = load_scenario(None).model_dump(mode="python", exclude_none=True)
    path = tmp_path / "dumped.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    assert load_scenario(path) == load_scenario(None)
