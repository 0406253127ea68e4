"""An actor with hundreds of statements on dozens of claims, and as many relayed: their answer and their
page hold one page of claims, a few statements of each, and totals counted by the database, in as many
queries as for an actor with two statements; paging through them gives every claim and statement once."""

from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.actors.service import CLAIMS_PER_PAGE, STATEMENTS_PER_CLAIM
from app.vocabulary import Stance
from tests.bulk import Planned, insert_statements, new_actor, new_claims, new_source
from tests.conftest import QueryLog
from tests.helpers import attr, get_json, one, page, text

SPOKEN_CLAIMS = 25
PER_CLAIM = 12
RELAYED_CLAIMS = 15
RELAYED_PER_CLAIM = 8
SENTENCE = "Statement {:04d} was made on the record. "
STANCES = list(Stance)


@dataclass(frozen=True)
class Busy:
    slug: str
    actor_id: int
    claim_ids: list[int]
    said_ids: dict[int, list[int]]
    """claim id -> the ids of the actor's statements on it, ascending."""
    relayed_ids: dict[int, list[int]]
    stance_totals: dict[str, int]


@pytest.fixture
def busy(counted_client_and_session: tuple[TestClient, QueryLog, Session]) -> Busy:
    """Busy Speaker: 300 statements on 25 claims, every stance; 120 statements of another actor on 15
    of those claims reached their source through Busy Speaker."""
    _client, _log, session = counted_client_and_session
    count = SPOKEN_CLAIMS * PER_CLAIM + RELAYED_CLAIMS * RELAYED_PER_CLAIM
    text = "".join(SENTENCE.format(number) for number in range(count))
    source = new_source(session, text)
    speaker, other = new_actor(session, "Busy Speaker"), new_actor(session, "Quiet Source")
    claims = new_claims(session, SPOKEN_CLAIMS)
    length = len(SENTENCE.format(0))
    spans = iter(range(count))

    def place() -> tuple[int, int]:
        start = next(spans) * length
        return start, start + length - 1

    said = [
        Planned(speaker, claim, STANCES[(index + number) % len(STANCES)], *place())
        for index, claim in enumerate(claims)
        for number in range(PER_CLAIM)
    ]
    relayed = [
        Planned(other, claim, Stance.ASSERTED, *place(), via=(speaker,))
        for claim in claims[:RELAYED_CLAIMS]
        for _number in range(RELAYED_PER_CLAIM)
    ]
    ids = insert_statements(session, source, text, said + relayed)
    said_ids: dict[int, list[int]] = {}
    relayed_ids: dict[int, list[int]] = {}
    for statement, attribution_id in zip(said + relayed, ids, strict=True):
        target = relayed_ids if statement.via else said_ids
        target.setdefault(statement.claim.id, []).append(attribution_id)
    session.flush()
    return Busy(
        slug=speaker.slug,
        actor_id=speaker.id,
        claim_ids=[claim.id for claim in claims],
        said_ids=said_ids,
        relayed_ids=relayed_ids,
        stance_totals=dict(Counter(statement.stance.value for statement in said)),
    )


def queries_for(counted: tuple[TestClient, QueryLog, Session], url: str) -> int:
    client, log, _session = counted
    log.reset()
    response = client.get(url)
    assert response.status_code == 200, response.text
    return log.count


def with_cursor(url: str, cursor: str) -> str:
    """`url` (a statements list) from `cursor` on."""
    path, query = url.split("?", 1)
    kept = [f"{name}={value}" for name, value in parse_qsl(query) if name != "cursor"]
    return f"{path}?{'&'.join(kept)}&cursor={cursor}"


