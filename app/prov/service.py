"""A claim's provenance as a W3C PROV document (https://www.w3.org/TR/prov-dm/), built with the `prov`
package, which writes it as PROV-JSON or PROV-N.

- Each statement is an entity attributed to its actor (an agent), derived through the reporting
  chain, one entity per intermediary's report attributed to that intermediary, into the source
  (the article, an entity) that carries it.
- Each change of the claim's verification status is an activity associated with the fact-checker (an
  agent), which used the claim and the cited evidence (sources, and links as entities located at their
  address) and generated the verdict, an entity that revises the verdict before it.

Actors, claims, sources and statements are named by their pages' absolute URLs (under the public
address); what has no page of its own (an intermediary's report, a status change, a verdict) by a
fragment of the document's own URL; claimtrack's own terms (`claimtrack:stance`, `claimtrack:medium`,
`claimtrack:Statement`, ...) are in the namespace `<public address>/ns/claimtrack#`.

A claim can carry many statements: a document holds one page of them (`limit`, `cursor`), and every
page holds the claim and its latest status changes.
"""

from dataclasses import dataclass
from typing import Literal

from prov.constants import PROV, PROV_LABEL, PROV_LOCATION, PROV_TYPE, PROV_VALUE
from prov.identifier import Namespace, QualifiedName
from prov.model import ProvDocument
from prov.model.records import AttributeValue
from sqlalchemy.orm import Session

from app.claims.service import live_claim
from app.models import Actor, Attribution, Claim, Source, StatusChange
from app.pagination import PageRequest, encode_cursor
from app.prov import repository
from app.seeds import SEED_USER
from app.urls import PublicUrls
from app.vocabulary import ActorKind, VerificationStatus

HISTORY_IN_DOCUMENT = 200
"""Status changes a document holds: the latest ones (a claim's history is one entry per decision)."""

ProvFormat = Literal["json", "provn"]
PROVN_MEDIA_TYPE = "text/provenance-notation"
Attributes = dict[QualifiedName | str, AttributeValue]
PROV_PERSON = PROV["Person"]
PROV_ORGANIZATION = PROV["Organization"]
PROV_SOFTWARE_AGENT = PROV["SoftwareAgent"]


@dataclass(frozen=True)
class ClaimProvenance:
    document: ProvDocument
    next_cursor: str | None


def _namespace(prefix: str, url: str, local: str) -> Namespace:
    """The namespace of a kind of page: a page's URL without its last part (the id or slug)."""
    assert url.endswith(local), (url, local)
    return Namespace(prefix, url[: -len(local)])


