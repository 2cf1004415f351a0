"""What the web app adds to a run: from clicking Run to the cards, beside the same run from the
command line.

Ten replications of the default scenario on two processes, in rounds that alternate the two:
the command line's whole process (``caseload-sim run -r 10 --jobs 2 --seed S``), and in the app
(started once, on a free loopback port, in headless Chromium driven by Playwright) the time from
the click on Run to the first card. Each round uses a new seed, so the app cannot reopen a
saved run. The figure is the median over rounds of the difference within each round. Target:
the app adds at most 1 s. Writes ``benchmarks/results/app.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from caseload_sim.app.server import running_app

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
CHROMIUM = "/usr/bin/chromium"
TARGET_EXTRA_SECONDS = 1.0
REPLICATIONS = 10


def cli_seconds(seed: int, out: Path, replications: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "caseload_sim",
            "run",
            "-r",
            str(replications),
            "--jobs",
            "2",
            "--seed",
            str(seed),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def app_seconds(page, url: str, seed: int, replications: int) -> float:  # noqa: ANN001
    page.goto(f"{url}/run")
    page.get_by_label("Name this run").wait_for()
    page.get_by_role("spinbutton", name="How many").fill(str(replications))
    page.get_by_role("spinbutton", name="Seed").fill(str(seed))
    page.get_by_role("spinbutton", name="Processes").fill("2")
    page.wait_for_timeout(300)
    start = time.perf_counter()
    page.get_by_role("button", name="Run", exact=True).click()
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=600_000)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=5, help="rounds (the median of their differences counts)"
    )
    parser.add_argument("--quick", action="store_true", help="2 replications, 1 round")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    replications, rounds = (2, 1) if args.quick else (REPLICATIONS, args.rounds)
    from playwright.sync_api import sync_playwright

    cli, app = [], []
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_app(Path(tmp) / "app") as url,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(url)  # the first visit loads the app's modules
        page.get_by_text("Describe the service").first.wait_for(timeout=120_000)
        for round_ in range(rounds):
            cli.append(cli_seconds(1000 + round_, Path(tmp) / f"cli{round_}", replications))
            app.append(app_seconds(page, url, 2000 + round_, replications))
        browser.close()
    # Each round's two runs share the machine's load of the moment, so the difference within a
    # round is what the app adds; the median over rounds sets aside a burst of load on one run.
    differences = [a - c for a, c in zip(app, cli, strict=True)]
    extra = statistics.median(differences)
    met = extra <= TARGET_EXTRA_SECONDS
    print(
        f"command line, {replications} replications on 2 processes: median "
        f"{statistics.median(cli):.2f} s ({', '.join(f'{c:.2f}' for c in cli)})"
    )
    print(
        f"app, click on Run to the first card:                 median "
        f"{statistics.median(app):.2f} s ({', '.join(f'{a:.2f}' for a in app)})"
    )
    print(
        f"the app adds, round by round: {', '.join(f'{d:+.2f}' for d in differences)} s; "
        f"median {extra:+.2f} s; target at most {TARGET_EXTRA_SECONDS:g} s: "
        f"{'MET' if met else 'MISSED'}"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "app.json").write_text(
        json.dumps(
            {
                "cli_seconds": cli,
                "app_seconds": app,
                "differences_seconds": differences,
                "extra_seconds": extra,
                "met": met,
            },
            indent=2,
        )
        + "\n"
    )
    return 1 if args.strict and not args.quick and not met else 0


if __name__ == "__main__":
    sys.exit(main())
