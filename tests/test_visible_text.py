"""Human text is stored as it reads: in NFC, without invisible characters at its ends, and showing
something; through the JSON API and through the forms alike (app/text.py).

Before, an actor named "\\u200b" was accepted (with the slug `item`), "\\u200bName\\u200b" kept its
zero-width spaces, and "Cafe\\u0301" (a decomposed accent) was stored decomposed, so that it neither
equalled nor sorted with "Café".
"""

import re
import unicodedata
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Actor, ActorAlias, Attribution, AuditEntry, Claim, Source
from app.text import clean_text, tidy, valid_text, visible_text
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import claim_id, get_json, one, parse, row_counts, text

NOT_VISIBLE = "must contain visible text, not only spaces or invisible characters (such as U+200B)"
DECOMPOSED = "Cafe\u0301"  # e + COMBINING ACUTE ACCENT
COMPOSED = "Caf\u00e9"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def db(client_and_session: tuple[TestClient, Session]) -> Session:
    return client_and_session[1]


@pytest.fixture
def client(client_and_session: tuple[TestClient, Session]) -> TestClient:
    return client_and_session[0]


def counts(session: Session) -> dict[str, int]:
    return row_counts(session, Actor, ActorAlias, Attribution, AuditEntry, Claim, Source)


# ---- the rule ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("\u200bName\u200b", "Name"),
        ("\ufeff\u200e Name \u200f\n", "Name"),
        (DECOMPOSED, COMPOSED),
        ("Jo\u200dhn", "Jo\u200dhn"),  # inside a text, a joiner is part of it (emoji, Indic scripts)
        ("\ufffd", "\ufffd"),  # a replacement character typed is text
        ("\u200b", ""),
    ],
)
def test_a_text_is_tidied(typed: str, stored: str) -> None:
    assert tidy(typed) == stored
    assert clean_text(typed) == stored


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("\u200b\u200e\ufeff", NOT_VISIBLE),
        ("  \u2060 ", NOT_VISIBLE),
        ("\x07", NOT_VISIBLE),
        ("", NOT_VISIBLE),
        ("a\x00b", "must not contain NUL (\\x00) characters"),
        ("a\ud800b", "contains a lone surrogate: it is not valid Unicode (was it decoded from valid UTF-8?)"),
    ],
)
def test_a_text_that_shows_nothing_or_cannot_be_stored_is_refused(typed: str, problem: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(problem)}$"):
        visible_text(typed)


def test_valid_text_keeps_the_text_as_given() -> None:
    assert valid_text(f" {DECOMPOSED}\u200b ") == f" {DECOMPOSED}\u200b "


# ---- the API, on both backends -----------------------------------------------------------------------------


def post(client: TestClient, headers: dict[str, str], url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json=body, headers=headers)


