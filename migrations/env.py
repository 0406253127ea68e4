"""Alembic environment: runs against the application's engine, with batch mode for SQLite."""

from alembic import context
from sqlalchemy import Connection

from app.config import get_settings
from app.db import create_db_engine
from app.models import Base
from app.models.search import in_migrated_schema

config = context.config
target_metadata = Base.metadata


def run_with_connection(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
        # The full-text structures are backend-specific SQL that the shared metadata cannot describe.
        include_name=in_migrated_schema,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # A caller (the CLI, the tests) may hand over an open connection to run on.
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with_connection(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = create_db_engine(url)
    with engine.connect() as connection:
        run_with_connection(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit(
        "claimtrack migrations run online only: set DATABASE_URL and run `claimtrack db upgrade`"
    )
run_migrations_online()
