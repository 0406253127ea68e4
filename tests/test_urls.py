"""Links are built from the routes (app/urls.py): every route has its own name, no template writes a
route's path by hand, and every link of the main pages leads to a route."""

import re
from collections import Counter
from urllib.parse import unquote, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Match, NoMatchFound

from app.config import get_settings
from app.main import create_app
from app.urls import Paths
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import get_json, page

# An attribute holding a path written out ("/claims/{{ claim.id }}", "/actors"), not built by path_for.
HAND_WRITTEN = re.compile(r"""\b(href|action|src|formaction|data-[a-z-]+)\s*=\s*["']/""")
# The same in an expression: `{% with action = "/claims/" ~ claim.id %}`, `path.startswith("/admin")`.
HAND_BUILT = re.compile(r"""["']/[a-z]""")


def test_every_route_has_a_name_of_its_own() -> None:
    names = Counter(route.name for route in iter_route_contexts(create_app().routes))

    assert None not in names
    assert [name for name, count in names.items() if count > 1] == []


def test_a_path_carries_its_parameters_quoted_its_query_and_its_fragment() -> None:
    paths = Paths.of(create_app())

    assert paths("actor_page", slug="röpcke x") == "/actors/r%C3%B6pcke%20x"
    assert paths("static", path="claimtrack.css") == "/static/claimtrack.css"
    assert paths("login_page", query={"next": "/audit?user=erin"}) == "/login?next=/audit%3Fuser%3Derin"
    assert paths("list_attributions", query={"claim": 3, "stance": None}) == "/api/v1/attributions?claim=3"
    assert (
        paths("users_page", query={"from": "erin"}, fragment="user-erin")
        == "/admin/users?from=erin#user-erin"
    )
    with pytest.raises(NoMatchFound):
        paths("claim_page")
    with pytest.raises(NoMatchFound):
        paths("no_such_route")


def test_no_template_writes_a_route_path_by_hand() -> None:
    written = [
        f"{template.relative_to(get_settings().templates_dir)}:{number}: {line.strip()}"
        for template in sorted(get_settings().templates_dir.rglob("*.html"))
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1)
        if HAND_WRITTEN.search(line) or HAND_BUILT.search(line)
    ]

    assert written == []


def _routed(app: FastAPI, method: str, path: str) -> bool:
    scope = {"type": "http", "method": method, "path": unquote(path), "root_path": "", "headers": []}
    return any(route.matches(dict(scope))[0] == Match.FULL for route in app.router.routes)


@sqlite_only
def test_every_link_of_the_main_pages_leads_to_a_route(accounts: Accounts) -> None:
    client: TestClient = accounts.client
    accounts.sign_in(Role.ADMIN)  # who sees every link: editing, verifying, administering
    claim_id = get_json(client, "/api/v1/claims?limit=1")["items"][0]["id"]
    source_id = get_json(client, "/api/v1/sources?limit=1")["items"][0]["id"]
    actor_slug = get_json(client, "/api/v1/actors?limit=1")["items"][0]["slug"]
    pages = [
        "/",
        f"/claims/{claim_id}",
        f"/claims/{claim_id}/statements",
        f"/claims/{claim_id}/edit",
        f"/claims/{claim_id}/delete",
        "/claims/new",
        "/actors",
        f"/actors/{actor_slug}",
        f"/actors/{actor_slug}/edit",
        "/actors/new",
        "/sources",
        f"/sources/{source_id}",
        f"/sources/{source_id}/edit",
        f"/sources/{source_id}/attributions/new",
        "/sources/new",
        "/search?q=Belgorod",
        "/audit",
        "/account",
        "/admin/users",
        "/admin/deleted",
        "/docs",
    ]
    app = client.app
    assert isinstance(app, FastAPI)
    links: set[tuple[str, str, str]] = set()
    for url in [*pages, "/nothing-is-here"]:
        html = page(client, url, status=404 if url == "/nothing-is-here" else 200)
        for element in html.select("[href], [src], [action], [data-suggest]"):
            method = str(element.get("method", "get")).upper() if element.name == "form" else "GET"
            for name in ("href", "src", "action", "data-suggest"):
                target = element.get(name)
                if isinstance(target, str) and target.startswith("/"):
                    links.add((url, method, urlsplit(target).path))

    assert len({path for _, _, path in links}) > 50, "the pages link to the routes they show"
    unrouted = [(url, method, path) for url, method, path in sorted(links) if not _routed(app, method, path)]
    assert unrouted == []


@sqlite_only
@pytest.mark.parametrize(
    ("role", "route", "marked"),
    [
        (None, "claims_index", "Claims"),
        (None, "claim_page", "Claims"),
        (None, "actors_index", "Actors"),
        (None, "sources_index", "Sources"),
        (Role.EDITOR, "audit_log", "Audit log"),
        (Role.ADMIN, "users_page", "Users"),
        (Role.VIEWER, "account_page", "viewer"),
        (None, "search_page", None),
    ],
)
def test_the_navigation_marks_the_section_of_the_page(
    accounts: Accounts, role: Role | None, route: str, marked: str | None
) -> None:
    if role is not None:
        accounts.sign_in(role, name=role.value)
    client = accounts.client
    paths: Paths = client.app.state.paths  # type: ignore[attr-defined]

    shown = page(client, paths(route, claim_id=1) if route == "claim_page" else paths(route))

    current = [link.get_text() for link in shown.select("header a[aria-current='page']")]
    assert current == ([marked] if marked else [])
