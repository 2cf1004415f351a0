"""`caseload-sim report` and `--report`: one self-contained HTML page for every results folder."""

from __future__ import annotations

import base64
import binascii
import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from page_text import texts

from caseload_sim.metrics.catalogue import HEADLINE_KPIS, KPIS
from caseload_sim.report import fmt, fmt_ci, fmt_diff, scenario_differences, source_notes
from caseload_sim.scenario.wording import title_from_name
from conftest import MMC, SCENARIOS, TIMELINE_LINES, run_cli, scenario_file

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SHORT = ["--set", "simulation.horizon_days=150", "-r", "3", "-j", "1"]
KINDS = ("run", "compare", "sweep", "staffing")
#: Every folder the fixture makes: one of each kind, and a run of a scenario with a timeline.
FOLDERS = (*KINDS, "timeline")


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One small results folder of each kind, each made with --report."""
    root = tmp_path_factory.mktemp("reports")
    baseline = str(SCENARIOS / "county_2010_baseline.toml")
    commands = {
        "run": ["run", *SHORT],
        "compare": [
            "compare",
            baseline,
            str(SCENARIOS / "county_2010_no_joint_allocation.toml"),
            *SHORT,
        ],
        "sweep": ["sweep", baseline, "--vary", "workforce.teams.north.staff.sw=9:10", *SHORT],
        "staffing": [
            "staffing",
            str(MMC),
            "--vary",
            "workforce.teams.validation.staff.sw=10:13",
            "--target",
            "referral_to_allocation_days_mean<=0.15",
            "--set",
            "simulation.horizon_days=600",
            "-r",
            "3",
            "-j",
            "1",
        ],
    }
    commands["timeline"] = [
        "run",
        str(scenario_file(root, "dated", *TIMELINE_LINES)),
        "-r",
        "3",
        "-j",
        "1",
    ]
    folders = {}
    for kind, args in commands.items():
        folder = root / kind
        assert run_cli(*args, "--out", str(folder), "--report") == 0, kind
        folders[kind] = folder
    return folders


class _Page(HTMLParser):
    """What the tests look at in a report: images, links, scripts and table cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.scripts = 0
        self.styles: list[str] = []
        self.tables: list[dict[str, str | None]] = []  # attributes of each table
        self.table_sections: list[str | None] = []  # the id of the section each table is in
        self._section: str | None = None
        self.rows: list[tuple[int, str | None, list[str]]] = []  # (table index, data-kpi, cells)
        self._in_style = False
        self._row: list[str] | None = None
        self._row_kpi: str | None = None
        self._cell: list[str] | None = None
        #: (table index, data-kpi, {"kpi-title": ..., "kpi-id": ...}) of each cell naming a KPI
        self.kpi_names: list[tuple[int, str | None, dict[str, str]]] = []
        self._part: str | None = None
        self._parts: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "srcset", "action", "poster", "data"):
            if found.get(name):
                self.links.append(str(found[name]))
        if found.get("style"):
            self.styles.append(str(found["style"]))
        if tag == "img":
            self.images.append(found)
        elif tag == "script":
            self.scripts += 1
        elif tag == "style":
            self._in_style = True
        elif tag == "section":
            self._section = found.get("id")
        elif tag == "table":
            self.tables.append(found)
            self.table_sections.append(self._section)
        elif tag == "tr":
            self._row, self._row_kpi = [], found.get("data-kpi")
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        for part in ("kpi-title", "kpi-id"):
            if part in (found.get("class") or "").split():
                self._part = part
                self._parts[part] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        elif tag in ("span", "code"):
            self._part = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
            if self._parts:
                self.kpi_names.append((len(self.tables) - 1, self._row_kpi, self._parts))
                self._parts = {}
        elif tag == "tr" and self._row is not None:
            self.rows.append((len(self.tables) - 1, self._row_kpi, self._row))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._part is not None:
            self._parts[self._part] += data

    def table_rows(self, css_class: str) -> dict[str | None, dict[str, list[str]]]:
        """``{data-scenario: {kpi: cells}}`` for the tables of a class."""
        tables: dict[str | None, dict[str, list[str]]] = {}
        for index, attrs in enumerate(self.tables):
            if css_class in (attrs.get("class") or "").split():
                tables[attrs.get("data-scenario")] = {
                    kpi: cells for i, kpi, cells in self.rows if i == index and kpi is not None
                }
        return tables


