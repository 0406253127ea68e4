"""The audit log page: who may see it, what a record shows, filters, pages, and no way to change it."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.service import set_role
from app.audit.service import ACTIONS, AUDITED_OBJECTS, record, snapshot
from app.models import Actor, Attribution, AuditEntry, Claim, Source
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import attr, one, page, text
from tests.proposals.helpers import added, proposals_of

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML


def _rows(client: TestClient, url: str) -> list[list[str]]:
    """The audit table as a reader sees it: when is left out (it is the clock's), the rest cell by cell."""
    document = page(client, url)
    return [
        [text(one(row, ".audit-user")), text(one(row, ".audit-action")), text(one(row, ".audit-object"))]
        for row in document.select("tr.audit-record")
    ]


def _changes(client: TestClient, url: str) -> list[tuple[str, str, str]]:
    document = page(client, url)
    return [
        (text(one(change, "dt")), text(one(change, ".old-value")), text(one(change, ".new-value")))
        for change in document.select("tr.audit-record .field-change")
    ]


def test_only_editors_and_admins_see_the_audit_log(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, _session = client_and_session
    anonymous = client.get("/audit?user=erin", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=/audit%3Fuser%3Derin"
    for role in (Role.VIEWER, Role.FACT_CHECKER):
        accounts.sign_in(role)
        refused = page(client, "/audit", status=403)
        assert "This needs the editor role or higher" in text(one(refused, "main"))
        assert refused.select('a[href="/audit"]') == []  # the header does not offer it either
    for role in (Role.EDITOR, Role.ADMIN):
        accounts.sign_in(role)
        shown = page(client, "/audit")
        assert text(one(shown, "h1")) == "Audit log"
        assert attr(one(shown, '.site-account a[href="/audit"]'), "aria-current") == "page"
        assert len(shown.select('.site-account a[href="/admin/users"]')) == (1 if role is Role.ADMIN else 0)


def test_a_record_shows_who_what_and_only_the_changed_fields(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    target = accounts.user(Role.VIEWER, name="victor")
    set_role(session, target, Role.EDITOR, by="adam")
    claim = session.scalars(select(Claim).order_by(Claim.id)).first()
    assert claim is not None
    before = snapshot(claim)
    old_text = claim.text
    claim.text = "A <b>bold</b> rewrite & more"
    entry = record(session, user_name="adam", action="update", row=claim, before=before)
    entry.at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    session.flush()
    accounts.sign_in(Role.EDITOR)

    assert _rows(client, "/audit?user=adam") == [
        ["adam", "update", f"claims {claim.id}"],
        ["adam", "role_change", f"users {target.id}"],
    ]
    document = page(client, "/audit?user=adam")
    claim_row, user_row = document.select("tr.audit-record")
    assert attr(one(claim_row, ".audit-object a"), "href") == f"/claims/{claim.id}"
    assert user_row.select(".audit-object a") == []  # accounts have no page of their own
    assert attr(one(claim_row, ".audit-when time"), "datetime") == "2026-03-01T09:30:00+00:00"
    assert _changes(client, f"/audit?user=adam&object_type=claims&object_id={claim.id}") == [
        ("text", old_text, "A <b>bold</b> rewrite & more"),
        ("updated_at", before["updated_at"], claim.updated_at.isoformat()),
        ("version", str(before["version"]), str(before["version"] + 1)),
    ]
    assert _changes(client, f"/audit?user=adam&object_type=users&object_id={target.id}") == [
        ("role", "viewer", "editor"),
        ("version", "1", "2"),
    ]
    # Escaped, not interpreted: the claim text's markup is shown as text.
    assert document.select("tr.audit-record .new-value b") == []
    assert "A &lt;b&gt;bold&lt;/b&gt; rewrite &amp; more" in client.get("/audit?user=adam").text


def test_objects_link_to_their_pages(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    actor = session.scalars(select(Actor).where(Actor.slug == "vyacheslav-gladkov")).one()
    attribution = session.scalars(select(Attribution).order_by(Attribution.id)).first()
    source = session.scalars(select(Source).order_by(Source.id)).first()
    assert attribution is not None
    assert source is not None
    proposal = proposals_of(session, added(session).source.id)[0]
    for row in (actor, attribution, source, proposal):
        record(session, user_name="linker", action="update", row=row, before=snapshot(row))
    accounts.sign_in(Role.ADMIN)
    document = page(client, "/audit?user=linker")
    assert [attr(link, "href") for link in document.select(".audit-object a")] == [
        f"/sources/{proposal.source_id}#review-queue",
        f"/sources/{source.id}",
        f"/attributions/{attribution.id}",
        "/actors/vyacheslav-gladkov",
    ]
    assert [text(cell) for cell in document.select(".audit-changes")] == ["no field changed"] * 4


def _dated(session: Session, user_name: str, action: str, row: Claim, day: int) -> AuditEntry:
    entry = record(session, user_name=user_name, action=action, row=row, before=snapshot(row))
    entry.at = datetime(2026, 1, day, 23, 59, tzinfo=UTC)
    return entry


def test_filters_combine_and_stay_in_the_url(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    first, second = session.scalars(select(Claim).order_by(Claim.id).limit(2))
    _dated(session, "fiona", "status_change", first, 10)
    _dated(session, "fiona", "update", second, 11)
    _dated(session, "gus", "status_change", first, 12)
    session.flush()
    accounts.sign_in(Role.EDITOR)

    assert _rows(client, "/audit?user=fiona") == [
        ["fiona", "update", f"claims {second.id}"],
        ["fiona", "status_change", f"claims {first.id}"],
    ]
    assert _rows(client, "/audit?action=status_change&object_type=claims&user=") == [
        ["gus", "status_change", f"claims {first.id}"],
        ["fiona", "status_change", f"claims {first.id}"],
        *[
            row
            for row in _rows(client, "/audit?action=status_change&limit=200")
            if row[0] not in {"gus", "fiona"}
        ],
    ]
    assert _rows(client, f"/audit?object_type=claims&object_id={first.id}&from=2026-01-10&to=2026-01-11") == [
        ["fiona", "status_change", f"claims {first.id}"]
    ]
    assert _rows(client, "/audit?user=fiona&from=2026-01-11") == [["fiona", "update", f"claims {second.id}"]]
    assert _rows(client, "/audit?user=gus&to=2026-01-11") == []

    document = page(
        client, f"/audit?user=fiona&action=update&object_id={second.id}&from=2026-01-01&to=2026-01-31"
    )
    assert attr(one(document, "#audit-user"), "value") == "fiona"
    assert attr(one(document, "#audit-action option[selected]"), "value") == "update"
    assert attr(one(document, "#audit-object_id"), "value") == str(second.id)
    assert attr(one(document, "#audit-from"), "value") == "2026-01-01"
    assert attr(one(document, "#audit-to"), "value") == "2026-01-31"
    assert attr(one(document, "a.clear-filters"), "href") == "/audit"
    empty = page(client, "/audit?user=nobody-at-all")
    assert text(one(empty, "p.empty")) == "No record matches these filters. Show every record."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-02-30", "'2026-02-30' is not a date for 'from': write it as YYYY-MM-DD."),
        (
            "from=2026-01-12&to=2026-01-11",
            "The time range is empty: 'from' (2026-01-12) is after 'to' (2026-01-11).",
        ),
        ("object_id=12a", "'12a' is not an object id: give a whole number from 1 to 2147483647."),
    ],
)
def test_a_bad_filter_is_named(accounts: Accounts, query: str, message: str) -> None:
    # A client whose requests have their own session, as in production: the error page renders after
    # the request's session was rolled back and closed.
    accounts.sign_in(Role.EDITOR)
    document = page(accounts.client, f"/audit?{query}", status=422)
    assert message in text(one(document, "main"))


def test_pages_follow_the_cursor_newest_first_with_the_filters(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    claims = list(session.scalars(select(Claim).order_by(Claim.id).limit(3)))
    for claim in claims:
        record(session, user_name="pager", action="update", row=claim, before=snapshot(claim))
    accounts.sign_in(Role.EDITOR)
    first = page(client, "/audit?user=pager&limit=2")
    assert [attr(row, "data-object-id") for row in first.select("tr.audit-record")] == [
        str(claims[2].id),
        str(claims[1].id),
    ]
    next_href = attr(one(first, "a.next-page"), "href")
    assert next_href.startswith("?user=pager&limit=2&cursor=")
    second = page(client, f"/audit{next_href}")
    assert [attr(row, "data-object-id") for row in second.select("tr.audit-record")] == [str(claims[0].id)]
    assert second.select("a.next-page") == []
    assert attr(one(second, "a.first-page"), "href") == "?user=pager&limit=2"


@pytest.mark.parametrize("url", ["/audit", "/api/v1/audit"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_the_audit_log_cannot_be_changed_through_the_product(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, url: str, method: str
) -> None:
    client, _session = client_and_session
    csrf = accounts.sign_in(Role.ADMIN)
    headers = accounts.token_headers(Role.ADMIN)
    assert client.request(method, url, data={"csrf_token": csrf}).status_code == 405
    assert client.request(method, url, headers=headers).status_code == 405
    assert client.request(method, f"{url}/1", headers=headers).status_code == 404


def test_the_filter_form_offers_fixed_types_and_actions_and_a_user_is_typed(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    """The choices never come from the log itself: a distinct over every record would grow with it."""
    client, session = client_and_session
    claim = session.scalars(select(Claim).order_by(Claim.id)).first()
    assert claim is not None
    record(session, user_name="a-user-nobody-lists", action="update", row=claim, before=snapshot(claim))
    accounts.sign_in(Role.EDITOR)

    document = page(client, "/audit")

    field = one(document, "input#audit-user")
    assert (attr(field, "name"), attr(field, "type"), attr(field, "value")) == ("user", "text", "")
    assert "a-user-nobody-lists" not in text(one(document, "form.audit-filters"))
    assert [attr(option, "value") for option in document.select("#audit-object_type option")] == [
        "",
        *AUDITED_OBJECTS,
    ]
    assert [attr(option, "value") for option in document.select("#audit-action option")] == ["", *ACTIONS]
    assert _rows(client, "/audit?user=a-user-nobody-lists")[0][0] == "a-user-nobody-lists"


def test_every_record_is_of_an_action_and_a_type_the_filter_offers(session: Session) -> None:
    claim = session.scalars(select(Claim).order_by(Claim.id)).first()
    assert claim is not None
    kinds = session.execute(select(AuditEntry.action, AuditEntry.object_type).distinct()).all()
    assert {action for action, _type in kinds} <= set(ACTIONS)
    assert {object_type for _action, object_type in kinds} <= set(AUDITED_OBJECTS)

    with pytest.raises(ValueError, match="add 'shrug' on 'claims' to ACTIONS and AUDITED_OBJECTS first"):
        record(session, user_name="x", action="shrug", row=claim)
