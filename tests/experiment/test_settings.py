"""The settings of an experiment: defaults, values read from text, refusals in the command line's
words, and the experiment functions taking them or their options one by one."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np
import pytest

from caseload_sim.experiment.comparison import compare
from caseload_sim.experiment.precision import PrecisionError
from caseload_sim.experiment.runner import run_experiment
from caseload_sim.experiment.settings import (
    DEFAULT_BUDGET,
    DEFAULT_PRECISION,
    RunSettings,
    SettingsError,
    settings_from,
)
from caseload_sim.experiment.sweep import parse_target, parse_vary, staffing, sweep
from conftest import small_county

SHORT = ("simulation.horizon_days=60", "simulation.warmup_days=10")


def test_the_defaults_leave_every_choice_to_the_scenario() -> None:
    settings = RunSettings()
    assert dataclasses.asdict(settings) == {
        "replications": None,
        "seed": None,
        "jobs": None,
        "executor": "local",
        "address": None,
        "warmup": None,
        "precision": DEFAULT_PRECISION,
        "budget": DEFAULT_BUDGET,
        "resume": False,
        "events": False,
    }
    assert (DEFAULT_PRECISION, DEFAULT_BUDGET) == (0.05, 100)
    assert settings.changed() == {}
    assert repr(settings) == "RunSettings()"


def test_text_from_the_command_line_becomes_numbers() -> None:
    settings = RunSettings(replications="12", warmup="30")
    assert settings.replications == 12 and isinstance(settings.replications, int)
    assert settings.warmup == 30.0 and isinstance(settings.warmup, float)
    auto = RunSettings(replications="auto", warmup="auto")
    assert (auto.replications, auto.warmup) == ("auto", "auto")
    assert RunSettings(warmup=0).warmup == 0.0


def test_any_whole_number_is_a_number_of_replications() -> None:
    # As run_experiment always took them from Python: numpy's integers, or 5.0.
    for value in (5, np.int64(5), 5.0, np.float64(5.0)):
        assert RunSettings(replications=value).replications == 5
        assert isinstance(RunSettings(replications=value).replications, int)


@pytest.mark.parametrize("value", ["x", "0", "-3", "2.5", "", 0, -1, 2.5, True])
def test_bad_replications_are_refused_in_the_command_line_s_words(value: Any) -> None:
    with pytest.raises(SettingsError) as error:
        RunSettings(replications=value)
    assert str(error.value) == f"--replications {value!r}: allowed: a whole number >= 1, or auto"


@pytest.mark.parametrize("value", ["x", "-1", "nan", "", -0.5, float("nan"), True])
def test_a_bad_warmup_is_refused_in_the_command_line_s_words(value: Any) -> None:
    with pytest.raises(SettingsError) as error:
        RunSettings(warmup=value)
    assert str(error.value) == f"--warmup {value!r}: allowed: a number of days >= 0, or auto"


def test_the_command_line_s_messages_are_kept_exactly() -> None:
    with pytest.raises(SettingsError, match=r"^--replications 'x': allowed: a whole number >= 1, "):
        RunSettings(replications="x")
    with pytest.raises(SettingsError, match=r"^--warmup '-1': allowed: a number of days >= 0, "):
        RunSettings(warmup="-1")


def test_an_unknown_executor_or_dask_without_an_address_is_refused() -> None:
    with pytest.raises(SettingsError, match=r"^--executor 'cloud': allowed: local, dask$"):
        RunSettings(executor="cloud")
    with pytest.raises(SettingsError, match=r"^--executor dask needs --address tcp://HOST:PORT$"):
        RunSettings(executor="dask")
    assert RunSettings(executor="dask", address="tcp://127.0.0.1:8786").address


def test_settings_errors_are_precision_errors_and_value_errors() -> None:
    assert issubclass(SettingsError, PrecisionError)
    assert issubclass(SettingsError, ValueError)


def test_settings_are_frozen_and_checked_again_when_replaced() -> None:
    settings = RunSettings(replications=3, jobs=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.seed = 4  # type: ignore[misc]
    assert dataclasses.replace(settings, seed=4).changed() == {
        "replications": 3,
        "seed": 4,
        "jobs": 1,
    }
    with pytest.raises(SettingsError):
        dataclasses.replace(settings, replications="none")
    assert repr(settings) == "RunSettings(replications=3, jobs=1)"


def test_settings_or_options_one_by_one_but_not_both() -> None:
    settings = RunSettings(replications=2)
    assert settings_from(settings, replications=None, jobs=None) is settings
    assert settings_from(None, replications=2, jobs=1) == RunSettings(replications=2, jobs=1)
    with pytest.raises(TypeError, match="not both .also given: jobs, replications"):
        settings_from(settings, replications=3, jobs=1)
    with pytest.raises(TypeError, match="not both"):
        run_experiment(small_county(*SHORT), 2, settings=settings)


def test_an_experiment_with_settings_equals_one_with_its_options() -> None:
    scenario = small_county(*SHORT)
    by_options = run_experiment(scenario, 2, 5, jobs=1, keep_events=True)
    settings = RunSettings(replications=2, seed=5, jobs=1, events=True)
    by_settings = run_experiment(scenario, settings=settings)
    assert by_settings.seed == 5 and by_settings.replications == 2
    assert json.dumps([o.kpis for o in by_settings.outputs]) == json.dumps(
        [o.kpis for o in by_options.outputs]
    )
    assert [o.events for o in by_settings.outputs] == [o.events for o in by_options.outputs]


def test_experiments_without_a_use_for_a_setting_refuse_it() -> None:
    base = small_county(*SHORT)
    option = small_county(*SHORT, "name='option'")
    with pytest.raises(SettingsError, match="^compare: events is not a setting of compare"):
        compare([base, option], settings=RunSettings(replications=2, events=True))
    vary = parse_vary("workforce.teams.north.staff.sw=3,4")
    with pytest.raises(SettingsError, match=r"^sweep: warmup is not a setting of sweep \(each"):
        sweep(base, [vary], settings=RunSettings(replications=2, warmup=5))
    target = parse_target("referrals_count>=1")
    with pytest.raises(SettingsError, match="^staffing: events is not a setting of staffing"):
        staffing(base, vary, [target], settings=RunSettings(replications=2, events=True))
