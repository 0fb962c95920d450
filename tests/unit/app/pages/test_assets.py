"""Static files under names that change when their bytes do."""

from __future__ import annotations

import hashlib
from pathlib import Path

import app.pages
from app.pages.assets import asset_text, asset_url

STATIC = Path(app.pages.__file__).parent / "static"


def test_the_name_carries_the_content_hash() -> None:
    for path in STATIC.iterdir():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        assert asset_url(path.name) == f"/static/{path.stem}.{digest}{path.suffix}"
        assert asset_text(path.name) == path.read_text(encoding="utf-8")
