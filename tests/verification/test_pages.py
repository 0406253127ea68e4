"""The status form on a claim's page, as a fact-checker uses it in a browser (without JavaScript)."""

from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Claim
from app.verification.service import change_status
from app.vocabulary import Role, VerificationStatus
from tests.conftest import Accounts, sqlite_only
from tests.factories import status_change
from tests.helpers import (
    SOURCE_000,
    SOURCE_001,
    SOURCE_002,
    TITLES,
    attr,
    claim_detail,
    claim_id,
    one,
    page,
    parse,
    source_id,
    text,
)
from tests.verification.helpers import state_of, status_audit

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML

UNCHECKED = "low-altitude-entry"  # unverified in the seeds, with no history
CHECKED = "helicopter-strike"  # partly confirmed in the seeds: one history entry


def status_form(document: BeautifulSoup | Tag) -> Tag:
    return one(document, "form#status-form")


def form_fields(form: Tag) -> dict[str, Any]:
    """What the browser would submit as the form stands: hidden fields, selection, checked boxes, text."""
    fields: dict[str, Any] = {}
    for hidden in form.select("input[type=hidden]"):
        fields[attr(hidden, "name")] = attr(hidden, "value")
    selected = form.select("select[name=status] option[selected]")
    fields["status"] = attr(selected[0], "value") if selected else None
    fields["evidence_source"] = [
        attr(box, "value") for box in form.select("input[name=evidence_source][checked]")
    ]
    fields["rationale"] = one(form, "textarea[name=rationale]").get_text()
    fields["evidence_links"] = one(form, "textarea[name=evidence_links]").get_text()
    return fields


def submit(client: TestClient, claim: int, fields: dict[str, Any]) -> Any:
    return client.post(f"/claims/{claim}/status", data=fields, follow_redirects=False)


def test_a_fact_checker_sets_the_status_from_the_claim_page(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    accounts.sign_in(Role.FACT_CHECKER, name="fiona")
    claim = claim_id(client, CHECKED)
    before = state_of(client, session, claim)
    claim_page = page(client, f"/claims/{claim}")
    form = status_form(one(claim_page, "section#verification"))
    assert attr(form, "action") == f"/claims/{claim}/status"
    assert attr(form, "method") == "post"
    # Every control has a label.
    labels = {attr(label, "for"): text(label) for label in form.select("label")}
    assert labels["status-form-status"] == "Status"
    assert labels["status-form-rationale"] == "Rationale (required)"
    assert labels["status-form-links"] == "Evidence: links, one per line"
    assert one(form, "textarea[name=rationale]").has_attr("required")
    options = [(attr(option, "value"), text(option).split(" — ")[0]) for option in form.select("option")]
    assert options == [(status.value, status.label) for status in VerificationStatus]
    # Evidence offers the sources the claim's statements appear in, each once, in id order.
    boxes = [
        (attr(box, "value"), labels[attr(box, "id")]) for box in form.select("input[name=evidence_source]")
    ]
    cited = {
        statement["source"]["id"]: statement["source"]
        for group in claim_detail(client, CHECKED)["groups"]
        for statement in group["attributions"]
    }
    assert boxes == [
        (str(source["id"]), source["title"] + (f", {source['outlet']}" if source["outlet"] else ""))
        for _id, source in sorted(cited.items())
    ]
    titles = {TITLES[name] for name in (SOURCE_000, SOURCE_001, SOURCE_002)}
    assert {source["title"] for source in cited.values()} == titles
    fields = form_fields(form)
    assert fields["status"] == "partly_confirmed"
    assert fields["version"] == str(before.version)
    assert fields["csrf_token"] != ""

    newsweek = str(source_id(client, SOURCE_001))
    fields |= {
        "status": "unconfirmed",
        "rationale": "The video shows helicopters; nothing shows whose.",
        "evidence_source": [newsweek],
        "evidence_links": "https://example.org/video-analysis\n\n  https://example.org/map  \n",
    }
    response = submit(client, claim, fields)

    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/claims/{claim}#verification"
    after_page = page(client, f"/claims/{claim}")
    rows = after_page.select("section#verification table.status-history tbody tr.status-change")
    assert len(rows) == len(before.history) + 1
    row = rows[-1]
    cells = {attr(cell, "data-label"): cell for cell in row.select("td")}
    assert text(cells["Who"]) == "fiona"
    assert text(cells["Change"]) == "Partly confirmed → Unconfirmed"
    assert text(cells["Rationale"]) == "The video shows helicopters; nothing shows whose."
    evidence = cells["Evidence"].select("li")
    assert attr(one(evidence[0], "a"), "href") == f"/sources/{newsweek}"
    assert text(one(evidence[0], "cite")) == TITLES[SOURCE_001]
    assert [attr(one(item, "a.evidence-url"), "href") for item in evidence[1:]] == [
        "https://example.org/video-analysis",
        "https://example.org/map",
    ]
    assert attr(one(after_page, "article.claim-detail"), "data-status") == "unconfirmed"
    (_seed, audit) = status_audit(session, claim)
    assert audit.user_name == "fiona"
    assert audit.before is not None
    assert audit.after is not None
    assert (audit.before["verification_status"], audit.after["verification_status"]) == (
        "partly_confirmed",
        "unconfirmed",
    )


BAD_FORMS: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "no rationale",
        {"rationale": "  \n "},
        "rationale",
        "Write a rationale: say why the claim has this status.",
    ),
    (
        "an invisible rationale",
        {"rationale": "\u200b\u200e \ufeff"},
        "rationale",
        "Write a rationale: say why the claim has this status.",
    ),
    (
        "a rationale over 5000 characters",
        {"rationale": "y" * 5001},
        "rationale",
        "The rationale has 5001 characters; at most 5000 fit.",
    ),
    (
        "a link that is not a web address",
        {"evidence_links": "https://example.org/ok\nexample.org/no-scheme"},
        "links",
        "'example.org/no-scheme' is not a web address: a link starts with http:// or https://.",
    ),
    (
        "an unknown status",
        {"status": "maybe"},
        "status",
        "'maybe' is not a verification status. Use one of: unverified, in_review, confirmed, "
        "partly_confirmed, unconfirmed, misleading, false.",
    ),
    (
        "an unknown source",
        {"evidence_source": ["999999"]},
        "sources",
        "There is no source 999999 in the tracker.",
    ),
]


