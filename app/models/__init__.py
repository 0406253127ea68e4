"""ORM models: one module per table family, one shared MetaData."""

from app.models.account import ApiToken, LoginSession, LoginThrottle, User
from app.models.actor import Actor, ActorAlias
from app.models.attribution import Attribution, ReportingStep
from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.claim import Claim, ClaimRelation, ClaimSummary, StatusChange
from app.models.proposal import Proposal
from app.models.search import SearchDocument
from app.models.source import Source

__all__ = [
    "Actor",
    "ActorAlias",
    "ApiToken",
    "Attribution",
    "AuditEntry",
    "Base",
    "Claim",
    "ClaimRelation",
    "ClaimSummary",
    "LoginSession",
    "LoginThrottle",
    "Proposal",
    "ReportingStep",
    "SearchDocument",
    "Source",
    "StatusChange",
    "User",
]
