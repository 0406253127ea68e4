"""The services' rules: verbatim quotes, unique statements, folded aliases, status history, audit."""

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actors.schemas import ActorCreate
from app.actors.service import create_actor
from app.attributions.schemas import AttributionCreate, ReportingStepInput
from app.attributions.service import create_attribution
from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim, relate_claims
from app.errors import Conflict, InvalidQuote
from app.models import (
    Actor,
    ActorAlias,
    Attribution,
    AuditEntry,
    Claim,
    ClaimRelation,
    ReportingStep,
    Source,
    StatusChange,
)
from app.names import fold_name
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source, text_sha256
from app.verification.schemas import StatusChangeIn
from app.verification.service import InvalidStatusChange, change_status
from app.vocabulary import ActorKind, RelationKind, Stance
from tests.factories import status_change

USER = "fact-checker"
TEXT = (
    "Kremlin spokesman Dmitry Peskov said Putin was briefed.\n\n"
    "“Of course this cannot be perceived as creating comfortable conditions for continuing the talks,” "
    "Peskov said, Tass reported."
)
TALKS_QUOTE = (
    "“Of course this cannot be perceived as creating comfortable conditions for continuing the talks,”"
)


def make_source(session: Session, *, text: str = TEXT, title: str = "Peskov on the talks") -> Source:
    source, _is_new = ingest_source(session, SourceCreate(title=title, text=text, outlet="Newsweek"), by=USER)
    return source


def make_actor(session: Session, *, name: str = "Dmitry Peskov", **overrides: Any) -> Actor:
    fields: dict[str, Any] = {"kind": ActorKind.PERSON, "role": "Kremlin spokesman", **overrides}
    return create_actor(session, ActorCreate(name=name, **fields), by=USER)


def make_claim(
    session: Session,
    *,
    text: str = "The attack harms the conditions for continuing the peace talks.",
    slug: str | None = None,
) -> Claim:
    return create_claim(session, ClaimCreate(text=text), slug=slug, by=USER)


def statement(session: Session, **overrides: Any) -> AttributionCreate:
    """A valid attribution input: Peskov asserts the talks claim with his quoted words."""
    fields: dict[str, Any] = {"stance": Stance.ASSERTED, "quote": TALKS_QUOTE, **overrides}
    claim = fields.pop("claim", None) or make_claim(session)
    actor = fields.pop("actor", None) or make_actor(session)
    source = fields.pop("source", None) or make_source(session)
    session.flush()
    return AttributionCreate(claim_id=claim.id, actor=actor.id, source_id=source.id, **fields)


def count(session: Session, model: type[Any]) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def audit_entries(session: Session, object_type: str, object_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
            .order_by(AuditEntry.id)
        )
    )


# Attributions


def test_create_attribution_anchors_the_quote_and_keeps_the_chain_in_order(empty_session: Session) -> None:
    tass = make_actor(empty_session, name="TASS", kind=ActorKind.OUTLET, role=None)
    newsweek = make_actor(empty_session, name="Newsweek", kind=ActorKind.OUTLET, role=None)
    start = TEXT.index(TALKS_QUOTE)

    attribution = create_attribution(
        empty_session,
        statement(
            empty_session,
            medium="statement to reporters",
            via=[
                ReportingStepInput(actor=tass.id, medium="news agency report"),
                ReportingStepInput(actor=newsweek.id),
            ],
        ),
        by=USER,
    )

    assert (attribution.quote_start, attribution.quote_end) == (start, start + len(TALKS_QUOTE))
    assert attribution.quote_exact == TALKS_QUOTE
    assert attribution.quote_prefix == TEXT[start - 32 : start]
    assert attribution.quote_suffix == TEXT[start + len(TALKS_QUOTE) :][:32]
    steps = empty_session.scalars(
        select(ReportingStep).where(ReportingStep.attribution_id == attribution.id).order_by(ReportingStep.id)
    ).all()
    assert [(step.position, step.actor_id, step.medium) for step in steps] == [
        (0, tass.id, "news agency report"),
        (1, newsweek.id, None),
    ]


def test_create_attribution_accepts_the_exact_text_at_given_offsets(empty_session: Session) -> None:
    start = TEXT.index(TALKS_QUOTE)

    attribution = create_attribution(
        empty_session,
        statement(empty_session, quote_start=start, quote_end=start + len(TALKS_QUOTE)),
        by=USER,
    )

    assert (attribution.quote_start, attribution.quote_end) == (start, start + len(TALKS_QUOTE))


