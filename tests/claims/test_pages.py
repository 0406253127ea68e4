"""The claims pages as an editor sees them: the index with its filters, and each claim's page."""

from collections import Counter
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient

from app.claims.service import STATEMENTS_PER_STANCE
from app.vocabulary import INVERSE_RELATION_LABELS, STATUS_INFO, RelationKind, Stance, VerificationStatus
from tests.conftest import sqlite_only
from tests.helpers import (
    ANNOTATIONS,
    SOURCE_000,
    SOURCE_001,
    SOURCE_002,
    STATEMENTS,
    TITLES,
    attr,
    claim_detail,
    get_items,
    get_json,
    one,
    page,
    text,
)

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML

SEED_CLAIMS: dict[str, dict[str, Any]] = {claim["key"]: claim for claim in ANNOTATIONS["claims"]}
RELATIONS = [
    (key, related["claim"], RelationKind(related["kind"]))
    for key, claim in SEED_CLAIMS.items()
    for related in claim.get("related", [])
]


# ---- helpers ---------------------------------------------------------------------------------------------


def normalised(words: str) -> str:
    return " ".join(words.split())


def api_claims(client: TestClient, query: str = "") -> list[dict[str, Any]]:
    """Every claim the API lists for a query, in the API's order."""
    return get_items(client, f"/api/v1/claims?limit=200{query}")


def claim_ids(client: TestClient) -> dict[str, int]:
    return {claim["slug"]: int(claim["id"]) for claim in api_claims(client)}


def source_ids(client: TestClient) -> dict[str, int]:
    """Source ids by seed file name, matched on the title sources.yaml gives each file."""
    by_title = {source["title"]: int(source["id"]) for source in get_items(client, "/api/v1/sources")}
    return {file_name: by_title[title] for file_name, title in TITLES.items()}


def seed_quote(*, actor: str, claim: str, source: str) -> str:
    (quote,) = [
        entry["quote"]
        for entry in STATEMENTS
        if (entry["actor"], entry["claim"], entry["source"]) == (actor, claim, source)
    ]
    return str(quote)


def statements_by(group: Tag, actor_slug: str) -> list[Tag]:
    """The statements of one actor in a stance group (the speaker's link, not the chain's)."""
    return [
        item
        for item in group.select("li.attribution")
        if attr(one(item, ".attribution-head .attribution-actor a.actor-link"), "href")
        == f"/actors/{actor_slug}"
    ]


def source_of(statement: Tag) -> int:
    """The source id a statement's source link leads to, checked to anchor the statement there."""
    href = attr(one(statement, "dd.attribution-source a.source-link"), "href")
    statement_id = attr(statement, "data-attribution-id")
    path, query_and_anchor = href.split("?")
    # The part of the source that holds the statement, at the statement.
    assert query_and_anchor == f"statement={statement_id}#attribution-{statement_id}"
    return int(path.removeprefix("/sources/"))


def listed_claims(soup: BeautifulSoup) -> list[int]:
    return [int(attr(item, "data-claim-id")) for item in soup.select("ol.claim-list > li.claim-item")]


def walk_index(client: TestClient, url: str) -> list[Tag]:
    """Every claim item of an index, following "Next page" to the end."""
    items: list[Tag] = []
    while True:
        soup = page(client, url)
        items.extend(soup.select("ol.claim-list > li.claim-item"))
        next_links = soup.select("nav.pager a.next-page")
        if not next_links:
            return items
        (next_link,) = next_links
        href = attr(next_link, "href")
        assert href.startswith("?")
        assert "cursor=" in href
        url = "/" + href


def assert_title_names(soup: BeautifulSoup, kind: str, name: str) -> None:
    """The <title> is "<kind>: <name> — claimtrack", the name cut after a word with "…" when long."""
    assert soup.title is not None
    title = soup.title.get_text()
    assert title.startswith(f"{kind}: ")
    assert title.endswith(" — claimtrack")
    shown = title.removeprefix(f"{kind}: ").removesuffix(" — claimtrack")
    if shown != name:
        assert shown.endswith("…")
        assert name.startswith(shown.removesuffix("…"))


# ---- a claim's page --------------------------------------------------------------------------------------


