"""A short version of experiments/england_2009_10/run.py: the average English authority of
2009-10 still gives the published figures it was fitted to, and its page can be written."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from caseload_sim.experiment.runner import run_experiment
from caseload_sim.metrics.catalogue import kpis_for_regime

ROOT = Path(__file__).resolve().parents[2]
#: The sweep's other KPIs that the page shows.
_OTHERS = ("core_assessment_within_timescale_pct", "worker_utilisation_pct")


def _experiment() -> ModuleType:
    path = ROOT / "experiments" / "england_2009_10" / "run.py"
    spec = importlib.util.spec_from_file_location("england_2009_10", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def england() -> ModuleType:
    return _experiment()


def test_every_published_figure_has_its_kpi(england: ModuleType) -> None:
    scenario = england.load_scenario(england.SCENARIO)
    reported = kpis_for_regime(scenario.pathway.regime)
    for figure in england.PUBLISHED:
        assert figure.kpi in reported, figure.label
    # The average authority: England's counts over 152, percentages as published.
    referrals = next(f for f in england.PUBLISHED if f.kpi == "referrals_count")
    assert referrals.value == pytest.approx(603_700 / 152)


def test_the_fitted_figures_agree_and_the_page_is_written(england: ModuleType) -> None:
    scenario = england.load_scenario(england.SCENARIO)
    summary = run_experiment(scenario, replications=3, jobs=1).summary()
    rows = england.compare_with_published(summary)
    for row in rows:
        if row.figure.fitted:
            assert row.agrees, (row.figure.label, row.mean, row.figure.value)
    level = england.posts(scenario)
    reading = {"mean": 66.0, "ci95_low": 60.0, "ci95_high": 72.0}
    point = {kpi: reading for kpi in (england.FIT_KPI, *_OTHERS)}
    fit = england.Fit([level], [point])
    page = england.markdown(rows, fit, scenario, summary, 3, 3)
    for figure in england.PUBLISHED:
        assert f"| {figure.label} |" in page
    assert f"The scenario's {level} posts are the fit." in page
    assert "per 10,000 children" in page