@pytest.mark.parametrize(
    ("change", "field", "message"), [case[1:] for case in BAD_FORMS], ids=[case[0] for case in BAD_FORMS]
)
def test_bad_input_shows_the_form_again_with_the_error_and_the_text_kept(
    client_and_session: tuple[TestClient, Session],
    accounts: Accounts,
    change: dict[str, Any],
    field: str,
    message: str,
) -> None:
    client, session = client_and_session
    accounts.sign_in(Role.FACT_CHECKER, name="fiona")
    claim = claim_id(client, UNCHECKED)
    before = state_of(client, session, claim)
    fields = form_fields(status_form(page(client, f"/claims/{claim}")))
    fields |= {
        "status": "false",
        "rationale": "Refuted by <b>the</b> video & the map.",
        "evidence_links": "https://example.org/video",
    }
    fields |= change

    response = submit(client, claim, fields)

    assert response.status_code == 422
    document = parse(response.text)
    assert text(one(document, "h1.claim-text")) != ""  # the claim's page, not an error page
    form = status_form(document)
    assert text(one(form, f"#status-form-{field}-error")) == message
    assert [text(item) for item in one(document, "#status-form-errors").select("li")] == [message]
    kept = form_fields(form)
    assert (kept["rationale"], kept["evidence_links"]) == (fields["rationale"], fields["evidence_links"])
    # A value the form cannot offer (a status or source not in it) cannot be shown as chosen.
    assert kept["status"] == (None if field == "status" else "false")
    assert kept["evidence_source"] == ([] if field == "sources" else fields.get("evidence_source", []))
    assert kept["version"] == str(before.version)
    assert "<b>the</b>" not in response.text  # escaped, never markup
    assert state_of(client, session, claim) == before


