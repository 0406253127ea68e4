"""Importing Web Annotations as statements: claimtrack's own (a round trip), Hypothesis's, quotes that
moved, and files or annotations that cannot be imported, each said why."""

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.annotations.reading import AnnotationFileError, read_annotations
from app.annotations.service import ImportReport, import_annotations
from app.attributions.service import attribution_for_change, delete_attribution
from app.models import Attribution, Source
from tests.annotations.test_api import get_annotation, kuleba_statement
from tests.helpers import get_json

STATEMENT_FIELDS = (
    "stance",
    "quote",
    "quote_start",
    "quote_end",
    "quote_prefix",
    "quote_suffix",
    "medium",
    "note",
)


def remove(session: Session, attribution_id: int) -> None:
    """Take a statement out of the database altogether (not a soft deletion, which keeps its place)."""
    attribution = session.scalars(
        select(Attribution).where(Attribution.id == attribution_id).options(selectinload(Attribution.via))
    ).one()
    session.delete(attribution)
    session.flush()


def statement_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Attribution)) or 0


def same_statement(before: dict[str, Any], after: dict[str, Any]) -> None:
    assert {field: after[field] for field in STATEMENT_FIELDS} == {
        field: before[field] for field in STATEMENT_FIELDS
    }
    assert after["actor"]["slug"] == before["actor"]["slug"]
    assert after["claim"]["id"] == before["claim"]["id"]
    assert after["source"]["id"] == before["source"]["id"]
    assert [(step["actor"]["slug"], step["medium"]) for step in after["via"]] == [
        (step["actor"]["slug"], step["medium"]) for step in before["via"]
    ]


def only(report: ImportReport) -> tuple[str, str, int | None]:
    (result,) = report.results
    return result.outcome, result.message, result.attribution_id


