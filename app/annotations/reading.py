"""Reading Web Annotations from a file: the shapes annotation tools write them in, made one list.

Accepted: one annotation; a list of them; a W3C `AnnotationCollection` (with its pages embedded) or
`AnnotationPage`; Hypothesis's API answer (`{"rows": [...]}`) or its client's export
(`{"annotations": [...]}`), whose annotations carry `uri`, `target[].selector[]`, `text` and `tags`.
Nothing here looks at the database: `app.annotations.service` anchors and imports what this reads.
"""

import unicodedata
from dataclasses import dataclass, field
from typing import Any

MAX_PAGES = 10_000
"""Embedded pages followed through `next`, against a file whose pages loop."""


class AnnotationFileError(ValueError):
    """The file as a whole is not annotations: nothing in it is imported."""


@dataclass(frozen=True)
class Selectors:
    """Where an annotation's quote is: its TextQuoteSelector and TextPositionSelector, as given."""

    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class ReadAnnotation:
    """One annotation as read: the source addresses it targets, its selectors, tags and comment."""

    label: str
    """How the report names it: its id, or its place in the file."""
    sources: list[str] = field(default_factory=list)
    selectors: Selectors | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    problem: str | None = None
    """Why it cannot be imported, when that is clear from the file alone."""


def read_annotations(document: Any) -> list[ReadAnnotation]:
    """Every annotation of a parsed JSON document; AnnotationFileError when it holds none of the shapes."""
    return [_read(item, position) for position, item in enumerate(_items(document), start=1)]


def _types(node: dict[str, Any]) -> set[str]:
    declared = node.get("type", node.get("@type"))
    names = declared if isinstance(declared, list) else [declared]
    return {name.removeprefix("oa:").removeprefix("as:") for name in names if isinstance(name, str)}


def _items(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise AnnotationFileError(_WRONG_SHAPE)
    types = _types(document)
    if "AnnotationCollection" in types or "OrderedCollection" in types:
        first = document.get("first")
        if first is None:
            return []
        if not isinstance(first, dict):
            raise AnnotationFileError(
                "The AnnotationCollection does not embed its pages (its `first` is a link): save each "
                "AnnotationPage and import those."
            )
        return _page_items(first)
    if "AnnotationPage" in types or "OrderedCollectionPage" in types:
        return _page_items(document)
    if "Annotation" in types or "target" in document:
        return [document]
    for key in ("rows", "annotations"):  # Hypothesis: its search API, and its client's export
        if isinstance(document.get(key), list):
            items: list[Any] = document[key]
            return items
    raise AnnotationFileError(_WRONG_SHAPE)


_WRONG_SHAPE = (
    "The file holds no annotations: it should be one Web Annotation, a list of them, an "
    'AnnotationCollection or AnnotationPage, or a Hypothesis export ({"rows": [...]} or '
    '{"annotations": [...]}).'
)


def _page_items(page: dict[str, Any]) -> list[Any]:
    items: list[Any] = []
    current: Any = page
    for _ in range(MAX_PAGES):
        if not isinstance(current, dict):
            break
        page_items = current.get("items", [])
        if not isinstance(page_items, list):
            raise AnnotationFileError("An AnnotationPage's `items` is not a list of annotations.")
        items.extend(page_items)
        current = current.get("next")
    return items


def _read(item: Any, position: int) -> ReadAnnotation:
    label = f"annotation {position}"
    if not isinstance(item, dict):
        return ReadAnnotation(label=label, problem="it is not an annotation (a JSON object).")
    if isinstance(item.get("id"), str) and item["id"]:
        label = f"{label} ({item['id']})"
    targets = item.get("target")
    target_list = targets if isinstance(targets, list) else [targets] if targets is not None else []
    sources: list[str] = []
    selectors: Selectors | None = None
    for target in target_list:
        if isinstance(target, str):
            sources.append(target)
            continue
        if not isinstance(target, dict):
            continue
        source = target.get("source", target.get("id"))
        if isinstance(source, str):
            sources.append(source)
        found = _selectors(target.get("selector"))
        if found is not None and selectors is None:
            selectors = found
    if isinstance(item.get("uri"), str):  # Hypothesis names the annotated page here too
        sources.append(item["uri"])
    sources = list(dict.fromkeys(sources))
    tags, note = _body(item)
    problem = None
    if not sources:
        problem = "it names no target: a Web Annotation's `target` is the source it annotates."
    elif selectors is None:
        problem = "its target has no TextQuoteSelector or TextPositionSelector: there is no quote to anchor."
    return ReadAnnotation(
        label=label, sources=sources, selectors=selectors, tags=tags, note=note, problem=problem
    )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _selectors(selector: Any) -> Selectors | None:
    listed = selector if isinstance(selector, list) else [selector]
    quote: dict[str, Any] | None = None
    position: dict[str, Any] | None = None
    for item in listed:
        if not isinstance(item, dict):
            continue
        types = _types(item)
        if "TextQuoteSelector" in types and quote is None and isinstance(item.get("exact"), str):
            quote = item
        elif "TextPositionSelector" in types and position is None:
            position = item
    if quote is None and position is None:
        return None
    start = position.get("start") if position is not None else None
    end = position.get("end") if position is not None else None
    return Selectors(
        exact=_nfc(quote["exact"]) if quote is not None else None,
        prefix=_nfc(_text(quote, "prefix")) if quote is not None else "",
        suffix=_nfc(_text(quote, "suffix")) if quote is not None else "",
        start=start if _is_offset(start) else None,
        end=end if _is_offset(end) else None,
    )


def _text(node: dict[str, Any], key: str) -> str:
    value = node.get(key)
    return value if isinstance(value, str) else ""


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _body(item: dict[str, Any]) -> tuple[list[str], str | None]:
    """The annotation's tags and comment: a W3C body's `tagging` and `commenting` (or `bodyValue`),
    or Hypothesis's `tags` and `text`."""
    tags = (
        [tag for tag in item.get("tags", []) if isinstance(tag, str)]
        if isinstance(item.get("tags"), list)
        else []
    )
    comments = [item["text"]] if isinstance(item.get("text"), str) else []
    if isinstance(item.get("bodyValue"), str):
        comments.append(item["bodyValue"])
    bodies = item.get("body")
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        purposes = body.get("purpose")
        purpose_set = set(purposes) if isinstance(purposes, list) else {purposes}
        purpose_set = {p.removeprefix("oa:") for p in purpose_set if isinstance(p, str)}
        if "tagging" in purpose_set:
            tags.append(body["value"])
        elif "commenting" in purpose_set:
            comments.append(body["value"])
    note = "\n\n".join(comment.strip() for comment in comments if comment.strip()) or None
    return [tag.strip() for tag in tags if tag.strip()], note
