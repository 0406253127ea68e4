"""The seed loader: the real seeds load completely and idempotently; faulty seeds load nothing."""

import hashlib
import io
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.backup.dump import write_backup
from app.models import Actor, Attribution, Base, Claim, Source
from app.seeds import ANNOTATIONS_FILE, SOURCES_FILE, SeedError, seed
from tests.helpers import SEEDS_DIR, read_yaml, seed_text

Document = dict[str, Any]


def edit_yaml(seed_dir: Path, name: str, edit: Callable[[Document], None]) -> None:
    document = read_yaml(seed_dir, name)
    edit(document)
    (seed_dir / name).write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


def row_counts(session: Session) -> dict[str, int]:
    """How many rows every table of the schema holds."""
    return {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in Base.metadata.sorted_tables
    }


def expected_row_counts() -> dict[str, int]:
    """Every table's row count after loading the real seeds, derived from the YAML files."""
    sources = read_yaml(SEEDS_DIR, SOURCES_FILE)["sources"]
    annotations = read_yaml(SEEDS_DIR, ANNOTATIONS_FILE)
    actors, claims, attributions = annotations["actors"], annotations["claims"], annotations["attributions"]
    relations = sum(len(claim.get("related") or []) for claim in claims)
    status_changes = sum(1 for claim in claims if claim.get("status", "unverified") != "unverified")
    created_rows = len(sources) + len(actors) + len(claims) + relations + len(attributions)
    return {
        "sources": len(sources),
        "actors": len(actors),
        "actor_aliases": sum(len({actor["name"], *actor.get("aliases", [])}) for actor in actors),
        "claims": len(claims),
        "claim_relations": relations,
        "status_changes": status_changes,
        "attributions": len(attributions),
        "reporting_steps": sum(len(entry.get("via") or []) for entry in attributions),
        # One audit record per created row (aliases and steps belong to their parents' records),
        # and one per status change.
        "audit_log": created_rows + status_changes,
        # Seeds hold no accounts.
        "users": 0,
        "login_sessions": 0,
        "api_tokens": 0,
        "login_throttles": 0,
        # The search index: one document per source, actor, claim and statement (none is deleted).
        "search_documents": len(sources) + len(actors) + len(claims) + len(attributions),
        # Who stands where on each claim, counted.
        "claim_summaries": len(claims),
        # The seeds are the project's own reading: the extractor proposes nothing for them.
        "proposals": 0,
    }


def backup(session: Session) -> bytes:
    """The whole database as its backup (`claimtrack export --with-secrets`) holds it."""
    session.flush()
    written = io.BytesIO()
    write_backup(session.connection(), written, with_secrets=True)
    return written.getvalue()


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A private copy of the real seed directory, to break."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, copy)
    return copy


# The real seeds


def test_real_seeds_create_what_the_yaml_describes(empty_session: Session) -> None:
    expected = expected_row_counts()

    created = seed(empty_session, SEEDS_DIR)

    assert created == {
        "sources": expected["sources"],
        "actors": expected["actors"],
        "claims": expected["claims"],
        "relations": expected["claim_relations"],
        "attributions": expected["attributions"],
    }
    assert row_counts(empty_session) == expected


def test_loading_the_seeds_twice_changes_nothing(empty_session: Session) -> None:
    seed(empty_session, SEEDS_DIR)
    before = backup(empty_session)

    created = seed(empty_session, SEEDS_DIR)

    assert created == {"sources": 0, "actors": 0, "claims": 0, "relations": 0, "attributions": 0}
    assert backup(empty_session) == before
    assert row_counts(empty_session) == expected_row_counts()


def test_every_yaml_statement_is_in_the_database(session: Session) -> None:
    rows = session.execute(
        select(Source.file_name, Actor.slug, Claim.slug, Attribution.stance, Attribution.quote_exact)
        .join(Source, Source.id == Attribution.source_id)
        .join(Actor, Actor.id == Attribution.actor_id)
        .join(Claim, Claim.id == Attribution.claim_id)
    ).all()
    entries = read_yaml(SEEDS_DIR, ANNOTATIONS_FILE)["attributions"]

    assert Counter(tuple(row) for row in rows) == Counter(
        (e["source"], e["actor"], e["claim"], e["stance"], e["quote"]) for e in entries
    )


