"""The OpenAPI document is valid, and documents every answer each operation can give."""

import base64
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from app.pagination import CURSOR_PATTERN, MAX_ID, decode_cursor, encode_cursor
from tests.conftest import sqlite_only
from tests.helpers import get_json

WRITES = {"post", "put", "patch", "delete"}
PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    spec: dict[str, Any] = get_json(client, "/api/v1/openapi.json")
    return spec


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, path_item in document["paths"].items()
        for method, operation in path_item.items()
    ]


@sqlite_only
def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)


@sqlite_only
def test_every_operation_documents_its_error_answers_as_problems(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        answers = operation["responses"]
        parameters = operation.get("parameters", [])
        headers = {parameter["name"] for parameter in parameters if parameter["in"] == "header"}
        expected: set[str] = set()
        if parameters or "requestBody" in operation:
            expected.add("422")
        if "{" in path:
            expected.add("404")
        if method in WRITES:
            expected |= {"401", "403"}
            assert operation["security"] == [{"bearer": []}], (method, path)
        if "If-Match" in headers:
            expected.add("412")
        if "If-None-Match" in headers:
            expected.add("304")

        assert expected <= set(answers), (method, path, sorted(answers))
        for status, answer in answers.items():
            if status.startswith("4"):
                assert answer["content"] == {"application/problem+json": {"schema": PROBLEM_SCHEMA}}, (
                    method,
                    path,
                    status,
                )


@sqlite_only
def test_only_writes_answer_401_403_409_412_428(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        if method not in WRITES and path != "/api/v1/audit":  # the audit log is for editors
            assert not {"401", "403", "409", "412", "428"} & set(operation["responses"]), (method, path)


@sqlite_only
def test_the_problem_schema_has_the_fields_errors_carry(document: dict[str, Any]) -> None:
    problem = document["components"]["schemas"]["Problem"]

    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert {"errors", "current_version"} <= set(problem["properties"])
    assert "HTTPValidationError" not in document["components"]["schemas"]


@sqlite_only
def test_writes_that_need_if_match_declare_it_required(document: dict[str, Any]) -> None:
    declared = {
        (method, path): parameter["required"]
        for path, method, operation in operations(document)
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "If-Match"
    }

    assert declared == {
        ("patch", "/api/v1/claims/{claim_id}"): True,
        ("delete", "/api/v1/claims/{claim_id}"): True,
        ("post", "/api/v1/claims/{claim_id}/restore"): False,
        ("patch", "/api/v1/actors/{slug}"): True,
        ("delete", "/api/v1/actors/{slug}"): True,
        ("patch", "/api/v1/sources/{source_id}"): True,
        ("patch", "/api/v1/attributions/{attribution_id}"): True,
        ("delete", "/api/v1/attributions/{attribution_id}"): True,
        ("post", "/api/v1/attributions/{attribution_id}/restore"): False,
        ("post", "/api/v1/claims/{claim_id}/status"): True,
    }
    for path, method, operation in operations(document):
        if declared.get((method, path)):
            assert "428" in operation["responses"], (method, path)


@sqlite_only
def test_success_answers_are_as_served(document: dict[str, Any]) -> None:
    paths = document["paths"]

    assert set(paths["/api/v1/claims"]["post"]["responses"]["201"]["headers"]) == {"Location", "ETag"}
    assert "content" not in paths["/api/v1/claims/{claim_id}"]["delete"]["responses"]["204"]
    not_modified = paths["/api/v1/claims/{claim_id}"]["get"]["responses"]["304"]
    assert "content" not in not_modified
    assert set(not_modified["headers"]) == {"ETag"}
    # Pages are not documented; the Atom feeds, read by programs, are.
    assert [
        path for path in paths if not path.startswith(("/api/v1/", "/healthz")) and ".atom" not in path
    ] == []


@sqlite_only
def test_the_formats_are_documented_with_their_media_types(document: dict[str, Any]) -> None:
    media_types = {
        path: list(document["paths"][path]["get"]["responses"]["200"]["content"])
        for path in document["paths"]
        if path.endswith(("claimreview", ".atom"))
    }

    assert media_types == {
        "/api/v1/claims/{claim_id}/claimreview": ["application/ld+json"],
        "/api/v1/claimreview": ["application/ld+json"],
        "/claims.atom": ["application/atom+xml"],
        "/claims/{claim_id}/feed.atom": ["application/atom+xml"],
        "/actors/{slug}/feed.atom": ["application/atom+xml"],
    }
    review = document["paths"]["/api/v1/claims/{claim_id}/claimreview"]["get"]["responses"]
    assert review["200"]["content"]["application/ld+json"]["schema"] == {
        "$ref": "#/components/schemas/ClaimReview"
    }
    assert {"404", "410"} <= set(review)
    assert {"404", "410"} <= set(document["paths"]["/claims/{claim_id}/feed.atom"]["get"]["responses"])


def test_every_cursor_a_page_hands_out_matches_the_documented_pattern() -> None:
    for after in [0, 1, 9, 10, 99, 100, 12_345, 999_999_999, 1_000_000_000, MAX_ID]:
        cursor = encode_cursor(after)

        assert re.fullmatch(CURSOR_PATTERN, cursor), cursor
        assert decode_cursor(cursor) == after


def test_every_string_the_pattern_allows_is_a_cursor() -> None:
    """The pattern is exact: no string it allows is refused (the digits may be any of 1 to 10)."""
    for digits in ["0", "007", "1234567890", "9999999999", "42"]:
        cursor = base64.urlsafe_b64encode(b'{"after":' + digits.encode() + b"}")
        text = cursor.decode().rstrip("=")

        assert re.fullmatch(CURSOR_PATTERN, text), digits
        assert decode_cursor(text) == min(int(digits), MAX_ID)
    for refused in ["x", "eyJhZnRlciI6MX0=", encode_cursor(1)[:-1], "eyJhZnRlciI6OTk5OTk5OTk5OTk5OTk5fQ"]:
        assert not re.fullmatch(CURSOR_PATTERN, refused), refused


def string_pattern(schema: dict[str, Any]) -> str | None:
    """The pattern of a string parameter's schema, which may allow null beside it."""
    branches = schema.get("anyOf", [schema])
    patterns: set[str | None] = {
        branch.get("pattern") for branch in branches if branch.get("type") == "string"
    }
    (pattern,) = patterns
    return pattern


@sqlite_only
def test_every_page_cursor_parameter_carries_the_pattern(document: dict[str, Any]) -> None:
    cursors = [
        (method, path, string_pattern(parameter["schema"]))
        for path, method, operation in operations(document)
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "cursor" and path != "/api/v1/search"  # search pages carry a position
    ]

    assert cursors
    assert {pattern for _method, _path, pattern in cursors} == {CURSOR_PATTERN}
