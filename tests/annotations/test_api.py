"""GET /api/v1/attributions/{id}/annotation and /api/v1/sources/{id}/annotations: statements as W3C
Web Annotations, read back by a JSON-LD processor."""

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.annotations.schemas import ANNO_CONTEXT, ANNOTATION_MEDIA_TYPE
from app.attributions.service import attribution_for_change, delete_attribution
from app.models import AuditEntry, Source
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source
from tests.annotations.jsonld import AS, DCTERMS, OA, RDF_TYPE, RDF_VALUE, XSD, expand, triples, unmapped_keys
from tests.conftest import QueryLog
from tests.helpers import SOURCE_000, get_json, get_problem, not_found, source_id

BASE = "http://127.0.0.1:8000"


def kuleba_statement(client: TestClient) -> dict[str, Any]:
    """Kuleba's statement that he could not verify the helicopter strike, relayed by Reuters."""
    url = "/api/v1/attributions?actor=kuleba&stance=could_not_verify&q=helicopters"
    (statement,) = get_json(client, url)["items"]
    found: dict[str, Any] = statement
    return found


def get_annotation(client: TestClient, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == ANNOTATION_MEDIA_TYPE
    document: dict[str, Any] = response.json()
    return document


def test_a_statement_is_an_annotation_of_its_source(client: TestClient) -> None:
    statement = kuleba_statement(client)
    source = get_json(client, f"/api/v1/sources/{statement['source']['id']}")
    annotation = get_annotation(client, f"/api/v1/attributions/{statement['id']}/annotation")

    assert annotation["@context"] == ANNO_CONTEXT
    assert annotation["id"] == f"{BASE}/api/v1/attributions/{statement['id']}/annotation"
    assert annotation["type"] == "Annotation"
    assert annotation["motivation"] == "describing"
    assert annotation["target"] == {
        "source": f"urn:sha256:{source['sha256']}",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": statement["quote"],
                "prefix": statement["quote_prefix"],
                "suffix": statement["quote_suffix"],
            },
            {
                "type": "TextPositionSelector",
                "start": statement["quote_start"],
                "end": statement["quote_end"],
            },
        ],
    }
    assert source["text"][statement["quote_start"] : statement["quote_end"]] == statement["quote"]
    claim = statement["claim"]
    assert annotation["body"] == [
        {
            "type": "TextualBody",
            "purpose": "describing",
            "value": f"Dmytro Kuleba could not verify: {claim['text']}",
            "format": "text/plain",
        },
        *(
            {"type": "TextualBody", "purpose": "tagging", "value": tag, "format": "text/plain"}
            for tag in [
                "actor:dmytro-kuleba",
                "stance:could_not_verify",
                f"claim:{claim['id']}",
                "via:1:reuters:news report",
            ]
        ),
        {"type": "SpecificResource", "purpose": "identifying", "source": f"{BASE}/actors/dmytro-kuleba"},
        {"type": "SpecificResource", "purpose": "linking", "source": f"{BASE}/claims/{claim['id']}"},
    ]
    assert annotation["creator"] == {"type": "Software", "name": "claimtrack seed loader", "nickname": "seed"}
    assert annotation["generator"] == {"type": "Software", "name": "claimtrack"}
    assert annotation["created"].replace("Z", "+00:00") == statement["created_at"].replace("Z", "+00:00")
    assert annotation["modified"] >= annotation["created"]


