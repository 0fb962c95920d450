"""The delivery tooling's own seconds: release + smoke test, and each rollback type.

Run: uv run python bench/delivery.py [--latency 0.25] [--phase 8] [--rows 2000]

Against the Heroku stand-in (tests/standins/heroku.py) with Heroku-like latencies: every
API answer delayed by --latency seconds, every release phase lasting --phase seconds,
the output stream answering 404 twice before it streams, and the real app booted per
release (tests/standins/dynos.py) on a throwaway PostgreSQL. The code runs as in
production: default waits (1 s polls), the retry policy, the smoke test's checks.

For each operation it prints the wall time, the waits Heroku imposes on its critical
path (release phases + dyno boots + the latency of the requests made outside a release
phase), and the difference: the tool's own seconds (target: <= 5 s). A database step's
seconds are all the tool's (PostgreSQL's work on --rows rows). Each figure is printed
beside bench/harness.py's calibration. Writes bench/results/delivery.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the stand-ins live in tests/standins

from app.db import migrate  # noqa: E402 - after the path above
from app.db.datamigration.connection import connect  # noqa: E402
from app.db.datamigration.frontdoor import FrontDoor  # noqa: E402
from app.db.datamigration.legacy import insert_legacy_rows  # noqa: E402
from app.db.datamigration.operation import Request  # noqa: E402
from app.db.datamigration.runner import DataMigration, MigrationOptions  # noqa: E402
from bench.harness import calibrate  # noqa: E402
from semaine.delivery.context import DeliveryContext, ReleaseImages  # noqa: E402
from semaine.delivery.database import DataRollback  # noqa: E402
from semaine.delivery.release import release_images  # noqa: E402
from semaine.delivery.rollback import RollbackRequest, roll_back  # noqa: E402
from semaine.environments import load_environment  # noqa: E402
from semaine.executors.local.postgres import ThrowawayPostgres  # noqa: E402
from semaine.integrations.heroku import HerokuSettings, HttpHerokuPlatform  # noqa: E402
from tests.standins.dynos import Dynos  # noqa: E402
from tests.standins.heroku import HerokuStandIn  # noqa: E402

if TYPE_CHECKING:
    from semaine.records import DeploymentRecord

RESULTS = ROOT / "bench" / "results" / "delivery.json"
APP = "semaine-staging"
OLD = {"web": "sha256:" + "a" * 64, "release": "sha256:" + "b" * 64}
NEW = ReleaseImages(web="sha256:" + "c" * 64, release="sha256:" + "d" * 64)


@dataclass
class Heroku:
    """The stand-in with Heroku-like latencies, and the dynos it boots (timed)."""

    latency: float
    phase: float
    dynos: Dynos
    standin: HerokuStandIn = field(default_factory=HerokuStandIn)
    boot_seconds: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.standin.latency_seconds = self.latency
        self.standin.releases.release_phase_seconds = self.phase
        self.standin.releases.stream_missing = 2
        self.standin.releases.on_boot = self._boot

    def _boot(self, app: str, version: str, healthy: bool) -> None:  # noqa: FBT001 - the hook
        started = time.monotonic()
        self.dynos.boot(app, version, healthy)
        self.boot_seconds.append(time.monotonic() - started)

    def imposed(self, since: float) -> dict[str, float]:
        """Return the waits Heroku imposed since `since`: phases, boots, latency outside phases."""
        releases = [r for r in self.standin.releases.apps.get(APP, []) if r.created >= since]
        windows = [(r.created, r.created + self.phase) for r in releases]
        outside = [
            request
            for request in self.standin.api_requests()
            if request.at >= since and not any(a <= request.at <= b for a, b in windows)
        ]
        return {
            "release_phases_s": round(self.phase * len(releases), 2),
            "dyno_boots_s": round(sum(self.boot_seconds), 2),
            "api_latency_s": round(self.latency * len(outside), 2),
            "requests": len(self.standin.api_requests()),
        }


def seeded(heroku: Heroku, live: int) -> None:
    """Give the app `live` good releases, the newest booted."""
    for _ in range(live):
        heroku.standin.releases.add(APP, images=OLD)
    heroku.dynos.boot(APP, f"v{live}", True)  # noqa: FBT003 - the hook's signature
    heroku.boot_seconds.clear()


def context(heroku: Heroku, reports: Path) -> DeliveryContext:
    """Return a production-like context: default waits and retry policy; lines kept quiet."""
    platform = HttpHerokuPlatform(
        heroku.standin.api_key, HerokuSettings(api_url=heroku.standin.url)
    )
    return DeliveryContext(
        platform=platform,
        actor="semaine-maintainers",
        reports=reports,
        smoke_url=heroku.dynos.url,
        say=lambda _line: None,
    )


def measure(heroku: Heroku, run: Any) -> dict[str, Any]:  # noqa: ANN401 - any delivery call
    """Time `run()`; subtract what Heroku imposed."""
    heroku.boot_seconds.clear()
    heroku.standin.requests.clear()
    since = time.monotonic()
    record: DeploymentRecord = run()
    wall = time.monotonic() - since
    imposed = heroku.imposed(since)
    waits = imposed["release_phases_s"] + imposed["dyno_boots_s"] + imposed["api_latency_s"]
    return {
        "outcome": record.outcome,
        "wall_s": round(wall, 2),
        **imposed,
        "tool_s": round(wall - waits, 2),
        "steps": {step.name: round(step.seconds, 2) for step in record.steps},
    }


def migrated_database(server: ThrowawayPostgres, name: str, rows: int) -> str:
    """Return a database after the US1.6 migration and contract, with `rows` rows."""
    url = server.create_database(name)
    migrate.upgrade(url, migrate.EXPAND_REVISION)
    with connect(url) as conn:
        insert_legacy_rows(conn, rows)
    DataMigration(url, MigrationOptions(environment="staging")).migrate()
    migrate.upgrade(url, "head")
    return url


def data_request(url: str, reports: Path, kind: str) -> RollbackRequest:
    """Return a database or full rollback of `url`."""
    request = Request(verb="rollback", environment="staging", report_dir=reports, reason="bench")
    data = DataRollback(url, request, FrontDoor("semaine", ("--environment", "staging")))
    return RollbackRequest(rollback_type=kind, reason="bench", data=data)  # type: ignore[arg-type]


def run_all(arguments: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Measure release, application, database and full on fresh stand-ins."""
    environment = load_environment("staging", ROOT)
    figures: dict[str, Any] = {}
    with ThrowawayPostgres() as server:
        broken = server.create_database("broken")
        head = server.create_database("head")
        migrate.upgrade(head, "head")
        with (
            Dynos(head, broken) as dynos,
            HerokuStandIn() as standin,
        ):
            heroku = Heroku(arguments.latency, arguments.phase, dynos, standin)
            seeded(heroku, 3)
            ctx = context(heroku, work)
            figures["release + smoke test"] = measure(
                heroku, lambda: release_images(environment, NEW, ctx)
            )
            figures["rollback application"] = measure(
                heroku,
                lambda: roll_back(environment, RollbackRequest("application", "bench"), ctx).record,
            )
        for kind in ("database", "full"):
            url = migrated_database(server, kind, arguments.rows)
            with Dynos(url, broken) as dynos, HerokuStandIn() as standin:
                heroku = Heroku(arguments.latency, arguments.phase, dynos, standin)
                seeded(heroku, 3)
                ctx = context(heroku, work)
                request = data_request(url, work / kind, kind)
                figures[f"rollback {kind}"] = measure(
                    heroku, lambda r=request, c=ctx: roll_back(environment, r, c).record
                )
    return figures


def main() -> None:
    """Measure, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.25, help="seconds per API answer")
    parser.add_argument("--phase", type=float, default=8.0, help="seconds per release phase")
    parser.add_argument("--rows", type=int, default=2000, help="rows the data rollback restores")
    arguments = parser.parse_args()
    calibration = calibrate()
    with TemporaryDirectory() as work:
        figures = run_all(arguments, Path(work))
    print(f"calibration {calibration} s; latency {arguments.latency} s; phase {arguments.phase} s")
    print(f"{'operation':<24} {'outcome':<10} {'wall':>6} {'Heroku':>7} {'tool':>6} {'req':>4}")
    for name, row in figures.items():
        heroku = row["release_phases_s"] + row["dyno_boots_s"] + row["api_latency_s"]
        print(
            f"{name:<24} {row['outcome']:<10} {row['wall_s']:>6.2f} {heroku:>7.2f}"
            f" {row['tool_s']:>6.2f} {row['requests']:>4}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"calibration_s": calibration, "arguments": vars(arguments), "figures": figures},
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
