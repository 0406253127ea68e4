"""Search: what the reader typed, as folded words, to a page of ranked results with marked matches."""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from app.actors.service import actors_named
from app.claims.schemas import ClaimFilters
from app.errors import InvalidInput
from app.fulltext.indexing import ACTOR, ATTRIBUTION, CLAIM, SOURCE
from app.fulltext.words import MAX_TERMS, query_words
from app.models import Actor, Attribution, Claim, Source
from app.pagination import PositionRequest, encode_position
from app.schemas import ActorBrief, ClaimRef, SourceRef
from app.search import repository
from app.search.highlight import highlight, word_matches
from app.search.schemas import SearchPage, SearchResult
from app.urls import Paths

MAX_QUERY_CHARS = 1_000
COUNT_CAP = 200
"""Results are counted exactly up to this many; beyond, the page says "200+"."""


@dataclass(frozen=True)
class SearchQuery:
    text: str
    """As typed, trimmed."""
    terms: list[str]
    """The folded words searched for, each once, in the order typed."""
    truncated: bool = False
    """More words were typed than are searched."""


def parse_query(text: str | None) -> SearchQuery:
    """User input is plain words: folded like the index, every other character (FTS syntax, quotes,
    operators, punctuation) only separates words."""
    words = query_words(text)
    return SearchQuery(text=(text or "").strip(), terms=words[:MAX_TERMS], truncated=len(words) > MAX_TERMS)


def _names_matching(names: Sequence[str], terms: Sequence[str]) -> list[str]:
    return [name for name in names if any(word_matches(word, terms) for word in name.split())]


def _actor_line(actor: Actor, terms: Sequence[str]) -> str:
    """An actor's name, with the other names the search matched when the name itself did not."""
    if _names_matching([actor.name], terms):
        return actor.name
    others = _names_matching(actor.other_names, terms)
    return f"{actor.name} (also “{others[0]}”)" if others else actor.name


def _result(
    kind: str,
    object_id: int,
    *,
    url: str,
    api_url: str,
    title: str,
    detail: str | None,
    terms: Sequence[str],
    claim: Claim | None = None,
    contested: bool | None = None,
    stance: str | None = None,
    actor: Actor | None = None,
    source: Source | None = None,
) -> SearchResult:
    return SearchResult.model_validate(
        {
            "kind": kind,
            "id": object_id,
            "url": url,
            "api_url": api_url,
            "title": title,
            "title_parts": highlight(title, terms),
            "detail": detail,
            "detail_parts": highlight(detail, terms) if detail else [],
            "claim": ClaimRef.model_validate(claim) if claim is not None else None,
            "contested": contested,
            "stance": stance,
            "actor": ActorBrief.model_validate(actor) if actor is not None else None,
            "source": SourceRef.model_validate(source) if source is not None else None,
        }
    )


def search(
    session: Session,
    query: SearchQuery,
    *,
    paths: Paths,
    actor: str | None = None,
    filters: ClaimFilters | None = None,
    page: PositionRequest,
) -> SearchPage:
    """A page of what matches every word of the query, best first, optionally filtered like the
    claims index (`actor` is any name or alias, under any spelling)."""
    if page.after is not None and not repository.valid_position(page.after):
        raise InvalidInput("The cursor is not valid: pass the next_cursor of a previous page unchanged.")
    nothing = SearchPage(items=[], next_cursor=None, total=0, total_capped=False)
    if not query.terms:
        return nothing
    if actor is not None:
        actor_ids = actors_named(session, actor)
        if not actor_ids:
            return nothing
        filters = replace(filters or ClaimFilters(), actor_ids=actor_ids)
    hits = repository.search(session, query.terms, filters, after=page.after, limit=page.limit)
    if page.after is None and len(hits) <= page.limit:
        # One page holds them all: counting them again would tell nothing new.
        total = repository.Count(value=len(hits), capped=False)
    else:
        total = repository.count(session, query.terms, filters, cap=COUNT_CAP)
    more = len(hits) > page.limit
    hits = hits[: page.limit]

    def ids(kind: str) -> list[int]:
        return [hit.object_id for hit in hits if hit.kind == kind]

    claims = repository.claims_by_id(session, ids(CLAIM))
    contested = repository.contested_claim_ids(session, ids(CLAIM))
    statements = repository.attributions_by_id(session, ids(ATTRIBUTION))
    actors = repository.actors_by_id(session, ids(ACTOR))
    sources = repository.sources_by_id(session, ids(SOURCE))

    terms = query.terms
    results: list[SearchResult] = []
    for hit in hits:
        # A row changed by someone else since the search matched it is left out, not shown half-loaded.
        if hit.kind == CLAIM and (claim := claims.get(hit.object_id)) is not None:
            results.append(
                _result(
                    CLAIM,
                    claim.id,
                    url=paths("claim_page", claim_id=claim.id),
                    api_url=paths("get_claim", claim_id=claim.id),
                    title=claim.text,
                    detail=None,
                    terms=terms,
                    claim=claim,
                    contested=claim.id in contested,
                )
            )
        elif hit.kind == ATTRIBUTION and (statement := statements.get(hit.object_id)) is not None:
            results.append(_statement_result(paths, statement, terms))
        elif hit.kind == ACTOR and (found_actor := actors.get(hit.object_id)) is not None:
            other_names = _names_matching(found_actor.other_names, terms)
            results.append(
                _result(
                    ACTOR,
                    found_actor.id,
                    url=paths("actor_page", slug=found_actor.slug),
                    api_url=paths("get_actor", slug=found_actor.slug),
                    title=found_actor.name,
                    detail=", ".join(other_names) or found_actor.role,
                    terms=terms,
                    actor=found_actor,
                )
            )
        elif hit.kind == SOURCE and (source := sources.get(hit.object_id)) is not None:
            results.append(
                _result(
                    SOURCE,
                    source.id,
                    url=paths("source_page", source_id=source.id),
                    api_url=paths("get_source", source_id=source.id),
                    title=source.title,
                    detail=source.outlet,
                    terms=terms,
                    source=source,
                )
            )
    return SearchPage(
        items=results,
        next_cursor=encode_position(hits[-1].position) if more else None,
        total=total.value,
        total_capped=total.capped,
    )


def _statement_result(paths: Paths, statement: Attribution, terms: Sequence[str]) -> SearchResult:
    return _result(
        ATTRIBUTION,
        statement.id,
        url=paths("statement", attribution_id=statement.id),
        api_url=paths("get_attribution", attribution_id=statement.id),
        title=statement.quote_exact,
        detail=_actor_line(statement.actor, terms),
        terms=terms,
        claim=statement.claim,
        stance=statement.stance,
        actor=statement.actor,
        source=statement.source,
    )
