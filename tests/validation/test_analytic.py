"""Validation of caseload_sim.analytic against closed forms and queueing identities."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseload_sim.analytic import (
    erlang_b,
    erlang_c,
    mm1_mean_sojourn,
    mmc_mean_wait,
    mmc_priority_mean_waits,
    mmc_wait_exceeds,
    smallest_servers_for_mean_wait,
)

# ---------------------------------------------------------------------------
# Independent closed forms (exact rational arithmetic, math.factorial)
# ---------------------------------------------------------------------------


def erlang_b_closed(c: int, a: int | Fraction) -> Fraction:
    """B(c, a) = (a^c / c!) / sum_{k=0}^{c} a^k / k!, exactly."""
    a = Fraction(a)
    terms = [a**k / math.factorial(k) for k in range(c + 1)]
    return terms[-1] / sum(terms)


def erlang_c_closed(c: int, a: int | Fraction) -> Fraction:
    """C(c, a) = (a^c/c! * c/(c-a)) / (sum_{k<c} a^k/k! + a^c/c! * c/(c-a)), exactly."""
    a = Fraction(a)
    top = a**c / math.factorial(c) * Fraction(c) / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_textbook_a2_c3() -> None:
    # a = 2 Erlangs, c = 3: B = (8/6) / (1 + 2 + 2 + 8/6) = 4/19, C = 4/9.
    assert erlang_b_closed(3, 2) == Fraction(4, 19)
    assert erlang_c_closed(3, 2) == Fraction(4, 9)
    assert erlang_b(3, 2.0) == pytest.approx(4 / 19, rel=1e-14)  # 0.2105263157...
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9, rel=1e-14)  # 0.4444444444...


@pytest.mark.parametrize(
    ("c", "a"),
    [
        (1, Fraction(1, 2)),
        (2, 1),
        (5, 3),
        (10, 9),
        (10, Fraction(19, 2)),
        (30, 25),
        (50, 10),
        (100, 95),
    ],
)
def test_erlang_b_c_match_closed_forms(c: int, a: int | Fraction) -> None:
    assert erlang_b(c, float(a)) == pytest.approx(float(erlang_b_closed(c, a)), rel=1e-12)
    assert erlang_c(c, float(a)) == pytest.approx(float(erlang_c_closed(c, a)), rel=1e-12)


@pytest.mark.parametrize(("c", "a"), [(1, 1), (1, 5), (3, 7), (20, 40)])
def test_erlang_b_overloaded_matches_closed_form(c: int, a: int) -> None:
    # Erlang B (a loss system) is defined for any load, including a >= c.
    assert erlang_b(c, float(a)) == pytest.approx(float(erlang_b_closed(c, a)), rel=1e-12)


def test_erlang_b_single_server() -> None:
    assert erlang_b(1, 1.0) == pytest.approx(0.5)


def test_mmc_textbook_wait() -> None:
    # lambda = 2, mu = 1, c = 3: Wq = C / (c mu - lambda) = (4/9) / 1.
    assert mmc_mean_wait(2.0, 1.0, 3) == pytest.approx(4 / 9, rel=1e-14)
    assert mmc_wait_exceeds(2.0, 1.0, 3, 0.0) == pytest.approx(4 / 9, rel=1e-14)
    assert mmc_wait_exceeds(2.0, 1.0, 3, 1.5) == pytest.approx(4 / 9 * math.exp(-1.5), rel=1e-14)


# ---------------------------------------------------------------------------
# M/M/1 special cases
# ---------------------------------------------------------------------------

rhos = st.floats(min_value=1e-3, max_value=0.999)
mus = st.floats(min_value=1e-2, max_value=1e2)


@given(rho=rhos)
def test_mm1_erlang_c_is_rho(rho: float) -> None:
    assert erlang_c(1, rho) == pytest.approx(rho, rel=1e-12)


@given(rho=rhos, mu=mus)
def test_mm1_mean_wait_and_sojourn(rho: float, mu: float) -> None:
    lam = rho * mu
    assert mmc_mean_wait(lam, mu, 1) == pytest.approx(rho / (mu - lam), rel=1e-9)
    assert mm1_mean_sojourn(lam, mu) == pytest.approx(1 / (mu - lam), rel=1e-12)
    # Sojourn = wait + mean service.
    assert mm1_mean_sojourn(lam, mu) == pytest.approx(mmc_mean_wait(lam, mu, 1) + 1 / mu, rel=1e-9)


# ---------------------------------------------------------------------------
# Priority M/M/c (Cobham 1954) and the conservation law
# ---------------------------------------------------------------------------


@st.composite
def priority_inputs(draw: st.DrawFn) -> tuple[list[float], float, int]:
    servers = draw(st.integers(min_value=1, max_value=60))
    mu = draw(mus)
    rho = draw(st.floats(min_value=0.01, max_value=0.99))
    weights = draw(st.lists(st.floats(min_value=0.05, max_value=1.0), min_size=1, max_size=6))
    total = rho * servers * mu
    scale = total / math.fsum(weights)
    return [w * scale for w in weights], mu, servers


@settings(max_examples=300)
@given(inputs=priority_inputs())
def test_priority_weighted_mean_equals_fcfs(inputs: tuple[list[float], float, int]) -> None:
    rates, mu, servers = inputs
    waits = mmc_priority_mean_waits(rates, mu, servers)
    assert len(waits) == len(rates)
    total = math.fsum(rates)
    weighted = math.fsum(lam * w for lam, w in zip(rates, waits, strict=True)) / total
    assert weighted == pytest.approx(mmc_mean_wait(total, mu, servers), rel=1e-9)


@settings(max_examples=300)
@given(inputs=priority_inputs())
def test_priority_waits_increase_with_class(inputs: tuple[list[float], float, int]) -> None:
    rates, mu, servers = inputs
    waits = mmc_priority_mean_waits(rates, mu, servers)
    assert all(w > 0 for w in waits)
    assert all(lo < hi for lo, hi in zip(waits, waits[1:], strict=False))


def test_single_class_priority_is_fcfs() -> None:
    assert mmc_priority_mean_waits([2.0], 1.0, 3) == [pytest.approx(mmc_mean_wait(2.0, 1.0, 3))]


def test_priority_known_values() -> None:
    # lambda = (1, 1), mu = 1, c = 3: C = 4/9, c mu = 3, sigma = (1/3, 2/3).
    w1, w2 = mmc_priority_mean_waits([1.0, 1.0], 1.0, 3)
    assert w1 == pytest.approx((4 / 9) / (3 * 1 * (2 / 3)), rel=1e-12)  # 2/9
    assert w2 == pytest.approx((4 / 9) / (3 * (2 / 3) * (1 / 3)), rel=1e-12)  # 2/3


# ---------------------------------------------------------------------------
# Staffing search
# ---------------------------------------------------------------------------


def _meets(lam: float, mu: float, c: int, target: float) -> bool:
    """True if c servers are stable and meet the target; unstable counts as failing."""
    if c < 1:
        return False
    try:
        return mmc_mean_wait(lam, mu, c) <= target
    except ValueError:
        return False


@settings(max_examples=300)
@given(
    lam=st.floats(min_value=1e-2, max_value=500.0),
    mu=mus,
    target=st.floats(min_value=1e-4, max_value=1e2),
)
def test_smallest_servers_is_minimal(lam: float, mu: float, target: float) -> None:
    if lam / mu > 5_000:  # keep the search well inside max_servers
        return
    c = smallest_servers_for_mean_wait(lam, mu, target)
    assert _meets(lam, mu, c, target)
    assert not _meets(lam, mu, c - 1, target)


def test_smallest_servers_known() -> None:
    # lambda = 2, mu = 1: c = 3 gives Wq = 4/9, c = 4 gives a smaller wait.
    assert smallest_servers_for_mean_wait(2.0, 1.0, mmc_mean_wait(2.0, 1.0, 3)) == 3
    assert smallest_servers_for_mean_wait(2.0, 1.0, 0.445) == 3
    assert smallest_servers_for_mean_wait(2.0, 1.0, 0.44) == 4
    assert smallest_servers_for_mean_wait(2.0, 1.0, 1e6) == 3  # smallest stable c


def test_smallest_servers_limit() -> None:
    with pytest.raises(ValueError, match="max_servers"):
        smallest_servers_for_mean_wait(2.0, 1.0, 1e-3, max_servers=3)


# ---------------------------------------------------------------------------
# Invalid inputs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("func", "args"),
    [
        (erlang_b, (0, 1.0)),
        (erlang_b, (-1, 1.0)),
        (erlang_b, (2.5, 1.0)),
        (erlang_b, (True, 1.0)),
        (erlang_b, (2, 0.0)),
        (erlang_b, (2, -1.0)),
        (erlang_b, (2, math.nan)),
        (erlang_b, (2, math.inf)),
        (erlang_c, (0, 0.5)),
        (erlang_c, (2, 0.0)),
        (erlang_c, (2, 2.0)),  # rho = 1
        (erlang_c, (2, 3.0)),  # rho > 1
        (mmc_mean_wait, (0.0, 1.0, 2)),
        (mmc_mean_wait, (1.0, 0.0, 2)),
        (mmc_mean_wait, (1.0, -1.0, 2)),
        (mmc_mean_wait, (1.0, 1.0, 0)),
        (mmc_mean_wait, (2.0, 1.0, 2)),  # rho = 1
        (mmc_mean_wait, (5.0, 1.0, 2)),
        (mmc_wait_exceeds, (1.0, 1.0, 2, -0.1)),
        (mmc_wait_exceeds, (1.0, 1.0, 2, math.nan)),
        (mmc_wait_exceeds, (3.0, 1.0, 2, 1.0)),
        (mmc_wait_exceeds, (-1.0, 1.0, 2, 1.0)),
        (mmc_priority_mean_waits, ([], 1.0, 2)),
        (mmc_priority_mean_waits, ([1.0, 0.0], 1.0, 2)),
        (mmc_priority_mean_waits, ([1.0, -0.5], 1.0, 2)),
        (mmc_priority_mean_waits, ([1.0, 1.0], 1.0, 2)),  # total rho = 1
        (mmc_priority_mean_waits, ([1.0], 0.0, 2)),
        (mmc_priority_mean_waits, ([1.0], 1.0, 0)),
        (mm1_mean_sojourn, (1.0, 1.0)),
        (mm1_mean_sojourn, (2.0, 1.0)),
        (mm1_mean_sojourn, (0.0, 1.0)),
        (mm1_mean_sojourn, (0.5, 0.0)),
        (smallest_servers_for_mean_wait, (0.0, 1.0, 1.0)),
        (smallest_servers_for_mean_wait, (1.0, 0.0, 1.0)),
        (smallest_servers_for_mean_wait, (1.0, 1.0, 0.0)),
        (smallest_servers_for_mean_wait, (1.0, 1.0, -1.0)),
        (smallest_servers_for_mean_wait, (1.0, 1.0, 1.0, 0)),
    ],
)
def test_invalid_inputs_raise(func: Callable[..., object], args: tuple[object, ...]) -> None:
    with pytest.raises(ValueError):
        func(*args)


def test_unstable_message_is_clear() -> None:
    with pytest.raises(ValueError, match="unstable"):
        mmc_mean_wait(10.0, 1.0, 10)
    with pytest.raises(ValueError, match="servers must be >= 1"):
        erlang_b(0, 1.0)
    with pytest.raises(ValueError, match="arrival_rate"):
        mmc_mean_wait(-1.0, 1.0, 3)