def test_a_json_ld_processor_reads_the_web_annotation_vocabulary(client: TestClient) -> None:
    statement = kuleba_statement(client)
    annotation = get_annotation(client, f"/api/v1/attributions/{statement['id']}/annotation")
    assert unmapped_keys(annotation) == set()
    (expanded,) = expand(annotation)
    assert expanded["@id"] == annotation["id"]
    assert expanded["@type"] == [f"{OA}Annotation"]
    assert expanded[f"{OA}motivatedBy"] == [{"@id": f"{OA}describing"}]

    found = triples(annotation)

    def objects(subject: str, predicate: str) -> set[str]:
        return {o for s, p, o in found if s == subject and p == predicate}

    (target,) = objects(annotation["id"], f"{OA}hasTarget")
    assert objects(target, f"{OA}hasSource") == {annotation["target"]["source"]}
    selectors = {next(iter(objects(node, RDF_TYPE))): node for node in objects(target, f"{OA}hasSelector")}
    assert set(selectors) == {f"{OA}TextQuoteSelector", f"{OA}TextPositionSelector"}
    quote = selectors[f"{OA}TextQuoteSelector"]
    assert objects(quote, f"{OA}exact") == {f'"{statement["quote"]}"^^{XSD}string'}
    position = selectors[f"{OA}TextPositionSelector"]
    assert objects(position, f"{OA}start") == {f'"{statement["quote_start"]}"^^{XSD}nonNegativeInteger'}
    assert objects(position, f"{OA}end") == {f'"{statement["quote_end"]}"^^{XSD}nonNegativeInteger'}

    bodies = objects(annotation["id"], f"{OA}hasBody")
    tags = {
        value.split('"')[1]
        for body in bodies
        if objects(body, f"{OA}hasPurpose") == {f"{OA}tagging"}
        for value in objects(body, RDF_VALUE)
    }
    assert "stance:could_not_verify" in tags
    linked = {
        (next(iter(objects(body, f"{OA}hasPurpose"))), next(iter(objects(body, f"{OA}hasSource"))))
        for body in bodies
        if objects(body, RDF_TYPE) == {f"{OA}SpecificResource"}
    }
    assert linked == {
        (f"{OA}identifying", f"{BASE}/actors/dmytro-kuleba"),
        (f"{OA}linking", f"{BASE}/claims/{statement['claim']['id']}"),
    }
    assert objects(annotation["id"], f"{DCTERMS}created") == {f'"{annotation["created"]}"^^{XSD}dateTime'}


