"""Reference "plain SimPy" M/M/c queue: the yardstick for the project's own model.

A deliberately straightforward SimPy model (one ``simpy.Resource`` with ``c`` servers,
Poisson arrivals, exponential service, a seeded ``numpy.random.Generator``). It is not
optimised: benchmarks compare the project's model against this script's events per second
and check both against the analytic Erlang C mean wait.

Run ``python benchmarks/mmc_plain_simpy.py --help`` for options; it prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from collections.abc import Generator

import numpy as np
import simpy

from caseload_sim.analytic import mmc_mean_wait


def run_plain_mmc(
    arrival_rate: float,
    mean_service_days: float,
    servers: int,
    horizon_days: float,
    warmup_days: float,
    seed: int,
) -> dict:
    """Simulate one replication of an FCFS M/M/c queue with plain SimPy.

    Waits are recorded when service starts, for customers arriving at or after
    ``warmup_days``; customers still queueing at ``horizon_days`` are not counted
    (right-censoring, negligible for long horizons).

    Parameters
    ----------
    arrival_rate : float
        Poisson arrival rate per day.
    mean_service_days : float
        Mean of the exponential service time, in days.
    servers : int
        Number of servers ``c``.
    horizon_days : float
        Simulated run length in days.
    warmup_days : float
        Initial period whose arrivals are excluded from the statistics.
    seed : int
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    dict
        ``mean_wait_days`` (NaN if no customer was recorded), ``analytic_wait_days``
        (Erlang C ``Wq``, ``None`` if the queue is unstable), ``customers``, ``events``
        (SimPy events processed), ``wall_seconds`` and ``events_per_second``.
    """
    if arrival_rate <= 0 or mean_service_days <= 0:
        raise ValueError("arrival_rate and mean_service_days must be > 0")
    if servers < 1:
        raise ValueError("servers must be >= 1")
    if not 0 <= warmup_days < horizon_days:
        raise ValueError("need 0 <= warmup_days < horizon_days")

    start = time.perf_counter()

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=servers)
    waits: list[float] = []
    mean_interarrival = 1.0 / arrival_rate

    def customer(arrived: float) -> Generator[simpy.Event, object, None]:
        with desk.request() as request:
            yield request
            if arrived >= warmup_days:
                waits.append(env.now - arrived)
            yield env.timeout(rng.exponential(mean_service_days))

    def arrivals() -> Generator[simpy.Event, object, None]:
        while True:
            yield env.timeout(rng.exponential(mean_interarrival))
            env.process(customer(env.now))

    env.process(arrivals())

    # Equivalent to env.run(until=horizon_days), but counting every event processed.
    events = 0
    while env.peek() < horizon_days:
        env.step()
        events += 1

    wall = time.perf_counter() - start

    try:
        analytic = mmc_mean_wait(arrival_rate, 1.0 / mean_service_days, servers)
    except ValueError:
        analytic = None

    return {
        "mean_wait_days": sum(waits) / len(waits) if waits else math.nan,
        "analytic_wait_days": analytic,
        "customers": len(waits),
        "events": events,
        "wall_seconds": wall,
        "events_per_second": events / wall if wall > 0 else math.nan,
    }


def main(argv: list[str] | None = None) -> dict:
    """Parse options, run the replications and print one JSON line of results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrival-rate", type=float, default=9.0, help="arrivals per day")
    parser.add_argument("--mean-service-days", type=float, default=1.0)
    parser.add_argument("--servers", type=int, default=10)
    parser.add_argument("--horizon-days", type=float, default=20000.0)
    parser.add_argument("--warmup-days", type=float, default=1000.0)
    parser.add_argument("--seed", type=int, default=1, help="replication r uses seed + r")
    parser.add_argument("--replications", type=int, default=1)
    args = parser.parse_args(argv)
    if args.replications < 1:
        parser.error("--replications must be >= 1")

    runs = [
        run_plain_mmc(
            args.arrival_rate,
            args.mean_service_days,
            args.servers,
            args.horizon_days,
            args.warmup_days,
            args.seed + r,
        )
        for r in range(args.replications)
    ]

    rep_means = [run["mean_wait_days"] for run in runs]
    n = len(rep_means)
    mean_wait = sum(rep_means) / n
    stderr = (
        math.sqrt(sum((m - mean_wait) ** 2 for m in rep_means) / (n - 1) / n) if n > 1 else None
    )
    events = sum(run["events"] for run in runs)
    wall = sum(run["wall_seconds"] for run in runs)

    result = {
        "benchmark": "mmc_plain_simpy",
        "arrival_rate": args.arrival_rate,
        "mean_service_days": args.mean_service_days,
        "servers": args.servers,
        "horizon_days": args.horizon_days,
        "warmup_days": args.warmup_days,
        "seed": args.seed,
        "replications": n,
        "mean_wait_days": None if math.isnan(mean_wait) else mean_wait,
        "mean_wait_stderr": stderr,
        "replication_mean_waits": rep_means,
        "analytic_wait_days": runs[0]["analytic_wait_days"],
        "customers": sum(run["customers"] for run in runs),
        "events": events,
        "wall_seconds": wall,
        "events_per_second": events / wall if wall > 0 else None,
        "simpy": simpy.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
