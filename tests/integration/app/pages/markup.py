"""Reading the pages in tests: an outline of tags, links and headings, and the form token."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from zoneinfo import ZoneInfo


class Outline(HTMLParser):
    """The parts of a page the tests look at: tags with attributes, link texts, headings."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[tuple[str, str]] = []
        self.h1: list[str] = []
        self._link: list[str] | None = None
        self._href = ""
        self._in_h1 = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self._link, self._href = [], dict(attrs).get("href") or ""
        self._in_h1 = self._in_h1 or tag == "h1"
        if tag == "h1":
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append((self._href, " ".join("".join(self._link).split())))
            self._link = None
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.append(data)
        if self._in_h1:
            self.h1[-1] += data

    def having(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        """Return the attributes of every `tag` whose attributes include `attrs` (_ is -)."""
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def value_of(self, name: str) -> str:
        """Return the value of the (first) input named `name`."""
        found = self.having("input", name=name)
        assert found, f"no input named {name}"
        return found[0].get("value") or ""


def today() -> dt.date:
    """Return today in the service's time zone."""
    return dt.datetime.now(ZoneInfo("Europe/Paris")).date()


def form_token(html: str) -> str:
    """Return the CSRF token of a page's forms."""
    return Outline(html).value_of("csrf_token")
