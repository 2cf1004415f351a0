"""Run every benchmark script in this folder (``bench_*.py``) and print their output.

This is what ``make bench`` calls. Each script runs in its own process, in name order, with the
same Python as this one; ``--quick`` (small sizes, a smoke test) and ``--strict`` (exit 1 when a
target is missed) are passed on to each. A new benchmark needs only to be a ``bench_*.py`` file
here that accepts those two options.

Exit status: 0 if every script succeeded, otherwise 1 (and the failed scripts are listed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover() -> list[Path]:
    """The benchmark scripts of this folder, in name order."""
    return sorted(HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument(
        "--strict", action="store_true", help="fail when a benchmark misses its target"
    )
    parser.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        default=[],
        help="run only scripts whose name contains NAME (repeatable)",
    )
    args = parser.parse_args(argv)

    scripts = [s for s in discover() if not args.only or any(n in s.name for n in args.only)]
    if not scripts:
        print(f"no benchmark scripts (bench_*.py) found in {HERE}", file=sys.stderr)
        return 1
    passed_on = [flag for flag, on in (("--quick", args.quick), ("--strict", args.strict)) if on]
    failed: list[str] = []
    for script in scripts:
        print(f"=== {script.name} {' '.join(passed_on)}".rstrip(), flush=True)
        start = time.perf_counter()
        # Output goes straight to this process's stdout and stderr, as the script writes it.
        code = subprocess.run([sys.executable, str(script), *passed_on], check=False).returncode
        took = time.perf_counter() - start
        status = "ok" if code == 0 else f"FAILED (exit status {code})"
        print(f"=== {script.name}: {status} in {took:.1f} s\n", flush=True)
        if code != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(scripts)} benchmark(s) succeeded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
