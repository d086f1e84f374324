"""Reading the index's values off a build's union: texts, numbers, chains, selectors.

Shared by the whole-corpus part of the index (:mod:`kg.index`) and each report's
part (:mod:`kg.index_parts`). :class:`Reads` wraps the union for one report's part
and notes what it read, so that the next build can tell whether its changes
touched any of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF
from rdflib.term import Node

from kg.graph_index import ReadGraph
from kg.store_graph import StoreGraph
from kg.vocab import NMT, OA

ANY = ""  # a read through any predicate, or of any node


class Reads:
    """The union seen through one report's part: it answers like the graph and notes each read.

    ``forward``: the predicates read from a node (``ANY`` for all of them); ``backward``:
    the predicates followed back to a node; ``outside`` and ``outside_back``: the nodes
    so read that are not the report's (``root`` or an IRI under ``root/``).
    """

    def __init__(self, g: ReadGraph, root: str) -> None:
        self.g = g
        self.root = root
        self.store: Any = g.store if isinstance(g, StoreGraph) else None
        self.forward: set[str] = set()
        self.backward: set[str] = set()
        self.outside: set[str] = set()
        self.outside_back: set[str] = set()

    def own(self, node: object) -> bool:
        """Whether ``node`` is one of the report's nodes."""
        return isinstance(node, URIRef) and self._own(str(node))

    def _own(self, iri: str) -> bool:
        return iri == self.root or iri.startswith(self.root + "/")

    def read_from(self, node: object, predicates: Any) -> None:
        """Note a read of ``node``'s objects through ``predicates`` (None: any)."""
        self.forward.update([ANY] if predicates is None else map(str, predicates))
        if not self.own(node):
            self.outside.add(ANY if node is None else str(node))

    def read_back(self, node: object, predicates: Any) -> None:
        """Note a read of the subjects pointing at ``node`` through ``predicates`` (None: any)."""
        self.backward.update([ANY] if predicates is None else map(str, predicates))
        if not self.own(node):
            self.outside_back.add(ANY if node is None else str(node))

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        self.read_from(subject, None if predicate is None else [predicate])
        return cast(Iterator[Node], self.g.objects(subject, predicate))

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        self.read_back(object, None if predicate is None else [predicate])
        return cast(Iterator[Node], self.g.subjects(predicate, object))

    def value(self, subject: Node, predicate: Node) -> Any:
        self.read_from(subject, [predicate])
        return self.g.value(subject, predicate)

    def __contains__(self, triple: object) -> bool:
        s, p, _o = cast(tuple[Node, Node, Node], triple)
        self.read_from(s, [p])
        return triple in self.g

    def query(self, text: str, reads: list[str]) -> Iterator[list[Any]]:
        """Rows of a SELECT on the store, by position, as plain values (None when unbound).

        The query's IRIs count as predicates read both ways from the nodes its rows
        bind, and the variables named in ``reads`` are the nodes read from.
        """
        preds = predicates_of(text)
        self.forward.update(preds)
        self.backward.update(preds)
        names = _variables(text)
        at = [names.index(v) for v in reads]
        for row in self.store.query(text):
            values = [v.value if v is not None else None for v in row]
            for i in at:
                iri = values[i]
                if iri is not None and not self._own(iri):
                    self.outside.add(iri)
                    self.outside_back.add(iri)
            yield values


Source = ReadGraph | Reads


