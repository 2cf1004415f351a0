"""Speed of the executors: the same experiment in this process, in local processes and on Dask.

Runs 100 replications of the bundled default scenario (``load_scenario(None)``: the county
baseline, 455 days with a 90-day warm-up) through ``run_experiment`` three times:

* ``jobs=1``: ``InProcessExecutor``, one after another in this process;
* ``jobs=2``: ``LocalProcessExecutor(2)``, a pool of two local processes;
* ``dask``: ``DaskExecutor`` connected to a ``distributed.LocalCluster`` of two worker processes
  of one thread each, on loopback, started beforehand (its start-up is reported, not timed in).

Each wall time runs from making the executor to closing it (pool and worker start-up, imports in
the workers and sending results back all count). Before them, a sample of the same replications
(every tenth) is timed in this process, ``simulate`` and ``compute_kpis`` separately: the work of
one replication job. For each executor the benchmark reports

* wall time and wall time per replication;
* speed-up: the ``jobs=1`` wall time / this wall time;
* overhead per replication: wall x workers / replications - the in-process work of one
  replication (simulate + compute_kpis), i.e. the core-seconds an executor spends on a
  replication beyond the replication itself. For ``jobs=1`` this is wall / replications -
  work; multiplying by the workers keeps the speed-up out of the figure for the others.

It also checks that the three runs give identical KPIs and time series (they must: the executor
never changes a result) and exits 1 if they do not.

Target (this benchmark's own): with 2 workers on a machine with at least 2 cores, a speed-up of
at least 1.5x (75% parallel efficiency) over ``jobs=1``, for local processes and for Dask.

Prints a table and writes ``benchmarks/results/executors.json``. ``--quick`` runs 6 replications
of 60 days (a smoke test; the target is then not assessed). Needs the ``dask`` extra.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_model import BUSY_CPU_SHARE, machine  # noqa: E402

RESULTS_DIR = HERE / "results"

WORKERS = 2
TARGET_SPEEDUP = 1.5  # with WORKERS workers, over jobs=1 (75% parallel efficiency)
# Other processes using more than this many cores on average during a timed phase make the
# machine busy: on 2 cores a parallel run would share a core without its own CPU share showing it.
BUSY_OTHER_CORES = 0.1

# Sizes: (full, quick).
REPLICATIONS = (100, 6)
OVERRIDES: tuple[list[str], list[str]] = (
    [],  # the default scenario as it is
    ["simulation.horizon_days=60", "simulation.warmup_days=10"],
)
REFERENCE_EVERY = (10, 3)  # time replications 0, k, 2k, ... in this process


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _own_cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (pool, Dask workers)."""
    return time.process_time() + _children_cpu_seconds()


