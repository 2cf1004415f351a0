"""The draft a planner edits: built as a file on disk would be, and written back as a file that
says only what changed and comes back as the same scenario."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseload_sim.app.draft import MAX_SCENARIO_BYTES, Draft, bundled_scenarios
from caseload_sim.scenario.loading import SCENARIO_DIR, ScenarioError, load_scenario


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda path: path.name)
def test_a_bundled_draft_is_the_bundled_scenario(path) -> None:
    assert Draft.bundled(path.name).build() == load_scenario(path)


def test_a_change_is_the_same_as_set_on_the_command_line() -> None:
    draft = Draft.bundled("county_2010_baseline.toml")
    draft.set("workforce.teams.north.staff.sw", 14)
    draft.set("demand.contacts_per_year", 24_000.0)
    expected = load_scenario(
        SCENARIO_DIR / "county_2010_baseline.toml",
        ["workforce.teams.north.staff.sw=14", "demand.contacts_per_year=24000"],
    )
    assert draft.build() == expected
    assert draft.changed() == ["workforce.teams.north.staff.sw", "demand.contacts_per_year"]


def test_taking_back_a_change_leaves_no_empty_table() -> None:
    draft = Draft.bundled("county_2010_baseline.toml")
    draft.set("workforce.teams.north.staff.sw", 14)
    draft.set("workforce.access_centre.duty_workers", 10)
    draft.unset("workforce.teams.north.staff.sw")
    assert draft.changes == {"workforce": {"access_centre": {"duty_workers": 10}}}
    draft.unset("workforce.access_centre.duty_workers")
    draft.unset("never.set")
    assert draft.changes == {}


def test_the_downloaded_file_says_only_what_changed() -> None:
    draft = Draft.bundled("county_2010_as_found.toml")
    draft.set("workforce.teams.south.staff.swa", 0)
    assert tomllib.loads(draft.to_toml()) == {
        "base": "county_2010_as_found.toml",
        "workforce": {"teams": {"south": {"staff": {"swa": 0}}}},
    }


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from([path.name for path in bundled_scenarios()]),
    social_workers=st.integers(0, 30),
    duty=st.integers(1, 20),
    cap=st.floats(20, 200, allow_nan=False).map(lambda x: round(x, 1)),
    eligibility=st.sampled_from(["hold", "co_worked", "no"]),
)
def test_an_uploaded_download_is_the_identical_scenario(
    name: str, social_workers: int, duty: int, cap: float, eligibility: str
) -> None:
    draft = Draft.bundled(name)
    draft.set("workforce.teams.north.staff.sw", social_workers)
    draft.set("workforce.access_centre.duty_workers", duty)
    draft.set("workforce.grades.sw.caseload_cap", cap)
    draft.set("workforce.eligibility.nqsw.child_protection", eligibility)
    again = Draft.uploaded("edited.toml", draft.to_toml().encode())
    assert again.base == name
    assert again.build() == draft.build()
    assert again.to_toml() == draft.to_toml()


def test_an_uploaded_file_without_a_base_is_its_own_start(tmp_path) -> None:
    whole = (SCENARIO_DIR / "validation" / "mmc.toml").read_bytes()
    draft = Draft.uploaded("mmc.toml", whole)
    assert draft.base is None
    assert draft.build() == load_scenario(SCENARIO_DIR / "validation" / "mmc.toml")
    draft.set("simulation.seed", 7)
    again = Draft.uploaded("mmc_edited.toml", draft.to_toml().encode())
    assert again.build() == draft.build()


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "the file is empty"),
        (b"name = ", "TOML syntax error"),
        (b"\xff\xfe\x00n", "not a text file"),
        (b'base = "../secret.toml"\n', "by its file name"),
        (b'base = "nowhere.toml"\n', "not a bundled scenario"),
        (b"x" * (MAX_SCENARIO_BYTES + 1), "at most"),
    ],
)
def test_a_bad_upload_is_refused_with_its_reason(raw: bytes, words: str) -> None:
    with pytest.raises(ScenarioError, match=words) as refused:
        Draft.uploaded("mine.toml", raw)
    assert "mine.toml" in str(refused.value)


def test_an_invalid_change_is_refused_by_the_schema_naming_the_field() -> None:
    draft = Draft.bundled("county_2010_baseline.toml")
    draft.set("workforce.teams.north.staff.sw", -1)
    with pytest.raises(ScenarioError, match=r"county_2010_baseline.toml: workforce\.teams\.north"):
        draft.build()
