"""The search box on every page, the search results page, and the filters with their chips, as a reader
sees them: the parsed HTML of the real pages on the seeds, on both backends."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim
from app.names import fold_name
from app.search import service
from tests.conftest import sqlite_only
from tests.helpers import SOURCE_002, TITLES, attr, claim_id, get_items, one, page, source_id, text

# ---- the search box in the header ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/actors",
        "/actors/julian-ropcke",
        "/sources",
        "/search",
        "/search?q=ropcke",
        "/login",
        "/nowhere",
    ],
)
def test_every_page_has_the_one_search_box_in_its_header(client: TestClient, url: str) -> None:
    soup = page(client, url, status=404 if url == "/nowhere" else 200)

    form = one(soup, "header form[role='search'].site-search")
    assert (attr(form, "action"), attr(form, "method")) == ("/search", "get")
    field = one(form, "input#site-search")
    assert (attr(field, "name"), attr(field, "type")) == ("q", "search")
    assert text(one(form, "label[for='site-search']")) == "Search"
    assert text(one(form, "button[type='submit']")) == "Search"
    assert len(soup.select("#site-search")) == 1


def test_the_claim_and_source_pages_have_the_search_box(client: TestClient) -> None:
    for url in (f"/claims/{claim_id(client, 'false-flag')}", f"/sources/{source_id(client, SOURCE_002)}"):
        one(page(client, url), "header form.site-search[action='/search'] input#site-search[name='q']")


def test_the_header_box_keeps_the_words_searched(client: TestClient) -> None:
    assert attr(one(page(client, "/search?q=Röpcke"), "#site-search"), "value") == "Röpcke"
    assert one(page(client, "/"), "#site-search").get("value") is None


# ---- results ----------------------------------------------------------------------------------------------


def results(soup: BeautifulSoup) -> list[Tag]:
    return soup.select("ol.search-results > li.search-result")


def result_links(soup: BeautifulSoup) -> list[str]:
    return [attr(one(item, ".search-result-title a"), "href") for item in results(soup)]


def test_ropcke_finds_roepcke_first_then_what_he_said(client: TestClient) -> None:
    soup = page(client, "/search?q=ropcke")

    assert soup.title is not None
    assert soup.title.get_text() == "Search: ropcke — claimtrack"
    assert text(one(soup, "h1")) == "Search results for “ropcke”"
    first = results(soup)[0]
    assert attr(first, "data-kind") == "actor"
    assert attr(one(first, ".search-result-title a"), "href") == "/actors/julian-ropcke"
    assert [mark.get_text() for mark in first.select(".search-result-title mark")] == ["Röpcke"]
    # Every statement of his is listed, each linked to its claim's page at the statement.
    his = {
        statement["id"]: statement
        for statement in get_items(client, "/api/v1/attributions?actor=julian-ropcke&limit=200")
    }
    listed = {
        int(attr(item, "data-id")): item for item in results(soup) if attr(item, "data-kind") == "attribution"
    }
    assert set(his) <= set(listed)
    for statement_id in his:
        link = attr(one(listed[statement_id], ".search-result-title a"), "href")
        assert link == f"/attributions/{statement_id}"
        assert text(one(listed[statement_id], ".search-result-detail")) == "Julian Röpcke"


def test_the_statement_a_result_links_to_is_on_the_claim_page(client: TestClient) -> None:
    soup = page(client, "/search?q=Roepcke+false+flag")
    statement = next(item for item in results(soup) if attr(item, "data-kind") == "attribution")
    link = client.get(attr(one(statement, ".search-result-title a"), "href"), follow_redirects=False)
    assert link.status_code == 302
    path, _, anchor = link.headers["location"].partition("#")

    claim_page = page(client, path)

    target = one(claim_page, f"li#{anchor}")
    assert text(one(target, ".attribution-actor")).startswith("Julian Röpcke")


def test_zelensky_finds_zelenskyy(client: TestClient) -> None:
    soup = page(client, "/search?q=zelensky")

    first = results(soup)[0]
    assert attr(one(first, ".search-result-title a"), "href") == "/actors/volodymyr-zelenskyy"
    marks = {mark.get_text() for mark in soup.select("ol.search-results mark")}
    assert marks
    assert {fold_name(mark) for mark in marks} == {"zelensky"}
    assert "Zelenskyy" in marks


def test_every_marked_word_is_a_word_searched_for(client: TestClient) -> None:
    soup = page(client, "/search?q=oil+depot+Belgorod&limit=200")

    marks = soup.select("ol.search-results mark.search-match")
    assert marks
    for mark in marks:
        assert any(fold_name(mark.get_text()).startswith(term) for term in ("oil", "depot", "belgorod"))


def test_highlighting_escapes_the_text_before_marking_it(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    claim = create_claim(
        session, ClaimCreate(text="The <em>zeppelin</em> & <script>alert(1)</script> zeppelins."), by="test"
    )
    session.flush()

    response = client.get("/search?q=zeppelin")
    soup = BeautifulSoup(response.text, "html.parser")

    (item,) = results(soup)
    title = one(item, ".search-result-title a")
    assert attr(title, "href") == f"/claims/{claim.id}"
    assert title.select("em, script") == []
    assert [mark.get_text() for mark in title.select("mark")] == ["zeppelin", "zeppelins"]
    assert title.get_text() == claim.text
    # The text is escaped, then the matching words are marked: no tag of the text reaches the page.
    assert (
        'The &lt;em&gt;<mark class="search-match">zeppelin</mark>&lt;/em&gt; &amp; '
        '&lt;script&gt;alert(1)&lt;/script&gt; <mark class="search-match">zeppelins</mark>.'
    ) in response.text


def test_the_query_is_shown_escaped(client: TestClient) -> None:
    response = client.get("/search", params={"q": '<img src=x onerror=alert(1)> "ropcke"'})

    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select("main img") == []
    assert text(one(soup, "h1")) == 'Search results for “<img src=x onerror=alert(1)> "ropcke"”'
    assert results(soup) == []  # every word must match, and no document has them all


def test_nothing_found_says_so(client: TestClient) -> None:
    soup = page(client, "/search?q=qqqzzzxxx")

    assert results(soup) == []
    assert text(one(soup, "p.empty")).startswith("Nothing matches “qqqzzzxxx”.")


def test_an_empty_search_asks_for_words(client: TestClient) -> None:
    for url in ("/search", "/search?q=", "/search?q=***+--"):
        soup = page(client, url)
        assert results(soup) == []
        assert text(one(soup, "p.search-empty")).startswith("Type one or more words to search for")


@pytest.mark.parametrize(
    "query",
    ['"', "*", "-", "NEAR(a b)", "(((", "a OR b", "ropcke*", "'", "\\", "x" * 301, "🙂", "%_"],
)
def test_query_syntax_never_fails(client: TestClient, query: str) -> None:
    response = client.get("/search", params={"q": query})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


@sqlite_only
def test_a_nul_or_an_overlong_query_is_a_clear_422(visitor: TestClient) -> None:
    nul = page(visitor, "/search?q=rop%00cke", status=422)
    assert "NUL" in text(one(nul, "p.error-detail"))

    long = page(visitor, "/search?q=" + "x" * 1001, status=422)
    assert "q:" in text(one(long, "p.error-detail"))


def test_result_pages_follow_one_another(client: TestClient) -> None:
    everything = result_links(page(client, "/search?q=Belgorod&limit=200"))
    walked: list[str] = []
    url = "/search?q=Belgorod&limit=5"
    while True:
        soup = page(client, url)
        walked += result_links(soup)
        next_link = soup.select("nav.pager a.next-page")
        if not next_link:
            break
        url = "/search" + attr(next_link[0], "href")

    assert len(everything) > 10
    assert walked == everything


# ---- filters and chips ---------------------------------------------------------------------------------


def chip_map(soup: BeautifulSoup) -> dict[str, str]:
    """The chips: accessible name → link."""
    return {attr(chip, "aria-label"): attr(chip, "href") for chip in soup.select(".active-filters a.chip")}


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def test_search_filters_combine_and_show_as_chips(client: TestClient) -> None:
    url = "/search?q=helicopters&actor=Kuleba&stance=could_not_verify"
    soup = page(client, url)

    kinds = [attr(item, "data-kind") for item in results(soup)]
    assert kinds
    for item in results(soup):
        if attr(item, "data-kind") == "attribution":
            assert text(one(item, ".search-result-detail")) == "Dmytro Kuleba"
            assert attr(one(item, ".stance-badge"), "data-stance") == "could_not_verify"
    assert len(results(soup)) < len(results(page(client, "/search?q=helicopters&limit=200")))
    assert chip_map(soup) == {
        "Remove filter: Actor: Kuleba": "/search?q=helicopters&stance=could_not_verify",
        "Remove filter: Stance: Could not verify": "/search?q=helicopters&actor=Kuleba",
    }


def test_a_chip_removes_its_filter_and_only_it(client: TestClient) -> None:
    url = "/?actor=Peskov&stance=asserted&status=unverified&contested=no"
    soup = page(client, url)
    chips = chip_map(soup)

    assert list(chips) == [
        "Remove filter: Actor: Peskov",
        "Remove filter: Stance: Asserted",
        "Remove filter: Verification status: Unverified",
        "Remove filter: Contested: no",
    ]
    for label, href in chips.items():
        remaining = page(client, href)
        assert label not in chip_map(remaining)
        assert len(chip_map(remaining)) == 3
        assert query_of(href).items() < query_of(url).items()
    # Visible text is the filter; the link's name says what following it does.
    chip = one(soup, "a.chip[data-filter='stance']")
    assert text(chip) == "Stance: Asserted ×"


def form_url(form: Tag) -> str:
    """The URL a browser builds when the form is submitted as it stands."""
    fields: list[tuple[str, str]] = []
    for control in form.select("input[name], select[name]"):
        if control.name == "select":
            chosen = control.select("option[selected]") or control.select("option")[:1]
            fields.append((attr(control, "name"), attr(chosen[0], "value")))
        else:
            value = control.get("value")
            fields.append((attr(control, "name"), value if isinstance(value, str) else ""))
    return f"{attr(form, 'action')}?{urlencode(fields)}"


def test_a_filtered_index_round_trips_through_its_url(client: TestClient) -> None:
    source = source_id(client, SOURCE_002)
    url = (
        f"/?actor=roepcke&stance=asserted&contested=no&source={source}"
        "&date_from=2022-04-01&date_to=2022-04-01"
    )
    soup = page(client, url)

    form = one(soup, "form.filters")
    assert attr(one(form, "#filter-actor"), "value") == "roepcke"
    # The source field shows the title of the source its number designates; sent again, the title
    # designates the same source.
    assert attr(one(form, "#filter-source"), "value") == TITLES[SOURCE_002]
    assert attr(one(form, "#filter-contested option[selected]"), "value") == "no"
    assert attr(one(form, "#filter-date-from"), "value") == "2022-04-01"
    again = page(client, form_url(form))

    listed = [attr(item, "data-claim-id") for item in soup.select("li.claim-item")]
    assert [attr(item, "data-claim-id") for item in again.select("li.claim-item")] == listed
    # The same chips; the URL names the source by its title now, as the form does.
    assert list(chip_map(again)) == list(chip_map(soup))
    assert query_of(form_url(form))["source"] == TITLES[SOURCE_002]
    assert f"Remove filter: Source: {TITLES[SOURCE_002]}" in chip_map(soup)
    assert "Remove filter: Published from: 1 April 2022" in chip_map(soup)
    assert "Remove filter: Published until: 1 April 2022" in chip_map(soup)


def test_the_search_form_round_trips_through_its_url(client: TestClient) -> None:
    soup = page(client, "/search?q=helicopters&stance=denied&contested=yes")

    form = one(soup, "form.search-filters")
    assert attr(one(form, "#search-q"), "value") == "helicopters"
    again = page(client, form_url(form))

    assert result_links(again) == result_links(soup)
    assert chip_map(again) == chip_map(soup)


def test_the_index_lists_what_the_api_lists_for_the_new_filters(client: TestClient) -> None:
    source = source_id(client, SOURCE_002)
    for query in ("contested=yes", "contested=no", f"source={source}", "stance=disputed&contested=yes"):
        api_query = query.replace("=yes", "=true").replace("=no", "=false")
        expected = [str(claim["id"]) for claim in get_items(client, f"/api/v1/claims?{api_query}&limit=200")]
        soup = page(client, f"/?{query}&limit=200")
        assert [attr(item, "data-claim-id") for item in soup.select("li.claim-item")] == expected, query
    contested = page(client, "/?contested=yes&limit=200").select("li.claim-item")
    assert contested
    assert {attr(item, "data-contested") for item in contested} == {"true"}


def test_a_later_date_leaves_no_claim(client: TestClient) -> None:
    soup = page(client, "/?date_from=2022-04-02")

    assert soup.select("li.claim-item") == []
    assert text(one(soup, "p.empty")).startswith("No claim matches these filters.")


WRONG_FILTERS = [
    (
        "contested=maybe",
        "'maybe' is not a choice for “contested”: use yes or no, or leave it empty for either.",
    ),
    (
        "date_from=1st+April",
        "'1st April' is not a date for “published from”: write it as YYYY-MM-DD, e.g. 2022-04-01.",
    ),
    (
        "date_from=2022-04-02&date_to=2022-04-01",
        "“Published from” (2 April 2022) is after “published until” (1 April 2022): "
        "swap them, or leave one empty.",
    ),
]


@sqlite_only
@pytest.mark.parametrize(("query", "message"), WRONG_FILTERS)
def test_a_wrong_filter_value_is_a_clear_error(visitor: TestClient, query: str, message: str) -> None:
    for path in ("/", "/search?q=Belgorod&"):
        soup = page(visitor, f"{path}{'?' if path == '/' else ''}{query}", status=422)
        assert text(one(soup, "p.error-detail")) == message


# ---- how many results --------------------------------------------------------------------------------


def test_the_results_say_how_many_there_are(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = results(page(client, "/search?q=Belgorod&limit=200"))

    first = page(client, "/search?q=Belgorod&limit=5")
    monkeypatch.setattr(service, "COUNT_CAP", 5)
    capped = page(client, "/search?q=Belgorod&limit=5")

    assert len(everything) > 5
    assert text(one(first, ".search-count")) == f"{len(everything)} results"
    # Beyond the cap the count is not read to the end: the page says there are more.
    assert text(one(capped, ".search-count")) == "5+ results"


def test_one_result_is_one_result(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    create_claim(session, ClaimCreate(text="A zeppelin was seen over the depot."), by="test")
    session.flush()

    assert text(one(page(client, "/search?q=zeppelin"), ".search-count")) == "1 result"
