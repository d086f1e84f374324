"""Each report's share of the index, read off the union and kept between builds.

A report's part is its entry in ``index-reports.json`` (metadata, text and
structure), its quantities, and its mentions of each term, read from the nodes
that state ``nmt:inReport`` it. Reading it goes through :class:`kg.index_read.Reads`,
which notes the predicates read from the report's nodes and back to them, and the
few nodes outside the report it read (a publisher, a meeting).

The next build reuses the part (``build-cache/index/<slug>.pickle``) unless a
triple the merged graph gained or lost since (:class:`Changes`) is one such a read
could see: from one of the report's nodes, or a node outside it the part read,
through a predicate read from it; or to one of them through a predicate followed
back. A new store (no list of changes), other index code, or another text of the
report means reading it again. At 1,000 reports the whole index read every
mention of every report on each build (162 s of a rebuild with one report
changed); now only the changed reports' parts are read.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import pickle
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg import jsontext
from kg.cache_files import link_or_copy
from kg.graph_index import ReadGraph
from kg.index_read import (
    ANY,
    Context,
    Reads,
    Selector,
    dimensions,
    integer,
    local,
    located,
    selector,
    text,
)
from kg.vocab import NMT, OA, SCHEMA_MIN

PARTS_DIR = "build-cache/index"
Change = tuple[str, str, "str | None"]  # subject IRI, predicate IRI, object IRI (None: a literal)

# A query notes as read the nodes its rows bind (Reads.query), not those of rows that did not
# match: sound because a report's sources and selectors are its own nodes (``<node>#source``,
# ``#position``, ``#quote``: kg/building/report_graph.py), whose changes count as the report's.
#
# The selectors of every node of a report in two queries for the store: looked up triple by
# triple they took most of the index's time. (Flat, with each predicate named: Oxigraph joined
# selectors in OPTIONAL groups, or through ``?sel ?p ?v``, by reading far more of the store,
# 0.3-2.4 s a report at 1,000 reports against 0.1 s.)
_POSITIONS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nmt: <https://w3id.org/nanmatou/ns#>
SELECT ?n ?src ?sel ?start ?end WHERE {
  ?n nmt:inReport <REPORT> ; prov:wasDerivedFrom ?src .
  ?src oa:hasSelector ?sel .
  ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}"""

_QUOTES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nmt: <https://w3id.org/nanmatou/ns#>
SELECT ?n ?src ?sel ?exact ?prefix ?suffix WHERE {
  ?n nmt:inReport <REPORT> ; prov:wasDerivedFrom ?src .
  ?src oa:hasSelector ?sel .
  ?sel oa:exact ?exact .
  OPTIONAL { ?sel oa:prefix ?prefix }
  OPTIONAL { ?sel oa:suffix ?suffix }
}"""

_ANNOTATIONS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX nmt: <https://w3id.org/nanmatou/ns#>
SELECT ?m ?t ?c WHERE {
  ?m nmt:inReport <REPORT> ; a oa:Annotation ; oa:hasBody ?t ; prov:wasDerivedFrom ?src .
  OPTIONAL { ?m dcterms:isPartOf ?c }
}"""

_QUANTITIES = """
PREFIX nmt: <https://w3id.org/nanmatou/ns#>
SELECT ?q WHERE { ?q nmt:inReport <REPORT> ; a nmt:Quantity }"""

Mention = tuple[str, int, str]  # report, start, the mention as one line of JSON
SEPARATOR = b",\n"  # between the mentions of a term's mentions file (one JSON object a line)


class TermMentions(NamedTuple):
    """One term's mentions in one report, as the lines of the term's mentions file, joined there.

    One string of bytes, not a tuple a mention: a corpus's parts hold 400,000 mentions, and
    loading them as objects took most of a rebuild's index (0.8 s at 1,000 reports); as text,
    decoding their 190 MB of UTF-8 still took 0.6 s.
    """

    n: int  # how many
    report: str | None  # the report each one names ("" for none); None when they name several
    text: bytes  # their lines, in text order, joined by SEPARATOR, in UTF-8 (as the file holds them)


# How deep a report's entry and each of its quantities sit in index-reports.json
# ({"reports": [entry], "quantities": [quantity]}): their text is kept as it is written there.
ENTRY_LEVEL = 2


@dataclass
class Part:
    """One report's share of the index, and what reading it read.

    Its entry and quantities are kept as the JSON text index-reports.json holds
    (:data:`ENTRY_LEVEL`): at 1,000 reports, loading them as objects and encoding
    them again took 4 s of a rebuild.
    """

    slug: str
    text_sha: str  # of the report text it holds
    report: str  # its entry in index-reports.json, as JSON text
    quantities: list[tuple[str, str]]  # its quantities' report slug (or "") and JSON text, in text order
    mentions: dict[str, TermMentions]  # term IRI → its mentions in this report
    forward: frozenset[str] = frozenset()
    backward: frozenset[str] = frozenset()
    outside: frozenset[str] = frozenset()
    outside_back: frozenset[str] = frozenset()


