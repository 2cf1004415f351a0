"""The calibrated scenario file: the base scenario, and each fitted value with its evidence.

The file is a ``base =`` option on the scenario the council started from, so it holds only what
the data changed, each value commented with the lists, the data window, n and the quality of
the fit. A planner can read it, edit it and run it like any scenario.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import tomli_w

from caseload_sim.calibrate.fitting import FittedValue
from caseload_sim.scenario.loading import SCENARIO_DIR


def _toml_value(value: Any) -> str:
    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def scenario_text(
    name: str,
    description: str,
    base: Path,
    out: Path,
    values: list[FittedValue],
    header: list[str],
) -> str:
    """TOML text of the calibrated scenario (``base`` relative to ``out``'s folder; a bundled
    scenario by its file name, which the loader finds wherever the file is kept)."""
    bundled = base.resolve().parent == SCENARIO_DIR.resolve()
    try:
        base_ref = os.path.relpath(base.resolve(), out.resolve().parent)
    except ValueError:  # another drive
        base_ref = str(base.resolve())
    if bundled and not (out.resolve().parent / base.name).exists():
        base_ref = base.name
    elif base_ref.startswith(os.path.join(os.pardir, os.pardir, os.pardir)):
        base_ref = str(base.resolve())  # far apart: a relative path would only confuse
    lines = [f"# {line}" if line else "#" for line in header]
    lines += [
        "",
        f"base = {_toml_value(Path(base_ref).as_posix())}",
        f"name = {_toml_value(name)}",
        f"description = {_toml_value(description)}",
    ]
    scalars: dict[str, list[FittedValue]] = {}
    tables: list[FittedValue] = []
    for fitted in values:
        if isinstance(fitted.value, dict):
            tables.append(fitted)
        else:
            parent = fitted.path.rsplit(".", 1)[0]
            scalars.setdefault(parent, []).append(fitted)
    for parent, items in scalars.items():
        lines += ["", f"[{parent}]"]
        for fitted in items:
            lines += _evidence(fitted)
            lines.append(f"{fitted.path.rsplit('.', 1)[1]} = {_toml_value(fitted.value)}")
    for fitted in tables:
        lines += ["", *_evidence(fitted), f"[{fitted.path}]"]
        lines += [f"{key} = {_toml_value(item)}" for key, item in fitted.value.items()]
    return "\n".join(lines) + "\n"


def _evidence(fitted: FittedValue) -> list[str]:
    import textwrap

    return [f"# {line}" for line in textwrap.wrap(f"{fitted.evidence} (n = {fitted.n:,})", 96)]


def default_header(source: str, window: tuple[dt.date, dt.date], base: Path) -> list[str]:
    first, last = window
    return [
        "Calibrated from a council's Ofsted ILACS Annex A lists by `caseload-sim calibrate`.",
        f"Data: {Path(source).name}, {first:%d/%m/%Y} to {last:%d/%m/%Y}.",
        f"Every field not set here is the base scenario's ({base.name}): staffing, caps, effort",
        "other than the first assessment's, and the rules. Check them against the service.",
        "Each value below says which lists it comes from, the window, n and the fit.",
    ]
