"""GitHub's answers turned into JSON or into the error that says what to do."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.redaction import scrub
from semaine.integrations.github.errors import (
    GitHubAuthenticationError,
    GitHubForbiddenError,
    GitHubGoneError,
    GitHubNotFoundError,
    GitHubRateLimitedError,
    GitHubUnexpectedResponseError,
    GitHubValidationError,
)
from semaine.integrations.retry import (
    rate_limit_reset_seconds,
    retry_after_seconds,
    says_rate_limited,
)

if TYPE_CHECKING:
    import httpx

    from semaine.integrations.http import Exchange
    from semaine.integrations.retry import RetryPolicy

_SAID_LIMIT = 200
_UNAUTHORIZED, _FORBIDDEN, _NOT_FOUND, _GONE, _INVALID = 401, 403, 404, 410, 422
_LIMITED = frozenset({403, 429})


def decoded(  # noqa: PLR0913 - what an answer is judged by
    exchange: Exchange,
    expected: int,
    what: str,
    *,
    repo: str,
    policy: RetryPolicy,
    token: str,
) -> object:
    """Return the JSON body of an answer with the `expected` status, else raise what it means."""
    response = exchange.response
    status = response.status_code
    said = _said(response, token)
    if status == expected:
        try:
            return response.json()
        except ValueError:
            raise GitHubUnexpectedResponseError(what, status, "body is not JSON") from None
    if status in _LIMITED and (says_rate_limited(policy, response) or "rate limit" in said):
        raise GitHubRateLimitedError(what, exchange.attempts, _when_it_resets(response))
    if status == _UNAUTHORIZED:
        raise GitHubAuthenticationError(what)
    if status == _FORBIDDEN:
        raise GitHubForbiddenError(what, said)
    if status == _NOT_FOUND:
        raise GitHubNotFoundError(what, repo)
    if status == _GONE:
        raise GitHubGoneError(what, repo)
    if status == _INVALID:
        raise GitHubValidationError(what, _invalid_fields(response, token) or said)
    raise GitHubUnexpectedResponseError(what, status, said)


def _when_it_resets(response: httpx.Response) -> str:
    asked = retry_after_seconds(response.headers.get("retry-after", ""))
    if asked is not None:
        return f"GitHub asks to wait {asked:g} s (a secondary rate limit)"
    spent = response.headers.get("x-ratelimit-remaining", "").strip() == "0"
    reset = response.headers.get("x-ratelimit-reset", "")
    if spent and rate_limit_reset_seconds(reset) is not None:
        moment = datetime.fromtimestamp(int(reset), UTC)
        return f"the budget refills at {moment:%H:%M:%S} UTC"
    return "a secondary rate limit: wait at least a minute"


def _said(response: httpx.Response, token: str) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    message = body.get("message") if isinstance(body, dict) else None
    text = message if isinstance(message, str) else response.text
    return scrub(" ".join(text.split()), token)[:_SAID_LIMIT]


def _invalid_fields(response: httpx.Response, token: str) -> str:
    """Return `field code (message)` for each error of a 422's body."""
    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        return ""
    described = []
    for error in errors if isinstance(errors, list) else []:
        if not isinstance(error, dict):
            continue
        field = error.get("field") or error.get("resource") or "?"
        text = f"field {field!r} {error.get('code', 'invalid')}"
        if error.get("message"):
            text += f" ({error['message']})"
        described.append(scrub(text, token))
    return "; ".join(described)[:_SAID_LIMIT]
