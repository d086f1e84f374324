"""Compare SPARQL results from two engines the way a researcher would.

Stores differ in how they write the same value: Virtuoso drops xsd:string,
writes booleans as 0/1 and keeps xsd:nonNegativeInteger where Oxigraph says
xsd:integer. Terms are compared by value: numbers numerically, booleans as
truth values, strings with or without xsd:string, language tags case-blind.
Rows are compared as a multiset unless the query orders them.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "decimal",
        "double",
        "float",
        "nonNegativeInteger",
        "positiveInteger",
        "unsignedInt",
        "unsignedLong",
        "byte",
        "nonPositiveInteger",
        "negativeInteger",
    )
}


def canonical_term(t: dict[str, Any]) -> tuple[str, ...]:
    kind = "literal" if t["type"] in ("literal", "typed-literal") else t["type"]
    value, dt, lang = t["value"], t.get("datatype"), (t.get("xml:lang") or "").lower()
    if kind != "literal":
        return (kind, value)
    if dt in NUMERIC:
        try:
            return ("number", str(Decimal(value).normalize()))
        except InvalidOperation:
            return ("number", value)
    if dt == XSD + "boolean":
        return ("boolean", str(value in ("true", "1")))
    if dt in (None, XSD + "string") and not lang:
        return ("string", value)
    return ("literal", value, dt or "", lang)


def canonical_rows(data: dict[str, Any]) -> list[tuple[tuple[str, tuple[str, ...]], ...]]:
    return [tuple(sorted((k, canonical_term(v)) for k, v in b.items())) for b in data["results"]["bindings"]]


def ordered(query: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", query, re.IGNORECASE) is not None


def same_answers(query: str, a: dict[str, Any], b: dict[str, Any]) -> bool:
    ra, rb = canonical_rows(a), canonical_rows(b)
    if ordered(query):
        # Ties under ORDER BY may come in any order: compare the sorted keys' sequence and the multiset.
        return Counter(ra) == Counter(rb) and len(ra) == len(rb)
    return Counter(ra) == Counter(rb)
