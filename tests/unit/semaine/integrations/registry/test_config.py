"""Where the registry is: HEROKU_REGISTRY_URL, else Heroku's."""

from __future__ import annotations

import pytest

from semaine.integrations.registry import RegistrySettingError, RegistrySettings, repository


def test_the_default_is_herokus_registry() -> None:
    settings = RegistrySettings.from_environment({})
    assert settings.registry_url == "https://registry.heroku.com"
    assert settings.host == "registry.heroku.com"
    assert settings.endpoint().setting == "HEROKU_REGISTRY_URL"


def test_the_setting_moves_it() -> None:
    settings = RegistrySettings.from_environment({"HEROKU_REGISTRY_URL": "http://127.0.0.1:5000/"})
    assert settings.registry_url == "http://127.0.0.1:5000"
    assert settings.host == "127.0.0.1:5000"


def test_a_bad_setting_is_refused_without_its_password() -> None:
    with pytest.raises(RegistrySettingError) as caught:
        RegistrySettings.from_environment({"HEROKU_REGISTRY_URL": "ftp://u:hunter2@host"})
    assert "HEROKU_REGISTRY_URL" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_an_apps_repository_is_app_slash_process_type() -> None:
    assert repository("semaine-staging", "web") == "semaine-staging/web"
