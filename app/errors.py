"""Domain errors, and how they reach a user: problem+json under /api, an error page elsewhere."""

from typing import Any


class AppError(Exception):
    """An error a user can act on: `message` says what was wrong and what to do."""

    status_code = 400
    title = "Bad request"
    headers: dict[str, str] = {}  # noqa: RUF012 - a class-level default, never mutated

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(AppError):
    status_code = 404
    title = "Not found"


class Conflict(AppError):
    status_code = 409
    title = "Conflict"


class Forbidden(AppError):
    status_code = 403
    title = "Forbidden"


class InvalidInput(AppError):
    status_code = 422
    title = "Invalid input"


class InvalidQuote(InvalidInput):
    title = "Quote does not match its source"


class Gone(AppError):
    """The thing existed and was deleted; the page that linked it still gets an answer."""

    status_code = 410
    title = "Deleted"


class PreconditionRequired(AppError):
    status_code = 428
    title = "Precondition required"


class PreconditionFailed(AppError):
    status_code = 412
    title = "Changed meanwhile"


def changed_since_form(what: str, current_version: int, based_on: int) -> PreconditionFailed:
    """A form was filled in against an older version of `what` ("claim 3") than the current one."""
    return PreconditionFailed(
        f"Not done: {what} was changed after you opened the form (you read version {based_on}; "
        f"it is now at version {current_version}). Open it again to see the change, then decide.",
        details={"current_version": current_version},
    )


class ServiceUnavailable(AppError):
    """The request could not be served now, and may be later: the database is busy or unreachable.

    Nothing was changed; `retry_after` (seconds) becomes the Retry-After header.
    """

    status_code = 503
    title = "Temporarily unavailable"

    def __init__(self, message: str, *, retry_after: int, details: dict[str, Any] | None = None) -> None:
        super().__init__(message, details={**(details or {}), "retry_after": retry_after})
