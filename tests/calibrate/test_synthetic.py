"""Synthetic Annex A lists: the headings, rows that reconcile with the run, invented children
that hang together across lists, the files, determinism and the command line."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from caseload_sim.calibrate import export, synthetic
from caseload_sim.calibrate.code_sets import OFSTED_NO, OFSTED_SOURCES, OFSTED_YES
from caseload_sim.calibrate.columns import LISTS, PERSONAL_HEADINGS
from caseload_sim.calibrate.synthetic import (
    PERSONAL_COLUMNS,
    SHEET_NAMES,
    child_code,
    synthesise_annex_a,
    write_annex_a,
)
from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.results import OUTCOMES, RunResult
from caseload_sim.scenario.schema import TIERS, Scenario
from conftest import run_cli, scenario_file, small_county

ID = "Child Unique ID"
DOB = "Date of Birth"
AGE = "Age of Child (Years)"
#: The date that places each list's rows in the year.
LIST_DATE = {
    1: "Date of Contact",
    3: "Date of referral",
    4: "Continuous Assessment Start Date",
    5: "Strategy discussion initiating Section 47 Enquiry Start Date",
}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return small_county()


@pytest.fixture(scope="module")
def run(scenario: Scenario) -> RunResult:
    return simulate(scenario, 11, 1)


@pytest.fixture(scope="module")
def lists(scenario: Scenario) -> dict[int, pd.DataFrame]:
    return synthesise_annex_a(scenario, 11, 1)


def referrals(run: RunResult) -> list[SimpleNamespace]:
    """The run's referrals one by one, with their outcome and tier by name."""
    cases = run.cases
    names = (
        "case_id",
        "child",
        "episode",
        "referral_at",
        "decided_at",
        "allocated_at",
        "first_assessment_at",
        "strategy_at",
        "icpc_at",
    )
    columns = [getattr(cases, name).tolist() for name in names]
    return [
        SimpleNamespace(**dict(zip(names, values, strict=True)), outcome=OUTCOMES[o], tier=TIERS[t])
        for *values, o, t in zip(*columns, cases.outcome.tolist(), cases.tier.tolist(), strict=True)
    ]


def within(t: float, run: RunResult) -> bool:
    return run.measured_from <= t <= run.measured_to


def date_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c == DOB or "Date" in c]


def test_the_lists_have_the_annex_a_headings_and_the_personal_columns(
    lists: dict[int, pd.DataFrame],
) -> None:
    assert sorted(lists) == [1, 3, 4, 5]
    for number, table in lists.items():
        headings = [c.heading for c in LISTS[number].columns]
        assert list(table.columns) == [headings[0], *PERSONAL_COLUMNS, *headings[1:]]
        assert all(isinstance(c, str) for c in table.columns)
        assert len(table) > 0, number
    assert set(PERSONAL_COLUMNS) <= set(PERSONAL_HEADINGS)  # the calibration reader skips them
    assert list(lists[1].columns) == [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Date of Contact",
        "Contact Source",
    ]


