"""The one error base of every integration: what happened and what to do, on one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import ActionableError
from app.redaction import redact_url, scrub

if TYPE_CHECKING:
    from collections.abc import Iterable

    from semaine.integrations.http import Endpoint


class IntegrationError(ActionableError):
    """An outside service failed; the message says what happened and what to do next.

    Both parts are flattened to one line and scrubbed of `secrets` (and of any URL
    password), so the message can go to a log or a CI page as it is.
    """

    def __init__(self, what_happened: str, what_to_do: str, *, secrets: Iterable[str] = ()) -> None:
        hidden = tuple(secrets)
        super().__init__(
            _one_line(scrub(what_happened, *hidden)), _one_line(scrub(what_to_do, *hidden))
        )


class BadSettingError(IntegrationError):
    """A setting that points semaine at a service holds something unusable."""

    def __init__(self, setting: str, value: str, default: str) -> None:
        self.setting = setting
        super().__init__(
            f"{setting} is {redact_url(value)!r}, not an http(s) URL",
            f"set {setting} to the service's base URL (default {default}) or unset it",
        )


class ServiceUnreachableError(IntegrationError):
    """The service could not be reached: DNS, refused connection, TLS, a dropped line."""

    def __init__(self, endpoint: Endpoint, detail: str, attempts: int) -> None:
        self.base_url = redact_url(endpoint.base_url)
        self.detail = detail
        self.attempts = attempts
        super().__init__(
            f"cannot reach {endpoint.service} at {self.base_url} ({_attempts(attempts)}): {detail}",
            f"check the network (DNS, proxy, firewall) and {endpoint.setting},"
            f" which points semaine at {self.base_url}",
        )


class ServiceTimeoutError(IntegrationError):
    """The service accepted the connection but did not answer in time."""

    def __init__(self, endpoint: Endpoint, detail: str, attempts: int) -> None:
        self.base_url = redact_url(endpoint.base_url)
        self.detail = detail
        self.attempts = attempts
        status = f" (status: {endpoint.status_page})" if endpoint.status_page else ""
        super().__init__(
            f"{endpoint.service} at {self.base_url} did not answer within"
            f" {endpoint.read_seconds:g} s ({_attempts(attempts)}): {detail}",
            f"retry later{status}; if it persists, check {endpoint.setting}",
        )


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"


def _one_line(text: str) -> str:
    return " ".join(text.split())
