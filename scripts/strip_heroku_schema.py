"""Strip Heroku's Platform API hyper-schema to the facts the stand-in validates against.

Keeps paths (`links[].href`), methods, request and response schemas, property names and
JSON types, and the `$ref`s between them; drops Heroku's prose (descriptions, titles,
examples) and value constraints. Usage:

    uv run python scripts/strip_heroku_schema.py \
        ../shared/heroku/platform-api-schema.json tests/standins/heroku-schema.stripped.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Structural keywords only: everything else (description, example, title, format, pattern,
# enum, readOnly, stability, strictProperties...) is dropped.
_KEEP = frozenset(
    {
        "$schema",
        "type",
        "definitions",
        "properties",
        "patternProperties",
        "additionalProperties",
        "items",
        "$ref",
        "anyOf",
        "oneOf",
        "allOf",
        "required",
        "links",
        "href",
        "method",
        "rel",
        "schema",
        "targetSchema",
    }
)
# Under these keys the children are names (of properties or definitions), not keywords.
_NAMED = frozenset({"definitions", "properties", "patternProperties"})


def strip(node: object, *, named: bool = False) -> object:
    """Return `node` with only the structural keywords kept, recursively."""
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


def main(argv: list[str] | None = None) -> int:
    """Read the published schema, write the stripped one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    arguments = parser.parse_args(argv)
    schema = json.loads(arguments.source.read_text("utf-8"))
    stripped = strip(schema)
    arguments.target.write_text(json.dumps(stripped, indent=1, sort_keys=True) + "\n", "utf-8")
    sys.stdout.write(f"wrote {arguments.target} ({arguments.target.stat().st_size:,} bytes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
