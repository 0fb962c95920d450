from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from semaine.secrets import (
    MissingEnvironmentSecretError,
    UnreadableSecretFileError,
    UnsupportedSecretAddressError,
    is_secret_address,
    resolve_secret,
)

if TYPE_CHECKING:
    from pathlib import Path

VALUE = "postgresql://u:hunter2@db:5432/d"


def test_env_addresses_read_the_variable() -> None:
    assert resolve_secret("env://DB", {"DB": f" {VALUE}\n"}) == VALUE


def test_a_missing_variable_is_named_and_the_value_never_shown() -> None:
    with pytest.raises(MissingEnvironmentSecretError, match="DB_URL is unset") as raised:
        resolve_secret("env://DB_URL", {"DB_URL": "  "})
    assert raised.value.name == "DB_URL"


def test_file_addresses_read_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "url"
    secret.write_text(VALUE + "\n")
    assert resolve_secret(f"file://{secret}") == VALUE


@pytest.mark.parametrize(("content", "reason"), [(None, "no such file"), ("", "empty")])
def test_an_unusable_file_is_named_with_the_reason(
    tmp_path: Path, content: str | None, reason: str
) -> None:
    path = tmp_path / "secret"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UnreadableSecretFileError, match=reason) as raised:
        resolve_secret(f"file://{path}")
    assert raised.value.path == str(path)


@pytest.mark.parametrize(
    ("address", "hint"),
    [("cmd://cat /x", "dagger call"), ("vault://a/b", "dagger call"), (VALUE, "never by value")],
)
def test_other_addresses_are_refused_without_the_value(address: str, hint: str) -> None:
    with pytest.raises(UnsupportedSecretAddressError, match=hint) as raised:
        resolve_secret(address)
    assert "hunter2" not in str(raised.value)
    assert "cat /x" not in str(raised.value)


def test_a_directory_given_as_a_secret_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(UnreadableSecretFileError, match="it is a directory, not a file"):
        resolve_secret(f"file://{tmp_path}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("env://DATABASE_URL", True), ("file:///run/secret", True), ("postgresql://h/d", False)],
)
def test_a_secret_address_is_told_from_a_value(text: str, expected: bool) -> None:  # noqa: FBT001
    assert is_secret_address(text) is expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("env://", "unsupported secret address env://...: `env://` names no variable"),
        ("file://", "unsupported secret address file://...: `file://` names no file"),
        ("HEROKU_API_KEY", "unsupported secret address: a secret is passed by address"),
    ],
)
def test_an_address_naming_nothing_says_what_is_missing(address: str, expected: str) -> None:
    with pytest.raises(UnsupportedSecretAddressError) as raised:
        resolve_secret(address)
    assert str(raised.value).startswith(expected)
