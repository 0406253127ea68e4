"""`claimtrack export` and `claimtrack import`: a backup restores into the other kind of database and
writes the same backup again, byte for byte; a file with anything wrong is refused by line, table and
row, and nothing is written."""

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.backup.repository import tables_holding_rows
from app.backup.tables import EXCLUDED, SECRET_TABLES, backup_tables, codecs
from app.claims import service as claims
from app.db import create_db_engine, make_session_factory
from app.models import Base, Claim, ClaimSummary, SearchDocument, StatusChange
from app.verification import service as verification
from app.verification.schemas import EvidenceIn, StatusChangeIn
from app.vocabulary import VerificationStatus
from tests.conftest import Claimtrack, CommandResult, _new_database

PASSPHRASE = "a-good-long-passphrase\n"
PROPOSED_TEXT = (
    "Kyiv, 3 April 2026.\n"
    'Jane Doe said "the bridge over the Dnipro river is closed."\n'
    '"We did not blow up the bridge," John Roe said.\n'
    "The ministry declined to comment.\n"
)


def ok(result: CommandResult) -> CommandResult:
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def new_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """New, empty databases of either kind, dropped after the test."""
    with ExitStack() as stack:
        yield lambda backend: stack.enter_context(_new_database(backend, tmp_path_factory))


def _engine(url: str) -> Engine:
    return create_db_engine(url)


def _with_session(url: str, work: Callable[[Session], None]) -> None:
    engine = _engine(url)
    try:
        with make_session_factory(engine)() as session:
            work(session)
            session.commit()
    finally:
        engine.dispose()


def _change_things(session: Session) -> None:
    """What the seeds lack: a verdict with evidence (a JSON column, unicode), a deleted claim."""
    claim = verification.claim_to_change(session, 1)
    verification.change_status(
        session,
        claim,
        StatusChangeIn(
            status=VerificationStatus.PARTLY_CONFIRMED,
            rationale="Подтверждено частично: the depot burned — who struck it is not established. 🔥",
            evidence=[
                EvidenceIn(source_id=1, note="Gladkov’s post"),
                EvidenceIn(url="https://example.org/ré", note=None),
            ],
        ),
        by="dana",
    )
    claims.delete_claim(session, claims.claim_for_change(session, 2), by="dana")


def _populate(claimtrack: Claimtrack, url: str, tmp_path: Path) -> None:
    ok(claimtrack(url, "seed"))
    _with_session(url, _change_things)
    # The review queue: proposals with their JSON chains and empty (NULL) columns.
    article = tmp_path / "article.txt"
    article.write_text(PROPOSED_TEXT, encoding="utf-8")
    ok(claimtrack(url, "add-source", str(article), "--title", "Brücke gesperrt", "--date", "2026-04-03"))
    ok(claimtrack(url, "users", "create", "dana", "--role", "editor", stdin=PASSPHRASE))
    ok(claimtrack(url, "tokens", "create", "dana", "--label", "dashboard ✓"))
    ok(claimtrack(url, "users", "disable", "dana"))


def _derived_counts(url: str) -> tuple[int, int, list[tuple[int, int, bool]]]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            documents = connection.scalar(select(func.count()).select_from(SearchDocument)) or 0
            changes = connection.scalar(select(func.count()).select_from(StatusChange)) or 0
            summaries = connection.execute(
                select(
                    ClaimSummary.claim_id, ClaimSummary.attribution_count, ClaimSummary.contested
                ).order_by(ClaimSummary.claim_id)
            ).all()
            return documents, changes, [tuple(row) for row in summaries]  # type: ignore[misc]
    finally:
        engine.dispose()


