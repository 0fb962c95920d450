"""Benchmark `semaine promote`'s own seconds: a real registry, the Heroku stand-in, the app's dynos.

    uv run python bench/promotion.py [--trials 5] [--megabytes 4] [--latency 0.15]

Starts Debian's docker-registry (basic auth, filesystem storage), the Heroku stand-in
(with `--latency` seconds added to every API answer, as Heroku's own 0.1-0.3 s) and the
real app as the dynos the smoke test reaches (on a throwaway PostgreSQL). Each trial
pushes a new staging image pair (`--megabytes` of incompressible layers in the web
image), releases it in staging on the stand-in, then times `promote(...)` (the code
behind `semaine promote`) end to end: read what staging runs, read its images, copy
them (blob mounts), release in production (release phase, smoke test).

"Own seconds" = the promotion's wall time minus what Heroku imposes: the stand-in's
latency times the API requests made, and the sleeps the release follower asked for
while the release phase ran. Also times a copy between two registries (no mount: the
bytes go through semaine), the fallback when the registry refuses mounts.

Prints each trial and the medians beside bench/harness.py's calibration, and writes
bench/results/promotion.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
# The registry server, the Heroku stand-in and the dynos are the tests' own helpers.
sys.path.insert(0, str(ROOT))

from harness import calibrate  # noqa: E402

from app.db.migrate import upgrade  # noqa: E402
from semaine.delivery.context import DeliveryContext, Waits  # noqa: E402
from semaine.delivery.promotion import PromotionRequest, promote  # noqa: E402
from semaine.environments import load_environment  # noqa: E402
from semaine.executors.local.postgres import ThrowawayPostgres  # noqa: E402
from semaine.integrations.heroku import HerokuSettings, HttpHerokuPlatform  # noqa: E402
from semaine.integrations.heroku.output_stream import StreamPatience  # noqa: E402
from semaine.integrations.registry import (  # noqa: E402
    RegistryClient,
    RegistrySettings,
    Repository,
    copy_image,
)
from tests.registry_server import LocalRegistry  # noqa: E402
from tests.standins.dynos import Dynos  # noqa: E402
from tests.standins.heroku import HerokuStandIn  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable

RESULTS = Path(__file__).with_name("results") / "promotion.json"
STAGING, PRODUCTION = "semaine-staging", "semaine-production"
LAYERS = 4


def main() -> int:
    """Run the trials, print the figures, write the JSON."""
    arguments = parse_arguments()
    layer_bytes = int(arguments.megabytes * 1024 * 1024 / LAYERS)
    calibration = calibrate()
    with tempfile.TemporaryDirectory(prefix="semaine-bench-promotion-") as scratch:
        folder = Path(scratch)
        trials = promotions(folder, arguments, layer_bytes)
        copies = stream_copies(folder, arguments.trials, layer_bytes)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.node(),
        "calibration_seconds": calibration,
        "megabytes": arguments.megabytes,
        "latency_seconds": arguments.latency,
        "promotions": trials,
        "stream_copies": copies,
        "median": {
            "promotion_seconds": median(trials, "seconds"),
            "imposed_seconds": median(trials, "imposed_seconds"),
            "own_seconds": median(trials, "own_seconds"),
            "read_and_copy_seconds": median(trials, "read_and_copy_seconds"),
            "stream_copy_seconds": median(copies, "seconds"),
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"calibration {calibration:.3f} s")
    print(json.dumps(result["median"], indent=2))
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


def parse_arguments() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=5, help="promotions timed (default: 5)")
    parser.add_argument(
        "--megabytes", type=float, default=4.0, help="web image size in MiB (default: 4)"
    )
    parser.add_argument(
        "--latency", type=float, default=0.15, help="seconds added to every API answer"
    )
    return parser.parse_args()


def promotions(
    folder: Path, arguments: argparse.Namespace, layer_bytes: int
) -> list[dict[str, Any]]:
    """Time `--trials` promotions of a new image pair each."""
    heroku = HerokuStandIn(latency_seconds=arguments.latency)
    with (
        ThrowawayPostgres() as postgres,
        LocalRegistry(folder / "registry", heroku.api_key) as registry,
        heroku,
    ):
        healthy = postgres.create_database("bench_promotion")
        upgrade(healthy, "head")
        with Dynos(healthy, postgres.create_database("bench_broken")) as dynos:
            heroku.releases.on_boot = dynos.boot
            heroku.releases.add(PRODUCTION, images={})
            return [
                one_promotion(heroku, registry, dynos, trial, layer_bytes)
                for trial in range(arguments.trials)
            ]


def one_promotion(
    heroku: HerokuStandIn, registry: LocalRegistry, dynos: Dynos, trial: int, layer_bytes: int
) -> dict[str, Any]:
    """Push and release a new pair in staging, then time its promotion to production."""
    noise = (layer_bytes,) * LAYERS
    images = {
        kind: registry.push_image(
            f"{STAGING}/{kind}",
            files={"app/trial.txt": f"{kind} {trial}".encode()},
            noise_layers=noise if kind == "web" else (),
            seed=str(trial),
        ).config_digest
        for kind in ("web", "release")
    }
    heroku.releases.add(STAGING, images=images)
    slept: list[float] = []
    requests_before = len(heroku.api_requests())
    with (
        HttpHerokuPlatform(heroku.api_key, HerokuSettings(api_url=heroku.url)) as platform_api,
        RegistryClient(heroku.api_key, RegistrySettings(registry_url=registry.url)) as client,
        tempfile.TemporaryDirectory(prefix="semaine-bench-reports-") as reports,
    ):
        context = DeliveryContext(
            platform=platform_api,
            actor="bench",
            reports=Path(reports),
            smoke_url=dynos.url,
            waits=replace(Waits(poll_seconds=0.5), stream=StreamPatience()),
            sleep=counted_sleep(slept),
            say=lambda _line: None,
        )
        request = PromotionRequest(
            load_environment("staging", ROOT), load_environment("production", ROOT)
        )
        started = time.perf_counter()
        record = promote(request, client, context)
        seconds = time.perf_counter() - started
    requests = len(heroku.api_requests()) - requests_before
    imposed = requests * heroku.latency_seconds + sum(slept)
    own_steps = [
        s for s in record.steps if s.name.startswith(("read what", "read staging", "copy"))
    ]
    row = {
        "trial": trial,
        "outcome": record.outcome,
        "seconds": round(seconds, 3),
        "api_requests": requests,
        "imposed_seconds": round(imposed, 3),
        "own_seconds": round(seconds - imposed, 3),
        "read_and_copy_seconds": round(sum(s.seconds for s in own_steps), 3),
        "steps": {s.name: round(s.seconds, 3) for s in record.steps},
    }
    print(
        f"promotion {trial}: {row['outcome']} in {seconds:.2f} s, {requests} API requests,"
        f" imposed {imposed:.2f} s, own {row['own_seconds']:.2f} s"
    )
    if record.outcome != "succeeded":
        message = f"promotion {trial} did not succeed: {record.detail}"
        raise SystemExit(message)
    return row


def stream_copies(folder: Path, trials: int, layer_bytes: int) -> list[dict[str, Any]]:
    """Time copies of a new image each between two registries (no mount possible)."""
    rows = []
    with (
        LocalRegistry(folder / "source-registry", "source-key-0123456789") as source_server,
        LocalRegistry(folder / "target-registry", "target-key-0123456789") as target_server,
        RegistryClient(source_server.password, RegistrySettings(source_server.url)) as source,
        RegistryClient(target_server.password, RegistrySettings(target_server.url)) as target,
    ):
        for trial in range(trials):
            source_server.push_image(
                f"{STAGING}/web", noise_layers=(layer_bytes,) * LAYERS, seed=f"copy{trial}"
            )
            started = time.perf_counter()
            copy = copy_image(
                Repository(source, f"{STAGING}/web"), Repository(target, f"{PRODUCTION}/web")
            )
            seconds = time.perf_counter() - started
            rows.append({"trial": trial, "seconds": round(seconds, 3), "bytes": copy.copied_bytes})
            print(f"stream copy {trial}: {copy.copied_bytes} bytes in {seconds:.2f} s")
    return rows


def median(rows: list[dict[str, Any]], key: str) -> float:
    """Return the median of one figure over the trials."""
    return round(float(statistics.median(float(row[key]) for row in rows)), 3)


def counted_sleep(slept: list[float]) -> Callable[[float], None]:
    """Return a sleep that also notes how long it was asked to sleep."""

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)

    return sleep


if __name__ == "__main__":
    sys.exit(main())
