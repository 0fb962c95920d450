"""Environment files: the committed ones load, and every kind of mistake is named."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from semaine.environments import EnvironmentFileError, environment_names, load_environment
from tests.paths import ROOT

if TYPE_CHECKING:
    from pathlib import Path

GOOD = """\
heroku_app: semaine-staging
url: https://semaine-staging.herokuapp.com
branch: develop
rollback_actors: [octocat]
"""


def _project_with(tmp_path: Path, text: str, name: str = "staging") -> Path:
    folder = tmp_path / ".github" / "environments"
    folder.mkdir(parents=True)
    (folder / f"{name}.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_committed_environments_load() -> None:
    assert environment_names(ROOT) == ["production", "staging"]
    staging = load_environment("staging", ROOT)
    production = load_environment("production", ROOT)
    assert (staging.branch, production.branch) == ("develop", "main")
    assert production.confirmation_required
    assert not staging.confirmation_required
    assert production.base_url.startswith("https://")


def test_a_good_file_loads_with_defaults(tmp_path: Path) -> None:
    environment = load_environment("staging", _project_with(tmp_path, GOOD))
    assert environment.name == "staging"
    assert environment.heroku_app == "semaine-staging"
    assert environment.smoke.attempts >= 1
    assert environment.may_roll_back("OctoCat")
    assert not environment.may_roll_back("someone-else")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + "colour: blue\n", "unknown key 'colour'"),
        (GOOD.replace("heroku_app: semaine-staging\n", ""), "missing key 'heroku_app'"),
        (GOOD.replace("https://", "http://"), "must be an https:// URL"),
        (GOOD + "name: other\n", "it sets 'name'"),
        ("heroku_app: [unclosed\n", "not valid YAML"),
        # YAML would keep the last: the first value, which someone reviewed, silently lost.
        (GOOD + "heroku_app: semaine-production\n", "found the key 'heroku_app' twice"),
        ("- a list\n", "must hold a mapping"),
        (
            GOOD + "monitoring:\n  maintenance:\n    - {start: '23:00', duration_minutes: 30,"
            " timezone: Mars/Olympus}\n",
            "unknown timezone 'Mars/Olympus'",
        ),
    ],
)
def test_a_mistake_is_named(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(EnvironmentFileError, match=r"staging\.yml is invalid") as caught:
        load_environment("staging", _project_with(tmp_path, text))
    assert expected in str(caught.value)


def test_an_unknown_environment_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentFileError, match=r"no environment 'prod'.*known: staging"):
        load_environment("prod", _project_with(tmp_path, GOOD))
