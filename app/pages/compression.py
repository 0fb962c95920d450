"""Text compression of the pages (HTML, CSS, JavaScript, SVG): Starlette's GZipMiddleware."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

if TYPE_CHECKING:
    from starlette.types import ASGIApp

# The JSON API stays uncompressed: its throughput gates (docs/benchmarks.md) measure
# bodies built once as bytes, and compressing a 1000-entry week per request would cost
# more CPU than the loopback and Heroku's router save. The pages are small and gain 5x.
UNCOMPRESSED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/json", "application/problem+json")
# A 1000-entry week page (155 KB): level 1 gives 18.6 KB in 1.3 ms, level 6 16.1 KB in
# 6.5 ms, level 9 (Starlette's default) 14.7 KB in 17 ms (docs/pages.md): the first 88 %
# is nearly free, the rest is not worth the server's CPU.
LEVEL = 1


class PageCompression(GZipMiddleware):
    """Gzip every text answer but the JSON API's, for clients that accept gzip."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, compresslevel=LEVEL, exclude_content_types=UNCOMPRESSED)
