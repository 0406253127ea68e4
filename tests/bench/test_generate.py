"""The synthetic corpus (`claimtrack bench generate`): realistic, consistent with the application's own
rules, deterministic, and loaded into a database that still matches its migrations.

Most tests read the session-wide generated corpus (`corpus_engine`, 3,000 statements, on SQLite and
PostgreSQL); the ones that generate their own use about 2,000 statements.
"""

import hashlib
import io
import itertools
import statistics
import unicodedata
from collections import Counter
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.orm import Session

from app.actors.repository import find_actor_ids
from app.attributions.chains import chain_key
from app.attributions.quotes import anchor_at
from app.bench.corpus import SQLITE_VALUES, Corpus
from app.bench.generate import LOADED_TABLES, generate
from app.bench.imports import measure_import
from app.bench.progress import Progress
from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim
from app.cli import main, upgrade_database
from app.config import get_settings
from app.db import create_db_engine
from app.models import (
    Actor,
    ActorAlias,
    Attribution,
    Base,
    Claim,
    ClaimRelation,
    ReportingStep,
    SearchDocument,
    Source,
    StatusChange,
)
from app.models.search import in_migrated_schema
from app.names import fold_name
from app.vocabulary import RelationKind, Stance, VerificationStatus
from tests.conftest import CORPUS_ATTRIBUTIONS, CORPUS_SEED, QueryLog

# ---- quotes, aliases, chains -------------------------------------------------------------------


def test_every_quote_is_its_source_text_at_its_offsets(corpus_session: Session) -> None:
    texts = dict(corpus_session.execute(select(Source.id, Source.text)).all())
    statements = corpus_session.execute(
        select(
            Attribution.source_id,
            Attribution.quote_start,
            Attribution.quote_end,
            Attribution.quote_exact,
            Attribution.quote_prefix,
            Attribution.quote_suffix,
        )
    )
    checked = 0
    for source_id, start, end, exact, prefix, suffix in statements:
        anchor = anchor_at(texts[source_id], start, end, exact)  # raises unless the text has it there
        assert (anchor.prefix, anchor.suffix) == (prefix, suffix)
        checked += 1
    assert checked == CORPUS_ATTRIBUTIONS
    assert all(unicodedata.is_normalized("NFC", text_) for text_ in texts.values())


def test_sources_are_distinct_snapshots_with_metadata(corpus_session: Session) -> None:
    sources = corpus_session.scalars(select(Source)).all()
    assert all(source.sha256 == hashlib.sha256(source.text.encode()).hexdigest() for source in sources)
    assert {source.language for source in sources} == {"en"}
    assert {source.ingested_by for source in sources} == {"bench"}
    assert all(source.title and source.outlet for source in sources)
    published = [source.published_on for source in sources if source.published_on is not None]
    assert len({day.year for day in published}) >= 3, "publication dates spread over a few years"
    assert sum(source.url is not None for source in sources) > len(sources) // 2


def test_alias_keys_are_the_folded_aliases_and_the_name_is_one_of_them(corpus_session: Session) -> None:
    aliases = corpus_session.scalars(select(ActorAlias)).all()
    assert all(alias.name_key == fold_name(alias.alias) for alias in aliases)
    names = dict(corpus_session.execute(select(Actor.id, Actor.name)).all())
    canonical = {alias.actor_id: alias.alias for alias in aliases if alias.is_name}
    assert canonical == names, "each actor's name is stored once as its alias with is_name"
    assert any(not alias.alias.isascii() for alias in aliases), "diacritics and Cyrillic occur"
    kinds = set(corpus_session.scalars(select(Actor.kind).distinct()))
    assert kinds == {"person", "organisation", "outlet", "government_body", "group"}
    actors = corpus_session.scalars(select(Actor)).all()
    assert any(actor.wikidata_qid for actor in actors)
    assert any(actor.affiliation_id for actor in actors)


def test_an_actor_is_found_under_a_spelling_without_its_diacritics(corpus_session: Session) -> None:
    accented = [
        (actor_id, name)
        for actor_id, name in corpus_session.execute(select(Actor.id, Actor.name))
        if _without_diacritics(name) != name and _without_diacritics(name).isascii()
    ]
    assert accented, "some generated names carry diacritics"
    for actor_id, name in accented[:20]:
        assert actor_id in find_actor_ids(corpus_session, _without_diacritics(name)), name


