"""Speed of calibration: synthetic Annex A lists from the baseline, then calibration from them.

    .venv/bin/python benchmarks/bench_calibration.py [--format xlsx|csv] [--quick] [--strict]

Times ``synthesise_annex_a`` + ``write_annex_a`` on one run of the bundled baseline, then
``calibrate`` on the lists (reading, fitting, the effort search, the checks by simulation and
the reports), one core, and prints the figures. ``--quick`` uses a quarter of the demand and a
shorter run (a smoke test); there is no target, so ``--strict`` changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from caseload_sim.calibrate.pipeline import calibrate
from caseload_sim.calibrate.synthetic import synthesise_annex_a, write_annex_a
from caseload_sim.scenario.loading import default_scenario_path, load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--strict", action="store_true", help="accepted; there is no target")
    args = parser.parse_args()
    quick = ["demand.contacts_per_year=5500", "simulation.horizon_days=270"] if args.quick else []
    scenario = load_scenario(default_scenario_path(), quick)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        lists = synthesise_annex_a(scenario, seed=7)
        simulated = time.perf_counter()
        written = write_annex_a(lists, Path(folder) / "data", args.format)
        synthesised = time.perf_counter()
        outcome = calibrate(
            written,
            Path(folder) / "out" / "calibrated.toml",
            as_of=dt.date(2030, 1, 1),
        )
        calibrated = time.perf_counter()
    rows = {n: len(table) for n, table in lists.items()}
    print(f"lists: {', '.join(f'list {n} {count:,} rows' for n, count in rows.items())}")
    print(f"synthesise (one run of the baseline): {simulated - start:6.2f} s")
    print(f"write {args.format:4}:                          {synthesised - simulated:6.2f} s")
    search = outcome.search
    trials = len(search.trials) if search is not None else 0
    print(f"calibrate ({trials} effort candidates):       {calibrated - synthesised:6.2f} s")


if __name__ == "__main__":
    main()
