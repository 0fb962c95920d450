"""/healthz, /readyz, the migration window, unreachable databases, config errors, OpenAPI."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import httpx
import psycopg
import pytest

from app import __version__
from app.config import Release, Settings
from app.db.migrate import head_revision

if TYPE_CHECKING:
    from collections.abc import Callable

    from semaine.executors.local.postgres import ThrowawayPostgres

    ExpectProblem = Callable[..., dict[str, Any]]
    ServeApp = Callable[[Settings | None], str]
    MakeDatabase = Callable[..., str]

pytestmark = pytest.mark.integration

LEGACY = "0001_legacy"
EXPAND = "0002_us16_expand"


def test_healthz_names_the_release_without_touching_the_database(
    database_url: str, serve_app: ServeApp
) -> None:
    release = Release(heroku_release="v42", commit="abc123")
    base = serve_app(Settings(database_url=database_url, release=release))
    response = httpx.get(f"{base}/healthz")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "status": "ok",
        "version": __version__,
        "release": "v42",
        "commit": "abc123",
    }


SUPPORTED = ["0002_us16_expand", "0003_us16_contract"]


def test_readyz_at_head_names_the_revisions(client: httpx.Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["schema"] == {
        "current": head_revision(),
        "head": head_revision(),
        "supported": SUPPORTED,
    }
    assert body["version"] == __version__


def test_readyz_during_the_migration_window_is_ready(
    make_database: MakeDatabase, serve_app: ServeApp
) -> None:
    # The data migration runs at expand: a smoke test then must not see a 503.
    base = serve_app(
        Settings(database_url=make_database(EXPAND), release=Release(heroku_release="v7"))
    )
    response = httpx.get(f"{base}/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["schema"]["current"] == EXPAND
    assert body["release"] == "v7"


def test_readyz_at_an_unsupported_revision_is_a_503_naming_the_revisions(
    make_database: MakeDatabase, serve_app: ServeApp, expect_problem: ExpectProblem
) -> None:
    base = serve_app(Settings(database_url=make_database(LEGACY)))
    response = httpx.get(f"{base}/readyz")
    body = expect_problem(response, 503, "not-ready", LEGACY, "db upgrade", "0002_us16_expand")
    assert body["schema"] == {"current": LEGACY, "head": head_revision(), "supported": SUPPORTED}
    assert body["version"] == __version__


def test_readyz_without_revisions_is_a_503(
    make_database: MakeDatabase, serve_app: ServeApp, expect_problem: ExpectProblem
) -> None:
    base = serve_app(Settings(database_url=make_database("base")))
    body = expect_problem(httpx.get(f"{base}/readyz"), 503, "not-ready", "no revision")
    assert body["schema"]["current"] is None


def test_legacy_rows_are_read_by_date_and_fixed_on_write(
    make_database: MakeDatabase, serve_app: ServeApp
) -> None:
    url = make_database(EXPAND)
    with psycopg.connect(url) as connection:
        # A pre-US1.6 row: the week starts on the Sunday before, ISO columns unset.
        row = connection.execute(
            "INSERT INTO entries (entry_date, title, minutes, week_start)"
            " VALUES ('2026-11-29', 'Legacy', 20, '2026-11-29') RETURNING id"
        ).fetchone()
    assert row is not None
    base = serve_app(Settings(database_url=url))
    with httpx.Client(base_url=base) as client:
        week = client.get("/api/v1/weeks/2026-W48/entries").json()
        assert [entry["title"] for entry in week["days"][6]["entries"]] == ["Legacy"]
        assert week["days"][6]["entries"][0]["week"] == "2026-W48"
        assert client.get("/api/v1/weeks/2026-W49/entries").json()["total_minutes"] == 0
        assert client.patch(f"/api/v1/entries/{row[0]}", json={"minutes": 25}).status_code == 200
        created = client.post(
            "/api/v1/entries", json={"date": "2026-11-29", "title": "New", "minutes": 1}
        ).json()
    with psycopg.connect(url) as connection:
        stored = connection.execute(
            "SELECT week_start, iso_year, iso_week FROM entries WHERE id IN (%s, %s)",
            (row[0], created["id"]),
        ).fetchall()
    assert stored == [(dt.date(2026, 11, 23), 2026, 48)] * 2


def test_an_unreachable_database_is_a_503_problem_and_liveness_holds(
    postgres: ThrowawayPostgres,
    make_database: MakeDatabase,
    serve_app: ServeApp,
    expect_problem: ExpectProblem,
) -> None:
    url = make_database()
    name = url.rsplit("/", 1)[1].split("?")[0]
    base = serve_app(Settings(database_url=url, pool_timeout=0.25))
    with psycopg.connect(postgres.database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    with httpx.Client(base_url=base, timeout=30) as client:
        for path in ("/api/v1/weeks/2026-W48/entries", "/api/v1/entries/1", "/weeks/2026-W48"):
            response = client.get(path)
            body = expect_problem(response, 503, "database-unavailable", "retry")
            assert response.headers["retry-after"] == "5"
            assert body["instance"] == path
        expect_problem(client.get("/readyz"), 503, "not-ready", "cannot be reached")
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/weeks/2026-W48").status_code == 200


def test_a_configuration_error_keeps_liveness_and_explains_the_503s(
    monkeypatch: pytest.MonkeyPatch, serve_app: ServeApp, expect_problem: ExpectProblem
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    base = serve_app(None)
    with httpx.Client(base_url=base) as client:
        assert client.get("/healthz").status_code == 200
        expect_problem(client.get("/readyz"), 503, "not-ready", "DATABASE_URL is not set")
        response = client.get("/api/v1/weeks/2026-W48/entries")
        expect_problem(response, 503, "database-unavailable", "DATABASE_URL is not set")
        assert client.get("/api/v1/months/2026-11").status_code == 200


def test_an_unknown_path_is_a_404_problem(
    client: httpx.Client, expect_problem: ExpectProblem
) -> None:
    expect_problem(client.get("/api/v2/nothing"), 404, "", "/openapi.json")


def test_a_wrong_method_is_a_405_problem_with_allow(
    client: httpx.Client, expect_problem: ExpectProblem
) -> None:
    response = client.put("/api/v1/weeks/2026-W48")
    expect_problem(response, 405, "", "PUT", "GET")
    # HEAD is answered wherever GET is (app.api.middleware), so Allow names it too.
    assert response.headers["allow"] == "GET, HEAD"
    assert client.head("/api/v1/entries").headers["allow"] == "POST"
    # Every route of the path counts, not only the first one Starlette tried.
    response = client.put("/api/v1/entries/1")
    expect_problem(response, 405, "", "PUT", "DELETE, GET, HEAD, PATCH")
    assert response.headers["allow"] == "DELETE, GET, HEAD, PATCH"


def test_openapi_documents_every_operation_and_its_problems(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert {"ProblemDetails", "ProblemError", "EntryOut", "WeekOut"} <= set(schemas)
    assert "HTTPValidationError" not in schemas
    operations = {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert set(operations) == {
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("GET", "/api/v1/weeks/current"),
        ("GET", "/api/v1/weeks/{week}"),
        ("GET", "/api/v1/dates/{date}/week"),
        ("GET", "/api/v1/months/{month}"),
        ("POST", "/api/v1/entries"),
        ("GET", "/api/v1/entries/{entry_id}"),
        ("PATCH", "/api/v1/entries/{entry_id}"),
        ("DELETE", "/api/v1/entries/{entry_id}"),
        ("GET", "/api/v1/weeks/{week}/entries"),
    }
    for key, operation in operations.items():
        assert operation["summary"], key
        success = [status for status in operation["responses"] if status.startswith("2")]
        assert success, key
        for status, response in operation["responses"].items():
            if status[0] in "45":
                content = response["content"]
                assert list(content) == ["application/problem+json"], key
        if key[1] != "/healthz":
            assert any(status[0] in "45" for status in operation["responses"]), key
    post = operations["POST", "/api/v1/entries"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["required"] == [
        "date",
        "title",
        "minutes",
    ]