def _system_busy_seconds() -> float | None:
    """CPU seconds used on the whole machine (all cores), time stolen by the hypervisor
    counted as used; None without ``/proc/stat``."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields)
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def watching_other_processes(phases: dict[str, dict[str, float]], name: str) -> Iterator[None]:
    """Record how much CPU processes other than this benchmark's used while the block ran.

    Busy CPU of the machine (``/proc/stat``) minus the CPU of this process and of its children.
    Children count only once they have ended, so each block must end the processes it starts.
    """
    busy, own, start = _system_busy_seconds(), _own_cpu_seconds(), time.perf_counter()
    try:
        yield
    finally:
        wall = time.perf_counter() - start
        busy_end = _system_busy_seconds()
        foreign = (
            math.nan
            if busy is None or busy_end is None
            else max(0.0, busy_end - busy - (_own_cpu_seconds() - own))
        )
        phases[name] = {
            "wall_seconds": wall,
            "other_processes_cpu_seconds": foreign,
            "other_processes_cores": foreign / wall,
        }


def reference_work(scenario: Any, seed: int, replications: list[int]) -> dict[str, Any]:
    """``simulate`` and ``compute_kpis`` of some replications, one by one in this process."""
    from caseload_sim.metrics.catalogue import compute_kpis
    from caseload_sim.model.frontdoor import simulate

    # A cold first run (first calls, caches, lazy imports) on a replication not used below.
    start = time.perf_counter()
    compute_kpis(simulate(scenario, seed, 10_000))
    cold = time.perf_counter() - start
    rows = []
    for replication in replications:
        cpu_start = time.process_time()
        start = time.perf_counter()
        result = simulate(scenario, seed, replication)
        simulated = time.perf_counter()
        compute_kpis(result)
        measured = time.perf_counter()
        rows.append(
            {
                "replication": replication,
                "simulate_seconds": simulated - start,
                "kpis_seconds": measured - simulated,
                "cpu_share": (time.process_time() - cpu_start) / (measured - start),
            }
        )
        del result
    simulate_mean = statistics.fmean(row["simulate_seconds"] for row in rows)
    kpis_mean = statistics.fmean(row["kpis_seconds"] for row in rows)
    return {
        "replications": replications,
        "cold_first_run_seconds": cold,
        "per_replication": rows,
        "simulate_seconds_mean": simulate_mean,
        "kpis_seconds_mean": kpis_mean,
        "work_seconds_mean": simulate_mean + kpis_mean,
        "cpu_share_min": min(row["cpu_share"] for row in rows),
    }


def timed_experiment(scenario: Any, replications: int, make: Any) -> tuple[float, float, Any]:
    """Wall time, CPU time of this process, and the result of one experiment; ``make()`` gives
    the executor (made, used and closed inside the timing)."""
    from caseload_sim.experiment.runner import run_experiment

    cpu_start = time.process_time()
    start = time.perf_counter()
    executor = make()
    try:
        result = run_experiment(scenario, replications, executor=executor)
    finally:
        executor.close()
    wall = time.perf_counter() - start
    return wall, time.process_time() - cpu_start, result


def fingerprint(result: Any) -> list[Any]:
    """The outputs of an experiment, floats by their exact hex form (NaN equals NaN)."""

    def exact(value: Any) -> Any:
        if isinstance(value, float):
            return value.hex()
        if isinstance(value, dict):
            return {key: exact(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [exact(item) for item in value]
        return value

    return [exact([o.replication, o.kpis, o.timeseries]) for o in result.outputs]


def bench_executors(overrides: list[str], replications: int, every: int) -> dict[str, Any]:
    from distributed import LocalCluster

    from caseload_sim.experiment.executors import (
        DaskExecutor,
        InProcessExecutor,
        LocalProcessExecutor,
    )
    from caseload_sim.scenario.loading import load_scenario

    scenario = load_scenario(None, overrides)
    seed = scenario.simulation.seed
    phases: dict[str, dict[str, float]] = {}
    with watching_other_processes(phases, "reference"):
        reference = reference_work(scenario, seed, list(range(0, replications, every)))
    work = reference["work_seconds_mean"]

    runs: dict[str, dict[str, Any]] = {}
    fingerprints: dict[str, list[Any]] = {}

    def record(name: str, label: str, workers: int, wall: float, result: Any, **extra: Any) -> None:
        fingerprints[name] = fingerprint(result)
        runs[name] = {
            "label": label,
            "workers": workers,
            "wall_seconds": wall,
            "seconds_per_replication": wall / replications,
            "overhead_seconds_per_replication": wall * workers / replications - work,
            **extra,
        }

    with watching_other_processes(phases, "jobs1"):
        wall, cpu, result = timed_experiment(scenario, replications, InProcessExecutor)
    record("jobs1", "jobs=1 (in process)", 1, wall, result, cpu_share=cpu / wall)

    children_before = _children_cpu_seconds()
    with watching_other_processes(phases, "jobs2"):
        wall, _, result = timed_experiment(
            scenario, replications, lambda: LocalProcessExecutor(WORKERS)
        )
    # The pool is shut down (its processes waited for) inside the timing: their CPU is counted.
    worker_cpu = _children_cpu_seconds() - children_before
    record(
        "jobs2",
        f"jobs={WORKERS} (local processes)",
        WORKERS,
        wall,
        result,
        # Of the pool's capacity (wall x workers), the share its processes spent on the CPU:
        # start-up and idle time lower it, so it says how busy the pool was, not the machine.
        worker_cpu_share=worker_cpu / (wall * WORKERS),
    )

    # From the cluster's start to its close: its worker processes have ended, their CPU counts.
    with watching_other_processes(phases, "dask"):
        start = time.perf_counter()
        cluster = LocalCluster(
            n_workers=WORKERS,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        cluster_start = time.perf_counter() - start
        try:
            address = cluster.scheduler_address
            wall, _, result = timed_experiment(
                scenario, replications, lambda: DaskExecutor(address)
            )
        finally:
            cluster.close()
    record(
        "dask",
        f"dask LocalCluster {WORKERS}x1",
        WORKERS,
        wall,
        result,
        cluster_start_seconds=cluster_start,
    )

    base = runs["jobs1"]["wall_seconds"]
    for figures in runs.values():
        figures["speedup_over_jobs1"] = base / figures["wall_seconds"]
        figures["overhead_pct_of_work"] = 100.0 * figures["overhead_seconds_per_replication"] / work
    identical = all(f == fingerprints["jobs1"] for f in fingerprints.values())
    return {
        "scenario": scenario.name,
        "overrides": overrides,
        "horizon_days": scenario.simulation.horizon_days,
        "warmup_days": scenario.simulation.warmup_days,
        "seed": seed,
        "replications": replications,
        "reference": reference,
        "runs": runs,
        "identical_results": identical,
        "other_processes": phases,
    }


def verdicts(executors: dict[str, Any], quick: bool, nproc: int) -> dict[str, Any]:
    assessed = not quick and nproc >= WORKERS
    return {
        f"{name}_speedup": {
            "target": f">= {TARGET_SPEEDUP:g}x over jobs=1 with {WORKERS} workers",
            "figure": executors["runs"][name]["speedup_over_jobs1"],
            "met": executors["runs"][name]["speedup_over_jobs1"] >= TARGET_SPEEDUP
            if assessed
            else None,
        }
        for name in ("jobs2", "dask")
    }


def print_report(report: dict[str, Any]) -> None:
    info, executors = report["machine"], report["executors"]
    reference = executors["reference"]
    quick = "  (quick: small sizes)" if report["quick"] else ""
    print(f"caseload_sim executor benchmark  {info['date_utc']}{quick}")
    print(f"  {info['cpu']}, nproc {info['nproc']}; Python {info['python']}")
    print()
    print(
        f"C. Executors: {executors['scenario']}, {executors['horizon_days']:g} days (warm-up "
        f"{executors['warmup_days']:g}), {executors['replications']} replications, seed "
        f"{executors['seed']}"
    )
    shown = reference["replications"]
    print(
        f"  in-process work of one replication (replications {shown[0]}-{shown[-1]} every "
        f"{shown[1] - shown[0] if len(shown) > 1 else 1}, {len(shown)} timed): simulate "
        f"{reference['simulate_seconds_mean']:.3f} s + compute_kpis "
        f"{reference['kpis_seconds_mean']:.3f} s = {reference['work_seconds_mean']:.3f} s "
        f"(cold first run {reference['cold_first_run_seconds']:.3f} s, not counted)"
    )
    print(
        f"  {'executor':<28} {'workers':>7} {'wall s':>8} {'s/rep':>7} {'speed-up':>8} "
        f"{'overhead s/rep':>14} {'overhead %':>10}"
    )
    for figures in executors["runs"].values():
        print(
            f"  {figures['label']:<28} {figures['workers']:>7} {figures['wall_seconds']:>8.2f} "
            f"{figures['seconds_per_replication']:>7.3f} "
            f"{figures['speedup_over_jobs1']:>7.2f}x "
            f"{figures['overhead_seconds_per_replication']:>+14.3f} "
            f"{figures['overhead_pct_of_work']:>+9.1f}%"
        )
    print("  overhead s/rep = wall x workers / replications - in-process work of one replication")
    print(
        f"  Dask LocalCluster start-up (not in its wall time): "
        f"{executors['runs']['dask']['cluster_start_seconds']:.2f} s"
    )
    other = ", ".join(
        f"{name} {phase['other_processes_cores']:.2f}"
        for name, phase in executors["other_processes"].items()
    )
    print(f"  cores used by other processes during each phase: {other}")
    same = "yes" if executors["identical_results"] else "NO (a bug: executors must agree)"
    print(f"  identical KPIs and time series from every executor: {same}")
    print()
    busy = report["busy"]
    if busy["flagged"]:
        print(
            f"WARNING: the machine was busy (lowest CPU/wall share in this process "
            f"{busy['lowest_cpu_share']:.2f}, at least {BUSY_CPU_SHARE:g} wanted; other "
            f"processes used up to {busy['most_other_processes_cores']:.2f} cores in a phase, at "
            f"most {BUSY_OTHER_CORES:g} wanted; load average {busy['load_average_start']:.2f} "
            f"at start, {busy['load_average_end']:.2f} at end): times are inflated; run again "
            "when idle."
        )
    print("Targets")
    for name, target in report["targets"].items():
        met = target["met"]
        verdict = "n/a (quick or < 2 cores)" if met is None else ("MET" if met else "MISSED")
        print(f"  {name:<16} {target['figure']:>6.2f}x  target {target['target']:<40} {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 if a target is missed"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=RESULTS_DIR / "executors.json",
        help="where to write the JSON results (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    size = 1 if args.quick else 0
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("bench_executors needs the dask extra: pip install -e '.[dask]'", file=sys.stderr)
        return 1

    load_start = os.getloadavg()[0]
    executors = bench_executors(OVERRIDES[size], REPLICATIONS[size], REFERENCE_EVERY[size])
    info = machine()
    # The runs in this process must have had a core to themselves, and no other process may
    # have used a noticeable share of the machine during any phase.
    lowest_share = min(
        executors["reference"]["cpu_share_min"], executors["runs"]["jobs1"]["cpu_share"]
    )
    other_cores = max(
        (phase["other_processes_cores"] for phase in executors["other_processes"].values()),
        key=lambda cores: -1.0 if math.isnan(cores) else cores,
    )
    report = {
        "benchmark": "bench_executors",
        "quick": args.quick,
        "machine": info,
        "busy": {
            "flagged": lowest_share < BUSY_CPU_SHARE or other_cores > BUSY_OTHER_CORES,
            "lowest_cpu_share": lowest_share,
            "most_other_processes_cores": other_cores,
            "load_average_start": load_start,
            "load_average_end": os.getloadavg()[0],
        },
        "executors": executors,
        "targets": verdicts(executors, args.quick, info["nproc"]),
    }
    print_report(report)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, allow_nan=True) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    if not executors["identical_results"]:
        return 1
    missed = any(t["met"] is False for t in report["targets"].values())
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
