"""Strip every description from the Dagger engine's GraphQL schema (names and types only).

The engine's schema (`engine-schema-v0.21.8.graphqls`, from dagger/dagger) carries its
authors' prose in descriptions and in the `reason` of `@deprecated`/`@experimental`.
The offline contract tests need only names, types, arguments and defaults, so the
project commits this script's output instead of the original:

    uv run python scripts/strip_dagger_schema.py \
        ../shared/dagger/engine-schema-v0.21.8.graphqls \
        tests/dagger/schema/engine-schema-v0.21.8.stripped.graphqls
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from graphql import DirectiveNode, Node, Visitor, build_schema, parse, print_ast, visit

# Directives whose only argument is prose; their usages keep the name, lose the reason.
PROSE_DIRECTIVES = frozenset({"deprecated", "experimental"})
HEADER = (
    "# Dagger engine v0.21.8 API schema, descriptions stripped by scripts/strip_dagger_schema.py\n"
)


class _Stripper(Visitor):
    """Return each node without its description, and prose directives without arguments."""

    def enter(self, node: Node, *_: object) -> Node | None:
        """Replace a node carrying prose by a copy without it; leave the others."""
        if isinstance(node, DirectiveNode) and node.name.value in PROSE_DIRECTIVES:
            return replace(node, arguments=())
        if getattr(node, "description", None) is not None:
            return replace(node, description=None)
        return None


def stripped_sdl(source: str) -> str:
    """Return the schema SDL with descriptions removed, checked to still build."""
    document = parse(source, no_location=True)
    sdl = HEADER + print_ast(visit(document, _Stripper())) + "\n"
    build_schema(sdl)
    return sdl


def main() -> None:
    """Read the original schema and write the stripped one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the engine's schema (.graphqls)")
    parser.add_argument("target", type=Path, help="where to write the stripped schema")
    args = parser.parse_args()
    args.target.write_text(stripped_sdl(args.source.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
