"""`claimtrack add-source`: the same path as the form and the API, from a file."""

from pathlib import Path

from sqlalchemy import create_engine, func, select

from app.models import Proposal, Source
from tests.conftest import Claimtrack
from tests.proposals.helpers import TEXT


def test_add_source_stores_the_file_and_proposes_its_statements(
    fresh_database_url: str, claimtrack: Claimtrack, tmp_path: Path
) -> None:
    article = tmp_path / "bridge.txt"
    article.write_text(TEXT, encoding="utf-8")
    arguments = ["add-source", str(article), "--title", "Bridge closed", "--outlet", "Example Wire"]

    first = claimtrack(fresh_database_url, *arguments, "--date", "2026-04-03")
    again = claimtrack(fresh_database_url, *arguments)

    engine = create_engine(fresh_database_url)
    try:
        with engine.connect() as connection:
            (source_id, published, file_name) = connection.execute(
                select(Source.id, Source.published_on, Source.file_name)
            ).one()
            proposed = connection.scalar(select(func.count()).select_from(Proposal))
    finally:
        engine.dispose()
    assert first.exit_code == 0, first.stderr
    assert (str(published), file_name) == ("2026-04-03", "bridge.txt")
    assert proposed is not None
    assert proposed >= 3
    assert first.stdout == (
        f"claimtrack: added source {source_id} (“Bridge closed”); the extractor proposed {proposed} "
        f"statements, waiting for review on its page (/sources/{source_id}).\n"
    )
    assert again.exit_code == 0
    assert (
        again.stdout
        == f"claimtrack: this text is already source {source_id} (“Bridge closed”); nothing was stored.\n"
    )


def test_add_source_refuses_a_file_that_is_not_utf8(
    fresh_database_url: str, claimtrack: Claimtrack, tmp_path: Path
) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes("Café said “no”.".encode("latin-1", errors="replace"))

    result = claimtrack(fresh_database_url, "add-source", str(article), "--title", "Latin-1")

    assert result.exit_code == 1
    assert result.stderr.startswith(f"claimtrack: {article} is not UTF-8 text (byte 3 cannot be read)")
