"""What an environment file declares: its Heroku app and URL, who may change it, its checks."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from semaine.environments.monitoring import Monitoring

HEROKU_APP_NAME = r"^[a-z][a-z0-9-]{2,29}$"
GITHUB_LOGIN = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$"
GitHubLogin = Annotated[str, Field(pattern=GITHUB_LOGIN)]


class _Strict(BaseModel):
    """A section of the file: unknown keys are errors, values never change after load."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SmokeChecks(_Strict):
    """The checks a release must pass before it counts as deployed."""

    attempts: Annotated[int, Field(ge=1, le=20)] = 5
    first_backoff_seconds: Annotated[float, Field(gt=0, le=60)] = 2.0
    request_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    readiness_path: str = "/readyz"
    calendar_path: str = "/api/v1/dates/{today}/week"


class Environment(_Strict):
    """One environment: where it runs, which branch feeds it, who may roll it back."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    heroku_app: Annotated[str, Field(pattern=HEROKU_APP_NAME)]
    url: HttpUrl
    branch: Annotated[str, Field(min_length=1)]
    confirmation_required: bool = False
    rollback_actors: Annotated[
        list[Annotated[str, Field(pattern=GITHUB_LOGIN)]], Field(min_length=1)
    ]
    smoke: SmokeChecks = SmokeChecks()
    monitoring: Monitoring = Monitoring()

    @field_validator("url")
    @classmethod
    def _https_only(cls, url: HttpUrl) -> HttpUrl:
        if url.scheme != "https":
            message = (
                f"must be an https:// URL (got {url.scheme}://): Heroku serves every app over TLS"
            )
            raise ValueError(message)
        return url

    @property
    def base_url(self) -> str:
        """The public URL without a trailing slash, ready to have paths appended."""
        return str(self.url).rstrip("/")

    def may_roll_back(self, actor: str) -> bool:
        """Whether the GitHub login `actor` is listed as allowed to roll this environment back."""
        return actor.casefold() in {login.casefold() for login in self.rollback_actors}