def test_rows_reconcile_with_the_run(
    scenario: Scenario, lists: dict[int, pd.DataFrame], run: RunResult
) -> None:
    # The run notes each contact's child, in the order of the contacts in the event log...
    contacts = run.events.of("contact")
    np.testing.assert_array_equal(run.contact_case, run.events.case[contacts])
    assert len(run.contact_child) == run.contacts
    # ...and the child of a contact that became a referral is the referral's.
    child_of = dict(zip(run.contact_case.tolist(), run.contact_child.tolist(), strict=True))
    assert all(child_of[r.case_id] == r.child for r in referrals(run))
    contact_times = run.events.time[contacts]
    assert len(lists[1]) == sum(within(t, run) for t in contact_times)
    decided = [r for r in referrals(run) if within(r.decided_at, run)]
    assert len(lists[3]) == len(decided)
    assert Counter(lists[3][ID]) == Counter(child_code(r.child) for r in decided)
    # No further action at the referral: closed at its decision, never allocated or assessed.
    assert Counter(lists[3]["Referral NFA?"]) == Counter(
        OFSTED_YES if r.outcome == "nfa" and math.isnan(r.allocated_at) else OFSTED_NO
        for r in decided
    )
    started = [r for r in referrals(run) if within(r.allocated_at, run)]
    assert len(lists[4]) == len(started)
    assert Counter(lists[4][ID]) == Counter(child_code(r.child) for r in started)
    assert (lists[4]["Does the Child have a Disability"] == OFSTED_YES).sum() == sum(
        r.tier == "disabled_child" for r in started
    )
    authorised = lists[4]["Continuous Assessment Date of Authorisation"]
    assert authorised.isna().sum() == sum(math.isnan(r.first_assessment_at) for r in started)
    held = run.events.time[run.events.of("strategy_discussion_held")]
    assert len(lists[5]) == sum(within(t, run) for t in held)
    enquiries = [r for r in referrals(run) if within(r.strategy_at, run)]
    assert Counter(lists[5][ID]) == Counter(child_code(r.child) for r in enquiries)
    icpc = lists[5]["Date of Initial Child Protection Conference"]
    plan = lists[5]["Did the Initial Child Protection Conference Result in a Child Protection Plan"]
    assert icpc.notna().sum() == sum(not math.isnan(r.icpc_at) for r in enquiries) > 0
    assert (icpc.isna() == plan.isna()).all()
    assert set(plan.dropna()) <= {OFSTED_YES, OFSTED_NO}
    # Each referral's contact is in list 1, for the same child on the same day.
    contacts = Counter(zip(lists[1][ID], lists[1]["Date of Contact"], strict=True))
    referred = Counter(zip(lists[3][ID], lists[3]["Date of referral"], strict=True))
    first_day = run.calendar.to_date(run.measured_from)
    assert all(count <= contacts[key] for key, count in referred.items() if key[1] >= first_day)


def test_the_allocated_team_and_worker_are_those_holding_the_case(
    lists: dict[int, pd.DataFrame], run: RunResult
) -> None:
    teams = set(run.scenario.workforce.teams)
    for number in (3, 4, 5):
        table = lists[number]
        held = table["Allocated Team"].notna()
        assert set(table.loc[held, "Allocated Team"]) <= teams
        assert (held == table["Allocated Worker"].notna()).all()
        assert all(re.fullmatch(r"SW\d{3}", w) for w in table.loc[held, "Allocated Worker"])
    workers = {w.index: w.team for w in run.posts}
    for team, worker in zip(lists[4]["Allocated Team"], lists[4]["Allocated Worker"], strict=True):
        if isinstance(worker, str):
            assert workers[int(worker[2:])] == team


def test_a_child_has_one_invented_identity_in_every_list(
    lists: dict[int, pd.DataFrame],
) -> None:
    people = pd.concat(
        [table[[ID, "Gender", "Ethnicity", DOB]] for table in lists.values()]
    ).drop_duplicates()
    assert not people[ID].duplicated().any(), "a child with two identities"
    assert all(re.fullmatch(r"C\d{7}", i) for i in people[ID])
    assert set(people["Gender"]) <= set(synthetic.GENDERS)
    assert set(people["Ethnicity"]) <= set(synthetic.ETHNICITIES)
    coded = {OFSTED_SOURCES[code] for code in synthetic.CONTACT_SOURCES}
    assert set(lists[1]["Contact Source"]) <= coded
    assert set(lists[3]["Referral Source"]) <= coded
    # Neighbouring child numbers do not get neighbouring ids.
    numbers = [int(code[1:]) for code in (child_code(n) for n in range(1000))]
    assert len(set(numbers)) == 1000
    steps = [abs(b - a) for a, b in zip(numbers, numbers[1:], strict=False)]
    assert min(steps) > 1000
    # Children re-referred within the year appear more than once, under one id.
    assert lists[3][ID].duplicated().any()


def test_child_ids_are_distinct_for_new_children_and_those_open_at_the_start() -> None:
    initial = 1_000_000_000
    numbers = [*range(2000), *range(4_999_000, 5_000_000), *range(initial, initial + 2000)]
    assert len({child_code(n) for n in numbers}) == len(numbers)
    with pytest.raises(ValueError, match="too large"):
        child_code(5_000_000)


