"""The delivery tests' stage (the Heroku stand-in, the app's dynos) for the delivery verbs."""

from tests.integration.semaine.delivery.conftest import stage, stage_on

__all__ = ["stage", "stage_on"]