@pytest.mark.parametrize(("origin", "other"), [("sqlite", "postgresql"), ("postgresql", "sqlite")])
def test_a_backup_restores_into_the_other_database_and_writes_the_same_backup(
    origin: str, other: str, new_database: Callable[[str], str], claimtrack: Claimtrack, tmp_path: Path
) -> None:
    first, second, third = new_database(origin), new_database(other), new_database(origin)
    ok(claimtrack(first, "db", "upgrade"))
    _populate(claimtrack, first, tmp_path)
    files = [tmp_path / f"backup-{n}.ndjson" for n in (1, 2, 3)]

    ok(claimtrack(first, "export", "--with-secrets", "-o", str(files[0])))
    restored = ok(claimtrack(second, "import", str(files[0])))
    ok(claimtrack(second, "export", "--with-secrets", "-o", str(files[1])))
    ok(claimtrack(third, "import", str(files[1])))
    ok(claimtrack(third, "export", "--with-secrets", "-o", str(files[2])))

    header = json.loads(files[0].read_text(encoding="utf-8").splitlines()[0])
    assert all(header["tables"][name] > 0 for name in ("proposals", "users", "api_tokens", "audit_log"))
    assert files[1].read_bytes() == files[0].read_bytes()
    assert files[2].read_bytes() == files[0].read_bytes()
    assert "restored" in restored.stdout
    assert restored.stderr == ""  # no progress bar off a terminal
    text = files[0].read_text(encoding="utf-8")
    assert "Подтверждено частично" in text
    assert "🔥" in text
    assert "dashboard ✓" in text
    assert "$argon2" in text  # asked for: the accounts with their password hashes
    # The derived tables are rebuilt from what was restored, as the original holds them.
    assert _derived_counts(second) == _derived_counts(first)
    # Ids written explicitly do not collide with new ones (PostgreSQL's sequences moved past them).
    ok(claimtrack(second, "users", "create", "erin", "--role", "viewer", stdin=PASSPHRASE))
    users = ok(claimtrack(second, "users", "list")).stdout.splitlines()
    assert [line.split("\t")[0] for line in users] == ["dana", "erin"]


def test_the_restored_values_are_the_originals(
    new_database: Callable[[str], str], claimtrack: Claimtrack, tmp_path: Path
) -> None:
    """Times keep their instant and zone, flags stay flags, NULLs NULL, JSON its structure."""
    origin, restored = new_database("sqlite"), new_database("postgresql")
    ok(claimtrack(origin, "db", "upgrade"))
    _populate(claimtrack, origin, tmp_path)
    backup = tmp_path / "backup.ndjson"
    ok(claimtrack(origin, "export", "--with-secrets", "-o", str(backup)))
    ok(claimtrack(restored, "import", str(backup)))

    def rows(url: str) -> list[tuple[object, ...]]:
        engine = _engine(url)
        try:
            with engine.connect() as connection:
                claim = connection.execute(
                    select(Claim.id, Claim.deleted_at, Claim.updated_at, Claim.verification_status).order_by(
                        Claim.id
                    )
                ).all()
                history = connection.execute(select(StatusChange.evidence, StatusChange.changed_at)).all()
                return [tuple(row) for row in [*claim, *history]]
        finally:
            engine.dispose()

    original, copy = rows(origin), rows(restored)
    assert copy == original
    deleted = [row for row in copy if row[1] is not None and len(row) == 4]
    assert len(deleted) == 1
    deleted_at = deleted[0][1]
    assert isinstance(deleted_at, datetime)
    assert deleted_at.utcoffset() == timedelta(0)
    assert [row[0] for row in copy if len(row) == 2][-1] == [
        {"source_id": 1, "url": None, "note": "Gladkov’s post"},
        {"source_id": None, "url": "https://example.org/ré", "note": None},
    ]


def test_without_secrets_no_account_or_hash_leaves(
    fresh_database_url: str, claimtrack: Claimtrack, tmp_path: Path, new_database: Callable[[str], str]
) -> None:
    ok(claimtrack(fresh_database_url, "db", "upgrade"))
    _populate(claimtrack, fresh_database_url, tmp_path)
    backup = tmp_path / "backup.ndjson"
    ok(claimtrack(fresh_database_url, "export", "-o", str(backup)))
    text = backup.read_text(encoding="utf-8")
    header = json.loads(text.splitlines()[0])
    assert header["secrets"] is False
    assert not set(header["tables"]) & set(SECRET_TABLES)
    assert "$argon2" not in text
    assert "dashboard ✓" not in text  # the token's label: no token row at all

    target = new_database("sqlite")
    ok(claimtrack(target, "import", str(backup)))
    assert ok(claimtrack(target, "users", "list")).stdout.startswith("claimtrack: no accounts yet")