def test_quote_that_is_not_the_text_at_its_offsets_fails_and_writes_nothing(empty_session: Session) -> None:
    start = TEXT.index(TALKS_QUOTE)
    wrong = statement(empty_session, quote_start=start + 1, quote_end=start + 1 + len(TALKS_QUOTE))
    attributions, audits = count(empty_session, Attribution), count(empty_session, AuditEntry)

    with pytest.raises(InvalidQuote) as caught:
        create_attribution(empty_session, wrong, by=USER)

    assert TEXT[start + 1 : start + 1 + len(TALKS_QUOTE)][:79] in caught.value.message
    assert caught.value.details["source_text_at_offsets"] == TEXT[start + 1 : start + 1 + len(TALKS_QUOTE)]
    assert count(empty_session, Attribution) == attributions == 0
    assert count(empty_session, AuditEntry) == audits
    assert count(empty_session, ReportingStep) == 0


def test_paraphrase_that_is_not_in_the_source_fails_and_writes_nothing(empty_session: Session) -> None:
    paraphrase = statement(empty_session, quote="Peskov said the attack does not help the talks.")
    audits = count(empty_session, AuditEntry)

    with pytest.raises(InvalidQuote, match="is not in the source text"):
        create_attribution(empty_session, paraphrase, by=USER)

    assert count(empty_session, Attribution) == 0
    assert count(empty_session, AuditEntry) == audits


def test_the_same_statement_twice_is_a_conflict(empty_session: Session) -> None:
    first = statement(empty_session)
    create_attribution(empty_session, first, by=USER)
    audits = count(empty_session, AuditEntry)

    with pytest.raises(Conflict) as caught:
        create_attribution(empty_session, first, by=USER)

    start = TEXT.index(TALKS_QUOTE)
    assert caught.value.message == (
        f"Dmitry Peskov's statement at {start}–{start + len(TALKS_QUOTE)} of this source "
        "is already attributed to this claim."
    )
    assert count(empty_session, Attribution) == 1
    assert count(empty_session, AuditEntry) == audits


def test_the_same_span_with_another_stance_is_still_the_same_statement(empty_session: Session) -> None:
    first = statement(empty_session)
    create_attribution(empty_session, first, by=USER)

    with pytest.raises(Conflict):
        create_attribution(empty_session, first.model_copy(update={"stance": Stance.DISPUTED}), by=USER)


# Actors


def test_create_actor_stores_the_name_and_aliases_folded(empty_session: Session) -> None:
    actor = make_actor(
        empty_session, name="Julian Röpcke", role="Bild reporter", aliases=["Roepcke", " Ropcke ", "Roepcke"]
    )

    aliases = empty_session.scalars(
        select(ActorAlias).where(ActorAlias.actor_id == actor.id).order_by(ActorAlias.id)
    ).all()
    assert [(a.alias, a.name_key, a.is_name) for a in aliases] == [
        ("Julian Röpcke", "julian ropcke", True),
        ("Roepcke", "ropcke", False),
        ("Ropcke", "ropcke", False),
    ]
    assert actor.slug == "julian-ropcke"
    assert actor.other_names == ["Roepcke", "Ropcke"]
    assert fold_name("Julian Roepcke") == aliases[0].name_key


def test_create_actor_refuses_a_taken_slug(empty_session: Session) -> None:
    make_actor(empty_session)

    with pytest.raises(Conflict, match="'dmitry-peskov' exists already"):
        make_actor(empty_session)


# Claims and their status


def test_set_status_refuses_evidence_of_an_unknown_source_and_writes_nothing(
    empty_session: Session,
) -> None:
    claim = make_claim(empty_session)
    audits = count(empty_session, AuditEntry)
    change = StatusChangeIn.model_validate(
        {
            "status": "false",
            "rationale": "Refuted.",
            "evidence": [{"url": "https://example.org/video"}, {"source_id": 999_999}],
        }
    )

    with pytest.raises(InvalidStatusChange) as refused:
        change_status(empty_session, claim, change, by=USER)

    assert refused.value.errors == {"evidence.1": "There is no source 999999 in the tracker."}

    assert claim.verification_status == "unverified"
    assert count(empty_session, StatusChange) == 0
    assert count(empty_session, AuditEntry) == audits


