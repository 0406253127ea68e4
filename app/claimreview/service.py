"""A claim's verdict as schema.org ClaimReview: one document, built here alone, that the claim's page
embeds, `GET /api/v1/claims/{id}/claimreview` returns and the feed of reviewed claims lists.

Only a verdict makes a review: a claim whose status carries a ClaimReview rating (`app/vocabulary.py`);
an unverified claim, or one in review, has none. The claim, as schema.org's `Claim`, is made by the
actors who asserted it and appears in the sources that carry statements on it: both bounded, as a
busy claim has thousands of each.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from app.claimreview import repository, schemas
from app.errors import NotFound
from app.models import Actor, Claim, Source, StatusChange
from app.pagination import PageRequest, encode_cursor
from app.repository import check_not_deleted
from app.urls import PublicSite
from app.vocabulary import ActorKind, VerificationStatus

AUTHORS_NAMED = 10
"""Asserting actors named as the claim's authors, in the order of their first assertion."""
APPEARANCES_LISTED = 10
"""Sources listed as the claim's appearances, earliest published first."""
WIKIDATA_ENTITY = "https://www.wikidata.org/wiki/{qid}"


def is_verdict(status: str) -> bool:
    """Whether a verification status is a verdict that a ClaimReview can rate."""
    return VerificationStatus(status).info.claim_review_rating is not None


def _author(actor: Actor) -> schemas.Person | schemas.Organization:
    same_as = WIKIDATA_ENTITY.format(qid=actor.wikidata_qid) if actor.wikidata_qid else None
    if actor.kind == ActorKind.PERSON.value:
        return schemas.Person(name=actor.name, same_as=same_as)
    return schemas.Organization(name=actor.name, same_as=same_as)


def _appearance(source: Source, site: PublicSite) -> schemas.CreativeWork:
    return schemas.CreativeWork(
        url=source.url or site.url("source_page", source_id=source.id),
        headline=source.title,
        publisher=schemas.Organization(name=source.outlet) if source.outlet else None,
        date_published=source.published_on,
    )


class Reviewed(Protocol):
    """What a review reads of its claim: a claim row, or the claim as its page already holds it."""

    @property
    def id(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def verification_status(self) -> str: ...
    @property
    def updated_at(self) -> datetime: ...


def _review(
    claim: Reviewed,
    verdict: StatusChange | None,
    authors: Sequence[Actor],
    sources: Sequence[Source],
    site: PublicSite,
) -> schemas.ClaimReview:
    status = VerificationStatus(claim.verification_status)
    rating = status.info.claim_review_rating
    assert rating is not None, "only a verdict is reviewed"
    appearances = [_appearance(source, site) for source in sources]
    return schemas.ClaimReview(
        url=site.url("claim_page", claim_id=claim.id),
        claim_reviewed=claim.text,
        review_rating=schemas.Rating(
            rating_value=rating,
            alternate_name=status.label,
            name=status.info.claim_review_name,
            rating_explanation=verdict.rationale if verdict is not None else None,
        ),
        item_reviewed=schemas.Claim(
            author=[_author(actor) for actor in authors],
            appearance=appearances,
            first_appearance=appearances[0] if appearances else None,
            date_published=sources[0].published_on if sources else None,
        ),
        # A status set without a recorded change (a bulk load) dates from the claim's last change.
        date_published=verdict.changed_at if verdict is not None else claim.updated_at,
        author=schemas.Organization(name=site.reviewer_name, url=site.reviewer_url),
    )


def _reviews(session: Session, claims: Sequence[Reviewed], site: PublicSite) -> list[schemas.ClaimReview]:
    """The ClaimReview of each of these live claims with a verdict, in three queries for all of them."""
    claim_ids = [claim.id for claim in claims]
    verdicts = repository.last_status_changes(session, claim_ids)
    authors = repository.asserting_actors(session, claim_ids, per_claim=AUTHORS_NAMED)
    sources = repository.appearances(session, claim_ids, per_claim=APPEARANCES_LISTED)
    return [
        _review(claim, verdicts.get(claim.id), authors.get(claim.id, []), sources.get(claim.id, []), site)
        for claim in claims
    ]


def _live_claim(session: Session, claim_id: int) -> Claim:
    claim = repository.get_claim(session, claim_id)
    if claim is None:
        raise NotFound(f"There is no claim {claim_id}: the link may be wrong.")
    return check_not_deleted(claim, f"Claim {claim_id} (“{claim.text}”)")


def claim_review(session: Session, claim_id: int, *, site: PublicSite) -> schemas.ClaimReview:
    """A claim's ClaimReview: NotFound when there is no such claim, or when it has no verdict yet;
    Gone when it was deleted."""
    claim = _live_claim(session, claim_id)
    if not is_verdict(claim.verification_status):
        status = VerificationStatus(claim.verification_status)
        raise NotFound(
            f"Claim {claim_id} has no verdict yet (its status is “{status.label}”), so there is no "
            "ClaimReview of it: one is published once a fact-checker rates it.",
            details={"verification_status": status.value},
        )
    (review,) = _reviews(session, [claim], site)
    return review


def embedded_review(session: Session, claim: Reviewed, *, site: PublicSite) -> schemas.ClaimReview | None:
    """The ClaimReview a live claim's page embeds, from the claim as the page has read it (nothing
    read again); None when the claim has no verdict."""
    if not is_verdict(claim.verification_status):
        return None
    (review,) = _reviews(session, [claim], site)
    return review


def review_feed(session: Session, page: PageRequest, *, site: PublicSite) -> schemas.ClaimReviewFeed:
    """A page of the reviewed claims, in id order, as a ClaimReview data feed."""
    rows = repository.reviewed_claims(session, after_id=page.after_id, limit=page.limit)
    claims = rows[: page.limit]
    reviews = _reviews(session, claims, site)
    return schemas.ClaimReviewFeed(
        name=f"Fact checks by {site.reviewer_name}",
        url=site.url("claim_review_feed"),
        data_feed_element=[
            schemas.DataFeedItem(
                url=review.url,
                date_created=claim.created_at,
                date_modified=claim.updated_at,
                item=[review],
            )
            for claim, review in zip(claims, reviews, strict=True)
        ],
        next_cursor=encode_cursor(claims[-1].id) if len(rows) > page.limit else None,
    )
