"""Search as the service answers it, on the real seeds: folding, ranking, filters, paging, and an index
that follows every change made through the product."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.actors.schemas import ActorUpdate
from app.actors.service import actor_for_change, update_actor
from app.attributions.service import attribution_for_change, delete_attribution, restore_attribution
from app.claims.repository import list_claims
from app.claims.schemas import ClaimCreate, ClaimFilters, ClaimUpdate
from app.claims.service import claim_for_change, create_claim, delete_claim, restore_claim, update_claim
from app.cli import load_seeds, upgrade_database
from app.config import get_settings
from app.db import create_db_engine
from app.fulltext import repository as fulltext
from app.fulltext.words import MAX_TERMS
from app.models import Actor, Attribution, Claim, SearchDocument, Source
from app.pagination import PositionRequest, decode_position
from app.search.schemas import POSITION_SIZE, SearchResult
from app.search.service import parse_query, search
from app.sources.schemas import SourceUpdate
from app.sources.service import source_for_change, update_source
from app.statements.repository import AttributionFilters, list_attributions
from app.vocabulary import Stance, VerificationStatus
from tests.conftest import _new_database
from tests.helpers import PATHS

EVERYTHING = PositionRequest(limit=200)


def found(
    session: Session, text: str, *, actor: str | None = None, filters: ClaimFilters | None = None
) -> list[SearchResult]:
    page = search(session, parse_query(text), paths=PATHS, actor=actor, filters=filters, page=EVERYTHING)
    assert page.next_cursor is None, "the test expects one page"
    return page.items


def keys(results: list[SearchResult]) -> list[tuple[str, int]]:
    return [(result.kind, result.id) for result in results]


def actor_id(session: Session, slug: str) -> int:
    return session.scalars(select(Actor.id).where(Actor.slug == slug)).one()


def claim_of(session: Session, slug: str) -> Claim:
    return session.scalars(select(Claim).where(Claim.slug == slug)).one()


def statements_of(session: Session, slug: str) -> set[int]:
    """The ids of an actor's live statements."""
    return set(
        session.scalars(
            select(Attribution.id)
            .join(Actor, Actor.id == Attribution.actor_id)
            .where(Actor.slug == slug, Attribution.deleted_at.is_(None))
        )
    )


def statement_ids(results: list[SearchResult]) -> set[int]:
    return {result.id for result in results if result.kind == "attribution"}


# ---- folding: case, diacritics and transliteration -------------------------------------------------------


@pytest.mark.parametrize("spelling", ["ropcke", "Röpcke", "Roepcke", "ROEPCKE", "röpcke"])
def test_any_spelling_of_ropcke_finds_him_first_and_every_statement_of_his(
    session: Session, spelling: str
) -> None:
    results = found(session, spelling)

    first = results[0]
    assert (first.kind, first.title, first.url) == ("actor", "Julian Röpcke", "/actors/julian-ropcke")
    assert statements_of(session, "julian-ropcke") <= statement_ids(results)
    assert len(statements_of(session, "julian-ropcke")) >= 1
    # Every spelling gives the same results in the same order.
    assert keys(results) == keys(found(session, "ropcke"))


@pytest.mark.parametrize("spelling", ["zelensky", "Zelenskyy", "Zelenskiy", "Зеленський", "ZELENSKY"])
def test_any_spelling_of_zelensky_finds_zelenskyy_and_his_statements(session: Session, spelling: str) -> None:
    results = found(session, spelling)

    assert (results[0].kind, results[0].title) == ("actor", "Volodymyr Zelenskyy")
    zelenskyy = statements_of(session, "volodymyr-zelenskyy")
    assert zelenskyy
    assert zelenskyy <= statement_ids(results)
    for result in results:
        if result.kind == "attribution" and result.id in zelenskyy:
            assert result.actor is not None
            assert result.actor.slug == "volodymyr-zelenskyy"
            assert result.detail == "Volodymyr Zelenskyy"
            assert [part.text for part in result.detail_parts if part.match] == ["Zelenskyy"]


