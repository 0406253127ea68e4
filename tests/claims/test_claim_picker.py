"""Finding a claim by what an editor types in a form's claim field: its number, its label (“12: Two
Ukrainian…”), or words of its text, through the search index; and `GET /api/v1/suggest/claims`, which
suggests a few claims as one types. No form lists every claim on record any more."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.claims import service
from app.claims.service import CLAIM_CHOICES, SUGGESTIONS, pick_claim, pick_claims
from app.models import Claim
from tests.bulk import new_claims
from tests.conftest import QueryLog
from tests.helpers import claim_detail, claim_id, get_json

STRIKE = "Two Ukrainian military helicopters struck the oil depot in Belgorod, Russia, on 1 April 2022."


def suggested(client: TestClient, typed: str) -> list[dict[str, Any]]:
    body = get_json(client, f"/api/v1/suggest/claims?q={typed}")
    assert set(body) == {"items"}
    items: list[dict[str, Any]] = body["items"]
    return items


def claim_ids_of(session: Session, *slugs: str) -> list[int]:
    found = dict(session.execute(select(Claim.slug, Claim.id).where(Claim.slug.in_(slugs))).all())
    return [found[slug] for slug in slugs]


# ---- suggestions -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["helicopters struck", "HELIC STRUC", "hélic strúck", "Struck Ukrain milit"]
)
def test_word_starts_in_any_case_or_accent_suggest_the_claim(client: TestClient, typed: str) -> None:
    strike = claim_id(client, "helicopter-strike")

    (item,) = suggested(client, typed)

    assert item == {
        "id": strike,
        "slug": "helicopter-strike",
        "text": STRIKE,
        "verification_status": "partly_confirmed",
        "label": f"{strike}: {STRIKE}",
    }


def test_a_label_typed_back_suggests_its_claim(client: TestClient) -> None:
    strike = claim_id(client, "helicopter-strike")

    items = suggested(client, f"{strike}: Two Ukrainian military helicopters struck…")

    assert [item["id"] for item in items] == [strike]


def test_a_long_text_is_labelled_by_its_start(session: Session) -> None:
    (claim,) = new_claims(session, 1, prefix="A very long claim " + "that goes on and on " * 10)

    label = service.claim_label(claim.id, claim.text)

    assert label == f"{claim.id}: {claim.text[:99].rstrip()}…"
    assert len(label) == len(f"{claim.id}: ") + service.LABEL_CHARS
    assert pick_claim(session, label).claim is not None


@pytest.mark.parametrize("typed", ["", "  ", "!!!", "qqqqqq"])
def test_nothing_to_suggest_is_an_empty_list(client: TestClient, typed: str) -> None:
    assert suggested(client, typed) == []


def test_suggestions_are_few_newest_first_however_many_match(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    made = new_claims(session, SUGGESTIONS + 5, prefix="Namesake claim")

    items = suggested(client, "namesake")

    assert [item["id"] for item in items] == [claim.id for claim in made[::-1][:SUGGESTIONS]]


def test_a_deleted_claim_is_not_suggested(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    (claim,) = new_claims(session, 1, prefix="Soon deleted zanzibar")
    assert [item["id"] for item in suggested(client, "zanzibar")] == [claim.id]

    service.delete_claim(session, claim, by="test")
    session.flush()

    assert suggested(client, "zanzibar") == []


def test_a_suggestion_is_one_query(counted_client: tuple[TestClient, QueryLog]) -> None:
    client, log = counted_client
    log.reset()

    assert client.get("/api/v1/suggest/claims?q=belgorod").status_code == 200

    assert log.count == 1


def test_suggestions_need_the_typed_text(client: TestClient) -> None:
    response = client.get("/api/v1/suggest/claims")

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["q"]


# ---- resolving a claim field -------------------------------------------------------------------------------


def test_a_number_or_a_label_designates_its_claim(client: TestClient, session: Session) -> None:
    strike = claim_detail(client, "helicopter-strike")

    for typed in (
        str(strike["id"]),
        f" {strike['id']} ",
        f"{strike['id']}: {STRIKE}",
        f"{strike['id']}: anything",
    ):
        pick = pick_claim(session, typed)
        assert pick.claim is not None, typed
        assert (pick.claim.id, pick.problem, pick.choices) == (strike["id"], None, [])
        assert pick.shown == f"{strike['id']}: {STRIKE}"


def test_words_of_one_claim_designate_it(session: Session) -> None:
    (false_flag,) = claim_ids_of(session, "false-flag")

    pick = pick_claim(session, "russian FALSE flag")

    assert pick.claim is not None
    assert pick.claim.id == false_flag


def test_the_exact_text_wins_over_texts_holding_its_words(session: Session) -> None:
    short, longer = new_claims(session, 2, prefix="Quokkas bask")
    # "Quokkas bask number 0." and "Quokkas bask number 1.": make one text hold all of the other's words.
    longer.text = "Quokkas bask number 0 again."
    session.flush()

    pick = pick_claim(session, short.text)

    assert pick.claim is not None
    assert pick.claim.id == short.id


def test_words_that_fit_no_claim_say_so(session: Session) -> None:
    pick = pick_claim(session, "zebras on the moon")

    assert (pick.claim, pick.choices) == (None, [])
    assert pick.problem == (
        "No claim has the words “zebras on the moon”: check the spelling, or type fewer words."
    )
    assert pick.shown == "zebras on the moon"


def test_a_number_no_claim_has_says_so(session: Session) -> None:
    assert pick_claim(session, "999999").problem == (
        "There is no claim 999999, and no claim has the words “999999”: "
        "check the spelling, or type fewer words."
    )
    assert pick_claim(session, "999999: Two Ukrainian").problem == (
        "There is no claim 999999: type its words, or another number."
    )
    assert pick_claim(session, "!!!").problem == (
        "“!!!” has no word to look for: type words of the claim's text, or its number."
    )


def test_words_that_fit_several_claims_list_a_few(session: Session) -> None:
    informed, failed = claim_ids_of(session, "putin-informed", "putin-campaign-failed")

    pick = pick_claim(session, "putin")

    assert pick.claim is None
    assert pick.problem == "“putin” fits 2 claims: choose one, or type more of its words."
    assert sorted(choice.id for choice in pick.choices) == sorted([informed, failed])
    assert {choice.label for choice in pick.choices} == {
        f"{informed}: Russian President Vladimir Putin was informed about the Belgorod oil depot fire.",
        f"{failed}: Putin's campaign to take control of Ukraine has failed.",
    }


def test_many_claims_that_fit_are_a_few_to_choose_from(session: Session) -> None:
    made = new_claims(session, CLAIM_CHOICES + 3, prefix="Namesake claim")

    pick = pick_claim(session, "namesake")

    assert (
        pick.problem
        == f"“namesake” fits more than {CLAIM_CHOICES} claims: choose one, or type more of its words."
    )
    assert [choice.id for choice in pick.choices] == [claim.id for claim in made[::-1][:CLAIM_CHOICES]]


def test_a_deleted_claim_by_number_says_who_deleted_it(session: Session) -> None:
    (claim,) = new_claims(session, 1, prefix="Deleted walrus")
    service.delete_claim(session, claim, by="edna")
    session.flush()
    assert claim.deleted_at is not None

    pick = pick_claim(session, str(claim.id))

    assert pick.claim is None
    assert pick.problem == (
        f"Claim {claim.id} (“{claim.text}”) was deleted by edna on {claim.deleted_at:%-d %B %Y}. "
        "An administrator can restore it. Choose another claim."
    )
    # Its words find nothing either: a deleted claim leaves the search index.
    assert pick_claim(session, "walrus").claim is None


def test_the_claim_being_edited_is_not_found_by_its_words(session: Session) -> None:
    first, second = new_claims(session, 2, prefix="Platypus lays")

    pick = pick_claim(session, "platypus", other_than=first.id)

    assert pick.claim is not None
    assert pick.claim.id == second.id


def test_numbers_are_looked_up_together(
    counted_client_and_session: tuple[TestClient, QueryLog, Session],
) -> None:
    _client, log, session = counted_client_and_session
    ids = claim_ids_of(session, "helicopter-strike", "depot-fire", "false-flag")
    typed = [str(ids[0]), f"{ids[1]}: An oil depot", str(ids[2])]
    session.expunge_all()
    log.reset()

    picks = pick_claims(session, typed)

    assert [pick.claim.id if pick.claim else None for pick in picks] == ids
    assert log.count == 1
