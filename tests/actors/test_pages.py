"""The actors pages as an editor sees them: the index with its name search, and each actor's page."""

from typing import Any

from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient

from app.vocabulary import ActorKind
from tests.conftest import sqlite_only
from tests.helpers import ANNOTATIONS, STATEMENTS, attr, get_items, get_json, one, page, text

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML

SEED_ACTORS: dict[str, dict[str, Any]] = {actor["slug"]: actor for actor in ANNOTATIONS["actors"]}


# ---- helpers ---------------------------------------------------------------------------------------------


def api_actors(client: TestClient) -> list[dict[str, Any]]:
    return get_items(client, "/api/v1/actors?limit=200")


def grouped_on_page(section: Tag, group_selector: str) -> list[tuple[int, list[str]]]:
    """(claim id, statement ids) for each claim group of a section, in page order."""
    return [
        (
            int(attr(group, "data-claim-id")),
            [attr(item, "id") for item in group.select("ol.attribution-list > li.attribution")],
        )
        for group in section.select(group_selector)
    ]


def grouped_in_api(groups: dict[str, Any], id_prefix: str) -> list[tuple[int, list[str]]]:
    """(claim id, ids of the statements shown) for each claim group of a page of an actor's claims."""
    return [
        (
            group["claim"]["id"],
            [f"{id_prefix}{attribution['id']}" for attribution in group["attributions"]["items"]],
        )
        for group in groups["items"]
    ]


def assert_title_names(soup: BeautifulSoup, kind: str, name: str) -> None:
    assert soup.title is not None
    assert soup.title.get_text() == f"{kind}: {name} — claimtrack"


# ---- an actor's page -------------------------------------------------------------------------------------


def test_ropcke_page_shows_his_name_aliases_and_affiliation(client: TestClient) -> None:
    actor = get_json(client, "/api/v1/actors/julian-ropcke")
    soup = page(client, "/actors/julian-ropcke")

    article = one(soup, "article.actor-detail[data-actor-slug='julian-ropcke']")
    assert [heading.get_text() for heading in soup.select("h1")] == ["Julian Röpcke"]
    assert_title_names(soup, "Actor", "Julian Röpcke")
    meta = one(article, "dl.actor-meta")
    aliases = [item.get_text() for item in meta.select("dd.actor-aliases li")]
    assert aliases == actor["aliases"]
    assert "Roepcke" in aliases
    assert set(aliases) == set(SEED_ACTORS["julian-ropcke"]["aliases"])
    affiliation = one(meta, "dd.actor-affiliation a")
    assert (attr(affiliation, "href"), affiliation.get_text()) == ("/actors/bild", "Bild")
    assert text(one(meta, "dd.actor-wikidata")) == "no item linked"
    assert meta.select("dd.actor-wikidata a") == []
    assert one(meta, "dd.actor-kind").get_text() == ActorKind.PERSON.label
    assert one(soup, "nav.site-nav a[aria-current='page']").get_text() == "Actors"


def test_ropcke_page_groups_his_statements_by_claim_as_the_api_does(client: TestClient) -> None:
    actor = get_json(client, "/api/v1/actors/julian-ropcke")
    soup = page(client, "/actors/julian-ropcke")

    statements = one(soup, "section#statements")
    shown = grouped_on_page(statements, "section.claim-statements")
    assert shown == grouped_in_api(actor["claims"], "attribution-")
    # He spoke on one claim, the false flag, in two sources (000 and 002).
    seeded = [entry for entry in STATEMENTS if entry["actor"] == "julian-ropcke"]
    assert [len(ids) for _claim, ids in shown] == [len(seeded)]
    (group,) = statements.select("section.claim-statements")
    assert attr(group, "id") == f"claim-{actor['claims']['items'][0]['claim']['id']}"
    assert one(group, "h3 a").get_text() == actor["claims"]["items"][0]["claim"]["text"]
    assert sorted(mark.get_text() for mark in group.select("mark.quote")) == sorted(
        entry["quote"] for entry in seeded
    )
    assert text(one(statements, "h2 .count")) == f"({len(seeded)})"


