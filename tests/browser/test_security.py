"""The Content-Security-Policy in a real browser: every page type and the API docs load and run with no
violation of the policy, and ask nothing of any host but the app's own."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route, StorageState, expect

from app.vocabulary import Role
from tests.browser.conftest import LiveServer
from tests.browser.helpers import TIMEOUT_MS
from tests.browser.test_page_quality import PAGE_TYPES, PageType
from tests.conftest import sqlite_only

pytestmark = [pytest.mark.browser, sqlite_only]  # the policy is the markup's business, not the database's

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")

# Runs before any of the page's own scripts (an init script is not subject to the page's policy), and
# records every violation the browser reports to the page, whether or not it also logs it.
RECORD_VIOLATIONS = """
window.__policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__policyViolations.push(`${event.violatedDirective} blocked ${blocked} at ${where}`);
});
"""


@dataclass
class Watched:
    """What a browser context reported: policy violations, and requests to any other host."""

    violations: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)

    def check(self, page: Page, what: str) -> None:
        self.violations.extend(f"{what}: {v}" for v in page.evaluate("window.__policyViolations"))
        assert self.violations == [], "\n".join(self.violations)
        assert self.elsewhere == [], f"{what} asked other hosts: {self.elsewhere}"


WatchedContext = Callable[[Role | None], tuple[Page, Watched]]


@pytest.fixture
def watched_context(
    chromium: Browser, live_server: LiveServer, signed_in_states: Callable[[Role], StorageState]
) -> Iterator[WatchedContext]:
    """A factory of pages, each in its own context (signed in as `role`), watched as `Watched` says."""
    contexts: list[BrowserContext] = []

    def open_watched(role: Role | None = None) -> tuple[Page, Watched]:
        watched = Watched()
        context = chromium.new_context(
            base_url=live_server.base_url,
            storage_state=signed_in_states(role) if role is not None else None,
        )
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(RECORD_VIOLATIONS)

        def only_loopback(route: Route) -> None:
            if urlsplit(route.request.url).hostname in LOOPBACK:
                route.continue_()
            else:
                watched.elsewhere.append(route.request.url)
                route.abort()

        context.route("**/*", only_loopback)
        page = context.new_page()

        def console(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text:
                watched.violations.append(f"console: {message.text}")

        page.on("console", console)
        return page, watched

    yield open_watched
    for context in contexts:
        context.close()


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=[page_type.name for page_type in PAGE_TYPES])
def test_no_page_breaks_the_content_security_policy(
    watched_context: WatchedContext, seed_paths: dict[str, str], page_type: PageType
) -> None:
    page, watched = watched_context(page_type.role)

    response = page.goto(page_type.path.format(**seed_paths), wait_until="load")

    assert response is not None
    assert response.status == page_type.status
    assert "script-src 'self'" in response.headers["content-security-policy"]
    watched.check(page, page_type.name)


def test_the_api_docs_run_under_the_policy_from_the_app_alone(watched_context: WatchedContext) -> None:
    """Swagger UI's files come from the app, and it lists the operations and opens one."""
    page, watched = watched_context(None)

    page.goto("/docs", wait_until="load")

    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() > 20
    first = page.locator(".opblock-summary").first
    first.click()
    expect(page.locator(".opblock.is-open .opblock-body").first).to_be_visible()
    watched.check(page, "/docs")


def test_the_policy_blocks_what_it_should(watched_context: WatchedContext) -> None:
    """The watch itself works: an inline script is refused, and reported."""
    page, watched = watched_context(None)
    page.goto("/", wait_until="load")

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.append(script);
        }"""
    )

    page.wait_for_function("window.__policyViolations.length > 0")
    assert page.evaluate("window.__ran === undefined")
    with pytest.raises(AssertionError, match="script-src"):
        watched.check(page, "/")
