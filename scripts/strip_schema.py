"""Strip a published API schema to the facts a test stand-in validates against.

One walk for both kinds: keep only the kind's keywords, recursively, except under keys
whose children are names (properties, definitions, paths, statuses...), sorted for a
stable diff.

- `heroku`: Heroku's Platform API hyper-schema. Keeps paths (`links[].href`), methods,
  request and response schemas, property names and JSON types, and the `$ref`s between
  them; drops the prose (descriptions, titles, examples) and value constraints.
- `openapi`: an OpenAPI 3.0 document (GitHub's issues subset). Keeps the paths, their
  methods, parameters (name, place, schema), request bodies and responses (status, JSON
  schema), the components they reference, and in schemas the structural keywords,
  `enum` (GitHub's `state_reason` values matter) and OpenAPI's `nullable`; drops the
  prose, examples, formats and GitHub's extensions.

Usage:

    uv run python scripts/strip_schema.py heroku \
        ../shared/heroku/platform-api-schema.json tests/standins/heroku-schema.stripped.json
    uv run python scripts/strip_schema.py openapi \
        ../shared/github/issues-subset.json tests/standins/github-issues.stripped.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

_SCHEMA_KEYWORDS = frozenset(
    {"type", "properties", "additionalProperties", "items", "$ref", "anyOf", "oneOf", "allOf"}
)
# Heroku: structural keywords only; everything else (description, example, title, format,
# pattern, enum, readOnly, stability, strictProperties...) is dropped.
_HEROKU_KEEP = _SCHEMA_KEYWORDS | {
    "$schema",
    "definitions",
    "patternProperties",
    "required",
    "links",
    "href",
    "method",
    "rel",
    "schema",
    "targetSchema",
}
# Under these keys the children are names (of properties or definitions), not keywords.
_HEROKU_NAMED = frozenset({"definitions", "properties", "patternProperties"})
# OpenAPI: everything else (description, summary, example(s), format, x-github...) is dropped.
_OPENAPI_KEEP = _SCHEMA_KEYWORDS | {
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
    "enum",
    "nullable",
}
# Paths, statuses, media types, properties and components are names.
_OPENAPI_NAMED = frozenset({"paths", "responses", "content", "properties", "schemas"})
# `parameters` and `responses` under `components` are named too; under an operation,
# `parameters` is a list and `responses` maps statuses.
_COMPONENT_KINDS = frozenset({"schemas", "parameters", "responses"})


def strip(
    node: object, keep: frozenset[str], named_under: frozenset[str], *, named: bool = False
) -> object:
    """Return `node` with only the `keep` keywords, recursively (`named`: children are names)."""
    if isinstance(node, list):
        return [strip(item, keep, named_under) for item in node]
    if not isinstance(node, dict):
        return node
    if named:
        return {name: strip(child, keep, named_under) for name, child in sorted(node.items())}
    return {
        key: strip(value, keep, named_under, named=key in named_under)
        for key, value in sorted(node.items())
        if key in keep
    }


def strip_heroku(schema: dict[str, object]) -> object:
    """Return the stripped Heroku hyper-schema."""
    return strip(schema, _HEROKU_KEEP, _HEROKU_NAMED)


def strip_openapi(document: dict[str, object]) -> dict[str, object]:
    """Return the stripped OpenAPI document: its paths, and its components by kind."""
    stripped = {
        key: strip(document[key], _OPENAPI_KEEP, _OPENAPI_NAMED, named=key == "paths")
        for key in ("openapi", "paths")
    }
    components = document["components"]
    if not isinstance(components, dict):
        message = "the document's components are not an object"
        raise TypeError(message)
    stripped["components"] = {
        kind: strip(components[kind], _OPENAPI_KEEP, _OPENAPI_NAMED, named=True)
        for kind in sorted(_COMPONENT_KINDS)
        if kind in components
    }
    return stripped


_KINDS = {"heroku": strip_heroku, "openapi": strip_openapi}


def main(argv: list[str] | None = None) -> int:
    """Read the published schema, write the stripped one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(_KINDS), help="heroku or openapi (see above)")
    parser.add_argument("source", type=Path, help="the published schema (JSON)")
    parser.add_argument("target", type=Path, help="where to write the stripped copy")
    arguments = parser.parse_args(argv)
    stripped = _KINDS[arguments.kind](json.loads(arguments.source.read_text("utf-8")))
    arguments.target.write_text(json.dumps(stripped, indent=1, sort_keys=True) + "\n", "utf-8")
    sys.stdout.write(f"wrote {arguments.target} ({arguments.target.stat().st_size:,} bytes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
