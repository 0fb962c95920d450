"""The app the smoke test reaches: the real service, restarted on each release like dynos.

Heroku boots new dynos once a release phase succeeds; the stand-in calls `boot` then
(`HerokuStandIn.releases.on_boot`). Each boot serves `create_app` with uvicorn in a
thread on the same loopback port, with `HEROKU_RELEASE_VERSION` set to the release (as
Heroku's dyno metadata does). A healthy release serves the test database; an unhealthy
one (its web image in `broken_images`) serves a database at no schema revision, so its
/readyz answers 503, as a release that cannot work with the database would.
"""

from __future__ import annotations

import threading
import time
from typing import Self

import uvicorn

from app.config import Release, Settings
from app.main import create_app
from app.server import uvicorn_options
from semaine.executors.local.ports import LOOPBACK, free_port

_START_TIMEOUT_SECONDS = 30.0


class Dynos:
    """One web dyno behind a fixed loopback URL; `boots` lists the releases it ran."""

    def __init__(self, database_url: str, broken_database_url: str) -> None:
        self.database_url = database_url
        self.broken_database_url = broken_database_url
        self.port = free_port()
        self.boots: list[tuple[str, bool]] = []
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Where the app answers (http: the tests' stand-in for the environment's https URL)."""
        return f"http://{LOOPBACK}:{self.port}"

    def boot(self, _app: str, version: str, healthy: bool) -> None:  # noqa: FBT001 - the stand-in's hook
        """Stop the running dyno, start one on release `version`."""
        self.stop()
        database = self.database_url if healthy else self.broken_database_url
        settings = Settings(database_url=database, release=Release(heroku_release=version))
        config = uvicorn.Config(
            create_app(settings),
            host=LOOPBACK,
            port=self.port,
            log_level="warning",
            **uvicorn_options(),
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="dyno", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                msg = f"the dyno of {version} did not start"
                raise RuntimeError(msg)
            time.sleep(0.01)
        self.boots.append((version, healthy))

    def stop(self) -> None:
        """Stop the running dyno, if any."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(_START_TIMEOUT_SECONDS)
        self._server = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.stop()
