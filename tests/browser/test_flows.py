"""End to end, in a real browser: what a reader, a fact-checker and an editor do with claimtrack."""

import re
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from app.vocabulary import Role, Stance, VerificationStatus
from tests.browser.conftest import ACCOUNTS, LiveServer, OpenPage
from tests.browser.helpers import TIMEOUT_MS, sign_in

pytestmark = pytest.mark.browser

ROPCKE = "julian-ropcke"


def claim_ids_shown(page: Page) -> list[int]:
    """The claims the index lists, in order."""
    return [
        int(value)
        for value in page.locator(".claim-list .claim-item").evaluate_all(
            "(items) => items.map((item) => item.getAttribute('data-claim-id'))"
        )
    ]


def test_search_finds_ropcke_and_leads_to_his_quote_highlighted_in_the_source(
    open_page: OpenPage, live_server: LiveServer
) -> None:
    """Search `ropcke` from the header, open the first statement of Röpcke's among the results,
    follow it to its source, and find his words highlighted in the text."""
    statements: Any = live_server.api(f"/attributions?actor={ROPCKE}&limit=200")
    quotes = {item["id"]: item["quote"] for item in statements["items"]}
    assert quotes, "the seeds attribute statements to Röpcke"

    page = open_page("desktop")
    page.goto("/")
    search = page.locator("form[role='search'][action='/search']")
    search.locator("input#site-search[name='q']").fill("ropcke")
    search.locator("input#site-search").press("Enter")
    page.wait_for_url(re.compile(r"/search\?(.*&)?q=ropcke"))
    expect(page.locator("main")).to_contain_text("Röpcke")

    # The first result that is one of Röpcke's statements: its permanent link names the statement.
    links = page.locator("main a[href^='/attributions/']")
    hrefs: list[str] = links.evaluate_all("(all) => all.map((a) => a.getAttribute('href'))")
    ours = [href for href in hrefs if int(href.rsplit("/", 1)[1]) in quotes]
    assert ours, f"no result links to a statement of Röpcke's ({sorted(quotes)}); result links: {hrefs}"
    attribution_id = int(ours[0].rsplit("/", 1)[1])
    page.locator(f"main a[href='{ours[0]}']").first.click()

    # The permanent link lands on the statement on its claim's page, or in the claim's list of statements.
    page.wait_for_url(re.compile(rf"/claims/\d+(/statements\?.*)?#attribution-{attribution_id}$"))
    statement = page.locator(f"#attribution-{attribution_id}")
    expect(statement).to_contain_text("Julian Röpcke")
    statement.locator("a.source-link").click()
    page.wait_for_url(re.compile(rf"/sources/\d+\?statement={attribution_id}#attribution-{attribution_id}$"))

    spans = page.locator(f".source-text mark[data-attributions~='{attribution_id}']")
    expect(spans.first).to_be_visible()
    highlighted = "".join(spans.all_text_contents())
    assert quotes[attribution_id] in highlighted
    background = spans.first.evaluate("(mark) => getComputedStyle(mark).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), "the quote is not highlighted"
    expect(page.locator(f"#attribution-{attribution_id}")).to_contain_text("Julian Röpcke")


TOOLTIP = "(link) => { const tip = getComputedStyle(link, '::after'); return [tip.display, tip.content]; }"


def test_a_highlighted_passage_says_who_said_what_when_focused_or_pointed_at(
    open_page: OpenPage, live_server: LiveServer
) -> None:
    """On a source's page, focusing or pointing at a highlighted passage shows its actor, stance and
    claim; Escape hides it again; the legend names every stance in words, not only in colour."""
    statements: Any = live_server.api(f"/attributions?actor={ROPCKE}&limit=200")
    statement = statements["items"][0]
    page = open_page("desktop")
    page.goto(f"/sources/{statement['source']['id']}")

    passage = page.locator(
        f".source-text a.span-link:has(mark[data-attributions~='{statement['id']}'])"
    ).first
    other = page.locator(".source-text a.span-link").first
    assert passage.evaluate(TOOLTIP)[0] == "none", "the tooltip shows before anyone asks for it"

    passage.focus()
    display, content = passage.evaluate(TOOLTIP)
    assert display == "block"
    stance = Stance(statement["stance"]).label
    for expected in ("Julian Röpcke", stance, statement["claim"]["text"]):
        assert expected in content, f"{expected!r} is not in the tooltip {content!r}"

    page.keyboard.press("Escape")
    assert passage.evaluate(TOOLTIP)[0] == "none"
    assert passage.evaluate("(link) => link === document.activeElement"), "Escape moved the focus"

    passage.blur()
    other.hover()
    assert other.evaluate(TOOLTIP)[0] == "block"

    legend = page.locator(".highlight-legend")
    for each in Stance:
        expect(legend.locator(f".legend-item[data-stance='{each.value}']")).to_contain_text(each.label)


def test_filtered_claims_index_is_a_shareable_link(open_page: OpenPage, live_server: LiveServer) -> None:
    """Filter the claims by actor and stance through the form; the URL carries the filters, and
    opening it in a fresh browser shows the same list."""
    expected: Any = live_server.api("/claims?actor=Kuleba&stance=could_not_verify&limit=200")
    everything: Any = live_server.api("/claims?limit=200")
    expected_ids = [item["id"] for item in expected["items"]]
    assert 0 < len(expected_ids) < len(everything["items"]), "the filter must narrow the list"

    page = open_page("desktop")
    page.goto("/")
    filters = page.locator("main form").filter(has=page.locator("#filter-actor"))
    filters.get_by_label("Actor", exact=True).fill("Kuleba")
    filters.get_by_label("Stance", exact=True).select_option(Stance.COULD_NOT_VERIFY.value)
    filters.locator("button[type='submit']").first.click()
    page.wait_for_url(re.compile(r"[?&]stance=could_not_verify"))

    query = parse_qs(urlsplit(page.url).query)
    assert query["actor"] == ["Kuleba"]
    assert query["stance"] == [Stance.COULD_NOT_VERIFY.value]
    expect(page.locator(".claim-list .claim-item")).to_have_count(len(expected_ids))
    assert claim_ids_shown(page) == expected_ids
    shared_url = page.url

    fresh = open_page("phone")
    fresh.goto(shared_url)
    expect(fresh.locator(".claim-list .claim-item")).to_have_count(len(expected_ids))
    assert claim_ids_shown(fresh) == expected_ids
    expect(fresh.locator("#filter-actor")).to_have_value("Kuleba")
    expect(fresh.locator("#filter-stance")).to_have_value(Stance.COULD_NOT_VERIFY.value)


def test_fact_checker_sets_a_status_and_sees_it_in_the_history(
    chromium: Browser, live_server: LiveServer
) -> None:
    """A fact-checker signs in, opens a claim from the index, sets its verification status with a
    rationale, and finds the change in the claim's history."""
    claims: Any = live_server.api("/claims?limit=200")
    claim = next(item for item in claims["items"] if item["slug"] == "false-flag")
    new_status = (
        VerificationStatus.IN_REVIEW
        if claim["verification_status"] != VerificationStatus.IN_REVIEW
        else VerificationStatus.UNCONFIRMED
    )
    rationale = f"Re-opened to compare the tweets with the articles (browser test {uuid.uuid4().hex[:8]})."

    context = chromium.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 900})
    try:
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        sign_in(page, ACCOUNTS[Role.FACT_CHECKER])
        page.locator(f".claim-list a[href='/claims/{claim['id']}']").click()
        page.wait_for_url(f"**/claims/{claim['id']}")

        form = page.locator("form.status-form")
        form.get_by_label("Status").select_option(new_status.value)
        form.get_by_label("Rationale").fill(rationale)
        with page.expect_navigation():
            form.get_by_role("button", name="Save the status").click()
        expect(page.locator(".form-error")).to_have_count(0)
        assert urlsplit(page.url).path == f"/claims/{claim['id']}"

        row = page.locator(".status-history tr", has_text=rationale)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(ACCOUNTS[Role.FACT_CHECKER])
        expect(row).to_contain_text(new_status.label)
        expect(page.locator(".current-status")).to_contain_text(new_status.label)
    finally:
        context.close()

    after: Any = live_server.api(f"/claims/{claim['id']}")
    assert after["verification_status"] == new_status.value


