"""Finished replications saved as they complete, so an interrupted experiment can resume.

Each replication's output is written (atomically) to
``OUT/.checkpoints/<scenario key>-<seed>/<replication>.json``. The key is a hash of the fully
resolved scenario, so a changed scenario never reuses stale results. JSON keeps floats exactly
(shortest round-trip representation, NaN included), so a resumed experiment writes the same
bytes as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from caseload_sim.experiment.replications import ReplicationOutput
from caseload_sim.files import write_atomically
from caseload_sim.scenario.loading import scenario_to_toml
from caseload_sim.scenario.schema import Scenario

FOLDER = ".checkpoints"


def scenario_key(scenario: Scenario) -> str:
    """A short stable identifier of a fully resolved scenario."""
    return hashlib.sha256(scenario_to_toml(scenario).encode("utf-8")).hexdigest()[:16]


class CheckpointStore:
    """Saved replication outputs under a results folder."""

    def __init__(self, out: Path) -> None:
        self.root = Path(out) / FOLDER

    def _path(self, key: str, replication: int) -> Path:
        return self.root / key / f"{replication}.json"

    def save(self, key: str, output: ReplicationOutput) -> None:
        document = {
            "replication": output.replication,
            "kpis": output.kpis,
            "timeseries": output.timeseries,
            "events": output.events,
            "waits": output.waits,
            "periods": output.periods,
            "windows": output.windows,
        }
        write_atomically(self._path(key, output.replication), json.dumps(document))

    def load(self, key: str) -> dict[int, ReplicationOutput]:
        """Every saved replication of one scenario key."""
        found: dict[int, ReplicationOutput] = {}
        folder = self.root / key
        if not folder.is_dir():
            return found
        for path in sorted(folder.glob("*.json")):
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # an unreadable checkpoint is simply run again
            events = document.get("events")
            output = ReplicationOutput(
                replication=int(document["replication"]),
                kpis=document["kpis"],
                timeseries=document["timeseries"],
                events=[tuple(event) for event in events] if events is not None else None,
                waits=document.get("waits", {}),
                # Checkpoints written before periods were kept have none (see the runner).
                periods=document.get("periods", []),
                windows=document.get("windows", []),
            )
            found[output.replication] = output
        return found

    def clear(self) -> None:
        """Remove every checkpoint (after the results are written)."""
        shutil.rmtree(self.root, ignore_errors=True)
