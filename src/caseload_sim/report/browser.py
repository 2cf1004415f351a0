"""Headless Chromium (Debian's `chromium`) for looking at a report as a reader would.

Used by the browser check of the report and by the script that takes the README's screenshot.
The flags keep a headless Chromium off the network: without the background-networking ones it
tries to reach outside services at every start.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_command(profile: Path, *args: str) -> list[str]:
    """A headless Chromium command line with its own empty profile folder."""
    return [str(CHROMIUM), *HEADLESS_FLAGS, f"--user-data-dir={profile}", *args]
