"""The KPI tables the experiment commands print: plain titles, with the identifiers beside them
on request (``--ids``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from caseload_sim.cli.tables import fmt
from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.metrics.periods import DAYS_TO_RECOVER
from conftest import TIMELINE_LINES, run_cli, run_cli_captured, scenario_file, small_county

SHORT = ("simulation.horizon_days=60", "simulation.warmup_days=10")
#: Every identifier a KPI table may print with --ids (and must not print without it).
IDENTIFIERS = (*KPIS, DAYS_TO_RECOVER, "replications_recovered")


def row(printed: str, kpi: str) -> str:
    """The line of a printed table that holds a KPI's identifier (in a column of its own)."""
    (line,) = [line for line in printed.splitlines() if f"│ {kpi} " in line]
    return line


def titled(printed: str, title: str) -> str:
    """The line of a printed table whose first cell is a KPI's whole plain title."""
    pattern = re.compile(rf"^│ {re.escape(title)} +│")
    (line,) = [line for line in printed.splitlines() if pattern.match(line)]
    return line


def identifiers_in(printed: str) -> list[str]:
    """The KPI identifiers that appear anywhere in printed output."""
    return [name for name in IDENTIFIERS if name in printed]


def first_column(printed: str) -> str:
    """The first cells of every table row, joined, so that a wrapped title reads whole."""
    return " ".join(line.split("│")[1].strip() for line in printed.splitlines() if line[:1] == "│")


def header_cells(printed: str) -> list[str]:
    """The cells of the first table's header row that names the KPI column."""
    header = next(line for line in printed.splitlines() if line.startswith("┃ KPI"))
    return [cell.strip() for cell in header.strip("┃ ").split("┃")]


def test_run_names_each_headline_kpi_by_its_plain_title_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, printed, _ = run_cli_captured(
        capsys,
        "run",
        str(scenario_file(tmp_path, "plain_run")),
        "-r",
        "2",
        "-j",
        "1",
        "-o",
        str(out),
    )
    assert code == 0
    assert "Plain run: 2 replications" in printed and "plain_run" not in printed
    summary = json.loads((out / "summary.json").read_text())["kpis"]
    shown = [name for name in HEADLINE_KPIS if name in summary]
    assert shown
    assert header_cells(printed) == ["KPI", "mean", "95% CI", "unit"]
    for name in shown:
        line = titled(printed, KPIS[name].title)
        entry = summary[name]
        assert f" {fmt(entry['mean'])} " in line and f" {entry['unit']} " in line, line
    positions = [printed.index(titled(printed, KPIS[name].title)) for name in shown]
    assert positions == sorted(positions), "the headline order of the registry"
    assert identifiers_in(printed) == []


def test_run_with_ids_names_each_headline_kpi_beside_its_identifier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    scenario = str(scenario_file(tmp_path, "plain"))
    code, printed, _ = run_cli_captured(
        capsys, "run", scenario, "-r", "2", "-j", "1", "-o", str(out), "--ids"
    )
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())["kpis"]
    shown = [name for name in HEADLINE_KPIS if name in summary]
    assert shown
    assert header_cells(printed) == ["KPI", "id", "mean", "95% CI", "unit"]
    for name in shown:
        line = row(printed, name)
        assert line.startswith(f"│ {KPIS[name].title} "), line
        entry = summary[name]
        assert f" {fmt(entry['mean'])} " in line and f" {entry['unit']} " in line, line
    positions = [printed.index(f"│ {name} ") for name in shown]
    assert positions == sorted(positions), "the headline order of the registry"


def compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[str, dict[str, dict[str, float | None]]]:
    """What ``compare --all`` prints for a baseline and an option with more social workers, and
    the baseline's means."""
    base = scenario_file(tmp_path, "base_2010")
    more = scenario_file(tmp_path, "more-staff", "[workforce.teams.north.staff]", "sw = 16")
    out = tmp_path / "cmp"
    code, printed, _ = run_cli_captured(
        capsys,
        "compare",
        str(base),
        str(more),
        "-r",
        "2",
        "-j",
        "1",
        "--all",
        "-o",
        str(out),
        *extra,
    )
    assert code == 0
    return printed, json.loads((out / "comparison.json").read_text())["kpis"]["base_2010"]


def test_compare_names_each_kpi_by_its_plain_title_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed, means = compared(tmp_path, capsys)
    assert header_cells(printed)[1:] == ["Base 2010", "(difference, 95% CI)"]
    assert "Paired comparison against Base 2010" in printed and "More staff" in printed
    assert "base_2010" not in printed and "more-staff" not in printed
    for name, entry in means.items():
        line = titled(printed, KPIS[name].title)
        assert f" {fmt(entry['mean'] if entry['mean'] is not None else float('nan'))} " in line
    assert identifiers_in(printed) == []


def test_compare_with_ids_names_each_kpi_beside_its_identifier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed, means = compared(tmp_path, capsys, "--ids")
    for name, entry in means.items():
        line = row(printed, name)
        assert line.startswith(f"│ {KPIS[name].title.split()[0]}"), line
        assert f" {fmt(entry['mean'] if entry['mean'] is not None else float('nan'))} " in line


