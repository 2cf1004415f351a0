"""KPIs of each period between dated changes: summary.json, periods.csv, checkpoints and compare
(the table the command line prints: tests/cli/test_tables.py)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path

import pytest

from caseload_sim.experiment.checkpoints import CheckpointStore
from caseload_sim.experiment.comparison import compare
from caseload_sim.experiment.replications import ExperimentResult
from caseload_sim.experiment.runner import ReplicationRunner, run_experiment
from caseload_sim.metrics.catalogue import kpis_for_regime
from caseload_sim.metrics.periods import DAYS_TO_RECOVER
from caseload_sim.model.context import build_calendar
from caseload_sim.model.frontdoor import simulate
from caseload_sim.report import write_report
from caseload_sim.results.kinds import PERIODS_COLUMNS
from caseload_sim.results.writer import write_comparison, write_results
from caseload_sim.scenario.timeline import measured_periods
from conftest import TIMELINE, small_county

REPLICATIONS = 3
SEED = 7
LABELS = ["New allocation rules", "Re-organisation"]


@pytest.fixture(scope="module")
def result() -> ExperimentResult:
    return run_experiment(small_county(TIMELINE), REPLICATIONS, SEED, jobs=1)


@pytest.fixture(scope="module")
def folder(result: ExperimentResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_results(result, tmp_path_factory.mktemp("periods") / "out")


def _timeline(*entries: tuple[str, str]) -> str:
    """A timeline override of (date, label) entries, each changing the allocation policy."""
    policies = ("skill_matched", "joint")
    return "timeline=[{}]".format(
        ", ".join(
            f'{{ date = {date}, label = "{label}", changes = '
            f'{{ "workforce.allocation.policy" = "{policies[i % 2]}" }} }}'
            for i, (date, label) in enumerate(entries)
        )
    )


@pytest.mark.parametrize(
    "timeline",
    [
        TIMELINE,  # one change in the warm-up, one inside the measured period
        _timeline(("2010-05-01", "On the first day measured"), ("2010-06-14", "Later")),
        _timeline(("2010-05-10", "First"), ("2010-07-01", "Second")),
    ],
)
def test_measured_periods_agree_with_the_simulation(timeline: str) -> None:
    scenario = small_county(timeline)
    expected = simulate(scenario, SEED, 0).periods
    assert expected is not None
    periods = measured_periods(scenario)
    assert [(p.label, p.start, p.end) for p in periods] == [
        (p.label, p.start, p.end) for p in expected
    ]
    calendar = build_calendar(scenario)
    for period in periods:
        # Bounds here are midnights: the period ends on the day before its end bound.
        assert period.start_date == calendar.to_date(period.start)
        assert period.end_date == calendar.to_date(period.end) - dt.timedelta(days=1)


def test_a_change_in_the_warm_up_is_folded_into_the_first_period() -> None:
    scenario = small_county(TIMELINE)
    periods = measured_periods(scenario)
    assert [p.label for p in periods] == LABELS
    assert periods[0].start == scenario.simulation.warmup_days
    assert periods[-1].end == scenario.simulation.horizon_days
    assert periods[0].end == periods[1].start == 46.0  # 2010-05-17
    assert periods[0].end_date.isoformat() == "2010-05-16"
    assert periods[1].start_date.isoformat() == "2010-05-17"


def test_no_change_inside_the_measured_period_gives_no_periods() -> None:
    assert measured_periods(small_county()) == []
    only_in_warm_up = small_county(_timeline(("2010-04-12", "Early")))
    assert measured_periods(only_in_warm_up) == []
    assert simulate(only_in_warm_up, SEED, 0).periods == []


def test_summary_periods_are_the_means_of_the_replications(
    result: ExperimentResult, folder: Path
) -> None:
    summary = json.loads((folder / "summary.json").read_text())
    periods = summary["periods"]
    assert [p["label"] for p in periods] == LABELS
    assert [(p["start_day"], p["end_day"]) for p in periods] == [(30.0, 46.0), (46.0, 150.0)]
    assert [(p["start_date"], p["end_date"]) for p in periods] == [
        ("2010-05-01", "2010-05-16"),
        ("2010-05-17", "2010-08-28"),
    ]
    for index, period in enumerate(periods):
        assert set(period) == {
            "label",
            "start_day",
            "end_day",
            "start_date",
            "end_date",
            "kpis",
            DAYS_TO_RECOVER,
        }
        assert list(period["kpis"]) == kpis_for_regime("wt2010")
        for name, entry in period["kpis"].items():
            assert set(entry) == {"mean", "ci95_low", "ci95_high", "unit", "n"}
            values = [o.periods[index][name] for o in result.outputs]
            kept = [v for v in values if not math.isnan(v)]
            assert entry["n"] == len(kept), name
            if kept:
                assert entry["mean"] == pytest.approx(math.fsum(kept) / len(kept)), name
                assert entry["unit"] == summary["kpis"][name]["unit"]
            else:
                assert entry["mean"] is None, name
            if len(kept) > 1:
                assert entry["ci95_low"] <= entry["mean"] <= entry["ci95_high"], name
        recovery = period[DAYS_TO_RECOVER]
        assert set(recovery) == {"mean", "ci95_low", "ci95_high", "n"}
        values = [o.periods[index][DAYS_TO_RECOVER] for o in result.outputs]
        kept = [v for v in values if not math.isnan(v)]
        assert recovery["n"] == len(kept)
        if kept:
            assert recovery["mean"] == pytest.approx(math.fsum(kept) / len(kept))
    # No days to recover for the first period: nothing changed at its start.
    assert periods[0][DAYS_TO_RECOVER] == {
        "mean": None,
        "ci95_low": None,
        "ci95_high": None,
        "n": 0,
    }
    # The periods split the measured period: counts add up to the whole.
    for name in ("contacts_count", "referrals_count"):
        total = sum(p["kpis"][name]["mean"] for p in periods)
        assert total == pytest.approx(summary["kpis"][name]["mean"])


def test_periods_csv_is_tidy_and_agrees_with_the_summary(folder: Path) -> None:
    summary = json.loads((folder / "summary.json").read_text())
    with (folder / "periods.csv").open(newline="") as stream:
        reader = csv.DictReader(stream)
        assert tuple(reader.fieldnames or ()) == PERIODS_COLUMNS
        rows = list(reader)
    keys = [(row["period"], row["kpi"]) for row in rows]
    assert len(keys) == len(set(keys)), "one row per period and KPI"
    periods = summary["periods"]
    assert len(rows) == sum(len(p["kpis"]) + 1 for p in periods)

    def number(text: str) -> float | None:
        return None if text == "" else float(text)

    for row in rows:
        period = periods[int(row["period"])]
        assert row["label"] == period["label"]
        assert (row["start_date"], row["end_date"]) == (period["start_date"], period["end_date"])
        entry = (
            period[DAYS_TO_RECOVER] if row["kpi"] == DAYS_TO_RECOVER else period["kpis"][row["kpi"]]
        )
        for column in ("mean", "ci95_low", "ci95_high"):
            assert number(row[column]) == entry[column], (row["period"], row["kpi"], column)
        assert int(row["n"]) == entry["n"]


def test_a_scenario_without_a_timeline_has_no_periods(tmp_path: Path) -> None:
    plain = run_experiment(small_county(), 2, SEED, jobs=1)
    assert all(o.periods == [] for o in plain.outputs)
    assert plain.period_summary() == []
    out = tmp_path / "out"
    out.mkdir()
    (out / "periods.csv").write_text("left by an earlier run\n")
    write_results(plain, out)
    assert json.loads((out / "summary.json").read_text())["periods"] == []
    assert not (out / "periods.csv").exists(), "a stale periods.csv is removed"


def test_a_resumed_run_keeps_the_periods(
    result: ExperimentResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import caseload_sim.experiment.runner as runner

    scenario = small_county(TIMELINE)
    out = tmp_path / "out"
    run_experiment(scenario, REPLICATIONS - 1, SEED, jobs=1, out=out)
    real = runner.run_replication
    simulated: list[int] = []

    def counted(*args: object, **kwargs: object) -> object:
        simulated.append(int(str(args[2])))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "run_replication", counted)
    resumed = run_experiment(scenario, REPLICATIONS, SEED, jobs=1, out=out, resume=True)
    assert simulated == [REPLICATIONS - 1]
    for mine, fresh in zip(resumed.outputs, result.outputs, strict=True):
        assert len(mine.periods) == len(fresh.periods) == len(LABELS)
        for kept, expected in zip(mine.periods, fresh.periods, strict=True):
            # (Not bit for bit: a sum in the model depends on the order of a set.)
            assert kept == pytest.approx(expected, rel=1e-12, nan_ok=True)
    assert [p["label"] for p in resumed.period_summary()] == LABELS


def test_a_checkpoint_saved_without_periods_is_run_again_only_if_it_needs_them(
    tmp_path: Path,
) -> None:
    for scenario, reused in ((small_county(TIMELINE), False), (small_county(), True)):
        out = tmp_path / scenario.name / ("timeline" if scenario.timeline else "plain")
        first = ReplicationRunner(out=out)
        first.outputs([(scenario, SEED, 0)])
        key = first.key(scenario, SEED)
        # As a checkpoint written before the periods were kept.
        path = next((out / ".checkpoints" / key).glob("*.json"))
        document = json.loads(path.read_text())
        del document["periods"]
        path.write_text(json.dumps(document))
        assert CheckpointStore(out).load(key)[0].periods == []
        again = ReplicationRunner(out=out, resume=True)
        (output,) = again.outputs([(scenario, SEED, 0)])
        assert again.simulated == (0 if reused else 1)
        assert len(output.periods) == len(measured_periods(scenario))


def test_options_with_different_periods_can_be_compared(tmp_path: Path) -> None:
    baseline = small_county('name="without timeline"')
    option = small_county('name="with timeline"', TIMELINE)
    comparison = compare([baseline, option], 2, SEED, jobs=1)
    out = write_comparison(comparison, tmp_path / "compared")
    plain = json.loads((out / "without_timeline" / "summary.json").read_text())
    dated = json.loads((out / "with_timeline" / "summary.json").read_text())
    assert plain["periods"] == []
    assert [p["label"] for p in dated["periods"]] == LABELS
    assert not (out / "without_timeline" / "periods.csv").exists()
    assert (out / "with_timeline" / "periods.csv").is_file()
    html = write_report(out).read_text(encoding="utf-8")
    assert html.count('class="period-table"') == 1
    assert 'data-scenario="with timeline"' in html
