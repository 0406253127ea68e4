"""The schema comes from the migrations; these tests fail when the ORM models drift from them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from app.cli import alembic_config
from app.models import Base
from app.models.search import in_migrated_schema


def test_models_match_migrations(empty_engine: Engine) -> None:
    with empty_engine.connect() as connection:
        # The full-text structures (SQLite's FTS5 table, PostgreSQL's expression index) are created by
        # SQL in the migration because the shared metadata cannot describe them; they are left out.
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": in_migrated_schema}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_is_at_the_single_head(empty_engine: Engine) -> None:
    script = ScriptDirectory.from_config(alembic_config(str(empty_engine.url)))
    with empty_engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert list(current) == list(script.get_heads())
    assert len(script.get_heads()) == 1


def test_query_indexes_exist(empty_engine: Engine) -> None:
    """The hot queries read live statements by claim, stance, actor and source, claims by status."""
    inspector = inspect(empty_engine)
    attribution_indexes = {tuple(index["column_names"]) for index in inspector.get_indexes("attributions")}
    assert {
        ("claim_id", "stance", "actor_id", "first_step_actor_id", "source_id", "chain_key", "id"),
        ("claim_id", "stance", "id"),
        ("actor_id", "claim_id", "stance"),
        ("actor_id", "id"),
        ("source_id", "quote_start"),
        ("deleted_at",),
    } <= attribution_indexes
    claim_indexes = {tuple(index["column_names"]) for index in inspector.get_indexes("claims")}
    assert {("verification_status",), ("deleted_at",)} <= claim_indexes
    alias_indexes = {tuple(index["column_names"]) for index in inspector.get_indexes("actor_aliases")}
    assert ("name_key",) in alias_indexes
    step_indexes = {tuple(index["column_names"]) for index in inspector.get_indexes("reporting_steps")}
    assert ("actor_id", "attribution_id") in step_indexes


def test_the_statement_indexes_hold_live_or_deleted_rows_only(empty_engine: Engine) -> None:
    """A full index of `deleted_at`, almost always NULL, once led the planner astray: the hot
    indexes hold live statements only, and only the admins' list reads the deleted ones."""
    with empty_engine.connect() as connection:
        definitions: dict[str, str]
        if connection.dialect.name == "sqlite":
            definitions = dict(
                connection.execute(
                    text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
                ).all()
            )
        else:
            definitions = dict(connection.execute(text("SELECT indexname, indexdef FROM pg_indexes")).all())
    live = [name for name in definitions if name.startswith("ix_attributions_live_")]
    assert len(live) == 5
    for name in live:
        assert "deleted_at IS NULL" in definitions[name].replace("(", "").replace(")", "")
    for name in ("ix_attributions_deleted", "ix_claims_deleted"):
        assert "deleted_at IS NOT NULL" in definitions[name].replace("(", "").replace(")", "")
