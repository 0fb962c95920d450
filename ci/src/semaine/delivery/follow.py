"""Follow a release to succeeded, failed or expired, showing its release-phase output."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from semaine.delivery.errors import NothingReleasedError, ReleaseTimeoutError
from semaine.integrations.heroku.output_stream import read_release_output

if TYPE_CHECKING:
    from semaine.delivery.context import DeliveryContext
    from semaine.integrations.heroku.releases import Release

_STREAM_JOIN_SECONDS = 2.0


def find_new_release(app: str, before: Release | None, context: DeliveryContext) -> Release:
    """Return the release a formation update made: the newest, if it is not `before`."""
    for attempt in range(context.waits.new_release_attempts):
        if attempt:
            context.sleep(context.waits.poll_seconds)
        newest = context.platform.newest_release(app)
        if newest is not None and (before is None or newest.id != before.id):
            return newest
    raise NothingReleasedError(app, before.name if before else "none")


def follow_release(
    app: str, release: Release, context: DeliveryContext, *, live: str = "the previous release"
) -> Release:
    """Poll `release` until Heroku is done with it; stream its output meanwhile (best-effort).

    Raises ReleaseTimeoutError when it is still pending after the waits' timeout.
    """
    stop = threading.Event()
    reader = _start_reader(release, context, stop)
    deadline = context.clock() + context.waits.release_timeout_seconds
    try:
        current = release
        while not current.finished:
            if context.clock() >= deadline:
                raise ReleaseTimeoutError(
                    app, release.name, context.waits.release_timeout_seconds, live
                )
            context.sleep(context.waits.poll_seconds)
            current = context.platform.release(app, release.id)
        if reader is not None:
            # Heroku ends the stream with the phase: give the reader its last lines.
            reader.join(_STREAM_JOIN_SECONDS)
        return current
    finally:
        stop.set()
        if reader is not None:
            reader.join(_STREAM_JOIN_SECONDS)


def _start_reader(
    release: Release, context: DeliveryContext, stop: threading.Event
) -> threading.Thread | None:
    url = release.output_stream_url
    if url is None or release.finished:
        return None

    def show(line: str) -> None:
        context.say(f"  {release.name} release phase | {line}")

    def read() -> None:
        outcome = read_release_output(url, show, stop, context.waits.stream)
        if outcome.detail not in {"ended", "stopped"}:
            context.say(
                f"  {release.name} release phase output: {outcome.detail} (the status decides)"
            )

    thread = threading.Thread(target=read, name=f"release-output-{release.name}", daemon=True)
    thread.start()
    return thread
