"""Choosing replications (Hoad, Robinson & Davies 2010) and warm-up (MSER-5)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from caseload_sim.experiment.precision import (
    PrecisionError,
    choose_replications,
    look_ahead,
    mser5_truncation,
    relative_half_width,
)


def test_relative_half_width() -> None:
    assert relative_half_width([10.0, 10.0, 10.0]) == 0.0
    assert relative_half_width([0.0, 0.0, 0.0]) == 0.0
    assert relative_half_width([-1.0, 1.0]) == math.inf  # mean 0 but noisy: never precise
    values = [9.0, 10.0, 11.0]
    # mean 10, s = 1, t(0.975, 2) = 4.3027, half-width = 4.3027 / sqrt(3)
    assert relative_half_width(values) == pytest.approx(4.302653 / math.sqrt(3) / 10, rel=1e-5)
    assert relative_half_width([math.nan, math.nan]) == 0.0  # a KPI with nothing to count


def test_look_ahead_grows_beyond_100_replications() -> None:
    assert look_ahead(10) == 5
    assert look_ahead(100) == 5
    assert look_ahead(300) == 15


def test_replications_stop_when_the_precision_holds_through_the_look_ahead() -> None:
    asked: list[int] = []
    choice = choose_replications(lambda n: 1.0 / n, asked.append, precision=0.1, budget=100)
    assert choice.met
    assert choice.recommended == 10
    assert choice.run == 15
    assert max(asked) == 15


def test_a_precision_lost_in_the_look_ahead_restarts_the_search() -> None:
    # Precise at 5, loses it at 7, precise again from 9 on.
    precision = {n: (0.05 if n in (5, 6) or n >= 9 else 0.5) for n in range(1, 60)}
    choice = choose_replications(precision.__getitem__, lambda n: None, 0.1, 100)
    assert choice.recommended == 9
    assert choice.run == 14


def test_the_budget_stops_the_search_and_says_so() -> None:
    choice = choose_replications(lambda n: 1.0, lambda n: None, 0.1, budget=8)
    assert not choice.met
    assert choice.run == 8
    assert "budget" in choice.reason
    with pytest.raises(PrecisionError):
        choose_replications(lambda n: 1.0, lambda n: None, 0.1, budget=2)


def test_mser5_cuts_an_initial_transient() -> None:
    rng = np.random.default_rng(5)
    steps = np.arange(200)
    series = 20 * np.exp(-steps / 8) + rng.normal(0, 1, 200)
    cut = mser5_truncation(series)
    assert cut is not None
    assert 15 <= cut <= 60
    assert cut % 5 == 0


def test_mser5_keeps_a_stationary_series_whole() -> None:
    rng = np.random.default_rng(6)
    cut = mser5_truncation(rng.normal(10, 1, 200))
    assert cut is not None and cut <= 20


def test_mser5_refuses_a_run_too_short_or_still_drifting() -> None:
    assert mser5_truncation([1.0] * 12) is None  # fewer than four batches
    assert mser5_truncation(np.linspace(0, 100, 200)) is None  # minimum in the second half
