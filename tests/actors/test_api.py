"""GET /api/v1/actors: who is on record, under any spelling, and everything each said or relayed."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.vocabulary import ActorKind, values
from tests.helpers import (
    ANNOTATIONS,
    STATEMENTS,
    get_items,
    get_json,
    get_page,
    get_problem,
    not_found,
    slugs,
    walk_pages,
)

ACTORS: list[dict[str, Any]] = ANNOTATIONS["actors"]
ACTORS_BY_SLUG = {actor["slug"]: actor for actor in ACTORS}
CLAIM_ORDER = [claim["key"] for claim in ANNOTATIONS["claims"]]

ACTOR_KEYS = {
    "id",
    "slug",
    "name",
    "kind",
    "role",
    "aliases",
    "affiliation",
    "wikidata_qid",
    "attribution_count",
    "created_at",
    "version",
}


def all_actors(client: TestClient) -> dict[str, dict[str, Any]]:
    return {actor["slug"]: actor for actor in get_items(client, "/api/v1/actors?limit=200")}


def actor_detail(client: TestClient, slug: str) -> dict[str, Any]:
    detail: dict[str, Any] = get_json(client, f"/api/v1/actors/{slug}")
    return detail


def rest_of(client: TestClient, first: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a list whose first page is `first` (a CountedPage), following `next_url` and
    then each page's `next_cursor`."""
    items = list(first["items"])
    url = first["next_url"]
    while url:
        page = get_page(client, url)
        items.extend(page["items"])
        base = url.split("&cursor=")[0]
        url = f"{base}&cursor={page['next_cursor']}" if page["next_cursor"] else None
    return items


def claim_groups(client: TestClient, first: dict[str, Any]) -> list[dict[str, Any]]:
    """Every claim group of an actor's claims or relayed claims, each with all its statements."""
    groups = []
    for group in rest_of(client, first):
        assert group["attributions"]["total"] == sum(group["counts"].values())
        groups.append({**group, "attributions": rest_of(client, group["attributions"])})
    return groups


def by_claim(statements: list[dict[str, Any]]) -> dict[str, list[str]]:
    """claim key -> the sorted quotes of these statements on it."""
    grouped: dict[str, list[str]] = {}
    for statement in statements:
        grouped.setdefault(statement["claim"], []).append(statement["quote"])
    return {claim: sorted(quotes) for claim, quotes in grouped.items()}


# The list


def test_the_list_has_every_actor_with_exactly_the_documented_keys(client: TestClient) -> None:
    actors = all_actors(client)

    assert sorted(actors) == sorted(ACTORS_BY_SLUG)
    for slug, actor in actors.items():
        entry = ACTORS_BY_SLUG[slug]
        assert set(actor) == ACTOR_KEYS
        assert (actor["name"], actor["kind"], actor["role"], actor["wikidata_qid"]) == (
            entry["name"],
            entry["kind"],
            entry["role"],
            entry["wikidata"],
        )
        assert actor["aliases"] == entry["aliases"]
        assert (actor["affiliation"] or {}).get("slug") == entry["affiliation"]
        assert actor["attribution_count"] == sum(1 for s in STATEMENTS if s["actor"] == slug)


def test_an_affiliation_is_a_brief_reference(client: TestClient) -> None:
    actors = all_actors(client)

    assert actors["julian-ropcke"]["affiliation"] == {
        "id": actors["bild"]["id"],
        "slug": "bild",
        "name": "Bild",
        "kind": "outlet",
    }


@pytest.mark.parametrize(
    "spelling", ["Röpcke", "Roepcke", "roepcke", "Ropcke", "Julian Röpcke", "@JulianRoepcke"]
)
def test_any_spelling_of_ropcke_finds_him(client: TestClient, spelling: str) -> None:
    assert slugs(client, f"/api/v1/actors?name={spelling}") == ["julian-ropcke"]


@pytest.mark.parametrize("spelling", ["Zelensky", "Zelenskyy", "Zelenskiy", "Зеленский", "Зеленський"])
def test_any_spelling_of_zelenskyy_finds_him(client: TestClient, spelling: str) -> None:
    assert slugs(client, f"/api/v1/actors?name={spelling}") == ["volodymyr-zelenskyy"]


def test_an_alias_that_describes_finds_the_actor(client: TestClient) -> None:
    assert slugs(client, "/api/v1/actors?name=the Kremlin spokesperson") == ["dmitry-peskov"]
    assert slugs(client, "/api/v1/actors?name=Дмитрий Песков") == ["dmitry-peskov"]


@pytest.mark.parametrize("name", ["Navalny", "Kuleb", "!!!"])
def test_an_unknown_name_finds_nobody(client: TestClient, name: str) -> None:
    assert get_page(client, f"/api/v1/actors?name={name}") == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("kind", values(ActorKind))
