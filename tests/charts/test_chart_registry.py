"""The chart registry: every chart declared once, with the kinds of folder it applies to, and a
chart of one's own that comes and goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseload_sim.charts import ChartData, Drawing, chart, charts_for, extra_charts, unregister
from caseload_sim.charts.registry import FOLDER_KINDS, ChartDefinition, definitions, register
from caseload_sim.charts.style import figure
from caseload_sim.report import write_report
from conftest import SMALL_COUNTY, run_cli

#: The charts in reading order (the order of the catalogue's imports).
READING_ORDER = [
    "backlog",
    "caseloads",
    "timeliness",
    "waits",
    "differences",
    "value_for_money",
    "pathway",
    "sweep",
    "staffing",
]


def test_every_chart_declares_kinds_from_the_four_folder_kinds() -> None:
    assert FOLDER_KINDS == ("run", "compare", "sweep", "staffing")
    assert list(definitions()) == READING_ORDER
    for name, declared in definitions().items():
        assert declared.name == name
        assert declared.kinds, name
        assert set(declared.kinds) <= set(FOLDER_KINDS), (name, declared.kinds)
    for kind in FOLDER_KINDS:
        assert any(kind in declared.kinds for declared in definitions().values()), kind


def test_a_chart_is_declared_once_for_known_kinds() -> None:
    backlog = definitions()["backlog"]
    with pytest.raises(ValueError, match="'backlog' is declared twice"):
        register(backlog)
    with pytest.raises(ValueError, match="kinds must be some of run, compare, sweep, staffing"):
        register(ChartDefinition("odd", ("runs",), backlog.draw))
    with pytest.raises(ValueError, match="kinds must be"):
        register(ChartDefinition("none", (), backlog.draw))
    assert "odd" not in definitions() and "none" not in definitions()
    assert list(definitions()) == READING_ORDER


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("registry") / "run"
    sets = [item for entry in SMALL_COUNTY for item in ("--set", entry)]
    assert run_cli("run", "-r", "2", "-j", "1", *sets, "--out", str(folder)) == 0
    return folder


def _kpi_count(data: ChartData) -> Drawing:
    """An extra chart: how many KPIs had something to count."""
    kpis = data.folder.summary["kpis"]
    counted = sum(1 for entry in kpis.values() if entry.get("mean") is not None)
    fig, axes = figure(6, 4)
    axes[0, 0].bar(["counted", "nothing to count"], [counted, len(kpis) - counted])
    reading = f"{counted} of {len(kpis)} KPIs had something to count"
    return Drawing(fig, "KPIs with something to count", "an example chart", reading)


def test_an_extra_chart_comes_and_goes(run_folder: Path) -> None:
    run_charts = [name for name, c in definitions().items() if "run" in c.kinds]
    with extra_charts():
        chart("kpi_count", kinds=("run",))(_kpi_count)
        assert list(definitions())[-1] == "kpi_count"
        drawn = charts_for(run_folder)
        assert [c.name for c in drawn] == [*run_charts, "kpi_count"]
        extra = drawn[-1]
        assert extra.title == "KPIs with something to count"
        assert extra.reading.endswith("KPIs had something to count.")
        html = write_report(run_folder).read_text(encoding="utf-8")
        assert 'id="chart-kpi_count"' in html and extra.reading in html
        assert (run_folder / "charts" / "kpi_count.png").is_file()
    assert "kpi_count" not in definitions()
    assert list(definitions()) == READING_ORDER
    html = write_report(run_folder).read_text(encoding="utf-8")
    assert 'id="chart-kpi_count"' not in html and "KPIs with something to count" not in html
    assert 'id="chart-backlog"' in html


def test_unregister_removes_a_chart() -> None:
    chart("only_sweeps", kinds=("sweep",))(_kpi_count)
    try:
        assert "only_sweeps" in definitions()
    finally:
        unregister("only_sweeps")
    assert "only_sweeps" not in definitions()
    unregister("only_sweeps")  # removing a chart that is not there is not an error
