"""The KPI registry: each KPI declared once, read in plain words, in one catalogue order."""

from __future__ import annotations

import math

import pytest

from caseload_sim.metrics import registry
from caseload_sim.metrics.catalogue import (
    HEADLINE_KPIS,
    KPIS,
    compute_kpis,
    kpi_reference_markdown,
    kpis_for_regime,
)
from caseload_sim.metrics.registry import KpiDefinition, kpi, read, reading_context
from handmade import cases, run, scenario


def test_every_kpi_has_a_plain_name_a_reading_and_a_definition() -> None:
    assert len(KPIS) >= 40
    for name, definition in KPIS.items():
        assert definition.name == name
        # A phrase for inside a sentence; its title starts with a capital (or a figure).
        assert definition.plain and not definition.plain[0].isupper(), name
        assert definition.title == definition.plain[0].upper() + definition.plain[1:], name
        assert definition.description and definition.numerator, name
        assert definition.unit, name
        assert definition.regime in registry.REGIMES, name
        # Every reading reads with the default timescales, without a stray brace.
        sentence = read(name, {"mean": 12.34, "ci95_low": 10.0, "ci95_high": 14.0})
        assert "{" not in sentence and "}" not in sentence, name
        assert sentence.endswith(")."), name


def test_unit_in_the_name() -> None:
    for name, definition in KPIS.items():
        if name.endswith("_pct"):
            assert definition.unit == "%", name
        if "_days_" in name or name.endswith("_days"):
            assert definition.unit == "days", name
        if name.endswith("_count"):
            assert definition.unit == "count", name
        if name.endswith("_gbp_per_year"):
            assert definition.unit == "£/year", name
        if name.endswith("_gbp"):
            assert definition.unit == "£", name


def test_a_gain_is_costed_only_where_a_direction_is_better() -> None:
    from caseload_sim.experiment.value_for_money import value_kpis

    assert value_kpis() == [
        "initial_assessment_within_timescale_pct",
        "core_assessment_within_timescale_pct",
        "assessment_within_timescale_pct",
        "strategy_discussion_within_target_pct",
        "high_risk_cases_held_by_unqualified_pct",
    ]
    assert KPIS["high_risk_cases_held_by_unqualified_pct"].better == "lower"
    with pytest.raises(ValueError, match="better must be one of"):
        registry.register(KpiDefinition("y_pct", "%", "d", "n", "-", "y", "Y", better="up"))


def test_a_reading_is_a_sentence_with_its_interval() -> None:
    name = "initial_assessment_within_timescale_pct"
    entry = {"mean": 49.2, "ci95_low": 46.1, "ci95_high": 52.4}
    assert read(name, entry) == (
        "About 49 in 100 initial assessments were completed within 7 working days of referral "
        "(95% CI 46 to 52)."
    )
    # The interval is left out when there is none, and the scenario's timescale is used.
    ten = reading_context(scenario("pathway.timescales.initial_assessment_wd=10"))
    assert read(name, {"mean": 49.2, "ci95_low": None, "ci95_high": math.nan}, ten) == (
        "About 49 in 100 initial assessments were completed within 10 working days of referral."
    )
    assert read(name, {"mean": None}) == (
        "Nothing to count for initial assessments within timescale in this run."
    )
    one = reading_context(scenario())
    assert read("strategy_discussion_within_target_pct", {"mean": 50.0}, one).endswith(
        "within 1 working day of referral."
    )


def test_the_headline_kpis_in_their_order() -> None:
    assert HEADLINE_KPIS == (
        "initial_assessment_within_timescale_pct",
        "core_assessment_within_timescale_pct",
        "assessment_within_timescale_pct",
        "referral_to_allocation_days_mean",
        "referral_to_allocation_days_p90",
        "referral_to_strategy_discussion_days_p90",
        "strategy_discussion_within_target_pct",
        "caseload_per_worker_mean",
        "high_risk_cases_per_worker_max",
        "high_risk_cases_held_by_unqualified_pct",
        "unallocated_referrals_mean",
        "worker_utilisation_pct",
    )
    ranks = [KPIS[name].headline for name in HEADLINE_KPIS]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def test_the_regimes_share_every_kpi_but_their_assessments() -> None:
    wt2010, single = set(kpis_for_regime("wt2010")), set(kpis_for_regime("single_assessment"))
    assert wt2010 - single == {
        "initial_assessment_within_timescale_pct",
        "core_assessment_within_timescale_pct",
        "initial_assessments_count",
        "core_assessments_count",
    }
    assert single - wt2010 == {"assessment_within_timescale_pct", "single_assessments_count"}
    assert list(KPIS) == [n for n in KPIS if n in wt2010 | single]


def test_the_kpi_reference_lists_every_kpi_with_its_plain_name() -> None:
    text = kpi_reference_markdown()
    for definition in KPIS.values():
        assert f"| `{definition.name}` | {definition.plain} |" in text


def test_a_new_kpi_is_one_decorated_function() -> None:
    with registry.extra_kpis():

        @kpi(
            "referrals_out_of_hours_pct",
            unit="%",
            plain="referrals that came out of hours",
            reading="About {mean:.0f} in 100 referrals came out of hours",
            description="Referrals whose contact came out of hours.",
            numerator="referrals decided in the period whose contact came out of hours",
            denominator="referrals decided in the period",
        )
        def out_of_hours(view):  # type: ignore[no-untyped-def]
            decided = view.within(view.cases.decided_at)
            return 100.0 * view.cases.out_of_hours[decided].mean()

        table = cases(
            {"decided_at": 70.0, "out_of_hours": True},
            {"decided_at": 71.0},
            {"decided_at": 72.0},
            {"decided_at": 73.0},
        )
        found = compute_kpis(run(measured=(60.0, 120.0), case_table=table))
        assert found["referrals_out_of_hours_pct"] == 25.0
        assert list(found)[-1] == "referrals_out_of_hours_pct"
        assert "referrals_out_of_hours_pct" in kpi_reference_markdown()
    assert "referrals_out_of_hours_pct" not in KPIS
    assert "referrals_out_of_hours_pct" not in compute_kpis(run())


def test_a_kpi_is_declared_only_once() -> None:
    existing = KPIS["referrals_count"]
    with pytest.raises(ValueError, match="declared twice"):
        registry.register(existing)
    with pytest.raises(ValueError, match="regime"):
        registry.register(KpiDefinition("x_pct", "%", "d", "n", "-", "x", "X", regime="wt2013"))
