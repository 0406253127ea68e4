"""The filters of the claims index and of the search results, as a page receives and shows them.

They live in the URL as GET parameters, so that a filtered view is a link; each active one is shown
as a "chip" linking to the same URL without it. The actor and the source are typed, not chosen from a
list of every one on record: the actor as any name or alias, the source as its number or words of its
title, resolved here to the one source they designate (the form says so when they fit none, or
several, and lists a few of those). With JavaScript, both fields suggest as one types
(`GET /api/v1/suggest/actors`, `/api/v1/suggest/sources`).
"""

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Annotated, TypeVar
from urllib.parse import parse_qsl, urlencode

from fastapi import Depends, Query
from starlette.datastructures import URL

from app.claims.schemas import ClaimFilters
from app.errors import InvalidInput
from app.fulltext.words import filter_words
from app.sources.service import SourcePick, pick_source
from app.vocabulary import Stance, VerificationStatus
from app.web import SessionDep, Text

ChoiceT = TypeVar("ChoiceT", bound=StrEnum)

CONTESTED_CHOICES = {"yes": True, "no": False}


def parse_choice(vocabulary: type[ChoiceT], field: str, value: str | None) -> ChoiceT | None:
    """A select's value as a member of its vocabulary; the empty "any" option means no filter."""
    if value is None or not value.strip():
        return None
    try:
        return vocabulary(value.strip())
    except ValueError:
        allowed = ", ".join(member.value for member in vocabulary)
        raise InvalidInput(
            f"'{value}' is not a {field}. Use one of: {allowed}; or leave it empty for any {field}.",
        ) from None


def _parse_contested(value: str | None) -> bool | None:
    if value is None or not value.strip():
        return None
    try:
        return CONTESTED_CHOICES[value.strip().lower()]
    except KeyError:
        raise InvalidInput(
            f"'{value}' is not a choice for “contested”: use yes or no, or leave it empty for either."
        ) from None


def _parse_date(field: str, value: str | None) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"'{value}' is not a date for “{field}”: write it as YYYY-MM-DD, e.g. 2022-04-01."
        ) from None


NO_SOURCE = 0
"""No source has the id 0: the filter of a source field whose words designate no single source, so
that nothing matches while the form says why and offers the sources to choose from."""


@dataclass(frozen=True)
class FilterParams:
    """The filters as the reader chose them; `actor` is kept as typed (any name or alias), and the
    source as typed, with the source it designates (`source_pick`)."""

    actor: str | None = None
    stance: Stance | None = None
    status: VerificationStatus | None = None
    contested: bool | None = None
    source: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    source_pick: SourcePick | None = None

    @property
    def active(self) -> bool:
        chosen = (
            self.actor,
            self.stance,
            self.status,
            self.contested,
            self.source,
            self.date_from,
            self.date_to,
        )
        return any(value is not None for value in chosen)

    @property
    def source_id(self) -> int | None:
        """The source to filter by; NO_SOURCE when the text typed designates none, or several."""
        if self.source_pick is None:
            return None
        return self.source_pick.source.id if self.source_pick.source is not None else NO_SOURCE

    @property
    def source_text(self) -> str:
        """What the source field shows: the title of the source found, or the text as typed."""
        if self.source_pick is not None and self.source_pick.source is not None:
            return self.source_pick.source.title
        return self.source or ""

    def query(self, *, text: str | None = None) -> dict[str, str | None]:
        """The filters as a URL's query spells them (None leaves one out), to link to the same
        selection elsewhere: the Atom feed of a filtered claims index, and back."""
        return {
            "actor": self.actor,
            "stance": self.stance.value if self.stance is not None else None,
            "status": self.status.value if self.status is not None else None,
            "contested": None if self.contested is None else ("yes" if self.contested else "no"),
            "source": self.source,
            "date_from": self.date_from.isoformat() if self.date_from is not None else None,
            "date_to": self.date_to.isoformat() if self.date_to is not None else None,
            "q": text,
        }

    def claim_filters(self, *, text: str | None = None) -> ClaimFilters:
        """The repository's filters; the actor's name is resolved to ids by the service, `text` to
        folded words here (a text without a single word is refused)."""
        return ClaimFilters(
            stance=self.stance,
            status=self.status,
            source_id=self.source_id,
            contested=self.contested,
            date_from=self.date_from,
            date_to=self.date_to,
            words=filter_words("text", text),
        )


ParamText = Annotated[Text | None, Query(max_length=300)]
ChoiceText = Annotated[Text | None, Query(max_length=40)]


# A plain `def`: a typed source is looked up in the database (in the thread pool, as every query is).
def filter_params(
    session: SessionDep,
    actor: ParamText = None,
    stance: ChoiceText = None,
    status: ChoiceText = None,
    contested: ChoiceText = None,
    source: ParamText = None,
    date_from: ChoiceText = None,
    date_to: ChoiceText = None,
) -> FilterParams:
    """The filters of a page's URL; an empty value ("any") is no filter, a wrong one a clear 422.

    The source is looked up (one query): a number or words that designate no single source are no
    error, the form shows what they fit (see `NO_SOURCE`).
    """
    typed_source = " ".join((source or "").split()) or None
    params = FilterParams(
        actor=(actor or "").strip() or None,
        stance=parse_choice(Stance, "stance", stance),
        status=parse_choice(VerificationStatus, "verification status", status),
        contested=_parse_contested(contested),
        source=typed_source,
        date_from=_parse_date("published from", date_from),
        date_to=_parse_date("published until", date_to),
    )
    if params.date_from and params.date_to and params.date_from > params.date_to:
        raise InvalidInput(
            f"“Published from” ({params.date_from:%-d %B %Y}) is after “published until” "
            f"({params.date_to:%-d %B %Y}): swap them, or leave one empty."
        )
    if typed_source is not None:
        params = replace(params, source_pick=pick_source(session, typed_source))
    return params


FilterDep = Annotated[FilterParams, Depends(filter_params)]


@dataclass(frozen=True)
class Chip:
    """One active filter, shown above the list; following `href` removes it (and only it)."""

    parameter: str
    label: str
    href: str


def _without(url: URL, parameter: str) -> str:
    """The same page without one parameter (nor a cursor, nor any empty parameter)."""
    kept = [
        (name, value)
        for name, value in parse_qsl(url.query, keep_blank_values=True)
        if value.strip() and name not in (parameter, "cursor")
    ]
    return f"{url.path}?{urlencode(kept)}" if kept else url.path


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def chips(url: URL, params: FilterParams, *, text: str | None = None) -> list[Chip]:
    """The active filters of a page in form order, each with the link that removes it."""
    labelled: list[tuple[str, str]] = []
    if params.actor is not None:
        labelled.append(("actor", f"Actor: {params.actor}"))
    if params.stance is not None:
        labelled.append(("stance", f"Stance: {_capitalised(params.stance.label)}"))
    if params.status is not None:
        labelled.append(("status", f"Verification status: {params.status.label}"))
    if params.contested is not None:
        labelled.append(("contested", "Contested: yes" if params.contested else "Contested: no"))
    if params.source is not None:
        labelled.append(("source", f"Source: {params.source_text}"))
    if params.date_from is not None:
        labelled.append(("date_from", f"Published from: {_day(params.date_from)}"))
    if params.date_to is not None:
        labelled.append(("date_to", f"Published until: {_day(params.date_to)}"))
    if text is not None:
        labelled.append(("q", f"Text: {text}"))
    return [Chip(parameter=name, label=label, href=_without(url, name)) for name, label in labelled]
