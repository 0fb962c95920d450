#!/bin/sh
# Write ci/uv.lock: the lock the Dagger Python runtime installs the module from.
#
# The runtime loads only ci/ (plus dagger.json), so there ci/ is a standalone project,
# while here it is a member of the root's uv workspace (where `uv lock` locks the root).
# With ci/uv.lock present the runtime runs `uv lock` + `uv sync --no-dev` and takes
# dagger-io from PyPI (no vendored ./sdk); without it, it falls back to vendoring.
# Run after changing ci/pyproject.toml:  sh scripts/lock_ci.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/ci/pyproject.toml" "$work/"
[ -f "$root/ci/uv.lock" ] && cp "$root/ci/uv.lock" "$work/"
mkdir -p "$work/src/semaine" && touch "$work/src/semaine/__init__.py"
(cd "$work" && uv lock "$@")
cp "$work/uv.lock" "$root/ci/uv.lock"
echo "wrote ci/uv.lock"
