"""Input at the edges of what JSON, the columns and the calendar hold: a 422 that names the field, or an
answer; never a 500, and never an error answer that cannot itself be written.

- JSON bodies may carry numbers JSON cannot write back (`NaN`, `Infinity`, `1e400`) and "\\ud800"
  escapes (lone surrogates: not Unicode, and no UTF-8 encodes them); the 422 echoes them as text.
- Integers beyond a column's range (2**31 on PostgreSQL's ids, 2**63 on SQLite's) are refused before
  they reach the database, in a body, a path, a query or a form.
- Dates at the ends of the calendar are valid bounds.
"""

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.service import record
from app.models import Attribution, AuditEntry, Claim, ClaimRelation, ReportingStep
from app.vocabulary import Role
from tests.conftest import Accounts
from tests.helpers import one, parse, row_counts, text

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


# ---- integers beyond a column's range ---------------------------------------------------------------------

# 2**31 is beyond PostgreSQL's integer columns, 2**63 beyond SQLite's (and PostgreSQL's bigint).
BEYOND = [2**31, 2**63]

ID_BODIES = [
    (
        "POST",
        "/api/v1/attributions",
        '{"claim_id": 1, "actor": %d, "source_id": 1, "stance": "asserted", "quote": "q"}',
        "actor",
    ),
    (
        "POST",
        "/api/v1/attributions",
        '{"claim_id": 1, "actor": "kuleba", "source_id": 1, "stance": "asserted", '
        '"quote": "q", "via": [{"actor": %d}]}',
        "via.0.actor",
    ),
    ("PATCH", "/api/v1/attributions/1", '{"via": [{"actor": "reuters"}, {"actor": %d}]}', "via.1.actor"),
    ("PATCH", "/api/v1/attributions/1", '{"claim_id": %d}', "claim_id"),
    (
        "POST",
        "/api/v1/attributions",
        '{"claim_id": 1, "actor": "kuleba", "source_id": %d, "stance": "asserted", "quote": "q"}',
        "source_id",
    ),
    (
        "POST",
        "/api/v1/claims",
        '{"text": "t", "related": [{"claim_id": %d, "kind": "supports"}]}',
        "related.0.claim_id",
    ),
    (
        "POST",
        "/api/v1/claims/1/status",
        '{"status": "false", "rationale": "r", "evidence": [{"source_id": %d}]}',
        "evidence.0.source_id",
    ),
]


@pytest.mark.parametrize("number", BEYOND)
@pytest.mark.parametrize(("method", "url", "body", "field"), ID_BODIES)
def test_an_id_beyond_the_columns_in_a_body_is_refused_by_name(
    client_and_session: Client, accounts: Accounts, method: str, url: str, body: str, field: str, number: int
) -> None:
    client, session = client_and_session
    headers = {**accounts.token_headers(Role.ADMIN), "If-Match": '"1"'}
    before = row_counts(session, *WRITTEN)

    problem = problem_of(client, method, url, body % number, headers)

    assert problem["errors"] == [
        {"field": field, "message": "Input should be less than or equal to 2147483647", "input": number}
    ]
    assert row_counts(session, *WRITTEN) == before


