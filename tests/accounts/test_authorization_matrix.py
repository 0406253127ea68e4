"""Who may call each write route: every POST/PATCH/PUT/DELETE of the app × anonymous and every role.

MINIMUM_ROLE is the product's rule, written down: a write route missing from it fails
`test_every_write_route_is_in_the_table`, so whoever adds a route must decide who may call it.
"""

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import Attribution, Claim, Source
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
PUBLIC = None
"""Anyone may call it (signing in)."""

MINIMUM_ROLE: dict[tuple[str, str], Role | None] = {
    # accounts
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): Role.VIEWER,
    ("POST", "/account/tokens"): Role.VIEWER,
    ("POST", "/account/tokens/{token_id}/revoke"): Role.VIEWER,
    ("POST", "/account/password"): Role.VIEWER,
    ("POST", "/admin/users"): Role.ADMIN,
    ("POST", "/admin/users/{name}/role"): Role.ADMIN,
    ("POST", "/admin/users/{name}/disable"): Role.ADMIN,
    ("POST", "/admin/users/{name}/password"): Role.ADMIN,
    # verification status
    ("POST", "/api/v1/claims/{claim_id}/status"): Role.FACT_CHECKER,
    ("POST", "/claims/{claim_id}/status"): Role.FACT_CHECKER,
    # claims
    ("POST", "/api/v1/claims"): Role.EDITOR,
    ("PATCH", "/api/v1/claims/{claim_id}"): Role.EDITOR,
    ("DELETE", "/api/v1/claims/{claim_id}"): Role.EDITOR,
    ("POST", "/api/v1/claims/{claim_id}/restore"): Role.ADMIN,
    ("POST", "/claims/new"): Role.EDITOR,
    ("POST", "/claims/{claim_id}/edit"): Role.EDITOR,
    ("POST", "/claims/{claim_id}/delete"): Role.EDITOR,
    ("POST", "/claims/{claim_id}/restore"): Role.ADMIN,
    # actors
    ("POST", "/api/v1/actors"): Role.EDITOR,
    ("PATCH", "/api/v1/actors/{slug}"): Role.EDITOR,
    ("DELETE", "/api/v1/actors/{slug}"): Role.EDITOR,
    ("POST", "/actors"): Role.EDITOR,
    ("POST", "/actors/{slug}/edit"): Role.EDITOR,
    # sources
    ("POST", "/api/v1/sources"): Role.EDITOR,
    ("PATCH", "/api/v1/sources/{source_id}"): Role.EDITOR,
    ("POST", "/sources"): Role.EDITOR,
    ("POST", "/sources/{source_id}/edit"): Role.EDITOR,
    # the review queue
    ("POST", "/api/v1/sources/{source_id}/proposals/{proposal_id}/accept"): Role.EDITOR,
    ("POST", "/api/v1/sources/{source_id}/proposals/{proposal_id}/reject"): Role.EDITOR,
    ("POST", "/api/v1/sources/{source_id}/proposals/accept"): Role.EDITOR,
    ("POST", "/api/v1/sources/{source_id}/extract"): Role.EDITOR,
    ("POST", "/sources/{source_id}/proposals/{proposal_id}/accept"): Role.EDITOR,
    ("POST", "/sources/{source_id}/proposals/{proposal_id}/reject"): Role.EDITOR,
    ("POST", "/sources/{source_id}/proposals/accept"): Role.EDITOR,
    ("POST", "/sources/{source_id}/extract"): Role.EDITOR,
    # attributions
    ("POST", "/api/v1/attributions"): Role.EDITOR,
    ("PATCH", "/api/v1/attributions/{attribution_id}"): Role.EDITOR,
    ("DELETE", "/api/v1/attributions/{attribution_id}"): Role.EDITOR,
    ("POST", "/api/v1/attributions/{attribution_id}/restore"): Role.ADMIN,
    ("POST", "/sources/{source_id}/attributions/new"): Role.EDITOR,
    ("POST", "/attributions/{attribution_id}/edit"): Role.EDITOR,
    ("POST", "/attributions/{attribution_id}/delete"): Role.EDITOR,
    ("POST", "/attributions/{attribution_id}/restore"): Role.ADMIN,
}

ROLE_CHECKED = sorted((key, role) for key, role in MINIMUM_ROLE.items() if role is not None)
API_ROUTES = sorted(key for key in MINIMUM_ROLE if key[1].startswith("/api/"))
PAGE_ROUTES = sorted((key, role) for key, role in ROLE_CHECKED if not key[1].startswith("/api/"))
CSRF_FAILED = "The form has expired or did not come from claimtrack (CSRF check failed)."


