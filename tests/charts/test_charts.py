"""Charts drawn from results folders: names, PNG/SVG validity and readings that match the files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.image
import pytest

from caseload_sim.charts import (
    Chart,
    ResultsFolderError,
    charts_for,
    results_kind,
    write_charts,
)
from caseload_sim.charts.registry import charts_of_kind, definitions
from caseload_sim.charts.wording import target_words
from caseload_sim.metrics.registry import read, reading_context
from caseload_sim.scenario.loading import load_scenario
from caseload_sim.scenario.wording import title_from_name
from conftest import MMC, SCENARIOS, SMALL_COUNTY, TIMELINE_LINES, run_cli, scenario_file

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SETS = [item for entry in SMALL_COUNTY for item in ("--set", entry)]
EXPECTED = {
    "run": ["backlog", "caseloads", "timeliness", "waits", "pathway"],
    "compare": [
        "backlog",
        "caseloads",
        "timeliness",
        "waits",
        "differences",
        "value_for_money",
        "pathway",
    ],
    "sweep": ["sweep"],
    "staffing": ["staffing"],
}


@pytest.fixture(scope="session")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One small results folder of each kind."""
    root = tmp_path_factory.mktemp("chart_results")
    base = str(SCENARIOS / "county_2010_baseline.toml")
    option = str(SCENARIOS / "county_2010_plus_10_social_workers.toml")
    common = ["-r", "2", "--jobs", "1", *SETS]
    out = {kind: root / kind for kind in EXPECTED}
    assert run_cli("run", base, *common, "--out", str(out["run"])) == 0
    assert run_cli("compare", base, option, *common, "--out", str(out["compare"])) == 0
    assert (
        run_cli(
            "sweep",
            base,
            "--vary",
            "workforce.teams.north.staff.sw=3:5:2",
            *common,
            "--out",
            str(out["sweep"]),
        )
        == 0
    )
    assert (
        run_cli(
            "staffing",
            str(MMC),
            "--vary",
            "workforce.teams.validation.staff.sw=10:14",
            "--target",
            "referral_to_allocation_days_mean<=0.15",
            "-r",
            "3",
            "--jobs",
            "1",
            "--set",
            "simulation.horizon_days=600",
            "--out",
            str(out["staffing"]),
        )
        == 0
    )
    return out


@pytest.fixture(scope="session")
def charts(folders: dict[str, Path]) -> dict[str, list[Chart]]:
    return {kind: charts_for(folder) for kind, folder in folders.items()}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_kind_gives_its_charts(
    kind: str, folders: dict[str, Path], charts: dict[str, list[Chart]]
) -> None:
    assert results_kind(folders[kind]) == kind
    assert [chart.name for chart in charts[kind]] == EXPECTED[kind]


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_charts_for_draws_the_registered_charts_of_the_kind_in_registry_order(
    kind: str, charts: dict[str, list[Chart]]
) -> None:
    registered = [name for name, chart in definitions().items() if kind in chart.kinds]
    assert [chart.name for chart in charts[kind]] == registered
    assert registered == [chart.name for chart in charts_of_kind(kind)]


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_png_and_svg_are_valid(kind: str, charts: dict[str, list[Chart]], tmp_path: Path) -> None:
    for chart in charts[kind]:
        assert chart.png.startswith(PNG_SIGNATURE), chart.name
        path = tmp_path / f"{chart.name}.png"
        path.write_bytes(chart.png)
        image = matplotlib.image.imread(path)
        assert image.shape[0] > 300 and image.shape[1] > 500, chart.name
        root = ET.fromstring(chart.svg)
        assert root.tag.endswith("svg"), chart.name
        assert chart.title


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_readings_are_sentences_with_numbers(kind: str, charts: dict[str, list[Chart]]) -> None:
    for chart in charts[kind]:
        reading = chart.reading
        assert reading[0].isupper() or reading[0].isdigit(), (chart.name, reading)
        assert reading.endswith(".") and reading.count(". ") == 0, (chart.name, reading)
        assert any(c.isdigit() for c in reading), (chart.name, reading)
        assert "\n" not in reading