def test_kpis_lists_identifier_plain_name_unit_and_definition(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, printed, _ = run_cli_captured(capsys, "kpis")
    assert code == 0
    header = next(line for line in printed.splitlines() if "plain name" in line)
    assert [cell.strip() for cell in header.strip("┃ ").split("┃")] == [
        "id",
        "plain name",
        "unit",
        "definition",
    ]
    for kpi in KPIS.values():
        line = row(printed, kpi.name)
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        assert cells[0] == kpi.name
        assert kpi.title.startswith(cells[1]) and cells[2] == kpi.unit, line
        assert kpi.description.startswith(cells[3]), line


@pytest.mark.parametrize("ids", [False, True])
def test_run_prints_the_headline_kpis_of_each_period(
    ids: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = scenario_file(tmp_path, "dated", *TIMELINE_LINES)
    out = tmp_path / "out"
    flags = ["--ids"] if ids else []
    assert run_cli("run", str(scenario), "-r", "2", "-j", "1", "--out", str(out), *flags) == 0
    printed = capsys.readouterr().out
    assert "Before and after each change" in printed
    summary = json.loads((out / "summary.json").read_text())
    after = printed.split("Before and after each change", 1)[1]
    for period in summary["periods"]:
        assert period["label"] in after
        assert f"{period['start_date']} to {period['end_date']}" in after
    shown = [name for name in HEADLINE_KPIS if name in summary["kpis"]]
    titles = first_column(after)
    for name in shown:
        assert KPIS[name].title in titles, name
    assert "Days to recover" in titles and "Replications that recovered" in titles
    assert "Days to recover: from the change" in " ".join(after.split())
    if ids:
        for name in (*shown, DAYS_TO_RECOVER, "replications_recovered"):
            assert name in after, name
    else:
        assert identifiers_in(printed) == []
    assert (out / "periods.csv").is_file()


@pytest.mark.parametrize("ids", [False, True])
def test_compare_prints_the_differences_after_each_change_with_identifiers_on_request(
    ids: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = scenario_file(tmp_path, "base")
    option = scenario_file(tmp_path, "dated_option", *TIMELINE_LINES)
    flags = ["--ids"] if ids else []
    out = str(tmp_path / "cmp")
    code, printed, _ = run_cli_captured(
        capsys, "compare", str(base), str(option), "-r", "2", "-j", "1", "-o", out, *flags
    )
    assert code == 0
    marker = "Dated option against Base after each dated change"
    assert marker in " ".join(printed.split())
    assert "dated_option" not in printed
    after = printed.split("after each dated change", 1)[1]
    shown = [name for name in HEADLINE_KPIS if name in KPIS and f"│ {name} " in after]
    if ids:
        assert shown, "identifiers beside the titles of the period differences"
        for name in shown:
            assert row(after, name).startswith(f"│ {KPIS[name].title} ")
    else:
        assert identifiers_in(printed) == []
        assert KPIS[HEADLINE_KPIS[0]].title in first_column(after)


def test_the_experiment_commands_document_ids_in_their_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command in ("run", "compare"):
        code, printed, _ = run_cli_captured(capsys, command, "--help")
        assert code == 0, command
        assert "--ids" in printed, command
        assert "identifier" in printed.split("--ids", 1)[1].split("--warmup", 1)[0], command


def test_run_without_a_timeline_prints_no_period_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    scenario = scenario_file(tmp_path, "plain")
    assert run_cli("run", str(scenario), "-r", "1", "-j", "1", "--out", str(out)) == 0
    assert "Before and after each change" not in capsys.readouterr().out
    assert not (out / "periods.csv").exists()


@pytest.mark.parametrize("width", [80, 100])
def test_a_narrow_console_puts_each_identifier_under_its_plain_name(
    width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    import caseload_sim.cli.tables as tables
    from caseload_sim.experiment.runner import run_experiment

    result = run_experiment(small_county(*SHORT), 2, jobs=1)
    stream = io.StringIO()
    monkeypatch.setattr(tables, "wide_console", lambda: Console(file=stream, width=width))
    tables.print_kpis(result, False, ids=True)
    lines = stream.getvalue().splitlines()
    assert all(len(line) <= width for line in lines)
    shown = [name for name in HEADLINE_KPIS if name in result.summary()]
    for name in shown:
        (at,) = [i for i, line in enumerate(lines) if f"│ {name} " in line]
        assert lines[at - 1].startswith(f"│ {KPIS[name].title[:20]}"), lines[at - 1]


@pytest.mark.parametrize("width", [60, 80])
def test_a_narrow_console_wraps_the_plain_titles_without_identifiers(
    width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    import caseload_sim.cli.tables as tables
    from caseload_sim.experiment.runner import run_experiment

    result = run_experiment(small_county(*SHORT), 2, jobs=1)
    stream = io.StringIO()
    monkeypatch.setattr(tables, "wide_console", lambda: Console(file=stream, width=width))
    tables.print_kpis(result, False)
    printed = stream.getvalue()
    lines = printed.splitlines()
    assert all(len(line) <= width for line in lines)
    assert identifiers_in(printed) == []
    titles = first_column(printed)
    for name in HEADLINE_KPIS:
        if name in result.summary():
            assert KPIS[name].title in titles, name
