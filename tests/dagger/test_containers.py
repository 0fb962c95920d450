"""The container and service chains: rendered, validated against the schema, inspected."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio
import dagger
import pytest
from dagger import dag

from semaine.executors.dagger import containers, services

if TYPE_CHECKING:
    from tests.dagger.conftest import FakeEngine


@pytest.fixture
def source() -> dagger.Directory:
    return dag.host().directory("/repo")


def render(obj: Any) -> None:
    """Send the chain (and every object it references) through the validating fake."""
    anyio.run(obj.id)


def from_images(engine: FakeEngine, obj: Any) -> list[str]:
    return [args["address"] for args in engine.calls(obj, "from")]


def exec_args(engine: FakeEngine, obj: Any) -> list[list[str]]:
    return [args["args"] for args in engine.calls(obj, "withExec")]


def test_toolchain_installs_locked_deps_with_uv_cache(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    toolchain = containers.toolchain(source)
    render(toolchain)
    assert from_images(engine, toolchain) == [containers.PYTHON_IMAGE]
    (cache,) = engine.calls(toolchain, "withMountedCache")
    assert cache["path"] == containers.UV_CACHE_PATH
    assert engine.calls(cache["cache"], "cacheVolume") == [{"key": containers.UV_CACHE_KEY}]
    assert engine.calls(engine.calls(toolchain, "withFile")[0]["source"], "from") == [
        {"address": containers.UV_IMAGE}
    ]
    syncs = [args for args in exec_args(engine, toolchain) if args[:2] == ["uv", "sync"]]
    assert syncs == [
        ["uv", "sync", "--frozen", "--all-packages", "--no-install-workspace"],
        ["uv", "sync", "--frozen", "--all-packages"],
    ]
    env = {args["name"]: args["value"] for args in engine.calls(toolchain, "withEnvVariable")}
    assert env["UV_COMPILE_BYTECODE"] == "1"


def test_images_are_built_for_linux_amd64_from_trixie(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    image = containers.production_image(source)
    render(image)
    toolchain = containers.toolchain(source, ("chromium",))
    render(toolchain)
    uv = engine.calls(toolchain, "withFile")[0]["source"]
    for chain in (engine.chain(image), engine.chain(toolchain), engine.chain(uv)):
        roots = [call for call in chain if call.field == "container"]
        assert roots == [roots[0]]
        assert roots[0].args == {"platform": "linux/amd64"}
    assert containers.PYTHON_IMAGE.startswith("python:3.11-slim-trixie")


def test_production_image(engine: FakeEngine, source: dagger.Directory) -> None:
    image = containers.production_image(source)
    render(image)
    assert from_images(engine, image) == [containers.PYTHON_IMAGE]
    venv = engine.calls(image, "withDirectory")[0]["source"]
    builder_execs = [args for args in exec_args(engine, venv) if args[:2] == ["uv", "sync"]]
    assert all("--no-dev" in args and "--frozen" in args for args in builder_execs)
    assert engine.calls(image, "withUser") == [{"name": containers.APP_USER}]
    assert engine.calls(image, "withExposedPort") == [{"port": 8000}]
    assert engine.calls(image, "withDefaultArgs") == [{"args": ["python", "-m", "app", "serve"]}]
    labels = {args["name"]: args["value"] for args in engine.calls(image, "withLabel")}
    assert labels["io.semaine.release-command"] == "python -m app db release"
    assert {"name": "PORT", "value": "8000"} in engine.calls(image, "withEnvVariable")


def test_release_image_runs_the_release_phase(engine: FakeEngine, source: dagger.Directory) -> None:
    image = containers.release_image(source)
    render(image)
    assert engine.calls(image, "withDefaultArgs")[-1] == {
        "args": ["python", "-m", "app", "db", "release"]
    }


def test_postgres_service_matches_production_major(engine: FakeEngine) -> None:
    service = services.postgres("test")
    render(service)
    assert containers.POSTGRES_IMAGE == "postgres:16"
    assert from_images(engine, service) == ["postgres:16"]
    assert engine.calls(service, "withExposedPort") == [{"port": 5432}]
    env = {args["name"]: args["value"] for args in engine.calls(service, "withEnvVariable")}
    assert env["POSTGRES_DB"] == "semaine"
    (init,) = engine.calls(service, "withNewFile")
    assert init["contents"] == "CREATE DATABASE scratch;\n"
    (as_service,) = engine.calls(service, "asService")
    assert as_service["useEntrypoint"] is True
    # TLS on: the stages' URLs ask for it, as app.db.tls wants for a host that is not local.
    settings = as_service["args"][2::2]
    assert {"ssl=on", "ssl_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem"} <= set(settings)
    assert "ssl_key_file=/etc/ssl/private/ssl-cert-snakeoil.key" in settings


def test_with_postgres_binds_db_and_waits_for_it(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    container = containers.toolchain(source).with_(
        services.with_database(services.postgres("test"))
    )
    render(container)
    (binding,) = engine.calls(container, "withServiceBinding")
    assert binding["alias"] == "db"
    assert from_images(engine, binding["service"]) == ["postgres:16"]
    env = {args["name"]: args["value"] for args in engine.calls(container, "withEnvVariable")}
    server = "postgresql://postgres:postgres@db:5432"
    assert env["SEMAINE_TEST_POSTGRES_URL"] == f"{server}/postgres?sslmode=require"
    assert env["DATABASE_URL"] == f"{server}/semaine?sslmode=require"
    assert exec_args(engine, container)[-1][:2] == ["python", "-c"]
    assert "SELECT 1" in exec_args(engine, container)[-1][2]


def test_app_service_releases_then_serves_on_the_stage_database(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    database = services.postgres("load")
    app = services.app(source, database)
    render(app)
    assert engine.calls(app, "withExposedPort")[-1] == {"port": 8000}
    (db,) = engine.calls(app, "withServiceBinding")
    assert db["alias"] == "db"
    assert engine.chain(db["service"]) == engine.chain(database)
    (as_service,) = engine.calls(app, "asService")
    assert as_service["args"] == [
        "sh",
        "-c",
        "python -m app db release && exec python -m app serve",
    ]


def test_distinct_stages_get_distinct_databases(engine: FakeEngine) -> None:
    first, second = services.postgres("test"), services.postgres("migrations")
    render(first)
    render(second)
    assert engine.chain(first) != engine.chain(second)


def test_node_modules_come_from_npm_ci_of_the_lock_with_a_cache_volume(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    installed = containers.node_modules(source)
    render(installed)
    assert from_images(engine, installed) == [containers.PYTHON_IMAGE]
    (cache,) = engine.calls(installed, "withMountedCache")
    assert cache["path"] == containers.NPM_CACHE_PATH
    assert engine.calls(cache["cache"], "cacheVolume") == [{"key": containers.NPM_CACHE_KEY}]
    commands = exec_args(engine, installed)
    assert "apt-get install" in commands[0][2]
    assert commands[0][4:] == ["nodejs", "npm"]
    assert commands[-1][:2] == ["npm", "ci"]
    # Only the two npm files: an edit of the source never reinstalls Lighthouse.
    (manifest,) = engine.calls(installed, "withDirectory")
    assert manifest["path"] == containers.NPM_PATH
    files = [args["path"] for args in engine.calls(manifest["source"], "withFile")]
    assert files == ["package.json", "package-lock.json"]
    (folder,) = engine.calls(installed, "directory")
    assert folder["path"] == f"{containers.NPM_PATH}/node_modules"
