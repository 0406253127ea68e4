"""Every page type, in a real browser at phone and desktop width: no serious or critical axe-core
violation, no sideways scrolling at 375 px, a screenshot for people to look at, and keyboard use."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.vocabulary import Role
from tests.browser.conftest import VIEWPORTS, OpenPage
from tests.browser.helpers import (
    axe_violations,
    describe_violations,
    focus_outline,
    focused_stop,
    horizontal_overflow,
    layout_shift,
    number_controls,
)
from tests.conftest import sqlite_only

# A page's markup and styles do not depend on the database, so the scans use one: SQLite. The flows
# (test_flows.py), which read and write through the pages, run on both databases.
pytestmark = [pytest.mark.browser, sqlite_only]


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    """The path, with {claim}, {actor} and {source} for the seed items of `seed_paths` (conftest.py)."""
    role: Role | None = None
    status: int = 200


PAGE_TYPES = [
    PageType("claims-index", "/"),
    PageType("claim", "/claims/{claim}"),
    PageType("claim-as-fact-checker", "/claims/{claim}", Role.FACT_CHECKER),
    PageType("actors-index", "/actors"),
    PageType("actor", "/actors/{actor}"),
    PageType("sources-index", "/sources"),
    PageType("source", "/sources/{source}"),
    PageType("source-as-editor", "/sources/{source}", Role.EDITOR),
    PageType("search-results", "/search?q=ropcke"),
    PageType("login", "/login"),
    PageType("account", "/account", Role.FACT_CHECKER),
    PageType("new-source", "/sources/new", Role.EDITOR),
    PageType("new-actor", "/actors/new", Role.EDITOR),
    PageType("new-claim", "/claims/new", Role.EDITOR),
    PageType("edit-claim", "/claims/{claim}/edit", Role.EDITOR),
    PageType("new-attribution", "/sources/{source}/attributions/new", Role.EDITOR),
    PageType("audit-log", "/audit", Role.ADMIN),
    PageType("admin-users", "/admin/users", Role.ADMIN),
    PageType("admin-new-password", "/admin/users/browser-editor/password", Role.ADMIN),
    PageType("deleted-items", "/admin/deleted", Role.ADMIN),
    PageType("not-found", "/claims/999999", status=404),
]


def visit(open_page: OpenPage, seed_paths: dict[str, str], page_type: PageType, viewport: str) -> Page:
    page = open_page(viewport, role=page_type.role)
    response = page.goto(page_type.path.format(**seed_paths), wait_until="load")
    assert response is not None
    assert response.status == page_type.status, f"{page_type.path}: {response.status}"
    return page


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=[page_type.name for page_type in PAGE_TYPES])
def test_no_serious_accessibility_violations(
    open_page: OpenPage,
    seed_paths: dict[str, str],
    screenshots_dir: Path,
    page_type: PageType,
    viewport: str,
) -> None:
    """axe-core finds nothing serious or critical; the page's screenshot is kept for people to see."""
    page = visit(open_page, seed_paths, page_type, viewport)
    screenshot = screenshots_dir / f"{page_type.name}-{viewport}.png"
    page.screenshot(path=screenshot, full_page=True, animations="disabled")
    assert screenshot.read_bytes().startswith(b"\x89PNG")

    violations = axe_violations(page)

    assert not violations, f"{page_type.name} at {viewport} width:\n{describe_violations(violations)}"


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=[page_type.name for page_type in PAGE_TYPES])
def test_no_horizontal_scrolling_at_phone_width(
    open_page: OpenPage, seed_paths: dict[str, str], page_type: PageType
) -> None:
    page = visit(open_page, seed_paths, page_type, "phone")

    scroll_width, window_width, wide = horizontal_overflow(page)

    assert scroll_width <= window_width, (
        f"{page_type.name} is {scroll_width} px wide in a {window_width} px window; too wide: {wide}"
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=[page_type.name for page_type in PAGE_TYPES])
def test_no_layout_jumps_as_the_page_loads(
    open_page: OpenPage, seed_paths: dict[str, str], page_type: PageType, viewport: str
) -> None:
    page = visit(open_page, seed_paths, page_type, viewport)

    shift, moved = layout_shift(page)

    assert shift < 0.1, f"{page_type.name} at {viewport} width jumped by {shift:.3f} as it loaded: {moved}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_keyboard_reaches_and_opens_the_first_claim(open_page: OpenPage, viewport: str) -> None:
    """Tabbing from the top of the claims index reaches the first claim's link, with a visible
    outline on each stop, and Enter opens the claim."""
    page = open_page(viewport)
    page.goto("/")
    first_claim = page.locator(".claim-list .claim-item h2 a").first
    target = first_claim.get_attribute("href")
    claim_text = first_claim.inner_text()
    assert target is not None
    assert target.startswith("/claims/")

    page.keyboard.press("Tab")
    skip_link = focus_outline(page)
    assert skip_link["text"] == "Skip to content"
    expect(page.locator(".skip-link")).to_be_in_viewport()

    stops = []
    for _ in range(80):
        focused = focus_outline(page)
        stops.append(focused["href"] or focused["id"] or focused["tag"])
        if focused["inDatePicker"]:
            page.keyboard.press("Tab")
            continue
        assert focused["outlineStyle"] != "none", f"no visible focus outline on {focused}"
        assert focused["outlineWidth"] >= 2, f"too thin a focus outline on {focused}"
        if focused["href"] == target:
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"80 presses of Tab did not reach {target}; the focus went through {stops}")

    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target}")
    expect(page.locator("h1")).to_have_text(claim_text)


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=[page_type.name for page_type in PAGE_TYPES])
def test_the_keyboard_alone_reaches_every_control_of_the_page(
    open_page: OpenPage, seed_paths: dict[str, str], page_type: PageType
) -> None:
    """Tab, from the top, goes through every visible link, button and field in document order, each
    with a visible focus outline, and leaves the page at the end (no control traps the focus)."""
    page = visit(open_page, seed_paths, page_type, "desktop")
    controls = number_controls(page)
    assert controls, f"{page_type.name} has no control at all"
    expected = [control.index for control in controls if control.group is None]
    groups = {control.group for control in controls if control.group is not None}

    reached: list[int] = []
    reached_groups: set[str] = set()
    # Each control once, a date input a few times (day, month, year, calendar), then off the page.
    for _ in range(3 * len(controls) + 20):
        page.keyboard.press("Tab")
        focused = focused_stop(page)
        if focused["stop"] is None:
            break
        control = controls[focused["stop"]]
        if not focused["inDatePicker"]:
            assert focused["outline"], f"{page_type.name}: no visible focus outline on {focused['html']}"
        if control.group is not None:
            reached_groups.add(control.group)
        elif not reached or reached[-1] != control.index:
            reached.append(control.index)
    else:
        pytest.fail(f"{page_type.name}: the focus never left the page; it went through {reached}")

    missed = [controls[index].label for index in sorted(set(expected) - set(reached))]
    assert not missed, f"{page_type.name}: Tab never reached {missed}"
    assert reached == expected, f"{page_type.name}: Tab went out of document order: {reached}"
    assert reached_groups == groups


def test_at_phone_width_the_claims_come_before_the_filters(open_page: OpenPage) -> None:
    """At 375 px the filter form is folded behind one bar, so the first claim is on the first screen;
    the bar opens it from the keyboard. At desktop width the form is simply there."""
    phone = open_page("phone")
    phone.goto("/?stance=could_not_verify")
    toggle = phone.locator("summary.filter-panel-toggle")
    expect(toggle).to_have_text("Filter claims (1 active)")
    expect(phone.locator("#filter-actor")).to_be_hidden()
    expect(phone.locator(".claim-list .claim-item h2 a").first).to_be_in_viewport()

    toggle.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#filter-actor")).to_be_visible()
    expect(phone.locator("#filter-stance")).to_have_value("could_not_verify")

    desktop = open_page("desktop")
    desktop.goto("/")
    expect(desktop.locator("summary.filter-panel-toggle")).to_be_hidden()
    expect(desktop.locator("#filter-actor")).to_be_visible()
