"""Check a SPARQL request by the grammar before the engine evaluates it.

The guard is the first of two walls: the query workers also run without any
network (``kg/web/sandbox.py``), so a guard mistake cannot become a request
to another host. It runs inside the worker, under the query's time-out.

It lexes the query by the SPARQL 1.1 grammar's terminals (§19.8): comments
end at ``\\n`` *or* ``\\r``, whitespace is space, tab, CR and LF only,
strings know their escapes, IRIs may carry ``\\u``/``\\U`` escapes. Two
readers can still disagree where a ``<`` starts: an IRI (``?s <p> ?o``) or
the less-than operator (``FILTER(?x<'>')``), and where a prefixed name's
``\\'`` or ``\\#`` escape is read as a quote or a comment. So the guard does
not pick one reading: it follows *every* reading at once (lexer positions
form a small graph, each position visited once per state) and refuses when
any of them holds a SERVICE clause. The same is done on the text with its
codepoint escapes decoded, in case an engine decodes them before parsing.
Patterns are matched as the grammar writes them (``SERVICE SILENT?
VarOrIri {``, ``FROM NAMED? iri``, ``LOAD SILENT? iri``), so the word
"service" inside an IRI or a string is not a false alarm.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

WHITESPACE = " \t\r\n"
_HEX4 = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"\\[tbnrf\"'\\]|" + _HEX4
IRIREF = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|' + _HEX4 + r")*>")
STRINGS = [
    re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|" + _ECHAR + r"))*'''"),
    re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|' + _ECHAR + r"))*\"\"\""),
    re.compile(r"'(?:[^'\\\n\r]|" + _ECHAR + r")*'"),
    re.compile(r'"(?:[^"\\\n\r]|' + _ECHAR + r')*"'),
]
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
# Name characters, a superset of the grammar's PN_CHARS: every non-ASCII character counts, so a
# reader never ends a name earlier than Oxigraph does (U+02C2, U+200D, U+FEFF … are name characters
# to it). Reading a name too long is harmless: an engine that stops earlier then fails to parse.
_NONASCII = r"\u0080-\U0010ffff"
_PN_CHARS = rf"[\w\-{_NONASCII}]"
_PN_START = rf"[A-Za-z{_NONASCII}]"
PNAME = re.compile(
    r"(?:" + _PN_START + r"(?:(?:" + _PN_CHARS + r"|\.)*" + _PN_CHARS + r")?)?:"
    r"(?:(?:" + _PN_CHARS + r"|:|" + _PLX + r")(?:(?:" + _PN_CHARS + r"|[.:]|" + _PLX + r")*"
    r"(?:" + _PN_CHARS + r"|:|" + _PLX + r"))?)?"
)
BNODE = re.compile(rf"_:[\w{_NONASCII}](?:[\w.\-{_NONASCII}]*[\w\-{_NONASCII}])?")
VAR = re.compile(rf"[?$][\w{_NONASCII}]+")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")
NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?")
CODEPOINT = re.compile(_HEX4)
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
# Oxigraph reads keywords without a word boundary (SERVICEex:a = SERVICE ex:a, trueSERVICE =
# true SERVICE): every keyword, boolean and `a` at the front of a longer word is also followed.
GLUED = tuple(
    sorted(
        {
            "SERVICE", "SILENT", "FROM", "NAMED", "LOAD", "TRUE", "FALSE", "A", "GRAPH", "OPTIONAL", "MINUS",
            "UNION", "FILTER", "BIND", "VALUES", "UNDEF", "SELECT", "WHERE", "DISTINCT", "REDUCED", "AS", "IN",
            "NOT", "EXISTS", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE", "ORDER", "BY", "GROUP", "HAVING",
            "LIMIT", "OFFSET", "ASC", "DESC", "INSERT", "DELETE", "DATA", "WITH", "USING", "DEFAULT", "ALL",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
OPEN = {"{": 1, "(": 1, "[": 1, "<<": 1, "}": -1, ")": -1, "]": -1, ">>": -1}

# Pattern states while walking a reading.
NORMAL, SERVICE, SERVICE_SILENT, SERVICE_TARGET, FROM, FROM_NAMED, LOAD, LOAD_SILENT = range(8)


class Refused(Exception):
    """A request the endpoint will not run; carries the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Checked:
    """What the guard learnt of an accepted query."""

    has_dataset: bool  # FROM / FROM NAMED: the engine builds the dataset from the store's own graphs
    depth: int  # deepest nesting of brackets and quoted triples