def test_ropcke_page_lists_the_statement_he_relayed(client: TestClient) -> None:
    actor = get_json(client, "/api/v1/actors/julian-ropcke")
    soup = page(client, "/actors/julian-ropcke")

    relayed = one(soup, "section#relayed")
    shown = grouped_on_page(relayed, "section.claim-statements.relayed")
    assert shown == grouped_in_api(actor["relayed"], "relayed-")
    relayed_in_seeds = [
        entry for entry in STATEMENTS if any(step["actor"] == "julian-ropcke" for step in entry["via"])
    ]
    assert sum(len(ids) for _claim, ids in shown) == len(relayed_in_seeds)


def test_a_spelling_of_a_name_redirects_to_the_actor(client: TestClient) -> None:
    response = client.get("/actors/roepcke", follow_redirects=False)

    assert response.status_code == 307
    assert response.headers["location"] == "/actors/julian-ropcke"
    soup = page(client, "/actors/roepcke")
    assert attr(one(soup, "article.actor-detail"), "data-actor-slug") == "julian-ropcke"


def test_an_unknown_slug_is_a_not_found_page(visitor: TestClient) -> None:
    soup = page(visitor, "/actors/nobody-at-all", status=404)

    section = one(soup, "section.error-page[data-status='404']")
    assert text(one(section, "p.error-detail")) == "There is no actor 'nobody-at-all'."
    assert section.select("p.did-you-mean") == []
    assert soup.select("article.actor-detail") == []


def test_a_name_several_actors_share_suggests_each_of_them(visitor: TestClient) -> None:
    response = visitor.get("/api/v1/actors/ukrainian-defense")
    assert response.status_code == 404
    suggested = response.json()["did_you_mean"]
    soup = page(visitor, "/actors/ukrainian-defense", status=404)

    links = soup.select("section.error-page p.did-you-mean a")
    assert [attr(link, "href") for link in links] == [f"/actors/{slug}" for slug in suggested]
    assert "ukrainian-defense-ministry" in suggested


def test_an_outlet_page_lists_the_statements_it_relayed(client: TestClient) -> None:
    actor = get_json(client, "/api/v1/actors/reuters")
    soup = page(client, "/actors/reuters")

    relayed = one(soup, "section#relayed")
    shown = grouped_on_page(relayed, "section.claim-statements.relayed")
    assert shown == grouped_in_api(actor["relayed"], "relayed-")
    via_reuters = [entry for entry in STATEMENTS if any(step["actor"] == "reuters" for step in entry["via"])]
    assert len(via_reuters) == 4
    assert text(one(relayed, "h2 .count")) == "(4)"
    # All four are on one claim: the page shows the first three, and links to all four.
    ((claim_id, ids),) = shown
    assert len(ids) == 3
    more = one(relayed, "p.more-statements a")
    assert attr(more, "href") == f"/actors/reuters/relayed/{claim_id}"
    assert text(more) == "All 4 statements relayed by Reuters on this claim"
    every = page(client, attr(more, "href"))
    assert text(one(every, "h1")) == "Statements relayed by Reuters (4)"
    listed = every.select("ol.attribution-list > li.attribution")
    assert [attr(item, "id") for item in listed][:3] == ids
    assert len(listed) == 4
    for item in relayed.select("li.attribution") + listed:
        chain = [attr(link, "href") for link in item.select("ol.chain li.chain-step a.actor-link")]
        assert "/actors/reuters" in chain
        assert attr(one(item, ".attribution-head a.actor-link"), "href") != "/actors/reuters"
    # Reuters also speaks for itself: it could not verify the videos (002).
    own = grouped_on_page(one(soup, "section#statements"), "section.claim-statements")
    assert own == grouped_in_api(actor["claims"], "attribution-")
    assert sum(len(ids) for _claim, ids in own) == 1


def test_an_actor_who_relayed_nothing_says_so(client: TestClient) -> None:
    soup = page(client, "/actors/dmytro-kuleba")

    relayed = one(soup, "section#relayed")
    assert relayed.select("li.attribution") == []
    assert text(one(relayed, "p.empty")) == "No statement on record reached a source through Dmytro Kuleba."


