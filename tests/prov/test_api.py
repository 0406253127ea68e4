"""GET /api/v1/claims/{id}/prov: a claim's provenance as W3C PROV, read back with the `prov` package."""

from typing import Any

from fastapi.testclient import TestClient
from prov.constants import PROV_LOCATION, PROV_TYPE, PROV_VALUE
from prov.model import (
    ProvActivity,
    ProvAgent,
    ProvAssociation,
    ProvAttribution,
    ProvDerivation,
    ProvDocument,
    ProvElement,
    ProvEntity,
    ProvGeneration,
    ProvRecord,
    ProvRelation,
    ProvUsage,
)
from sqlalchemy.orm import Session

from app.claims.service import claim_for_change, delete_claim
from app.verification.service import change_status, claim_to_change
from tests.conftest import QueryLog
from tests.factories import status_change
from tests.helpers import SOURCE_000, claim_id, get_json, get_problem, not_found, source_id

BASE = "http://127.0.0.1:8000"
STATEMENT = f"{BASE}/attributions/"
ACTOR = f"{BASE}/actors/"


def get_prov(client: TestClient, url: str) -> ProvDocument:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    document = ProvDocument.deserialize(content=response.text, format="json")
    # What the package reads, it writes again and reads back the same.
    assert ProvDocument.deserialize(content=document.serialize(format="json"), format="json") == document
    return document


def uri(value: Any) -> str:
    return str(value.uri)


def relations(document: ProvDocument, kind: type[ProvRelation]) -> set[tuple[str, str]]:
    """Each relation of a kind as the URIs of its first two terms (entity and agent, derived and used...)."""
    found = set()
    for record in document.get_records(kind):
        first, second = (value for _name, value in record.formal_attributes[:2])
        found.add((uri(first), uri(second)))
    return found


def elements(document: ProvDocument, kind: type[ProvElement]) -> dict[str, ProvRecord]:
    return {uri(record.identifier): record for record in document.get_records(kind)}


def attribute(record: ProvRecord, name: Any) -> Any:
    (value,) = record.get_attribute(name)
    return value


def check_relations_join_declared_elements(document: ProvDocument) -> None:
    """Every relation names elements of the document of the kinds PROV gives its terms."""
    entities = set(elements(document, ProvEntity))
    agents = set(elements(document, ProvAgent))
    activities = set(elements(document, ProvActivity))
    expected = {
        ProvAttribution: (entities, agents),
        ProvDerivation: (entities, entities),
        ProvAssociation: (activities, agents),
        ProvUsage: (activities, entities),
        ProvGeneration: (entities, activities),
    }
    for kind, (first_kind, second_kind) in expected.items():
        for first, second in relations(document, kind):
            assert first in first_kind, (kind.__name__, first)
            assert second in second_kind, (kind.__name__, second)


def test_a_claim_s_provenance_follows_each_statement_to_its_articles(client: TestClient) -> None:
    claim = claim_id(client, "helicopter-strike")
    statements = get_json(client, f"/api/v1/attributions?claim={claim}&limit=200")["items"]
    document = get_prov(client, f"/api/v1/claims/{claim}/prov?limit=1000")
    check_relations_join_declared_elements(document)

    entities = elements(document, ProvEntity)
    statement_entities = {key for key in entities if key.startswith(STATEMENT)}
    assert statement_entities == {f"{STATEMENT}{s['id']}" for s in statements}
    attributed = relations(document, ProvAttribution)
    derived = relations(document, ProvDerivation)
    for statement in statements:
        entity = f"{STATEMENT}{statement['id']}"
        assert (entity, f"{ACTOR}{statement['actor']['slug']}") in attributed
        assert attribute(entities[entity], "claimtrack:stance") == statement["stance"]
        assert attribute(entities[entity], PROV_VALUE) == statement["quote"]
        # Statement → each intermediary's report → the article.
        previous = entity
        for step in statement["via"]:
            report = f"{BASE}/api/v1/claims/{claim}/prov#report-{statement['id']}-{step['position'] + 1}"
            assert (report, f"{ACTOR}{step['actor']['slug']}") in attributed
            assert (report, previous) in derived
            previous = report
        assert (f"{BASE}/sources/{statement['source']['id']}", previous) in derived
    kuleba = next(s for s in statements if s["actor"]["slug"] == "dmytro-kuleba")
    assert [step["actor"]["slug"] for step in kuleba["via"]] == ["reuters"]
    agents = elements(document, ProvAgent)
    assert str(attribute(agents[f"{ACTOR}dmytro-kuleba"], PROV_TYPE)) == "prov:Person"
    assert str(attribute(agents[f"{ACTOR}reuters"], PROV_TYPE)) == "prov:Organization"