def test_the_api_stores_an_actor_as_it_reads(client: TestClient, db: Session, accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    response = post(
        client,
        headers,
        "/api/v1/actors",
        {
            "name": f"\u200b{DECOMPOSED} Owner\u200b",
            "kind": "person",
            "role": f"\u200e{DECOMPOSED} owner ",
            "aliases": [f"\ufeff{DECOMPOSED}", "\u2060"],
        },
    )
    assert response.status_code == 201, response.text
    actor = response.json()
    assert (actor["name"], actor["slug"], actor["role"], actor["aliases"]) == (
        f"{COMPOSED} Owner",
        "cafe-owner",
        f"{COMPOSED} owner",
        [COMPOSED],
    )
    stored = db.scalars(select(Actor).where(Actor.slug == "cafe-owner")).one()
    assert stored.name == f"{COMPOSED} Owner"
    # Any spelling finds it: the decomposed one too.
    found = get_json(client, f"/api/v1/actors?name={DECOMPOSED}")["items"]
    assert [item["slug"] for item in found] == ["cafe-owner"]


def test_the_api_refuses_an_invisible_actor_name_and_writes_nothing(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(db)
    response = post(client, headers, "/api/v1/actors", {"name": "\u200b\u200b", "kind": "person"})
    assert response.status_code == 422
    assert (response.json()["detail"], response.json()["field"]) == (f"name: {NOT_VISIBLE}.", "name")
    assert counts(db) == before
    assert db.scalars(select(Actor).where(Actor.slug == "item")).first() is None


def test_the_api_stores_a_claim_as_it_reads(client: TestClient, db: Session, accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    response = post(client, headers, "/api/v1/claims", {"text": f"\u200b{DECOMPOSED} prices doubled.\u200b"})
    assert response.status_code == 201, response.text
    assert response.json()["text"] == f"{COMPOSED} prices doubled."
    stored = db.scalars(select(Claim.text).where(Claim.id == response.json()["id"])).one()
    assert stored == f"{COMPOSED} prices doubled."


def test_the_api_stores_a_source_as_it_reads(client: TestClient, db: Session, accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    response = post(
        client,
        headers,
        "/api/v1/sources",
        {
            "title": f"\u200e{DECOMPOSED} report\u200f",
            "outlet": "\u200b",
            "text": f"The {DECOMPOSED} was closed on Monday.",
        },
    )
    assert response.status_code == 201, response.text
    source = response.json()
    assert (source["title"], source["outlet"], source["text"]) == (
        f"{COMPOSED} report",
        None,
        f"The {COMPOSED} was closed on Monday.",
    )


def add_source(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    # Given decomposed, the text is stored in NFC: every quote offset refers to that form.
    response = post(
        client,
        headers,
        "/api/v1/sources",
        {
            "title": "A café closes",
            "text": f"Owners said the {DECOMPOSED} would close. The {DECOMPOSED} did.",
        },
    )
    assert response.status_code == 201, response.text
    source: dict[str, Any] = response.json()
    assert source["text"] == f"Owners said the {COMPOSED} would close. The {COMPOSED} did."
    return source


@pytest.mark.parametrize("with_offsets", [False, True])
def test_a_quote_with_a_decomposed_accent_anchors_in_the_nfc_text(
    client: TestClient, db: Session, accounts: Accounts, with_offsets: bool
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    source = add_source(client, headers)
    start = source["text"].index(COMPOSED)
    place = {"quote_start": start, "quote_end": start + len("Café would close")} if with_offsets else {}
    response = post(
        client,
        headers,
        "/api/v1/attributions",
        {
            "claim_id": claim_id(client, "talks-hampered"),
            "actor": "Peskov",
            "source_id": source["id"],
            "stance": "asserted",
            "quote": f"{DECOMPOSED} would close",
            **place,
        },
    )
    assert response.status_code == 201, response.text
    statement = response.json()
    assert (statement["quote"], statement["quote_start"], statement["quote_end"]) == (
        f"{COMPOSED} would close",
        start,
        start + len(f"{COMPOSED} would close"),
    )
    assert source["text"][statement["quote_start"] : statement["quote_end"]] == statement["quote"]
    assert unicodedata.is_normalized("NFC", statement["quote"])


def test_a_quote_is_not_stripped_its_offsets_count_every_character(
    client: TestClient, accounts: Accounts
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    source = add_source(client, headers)
    quote = f" {COMPOSED} would close."
    start = source["text"].index(quote)
    response = post(
        client,
        headers,
        "/api/v1/attributions",
        {
            "claim_id": claim_id(client, "talks-hampered"),
            "actor": "Peskov",
            "source_id": source["id"],
            "stance": "asserted",
            "quote": quote,
            "quote_start": start,
            "quote_end": start + len(quote),
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["quote"] == quote


def test_an_invisible_quote_is_refused_and_nothing_is_written(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    source = add_source(client, headers)
    before = counts(db)
    response = post(
        client,
        headers,
        "/api/v1/attributions",
        {
            "claim_id": claim_id(client, "talks-hampered"),
            "actor": "Peskov",
            "source_id": source["id"],
            "stance": "asserted",
            "quote": "\u200b",
        },
    )
    assert response.status_code == 422
    assert (response.json()["detail"], response.json()["field"]) == (f"quote: {NOT_VISIBLE}.", "quote")
    assert counts(db) == before


# ---- the forms (SQLite: the markup does not depend on the database) ----------------------------------------


@sqlite_only
def test_the_actor_form_stores_the_name_as_it_reads(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    response = client.post(
        "/actors",
        data={
            "name": f"\u200b{DECOMPOSED} Owner\u200b",
            "kind": "person",
            "aliases": f"\ufeff{DECOMPOSED}\r\n",
        }
        | {"csrf_token": csrf},
        follow_redirects=False,
    )
    assert (response.status_code, response.headers["location"]) == (303, "/actors/cafe-owner")
    actor = get_json(client, "/api/v1/actors/cafe-owner")
    assert (actor["name"], actor["aliases"]) == (f"{COMPOSED} Owner", [COMPOSED])


@sqlite_only
def test_the_actor_form_refuses_an_invisible_name(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)
    response = client.post("/actors", data={"name": "\u200b\u200e", "kind": "person", "csrf_token": csrf})
    assert response.status_code == 422
    page = parse(response.text)
    assert text(one(page, "p.form-error")) == f"name: {NOT_VISIBLE}."
    assert one(page, "[name=name]").get("aria-invalid") == "true"
    assert counts(db) == before


@sqlite_only
def test_the_claim_form_stores_the_text_as_it_reads(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    response = client.post(
        "/claims/new",
        data={"text": f"\u200b{DECOMPOSED} prices doubled.\u200b", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    stored = db.scalars(select(Claim.text).where(Claim.text.like("Caf%prices doubled."))).one()
    assert stored == f"{COMPOSED} prices doubled."


@sqlite_only
def test_the_claim_form_refuses_an_invisible_text(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)
    response = client.post("/claims/new", data={"text": "\u200b\ufeff", "csrf_token": csrf})
    assert response.status_code == 422
    assert text(one(parse(response.text), ".form-error")) == f"text: {NOT_VISIBLE}."
    assert counts(db) == before


@sqlite_only
def test_the_source_form_stores_the_title_as_it_reads(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)
    refused = client.post(
        "/sources", data={"title": "\u200b", "text": "Some text.", "language": "en", "csrf_token": csrf}
    )
    assert refused.status_code == 422
    assert text(one(parse(refused.text), "p.form-error")) == f"title: {NOT_VISIBLE}."
    assert counts(db) == before
    created = client.post(
        "/sources",
        data={
            "title": f"\u200e{DECOMPOSED} report",
            "text": "Some text.",
            "language": "en",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    assert db.scalars(select(Source.title).where(Source.text == "Some text.")).one() == f"{COMPOSED} report"


@sqlite_only
def test_the_statement_form_anchors_a_decomposed_quote(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    source = add_source(client, accounts.token_headers(Role.EDITOR))
    csrf = accounts.sign_in(Role.EDITOR)
    form = {
        "csrf_token": csrf,
        "actor": "Peskov",
        "claim": str(claim_id(client, "talks-hampered")),
        "stance": "asserted",
    }
    url = f"/sources/{source['id']}/attributions/new"
    before = counts(db)
    refused = client.post(url, data=form | {"quote": "\u200b\u200b"})
    assert refused.status_code == 422
    assert text(one(parse(refused.text), ".form-error")) == f"quote: {NOT_VISIBLE}."
    assert counts(db) == before
    created = client.post(url, data=form | {"quote": f"{DECOMPOSED} would close"}, follow_redirects=False)
    assert created.status_code == 303, created.text
    stored = db.scalars(select(Attribution).where(Attribution.source_id == source["id"])).one()
    assert (stored.quote_exact, stored.quote_start) == (
        f"{COMPOSED} would close",
        source["text"].index(COMPOSED),
    )