@dataclass(frozen=True)
class Token:
    kind: str  # word | iri | pname | var | string | punct | other
    text: str
    end: int


class _Text:
    """The query text with its line ends indexed, so skipping a comment is a look-up, not a scan."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [i for i, c in enumerate(text) if c in "\r\n"]

    def skip(self, pos: int) -> int:
        """Past whitespace and comments (a comment ends at LF or CR, as the grammar says)."""
        text, n = self.text, len(self.text)
        while pos < n:
            c = text[pos]
            if c in WHITESPACE:
                pos += 1
            elif c == "#":
                i = bisect.bisect_left(self.breaks, pos)
                pos = self.breaks[i] if i < len(self.breaks) else n
            else:
                break
        return pos


def _tokens_at(text: str, pos: int) -> list[Token]:
    """Every token a reader might take at ``pos`` (most often one; two where readers may differ)."""
    c = text[pos]
    if c == "<":
        out = []
        m = IRIREF.match(text, pos)
        if m:
            out.append(Token("iri", m.group(), m.end()))
        two = text[pos : pos + 2]
        op = two if two in ("<<", "<=") else "<"
        out.append(Token("punct", op, pos + len(op)))
        if op == "<<":  # also less-than followed by an IRI: 1<<a:#> is 1 < <a:#> to Oxigraph
            out.append(Token("punct", "<", pos + 1))
        return out
    if c in "'\"":
        for rx in STRINGS:
            m = rx.match(text, pos)
            if m:
                return [Token("string", "", m.end())]
        return [Token("other", c, pos + 1)]  # an unterminated string: read on, so nothing is hidden
    if c in "?$":
        m = VAR.match(text, pos)
        return [Token("var", m.group(), m.end())] if m else [Token("punct", c, pos + 1)]
    if c == "@":
        m = LANGTAG.match(text, pos)
        return [Token("lang", m.group(), m.end())] if m else [Token("other", c, pos + 1)]
    if c == "_" and text.startswith("_:", pos):
        m = BNODE.match(text, pos)
        if m:
            return [Token("bnode", m.group(), m.end())]
    m = PNAME.match(text, pos)
    if m and ":" in m.group():
        out = [Token("pname", m.group(), m.end())]
        cut = m.group().find("\\")
        if cut > 0:  # a reader that does not know PN_LOCAL escapes stops at the backslash
            out.append(Token("pname", m.group()[:cut], pos + cut))
        # Oxigraph backs off from an undeclared prefix (true.SERVICE:a = true . SERVICE :a):
        # the plain word at the front is a reading too.
        w = WORD.match(text, pos)
        if w and w.end() < m.end():
            out.append(Token("word", w.group().upper(), w.end()))
        return out + _glued(m.group(), pos)
    m = WORD.match(text, pos)
    if m:
        return [Token("word", m.group().upper(), m.end()), *_glued(m.group(), pos)]
    m = NUMBER.match(text, pos)
    if m and m.end() > pos:
        return [Token("number", m.group(), m.end())]
    two = text[pos : pos + 2]
    if two in (">>", ">=", "!=", "&&", "||", "^^", "{|", "|}"):
        return [Token("punct", two, pos + 2)]
    return [Token("punct", c, pos + 1)]


def _glued(word: str, pos: int) -> list[Token]:
    """A keyword read off the front of a longer name: Oxigraph takes ``SERVICEex:a`` as ``SERVICE ex:a``."""
    upper = word.upper()
    return [Token("word", kw, pos + len(kw)) for kw in GLUED if upper.startswith(kw) and len(upper) > len(kw)]


def _step(state: int, tok: Token) -> tuple[int, str | None]:
    """The next pattern state after ``tok``, and a finding when a pattern completes."""
    is_iri = tok.kind in ("iri", "pname")
    if state == SERVICE_TARGET and tok.text == "{":
        return NORMAL, "service"
    if state in (SERVICE, SERVICE_SILENT) and (is_iri or tok.kind == "var"):
        return SERVICE_TARGET, None
    if state == SERVICE and tok.text == "SILENT":
        return SERVICE_SILENT, None
    if state in (FROM, FROM_NAMED) and is_iri:
        return NORMAL, "from"
    if state == FROM and tok.text == "NAMED":
        return FROM_NAMED, None
    if state in (LOAD, LOAD_SILENT) and is_iri:
        return NORMAL, "load"
    if state == LOAD and tok.text == "SILENT":
        return LOAD_SILENT, None
    if tok.kind == "word":
        return {"SERVICE": SERVICE, "FROM": FROM, "LOAD": LOAD}.get(tok.text, NORMAL), None
    return NORMAL, None


def findings(text: str) -> set[str]:
    """Patterns (service, from, load) present in *any* reading of ``text``."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    todo = [(0, NORMAL)]
    n = len(text)
    indexed = _Text(text)
    # Readings share positions, so the walk is linear for real queries; a text built so that
    # readings overlap everywhere is refused rather than walked quadratically.
    budget = 32 * n + 100_000
    while todo:
        pos, state = todo.pop()
        pos = indexed.skip(pos)
        if (pos, state) in seen or pos >= n:
            continue
        seen.add((pos, state))
        for tok in _tokens_at(text, pos):
            budget -= tok.end - pos + 1
            if budget < 0:
                raise Refused(400, "the query is too intricate to check (readings overlap everywhere): refused")
            nxt, hit = _step(state, tok)
            if hit:
                found.add(hit)
                if hit == "service":
                    return found
            todo.append((tok.end, nxt))
    return found


