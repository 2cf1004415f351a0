"""Speed of the model: one year of the county baseline, and the M/M/c reduction vs plain SimPy.

Part A runs one year of the bundled county scenario (``simulation.horizon_days=365``,
``simulation.warmup_days=0``) for a few replications in this process, one core, timing
``simulate`` and ``compute_kpis`` separately. It then runs each replication again with
``simpy.Environment.step`` wrapped by a counter to count the SimPy events processed (the
timed runs are not instrumented; events per second = counted events / untimed-run seconds).

Part B runs the M/M/c reduction of the model (``scenarios/validation/mmc.toml``) and the plain
SimPy reference script (``benchmarks/mmc_plain_simpy.py``) on the same queue, each as a fresh
Python process so that interpreter start-up and imports count, and compares their wall times
and their mean waits with Erlang C.

Targets: one year of the county baseline in under 2 s per replication on one core; the M/M/c
reduction within 2x of the plain SimPy script (whole process).

Prints a table and writes ``benchmarks/results/latest.json``. ``--quick`` runs small sizes
(a smoke test; the targets are then not assessed).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS_DIR = HERE / "results"
PLAIN_SCRIPT = HERE / "mmc_plain_simpy.py"
MMC_SCENARIO = ROOT / "scenarios" / "validation" / "mmc.toml"

TARGET_COUNTY_SECONDS = 2.0  # one year of the county baseline, per replication, one core
TARGET_MMC_RATIO = 2.0  # M/M/c reduction whole-process wall time / plain SimPy script
# CPU time / wall time below this means the benchmark did not have its core to itself (other
# processes were running): the times are inflated and the run is flagged.
BUSY_CPU_SHARE = 0.9

# Sizes: (full, quick).
COUNTY_HORIZON_DAYS = (365.0, 60.0)
COUNTY_REPLICATIONS = (5, 2)
MMC_HORIZON_DAYS = (20000.0, 2000.0)
MMC_WARMUP_DAYS = (1000.0, 100.0)
MMC_REPEATS = (3, 1)

# The queue of part B: lambda = 9/day, mu = 1/day, c = 10 (rho = 0.9).
MMC_ARRIVAL_RATE = 9.0
MMC_MEAN_SERVICE_DAYS = 1.0
MMC_SERVERS = 10
MMC_SEED = 1

# The model's M/M/c process: imports, scenario, one replication, KPIs; prints one JSON line.
# It runs as ``python -c`` so that the whole process (start-up and imports included) is timed.
_MODEL_MMC_CHILD = """
import time
t_start = time.perf_counter()
import json, sys
from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.model.frontdoor import simulate
from caseload_sim.scenario.loading import load_scenario
t_imported = time.perf_counter()
args = json.loads(sys.argv[1])
scenario = load_scenario(args["path"], args["overrides"])
t_loaded = time.perf_counter()
result = simulate(scenario, args["seed"], 0)
t_simulated = time.perf_counter()
kpis = compute_kpis(result)
t_measured = time.perf_counter()
# Batch-means standard error of the mean wait (20 batches by allocation time), for judging the
# distance from Erlang C: not the model's own work, but counted in its wall time (under 0.1 s).
start, end = result.measured_from, result.measured_to
cases = result.cases
waits = sorted(
    (at, at - referred)
    for at, referred in zip(cases.allocated_at.tolist(), cases.referral_at.tolist())
    if start <= at <= end
)
batches = 20
size = len(waits) // batches
means = [sum(w for _, w in waits[b * size:(b + 1) * size]) / size for b in range(batches)]
grand = sum(means) / batches
stderr = (sum((m - grand) ** 2 for m in means) / (batches - 1) / batches) ** 0.5
print(json.dumps({
    "mean_wait_days": kpis["referral_to_allocation_days_mean"],
    "mean_wait_stderr_batch_means": stderr,
    "customers": len(waits),
    "logged_events": int(len(result.events.time)),
    "import_seconds": t_imported - t_start,
    "load_seconds": t_loaded - t_imported,
    "simulate_seconds": t_simulated - t_loaded,
    "kpis_seconds": t_measured - t_simulated,
}))
"""


# ------------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def counting_simpy_steps() -> Iterator[list[int]]:
    """Count every event SimPy processes while the context is open (``counter[0]``).

    Wraps ``simpy.Environment.step`` on the class, so every environment created meanwhile is
    counted. A ``step`` that raises (``StopSimulation`` at ``until``, ``EmptySchedule``) is not
    counted, as in ``mmc_plain_simpy.py``, which counts the steps taken before the horizon.
    """
    import simpy

    original = simpy.Environment.step
    counter = [0]

    def step(self: simpy.Environment) -> None:
        original(self)
        counter[0] += 1

    simpy.Environment.step = step  # type: ignore[method-assign]
    try:
        yield counter
    finally:
        simpy.Environment.step = original  # type: ignore[method-assign]


def mmc_parameter_paths(path: Path) -> dict[str, str]:
    """The ``# set: NAME = dotted.path [unit]`` header of a validation scenario, as a dict."""
    found: dict[str, str] = {}
    pattern = re.compile(r"^#\s*set:\s*(\w+)\s*=\s*([\w.]+)")
    for line in path.read_text(encoding="utf-8").splitlines():
        match = pattern.match(line)
        if match:
            found[match.group(1)] = match.group(2)
        elif line.strip() and not line.startswith("#"):
            break
    return found


