"""Input at the edges of what JSON, the columns and the calendar hold: a 422 that names the field, or an
answer; never a 500, and never an error answer that cannot itself be written.

- JSON bodies may carry numbers JSON cannot write back (`NaN`, `Infinity`, `1e400`) and "\\ud800"
  escapes (lone surrogates: not Unicode, and no UTF-8 encodes them); the 422 echoes them as text.
- Integers beyond a column's range (2**31 on PostgreSQL's ids, 2**63 on SQLite's) are refused before
  they reach the database, in a body, a path, a query or a form.
- Dates at the ends of the calendar are valid bounds.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Attribution, AuditEntry, Claim, ClaimRelation, ReportingStep
from app.vocabulary import Role
from tests.conftest import Accounts
from tests.helpers import row_counts

Client = tuple[TestClient, Session]

WRITTEN = (Claim, ClaimRelation, Attribution, ReportingStep, AuditEntry)


def problem_of(
    client: TestClient, method: str, url: str, body: str, headers: dict[str, str], status: int = 422
) -> dict[str, Any]:
    """The problem+json answer to a request with this raw JSON body, checked to carry `status`."""
    response = client.request(
        method, url, content=body.encode(), headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    return problem


def writer(accounts: Accounts) -> dict[str, str]:
    return {**accounts.token_headers(Role.EDITOR), "If-Match": '"1"'}


# ---- values the 422 echoes, which JSON cannot write as they are -----------------------------------------

NEW_STATEMENT = '"actor": "kuleba", "source_id": 1, "stance": "asserted", "quote": "q"'

NON_FINITE = [("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"), ("1e400", "Infinity")]

NUMBER_BODIES = [
    ("POST", "/api/v1/attributions", '{"claim_id": %s, ' + NEW_STATEMENT + "}", "claim_id"),
    ("PATCH", "/api/v1/attributions/1", '{"quote_start": %s}', "quote_start"),
    ("POST", "/api/v1/claims", '{"text": "t", "related": [{"claim_id": %s, "kind": "supports"}]}', None),
    ("PATCH", "/api/v1/claims/1", '{"related": [{"claim_id": %s, "kind": "supports"}]}', None),
]


@pytest.mark.parametrize(("number", "echoed"), NON_FINITE)
@pytest.mark.parametrize(("method", "url", "body", "field"), NUMBER_BODIES)
def test_a_number_json_cannot_write_is_named_and_echoed_as_text(
    client_and_session: Client,
    accounts: Accounts,
    method: str,
    url: str,
    body: str,
    field: str | None,
    number: str,
    echoed: str,
) -> None:
    client, session = client_and_session
    field = field or "related.0.claim_id"
    headers = writer(accounts)
    before = row_counts(session, *WRITTEN)

    problem = problem_of(client, method, url, body % number, headers)

    assert problem["errors"] == [
        {"field": field, "message": "Input should be a finite number", "input": echoed}
    ]
    assert problem["detail"] == f"{field}: Input should be a finite number"
    assert row_counts(session, *WRITTEN) == before


def test_a_non_finite_number_where_text_is_expected_is_echoed_as_text(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session

    problem = problem_of(client, "POST", "/api/v1/claims", '{"text": NaN}', writer(accounts))

    assert problem["errors"] == [
        {"field": "text", "message": "Input should be a valid string", "input": "NaN"}
    ]


SURROGATE = (
    "contains a lone surrogate (an escape from \\ud800 to \\udfff without its pair): it is not Unicode "
    "text, and cannot be stored. Send the character itself, or both halves of its surrogate pair."
)

SURROGATE_BODIES = [
    ("POST", "/api/v1/claims", '{"text": "a \\ud800 b"}', "text"),
    ("PATCH", "/api/v1/claims/1", '{"text": "a \\ud800 b"}', "text"),
    (
        "POST",
        "/api/v1/attributions",
        '{"claim_id": 1, "actor": "kuleba", "source_id": 1, "stance": "asserted", "quote": "a \\ud800 b"}',
        "quote",
    ),
    ("PATCH", "/api/v1/attributions/1", '{"quote": "a \\ud800 b", "occurrence": 1}', "quote"),
    ("PATCH", "/api/v1/attributions/1", '{"note": "a \\ud800 b"}', "note"),
    ("PATCH", "/api/v1/attributions/1", '{"via": [{"actor": "a \\ud800 b"}]}', "via.0.actor"),
]


@pytest.mark.parametrize(("method", "url", "body", "field"), SURROGATE_BODIES)
def test_a_lone_surrogate_in_text_is_refused_by_name(
    client_and_session: Client, accounts: Accounts, method: str, url: str, body: str, field: str
) -> None:
    client, session = client_and_session
    headers = writer(accounts)
    before = row_counts(session, *WRITTEN)

    problem = problem_of(client, method, url, body, headers)

    # Echoed as the escape that was sent, which UTF-8 can carry.
    assert problem["errors"] == [{"field": field, "message": SURROGATE, "input": "a \\ud800 b"}]
    assert problem["detail"] == f"{field}: {SURROGATE}"
    assert row_counts(session, *WRITTEN) == before


def test_a_lone_surrogate_in_a_field_name_is_refused_as_the_body(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session

    problem = problem_of(client, "POST", "/api/v1/claims", '{"text": "t", "\\udfff": 1}', writer(accounts))

    assert problem["errors"] == [{"field": "body", "message": SURROGATE, "input": "\\udfff"}]
