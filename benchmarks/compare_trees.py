"""Before and after a change: ``bench_whatif.py``'s figures for two checkouts, measured interleaved.

On a shared machine the load drifts over minutes, so two benchmark runs one after the other can
differ by a third even as ratios. This script runs each of ``bench_whatif.py``'s commands for
the two checkouts in turn (before, after, before, after, ...), keeps the best of ``--repeats``
for each, and gives the four figures for both against the same unit (the plain SimPy M/M/10
script of the *before* checkout). Each checkout is run with its own ``src`` first on the
module path, and the same Python (this one). Not a ``bench_*.py``: ``make bench`` does not run
it.

Usage, from the repository's root, with the earlier commit checked out elsewhere::

    git worktree add ../before <commit>
    .venv/bin/python benchmarks/compare_trees.py ../before .
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_whatif import DEFAULT_REPLICATIONS, commands, wall  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="checkout of the earlier commit")
    parser.add_argument("after", type=Path, help="checkout of the later commit")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each (best counts)")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    args = parser.parse_args(argv)
    size = 1 if args.quick else 0
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    best: dict[tuple[str, str], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeats):
            for name, arguments in commands(Path(tmp), size).items():
                for label, tree in trees.items():
                    if name in ("unit", "mmc_plain") and label == "after":
                        continue  # the yardstick is the same script: measure it once a round
                    environment = dict(os.environ, PYTHONPATH=str(tree / "src"))
                    took = wall([sys.executable, *arguments], cwd=tree, env=environment)
                    best[(name, label)] = min(took, best.get((name, label), took))
    unit, plain = best[("unit", "before")], best[("mmc_plain", "before")]
    customers = "about 100,000" if size == 0 else "about 10,000 (quick)"
    print(f"unit (plain SimPy M/M/10, {customers} customers): {unit:.2f} s")
    print(f"{'':8} {'default units':>14} {'M/M/c x':>8} {'what-if units':>14} {'--help s':>9}")
    for label in trees:
        default = best[("default", label)] / DEFAULT_REPLICATIONS[size] / unit
        print(
            f"{label:8} {default:14.2f} {best[('mmc_model', label)] / plain:8.2f} "
            f"{best[('whatif', label)] / unit:14.2f} {best[('help', label)]:9.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
