"""Check a SPARQL request before any engine sees it.

Both rdflib and Oxigraph would send SERVICE requests to any host, and an
update would change the store: the public endpoint refuses both up front.
The check is lexical, on the query with its comments, strings and IRIs
blanked out, so a keyword inside a literal or an IRI never trips it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
FROM_RE = re.compile(r"\bFROM\s+(NAMED\s+)?IRI(\d+)", re.IGNORECASE)


class Refused(Exception):
    """A request the endpoint will not run; carries the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Checked:
    query: str
    from_graphs: list[str]
    from_named: list[str]


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


def check_query(query: str, max_bytes: int) -> Checked:
    """Refuse what the public endpoint must never run; report the FROM graphs."""
    if len(query.encode("utf-8")) > max_bytes:
        raise Refused(413, f"query too long: {len(query.encode('utf-8'))} bytes, at most {max_bytes}")
    blanked, iris = _blank(query)
    if UPDATE_RE.search(blanked):
        raise Refused(403, "this endpoint is read-only: SPARQL Update and LOAD are refused")
    if SERVICE_RE.search(blanked):
        raise Refused(400, "SERVICE (federated query) is refused: this endpoint queries only its own graphs")
    default: list[str] = []
    named: list[str] = []
    for m in FROM_RE.finditer(blanked):
        (named if m.group(1) else default).append(iris[int(m.group(2))])
    return Checked(query, default, named)