def test_helicopter_strike_shows_kuleba_could_not_verify_in_two_sources(client: TestClient) -> None:
    sources = source_ids(client)
    claim_id = claim_ids(client)["helicopter-strike"]
    # Every statement of the stance, as the claim's list of them shows it (the claim shows its first five).
    group = page(client, f"/claims/{claim_id}/statements?stance=could_not_verify")
    kuleba = statements_by(group, "dmytro-kuleba")
    by_source = {source_of(statement): statement for statement in kuleba}
    assert len(kuleba) == 2
    assert set(by_source) == {sources[SOURCE_000], sources[SOURCE_002]}

    for file_name in (SOURCE_000, SOURCE_002):
        statement = by_source[sources[file_name]]
        assert attr(statement, "data-stance") == "could_not_verify"
        assert one(statement, ".stance-badge").get_text() == "could not verify"
        quote = seed_quote(actor="dmytro-kuleba", claim="helicopter-strike", source=file_name)
        assert one(statement, "blockquote.quote-in-context mark.quote").get_text() == quote

    via_reuters = one(by_source[sources[SOURCE_000]], "ol.chain")
    assert [text(step) for step in via_reuters.select("li")] == [
        "Dmytro Kuleba",
        "Reuters (news report)",
        TITLES[SOURCE_000],
    ]
    assert (
        attr(one(via_reuters, "li.chain-step[data-position='0'] a.actor-link"), "href") == "/actors/reuters"
    )
    direct = one(by_source[sources[SOURCE_002]], "ol.chain")
    assert direct.select("li.chain-step") == []
    assert [text(step) for step in direct.select("li")] == ["Dmytro Kuleba", TITLES[SOURCE_002]]


def test_helicopter_strike_shows_its_status_and_the_rationale_of_its_history(client: TestClient) -> None:
    seed = SEED_CLAIMS["helicopter-strike"]
    label = STATUS_INFO[VerificationStatus(seed["status"])].label
    soup = page(client, f"/claims/{claim_ids(client)['helicopter-strike']}")

    article = one(soup, "article.claim-detail")
    assert attr(article, "data-status") == seed["status"]
    badge = one(article, ".page-header .badge.status-badge")
    assert attr(badge, "data-status") == seed["status"]
    assert badge.get_text() == label == "Partly confirmed"
    assert one(soup, "section#verification p.current-status .status-badge").get_text() == label

    (change,) = soup.select("section#verification table.status-history tbody tr.status-change")
    (recorded,) = claim_detail(client, "helicopter-strike")["history"]
    assert attr(change, "id") == f"status-change-{recorded['id']}"
    assert text(one(change, "td[data-label='Who']")) == recorded["changed_by"]
    assert [badge.get_text() for badge in change.select(".status-badge")] == ["Unverified", label]
    assert text(one(change, "td.rationale")) == normalised(seed["rationale"])
    assert soup.select("section#verification p.no-history") == []
    sources = source_ids(client)
    evidence = change.select("ul.evidence > li")
    assert [attr(one(item, "a"), "href") for item in evidence] == [
        f"/sources/{sources[entry['source']]}" for entry in seed["evidence"]
    ]
    assert [one(item, ".evidence-note").get_text() for item in evidence] == [
        entry["note"] for entry in seed["evidence"]
    ]


def test_an_unchecked_claim_says_it_has_no_history(client: TestClient) -> None:
    soup = page(client, f"/claims/{claim_ids(client)['talks-hampered']}")

    assert one(soup, "article.claim-detail .page-header .status-badge").get_text() == "Unverified"
    assert soup.select("table.status-history") == []
    assert text(one(soup, "section#verification p.no-history")).startswith(
        "Nobody has checked this claim yet"
    )


def test_helicopter_strike_shows_the_false_flag_claim_that_contradicts_it(client: TestClient) -> None:
    # annotations.yaml relates false-flag to helicopter-strike ("contradicts"), not the other way round.
    assert ("false-flag", "helicopter-strike", RelationKind.CONTRADICTS) in RELATIONS
    ids = claim_ids(client)
    soup = page(client, f"/claims/{ids['helicopter-strike']}")

    relation = one(soup, "section#related dl.related-claims div.relation[data-relation='contradicts']")
    assert one(relation, "dt").get_text() == "This claim contradicts:"
    (related,) = relation.select("dd.related-claim")
    assert attr(related, "data-kind") == "contradicts"
    assert attr(related, "data-direction") == "incoming"
    link = one(related, "a")
    assert attr(link, "href") == f"/claims/{ids['false-flag']}"
    assert link.get_text() == SEED_CLAIMS["false-flag"]["text"]
    assert one(related, ".status-badge").get_text() == "Unconfirmed"


