"""The one place secrets are hidden from messages: database URLs and secret values."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "***"
MALFORMED_URL = "<a malformed URL>"
"""What a URL that cannot be parsed is shown as (its text may hold a password)."""
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def redact_url(url: str) -> str:
    """Return `url` (or a libpq key=value string) with any password replaced by ***."""
    if "://" not in url:
        return _KEYWORD_PASSWORD.sub(lambda match: match.group(1) + REDACTED, url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return MALFORMED_URL
    netloc = parts.netloc
    userinfo, at, hostport = netloc.rpartition("@")
    if at and ":" in userinfo:
        user = userinfo.partition(":")[0]
        netloc = f"{user}:{REDACTED}@{hostport}"
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(key.lower() == "password" for key, _ in pairs):
        query = urlencode(
            [(key, REDACTED if key.lower() == "password" else value) for key, value in pairs],
            safe="*",
        )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def scrub(text: str, *secrets: str) -> str:
    """Remove every occurrence of each secret (and its URL password) from a message."""
    for secret in secrets:
        if not secret:
            continue
        text = text.replace(secret, REDACTED)
        try:
            password = urlsplit(secret).password
        except ValueError:
            password = None
        if password:
            text = text.replace(password, REDACTED)
    return text