def mmc_overrides(horizon_days: float, warmup_days: float) -> list[str]:
    """``--set`` overrides that make the M/M/c scenario the queue of part B."""
    paths = mmc_parameter_paths(MMC_SCENARIO)
    values = {
        "arrival_rate": MMC_ARRIVAL_RATE,
        "servers": MMC_SERVERS,
        "caseload_cap": 1.0,
        "mean_service": MMC_MEAN_SERVICE_DAYS * 24.0,  # the scenario gives effort in hours
        "horizon_days": horizon_days,
        "warmup_days": warmup_days,
    }
    missing = sorted(set(values) - set(paths))
    if missing:
        raise SystemExit(f"{MMC_SCENARIO}: no '# set:' line for {', '.join(missing)}")
    return [f"{paths[name]}={value!r}" for name, value in values.items()]


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(command: list[str]) -> tuple[float, float, dict[str, Any]]:
    """Run a command that prints one JSON line last.

    Returns its wall time, its CPU time (user + system) and that JSON.
    """
    cpu_before = _children_cpu_seconds()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    cpu = _children_cpu_seconds() - cpu_before
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"benchmark process failed ({done.returncode}): {command[:3]}")
    return wall, cpu, json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> dict[str, Any]:
    """Where and with what the figures were measured."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    versions: dict[str, str | None] = {}
    for package in ("numpy", "simpy", "scipy", "pydantic"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "date_utc": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "nproc": usable,
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        **versions,
    }


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "mean": statistics.fmean(values),
        "min": min(values),
        "max": max(values),
        "median": statistics.median(values),
    }


# ------------------------------------------------------------------------ part A: county


def bench_county(horizon_days: float, replications: int) -> dict[str, Any]:
    """One year (or ``horizon_days``) of the county baseline, replication by replication."""
    from caseload_sim.metrics.catalogue import compute_kpis
    from caseload_sim.model.frontdoor import simulate
    from caseload_sim.scenario.loading import load_scenario

    overrides = [f"simulation.horizon_days={horizon_days!r}", "simulation.warmup_days=0"]
    scenario = load_scenario(None, overrides)
    seed = scenario.simulation.seed
    # A cold first run (first calls, caches, lazy imports), on a replication not measured below:
    # reported, but kept out of the per-replication figures.
    start = time.perf_counter()
    compute_kpis(simulate(scenario, seed, replications))
    cold_seconds = time.perf_counter() - start
    rows = []
    for replication in range(replications):
        cpu_start = time.process_time()
        start = time.perf_counter()
        result = simulate(scenario, seed, replication)
        simulated = time.perf_counter()
        compute_kpis(result)
        measured = time.perf_counter()
        cpu_seconds = time.process_time() - cpu_start
        logged = len(result.events.time)
        contacts, referrals = result.contacts, len(result.cases)
        del result
        # Same replication again, counting SimPy events (deterministic: same seed and index).
        with counting_simpy_steps() as counter:
            start_counted = time.perf_counter()
            counted = simulate(scenario, seed, replication)
            counted_seconds = time.perf_counter() - start_counted
        if len(counted.events.time) != logged:
            raise SystemExit(
                "the counted run logged a different number of events: not "
                "deterministic, so the event count does not match the timed run"
            )
        sim_seconds = simulated - start
        rows.append(
            {
                "replication": replication,
                "simulate_seconds": sim_seconds,
                "kpis_seconds": measured - simulated,
                "total_seconds": measured - start,
                "cpu_share": cpu_seconds / (measured - start),
                "simpy_events": counter[0],
                "simpy_events_per_second": counter[0] / sim_seconds,
                "logged_events": logged,
                "contacts": contacts,
                "referrals": referrals,
                "counted_run_seconds": counted_seconds,
            }
        )

    # The same replications through the experiment runner (jobs=1), as a user runs them.
    from caseload_sim.experiment.runner import run_experiment

    start = time.perf_counter()
    run_experiment(scenario, replications=replications, seed=seed, jobs=1)
    experiment_seconds = time.perf_counter() - start

    totals = [row["total_seconds"] for row in rows]
    return {
        "scenario": "county_2010_baseline",
        "overrides": overrides,
        "seed": seed,
        "replications": replications,
        "horizon_days": horizon_days,
        "cold_first_run_seconds": cold_seconds,
        "per_replication": rows,
        "simulate_seconds": _summary([row["simulate_seconds"] for row in rows]),
        "kpis_seconds": _summary([row["kpis_seconds"] for row in rows]),
        "total_seconds": _summary(totals),
        "cpu_share_min": min(row["cpu_share"] for row in rows),
        "simpy_events_per_second": _summary([row["simpy_events_per_second"] for row in rows]),
        "simpy_events_mean": statistics.fmean(row["simpy_events"] for row in rows),
        "logged_events_mean": statistics.fmean(row["logged_events"] for row in rows),
        "counting_overhead_pct": 100.0
        * (
            sum(row["counted_run_seconds"] for row in rows)
            / sum(row["simulate_seconds"] for row in rows)
            - 1.0
        ),
        "run_experiment_jobs1_seconds_per_replication": experiment_seconds / replications,
    }


# -------------------------------------------------------------------------- part B: M/M/c


def bench_mmc(horizon_days: float, warmup_days: float, repeats: int) -> dict[str, Any]:
    """The model's M/M/c reduction and the plain SimPy script, each as a whole process."""
    from caseload_sim.analytic import mmc_mean_wait

    overrides = mmc_overrides(horizon_days, warmup_days)
    model_command = [
        sys.executable,
        "-c",
        _MODEL_MMC_CHILD,
        json.dumps({"path": str(MMC_SCENARIO), "overrides": overrides, "seed": MMC_SEED}),
    ]
    plain_command = [
        sys.executable,
        str(PLAIN_SCRIPT),
        "--arrival-rate",
        repr(MMC_ARRIVAL_RATE),
        "--mean-service-days",
        repr(MMC_MEAN_SERVICE_DAYS),
        "--servers",
        str(MMC_SERVERS),
        "--horizon-days",
        repr(horizon_days),
        "--warmup-days",
        repr(warmup_days),
        "--seed",
        str(MMC_SEED),
    ]
    model_runs: list[tuple[float, dict[str, Any]]] = []
    plain_runs: list[tuple[float, dict[str, Any]]] = []
    cpu_shares: dict[str, list[float]] = {"model": [], "plain": []}
    for _ in range(repeats):  # alternate, so that drift in machine load hits both alike
        for name, command, runs in (
            ("plain", plain_command, plain_runs),
            ("model", model_command, model_runs),
        ):
            wall, cpu, out = run_timed(command)
            runs.append((wall, out))
            cpu_shares[name].append(cpu / wall)
    model_walls = [wall for wall, _ in model_runs]
    plain_walls = [wall for wall, _ in plain_runs]
    model_out = model_runs[-1][1]  # results are the same in every run (same seed)
    plain_out = plain_runs[-1][1]

    # SimPy events of the model's run, counted in this process (not part of the timings).
    from caseload_sim.model.frontdoor import simulate
    from caseload_sim.scenario.loading import load_scenario

    with counting_simpy_steps() as counter:
        simulate(load_scenario(MMC_SCENARIO, overrides), MMC_SEED, 0)
    model_events = counter[0]

    analytic = mmc_mean_wait(MMC_ARRIVAL_RATE, 1.0 / MMC_MEAN_SERVICE_DAYS, MMC_SERVERS)
    model_wait = model_out["mean_wait_days"]
    plain_wait = plain_out["mean_wait_days"]
    model_median = statistics.median(model_walls)
    plain_median = statistics.median(plain_walls)
    report: dict[str, Any] = {
        "queue": {
            "arrival_rate_per_day": MMC_ARRIVAL_RATE,
            "mean_service_days": MMC_MEAN_SERVICE_DAYS,
            "servers": MMC_SERVERS,
            "horizon_days": horizon_days,
            "warmup_days": warmup_days,
            "seed": MMC_SEED,
        },
        "model_overrides": overrides,
        "repeats": repeats,
        "model": {
            "whole_process_seconds": _summary(model_walls),
            "whole_process_runs": model_walls,
            **model_out,
            # In-process parts: medians over the runs.
            **{
                key: statistics.median(out[key] for _, out in model_runs)
                for key in ("import_seconds", "load_seconds", "simulate_seconds", "kpis_seconds")
            },
            # Everything outside load + simulate + KPIs: interpreter start, imports, exit.
            "startup_seconds": statistics.median(
                wall - out["load_seconds"] - out["simulate_seconds"] - out["kpis_seconds"]
                for wall, out in model_runs
            ),
            "simpy_events": model_events,
            "cpu_share_runs": cpu_shares["model"],
            "error_vs_erlang_c_pct": 100.0 * (model_wait / analytic - 1.0),
        },
        "plain": {
            "whole_process_seconds": _summary(plain_walls),
            "whole_process_runs": plain_walls,
            "mean_wait_days": plain_wait,
            "customers": plain_out["customers"],
            "simulate_seconds": statistics.median(out["wall_seconds"] for _, out in plain_runs),
            "startup_seconds": statistics.median(
                wall - out["wall_seconds"] for wall, out in plain_runs
            ),
            "simpy_events": plain_out["events"],
            "cpu_share_runs": cpu_shares["plain"],
            "error_vs_erlang_c_pct": 100.0 * (plain_wait / analytic - 1.0),
        },
        "erlang_c_mean_wait_days": analytic,
        "ratio_whole_process_median": model_median / plain_median,
        "ratio_whole_process_min": min(model_walls) / min(plain_walls),
    }
    for side in ("model", "plain"):
        figures = report[side]
        figures["simpy_events_per_second"] = figures["simpy_events"] / figures["simulate_seconds"]
        figures["events_per_customer"] = figures["simpy_events"] / figures["customers"]
    report["ratio_simulate_only"] = (
        report["model"]["simulate_seconds"] / report["plain"]["simulate_seconds"]
    )
    return report


