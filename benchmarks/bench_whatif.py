"""How long a planner waits: the model's whole-process times, as ratios, measured in one run.

A "unit" is the wall time of the plain SimPy M/M/10 script (``mmc_plain_simpy.py``) for about
100,000 customers (lambda 9 a day for 11,111 days), as a fresh process, measured in this run
beside the rest; machines and loads differ from day to day, ratios much less. Four figures:

1. one replication of the default scenario (455 days): the whole ``caseload-sim run -r N
   --jobs 1`` process divided by N, in units (target at most 1);
2. the M/M/c reduction (``scenarios/validation/mmc.toml``, about 180,000 customers) against the
   plain SimPy script on the same queue, both whole processes (target at most 2x);
3. a what-if: ``caseload-sim run scenarios/county_2010_as_found.toml -r 10 --jobs 2``, whole
   process, in units (target at most 5);
4. ``caseload-sim --help``, in seconds (target under 0.5 s).

Each is the best of a few rounds (``--repeats``), every round running every command once in
turn, the fairest figure on a shared machine. Also:
the peak memory (maximum resident set) of a process running one replication of the default
scenario. Writes ``benchmarks/results/whatif.json``; ``--quick`` runs small sizes (a smoke
test; targets not assessed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
CLI = [sys.executable, "-m", "caseload_sim"]

#: The unit: plain SimPy, M/M/10 at rho = 0.9, about 100,000 customers (full, quick).
UNIT_HORIZON_DAYS = (11_111.0, 1_111.0)
MMC_HORIZON_DAYS = (20_000.0, 2_000.0)
MMC_WARMUP_DAYS = (1_000.0, 100.0)
DEFAULT_REPLICATIONS = (3, 1)
WHATIF_REPLICATIONS = (10, 2)
TARGETS = {
    "default_replication_units": 1.0,
    "mmc_model_over_plain": 2.0,
    "whatif_units": 5.0,
    "help_seconds": 0.5,
}


def wall(command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> float:
    """Wall time of a fresh process run in ``cwd`` (it must succeed)."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-2000:])
        raise SystemExit(f"failed ({done.returncode}) in {cwd}: {' '.join(command[:6])}")
    return took


def interleaved(named: dict[str, list[str]], rounds: int) -> dict[str, float]:
    """The best wall time of each command over ``rounds`` rounds, each round running every
    command once in turn: a burst of load on the shared machine then falls on one run of each
    rather than on every run of one (the unit measured at a quiet minute and the rest at a busy
    one made ratios wrong by half)."""
    times: dict[str, list[float]] = {name: [] for name in named}
    for _ in range(rounds):
        for name, arguments in named.items():
            times[name].append(wall([sys.executable, *arguments]))
    return {name: min(runs) for name, runs in times.items()}


def commands(out: Path, size: int) -> dict[str, list[str]]:
    """What is timed, in this order, as arguments to Python run from the repository's root
    (``size`` 0 full, 1 quick): the unit, the default scenario, the M/M/c queue in plain SimPy
    and in the model, the what-if and ``--help``."""
    horizon, warmup = MMC_HORIZON_DAYS[size], MMC_WARMUP_DAYS[size]
    plain = ["benchmarks/mmc_plain_simpy.py"]
    return {
        "unit": [*plain, "--horizon-days", f"{UNIT_HORIZON_DAYS[size]:g}", "--warmup-days", "0"],
        "default": [
            *("-m", "caseload_sim", "run", "-r", str(DEFAULT_REPLICATIONS[size])),
            *("--jobs", "1", "--out", str(out / "default")),
        ],
        "mmc_plain": [*plain, "--horizon-days", f"{horizon:g}", "--warmup-days", f"{warmup:g}"],
        "mmc_model": [
            *("-m", "caseload_sim", "run", "scenarios/validation/mmc.toml", "-r", "1"),
            *("--jobs", "1", "--set", f"simulation.horizon_days={horizon:g}"),
            *("--set", f"simulation.warmup_days={warmup:g}", "--out", str(out / "mmc")),
        ],
        "whatif": [
            *("-m", "caseload_sim", "run", "scenarios/county_2010_as_found.toml"),
            *("-r", str(WHATIF_REPLICATIONS[size]), "--jobs", "2", "--out", str(out / "whatif")),
        ],
        "help": ["-m", "caseload_sim", "--help"],
    }


def peak_memory_mb(command: list[str]) -> float:
    """The largest resident set of a process running ``command`` (MB), measured by a fresh
    process of its own (the peak of children counts every child, and earlier ones were
    bigger)."""
    probe = (
        "import resource, subprocess, sys; "
        f"subprocess.run({command!r}, check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip()) / 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--repeats", type=int, default=None, help="rounds (best counts)")
    args = parser.parse_args(argv)
    size = 1 if args.quick else 0
    repeats = args.repeats or (1 if args.quick else 3)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        timed = interleaved(commands(out, size), repeats)
        unit, mmc_plain, mmc_model = timed["unit"], timed["mmc_plain"], timed["mmc_model"]
        default, whatif, helping = timed["default"], timed["whatif"], timed["help"]
        default_n, whatif_n = DEFAULT_REPLICATIONS[size], WHATIF_REPLICATIONS[size]
        memory = peak_memory_mb(
            [*CLI, "run", "-r", "1", "--jobs", "1", "--out", str(out / "memory")]
        )
    figures = {
        "default_replication_units": default / default_n / unit,
        "mmc_model_over_plain": mmc_model / mmc_plain,
        "whatif_units": whatif / unit,
        "help_seconds": helping,
    }
    seconds = {
        "unit": unit,
        "default_run": default,
        "default_replications": default_n,
        "mmc_plain": mmc_plain,
        "mmc_model": mmc_model,
        "whatif": whatif,
        "whatif_replications": whatif_n,
        "help": helping,
    }
    met = {name: figures[name] <= target for name, target in TARGETS.items()}
    print(f"unit: plain SimPy M/M/10, about 100,000 customers, whole process: {unit:.2f} s")
    rows = (
        (
            "default scenario, one replication (455 days), whole process",
            "default_replication_units",
            "units",
        ),
        ("M/M/c reduction, whole process, model / plain SimPy", "mmc_model_over_plain", "x"),
        (
            f"what-if: as found, {whatif_n} replications, --jobs 2, whole process",
            "whatif_units",
            "units",
        ),
        ("caseload-sim --help", "help_seconds", "s"),
    )
    for label, name, unit_name in rows:
        verdict = "n/a (quick)" if args.quick else ("MET" if met[name] else "MISSED")
        print(
            f"  {label:<70} {figures[name]:6.2f} {unit_name:<5} "
            f"target {'<=' if name != 'help_seconds' else '<'} {TARGETS[name]:g}  {verdict}"
        )
    print(f"  peak memory of one replication of the default scenario: {memory:.0f} MB")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "whatif.json").write_text(
        json.dumps(
            {"figures": figures, "seconds": seconds, "peak_memory_mb": memory, "met": met},
            indent=2,
        )
        + "\n"
    )
    if args.strict and not args.quick and not all(met.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