def test_a_statement_links_to_its_claim_page_at_the_statement(session: Session) -> None:
    (statement,) = [r for r in found(session, "Roepcke false flag") if r.kind == "attribution"][:1]

    row = session.get(Attribution, statement.id)
    assert row is not None
    assert statement.url == f"/attributions/{row.id}"
    assert statement.api_url == f"/api/v1/attributions/{row.id}"
    assert statement.title == row.quote_exact
    assert statement.stance == row.stance


def test_every_word_must_match_and_words_may_be_the_start_of_one(session: Session) -> None:
    helicopters = found(session, "helicopters")
    narrowed = found(session, "helicopters Kuleba")

    assert narrowed
    assert set(keys(narrowed)) < set(keys(helicopters))
    # "helicop" starts "helicopter" as well as "helicopters".
    assert set(keys(helicopters)) < set(keys(found(session, "helicop")))
    assert found(session, "helicopters zzzzqqq") == []


def test_results_with_the_words_in_their_own_text_rank_first(session: Session) -> None:
    results = found(session, "ropcke")

    # The actor and the quote naming him before his statements that only he makes.
    own = [bool(any(part.match for part in result.title_parts)) for result in results]
    assert own == sorted(own, reverse=True)
    assert own[0]
    assert not own[-1]


def test_matching_words_are_marked_and_the_parts_are_the_whole_text(session: Session) -> None:
    for result in found(session, "Belgorod depot"):
        assert "".join(part.text for part in result.title_parts) == result.title
        marked = {part.text.lower() for part in result.title_parts if part.match}
        assert marked <= {"belgorod", "depot", "depots"}


# ---- hostile input is words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"unbalanced',
        "*",
        "helicopter*",
        "-helicopters",
        "NEAR(helicopters Belgorod)",
        "helicopters NEAR Belgorod",
        "(helicopters OR",
        "helicopters AND NOT",
        "terms:helicopters",
        "{terms}: helicopters ^",
        "'; DROP TABLE claims; --",
        "helicopters & | ! :*",
        "ÿ\u200b\ufeff☃",
        "x" * 400,
        " ".join(["helicopters"] * 50),
    ],
)
def test_query_syntax_is_read_as_plain_words(session: Session, text: str) -> None:
    query = parse_query(text)

    results = found(session, text)

    assert all(term.isascii() and term.isalnum() for term in query.terms)
    assert len(query.terms) <= MAX_TERMS
    if "helicopters" in query.terms:
        assert set(keys(results)) <= set(keys(found(session, "helicopters")))
    assert count_rows(session) > 0  # the injection above did nothing


def count_rows(session: Session) -> int:
    return len(session.scalars(select(Claim.id)).all())


def test_a_query_without_letters_or_digits_finds_nothing(session: Session) -> None:
    assert parse_query("  *** -- () ").terms == []
    assert found(session, "  *** -- () ") == []


def test_a_long_query_searches_its_first_words(session: Session) -> None:
    words = [f"word{number}" for number in range(MAX_TERMS + 5)]
    query = parse_query(" ".join(words))

    assert query.terms == words[:MAX_TERMS]
    assert query.truncated


# ---- filters ---------------------------------------------------------------------------------------------


def test_filters_combine_on_one_statement(session: Session) -> None:
    kuleba = found(session, "helicopters", actor="Kuleba", filters=ClaimFilters())
    could_not_verify = found(
        session, "helicopters", actor="Kuleba", filters=ClaimFilters(stance=Stance.COULD_NOT_VERIFY)
    )
    denied = found(session, "helicopters", actor="Kuleba", filters=ClaimFilters(stance=Stance.DENIED))

    kuleba_statements = statements_of(session, "dmytro-kuleba")
    assert could_not_verify
    assert set(keys(could_not_verify)) <= set(keys(kuleba))
    for result in could_not_verify:
        if result.kind == "attribution":
            assert result.id in kuleba_statements
            assert result.stance == "could_not_verify"
        elif result.kind == "actor":
            assert result.id == actor_id(session, "dmytro-kuleba")
    assert claim_of(session, "helicopter-strike").id in {r.id for r in could_not_verify if r.kind == "claim"}
    # Kuleba himself is found only under a stance he took.
    kuleba_entry = ("actor", actor_id(session, "dmytro-kuleba"))
    assert kuleba_entry in keys(
        found(session, "Kuleba", filters=ClaimFilters(stance=Stance.COULD_NOT_VERIFY))
    )
    assert kuleba_entry not in keys(
        found(session, "Kuleba", filters=ClaimFilters(stance=Stance.DECLINED_TO_COMMENT))
    )
    assert denied == []


