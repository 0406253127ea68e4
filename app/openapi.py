"""The OpenAPI document tells every answer an operation can give, not only its success.

FastAPI documents the success and a 422 in its own shape. Every other answer comes from rules that hold
for the whole API, applied here in one place to the generated document: what a write needs (a token,
the role, If-Match), what a path id can miss (404), what a parameter or body can get wrong (422), all as
`application/problem+json` with one Problem schema.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field

from app.web import ETAG_PATTERN, IF_MATCH

PROBLEM = "application/problem+json"
WRITES = ("post", "put", "patch", "delete")


class FieldError(BaseModel):
    field: str = Field(description="The parameter or body field, dotted (`via.0.actor`), or `body`.")
    message: str
    input: Any = Field(default=None, description="What was sent.")
    allowed: list[str] | None = Field(default=None, description="The values allowed, for a choice.")


class Problem(BaseModel):
    """An error (RFC 9457): what was wrong, and what to do."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = Field(description="Always `about:blank`: the status says what kind of error it is.")
    title: str
    status: int
    detail: str = Field(description="What was wrong and what to do, in words.")
    errors: list[FieldError] | None = Field(default=None, description="422: each wrong field.")
    current_version: int | None = Field(
        default=None, description="412 (and 428): the item's current version; its ETag is that in quotes."
    )


def conflict(description: str) -> dict[int | str, dict[str, Any]]:
    """The 409 of a write, saying when it happens (pass as a route's `responses`)."""
    return {409: {"description": description}}


STANDARD_ANSWERS = {
    400: "The body could not be read: it is not JSON in UTF-8.",
    401: "No API token (`Authorization: Bearer ...`), or one that is not valid.",
    403: "The token's user does not have the role this needs (or a browser session wrote).",
    404: "Nothing has this id.",
    410: "It was deleted; an administrator can restore it.",
    412: "It was changed meanwhile (or If-Match was weak): `current_version` says its version now.",
    422: "A parameter or the body is not valid: `errors` names each wrong field.",
    428: "No If-Match header: send the ETag you read.",
}
ETAG_HEADER = {"ETag": {"description": "The item's version, for If-Match.", "schema": {"type": "string"}}}
LOCATION_HEADER = {"Location": {"description": "The new item's URL.", "schema": {"type": "string"}}}


def _problem_answer(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _document_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    answers: dict[str, Any] = operation.setdefault("responses", {})
    parameters: list[dict[str, Any]] = operation.get("parameters", [])
    headers = {
        parameter["name"].lower(): parameter for parameter in parameters if parameter["in"] == "header"
    }
    statuses: set[int] = set()
    if parameters or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation:
        statuses.add(400)
    if any(parameter["in"] == "path" for parameter in parameters):
        statuses.add(404)
        if path.startswith(("/api/v1/claims/", "/api/v1/attributions/")):
            statuses.add(410)
    if method in WRITES or "security" in operation:
        statuses |= {401, 403}
        operation.setdefault("security", [{"bearer": []}])
    # FastAPI says "string or null"; a header is a string, or absent. Any If-None-Match is read (one that
    # names no current ETag gets the item), so only If-Match has a pattern.
    if "if-match" in headers:
        headers["if-match"]["schema"] = {"type": "string", "pattern": ETAG_PATTERN}
    if "if-none-match" in headers:
        headers["if-none-match"]["schema"] = {"type": "string"}
    if "if-match" in headers:
        statuses.add(412)
        if headers["if-match"].get("description") == IF_MATCH:
            headers["if-match"]["required"] = True
            statuses.add(428)
    for status, answer in answers.items():
        if (
            status.startswith("2")
            and status != "204"
            and ("if-match" in headers or "if-none-match" in headers)
        ):
            answer.setdefault("headers", {}).update(ETAG_HEADER)
        if status == "201":
            answer.setdefault("headers", {}).update(LOCATION_HEADER | ETAG_HEADER)
    if "if-none-match" in headers:
        answers["304"] = {"description": "Not modified: the ETag sent is current.", "headers": ETAG_HEADER}
    for code in sorted(statuses):
        answers.setdefault(str(code), {"description": STANDARD_ANSWERS[code]})
    for status, answer in answers.items():
        if status.startswith("4"):
            description = answer.get("description")
            if not description or description == "Validation Error":  # FastAPI's words for any 422
                description = STANDARD_ANSWERS[int(status)]
            answers[status] = _problem_answer(description)
    operation["responses"] = dict(sorted(answers.items()))


def document(app: FastAPI) -> dict[str, Any]:
    """The API's OpenAPI document, with every operation's answers."""
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.update(Problem.model_json_schema(ref_template="#/components/schemas/{model}").pop("$defs", {}))
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas["Problem"].pop("$defs", None)
    # FastAPI's own error shapes are never answered: every error is a Problem.
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    components["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "An API token, from your account page."}
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            _document_operation(path, method, operation)
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve `document` as the app's OpenAPI document, built once, on its first request."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend its schema
