"""Argument types shared by the command lines (`python -m app` and the `semaine` verbs)."""

from __future__ import annotations

import argparse


def whole_number(text: str) -> int:
    """Parse a count flag: a whole number >= 1, else a usage error that says so."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"expected a whole number >= 1, not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value
