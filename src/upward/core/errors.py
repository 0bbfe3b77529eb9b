"""Domain errors: a stable code for programs, a sentence for people.

Services raise these; the API turns them into a 4xx JSON body in one place
(`upward.api`) and pages turn them into form errors, so no door invents its
own wording.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks a business rule. `field` names the input at fault, if any."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The user is known but may not do this (HTTP 403)."""

    status = 403

    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__("not_allowed", message)


class Conflict(DomainError):
    """The request is valid but the record's state refuses it (HTTP 409)."""

    status = 409
