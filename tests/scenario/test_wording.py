"""Scenario fields and values in a planner's words."""

from __future__ import annotations

import pytest

from caseload_sim.scenario.wording import field_label, title_from_name, value_words


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("workforce.teams.north.staff.sw", "North team: social workers (posts)"),
        ("workforce.teams.north.staff", "North team: posts"),
        ("workforce.teams.north.tiers", "North team: work it holds"),
        ("workforce.teams.immediate_response", "Immediate response team"),
        ("workforce.grades.swa.caseload_cap", "Social work assistants: caseload cap (points)"),
        (
            "workforce.case_weights.child_protection",
            "Child protection: caseload points a case counts for",
        ),
        (
            "workforce.eligibility.swa.immediate_risk",
            "Social work assistants holding immediate risk work",
        ),
        ("workforce.allocation.policy", "How referrals are allocated"),
        ("workforce.training.days_per_year", "Training: days per year"),
    ],
)
def test_a_field_is_named_in_a_planners_words(path: str, label: str) -> None:
    assert field_label(path) == label


def test_values_are_said_as_a_reader_says_them() -> None:
    assert value_words(None) == "—"
    assert value_words("skill_matched").startswith("by skill")
    assert value_words("no") == "may not hold"
    assert value_words(["child_protection", "child_in_need"]) == "child protection, child in need"
    assert value_words({"tm": 1, "sw": 9, "swa": 0}) == "9 social workers, 1 team manager"
    assert value_words({"tiers": ["immediate_risk"], "staff": {"sw": 1}}) == (
        "work it holds: immediate risk; posts: 1 social worker"
    )
    assert value_words(0.25) == "0.25"
    assert value_words(True) == "yes"


def test_a_name_becomes_a_title() -> None:
    assert title_from_name("county_2010_as_found") == "County 2010 as found"
    assert title_from_name("plus-10") == "Plus 10"