def test_dates_fall_in_the_window_and_after_the_date_of_birth(
    lists: dict[int, pd.DataFrame], run: RunResult
) -> None:
    first_day = run.calendar.to_date(run.measured_from)
    last_day = run.calendar.to_date(run.measured_to)
    for number, table in lists.items():
        days = table[LIST_DATE[number]]
        assert all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in days)
        assert list(zip(days, table[ID], strict=True)) == sorted(zip(days, table[ID], strict=True))
        assert days.max() <= last_day
        if number != 3:
            assert days.min() >= first_day, number
        for column in date_columns(table):
            for born, value in zip(table[DOB], table[column], strict=True):
                assert value is None or born <= value <= last_day, (number, column)
            if column not in (DOB, LIST_DATE[number]):
                later = table[column].notna()
                assert (table.loc[later, column] >= days[later]).all()
        ages = [
            d.year - b.year - ((d.month, d.day) < (b.month, b.day))
            for b, d in zip(table[DOB], days, strict=True)
        ]
        assert list(table[AGE]) == ages
        assert table[AGE].between(0, 17).all()
    # A referral dated before the window was received before it and decided in it.
    early = lists[3]["Date of referral"] < first_day
    received_before = [
        r for r in referrals(run) if within(r.decided_at, run) and r.referral_at < run.measured_from
    ]
    assert early.sum() == len(received_before)


def test_referrals_in_the_last_12_months_count_this_one_and_earlier_ones(
    lists: dict[int, pd.DataFrame], run: RunResult
) -> None:
    table = lists[3]
    counts = table["Number of Referrals in Last 12 Months"]
    assert counts.min() >= 1 and counts.max() > 1
    for position, (child, day, count) in enumerate(
        zip(table[ID], table["Date of referral"], counts, strict=True)
    ):
        earlier = table.iloc[: position + 1]
        seen = earlier[
            (earlier[ID] == child) & (earlier["Date of referral"] > day - dt.timedelta(days=365))
        ]
        # At least those in the list up to this one (more if there were some before the window).
        assert count >= len(seen)
    # A child referred once, for the first time, has one referral in the last 12 months.
    episodes: dict[str, list[int]] = {}
    for r in referrals(run):
        episodes.setdefault(child_code(r.child), []).append(r.episode)
    first_only = table[ID].map(lambda code: episodes[code] == [0])
    assert first_only.any() and (counts[first_only] == 1).all()


def test_the_same_seed_gives_the_same_lists_and_another_seed_other_lists(
    scenario: Scenario, lists: dict[int, pd.DataFrame]
) -> None:
    again = synthesise_annex_a(scenario, 11, 1)
    for number in lists:
        pd.testing.assert_frame_equal(lists[number], again[number])
    other = synthesise_annex_a(scenario, 12, 1)
    assert not lists[1].equals(other[1])
    assert not lists[3].equals(synthesise_annex_a(scenario, 11, 0)[3])


def test_an_initial_caseload_and_returning_children_are_handled() -> None:
    scenario = small_county(
        "initial_caseload.cases_per_worker.child_in_need=2.5",
        "initial_caseload.cases_per_worker.immediate_risk=0.5",
        "simulation.warmup_days=0",
        "demand.re_referral_probability=0.5",
    )
    run = simulate(scenario)
    lists = synthesise_annex_a(scenario)
    # Cases open at the start (strategy discussion held "at 0") are not new enquiries.
    enquiries = [r for r in referrals(run) if within(r.strategy_at, run)]
    assert len(lists[5]) == len(enquiries)
    returning = {child_code(r.child) for r in referrals(run) if r.child >= 1_000_000_000}
    assert returning and returning <= set(lists[1][ID])


