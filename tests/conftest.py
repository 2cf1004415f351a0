"""Shared helpers: bundled scenarios, small variants that run in a fraction of a second."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from caseload_sim.scenario.loading import load_scenario
from caseload_sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
MMC = SCENARIOS / "validation" / "mmc.toml"

# A quarter-size county: the baseline's rules with a quarter of the demand and staff.
SMALL_COUNTY = [
    "demand.contacts_per_year=5500",
    "workforce.access_centre.duty_workers=3",
    "workforce.teams.north.staff={ tm = 1, sp = 1, sw = 3, nqsw = 1, swa = 1 }",
    "workforce.teams.south.staff={ tm = 1, sp = 0, sw = 3, nqsw = 1, swa = 2 }",
    "workforce.teams.disabled_children.staff={ tm = 0, sp = 0, sw = 1, swa = 1 }",
    "simulation.horizon_days=150",
    "simulation.warmup_days=30",
]

# Two dated changes, valid for small_county() and for scenario_file() with its default warm-up
# and horizon: new allocation rules during the warm-up (folded into the first measured period)
# and a re-organisation with a transition dip inside the measured period.
TIMELINE_CHANGES = (
    ("2010-04-12", "New allocation rules", "", '"workforce.allocation.policy" = "skill_matched"'),
    (
        "2010-05-17",
        "Re-organisation",
        "transition_dip_pct = 15, transition_wd = 5",
        '"workforce.teams.north.staff.sw" = 4',
    ),
)
#: The timeline as a --set override.
TIMELINE = "timeline=[{}]".format(
    ", ".join(
        f'{{ date = {date}, label = "{label}", {extra + ", " if extra else ""}'
        f"changes = {{ {change} }} }}"
        for date, label, extra, change in TIMELINE_CHANGES
    )
)
#: The timeline as lines of a scenario file (for scenario_file()).
TIMELINE_LINES = tuple(
    line
    for date, label, extra, change in TIMELINE_CHANGES
    for line in (
        "[[timeline]]",
        f"date = {date}",
        f'label = "{label}"',
        *[item.strip() for item in extra.split(",") if item.strip()],
        "[timeline.changes]",
        change,
    )
)


def small_county(*overrides: str, path: Path | None = None) -> Scenario:
    """The baseline (or another county scenario) at a quarter of the size, 150 days long."""
    return load_scenario(path, [*SMALL_COUNTY, *overrides])


def mmc(*overrides: str) -> Scenario:
    """The M/M/c validation scenario with overrides."""
    return load_scenario(MMC, list(overrides))


def run_cli(*args: str) -> int:
    """Run the command line in this process; its exit code."""
    from caseload_sim.cli import main

    try:
        main(list(args))
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0


def run_cli_captured(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process; its exit code, stdout and stderr."""
    code = run_cli(*args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def scenario_file(
    folder: Path, name: str = "small", *lines: str, horizon: int = 80, warmup: int = 20
) -> Path:
    """A small county scenario file built on the baseline, with extra TOML lines."""
    path = folder / f"{name}.toml"
    path.write_text(
        "\n".join(
            [
                f'base = "{SCENARIOS / "county_2010_baseline.toml"}"',
                f'name = "{name}"',
                "[demand]",
                "contacts_per_year = 3000",
                "[simulation]",
                f"horizon_days = {horizon}",
                f"warmup_days = {warmup}",
                *lines,
            ]
        )
        + "\n"
    )
    return path


@pytest.fixture(autouse=True)
def _main_module_kept() -> Iterator[None]:
    """Streamlit's ``AppTest`` runs a page as ``__main__`` and leaves it there; a process pool
    started later in the same test process (a Dask cluster, any pool that spawns) would then
    import that page in each new process and fail. Each test's ``__main__`` is put back after
    it."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def small_county_scenario() -> Scenario:
    return small_county()


def draw_staff(draw: Any) -> str:
    """A referral and assessment team's staff table as TOML, drawn by hypothesis: one or two
    managers, at least one social worker, and up to a few of each other grade."""
    from hypothesis import strategies as st

    staff = {
        "tm": draw(st.integers(1, 2)),
        "sp": draw(st.integers(0, 2)),
        "sw": draw(st.integers(1, 4)),
        "nqsw": draw(st.integers(0, 2)),
        "swa": draw(st.integers(0, 3)),
    }
    table = ", ".join(f"{grade} = {count}" for grade, count in staff.items())
    return f"{{ {table} }}"
