from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import pytest

from app.db.datamigration.backup import backup_table_name, new_run_id
from app.db.datamigration.progress import Progress, StreamProgress
from app.db.datamigration.report import Report

if TYPE_CHECKING:
    from pathlib import Path


def test_progress_says_rows_rate_and_eta() -> None:
    line = Progress("migrate", 50_000, 0.25, 2.0).line()
    assert line == "migrate: 50,000 rows, 25% of ids, 25,000 rows/s, ETA 6.0 s"
    assert Progress("migrate", 0, 0.0, 0.0).eta is None


def test_stream_progress_is_throttled_but_always_shows_the_end() -> None:
    stream = io.StringIO()
    now = iter([0.0, 0.1, 0.2])
    sink = StreamProgress(stream, interval=1.0, clock=lambda: next(now))
    sink.phase("batches")
    sink.update(Progress("migrate", 1, 0.1, 0.1))
    sink.update(Progress("migrate", 2, 0.5, 0.2))
    sink.update(Progress("migrate", 3, 1.0, 0.3))
    assert stream.getvalue().count("\n") == 3  # the phase, the first line, the last line


def test_a_report_renders_as_json_and_text(tmp_path: Path) -> None:
    report = Report(
        program="semaine",
        verb="migrate",
        status="failed",
        environment="staging",
        database="postgresql://h/d",
        run_id="20260101t000000z_abcdef",
        figures={"rows_updated": 1234, "ok": True},
        phases={"backup": 0.5},
        problems=("batch 3 failed",),
        next_step="fix it",
    )

    json_path, text_path = report.write(tmp_path)

    assert report.exit_code == 1
    data = json.loads(json_path.read_text())
    assert data["figures"] == {"rows_updated": 1234, "ok": True}
    assert data["phases_seconds"] == {"backup": 0.5}
    text = text_path.read_text()
    assert "semaine migrate: FAILED" in text
    assert "rows updated: 1,234" in text
    assert "problem: batch 3 failed" in text
    assert json_path.name == "migrate-20260101t000000z_abcdef.json"


def test_run_ids_make_safe_table_names() -> None:
    run_id = new_run_id()
    assert backup_table_name(run_id) == f"backup_{run_id}"
    with pytest.raises(ValueError, match="not a run id"):
        backup_table_name('x"; DROP TABLE entries; --')


def test_a_report_never_overwrites_an_earlier_one(tmp_path: Path) -> None:
    def report(status: str) -> Report:
        return Report(
            program="semaine",
            verb="migrate",
            status=status,
            environment="staging",
            database="postgresql://h/d",
            run_id="20260101t000000z_abcdef",
        )

    paths = [report(status).write(tmp_path) for status in ("completed", "nothing_to_do", "x")]

    assert len({p for pair in paths for p in pair}) == 6
    assert paths[0][0].name == "migrate-20260101t000000z_abcdef.json"
    assert [json.loads(j.read_text())["status"] for j, _ in paths] == [
        "completed",
        "nothing_to_do",
        "x",
    ]
    assert [t.read_text().splitlines()[0] for _, t in paths] == [
        "semaine migrate: COMPLETED",
        "semaine migrate: NOTHING_TO_DO",
        "semaine migrate: X",
    ]


def test_a_report_shows_flags_as_yes_or_no_and_absent_values_as_none() -> None:
    text = Report(
        program="python -m app data",
        verb="migrate",
        status="completed",
        environment="laptop",
        database="postgresql://h/d",
        figures={"resumed": False, "checksums_equal": True, "min_id": None},
        sample=(
            {
                "id": 7,
                "entry_date": "2027-01-03",
                "week_start_before": "2027-01-03",
                "week_start_after": "2026-12-28",
                "iso_year_before": None,
                "iso_week_before": None,
                "iso_year_after": 2026,
                "iso_week_after": 53,
            },
            {
                "id": 8,
                "entry_date": "2026-01-05",
                "week_start_before": "2026-01-04",
                "week_start_after": "2026-01-05",
                "iso_year_before": 2026,
                "iso_week_before": 1,
                "iso_year_after": 2026,
                "iso_week_after": 2,
            },
        ),
    ).to_text()

    assert "resumed" not in text  # an event that did not happen is not news
    assert "checksums equal: yes" in text
    assert "min id: none" in text
    assert "id 7 2027-01-03: week_start 2027-01-03 -> 2026-12-28, ISO week none -> 2026-W53" in (
        text
    )
    assert "ISO week 2026-W01 -> 2026-W02" in text