def test_write_charts_writes_png_and_svg(
    folders: dict[str, Path], charts: dict[str, list[Chart]]
) -> None:
    write_charts(folders["run"], charts["run"])
    written = sorted(p.name for p in (folders["run"] / "charts").iterdir())
    expected = sorted(f"{name}.{ext}" for name in EXPECTED["run"] for ext in ("png", "svg"))
    assert written == expected
    png = (folders["run"] / "charts" / "backlog.png").read_bytes()
    assert png == charts["run"][0].png


def _by_name(charts: list[Chart]) -> dict[str, Chart]:
    return {chart.name: chart for chart in charts}


def test_run_readings_match_summary(
    folders: dict[str, Path], charts: dict[str, list[Chart]]
) -> None:
    kpis = json.loads((folders["run"] / "summary.json").read_text())["kpis"]
    readings = _by_name(charts["run"])
    ia = kpis["initial_assessment_within_timescale_pct"]
    assert f"{ia['mean']:.1f}%" in readings["timeliness"].reading
    assert f"{ia['ci95_low']:.1f} to {ia['ci95_high']:.1f}" in readings["timeliness"].reading
    caseload = kpis["caseload_per_worker_mean"]["mean"]
    assert f"{caseload:.1f} cases" in readings["caseloads"].reading
    assert "14.3 cases" in readings["caseloads"].reading  # SW cap 100 points / 7 points per CP
    assert "22% of contacts become referrals" in readings["pathway"].reading
    p90 = kpis["referral_to_allocation_days_p90"]
    waits = readings["waits"].reading
    assert f"{p90['mean']:.2f} days" in waits
    assert f"95% CI {p90['ci95_low']:.2f} to {p90['ci95_high']:.2f}" in waits
    context = reading_context(load_scenario(folders["run"] / "scenario.toml"))
    assert waits == read("referral_to_allocation_days_p90", p90, context)


def test_compare_readings_match_comparison(
    folders: dict[str, Path], charts: dict[str, list[Chart]]
) -> None:
    document = json.loads((folders["compare"] / "comparison.json").read_text())
    base, option = document["scenarios"]
    readings = _by_name(charts["compare"])
    ia = "initial_assessment_within_timescale_pct"
    before = f"{document['kpis'][base][ia]['mean']:.1f}%"
    after = f"{document['kpis'][option][ia]['mean']:.1f}%"
    assert before in readings["timeliness"].reading
    assert title_from_name(option) in readings["timeliness"].reading
    assert option not in readings["timeliness"].reading  # by its title, not its file stem
    if before != after:
        assert after in readings["timeliness"].reading
    assert readings["differences"].reading.startswith(
        f"Against {title_from_name(base)}, {title_from_name(option)} changes"
    )


def test_value_for_money_is_drawn_only_for_scenarios_with_costs(tmp_path: Path) -> None:
    out = tmp_path / "mmc"
    common = ["-r", "2", "--jobs", "1"]
    common += ["--set", "simulation.horizon_days=60", "--set", "simulation.warmup_days=10"]
    # Two runs of the M/M/c scenario (which has no costs) under different names.
    first = tmp_path / "first.toml"
    first.write_text(f'base = "{MMC}"\nname = "mmc_ten"\n')
    second = tmp_path / "second.toml"
    second.write_text(
        f'base = "{MMC}"\nname = "mmc_eleven"\n'
        "[workforce.teams.validation]\nstaff = { sw = 11 }\n"
    )
    assert run_cli("compare", str(first), str(second), *common, "--out", str(out)) == 0
    assert json.loads((out / "comparison.json").read_text())["value_for_money"] == {}
    assert not (out / "value_for_money.csv").exists()
    assert "value_for_money" not in [chart.name for chart in charts_for(out)]


