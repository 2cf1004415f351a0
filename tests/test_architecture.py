"""The examples of docs/architecture.md run, and do what the page says they do."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from caseload_sim.charts import registry as charts
from caseload_sim.metrics import registry
from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.mechanisms.base import unregister
from caseload_sim.model.policies import POLICIES
from checks import check_conservation, check_eligibility, check_hard_caps
from conftest import small_county

PAGE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
_EXAMPLE = re.compile(r"<!-- example: ([\w-]+) -->\n```python\n(.*?)```", re.S)


def examples() -> dict[str, str]:
    """The page's examples, by name."""
    return dict(_EXAMPLE.findall(PAGE.read_text(encoding="utf-8")))


def run_examples(*names: str) -> dict[str, Any]:
    """Run the named examples in order, in one namespace; the namespace."""
    found = examples()
    namespace: dict[str, Any] = {"__name__": "architecture_example"}
    for name in names:
        exec(compile(found[name], f"{PAGE.name}:{name}", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.fixture
def clean_registries() -> Iterator[None]:
    with registry.extra_kpis(), charts.extra_charts():
        try:
            yield
        finally:
            unregister("team_meetings")
            POLICIES.pop("fewest_cases", None)


def test_the_page_has_an_example_for_each_extension() -> None:
    assert set(examples()) >= {
        "kpi",
        "kpi-reading",
        "chart",
        "policy",
        "policy-run",
        "mechanism",
        "mechanism-kpi",
    }


@pytest.mark.usefixtures("clean_registries")
def test_a_new_kpi_is_measured_and_read() -> None:
    run_examples("kpi", "kpi-reading")
    result = simulate(small_county(), 5)
    found = compute_kpis(result)["referrals_out_of_hours_pct"]
    cases = result.cases
    decided = (cases.decided_at >= result.measured_from) & (cases.decided_at <= result.measured_to)
    assert found == pytest.approx(100 * cases.out_of_hours[decided].mean())
    assert 10 < found < 30  # the scenario's out-of-hours share is 20%


@pytest.mark.usefixtures("clean_registries")
def test_a_new_policy_allocates_within_the_rules() -> None:
    namespace = run_examples("policy", "policy-run")
    assert POLICIES["fewest_cases"] is namespace["fewest_cases"]
    assert not math.isnan(namespace["kpis"]["referral_to_allocation_days_mean"])
    from caseload_sim.model.frontdoor import FrontDoor

    # Posts fall vacant and are filled again (workforce flow): the policy stays on the board.
    door = FrontDoor(
        small_county(
            "workforce.allocation.cap_mode='hard'",
            "workforce.flow.enabled=true",
            "workforce.flow.permanent_leaving_pct_per_year=100",
        ),
        2,
        0,
    )
    door.board.use_policy(POLICIES["fewest_cases"])
    result = door.run()
    assert door.board.policy is POLICIES["fewest_cases"]
    assert result.events.of("holder_left").any()
    check_conservation(result)
    check_eligibility(result)
    check_hard_caps(result)
    # Nobody is co-worked: the policy gives cases only to those who may hold them outright.
    assert not result.cases.co_worked.any()


@pytest.mark.usefixtures("clean_registries")
def test_a_new_mechanism_takes_time_and_reports_its_kpi() -> None:
    scenario = small_county()
    without = compute_kpis(simulate(scenario, 3))
    run_examples("mechanism", "mechanism-kpi")
    result = simulate(scenario, 3)
    held = result.mechanisms["team_meetings"]["held_at"]
    assert np.allclose(np.diff(held), 7.0) and held[0] == 0.0
    found = compute_kpis(result)
    start, end = result.measured_from, result.measured_to
    assert found["team_meetings_count"] == ((held >= start) & (held <= end)).sum() > 10
    # An hour a week of every practitioner goes to the meeting.
    assert found["worker_utilisation_pct"] > without["worker_utilisation_pct"]
    check_conservation(result)


@pytest.mark.usefixtures("clean_registries")
def test_a_new_chart_is_drawn_for_the_folders_it_applies_to(tmp_path: Path) -> None:
    from caseload_sim import RunSettings, run_to_folder
    from caseload_sim.charts import charts_for
    from caseload_sim.report import write_report
    from conftest import SMALL_COUNTY

    run_examples("chart")
    study = run_to_folder(
        None, tmp_path / "run", RunSettings(replications=2, jobs=1), overrides=SMALL_COUNTY
    )
    drawn = {c.name: c for c in charts_for(study.folder)}
    assert list(drawn)[-1] == "re_referrals"
    mean = study.result.summary()["re_referral_pct"]["mean"]
    assert f"{mean:.1f}%" in drawn["re_referrals"].reading
    assert drawn["re_referrals"].png.startswith(b"\x89PNG")
    page = write_report(study.folder).read_text(encoding="utf-8")
    assert "Re-referrals within 12 months, replication by replication" in page