def test_every_table_of_the_schema_is_in_a_backup_unless_excluded_with_a_reason() -> None:
    """A table added to the schema is backed up (by construction), or named in EXCLUDED; each table's
    columns have a codec, and every reference is to one column (what the check of references reads)."""
    names = {table.name for table in Base.metadata.sorted_tables}
    backed_up = [table.name for table in backup_tables(with_secrets=True)]
    assert set(EXCLUDED) <= names
    assert set(SECRET_TABLES) <= set(backed_up)
    assert set(backed_up) == names - set(EXCLUDED)
    order = [table.name for table in Base.metadata.sorted_tables if table.name in backed_up]
    assert backed_up == order  # parents before children
    for table in backup_tables(with_secrets=True):
        assert len(codecs(table)) == len(table.columns)
        assert len(table.primary_key.columns) == 1, table.name
        for constraint in table.foreign_key_constraints:
            assert len(constraint.columns) == 1, constraint.name


# Bad files: a clear message, nothing written.


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """The lines of a backup of the seeded database (with secrets), to break."""
    from app.cli import main  # in-process, without the function-scoped fixture

    with _new_database("sqlite", tmp_path_factory) as url:
        path = tmp_path_factory.mktemp("backup") / "good.ndjson"
        with pytest.MonkeyPatch.context() as patch:
            from app.config import get_settings

            patch.setenv("DATABASE_URL", url)
            get_settings.cache_clear()
            try:
                assert main(["seed"]) == 0
                assert main(["export", "--with-secrets", "-o", str(path)]) == 0
            finally:
                get_settings.cache_clear()
        yield path.read_text(encoding="utf-8").splitlines(keepends=True)


def _line_of(lines: list[str], table: str, row_id: int) -> int:
    """The index of a table's row in the file's lines."""
    start = next(i for i, line in enumerate(lines) if line.startswith(f'{{"table":"{table}"'))
    return next(i for i in range(start + 1, len(lines)) if lines[i].startswith(f"[{row_id},"))


def _truncated_mid_line(lines: list[str]) -> list[str]:
    at = _line_of(lines, "attributions", 40)
    return [*lines[:at], lines[at][:30]]


def _truncated_at_a_line(lines: list[str]) -> list[str]:
    return lines[: _line_of(lines, "attributions", 40)]


def _other_version(lines: list[str]) -> list[str]:
    return [lines[0].replace("claimtrack-backup/1", "claimtrack-backup/2"), *lines[1:]]


def _other_revision(lines: list[str]) -> list[str]:
    return [lines[0].replace('"revision":"', '"revision":"9999-'), *lines[1:]]