def test_an_exported_annotation_imports_as_the_same_statement(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    statement = kuleba_statement(client)
    annotation = get_annotation(client, f"/api/v1/attributions/{statement['id']}/annotation")
    remove(session, statement["id"])

    outcome, message, attribution_id = only(import_annotations(session, annotation, by="importer"))

    assert outcome == "imported", message
    assert message == (
        f"imported as attribution {attribution_id} (source {statement['source']['id']}, at "
        f"{statement['quote_start']}–{statement['quote_end']})"
    )
    same_statement(statement, get_json(client, f"/api/v1/attributions/{attribution_id}"))
    # Through the one write path: the audit log says who imported it.
    again = get_annotation(client, f"/api/v1/attributions/{attribution_id}/annotation")
    assert again["creator"] == {"type": "Person", "nickname": "importer"}

    # A second import of the same file finds it recorded, and writes nothing.
    count = statement_count(session)
    assert only(import_annotations(session, annotation, by="importer")) == (
        "recorded",
        f"recorded already, as attribution {attribution_id}",
        attribution_id,
    )
    assert statement_count(session) == count


def test_a_note_travels_as_the_annotation_s_comment(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    (statement,) = [
        item
        for item in get_json(client, "/api/v1/attributions?actor=russian-government&limit=200")["items"]
        if item["note"] and item["via"]
    ][:1]
    annotation = get_annotation(client, f"/api/v1/attributions/{statement['id']}/annotation")
    assert {
        "type": "TextualBody",
        "purpose": "commenting",
        "value": statement["note"],
        "format": "text/plain",
    } in (annotation["body"])
    remove(session, statement["id"])
    outcome, message, attribution_id = only(import_annotations(session, annotation, by="importer"))
    assert outcome == "imported", message
    same_statement(statement, get_json(client, f"/api/v1/attributions/{attribution_id}"))


def test_a_quote_whose_position_moved_is_re_anchored_by_its_quote(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    statement = kuleba_statement(client)
    annotation = get_annotation(client, f"/api/v1/attributions/{statement['id']}/annotation")
    moved = copy.deepcopy(annotation)
    position = moved["target"]["selector"][1]
    position["start"], position["end"] = statement["quote_start"] - 40, statement["quote_end"] - 40
    remove(session, statement["id"])

    outcome, message, attribution_id = only(import_annotations(session, moved, by="importer"))

    assert outcome == "imported", message
    assert message.endswith(
        f"re-anchored by its quote from {position['start']}–{position['end']} to "
        f"{statement['quote_start']}–{statement['quote_end']})"
    )
    same_statement(statement, get_json(client, f"/api/v1/attributions/{attribution_id}"))


def test_a_soft_deleted_statement_is_not_imported_again(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    statement = kuleba_statement(client)
    annotation = get_annotation(client, f"/api/v1/attributions/{statement['id']}/annotation")
    delete_attribution(session, attribution_for_change(session, statement["id"]), by="test")
    session.flush()
    outcome, message, _id = only(import_annotations(session, annotation, by="importer"))
    assert outcome == "failed"
    assert message.endswith("which was deleted: an administrator can restore it.")


def hypothesis_row(
    url: str, quote: str, prefix: str, suffix: str, start: int, tags: list[str]
) -> dict[str, Any]:
    """An annotation as Hypothesis's API gives it: its positions count the page as the browser laid it
    out (here 1,000 characters further on), and a RangeSelector claimtrack cannot use."""
    return {
        "id": "Zx4mQm3eEe6",
        "created": "2022-04-02T10:00:00.000000+00:00",
        "updated": "2022-04-02T10:00:00.000000+00:00",
        "user": "acct:alice@hypothes.is",
        "uri": url,
        "text": "Kuleba would neither confirm nor deny.",
        "tags": tags,
        "group": "__world__",
        "target": [
            {
                "source": url,
                "selector": [
                    {
                        "type": "RangeSelector",
                        "startContainer": "/div[1]/p[3]",
                        "startOffset": 0,
                        "endContainer": "/div[1]/p[3]",
                        "endOffset": 40,
                    },
                    {"type": "TextPositionSelector", "start": start + 1000, "end": start + 1000 + len(quote)},
                    {"type": "TextQuoteSelector", "exact": quote, "prefix": prefix, "suffix": suffix},
                ],
            }
        ],
        "document": {"title": ["An article"]},
        "links": {"html": "https://hypothes.is/a/Zx4mQm3eEe6"},
    }


@pytest.mark.parametrize("shape", ["api", "export", "list", "single"])
def test_hypothesis_annotations_import_by_their_tags(
    client_and_session: tuple[TestClient, Session], shape: str
) -> None:
    client, session = client_and_session
    statement = kuleba_statement(client)
    url = "https://news.example.org/belgorod-depot"
    session.get_one(Source, statement["source"]["id"]).url = url
    remove(session, statement["id"])
    row = hypothesis_row(
        url,
        statement["quote"],
        statement["quote_prefix"][-12:],
        statement["quote_suffix"][:12],
        statement["quote_start"],
        # Names as a person tags them: any alias, the stance in words, the claim by its words.
        [
            "belgorod",
            "actor:Kuleba",
            "stance:could not verify",
            "claim:two ukrainian military helicopters struck",
            "via:Reuters",
        ],
    )
    document: Any = {
        "api": {"total": 1, "rows": [row]},
        "export": {"export_date": "2022-04-03T00:00:00Z", "annotations": [row]},
        "list": [row],
        "single": row,
    }[shape]

    outcome, message, attribution_id = only(import_annotations(session, document, by="importer"))

    assert outcome == "imported", message
    imported = get_json(client, f"/api/v1/attributions/{attribution_id}")
    same_statement(
        {
            **statement,
            "note": "Kuleba would neither confirm nor deny.",
            "via": [{"actor": {"slug": "reuters"}, "medium": None}],
        },
        imported,
    )


def test_each_annotation_that_cannot_be_imported_is_reported_and_writes_nothing(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    statement = kuleba_statement(client)
    good = get_annotation(client, f"/api/v1/attributions/{statement['id']}/annotation")
    remove(session, statement["id"])

    def variant(**changes: Any) -> dict[str, Any]:
        annotation = copy.deepcopy(good)
        annotation.update(changes)
        return annotation

    def with_tags(*tags: str) -> dict[str, Any]:
        body = [b for b in good["body"] if b.get("purpose") != "tagging"]
        return variant(
            body=body + [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in tags]
        )

    def with_target(**target: Any) -> dict[str, Any]:
        return variant(target={**good["target"], **target})

    claim = f"claim:{statement['claim']['id']}"
    quote_only = [{"type": "TextQuoteSelector", "exact": "helicopters", "prefix": "", "suffix": ""}]
    annotations = [
        "not an annotation",
        with_target(source="https://nowhere.example.org/article"),
        with_target(source="urn:sha256:" + "0" * 64),
        with_target(
            selector=[
                {"type": "TextQuoteSelector", "exact": "words no source has", "prefix": "", "suffix": ""}
            ]
        ),
        with_target(selector=quote_only),
        with_target(selector=[{"type": "FragmentSelector", "value": "para3"}]),
        variant(target=None),
        with_tags("actor:dmytro-kuleba", claim),
        with_tags("actor:dmytro-kuleba", "stance:believed", claim),
        with_tags("actor:nobody-of-that-name", "stance:asserted", claim),
        with_tags("actor:dmytro-kuleba", "stance:asserted", "claim:999999"),
        with_tags("actor:dmytro-kuleba", "actor:reuters", "stance:asserted", claim),
        good,
    ]
    count = statement_count(session)
    source = statement["source"]["id"]

    report = import_annotations(session, annotations, by="importer")

    reasons = [(result.label, result.outcome, result.message) for result in report.results]
    assert reasons[:12] == [
        ("annotation 1", "failed", "it is not an annotation (a JSON object)."),
        (
            f"annotation 2 ({good['id']})",
            "failed",
            "no source on record is at https://nowhere.example.org/article: add the source first (its URL, "
            "or the same text, whose SHA-256 a urn:sha256: target names).",
        ),
        (
            f"annotation 3 ({good['id']})",
            "failed",
            f"no source on record is at urn:sha256:{'0' * 64}: add the source first (its URL, or the same "
            "text, whose SHA-256 a urn:sha256: target names).",
        ),
        (
            f"annotation 4 ({good['id']})",
            "failed",
            f"its quote could not be anchored in source {source}: The quote “words no source has” is not "
            "in the source text: a quote must be a verbatim copy, including its punctuation and quotation "
            "marks.",
        ),
        (
            f"annotation 5 ({good['id']})",
            "failed",
            f"its quote could not be anchored in source {source}: The quote “helicopters” appears "
            f"{session.get_one(Source, source).text.count('helicopters')} times in the source, and its "
            "prefix and suffix fit all of them equally: it cannot be told which is meant.",
        ),
        (
            f"annotation 6 ({good['id']})",
            "failed",
            "its target has no TextQuoteSelector or TextPositionSelector: there is no quote to anchor.",
        ),
        (
            f"annotation 7 ({good['id']})",
            "failed",
            "it names no target: a Web Annotation's `target` is the source it annotates.",
        ),
        (
            f"annotation 8 ({good['id']})",
            "failed",
            "it does not say its stance: tag it stance:… (see `claimtrack import-annotations --help`).",
        ),
        (
            f"annotation 9 ({good['id']})",
            "failed",
            "the tag stance:believed names no stance; the stances are asserted, confirmed, denied, disputed, "
            "could_not_verify, declined_to_comment.",
        ),
        (
            f"annotation 10 ({good['id']})",
            "failed",
            "actor: no actor is called “nobody-of-that-name”. Check the spelling, or create the actor first.",
        ),
        (
            f"annotation 11 ({good['id']})",
            "failed",
            "the claim tag: There is no claim 999999, and no claim has the words “999999”: check the "
            "spelling, or type fewer words.",
        ),
        (
            f"annotation 12 ({good['id']})",
            "failed",
            "it has two actor tags (actor:dmytro-kuleba and actor:reuters); keep one.",
        ),
    ]
    assert reasons[12][1] == "imported"
    assert statement_count(session) == count + 1


def test_a_file_that_holds_no_annotations_is_refused_whole() -> None:
    for document in (
        {"hello": "world"},
        42,
        "annotations",
        {"type": "AnnotationCollection", "first": "https://x/1"},
    ):
        with pytest.raises(AnnotationFileError):
            read_annotations(document)
    assert read_annotations({"type": "AnnotationCollection", "total": 0}) == []
