"""Match requests to an OpenAPI 3.0 document's operations and validate bodies against it.

The document is a stripped copy (scripts/strip_schema.py openapi). OpenAPI 3.0's
`nullable: true` is not JSON Schema: it is translated to `anyOf [schema, null]` on
load, so jsonschema checks what GitHub would send.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.standins.server import schema_problems

if TYPE_CHECKING:
    from pathlib import Path

_TEMPLATE = re.compile(r"\{[^}]+\}")
_METHODS = ("get", "post", "patch", "put", "delete")
_NULL: dict[str, Any] = {"type": "null"}


@dataclass(frozen=True)
class Operation:
    """One operation: method, path pattern, parameters, request and response schemas."""

    method: str
    template: str
    pattern: re.Pattern[str]
    query: dict[str, dict[str, Any]]
    """Query parameters by name: their schema and whether they are required."""
    body: dict[str, Any] | None
    body_required: bool
    responses: dict[str, dict[str, Any] | None]
    """JSON schema of each declared status's body (None when it has no JSON body)."""


def with_nulls(node: object) -> Any:
    """Return a schema with OpenAPI's `nullable: true` written as JSON Schema."""
    if isinstance(node, list):
        return [with_nulls(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: with_nulls(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        return {"anyOf": [converted, _NULL]}
    return converted


class OpenApiDocument:
    """A loaded document: its operations, and a validator resolving `#/components/...`."""

    def __init__(self, path: Path) -> None:
        raw = json.loads(path.read_text("utf-8"))
        self.components = with_nulls(raw["components"])
        self.operations = [
            self._operation(method.upper(), template, item[method])
            for template, item in raw["paths"].items()
            for method in _METHODS
            if method in item
        ]

    def operation_for(self, method: str, path: str) -> Operation | None:
        """Return the operation that serves `method` on `path` (query string ignored)."""
        bare = path.split("?", 1)[0]
        return next(
            (op for op in self.operations if op.method == method and op.pattern.match(bare)), None
        )

    def problems(self, instance: object, schema: dict[str, Any]) -> list[str]:
        """Return how `instance` breaks `schema` (empty when valid)."""
        return schema_problems(instance, schema, {"components": self.components})

    def _resolved(self, node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return node
        _, _, kind, name = ref.split("/")
        resolved: dict[str, Any] = self.components[kind][name]
        return resolved

    def _operation(self, method: str, template: str, raw: dict[str, Any]) -> Operation:
        parts = _TEMPLATE.split(template)
        pattern = re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "$")
        parameters = [self._resolved(p) for p in with_nulls(raw.get("parameters", []))]
        query = {p["name"]: p for p in parameters if p["in"] == "query"}
        body = raw.get("requestBody")
        body_schema = with_nulls(body["content"]["application/json"]["schema"]) if body else None
        responses = {}
        for status, answer in raw["responses"].items():
            media = self._resolved(with_nulls(answer)).get("content", {})
            responses[status] = media.get("application/json", {}).get("schema")
        return Operation(
            method=method,
            template=template,
            pattern=pattern,
            query=query,
            body=body_schema,
            body_required=bool(body and body.get("required")),
            responses=responses,
        )