def test_a_form_based_on_a_stale_version_shows_what_changed_and_keeps_the_text(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    accounts.sign_in(Role.FACT_CHECKER, name="fiona")
    claim = claim_id(client, CHECKED)
    fields = form_fields(status_form(page(client, f"/claims/{claim}")))
    old_version = int(fields["version"])
    # Meanwhile, gustav confirms the claim.
    row = session.get(Claim, claim)
    assert row is not None
    change_status(session, row, status_change("confirmed", "Two videos match."), by="gustav")
    session.flush()
    before = state_of(client, session, claim)
    newsweek = str(source_id(client, SOURCE_001))
    fields |= {
        "status": "false",
        "rationale": "The helicopters were not Ukrainian.",
        "evidence_source": [newsweek],
        "evidence_links": "https://example.org/analysis",
    }

    response = submit(client, claim, fields)

    assert response.status_code == 409
    document = parse(response.text)
    assert text(one(document, "h1")) == "This claim changed while you were writing"
    assert f"you started from version {old_version}; it is now at version {before.version}" in text(
        one(document, "#stale-notice")
    )
    meanwhile = one(document, "section#changed-meanwhile")
    assert attr(one(meanwhile, ".current-status .status-badge"), "data-status") == "confirmed"
    (row_since,) = meanwhile.select("tr.status-change")
    cells = {attr(cell, "data-label"): text(cell) for cell in row_since.select("td")}
    assert (cells["Who"], cells["Change"], cells["Rationale"]) == (
        "gustav",
        "Partly confirmed → Confirmed",
        "Two videos match.",
    )
    form = status_form(document)
    kept = form_fields(form)
    assert {name: kept[name] for name in ("status", "rationale", "evidence_source", "evidence_links")} == {
        "status": "false",
        "rationale": "The helicopters were not Ukrainian.",
        "evidence_source": [newsweek],
        "evidence_links": "https://example.org/analysis",
    }
    assert kept["version"] == str(before.version)
    assert state_of(client, session, claim) == before

    # Submitted again, now knowing gustav's change, it is saved.
    response = submit(client, claim, kept)
    assert response.status_code == 303, response.text
    after = state_of(client, session, claim)
    assert after.history[-1]["changed_by"] == "fiona"
    assert (after.history[-1]["from_status"], after.history[-1]["to_status"]) == ("confirmed", "false")
    assert [entry.user_name for entry in status_audit(session, claim)][-2:] == ["gustav", "fiona"]


@pytest.mark.parametrize("csrf", [None, "", "forged-token"], ids=["missing", "empty", "wrong"])
def test_a_form_without_its_csrf_token_is_refused(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, csrf: str | None
) -> None:
    client, session = client_and_session
    accounts.sign_in(Role.FACT_CHECKER, name="fiona")
    claim = claim_id(client, UNCHECKED)
    before = state_of(client, session, claim)
    fields = form_fields(status_form(page(client, f"/claims/{claim}")))
    fields |= {"status": "false", "rationale": "Refuted."}
    if csrf is None:
        del fields["csrf_token"]
    else:
        fields["csrf_token"] = csrf

    response = submit(client, claim, fields)

    assert response.status_code == 403
    assert "CSRF check failed" in text(one(parse(response.text), ".error-detail"))
    assert state_of(client, session, claim) == before


@pytest.mark.parametrize(
    ("role", "shown", "expected"),
    [
        (None, False, 401),
        (Role.VIEWER, False, 403),
        (Role.FACT_CHECKER, True, 303),
        (Role.EDITOR, True, 303),
        (Role.ADMIN, True, 303),
    ],
    ids=["anonymous", "viewer", "fact_checker", "editor", "admin"],
)
def test_who_sees_and_may_submit_the_form(
    client_and_session: tuple[TestClient, Session],
    accounts: Accounts,
    role: Role | None,
    shown: bool,
    expected: int,
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(role) if role is not None else ""
    claim = claim_id(client, UNCHECKED)
    before = state_of(client, session, claim)
    claim_page = page(client, f"/claims/{claim}")
    assert len(claim_page.select("section#verification form#status-form")) == (1 if shown else 0)

    response = submit(
        client,
        claim,
        {"status": "false", "rationale": "Refuted.", "version": str(before.version), "csrf_token": csrf},
    )

    assert response.status_code == expected, response.text
    if expected == 303:
        assert len(status_audit(session, claim)) == 1
    else:
        assert status_audit(session, claim) == []
        assert state_of(client, session, claim) == before