def predicates_of(query: str) -> list[str]:
    """Every IRI a SPARQL text names, prefixed names expanded (predicates, and classes too)."""
    prefixes = dict(re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", query))
    body = re.sub(r"PREFIX\s+\w*:\s*<[^>]*>", "", query)
    found = set(re.findall(r"<([^>]+)>", body))
    found |= {prefixes[p] + local for p, local in re.findall(r"\b(\w+):(\w+)", body) if p in prefixes}
    if re.search(r"\sa\s", body):
        found.add(str(RDF.type))
    return sorted(found)


def _variables(query: str) -> list[str]:
    """The projected variables of a ``SELECT ?a ?b … WHERE`` text, in order."""
    head = re.search(r"SELECT\s+(.*?)\s+WHERE", query, re.S)
    return re.findall(r"\?(\w+)", head.group(1)) if head else []


def text(g: Source, node: Any, prop: URIRef, lang: str) -> str | None:
    """``node``'s ``prop`` in language ``lang`` (the first by text when there are several)."""
    for o in sorted(g.objects(node, prop), key=str):
        if isinstance(o, Literal) and (o.language or "").lower() == lang.lower():
            return str(o)
    return None


def all_texts(g: Source, node: Any, prop: URIRef, lang: str) -> list[str]:
    """Every ``prop`` of ``node`` in language ``lang``, sorted."""
    # Language tags compare without case (BCP 47): a store may keep them in lower case.
    want = lang.lower()
    return sorted(
        str(o) for o in g.objects(node, prop) if isinstance(o, Literal) and (o.language or "").lower() == want
    )


def integer(g: Source, node: Any, prop: URIRef) -> int | None:
    """``node``'s ``prop`` as an int, or None."""
    v = g.value(node, prop)
    return int(v) if isinstance(v, Literal) else None


def local(iri: Any) -> str:
    """The last path segment of an IRI."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


class Context:
    """Titles of the structural chain around any node (initiative → section → part)."""

    def __init__(self, g: Source) -> None:
        self.g = g
        self._chains: dict[Any, dict[str, Any]] = {}  # many mentions share a container: walk it once
        # Each node's types, zh title and parent, looked up once: containers share their sections,
        # parts and report (a corpus's mentions walked them tens of thousands of times).
        self._nodes: dict[Any, tuple[set[Any], str | None, Any]] = {}

    def chain(self, node: Any) -> dict[str, Any]:
        """The part, section, initiative and report titles above ``node`` (and their IRIs)."""
        found = self._chains.get(node)
        if found is None:
            found = self._chains[node] = self._walk(node)
        return dict(found)

    def _node(self, node: Any) -> tuple[set[Any], str | None, Any]:
        found = self._nodes.get(node)
        if found is None:
            g = self.g
            found = self._nodes[node] = (
                set(g.objects(node, RDF.type)),
                text(g, node, DCTERMS.title, "zh"),
                g.value(node, DCTERMS.isPartOf),
            )
        return found

    def _walk(self, node: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"part": None, "section": None, "initiative": None, "report": None}
        seen = 0
        while node is not None and seen < 8:
            types, title, parent = self._node(node)
            if NMT.Initiative in types or NMT.PracticalProject in types:
                out["initiative"] = title
                out["initiative_iri"] = str(node)
            elif NMT.Section in types:
                out["section"] = title
                out["section_iri"] = str(node)
            elif NMT.Part in types:
                out["part"] = title
                out["part_iri"] = str(node)
            elif NMT.Report in types:
                out["report"] = local(node)
                break
            node = parent
            seen += 1
        return out


Selector = tuple[int, int, str, str, int]  # start, end, exact text, sentence, offset of the text in it


def located(start: Any, end: Any, quote: tuple[Any, Any, Any] | None) -> Selector:
    """The selector tuple from a position (start, end) and a quote (exact, prefix, suffix), if any."""
    exact, prefix, suffix = (str(v) if v is not None else "" for v in quote or (None, None, None))
    sentence = prefix + exact + suffix if quote is not None else ""
    return int(str(start or 0)), int(str(end or 0)), exact, sentence, len(prefix)


def selector(g: Source, node: Any) -> Selector:
    """(start, end, exact text, sentence, offset of the exact text in the sentence) of a resource."""
    src = g.value(node, PROV.wasDerivedFrom)
    start = end = quote = None
    for sel in g.objects(src, OA.hasSelector):
        if (sel, RDF.type, OA.TextPositionSelector) in g:
            start, end = g.value(sel, OA.start), g.value(sel, OA.end)
        else:
            quote = (g.value(sel, OA.exact), g.value(sel, OA.prefix), g.value(sel, OA.suffix))
    return located(start, end, quote)


def dimensions(g: Source, node: Any) -> list[str]:
    """A term's or work item's dimensions, its primary one first."""
    primary = g.value(node, NMT.primaryDimension)
    return sorted((str(d) for d in g.objects(node, NMT.alignsWith)), key=lambda d: (d != str(primary), d))
