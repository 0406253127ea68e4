"""An actor's stances across claims at a glance: a claim × stance table, counts with labels."""

from fastapi.testclient import TestClient

from tests.conftest import sqlite_only
from tests.helpers import ANNOTATIONS, STATEMENTS, attr, get_json, one, page, text

CLAIM_TEXTS = {claim["key"]: claim["text"] for claim in ANNOTATIONS["claims"]}


def claim_ref(client: TestClient, slug: str) -> dict[str, object]:
    (claim,) = [c for c in get_json(client, "/api/v1/claims?limit=200")["items"] if c["slug"] == slug]
    return {key: claim[key] for key in ("id", "slug", "text", "verification_status")}


def test_kuleba_could_not_verify_one_claim_twice(client: TestClient) -> None:
    actor = get_json(client, "/api/v1/actors/dmytro-kuleba")

    assert [s["claim"] for s in STATEMENTS if s["actor"] == "dmytro-kuleba"] == ["helicopter-strike"] * 2
    assert actor["stance_matrix"] == {
        "columns": [{"stance": "could_not_verify", "label": "could not verify", "total": 2}],
        "rows": [
            {"claim": claim_ref(client, "helicopter-strike"), "counts": {"could_not_verify": 2}, "total": 2}
        ],
    }


@sqlite_only
def test_kulebas_page_shows_the_matrix_before_the_statements(client: TestClient) -> None:
    soup = page(client, "/actors/dmytro-kuleba")

    section = one(soup, "section#statements")
    table = one(section, "div.stance-matrix-scroll[role='region'][tabindex='0'] > table.stance-matrix")
    first_group = one(section, "section.claim-statements")
    assert first_group in table.find_all_next("section")
    assert text(one(table, "caption")) == (
        "Dmytro Kuleba’s stances across claims: statements per claim and stance "
        "(stances never taken are left out)"
    )
    assert [text(th) for th in table.select("thead th")] == ["Claim", "could not verify"]
    (row,) = table.select("tbody tr")
    assert text(one(row, "th[scope='row']")) == CLAIM_TEXTS["helicopter-strike"]
    assert attr(one(row, "th a"), "href") == f"#{attr(first_group, 'id')}"
    # The count says what it counts: the number, then (for screen readers) "statements could not verify".
    assert [text(td) for td in row.select("td")] == ["2 statements could not verify"]
    assert "stance-could_not_verify" in one(row, "td .cell-mark").get_attribute_list("class")
    assert table.select("tfoot") == []  # one claim: no total row


def test_the_new_york_times_took_four_stances_on_five_claims(client: TestClient) -> None:
    soup = page(client, "/actors/the-new-york-times")

    table = one(soup, "table.stance-matrix")
    assert [text(th) for th in table.select("thead th")] == [
        "Claim",
        "asserted",
        "confirmed",
        "disputed",
        "could not verify",
    ]
    # Empty cells show a dot on screen and say "none" to screen readers; read as a screen reader does.
    assert {text(dot) for dot in table.select("td .cell-none[aria-hidden='true']")} == {"·"}
    for dot in table.select("[aria-hidden='true']"):
        dot.decompose()
    rows = [[text(cell) for cell in row.select("th, td")] for row in table.select("tbody tr")]
    assert rows == [
        [CLAIM_TEXTS["airstrike-caused-fire"], "none", "1 statement confirmed", "none", "none"],
        [CLAIM_TEXTS["helicopters-were-ukrainian"], "none", "none", "none", "1 statement could not verify"],
        [CLAIM_TEXTS["previous-hits-ground-launched"], "1 statement asserted", "none", "none", "none"],
        [CLAIM_TEXTS["ukrainian-air-force-destroyed"], "none", "none", "1 statement disputed", "none"],
        [CLAIM_TEXTS["russian-public-supports-war"], "1 statement asserted", "none", "none", "none"],
    ]
    assert [text(cell) for cell in table.select("tfoot th, tfoot td")] == ["All 5 claims", "2", "1", "1", "1"]