def test_each_status_change_is_an_activity_that_used_its_evidence(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    claim = claim_id(client, "helicopter-strike")
    source = source_id(client, SOURCE_000)
    change_status(
        session,
        claim_to_change(session, claim),
        status_change(
            "false",
            "Satellite images show no helicopter.",
            {"source_id": source, "note": "the article"},
            {"url": "https://example.org/satellite?img=4", "note": "the images"},
        ),
        by="fiona",
    )
    session.flush()
    history = get_json(client, f"/api/v1/claims/{claim}/history")["items"]
    document = get_prov(client, f"/api/v1/claims/{claim}/prov")
    check_relations_join_declared_elements(document)

    here = f"{BASE}/api/v1/claims/{claim}/prov#"
    activities = elements(document, ProvActivity)
    assert set(activities) == {f"{here}status-change-{change['id']}" for change in history}
    associated = relations(document, ProvAssociation)
    used = relations(document, ProvUsage)
    generated = relations(document, ProvGeneration)
    derived = relations(document, ProvDerivation)
    entities = elements(document, ProvEntity)
    for before, change in zip([None, *history], history, strict=False):
        activity = f"{here}status-change-{change['id']}"
        assert (activity, f"{here}account-{change['changed_by']}") in associated
        assert (activity, f"{BASE}/claims/{claim}") in used
        for evidence in change["evidence"]:
            if evidence["source"] is not None:
                assert (activity, f"{BASE}/sources/{evidence['source']['id']}") in used
        verdict = f"{here}verdict-{change['id']}"
        assert (verdict, activity) in generated
        assert attribute(entities[verdict], PROV_VALUE) == change["to_status"]
        if before is not None:
            assert (verdict, f"{here}verdict-{before['id']}") in derived  # a revision of the one before

    latest = history[-1]
    assert latest["changed_by"] == "fiona"
    link = f"{here}evidence-{latest['id']}-2"
    assert (f"{here}status-change-{latest['id']}", link) in used
    assert attribute(entities[link], PROV_LOCATION) == "https://example.org/satellite?img=4"
    assert str(attribute(elements(document, ProvAgent)[f"{here}account-fiona"], PROV_TYPE)) == "prov:Person"


def test_prov_n_is_the_same_document(client: TestClient) -> None:
    claim = claim_id(client, "helicopter-strike")
    document = get_prov(client, f"/api/v1/claims/{claim}/prov")
    response = client.get(f"/api/v1/claims/{claim}/prov?format=provn")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/provenance-notation; charset=utf-8"
    # The same records (PROV-JSON groups them by kind, so the order differs).
    assert sorted(response.text.splitlines()) == sorted(document.get_provn().splitlines())
    assert response.text.startswith("document\n  prefix claimtrack <http://127.0.0.1:8000/ns/claimtrack#>")
    assert "wasAttributedTo(doc:report-" in response.text


def test_a_claim_s_statements_are_paged_with_a_link_to_the_next(client: TestClient) -> None:
    claim = claim_id(client, "helicopter-strike")
    statements = get_json(client, f"/api/v1/attributions?claim={claim}&limit=200")["items"]
    url: str | None = f"/api/v1/claims/{claim}/prov?limit=4"
    seen: list[str] = []
    while url is not None:
        response = client.get(url)
        document = ProvDocument.deserialize(content=response.text, format="json")
        check_relations_join_declared_elements(document)
        entities = elements(document, ProvEntity)
        assert f"{BASE}/claims/{claim}" in entities  # every page holds the claim and its verdicts
        assert any("#verdict-" in key for key in entities)
        seen += sorted(
            (k for k in entities if k.startswith(STATEMENT)), key=lambda k: int(k.rsplit("/", 1)[1])
        )
        link = response.headers.get("link")
        if link is None:
            url = None
        else:
            assert link.startswith(f"<{BASE}/api/v1/claims/{claim}/prov?format=json&limit=4&cursor=")
            url = link.removeprefix(f"<{BASE}").split(">")[0]
    assert seen == [f"{STATEMENT}{s['id']}" for s in statements]


def test_unknown_deleted_and_wrong_requests(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    assert get_problem(client, "/api/v1/claims/999999/prov", 404) == not_found(
        "There is no claim 999999: the link may be wrong."
    )
    problem = get_problem(client, "/api/v1/claims/1/prov?format=turtle", 422)
    assert problem["errors"][0]["field"] == "format"
    claim = claim_id(client, "helicopter-strike")
    delete_claim(session, claim_for_change(session, claim), by="test")
    session.flush()
    assert "was deleted" in get_problem(client, f"/api/v1/claims/{claim}/prov", 410)["detail"]


def test_a_document_costs_the_same_queries_whatever_its_size(
    counted_client: tuple[TestClient, QueryLog],
) -> None:
    client, log = counted_client
    claim = claim_id(client, "helicopter-strike")
    counts = []
    for limit in (2, 200):
        log.reset()
        assert client.get(f"/api/v1/claims/{claim}/prov?limit={limit}").status_code == 200
        counts.append(log.count)
    assert counts[0] == counts[1] <= 8
