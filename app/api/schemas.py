"""Pydantic models of the API: request bodies (validated) and response shapes (documented).

Responses are serialised directly to bytes (see `payloads`); the response models only
feed the OpenAPI document.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from app.db.schema import MINUTES_MAX, MINUTES_MIN, TITLE_MAX_LENGTH, TITLE_MIN_LENGTH
from app.weeks import Week, parse_date


def _entry_date(value: object) -> dt.date:
    """Accept only a strict YYYY-MM-DD text whose week is representable."""
    day = parse_date(value)  # type: ignore[arg-type]  # parse_date refuses non-text itself
    Week.from_date(day)
    return day


def _title(value: str) -> str:
    """Refuse what PostgreSQL cannot store (NUL) or a reader cannot see (blanks)."""
    if not value.strip():
        msg = "title must contain a visible character, not only spaces"
        raise ValueError(msg)
    if "\x00" in value:
        msg = "title must not contain NUL characters"
        raise ValueError(msg)
    return value


EntryDate = Annotated[
    dt.date,
    BeforeValidator(_entry_date),
    Field(description="The entry's day, YYYY-MM-DD.", examples=["2026-11-23"]),
]
Title = Annotated[
    str,
    Field(min_length=TITLE_MIN_LENGTH, max_length=TITLE_MAX_LENGTH, examples=["Standup"]),
    AfterValidator(_title),
]
Minutes = Annotated[
    int,
    Field(ge=MINUTES_MIN, le=MINUTES_MAX, description="Duration in minutes.", examples=[30]),
]


class EntryCreate(BaseModel):
    """The body of POST /api/v1/entries."""

    model_config = ConfigDict(extra="forbid", strict=True)
    date: EntryDate
    title: Title
    minutes: Minutes


class EntryPatch(BaseModel):
    """The body of PATCH /api/v1/entries/{id}: any non-empty subset of the fields."""

    model_config = ConfigDict(extra="forbid", strict=True)
    date: EntryDate | None = None
    title: Title | None = None
    minutes: Minutes | None = None

    @model_validator(mode="after")
    def _fields_given_and_not_null(self) -> Self:
        if not self.model_fields_set:
            msg = "send at least one of date, title, minutes"
            raise ValueError(msg)
        nulls = sorted(name for name in self.model_fields_set if getattr(self, name) is None)
        if nulls:
            msg = f"{', '.join(nulls)} cannot be null: leave a field out to keep it"
            raise ValueError(msg)
        return self


class EntryOut(BaseModel):
    """An entry as the API returns it."""

    id: int
    date: dt.date
    title: str
    minutes: int
    week: str = Field(description="ISO week label of the date.", examples=["2026-W48"])
    created_at: dt.datetime
    updated_at: dt.datetime


class WeekOut(BaseModel):
    """An ISO week: Monday to Sunday."""

    week: str = Field(examples=["2026-W48"])
    iso_year: int
    iso_week: int
    start: dt.date = Field(description="The Monday.")
    end: dt.date = Field(description="The Sunday.")
    days: list[dt.date] = Field(description="The seven dates, Monday first.")
    previous: str | None = Field(description="Label of the previous week; null at 0001-W01.")
    next: str | None = Field(description="Label of the next week; null at 9999-W51.")


class MonthDayOut(BaseModel):
    """One cell of a month grid."""

    date: dt.date
    in_month: bool


class MonthWeekOut(BaseModel):
    """One Monday-first row of a month grid."""

    week: str
    days: list[MonthDayOut]


class MonthOut(BaseModel):
    """The weeks covering a month."""

    month: str = Field(examples=["2026-11"])
    weeks: list[MonthWeekOut]


class DayEntriesOut(BaseModel):
    """One day of a week with its entries."""

    date: dt.date
    entries: list[EntryOut]
    total_minutes: int


class WeekEntriesOut(BaseModel):
    """A week's entries, Monday to Sunday, with per-day and per-week totals."""

    week: str
    start: dt.date
    end: dt.date
    days: list[DayEntriesOut]
    total_minutes: int


class ReleaseOut(BaseModel):
    """What is running."""

    version: str
    release: str | None
    commit: str | None


class HealthOut(ReleaseOut):
    """Liveness: the process answers."""

    status: str = Field(examples=["ok"])


class SchemaOut(BaseModel):
    """Schema revisions: the database's, this build's head, and every one it runs against."""

    current: str | None
    head: str
    supported: list[str]


class ReadyOut(HealthOut):
    """Readiness: the database answers at a schema revision this build supports."""

    schema_revision: SchemaOut = Field(alias="schema")