def canonical(text: str) -> list[Token]:
    """The one reading where every ``<`` that can open an IRI does (how a tokenising lexer reads it)."""
    out: list[Token] = []
    indexed = _Text(text)
    pos = indexed.skip(0)
    while pos < len(text):
        tok = _tokens_at(text, pos)[0]
        out.append(tok)
        pos = indexed.skip(tok.end)
    return out


def decode_codepoints(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` decoded everywhere (SPARQL 1.1 §19.2 allows it before parsing)."""

    def sub(m: re.Match[str]) -> str:
        cp = int(m.group()[2:], 16)
        return chr(cp) if cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF else m.group()

    return CODEPOINT.sub(sub, text)


def check_query(query: str, max_bytes: int, max_depth: int = 128) -> Checked:
    """Refuse what the public endpoint must never run; say whether the query names its dataset.

    Raises :class:`Refused` with 413 (too long), 403 (update or LOAD), 400
    (SERVICE, nesting deeper than ``max_depth``).
    """
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise Refused(413, f"query too long: {size} bytes, at most {max_bytes}")
    tokens = canonical(query)
    depth = deepest = 0
    for tok in tokens:
        if tok.kind == "punct" and tok.text in OPEN:
            depth += OPEN[tok.text]
            deepest = max(deepest, depth)
    if deepest > max_depth:
        raise Refused(400, f"query nested {deepest} deep: at most {max_depth} levels of brackets")
    if _opens_an_update(tokens):
        raise Refused(403, READ_ONLY)
    found = findings(query)
    decoded = decode_codepoints(query)
    if decoded != query and "service" not in found:
        found |= findings(decoded)
    if "service" in found:
        raise Refused(400, SERVICE_REFUSED)
    if "load" in found:
        raise Refused(403, READ_ONLY)
    return Checked(has_dataset="from" in found, depth=deepest)


def _opens_an_update(tokens: list[Token]) -> bool:
    words = iter(tokens)
    for tok in words:  # skip the prologue: BASE <iri> and PREFIX p: <iri>
        if tok.text == "BASE":
            next(words, None)
        elif tok.text == "PREFIX":
            next(words, None)
            next(words, None)
        else:
            return bool(tok.kind == "word" and tok.text in UPDATE_WORDS)
    return False


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL Update request (INSERT, DELETE, LOAD, CLEAR … after its prologue)."""
    return _opens_an_update(canonical(text))


READ_ONLY = "this endpoint is read-only: SPARQL Update and LOAD are refused"
SERVICE_REFUSED = "SERVICE (federated query) is refused: this endpoint queries only its own graphs"
