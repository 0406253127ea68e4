"""GET /api/v1/claims: claims of the seeded articles, who stands where, relations and history."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.vocabulary import (
    INVERSE_RELATION_LABELS,
    OPPOSING_STANCES,
    STANCE_HEADINGS,
    SUPPORTING_STANCES,
    RelationKind,
    Stance,
    VerificationStatus,
    values,
)
from tests.helpers import (
    ANNOTATIONS,
    SEED_FILES,
    SOURCE_000,
    SOURCE_001,
    SOURCE_002,
    STATEMENTS,
    TITLES,
    claim_detail,
    get_items,
    get_page,
    get_problem,
    not_found,
    slugs,
    source_id,
    walk_pages,
    whole_group,
)

CLAIMS: list[dict[str, Any]] = ANNOTATIONS["claims"]
CLAIM_TEXTS = {claim["key"]: claim["text"] for claim in CLAIMS}

CLAIM_KEYS = {
    "id",
    "slug",
    "text",
    "verification_status",
    "verification_label",
    "contested",
    "summary",
    "stances",
    "attribution_count",
    "source_count",
    "created_at",
    "updated_at",
    "version",
}


def all_claims(client: TestClient) -> dict[str, dict[str, Any]]:
    return {claim["slug"]: claim for claim in get_items(client, "/api/v1/claims?limit=200")}


def yaml_claims_in_id_order(predicate: Any = None) -> list[str]:
    """Claim keys in the order the seeds create them (id order), those matching `predicate`."""
    return [claim["key"] for claim in CLAIMS if predicate is None or predicate(claim)]


def stances_of(key: str) -> set[str]:
    return {s["stance"] for s in STATEMENTS if s["claim"] == key}


# The index


def test_the_index_lists_every_claim_with_exactly_the_documented_keys(client: TestClient) -> None:
    claims = all_claims(client)

    assert list(claims) == yaml_claims_in_id_order()
    for slug, claim in claims.items():
        assert set(claim) == CLAIM_KEYS
        assert claim["text"] == CLAIM_TEXTS[slug]
        assert [set(count) for count in claim["stances"]] == [
            {"stance", "label", "actors", "actor_count", "attribution_count"}
        ] * len(claim["stances"])


def test_each_claim_counts_its_statements_and_sources_as_the_yaml_has_them(client: TestClient) -> None:
    for slug, claim in all_claims(client).items():
        statements = [s for s in STATEMENTS if s["claim"] == slug]
        assert claim["attribution_count"] == len(statements), slug
        assert claim["source_count"] == len({s["source"] for s in statements}), slug
        assert [c["stance"] for c in claim["stances"]] == [s for s in values(Stance) if s in stances_of(slug)]


def test_helicopter_strike_in_the_index(client: TestClient) -> None:
    claim = all_claims(client)["helicopter-strike"]

    assert claim["verification_status"] == "partly_confirmed"
    assert claim["verification_label"] == "Partly confirmed"
    assert claim["contested"] is False
    could_not_verify = next(c for c in claim["stances"] if c["stance"] == "could_not_verify")
    assert could_not_verify == {
        "stance": "could_not_verify",
        "label": "could not verify",
        "actors": ["Dmytro Kuleba", "General Staff of the Armed Forces of Ukraine", "Jonathan Beale"],
        "actor_count": 3,
        "attribution_count": sum(
            1 for s in STATEMENTS if s["claim"] == "helicopter-strike" and s["stance"] == "could_not_verify"
        ),
    }


def test_contested_is_computed_from_the_stances(client: TestClient) -> None:
    supporting, opposing = set(values(Stance)) & SUPPORTING_STANCES, set(values(Stance)) & OPPOSING_STANCES

    claims = all_claims(client)

    assert {slug for slug, claim in claims.items() if claim["contested"]} == {
        key for key in CLAIM_TEXTS if stances_of(key) & supporting and stances_of(key) & opposing
    }
    # Western reports asserted the losses and Moscow disputed them (001).
    assert stances_of("russian-troop-losses") == {"asserted", "disputed"}
    assert claims["russian-troop-losses"]["contested"] is True
    # Only asserted, never denied or disputed: not contested, however doubtful.
    assert stances_of("false-flag") == {"asserted"}
    assert claims["false-flag"]["contested"] is False


# One claim


def test_a_claim_groups_its_statements_by_the_six_stances_in_order(client: TestClient) -> None:
    detail = claim_detail(client, "helicopter-strike")

    assert [(g["stance"], g["heading"]) for g in detail["groups"]] == [
        (stance.value, STANCE_HEADINGS[stance]) for stance in Stance
    ]
    for group in detail["groups"]:
        assert sorted((a["actor"]["slug"], a["quote"]) for a in whole_group(client, group)) == sorted(
            (s["actor"], s["quote"])
            for s in STATEMENTS
            if s["claim"] == "helicopter-strike" and s["stance"] == group["stance"]
        )
    provenance = {"stance_summary", "chains", "path_count", "paths_drawn", "conflicts"}
    assert (
        set(detail) == CLAIM_KEYS | {"groups", "related", "sources", "history", "history_count"} | provenance
    )


def test_kuleba_could_not_verify_the_helicopter_strike_in_two_sources(client: TestClient) -> None:
    detail = claim_detail(client, "helicopter-strike")

    (could_not_verify,) = [g for g in detail["groups"] if g["stance"] == "could_not_verify"]
    kuleba = [a for a in could_not_verify["attributions"] if a["actor"]["slug"] == "dmytro-kuleba"]
    assert [a["source"]["title"] for a in kuleba] == [TITLES[SOURCE_000], TITLES[SOURCE_002]]
    assert [[step["actor"]["slug"] for step in a["via"]] for a in kuleba] == [["reuters"], []]


def test_empty_stance_groups_are_shown_empty(client: TestClient) -> None:
    detail = claim_detail(client, "depot-fire")

    assert {g["stance"]: len(g["attributions"]) for g in detail["groups"]} == {
        stance: sum(1 for s in STATEMENTS if s["claim"] == "depot-fire" and s["stance"] == stance)
        for stance in values(Stance)
    }
    assert [g["attributions"] for g in detail["groups"] if g["stance"] == "denied"] == [[]]


def expected_related(key: str) -> list[tuple[str, str, str, str]]:
    """(relation, kind, direction, other claim) for every relation touching `key`, in creation order."""
    related = []
    for claim in CLAIMS:
        for relation in claim.get("related") or []:
            kind = RelationKind(relation["kind"])
            if claim["key"] == key:
                related.append((kind.value, kind.value, "outgoing", relation["claim"]))
            elif relation["claim"] == key:
                related.append((INVERSE_RELATION_LABELS[kind], kind.value, "incoming", claim["key"]))
    return related


@pytest.mark.parametrize(
    "slug", ["helicopter-strike", "false-flag", "airstrike-caused-fire", "putin-informed"]
)
def test_related_claims_appear_from_both_ends(client: TestClient, slug: str) -> None:
    detail = claim_detail(client, slug)

    assert [
        (r["relation"], r["kind"], r["direction"], r["claim"]["slug"]) for r in detail["related"]
    ] == expected_related(slug)
    for related in detail["related"]:
        assert set(related["claim"]) == {"id", "slug", "text", "verification_status"}
        assert related["claim"]["text"] == CLAIM_TEXTS[related["claim"]["slug"]]


def test_the_helicopter_strike_is_contradicted_by_the_false_flag(client: TestClient) -> None:
    strike, false_flag = claim_detail(client, "helicopter-strike"), claim_detail(client, "false-flag")

    assert {
        "relation": "contradicts",
        "kind": "contradicts",
        "direction": "incoming",
        "claim": {
            "id": false_flag["id"],
            "slug": "false-flag",
            "text": CLAIM_TEXTS["false-flag"],
            "verification_status": "unconfirmed",
        },
    } in strike["related"]
    assert false_flag["related"] == [
        {
            "relation": "contradicts",
            "kind": "contradicts",
            "direction": "outgoing",
            "claim": {
                "id": strike["id"],
                "slug": "helicopter-strike",
                "text": CLAIM_TEXTS["helicopter-strike"],
                "verification_status": "partly_confirmed",
            },
        }
    ]


@pytest.mark.parametrize("claim", CLAIMS, ids=[claim["key"] for claim in CLAIMS])
def test_history_lists_the_status_the_yaml_gives(client: TestClient, claim: dict[str, Any]) -> None:
    detail = claim_detail(client, claim["key"])

    status = claim.get("status", "unverified")
    assert detail["verification_status"] == status
    assert detail["verification_label"] == VerificationStatus(status).label
    if status == "unverified":
        assert detail["history"] == []
        return
    (change,) = detail["history"]
    assert {key: change[key] for key in change if key not in ("id", "changed_at", "evidence")} == {
        "from_status": "unverified",
        "from_label": "Unverified",
        "to_status": status,
        "to_label": VerificationStatus(status).label,
        "rationale": claim["rationale"].strip(),
        "changed_by": "seed",
    }
    assert [
        (item["source"]["title"] if item["source"] else None, item["url"], item["note"])
        for item in change["evidence"]
    ] == [
        (TITLES[e["source"]] if e.get("source") else None, e.get("url"), e.get("note"))
        for e in claim.get("evidence") or []
    ]


# Filters


@pytest.mark.parametrize("status", values(VerificationStatus))
def test_status_filter(client: TestClient, status: str) -> None:
    assert slugs(client, f"/api/v1/claims?status={status}&limit=200") == yaml_claims_in_id_order(
        lambda claim: claim.get("status", "unverified") == status
    )


@pytest.mark.parametrize("stance", values(Stance))
def test_stance_filter(client: TestClient, stance: str) -> None:
    assert slugs(client, f"/api/v1/claims?stance={stance}&limit=200") == yaml_claims_in_id_order(
        lambda claim: stance in stances_of(claim["key"])
    )


@pytest.mark.parametrize("file_name", SEED_FILES)
def test_source_filter(client: TestClient, file_name: str) -> None:
    in_source = {s["claim"] for s in STATEMENTS if s["source"] == file_name}

    assert slugs(
        client, f"/api/v1/claims?source={source_id(client, file_name)}&limit=200"
    ) == yaml_claims_in_id_order(lambda claim: claim["key"] in in_source)


def test_text_filter_searches_claims_and_quotes_in_any_case(client: TestClient) -> None:
    # "Mariupol" is in two claims' texts; "s-8" is only in Rob Lee's quote ("S-8 rockets").
    assert slugs(client, "/api/v1/claims?q=mariupol") == [
        "un-convoys-failed-mariupol",
        "mariupol-humanitarian-corridor",
    ]
    assert "S-8" not in CLAIM_TEXTS["videos-show-helicopters-firing"]
    assert slugs(client, "/api/v1/claims?q=s-8") == ["videos-show-helicopters-firing"]


@pytest.mark.parametrize("spelling", ["Röpcke", "ROEPCKE", "ropcke", "ropck"])
def test_text_filter_folds_accents_and_spellings_and_matches_word_starts(
    client: TestClient, spelling: str
) -> None:
    # Röpcke's quote spells him "Roepcke"; no claim text names him.
    assert not any("oepcke" in text or "öpcke" in text for text in CLAIM_TEXTS.values())
    assert slugs(client, f"/api/v1/claims?q={spelling}") == ["false-flag"]


def test_text_filter_needs_every_word_in_one_claim_or_one_quote(client: TestClient) -> None:
    assert slugs(client, "/api/v1/claims?q=false+flag") == ["false-flag"]
    assert slugs(client, "/api/v1/claims?q=flag+false") == ["false-flag"]
    assert slugs(client, "/api/v1/claims?q=false+flag+mariupol") == []
    # Only the start of a word: "elicopter" is inside "helicopters" but starts no word.
    assert slugs(client, "/api/v1/claims?q=elicopter") == []


def test_text_filter_does_not_match_who_said_it(client: TestClient) -> None:
    # Trofimov speaks about claims, but his name is in no claim text nor in any of the quotes.
    assert not any("Trofimov" in statement["quote"] for statement in STATEMENTS)
    assert not any("Trofimov" in text for text in CLAIM_TEXTS.values())
    assert slugs(client, "/api/v1/claims?actor=trofimov&limit=200") != []
    assert slugs(client, "/api/v1/claims?q=trofimov") == []


@pytest.mark.parametrize("wildcard", ["%25", "_", "%25%25", "*", "'", "--"])
def test_a_text_filter_without_a_word_is_a_problem_that_says_so(client: TestClient, wildcard: str) -> None:
    problem = get_problem(client, f"/api/v1/claims?q={wildcard}", 422)

    assert "no word to look for" in problem["detail"]
    assert "letter or digit" in problem["detail"]


def test_actor_and_stance_combine_on_one_statement(client: TestClient) -> None:
    assert slugs(client, "/api/v1/claims?actor=Kuleba&stance=could_not_verify") == ["helicopter-strike"]
    assert slugs(client, "/api/v1/claims?actor=Kuleba&stance=asserted") == []


def test_actor_and_source_combine_on_one_statement(client: TestClient) -> None:
    newsweek = source_id(client, SOURCE_001)

    assert slugs(client, f"/api/v1/claims?actor=Peskov&source={newsweek}") == yaml_claims_in_id_order(
        lambda claim: any(
            s["claim"] == claim["key"] and s["actor"] == "dmitry-peskov" and s["source"] == SOURCE_001
            for s in STATEMENTS
        )
    )


def test_status_and_stance_combine(client: TestClient) -> None:
    assert slugs(client, "/api/v1/claims?status=confirmed&stance=confirmed") == ["airstrike-caused-fire"]


@pytest.mark.parametrize("spelling", ["Röpcke", "Roepcke", "roepcke", "Ropcke", "Julian Röpcke"])
def test_any_spelling_of_ropcke_gives_his_claims(client: TestClient, spelling: str) -> None:
    assert slugs(client, f"/api/v1/claims?actor={spelling}") == ["false-flag"]


def test_zelensky_and_zelenskyy_give_the_same_claims(client: TestClient) -> None:
    expected = yaml_claims_in_id_order(
        lambda claim: any(
            s["claim"] == claim["key"] and s["actor"] == "volodymyr-zelenskyy" for s in STATEMENTS
        )
    )

    assert expected != []
    assert slugs(client, "/api/v1/claims?actor=Zelensky") == expected
    assert slugs(client, "/api/v1/claims?actor=Zelenskyy") == expected


def test_an_unknown_actor_has_no_claims(client: TestClient) -> None:
    assert get_page(client, "/api/v1/claims?actor=Navalny") == {"items": [], "next_cursor": None}


# Pagination


def test_walking_pages_of_seven_returns_every_claim_once_in_order(client: TestClient) -> None:
    everything = get_page(client, "/api/v1/claims?limit=200")["items"]
    walked = [claim for page in walk_pages(client, "/api/v1/claims", 7) for claim in page["items"]]

    assert walked == everything
    assert [claim["slug"] for claim in walked] == yaml_claims_in_id_order()


def test_a_page_that_ends_exactly_at_the_last_claim_has_no_next_cursor(client: TestClient) -> None:
    page = get_page(client, f"/api/v1/claims?limit={len(CLAIMS)}")

    assert len(page["items"]) == len(CLAIMS)
    assert page["next_cursor"] is None


def test_a_tampered_cursor_is_a_problem(client: TestClient) -> None:
    cursor = get_page(client, "/api/v1/claims?limit=7")["next_cursor"]

    problem = get_problem(client, f"/api/v1/claims?limit=7&cursor={cursor[:-2]}!!", 422)

    assert problem["detail"] == (
        "The cursor is not valid: pass the next_cursor of a previous page unchanged."
    )


@pytest.mark.parametrize("limit", [0, 1000])
def test_limit_out_of_range_is_a_problem(client: TestClient, limit: int) -> None:
    problem = get_problem(client, f"/api/v1/claims?limit={limit}", 422)

    assert problem["errors"][0]["field"] == "limit"


# Errors


@pytest.mark.parametrize(
    ("parameter", "allowed"), [("status", values(VerificationStatus)), ("stance", values(Stance))]
)
def test_unknown_vocabulary_lists_the_allowed_values(
    client: TestClient, parameter: str, allowed: list[str]
) -> None:
    problem = get_problem(client, f"/api/v1/claims?{parameter}=probably", 422)

    assert (problem["title"], problem["status"]) == ("Invalid request", 422)
    assert [(e["field"], e["input"], e["allowed"]) for e in problem["errors"]] == [
        (parameter, "probably", allowed)
    ]
    assert f"(allowed: {', '.join(allowed)})" in problem["detail"]


def test_an_unknown_claim_is_a_404_problem(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/claims/999999", 404)

    assert problem == not_found("There is no claim 999999: the link may be wrong.")


def test_an_unknown_api_path_is_a_404_problem(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/claimz", 404)

    assert problem == not_found("Nothing is at /api/v1/claimz.")


# The API as a whole


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert {path: sorted(operations) for path, operations in document["paths"].items()} == {
        "/api/v1/claims": ["get", "post"],
        "/api/v1/claims.csv": ["get"],
        "/api/v1/claims.ndjson": ["get"],
        "/api/v1/claims/{claim_id}": ["delete", "get", "patch"],
        "/api/v1/claims/{claim_id}/restore": ["post"],
        "/api/v1/claims/{claim_id}/status": ["post"],
        "/api/v1/claims/{claim_id}/history": ["get"],
        "/api/v1/suggest/claims": ["get"],
        "/api/v1/actors": ["get", "post"],
        "/api/v1/actors/{slug}": ["delete", "get", "patch"],
        "/api/v1/actors/{slug}/claims": ["get"],
        "/api/v1/actors/{slug}/relayed": ["get"],
        "/api/v1/suggest/actors": ["get"],
        "/api/v1/sources": ["get", "post"],
        "/api/v1/sources/{source_id}": ["get", "patch"],
        "/api/v1/sources/{source_id}/proposals": ["get"],
        "/api/v1/sources/{source_id}/proposals/accept": ["post"],
        "/api/v1/sources/{source_id}/proposals/{proposal_id}/accept": ["post"],
        "/api/v1/sources/{source_id}/proposals/{proposal_id}/reject": ["post"],
        "/api/v1/sources/{source_id}/extract": ["post"],
        "/api/v1/suggest/sources": ["get"],
        "/api/v1/attributions": ["get", "post"],
        "/api/v1/attributions.csv": ["get"],
        "/api/v1/attributions.ndjson": ["get"],
        "/api/v1/attributions/{attribution_id}": ["delete", "get", "patch"],
        "/api/v1/attributions/{attribution_id}/restore": ["post"],
        "/api/v1/audit": ["get"],
        "/api/v1/search": ["get"],
        "/api/v1/attributions/{attribution_id}/annotation": ["get"],
        "/api/v1/sources/{source_id}/annotations": ["get"],
        "/api/v1/claims/{claim_id}/prov": ["get"],
        "/api/v1/claims/{claim_id}/claimreview": ["get"],
        "/api/v1/claimreview": ["get"],
        "/claims.atom": ["get"],
        "/claims/{claim_id}/feed.atom": ["get"],
        "/actors/{slug}/feed.atom": ["get"],
        "/healthz": ["get"],
    }
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["description"].strip(), f"{method.upper()} {path} has no description"
            # Actions on something that exists answer 200; only what creates a resource answers 201.
            actions = ("/restore", "/status", "/accept", "/reject", "/extract")
            success = "201" if method == "post" and not path.endswith(actions) else "200"
            assert success in operation["responses"] or "204" in operation["responses"], (method, path)
    parameters = {p["name"] for p in document["paths"]["/api/v1/claims"]["get"]["parameters"]}
    assert parameters == {
        "limit",
        "cursor",
        "actor",
        "stance",
        "status",
        "source",
        "q",
        "contested",
        "date_from",
        "date_to",
    }


def test_docs_answer(client: TestClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/api/v1/openapi.json" in response.text


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
