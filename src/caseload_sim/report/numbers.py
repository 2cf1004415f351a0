"""Numbers and values as the report shows them.

Every number in the report is formatted here from the folder's JSON and CSV files (two decimals),
so the report and ``summary.json`` / ``comparison.json`` always agree.
"""

from __future__ import annotations

import json
import math
from typing import Any


def fmt(value: Any) -> str:
    """A number as the report shows it: two decimals with thousands separators; '-' if none."""
    if value is None or value == "":
        return "-"
    number = float(value)
    return "-" if math.isnan(number) else f"{number:,.2f}"


def fmt_diff(value: Any) -> str:
    """A difference as the report shows it: signed, two decimals."""
    if value is None or value == "":
        return "-"
    number = float(value)
    return "-" if math.isnan(number) else f"{number:+,.2f}"


def fmt_ci(low: Any, high: Any) -> str:
    """A 95% confidence interval as the report shows it: 'LOW to HIGH'; '-' if there is none."""
    low_text, high_text = fmt(low), fmt(high)
    return "-" if low_text == high_text == "-" else f"{low_text} to {high_text}"


#: A field that one of two scenarios does not set.
NOT_SET = object()


def show(value: Any) -> str:
    """A scenario value as written in a scenario file (numbers in their shortest form)."""
    if value is NOT_SET:
        return "(not set)"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return json.dumps(value, default=str)


def share(value: Any) -> str:
    """A share (0 to 1) as a percentage: 0.22 -> "22%"."""
    if value is None:
        return "not given"
    return f"{float(value) * 100:g}%"
