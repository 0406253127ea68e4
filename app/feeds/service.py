"""Atom feeds (RFC 4287) of what is new: an actor's statements, a claim's statements and verdicts,
and the claims of any selection of the claims index (its filters, as the page reads them).

Each feed holds the newest `FEED_ENTRIES` entries, read newest first through an index and stopped
there. Every entry's id is a `urn:uuid` derived from the absolute URL of what it is about, so that it
stays the same however often the feed is read; the links are absolute, on the public address.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.claims import service as claims_service
from app.claims.schemas import Claim as ClaimSchema
from app.claims.schemas import ClaimFilters
from app.errors import NotFound
from app.feeds import repository
from app.models import Actor, StatusChange
from app.statements.repository import AttributionFilters
from app.statements.schemas import Attribution
from app.urls import PublicSite, QueryValue
from app.vocabulary import Stance, VerificationStatus

FEED_ENTRIES = 50
"""Entries in a feed: the newest ones."""


@dataclass(frozen=True)
class Person:
    """An Atom person construct: who wrote a feed or an entry."""

    name: str
    uri: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: datetime
    link: str
    """The entry's page (`rel="alternate"`), absolute."""
    summary: str
    published: datetime | None = None
    author: Person | None = None
    """None: the feed's author."""
    categories: Sequence[str] = ()


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    subtitle: str
    updated: datetime
    self_url: str
    page_url: str
    """The HTML page the feed follows (`rel="alternate"`), absolute."""
    author: Person
    entries: Sequence[Entry] = field(default_factory=list)


