"""The claim fields of the editing forms, without JavaScript: the statement's claim on the new and edit
statement forms, and the related claims of the claim forms, are text fields (a claim's number, its
label, or words of its text) that the server resolves; words that fit none or several claims come back
beside the field, with the form as typed and a few claims to choose from. The forms are the same size
however many claims there are."""

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.claims.service import CLAIM_CHOICES
from app.models import Attribution, AuditEntry, Claim, ClaimRelation
from app.vocabulary import Role
from tests.bulk import new_claims
from tests.conftest import Accounts, sqlite_only
from tests.helpers import (
    SOURCE_000,
    attr,
    claim_id,
    get_items,
    get_json,
    one,
    page,
    parse,
    row_counts,
    source_id,
    text,
)

pytestmark = sqlite_only

Client = tuple[TestClient, Session]
SUGGEST = "/api/v1/suggest/claims"
QUOTE = "Kremlin"  # once in source 000


def counts(session: Session) -> dict[str, int]:
    return row_counts(session, Claim, ClaimRelation, Attribution, AuditEntry)


def claim_text(client: TestClient, claim: int) -> str:
    text_: str = get_json(client, f"/api/v1/claims/{claim}")["text"]
    return text_


def statement_data(csrf: str, **overrides: str) -> dict[str, str]:
    return {"csrf_token": csrf, "quote": QUOTE, "actor": "Peskov", "stance": "asserted", **overrides}


def problem_of(soup: BeautifulSoup, field_id: str) -> tuple[str, list[tuple[str, str]]]:
    """What a claim field says is wrong, and the claims it offers: (radio value, label) each."""
    field = one(soup, f"#{field_id}")
    assert attr(field, "aria-invalid") == "true"
    assert f"{field_id}-problem" in attr(field, "aria-describedby").split()
    problem = one(soup, f"#{field_id}-problem")
    offered = [
        (attr(radio, "value"), text(one(soup, f"label[for='{attr(radio, 'id')}']")))
        for radio in problem.select("input[type=radio]")
    ]
    return text(one(problem, "p.field-problem-message")), offered


# ---- the statement forms ----------------------------------------------------------------------------------


def test_the_new_statement_form_has_a_claim_text_field(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session
    accounts.sign_in(Role.EDITOR)
    url = f"/sources/{source_id(client, SOURCE_000)}/attributions/new"

    form = page(client, url)

    field = one(form, "input#attribution-claim")
    assert (attr(field, "name"), attr(field, "type"), attr(field, "value")) == ("claim", "text", "")
    assert attr(field, "data-suggest") == SUGGEST
    assert [attr(select_, "name") for select_ in form.select("select")] == ["stance"]
    assert attr(one(form, "input#attribution-actor"), "data-suggest") == "/api/v1/suggest/actors"
    strike = claim_id(client, "helicopter-strike")
    chosen = page(client, f"{url}?claim={strike}")
    assert attr(one(chosen, "#attribution-claim"), "value") == f"{strike}: {claim_text(client, strike)}"


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("{id}", "talks-hampered"),
        ("{id}: The attack on", "talks-hampered"),
        ("russian false flag", "false-flag"),
    ],
)
def test_a_statement_is_attributed_to_the_claim_its_number_or_words_designate(
    client_and_session: Client, accounts: Accounts, typed: str, slug: str
) -> None:
    client, _session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    url = f"/sources/{source_id(client, SOURCE_000)}/attributions/new"
    wanted = claim_id(client, slug)

    done = client.post(
        url,
        data=statement_data(csrf, claim=typed.format(id=claim_id(client, "talks-hampered"))),
        follow_redirects=False,
    )

    assert done.status_code == 303, done.text
    assert done.headers["location"].startswith(f"/claims/{wanted}")


