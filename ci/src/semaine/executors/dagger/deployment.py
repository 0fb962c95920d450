"""Deploy from Dagger: the gates, then the images published to Heroku's registry, then released.

Heroku's registry takes Docker image manifest v2 schema 2 only, for one platform:
images are published with Docker media types (Dagger's default is OCI), gzip layers
(zstd is OCI-only) and no platform variants (a variant makes a manifest list). The
release itself is engine-free: `semaine release` in the toolchain container, given the
manifest digests `publish` returned (it reads their config digests from the registry).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import dagger
from dagger import dag

from semaine.executors.dagger.chains import (
    RUNNER,
    VERB_EXIT_STATUS,
    VERB_OUTPUT,
    new_run_id,
    reports_directory,
    run_stages,
    semaine_verb,
    with_secret_flags,
)
from semaine.executors.dagger.containers import (
    production_image,
    release_image,
    toolchain,
    with_run,
)
from semaine.exit_status import ExitStatus
from semaine.pipeline.stages import STAGES
from semaine.pipeline.verdict import run_verdict

if TYPE_CHECKING:
    from semaine.executors.dagger.containers import Step

HEROKU_REGISTRY_HOST = "registry.heroku.com"
"""Where Heroku's apps take their images (the host of integrations.registry's default URL)."""
REGISTRY_USER = "_"
"""Heroku's registry takes any user name with the API key as password; its CLI logs in as `_`."""
PROMOTED_ONLY = frozenset({"production"})
"""Environments a fresh build never goes to: they get what staging ran, by promotion."""
GATES_FOLDER = "gates"
"""The gates' reports (summary.json, summary.md, each stage's), in the returned folder."""
_MANIFEST_DIGEST = re.compile(r"@(sha256:[0-9a-f]{64})$")
_HEROKU_APP = (
    "import sys; from pathlib import Path; from semaine.environments import load_environment;"
    " print(load_environment(sys.argv[1], Path.cwd()).heroku_app)"
)
"""Read the environment's Heroku app where the project is installed (the module runtime
installs `ci/` alone, without the service the environment loader's errors come from)."""


class PublishError(Exception):
    """An image could not be published, or `publish` answered no digest."""


def image_address(app: str, process_type: str) -> str:
    """Return where an app's process type takes its image: registry.heroku.com/<app>/<type>."""
    return f"{HEROKU_REGISTRY_HOST}/{app}/{process_type}"


def with_heroku_registry_auth(api_key: dagger.Secret) -> Step:
    """Log in to Heroku's registry as `_` with the API key, which stays a secret."""

    def step(container: dagger.Container) -> dagger.Container:
        return container.with_registry_auth(HEROKU_REGISTRY_HOST, REGISTRY_USER, api_key)

    return step


async def publish(container: dagger.Container, address: str, api_key: dagger.Secret) -> str:
    """Publish `container` as Docker schema 2 (gzip, one platform); return its manifest digest."""
    published = await container.with_(with_heroku_registry_auth(api_key)).publish(
        address,
        media_types=dagger.ImageMediaTypes.DockerMediaTypes,
        forced_compression=dagger.ImageLayerCompression.Gzip,
    )
    found = _MANIFEST_DIGEST.search(published)
    if found is None:
        message = f"publishing {address} answered {published!r}, without a sha256 digest"
        raise PublishError(message)
    return found.group(1)


async def heroku_app(source: dagger.Directory, environment: str) -> str:
    """Return the environment's Heroku app, read by the project's own environment loader."""
    argv = [*RUNNER, "python", "-c", _HEROKU_APP, environment]
    return (await toolchain(source).with_exec(argv).stdout()).strip()


def stopped(status: ExitStatus, why: str, gates: dagger.Directory) -> dagger.Directory:
    """Return the folder of a deploy that stopped before releasing: the gates, why, the status."""
    return (
        dag.directory()
        .with_directory(GATES_FOLDER, gates)
        .with_new_file(VERB_OUTPUT, why + "\n")
        .with_new_file(VERB_EXIT_STATUS, f"{int(status)}\n")
    )


