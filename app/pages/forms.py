"""Page forms: read an urlencoded body, and check an entry with the API's own model.

The rules live once, in `app.api.schemas.EntryCreate` (date, title, minutes, as the
JSON API checks them); this module only turns form text into that model's input and
its errors into one message per field, shown next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from pydantic import ValidationError

from app.api.bodies import read_limited
from app.api.schemas import EntryCreate
from app.db.schema import MINUTES_MAX, MINUTES_MIN, TITLE_MAX_LENGTH

if TYPE_CHECKING:
    from starlette.requests import Request

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
ENTRY_FIELDS = ("date", "title", "minutes")
_MAX_FIELDS = 16
_PYDANTIC_PREFIX = "Value error, "
_MINUTES_RULE = f"enter the minutes as a whole number from {MINUTES_MIN} to {MINUTES_MAX}, e.g. 30"
_MESSAGES = {
    "string_too_short": "enter a title",
    "string_too_long": f"shorten the title to at most {TITLE_MAX_LENGTH} characters",
    "greater_than_equal": _MINUTES_RULE,
    "less_than_equal": _MINUTES_RULE,
}


class FormError(Exception):
    """The body is not a form the page can read (wrong type, bad encoding, repeated field)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


async def read_form(request: Request) -> dict[str, str]:
    """Read an application/x-www-form-urlencoded body (at most 64 KiB) as {name: value}."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != FORM_MEDIA_TYPE:
        shown = media_type or "no content type"
        detail = f"The form was sent as {shown}: send it from the page ({FORM_MEDIA_TYPE})."
        raise FormError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, detail)
    raw = await read_limited(request)
    try:
        pairs = parse_qsl(
            raw.decode("ascii"),
            keep_blank_values=True,
            max_num_fields=_MAX_FIELDS,
            encoding="utf-8",
            errors="strict",
        )
    except ValueError:  # not ASCII, bad UTF-8 escapes, too many fields
        detail = "The form could not be read (bad encoding or too many fields): send it again."
        raise FormError(HTTPStatus.BAD_REQUEST, detail) from None
    form = dict(pairs)
    if len(form) < len(pairs):
        detail = "The form names a field more than once: send it from the page."
        raise FormError(HTTPStatus.BAD_REQUEST, detail)
    return form


@dataclass(frozen=True, slots=True)
class EntryForm:
    """An entry form as sent: the values typed, and either the entry or each field's error."""

    values: dict[str, str]
    entry: EntryCreate | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _minutes(text: str) -> int | str:
    stripped = text.strip()
    return int(stripped) if stripped.isascii() and stripped.isdigit() else text


def _message(error_type: str, message: str) -> str:
    if error_type in _MESSAGES:
        return _MESSAGES[error_type]
    return message.removeprefix(_PYDANTIC_PREFIX)


def check_entry(form: dict[str, str]) -> EntryForm:
    """Check an entry form with the API's rules (EntryCreate); keep what was typed."""
    values = {name: form.get(name, "") for name in ENTRY_FIELDS}
    minutes = _minutes(values["minutes"])
    if isinstance(minutes, str):
        return EntryForm(values, errors=_other_errors(values) | {"minutes": _MINUTES_RULE})
    try:
        entry = EntryCreate.model_validate({**values, "minutes": minutes})
    except ValidationError as error:
        errors: dict[str, str] = {}
        for detail in error.errors(include_url=False):
            name = str(detail["loc"][0]) if detail["loc"] else "title"
            errors.setdefault(name, _message(detail["type"], detail["msg"]))
        return EntryForm(values, errors=errors)
    return EntryForm(values, entry=entry)


def _other_errors(values: dict[str, str]) -> dict[str, str]:
    """Check the date and title alone, when the minutes already failed."""
    return check_entry({**values, "minutes": str(MINUTES_MIN)}).errors