def test_words_that_fit_no_claim_come_back_beside_the_field(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    url = f"/sources/{source_id(client, SOURCE_000)}/attributions/new"
    before = counts(session)

    refused = client.post(url, data=statement_data(csrf, claim="zebras on the moon", medium="call"))

    assert refused.status_code == 422
    shown = parse(refused.text)
    message, offered = problem_of(shown, "attribution-claim")
    assert message == "No claim has the words “zebras on the moon”: check the spelling, or type fewer words."
    assert offered == []
    assert shown.select("p#form-error") == []  # said beside the field, not again above the form
    assert attr(one(shown, "#attribution-claim"), "value") == "zebras on the moon"
    assert (
        attr(one(shown, "#attribution-actor"), "value"),
        one(shown, "textarea[name=quote]").get_text(),
    ) == (
        "Peskov",
        QUOTE,
    )
    assert attr(one(shown, "#attribution-medium"), "value") == "call"
    assert counts(session) == before


def test_words_that_fit_several_claims_offer_them_and_one_is_chosen(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    url = f"/sources/{source_id(client, SOURCE_000)}/attributions/new"
    informed, failed = claim_id(client, "putin-informed"), claim_id(client, "putin-campaign-failed")
    before = counts(session)

    ambiguous = client.post(url, data=statement_data(csrf, claim="putin"))

    assert ambiguous.status_code == 422
    shown = parse(ambiguous.text)
    message, offered = problem_of(shown, "attribution-claim")
    assert message == "“putin” fits 2 claims: choose one, or type more of its words."
    assert sorted(offered) == sorted(
        [
            (str(informed), f"{informed}: {claim_text(client, informed)}"),
            (str(failed), f"{failed}: {claim_text(client, failed)}"),
        ]
    )
    assert {attr(radio, "name") for radio in shown.select("#attribution-claim-problem input")} == {
        "claim_choice"
    }
    assert attr(one(shown, "#attribution-claim"), "value") == "putin"
    assert counts(session) == before

    chosen = client.post(
        url, data=statement_data(csrf, claim="putin", claim_choice=str(failed)), follow_redirects=False
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"].startswith(f"/claims/{failed}")


def test_a_found_claim_shows_as_its_label_when_another_field_is_wrong(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    url = f"/sources/{source_id(client, SOURCE_000)}/attributions/new"
    flag = claim_id(client, "false-flag")

    refused = client.post(url, data=statement_data(csrf, claim="false flag", actor="Nobody McNoone"))

    assert refused.status_code == 422
    shown = parse(refused.text)
    assert text(one(shown, "p#form-error")).startswith("Actor: no actor is called “Nobody McNoone”")
    field = one(shown, "#attribution-claim")
    assert attr(field, "value") == f"{flag}: {claim_text(client, flag)}"
    assert field.get("aria-invalid") is None


def test_a_claim_and_a_new_claim_together_are_refused(client_and_session: Client, accounts: Accounts) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    url = f"/sources/{source_id(client, SOURCE_000)}/attributions/new"
    before = counts(session)

    refused = client.post(url, data=statement_data(csrf, claim="false flag", new_claim="Something new."))

    assert refused.status_code == 422
    assert text(one(parse(refused.text), "p#form-error")) == (
        "Claim: choose an existing claim or write a new one, not both."
    )
    assert counts(session) == before


def test_the_edit_statement_form_shows_the_claim_and_keeps_it_or_moves_it(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session
    (statement,) = get_items(
        client, f"/api/v1/attributions?actor=kuleba&source={source_id(client, SOURCE_000)}"
    )
    url = f"/attributions/{statement['id']}/edit"
    csrf = accounts.sign_in(Role.EDITOR)
    label = f"{statement['claim']['id']}: {statement['claim']['text']}"

    form = page(client, url)

    field = one(form, "input#attribution-claim")
    assert (attr(field, "name"), attr(field, "value"), attr(field, "data-suggest")) == (
        "claim",
        label,
        SUGGEST,
    )
    assert field.get("required") is not None
    data = {
        "csrf_token": csrf,
        "version": str(statement["version"]),
        "quote": statement["quote"],
        "quote_start": str(statement["quote_start"]),
        "quote_end": str(statement["quote_end"]),
        "stance": "disputed",
        "via": "Reuters | news report",
    }
    kept = client.post(url, data={**data, "claim": label}, follow_redirects=False)
    assert kept.status_code == 303, kept.text
    now = get_json(client, f"/api/v1/attributions/{statement['id']}")
    assert (now["claim"]["id"], now["stance"]) == (statement["claim"]["id"], "disputed")

    ambiguous = client.post(url, data={**data, "version": str(now["version"]), "claim": "putin"})
    assert ambiguous.status_code == 422
    assert problem_of(parse(ambiguous.text), "attribution-claim")[0] == (
        "“putin” fits 2 claims: choose one, or type more of its words."
    )
    flag = claim_id(client, "false-flag")
    moved = client.post(
        url, data={**data, "version": str(now["version"]), "claim": "false flag"}, follow_redirects=False
    )
    assert moved.status_code == 303
    assert get_json(client, f"/api/v1/attributions/{statement['id']}")["claim"]["id"] == flag

    emptied = client.post(url, data={**data, "version": str(now["version"] + 1), "claim": ""})
    assert emptied.status_code == 422
    assert text(one(parse(emptied.text), "p#form-error")) == (
        "Claim: choose the claim the statement bears on: its number, or words of its text."
    )


# ---- the claim forms ---------------------------------------------------------------------------------------


def test_related_claims_are_text_fields(client_and_session: Client, accounts: Accounts) -> None:
    client, _session = client_and_session
    accounts.sign_in(Role.EDITOR)

    form = page(client, "/claims/new")

    fields = form.select("input[name=related_claim]")
    assert [attr(field, "id") for field in fields] == [
        "related-claim-1",
        "related-claim-2",
        "related-claim-3",
    ]
    assert {(attr(field, "type"), attr(field, "data-suggest"), attr(field, "value")) for field in fields} == {
        ("text", SUGGEST, "")
    }
    assert form.select("select[name=related_claim]") == []


def test_related_claims_by_words_several_and_none(client_and_session: Client, accounts: Accounts) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    failed, flag = claim_id(client, "putin-campaign-failed"), claim_id(client, "false-flag")
    before = counts(session)
    data = {
        "csrf_token": csrf,
        "text": "Putin's campaign was a Russian false flag.",
        "related_claim": ["putin", "", "zebras on the moon", "false flag"],
        "related_kind": ["narrows", "", "supports", "contradicts"],
    }

    refused = client.post("/claims/new", data=data)

    assert refused.status_code == 422
    shown = parse(refused.text)
    assert shown.select("p.form-error[role=alert]:not(.field-problem-message)") == []
    # Blank rows are dropped: the rows come back in the order typed, each resolved or explained.
    message, offered = problem_of(shown, "related-claim-1")
    assert message == "“putin” fits 2 claims: choose one, or type more of its words."
    assert {attr(radio, "name") for radio in shown.select("#related-claim-1-problem input")} == {
        "related_choice_1"
    }
    assert str(failed) in [value for value, _label in offered]
    assert problem_of(shown, "related-claim-2")[0] == (
        "No claim has the words “zebras on the moon”: check the spelling, or type fewer words."
    )
    assert attr(one(shown, "#related-claim-3"), "value") == f"{flag}: {claim_text(client, flag)}"
    assert attr(one(shown, "#related-kind-3 option[selected]"), "value") == "contradicts"
    assert [attr(field, "value") for field in shown.select("input[name=related_claim]")][3:] == ["", "", ""]
    assert counts(session) == before

    created = client.post(
        "/claims/new",
        data={
            **data,
            "related_claim": ["putin", "false flag"],
            "related_kind": ["narrows", "contradicts"],
            "related_choice_1": str(failed),
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    new_id = int(created.headers["location"].removeprefix("/claims/"))
    relations = session.scalars(select(ClaimRelation).where(ClaimRelation.claim_id == new_id)).all()
    assert sorted((relation.related_claim_id, relation.kind) for relation in relations) == sorted(
        [(failed, "narrows"), (flag, "contradicts")]
    )


def test_a_row_without_its_relation_is_said_above_the_form(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)

    refused = client.post(
        "/claims/new",
        data={
            "csrf_token": csrf,
            "text": "A new claim.",
            "related_claim": ["false flag"],
            "related_kind": [""],
        },
    )

    assert refused.status_code == 422
    shown = parse(refused.text)
    assert (
        text(one(shown, "p.form-error[role=alert]"))
        == "Related claim 1: choose how this claim relates to it."
    )
    flag = claim_id(client, "false-flag")
    assert attr(one(shown, "#related-claim-1"), "value") == f"{flag}: {claim_text(client, flag)}"


def test_the_edit_form_shows_related_claims_by_label_and_never_finds_the_claim_itself(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    first, second = new_claims(session, 2, prefix="Platypus lays")
    strike = claim_id(client, "helicopter-strike")
    saved = client.post(
        f"/claims/{first.id}/edit",
        data={
            "csrf_token": csrf,
            "text": first.text,
            "version": str(first.version),
            "related_claim": [str(strike), "platypus"],
            "related_kind": ["narrows", "supports"],
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text

    form = page(client, f"/claims/{first.id}/edit")

    assert [attr(field, "value") for field in form.select("input[name=related_claim]")] == [
        f"{strike}: {claim_text(client, strike)}",
        f"{second.id}: {second.text}",
        "",
        "",
        "",
    ]
    itself = client.post(
        f"/claims/{first.id}/edit",
        data={
            "csrf_token": csrf,
            "text": first.text,
            "version": "2",
            "related_claim": [str(first.id)],
            "related_kind": ["narrows"],
        },
    )
    assert itself.status_code == 422
    assert text(one(parse(itself.text), "p.form-error[role=alert]")) == (
        f"Claim {first.id} cannot be related to itself."
    )


def test_a_stale_claim_form_shows_the_current_related_claims_by_label(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    (claim,) = new_claims(session, 1, prefix="Stale wombat")
    strike = claim_id(client, "helicopter-strike")
    data = {
        "csrf_token": csrf,
        "text": claim.text,
        "related_claim": [str(strike)],
        "related_kind": ["narrows"],
    }
    saved = client.post(f"/claims/{claim.id}/edit", data={**data, "version": "1"}, follow_redirects=False)
    assert saved.status_code == 303

    stale = client.post(f"/claims/{claim.id}/edit", data={**data, "version": "1", "related_claim": ["putin"]})

    assert stale.status_code == 409
    shown = parse(stale.text)
    assert [text(item) for item in shown.select(".current-related li")] == [
        f"This claim narrows claim {strike}: {claim_text(client, strike)}"
    ]
    assert (
        problem_of(shown, "related-claim-1")[0]
        == "“putin” fits 2 claims: choose one, or type more of its words."
    )


# ---- no form grows with the number of claims -------------------------------------------------------------


def test_the_forms_are_the_same_size_however_many_claims_there_are(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    accounts.sign_in(Role.EDITOR)
    source = source_id(client, SOURCE_000)
    (statement,) = get_items(client, f"/api/v1/attributions?actor=kuleba&source={source}")
    strike = claim_id(client, "helicopter-strike")
    forms = [
        "/claims/new",
        f"/claims/{strike}/edit",
        f"/sources/{source}/attributions/new",
        f"/attributions/{statement['id']}/edit",
    ]
    sizes = {url: len(client.get(url).content) for url in forms}

    new_claims(session, 100, prefix="One more claim on record, among many others")

    assert {url: len(client.get(url).content) for url in forms} == sizes
    assert session.scalar(select(Claim.id).where(Claim.text.like("One more claim%")).limit(1)) is not None


def test_a_claim_chosen_among_several_is_one_of_a_few_however_many_fit(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    new_claims(session, 100, prefix="Namesake claim")

    refused = client.post(
        f"/sources/{source_id(client, SOURCE_000)}/attributions/new",
        data=statement_data(csrf, claim="namesake"),
    )

    message, offered = problem_of(parse(refused.text), "attribution-claim")
    assert (
        message == f"“namesake” fits more than {CLAIM_CHOICES} claims: choose one, or type more of its words."
    )
    assert len(offered) == CLAIM_CHOICES


def test_a_claim_text_is_shown_as_text_in_the_field_and_the_choices(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    first, _second = new_claims(session, 2, prefix='Markup "<b>bold</b>" & <script>x()</script>')

    refused = client.post(
        f"/sources/{source_id(client, SOURCE_000)}/attributions/new",
        data=statement_data(csrf, claim="markup bold"),
    )

    assert "<script>x()" not in refused.text
    soup = parse(refused.text)
    _message, offered = problem_of(soup, "attribution-claim")
    assert (str(first.id), f"{first.id}: {first.text}") in offered
    assert soup.select("#attribution-claim-problem b, #attribution-claim-problem script") == []
    kept = client.post(
        f"/sources/{source_id(client, SOURCE_000)}/attributions/new",
        data=statement_data(csrf, claim=str(first.id), actor="Nobody McNoone"),
    )
    assert attr(one(parse(kept.text), "#attribution-claim"), "value") == f"{first.id}: {first.text}"