def test_an_unknown_actor_finds_nothing(session: Session) -> None:
    assert found(session, "helicopters", actor="Nobody Atall", filters=None) == []


def test_the_contested_filter_keeps_contested_claims_and_their_statements(session: Session) -> None:
    everything = found(session, "Russia")
    contested = found(session, "Russia", filters=ClaimFilters(contested=True))
    uncontested = found(session, "Russia", filters=ClaimFilters(contested=False))

    contested_claims = {r.id for r in everything if r.kind == "claim" and r.contested}
    assert contested_claims
    assert {r.id for r in contested if r.kind == "claim"} == contested_claims
    assert {r.id for r in uncontested if r.kind == "claim"} == {
        r.id for r in everything if r.kind == "claim" and not r.contested
    }
    for result in contested:
        if result.kind == "attribution":
            assert result.claim is not None
            assert claim_contested(session, result.claim.id)


def claim_contested(session: Session, claim_id: int) -> bool:
    stances = set(
        session.scalars(
            select(Attribution.stance).where(
                Attribution.claim_id == claim_id, Attribution.deleted_at.is_(None)
            )
        )
    )
    return bool(stances & {"asserted", "confirmed"}) and bool(stances & {"denied", "disputed"})


def test_the_date_filter_reads_the_sources_publication_dates(session: Session) -> None:
    published = set(session.scalars(select(Source.published_on)))
    (day,) = published  # the three seed articles appeared on one day
    assert day is not None

    same_day = found(session, "Belgorod", filters=ClaimFilters(date_from=day, date_to=day))
    later = found(session, "Belgorod", filters=ClaimFilters(date_from=day + timedelta(days=1)))

    assert keys(same_day) == keys(found(session, "Belgorod", filters=ClaimFilters(date_from=day)))
    assert {r.kind for r in same_day} >= {"claim", "attribution", "source"}
    assert later == []


# ---- paging ----------------------------------------------------------------------------------------------


def test_pages_follow_one_another_without_gaps_or_repeats(session: Session) -> None:
    everything = keys(found(session, "Belgorod"))
    walked: list[tuple[str, int]] = []
    after = None
    while True:
        page = search(
            session, parse_query("Belgorod"), paths=PATHS, page=PositionRequest(limit=4, after=after)
        )
        walked += keys(page.items)
        if page.next_cursor is None:
            break
        assert len(page.items) == 4
        after = decode_position(page.next_cursor, POSITION_SIZE)

    assert len(everything) > 8
    assert walked == everything


# ---- the index follows changes made through the product -------------------------------------------------


def test_an_edited_claim_is_found_by_its_new_words_only(session: Session) -> None:
    claim = claim_for_change(session, claim_of(session, "helicopter-strike").id)
    old_word = "helicopters"
    assert ("claim", claim.id) in keys(found(session, old_word))

    update_claim(session, claim, ClaimUpdate(text="A zeppelin struck the Belgorod oil depot."), by="test")
    session.flush()

    assert ("claim", claim.id) in keys(found(session, "zeppelin"))
    assert ("claim", claim.id) not in keys(found(session, old_word))


def test_a_deleted_claim_and_its_statements_leave_the_results_and_come_back_when_restored(
    session: Session,
) -> None:
    claim = claim_for_change(session, claim_of(session, "false-flag").id)
    statements = set(session.scalars(select(Attribution.id).where(Attribution.claim_id == claim.id)))
    before = found(session, "false flag")
    assert ("claim", claim.id) in keys(before)
    assert statements & statement_ids(before)

    delete_claim(session, claim, by="test")
    session.flush()
    gone = found(session, "false flag")

    assert ("claim", claim.id) not in keys(gone)
    assert not statements & statement_ids(gone)

    restore_claim(session, claim_for_change(session, claim.id, deleted=True), by="test")
    session.flush()
    assert keys(found(session, "false flag")) == keys(before)


