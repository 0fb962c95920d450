"""One redaction for database URLs and secret values (app.redaction)."""

from __future__ import annotations

import pytest

from app.redaction import redact_url, scrub

VALUE = "postgresql://u:hunter2@db:5432/d"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://user:s3cret@db.example.com:5432/d",
            "postgresql://user:***@db.example.com:5432/d",
        ),
        ("postgres://user:p%40ss@h/d?sslmode=require", "postgres://user:***@h/d?sslmode=require"),
        ("postgresql://user@h/d", "postgresql://user@h/d"),
        ("postgresql://h/d?user=u&password=s3cret", "postgresql://h/d?user=u&password=***"),
        ("host=h user=u password=s3cret dbname=d", "host=h user=u password=*** dbname=d"),
        ("host=h password='s3 cret' dbname=d", "host=h password=*** dbname=d"),
        ("postgresql://u:s3cret@h:notaport/d", "postgresql://u:***@h:notaport/d"),
        ("postgresql://u:s3cret@[::1/d", "<a malformed URL>"),
    ],
)
def test_redact_url_hides_passwords(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_scrub_removes_the_secret_and_its_password() -> None:
    assert scrub(f"failed for {VALUE} (hunter2)", VALUE) == "failed for *** (***)"
    assert scrub("nothing", "") == "nothing"


def test_a_redacted_url_never_holds_the_password() -> None:
    shown = redact_url(VALUE)
    assert "hunter2" not in shown
    assert shown == "postgresql://u:***@db:5432/d"