def test_a_file_of_another_kind_is_not_a_backup(
    fresh_database_url: str, claimtrack: Claimtrack, tmp_path: Path
) -> None:
    path = tmp_path / "old-export.json"
    path.write_text('{\n  "format": "claimtrack-export/1",\n  "claims": []\n}\n', encoding="utf-8")
    result = claimtrack(fresh_database_url, "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("claimtrack: old-export.json is not a claimtrack backup: its first line")


def _missing_claim(lines: list[str]) -> list[str]:
    at = _line_of(lines, "attributions", 40)
    row = json.loads(lines[at])
    row[1] = 9_999  # claim_id
    return [*lines[:at], json.dumps(row) + "\n", *lines[at + 1 :]]


def _not_a_time(lines: list[str]) -> list[str]:
    at = _line_of(lines, "claims", 3)
    row = json.loads(lines[at])
    row[4] = "yesterday"  # created_at
    return [*lines[:at], json.dumps(row) + "\n", *lines[at + 1 :]]


def _unknown_affiliation(lines: list[str]) -> list[str]:
    at = _line_of(lines, "actors", 5)
    row = json.loads(lines[at])
    row[5] = 4_242  # affiliation_id: a later row of the same table, which is not there
    return [*lines[:at], json.dumps(row) + "\n", *lines[at + 1 :]]


BROKEN = {
    "truncated mid-line": (_truncated_mid_line, "is cut short (the file is truncated)"),
    "truncated at a line": (_truncated_at_a_line, "where its header says 87 (the file is truncated"),
    "another format version": (_other_version, "'claimtrack-backup/2'; this claimtrack reads"),
    "another schema revision": (_other_revision, "was written at schema revision '9999-"),
    "a reference to a missing row": (_missing_claim, "attributions id 40: claim_id refers to claims 9999"),
    "a value of the wrong type": (
        _not_a_time,
        'claims id 3: created_at is "yesterday", where a date and time',
    ),
    "a forward reference to a missing row": (
        _unknown_affiliation,
        "actors id 5: affiliation_id refers to actors 4242",
    ),
}


@pytest.mark.parametrize("breakage", list(BROKEN))
def test_a_broken_file_is_refused_by_line_and_record_and_nothing_is_written(
    breakage: str, good_backup: list[str], fresh_database_url: str, claimtrack: Claimtrack, tmp_path: Path
) -> None:
    broken, message = BROKEN[breakage]
    path = tmp_path / "broken.ndjson"
    lines = broken(good_backup)
    path.write_text("".join(lines), encoding="utf-8")

    result = claimtrack(fresh_database_url, "import", str(path))

    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.startswith("claimtrack: broken.ndjson line ")
    assert result.stderr.rstrip().endswith("nothing was imported.")
    assert "Traceback" not in result.stderr
    engine = _engine(fresh_database_url)
    try:
        with engine.connect() as connection:
            assert tables_holding_rows(connection, list(Base.metadata.tables)) == []
    finally:
        engine.dispose()


def test_the_line_number_is_the_broken_line(
    good_backup: list[str], fresh_database_url: str, claimtrack: Claimtrack, tmp_path: Path
) -> None:
    path = tmp_path / "broken.ndjson"
    path.write_text("".join(_missing_claim(good_backup)), encoding="utf-8")
    result = claimtrack(fresh_database_url, "import", str(path))
    assert f"line {_line_of(good_backup, 'attributions', 40) + 1}:" in result.stderr


def test_rows_the_database_refuses_together_are_refused_and_nothing_is_written(
    good_backup: list[str], fresh_database_url: str, claimtrack: Claimtrack, tmp_path: Path
) -> None:
    """A constraint between rows, which the check does not read: two claims with one slug."""
    lines = list(good_backup)
    first, second = _line_of(lines, "claims", 3), _line_of(lines, "claims", 4)
    row = json.loads(lines[second])
    row[1] = json.loads(lines[first])[1]  # slug
    lines[second] = json.dumps(row) + "\n"
    path = tmp_path / "twice.ndjson"
    path.write_text("".join(lines), encoding="utf-8")

    result = claimtrack(fresh_database_url, "import", str(path))

    assert result.exit_code == 1
    assert result.stderr.startswith("claimtrack: twice.ndjson: the database refused a row of the file (")
    assert "slug" in result.stderr
    assert result.stderr.rstrip().endswith("nothing was imported.")
    engine = _engine(fresh_database_url)
    try:
        with engine.connect() as connection:
            assert tables_holding_rows(connection, list(Base.metadata.tables)) == []
    finally:
        engine.dispose()


def test_a_database_that_holds_rows_is_refused(
    good_backup: list[str], fresh_database_url: str, claimtrack: Claimtrack, tmp_path: Path
) -> None:
    path = tmp_path / "good.ndjson"
    path.write_text("".join(good_backup), encoding="utf-8")
    ok(claimtrack(fresh_database_url, "import", str(path)))
    before = ok(claimtrack(fresh_database_url, "export", "--with-secrets")).stdout

    again = claimtrack(fresh_database_url, "import", str(path))

    assert again.exit_code == 1
    assert "holds rows already (in actors, " in again.stderr
    assert "nothing was imported" in again.stderr
    assert ok(claimtrack(fresh_database_url, "export", "--with-secrets")).stdout == before


def test_the_import_shows_a_progress_bar_on_a_terminal_only(
    good_backup: list[str],
    fresh_database_url: str,
    claimtrack: Claimtrack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "good.ndjson"
    path.write_text("".join(good_backup), encoding="utf-8")
    header = json.loads(good_backup[0])
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)

    result = ok(claimtrack(fresh_database_url, "import", str(path)))

    total = sum(header["tables"].values())
    assert f"\rrows {total:,}/{total:,} 100% [" in result.stderr
    assert "building the search index…" in result.stderr
