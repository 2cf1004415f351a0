"""The KPI tables the experiment commands print: plain titles with the identifiers beside them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caseload_sim.cli.tables import fmt
from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.metrics.periods import DAYS_TO_RECOVER
from conftest import TIMELINE_LINES, run_cli, run_cli_captured, scenario_file, small_county

SHORT = ("simulation.horizon_days=60", "simulation.warmup_days=10")


def row(printed: str, kpi: str) -> str:
    """The line of a printed table that holds a KPI's identifier (in a column of its own)."""
    (line,) = [line for line in printed.splitlines() if f"│ {kpi} " in line]
    return line


def test_run_names_each_headline_kpi_in_plain_words_beside_its_identifier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, printed, _ = run_cli_captured(
        capsys, "run", str(scenario_file(tmp_path, "plain")), "-r", "2", "-j", "1", "-o", str(out)
    )
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())["kpis"]
    shown = [name for name in HEADLINE_KPIS if name in summary]
    assert shown
    for name in shown:
        line = row(printed, name)
        assert line.startswith(f"│ {KPIS[name].title} "), line
        entry = summary[name]
        assert f" {fmt(entry['mean'])} " in line and f" {entry['unit']} " in line, line
    positions = [printed.index(f"│ {name} ") for name in shown]
    assert positions == sorted(positions), "the headline order of the registry"


def test_compare_names_each_kpi_in_plain_words_beside_its_identifier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = scenario_file(tmp_path, "base")
    more = scenario_file(tmp_path, "more", "[workforce.teams.north.staff]", "sw = 16")
    out = tmp_path / "cmp"
    code, printed, _ = run_cli_captured(
        capsys, "compare", str(base), str(more), "-r", "2", "-j", "1", "--all", "-o", str(out)
    )
    assert code == 0
    means = json.loads((out / "comparison.json").read_text())["kpis"]["base"]
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


def test_run_prints_the_headline_kpis_of_each_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = scenario_file(tmp_path, "dated", *TIMELINE_LINES)
    out = tmp_path / "out"
    assert run_cli("run", str(scenario), "-r", "2", "-j", "1", "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert "Before and after each change" in printed
    summary = json.loads((out / "summary.json").read_text())
    after = printed.split("Before and after each change", 1)[1]
    for period in summary["periods"]:
        assert period["label"] in after
        assert f"{period['start_date']} to {period['end_date']}" in after
    for name in HEADLINE_KPIS:
        if name in summary["kpis"]:
            assert name in after, name
    assert DAYS_TO_RECOVER in after
    assert (out / "periods.csv").is_file()


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
    tables.print_kpis(result, False)
    lines = stream.getvalue().splitlines()
    assert all(len(line) <= width for line in lines)
    shown = [name for name in HEADLINE_KPIS if name in result.summary()]
    for name in shown:
        (at,) = [i for i, line in enumerate(lines) if f"│ {name} " in line]
        assert lines[at - 1].startswith(f"│ {KPIS[name].title[:20]}"), lines[at - 1]