def test_the_workbook_has_a_sheet_per_list_with_real_dates(
    lists: dict[int, pd.DataFrame], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    path = write_annex_a(lists, tmp_path / "annex")
    assert path == tmp_path / "annex" / "annex_a.xlsx" and path.is_file()
    assert [p.name for p in path.parent.iterdir()] == ["annex_a.xlsx"], "temporary files left"
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["List 1", "List 3", "List 4", "List 5"]
    for number, name in SHEET_NAMES.items():
        sheet = workbook[name]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == list(lists[number].columns)
        assert len(rows) == len(lists[number]) + 1
        column = list(lists[number].columns).index(LIST_DATE[number]) + 1
        cell = sheet.cell(row=2, column=column)
        assert isinstance(cell.value, dt.datetime)
        assert cell.value.date() == lists[number][LIST_DATE[number]].iloc[0]
        assert cell.number_format == "dd/mm/yyyy"
    read = pd.read_excel(path, sheet_name="List 3", dtype={"Referral Source": str})
    assert list(read[ID]) == list(lists[3][ID])
    assert list(read["Referral Source"]) == list(lists[3]["Referral Source"])


def test_csv_files_have_dd_mm_yyyy_dates_and_are_identical_for_one_seed(
    scenario: Scenario, lists: dict[int, pd.DataFrame], tmp_path: Path
) -> None:
    folder = write_annex_a(lists, tmp_path / "one", "csv")
    assert folder == tmp_path / "one"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["list_1.csv", "list_3.csv", "list_4.csv", "list_5.csv"]
    text = (folder / "list_4.csv").read_text()
    header, first = text.splitlines()[:2]
    assert header.split(",") == list(lists[4].columns)
    assert re.fullmatch(r"C\d{7},\w+,\w+,\d\d/\d\d/\d{4},\d+,\d\d/\d\d/\d{4},.*", first)
    read = pd.read_csv(folder / "list_1.csv", dtype=str)
    assert len(read) == len(lists[1])
    assert read["Date of Contact"].str.fullmatch(r"\d\d/\d\d/\d{4}").all()
    again = write_annex_a(synthesise_annex_a(scenario, 11, 1), tmp_path / "two", "csv")
    for name in names:
        assert (folder / name).read_bytes() == (again / name).read_bytes(), name


def test_an_interrupted_write_leaves_no_file(
    lists: dict[int, pd.DataFrame], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = export._write_csv
    written = []

    def interrupted(table: pd.DataFrame, path: Path) -> None:
        if written:
            raise KeyboardInterrupt
        real(table, path)
        written.append(path)

    monkeypatch.setattr(export, "_write_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_annex_a(lists, tmp_path, "csv")
    assert written and not any(tmp_path.iterdir())


def test_the_command_writes_the_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = scenario_file(tmp_path, "small_county")
    out = tmp_path / "annex"
    assert run_cli("synth-annex-a", str(scenario), "--out", str(out), "--seed", "3") == 0
    printed = capsys.readouterr().out
    assert "annex_a.xlsx" in printed and "List 3 (Referrals):" in printed
    assert (out / "annex_a.xlsx").is_file()
    code = run_cli(
        "synth-annex-a",
        str(scenario),
        "--out",
        str(out),
        "--format",
        "csv",
        "--replication",
        "2",
        "--set",
        "simulation.horizon_days=60",
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "annex_a.xlsx",
        "list_1.csv",
        "list_3.csv",
        "list_4.csv",
        "list_5.csv",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "pdf"), "--format 'pdf': allowed: xlsx, csv"),
        (("--set", "simulation.horizon_days=-1"), "horizon_days"),
        (("--replication", "-1"), "replication"),
        ((), "--out"),
    ],
)
def test_bad_input_to_the_command_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    scenario = str(scenario_file(tmp_path, "small_county"))
    out = ("--out", str(tmp_path / "out")) if args else ()
    assert run_cli("synth-annex-a", scenario, *out, *args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_output_folder_that_is_a_file_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert run_cli("synth-annex-a", "--out", str(blocker)) == 2
    assert "--out" in capsys.readouterr().err


def test_ctrl_c_in_the_command_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(table: pd.DataFrame, path: Path) -> None:
        path.write_text("half")
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "_write_csv", interrupted)
    out = tmp_path / "out"
    scenario = str(scenario_file(tmp_path, "small_county"))
    assert run_cli("synth-annex-a", scenario, "--out", str(out), "--format", "csv") == 130
    assert "interrupted" in capsys.readouterr().err
    assert not any(out.iterdir())


def test_the_plain_layout_gives_bare_answers_and_the_same_rows(scenario: Scenario) -> None:
    coded = synthesise_annex_a(scenario, 11, 1)
    plain = synthesise_annex_a(scenario, 11, 1, layout="plain")
    assert set(plain[3]["Referral NFA?"]) == {"Yes", "No"}
    assert set(plain[1]["Contact Source"]) <= set(synthetic.CONTACT_SOURCES)
    recoded = plain[3]["Referral NFA?"].map({"Yes": OFSTED_YES, "No": OFSTED_NO})
    assert recoded.tolist() == coded[3]["Referral NFA?"].tolist()
    assert plain[3]["Date of referral"].tolist() == coded[3]["Date of referral"].tolist()
    with pytest.raises(ValueError, match="layout 'council': allowed: ofsted, plain"):
        synthesise_annex_a(scenario, 11, 1, layout="council")
