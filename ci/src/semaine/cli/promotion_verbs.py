"""`semaine promote` and `semaine image-ids`: what an environment runs, released in another.

The verbs parse flags, resolve the API key (an env:// or file:// address) and the
environment files, then call `semaine.delivery.promotion` or the registry client.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.errors import ActionableError
from semaine.cli.delivery_verbs import delivery_context, reported
from semaine.cli.migration_verbs import PROGRAM
from semaine.delivery.promotion import PromotionRequest, promote
from semaine.environments import load_environment
from semaine.exit_status import ExitStatus
from semaine.integrations.heroku import HttpHerokuPlatform
from semaine.integrations.heroku.config import ENVIRONMENTS
from semaine.integrations.registry import RegistryClient, repository
from semaine.secrets import resolve_secret

DEFAULT_REPORTS = Path("reports")
_PROMOTE = """\
Release in --to the exact images --from runs, copied registry to registry, never
rebuilt:

  1. read the image ids --from runs (its Heroku formation) and the images its
     registry repositories hold (<app>/web and <app>/release, tag latest; Docker
     schema 2 only: an OCI image or a manifest list is refused with what to do);
  2. refuse, before any change, when those are not what --from runs (pushed but
     not released there, or their release failed), unless --force --reason;
  3. copy each image to --to's repositories (blob mount where the registry allows
     it, else through its HTTP API), verified by its config digest;
  4. release them in --to as `semaine release` does (release phase, smoke test,
     automatic rollback when the smoke test fails).

Writes one record (kind promote, with the reason) under --reports/deployments.
The registry is HEROKU_REGISTRY_URL (default https://registry.heroku.com), logged
in as `_` with the API key. Guide: docs/deployment.md, "Promotion"."""
_PROMOTE_EXIT = """\
exit status:
  0  released and smoke-tested, or --to already runs those images
  1  failed: the copy failed (nothing released), or the release failed or was
     rolled back automatically (the record says which)
  2  refused or usage error, nothing changed: --from runs other images (use
     --force --reason), --force without --reason, a wrong key (401), no image
     (404: deploy --from first), an OCI image or a manifest list"""
_IMAGE_IDS = """\
Print, as one JSON line {"web": "sha256:...", "release": "sha256:..."}, the image
ids (config digests) Heroku releases for an environment's images: read from the
registry manifests <app>/web and <app>/release (Docker schema 2 only; an OCI image
or a manifest list is refused with what to do). `dagger call deploy` runs it on the
manifest digests its publish returned, then `semaine release` with the ids."""
_IMAGE_IDS_EXIT = """\
exit status:
  0  printed
  2  refused: a wrong key (401), no such image (404), an OCI image or a manifest list,
     a reference that is neither a tag nor a sha256 digest"""


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `promote` and `image-ids`."""
    promotion = verbs.add_parser(
        "promote",
        help="release in one environment the exact images another runs",
        description=_PROMOTE,
        epilog=_PROMOTE_EXIT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    promotion.add_argument(
        "--to", choices=ENVIRONMENTS, required=True, help="where to release (required)"
    )
    promotion.add_argument(
        "--from",
        dest="source",
        choices=ENVIRONMENTS,
        default="staging",
        help="whose running images to promote (default: %(default)s)",
    )
    promotion.add_argument(
        "--force",
        action="store_true",
        help="promote the --from repositories' images even if --from does not run them"
        " (needs --reason)",
    )
    promotion.add_argument(
        "--reason", metavar="TEXT", help="why (required with --force; recorded either way)"
    )
    promotion.add_argument(
        "--actor",
        metavar="LOGIN",
        help="who promotes, for the record (default: GITHUB_ACTOR, else the git user);"
        " for the Dagger function, which cannot see the caller's environment",
    )
    _common_flags(promotion)
    promotion.add_argument(
        "--slack-webhook",
        metavar="ADDR",
        help="env://NAME or file://PATH of a Slack incoming webhook: the record is posted"
        " there; a Slack failure is reported, never fatal (default: no post)",
    )
    promotion.add_argument(
        "--reports",
        type=Path,
        default=DEFAULT_REPORTS,
        metavar="DIR",
        help="where the record goes: DIR/deployments/<id>.json and .txt (default: reports)",
    )
    promotion.set_defaults(run=run_promote)

    ids = verbs.add_parser(
        "image-ids",
        help="print the image ids (config digests) of an environment's images",
        description=_IMAGE_IDS,
        epilog=_IMAGE_IDS_EXIT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ids.add_argument(
        "--environment", choices=ENVIRONMENTS, required=True, help="whose images (required)"
    )
    for kind in ("web", "release"):
        ids.add_argument(
            f"--{kind}-manifest",
            default="latest",
            metavar="REF",
            help=f"the {kind} image: a tag or a manifest digest sha256:... (default: latest)",
        )
    _common_flags(ids)
    ids.set_defaults(run=run_image_ids)


def run_promote(arguments: argparse.Namespace) -> int:
    """Promote; 0 released (or nothing to do), 1 failed or rolled back, 2 refused."""
    try:
        request = PromotionRequest(
            source=load_environment(arguments.source, arguments.project_dir),
            target=load_environment(arguments.to, arguments.project_dir),
            force=arguments.force,
            reason=arguments.reason,
        )
        if request.source.name == request.target.name:
            return _refused("promote", "--from and --to name the same environment")
        api_key = resolve_secret(arguments.heroku_api_key)
        platform = HttpHerokuPlatform(api_key)  # opens no connection until its first call
        context = delivery_context(arguments, platform)
    except ActionableError as error:
        return _refused("promote", str(error))
    with platform, RegistryClient(api_key) as registry:
        record = promote(request, registry, context)
    return reported("promote", record)


def run_image_ids(arguments: argparse.Namespace) -> int:
    """Print the environment's image ids as JSON; 0 printed, 2 refused."""
    try:
        environment = load_environment(arguments.environment, arguments.project_dir)
        api_key = resolve_secret(arguments.heroku_api_key)
        references = {"web": arguments.web_manifest, "release": arguments.release_manifest}
        with RegistryClient(api_key) as registry:
            ids = {
                kind: registry.config_digest(repository(environment.heroku_app, kind), reference)
                for kind, reference in references.items()
            }
    except (ActionableError, ValueError) as error:
        return _refused("image-ids", str(error))
    sys.stdout.write(json.dumps(ids) + "\n")
    return ExitStatus.DONE


def _common_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--heroku-api-key",
        metavar="ADDR",
        default="env://HEROKU_API_KEY",
        help="env://NAME or file://PATH of the Heroku API key, also the registry's password"
        " (default: env://HEROKU_API_KEY)",
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="the project whose .github/environments/ to read (default: .)",
    )


def _refused(verb: str, why: str) -> int:
    sys.stderr.write(f"{PROGRAM} {verb}: {why}\n")
    return ExitStatus.REFUSED