def test_the_chain_columns_are_those_of_the_reporting_steps(corpus_session: Session) -> None:
    steps: dict[int, list[tuple[int, str | None]]] = {}
    positions: dict[int, list[int]] = {}
    for attribution_id, position, actor_id, medium in corpus_session.execute(
        select(
            ReportingStep.attribution_id, ReportingStep.position, ReportingStep.actor_id, ReportingStep.medium
        ).order_by(ReportingStep.attribution_id, ReportingStep.position)
    ):
        steps.setdefault(attribution_id, []).append((actor_id, medium))
        positions.setdefault(attribution_id, []).append(position)
    assert all(found == list(range(len(found))) for found in positions.values())

    lengths: Counter[int] = Counter()
    for attribution_id, medium, first_step, key in corpus_session.execute(
        select(Attribution.id, Attribution.medium, Attribution.first_step_actor_id, Attribution.chain_key)
    ):
        chain = steps.get(attribution_id, [])
        assert first_step == (chain[0][0] if chain else None)
        assert key == chain_key(medium, chain)
        lengths[len(chain)] += 1
    assert set(lengths) == {0, 1, 2, 3}
    intermediaries = corpus_session.scalars(
        select(Actor.kind).join(ReportingStep, ReportingStep.actor_id == Actor.id).distinct()
    ).all()
    assert set(intermediaries) <= {"outlet", "person"}


# ---- shape of the corpus -----------------------------------------------------------------------


def _live_counts(session: Session, column: Any) -> list[int]:
    return sorted(
        session.scalars(select(func.count()).where(Attribution.deleted_at.is_(None)).group_by(column)).all(),
        reverse=True,
    )


def test_popularity_is_skewed_and_sources_range_from_short_articles_to_long_transcripts(
    corpus_session: Session,
) -> None:
    total = corpus_session.scalar(select(func.count()).where(Attribution.deleted_at.is_(None)))
    assert total is not None
    for column in (Attribution.claim_id, Attribution.actor_id):
        counts = _live_counts(corpus_session, column)
        assert counts[0] >= total // 10, "the busiest carries a large share"
        assert statistics.median(counts) <= counts[0] / 10, "most carry few"
        assert sum(count <= 3 for count in counts) >= len(counts) // 10, "many carry 1–3"

    per_source = _live_counts(corpus_session, Attribution.source_id)
    article_median = statistics.median(per_source)
    assert 5 <= article_median <= 40
    assert per_source[0] >= 10 * article_median, "a transcript holds many times an article's statements"


def test_every_stance_relation_and_several_statuses_with_their_history_occur(corpus_session: Session) -> None:
    stances = Counter(corpus_session.scalars(select(Attribution.stance)).all())
    assert set(stances) == {stance.value for stance in Stance}
    ranked = [stance for stance, _count in stances.most_common()]
    assert (ranked[0], ranked[-1]) == (Stance.ASSERTED.value, Stance.DECLINED_TO_COMMENT.value)

    relations = corpus_session.scalars(select(ClaimRelation)).all()
    assert {relation.kind for relation in relations} == {kind.value for kind in RelationKind}
    assert all(relation.claim_id != relation.related_claim_id for relation in relations)

    statuses = Counter(corpus_session.scalars(select(Claim.verification_status)).all())
    assert statuses.most_common(1)[0][0] == VerificationStatus.UNVERIFIED.value
    assert len(statuses) >= 4
    history: dict[int, list[StatusChange]] = {}
    for change in corpus_session.scalars(select(StatusChange).order_by(StatusChange.id)):
        history.setdefault(change.claim_id, []).append(change)
    checked = {claim.id: claim for claim in corpus_session.scalars(select(Claim))}
    for claim_id, changes in history.items():
        assert changes[0].from_status == VerificationStatus.UNVERIFIED.value
        assert all(later.from_status == earlier.to_status for earlier, later in itertools.pairwise(changes))
        assert changes[-1].to_status == checked[claim_id].verification_status
        assert all(change.rationale and change.changed_by for change in changes)
        assert all(earlier.changed_at < later.changed_at for earlier, later in itertools.pairwise(changes))
    assert sum(claim.verification_status != "unverified" for claim in checked.values()) == len(history)
    evidence = [item for changes in history.values() for change in changes for item in change.evidence]
    assert {"source_id", "url", "note"} == {key for item in evidence for key in item}


