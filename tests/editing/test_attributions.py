"""Attributing statements through the API and on a source's page: quotes, actors, roles, audit, deletes."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Attribution, AuditEntry, Claim, ReportingStep
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import (
    SOURCE_000,
    STATEMENTS,
    attr,
    audit_trail,
    claim_id,
    get_items,
    get_json,
    one,
    page,
    parse,
    row_counts,
    seed_text,
    source_id,
    text,
)

Client = tuple[TestClient, Session]
SEED_TEXT = seed_text(SOURCE_000)
QUOTE = "Kremlin"  # once in the source
TWICE = "Gladkov"  # twice in the source


def statement_place(client: TestClient, attribution_id: int) -> str:
    """Where a statement's permanent link leads (its claim's page, or its claim's list of them)."""
    response = client.get(f"/attributions/{attribution_id}", follow_redirects=False)
    assert response.status_code == 302
    return str(response.headers["location"])


def counts(session: Session) -> dict[str, int]:
    return row_counts(session, Claim, Attribution, ReportingStep, AuditEntry)


def body(client: TestClient, **overrides: Any) -> dict[str, Any]:
    return {
        "claim_id": claim_id(client, "talks-hampered"),
        "actor": "Peskov",
        "source_id": source_id(client, SOURCE_000),
        "stance": "asserted",
        "quote": QUOTE,
        **overrides,
    }


def audit_of(session: Session, attribution_id: int) -> list[AuditEntry]:
    return audit_trail(session, "attributions", attribution_id)


