"""Migration 0005 upgrades a database that already holds statements: its documents are rebuilt in the
new layout, searchable at once; and it goes back to 0004 with the same documents."""

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.cli import alembic_config
from app.db import create_db_engine
from app.pagination import PositionRequest
from app.search.service import parse_query, search
from tests.helpers import PATHS

ROWS = [
    "INSERT INTO actors (id, slug, name, kind, role, created_at, version) VALUES "
    "(1, 'julian-ropcke', 'Julian Röpcke', 'person', 'Bild reporter', '2022-04-01 00:00:00', 1)",
    "INSERT INTO actor_aliases (actor_id, alias, name_key, is_name) VALUES "
    "(1, 'Julian Röpcke', 'julian ropcke', true), (1, 'Roepcke', 'ropcke', false)",
    "INSERT INTO claims (id, slug, text, verification_status, created_at, updated_at, version) VALUES "
    "(1, 'false-flag', 'The strike was a false flag operation.', 'unverified', "
    "'2022-04-01 00:00:00', '2022-04-01 00:00:00', 1)",
    "INSERT INTO sources (id, title, title_supplied, outlet, language, text, sha256, ingested_by, "
    "ingested_at, version) VALUES (1, 'Depot fire in Belgorod', false, 'Bild', 'en', "
    "'He said it could be a false flag.', 'abc', 'test', '2022-04-01 00:00:00', 1)",
    "INSERT INTO attributions (id, claim_id, actor_id, source_id, stance, quote_start, quote_end, "
    "quote_exact, quote_prefix, quote_suffix, chain_key, created_at, version) VALUES "
    "(1, 1, 1, 1, 'disputed', 3, 33, 'said it could be a false flag', '', '', '', '2022-04-01 00:00:00', 1)",
]


@pytest.fixture
def engine_at_0004(fresh_database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(fresh_database_url)
    config = alembic_config(fresh_database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        for row in ROWS:
            connection.execute(text(row))
    yield engine
    engine.dispose()


def migrate(engine: Engine, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        if revision == "0004":
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)


def found(engine: Engine, words: str) -> list[tuple[str, int]]:
    with Session(engine) as session:
        page = search(session, parse_query(words), paths=PATHS, page=PositionRequest(limit=20))
    return [(result.kind, result.id) for result in page.items]


def test_an_existing_database_is_reindexed_by_the_upgrade(engine_at_0004: Engine) -> None:
    migrate(engine_at_0004, "head")

    with engine_at_0004.connect() as connection:
        documents = connection.execute(
            text("SELECT kind, object_id, facets FROM search_documents ORDER BY id DESC")
        ).all()
    assert [(kind, object_id) for kind, object_id, _facets in documents] == [
        ("actor", 1),
        ("claim", 1),
        ("source", 1),
        ("attribution", 1),
    ]
    statement_facets = set(documents[3].facets.split())
    assert {"kattribution", "a1", "s1", "tdisputed", "a1xs1xtdisputed"} <= statement_facets
    assert len(statement_facets) == 1 + 7  # its kind, and every combination of its three facets
    assert found(engine_at_0004, "roepcke") == [("actor", 1), ("attribution", 1)]
    assert found(engine_at_0004, "false flag") == [("claim", 1), ("attribution", 1)]


def test_the_upgrade_goes_back_with_the_same_words(engine_at_0004: Engine) -> None:
    migrate(engine_at_0004, "head")
    migrate(engine_at_0004, "0004")

    with engine_at_0004.connect() as connection:
        documents = connection.execute(
            text("SELECT kind, object_id, primary_terms FROM search_documents ORDER BY kind, object_id")
        ).all()
    assert [tuple(document) for document in documents] == [
        ("actor", 1, "julian ropcke"),
        ("attribution", 1, "said it could be a false flag"),
        ("claim", 1, "the strike was a false flag operation"),
        ("source", 1, "depot fire in belgorod"),
    ]
    migrate(engine_at_0004, "head")
    assert found(engine_at_0004, "belgorod") == [("source", 1)]