def mention_line(m: dict[str, Any]) -> str:
    """A mention as its line in a term's mentions file."""
    return json.dumps(m, ensure_ascii=False, sort_keys=True)


class _Selectors:
    """``selector`` of any node of a report, every selector of the report read at once."""

    def __init__(self, g: Reads) -> None:
        self.g = g
        self.found: dict[str, Selector] = {}
        if g.store is None:
            return
        # As ``selector`` reads them: the node's first source, its position selector, and any other
        # selector as the quote (the first of each, as g.value gives one).
        sources: dict[str, str] = {}
        positions: dict[str, tuple[str, str]] = {}
        quotes: dict[str, tuple[str, str | None, str | None]] = {}
        for node, src, _sel, start, end in g.query(_POSITIONS.replace("REPORT", g.root), ["n", "src", "sel"]):
            sources.setdefault(node, src)
            positions.setdefault(src, (start, end))
        for node, src, _sel, exact, prefix, suffix in g.query(_QUOTES.replace("REPORT", g.root), ["n", "src", "sel"]):
            sources.setdefault(node, src)
            quotes.setdefault(src, (exact, prefix, suffix))
        for node, src in sources.items():
            start, end = positions.get(src, (None, None))
            self.found[node] = located(start, end, quotes.get(src))

    def __call__(self, node: Any) -> Selector:
        found = self.found.get(str(node))
        return found if found is not None else selector(self.g, node)


def _of_kind(g: Reads, rep: URIRef, kind: URIRef, query: str | None) -> list[Any]:
    """The nodes of class ``kind`` in report ``rep``, in IRI order."""
    if g.store is not None and query is not None:
        found: list[Any] = [URIRef(row[0]) for row in g.query(query.replace("REPORT", g.root), ["q"])]
    else:
        found = [n for n in g.subjects(NMT.inReport, rep) if (n, RDF.type, kind) in g]
    return sorted(set(found), key=str)


def _mentions(g: Reads, rep: URIRef, ctx: Context, select: _Selectors) -> dict[str, TermMentions]:
    """Each term's mentions in report ``rep``: one per annotation, in text order."""
    rows: list[tuple[str, Any, Selector]] = []  # body, container, selector
    if g.store is not None:
        seen = set()
        for m, t, c in g.query(_ANNOTATIONS.replace("REPORT", g.root), ["m"]):
            if (m, t) in seen:  # a second value somewhere: the first, as g.value gives one
                continue
            seen.add((m, t))
            rows.append((t, URIRef(c) if c is not None else None, select(URIRef(m))))
    else:
        for m in _of_kind(g, rep, OA.Annotation, None):
            found = select(m)
            rows += [(str(t), g.value(m, DCTERMS.isPartOf), found) for t in g.objects(m, OA.hasBody)]
    out: dict[str, list[Mention]] = {}
    for body, container, (start, end, _exact, sentence, at) in rows:
        chain = ctx.chain(container)
        mention = {
            "report": chain["report"],
            "part": chain["part"],
            "section": chain["section"],
            "initiative": chain["initiative"],
            "initiative_iri": chain.get("initiative_iri"),
            "quote": sentence,
            "at": at,  # where the term starts inside the quote
            "start": start,
            "end": end,
        }
        out.setdefault(body, []).append((chain["report"] or "", start, mention_line(mention)))
    return {t: term_mentions(found) for t, found in sorted(out.items())}


def term_mentions(found: list[Mention]) -> TermMentions:
    """These mentions of a term, in the order of its mentions file (by report, then text position)."""
    found = sorted(found)
    reports = {report for report, _start, _line in found}
    text = SEPARATOR.join(m[2].encode("utf-8") for m in found)
    return TermMentions(len(found), reports.pop() if len(reports) == 1 else None, text)


def _item(g: Reads, node: Any, select: _Selectors) -> dict[str, Any]:
    start, end, _exact, _sentence, _at = select(node)
    kind = "project" if (node, RDF.type, NMT.PracticalProject) in g else "initiative"
    entry: dict[str, Any] = {
        "iri": str(node),
        "kind": kind,
        "order": integer(g, node, NMT.order),
        "title": _titles(g, node),
        "start": start,
        "end": end,
        "dimensions": dimensions(g, node),
        "continues": sorted(str(c) for c in g.objects(node, NMT.continues)),
        "continued_by": sorted(str(c) for c in g.subjects(NMT.continues, node)),
    }
    # The offices it names (a 工作要点's 牵头单位): only where there are some, so the index of a
    # report that names none is as it was.
    units = [
        {"role": role, "iri": str(o), "label": text(g, o, RDFS.label, "zh")}
        for role, prop in (("lead", NMT.leadUnit), ("partner", NMT.partnerUnit))
        for o in sorted(g.objects(node, prop), key=str)
    ]
    if units:
        entry["units"] = units
    return entry