def test_set_status_appends_to_the_history(empty_session: Session) -> None:
    claim = make_claim(empty_session)
    source = make_source(empty_session)

    change_status(empty_session, claim, status_change("in_review", "Checking the video."), by=USER)
    change_status(
        empty_session,
        claim,
        status_change(
            "unconfirmed",
            "  Only Peskov says so.  ",
            {"source_id": source.id, "note": " Tass "},
            {"url": " https://example.org/video"},
        ),
        by="editor",
    )

    changes = empty_session.scalars(
        select(StatusChange).where(StatusChange.claim_id == claim.id).order_by(StatusChange.id)
    ).all()
    assert [(c.from_status, c.to_status, c.rationale, c.changed_by) for c in changes] == [
        ("unverified", "in_review", "Checking the video.", USER),
        ("in_review", "unconfirmed", "Only Peskov says so.", "editor"),
    ]
    assert changes[1].evidence == [
        {"source_id": source.id, "url": None, "note": "Tass"},
        {"source_id": None, "url": "https://example.org/video", "note": None},
    ]
    assert claim.verification_status == "unconfirmed"


def test_set_status_is_audited_in_the_same_transaction(empty_session: Session) -> None:
    claim = make_claim(empty_session)
    unit_of_work = empty_session.begin_nested()

    change_status(empty_session, claim, status_change("false", "Refuted by video."), by=USER)

    (audit,) = [e for e in audit_entries(empty_session, "claims", claim.id) if e.action == "status_change"]
    assert audit.user_name == USER
    assert audit.before is not None
    assert audit.after is not None
    assert audit.before["verification_status"] == "unverified"
    assert audit.after["verification_status"] == "false"

    # Rolling the unit of work back takes the change, its history entry and its audit record together.
    unit_of_work.rollback()
    assert empty_session.get(Claim, claim.id) is not None
    assert empty_session.scalar(select(Claim.verification_status).where(Claim.id == claim.id)) == "unverified"
    assert count(empty_session, StatusChange) == 0
    assert [e.action for e in audit_entries(empty_session, "claims", claim.id)] == ["create"]


# Audit: one record per create, with the values after


def test_every_create_writes_exactly_one_audit_entry_with_after_values(empty_session: Session) -> None:
    source = make_source(empty_session)
    actor = make_actor(empty_session)
    claim = make_claim(empty_session, slug="talks-hampered")
    other = make_claim(empty_session, text="The peace talks go on as planned.", slug="talks-go-on")
    relation = relate_claims(empty_session, other, claim, RelationKind.CONTRADICTS, by=USER)
    attribution = create_attribution(
        empty_session, statement(empty_session, claim=claim, actor=actor, source=source), by=USER
    )

    created = [
        ("sources", source.id),
        ("actors", actor.id),
        ("claims", claim.id),
        ("claims", other.id),
        ("claim_relations", relation.id),
        ("attributions", attribution.id),
    ]
    assert count(empty_session, AuditEntry) == len(created)
    afters: dict[tuple[str, int], dict[str, Any]] = {}
    for object_type, object_id in created:
        (entry,) = audit_entries(empty_session, object_type, object_id)
        assert (entry.action, entry.user_name, entry.before) == ("create", USER, None)
        assert entry.after is not None
        assert entry.after["id"] == object_id
        afters[object_type, object_id] = entry.after

    assert afters["sources", source.id]["sha256"] == text_sha256(TEXT)
    assert "text" not in afters["sources", source.id]  # the hash stands for the text; no second copy
    assert afters["actors", actor.id]["slug"] == "dmitry-peskov"
    assert afters["actors", actor.id]["name"] == "Dmitry Peskov"
    assert afters["claims", claim.id]["slug"] == "talks-hampered"
    assert afters["claims", claim.id]["verification_status"] == "unverified"
    assert (afters["claim_relations", relation.id]["kind"]) == "contradicts"
    assert afters["attributions", attribution.id]["quote_exact"] == TALKS_QUOTE
    assert afters["attributions", attribution.id]["stance"] == "asserted"
    assert afters["attributions", attribution.id]["via"] == []


def test_ingesting_the_same_text_again_creates_nothing(empty_session: Session) -> None:
    first = make_source(empty_session)

    again, is_new = ingest_source(
        empty_session, SourceCreate(title="Another title", text=TEXT.replace("\n", "\r\n")), by="someone"
    )

    assert (again.id, is_new) == (first.id, False)
    assert count(empty_session, Source) == 1
    assert count(empty_session, AuditEntry) == 1


def test_create_claim_refuses_a_taken_slug(empty_session: Session) -> None:
    make_claim(empty_session, slug="talks-hampered")

    with pytest.raises(Conflict, match="'talks-hampered' exists already"):
        make_claim(empty_session, text="Something else entirely.", slug="talks-hampered")

    assert count(empty_session, Claim) == 1
    assert count(empty_session, ClaimRelation) == 0
