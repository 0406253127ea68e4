"""The administrators' list of deleted claims and statements pages both lists, most recently deleted first,
each with its own cursor, and says how many there are: it does not grow with what was ever deleted."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.claims import service
from app.models import Attribution, Claim
from app.pagination import decode_moment
from app.vocabulary import Role, Stance
from tests.bulk import Planned, insert_statements, new_actor, new_claims, new_source
from tests.conftest import Accounts, sqlite_only
from tests.helpers import attr, one, page, text

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML

Client = tuple[TestClient, Session]
MOMENT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def deleted_at(number: int) -> datetime:
    """When the `number`th item was deleted: a minute apart, except that items 4 and 5 share a moment (a
    list ordered by the moment alone could not page past them)."""
    number = 4 if number == 5 else number
    return MOMENT + timedelta(minutes=number, microseconds=123_456)


def delete_claims(session: Session, count: int) -> list[Claim]:
    """`count` new claims, deleted in turn (so the last one made is the most recently deleted)."""
    claims = new_claims(session, count, prefix="Deleted claim")
    for number, claim in enumerate(claims):
        claim.deleted_at, claim.deleted_by = deleted_at(number), "edna"
    session.flush()
    return claims


def delete_statements(session: Session, count: int) -> list[int]:
    """`count` new statements in a new source, deleted in turn; their ids."""
    sentences = [f"Deleted sentence {number:03d}." for number in range(count)]
    text_ = " ".join(sentences)
    source = new_source(session, text_, title="A source of deleted statements")
    speaker = new_actor(session, "Deleted Speaker")
    (claim,) = new_claims(session, 1, prefix="The claim of deleted statements")
    planned = [
        Planned(speaker, claim, Stance.ASSERTED, text_.index(sentence), text_.index(sentence) + len(sentence))
        for sentence in sentences
    ]
    ids = insert_statements(session, source, text_, planned)
    for number, attribution_id in enumerate(ids):
        attribution = session.get(Attribution, attribution_id)
        assert attribution is not None
        attribution.deleted_at, attribution.deleted_by = deleted_at(number), "edna"
    session.flush()
    return ids


def most_recent_first(ids: list[int]) -> list[int]:
    return [
        item_id for _moment, item_id in sorted(((deleted_at(n), i) for n, i in enumerate(ids)), reverse=True)
    ]


def walk(session: Session, which: str) -> list[int]:
    """The ids of one list of deleted items, page after page of 3, following its cursor alone."""
    seen: list[int] = []
    after = None
    while True:
        deleted = service.deleted_items(
            session,
            claims_after=after if which == "claims" else None,
            statements_after=after if which == "statements" else None,
            limit=3,
        )
        if which == "claims":
            seen += [claim.id for claim in deleted.claims.items]
            cursor = deleted.claims.next_cursor
        else:
            seen += [item.attribution.id for item in deleted.statements.items]
            cursor = deleted.statements.next_cursor
        if cursor is None:
            return seen
        assert len(seen) % 3 == 0
        after = decode_moment(cursor)


def test_paging_gives_each_deleted_item_once_most_recently_deleted_first(session: Session) -> None:
    assert session.scalar(select(Claim.id).where(Claim.deleted_at.is_not(None)).limit(1)) is None
    claims = [claim.id for claim in delete_claims(session, 8)]
    statements = delete_statements(session, 7)

    deleted = service.deleted_items(session, claims_after=None, statements_after=None, limit=3)

    assert (deleted.claims.total, deleted.statements.total) == (8, 7)
    assert walk(session, "claims") == most_recent_first(claims)
    assert walk(session, "statements") == most_recent_first(statements)


# ---- the page ----------------------------------------------------------------------------------------------


def test_the_page_pages_each_list_on_its_own(
    client_and_session: Client, accounts: Accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, session = client_and_session
    monkeypatch.setattr(service, "DELETED_PER_PAGE", 3)
    claims = [
        str(claim_id) for claim_id in most_recent_first([claim.id for claim in delete_claims(session, 7)])
    ]
    statements = [str(attribution_id) for attribution_id in most_recent_first(delete_statements(session, 4))]
    accounts.sign_in(Role.ADMIN)

    first = page(client, "/admin/deleted")

    assert text(one(first, "h2#deleted-claims-heading")) == "Claims (7)"
    assert text(one(first, "h2#deleted-attributions-heading")) == "Statements (4)"
    assert [attr(item, "data-claim-id") for item in first.select("li.deleted-claim")] == claims[:3]
    assert [
        attr(item, "data-attribution-id") for item in first.select("li.deleted-attribution")
    ] == statements[:3]
    assert text(one(first, "#deleted-claims p.list-count")) == (
        "7 claims deleted; most recently deleted first, 3 on this page."
    )
    more_claims = attr(one(first, "#deleted-claims a.next-page"), "href")
    assert more_claims.startswith("?claims_cursor=")
    assert more_claims.endswith("#deleted-claims")
    assert first.select("a.first-page") == []

    # The claims move on; the statements stay where they were.
    second_url = "/admin/deleted" + more_claims.split("#")[0]
    second = page(client, second_url)
    assert [attr(item, "data-claim-id") for item in second.select("li.deleted-claim")] == claims[3:6]
    assert [
        attr(item, "data-attribution-id") for item in second.select("li.deleted-attribution")
    ] == statements[:3]
    assert attr(one(second, "#deleted-claims a.first-page"), "href") == "?#deleted-claims"
    # Then the statements move on, and the claims stay on their second page.
    more_statements = attr(one(second, "#deleted-attributions a.next-page"), "href").split("#")[0]
    assert "claims_cursor=" in more_statements
    assert "statements_cursor=" in more_statements
    third = page(client, "/admin/deleted" + more_statements)
    assert [attr(item, "data-claim-id") for item in third.select("li.deleted-claim")] == claims[3:6]
    assert [
        attr(item, "data-attribution-id") for item in third.select("li.deleted-attribution")
    ] == statements[3:]
    assert third.select("#deleted-attributions a.next-page") == []
    last = page(
        client, "/admin/deleted" + attr(one(third, "#deleted-claims a.next-page"), "href").split("#")[0]
    )
    assert [attr(item, "data-claim-id") for item in last.select("li.deleted-claim")] == claims[6:]
    assert [
        attr(item, "data-attribution-id") for item in last.select("li.deleted-attribution")
    ] == statements[3:]


def test_a_cursor_that_is_not_one_is_refused(accounts: Accounts) -> None:
    accounts.sign_in(Role.ADMIN)

    refused = page(accounts.client, "/admin/deleted?claims_cursor=not-a-cursor", status=422)

    assert "The cursor is not valid" in text(one(refused, "p.error-detail"))


def test_nothing_deleted_says_so(client_and_session: Client, accounts: Accounts) -> None:
    client, _session = client_and_session
    accounts.sign_in(Role.ADMIN)

    soup = page(client, "/admin/deleted")

    assert text(one(soup, "h2#deleted-claims-heading")) == "Claims (0)"
    assert text(one(soup, "#deleted-claims p.empty")) == "No claim is deleted."
    assert text(one(soup, "#deleted-attributions p.empty")) == "No statement is deleted."
    assert soup.select("nav.pager, p.list-count") == []
