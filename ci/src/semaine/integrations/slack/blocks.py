"""Tiny Block Kit helpers that keep within Slack's limits.

Limits from Slack's Block Kit reference (docs.slack.dev/reference/block-kit/blocks):
a header's plain text 150 characters, a section's text 3,000, at most 10 section fields
of 2,000 each, at most 10 context elements, at most 50 blocks a message. A longer text
is cut and ends with an ellipsis. Slack reads `&`, `<` and `>` as control characters in
mrkdwn and in a message's `text`: `escape` turns plain values into their entities, so a
value such as `p95 < 500 ms` shows as written instead of breaking the markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

HEADER_LIMIT = 150
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
FIELDS_MAX = 10
CONTEXT_LIMIT = 3000
CONTEXT_ELEMENTS_MAX = 10
BLOCKS_MAX = 50
TEXT_LIMIT = 4000
"""A message's top-level `text` (the notification's fallback): Slack's advised maximum."""
ELLIPSIS = "…"
_ENTITIES = ("&amp;", "&lt;", "&gt;")

Block = dict[str, Any]


def escape(text: str) -> str:
    """Return plain text with Slack's three control characters written as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Return `text` cut to `limit` characters, ending with an ellipsis when it was cut."""
    if len(text) <= limit:
        return text
    kept = text[: limit - len(ELLIPSIS)]
    # Never leave half an entity (`&am`) that escape() wrote: Slack would show it raw.
    ampersand = kept.rfind("&")
    tail = kept[ampersand:] if ampersand != -1 else ""
    if tail and any(entity != tail and entity.startswith(tail) for entity in _ENTITIES):
        kept = kept[:ampersand]
    return kept + ELLIPSIS


def header(text: str) -> Block:
    """Return a header block (plain text, at most 150 characters)."""
    plain = truncate(" ".join(text.split()), HEADER_LIMIT)
    return {"type": "header", "text": {"type": "plain_text", "text": plain, "emoji": True}}


def section(markdown: str) -> Block:
    """Return a section of mrkdwn (at most 3,000 characters; escape values with `escape`)."""
    return {"type": "section", "text": mrkdwn(markdown, SECTION_LIMIT)}


def fields(pairs: Iterable[tuple[str, str]]) -> Block:
    """Return a section of label/value fields (at most 10; the rest summed up in the last)."""
    items = [f"*{escape(label)}*\n{escape(value)}" for label, value in pairs]
    if len(items) > FIELDS_MAX:
        hidden = len(items) - (FIELDS_MAX - 1)
        items = [*items[: FIELDS_MAX - 1], f"_and {hidden} more_"]
    return {"type": "section", "fields": [mrkdwn(item, FIELD_LIMIT) for item in items]}


def context(text: str) -> Block:
    """Return a context block holding one line of plain text (escaped, at most 3,000)."""
    return {"type": "context", "elements": [mrkdwn(escape(text), CONTEXT_LIMIT)]}


def mrkdwn(text: str, limit: int) -> dict[str, str]:
    """Return a mrkdwn text object cut to `limit` characters."""
    return {"type": "mrkdwn", "text": truncate(text, limit)}
