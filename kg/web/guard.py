"""Check a SPARQL request before any engine sees it.

Both rdflib and Oxigraph would send SERVICE requests to any host, and an
update would change the store: the public endpoint refuses both up front.
The check is lexical, on the query with its comments, strings and IRIs
blanked out, so a keyword inside a literal or an IRI never trips it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Strings (long and short), IRIs and comments, in the order SPARQL's lexer would see them.
_TOKEN_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
)
UPDATE_RE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*:\s*IRI\d+|BASE\s+IRI\d+)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
SERVICE_RE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


class Refused(Exception):
    """A request the endpoint will not run; carries the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Checked:
    query: str
    has_dataset: bool  # FROM / FROM NAMED in the query: the engine builds the dataset from the store's graphs


def _blank(query: str) -> tuple[str, list[str]]:
    """The query with strings/comments replaced by spaces and IRIs by IRI<n> placeholders."""
    iris: list[str] = []

    def sub(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok.startswith("<"):
            iris.append(tok[1:-1])
            return f" IRI{len(iris) - 1} "
        return " " * len(tok) if not tok.startswith(("'", '"')) else ' "" '

    return _TOKEN_RE.sub(sub, query), iris


def _parse(query: str) -> Any:
    """rdflib's SPARQL parse tree, or None when rdflib cannot parse the query."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(query)
    except Exception:  # any parser failure means "could not check"
        return None


def check_query(query: str, max_bytes: int) -> Checked:
    """Refuse what the public endpoint must never run; say whether the query names its dataset.

    A lexical pass catches the plain cases fast. Whenever the words SERVICE or
    FROM occur anywhere in the text, the query is also parsed, because a lexer
    can be fooled (``?x<'>'`` reads as an IRI to one and a comparison to another).
    """
    size = len(query.encode("utf-8"))
    if size > max_bytes:
        raise Refused(413, f"query too long: {size} bytes, at most {max_bytes}")
    blanked, _iris = _blank(query)
    if UPDATE_RE.search(blanked):
        raise Refused(403, "this endpoint is read-only: SPARQL Update and LOAD are refused")
    if SERVICE_RE.search(blanked):
        raise Refused(400, SERVICE_REFUSED)
    lowered = query.lower()
    has_dataset = False
    if "service" in lowered or "from" in lowered:
        tree = _parse(query)
        if tree is None:
            if "service" in lowered:
                raise Refused(400, "the query mentions SERVICE and could not be checked: refused")
            has_dataset = True  # let the engine apply (or reject) the query's own dataset
        else:
            if "ServiceGraphPattern" in repr(tree):
                raise Refused(400, SERVICE_REFUSED)
            has_dataset = bool(tree[1].get("datasetClause"))
    return Checked(query, has_dataset)


SERVICE_REFUSED = "SERVICE (federated query) is refused: this endpoint queries only its own graphs"