def _page(folder: Path) -> _Page:
    page = _Page()
    page.feed((folder / "report.html").read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.mark.parametrize("kind", FOLDERS)
def test_report_and_charts_are_written(reports: dict[str, Path], kind: str) -> None:
    folder = reports[kind]
    assert (folder / "report.html").is_file()
    pngs = sorted((folder / "charts").glob("*.png"))
    svgs = sorted((folder / "charts").glob("*.svg"))
    assert pngs, "no charts written"
    assert [p.stem for p in pngs] == [s.stem for s in svgs]
    for png in pngs:
        assert png.read_bytes().startswith(PNG_SIGNATURE)
    assert len(_page(folder).images) == len(pngs), "one image in the report per chart"
    assert not [p for p in folder.iterdir() if p.name.startswith(".report")], "temporary file left"


@pytest.mark.parametrize("kind", FOLDERS)
def test_report_is_one_self_contained_file(reports: dict[str, Path], kind: str) -> None:
    html = (reports[kind] / "report.html").read_text(encoding="utf-8")
    page = _page(reports[kind])
    assert page.scripts == 0
    assert page.images
    for image in page.images:
        src = image.get("src") or ""
        assert src.startswith("data:image/png;base64,"), src[:60]
        try:
            data = base64.b64decode(src.removeprefix("data:image/png;base64,"), validate=True)
        except binascii.Error as error:  # pragma: no cover - a failure message
            pytest.fail(f"image is not valid base64: {error}")
        assert data.startswith(PNG_SIGNATURE)
        assert image.get("alt"), "every image has alternative text"
    for link in page.links:
        assert not link.lower().startswith(("http://", "https://", "//")), link
    for style in page.styles:
        for target in re.findall(r"url\(([^)]*)\)", style):
            assert "http://" not in target and "https://" not in target, target
        assert "@import" not in style
    assert "<link" not in html.lower(), "no external stylesheet or font"


def test_run_report_kpi_table_matches_summary(reports: dict[str, Path]) -> None:
    folder = reports["run"]
    summary = json.loads((folder / "summary.json").read_text())
    page = _page(folder)
    tables = page.table_rows("kpi-table")
    rows = tables[summary["scenario"]]
    assert set(rows) == set(summary["kpis"])
    for kpi, entry in summary["kpis"].items():
        name, mean, ci, unit, definition = rows[kpi]
        assert name == f"{KPIS[kpi].title} {kpi}"
        assert mean == fmt(entry["mean"]), kpi
        assert ci == fmt_ci(entry["ci95_low"], entry["ci95_high"]), kpi
        assert unit == entry["unit"]
        assert definition, f"{kpi} has no definition"
    # Every KPI is in the appendix; the body has the headline KPIs, by their titles only.
    index = next(i for i, t in enumerate(page.tables) if t.get("class") == "kpi-table")
    assert page.table_sections[index] == "appendix"
    headline = page.table_rows("headline-kpi-table")[summary["scenario"]]
    assert list(headline) == [name for name in HEADLINE_KPIS if name in summary["kpis"]]
    for kpi, cells in headline.items():
        assert cells[:3] == [KPIS[kpi].title, rows[kpi][1], rows[kpi][2]], kpi


@pytest.mark.parametrize("kind", FOLDERS)
def test_every_kpi_the_report_names_is_named_by_its_registry_title(
    reports: dict[str, Path], kind: str
) -> None:
    """Each KPI a table shows is named by the registry's plain title; its identifier is shown
    beside it only in the appendix of a run or comparison (and in a sweep's or staffing
    search's tables, which are for analysts)."""
    page = _page(reports[kind])
    assert page.kpi_names
    named = set()
    with_ids = set()
    for table, row_kpi, parts in page.kpi_names:
        title = parts.get("kpi-title")
        identifier = parts.get("kpi-id") or next(
            (name for name, kpi in KPIS.items() if kpi.title == title), None
        )
        assert identifier in KPIS, parts
        assert title == KPIS[identifier].title, identifier
        assert row_kpi in (None, identifier)
        named.add((table, identifier))
        if "kpi-id" in parts:
            with_ids.add(table)
    kpi_tables = {
        "kpi-table",
        "headline-kpi-table",
        "diff-table",
        "points-table",
        "period-table",
        "definitions",
    }
    rows = 0
    for index, attrs in enumerate(page.tables):
        if not kpi_tables & set((attrs.get("class") or "").split()):
            continue
        for table, kpi, _ in page.rows:
            if table == index and kpi in KPIS:
                assert (index, kpi) in named, (attrs.get("class"), kpi)
                rows += 1
        in_appendix = page.table_sections[index] == "appendix"
        if kind in ("run", "timeline", "compare"):
            assert (index in with_ids) == in_appendix, (attrs.get("class"), in_appendix)
        else:
            assert index in with_ids, attrs.get("class")
    assert rows, "the report has KPI rows"
    if kind in ("run", "timeline", "compare"):
        assert "appendix" in page.table_sections
    # A run's definitions are a column of its KPI table.
    if kind not in ("run", "timeline"):
        index = next(i for i, t in enumerate(page.tables) if t.get("class") == "definitions")
        assert any(table == index for table, _, _ in page.kpi_names)
        assert (page.table_sections[index] == "appendix") == (kind == "compare")


def test_run_report_shows_each_period_with_its_days_to_recover(
    reports: dict[str, Path],
) -> None:
    folder = reports["timeline"]
    summary = json.loads((folder / "summary.json").read_text())
    periods = summary["periods"]
    assert [p["label"] for p in periods] == ["New allocation rules", "Re-organisation"]
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert '<section id="periods">' in html
    assert "Before and after each change" in html
    for period in periods:
        assert f"{period['start_date']} to {period['end_date']}" in html
    (rows,) = _page(folder).table_rows("period-table").values()
    headline = [name for name in HEADLINE_KPIS if name in summary["kpis"]]
    assert list(rows) == [*headline, "days_to_recover", "replications_recovered"]
    for name in headline:
        cells = rows[name]
        assert cells[:2] == [KPIS[name].title, summary["kpis"][name]["unit"]]
        for index, period in enumerate(periods):
            entry = period["kpis"][name]
            mean, ci = cells[2 + 2 * index : 4 + 2 * index]
            assert mean == fmt(entry["mean"]), (name, index)
            assert ci == fmt_ci(entry["ci95_low"], entry["ci95_high"]), (name, index)
    recovery = rows["days_to_recover"]
    assert recovery[2] == "-"  # nothing changed at the start of the first period
    last = periods[-1]["days_to_recover"]
    assert recovery[4:6] == [fmt(last["mean"]), fmt_ci(last["ci95_low"], last["ci95_high"])]
    assert rows["replications_recovered"][3] == f"{last['n']} of {summary['replications']}"


def test_a_report_without_periods_has_no_period_section(reports: dict[str, Path]) -> None:
    for kind in ("run", "compare"):
        html = (reports[kind] / "report.html").read_text(encoding="utf-8")
        assert 'id="periods"' not in html, kind
        assert "Before and after each change" not in html, kind


def test_run_report_states_scenario_methods_and_assumptions(reports: dict[str, Path]) -> None:
    folder = reports["run"]
    html = (folder / "report.html").read_text(encoding="utf-8")
    summary = json.loads((folder / "summary.json").read_text())
    provenance = json.loads((folder / "provenance.json").read_text())
    for text in (
        title_from_name(summary["scenario"]),
        str(summary["seed"]),
        "Working Together 2010",
        "Methods",
        "fixed in advance",
        provenance["packages"]["simpy"],
        "22,000.00 contacts a year",
        "policy joint",
        "slots per working day",
        "illustrative",
        "Staffing by team and grade",
    ):
        assert text in html, text


def test_comparison_report_matches_comparison_json(reports: dict[str, Path]) -> None:
    folder = reports["compare"]
    comparison = json.loads((folder / "comparison.json").read_text())
    page = _page(folder)
    tables = page.table_rows("kpi-table")
    assert set(tables) == set(comparison["scenarios"])
    for name in comparison["scenarios"]:
        summary = json.loads((folder / name / "summary.json").read_text())
        for kpi, entry in summary["kpis"].items():
            assert tables[name][kpi][1] == fmt(entry["mean"]), (name, kpi)
    (differences,) = page.table_rows("all-kpis-diff-table").values()
    (headline,) = page.table_rows("headline-diff-table").values()
    assert list(headline) == [name for name in HEADLINE_KPIS if name in differences]
    for kpi, cells in headline.items():
        assert cells == [KPIS[kpi].title, *differences[kpi][1:]], kpi
    option = comparison["scenarios"][1]
    marked = 0
    for kpi, entry in comparison["differences"][option].items():
        cell = differences[kpi][3]
        if entry["mean"] is None:
            assert cell == "-"
            continue
        low, high = entry["ci95_low"], entry["ci95_high"]
        assert cell.startswith(f"{fmt_diff(entry['mean'])} ({fmt(low)} to {fmt(high)})"), kpi
        significant = low > 0 or high < 0
        assert cell.endswith("*") == significant, kpi
        marked += significant
    assert marked, "stopping joint allocation changes something with 95% confidence"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert texts(html, "ul", "changes") == [
        "How referrals are allocated: jointly (high-risk work to an assistant with a qualified "
        "co-worker) \u2192 by skill (each tier to the grades that may hold it) "
        "Social work assistants holding child protection work: only co-worked \u2192 may not "
        "hold "
        "Social work assistants holding immediate risk work: only co-worked \u2192 may not hold"
    ]
    assert texts(html, "li", "workforce.allocation.policy", "data-field") == [
        "How referrals are allocated: jointly (high-risk work to an assistant with a qualified "
        "co-worker) \u2192 by skill (each tier to the grades that may hold it)"
    ]


def test_sweep_report_points_match_sweep_csv(reports: dict[str, Path]) -> None:
    folder = reports["sweep"]
    with (folder / "sweep.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    (table,) = _page(folder).table_rows("points-table").values()
    for row in rows:
        cell = table[row["kpi"]][2 + int(row["point"])]
        assert cell.startswith(fmt(row["mean"])), (row["kpi"], row["point"])


def test_staffing_report_gives_the_answer_and_the_points(reports: dict[str, Path]) -> None:
    folder = reports["staffing"]
    document = json.loads((folder / "staffing.json").read_text())
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert document["met"] is True
    assert f"with 95% confidence is {document['answer']}." in html
    page = _page(folder)
    cells = [cells for i, kpi, cells in page.rows if kpi == "referral_to_allocation_days_mean"]
    with (folder / "staffing.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert [c[2] for c in cells] == [fmt(r["mean"]) for r in rows]
    assert [c[0] for c in cells] == [r[document["path"]] for r in rows]


def test_report_command_prints_the_path_and_rewrites(
    reports: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = reports["run"]
    (folder / "report.html").unlink()
    assert run_cli("report", str(folder)) == 0
    assert str(folder / "report.html") in " ".join(capsys.readouterr().out.split())
    assert (folder / "report.html").is_file()


@pytest.mark.parametrize("what", ["empty", "missing", "file"])
def test_report_on_a_folder_that_is_not_results_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    target = tmp_path / what
    if what == "empty":
        target.mkdir()
    elif what == "file":
        target.write_text("not a folder\n")
    assert run_cli("report", str(target)) == 2
    captured = capsys.readouterr()
    assert str(target) in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not (target / "report.html").exists() if target.is_dir() else True


def test_scenario_differences_lists_changed_fields() -> None:
    baseline = {"name": "a", "demand": {"rate": 1.0, "mix": {"x": 0.5}}, "policy": "joint"}
    option = {"name": "b", "demand": {"rate": 2.0, "mix": {"x": 0.5}}, "extra": [1, 2]}
    changes = scenario_differences(baseline, option)
    assert [c["path"] for c in changes] == ["demand.rate", "extra", "policy"]
    assert changes[0] == {"path": "demand.rate", "baseline": "1", "option": "2"}
    assert changes[2]["option"] == "(not set)"


def test_numbers_are_formatted_with_two_decimals() -> None:
    assert fmt(61.831282394344754) == "61.83"
    assert fmt(3545.0) == "3,545.00"
    assert fmt(None) == fmt(float("nan")) == fmt("") == "-"
    assert fmt_diff(2.0) == "+2.00" and fmt_diff(-27.41) == "-27.41"
    assert fmt_ci(0.2, 0.27) == "0.20 to 0.27" and fmt_ci(None, None) == "-"


def test_the_scenario_files_and_their_source_notes_are_kept_and_reported(
    reports: dict[str, Path],
) -> None:
    run_sources = sorted(p.name for p in (reports["run"] / "sources").iterdir())
    assert run_sources == ["0_county_2010_baseline.toml"]
    option = reports["compare"] / "county_2010_no_joint_allocation" / "sources"
    # An option written as changes to the baseline keeps both files, the baseline first.
    assert sorted(p.name for p in option.iterdir()) == [
        "0_county_2010_baseline.toml",
        "1_county_2010_no_joint_allocation.toml",
    ]
    notes = source_notes(reports["run"])
    conversion = [n for n in notes if n["field"] == "demand.referral_conversion"]
    assert conversion and "ADCS Safeguarding Pressures" in conversion[0]["note"]
    assert conversion[0]["value"] == "0.22"
    assert any(n["field"] == "demand.tier_mix" and n["value"] == "" for n in notes)
    html = (reports["run"] / "report.html").read_text()
    assert "Sources noted in the scenario files" in html
    assert "ADCS Safeguarding Pressures" in html