def test_every_quote_is_the_source_text_at_its_offsets(session: Session) -> None:
    rows = session.execute(
        select(Attribution, Source.text).join(Source, Source.id == Attribution.source_id)
    ).all()

    assert len(rows) == len(read_yaml(SEEDS_DIR, ANNOTATIONS_FILE)["attributions"])
    mismatches = [
        (attribution.id, attribution.quote_exact, text[attribution.quote_start : attribution.quote_end])
        for attribution, text in rows
        if text[attribution.quote_start : attribution.quote_end] != attribution.quote_exact
        or not text[: attribution.quote_start].endswith(attribution.quote_prefix)
        or not text[attribution.quote_end :].startswith(attribution.quote_suffix)
    ]
    assert mismatches == []


def test_source_texts_are_the_nfc_seed_files_and_hash_to_their_sha256(session: Session) -> None:
    files = [entry["file"] for entry in read_yaml(SEEDS_DIR, SOURCES_FILE)["sources"]]
    stored = {str(source.file_name): source for source in session.scalars(select(Source))}

    assert sorted(stored) == sorted(files)
    for file_name in files:
        text = seed_text(file_name)
        assert stored[file_name].text == text, file_name
        assert stored[file_name].sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest(), file_name


# Faulty seed directories: the error names the file and the entry, and nothing is written


def assert_nothing_written(session: Session) -> None:
    assert row_counts(session) == dict.fromkeys(row_counts(session), 0)


def load_failing(session: Session, seed_dir: Path) -> SeedError:
    with pytest.raises(SeedError) as caught:
        seed(session, seed_dir)
    assert_nothing_written(session)
    return caught.value


def append_attribution(seed_dir: Path, **changes: Any) -> int:
    """Append, as the LAST statement, a copy of the first one with `changes`; return its index."""
    entries = read_yaml(seed_dir, ANNOTATIONS_FILE)["attributions"]

    def edit(document: Document) -> None:
        document["attributions"].append({**entries[0], **changes})

    edit_yaml(seed_dir, ANNOTATIONS_FILE, edit)
    return len(entries)


def test_unknown_actor_is_named_and_nothing_is_written(empty_session: Session, seed_dir: Path) -> None:
    index = append_attribution(seed_dir, actor="sergei-nobody")
    first = read_yaml(SEEDS_DIR, ANNOTATIONS_FILE)["attributions"][0]

    error = load_failing(empty_session, seed_dir)

    assert error.problems == [
        f"annotations.yaml: attributions[{index}] (actor sergei-nobody, claim {first['claim']}, "
        f"source {first['source']}): unknown actor 'sergei-nobody'"
    ]
    assert f"annotations.yaml: attributions[{index}]" in error.message


def test_quote_missing_from_its_source_is_named_and_nothing_is_written(
    empty_session: Session, seed_dir: Path
) -> None:
    index = append_attribution(seed_dir, quote="Peskov said the talks were going splendidly.")

    error = load_failing(empty_session, seed_dir)

    (problem,) = error.problems
    assert problem.startswith(f"annotations.yaml: attributions[{index}] (actor dmitry-peskov, ")
    assert "“Peskov said the talks were going splendidly.” is not in the source text" in problem


def test_unknown_stance_is_named_and_nothing_is_written(empty_session: Session, seed_dir: Path) -> None:
    def edit(document: Document) -> None:
        document["attributions"][3]["stance"] = "rumoured"

    edit_yaml(seed_dir, ANNOTATIONS_FILE, edit)
    entry = read_yaml(SEEDS_DIR, ANNOTATIONS_FILE)["attributions"][3]

    error = load_failing(empty_session, seed_dir)

    (problem,) = error.problems
    assert problem.startswith(
        f"annotations.yaml: attributions[3] (actor {entry['actor']}, claim {entry['claim']}, "
        f"source {entry['source']}).stance: "
    )
    for stance in ("asserted", "confirmed", "denied", "disputed", "could_not_verify", "declined_to_comment"):
        assert f"'{stance}'" in problem


