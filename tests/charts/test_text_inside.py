"""Every text of every chart lies inside its figure, and names scenarios and KPIs in words.

Each registered chart is drawn, as :func:`caseload_sim.charts.registry.render` saves it, from
small real results folders: a comparison of a baseline with up to eight options, with short
names and with long ones, and KPI names from the registry or twice as long as the longest there.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import matplotlib.image
import matplotlib.pyplot as plt
import pytest
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from caseload_sim import (
    RunSettings,
    compare_to_folder,
    run_to_folder,
    staffing_to_folder,
    sweep_to_folder,
)
from caseload_sim.charts import charts_for, wording
from caseload_sim.charts.registry import ChartData, definitions, finish
from caseload_sim.charts.style import DPI, chart_settings
from caseload_sim.metrics.catalogue import KPIS
from caseload_sim.results.reader import ResultsFolder
from caseload_sim.scenario.wording import title_from_name
from conftest import MMC, scenario_file

#: How far (pixels) a text may reach past the figure's edge: antialiasing, not clipping.
SLACK = 1.0
SETTINGS = RunSettings(replications=2, jobs=1)
#: Scenario names as planners write them: file stems, short and long.
SHORT = ("base", *(f"opt{i}" for i in range(1, 9)))
LONG = (
    "county_2010_as_found_with_leave_sickness_vacancies_and_turnover",
    *(f"county_2010_option_{i}_north_team_restructure_with_agency_cover" for i in range(1, 9)),
)
LONGEST_PLAIN = max(len(kpi.plain) for kpi in KPIS.values())


def _compare(root: Path, names: tuple[str, ...]) -> Path:
    """A real comparison of a small county and options with fewer social workers in the north."""
    files = [
        scenario_file(
            root,
            name,
            "[workforce.teams.north]",
            f"staff = {{ tm = 1, sp = 1, sw = {11 - index}, nqsw = 1, swa = 1 }}",
            horizon=40,
            warmup=10,
        )
        for index, name in enumerate(names)
    ]
    return compare_to_folder(files, root / "compare", SETTINGS).folder


def _first_options(folder: Path, count: int, out: Path) -> Path:
    """The comparison of the baseline with its first ``count`` options only (each option is
    paired with the baseline alone, so leaving the others out changes none of its numbers)."""
    shutil.copytree(folder, out)
    document = json.loads((out / "comparison.json").read_text())
    kept = document["scenarios"][: count + 1]
    document["scenarios"] = kept
    for key in ("kpis", "differences", "period_differences"):
        if key in document:
            document[key] = {k: v for k, v in document[key].items() if k in kept}
    (out / "comparison.json").write_text(json.dumps(document))
    return out


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Results folders by case: every kind, comparisons of 1 to 8 options."""
    out: dict[str, Path] = {}
    for length, names in (("short", SHORT), ("long", LONG)):
        root = tmp_path_factory.mktemp(f"text_{length}")
        full = _compare(root, names)
        for count in (1, 3, 8):
            out[f"compare, {length} names, {count} option{'s' if count > 1 else ''}"] = (
                _first_options(full, count, root / f"compare_{count}")
            )
    root = tmp_path_factory.mktemp("text_kinds")
    scenario = scenario_file(root, LONG[0], horizon=40, warmup=10)
    out["run, long name"] = run_to_folder(scenario, root / "run", SETTINGS).folder
    varies = ["workforce.teams.north.staff.sw=3:5:2", "workforce.access_centre.duty_workers=2,3"]
    out["sweep of two fields"] = sweep_to_folder(scenario, varies, root / "sweep", SETTINGS).folder
    targets = ["referral_to_allocation_days_mean<=0.15", "worker_utilisation_pct<=90"]
    out["staffing, two targets"] = staffing_to_folder(
        MMC,
        "workforce.teams.validation.staff.sw=10:14",
        targets,
        root / "staffing",
        SETTINGS,
        overrides=["simulation.horizon_days=300"],
    ).folder
    return out


CASES = [
    "compare, short names, 1 option",
    "compare, short names, 8 options",
    "compare, long names, 1 option",
    "compare, long names, 3 options",
    "compare, long names, 8 options",
    "run, long name",
    "sweep of two fields",
    "staffing, two targets",
]


def _lengthened(plain: str) -> str:
    """A plain name made twice as long as the registry's longest."""
    filler = " counted over every team, every grade and every measured period of the service"
    return (plain + filler * 4)[: 2 * LONGEST_PLAIN].rstrip()