class _Builder:
    def __init__(self, claim: Claim, urls: PublicUrls) -> None:
        self.document = ProvDocument()
        self.vocabulary = self.document.add_namespace("claimtrack", urls.base.rstrip("/") + "/ns/claimtrack#")
        self.here = self.document.add_namespace("doc", urls("get_claim_prov", claim_id=claim.id) + "#")
        self.actors = self.document.add_namespace(_namespace("actor", urls("actor_page", slug="x"), "x"))
        self.claims = self.document.add_namespace(_namespace("claim", urls("claim_page", claim_id=1), "1"))
        self.sources = self.document.add_namespace(
            _namespace("source", urls("source_page", source_id=1), "1")
        )
        self.statements = self.document.add_namespace(
            _namespace("statement", urls("statement", attribution_id=1), "1")
        )
        self.declared: set[QualifiedName] = set()
        self.claim = self.claims[str(claim.id)]
        self.document.entity(
            self.claim,
            {
                PROV_TYPE: self.vocabulary["Claim"],
                PROV_LABEL: claim.text,
                self.vocabulary["verificationStatus"]: claim.verification_status,
            },
        )

    def _once(self, identifier: QualifiedName) -> bool:
        if identifier in self.declared:
            return False
        self.declared.add(identifier)
        return True

    def actor(self, actor: Actor) -> QualifiedName:
        identifier = self.actors[actor.slug]
        if self._once(identifier):
            kind = PROV_PERSON if actor.kind == ActorKind.PERSON else PROV_ORGANIZATION
            self.document.agent(
                identifier, {PROV_TYPE: kind, PROV_LABEL: actor.name, self.vocabulary["kind"]: actor.kind}
            )
        return identifier

    def account(self, user_name: str) -> QualifiedName:
        identifier = self.here[f"account-{user_name}"]
        if self._once(identifier):
            kind = PROV_SOFTWARE_AGENT if user_name == SEED_USER else PROV_PERSON
            self.document.agent(identifier, {PROV_TYPE: kind, PROV_LABEL: user_name})
        return identifier

    def source(self, source: Source) -> QualifiedName:
        identifier = self.sources[str(source.id)]
        if self._once(identifier):
            attributes: Attributes = {
                PROV_TYPE: self.vocabulary["Source"],
                PROV_LABEL: source.title,
                self.vocabulary["sha256"]: source.sha256,
            }
            if source.url:
                attributes[PROV_LOCATION] = source.url
            if source.outlet:
                attributes[self.vocabulary["outlet"]] = source.outlet
            if source.published_on:
                attributes[self.vocabulary["publishedOn"]] = source.published_on.isoformat()
            self.document.entity(identifier, attributes)
        return identifier

    def statement(self, attribution: Attribution) -> None:
        """The statement, attributed to its actor, derived step by step into its source."""
        identifier = self.statements[str(attribution.id)]
        attributes: Attributes = {
            PROV_TYPE: self.vocabulary["Statement"],
            PROV_VALUE: attribution.quote_exact,
            self.vocabulary["stance"]: attribution.stance,
            self.vocabulary["claim"]: self.claim,
            self.vocabulary["quoteStart"]: attribution.quote_start,
            self.vocabulary["quoteEnd"]: attribution.quote_end,
        }
        if attribution.medium:
            attributes[self.vocabulary["medium"]] = attribution.medium
        self.document.entity(identifier, attributes)
        self.document.wasAttributedTo(identifier, self.actor(attribution.actor))
        previous = identifier
        for step in attribution.via:
            report = self.here[f"report-{attribution.id}-{step.position + 1}"]
            medium = step.medium or "report"
            report_attributes: Attributes = {
                PROV_TYPE: self.vocabulary["Report"],
                PROV_LABEL: f"{step.actor.name}: {medium}",
            }
            if step.medium:
                report_attributes[self.vocabulary["medium"]] = step.medium
            self.document.entity(report, report_attributes)
            self.document.wasAttributedTo(report, self.actor(step.actor))
            self.document.wasDerivedFrom(report, previous)
            previous = report
        self.document.wasDerivedFrom(self.source(attribution.source), previous)

    def status_change(
        self, change: StatusChange, cited: dict[int, Source], before: QualifiedName | None
    ) -> QualifiedName:
        """The decision as an activity of the fact-checker that used the claim and the evidence, and
        generated the verdict."""
        activity = self.here[f"status-change-{change.id}"]
        attributes: Attributes = {
            PROV_TYPE: self.vocabulary["StatusChange"],
            self.vocabulary["toStatus"]: change.to_status,
            self.vocabulary["rationale"]: change.rationale,
        }
        if change.from_status:
            attributes[self.vocabulary["fromStatus"]] = change.from_status
        self.document.activity(activity, change.changed_at, change.changed_at, attributes)
        checker = self.account(change.changed_by)
        self.document.wasAssociatedWith(activity, checker)
        self.document.used(activity, self.claim)
        for index, item in enumerate(change.evidence, start=1):
            source_id = item.get("source_id")
            if isinstance(source_id, int) and source_id in cited:
                evidence = self.source(cited[source_id])
            elif item.get("url"):
                evidence = self.here[f"evidence-{change.id}-{index}"]
                evidence_attributes: Attributes = {
                    PROV_TYPE: self.vocabulary["Evidence"],
                    PROV_LOCATION: str(item["url"]),
                }
                if item.get("note"):
                    evidence_attributes[PROV_LABEL] = str(item["note"])
                self.document.entity(evidence, evidence_attributes)
            else:
                continue
            self.document.used(activity, evidence)
        verdict = self.here[f"verdict-{change.id}"]
        self.document.entity(
            verdict,
            {
                PROV_TYPE: self.vocabulary["Verdict"],
                PROV_VALUE: change.to_status,
                PROV_LABEL: VerificationStatus(change.to_status).label,
                self.vocabulary["claim"]: self.claim,
            },
        )
        self.document.wasGeneratedBy(verdict, activity, change.changed_at)
        self.document.wasAttributedTo(verdict, checker)
        if before is not None:
            self.document.wasRevisionOf(verdict, before)
        return verdict


def claim_provenance(
    session: Session, claim_id: int, page: PageRequest, *, urls: PublicUrls
) -> ClaimProvenance:
    """A claim's provenance (see the module) for one page of its statements, in id order; NotFound, or
    Gone for a deleted claim."""
    claim = live_claim(session, claim_id)
    statements = repository.claim_statements(session, claim.id, after_id=page.after_id, limit=page.limit)
    more = len(statements) > page.limit
    statements = statements[: page.limit]
    changes = repository.latest_changes(session, claim.id, limit=HISTORY_IN_DOCUMENT)
    cited_ids = {
        source_id
        for change in changes
        for item in change.evidence
        if isinstance(source_id := item.get("source_id"), int)
    }
    cited = repository.sources_by_ids(session, cited_ids)
    builder = _Builder(claim, urls)
    for attribution in statements:
        builder.statement(attribution)
    verdict: QualifiedName | None = None
    for change in changes:
        verdict = builder.status_change(change, cited, verdict)
    return ClaimProvenance(builder.document, encode_cursor(statements[-1].id) if more else None)


def serialize(document: ProvDocument, output: ProvFormat) -> str:
    """The document as PROV-JSON or PROV-N."""
    if output == "provn":
        return document.get_provn()
    text = document.serialize(format="json", indent=1)
    assert text is not None  # None only when it writes to a stream
    return text