# ------------------------------------------------------------------------------- report


def verdicts(county: dict[str, Any], mmc: dict[str, Any], quick: bool) -> dict[str, Any]:
    """Each target, the figure it is judged on, and whether it is met."""
    county_figure = county["total_seconds"]["mean"]
    mmc_figure = mmc["ratio_whole_process_min"]
    return {
        "county_year_seconds_per_replication": {
            "target": f"< {TARGET_COUNTY_SECONDS:g} s (mean of simulate + compute_kpis)",
            "figure": county_figure,
            "met": None if quick else county_figure < TARGET_COUNTY_SECONDS,
        },
        "mmc_model_over_plain_whole_process": {
            "target": f"<= {TARGET_MMC_RATIO:g}x (best-of-runs whole-process wall time)",
            "figure": mmc_figure,
            "met": None if quick else mmc_figure <= TARGET_MMC_RATIO,
        },
    }


def _verdict(met: bool | None) -> str:
    return "n/a (quick)" if met is None else ("MET" if met else "MISSED")


def print_report(report: dict[str, Any]) -> None:
    county, mmc, targets = report["county"], report["mmc"], report["targets"]
    info = report["machine"]
    quick = "  (quick: small sizes)" if report["quick"] else ""
    print(f"caseload_sim model benchmark  {info['date_utc']}{quick}")
    print(
        f"  {info['cpu']}, nproc {info['nproc']}; Python {info['python']}, numpy "
        f"{info['numpy']}, simpy {info['simpy']}"
    )
    print()
    print(
        f"A. County baseline, {county['horizon_days']:g} days, warm-up 0, "
        f"{county['replications']} replications, one process"
    )
    header = (
        f"  {'rep':>3} {'simulate s':>11} {'kpis s':>8} {'total s':>8} "
        f"{'SimPy events':>13} {'events/s':>10} {'logged':>8} {'referrals':>9}"
    )
    print(header)
    for row in county["per_replication"]:
        print(
            f"  {row['replication']:>3} {row['simulate_seconds']:>11.3f} "
            f"{row['kpis_seconds']:>8.3f} {row['total_seconds']:>8.3f} "
            f"{row['simpy_events']:>13,} {row['simpy_events_per_second']:>10,.0f} "
            f"{row['logged_events']:>8,} {row['referrals']:>9,}"
        )
    for stat in ("mean", "min"):
        print(
            f"  {stat:>3} {county['simulate_seconds'][stat]:>11.3f} "
            f"{county['kpis_seconds'][stat]:>8.3f} {county['total_seconds'][stat]:>8.3f} "
            f"{'':>13} {county['simpy_events_per_second'][stat]:>10,.0f}"
        )
    print(
        f"  cold first run (replication {county['replications']}, not in the table): "
        f"{county['cold_first_run_seconds']:.3f} s; run_experiment(jobs=1): "
        f"{county['run_experiment_jobs1_seconds_per_replication']:.3f} s per replication"
    )
    print(
        f"  SimPy events counted in separate runs (counting adds "
        f"{county['counting_overhead_pct']:.0f}% to simulate); events/s = events / simulate s"
    )
    print()
    queue = mmc["queue"]
    print(
        f"B. M/M/c: lambda {queue['arrival_rate_per_day']:g}/day, mu "
        f"{1 / queue['mean_service_days']:g}/day, c {queue['servers']}, horizon "
        f"{queue['horizon_days']:g} d, warm-up {queue['warmup_days']:g} d; whole process, "
        f"{mmc['repeats']} run(s) each"
    )
    print(
        f"  {'':<14} {'wall med s':>10} {'wall min s':>10} {'startup s':>9} {'sim s':>7} "
        f"{'SimPy events':>13} {'events/s':>10} {'mean wait d':>11} {'vs Erlang C':>11}"
    )
    for name in ("plain", "model"):
        side = mmc[name]
        print(
            f"  {name + (' SimPy' if name == 'plain' else ' (mmc.toml)'):<14} "
            f"{side['whole_process_seconds']['median']:>10.3f} "
            f"{side['whole_process_seconds']['min']:>10.3f} {side['startup_seconds']:>9.3f} "
            f"{side['simulate_seconds']:>7.3f} {side['simpy_events']:>13,} "
            f"{side['simpy_events_per_second']:>10,.0f} {side['mean_wait_days']:>11.4f} "
            f"{side['error_vs_erlang_c_pct']:>+10.2f}%"
        )
    model = mmc["model"]
    print(
        f"  Erlang C Wq = {mmc['erlang_c_mean_wait_days']:.4f} d; model batch-means s.e. "
        f"{model['mean_wait_stderr_batch_means']:.4f} d "
        f"({model['customers']:,} customers); model compute_kpis "
        f"{model['kpis_seconds']:.3f} s"
    )
    print(
        f"  model start-up = imports {model['import_seconds']:.3f} s + interpreter start and "
        f"exit; load_scenario {model['load_seconds']:.3f} s (not in start-up)"
    )
    print(
        f"  ratio model/plain: whole process {mmc['ratio_whole_process_min']:.2f}x "
        f"(best of runs; medians {mmc['ratio_whole_process_median']:.2f}x), simulate only "
        f"{mmc['ratio_simulate_only']:.2f}x"
    )
    print()
    busy = report["busy"]
    if busy["flagged"]:
        print(
            f"WARNING: the machine was busy (lowest CPU/wall share {busy['lowest_cpu_share']:.2f}"
            f" < {BUSY_CPU_SHARE:g}; load average {busy['load_average_start']:.2f} at start, "
            f"{busy['load_average_end']:.2f} at end): times are inflated; run again when idle."
        )
    print("Targets")
    for name, target in targets.items():
        unit = "s" if name.startswith("county") else "x"
        print(
            f"  {name:<40} {target['figure']:>7.2f} {unit}  target {target['target']:<45} "
            f"{_verdict(target['met'])}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 if a target is missed"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=RESULTS_DIR / "latest.json",
        help="where to write the JSON results (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    size = 1 if args.quick else 0

    load_start = os.getloadavg()[0]
    county = bench_county(COUNTY_HORIZON_DAYS[size], COUNTY_REPLICATIONS[size])
    mmc = bench_mmc(MMC_HORIZON_DAYS[size], MMC_WARMUP_DAYS[size], MMC_REPEATS[size])
    lowest_share = min(
        county["cpu_share_min"], *mmc["model"]["cpu_share_runs"], *mmc["plain"]["cpu_share_runs"]
    )
    report = {
        "benchmark": "bench_model",
        "quick": args.quick,
        "machine": machine(),
        "busy": {
            "flagged": lowest_share < BUSY_CPU_SHARE,
            "lowest_cpu_share": lowest_share,
            "load_average_start": load_start,
            "load_average_end": os.getloadavg()[0],
        },
        "county": county,
        "mmc": mmc,
        "targets": verdicts(county, mmc, args.quick),
    }
    print_report(report)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, allow_nan=True) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    missed = any(t["met"] is False for t in report["targets"].values())
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
