"""HTTP semantics (RFC 9110): HEAD, 405 with Allow, 401 with WWW-Authenticate, and conditional requests."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from app.accounts.service import create_user, issue_token
from app.claims import service as claims_service
from app.cli import load_seeds, upgrade_database
from app.config import Settings, get_settings
from app.db import create_db_engine
from app.main import create_app
from app.models import Claim
from app.vocabulary import Role
from tests.conftest import PASSWORD, Accounts, sqlite_only
from tests.helpers import get_json

Client = tuple[TestClient, Session]
ACTOR = "dmytro-kuleba"
PAGE_AUTHENTICATION = 'Cookie realm="claimtrack", form-action="/login"'
"""What a page's 401 says: sign in with the sign-in form (a cookie scheme browsers show no dialog for)."""


def first_id(client: TestClient, collection: str) -> int:
    item_id: int = get_json(client, f"/api/v1/{collection}?limit=1")["items"][0]["id"]
    return item_id


# ---- HEAD --------------------------------------------------------------------------------------------------


def get_urls(client: TestClient) -> list[str]:
    claim, source = first_id(client, "claims"), first_id(client, "sources")
    attribution = first_id(client, "attributions")
    return [
        "/",
        f"/claims/{claim}",
        "/api/v1/claims",
        f"/api/v1/claims/{claim}",
        f"/api/v1/claims/{claim}/history",
        f"/api/v1/attributions/{attribution}",
        f"/api/v1/sources/{source}",
        f"/api/v1/actors/{ACTOR}",
        "/api/v1/search?q=kuleba",
        "/healthz",
        "/livez",
        "/docs",
        "/api/v1/openapi.json",
        "/static/claimtrack.css",
        "/login",
    ]


@sqlite_only
def test_head_answers_wherever_get_does_with_the_same_headers_and_no_body(client: TestClient) -> None:
    for url in get_urls(client):
        got = client.get(url)
        head = client.head(url)

        assert (url, head.status_code) == (url, got.status_code)
        assert head.content == b""
        assert head.headers["content-length"] == str(len(got.content))
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers.get("etag") == got.headers.get("etag")


@sqlite_only
def test_head_is_no_operation_of_its_own_in_the_openapi_document(client: TestClient) -> None:
    paths = get_json(client, "/api/v1/openapi.json")["paths"]

    assert [path for path, operations in paths.items() if "head" in operations] == []


# ---- 405 and Allow -----------------------------------------------------------------------------------------


@sqlite_only
@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("DELETE", "/api/v1/claims", "GET, HEAD, POST"),
        ("PUT", "/api/v1/claims/1", "DELETE, GET, HEAD, PATCH"),
        ("PUT", "/claims/1", "GET, HEAD"),
        ("POST", "/livez", "GET, HEAD"),
        ("DELETE", "/healthz", "GET, HEAD"),
        ("PUT", "/static/claimtrack.css", "GET, HEAD"),
    ],
)
def test_a_405_says_which_methods_the_path_allows(
    client: TestClient, method: str, url: str, allow: str
) -> None:
    response = client.request(method, url)

    assert response.status_code == 405
    assert response.headers["allow"] == allow


@sqlite_only
def test_a_405_under_the_api_is_a_problem_naming_the_allowed_methods(client: TestClient) -> None:
    response = client.delete("/api/v1/claims")

    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Method not allowed",
        "status": 405,
        "detail": "/api/v1/claims answers GET, HEAD, POST.",
    }


# ---- 401 and WWW-Authenticate ------------------------------------------------------------------------------


@sqlite_only
def test_an_anonymous_form_post_is_401_with_how_to_sign_in(client: TestClient) -> None:
    response = client.post("/claims/new", data={"text": "Something happened."}, follow_redirects=False)

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["www-authenticate"] == PAGE_AUTHENTICATION


