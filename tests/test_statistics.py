"""The planner's statistics: gathered after loading seeds, and on start when a database holding
statements was never analysed (without them SQLite's planner picks the index of `deleted_at`)."""

from sqlalchemy import Engine, text

from app.cli import load_seeds, upgrade_database
from app.config import get_settings
from app.db import analyze_if_never, create_db_engine, make_session_factory
from app.seeds import seed


def has_statistics(engine: Engine) -> bool:
    query = (
        "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'attributions'"
        if engine.dialect.name == "sqlite"
        else "SELECT count(*) FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = 'attributions'"
    )
    with engine.connect() as connection:
        return bool(connection.scalar(text(query)))


def test_a_database_never_analysed_is_analysed_once_on_start(fresh_database_url: str) -> None:
    engine = create_db_engine(fresh_database_url)
    try:
        upgrade_database(engine)
        assert analyze_if_never(engine) is False, "an empty database has nothing to gather"
        with make_session_factory(engine)() as session:  # loaded by another program: no ANALYZE
            seed(session, get_settings().seeds_dir)
            session.commit()

        assert analyze_if_never(engine) is True
        assert has_statistics(engine)
        assert analyze_if_never(engine) is False
    finally:
        engine.dispose()


def test_loading_seeds_leaves_statistics(fresh_database_url: str) -> None:
    engine = create_db_engine(fresh_database_url)
    try:
        upgrade_database(engine)
        load_seeds(engine, get_settings().seeds_dir)
        assert has_statistics(engine)
        assert analyze_if_never(engine) is False
    finally:
        engine.dispose()
