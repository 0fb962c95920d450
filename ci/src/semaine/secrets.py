"""Resolve secret addresses (`env://NAME`, `file://PATH`) the way `dagger call` takes them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import ActionableError

if TYPE_CHECKING:
    from collections.abc import Mapping

_SCHEMES = ("env", "file")
_DAGGER_ONLY = ("cmd", "op", "vault", "libsecret")


class SecretError(ActionableError):
    """A secret address could not be resolved; the message never holds the secret."""


@dataclass(frozen=True)
class SecretAddress:
    """A parsed secret address: its scheme (`env` or `file`) and its target."""

    scheme: str
    target: str

    def __str__(self) -> str:
        return f"{self.scheme}://{self.target}"


class UnsupportedSecretAddressError(SecretError):
    """The address is not `env://` or `file://`."""

    def __init__(self, address: str) -> None:
        self.address = address
        scheme = address.split("://", 1)[0] if "://" in address else ""
        if scheme in _DAGGER_ONLY:
            reason = f"`{scheme}://` addresses are resolved by `dagger call` only"
            advice = "running locally, pass env://NAME or file://PATH"
        elif scheme in _SCHEMES:
            reason = f"`{scheme}://` names no {'variable' if scheme == 'env' else 'file'}"
            advice = "write env://NAME (e.g. env://HEROKU_API_KEY) or file://PATH"
        else:
            reason = (
                "a secret is passed by address, never by value (it would land in the shell"
                " history and the process list)"
            )
            advice = "use env://NAME or file://PATH"
        super().__init__(
            f"unsupported secret address{f' {scheme}://...' if scheme else ''}: {reason}", advice
        )


class MissingEnvironmentSecretError(SecretError):
    """`env://NAME` names a variable that is unset or empty."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"environment variable {name} is unset or empty", "export it, or pass file://PATH"
        )


class UnreadableSecretFileError(SecretError):
    """`file://PATH` names a file that cannot be read or is empty."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"secret file {path} cannot be used: {reason}",
            "make it a readable, non-empty file, or pass env://NAME",
        )


def is_secret_address(text: str) -> bool:
    """Tell whether `text` names a secret by address (`env://` or `file://`), not by value."""
    return text.partition("://")[0] in _SCHEMES


def parse_secret_address(address: str) -> SecretAddress:
    """Parse `env://NAME` or `file://PATH`; refuse anything else with the reason."""
    scheme, separator, target = address.partition("://")
    if not separator or scheme not in _SCHEMES or not target:
        raise UnsupportedSecretAddressError(address)
    return SecretAddress(scheme=scheme, target=target)


def resolve_secret(address: str, environ: Mapping[str, str] | None = None) -> str:
    """Return the secret's value (surrounding whitespace stripped) from its address."""
    parsed = parse_secret_address(address)
    if parsed.scheme == "env":
        value = (os.environ if environ is None else environ).get(parsed.target, "").strip()
        if not value:
            raise MissingEnvironmentSecretError(parsed.target)
        return value
    path = Path(parsed.target).expanduser()
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise UnreadableSecretFileError(parsed.target, "no such file") from None
    except PermissionError:
        raise UnreadableSecretFileError(parsed.target, "permission denied") from None
    except IsADirectoryError:
        raise UnreadableSecretFileError(parsed.target, "it is a directory, not a file") from None
    except UnicodeDecodeError:
        raise UnreadableSecretFileError(parsed.target, "it is not UTF-8 text") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UnreadableSecretFileError(parsed.target, reason) from None
    if not value:
        raise UnreadableSecretFileError(parsed.target, "the file is empty")
    return value