def test_staffing_reading_states_the_answer(
    folders: dict[str, Path], charts: dict[str, list[Chart]]
) -> None:
    document = json.loads((folders["staffing"] / "staffing.json").read_text())
    reading = charts["staffing"][0].reading
    if document["met"]:
        assert f"is {document['answer']} " in reading
    else:
        assert reading.startswith("No value of")


def test_not_a_results_folder(tmp_path: Path) -> None:
    empty = tmp_path / "not_results"
    empty.mkdir()
    with pytest.raises(ResultsFolderError, match="not_results"):
        results_kind(empty)
    with pytest.raises(ResultsFolderError, match="not_results"):
        charts_for(empty)
    with pytest.raises(ResultsFolderError, match="missing_folder"):
        charts_for(tmp_path / "missing_folder")


def test_missing_file_is_named(folders: dict[str, Path], tmp_path: Path) -> None:
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / "summary.json").write_text((folders["run"] / "summary.json").read_text())
    with pytest.raises(ResultsFolderError, match=r"partial.*timeseries\.csv"):
        charts_for(partial)


def test_single_assessment_regime_charts(tmp_path: Path) -> None:
    """Under Working Together 2013 the timeliness chart shows the single assessment."""
    out = tmp_path / "single"
    outcomes = "{ nfa = 0.5, cin = 0.3, core = 0.0, s47 = 0.2 }"
    code = run_cli(
        "run",
        "-r",
        "2",
        "-j",
        "1",
        "--out",
        str(out),
        "--set",
        "pathway.regime='single_assessment'",
        *[
            arg
            for tier in ("child_protection", "child_in_need", "disabled_child")
            for arg in ("--set", f"pathway.after_first_assessment.{tier}={outcomes}")
        ],
        *[arg for item in SMALL_COUNTY for arg in ("--set", item)],
    )
    assert code == 0
    readings = _by_name(charts_for(out))
    mean = json.loads((out / "summary.json").read_text())["kpis"][
        "assessment_within_timescale_pct"
    ]["mean"]
    timeliness = readings["timeliness"].reading
    assert "45 working days" in timeliness and f"{mean:.1f}%" in timeliness
    assert "core" not in timeliness.lower()


def test_backlog_marks_each_dated_change(
    folders: dict[str, Path], charts: dict[str, list[Chart]], tmp_path: Path
) -> None:
    """The backlog chart draws a labelled dashed line at each change that begins a period."""
    out = tmp_path / "dated"
    scenario = scenario_file(tmp_path, "dated", *TIMELINE_LINES)
    assert run_cli("run", str(scenario), "-r", "2", "-j", "1", "--out", str(out)) == 0
    periods = json.loads((out / "summary.json").read_text())["periods"]
    assert [p["label"] for p in periods] == ["New allocation rules", "Re-organisation"]
    backlog = _by_name(charts_for(out))["backlog"]
    # The change in the warm-up begins no period; the re-organisation does.
    assert backlog.reading.endswith("; the dashed line marks Re-organisation (2010-05-17).")
    assert "New allocation rules" not in backlog.reading
    assert "dashed" not in _by_name(charts["run"])["backlog"].reading
    assert "dashed" not in _by_name(charts["compare"])["backlog"].reading

    # The same folder without its periods draws no line: the picture differs.
    summary = json.loads((out / "summary.json").read_text())
    summary["periods"] = []
    (out / "summary.json").write_text(json.dumps(summary))
    plain = _by_name(charts_for(out))["backlog"]
    assert "dashed" not in plain.reading
    assert plain.png != backlog.png


def test_targets_are_written_in_the_registry_words() -> None:
    assert target_words("referral_to_allocation_days_mean<=0.15") == (
        "mean wait for allocation at most 0.15 days"
    )
    assert target_words("initial_assessment_within_timescale_pct >= 80") == (
        "initial assessments within timescale at least 80%"
    )
    assert target_words("referrals_count>=100") == "referrals at least 100"
    assert target_words("not a target") == "not a target"