def test_a_source_with_a_url_is_the_target_by_its_url(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    statement = kuleba_statement(client)
    source_row = session.get_one(Source, statement["source"]["id"])
    source_row.url = "https://news.example.org/belgorod"
    session.flush()
    annotation = get_annotation(client, f"/api/v1/attributions/{statement['id']}/annotation")
    assert annotation["target"]["source"] == "https://news.example.org/belgorod"


def test_ids_and_links_are_under_the_public_address_not_the_host_asked(
    client: TestClient, seeded_app: FastAPI
) -> None:
    statement = kuleba_statement(client)
    configured = seeded_app.state.public_url
    seeded_app.state.public_url = "https://claims.example.org/"
    try:
        response = client.get(
            f"/api/v1/attributions/{statement['id']}/annotation", headers={"Host": "evil.example.net"}
        )
    finally:
        seeded_app.state.public_url = configured
    annotation = response.json()
    assert annotation["id"] == f"https://claims.example.org/api/v1/attributions/{statement['id']}/annotation"
    assert "evil" not in response.text
    assert {body["source"] for body in annotation["body"] if body["type"] == "SpecificResource"} == {
        "https://claims.example.org/actors/dmytro-kuleba",
        f"https://claims.example.org/claims/{statement['claim']['id']}",
    }


def test_a_source_s_annotations_are_a_paged_collection(client: TestClient) -> None:
    source = source_id(client, SOURCE_000)
    statements = get_json(client, f"/api/v1/attributions?source={source}&limit=200")["items"]
    collection_url = f"{BASE}/api/v1/sources/{source}/annotations"
    collection = get_annotation(client, f"/api/v1/sources/{source}/annotations?limit=10")
    assert unmapped_keys(collection) == set()
    assert {key: collection[key] for key in ("@context", "id", "type", "total")} == {
        "@context": ANNO_CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "total": len(statements),
    }
    page = collection["first"]
    assert "@context" not in page
    assert page["id"] == f"{collection_url}?cursor=&limit=10"
    assert page["partOf"] == {"id": collection_url, "type": "AnnotationCollection", "total": len(statements)}
    seen = [item["id"] for item in page["items"]]
    pages = 1
    while "next" in page:
        assert len(page["items"]) == 10
        page = get_annotation(client, page["next"].removeprefix(BASE))
        assert page["@context"] == ANNO_CONTEXT
        assert page["type"] == "AnnotationPage"
        seen += [item["id"] for item in page["items"]]
        pages += 1
    assert pages == -(-len(statements) // 10)
    assert seen == [f"{BASE}/api/v1/attributions/{s['id']}/annotation" for s in statements]

    # The processor reads the pages' items as an ordered list of annotations.
    (expanded,) = expand(collection)
    assert expanded["@type"] == [f"{AS}OrderedCollection"]
    (first,) = expanded[f"{AS}first"]
    (items,) = first[f"{AS}items"]
    assert [item["@id"] for item in items["@list"]] == seen[:10]


def test_an_empty_source_has_an_empty_collection(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    source, _new = ingest_source(session, SourceCreate(title="Nothing said", text="A quiet day."), by="test")
    session.flush()
    collection = get_annotation(client, f"/api/v1/sources/{source.id}/annotations")
    assert collection["total"] == 0
    assert collection["first"]["items"] == []
    assert "next" not in collection["first"]


def test_unknown_and_deleted_statements(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    assert get_problem(client, "/api/v1/attributions/999999/annotation", 404) == not_found(
        "There is no attribution 999999."
    )
    assert get_problem(client, "/api/v1/sources/999999/annotations", 404) == not_found(
        "There is no source 999999."
    )
    statement = kuleba_statement(client)
    delete_attribution(session, attribution_for_change(session, statement["id"]), by="test")
    session.flush()
    problem = get_problem(client, f"/api/v1/attributions/{statement['id']}/annotation", 410)
    assert problem["detail"].startswith(f"Attribution {statement['id']} was deleted")


def test_a_page_of_annotations_costs_the_same_queries_whatever_its_size(
    counted_client: tuple[TestClient, QueryLog],
) -> None:
    client, log = counted_client
    source = source_id(client, SOURCE_000)
    counts = []
    for limit in (2, 30):
        log.reset()
        get_annotation(client, f"/api/v1/sources/{source}/annotations?limit={limit}")
        counts.append(log.count)
    assert counts[0] == counts[1] <= 8


def test_the_api_document_names_the_media_types(client: TestClient) -> None:
    paths = get_json(client, "/api/v1/openapi.json")["paths"]
    content = {
        path: set(paths[path]["get"]["responses"]["200"]["content"])
        for path in (
            "/api/v1/attributions/{attribution_id}/annotation",
            "/api/v1/sources/{source_id}/annotations",
            "/api/v1/claims/{claim_id}/prov",
        )
    }
    assert content == {
        "/api/v1/attributions/{attribution_id}/annotation": {ANNOTATION_MEDIA_TYPE},
        "/api/v1/sources/{source_id}/annotations": {ANNOTATION_MEDIA_TYPE},
        "/api/v1/claims/{claim_id}/prov": {"application/json", "text/provenance-notation"},
    }


def test_a_statement_the_audit_log_does_not_know_has_no_creator(
    client_and_session: tuple[TestClient, Session],
) -> None:
    # As a generated benchmark corpus, written without the product's write path.
    client, session = client_and_session
    statement = kuleba_statement(client)
    session.execute(
        delete(AuditEntry).where(
            AuditEntry.object_type == "attributions", AuditEntry.object_id == statement["id"]
        )
    )
    annotation = get_annotation(client, f"/api/v1/attributions/{statement['id']}/annotation")
    assert "creator" not in annotation
    assert "modified" not in annotation
    assert annotation["created"].replace("Z", "+00:00") == statement["created_at"].replace("Z", "+00:00")