def test_kind_filter(client: TestClient, kind: str) -> None:
    assert sorted(slugs(client, f"/api/v1/actors?kind={kind}&limit=200")) == sorted(
        actor["slug"] for actor in ACTORS if actor["kind"] == kind
    )


def test_an_unknown_kind_lists_the_allowed_ones(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/actors?kind=alien", 422)

    assert [(e["field"], e["allowed"]) for e in problem["errors"]] == [("kind", values(ActorKind))]


def test_walking_pages_of_seven_returns_every_actor_once_in_order(client: TestClient) -> None:
    everything = get_page(client, "/api/v1/actors?limit=200")["items"]
    walked = [actor for page in walk_pages(client, "/api/v1/actors", 7) for actor in page["items"]]

    assert walked == everything
    assert len(walked) == len(ACTORS)
    assert [actor["id"] for actor in walked] == sorted(actor["id"] for actor in walked)


# One actor


def test_an_actor_shows_what_they_said_grouped_by_claim(client: TestClient) -> None:
    detail = actor_detail(client, "dmitry-peskov")

    assert set(detail) == ACTOR_KEYS | {"stance_matrix", "claims", "relayed_count", "relayed"}
    said = [s for s in STATEMENTS if s["actor"] == "dmitry-peskov"]
    assert detail["attribution_count"] == len(said)
    groups = claim_groups(client, detail["claims"])
    assert detail["claims"]["total"] == len(groups) == len(by_claim(said))
    assert {
        group["claim"]["slug"]: sorted(a["quote"] for a in group["attributions"]) for group in groups
    } == by_claim(said)
    # Grouped in claim order (the order the seeds create claims), each group in id order.
    order = [group["claim"]["slug"] for group in groups]
    assert order == sorted(order, key=CLAIM_ORDER.index)
    for group in groups:
        ids = [a["id"] for a in group["attributions"]]
        assert ids == sorted(ids)
    (talks,) = [group for group in groups if group["claim"]["slug"] == "talks-hampered"]
    assert talks["stances"] == ["asserted"]
    assert talks["counts"] == {"asserted": len(talks["attributions"])}
    assert {a["actor"]["slug"] for group in groups for a in group["attributions"]} == {"dmitry-peskov"}


def test_an_actor_shows_what_they_relayed(client: TestClient) -> None:
    detail = actor_detail(client, "julian-ropcke")

    relayed = [s for s in STATEMENTS if any(step["actor"] == "julian-ropcke" for step in s["via"])]
    assert relayed != []
    assert detail["relayed_count"] == len(relayed)
    groups = claim_groups(client, detail["relayed"])
    assert {
        group["claim"]["slug"]: sorted(a["quote"] for a in group["attributions"]) for group in groups
    } == by_claim(relayed)
    assert [(group["claim"]["slug"], group["stances"]) for group in groups] == [
        ("helicopter-strike", ["could_not_verify"])
    ]
    assert [(group["claim"]["slug"], group["stances"]) for group in detail["claims"]["items"]] == [
        ("false-flag", ["asserted"])
    ]


def test_kuleba_could_not_verify_the_helicopter_strike_in_two_sources(client: TestClient) -> None:
    detail = actor_detail(client, "dmytro-kuleba")

    assert detail["name"] == "Dmytro Kuleba"
    assert detail["affiliation"]["slug"] == "government-of-ukraine"
    (group,) = detail["claims"]["items"]
    assert (group["claim"]["slug"], group["stances"]) == ("helicopter-strike", ["could_not_verify"])
    assert group["counts"] == {"could_not_verify": 2}
    assert len({a["source"]["id"] for a in group["attributions"]["items"]}) == 2
    assert group["attributions"]["next_url"] is None
    assert (detail["claims"]["total"], detail["claims"]["next_url"]) == (1, None)
    assert detail["relayed"] == {"items": [], "next_cursor": None, "total": 0, "next_url": None}
    assert detail["relayed_count"] == 0


def test_an_outlet_relays_more_than_it_says(client: TestClient) -> None:
    detail = actor_detail(client, "reuters")

    relayed = [s for s in STATEMENTS if any(step["actor"] == "reuters" for step in s["via"])]
    assert detail["relayed_count"] == len(relayed)
    assert sum(len(group["attributions"]) for group in claim_groups(client, detail["relayed"])) == len(
        relayed
    )
    assert detail["attribution_count"] == sum(1 for s in STATEMENTS if s["actor"] == "reuters")


def test_an_unknown_actor_is_a_404_problem(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/actors/sergei-nobody", 404)

    assert problem == not_found("There is no actor 'sergei-nobody'.")


def test_a_misspelt_actor_slug_suggests_the_right_one(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/actors/roepcke", 404)

    assert problem == not_found("There is no actor 'roepcke'.", did_you_mean=["julian-ropcke"])
