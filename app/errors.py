"""Domain errors, and how they reach a user: problem+json under /api, an error page elsewhere."""

import logging
import math
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from fastapi import FastAPI

logger = logging.getLogger("claimtrack")


class AppError(Exception):
    """An error a user can act on: `message` says what was wrong and what to do."""

    status_code = 400
    title = "Bad request"
    headers: dict[str, str] = {}  # noqa: RUF012 - a class-level default, never mutated
    sign_in_first: ClassVar[bool] = False
    """A page answers it by sending the reader to the sign-in form (a GET), then back."""

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


# How errors reach a user


LONE_SURROGATE = (
    "contains a lone surrogate (an escape from \\ud800 to \\udfff without its pair): it is not Unicode "
    "text, and cannot be stored. Send the character itself, or both halves of its surrogate pair."
)


def _validation_message(error: dict[str, Any]) -> dict[str, Any]:
    if error["type"] == "json_invalid":
        # FastAPI reports where the JSON broke as the location; say it in words instead.
        position = error["loc"][-1]
        reason = (error.get("ctx") or {}).get("error", "JSON decode error")
        return {"field": "body", "message": f"not valid JSON: {reason} at character {position}"}
    location = [str(part) for part in error["loc"] if part not in ("query", "path", "body")]
    # A body that is not an object (or whose keys cannot be read) is named as the body.
    field = ".".join(location) or ("body" if error["loc"][:1] == ("body",) else "request")
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "string_unicode":
        # A "\ud800" escape in JSON without its pair: a lone surrogate, which no UTF-8 text can hold.
        message = LONE_SURROGATE
    entry: dict[str, Any] = {"field": field, "message": message, "input": error.get("input")}
    expected = (error.get("ctx") or {}).get("expected")
    if error["type"] == "enum" and expected:
        entry["allowed"] = [value.strip().strip("'") for value in expected.replace(" or ", ", ").split(",")]
    return entry


def install_error_handlers(app: "FastAPI") -> None:
    """Answer every error in one shape: problem+json under /api, an error page elsewhere."""
    # Imported here, not with the module: the command line raises these errors without a web server.
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse, RedirectResponse, Response
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeoutError
    from sqlalchemy.orm.exc import StaleDataError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from app.db import WriteGate, unavailable
    from app.methods import allowed_methods
    from app.urls import path_for
    from app.web import current_version_of_changed, page_authentication, render

    def _wants_json(request: Request) -> bool:
        path = request.url.path
        # The feeds are read by programs too: their errors are problems, as the API's are.
        return path.startswith("/api/") or path in ("/livez", "/healthz") or path.endswith(".atom")

    def problem(
        status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
    ) -> JSONResponse:
        return JSONResponse(
            json_safe({"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}),
            status_code=status,
            media_type="application/problem+json",
            headers=headers,
        )

    def _error_page(
        request: Request, status: int, title: str, detail: str, details: dict[str, Any] | None = None
    ) -> Response:
        template = "errors/404.html" if status == 404 else "errors/error.html"
        context = {
            "status": status,
            "title": title,
            "detail": json_safe(detail),
            "details": json_safe(details or {}),
        }
        return render(request, template, context, status_code=status)

    @app.exception_handler(AppError)
    def app_error(request: Request, error: AppError) -> Response:
        headers = dict(error.headers)
        if "retry_after" in error.details:
            headers["Retry-After"] = str(error.details["retry_after"])
        if _wants_json(request):
            return problem(error.status_code, error.title, error.message, headers, **error.details)
        # Only a missing sign-in is sent to the sign-in form: a refused API token would be sent
        # again with the form's own request, and refused there again, for ever.
        if error.sign_in_first and request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(path_for(request, "login_page", query={"next": target}), status_code=303)
        if error.status_code == 401 and "authorization" not in request.headers:
            headers["WWW-Authenticate"] = page_authentication(request)
        response = _error_page(request, error.status_code, error.title, error.message, error.details)
        response.headers.update(headers)
        return response

    @app.exception_handler(StaleDataError)
    def stale(request: Request, error: StaleDataError) -> Response:
        # Two writers read the same version; the other one committed first. Nothing of ours was kept.
        detail = (
            "Someone else changed this meanwhile, and your change was not saved. Reload, then re-apply it."
        )
        current_version = current_version_of_changed(request)
        details: dict[str, Any] = {} if current_version is None else {"current_version": current_version}
        if _wants_json(request):
            return problem(412, "Changed meanwhile", detail, **details)
        return _error_page(request, 412, "Changed meanwhile", detail, details)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError) -> Response:
        errors = [_validation_message(dict(e)) for e in error.errors()]
        detail = "; ".join(
            f"{e['field']}: {e['message']}"
            + (f" (allowed: {', '.join(e['allowed'])})" if "allowed" in e else "")
            for e in errors
        )
        if _wants_json(request):
            return problem(422, "Invalid request", detail, errors=errors)
        return _error_page(request, 422, "Invalid request", detail)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> Response:
        detail = f"Nothing is at {request.url.path}." if error.status_code == 404 else str(error.detail)
        if error.status_code == 400 and detail == "There was an error parsing the body":
            # FastAPI's words when the body is not even text (invalid UTF-8), or a form cannot be parsed.
            detail = (
                "The request body could not be read: send JSON encoded as UTF-8 "
                "(Content-Type: application/json), or a form as the page sends it."
            )
        title = "Not found" if error.status_code == 404 else "Request failed"
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app.router.routes, request.scope))
            title, detail = "Method not allowed", f"{request.url.path} answers {headers['Allow']}."
        if _wants_json(request):
            return problem(error.status_code, title, detail, headers)
        response = _error_page(request, error.status_code, title, detail)
        response.headers.update(headers)
        return response

    @app.exception_handler(Exception)
    def unexpected(request: Request, error: Exception) -> Response:
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        detail = "Something went wrong on our side; nothing was changed. Try again, or report it."
        if _wants_json(request):
            return problem(500, "Internal error", detail)
        return _error_page(request, 500, "Internal error", detail)

    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeoutError)
    def database_error(request: Request, error: Exception) -> Response:
        # A database that is busy (SQLite's write lock, no free connection) or unreachable is a 503
        # that says when to try again; any other database error is ours, a 500.
        gate: WriteGate = request.app.state.write_gate
        refusal = unavailable(error, busy_retry_after=gate.retry_after)
        if refusal is None:
            return unexpected(request, error)
        logger.warning("%s %s: %s", request.method, request.url.path, error)
        return app_error(request, refusal)


def json_safe(value: Any) -> Any:
    """What an error answer echoes, made writable as JSON in UTF-8, whatever the request held.

    A JSON body may carry `NaN`, `Infinity` or `1e400` (Python's parser reads them as floats JSON
    cannot write back: they are echoed as the text that was sent), and "\\ud800" escapes (lone
    surrogates, which UTF-8 cannot encode: echoed as that escape); any other value as its repr.
    """
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {json_safe(str(key)): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return json_safe(repr(value))
