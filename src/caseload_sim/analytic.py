"""Analytic queueing results for validating the simulation and seeding staffing searches.

All functions are pure Python (``math`` only) so that importing this module is cheap.
Rates share one time unit (e.g. per day); waits are returned in that unit.

References
----------
.. [1] A. K. Erlang, "Solution of some problems in the theory of probabilities of
   significance in automatic telephone exchanges", Elektroteknikeren 13 (1917).
.. [2] A. Cobham, "Priority assignment in waiting line problems",
   Journal of the Operations Research Society of America 2(1):70-76 (1954).
.. [3] L. Kleinrock, *Queueing Systems, Volume 1: Theory* (Wiley, 1975), ch. 3;
   *Volume 2: Computer Applications* (Wiley, 1976), ch. 3 (priority queues).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence

__all__ = [
    "erlang_b",
    "erlang_c",
    "mm1_mean_sojourn",
    "mmc_mean_wait",
    "mmc_priority_mean_waits",
    "mmc_wait_exceeds",
    "smallest_servers_for_mean_wait",
]


# ---------------------------------------------------------------------------
# Input validation helpers
# ---------------------------------------------------------------------------


def _check_servers(servers: int, name: str = "servers") -> int:
    """Return ``servers`` as an ``int``, raising ValueError unless it is an integer >= 1."""
    if isinstance(servers, bool):
        raise ValueError(f"{name} must be an integer >= 1, got {servers!r}")
    try:
        c = operator.index(servers)
    except TypeError:
        raise ValueError(f"{name} must be an integer >= 1, got {servers!r}") from None
    if c < 1:
        raise ValueError(f"{name} must be >= 1, got {c}")
    return c


def _check_positive(value: float, name: str) -> float:
    """Return ``value`` as a float, raising ValueError unless it is finite and > 0."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}") from None
    if not math.isfinite(x) or x <= 0.0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return x


