"""A form whose bytes are not UTF-8 is refused by name on every route, and nothing is written.

Before, Starlette's lenient decoding stored `Caf%E9` as "Caf\\ufffd" on most forms, and raw UTF-8
bytes in a urlencoded body as mojibake ("CafÃ©"), without a word.
"""

import re
from typing import Any

import pytest
from fastapi import params
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import (
    Actor,
    ActorAlias,
    ApiToken,
    Attribution,
    AuditEntry,
    Claim,
    LoginSession,
    Source,
    StatusChange,
    User,
)
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import one, parse, row_counts, text

pytestmark = sqlite_only

WRITTEN = (
    Actor,
    ActorAlias,
    ApiToken,
    Attribution,
    AuditEntry,
    Claim,
    LoginSession,
    Source,
    StatusChange,
    User,
)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def db(client_and_session: tuple[TestClient, Session]) -> Session:
    return client_and_session[1]


@pytest.fixture
def client(client_and_session: tuple[TestClient, Session]) -> TestClient:
    return client_and_session[0]


def _field_names(route: APIRoute) -> list[str]:
    """The form fields a route reads, in order (a form model's own fields for a model)."""
    names: list[str] = []
    for param in route.dependant.body_params:
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.extend(annotation.model_fields)
        else:
            names.append(param.alias)
    return names


def form_routes() -> list[tuple[str, str, str]]:
    """Every (method, path) of the application that takes a form, with the first field it reads."""
    routes = []
    for context in iter_route_contexts(create_app().routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or route.body_field is None:
            continue
        if not isinstance(route.body_field.field_info, params.Form):
            continue
        fields = [name for name in _field_names(route) if name != "csrf_token"]
        for method in sorted(context.methods or ()):
            routes.append((method, str(context.path_format), fields[0] if fields else "csrf_token"))
    return routes


def test_every_form_refuses_bytes_that_are_not_utf8(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    csrf = accounts.sign_in(Role.ADMIN)
    routes = form_routes()
    paths = {path for _method, path, _field in routes}
    # The enumeration itself works: every kind of form is in it.
    assert {
        "/claims/new",
        "/claims/{claim_id}/edit",
        "/claims/{claim_id}/status",
        "/sources/{source_id}/attributions/new",
        "/attributions/{attribution_id}/edit",
        "/actors",
        "/actors/{slug}/edit",
        "/sources",
        "/sources/{source_id}/edit",
        "/login",
    } <= paths, paths
    assert len(routes) >= 20
    before = row_counts(db, *WRITTEN)
    for method, path, field in routes:
        url = re.sub(r"\{slug\}", "bild", re.sub(r"\{[a-z_]+\}", "1", path))
        body = f"{field}=Caf%E9&csrf_token={csrf}".encode()
        response = client.request(method, url, content=body, headers=FORM, follow_redirects=False)
        assert response.status_code == 422, (method, path, response.status_code)
        assert text(one(parse(response.text), "p.error-detail")) == (
            f"{field}: the form sent bytes that are not valid UTF-8. Copy the text again from its "
            "original, or save it as UTF-8 first."
        ), (method, path)
    assert row_counts(db, *WRITTEN) == before


def post_claim(client: TestClient, body: bytes, content_type: str = FORM["Content-Type"]) -> Any:
    return client.post(
        "/claims/new", content=body, headers={"Content-Type": content_type}, follow_redirects=False
    )


def claim_texts(db: Session) -> list[str]:
    return list(db.scalars(select(Claim.text).where(Claim.text.like("Caf%"))))


def test_the_claim_form_refuses_latin1_and_stores_nothing(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    before = row_counts(db, *WRITTEN)
    response = post_claim(client, f"text=Caf%E9+au+lait+was+served&csrf_token={csrf}".encode())
    assert response.status_code == 422
    assert text(one(parse(response.text), "p.error-detail")).startswith(
        "text: the form sent bytes that are not valid UTF-8."
    )
    assert row_counts(db, *WRITTEN) == before
    assert claim_texts(db) == []


def test_a_typed_replacement_character_is_text_like_any_other(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    # U+FFFD typed (or pasted) by a user arrives as the valid UTF-8 bytes EF BF BD: it is not refused.
    csrf = accounts.sign_in(Role.EDITOR)
    response = post_claim(client, f"text=Caf%EF%BF%BD+au+lait+was+served&csrf_token={csrf}".encode())
    assert response.status_code == 303, response.text
    assert claim_texts(db) == ["Caf\ufffd au lait was served"]


def test_raw_bytes_in_a_urlencoded_form_are_refused_not_read_as_latin1(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    before = row_counts(db, *WRITTEN)
    response = post_claim(client, "text=Café au lait was served&csrf_token=".encode() + csrf.encode())
    assert response.status_code == 422
    assert text(one(parse(response.text), "p.error-detail")).startswith(
        "text: the form sent bytes above 127 that are not percent-encoded;"
    )
    assert row_counts(db, *WRITTEN) == before


def multipart(fields: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = "claimtrack-test-boundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in fields.items()
    )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_multipart_form_is_checked_too(client: TestClient, db: Session, accounts: Accounts) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    before = row_counts(db, *WRITTEN)
    refused = post_claim(
        client, *multipart({"text": b"Caf\xe9 au lait was served", "csrf_token": csrf.encode()})
    )
    assert refused.status_code == 422
    assert text(one(parse(refused.text), "p.error-detail")).startswith(
        "text: the form sent bytes that are not valid UTF-8."
    )
    assert row_counts(db, *WRITTEN) == before
    accepted = post_claim(
        client, *multipart({"text": "Café au lait was served".encode(), "csrf_token": csrf.encode()})
    )
    assert accepted.status_code == 303, accepted.text
    assert claim_texts(db) == ["Café au lait was served"]


def test_the_api_names_the_field_in_a_problem(client: TestClient, db: Session, accounts: Accounts) -> None:
    # The JSON API takes no form; a client that sends one anyway hears what was wrong with it.
    headers = accounts.token_headers(Role.EDITOR) | FORM
    before = row_counts(db, *WRITTEN)
    response = client.post("/api/v1/claims", content=b"text=Caf%E9", headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("text: the form sent bytes that are not valid UTF-8.")
    assert response.json()["field"] == "text"
    assert row_counts(db, *WRITTEN) == before
