"""The pre-US1.6 rule, for the tests' expectations: a week starts on the Sunday on or before.

The service no longer writes it; the data migration's SQL (legacy_rows.sql) makes such
rows for drills. The tests check migrated and restored rows against this.
"""

from __future__ import annotations

from datetime import date

from app.weeks import OutOfRangeError


def legacy_week_start(d: date) -> date:
    """Return the Sunday on or before d: the start of a pre-US1.6 (Sunday-first) week."""
    ordinal = d.toordinal() - d.isoweekday() % 7
    if ordinal < 1:
        msg = (
            f"{d.isoformat()} has no legacy week start: the Sunday before it would be "
            "0000-12-31, before the first date 0001-01-01"
        )
        raise OutOfRangeError(msg)
    return date.fromordinal(ordinal)
