"""The filter form's actor and source pickers in a real browser: they suggest as one types, the keyboard
alone chooses (arrows, Enter, Escape), nothing on the page moves as the suggestions open, and axe-core
finds nothing serious with them open."""

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

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
