"""Profile one replication of the model with cProfile (``simulate`` + ``compute_kpis``).

Not a benchmark (``run_all.py`` does not run it): a tool for finding where the time goes.
By default one year of the county baseline (``horizon_days=365``, ``warmup_days=0``,
replication 0 of the scenario's seed); ``--scenario mmc`` profiles the M/M/c reduction of
``bench_model.py`` instead. Prints the top functions by cumulative and by own time and saves the
raw profile under ``benchmarks/results/`` (open it with ``python -m pstats FILE`` or snakeviz).

cProfile roughly triples the run time and inflates cheap, often-called functions most; use the
ranking, not the absolute seconds (``bench_model.py`` gives those).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS_DIR = HERE / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=("county", "mmc"), default="county")
    parser.add_argument("--days", type=float, help="horizon (default 365 county, 5000 mmc)")
    parser.add_argument("--top", type=int, default=10, help="rows per table (default 10)")
    parser.add_argument("--out", type=Path, help="profile file (default results/profile_*.prof)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE))
    from bench_model import MMC_SCENARIO, MMC_SEED, mmc_overrides

    from caseload_sim.metrics.catalogue import compute_kpis
    from caseload_sim.model.frontdoor import simulate
    from caseload_sim.scenario.loading import load_scenario

    if args.scenario == "county":
        days = args.days or 365.0
        scenario = load_scenario(
            None, [f"simulation.horizon_days={days!r}", "simulation.warmup_days=0"]
        )
        seed = scenario.simulation.seed
    else:
        days = args.days or 5000.0
        scenario = load_scenario(MMC_SCENARIO, mmc_overrides(days, days / 20))
        seed = MMC_SEED

    profile = cProfile.Profile()
    profile.enable()
    result = simulate(scenario, seed, 0)
    compute_kpis(result)
    profile.disable()

    out = args.out or RESULTS_DIR / f"profile_{args.scenario}.prof"
    out.parent.mkdir(parents=True, exist_ok=True)
    profile.dump_stats(out)

    print(
        f"{args.scenario}: {days:g} days, seed {seed}, replication 0; "
        f"{len(result.cases):,} referrals, {len(result.events.time):,} logged events"
    )
    for order, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        stats.sort_stats(order).print_stats(args.top)
        body = text.getvalue()
        for prefix in sorted(
            {str(p) for p in map(Path, sys.path) if p.is_dir()}, key=len, reverse=True
        ):
            body = body.replace(prefix + "/", "")
        print(f"\n--- top {args.top} by {title} ---")
        print(body[body.index("   ncalls") :].rstrip())
    print(f"\nsaved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
