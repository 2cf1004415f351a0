"""A bad ``[[timeline]]`` or ``workforce.flow`` is a clear message and exit code 2.

Each problem must name the file, the timeline entry and the field, through ``caseload-sim
check`` and ``caseload-sim run``, never with a traceback. The scenario files are built on the
first model's rules (tests/model/data/first_model.toml: no flow, no timeline), so that only what
a test adds is in them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caseload_sim.scenario.loading import ScenarioError, load_scenario
from conftest import run_cli_captured as run_cli

FIRST_MODEL = Path(__file__).parents[1] / "model" / "data" / "first_model.toml"
#: The first model runs 200 days from 1 April 2010: to 18 October 2010.
END = "2010-10-18"


def scenario(folder: Path, body: str, name: str = "timeline.toml") -> Path:
    """A scenario file in ``folder``: the first model changed by ``body`` (TOML)."""
    path = folder / name
    path.write_text(f"base = {json.dumps(str(FIRST_MODEL))}\n{body}", encoding="utf-8")
    return path


def entry(date: str, changes: str, *extra: str) -> str:
    """One [[timeline]] table."""
    return "\n".join(["[[timeline]]", f"date = {date}", *extra, f"changes = {{ {changes} }}", ""])


def assert_refused(
    capsys: pytest.CaptureFixture[str], path: Path, *expected: str, sets: tuple[str, ...] = ()
) -> str:
    """Loading raises a ScenarioError with every fragment; ``check`` exits 2 with the message
    on stderr, naming the file, and no traceback."""
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path, list(sets))
    message = str(raised.value)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    overrides = [arg for text in sets for arg in ("--set", text)]
    code, out, err = run_cli(capsys, "check", str(path), *overrides)
    assert code == 2, (out, err)
    assert err.startswith(f"caseload-sim: {path}")
    assert message in err
    assert "Traceback" not in out + err
    return message


POLICY = '"workforce.allocation.policy" = "skill_matched"'

REFUSED = {
    "a field fixed for the run": (
        entry("2010-06-01", '"demand.contacts_per_year" = 1000'),
        [
            "timeline[0] (change of 2010-06-01)",
            "changes.'demand.contacts_per_year' cannot change during a run",
            "workforce.grades, workforce.teams, workforce.case_weights, workforce.eligibility, "
            "workforce.allocation, workforce.training",
        ],
    ),
    "the flow settings": (
        entry("2010-06-01", '"workforce.flow.recruitment_lag_wd" = 10'),
        ["timeline[0]", "changes.'workforce.flow.recruitment_lag_wd' cannot change"],
    ),
    "dates out of order": (
        entry("2010-08-01", POLICY, 'label = "first"') + entry("2010-06-01", POLICY),
        [
            "timeline[1] (change of 2010-06-01)",
            "date 2010-06-01 must fall after the previous entry's date (2010-08-01)",
        ],
    ),
    "the same date twice": (
        entry("2010-06-01", POLICY) + entry("2010-06-01", POLICY, 'label = "again"'),
        ["timeline[1] (again)", "date 2010-06-01 must fall after the previous entry's date"],
    ),
    "before the start": (
        entry("2010-03-01", POLICY),
        ["timeline[0]", "date 2010-03-01 must fall after the start date (2010-04-01)"],
    ),
    "on the start date": (
        entry("2010-04-01", POLICY),
        ["timeline[0]", "date 2010-04-01 must fall after the start date (2010-04-01)"],
    ),
    "after the end": (
        entry("2010-11-01", POLICY),
        ["timeline[0]", f"before the end of the run ({END})"],
    ),
    "on the last day": (
        entry(END, POLICY),
        ["timeline[0]", f"date {END} must fall", f"before the end of the run ({END})"],
    ),
    "an unknown field": (
        entry("2010-06-01", '"workforce.allocation.polcy" = "joint"'),
        [
            "timeline[0]",
            "changes.'workforce.allocation.polcy': workforce.allocation has no field 'polcy'",
            "allowed: cap_mode, over_allocation_after_wd, over_allocation_limit_pct, "
            "oversight_fraction, policy",
        ],
    ),
    "an unknown team": (
        entry("2010-06-01", '"workforce.teams.east.staff.sw" = 3'),
        [
            "timeline[0]",
            "changes.'workforce.teams.east.staff.sw': workforce.teams has no field 'east'",
            "allowed: disabled_children, north, south",
        ],
    ),
    "a path through a value": (
        entry("2010-06-01", '"workforce.allocation.policy.x" = 1'),
        ["timeline[0]", "workforce.allocation.policy is a value"],
    ),
    "a tier left with no holder": (
        entry(
            "2010-06-01",
            '"workforce.teams.disabled_children.staff" = { tm = 1, sp = 0, sw = 0, swa = 0 }',
        ),
        [
            "timeline[0] (change of 2010-06-01): after its changes",
            "no worker may hold disabled_child referrals (demand.tier_mix.disabled_child > 0)",
        ],
    ),
    "a value not allowed": (
        entry("2010-06-01", '"workforce.allocation.policy" = "sometimes"'),
        [
            "timeline[0] (change of 2010-06-01): after its changes",
            "workforce.allocation.policy: allowed: 'skill_matched' or 'joint' (got 'sometimes')",
        ],
    ),
    "a cap out of range": (
        entry("2010-06-01", '"workforce.grades.sw.caseload_cap" = -5'),
        ["timeline[0]", "workforce.grades.sw.caseload_cap"],
    ),
    "no manager left": (
        entry(
            "2010-06-01",
            '"workforce.teams.north.staff.tm" = 0, "workforce.teams.south.staff.tm" = 0, '
            '"workforce.teams.disabled_children.staff.tm" = 0',
        ),
        ["timeline[0]", "strategy discussions need a team manager"],
    ),
    "an unknown setting of an entry": (
        entry("2010-06-01", POLICY, "transition_days = 3"),
        ["timeline.0.transition_days: unknown field", "(did you mean 'transition_wd'?)"],
    ),
    "no date": (
        "[[timeline]]\nchanges = { " + POLICY + " }\n",
        ["timeline.0.date: this field is required"],
    ),
    "no changes": (
        "[[timeline]]\ndate = 2010-06-01\nchanges = {}\n",
        ["timeline.0.changes"],
    ),
    "a dip above 100%": (
        entry("2010-06-01", POLICY, "transition_dip_pct = 150"),
        ["timeline.0.transition_dip_pct", "less than or equal to 100"],
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_bad_timeline_is_refused_with_the_entry_and_the_field(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body, expected = REFUSED[case]
    path = scenario(tmp_path, body)
    assert_refused(capsys, path, str(path), *expected)


@pytest.mark.parametrize(
    "body",
    [
        entry("2010-06-01", POLICY),
        "[workforce.flow]\nenabled = true\n",
        "[workforce.flow]\nenabled = false\n" + entry("2010-06-01", POLICY),
    ],
    ids=["timeline", "flow", "both"],
)
def test_the_continuous_calendar_refuses_a_timeline_and_flow(
    body: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scenario(
        tmp_path,
        '[simulation]\ncalendar = "continuous"\n[demand]\nout_of_hours_share = 0\n' + body,
    )
    assert_refused(
        capsys,
        path,
        str(path),
        "a timeline and workforce.flow need the england calendar",
        "between working days",
    )


def test_overrides_that_switch_flow_on_for_the_continuous_calendar_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scenario(tmp_path, "")
    sets = (
        "simulation.calendar=continuous",
        "demand.out_of_hours_share=0",
        "workforce.flow.enabled=true",
    )
    assert_refused(capsys, path, "with --set", "need the england calendar", sets=sets)


def test_an_override_timeline_is_checked_like_one_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scenario(tmp_path, "")
    sets = ('timeline=[{ date = 2010-06-01, changes = { "demand.contacts_per_year" = 5 } }]',)
    assert_refused(
        capsys,
        path,
        "with --set",
        "timeline[0]",
        "changes.'demand.contacts_per_year' cannot change during a run",
        sets=sets,
    )


@pytest.mark.parametrize("case", ["a field fixed for the run", "a tier left with no holder"])
def test_run_refuses_a_bad_timeline_before_running(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body, expected = REFUSED[case]
    path = scenario(tmp_path, body)
    out_dir = tmp_path / "results"
    code, out, err = run_cli(capsys, "run", str(path), "-r", "1", "-j", "1", "-o", str(out_dir))
    assert code == 2, (out, err)
    assert err.startswith(f"caseload-sim: {path}")
    assert all(fragment in err for fragment in expected)
    assert "Traceback" not in out + err
    assert not out_dir.exists()


def test_a_good_timeline_and_flow_pass_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same checks let a valid scenario through (so the refusals above are the entries').
    body = (
        "[workforce.flow]\nenabled = true\n"
        + entry("2010-06-01", POLICY, 'label = "rules"')
        + entry(
            "2010-07-01",
            '"workforce.teams.north.staff.sw" = 12, '
            '"workforce.teams.cp" = { tiers = ["child_protection"], staff = { sw = 2 } }',
            "recruitment_lag_wd = 20",
            "transition_dip_pct = 10",
            "transition_wd = 5",
        )
    )
    path = scenario(tmp_path, body)
    loaded = load_scenario(path)
    assert [e.name for e in loaded.timeline] == ["rules", "change of 2010-07-01"]
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 0, (out, err)
    assert "Traceback" not in out + err
