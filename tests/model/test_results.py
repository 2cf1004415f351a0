"""The plain run results: what a run returns holds no model object, and reads simply."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.results import (
    AGENCY,
    PERMANENT,
    VACANT,
    CaseTable,
    PostHistory,
    PostRecord,
    RunResult,
)
from conftest import small_county
from handmade import cases

PLAIN = (int, float, str, bool, type(None), np.ndarray, np.generic)


def _plain(value: object) -> bool:
    if isinstance(value, PLAIN):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if dataclasses.is_dataclass(value):
        return all(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def test_a_run_returns_plain_data_only() -> None:
    result = simulate(
        small_county(
            "workforce.supervision.enabled=true",
            "workforce.recording.enabled=true",
            "workforce.flow.enabled=true",
        ),
        2,
    )
    assert isinstance(result, RunResult)
    for field in dataclasses.fields(result):
        if field.name in ("scenario", "calendar"):
            continue  # the validated scenario and its calendar, both from below the model
        assert _plain(getattr(result, field.name)), field.name
    assert isinstance(result.cases, CaseTable) and len(result.cases) > 100
    assert all(isinstance(post, PostRecord) for post in result.posts)
    assert set(result.mechanisms) == {"supervision", "recording"}


def test_a_posts_history_gives_the_spells_of_each_kind_of_holder() -> None:
    history = PostHistory(
        2.0,
        10.0,
        [
            (2.0, PERMANENT, "sw", 0.0),
            (4.0, VACANT, "sw", 0.0),
            (5.0, AGENCY, "sw", 5.0),
            (8.0, PERMANENT, "sw", 8.0),
        ],
    )
    assert history.spells(0.0, 20.0, (PERMANENT,)) == [(2.0, 4.0), (8.0, 10.0)]
    assert history.spells(0.0, 20.0, (PERMANENT, AGENCY)) == [(2.0, 4.0), (5.0, 8.0), (8.0, 10.0)]
    assert history.spells(3.0, 6.0, (AGENCY,)) == [(5.0, 6.0)]
    assert history.spells(0.0, 20.0, (VACANT,)) == [(4.0, 5.0)]


def test_the_case_table_selects_rows_and_tells_the_co_worked() -> None:
    table = cases({"coworker_post": 3}, {}, {"coworker_post": 0, "ended_at": 5.0})
    assert table.co_worked.tolist() == [True, False, True]
    picked = table.rows(table.co_worked)
    assert len(picked) == 2 and picked.case_id.tolist() == [0, 2]
    assert math.isnan(picked.ended_at[0]) and picked.ended_at[1] == 5.0