async def deploy(
    source: dagger.Directory,
    environment: str,
    secrets: dict[str, dagger.Secret | None],
    accept_inconclusive: str | None,
    *,
    actor: str | None = None,
) -> dagger.Directory:
    """Run the gates; when they pass, publish web and release and `semaine release` them.

    `secrets` maps the verb's flags to secrets; `heroku-api-key` is required. `actor`
    (a GitHub login) is who the record names: the engine cannot see GITHUB_ACTOR.
    """
    if environment in PROMOTED_ONLY:
        message = (
            f"{environment} runs only images staging has run: deploy staging, then"
            f" `dagger call promote --to {environment}` (it refuses anything else unless"
            " --force --reason)"
        )
        raise ValueError(message)
    if secrets.get("heroku-api-key") is None:
        message = "--heroku-api-key: deploy needs the Heroku API key (env://HEROKU_API_KEY)"
        raise ValueError(message)
    runs = await run_stages(STAGES, source)
    gates = reports_directory(runs, accept_inconclusive)
    verdict = run_verdict([run.result for run in runs], accept_inconclusive)
    if verdict.exit_status != ExitStatus.DONE:
        why = f"no deploy: the gates say {verdict.outcome.value} (see {GATES_FOLDER}/summary.md)"
        return stopped(verdict.exit_status, why, gates)
    return await publish_and_release(source, environment, secrets, gates, actor=actor)


async def publish_and_release(
    source: dagger.Directory,
    environment: str,
    secrets: dict[str, dagger.Secret | None],
    gates: dagger.Directory,
    *,
    actor: str | None = None,
) -> dagger.Directory:
    """Publish the web and release images to the environment's app, then release them."""
    api_key = secrets["heroku-api-key"]
    assert api_key is not None, "deploy checked it"  # noqa: S101 - an invariant
    try:
        app = await heroku_app(source, environment)
    except dagger.ExecError as error:
        said = error.stderr.strip().splitlines()[-1:] or [str(error)]
        why = f"no deploy: the {environment} environment has no usable Heroku app: {said[0]}"
        return stopped(ExitStatus.REFUSED, why, gates)
    try:
        web = await publish(production_image(source), image_address(app, "web"), api_key)
        release = await publish(release_image(source), image_address(app, "release"), api_key)
    except (dagger.DaggerError, PublishError) as error:
        why = f"no release: publishing to {HEROKU_REGISTRY_HOST}/{app} failed: {error}"
        return stopped(ExitStatus.FAILED, why, gates)
    found = await image_ids(source, environment, {"web": web, "release": release}, api_key)
    if isinstance(found, str):
        return stopped(ExitStatus.FAILED, f"no release: {found}", gates)
    flags = ["--environment", environment]
    flags += ["--web-image", found["web"], "--release-image", found["release"]]
    flags += ["--actor", actor] if actor else []
    folder = await semaine_verb(source, "release", flags, secrets, report_flag="--reports")
    return folder.with_directory(GATES_FOLDER, gates)


async def image_ids(
    source: dagger.Directory,
    environment: str,
    manifests: dict[str, str],
    api_key: dagger.Secret,
) -> dict[str, str] | str:
    """Return {process type: config digest} of published manifests; or why it could not."""
    flags = ["--environment", environment]
    flags += ["--web-manifest", manifests["web"], "--release-manifest", manifests["release"]]
    container, flags = with_secret_flags(
        toolchain(source).with_(with_run(new_run_id())), flags, {"heroku-api-key": api_key}
    )
    ran = container.with_exec(
        [*RUNNER, "semaine", "image-ids", *flags], expect=dagger.ReturnType.ANY
    )
    if await ran.exit_code() != ExitStatus.DONE:
        return (await ran.stderr()).strip() or "semaine image-ids failed"
    found = json.loads(await ran.stdout())
    if not isinstance(found, dict) or set(found) != {"web", "release"}:
        return f"semaine image-ids printed {found!r}, not the two image ids"
    return {str(kind): str(digest) for kind, digest in found.items()}
