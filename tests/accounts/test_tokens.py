"""Personal API tokens: shown once, stored hashed, revoked at once, only by their owner."""

import hashlib
import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ApiToken, AuditEntry, User
from app.vocabulary import Role
from tests.conftest import Accounts
from tests.helpers import one, page, parse, text


def _create_token(client: TestClient, csrf: str, label: str) -> str:
    response = client.post("/account/tokens", data={"label": label, "csrf_token": csrf})
    assert response.status_code == 200
    secret = text(one(parse(response.text), ".new-token"))
    assert re.fullmatch(r"ct_[A-Za-z0-9_-]{43}", secret)
    return secret


def test_a_token_is_shown_once_stored_hashed_and_revoked_at_once(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR, name="erin")
    assert client.post("/account/tokens", data={"label": "forged"}).status_code == 403
    secret = _create_token(client, csrf, "dashboard")

    account = page(client, "/account")
    assert secret not in str(account)
    assert text(account.select("tr[data-revoked=false] td")[0]) == "dashboard"

    token = session.scalars(select(ApiToken).where(ApiToken.label == "dashboard")).one()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (token.token_hash, token.prefix, token.label)
    assert secret.startswith(token.prefix)

    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/audit?limit=1", headers=bearer).status_code == 200
    revoked = client.post(
        f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert (revoked.status_code, revoked.headers["location"]) == (303, "/account")
    refused = client.get("/api/v1/audit?limit=1", headers=bearer)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'

    actions = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "api_tokens", AuditEntry.object_id == token.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["token_issue", "token_revoke"]
    entries = session.scalars(select(AuditEntry).where(AuditEntry.object_type == "api_tokens")).all()
    assert all(secret not in str(entry.after) and secret not in str(entry.before) for entry in entries)


def test_nobody_revokes_another_users_token(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR, name="erin")
    secret = _create_token(client, csrf, "erin's")
    token = session.scalars(select(ApiToken).where(ApiToken.label == "erin's")).one()

    other_csrf = accounts.sign_in(Role.ADMIN, name="ada")
    response = client.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": other_csrf})
    assert response.status_code == 404
    assert text(one(parse(response.text), "main")).count(f"ada has no token {token.id}.") == 1
    assert (
        client.get("/api/v1/audit?limit=1", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    )
    erin = session.scalars(select(User).where(User.name == "erin")).one()
    assert token.user_id == erin.id
    assert token.revoked_at is None


def test_a_token_label_is_stored_as_it_reads(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR, name="erin")
    _create_token(client, csrf, "\u200bCafe\u0301 dashboard\u200e")
    _create_token(client, csrf, "\u200b\ufeff")
    labels = session.scalars(select(ApiToken.label).order_by(ApiToken.id)).all()
    assert labels[-2:] == ["Café dashboard", "API token"]
