"""A real JSON-LD processor (pyld) reading claimtrack's Web Annotations, with the Web Annotation
context served from the copy beside this file: the tests reach no network."""

import json
from pathlib import Path
from typing import Any

from pyld import jsonld

from app.annotations.schemas import ANNO_CONTEXT

OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# The terms of the W3C Web Annotation context (https://www.w3.org/ns/anno.jsonld) that claimtrack
# writes, with the mappings the Web Annotation Data Model gives them.
CONTEXT = json.loads((Path(__file__).parent / "anno.jsonld").read_text())


def load_document(url: str, _options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url != ANNO_CONTEXT:
        raise AssertionError(f"the JSON-LD processor asked for {url}, which a test cannot fetch")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


OPTIONS = {"documentLoader": load_document}


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = jsonld.expand(document, OPTIONS)
    return expanded


def triples(document: dict[str, Any]) -> set[tuple[str, str, str]]:
    """The RDF triples of a document: subject, predicate, and object (an IRI, a blank node, or a
    literal written `"value"^^datatype`); blank node labels as pyld numbers them."""
    dataset = jsonld.to_rdf(document, {**OPTIONS, "produceGeneralizedRdf": False})
    found = set()
    for triple in dataset["@default"]:
        subject = triple["subject"]["value"]
        predicate = triple["predicate"]["value"]
        obj = triple["object"]
        value = obj["value"] if obj["type"] != "literal" else f'"{obj["value"]}"^^{obj.get("datatype")}'
        found.add((subject, predicate, value))
    return found


def unmapped_keys(document: Any) -> set[str]:
    """Keys of a JSON document that the context does not define: a JSON-LD processor drops them."""
    terms = set(CONTEXT["@context"])
    keys: set[str] = set()
    if isinstance(document, dict):
        keys |= {key for key in document if key not in terms and key != "@context"}
        for value in document.values():
            keys |= unmapped_keys(value)
    elif isinstance(document, list):
        for item in document:
            keys |= unmapped_keys(item)
    return keys
