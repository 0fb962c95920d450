"""The pages' static files, served under fingerprinted names so browsers keep them a year.

Each file of `static/` is read once at import and named `<stem>.<sha256 prefix><suffix>`
(semaine.css -> semaine.3f2a9c0d1e.css): a new release with a changed file gets a new
name, so the old one may be cached `immutable` for a year. The plain names still answer,
with a short max-age, for bookmarks and old pages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from fastapi import APIRouter
from starlette.exceptions import HTTPException
from starlette.responses import Response

router = APIRouter(include_in_schema=False)

_STATIC = Path(__file__).parent / "static"
_MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}
_FINGERPRINT_LENGTH = 10
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=300"


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file: its bytes, media type and fingerprinted name."""

    name: str
    fingerprinted: str
    body: bytes
    media_type: str


def _fingerprinted(path: Path, body: bytes) -> str:
    digest = hashlib.sha256(body).hexdigest()[:_FINGERPRINT_LENGTH]
    return f"{path.stem}.{digest}{path.suffix}"


def _load() -> dict[str, Asset]:
    found = {}
    for path in sorted(_STATIC.iterdir()):
        if path.suffix in _MEDIA_TYPES:
            body = path.read_bytes()
            found[path.name] = Asset(
                path.name, _fingerprinted(path, body), body, _MEDIA_TYPES[path.suffix]
            )
    return found


_ASSETS = _load()
_BY_URL_NAME = {
    **{asset.fingerprinted: (asset, IMMUTABLE) for asset in _ASSETS.values()},
    **{asset.name: (asset, REVALIDATE) for asset in _ASSETS.values()},
}


def asset_url(name: str) -> str:
    """Return the fingerprinted URL of a file of static/ (KeyError for an unknown one)."""
    return f"/static/{_ASSETS[name].fingerprinted}"


def asset_text(name: str) -> str:
    """Return the text of a file of static/ (KeyError for an unknown one)."""
    return _ASSETS[name].body.decode()


def _answer(url_name: str) -> Response:
    found = _BY_URL_NAME.get(url_name)
    if found is None:
        raise HTTPException(HTTPStatus.NOT_FOUND)
    asset, cache = found
    return Response(asset.body, media_type=asset.media_type, headers={"Cache-Control": cache})


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    """Serve a static file: a year under its fingerprinted name, five minutes under its own."""
    return _answer(name)


@router.get("/favicon.ico")
async def favicon() -> Response:
    """Serve the icon where browsers look for it without a <link rel=icon>."""
    asset = _ASSETS["favicon.svg"]
    return Response(asset.body, media_type=asset.media_type, headers={"Cache-Control": REVALIDATE})
