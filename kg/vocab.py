"""Namespaces and the IRI scheme: stable, readable IRIs under one base."""

from __future__ import annotations

import os
import re

from rdflib import Namespace, URIRef

NMT = Namespace("https://w3id.org/nanmatou/ns#")
OA = Namespace("http://www.w3.org/ns/oa#")
DEFAULT_BASE = "https://w3id.org/nanmatou/"

PREFIXES = {
    "nmt": str(NMT),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": str(OA),
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "void": "http://rdfs.org/ns/void#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
# Prefixes Turtle and TriG write only where a file uses them (a range's schema:minValue); the
# JSON-LD context lists PREFIXES whole, so these stay out of it.
OCCASIONAL_PREFIXES = {"schema": "http://schema.org/"}
# A range's bounds (schema.org's QuantitativeValue terms: no nmt: term of our own for them).
SCHEMA_MIN, SCHEMA_MAX = URIRef("http://schema.org/minValue"), URIRef("http://schema.org/maxValue")


# A base IRI (RFC 3987): a scheme of two letters or more (C:/Users is a path), then no white space,
# controls, characters IRIs exclude, query or fragment (IRIs are minted as base + path + #part), and
# percent signs only as escapes.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:(?:[^\x00-\x20<>\"{}|\\^`\x7f#?%\[\]]|%[0-9A-Fa-f]{2})+")


def base_iri(value: str) -> str:
    """``value`` as a base IRI: absolute, without a query or fragment, ending in ``/`` (added when
    missing), so that ``report/…`` and ``term/…`` are minted under it, not glued to its last segment."""
    from kg.errors import SettingError

    if not _IRI.fullmatch(value):
        raise SettingError(
            f"the base IRI {value!r} is not an absolute IRI like https://example.org/kg/: a scheme, then "
            'no spaces, no ? or # and no <>"{}|\\^`[] characters'
        )
    return value if value.endswith("/") else value + "/"


def default_base() -> str:
    """The data base IRI: ``$KG_BASE_IRI`` or the project default."""
    return base_iri(os.environ.get("KG_BASE_IRI", DEFAULT_BASE))


def slugify(text: str) -> str:
    """Lower-case ASCII slug: letters, digits and single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class IRIs:
    """Mints every IRI of the dataset from one base."""

    def __init__(self, base: str | None = None) -> None:
        self.base = base_iri(base) if base else default_base()

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def report(self, slug: str) -> URIRef:
        return self._iri(f"report/{slug}")

    def in_report(self, slug: str, key: str) -> URIRef:
        """An element of a report: ``part-1/section-2/initiative-3``, ``quantity-7`` …"""
        return self._iri(f"report/{slug}/{key}")

    def term(self, slug: str) -> URIRef:
        return self._iri(f"term/{slug}")

    def dimension(self, ident: str) -> URIRef:
        return self._iri(f"dimension/{ident}")

    def entity(self, kind: str, slug: str) -> URIRef:
        return self._iri(f"{kind}/{slug}")

    def graph(self, name: str) -> URIRef:
        return self._iri(f"graph/{name}")

    @property
    def glossary(self) -> URIRef:
        return self._iri("glossary")

    @property
    def dimensions(self) -> URIRef:
        return self._iri("dimensions")

    def build(self, digest: str) -> URIRef:
        return self._iri(f"build/{digest[:16]}")