@pytest.mark.parametrize(
    ("subject", "related", "kind"), RELATIONS, ids=[f"{s}-{k}-{r}" for s, r, k in RELATIONS]
)
def test_a_relation_reads_forwards_on_one_page_and_inverted_on_the_other(
    client: TestClient, subject: str, related: str, kind: RelationKind
) -> None:
    ids = claim_ids(client)
    for here, there, direction, wording in (
        (subject, related, "outgoing", kind.value),
        (related, subject, "incoming", INVERSE_RELATION_LABELS[kind]),
    ):
        soup = page(client, f"/claims/{ids[here]}")
        relation = one(soup, f"section#related div.relation[data-relation='{wording}']")
        assert one(relation, "dt").get_text() == f"This claim {wording}:"
        (entry,) = [
            dd
            for dd in relation.select("dd.related-claim")
            if attr(one(dd, "a"), "href") == f"/claims/{ids[there]}"
        ]
        assert (attr(entry, "data-kind"), attr(entry, "data-direction")) == (kind.value, direction)
        assert one(entry, "a").get_text() == SEED_CLAIMS[there]["text"]


def test_talks_hampered_shows_peskov_asserting_it_in_every_source_that_quotes_him(client: TestClient) -> None:
    sources = source_ids(client)
    # Every statement of the stance, as the claim's list of them shows it (the claim shows its first five).
    group = page(client, f"/claims/{claim_ids(client)['talks-hampered']}/statements?stance=asserted")
    peskov = statements_by(group, "dmitry-peskov")
    expected = Counter(
        sources[entry["source"]]
        for entry in STATEMENTS
        if (entry["actor"], entry["claim"]) == ("dmitry-peskov", "talks-hampered")
    )
    assert Counter(source_of(statement) for statement in peskov) == expected
    assert {sources[SOURCE_000], sources[SOURCE_001]} <= set(expected)
    shown_quotes = sorted(one(statement, "mark.quote").get_text() for statement in peskov)
    assert shown_quotes == sorted(
        entry["quote"]
        for entry in STATEMENTS
        if (entry["actor"], entry["claim"]) == ("dmitry-peskov", "talks-hampered")
    )


def test_every_claim_page_shows_each_statement_of_the_api_in_its_stance_group(client: TestClient) -> None:
    claims = api_claims(client)
    assert {claim["slug"] for claim in claims} == set(SEED_CLAIMS)
    for claim in claims:
        detail = get_json(client, f"/api/v1/claims/{claim['id']}")
        soup = page(client, f"/claims/{claim['id']}")
        article = one(soup, "article.claim-detail")
        assert attr(article, "data-claim-id") == str(claim["id"])
        assert attr(article, "data-contested") == ("true" if claim["contested"] else "false")

        groups = article.select("section.stance-group")
        assert [attr(group, "id") for group in groups] == [f"stance-{stance.value}" for stance in Stance]
        for group, expected in zip(groups, detail["groups"], strict=True):
            assert attr(group, "data-stance") == expected["stance"]
            count = expected["attribution_count"]
            assert text(one(group, "h3")) == f"{expected['heading']} ({count})"
            assert len(expected["attributions"]) == min(count, STATEMENTS_PER_STANCE)
            statements = group.select("ol.attribution-list > li.attribution")
            assert [attr(item, "id") for item in statements] == [
                f"attribution-{attribution['id']}" for attribution in expected["attributions"]
            ]
            assert ("is-empty" in group.get_attribute_list("class")) == (count == 0)
            assert len(group.select("p.nobody")) == (1 if count == 0 else 0)
            for item, attribution in zip(statements, expected["attributions"], strict=True):
                assert_statement(item, attribution)


def assert_statement(item: Tag, attribution: dict[str, Any]) -> None:
    """One statement on a claim page shows its actor, stance, quote in context, source and chain."""
    assert attr(item, "data-stance") == attribution["stance"]
    assert attr(item, "data-attribution-id") == str(attribution["id"])
    actor = one(item, ".attribution-head a.actor-link")
    assert (attr(actor, "href"), actor.get_text()) == (
        f"/actors/{attribution['actor']['slug']}",
        attribution["actor"]["name"],
    )
    assert attr(one(item, ".attribution-head .stance-badge"), "data-stance") == attribution["stance"]
    context = one(item, "blockquote.quote-in-context")
    assert one(context, "span.context-before").get_text() == attribution["quote_prefix"]
    assert one(context, "mark.quote").get_text() == attribution["quote"]
    assert one(context, "span.context-after").get_text() == attribution["quote_suffix"]
    assert attr(one(item, "dd.attribution-source a.source-link"), "href") == (
        f"/sources/{attribution['source']['id']}?statement={attribution['id']}#attribution-{attribution['id']}"
    )
    assert one(item, "dd.attribution-medium").get_text() == (attribution["medium"] or "not stated")
    chain = one(item, "ol.chain")
    assert [attr(link, "href") for link in chain.select("li.chain-step a.actor-link")] == [
        f"/actors/{step['actor']['slug']}" for step in attribution["via"]
    ]
    assert [attr(step, "data-position") for step in chain.select("li.chain-step")] == [
        str(step["position"]) for step in attribution["via"]
    ]
    assert one(chain, "li.chain-source").get_text() == attribution["source"]["title"]