@pytest.fixture(params=["registry", "twice the longest"])
def kpi_names(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The charts' KPI names: the registry's, or each lengthened to twice the longest there."""
    if request.param != "registry":
        longer = {
            name: dataclasses.replace(kpi, plain=_lengthened(kpi.plain))
            for name, kpi in KPIS.items()
        }
        monkeypatch.setattr(wording, "KPIS", longer)
    yield request.param


def _drawn_texts(fig: Figure) -> tuple[list[Text], RendererBase]:
    """The texts a draw of the figure puts on it (only those it draws: tick labels beyond the
    axes' limits and the texts of hidden axes are left out), and the renderer it used."""
    drawn: list[Text] = []
    draw = Text.draw

    def record(text: Text, renderer: RendererBase) -> None:
        draw(text, renderer)
        if text.get_visible() and text.get_text().strip():
            drawn.append(text)

    with mock.patch.object(Text, "draw", record):
        fig.canvas.draw()
    return drawn, fig.canvas.get_renderer()


def _where(text: Text, box: Bbox, fig: Figure) -> str:
    frame = fig.bbox
    return (
        f"{text.get_text()!r}: x {box.x0:.0f} to {box.x1:.0f}, y {box.y0:.0f} to {box.y1:.0f} "
        f"(figure {frame.width:.0f} x {frame.height:.0f})"
    )


def _misplaced(fig: Figure) -> list[str]:
    """Each drawn text that reaches past the figure's edge or into its title, with where it
    lies."""
    texts, renderer = _drawn_texts(fig)
    frame = fig.bbox
    heading = next(
        (t for t in texts if t.axes is None and t.get_text() == fig.get_suptitle()), None
    )
    title = None
    if heading is not None:
        box = heading.get_window_extent(renderer)
        title = Bbox.from_extents(box.x0 + SLACK, box.y0 + SLACK, box.x1 - SLACK, box.y1 - SLACK)
    found = []
    for text in texts:
        box = text.get_window_extent(renderer)
        if (
            box.x0 < frame.x0 - SLACK
            or box.y0 < frame.y0 - SLACK
            or box.x1 > frame.x1 + SLACK
            or box.y1 > frame.y1 + SLACK
        ):
            found.append(_where(text, box, fig))
        elif title is not None and text is not heading and box.overlaps(title):
            found.append("over the title: " + _where(text, box, fig))
    return found


def _finished(case: str, folders: dict[str, Path]) -> Iterator[tuple[str, Figure]]:
    """Each chart of the case's folder, as it is saved (the figure closed after use)."""
    folder = ResultsFolder(folders[case])
    data = ChartData(folder)
    with chart_settings():
        for definition in definitions().values():
            if folder.kind not in definition.kinds:
                continue
            fig = finish(definition.draw(data))
            try:
                yield definition.name, fig
            finally:
                plt.close(fig)


@pytest.mark.parametrize("case", CASES)
def test_every_text_lies_inside_its_figure(
    case: str, kpi_names: str, folders: dict[str, Path]
) -> None:
    clipped = {}
    for name, fig in _finished(case, folders):
        assert fig.dpi == DPI, name
        clipped[name] = _misplaced(fig)
    assert clipped, case
    assert not {name: texts for name, texts in clipped.items() if texts}


def test_the_figure_checked_is_the_picture_saved(folders: dict[str, Path]) -> None:
    """Each PNG is the whole figure whose texts are checked: saved uncropped, at its size."""
    case = "compare, long names, 8 options"
    checked = {name: (fig.bbox.height, fig.bbox.width) for name, fig in _finished(case, folders)}
    saved = {
        chart.name: matplotlib.image.imread(io.BytesIO(chart.png), format="png").shape[:2]
        for chart in charts_for(folders[case])
    }
    assert list(saved) == list(checked)
    for name, size in saved.items():
        # A fraction of a pixel is cut, not rounded.
        assert all(0 <= b - a < 1 for a, b in zip(size, checked[name], strict=True)), name


def test_the_cases_draw_every_registered_chart(folders: dict[str, Path]) -> None:
    kinds = {ResultsFolder(folders[case]).kind for case in CASES}
    assert all(set(chart.kinds) & kinds for chart in definitions().values())


@pytest.mark.parametrize("case", [c for c in CASES if "names" in c or c.startswith("run")])
def test_scenarios_and_kpis_are_named_in_words(case: str, folders: dict[str, Path]) -> None:
    """Scenarios appear by their titles and KPIs by their plain names, never by identifiers."""
    runs = ChartData(ResultsFolder(folders[case])).runs
    identifiers = [run.name for run in runs if "_" in run.name] + list(KPIS)
    for name, fig in _finished(case, folders):
        texts = [text.get_text() for text in _drawn_texts(fig)[0]]
        words = " ".join(" ".join(texts).split())
        assert not [i for i in identifiers if i in words], (name, words)
        if name != "pathway":  # the pathway is the baseline's alone
            for run in runs:
                assert title_from_name(run.name) in words, (name, run.name, words)
