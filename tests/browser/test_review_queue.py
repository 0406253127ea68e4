"""In a real browser: an editor pastes a new article, and takes its proposed statements into the
tracker from the keyboard alone."""

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from app.vocabulary import Role
from tests.browser.conftest import ACCOUNTS, LiveServer
from tests.browser.helpers import TIMEOUT_MS, sign_in

pytestmark = pytest.mark.browser

ARTICLE = (
    "Kherson, 5 April 2026.\n"
    'Maria Novak said "the ferry across the river has stopped running."\n'
    '"We did not sink the ferry," Petro Hrytsenko said.\n'
    "The port authority declined to comment.\n"
)


def test_an_editor_pastes_an_article_and_accepts_its_statements_with_the_keyboard(
    chromium: Browser, live_server: LiveServer
) -> None:
    context = chromium.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 900})
    try:
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        sign_in(page, ACCOUNTS[Role.EDITOR], next_path="/sources/new")
        page.get_by_label("Title").fill("Ferry stops in Kherson")
        page.get_by_label("Text", exact=True).fill(ARTICLE)
        page.get_by_label("Title").press("Enter")
        page.wait_for_url(re.compile(r"/sources/\d+\?reviewed=proposed&count=\d+#review-queue$"))
        source_id = int(re.findall(r"/sources/(\d+)", page.url)[0])
        proposals = page.locator("#review-queue li.proposal")
        proposed = proposals.count()
        assert proposed >= 3

        # Arriving at the queue, the first proposal is the current one, its Accept button focused.
        first = proposals.nth(0)
        expect(first).to_have_class(re.compile(r"\bis-current\b"))
        expect(first.locator("button.accept")).to_be_focused()
        # Tick the first two (x, j, x), go back to the first (k), and reach "Accept the ticked
        # proposals" with Shift+Tab: the first proposal's tick, then the button.
        page.keyboard.press("x")
        page.keyboard.press("j")
        expect(proposals.nth(1).locator("button.accept")).to_be_focused()
        page.keyboard.press("x")
        page.keyboard.press("k")
        page.keyboard.press("Shift+Tab")
        expect(first.locator("input.proposal-tick")).to_be_focused()
        expect(first.locator("input.proposal-tick")).to_be_checked()
        page.keyboard.press("Shift+Tab")
        expect(page.locator("#accept-selected button")).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/sources/{source_id}\?reviewed=accepted&count=2#review-queue$"))

        # The rest, one key each: the current proposal is accepted, and the next becomes current.
        for left in range(proposed - 2, 0, -1):
            expect(page.locator("#queue-heading")).to_have_text(f"Review queue ({left} waiting)")
            expect(page.locator("#review-queue li.proposal").first.locator("button.accept")).to_be_focused()
            with page.expect_navigation():
                page.keyboard.press("a")

        expect(page.locator("#review-queue .empty")).to_have_text(
            "No proposal waits for review in this source."
        )
        statements: Any = live_server.api(f"/attributions?source={source_id}&limit=200")
        assert len(statements["items"]) == proposed
        names = {item["actor"]["name"] for item in statements["items"]}
        assert {"Maria Novak", "Petro Hrytsenko"} <= names
        expect(page.locator("#attributions .attribution")).to_have_count(proposed)
    finally:
        context.close()
