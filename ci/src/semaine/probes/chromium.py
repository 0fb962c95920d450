"""How every browser session here launches Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
from typing import Any

CHROMIUM = os.environ.get("SEMAINE_CHROMIUM", "/usr/bin/chromium")
"""The browser binary: Debian's `chromium` package unless SEMAINE_CHROMIUM names another."""

# Without the background-networking flags Chromium keeps dialling Google's hosts, which a
# closed network refuses many times a second; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_available() -> bool:
    """Tell whether the Chromium binary is installed and executable."""
    return os.access(CHROMIUM, os.X_OK)


def launch_options() -> dict[str, Any]:
    """Return Playwright's `chromium.launch` keyword arguments for headless Chromium."""
    return {"executable_path": CHROMIUM, "args": list(CHROMIUM_ARGS), "headless": True}