def test_every_claim_page_is_titled_by_its_claim(client: TestClient) -> None:
    for claim in api_claims(client):
        soup = page(client, f"/claims/{claim['id']}")

        assert_title_names(soup, "Claim", claim["text"])
        (heading,) = soup.select("h1")
        assert heading.get_text() == claim["text"]
        assert attr(one(soup, "a.skip-link"), "href") == "#main"
        assert len(soup.select("main#main")) == 1
        assert one(soup, "nav.site-nav a[aria-current='page']").get_text() == "Claims"


def test_a_short_claim_is_named_in_full_in_the_title(client: TestClient) -> None:
    soup = page(client, f"/claims/{claim_ids(client)['depot-fire']}")

    assert soup.title is not None
    assert (
        soup.title.get_text()
        == "Claim: An oil depot in Belgorod, Russia, caught fire on 1 April 2022. — claimtrack"
    )


# ---- the claims index ------------------------------------------------------------------------------------


def test_the_index_lists_every_claim_once_across_its_pages(client: TestClient) -> None:
    claims = api_claims(client)
    items = walk_index(client, "/?limit=10")

    assert [int(attr(item, "data-claim-id")) for item in items] == [claim["id"] for claim in claims]
    for item, claim in zip(items, claims, strict=True):
        assert attr(item, "id") == f"claim-{claim['id']}"
        assert attr(item, "data-status") == claim["verification_status"]
        assert attr(item, "data-contested") == ("true" if claim["contested"] else "false")
        link = one(item, "h2.claim-text a")
        assert (attr(link, "href"), link.get_text()) == (f"/claims/{claim['id']}", claim["text"])
        badge = one(item, ".badge.status-badge")
        assert (attr(badge, "data-status"), badge.get_text()) == (
            claim["verification_status"],
            claim["verification_label"],
        )
        contested = item.select(".badge.contested-badge")
        assert [badge.get_text() for badge in contested] == (["Contested"] if claim["contested"] else [])
        assert one(item, "p.claim-summary").get_text() == claim["summary"]
        counts = item.select("ul.stance-counts li.stance-count")
        assert [attr(count, "data-stance") for count in counts] == [
            entry["stance"] for entry in claim["stances"]
        ]


def test_the_index_marks_the_contested_claims(client: TestClient) -> None:
    contested = {claim["id"] for claim in api_claims(client) if claim["contested"]}
    soup = page(client, "/?limit=200")

    shown = {int(attr(item, "data-claim-id")) for item in soup.select("li.claim-item[data-contested='true']")}
    badged = {
        int(attr(item, "data-claim-id"))
        for item in soup.select("li.claim-item")
        if item.select(".badge.contested-badge")
    }
    assert shown == badged == contested
    # In the seeds, Sorokin disputes Peskov on air superiority, Biden doubts the de-escalation.
    ids = claim_ids(client)
    assert {ids["air-superiority"], ids["russia-de-escalation"]} <= contested


def test_the_last_page_has_no_next_link_and_later_pages_link_to_the_first(client: TestClient) -> None:
    first = page(client, "/?limit=10")
    assert first.select("nav.pager a.first-page") == []
    second = page(client, "/" + attr(one(first, "nav.pager a.next-page"), "href"))

    assert attr(one(second, "nav.pager a.first-page"), "href") == "?limit=10"
    every = page(client, "/?limit=200")
    assert every.select("nav.pager") == []


def test_filtering_by_a_spelling_of_an_actor_lists_the_claims_the_api_gives(client: TestClient) -> None:
    expected = [claim["id"] for claim in api_claims(client, "&actor=Röpcke")]
    soup = page(client, "/?actor=roepcke")

    assert listed_claims(soup) == expected == [claim_ids(client)["false-flag"]]
    assert attr(one(soup, "#filter-actor"), "value") == "roepcke"
    assert soup.title is not None
    assert soup.title.get_text() == "Claims (filtered) — claimtrack"


