"""The bulk exports hold exactly the rows the lists' filters select, in the lists' order, as CSV (RFC
4180, read back by Python's csv module) and NDJSON."""

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim
from app.exports.service import CLAIM_COLUMNS, STATEMENT_COLUMNS

STATEMENT_FILTERS = [
    {},
    {"actor": "Gladkov"},
    {"claim": "1", "stance": "asserted"},
    {"status": "partly_confirmed", "q": "helicopters"},
    {"actor": "nobody-of-that-name"},
]
CLAIM_FILTERS = [
    {},
    {"actor": "Kuleba", "stance": "could_not_verify"},
    {"contested": "true"},
    {"q": "false flag"},
    {"date_from": "2022-04-01", "date_to": "2022-04-01", "source": "2"},
]


def listed(client: TestClient, path: str, filters: dict[str, str]) -> list[dict[str, Any]]:
    """Every item of a list endpoint, page after page."""
    items: list[dict[str, Any]] = []
    params: dict[str, str] = {**filters, "limit": "200"}
    for _page in range(100):
        page = client.get(path, params=params)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        if page.json()["next_cursor"] is None:
            return items
        params["cursor"] = page.json()["next_cursor"]
    raise AssertionError("more than 100 pages")


def csv_rows(client: TestClient, path: str, filters: dict[str, str]) -> list[dict[str, str]]:
    response = client.get(path, params=filters)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    reader = csv.reader(io.StringIO(response.content.decode("utf-8"), newline=""))
    header, *rows = list(reader)
    assert response.content.endswith(b"\r\n")
    return [dict(zip(header, row, strict=True)) for row in rows]


def ndjson_rows(client: TestClient, path: str, filters: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(path, params=filters)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    return [json.loads(line) for line in response.text.splitlines()]


@pytest.mark.parametrize("filters", STATEMENT_FILTERS, ids=str)
def test_statements_export_holds_what_the_list_holds(client: TestClient, filters: dict[str, str]) -> None:
    expected = listed(client, "/api/v1/attributions", filters)
    rows = csv_rows(client, "/api/v1/attributions.csv", filters)
    records = ndjson_rows(client, "/api/v1/attributions.ndjson", filters)

    assert [int(row["id"]) for row in rows] == [item["id"] for item in expected]
    assert [record["id"] for record in records] == [item["id"] for item in expected]
    for item, row, record in zip(expected, rows, records, strict=True):
        assert list(record) == list(STATEMENT_COLUMNS)
        assert list(row) == list(STATEMENT_COLUMNS)
        assert record["actor"] == item["actor"]["name"]
        assert record["claim"] == item["claim"]["text"]
        assert record["quote"] == item["quote"]
        assert record["stance"] == item["stance"]
        assert record["source"] == item["source"]["title"]
        assert [step["actor_id"] for step in record["chain"]] == [step["actor"]["id"] for step in item["via"]]
        assert [step["medium"] for step in record["chain"]] == [step["medium"] for step in item["via"]]
        names = [step["actor"]["name"] for step in item["via"]]
        assert all(name in row["chain"] for name in names)
        assert row["chain"].count(" → ") == max(len(names) - 1, 0)
        assert row["quote"].lstrip("'") == item["quote"]


def test_statements_export_of_a_chain_and_a_status(client: TestClient) -> None:
    """The seeds' claim 1: its verdict, and a statement heard through an intermediary."""
    records = ndjson_rows(client, "/api/v1/attributions.ndjson", {"claim": "1"})
    assert {record["status"] for record in records} == {"partly_confirmed"}
    relayed = [record for record in records if record["chain"]]
    assert relayed
    row = next(
        row
        for row in csv_rows(client, "/api/v1/attributions.csv", {"claim": "1"})
        if int(row["id"]) == relayed[0]["id"]
    )
    first = relayed[0]["chain"][0]
    assert row["chain"].startswith(first["actor"] + (f" ({first['medium']})" if first["medium"] else ""))


@pytest.mark.parametrize("filters", CLAIM_FILTERS, ids=str)
def test_claims_export_holds_what_the_list_holds(client: TestClient, filters: dict[str, str]) -> None:
    expected = listed(client, "/api/v1/claims", filters)
    rows = csv_rows(client, "/api/v1/claims.csv", filters)
    records = ndjson_rows(client, "/api/v1/claims.ndjson", filters)

    assert [int(row["id"]) for row in rows] == [item["id"] for item in expected]
    assert [record["id"] for record in records] == [item["id"] for item in expected]
    for item, row, record in zip(expected, rows, records, strict=True):
        assert list(record) == list(CLAIM_COLUMNS)
        assert record["text"] == item["text"]
        assert record["status"] == item["verification_status"]
        assert record["contested"] == item["contested"]
        assert row["contested"] == ("true" if item["contested"] else "false")
        assert record["attribution_count"] == item["attribution_count"]
        stance_counts = {entry["stance"]: entry["attribution_count"] for entry in item["stances"]}
        for stance, count in stance_counts.items():
            assert record[stance] == count
            assert row[stance] == str(count)
        assert sum(record[stance] for stance in CLAIM_COLUMNS[6:12]) == record["attribution_count"]


@pytest.mark.sqlite_only
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    texts = [
        '=HYPERLINK("http://evil.example") says the depot burned',
        "+1 more depot burned",
        "@SUM(1) depots",
    ]
    made = [create_claim(session, ClaimCreate(text=text), by="test") for text in texts]
    session.flush()

    rows = {int(row["id"]): row for row in csv_rows(client, "/api/v1/claims.csv", {})}
    records = {record["id"]: record for record in ndjson_rows(client, "/api/v1/claims.ndjson", {})}

    for claim, text in zip(made, texts, strict=True):
        assert rows[claim.id]["text"] == "'" + text
        assert records[claim.id]["text"] == text  # NDJSON keeps every value as it is


@pytest.mark.parametrize("path", ["/api/v1/attributions.csv", "/api/v1/claims.ndjson"])
def test_a_wrong_filter_is_the_lists_422(client: TestClient, path: str) -> None:
    response = client.get(path, params={"stance": "rumoured"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "asserted" in response.text


@pytest.mark.sqlite_only
def test_the_openapi_document_gives_each_export_its_media_type_and_the_lists_filters(
    client: TestClient,
) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    def parameters(path: str) -> list[str]:
        return [parameter["name"] for parameter in paths[path]["get"]["parameters"]]

    for kind, list_path in (("attributions", "/api/v1/attributions"), ("claims", "/api/v1/claims")):
        filters = [name for name in parameters(list_path) if name not in ("limit", "cursor")]
        for suffix, media_type in ((".csv", "text/csv"), (".ndjson", "application/x-ndjson")):
            operation = paths[f"/api/v1/{kind}{suffix}"]["get"]
            assert list(operation["responses"]["200"]["content"]) == [media_type]
            assert parameters(f"/api/v1/{kind}{suffix}") == filters
