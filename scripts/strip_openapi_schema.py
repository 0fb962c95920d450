"""Strip an OpenAPI 3.0 document to the facts a stand-in validates against.

Keeps the paths, their methods, parameters (name, place, schema), request bodies and
responses (status, JSON schema), the components they reference, and in schemas the
structural keywords, `enum` (GitHub's `state_reason` values matter) and OpenAPI's
`nullable`; drops the prose (descriptions, summaries, titles), examples, formats and
GitHub's extensions. Usage:

    uv run python scripts/strip_openapi_schema.py \
        ../shared/github/issues-subset.json tests/standins/github-issues.stripped.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Kept keywords: everything else (description, summary, example(s), format, x-github...)
# is dropped.
_KEEP = frozenset(
    {
        "openapi",
        "paths",
        "get",
        "post",
        "patch",
        "put",
        "delete",
        "parameters",
        "name",
        "in",
        "required",
        "requestBody",
        "responses",
        "content",
        "schema",
        "components",
        "schemas",
        "type",
        "properties",
        "additionalProperties",
        "items",
        "$ref",
        "anyOf",
        "oneOf",
        "allOf",
        "enum",
        "nullable",
    }
)
# Under these keys the children are names (paths, statuses, media types, properties,
# components), not keywords.
_NAMED = frozenset({"paths", "responses", "content", "properties", "schemas"})
# `parameters` and `responses` under `components` are named too; under an operation,
# `parameters` is a list and `responses` maps statuses.
_COMPONENT_KINDS = frozenset({"schemas", "parameters", "responses"})


def strip(node: object, *, named: bool = False) -> object:
    """Return `node` with only the kept keywords, recursively."""
    if isinstance(node, list):
        return [strip(item) for item in node]
    if not isinstance(node, dict):
        return node
    if named:
        return {name: strip(child) for name, child in sorted(node.items())}
    return {
        key: strip(value, named=key in _NAMED)
        for key, value in sorted(node.items())
        if key in _KEEP
    }


def strip_document(document: dict[str, object]) -> dict[str, object]:
    """Return the stripped document: its paths, and its components by kind."""
    stripped = {key: strip(document[key], named=key == "paths") for key in ("openapi", "paths")}
    components = document["components"]
    if not isinstance(components, dict):
        message = "the document's components are not an object"
        raise TypeError(message)
    stripped["components"] = {
        kind: strip(components[kind], named=True)
        for kind in sorted(_COMPONENT_KINDS)
        if kind in components
    }
    return stripped


def main(argv: list[str] | None = None) -> int:
    """Read the OpenAPI document, write the stripped one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    arguments = parser.parse_args(argv)
    stripped = strip_document(json.loads(arguments.source.read_text("utf-8")))
    arguments.target.write_text(json.dumps(stripped, indent=1, sort_keys=True) + "\n", "utf-8")
    sys.stdout.write(f"wrote {arguments.target} ({arguments.target.stat().st_size:,} bytes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
