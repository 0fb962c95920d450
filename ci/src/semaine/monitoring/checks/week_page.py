"""Read a served week page: its navigation links and the days it shows (stdlib HTML parser)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

WEEK_PATH = "/weeks/"


@dataclass
class WeekPage:
    """The links of a week page's navigation, by rel (`today` for the one without), and its days."""

    links: dict[str, str] = field(default_factory=dict)
    days: list[date] = field(default_factory=list)
    unreadable_days: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = WeekPage()
        self._in_nav = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "nav":
            self._in_nav += 1
        elif tag == "a" and self._in_nav and values.get("href", "").startswith(WEEK_PATH):
            self.page.links.setdefault(values.get("rel") or "today", values["href"])
        elif tag == "time" and "datetime" in values:
            try:
                self.page.days.append(date.fromisoformat(values["datetime"]))
            except ValueError:
                self.page.unreadable_days.append(values["datetime"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._in_nav:
            self._in_nav -= 1


def read_week_page(html: str) -> WeekPage:
    """Return the navigation links and the shown days of a week page's HTML."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def label_of(path: str) -> str:
    """Return the week label of a `/weeks/<label>` path (empty for another path)."""
    return path.removeprefix(WEEK_PATH) if path.startswith(WEEK_PATH) else ""
