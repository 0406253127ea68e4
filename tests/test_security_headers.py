"""Security headers on every answer (OWASP ASVS 5.0, levels 1 and 2): a strict Content-Security-Policy that
the pages honour, nosniff, a referrer policy, no caching of what a signed-in visitor sees, HSTS over
HTTPS; pages that never name the host a request claimed to be for, and the allowed host names."""

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from app.config import Settings
from app.db import make_session_factory
from app.main import create_app
from app.security import CONTENT_SECURITY_POLICY, relative_location
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import get_json, parse

EVIL_HOST = "evil.example"


def policy(response_header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as its directives, each with its sources."""
    directives = {}
    for directive in response_header.split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


def assert_security_headers(response: Response, *, https: bool = False) -> None:
    headers = response.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    if https:
        assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    else:
        assert "strict-transport-security" not in headers


def test_the_policy_allows_no_inline_script_or_style_nor_framing() -> None:
    directives = policy(CONTENT_SECURITY_POLICY)

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert not [source for sources in directives.values() for source in sources if "unsafe" in source]


@sqlite_only
@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/claims/1", 200),
        ("GET", "/api/v1/claims", 200),
        ("GET", "/livez", 200),
        ("GET", "/healthz", 200),
        ("GET", "/docs", 200),
        ("GET", "/static/claimtrack.css", 200),
        ("GET", "/static/swagger-ui/swagger-ui-bundle.js", 200),
        ("GET", "/claims/999999", 404),
        ("GET", "/api/v1/claims/999999", 404),
        ("GET", "/static/missing.css", 404),
        ("GET", "/?q=%25", 422),
        ("GET", "/account", 303),
        ("GET", "/actors/", 307),
        ("POST", "/logout", 401),
        ("DELETE", "/livez", 405),
    ],
)
def test_every_answer_carries_the_security_headers(
    client: TestClient, method: str, url: str, status: int
) -> None:
    response = client.request(method, url, follow_redirects=False)

    assert response.status_code == status
    assert_security_headers(response)


@sqlite_only
def test_an_internal_error_carries_them_too(client: TestClient) -> None:
    """The 500 is answered by FastAPI's outermost middleware, outside the app's own middleware."""
    shared = client.app
    assert isinstance(shared, FastAPI)
    # An app of its own, on the test's transaction: the route is not added to the test run's app.
    app = create_app(Settings(), session_factory=shared.state.session_factory)

    def crash() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/test/crash", crash)
    response = TestClient(app, raise_server_exceptions=False).get("/test/crash")

    assert response.status_code == 500
    assert_security_headers(response)


@sqlite_only
def test_over_https_the_answers_add_strict_transport_security(client: TestClient) -> None:
    https = TestClient(client.app, base_url="https://testserver")

    for url in ("/", "/livez", "/static/claimtrack.css", "/claims/999999"):
        assert_security_headers(https.get(url), https=True)


# ---- the pages keep to the policy --------------------------------------------------------------------------


def page_urls(client: TestClient) -> list[str]:
    actor = get_json(client, "/api/v1/actors?limit=1")["items"][0]["slug"]
    return [
        "/",
        "/claims/1",
        "/claims/1/statements",
        "/actors",
        f"/actors/{actor}",
        "/sources",
        "/sources/1",
        "/search?q=ropcke",
        "/login",
        "/account",
        "/audit",
        "/admin/users",
        "/admin/deleted",
        "/actors/new",
        f"/actors/{actor}/edit",
        "/sources/1/edit",
        "/claims/new",
        "/sources/new",
        "/sources/1/attributions/new",
        "/claims/1/edit",
        "/attributions/1/edit",
        "/claims/999999",
        "/docs",
    ]


@sqlite_only
def test_no_page_has_inline_script_or_style(accounts: Accounts) -> None:
    """What the policy would block: an inline script or style, an on* handler, a style attribute."""
    accounts.sign_in(Role.ADMIN)
    client = accounts.client

    for url in page_urls(client):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        document = parse(response.text)
        # A data block (a claim's ClaimReview, application/ld+json) is never run, so the policy has
        # nothing to block in it: any other script without a source would be an inline script.
        inline = [script for script in document.find_all("script") if not script.get("src")]
        assert [script for script in inline if script.get("type") != "application/ld+json"] == [], url
        assert document.find_all("style") == [], url
        for element in document.find_all(True):
            assert element.get("style") is None, f"{url}: {element.name} has a style attribute"
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert handlers == [], f"{url}: {element.name} has {handlers}"


@sqlite_only
def test_the_api_docs_load_nothing_from_elsewhere(client: TestClient) -> None:
    response = client.get("/docs")

    document = parse(response.text)
    sources = [tag["src"] for tag in document.find_all("script")]
    sources += [tag["href"] for tag in document.find_all("link")]
    assert sources == [
        "/static/swagger-ui/swagger-ui-bundle.js",
        "/static/docs.js",
        "/static/swagger-ui/swagger-ui.css",
    ]
    for source in sources:
        assert client.get(source).status_code == 200, source
    openapi_url = document.select_one("#swagger-ui")["data-openapi-url"]  # type: ignore[index]
    assert client.get(str(openapi_url)).status_code == 200
    assert "cdn" not in response.text


@sqlite_only
def test_the_swagger_bundle_serves_only_what_the_page_loads(client: TestClient) -> None:
    """It also holds a demo page, which would fetch the Swagger Petstore from the Internet."""
    assert client.get("/static/swagger-ui/index.html").status_code == 404
    assert client.get("/static/swagger-ui/swagger-initializer.js").status_code == 404


# ---- caching -----------------------------------------------------------------------------------------------


@sqlite_only
def test_anonymous_pages_stay_cacheable(client: TestClient) -> None:
    for url in ("/", "/claims/1", "/api/v1/claims", "/static/claimtrack.css"):
        assert "cache-control" not in client.get(url).headers, url


@sqlite_only
def test_nothing_a_signed_in_visitor_sees_is_stored(accounts: Accounts) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    client = accounts.client

    for url in ("/", "/claims/1", "/account", "/api/v1/claims", "/claims/999999"):
        assert client.get(url).headers["cache-control"] == "no-store", url
    issued = client.post("/account/tokens", data={"label": "laptop", "csrf_token": csrf})
    assert issued.status_code == 200
    assert issued.headers["cache-control"] == "no-store"
    # The same stylesheet for everyone: a signed-in visitor's browser keeps it too.
    assert "cache-control" not in client.get("/static/claimtrack.css").headers


@sqlite_only
def test_nothing_answered_to_an_api_token_is_stored(accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.VIEWER)

    response = accounts.client.get("/api/v1/claims", headers=headers)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


@sqlite_only
def test_an_answer_that_sets_a_cookie_is_not_stored(client: TestClient) -> None:
    response = client.get("/login")

    assert "set-cookie" in response.headers
    assert response.headers["cache-control"] == "no-store"


# ---- the Host header ---------------------------------------------------------------------------------------


@sqlite_only
def test_no_page_names_the_host_the_request_claimed(accounts: Accounts) -> None:
    accounts.sign_in(Role.ADMIN)
    client = accounts.client

    for url in page_urls(client):
        response = client.get(url, headers={"Host": EVIL_HOST})
        assert EVIL_HOST not in response.text, url
        document = parse(response.text)
        links = [tag.get("href") or tag.get("src") for tag in document.find_all(["a", "link", "script"])]
        assert [link for link in links if link and re.match(r"^[a-z]+:|^//", str(link))] == [], url


@sqlite_only
def test_a_redirect_to_the_site_itself_goes_by_path(client: TestClient) -> None:
    response = client.get("/actors/?limit=5", headers={"Host": EVIL_HOST}, follow_redirects=False)

    assert response.status_code == 307
    assert response.headers["location"] == "/actors?limit=5"


def test_a_redirect_by_path_never_becomes_one_to_another_host() -> None:
    origin = b"http://evil.example"

    assert relative_location([(b"location", b"http://evil.example/a?b=c")], origin) == [
        (b"location", b"/a?b=c")
    ]
    # On its own, //elsewhere/ would name the host "elsewhere": it stays absolute.
    assert relative_location([(b"location", b"http://evil.example//elsewhere/")], origin) == [
        (b"location", b"http://evil.example//elsewhere/")
    ]
    assert relative_location([(b"location", b"http://evil.example.org/")], origin) == [
        (b"location", b"http://evil.example.org/")
    ]


@pytest.fixture
def claims_host_client(seeded_engine: Engine) -> Iterator[TestClient]:
    """The app with CLAIMTRACK_ALLOWED_HOSTS set to claims.example.org and its subdomains."""
    settings = Settings(allowed_hosts=["claims.example.org", "*.claims.example.org"])
    app = create_app(settings, session_factory=make_session_factory(seeded_engine))
    with TestClient(app, base_url="http://claims.example.org") as test_client:
        yield test_client


@sqlite_only
@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("claims.example.org", 200),
        ("claims.example.org:8000", 200),
        ("CLAIMS.example.org", 200),
        ("eu.claims.example.org", 200),
        (EVIL_HOST, 400),
        ("claims.example.org.evil.example", 400),
        ("example.org", 400),
        ("", 400),
    ],
)
def test_only_the_allowed_hosts_are_answered(claims_host_client: TestClient, host: str, status: int) -> None:
    response = claims_host_client.get("/livez", headers={"Host": host})

    assert response.status_code == status
    if status == 400:
        assert "CLAIMTRACK_ALLOWED_HOSTS" in response.text
        assert_security_headers(response)


def test_the_allowed_hosts_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_ALLOWED_HOSTS", "claims.example.org, *.claims.example.org")

    assert Settings().allowed_hosts == ["claims.example.org", "*.claims.example.org"]


def test_any_host_is_answered_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMTRACK_ALLOWED_HOSTS", raising=False)

    assert Settings().allowed_hosts == ["*"]
