"""``python -m caseload_sim.cli``: the same command line as ``caseload-sim``."""

from caseload_sim.cli import entry

entry()