def _children(g: Reads, parent: Any, cls: URIRef) -> list[Any]:
    kids = [n for n in g.subjects(DCTERMS.isPartOf, parent) if (n, RDF.type, cls) in g]
    return sorted(kids, key=lambda n: integer(g, n, NMT.order) or 0)


def _titles(g: Reads, node: Any) -> dict[str, str | None]:
    return {"zh": text(g, node, DCTERMS.title, "zh"), "en": text(g, node, DCTERMS.title, "en")}


def _report(g: Reads, rep: URIRef, report_text: str, select: _Selectors) -> dict[str, Any]:
    """The report's metadata, text and structure, for the web pages."""
    publisher = g.value(rep, DCTERMS.publisher)
    meeting = g.value(rep, NMT.deliveredAt)
    parts = []
    for part in _children(g, rep, NMT.Part):
        sections = []
        for sec in _children(g, part, NMT.Section):
            s_start, s_end, _e, _s, _a = select(sec)
            items = [
                _item(g, n, select) for n in _children(g, sec, NMT.Initiative) + _children(g, sec, NMT.PracticalProject)
            ]
            sections.append(
                {
                    "iri": str(sec),
                    "order": integer(g, sec, NMT.order),
                    "start": s_start,
                    "end": s_end,
                    "title": _titles(g, sec),
                    "items": sorted(items, key=lambda i: i["start"]),
                }
            )
        year = g.value(part, NMT.referenceYear)
        parts.append(
            {
                "iri": str(part),
                "order": integer(g, part, NMT.order),
                "year": str(year) if year is not None else None,
                "title": _titles(g, part),
                "sections": sections,
            }
        )
    return {
        "iri": str(rep),
        "slug": local(rep),
        "title": text(g, rep, DCTERMS.title, "zh"),
        "publisher": text(g, publisher, RDFS.label, "zh") if publisher is not None else None,
        "issued": str(g.value(rep, DCTERMS.issued) or "") or None,
        "delivered": str(g.value(rep, NMT.deliveredOn) or "") or None,
        "meeting": text(g, meeting, RDFS.label, "zh") if meeting is not None else None,
        "text": report_text,
        "parts": parts,
    }


def _quantities(g: Reads, rep: URIRef, ctx: Context, select: _Selectors) -> list[dict[str, Any]]:
    out = []
    # A figure of a part without one year (上半年, 2020-2022年工作总结) is of the report's period.
    report_period = g.value(rep, NMT.period)
    for q in _of_kind(g, rep, NMT.Quantity, _QUANTITIES):
        start, end, exact, sentence, _at = select(q)
        chain = ctx.chain(g.value(q, NMT.statedIn))
        change = g.value(q, NMT.changePercent)
        period = g.value(q, NMT.referenceYear) or report_period
        approx = g.value(q, NMT.approximate)
        out.append(
            {
                "label": {"zh": text(g, q, RDFS.label, "zh"), "en": text(g, q, RDFS.label, "en")},
                "value": float(str(g.value(q, RDF.value))),
                "unit": str(g.value(q, NMT.unit)),
                "raw": exact,
                "quote": sentence,
                "approx": bool(approx.toPython()) if isinstance(approx, Literal) else False,
                "change_percent": float(str(change)) if change is not None else None,
                "period": str(period) if period is not None else None,
                "initiative": chain["initiative"],
                "section": chain["section"],
                "part": chain["part"],
                "report": chain["report"],
                "iri": str(q),
                "start": start,
                "end": end,
            }
        )
        low = g.value(q, SCHEMA_MIN)
        if low is not None:  # a range (3-5个); only then, so a report without one reads as before
            out[-1]["low"] = float(str(low))
    return sorted(out, key=lambda q: (q["start"], q["iri"]))


def text_sha(report_text: str) -> str:
    """The digest a part keeps of its report's text."""
    return hashlib.sha256(report_text.encode("utf-8")).hexdigest()


def report_part(g: ReadGraph, rep: URIRef, report_text: str) -> Part:
    """Report ``rep``'s share of the index, read off the union ``g``."""
    reads = Reads(g, str(rep))
    ctx = Context(reads)
    select = _Selectors(reads)
    entry = jsontext.dumps(_report(reads, rep, report_text, select), 1, level=ENTRY_LEVEL)
    quantities = [
        (q["report"] or "", jsontext.dumps(q, 1, level=ENTRY_LEVEL)) for q in _quantities(reads, rep, ctx, select)
    ]
    mentions = _mentions(reads, rep, ctx, select)
    return Part(
        local(rep),
        text_sha(report_text),
        entry,
        quantities,
        mentions,
        frozenset(reads.forward),
        frozenset(reads.backward),
        frozenset(reads.outside),
        frozenset(reads.outside_back),
    )