def walk_counted(client: TestClient, first: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a list whose first page is embedded in an answer: `next_url`, then cursors."""
    items = list(first["items"])
    url = first["next_url"]
    while url is not None:
        listed = client.get(url).json()
        items.extend(listed["items"])
        url = (
            listed.get("next_url")
            if "next_url" in listed
            else with_cursor(url, listed["next_cursor"])
            if listed["next_cursor"]
            else None
        )
    return items


# ---- the API -------------------------------------------------------------------------------------------


def test_the_answer_holds_one_page_of_claims_and_the_totals(
    counted_client_and_session: tuple[TestClient, QueryLog, Session], busy: Busy
) -> None:
    client = counted_client_and_session[0]
    response = client.get(f"/api/v1/actors/{busy.slug}")
    assert response.status_code == 200
    detail = response.json()

    assert detail["attribution_count"] == SPOKEN_CLAIMS * PER_CLAIM
    assert detail["relayed_count"] == RELAYED_CLAIMS * RELAYED_PER_CLAIM
    claims = detail["claims"]
    assert (claims["total"], len(claims["items"])) == (SPOKEN_CLAIMS, CLAIMS_PER_PAGE)
    assert claims["next_url"] == f"/api/v1/actors/{busy.slug}/claims?cursor={claims['next_cursor']}"
    assert [group["claim"]["id"] for group in claims["items"]] == busy.claim_ids[:CLAIMS_PER_PAGE]
    for group in claims["items"]:
        claim_id = group["claim"]["id"]
        statements = group["attributions"]
        assert (statements["total"], sum(group["counts"].values())) == (PER_CLAIM, PER_CLAIM)
        assert [a["id"] for a in statements["items"]] == busy.said_ids[claim_id][:STATEMENTS_PER_CLAIM]
        assert statements["next_url"] == (
            f"/api/v1/attributions?actor_id={busy.actor_id}&claim={claim_id}"
            f"&cursor={statements['next_cursor']}"
        )
        assert group["stances"] == list(group["counts"])
    # The matrix: a row per claim of the page, a column per stance with its total over all claims.
    matrix = detail["stance_matrix"]
    assert [(c["stance"], c["total"]) for c in matrix["columns"]] == [
        (stance.value, busy.stance_totals[stance.value]) for stance in Stance
    ]
    assert [row["claim"]["id"] for row in matrix["rows"]] == busy.claim_ids[:CLAIMS_PER_PAGE]
    assert all(row["total"] == PER_CLAIM for row in matrix["rows"])
    relayed = detail["relayed"]
    assert (relayed["total"], len(relayed["items"])) == (RELAYED_CLAIMS, CLAIMS_PER_PAGE)
    assert relayed["next_url"] == f"/api/v1/actors/{busy.slug}/relayed?cursor={relayed['next_cursor']}"
    for group in relayed["items"]:
        assert group["attributions"]["total"] == RELAYED_PER_CLAIM
        rest = f"/api/v1/attributions?relayed_by={busy.actor_id}&claim={group['claim']['id']}&cursor="
        assert group["attributions"]["next_url"].startswith(rest)
    assert len(response.content) < 200_000


@pytest.mark.parametrize("path", ["/api/v1/actors/{slug}", "/actors/{slug}"])
def test_the_busy_actor_costs_what_an_actor_with_two_statements_costs(
    counted_client_and_session: tuple[TestClient, QueryLog, Session], busy: Busy, path: str
) -> None:
    # Röpcke said two things and relayed one: each part of the answer has something to load.
    small = queries_for(counted_client_and_session, path.format(slug="julian-ropcke"))

    assert queries_for(counted_client_and_session, path.format(slug=busy.slug)) == small
    assert small <= 10


@pytest.mark.parametrize("section", ["claims", "relayed"])
def test_paging_through_the_claims_gives_each_once_with_all_its_statements(
    counted_client_and_session: tuple[TestClient, QueryLog, Session], busy: Busy, section: str
) -> None:
    client = counted_client_and_session[0]
    detail = get_json(client, f"/api/v1/actors/{busy.slug}")
    expected = busy.said_ids if section == "claims" else busy.relayed_ids

    groups = walk_counted(client, detail[section])

    assert [group["claim"]["id"] for group in groups] == sorted(expected)
    for group in groups:
        statements = walk_counted(client, group["attributions"])
        assert [a["id"] for a in statements] == expected[group["claim"]["id"]]


def test_a_page_of_claims_as_small_as_asked(
    counted_client_and_session: tuple[TestClient, QueryLog, Session], busy: Busy
) -> None:
    client = counted_client_and_session[0]
    first = get_json(client, f"/api/v1/actors/{busy.slug}/claims?limit=4")

    assert (first["total"], len(first["items"])) == (SPOKEN_CLAIMS, 4)
    assert first["next_url"] == f"/api/v1/actors/{busy.slug}/claims?cursor={first['next_cursor']}&limit=4"
    assert [group["claim"]["id"] for group in walk_counted(client, first)] == busy.claim_ids


# ---- the page ------------------------------------------------------------------------------------------


def test_the_page_shows_a_page_of_claims_with_counts_and_links_to_the_rest(
    counted_client_and_session: tuple[TestClient, QueryLog, Session], busy: Busy
) -> None:
    client = counted_client_and_session[0]
    response = client.get(f"/actors/{busy.slug}")
    assert len(response.content) < 200_000
    soup = page(client, f"/actors/{busy.slug}")

    statements = one(soup, "section#statements")
    assert text(one(statements, "h2 .count")) == f"({SPOKEN_CLAIMS * PER_CLAIM})"
    assert text(one(statements, "p.claims-count")) == (
        f"On {SPOKEN_CLAIMS} claims; this page shows {CLAIMS_PER_PAGE} of them, "
        "in the order they were recorded."
    )
    groups = statements.select("section.claim-statements")
    assert [int(attr(group, "data-claim-id")) for group in groups] == busy.claim_ids[:CLAIMS_PER_PAGE]
    for group in groups:
        claim_id = int(attr(group, "data-claim-id"))
        assert [attr(item, "id") for item in group.select("li.attribution")] == [
            f"attribution-{i}" for i in busy.said_ids[claim_id][:STATEMENTS_PER_CLAIM]
        ]
        more = one(group, "p.more-statements a")
        assert attr(more, "href") == f"/actors/{busy.slug}/claims/{claim_id}"
        assert text(more) == f"All {PER_CLAIM} statements by Busy Speaker on this claim"
    table = one(statements, "table.stance-matrix")
    assert len(table.select("tbody tr")) == CLAIMS_PER_PAGE
    assert [text(cell) for cell in table.select("tfoot th, tfoot td")] == [f"All {SPOKEN_CLAIMS} claims"] + [
        str(busy.stance_totals[stance.value]) for stance in Stance
    ]
    relayed = one(soup, "section#relayed")
    assert text(one(relayed, "h2 .count")) == f"({RELAYED_CLAIMS * RELAYED_PER_CLAIM})"
    assert len(relayed.select("section.claim-statements.relayed")) == CLAIMS_PER_PAGE


@pytest.mark.parametrize(("section", "parameter"), [("statements", "cursor"), ("relayed", "relayed_cursor")])
def test_the_pages_of_claims_give_each_claim_once(
    counted_client_and_session: tuple[TestClient, QueryLog, Session], busy: Busy, section: str, parameter: str
) -> None:
    client = counted_client_and_session[0]
    expected = busy.said_ids if section == "statements" else busy.relayed_ids
    url = f"/actors/{busy.slug}"
    seen: list[int] = []
    other_section: list[list[str]] = []
    while True:
        soup = page(client, url)
        scope = one(soup, f"section#{section}")
        seen.extend(int(attr(group, "data-claim-id")) for group in scope.select("section.claim-statements"))
        other = one(soup, "section#relayed" if section == "statements" else "section#statements")
        other_section.append([attr(group, "id") for group in other.select("section.claim-statements")])
        links = scope.select("nav.pager a.next-page")
        if not links:
            assert [attr(a, "href").split("#")[0] for a in scope.select("nav.pager a.first-page")] == ["?"]
            break
        href = attr(one(scope, "nav.pager a.next-page"), "href")
        assert parameter in dict(parse_qsl(urlsplit(href).query))
        url = f"/actors/{busy.slug}{href.split('#')[0]}"

    assert seen == sorted(expected)
    # Paging one section leaves the other on its first page.
    assert all(ids == other_section[0] for ids in other_section)


@pytest.mark.parametrize(("kind", "prefix"), [("claims", "attribution-"), ("relayed", "relayed-")])
def test_all_of_an_actors_statements_on_one_claim_page_by_page(
    counted_client_and_session: tuple[TestClient, QueryLog, Session], busy: Busy, kind: str, prefix: str
) -> None:
    client = counted_client_and_session[0]
    expected = (busy.said_ids if kind == "claims" else busy.relayed_ids)[busy.claim_ids[0]]
    url = f"/actors/{busy.slug}/{kind}/{busy.claim_ids[0]}?limit=5"
    seen: list[str] = []
    while True:
        soup = page(client, url)
        assert text(one(soup, "h1 .count")) == f"({len(expected)})"
        seen.extend(attr(item, "id") for item in soup.select("ol.attribution-list > li.attribution"))
        links = soup.select("nav.pager a.next-page")
        if not links:
            break
        url = f"/actors/{busy.slug}/{kind}/{busy.claim_ids[0]}{attr(links[0], 'href')}"

    assert seen == [f"{prefix}{i}" for i in expected]


def test_a_claim_page_of_an_unknown_claim_is_not_found(
    counted_client_and_session: tuple[TestClient, QueryLog, Session], busy: Busy
) -> None:
    client = counted_client_and_session[0]
    soup = page(client, f"/actors/{busy.slug}/claims/999999", status=404)

    assert text(one(soup, "p.error-detail")) == "There is no claim 999999."
