"""The release-phase output: 404 until registered, then lines; best-effort, never decisive."""

from __future__ import annotations

import threading
from typing import Any

from semaine.integrations.heroku import HerokuSettings, HttpHerokuPlatform
from semaine.integrations.heroku.output_stream import StreamPatience, read_release_output

APP = "semaine-staging"
IMAGES = {"web": "sha256:" + "1" * 64, "release": "sha256:" + "2" * 64}
QUICK = StreamPatience(missing_attempts=5, missing_wait_seconds=0.01, read_seconds=5)


def test_a_404_at_first_is_waited_out_then_the_lines_are_shown(heroku: Any) -> None:
    heroku.releases.stream_missing = 2
    created = heroku.releases.release(APP, IMAGES, "Deploy")
    heroku.releases.finish(APP, created, "failed")
    lines: list[str] = []
    url = f"{heroku.url}/streams/{created.id}"

    outcome = read_release_output(url, lines.append, threading.Event(), QUICK)

    assert outcome.detail == "ended"
    assert lines == [
        "Running release command: python -m app db release",
        "alembic: upgrade failed",
        "release command exited with status 1",
    ]
    assert [r.path for r in heroku.requests].count(f"/streams/{created.id}") == 3


def test_a_stream_never_registered_gives_up_with_a_reason(heroku: Any) -> None:
    heroku.releases.stream_missing = 100
    created = heroku.releases.release(APP, IMAGES, "Deploy")

    outcome = read_release_output(
        f"{heroku.url}/streams/{created.id}", lambda _line: None, threading.Event(), QUICK
    )

    assert (outcome.lines, outcome.detail) == (0, "not registered after 5 attempts")


def test_a_stream_of_a_hung_phase_stops_when_asked(heroku: Any) -> None:
    heroku.releases.stream_missing = 0
    heroku.releases.phases.append("hang")
    created = heroku.releases.release(APP, IMAGES, "Deploy")
    stop = threading.Event()
    lines: list[str] = []
    short = StreamPatience(read_seconds=0.2)

    def first_line(line: str) -> None:
        lines.append(line)
        stop.set()  # the follower saw enough: the reader must return at its next timeout

    outcome = read_release_output(f"{heroku.url}/streams/{created.id}", first_line, stop, short)

    assert lines == ["Running release command: python -m app db release"]
    assert outcome.detail == "stopped"
    assert (
        HttpHerokuPlatform(heroku.api_key, HerokuSettings(heroku.url))
        .release(APP, created.id)
        .status
        == "pending"
    )
