"""`claimtrack import-annotations FILE [--check]` against a new database, in-process."""

import json
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.annotations.service import attribution_annotation
from app.db import create_db_engine, make_session_factory
from app.models import Attribution
from app.urls import PublicUrls
from tests.conftest import Claimtrack

KULEBA = "Ukrainian Foreign Minister Dmytro Kuleba said he could not confirm or deny"


def test_import_annotations_from_the_command_line(
    claimtrack: Claimtrack, fresh_database_url: str, seeded_app: FastAPI, tmp_path: Path
) -> None:
    assert claimtrack(fresh_database_url, "seed").exit_code == 0
    engine = create_db_engine(fresh_database_url)
    sessions = make_session_factory(engine)
    urls = PublicUrls(seeded_app.state.paths, "http://127.0.0.1:8000")
    with sessions() as session:
        attribution = session.scalars(
            select(Attribution)
            .where(Attribution.quote_exact.startswith(KULEBA))
            .options(selectinload(Attribution.via))
        ).one()
        statement = (
            attribution.actor_id,
            attribution.claim_id,
            attribution.quote_start,
            attribution.quote_end,
        )
        exported = attribution_annotation(session, attribution.id, urls=urls).model_dump(
            mode="json", by_alias=True, exclude_none=True
        )
        session.delete(attribution)
        session.commit()
        count = session.scalar(select(func.count()).select_from(Attribution)) or 0
    exported["target"]["selector"][1]["start"] += 7  # the position moved; the quote still fits
    exported["target"]["selector"][1]["end"] += 7
    path = tmp_path / "annotations.json"
    path.write_text(json.dumps({"type": "AnnotationPage", "items": [exported, {"target": "urn:sha256:00"}]}))

    checked = claimtrack(fresh_database_url, "import-annotations", str(path), "--check")
    assert checked.exit_code == 1
    assert checked.stderr == (
        "annotation 2: not imported: its target has no TextQuoteSelector or TextPositionSelector: there is "
        "no quote to anchor.\n"
    )
    assert checked.stdout.endswith(
        f"claimtrack: 2 annotations in {path}: 1 would be imported, 0 recorded already, 1 not imported "
        "(--check: nothing was written).\n"
    )
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Attribution)) == count

    imported = claimtrack(fresh_database_url, "import-annotations", str(path))
    assert imported.exit_code == 1
    assert "re-anchored by its quote from" in imported.stdout
    assert imported.stdout.endswith("1 imported, 0 recorded already, 1 not imported.\n")
    with sessions() as session:
        back = session.scalars(select(Attribution).where(Attribution.quote_exact.startswith(KULEBA))).one()
        assert (back.actor_id, back.claim_id, back.quote_start, back.quote_end) == statement
        assert session.scalar(select(func.count()).select_from(Attribution)) == count + 1
    engine.dispose()

    path.write_text(json.dumps(exported))
    again = claimtrack(fresh_database_url, "import-annotations", str(path))
    assert again.exit_code == 0
    assert again.stdout.endswith(
        "1 annotations in " + str(path) + ": 0 imported, 1 recorded already, 0 not imported.\n"
    )


def test_files_that_are_not_annotations_are_refused_with_what_is_wrong(
    claimtrack: Claimtrack, fresh_database_url: str, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.json"
    result = claimtrack(fresh_database_url, "import-annotations", str(missing))
    assert (result.exit_code, result.stderr) == (
        1,
        f"claimtrack: cannot read {missing}: No such file or directory.\n",
    )

    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "Annotation",')
    result = claimtrack(fresh_database_url, "import-annotations", str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"claimtrack: {broken} is not JSON (Expecting property name enclosed in double"
    )
    assert result.stderr.endswith("); nothing was imported.\n")

    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"text": "Röpcke"}'.encode("latin-1"))
    result = claimtrack(fresh_database_url, "import-annotations", str(latin1))
    assert (result.exit_code, result.stderr) == (
        1,
        f"claimtrack: {latin1} is not text in UTF-8, as JSON must be; nothing was imported.\n",
    )

    shapeless = tmp_path / "shapeless.json"
    shapeless.write_text('{"hello": "world"}')
    result = claimtrack(fresh_database_url, "import-annotations", str(shapeless))
    assert result.exit_code == 1
    assert result.stderr == (
        f"claimtrack: {shapeless}: The file holds no annotations: it should be one Web Annotation, a list of "
        'them, an AnnotationCollection or AnnotationPage, or a Hypothesis export ({"rows": [...]} or '
        '{"annotations": [...]}). Nothing was imported.\n'
    )
