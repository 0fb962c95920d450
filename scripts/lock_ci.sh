#!/bin/sh
# Write ci/uv.lock: the lock the Dagger Python runtime installs the module from.
#
# The runtime loads only ci/ (plus dagger.json), so there ci/ is a standalone project,
# while here it is a member of the root's uv workspace (where `uv lock` locks the root).
# With ci/uv.lock present the runtime runs `uv lock` + `uv sync --no-dev` and takes
# dagger-io from PyPI (no vendored ./sdk); without it, it falls back to vendoring.
# A plain `uv lock` re-resolves quietly when the lock no longer fits: this script locks
# an isolated copy of ci/ with the runtime's own uv, so the runtime finds nothing to do.
#
# Run after changing ci/pyproject.toml:  sh scripts/lock_ci.sh
# Check that the runtime would leave the lock as it is:  sh scripts/lock_ci.sh --check
set -eu
# The uv of Dagger v0.21.8's Python runtime (its base image); bump with engineVersion.
RUNTIME_UV=0.10.3

root=$(cd "$(dirname "$0")/.." && pwd)
check=false
if [ "${1:-}" = "--check" ]; then
    check=true
    shift
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/ci/pyproject.toml" "$work/"
[ -f "$root/ci/uv.lock" ] && cp "$root/ci/uv.lock" "$work/"
mkdir -p "$work/src/semaine" && touch "$work/src/semaine/__init__.py"

if uv tool run --from "uv==$RUNTIME_UV" uv --version >/dev/null 2>&1; then
    set -- tool run --from "uv==$RUNTIME_UV" uv lock "$@"
else
    echo "lock_ci: uv $RUNTIME_UV (the runtime's) is not reachable; using $(uv --version)" >&2
    set -- lock "$@"
fi
if [ "$check" = true ]; then
    (cd "$work" && uv "$@" --locked)
    echo "ci/uv.lock is what the module runtime would lock"
else
    (cd "$work" && uv "$@")
    cp "$work/uv.lock" "$root/ci/uv.lock"
    echo "wrote ci/uv.lock"
fi