def test_an_editor_attributes_a_statement(client_and_session: Client, accounts: Accounts) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(session)
    request = body(
        client, via=[{"actor": "reuters", "medium": "wire"}, {"actor": "The Moscow Times"}], medium="call"
    )
    response = client.post("/api/v1/attributions", json=request, headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["Location"] == f"/api/v1/attributions/{created['id']}"
    assert response.headers["ETag"] == '"1"'
    start = SEED_TEXT.index(QUOTE)
    assert (created["quote"], created["quote_start"], created["quote_end"]) == (
        QUOTE,
        start,
        start + len(QUOTE),
    )
    assert created["actor"]["slug"] == "dmitry-peskov"
    assert [(s["actor"]["slug"], s["medium"]) for s in created["via"]] == [
        ("reuters", "wire"),
        ("the-moscow-times", None),
    ]
    assert counts(session) == {
        "claims": before["claims"],
        "attributions": before["attributions"] + 1,
        "reporting_steps": before["reporting_steps"] + 2,
        "audit_log": before["audit_log"] + 1,
    }
    (entry,) = audit_of(session, created["id"])
    assert entry.after is not None
    assert entry.after["quote_exact"] == QUOTE
    assert get_json(client, f"/api/v1/attributions/{created['id']}")["id"] == created["id"]


def test_an_ambiguous_quote_lists_its_occurrences_and_an_occurrence_picks_one(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(session)
    response = client.post("/api/v1/attributions", json=body(client, quote=TWICE), headers=headers)
    assert response.status_code == 422
    problem = response.json()
    first, second = (m.start() for m in re.finditer(TWICE, SEED_TEXT))
    assert problem["title"] == "Quote does not match its source"
    assert problem["detail"].startswith(
        "The quote “Gladkov” appears 2 times in the source: say which occurrence"
    )
    assert problem["occurrences"] == [
        {
            "occurrence": number,
            "quote_start": start,
            "quote_end": start + 7,
            "before": SEED_TEXT[max(0, start - 64) : start],
            "after": SEED_TEXT[start + 7 : start + 71],
        }
        for number, start in ((1, first), (2, second))
    ]
    assert counts(session) == before
    chosen = client.post(
        "/api/v1/attributions", json=body(client, quote=TWICE, occurrence=2), headers=headers
    )
    assert chosen.status_code == 201
    assert chosen.json()["quote_start"] == second


def test_offsets_are_code_points_so_emoji_do_not_shift_them(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    source, _new = ingest_source(
        session, SourceCreate(title="Post", text="🔥🔥 Peskov said talks are hampered. 🚁"), by="test"
    )
    session.flush()
    start = source.text.index("talks")
    response = client.post(
        "/api/v1/attributions",
        json=body(
            client, source_id=source.id, quote="talks are hampered", quote_start=start, quote_end=start + 18
        ),
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert (response.json()["quote_start"], response.json()["quote_prefix"]) == (15, "🔥🔥 Peskov said ")


@pytest.mark.parametrize(
    ("overrides", "status", "detail"),
    [
        (
            {"quote": "helicopters from Mars"},
            422,
            "The quote “helicopters from Mars” is not in the source text: a quote must be a verbatim copy, "
            "including its punctuation and quotation marks.",
        ),
        (
            {"quote_start": 0, "quote_end": 7},
            422,
            "The quote is not the source's text at 0–7: the source has “Russia ” there, "
            "the quote says “Kremlin”.",
        ),
        (
            {"actor": "Nobody McNoone"},
            422,
            "actor: no actor is called “Nobody McNoone”. Check the spelling, or create the actor first.",
        ),
        ({"actor": 99999}, 422, "actor: there is no actor with the id 99999."),
        (
            {"via": [{"actor": "Nobody McNoone"}]},
            422,
            "via[0].actor: no actor is called “Nobody McNoone”. "
            "Check the spelling, or create the actor first.",
        ),
        ({"claim_id": 99999}, 422, "claim_id: there is no claim 99999."),
        ({"source_id": 99999}, 422, "source_id: there is no source 99999."),
        (
            {"stance": "believed"},
            422,
            "stance: Input should be 'asserted', 'confirmed', 'denied', 'disputed', 'could_not_verify' or "
            "'declined_to_comment' (allowed: asserted, confirmed, denied, disputed, could_not_verify, "
            "declined_to_comment)",
        ),
        ({"note": "n" * 5001}, 422, "note: String should have at most 5000 characters"),
        ({"quote": "q" * 20001}, 422, "quote: String should have at most 20000 characters"),
    ],
)
def test_bad_statements_are_refused_and_nothing_is_written(
    client_and_session: Client, accounts: Accounts, overrides: dict[str, Any], status: int, detail: str
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(session)
    response = client.post("/api/v1/attributions", json=body(client, **overrides), headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["detail"] == detail
    assert counts(session) == before


def test_an_alias_naming_several_actors_lists_them(client_and_session: Client, accounts: Accounts) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(session)
    response = client.post("/api/v1/attributions", json=body(client, actor="Ukrainian"), headers=headers)
    assert response.status_code == 422
    slugs = [candidate["slug"] for candidate in response.json()["candidates"]]
    assert len(slugs) > 1
    for slug in slugs:
        assert f"({slug})" in response.json()["detail"]
    assert counts(session) == before


def test_the_same_statement_twice_is_a_conflict(client_and_session: Client, accounts: Accounts) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    seed = STATEMENTS[0]
    request = body(client, claim_id=claim_id(client, seed["claim"]), actor=seed["actor"], quote=seed["quote"])
    before = counts(session)
    response = client.post("/api/v1/attributions", json=request, headers=headers)
    assert response.status_code == 409
    start = SEED_TEXT.index(seed["quote"])
    assert response.json()["detail"] == (
        f"Dmitry Peskov's statement at {start}–{start + len(seed['quote'])} of this source "
        "is already attributed to this claim."
    )
    assert isinstance(response.json()["existing_attribution_id"], int)
    assert counts(session) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 401), (Role.VIEWER, 403), (Role.FACT_CHECKER, 403), (Role.EDITOR, 201), (Role.ADMIN, 201)],
)
def test_who_may_attribute(
    client_and_session: Client, accounts: Accounts, role: Role | None, status: int
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(role) if role else {}
    before = counts(session)
    response = client.post("/api/v1/attributions", json=body(client), headers=headers)
    assert response.status_code == status
    if status != 201:
        assert counts(session) == before


def test_patch_delete_and_restore(client_and_session: Client, accounts: Accounts) -> None:
    client, session = client_and_session
    editor = accounts.token_headers(Role.EDITOR)
    created = client.post("/api/v1/attributions", json=body(client), headers=editor).json()
    url = f"/api/v1/attributions/{created['id']}"
    before = counts(session)
    assert client.patch(url, json={"stance": "denied"}, headers=editor).status_code == 428
    assert (
        client.patch(url, json={"stance": "denied"}, headers={**editor, "If-Match": '"9"'}).status_code == 412
    )
    no_quote = client.patch(
        url, json={"quote_start": 0, "quote_end": 7}, headers={**editor, "If-Match": '"1"'}
    )
    assert no_quote.status_code == 422
    assert no_quote.json()["detail"] == "The quote and its offsets change together: send the quote with them."
    assert counts(session) == before

    changed = client.patch(
        url,
        json={
            "stance": "denied",
            "via": [{"actor": "reuters"}],
            "medium": None,
            "quote": TWICE,
            "occurrence": 1,
        },
        headers={**editor, "If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] == '"2"'
    assert (changed.json()["stance"], changed.json()["quote"]) == ("denied", TWICE)
    assert [s["actor"]["slug"] for s in changed.json()["via"]] == ["reuters"]
    chain_only = client.patch(url, json={"via": []}, headers={**editor, "If-Match": '"2"'})
    assert (chain_only.headers["ETag"], chain_only.json()["via"]) == ('"3"', [])

    assert client.delete(url, headers=editor).status_code == 428
    assert client.delete(url, headers={**editor, "If-Match": '"3"'}).status_code == 204
    assert client.get(url).status_code == 410
    claim = created["claim"]["id"]
    assert created["id"] not in [a["id"] for a in get_items(client, f"/api/v1/attributions?claim={claim}")]
    assert client.post(f"{url}/restore", headers=editor).status_code == 403
    restored = client.post(f"{url}/restore", headers=accounts.token_headers(Role.ADMIN))
    assert restored.status_code == 200
    assert created["id"] in [a["id"] for a in get_items(client, f"/api/v1/attributions?claim={claim}")]
    assert [e.action for e in audit_of(session, created["id"])] == [
        "create",
        "update",
        "update",
        "delete",
        "restore",
    ]


# ---- the browser -------------------------------------------------------------------------------------------


def form_data(client: TestClient, csrf: str, **overrides: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "quote": QUOTE,
        "actor": "Peskov",
        "claim": str(claim_id(client, "talks-hampered")),
        "stance": "asserted",
        "via": "Reuters | wire\nthe moscow times",
        **overrides,
    }


@sqlite_only
def test_the_attribution_form_by_role(client_and_session: Client, accounts: Accounts) -> None:
    client, _session = client_and_session
    source = source_id(client, SOURCE_000)
    url = f"/sources/{source}/attributions/new"
    assert client.get(url, follow_redirects=False).status_code == 303
    assert page(client, f"/sources/{source}").select("a.add-attribution") == []
    for role in (Role.VIEWER, Role.FACT_CHECKER):
        accounts.sign_in(role)
        assert client.get(url).status_code == 403
    accounts.sign_in(Role.EDITOR)
    assert attr(one(page(client, f"/sources/{source}"), "a.add-attribution"), "href") == url
    form = page(client, f"{url}?start=0&end=6")
    assert one(form, "textarea[name=quote]").get_text() == "Russia"
    assert attr(one(form, "input[name=quote_start]"), "value") == "0"
    assert one(form, "[data-quote-source]").get_text() == SEED_TEXT


def test_an_editor_attributes_a_statement_in_the_browser(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    source = source_id(client, SOURCE_000)
    url = f"/sources/{source}/attributions/new"
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(session)

    assert client.post(url, data=form_data(client, "")).status_code == 403
    missing = client.post(url, data=form_data(client, csrf, quote="not in this text at all"))
    assert missing.status_code == 422
    shown = parse(missing.text)
    assert text(one(shown, ".form-error")).startswith(
        "The quote “not in this text at all” is not in the source text"
    )
    assert one(shown, "textarea[name=quote]").get_text() == "not in this text at all"
    assert attr(one(shown, "input[name=actor]"), "value") == "Peskov"
    unknown = client.post(
        url, data=form_data(client, csrf, actor="Nobody McNoone", new_claim="New one", claim="")
    )
    assert unknown.status_code == 422
    assert text(one(parse(unknown.text), ".form-error")) == (
        "Actor: no actor is called “Nobody McNoone”. Check the spelling, or create the actor first."
    )
    assert counts(session) == before  # the new claim was not kept either

    ambiguous = client.post(url, data=form_data(client, csrf, quote=TWICE))
    assert ambiguous.status_code == 422
    radios = parse(ambiguous.text).select("input[name=occurrence]")
    assert [attr(radio, "value") for radio in radios] == ["1", "2"]
    assert counts(session) == before

    done = client.post(url, data=form_data(client, csrf, quote=TWICE, occurrence="2"), follow_redirects=False)
    assert done.status_code == 303
    location = done.headers["location"]
    # On the claim's page, or on its list of statements of that stance from this one on.
    match = re.fullmatch(r"/claims/(\d+)(?:/statements\?[^#]+)?#attribution-(\d+)", location)
    assert match is not None
    attribution = get_json(client, f"/api/v1/attributions/{match.group(2)}")
    assert attribution["quote_start"] == [m.start() for m in re.finditer(TWICE, SEED_TEXT)][1]
    assert [(s["actor"]["slug"], s["medium"]) for s in attribution["via"]] == [
        ("reuters", "wire"),
        ("the-moscow-times", None),
    ]
    claim_page = page(client, location.split("#")[0])
    one(claim_page, f"#attribution-{match.group(2)}")

    with_new_claim = client.post(
        url,
        data=form_data(client, csrf, claim="", new_claim="Peskov spoke about the Kremlin."),
        follow_redirects=False,
    )
    assert with_new_claim.status_code == 303
    assert counts(session)["claims"] == before["claims"] + 1
    assert counts(session)["audit_log"] == before["audit_log"] + 3


# ---- correcting and deleting a statement in the browser ------------------------------------------------


def _kuleba_in_000(client: TestClient) -> dict[str, Any]:
    """Kuleba's seeded "could not confirm or deny" statement in source 000, via Reuters."""
    items = get_items(client, f"/api/v1/attributions?actor=kuleba&source={source_id(client, SOURCE_000)}")
    (statement,) = items
    return statement


def edit_data(csrf: str, statement: dict[str, Any], **overrides: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "version": str(statement["version"]),
        "quote": statement["quote"],
        "quote_start": str(statement["quote_start"]),
        "quote_end": str(statement["quote_end"]),
        "claim": str(statement["claim"]["id"]),
        "stance": statement["stance"],
        "medium": statement["medium"] or "",
        "via": "\n".join(
            step["actor"]["name"] + (f" | {step['medium']}" if step["medium"] else "")
            for step in statement["via"]
        ),
        "note": statement["note"] or "",
        **overrides,
    }


@sqlite_only
def test_only_editors_see_the_links_to_correct_a_statement(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session
    statement = _kuleba_in_000(client)
    claim_url = f"/claims/{statement['claim']['id']}"
    item = f"#attribution-{statement['id']}"
    assert one(page(client, claim_url), item).select(".attribution-actions") == []
    accounts.sign_in(Role.FACT_CHECKER)
    assert one(page(client, claim_url), item).select(".attribution-actions") == []
    assert client.get(f"/attributions/{statement['id']}/edit").status_code == 403
    accounts.sign_in(Role.EDITOR)
    links = one(page(client, claim_url), item).select(".attribution-actions a")
    assert [(attr(link, "href"), text(link)) for link in links] == [
        (f"/attributions/{statement['id']}/edit", f"Edit statement {statement['id']}"),
        (f"/attributions/{statement['id']}/delete", f"Delete statement {statement['id']}"),
    ]


def test_an_editor_corrects_a_statement_in_the_browser(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    statement = _kuleba_in_000(client)
    url = f"/attributions/{statement['id']}/edit"
    csrf = accounts.sign_in(Role.EDITOR, name="erin")

    form = page(client, url)
    assert one(form, "textarea[name=quote]").get_text() == statement["quote"]
    assert attr(one(form, "select[name=stance] option[selected]"), "value") == "could_not_verify"
    assert one(form, "textarea[name=via]").get_text() == "Reuters | news report"
    assert attr(one(form, "input[name=version]"), "value") == str(statement["version"])

    saved = client.post(
        url,
        data=edit_data(csrf, statement, stance="disputed", medium="press briefing", via="Reuters | wire"),
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == statement_place(client, statement["id"])
    now = get_json(client, f"/api/v1/attributions/{statement['id']}")
    assert (now["stance"], now["medium"], now["quote"], now["version"]) == (
        "disputed",
        "press briefing",
        statement["quote"],
        statement["version"] + 1,
    )
    assert [(step["actor"]["slug"], step["medium"]) for step in now["via"]] == [("reuters", "wire")]
    (update,) = [entry for entry in audit_of(session, statement["id"]) if entry.action == "update"]
    assert update.user_name == "erin"
    assert update.before is not None
    assert update.after is not None
    assert (update.before["stance"], update.after["stance"]) == ("could_not_verify", "disputed")


def test_a_stale_statement_form_shows_the_current_statement_and_keeps_the_input(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    statement = _kuleba_in_000(client)
    url = f"/attributions/{statement['id']}/edit"
    csrf = accounts.sign_in(Role.EDITOR, name="erin")
    first = client.post(url, data=edit_data(csrf, statement, stance="disputed"), follow_redirects=False)
    assert first.status_code == 303
    before = counts(session)

    stale = client.post(url, data=edit_data(csrf, statement, stance="denied", note="My typed note."))
    assert stale.status_code == 409
    shown = parse(stale.text)
    meanwhile = one(shown, ".changed-meanwhile")
    assert text(meanwhile).startswith("Someone else changed this statement while you were editing it (erin)")
    assert [[text(cell) for cell in row.select("th, td")] for row in meanwhile.select("tbody tr")] == [
        ["stance", "could_not_verify", "disputed"]
    ]
    current = one(shown, ".current-statement")
    assert attr(one(current, f"#current-{statement['id']}"), "data-stance") == "disputed"
    assert one(shown, "textarea[name=note]").get_text() == "My typed note."
    assert attr(one(shown, "select[name=stance] option[selected]"), "value") == "denied"
    assert attr(one(shown, "input[name=version]"), "value") == str(statement["version"] + 1)
    assert counts(session) == before
    assert get_json(client, f"/api/v1/attributions/{statement['id']}")["stance"] == "disputed"


def test_a_bad_correction_is_refused_with_the_input_kept(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    statement = _kuleba_in_000(client)
    url = f"/attributions/{statement['id']}/edit"
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(session)

    for overrides, error in (
        (
            {"quote": "words nobody wrote", "quote_start": "", "quote_end": ""},
            "The quote “words nobody wrote”",
        ),
        ({"stance": "shrugged"}, "stance"),
        ({"via": "Nobody McNoone"}, "Reporting chain, line 1: no actor is called “Nobody McNoone”"),
        ({"claim": "999999"}, "999999"),
        ({"medium": "m" * 201}, "Medium: at most 200 characters"),
    ):
        refused = client.post(url, data=edit_data(csrf, statement, **overrides))
        assert refused.status_code in (404, 422), (overrides, refused.status_code)
        shown = parse(refused.text)
        assert error in text(one(shown, ".form-error")), overrides
        for name, value in overrides.items():
            field = one(shown, f"[name={name}]")
            if field.name == "select":
                continue  # a value not among the options cannot be shown selected
            kept = field.get_text() if field.name == "textarea" else attr(field, "value")
            assert kept == value, name
    assert counts(session) == before
    assert get_json(client, f"/api/v1/attributions/{statement['id']}")["version"] == statement["version"]


def test_an_editor_deletes_a_statement_and_an_admin_restores_it(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    statement = _kuleba_in_000(client)
    claim_url = f"/claims/{statement['claim']['id']}"
    url = f"/attributions/{statement['id']}/delete"
    csrf = accounts.sign_in(Role.EDITOR)

    confirm = page(client, url)
    assert attr(one(confirm, "form.confirm-form"), "action") == url
    assert attr(one(confirm, "input[name=version]"), "value") == str(statement["version"])
    stale = client.post(url, data={"csrf_token": csrf, "version": str(statement["version"] - 1)})
    assert stale.status_code == 412
    assert page(client, claim_url).select(f"#attribution-{statement['id']}") != []

    deleted = client.post(
        url, data={"csrf_token": csrf, "version": str(statement["version"])}, follow_redirects=False
    )
    assert (deleted.status_code, deleted.headers["location"]) == (303, claim_url)
    assert page(client, claim_url).select(f"#attribution-{statement['id']}") == []
    assert client.get(f"/api/v1/attributions/{statement['id']}").status_code == 410
    assert client.get(f"/attributions/{statement['id']}/edit").status_code == 410

    csrf = accounts.sign_in(Role.ADMIN)
    restored = client.post(f"/attributions/{statement['id']}/restore", data={"csrf_token": csrf})
    assert restored.status_code == 200  # followed to the claim page
    assert page(client, claim_url).select(f"#attribution-{statement['id']}") != []
    assert [entry.action for entry in audit_of(session, statement["id"])][-2:] == ["delete", "restore"]