def test_a_deleted_statement_leaves_the_results(session: Session) -> None:
    results = found(session, "Roepcke false flag")
    (statement_id,) = [r.id for r in results if r.kind == "attribution"][:1]
    statement = attribution_for_change(session, statement_id)

    delete_attribution(session, statement, by="test")
    session.flush()
    assert statement_id not in statement_ids(found(session, "Roepcke false flag"))

    restore_attribution(session, attribution_for_change(session, statement_id, deleted=True), by="test")
    session.flush()
    assert statement_id in statement_ids(found(session, "Roepcke false flag"))


def test_a_new_claim_is_found_at_once(session: Session) -> None:
    claim = create_claim(
        session, ClaimCreate(text="Firefighters contained the blaze by Saturday evening."), by="test"
    )
    session.flush()

    results = found(session, "firefighter blaze")
    assert keys(results) == [("claim", claim.id)]
    assert [part.text for part in results[0].title_parts if part.match] == ["Firefighters", "blaze"]


def test_a_new_alias_finds_the_actor_and_the_statements(session: Session) -> None:
    actor = actor_for_change(session, "dmytro-kuleba")
    assert found(session, "Kulebchenko") == []

    update_actor(session, actor, ActorUpdate(aliases=[*actor.other_names, "Kulebchenko"]), by="test")
    session.flush()

    results = found(session, "kulebchenko")
    assert results[0].kind == "actor"
    assert results[0].id == actor.id
    assert statement_ids(results) == statements_of(session, "dmytro-kuleba")


def test_a_retitled_source_is_found_by_its_new_title(session: Session) -> None:
    source = source_for_change(session, session.scalars(select(Source.id).order_by(Source.id)).first() or 0)

    update_source(session, source, SourceUpdate(title="Quagmire at the depot"), by="test")
    session.flush()

    assert keys(found(session, "quagmire")) == [("source", source.id)]


def test_documents_are_written_in_the_same_transaction_and_roll_back_with_it(session: Session) -> None:
    before = session.scalars(select(SearchDocument.id).order_by(SearchDocument.id)).all()
    with session.begin_nested() as savepoint:
        create_claim(session, ClaimCreate(text="Smoke was seen from Kharkiv."), by="test")
        session.flush()
        assert found(session, "kharkiv smoke")
        savepoint.rollback()

    assert found(session, "kharkiv smoke") == []
    assert session.scalars(select(SearchDocument.id).order_by(SearchDocument.id)).all() == before


# ---- both backends give the same results ----------------------------------------------------------------

COMPARED_QUERIES = [
    "ropcke",
    "zelensky",
    "helicopters",
    "Belgorod oil depot",
    "false flag",
    "Kremlin",
    "peace talks",
    "the",
]


@pytest.fixture(scope="module")
def both_backends(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Engine]]:
    """A seeded SQLite and a seeded PostgreSQL database, side by side."""
    with (
        _new_database("sqlite", tmp_path_factory) as sqlite_url,
        _new_database("postgresql", tmp_path_factory) as postgres_url,
    ):
        engines = {}
        for name, url in (("sqlite", sqlite_url), ("postgresql", postgres_url)):
            engine = create_db_engine(url)
            upgrade_database(engine)
            load_seeds(engine, get_settings().seeds_dir)
            engines[name] = engine
        yield engines
        for engine in engines.values():
            engine.dispose()


def natural_keys(session: Session, text: str, filters: ClaimFilters | None) -> list[tuple[str, str]]:
    """Results named independently of row ids: slugs, titles and quotes."""
    results = search(session, parse_query(text), paths=PATHS, filters=filters, page=EVERYTHING).items
    named: list[tuple[str, str]] = []
    for result in results:
        if result.kind == "attribution":
            assert result.actor is not None
            assert result.claim is not None
            named.append((result.kind, f"{result.actor.slug} {result.claim.slug} {result.title}"))
        elif result.kind == "claim":
            assert result.claim is not None
            named.append((result.kind, result.claim.slug))
        else:
            named.append(
                (result.kind, result.url.rsplit("/", 1)[-1] if result.kind == "actor" else result.title)
            )
    return named