def _write_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method, str(route.path))
        for route in iter_route_contexts(app.routes)
        for method in (route.methods or set()) & WRITE_METHODS
    }


def test_every_write_route_is_in_the_table() -> None:
    routes = _write_routes(create_app())
    missing = sorted(routes - set(MINIMUM_ROLE))
    stale = sorted(set(MINIMUM_ROLE) - routes)
    assert not missing, f"write routes with no expected role in MINIMUM_ROLE (add them): {missing}"
    assert not stale, f"MINIMUM_ROLE lists routes the app no longer has (remove them): {stale}"


def _url(session: Session, path: str, target_user: str) -> str:
    """The route's path with ids of rows that exist, so that only the role can be what refuses."""
    values: dict[str, Any] = {
        "claim_id": session.scalars(select(Claim.id).order_by(Claim.id)).first(),
        "source_id": session.scalars(select(Source.id).order_by(Source.id)).first(),
        "attribution_id": session.scalars(select(Attribution.id).order_by(Attribution.id)).first(),
        # No proposal is on record in the seeds: whatever else is wrong with it, it is not the role.
        "proposal_id": 1,
        "slug": "vyacheslav-gladkov",
        "name": target_user,
        "token_id": 1,
    }

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"no test value for the path parameter {{{name}}}: add one to _url"
        return str(values[name])

    return re.sub(r"\{(\w+)\}", value, path)


def _lower_roles(role: Role) -> list[Role]:
    return [lower for lower in Role if lower.rank < role.rank]


def _is_sign_in_required(response: Any, api: bool) -> bool:
    if api:
        return bool(
            response.status_code == 401 and response.headers["content-type"] == "application/problem+json"
        )
    if response.status_code == 303:
        return str(response.headers["location"]).startswith("/login")
    return bool(response.status_code == 401)


def _detail(response: Any, api: bool) -> str:
    if api:
        return str(response.json()["detail"])
    return " ".join(response.text.split())


@pytest.mark.parametrize(("route", "needed"), ROLE_CHECKED, ids=[f"{m} {p}" for (m, p), _ in ROLE_CHECKED])
def test_each_role_below_the_minimum_is_refused(
    client_and_session: tuple[TestClient, Session],
    accounts: Accounts,
    route: tuple[str, str],
    needed: Role,
) -> None:
    client, session = client_and_session
    method, path = route
    api = path.startswith("/api/")
    url = _url(session, path, accounts.user(Role.VIEWER).name)

    client.cookies.clear()
    anonymous = client.request(method, url, follow_redirects=False)
    assert _is_sign_in_required(anonymous, api), (anonymous.status_code, anonymous.text[:300])

    for role in [*_lower_roles(needed), needed]:
        if api:
            client.cookies.clear()
            response = client.request(
                method, url, headers=accounts.token_headers(role), follow_redirects=False
            )
        else:
            csrf = accounts.sign_in(role)
            response = client.request(method, url, data={"csrf_token": csrf}, follow_redirects=False)
        if role is needed:
            # Allowed: whatever else is wrong with this empty request, it is not who sent it.
            assert response.status_code not in (401, 403), (
                role,
                response.status_code,
                _detail(response, api),
            )
        else:
            assert response.status_code == 403, (role, response.status_code, _detail(response, api)[:300])
            assert f"This needs the {needed.label} role or higher" in _detail(response, api)


@pytest.mark.parametrize("route", API_ROUTES, ids=[f"{m} {p}" for m, p in API_ROUTES])
def test_a_browser_session_cannot_write_through_the_api(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, route: tuple[str, str]
) -> None:
    client, session = client_and_session
    method, path = route
    url = _url(session, path, accounts.user(Role.VIEWER).name)
    csrf = accounts.sign_in(Role.ADMIN)
    response = client.request(method, url, headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    assert response.status_code == 403, response.text
    assert "use an API token" in response.json()["detail"]


@pytest.mark.parametrize(("route", "needed"), PAGE_ROUTES, ids=[f"{m} {p}" for (m, p), _ in PAGE_ROUTES])
def test_a_form_without_its_csrf_token_is_refused(
    client_and_session: tuple[TestClient, Session],
    accounts: Accounts,
    route: tuple[str, str],
    needed: Role,
) -> None:
    client, session = client_and_session
    method, path = route
    url = _url(session, path, accounts.user(Role.VIEWER).name)
    csrf = accounts.sign_in(needed)
    for form in ({}, {"csrf_token": "not-" + csrf}):
        response = client.request(method, url, data=form, follow_redirects=False)
        assert response.status_code == 403, (form, response.status_code, _detail(response, False)[:300])
        assert CSRF_FAILED in _detail(response, False)
