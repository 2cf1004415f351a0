"""Run results made by hand, for testing what reads them (the KPIs) without a simulation."""

from __future__ import annotations

import math
from dataclasses import fields
from typing import Any

import numpy as np

from caseload_sim.model.context import build_calendar
from caseload_sim.model.results import (
    EVENT_CODES,
    OUTCOMES,
    CaseTable,
    EventArrays,
    Period,
    PostHistory,
    PostRecord,
    RunResult,
)
from caseload_sim.scenario.loading import load_scenario
from caseload_sim.scenario.schema import GRADES, TIERS, Scenario

_INTEGERS = {"case_id", "child", "episode", "tier", "outcome"}
_POSTS = {"first_lead_grade", "lead_grade", "lead_post", "coworker_post"}
_FLAGS = {"out_of_hours", "over_allocated", "inadequate", "plan_if_conference"}


def scenario(*overrides: str) -> Scenario:
    """The bundled default scenario (England calendar from 1 April 2010), with overrides."""
    return load_scenario(None, list(overrides))


def cases(*rows: dict[str, Any]) -> CaseTable:
    """A case table, one dict per referral: times default to NaN (not reached), posts and
    grades to -1 (nobody), flags to False; ``tier``, ``outcome`` and the grades may be given
    by name."""
    columns: dict[str, list[Any]] = {f.name: [] for f in fields(CaseTable)}
    for number, row in enumerate(rows):
        for name, values in columns.items():
            value = row.get(name)
            if name == "case_id" and value is None or name == "child" and value is None:
                value = number
            elif name == "tier" and isinstance(value, str):
                value = TIERS.index(value)
            elif name == "outcome" and isinstance(value, str):
                value = OUTCOMES.index(value)
            elif name.endswith("_grade") and isinstance(value, str):
                value = GRADES.index(value)
            if value is None:
                value = (
                    0
                    if name in _INTEGERS
                    else -1
                    if name in _POSTS
                    else False
                    if name in _FLAGS
                    else 0.0
                    if name == "oversight_hours"
                    else math.nan
                )
            values.append(value)
    arrays: dict[str, np.ndarray] = {}
    for name, values in columns.items():
        if name in _INTEGERS or name in _POSTS:
            arrays[name] = np.array(values, dtype=np.int64)
        elif name in _FLAGS:
            arrays[name] = np.array(values, dtype=bool)
        else:
            arrays[name] = np.array(values, dtype=float)
    return CaseTable(**arrays)


def events(*rows: tuple[float, str, int, int, float]) -> EventArrays:
    """An event log from ``(time, name, case, worker, value)`` rows, in time order."""
    table = sorted(rows, key=lambda row: row[0])
    return EventArrays(
        time=np.array([r[0] for r in table], dtype=float),
        event=np.array([EVENT_CODES[r[1]] for r in table], dtype=np.int16),
        case=np.array([r[2] for r in table], dtype=np.int64),
        worker=np.array([r[3] for r in table], dtype=np.int32),
        value=np.array([r[4] for r in table], dtype=float),
    )


def post(
    index: int,
    grade: str = "sw",
    team: str = "north",
    *,
    holds_cases: bool = True,
    fte: float = 1.0,
    absences: list[tuple[float, float]] | None = None,
    busy_days: float = 0.0,
    busy_by_period: list[float] | None = None,
    history: PostHistory | None = None,
) -> PostRecord:
    """One post of a hand-made run."""
    return PostRecord(
        index=index,
        grade=grade,
        post_grade=grade,
        team=team,
        holds_cases=holds_cases,
        fte=fte,
        fte_changes=[(0.0, fte)],
        absences=absences or [],
        busy_days=busy_days,
        busy_by_period=busy_by_period or [0.0],
        history=history,
    )


def run(
    *,
    scenario: Scenario | None = None,
    measured: tuple[float, float] = (0.0, 100.0),
    case_table: CaseTable | None = None,
    initial: CaseTable | None = None,
    log: EventArrays | None = None,
    posts: list[PostRecord] | None = None,
    timeseries: list[dict[str, float]] | None = None,
    periods: list[Period] | None = None,
    mechanisms: dict[str, dict[str, np.ndarray]] | None = None,
) -> RunResult:
    """A run result with nothing in it but what is given."""
    chosen = scenario if scenario is not None else globals()["scenario"]()
    return RunResult(
        scenario=chosen,
        seed=0,
        replication=0,
        calendar=build_calendar(chosen),
        measured_from=measured[0],
        measured_to=measured[1],
        events=log if log is not None else events(),
        cases=case_table if case_table is not None else cases(),
        initial_cases=initial if initial is not None else cases(),
        posts=posts or [],
        timeseries=timeseries or [],
        contact_case=np.zeros(0, dtype=np.int64),
        contact_child=np.zeros(0, dtype=np.int64),
        contacts=0,
        screened_out=0,
        awaiting_screening=0,
        periods=periods or [],
        mechanisms=mechanisms or {},
    )
