"""Record the headline KPIs of the bundled county scenarios, replication by replication, as a
reference that a later version of the model is checked against on common random numbers
(``tests/model/test_equivalence.py``).

Run from the repository's root, on the commit to be the reference::

    .venv/bin/python experiments/equivalence/record_reference.py

It writes ``tests/model/data/reference_kpis.json`` with the commit it came from, the seed, and
each headline KPI of each replication of ``county_2010_baseline`` and ``county_2010_as_found``.
Copy those two scenario files, as they are on that commit, to
``tests/model/data/reference_scenarios/``: the test runs them, not the bundled ones, which move on.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
from pathlib import Path

from caseload_sim.experiment.runner import run_experiment
from caseload_sim.experiment.settings import RunSettings
from caseload_sim.metrics.catalogue import HEADLINE_KPIS
from caseload_sim.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ("county_2010_baseline", "county_2010_as_found")
OUT = ROOT / "tests" / "model" / "data" / "reference_kpis.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    document: dict[str, object] = {"commit": commit, "replications": args.replications}
    for name in SCENARIOS:
        scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
        result = run_experiment(
            scenario, settings=RunSettings(replications=args.replications, jobs=args.jobs)
        )
        document[name] = {
            "seed": result.seed,
            "kpis": {
                kpi: [None if math.isnan(v) else v for v in result.kpi_values(kpi)]
                for kpi in HEADLINE_KPIS
                if kpi in result.outputs[0].kpis
            },
        }
    OUT.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {OUT} from commit {commit}")


if __name__ == "__main__":
    main()