def urn(url: str) -> str:
    """A stable id for what `url` designates: a name-based (version 5) UUID of the URL."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}"


def _feed(
    site: PublicSite,
    *,
    self_url: str,
    page_url: str,
    title: str,
    subtitle: str,
    entries: list[Entry],
    empty_updated: datetime,
) -> Feed:
    entries = sorted(entries, key=lambda entry: entry.updated, reverse=True)[:FEED_ENTRIES]
    return Feed(
        id=urn(self_url),
        title=title,
        subtitle=subtitle,
        updated=entries[0].updated if entries else empty_updated,
        self_url=self_url,
        page_url=page_url,
        author=Person(site.reviewer_name, site.reviewer_url),
        entries=entries,
    )


def _source_line(statement: Attribution) -> str:
    source = statement.source
    details = [
        part
        for part in (source.outlet, f"{source.published_on:%-d %B %Y}" if source.published_on else None)
        if part
    ]
    return f"In “{source.title}”" + (f" ({', '.join(details)})" if details else "")


def _statement_entry(statement: Attribution, site: PublicSite, *, with_claim: bool) -> Entry:
    stance = Stance(statement.stance)
    chain = " → ".join(step.actor.name for step in statement.via)
    lines = [
        f"{statement.actor.name} {stance.label}: {statement.claim.text}"
        if with_claim
        else f"{statement.actor.name}: {stance.label}.",
        f"“{statement.quote}”",
        _source_line(statement) + (f", via {chain}" if chain else "") + ".",
    ]
    url = site.url("statement", attribution_id=statement.id)
    return Entry(
        id=urn(url),
        title=f"{statement.actor.name} {stance.label}: {statement.claim.text}",
        updated=statement.created_at,
        published=statement.created_at,
        link=url,
        summary="\n".join(lines),
        author=Person(statement.actor.name, site.url("actor_page", slug=statement.actor.slug)),
        categories=[stance.value],
    )


def _evidence_line(item: Mapping[str, str | int | None], site: PublicSite) -> str:
    source_id = item.get("source_id")
    where = site.url("source_page", source_id=source_id) if isinstance(source_id, int) else item.get("url")
    note = item.get("note")
    return "– " + " ".join(str(part) for part in (where, f"({note})" if note else None) if part)


def _status_entry(change: StatusChange, claim_text: str, site: PublicSite) -> Entry:
    to_label = VerificationStatus(change.to_status).label
    was = f" (was {VerificationStatus(change.from_status).label})" if change.from_status else ""
    url = site.url("claim_page", claim_id=change.claim_id, fragment=f"status-change-{change.id}")
    evidence = [_evidence_line(item, site) for item in change.evidence]
    return Entry(
        id=urn(url),
        title=f"Verification status: {to_label}{was}: {claim_text}",
        updated=change.changed_at,
        published=change.changed_at,
        link=url,
        summary="\n".join([change.rationale, *(["Evidence:", *evidence] if evidence else [])]),
        author=Person(change.changed_by),
        categories=[change.to_status],
    )


def actor_feed(session: Session, slug: str, *, site: PublicSite) -> Feed:
    """The newest statements an actor made."""
    actor = _actor(session, slug)
    statements = repository.newest_statements(
        session, AttributionFilters(actor_ids=[actor.id]), limit=FEED_ENTRIES
    )
    return _feed(
        site,
        self_url=site.url("actor_feed", slug=actor.slug),
        page_url=site.url("actor_page", slug=actor.slug),
        title=f"Statements by {actor.name}",
        subtitle=f"The newest statements by {actor.name} on record, with their quotes and sources.",
        entries=[
            _statement_entry(Attribution.model_validate(row), site, with_claim=True) for row in statements
        ],
        empty_updated=actor.created_at,
    )


def _actor(session: Session, slug: str) -> Actor:
    actor = repository.actor_by_slug(session, slug)
    if actor is None:
        raise NotFound(f"There is no actor '{slug}': the link may be wrong.")
    return actor


def claim_feed(session: Session, claim_id: int, *, site: PublicSite) -> Feed:
    """A claim's newest statements and status changes, newest first."""
    claim = claims_service.live_claim(session, claim_id)
    statements = repository.newest_statements(
        session, AttributionFilters(claim_id=claim.id), limit=FEED_ENTRIES
    )
    changes = repository.latest_status_changes(session, claim.id, limit=FEED_ENTRIES)
    return _feed(
        site,
        self_url=site.url("claim_feed", claim_id=claim.id),
        page_url=site.url("claim_page", claim_id=claim.id),
        title=f"Claim {claim.id}: {claim.text}",
        subtitle="New statements on this claim, and the changes of its verification status.",
        entries=[
            *(
                _statement_entry(Attribution.model_validate(row), site, with_claim=False)
                for row in statements
            ),
            *(_status_entry(change, claim.text, site) for change in changes),
        ],
        empty_updated=claim.updated_at,
    )


def _claim_entry(claim: ClaimSchema, site: PublicSite) -> Entry:
    url = site.url("claim_page", claim_id=claim.id)
    contested = ", contested" if claim.contested else ""
    return Entry(
        id=urn(url),
        title=claim.text,
        updated=claim.updated_at,
        published=claim.created_at,
        link=url,
        summary=f"{claim.verification_label}{contested}. {claim.summary}",
        categories=[claim.verification_status],
    )


def claims_feed(
    session: Session,
    *,
    actor: str | None,
    filters: ClaimFilters,
    query: Mapping[str, QueryValue],
    described: str,
    site: PublicSite,
) -> Feed:
    """The newest claims of a selection of the claims index: `filters` as the page reads them,
    `query` as its URL spells them, `described` in words (empty for every claim)."""
    claims = claims_service.newest_claims(session, actor=actor, filters=filters, limit=FEED_ENTRIES)
    return _feed(
        site,
        self_url=site.url("claims_feed", query=query),
        page_url=site.url("claims_index", query=query),
        title=f"Claims: {described}" if described else "Claims",
        subtitle="The newest claims on record" + (f" matching {described}" if described else "") + ".",
        entries=[_claim_entry(claim, site) for claim in claims],
        # No claim to date it by: the feed is as of now.
        empty_updated=datetime.now(UTC),
    )