# The first sentence of a source's text that nobody is quoted in, and where its first and last
# characters are on the screen: where a person would press and release the mouse to select it.
_UNQUOTED_SENTENCE = """
() => {
  const text = document.querySelector(".source-text");
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement !== text) continue;
    const found = /[A-Z][^\\n.]{40,160}\\./.exec(node.data);
    if (!found) continue;
    const box = (start, end) => {
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, end);
      const rect = range.getClientRects()[0];
      return {left: rect.left, right: rect.right, y: rect.top + rect.height / 2};
    };
    const start = found.index, end = found.index + found[0].length;
    const whole = document.createRange();
    whole.setStart(node, start);
    whole.setEnd(node, end);
    window.scrollTo({top: window.scrollY + whole.getBoundingClientRect().top - 100, behavior: "instant"});
    return {passage: found[0], first: box(start, start + 1), last: box(end - 1, end)};
  }
  return null;
}
"""


def test_editor_selects_a_passage_and_attributes_it(chromium: Browser, live_server: LiveServer) -> None:
    """An editor selects a passage of a source's text with the mouse, starts a statement from it,
    completes actor, claim and stance, and finds the statement on the claim's page."""
    sources: Any = live_server.api("/sources?limit=200")
    claims: Any = live_server.api("/claims?limit=200")
    claim = next(item for item in claims["items"] if item["slug"] == "false-flag")
    source_id = next(
        item["id"] for item in sources["items"] if item["title"].startswith("Russia says Belgorod oil depot")
    )

    context = chromium.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 900})
    try:
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        sign_in(page, ACCOUNTS[Role.EDITOR], next_path=f"/sources/{source_id}")
        page.wait_for_url(f"**/sources/{source_id}")

        box = page.evaluate(_UNQUOTED_SENTENCE)
        assert box is not None, f"source {source_id} has no sentence outside the quotes"
        passage = box["passage"]
        page.mouse.move(box["first"]["left"] + 1, box["first"]["y"])
        page.mouse.down()
        page.mouse.move(box["last"]["right"] - 1, box["last"]["y"], steps=8)
        page.mouse.up()
        assert page.evaluate("() => window.getSelection().toString()") == passage

        start_link = page.locator("[data-attribute-link]")
        expect(start_link).to_have_text("Attribute the selected passage")
        start_link.click()
        page.wait_for_url(re.compile(rf"/sources/{source_id}/attributions/new\?start=\d+&end=\d+"))

        form = page.locator("form[data-quote-form]")
        expect(form.get_by_label("Quote", exact=True)).to_have_value(passage)
        form.get_by_label("Actor", exact=True).fill("Roepcke")
        form.get_by_label("Claim", exact=True).fill(str(claim["id"]))
        form.get_by_label("Stance", exact=True).select_option(Stance.DISPUTED.value)
        form.get_by_role("button", name="Attribute the statement").click()
        page.wait_for_url(re.compile(rf"/claims/{claim['id']}#attribution-\d+$"))

        attribution_id = page.url.rsplit("#attribution-", 1)[1]
        statement = page.locator(f"#attribution-{attribution_id}")
        expect(statement).to_be_visible()
        expect(statement).to_contain_text("Julian Röpcke")
        expect(statement.locator("mark.quote")).to_have_text(passage)
        expect(
            page.locator(f"[data-stance='{Stance.DISPUTED.value}'] #attribution-{attribution_id}")
        ).to_have_count(1)
    finally:
        context.close()
