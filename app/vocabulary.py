"""The fixed vocabularies of the domain: stances, verification statuses, actor kinds, claim relations."""

from dataclasses import dataclass
from enum import StrEnum


class Stance(StrEnum):
    """An actor's position on a claim, as one source reports it."""

    ASSERTED = "asserted"
    CONFIRMED = "confirmed"
    DENIED = "denied"
    DISPUTED = "disputed"
    COULD_NOT_VERIFY = "could_not_verify"
    DECLINED_TO_COMMENT = "declined_to_comment"

    @property
    def label(self) -> str:
        return STANCE_LABELS[self]

    @property
    def heading(self) -> str:
        """How a claim page titles the group of actors taking this stance."""
        return STANCE_HEADINGS[self]


STANCE_LABELS: dict[Stance, str] = {
    Stance.ASSERTED: "asserted",
    Stance.CONFIRMED: "confirmed",
    Stance.DENIED: "denied",
    Stance.DISPUTED: "disputed",
    Stance.COULD_NOT_VERIFY: "could not verify",
    Stance.DECLINED_TO_COMMENT: "declined to comment",
}

STANCE_HEADINGS: dict[Stance, str] = {
    Stance.ASSERTED: "Asserted by",
    Stance.CONFIRMED: "Confirmed by",
    Stance.DENIED: "Denied by",
    Stance.DISPUTED: "Disputed by",
    Stance.COULD_NOT_VERIFY: "Could not verify",
    Stance.DECLINED_TO_COMMENT: "Declined to comment",
}

SUPPORTING_STANCES = frozenset({Stance.ASSERTED, Stance.CONFIRMED})
OPPOSING_STANCES = frozenset({Stance.DENIED, Stance.DISPUTED})


def is_contested(stances: set[Stance] | frozenset[Stance]) -> bool:
    """A claim is contested when someone supports it and someone denies or disputes it."""
    return bool(stances & SUPPORTING_STANCES) and bool(stances & OPPOSING_STANCES)


@dataclass(frozen=True)
class StatusInfo:
    label: str
    description: str
    claim_review_rating: int | None
    """schema.org ClaimReview reviewRating.ratingValue on a 1 (false) to 5 (true) scale; None: not rated."""
    claim_review_name: str


class VerificationStatus(StrEnum):
    """A fact-checker's verdict on a claim; a separate axis from the stances actors take."""

    UNVERIFIED = "unverified"
    IN_REVIEW = "in_review"
    CONFIRMED = "confirmed"
    PARTLY_CONFIRMED = "partly_confirmed"
    UNCONFIRMED = "unconfirmed"
    MISLEADING = "misleading"
    FALSE = "false"

    @property
    def info(self) -> StatusInfo:
        return STATUS_INFO[self]

    @property
    def label(self) -> str:
        return STATUS_INFO[self].label


STATUS_INFO: dict[VerificationStatus, StatusInfo] = {
    VerificationStatus.UNVERIFIED: StatusInfo(
        "Unverified", "Nobody has checked this claim yet.", None, "Not rated"
    ),
    VerificationStatus.IN_REVIEW: StatusInfo(
        "In review", "A fact-checker is checking this claim now.", None, "Not rated"
    ),
    VerificationStatus.CONFIRMED: StatusInfo(
        "Confirmed", "Established as true by independent evidence.", 5, "True"
    ),
    VerificationStatus.PARTLY_CONFIRMED: StatusInfo(
        "Partly confirmed", "Part of the claim is established; the rest is not.", 4, "Mostly true"
    ),
    VerificationStatus.UNCONFIRMED: StatusInfo(
        "Unconfirmed", "Checked, but neither established nor refuted.", 3, "Unproven"
    ),
    VerificationStatus.MISLEADING: StatusInfo(
        "Misleading", "Literally accurate in part, but gives a false impression.", 2, "Misleading"
    ),
    VerificationStatus.FALSE: StatusInfo("False", "Established as untrue.", 1, "False"),
}


class ActorKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    OUTLET = "outlet"
    GOVERNMENT_BODY = "government_body"
    GROUP = "group"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class RelationKind(StrEnum):
    """How one claim bears on another, read as "<claim> <kind> <related claim>"."""

    CONTRADICTS = "contradicts"
    NARROWS = "narrows"
    SUPPORTS = "supports"

    @property
    def inverse_label(self) -> str:
        """The relation read from the other end: "<related claim> <inverse> <claim>"."""
        return INVERSE_RELATION_LABELS[self]


INVERSE_RELATION_LABELS: dict[RelationKind, str] = {
    RelationKind.CONTRADICTS: "contradicts",
    RelationKind.NARROWS: "is narrowed by",
    RelationKind.SUPPORTS: "is supported by",
}


class Role(StrEnum):
    """What an account may do; each role can do everything the ones before it can."""

    VIEWER = "viewer"
    FACT_CHECKER = "fact_checker"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def can(self, needed: "Role") -> bool:
        return self.rank >= needed.rank

    @property
    def label(self) -> str:
        return self.value.replace("_", "-")


class ProposalState(StrEnum):
    """Where a statement the extractor proposed stands: waiting for an editor, or decided."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


def values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]
