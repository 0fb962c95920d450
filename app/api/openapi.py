"""The OpenAPI document: problem+json answers documented on every route."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict

from app.api.problems import PROBLEM_JSON

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import FastAPI


class ProblemError(BaseModel):
    """One validation error: where it is and what is wrong."""

    model_config = ConfigDict(extra="forbid")
    location: str
    message: str
    type: str


class ProblemDetails(BaseModel):
    """The RFC 9457 body (documentation model: responses are serialised directly)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemError] | None = None


_PROBLEM_DESCRIPTIONS = {
    400: "Malformed input (the detail says what to write instead)",
    404: "No such resource",
    413: "Request body too large",
    415: "The body is not application/json",
    422: "The request is well-formed but invalid (see errors)",
    503: "The database is unreachable, not configured, or not at the schema head",
}
PROBLEM_SCHEMA_REF = "#/components/schemas/ProblemDetails"


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Document problem+json answers of a route for the OpenAPI `responses` argument."""
    return {
        status: {
            "description": _PROBLEM_DESCRIPTIONS[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_SCHEMA_REF}}},
        }
        for status in statuses
    }


def problem_schemas() -> dict[str, Any]:
    """Return the OpenAPI component schemas of ProblemDetails and what it refers to."""
    schema = ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
    components: dict[str, Any] = schema.pop("$defs", {})
    components["ProblemDetails"] = schema
    return components


def openapi_builder(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """Return app.openapi: FastAPI's document plus the problem schemas, built once."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            # Every route documents its 422 as a problem: FastAPI's defaults are unused.
            for unused in ("HTTPValidationError", "ValidationError"):
                schemas.pop(unused, None)
            schemas.update(problem_schemas())
            app.openapi_schema = schema
        return app.openapi_schema

    return build
