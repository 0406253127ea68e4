"""Each request makes a small, fixed number of queries, however many rows it shows (no N+1).

Each bound is a little above the count measured on both backends; a page of 200 must cost exactly
what a page of 2 costs, so a loop that queries per row fails here whatever the bound.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.claims.service import delete_claim
from app.vocabulary import Role
from tests.bulk import new_claims
from tests.conftest import Accounts, QueryLog
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
    assert busy <= 16  # measured: 15
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