def test_claims_are_unique_propositions_and_a_few_things_are_deleted(corpus_session: Session) -> None:
    claims = corpus_session.scalars(select(Claim)).all()
    assert len({claim.text for claim in claims}) == len({claim.slug for claim in claims}) == len(claims)
    assert all(claim.text.endswith(".") and not claim.text[0].islower() for claim in claims)
    deleted_claims = [claim for claim in claims if claim.deleted_at is not None]
    deleted_statements = corpus_session.scalar(
        select(func.count()).where(Attribution.deleted_at.is_not(None))
    )
    assert 1 <= len(deleted_claims) <= len(claims) // 10
    assert all(claim.deleted_by for claim in deleted_claims)
    assert deleted_statements is not None
    assert 1 <= deleted_statements <= CORPUS_ATTRIBUTIONS // 100


def test_the_search_index_holds_a_document_per_live_claim_statement_actor_and_source(
    corpus_session: Session,
) -> None:
    documents: dict[str, set[int]] = {}
    for kind, object_id in corpus_session.execute(select(SearchDocument.kind, SearchDocument.object_id)):
        documents.setdefault(kind, set()).add(object_id)
    live_claims = set(corpus_session.scalars(select(Claim.id).where(Claim.deleted_at.is_(None))))
    live_statements = set(
        corpus_session.scalars(
            select(Attribution.id).where(
                Attribution.deleted_at.is_(None), Attribution.claim_id.in_(sorted(live_claims))
            )
        )
    )
    assert documents == {
        "claim": live_claims,
        "attribution": live_statements,
        "actor": set(corpus_session.scalars(select(Actor.id))),
        "source": set(corpus_session.scalars(select(Source.id))),
    }


def test_the_application_reads_the_rows_and_writes_after_them(corpus_session: Session) -> None:
    """Timestamps, dates, flags and JSON come back as the ORM types; new rows get fresh ids."""
    statement = corpus_session.scalars(select(Attribution).order_by(Attribution.id).limit(1)).one()
    assert statement.created_at.tzinfo is not None
    claim = corpus_session.scalars(select(Claim).order_by(Claim.id.desc()).limit(1)).one()
    assert claim.updated_at >= claim.created_at
    alias = corpus_session.scalars(select(ActorAlias).where(ActorAlias.is_name.is_(True)).limit(1)).one()
    assert alias.is_name is True

    new = create_claim(
        corpus_session, ClaimCreate(text="A claim written after the corpus was loaded."), by="test"
    )
    corpus_session.flush()
    assert new.id == len(corpus_session.scalars(select(Claim.id)).all())


