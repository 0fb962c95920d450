"""Request bodies: content type, size and JSON checked here, each with its own problem."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.api.problems import Problem, validation_problem

if TYPE_CHECKING:
    from starlette.requests import Request

MAX_BODY_BYTES = 64 * 1024
_Model = TypeVar("_Model", bound=BaseModel)


def _is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _too_large(detail: str) -> Problem:
    # The rest of the body stays unread: close rather than drain it to reuse the connection.
    return Problem(
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        "body-too-large",
        "Body too large",
        detail,
        headers={"Connection": "close"},
    )


async def _read_at_most(request: Request, limit: int) -> bytes:
    """Read the body, stopping as soon as it is over `limit` bytes (chunked uploads too)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            msg = f"The body has more than {limit} bytes; send at most {limit}."
            raise _too_large(msg)
        chunks.append(chunk)
    return b"".join(chunks)


class _DuplicateKeyError(Exception):
    """A JSON object names a key twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of duplicate keys, other parsers the first: refuse, not guess.
    found = dict(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return found


async def read_limited(request: Request) -> bytes:
    """Read a body of at most MAX_BODY_BYTES (API or page form), or raise the 413 problem."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        msg = f"The body declares {int(declared)} bytes; send at most {MAX_BODY_BYTES}."
        raise _too_large(msg)
    return await _read_at_most(request, MAX_BODY_BYTES)


async def read_body(request: Request, model: type[_Model]) -> _Model:
    """Read a JSON object body and validate it against `model`, or raise a Problem."""
    content_type = request.headers.get("content-type", "")
    if not _is_json(content_type):
        raise Problem(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            f"Send the body as application/json, not {content_type or 'no content type'}.",
        )
    raw = await read_limited(request)
    try:
        value: Any = json.loads(raw, object_pairs_hook=_unique_keys)
    except _DuplicateKeyError as duplicate:
        message = f"the key {duplicate.key!r} appears more than once: send each key once"
        raise validation_problem([{"type": "duplicate_key", "msg": message}]) from None
    # ValueError covers bad JSON and bad UTF-8; RecursionError absurdly deep nesting.
    except (ValueError, RecursionError):
        raise validation_problem([{"type": "json_invalid"}]) from None
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise validation_problem(
            [{**detail, "loc": ("body", *detail["loc"])} for detail in error.errors()]
        ) from None


def body_documentation(model: type[BaseModel]) -> dict[str, Any]:
    """Describe, for OpenAPI, the requestBody of a route that reads `model` with `read_body`."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }
