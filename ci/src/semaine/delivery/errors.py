"""What stops a delivery: refused before any change (exit 2), or failed on the way (exit 1)."""

from __future__ import annotations

from app.errors import ActionableError


class DeliveryError(ActionableError):
    """A delivery stopped; `refused` says whether anything was changed before it did."""

    refused = False


class DeliveryRefusedError(DeliveryError):
    """Refused before any change: bad input, authorisation, nothing eligible."""

    refused = True


class NothingReleasedError(DeliveryError):
    """The formation update made no new release: the newest is still the one from before."""

    def __init__(self, app: str, newest: str) -> None:
        super().__init__(
            f"Heroku made no new release of {app}: the newest is still {newest}",
            "check that the images differ from what runs (heroku releases -a APP), then retry",
        )


class ReleaseTimeoutError(DeliveryError):
    """A release stayed pending past the timeout (a release phase that hangs)."""

    def __init__(self, app: str, release: str, seconds: float, live: str) -> None:
        super().__init__(
            f"release {release} of {app} is still pending after {seconds:g} s"
            f" (its release phase hangs); {live} still serves",
            f"read its output (heroku releases:output {release} -a {app}); if it ends"
            " up succeeding and is bad, run semaine rollback --rollback-type application",
        )


class NoRollbackTargetError(DeliveryRefusedError):
    """No earlier release can be rolled back to."""

    def __init__(self, app: str, seen: str) -> None:
        super().__init__(
            f"no earlier release of {app} can be rolled back to ({seen})",
            "name one with --to-release vNN, or deploy a known-good image instead",
        )


class TargetNotEligibleError(DeliveryRefusedError):
    """The release named by --to-release cannot be rolled back to."""

    def __init__(self, app: str, release: str, why: str) -> None:
        super().__init__(
            f"{release} of {app} cannot be rolled back to: {why}",
            "pick a release that succeeded and is eligible (heroku releases -a APP),"
            " or deploy its image again from your registry",
        )


class BadReleaseNameError(DeliveryRefusedError):
    """--to-release is not vNN."""

    def __init__(self, text: str) -> None:
        super().__init__(f"--to-release {text!r} is not a release version", "write it as v42")
