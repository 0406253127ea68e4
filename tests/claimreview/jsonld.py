"""Reading ClaimReview documents as their consumers do: a structured-data extractor (extruct) finds
them in a page, a JSON-LD processor (pyld) expands them, and Google's rules for ClaimReview are
checked on the expanded graph, by IRI, not on the JSON's spelling.

pyld must not fetch schema.org's context: the tests reach no network. Its document loader serves
the context the vocabulary needs (every term a schema.org IRI) for schema.org's addresses, and
refuses any other.
"""

from typing import Any

import extruct
from pyld import jsonld

SCHEMA = "http://schema.org/"
SCHEMA_ORG_CONTEXT = {"@context": {"@vocab": SCHEMA}}
SCHEMA_ORG_ADDRESSES = {
    "https://schema.org",
    "http://schema.org",
    "https://schema.org/",
    "http://schema.org/",
}

Node = dict[str, Any]


def offline_loader(url: str, _options: dict[str, Any] | None = None) -> dict[str, Any]:
    """schema.org's context, served from here; any other document is refused."""
    if url not in SCHEMA_ORG_ADDRESSES:
        raise AssertionError(f"the JSON-LD processor asked for {url}: nothing may be fetched")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": SCHEMA_ORG_CONTEXT,
    }


def expand(document: Any) -> list[Node]:
    """The document expanded (every term an IRI, every value a list), offline."""
    expanded: list[Node] = jsonld.expand(document, {"documentLoader": offline_loader})
    return expanded


def embedded(html: str, url: str) -> list[Any]:
    """The JSON-LD documents a page embeds, as extruct extracts them."""
    found: list[Any] = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=False)["json-ld"]
    return found


def values(node: Node, term: str) -> list[Any]:
    """The values of a schema.org property of an expanded node."""
    found: list[Any] = node.get(SCHEMA + term, [])
    return found


def value(node: Node, term: str) -> Any:
    """The one literal value of a property."""
    (item,) = values(node, term)
    return item["@value"]


def node(parent: Node, term: str) -> Node:
    """The one node a property points to."""
    (item,) = values(parent, term)
    assert isinstance(item, dict), item
    assert "@value" not in item, item
    return item


def types(expanded: Node) -> set[str]:
    return {kind.removeprefix(SCHEMA) for kind in expanded.get("@type", [])}


def google_problems(review: Node) -> list[str]:
    """What a ClaimReview (expanded) lacks of Google's required and recommended properties
    (developers.google.com/search/docs/appearance/structured-data/factcheck), in words."""
    problems = []
    if types(review) != {"ClaimReview"}:
        problems.append(f"the type is {types(review)}, not ClaimReview")
    for term in ("claimReviewed", "url", "datePublished"):  # required, required, recommended
        if len(values(review, term)) != 1 or not str(value(review, term)).strip():
            problems.append(f"ClaimReview.{term} is not one non-empty value")
    ratings = values(review, "reviewRating")
    if len(ratings) != 1:
        return [*problems, "ClaimReview.reviewRating is not one Rating"]
    rating = ratings[0]
    if types(rating) != {"Rating"}:
        problems.append("reviewRating is not a Rating")
    for term in ("alternateName", "ratingValue", "bestRating", "worstRating", "name"):
        if len(values(rating, term)) != 1:
            problems.append(f"Rating.{term} is not one value")
    if not problems and not value(rating, "worstRating") <= value(rating, "ratingValue") <= value(
        rating, "bestRating"
    ):
        problems.append("Rating.ratingValue is outside worstRating..bestRating")
    authors = values(review, "author")
    if len(authors) != 1 or not values(authors[0], "name"):
        problems.append("ClaimReview.author is not one named organisation")
    items = values(review, "itemReviewed")
    if len(items) != 1 or types(items[0]) != {"Claim"}:
        return [*problems, "ClaimReview.itemReviewed is not one Claim"]
    claim = items[0]
    # Claim.author is recommended too, but a claim that nobody asserted has no author to name.
    for term in ("appearance", "firstAppearance"):
        if not values(claim, term):
            problems.append(f"Claim.{term} is missing")
    for author in values(claim, "author"):
        if types(author) not in ({"Person"}, {"Organization"}) or len(values(author, "name")) != 1:
            problems.append(f"a Claim.author is not a named Person or Organization: {author}")
    for work in values(claim, "appearance") + values(claim, "firstAppearance"):
        if (
            types(work) != {"CreativeWork"}
            or len(values(work, "url")) != 1
            or len(values(work, "headline")) != 1
        ):
            problems.append(f"an appearance is not a CreativeWork with a url and a headline: {work}")
    return problems