PARALLEL_MIN = 64  # fewer parts to read: starting worker processes (a second each) costs more than it saves
_worker_graph: list[ReadGraph] = []  # a worker's read-only view of the store, opened once


def _open(store: str) -> None:
    from kg.store import open_read_only
    from kg.store_graph import StoreGraph

    _worker_graph.append(StoreGraph(open_read_only(store)))


def _read(job: tuple[str, str]) -> Part:
    rep, report_text = job
    return report_part(_worker_graph[0], URIRef(rep), report_text)


def read_parts(store: Path, jobs: list[tuple[str, str]], workers: int) -> Iterator[Part]:
    """Report parts (report IRI, text) read by ``workers`` processes from the store at ``store``,
    in the jobs' order. The store must be flushed: each worker opens it read-only.

    Workers are spawned: a script that builds must do so under ``if __name__ == "__main__"``.
    Raises ``BrokenProcessPool`` (or ``OSError``) when they cannot start or die; the caller
    then reads the rest itself.
    """
    # Spawned, not forked: the store is open here, and its threads must not be copied mid-work.
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_open, initargs=(str(store),))
    try:
        yield from pool.map(_read, jobs, chunksize=4)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class Changes:
    """The triples the merged graph gained or lost, by the report (or node) each one starts from or points at."""

    def __init__(self, changes: Iterable[Change], reports: str) -> None:
        self.reports = reports  # the IRI every report's IRI starts with
        self.forward: dict[str, set[str]] = {}  # report IRI (or another node) → predicates of triples from it
        self.backward: dict[str, set[str]] = {}  # … → predicates of triples to it
        for s, p, o in changes:
            self.forward.setdefault(self._root(s), set()).add(p)
            if o is not None:
                self.backward.setdefault(self._root(o), set()).add(p)

    def _root(self, iri: str) -> str:
        """The report a node belongs to (its IRI), or the node itself."""
        if iri.startswith(self.reports):
            return self.reports + iri[len(self.reports) :].partition("/")[0]
        return iri

    def _hit(self, found: dict[str, set[str]], node: str, read: frozenset[str]) -> bool:
        if node == ANY:
            return any(ANY in read or not read.isdisjoint(p) for p in found.values())
        changed = found.get(self._root(node))
        return changed is not None and (ANY in read or not read.isdisjoint(changed))

    def affect(self, part: Part, report: str) -> bool:
        """Whether any change could be one that ``part`` (of ``report``) read."""
        return (
            self._hit(self.forward, report, part.forward)
            or self._hit(self.backward, report, part.backward)
            or any(self._hit(self.forward, n, part.forward) for n in part.outside)
            or any(self._hit(self.backward, n, part.backward) for n in part.outside_back)
        )


def parts_key() -> str:
    """A digest of the code a part depends on: another version of it reads every part again."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in ("index_parts.py", "index_read.py", "store_graph.py", "graph_index.py", "vocab.py", "jsontext.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()


class PartCache:
    """The last build's parts that this build's changes leave valid, and this build's parts kept for the next.

    ``old``/``new``: the ``build-cache/index`` folders of the last build and of this one;
    ``changes``: what the merged graph gained or lost (None: read every part again).
    """

    def __init__(self, old: Path | None, new: Path, changes: Changes | None) -> None:
        self.old = old if changes is not None else None
        self.new = new
        self.changes = changes
        self.key = parts_key()
        self.reused: list[str] = []

    def get(self, slug: str, report: str, report_text: str) -> Part | None:
        """The last build's part of report ``slug`` (IRI ``report``), unless it may have changed."""
        if self.old is None or self.changes is None:
            return None
        try:
            with (self.old / f"{slug}.pickle").open("rb") as fh:
                key, part = pickle.load(fh)
        except Exception:  # missing or damaged: read again
            return None
        if key != self.key or not isinstance(part, Part) or part.text_sha != text_sha(report_text):
            return None
        if self.changes.affect(part, report):
            return None
        self.reused.append(slug)
        return part

    def keep(self, part: Part, reused: bool) -> None:
        """Keep ``part`` for the next build: linked from the last build's when reused."""
        self.new.mkdir(parents=True, exist_ok=True)
        target = self.new / f"{part.slug}.pickle"
        # Never write through a link into the last build's file (a second attempt at the index).
        target.unlink(missing_ok=True)
        if reused and self.old is not None and link_or_copy(self.old / f"{part.slug}.pickle", target):
            return
        with target.open("wb") as fh:
            pickle.dump((self.key, part), fh, protocol=pickle.HIGHEST_PROTOCOL)