def _check_stable(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Raise ValueError unless ``arrival_rate < servers * service_rate``; return the load a."""
    load = arrival_rate / service_rate
    if not (load < servers and servers * service_rate - arrival_rate > 0.0):
        raise ValueError(
            "queue is unstable: utilisation rho = arrival_rate / (servers * service_rate) = "
            f"{load / servers:.6g} must be < 1 "
            f"(arrival_rate={arrival_rate!r}, service_rate={service_rate!r}, servers={servers})"
        )
    return load


def _erlang_c_from_b(servers: int, offered_load: float, blocking: float) -> float:
    """Erlang C from the Erlang B value of the same ``servers`` and load (rho < 1 assumed)."""
    rho = offered_load / servers
    return blocking / (1.0 - rho * (1.0 - blocking))


# ---------------------------------------------------------------------------
# Erlang formulas
# ---------------------------------------------------------------------------


def erlang_b(servers: int, offered_load: float) -> float:
    """Erlang B (loss) probability for an M/M/c/c system.

    Uses the numerically stable recursion ``B(0) = 1``,
    ``B(k) = a B(k-1) / (k + a B(k-1))`` rather than the factorial closed form [1]_.

    Parameters
    ----------
    servers : int
        Number of servers ``c`` (>= 1).
    offered_load : float
        Offered load ``a = lambda / mu`` in Erlangs (> 0).

    Returns
    -------
    float
        Probability that an arriving customer finds all ``c`` servers busy (and is lost).

    Raises
    ------
    ValueError
        If ``servers < 1`` or ``offered_load`` is not finite and > 0.

    References
    ----------
    .. [1] A. K. Erlang (1917); see also Kleinrock, Queueing Systems Vol. 1, sec. 3.6.
    """
    c = _check_servers(servers)
    a = _check_positive(offered_load, "offered_load")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(servers: int, offered_load: float) -> float:
    """Erlang C probability that an arrival must wait in an M/M/c queue.

    Computed as ``C = B / (1 - rho (1 - B))`` with ``B = erlang_b(c, a)`` and
    ``rho = a / c`` [1]_.

    Parameters
    ----------
    servers : int
        Number of servers ``c`` (>= 1).
    offered_load : float
        Offered load ``a = lambda / mu`` in Erlangs (> 0, and < ``c`` for stability).

    Returns
    -------
    float
        Steady-state probability of waiting, ``P(W > 0)``.

    Raises
    ------
    ValueError
        If ``servers < 1``, ``offered_load <= 0`` or ``rho = a / c >= 1``.

    References
    ----------
    .. [1] Kleinrock, Queueing Systems Vol. 1 (1975), eq. 3.40.
    """
    c = _check_servers(servers)
    a = _check_positive(offered_load, "offered_load")
    if not a < c:
        raise ValueError(
            f"queue is unstable: rho = offered_load / servers = {a / c:.6g} must be < 1 "
            f"(offered_load={offered_load!r}, servers={c})"
        )
    return _erlang_c_from_b(c, a, erlang_b(c, a))


# ---------------------------------------------------------------------------
# M/M/c and M/M/1 waiting times
# ---------------------------------------------------------------------------


def mmc_mean_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue of an FCFS M/M/c queue, ``Wq = C / (c mu - lambda)``.

    Parameters
    ----------
    arrival_rate : float
        Poisson arrival rate ``lambda`` (> 0).
    service_rate : float
        Exponential service rate per server ``mu`` (> 0).
    servers : int
        Number of servers ``c`` (>= 1).

    Returns
    -------
    float
        Mean time spent waiting before service starts (time unit of the rates).

    Raises
    ------
    ValueError
        If a rate is <= 0, ``servers < 1`` or ``lambda >= c mu``.

    References
    ----------
    Kleinrock, Queueing Systems Vol. 1 (1975), sec. 3.5; Erlang (1917).
    """
    lam = _check_positive(arrival_rate, "arrival_rate")
    mu = _check_positive(service_rate, "service_rate")
    c = _check_servers(servers)
    a = _check_stable(lam, mu, c)
    return erlang_c(c, a) / (c * mu - lam)


def mmc_wait_exceeds(arrival_rate: float, service_rate: float, servers: int, t: float) -> float:
    """Tail of the FCFS M/M/c waiting time, ``P(W > t) = C exp(-(c mu - lambda) t)``.

    Parameters
    ----------
    arrival_rate : float
        Poisson arrival rate ``lambda`` (> 0).
    service_rate : float
        Exponential service rate per server ``mu`` (> 0).
    servers : int
        Number of servers ``c`` (>= 1).
    t : float
        Threshold time (>= 0), in the time unit of the rates.

    Returns
    -------
    float
        Steady-state probability that the wait in queue exceeds ``t``.

    Raises
    ------
    ValueError
        If a rate is <= 0, ``servers < 1``, ``lambda >= c mu`` or ``t`` is negative or NaN.

    References
    ----------
    Kleinrock, Queueing Systems Vol. 1 (1975), sec. 3.5 (waiting-time distribution).
    """
    lam = _check_positive(arrival_rate, "arrival_rate")
    mu = _check_positive(service_rate, "service_rate")
    c = _check_servers(servers)
    t = float(t)
    if math.isnan(t) or t < 0.0:
        raise ValueError(f"t must be >= 0, got {t!r}")
    a = _check_stable(lam, mu, c)
    return erlang_c(c, a) * math.exp(-(c * mu - lam) * t)


def mmc_priority_mean_waits(
    arrival_rates: Sequence[float], service_rate: float, servers: int
) -> list[float]:
    """Mean queue waits per class of a non-preemptive priority M/M/c queue.

    All classes share one exponential service rate ``mu``; class 1 (index 0) has the
    highest priority and classes are FCFS within themselves. With
    ``sigma_k = sum_{i<=k} lambda_i / (c mu)`` (``sigma_0 = 0``) and ``C`` the Erlang C
    probability of the total load [1]_ [2]_::

        Wq_k = C / (c mu (1 - sigma_{k-1}) (1 - sigma_k))

    The arrival-rate-weighted mean of the ``Wq_k`` equals the FCFS ``mmc_mean_wait``
    (Kleinrock's conservation law).

    Parameters
    ----------
    arrival_rates : Sequence[float]
        Poisson arrival rate of each class, highest priority first (each > 0).
    service_rate : float
        Exponential service rate per server ``mu`` (> 0), common to all classes.
    servers : int
        Number of servers ``c`` (>= 1).

    Returns
    -------
    list[float]
        Mean wait in queue for each class, in the order given.

    Raises
    ------
    ValueError
        If ``arrival_rates`` is empty, any rate is <= 0, ``servers < 1`` or the total
        load is unstable (``sum(lambda) >= c mu``).

    References
    ----------
    .. [1] A. Cobham, "Priority assignment in waiting line problems", J. Oper. Res. Soc.
       America 2(1):70-76 (1954).
    .. [2] Kleinrock, Queueing Systems Vol. 2 (1976), sec. 3.6.
    """
    rates = [_check_positive(r, f"arrival_rates[{i}]") for i, r in enumerate(arrival_rates)]
    if not rates:
        raise ValueError("arrival_rates must contain at least one class")
    mu = _check_positive(service_rate, "service_rate")
    c = _check_servers(servers)
    total = math.fsum(rates)
    a = _check_stable(total, mu, c)
    capacity = c * mu
    prob_wait = erlang_c(c, a)
    waits: list[float] = []
    sigma_prev = 0.0
    cumulative = 0.0
    for lam in rates:
        cumulative += lam
        sigma = cumulative / capacity
        waits.append(prob_wait / (capacity * (1.0 - sigma_prev) * (1.0 - sigma)))
        sigma_prev = sigma
    return waits


def mm1_mean_sojourn(arrival_rate: float, service_rate: float) -> float:
    """Mean time in system (wait plus service) of an M/M/1 queue, ``1 / (mu - lambda)``.

    Parameters
    ----------
    arrival_rate : float
        Poisson arrival rate ``lambda`` (> 0).
    service_rate : float
        Exponential service rate ``mu`` (> 0, and > ``lambda``).

    Returns
    -------
    float
        Mean sojourn time.

    Raises
    ------
    ValueError
        If a rate is <= 0 or ``lambda >= mu``.

    References
    ----------
    Kleinrock, Queueing Systems Vol. 1 (1975), eq. 3.26.
    """
    lam = _check_positive(arrival_rate, "arrival_rate")
    mu = _check_positive(service_rate, "service_rate")
    _check_stable(lam, mu, 1)
    return 1.0 / (mu - lam)


# ---------------------------------------------------------------------------
# Staffing
# ---------------------------------------------------------------------------


def smallest_servers_for_mean_wait(
    arrival_rate: float,
    service_rate: float,
    max_mean_wait: float,
    max_servers: int = 10_000,
) -> int:
    """Smallest number of servers giving a stable M/M/c queue with ``Wq <= max_mean_wait``.

    ``Wq`` decreases in ``c``, so the search walks up from the smallest stable ``c``,
    carrying the Erlang B recursion forward (O(c) overall). The value compared is the
    same float that ``mmc_mean_wait`` returns for that ``c``.

    Parameters
    ----------
    arrival_rate : float
        Poisson arrival rate ``lambda`` (> 0).
    service_rate : float
        Exponential service rate per server ``mu`` (> 0).
    max_mean_wait : float
        Target mean wait in queue (> 0), in the time unit of the rates.
    max_servers : int, optional
        Upper limit of the search (>= 1), by default 10 000.

    Returns
    -------
    int
        The smallest ``c`` with ``lambda < c mu`` and ``mmc_mean_wait(lambda, mu, c)
        <= max_mean_wait``.

    Raises
    ------
    ValueError
        If an input is invalid, or no ``c <= max_servers`` meets the target.

    References
    ----------
    Erlang (1917); Kleinrock, Queueing Systems Vol. 1 (1975), sec. 3.5.
    """
    lam = _check_positive(arrival_rate, "arrival_rate")
    mu = _check_positive(service_rate, "service_rate")
    target = _check_positive(max_mean_wait, "max_mean_wait")
    limit = _check_servers(max_servers, "max_servers")
    a = lam / mu
    blocking = 1.0  # B(0)
    for c in range(1, limit + 1):
        blocking = a * blocking / (c + a * blocking)
        if not (a < c and c * mu - lam > 0.0):
            continue
        wait = _erlang_c_from_b(c, a, blocking) / (c * mu - lam)
        if wait <= target:
            return c
    raise ValueError(
        f"no number of servers <= max_servers={limit} gives a mean wait <= {target!r} "
        f"(arrival_rate={lam!r}, service_rate={mu!r}, offered load {a:.6g})"
    )