def test_filtering_by_stance_and_actor_finds_what_kuleba_could_not_verify(client: TestClient) -> None:
    soup = page(client, "/?stance=could_not_verify&actor=Kuleba")

    assert listed_claims(soup) == [claim_ids(client)["helicopter-strike"]]
    assert attr(one(soup, "#filter-stance option[selected]"), "value") == "could_not_verify"


def test_an_empty_stance_means_any_stance(client: TestClient) -> None:
    unfiltered = page(client, "/?limit=200")
    soup = page(client, "/?stance=&status=&actor=&q=&limit=200")

    assert listed_claims(soup) == listed_claims(unfiltered) == [claim["id"] for claim in api_claims(client)]
    # No option is selected, so the browser shows the first: "Any stance".
    assert soup.select("#filter-stance option[selected]") == []
    any_stance = soup.select("#filter-stance option")[0]
    assert (attr(any_stance, "value"), any_stance.get_text()) == ("", "Any stance")
    assert soup.title is not None
    assert soup.title.get_text() == "Claims — claimtrack"
    assert soup.select("a.clear-filters") == []


def test_an_unknown_stance_is_an_error_page_naming_the_allowed_values(visitor: TestClient) -> None:
    soup = page(visitor, "/?stance=bogus", status=422)

    section = one(soup, "section.error-page[data-status='422']")
    detail = text(one(section, "p.error-detail"))
    assert detail == (
        "'bogus' is not a stance. Use one of: "
        + ", ".join(stance.value for stance in Stance)
        + "; or leave it empty for any stance."
    )
    assert [attr(link, "href") for link in section.select("ul.ways-on a")] == ["/", "/actors", "/sources"]


def test_an_unknown_status_is_an_error_page_naming_the_allowed_values(visitor: TestClient) -> None:
    soup = page(visitor, "/?status=maybe", status=422)

    detail = text(one(soup, "section.error-page[data-status='422'] p.error-detail"))
    for status in VerificationStatus:
        assert status.value in detail


def test_the_filter_form_keeps_what_the_user_chose(client: TestClient) -> None:
    soup = page(client, "/?actor=Julian+Roepcke&stance=asserted&status=unconfirmed&q=false+flag")

    form = one(soup, "form.filters")
    assert attr(one(form, "#filter-actor"), "value") == "Julian Roepcke"
    assert attr(one(form, "#filter-q"), "value") == "false flag"
    assert [attr(option, "value") for option in form.select("#filter-stance option[selected]")] == [
        "asserted"
    ]
    assert [attr(option, "value") for option in form.select("#filter-status option[selected]")] == [
        "unconfirmed"
    ]
    assert attr(one(form, "a.clear-filters"), "href") == "/"
    assert listed_claims(soup) == [claim_ids(client)["false-flag"]]


def test_the_text_filter_folds_accents_as_the_search_box_does(client: TestClient) -> None:
    soup = page(client, "/?q=R%C3%B6pcke")

    assert listed_claims(soup) == [claim_ids(client)["false-flag"]]
    chip = one(soup, "a.chip[data-filter='q']")
    assert text(chip).startswith("Text: Röpcke")
    assert attr(chip, "href") == "/"


def test_a_text_filter_of_punctuation_only_is_a_clear_error(visitor: TestClient) -> None:
    soup = page(visitor, "/?q=%25%25", status=422)

    detail = text(one(soup, "section.error-page[data-status='422'] p.error-detail"))
    assert "no word to look for" in detail
    assert "%%" in detail


def test_a_filter_nothing_matches_says_so(client: TestClient) -> None:
    soup = page(client, "/?q=no+claim+says+this+zzzz")

    assert soup.select("ol.claim-list") == []
    empty = one(soup, "p.empty")
    assert text(empty).startswith("No claim matches these filters.")
    assert attr(one(empty, "a"), "href") == "/"


def test_the_index_is_the_claims_page_of_the_site(client: TestClient) -> None:
    soup = page(client, "/")

    assert soup.title is not None
    assert soup.title.get_text() == "Claims — claimtrack"
    assert [heading.get_text() for heading in soup.select("h1")] == ["Claims"]
    assert one(soup, "nav.site-nav a[aria-current='page']").get_text() == "Claims"
    assert attr(one(soup, "a.skip-link"), "href") == "#main"
    assert len(soup.select("main#main")) == 1
    for field in ("#filter-actor", "#filter-stance", "#filter-status", "#filter-q"):
        control = one(soup, f"form.filters {field}")
        assert one(soup, f"label[for='{attr(control, 'id')}']").get_text()