@pytest.mark.parametrize("number", BEYOND)
@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/claims/%d", "claim_id"),
        ("/api/v1/attributions/%d", "attribution_id"),
        ("/api/v1/claims?source=%d", "source"),
        ("/api/v1/attributions?claim=%d", "claim"),
        ("/api/v1/attributions?actor_id=%d", "actor_id"),
        ("/api/v1/search?q=war&source=%d", "source"),
    ],
)
def test_an_id_beyond_the_columns_in_an_address_is_refused_by_name(
    client: TestClient, url: str, field: str, number: int
) -> None:
    response = client.get(url % number)

    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_an_id_beyond_the_columns_in_a_path_of_a_write_is_refused_by_name(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session
    headers = {**accounts.token_headers(Role.EDITOR), "If-Match": '"1"'}

    problem = problem_of(client, "PATCH", f"/api/v1/attributions/{2**31}", '{"note": "n"}', headers)

    assert [error["field"] for error in problem["errors"]] == ["attribution_id"]


@pytest.mark.parametrize("number", BEYOND)
@pytest.mark.parametrize("field", ["occurrence", "version"])
def test_a_number_beyond_the_columns_in_a_form_is_refused_by_name(
    accounts: Accounts, field: str, number: int
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    form = {"csrf_token": csrf, "quote": "q", "actor": "kuleba", "claim": "1", "stance": "asserted"}

    response = accounts.client.post("/attributions/1/edit", data={**form, field: str(number)})

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert text(one(parse(response.text), "p.error-detail")).startswith(f"{field}: ")


@pytest.mark.parametrize("query", [f"claim={2**63}", f"start={2**63}&end={2**63 + 1}", f"part={2**63}"])
def test_a_number_beyond_the_columns_in_a_page_address_is_refused(accounts: Accounts, query: str) -> None:
    accounts.sign_in(Role.EDITOR)

    response = accounts.client.get(f"/sources/1/attributions/new?{query}")

    assert response.status_code == 422, response.text
    assert text(one(parse(response.text), "p.error-detail")).startswith(query.split("=")[0] + ": ")


@pytest.mark.parametrize("limit", [str(2**63), "1" * 5000])
def test_a_huge_limit_is_refused_by_name(client: TestClient, limit: str) -> None:
    response = client.get(f"/api/v1/claims?limit={limit}")

    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["limit"]


# ---- digits that int() refuses ----------------------------------------------------------------------------

# '²' is a digit to str.isdigit() but not to int(); int() parses no more than 4,300 digits from text, and
# 300 are more than any column holds.
NOT_NUMBERS = ["²", "1" * 300]


@pytest.mark.parametrize("typed", NOT_NUMBERS)
@pytest.mark.parametrize("path", ["/", "/search?q=war&"])
def test_a_source_filter_of_digits_no_number_has_is_taken_as_words(
    accounts: Accounts, path: str, typed: str
) -> None:
    response = accounts.client.get(path + ("?" if path == "/" else "") + f"source={typed}")

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_a_quote_position_of_digits_no_number_has_is_named(accounts: Accounts, typed: str) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    form = {"csrf_token": csrf, "quote": "q", "actor": "kuleba", "claim": "1", "stance": "asserted"}

    response = accounts.client.post(
        "/sources/1/attributions/new", data={**form, "quote_start": typed, "quote_end": "3"}
    )

    assert response.status_code == 422, response.text
    assert (
        text(one(parse(response.text), ".form-error"))
        == f"Quote start: “{typed}” is not a character position."
    )


def test_a_related_claims_choice_numbered_with_digits_no_number_has_is_ignored(
    accounts: Accounts,
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)

    response = accounts.client.post(
        "/claims/new",
        data={"csrf_token": csrf, "text": "A claim of the edges.", "related_choice_²": "1"},
        follow_redirects=False,
    )

    assert response.status_code == 303, response.text


@pytest.mark.parametrize("typed", [*NOT_NUMBERS, "1" * 5000])
def test_an_evidence_source_of_digits_no_number_has_is_named(accounts: Accounts, typed: str) -> None:
    csrf = accounts.sign_in(Role.FACT_CHECKER)
    version = str(accounts.client.get("/api/v1/claims/1").json()["version"])
    form = {
        "csrf_token": csrf,
        "status": "false",
        "rationale": "Because.",
        "evidence_source": typed,
        "version": version,
    }

    response = accounts.client.post("/claims/1/status", data=form)

    assert response.status_code == 422, response.text
    assert text(one(parse(response.text), "#status-form-sources-error")) == f"'{typed}' is not a source id."


# ---- the ends of the calendar ------------------------------------------------------------------------------


def test_the_last_day_of_the_calendar_is_an_upper_bound_of_the_audit_log(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.ADMIN)
    entry = record(session, user_name="cora", action="update", row=session.get_one(Claim, 1))
    entry.at = datetime(2026, 5, 1, 12, tzinfo=UTC)
    session.flush()

    for query in ("to=9999-12-31", "from=0001-01-01", "from=0001-01-01&to=9999-12-31", "from=2026-05-01"):
        response = client.get(f"/api/v1/audit?user=cora&{query}", headers=headers)
        assert response.status_code == 200, response.text
        assert [item["id"] for item in response.json()["items"]] == [entry.id]
    response = client.get("/api/v1/audit?user=cora&from=9999-12-31", headers=headers)
    assert response.json()["items"] == []


def test_the_last_day_of_the_calendar_is_an_upper_bound_of_the_audit_page(accounts: Accounts) -> None:
    accounts.sign_in(Role.EDITOR)

    response = accounts.client.get("/audit?to=9999-12-31")

    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims?date_from=0001-01-01&date_to=9999-12-31",
        "/api/v1/search?q=war&date_from=0001-01-01&date_to=9999-12-31",
    ],
)
def test_the_ends_of_the_calendar_are_bounds_of_the_publication_date(client: TestClient, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 200, response.text
    assert response.json()["items"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_source_published_at_an_end_of_the_calendar_is_stored(
    client_and_session: Client, accounts: Accounts, day: str
) -> None:
    client, _session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    body = {"title": "At the edge", "text": f"A text published on {day}.", "published_on": day}

    created = client.post("/api/v1/sources", json=body, headers=headers)

    assert created.status_code == 201, created.text
    assert client.get(f"/api/v1/sources/{created.json()['id']}").json()["published_on"] == day


def moment_cursor(moment: str, item_id: int) -> str:
    """A cursor of the lists ordered by a moment, encoded as the app encodes them."""
    payload = json.dumps({"before": [moment, item_id]}).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_cursor_at_a_moment_beyond_the_calendar_in_utc_is_refused(accounts: Accounts, moment: str) -> None:
    accounts.sign_in(Role.ADMIN)

    response = accounts.client.get(f"/admin/deleted?claims_cursor={moment_cursor(moment, 1)}")

    assert response.status_code == 422, response.text
    assert text(one(parse(response.text), "p.error-detail")) == (
        "The cursor is not valid: pass the next_cursor of a previous page unchanged."
    )


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-00:00"])
def test_a_cursor_at_an_end_of_the_calendar_is_a_page(accounts: Accounts, moment: str) -> None:
    accounts.sign_in(Role.ADMIN)

    response = accounts.client.get(f"/admin/deleted?statements_cursor={moment_cursor(moment, 1)}")

    assert response.status_code == 200, response.text
