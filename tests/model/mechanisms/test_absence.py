"""Annual leave and sickness: absent workers do no work, and the share lost is as asked."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import simpy

from caseload_sim.calendar import WorkingCalendar
from caseload_sim.experiment.statistics import t_interval
from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.metrics.posts import absent_working_days
from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.mechanisms.absence import absence_spells
from caseload_sim.model.work import Task
from caseload_sim.model.worktime import Worker
from caseload_sim.scenario.schema import Absence
from conftest import mmc, small_county

CONTINUOUS = WorkingCalendar("continuous", dt.date(2010, 4, 1), 4000)
ENGLAND = WorkingCalendar("england", dt.date(2010, 4, 1), 4000)


def test_an_absent_worker_does_no_work() -> None:
    env = simpy.Environment()
    worker = Worker(env, CONTINUOUS, 0, "sw", "team", 24.0, 100.0, 1.0, 0.0, 10.0)
    worker.absences = [(0.5, 1.5)]
    done = env.event()
    worker.assign(Task("initial_assessment", None, 24.0, 5.0, 2, 0, done=done))
    finished: list[float] = []
    done.callbacks.append(lambda _e: finished.append(env.now))
    env.run(until=5)
    # Half a day of work, a day away, then the remaining half day.
    assert finished == [pytest.approx(2.0)]
    assert worker.busy_days == pytest.approx(1.0)


@pytest.mark.parametrize("calendar", [CONTINUOUS, ENGLAND], ids=["continuous", "england"])
def test_leave_is_the_allowance_and_sickness_the_share_asked_for(
    calendar: WorkingCalendar,
) -> None:
    absence = Absence(
        annual_leave_days_per_year=25,
        leave_block_days=5,
        sickness_days_per_year=10,
        sickness_spell_days_mean=3,
    )
    per_year = calendar.working_days_in_year_from(calendar.start_date)
    horizon = 3650.0
    lost = []
    for worker in range(40):
        spells = absence_spells(absence, calendar, horizon, np.random.default_rng([7, worker]))
        assert all(a < b for a, b in spells)
        assert all(b1 < a2 for (_, b1), (a2, _) in zip(spells[:-1], spells[1:], strict=True))
        days = absent_working_days(spells, calendar, 0.0, horizon)
        working = absent_working_days([(0.0, horizon)], calendar, 0.0, horizon)
        lost.append(days / working * per_year)  # working days lost per year
    interval = t_interval(lost)
    assert interval["ci95_low"] <= 35.0 <= interval["ci95_high"]


def test_sickness_reduces_available_hours_by_the_expected_share_over_a_long_run() -> None:
    scenario = mmc(
        "simulation.horizon_days=3000",
        "simulation.warmup_days=100",
        "demand.contacts_per_working_day=6",
        "workforce.absence.sickness_days_per_year=36.5",
        "workforce.absence.sickness_spell_days_mean=4",
    )
    shares = [
        compute_kpis(simulate(scenario, seed=3, replication=r))["absence_pct"] for r in range(4)
    ]
    interval = t_interval(shares)
    assert interval["ci95_low"] <= 10.0 <= interval["ci95_high"]
    kpis = compute_kpis(simulate(scenario, seed=3))
    # Ten full-time workers, a tenth of their time away.
    assert kpis["available_fte_mean"] == pytest.approx(10 * (1 - kpis["absence_pct"] / 100))


def test_absence_lengthens_delays_and_no_absence_changes_nothing() -> None:
    base = small_county()
    same = small_county(
        "workforce.absence.annual_leave_days_per_year=0",
        "workforce.absence.sickness_days_per_year=0",
    )
    assert compute_kpis(simulate(base, seed=5)) == pytest.approx(
        compute_kpis(simulate(same, seed=5)), nan_ok=True
    )
    away = small_county(
        "workforce.absence.annual_leave_days_per_year=27",
        "workforce.absence.sickness_days_per_year=11",
    )
    before = compute_kpis(simulate(base, seed=5))
    after = compute_kpis(simulate(away, seed=5))
    assert after["absence_pct"] > 10
    assert before["absence_pct"] == 0
    assert after["referral_to_assessment_days_mean"] > before["referral_to_assessment_days_mean"]
