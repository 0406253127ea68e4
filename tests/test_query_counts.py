"""Each request makes a small, fixed number of queries, however many rows it shows (no N+1).

Each bound is a little above the count measured on both backends; a page of 200 must cost exactly
what a page of 2 costs, so a loop that queries per row fails here whatever the bound.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.claimreview.service import AUTHORS_NAMED
from app.claims.service import delete_claim
from app.feeds.service import FEED_ENTRIES
from app.verification.service import change_status, claim_to_change
from app.vocabulary import Role
from tests.bulk import new_claims
from tests.conftest import Accounts, QueryLog
from tests.factories import busy_claim, status_change
from tests.helpers import SOURCE_000, claim_id, get_items, source_id

Counted = tuple[TestClient, QueryLog]


def queries_for(counted: Counted, url: str) -> int:
    """How many SQL statements one GET of `url` makes (savepoints aside)."""
    client, log = counted
    log.reset()
    response = client.get(url)
    assert response.status_code == 200, response.text
    return log.count


def busiest(client: TestClient, collection: str, key: str) -> Any:
    """The `key` of the item of an API collection with the most attributions."""
    items = get_items(client, f"/api/v1/{collection}?limit=200")
    return max(items, key=lambda item: item["attribution_count"])[key]


@pytest.mark.parametrize(
    ("path", "bound"),
    [
        ("/api/v1/claims", 4),  # measured: 2
        ("/api/v1/attributions", 5),  # measured: 3
        ("/api/v1/actors", 5),  # measured: 3
        ("/api/v1/sources", 4),  # measured: 2
        ("/", 4),  # the claims index page; measured: 2
        ("/api/v1/claimreview", 6),  # measured: 4 (the claims, their verdicts, authors, appearances)
    ],
)
def test_a_list_costs_the_same_for_200_items_as_for_2(counted_client: Counted, path: str, bound: int) -> None:
    few = queries_for(counted_client, f"{path}?limit=2")
    many = queries_for(counted_client, f"{path}?limit=200")

    assert many == few
    assert many <= bound


def test_a_filtered_list_adds_only_the_name_look_up(counted_client: Counted) -> None:
    plain = queries_for(counted_client, "/api/v1/attributions?limit=200")

    # One query folds the name to actor ids; a name that is a word of an alias takes a second.
    assert queries_for(counted_client, "/api/v1/attributions?actor=Julian Röpcke&limit=200") == plain + 1
    # The claims list also counts (up to a cap) the statements that fit, to choose its plan.
    assert queries_for(counted_client, "/api/v1/claims?actor=Peskov&stance=asserted&limit=200") <= 5


@pytest.mark.parametrize("path", ["/api/v1/claims/{id}", "/claims/{id}"])
def test_the_busiest_claim_costs_a_fixed_number_of_queries(counted_client: Counted, path: str) -> None:
    claim_id = busiest(counted_client[0], "claims", "id")

    busy = queries_for(counted_client, path.format(id=claim_id))

    # Each part of the page is grouped and counted by the database in its own bounded query (stance
    # tallies, sources, first statements, origins, paths, history...): tests/claims/test_bounded.py
    # shows the count does not move with the statements.
    # A claim with a verdict also reads its ClaimReview's verdict, authors and appearances.
    assert busy <= 19  # measured: 18
    # A claim with one statement needs the same queries as the busiest one.
    lone = next(
        claim["id"]
        for claim in counted_client[0].get("/api/v1/claims?limit=200").json()["items"]
        if claim["attribution_count"] == 1
    )
    assert queries_for(counted_client, path.format(id=lone)) <= busy


@pytest.mark.parametrize("path", ["/api/v1/actors/{slug}", "/actors/{slug}"])
def test_the_busiest_actor_costs_a_fixed_number_of_queries(counted_client: Counted, path: str) -> None:
    slug = busiest(counted_client[0], "actors", "slug")

    assert queries_for(counted_client, path.format(slug=slug)) <= 10  # measured: 6 (8 with relayed ones)
    # Reuters relays many statements: those load in the same fixed number of queries.
    assert queries_for(counted_client, path.format(slug="reuters")) <= 10  # measured: 8


@pytest.mark.parametrize("path", ["/api/v1/sources/{id}", "/sources/{id}"])
def test_a_source_with_all_its_spans_costs_a_fixed_number_of_queries(
    counted_client: Counted, path: str
) -> None:
    source_id = busiest(counted_client[0], "sources", "id")

    assert queries_for(counted_client, path.format(id=source_id)) <= 6  # measured: 4


@pytest.mark.parametrize(("path", "bound"), [("/api/v1/search?q=russia", 9), ("/search?q=russia", 10)])
def test_search_costs_a_fixed_number_of_queries_however_many_results(
    counted_client: Counted, path: str, bound: int
) -> None:
    page = counted_client[0].get("/api/v1/search?q=russia&limit=200").json()
    assert page["next_cursor"] is None
    results = page["items"]
    assert len(results) > 50
    assert {result["kind"] for result in results} == {"claim", "attribution", "actor", "source"}

    # One query a tier finds and ranks (the second tier only when the first runs out), one counts the
    # results when they run past the page; each kind of result loads in one query (statements and
    # actors with their aliases in one more), however many there are; the page adds its filter form's
    # sources.
    assert queries_for(counted_client, f"{path}&limit=200") <= bound  # measured: 9 (API), 10 (page)
    assert queries_for(counted_client, f"{path}&limit=2") <= bound


def test_filtered_search_adds_only_the_name_look_up(counted_client: Counted) -> None:
    plain = queries_for(counted_client, "/search?q=helicopters&limit=200")

    assert (
        queries_for(counted_client, "/search?q=helicopters&stance=asserted&contested=yes&limit=200") <= plain
    )
    assert queries_for(counted_client, "/search?q=helicopters&actor=Kuleba&limit=200") <= plain + 2


def test_the_editing_forms_cost_the_same_however_many_claims(
    counted_client_and_session: tuple[TestClient, QueryLog, Session],
) -> None:
    client, log, session = counted_client_and_session
    Accounts(client=client, session=session).sign_in(Role.ADMIN)
    source = source_id(client, SOURCE_000)
    (statement,) = get_items(client, f"/api/v1/attributions?actor=kuleba&source={source}")
    strike = claim_id(client, "helicopter-strike")
    forms = {
        "/claims/new": 3,  # measured: 1
        f"/claims/{strike}/edit": 6,  # measured: 4 (the claim, its relations, their texts)
        f"/sources/{source}/attributions/new": 5,  # measured: 3
        f"/attributions/{statement['id']}/edit": 8,  # measured: 6
        "/admin/deleted": 7,  # measured: 5 (a page and a count of each list)
    }
    counted = {url: queries_for((client, log), url) for url in forms}
    assert all(counted[url] <= bound for url, bound in forms.items()), counted

    for claim in new_claims(session, 60, prefix="Another claim"):
        delete_claim(session, claim, by="test")
    session.flush()

    assert {url: queries_for((client, log), url) for url in forms} == counted


def test_the_formats_cost_the_same_for_a_busy_claim_as_for_a_lone_one(
    counted_client_and_session: tuple[TestClient, QueryLog, Session],
) -> None:
    """ClaimReview and the Atom feeds read a bounded part of a claim or an actor (the first authors and
    appearances, the newest entries), each in one query however many rows there are."""
    client, log, session = counted_client_and_session
    lone = busy_claim(session, statements=1, actors=1, sources=1, label="lone")
    busy = busy_claim(
        session, statements=FEED_ENTRIES + 10, actors=AUTHORS_NAMED + 5, sources=12, label="many"
    )
    (lone_speaker,) = lone.actors
    for example in (lone, busy):
        change_status(
            session, claim_to_change(session, example.claim.id), status_change("false", "Checked."), by="test"
        )
    busiest_speaker = busy.actors[0]
    session.flush()

    bounds = {
        "/api/v1/claims/{claim}/claimreview": 5,  # measured: 4
        # The claim, its statements (with their actors' aliases and their chains), its changes:
        "/claims/{claim}/feed.atom": 6,  # measured: 5
        "/actors/{actor}/feed.atom": 6,  # measured: 4
        "/claims.atom?actor={actor}": 7,  # measured: 5
    }
    for url, bound in bounds.items():
        few = queries_for((client, log), url.format(claim=lone.claim.id, actor=lone_speaker.slug))
        many = queries_for((client, log), url.format(claim=busy.claim.id, actor=busiest_speaker.slug))
        assert many == few, url
        assert many <= bound, url
