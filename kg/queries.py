"""The curated query library: ``queries/*.rq`` with header lines.

Header lines at the top of each file::

    # title: The seven colour dimensions
    # title-zh: 七个色彩维度
    # description: …
    # answers: CQ01
    # param: year = 2020  (the reference year)

A parameter is a SPARQL variable; its value (the default, or one given with
``--param name=value``) is bound with a ``VALUES`` clause at the top of the
outer ``WHERE`` group, which any SPARQL 1.1 engine accepts. The value is also
written into every ``FILTER`` that names the variable: Oxigraph joins a
``VALUES`` block after evaluating the patterns, so ``FILTER (STR(?l) = ?term)``
ran over every label and mention of a corpus (1.8 s at 100 reports), where
``FILTER (STR(?l) = "三会一代理")`` is checked as the first pattern is read
(40 ms). Parameters are for ``FILTER``s of the outer group, which all the
curated queries use them in.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import QueryError
from kg.resources import queries_dir

HEADER_RE = re.compile(r"^#\s*(title|title-zh|description|answers|param):\s*(.*)$")
WHERE_RE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
PARAM_RE = re.compile(r"^(\w+)\s*(?:=\s*(.*?))?\s*(?:\((.*)\))?$")


@dataclass
class Param:
    name: str
    default: str | None
    description: str


@dataclass
class Query:
    name: str
    path: Path | None
    text: str
    title: str = ""
    title_zh: str = ""  # the Chinese title (the English one when the file has none)
    description: str = ""
    answers: list[str] = field(default_factory=list)
    params: list[Param] = field(default_factory=list)

    def bind(self, values: dict[str, str]) -> str:
        """The query text with every parameter bound; raise QueryError if one is missing."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise QueryError(
                f"query '{self.name}' has no parameter '{unknown[0]}'"
                + (f" (parameters: {', '.join(sorted(known))})" if known else "")
            )
        bindings = []
        text = self.text
        for p in self.params:
            value = values.get(p.name, p.default)
            if value is None or value == "":
                raise QueryError(f"query '{self.name}' needs --param {p.name}=… ({p.description or 'no default'})")
            term = _sparql_value(value)
            bindings.append(f"VALUES ?{p.name} {{ {term} }}")
            text = _into_filters(text, p.name, term)
        if not bindings:
            return text
        where = WHERE_RE.search(text)
        if where is None:
            raise QueryError(f"query '{self.name}' has parameters but no WHERE {{ … }} to bind them in")
        # Bound at the top of the outer WHERE so that FILTERs see the values.
        return text[: where.end()] + "\n  " + "\n  ".join(bindings) + text[where.end() :]


FILTER_RE = re.compile(r"\bFILTER\s*\(", re.IGNORECASE)
STRING_RE = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")


def _into_filters(text: str, name: str, term: str) -> str:
    """``text`` with the variable ``name`` replaced by ``term`` inside each ``FILTER ( … )``."""
    var = re.compile(rf"[?$]{re.escape(name)}(?!\w)")
    out, pos = [], 0
    for m in FILTER_RE.finditer(text):
        if m.start() < pos:
            continue  # a FILTER inside one already rewritten (EXISTS { … FILTER … })
        depth, i = 1, m.end()
        while i < len(text) and depth:
            s = STRING_RE.match(text, i)
            if s:
                i = s.end()
                continue
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        # Strings in the expression are kept as they are; only the variable outside them is replaced.
        body, parts, j = text[m.end() : i], [], 0
        for s in STRING_RE.finditer(body):
            parts += [var.sub(lambda _m: term, body[j : s.start()]), s.group()]
            j = s.end()
        parts.append(var.sub(lambda _m: term, body[j:]))
        out += [text[pos : m.end()], "".join(parts)]
        pos = i
    return "".join(out) + text[pos:]


IRI_VALUE_RE = re.compile(r"^https?://[^\s<>\"{}|^`\\]+$")  # a parameter value bound as an IRI


def _sparql_value(value: str) -> str:
    if IRI_VALUE_RE.match(value):
        return f"<{value}>"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def parse_query(text: str, name: str, path: Path | None = None) -> Query:
    """Read the header lines of a query."""
    q = Query(name, path, text)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = HEADER_RE.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "title":
            q.title = value
        elif key == "title-zh":
            q.title_zh = value
        elif key == "description":
            q.description = (q.description + " " + value).strip()
        elif key == "answers":
            q.answers = [a.strip() for a in value.split(",") if a.strip()]
        else:
            pm = PARAM_RE.match(value)
            if not pm:
                raise QueryError(f"{name}: bad param line '{value}'")
            q.params.append(Param(pm.group(1), pm.group(2) or None, (pm.group(3) or "").strip()))
    q.title_zh = q.title_zh or q.title
    return q


def library(directory: Path | None = None) -> dict[str, Query]:
    """Every curated query, by name (the file name without ``.rq``)."""
    folder = directory or queries_dir()
    return {p.stem: parse_query(p.read_text(encoding="utf-8"), p.stem, p) for p in sorted(folder.glob("*.rq"))}


def resolve(spec: str, stdin: str | None = None) -> Query:
    """A query from ``-`` (stdin), a file path, or a name in the library."""
    if spec == "-":
        return parse_query(stdin or "", "stdin")
    path = Path(spec)
    if path.suffix in (".rq", ".sparql") or path.is_file():
        try:
            return parse_query(path.read_text(encoding="utf-8"), path.stem, path)
        except FileNotFoundError:
            raise QueryError(f"{path}: no such file") from None
        except (UnicodeDecodeError, IsADirectoryError):
            raise QueryError(f"{path}: not a SPARQL text file") from None
    lib = library()
    if spec in lib:
        return lib[spec]
    close = difflib.get_close_matches(spec, list(lib), n=5, cutoff=0.4)
    close += [n for n in lib if spec in n and n not in close]
    hint = f" (did you mean: {', '.join(close[:5])}?)" if close else " (`kg queries` lists them)"
    raise QueryError(f"unknown query '{spec}'{hint}")
