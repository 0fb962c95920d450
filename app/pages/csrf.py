"""CSRF protection of the page forms: a double-submit token, with the browser's own checks.

A browser gets one random token (32 bytes from `secrets`) in a cookie that scripts cannot
read (HttpOnly), that other sites' requests do not carry (SameSite=Strict) and, over
HTTPS, that no other host can set (the `__Host-` prefix, Secure). Every form repeats it
in a hidden field; a POST is accepted only when field and cookie match (compared in
constant time) and the browser does not say the request came from another site
(`Origin`, `Sec-Fetch-Site`). No server-side state and no signing key: see docs/pages.md.
"""

from __future__ import annotations

import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from starlette.requests import Request
    from starlette.responses import Response

FIELD = "csrf_token"
_HTTPS_COOKIE = "__Host-semaine-csrf"
_HTTP_COOKIE = "semaine-csrf"
_TOKEN_BYTES = 32
# Enough for secrets.token_urlsafe(32) (43 characters); longer cookies are not ours.
_MAX_TOKEN_LENGTH = 64
_SAME_SITE = frozenset({"same-origin", "none"})


def _cookie_name(request: Request) -> str:
    return _HTTPS_COOKIE if request.url.scheme == "https" else _HTTP_COOKIE


def _well_formed(token: str | None) -> bool:
    return bool(token) and len(token or "") <= _MAX_TOKEN_LENGTH and (token or "").isascii()


def token_for(request: Request) -> str:
    """Return the browser's token (from its cookie), or a new one `set_cookie` must send."""
    found = request.cookies.get(_cookie_name(request))
    if found is not None and _well_formed(found):
        return found
    return secrets.token_urlsafe(_TOKEN_BYTES)


def set_cookie(request: Request, response: Response, token: str) -> None:
    """Send the token cookie unless the browser already holds this very token."""
    if request.cookies.get(_cookie_name(request)) == token:
        return
    response.set_cookie(
        _cookie_name(request),
        token,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def refusal(request: Request, form: Mapping[str, str]) -> str | None:
    """Return why a form POST is refused as a cross-site request forgery, or None."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in _SAME_SITE:
        return f"the browser says the form was sent from another site ({site})"
    origin = request.headers.get("origin")
    if origin is not None and origin != _own_origin(request):
        return "the form was sent from another origin"
    cookie = request.cookies.get(_cookie_name(request))
    sent = form.get(FIELD)
    if not cookie or not _well_formed(cookie):
        return "the browser sent no form token cookie (cookies may be blocked or expired)"
    if not sent or not hmac.compare_digest(cookie.encode(), sent.encode("utf-8", "replace")):
        return "the form's token does not match this browser's"
    return None