def test_unknown_related_claim_is_named_and_nothing_is_written(
    empty_session: Session, seed_dir: Path
) -> None:
    def edit(document: Document) -> None:
        last = document["claims"][-1]
        last["related"] = [*(last.get("related") or []), {"claim": "moon-landing-faked", "kind": "supports"}]

    edit_yaml(seed_dir, ANNOTATIONS_FILE, edit)
    claims = read_yaml(SEEDS_DIR, ANNOTATIONS_FILE)["claims"]

    error = load_failing(empty_session, seed_dir)

    assert error.problems == [
        f"annotations.yaml: claims[{len(claims) - 1}] ({claims[-1]['key']}).related: "
        "unknown claim 'moon-landing-faked'"
    ]


def test_a_verdict_the_tracker_refuses_is_named_and_nothing_is_written(
    empty_session: Session, seed_dir: Path
) -> None:
    claims = read_yaml(SEEDS_DIR, ANNOTATIONS_FILE)["claims"]
    index = next(
        number for number, claim in enumerate(claims) if claim.get("status", "unverified") != "unverified"
    )

    def edit(document: Document) -> None:
        document["claims"][index]["evidence"] = [{"url": "ftp://example.org/video"}]

    edit_yaml(seed_dir, ANNOTATIONS_FILE, edit)

    error = load_failing(empty_session, seed_dir)

    assert error.problems == [
        f"annotations.yaml: claims[{index}] ({claims[index]['key']}): evidence.0: "
        "'ftp://example.org/video' is not a web address: a link starts with http:// or https://."
    ]


def test_missing_text_file_is_named_and_nothing_is_written(empty_session: Session, seed_dir: Path) -> None:
    sources = read_yaml(SEEDS_DIR, SOURCES_FILE)["sources"]
    missing = sources[1]["file"]
    (seed_dir / missing).unlink()

    error = load_failing(empty_session, seed_dir)

    assert error.problems[0] == f"sources.yaml: sources[1] ({missing}): no such file in {seed_dir}"
    # Every statement in the missing source is named too, so that one run shows all the damage.
    entries = read_yaml(SEEDS_DIR, ANNOTATIONS_FILE)["attributions"]
    assert [p for p in error.problems if p.startswith("annotations.yaml: attributions[")] == [
        f"annotations.yaml: attributions[{index}] (actor {entry['actor']}, claim {entry['claim']}, "
        f"source {missing}): unknown source '{missing}'"
        for index, entry in enumerate(entries)
        if entry["source"] == missing
    ]


def test_invalid_yaml_names_the_file_and_the_line(empty_session: Session, seed_dir: Path) -> None:
    text = (seed_dir / ANNOTATIONS_FILE).read_text("utf-8")
    marker = "    stance: could_not_verify\n"
    line = text[: text.index(marker)].count("\n") + 1
    (seed_dir / ANNOTATIONS_FILE).write_text(text.replace(marker, "    stance: [could_not_verify\n", 1))

    error = load_failing(empty_session, seed_dir)

    (problem,) = error.problems
    assert problem.startswith(f"{seed_dir / ANNOTATIONS_FILE}: not valid YAML: ")
    assert f"line {line}, column 13" in problem


def test_a_sources_file_that_is_not_yaml_is_named(empty_session: Session, seed_dir: Path) -> None:
    (seed_dir / SOURCES_FILE).write_text("sources:\n  - file: 'unterminated\n", "utf-8")

    error = load_failing(empty_session, seed_dir)

    (problem,) = error.problems
    assert problem.startswith(f"{seed_dir / SOURCES_FILE}: not valid YAML: ")