@pytest.mark.parametrize("text", COMPARED_QUERIES)
def test_sqlite_and_postgresql_give_the_same_ordered_results(
    both_backends: dict[str, Engine], text: str
) -> None:
    answers = {}
    for name, engine in both_backends.items():
        with Session(engine) as db:
            answers[name] = natural_keys(db, text, None)

    assert answers["sqlite"], f"{text!r} finds something"
    assert answers["sqlite"] == answers["postgresql"]


def test_sqlite_and_postgresql_filter_alike(both_backends: dict[str, Engine]) -> None:
    filters = [
        ClaimFilters(stance=Stance.ASSERTED),
        ClaimFilters(contested=True),
        ClaimFilters(contested=False, stance=Stance.DISPUTED),
    ]
    for claim_filters in filters:
        answers = {}
        for name, engine in both_backends.items():
            with Session(engine) as db:
                answers[name] = natural_keys(db, "Belgorod", replace(claim_filters))
        assert answers["sqlite"] == answers["postgresql"], claim_filters


def test_the_source_filter_keeps_that_source_and_what_was_said_in_it(session: Session) -> None:
    sources = session.scalars(select(Source).order_by(Source.id)).all()
    chosen = sources[-1]

    results = found(session, "Russia", filters=ClaimFilters(source_id=chosen.id))

    assert [r.id for r in results if r.kind == "source"] == (
        [chosen.id] if ("source", chosen.id) in keys(found(session, "Russia")) else []
    )
    statements = [r for r in results if r.kind == "attribution"]
    assert statements
    assert {r.source.id for r in statements if r.source is not None} == {chosen.id}


# ---- the claims index's and the statements' text filters ------------------------------------------------


@pytest.mark.parametrize("words", [["belgorod"], ["helicopters"], ["false", "flag"], ["ropcke"], ["kremlin"]])
def test_the_text_filters_find_the_same_rows_whether_the_words_are_common_or_rare(
    session: Session, monkeypatch: pytest.MonkeyPatch, words: list[str]
) -> None:
    def listed() -> tuple[list[int], list[int]]:
        claims = list_claims(session, ClaimFilters(words=words), after_id=None, limit=200)
        statements = list_attributions(session, AttributionFilters(words=words), after_id=None, limit=200)
        return [claim.id for claim in claims], [statement.id for statement in statements]

    monkeypatch.setattr(fulltext, "COMMON_MATCHES", 10**9)
    gathered = listed()
    monkeypatch.setattr(fulltext, "COMMON_MATCHES", 1)
    walked = listed()

    assert gathered == walked
    assert gathered[0]


def test_the_filters_follow_a_changed_stance_and_status(session: Session) -> None:
    (statement_id,) = [r.id for r in found(session, "Roepcke false flag") if r.kind == "attribution"][:1]
    statement = attribution_for_change(session, statement_id)
    claim, source = session.get(Claim, statement.claim_id), session.get(Source, statement.source_id)
    assert claim is not None
    assert source is not None
    claim_word, title_word = claim.text.split()[1], source.title.split()[0]

    statement.stance = Stance.DECLINED_TO_COMMENT.value
    session.flush()
    declined = ClaimFilters(stance=Stance.DECLINED_TO_COMMENT)

    assert ("attribution", statement_id) in keys(found(session, "Roepcke", filters=declined))
    assert ("claim", claim.id) in keys(found(session, claim_word, filters=declined))
    assert ("source", source.id) in keys(found(session, title_word, filters=declined))

    claim.verification_status = VerificationStatus.FALSE.value
    session.flush()
    false = ClaimFilters(status=VerificationStatus.FALSE)

    assert ("attribution", statement_id) in keys(found(session, "Roepcke", filters=false))
    assert ("claim", claim.id) in keys(found(session, claim_word, filters=false))
    assert ("source", source.id) in keys(found(session, title_word, filters=false))
    both = ClaimFilters(stance=Stance.DECLINED_TO_COMMENT, status=VerificationStatus.FALSE)
    assert ("claim", claim.id) in keys(found(session, claim_word, filters=both))
