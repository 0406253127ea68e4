"""Proposing the attributed statements of a news text: rules and lexicons, no model, no database."""

from app.extraction.extractor import extract
from app.extraction.types import Extracted, KnownActor, Span

__all__ = ["Extracted", "KnownActor", "Span", "extract"]
