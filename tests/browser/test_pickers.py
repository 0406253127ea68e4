"""The pickers in a real browser (the filter form's actor and source, the editing forms' claims): they
suggest as one types, the keyboard alone chooses (arrows, Enter, Escape), nothing on the page moves as the
suggestions open, and axe-core finds nothing serious with them open."""

import re
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from app.vocabulary import Role
from tests.browser.conftest import LiveServer, OpenPage
from tests.browser.helpers import axe_violations, describe_violations

pytestmark = pytest.mark.browser


def box(page: Page, selector: str) -> tuple[float, float, float, float]:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not shown"
    return (found["x"], found["y"], found["width"], found["height"])


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_keyboard_chooses_an_actor_from_the_suggestions(open_page: OpenPage, viewport: str) -> None:
    page = open_page(viewport)
    page.goto("/")
    if viewport == "phone":
        page.locator("summary.filter-panel-toggle").click()
    field = page.locator("#filter-actor")
    listbox = page.locator("#filter-actor-suggestions")
    expect(field).to_have_attribute("role", "combobox")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    below = box(page, "#filter-stance")

    field.click()
    page.keyboard.type("roep")

    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    first = listbox.locator("[role='option']").first
    expect(first).to_contain_text("Julian Röpcke")
    assert box(page, "#filter-stance") == below, "opening the suggestions moved the form"
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    page.keyboard.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "")
    page.keyboard.press("Enter")

    expect(field).to_have_value("Julian Röpcke")
    expect(listbox).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    assert page.url.endswith("/"), "Enter on a suggestion takes it; it does not send the form"

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"[?&]actor="))
    assert parse_qs(urlsplit(page.url).query)["actor"] == ["Julian Röpcke"]
    expect(page.locator(".active-filters a.chip[data-filter='actor']")).to_contain_text("Julian Röpcke")


def test_escape_closes_the_suggestions_and_keeps_what_was_typed(open_page: OpenPage) -> None:
    page = open_page("desktop")
    page.goto("/")
    field = page.locator("#filter-actor")
    listbox = page.locator("#filter-actor-suggestions")

    field.click()
    page.keyboard.type("kul")
    expect(listbox).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")

    expect(listbox).to_be_hidden()
    expect(field).to_have_value("kul")
    expect(field).not_to_have_attribute("aria-activedescendant", re.compile(".+"))
    page.keyboard.press("ArrowDown")  # opens them again
    expect(listbox).to_be_visible()
    page.keyboard.press("Tab")
    expect(listbox).to_be_hidden()


def test_a_source_chosen_by_its_title_filters_the_claims(
    open_page: OpenPage, live_server: LiveServer
) -> None:
    sources: Any = live_server.api("/sources?outlet=Newsweek")
    (newsweek,) = sources["items"]
    expected: Any = live_server.api(f"/claims?source={newsweek['id']}&limit=200")
    page = open_page("desktop")
    page.goto("/search?q=oil")
    field = page.locator("#filter-source")

    field.click()
    page.keyboard.type("newsw")
    option = page.locator("#filter-source-suggestions [role='option']")
    expect(option).to_have_count(1)
    expect(option).to_contain_text(newsweek["title"])
    expect(option).to_contain_text("Newsweek")
    option.click()
    expect(field).to_have_value(newsweek["title"])
    page.locator("form.search-filters button[type='submit']").click()

    page.wait_for_url(re.compile(r"[?&]source="))
    expect(page.locator(".active-filters a.chip[data-filter='source']")).to_contain_text(newsweek["title"])
    page.goto(f"/?source={newsweek['title']}&limit=200")
    expect(page.locator(".claim-list .claim-item")).to_have_count(len(expected["items"]))


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_keyboard_chooses_a_related_claim_and_the_form_saves_it(
    open_page: OpenPage, live_server: LiveServer, viewport: str
) -> None:
    claims: Any = live_server.api("/claims?limit=200")
    flag = next(item for item in claims["items"] if item["slug"] == "false-flag")
    page = open_page(viewport, role=Role.EDITOR)
    page.goto("/claims/new")
    field = page.locator("#related-claim-1")
    listbox = page.locator("#related-claim-1-suggestions")
    expect(field).to_have_attribute("role", "combobox")
    expect(listbox).to_be_hidden()
    below = box(page, "#related-kind-2")

    field.click()
    page.keyboard.type("false fl")

    expect(listbox).to_be_visible()
    option = listbox.locator("[role='option']")
    expect(option).to_have_count(1)
    expect(option).to_have_text(f"{flag['id']}: {flag['text']}")
    assert box(page, "#related-kind-2") == below, "opening the suggestions moved the form"
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    page.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(field).to_have_value(f"{flag['id']}: {flag['text']}")
    expect(listbox).to_be_hidden()
    assert page.url.endswith("/claims/new"), "Enter on a suggestion takes it; it does not send the form"

    # Its words must not be those typed above: the other viewport's run types them again.
    text = f"A claim made in the browser ({viewport}, {uuid.uuid4().hex[:8]}) that contradicts another."
    page.locator("#claim-text").fill(text)
    page.locator("#related-kind-1").select_option("contradicts")
    page.get_by_role("button", name="Create the claim").click()
    page.wait_for_url(re.compile(r"/claims/\d+$"))
    expect(page.locator("h1.claim-text")).to_have_text(text)
    related = page.locator(f"#related .related-claim a[href='/claims/{flag['id']}']")
    expect(related).to_have_text(flag["text"])


def test_words_that_fit_several_claims_offer_them_without_javascript(
    live_server: LiveServer, open_page: OpenPage
) -> None:
    """With JavaScript off, the claim field is plain text: words that fit two claims come back with both
    to choose from, and choosing one saves the statement on it."""
    claims: Any = live_server.api("/claims?limit=200")
    failed = next(item for item in claims["items"] if item["slug"] == "putin-campaign-failed")
    sources: Any = live_server.api("/sources?limit=200")
    source = sources["items"][0]["id"]
    page = open_page("desktop", role=Role.EDITOR)
    page.route("**/claimtrack.js", lambda route: route.abort())
    page.goto(f"/sources/{source}/attributions/new")
    form = page.locator("form[data-quote-form]")
    quote = page.locator("[data-quote-source]").inner_text().split("\n")[0][:30].strip()
    form.get_by_label("Quote", exact=True).fill(quote)
    form.get_by_label("Actor", exact=True).fill("Peskov")
    form.get_by_label("Claim", exact=True).fill("putin")
    form.get_by_label("Stance", exact=True).select_option("asserted")
    form.get_by_role("button", name="Attribute the statement").click()

    problem = page.locator("#attribution-claim-problem")
    expect(problem).to_contain_text("“putin” fits 2 claims: choose one, or type more of its words.")
    expect(page.locator("#attribution-claim")).to_have_value("putin")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    problem.get_by_label(f"{failed['id']}: {failed['text']}").check()
    form.get_by_role("button", name="Attribute the statement").click()
    page.wait_for_url(re.compile(rf"/claims/{failed['id']}#attribution-\d+$"))
