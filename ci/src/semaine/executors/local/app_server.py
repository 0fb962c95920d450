"""The app served on a free loopback port for the stages that need it."""

from __future__ import annotations

import shutil
import subprocess
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import anyio
import httpx

from app.errors import ActionableError
from semaine.executors.local.environment import command_environment
from semaine.executors.local.ports import LOOPBACK, free_port
from semaine.pipeline.verdict import tail

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
PROBES = ("/healthz", "/readyz")


class AppStartError(ActionableError, RuntimeError):
    """The app did not become ready; `output` is the end of its log."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(f"{message}; the end of its log:\n{output}")
        self.message = message
        self.output = output


@asynccontextmanager
async def served_app(project_dir: Path, database_url: str, log_path: Path) -> AsyncIterator[str]:
    """Migrate the database to head, serve the app, yield its base URL, then stop it.

    The server starts while the migration runs (its imports take about as long): it is
    ready once /readyz sees the schema at head, which it checks on every request.
    """
    environment = command_environment(project_dir, {"DATABASE_URL": database_url})
    python = shutil.which("python", path=environment["PATH"]) or "python"
    port = free_port()
    with log_path.open("wb") as log:
        process = await anyio.open_process(
            [python, "-m", "app", "serve", "--port", str(port)],
            cwd=project_dir,
            env={**environment, "PORT": str(port)},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            await _upgrade(python, project_dir, environment)
            url = f"http://{LOOPBACK}:{port}"
            await _wait_until_ready(url, process, log_path)
            yield url
        finally:
            await _stop(process)


async def _upgrade(python: str, project_dir: Path, environment: dict[str, str]) -> None:
    upgrade = await anyio.run_process(
        [python, "-m", "app", "db", "upgrade", "head"],
        cwd=project_dir,
        env=environment,
        check=False,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    if upgrade.returncode != 0:
        output = upgrade.stdout.decode("utf-8", errors="replace")
        message = f"`python -m app db upgrade head` exited {upgrade.returncode} before serving"
        raise AppStartError(message, tail(output))


async def _wait_until_ready(url: str, process: anyio.abc.Process, log_path: Path) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=2.0) as client:
        with anyio.move_on_after(READY_TIMEOUT_S):
            while process.returncode is None:
                if await _all_ready(client):
                    return
                await anyio.sleep(0.1)
    log = tail(await anyio.Path(log_path).read_text(encoding="utf-8", errors="replace"))
    if process.returncode is not None:
        message = f"the app exited {process.returncode} before answering {' and '.join(PROBES)}"
    else:
        message = f"the app did not answer {' and '.join(PROBES)} within {READY_TIMEOUT_S:.0f} s"
    raise AppStartError(message, log)


async def _all_ready(client: httpx.AsyncClient) -> bool:
    for probe in PROBES:
        try:
            response = await client.get(probe)
        except httpx.HTTPError:
            return False
        if response.status_code != httpx.codes.OK:
            return False
    return True


async def _stop(process: anyio.abc.Process) -> None:
    if process.returncode is None:
        process.terminate()
        with anyio.move_on_after(STOP_TIMEOUT_S, shield=True):
            await process.wait()
    if process.returncode is None:
        process.kill()
        with anyio.CancelScope(shield=True):
            await process.wait()
