"""The one base of the errors a person acts on: what happened, and what to do next."""

from __future__ import annotations


class ActionableError(Exception):
    """An error rendered as one line, "what happened. what to do" (the second part optional).

    The service's schema and data errors and the pipeline's integration errors derive
    from it, so every front door (CLI, workflow log, report) shows them the same way.
    """

    what_to_do: str = ""

    def __init__(self, what_happened: str, what_to_do: str = "") -> None:
        self.what_happened = what_happened
        self.what_to_do = what_to_do or type(self).what_to_do
        super().__init__(
            f"{what_happened}. {self.what_to_do}" if self.what_to_do else what_happened
        )