@sqlite_only
def test_a_refused_sign_in_is_401_with_how_to_sign_in(accounts: Accounts) -> None:
    client = accounts.client
    user = accounts.user(Role.VIEWER)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert csrf is not None

    response = client.post(
        "/login",
        data={"name": user.name, "password": "not-the-password", "csrf_token": csrf.group(1), "next": "/"},
        follow_redirects=False,
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == PAGE_AUTHENTICATION


@sqlite_only
def test_an_anonymous_page_read_still_goes_to_the_sign_in_page(client: TestClient) -> None:
    response = client.get("/admin/users", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/users"


@sqlite_only
def test_an_anonymous_api_write_is_401_with_the_bearer_scheme(client: TestClient) -> None:
    response = client.post("/api/v1/claims", json={"text": "Something happened."})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


# ---- If-Match: strong comparison ---------------------------------------------------------------------------


def editor(accounts: Accounts) -> dict[str, str]:
    return accounts.token_headers(Role.EDITOR)


def test_a_weak_etag_in_if_match_does_not_match(client_and_session: Client, accounts: Accounts) -> None:
    client, _session = client_and_session
    headers = editor(accounts)
    claim = get_json(client, f"/api/v1/claims/{first_id(client, 'claims')}")
    url = f"/api/v1/claims/{claim['id']}"

    weak = client.patch(
        url, json={"text": "Edited."}, headers=headers | {"If-Match": f'W/"{claim["version"]}"'}
    )

    assert weak.status_code == 412
    assert weak.json()["current_version"] == claim["version"]
    assert get_json(client, url)["version"] == claim["version"]


def test_a_strong_etag_among_others_matches(client_and_session: Client, accounts: Accounts) -> None:
    client, _session = client_and_session
    headers = editor(accounts)
    claim = get_json(client, f"/api/v1/claims/{first_id(client, 'claims')}")
    url = f"/api/v1/claims/{claim['id']}"

    changed = client.patch(
        url, json={"text": "Edited."}, headers=headers | {"If-Match": f'"999", "{claim["version"]}"'}
    )

    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == f'"{claim["version"] + 1}"'


# ---- If-None-Match: 304 ------------------------------------------------------------------------------------


def single_items(client: TestClient) -> list[str]:
    return [
        f"/api/v1/claims/{first_id(client, 'claims')}",
        f"/api/v1/claims/{first_id(client, 'claims')}/history",
        f"/api/v1/attributions/{first_id(client, 'attributions')}",
        f"/api/v1/sources/{first_id(client, 'sources')}",
        f"/api/v1/actors/{ACTOR}",
    ]


def test_if_none_match_with_the_current_etag_is_304_without_a_body(client: TestClient) -> None:
    for url in single_items(client):
        tag = client.get(url).headers["etag"]

        for header in (tag, f"W/{tag}", f'"0", {tag}', "*"):
            response = client.get(url, headers={"If-None-Match": header})

            assert (url, header, response.status_code) == (url, header, 304)
            assert response.content == b""
            assert response.headers["etag"] == tag


def test_if_none_match_with_another_etag_is_the_item(client: TestClient) -> None:
    for url in single_items(client):
        fresh = client.get(url)

        response = client.get(url, headers={"If-None-Match": '"0"'})

        assert (url, response.status_code) == (url, 200)
        assert response.json() == fresh.json()
        assert response.headers["etag"] == fresh.headers["etag"]


# ---- 412 always says the current version -------------------------------------------------------------------


@pytest.fixture
def committed_engine(backend: str, fresh_database_url: str) -> Iterator[Engine]:
    """A database of its own with the seeds, committed: races need commits that other sessions see."""
    engine = create_db_engine(fresh_database_url)
    upgrade_database(engine)
    load_seeds(engine, get_settings().seeds_dir)
    yield engine
    engine.dispose()


def _editor_token(engine: Engine) -> dict[str, str]:
    with Session(engine) as session, session.begin():
        user = create_user(session, "edna", PASSWORD, Role.EDITOR, by="test")
        secret = issue_token(session, user, "race", by="test").secret
    return {"Authorization": f"Bearer {secret}"}


def _first_claim(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        claim = session.scalars(select(Claim).order_by(Claim.id).limit(1)).one()
        return claim.id, claim.version


def _other_writer_commits(engine: Engine, claim_id: int) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(Claim).where(Claim.id == claim_id).values(version=Claim.version + 1))


def test_a_change_based_on_a_version_another_writer_replaced_is_412_with_the_current_version(
    committed_engine: Engine, fresh_database_url: str
) -> None:
    headers = _editor_token(committed_engine)
    claim_id, version = _first_claim(committed_engine)
    app = create_app(Settings(database_url=fresh_database_url))

    with TestClient(app, raise_server_exceptions=False) as client:
        _other_writer_commits(committed_engine, claim_id)
        response = client.patch(
            f"/api/v1/claims/{claim_id}",
            json={"text": "Edited."},
            headers=headers | {"If-Match": f'"{version}"'},
        )

    assert response.status_code == 412
    assert response.json()["current_version"] == version + 1


@pytest.mark.parametrize("backend", ["postgresql"], scope="session")
def test_a_change_that_loses_the_race_after_its_check_is_412_with_the_current_version(
    committed_engine: Engine, fresh_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other writer commits between this request's If-Match check and its UPDATE (PostgreSQL: a
    reader holds no lock; on SQLite a writer holds the write lock from its first statement, so no
    other writer can come between)."""
    headers = _editor_token(committed_engine)
    claim_id, version = _first_claim(committed_engine)
    app = create_app(Settings(database_url=fresh_database_url))
    real_update = claims_service.update_claim

    def update_after_the_other_writer(session: Session, claim: Claim, *change: Any, **by: Any) -> None:
        _other_writer_commits(committed_engine, claim_id)
        real_update(session, claim, *change, **by)
        session.flush()

    monkeypatch.setattr(claims_service, "update_claim", update_after_the_other_writer)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.patch(
            f"/api/v1/claims/{claim_id}",
            json={"text": "Edited."},
            headers=headers | {"If-Match": f'"{version}"'},
        )

    assert response.status_code == 412
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["current_version"] == version + 1
    with Session(committed_engine) as session:
        assert session.get_one(Claim, claim_id).text != "Edited."