def _without_diacritics(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def test_the_corpus_serves_through_the_api(
    corpus_client: tuple[TestClient, QueryLog], corpus_engine: Engine
) -> None:
    """The client on the corpus (for later tests of page budgets): a page of claims, and an actor
    found by a spelling without its diacritics."""
    client, log = corpus_client
    claims = client.get("/api/v1/claims", params={"limit": 5})
    assert claims.status_code == 200
    assert len(claims.json()["items"]) == 5
    assert log.count > 0

    with corpus_engine.connect() as connection:
        names = connection.scalars(select(Actor.name).where(Actor.kind == "person").order_by(Actor.id)).all()
    accented = next(name for name in names if _without_diacritics(name) != name)
    found = client.get("/api/v1/actors", params={"name": _without_diacritics(accented)})
    assert found.status_code == 200
    assert accented in [actor["name"] for actor in found.json()["items"]]


# ---- determinism and the schema ----------------------------------------------------------------


def _digest(engine: Engine) -> str:
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table_name in LOADED_TABLES:
            key = ", ".join(column.name for column in Base.metadata.tables[table_name].primary_key.columns)
            for row in connection.execute(text(f"SELECT * FROM {table_name} ORDER BY {key}")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_corpus(corpus_engine: Engine, fresh_database_url: str) -> None:
    engine = create_db_engine(fresh_database_url)
    try:
        upgrade_database(engine)
        generate(engine, CORPUS_ATTRIBUTIONS, seed=CORPUS_SEED)
        assert _digest(engine) == _digest(corpus_engine)
    finally:
        engine.dispose()


def test_another_seed_gives_another_corpus() -> None:
    def first_source(seed: int) -> Any:
        batch = next(Corpus(2_000, seed=seed, values=SQLITE_VALUES).statement_batches())
        return batch.rows["sources"][0]

    assert first_source(1) == first_source(1)
    assert first_source(1) != first_source(2)


def test_names_and_slugs_stay_unique_at_a_million_statements() -> None:
    """Planned without a database: the actors, aliases and claims of the largest corpus we load."""
    rows = dict(Corpus(1_000_000, seed=CORPUS_SEED, values=SQLITE_VALUES).base_rows())
    actor_slugs, actor_names = {row[1] for row in rows["actors"]}, {row[2] for row in rows["actors"]}
    assert len(actor_slugs) == len(actor_names) == len(rows["actors"]) == 25_000
    assert len({row[1] for row in rows["claims"]}) == len({row[2] for row in rows["claims"]}) == 20_000
    assert len({(row[1], row[2]) for row in rows["actor_aliases"]}) == len(rows["actor_aliases"])


def _index_definitions(connection: Connection) -> set[tuple[str, str]]:
    if connection.dialect.name == "sqlite":
        query = "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
    else:
        query = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
    return set(connection.execute(text(query)).all())


def test_a_generated_database_still_matches_the_migrations(
    corpus_engine: Engine, empty_engine: Engine
) -> None:
    """The secondary indexes dropped for the load come back exactly as the migrations made them."""
    with corpus_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": in_migrated_schema}
        )
        assert compare_metadata(context, Base.metadata) == []
        generated = _index_definitions(connection)
    with empty_engine.connect() as connection:
        migrated = _index_definitions(connection)
    assert generated == migrated


# ---- the command -------------------------------------------------------------------------------


@pytest.fixture
def sqlite_database_url(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A new SQLite file as the configured database of an in-process `claimtrack` command."""
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_the_command_fills_a_new_database_and_refuses_one_that_holds_records(
    sqlite_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bench", "generate", "--attributions", "2000", "--seed", "7"]) == 0
    output = capsys.readouterr()
    assert output.out.startswith("claimtrack: generated 2,000 statements (seed 7) into sqlite:///")
    summary = dict(line.split() for line in output.out.splitlines()[1 : 1 + len(LOADED_TABLES)])
    assert summary["attributions"] == "2,000"
    assert set(summary) == {*LOADED_TABLES}
    # Not a terminal: plain progress lines, with the rate and the time left.
    assert "statements 2,000/2,000 100%" in output.err
    assert "rows/s" in output.err
    assert "ETA" in output.err
    assert "\r" not in output.err

    engine = create_db_engine(sqlite_database_url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(Attribution)) == 2_000
    finally:
        engine.dispose()

    assert main(["bench", "generate", "--attributions", "2000"]) == 1
    refused = capsys.readouterr()
    assert "already holds sources, actors or claims" in refused.err
    assert "a database of its own" in refused.err
    assert refused.out == ""


def test_the_command_refuses_a_seeded_database(
    sqlite_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed"]) == 0
    capsys.readouterr()
    assert main(["bench", "generate", "--attributions", "2000"]) == 1
    assert "already holds sources" in capsys.readouterr().err


def test_the_command_wants_a_number_of_statements(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["bench", "generate", "--attributions", "a lot"])
    assert exit_.value.code == 2
    assert "'a lot' is not a number of statements" in capsys.readouterr().err


def test_the_progress_bar_redraws_one_line_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    progress = Progress(1_000, stream=terminal)
    progress.advance(500, 2_000)
    progress.advance(500, 2_000)
    with progress.step("analysing"):
        pass
    lines = terminal.getvalue().split("\r")
    assert "statements   500/1,000  50%" in lines[1]
    assert "statements 1,000/1,000 100% [########################]" in lines[2]
    assert lines[2].endswith(" s\n")
    assert "\nanalysing… " in lines[2]


# ---- import throughput -------------------------------------------------------------------------


def test_the_import_measure_loads_the_same_rows_both_ways(
    backend: str, tmp_path: Any, corpus_engine: Engine
) -> None:
    """Smoke test of figure 6's tool (no timing asserted): both loads hold the same rows."""
    url = corpus_engine.url.render_as_string(hide_password=False)
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'import.db'}"
    measured = measure_import(url, attributions=2_000, seed=3)
    assert measured.backend == backend
    assert measured.rows["attributions"] == 2_000
    assert measured.total_rows == sum(measured.rows.values())
    assert measured.ratio > 0
    steps = {"plan", "rows", "search index", "indexes", "claim summaries", "commit", "analyse"}
    if backend == "postgresql":
        steps.add("statistics")
    assert set(measured.generator_steps) == steps
    if backend == "sqlite":
        assert list(tmp_path.iterdir()) == [], "the scratch databases are removed"
        assert measured.cpu_ratio is not None