def test_every_actor_page_shows_what_the_api_has_them_say_and_relay(client: TestClient) -> None:
    actors = api_actors(client)
    assert {actor["slug"] for actor in actors} == set(SEED_ACTORS)
    for listed in actors:
        actor = get_json(client, f"/api/v1/actors/{listed['slug']}")
        soup = page(client, f"/actors/{listed['slug']}")

        assert attr(one(soup, "article.actor-detail"), "data-actor-slug") == actor["slug"]
        assert [heading.get_text() for heading in soup.select("h1")] == [actor["name"]]
        assert_title_names(soup, "Actor", actor["name"])
        said = grouped_on_page(one(soup, "section#statements"), "section.claim-statements")
        assert said == grouped_in_api(actor["claims"], "attribution-")
        relayed = grouped_on_page(one(soup, "section#relayed"), "section.claim-statements.relayed")
        assert relayed == grouped_in_api(actor["relayed"], "relayed-")
        # Each claim shows its first statements, and links to all of them when there are more.
        for group in actor["claims"]["items"]:
            section = one(soup, f"section#claim-{group['claim']['id']}")
            more = section.select("p.more-statements a")
            if group["attributions"]["next_url"] is None:
                assert more == []
            else:
                assert [attr(link, "href") for link in more] == [
                    f"/actors/{actor['slug']}/claims/{group['claim']['id']}"
                ]
        assert len(said) == len(actor["claims"]["items"])


# ---- the actors index ------------------------------------------------------------------------------------


def test_the_index_lists_every_actor_with_aliases_and_statement_count(client: TestClient) -> None:
    actors = api_actors(client)
    soup = page(client, "/actors?limit=200")

    items = soup.select("ul.actor-list > li.actor-item")
    assert [attr(item, "data-actor-slug") for item in items] == [actor["slug"] for actor in actors]
    for item, actor in zip(items, actors, strict=True):
        assert attr(item, "id") == f"actor-{actor['slug']}"
        assert attr(item, "data-kind") == actor["kind"]
        link = one(item, "h2.actor-name a")
        assert (attr(link, "href"), link.get_text()) == (f"/actors/{actor['slug']}", actor["name"])
        aliases = item.select("p.aliases")
        assert [text(tag) for tag in aliases] == (
            [f"Also known as: {'; '.join(actor['aliases'])}"] if actor["aliases"] else []
        )
        count = one(item, "p.actor-count")
        assert attr(count, "data-count") == str(actor["attribution_count"])
        noun = "statement" if actor["attribution_count"] == 1 else "statements"
        assert text(count) == f"{actor['attribution_count']} {noun}"


def test_the_index_pages_through_every_actor_once(client: TestClient) -> None:
    slugs: list[str] = []
    url = "/actors?limit=10"
    while True:
        soup = page(client, url)
        slugs.extend(attr(item, "data-actor-slug") for item in soup.select("li.actor-item"))
        next_links = soup.select("nav.pager a.next-page")
        if not next_links:
            break
        url = "/actors" + attr(one(soup, "nav.pager a.next-page"), "href")

    assert slugs == [actor["slug"] for actor in api_actors(client)]


def test_searching_the_index_by_another_spelling_finds_the_actor(client: TestClient) -> None:
    soup = page(client, "/actors?name=Roepcke")

    assert [attr(item, "data-actor-slug") for item in soup.select("li.actor-item")] == ["julian-ropcke"]
    assert attr(one(soup, "#actor-name"), "value") == "Roepcke"
    assert soup.title is not None
    assert soup.title.get_text() == "Actors named “Roepcke” — claimtrack"


def test_a_name_nobody_goes_by_says_so(client: TestClient) -> None:
    soup = page(client, "/actors?name=Nobody+At+All")

    assert soup.select("ul.actor-list") == []
    empty = one(soup, "p.empty")
    assert text(empty) == "No actor goes by “Nobody At All”. Show all actors."
    assert attr(one(empty, "a"), "href") == "/actors"


def test_the_index_is_the_actors_page_of_the_site(client: TestClient) -> None:
    soup = page(client, "/actors")

    assert soup.title is not None
    assert soup.title.get_text() == "Actors — claimtrack"
    assert [heading.get_text() for heading in soup.select("h1")] == ["Actors"]
    assert one(soup, "nav.site-nav a[aria-current='page']").get_text() == "Actors"
    assert attr(one(soup, "a.skip-link"), "href") == "#main"
    assert len(soup.select("main#main")) == 1
