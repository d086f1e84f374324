"""The merged graph of a built Oxigraph store (its default graph), read as an rdflib-like graph.

Validation and the index read a build's union one look-up at a time
(``objects``, ``subjects``, ``value``, ``in``). Held in Python, a corpus's union
took more memory than everything else in a build; the store the build writes
anyway answers the same look-ups from disk. Terms come back as the rdflib terms
the build made: plain literals without ``xsd:string``, language tags in the
store's lower case (readers compare tags without case, as BCP 47 says), except
that the store keeps every integer subtype (:data:`FOLDED`) as ``xsd:integer``:
a build whose shapes constrain the datatype of such a value validates in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.graph_index import Lookups

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
MEMO = 100_000
# Datatypes Oxigraph keeps as xsd:integer (its value encoding has no room for the subtype).
FOLDED = frozenset(
    f"http://www.w3.org/2001/XMLSchema#{t}"
    for t in [
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
)


def _iri(value: str) -> URIRef:
    """``URIRef(value)`` for a value known to be an IRI: the same object, without rdflib's check."""
    return str.__new__(URIRef, value)


def _bound(memo: dict[Any, Any]) -> None:
    """Keep a memo of terms under ``MEMO`` entries: a corpus has millions of IRIs.

    Emptied whole when full (dropping the oldest entry one at a time made each drop
    walk the dict's deleted slots).
    """
    if len(memo) > MEMO:
        memo.clear()


class StoreGraph(Lookups):
    """A read-only view of the default graph of a built pyoxigraph ``Store``: the merge of its named graphs."""

    def __init__(self, store: Any) -> None:
        import pyoxigraph as ox

        self.store = store
        self._ox = ox
        self._default = ox.DefaultGraph()
        # Terms recur (IRIs, numbers, labels) and are remembered, within a bound.
        self._to: dict[str, Any] = {}
        self._from: dict[Any, Node] = {}
        self._kept: dict[Any, Any] = {}  # literal → as the store keeps it

    def _term(self, node: Node | None) -> Any:
        """The Oxigraph term of an rdflib term (None stays None: any)."""
        if node is None:
            return None
        ox = self._ox
        if isinstance(node, URIRef):
            key = str(node)
            found = self._to.get(key)
            if found is None:
                found = self._to[key] = ox.NamedNode(key)
                _bound(self._to)
            return found
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        if isinstance(node, Literal) and node.language:
            return ox.Literal(str(node), language=node.language)
        if isinstance(node, Literal) and node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))

    def _node(self, term: Any) -> Node:
        """The rdflib term of an Oxigraph term (remembered: a corpus repeats IRIs and numbers a lot)."""
        found = self._from.get(term)
        if found is not None:
            return found
        ox = self._ox
        if isinstance(term, ox.NamedNode):
            # The store holds only valid IRIs: URIRef() would check each again (a third of a lookup).
            found = _iri(term.value)
        elif isinstance(term, ox.BlankNode):
            return BNode(term.value)
        elif term.language:
            found = Literal(term.value, lang=term.language)
        elif term.datatype.value == XSD_STRING:
            found = Literal(term.value)
        else:
            found = Literal(term.value, datatype=_iri(term.datatype.value))
        self._from[term] = found
        _bound(self._from)
        return found

    def triple(self, t: Any) -> tuple[Node, Node, Node]:
        """An Oxigraph triple (or quad) as rdflib terms, the ones the look-ups give."""
        return self._node(t.subject), self._node(t.predicate), self._node(t.object)

    def _quads(self, s: Node | None, p: Node | None, o: Node | None) -> Any:
        if isinstance(o, Literal):
            # pyoxigraph 0.5 answers a pattern with some integer literals (255, 2303: an encoding
            # ending in 0xff) by a range of integers from it on; only the literal itself is kept.
            want = self._canonical(self._term(o))
            quads = self.store.quads_for_pattern(self._term(s), self._term(p), want, self._default)
            return (q for q in quads if q.object == want)
        return self.store.quads_for_pattern(self._term(s), self._term(p), self._term(o), self._default)

    def _canonical(self, literal: Any) -> Any:
        """The literal as the store gives it back (an integer subtype as xsd:integer, "01" as "1")."""
        ox = self._ox
        found = self._kept.get(literal)
        if found is None:
            subject = ox.NamedNode("urn:x-kg:canonical")
            scratch = ox.Store()
            scratch.add(ox.Quad(subject, subject, literal))
            found = self._kept[literal] = next(iter(scratch)).object
            _bound(self._kept)
        return found

    def _each_once(self, terms: Iterator[Any], repeats: bool) -> Iterator[Node]:
        """``terms`` as rdflib terms, each once when they may ``repeat`` (a pattern with two open places)."""
        seen: set[Any] = set()
        for t in terms:
            if repeats:
                if t in seen:
                    continue
                seen.add(t)
            yield self._node(t)

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        """The objects of ``subject`` through ``predicate`` (None: any), each once."""
        quads = self._quads(subject, predicate, None)
        return self._each_once((q.object for q in quads), subject is None or predicate is None)

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        """The subjects with ``predicate`` to ``object`` (None: any), each once."""
        quads = self._quads(None, predicate, object)
        return self._each_once((q.subject for q in quads), predicate is None or object is None)

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        """Every (subject, object) pair linked by ``predicate``, each once."""
        for q in self._quads(None, predicate, None):
            yield self._node(q.subject), self._node(q.object)

    def value(self, subject: Node, predicate: Node) -> Any:
        """One object of ``subject`` through ``predicate``, or None."""
        for q in self._quads(subject, predicate, None):
            return self._node(q.object)
        return None

    def __contains__(self, triple: object) -> bool:
        s, p, o = cast(tuple[Node, Node, Node], triple)
        return any(True for _q in self._quads(s, p, o))

    def to_graph(self) -> Graph:
        """An rdflib Graph of the union (for pyshacl)."""
        g = Graph()
        for q in self.store.quads_for_pattern(None, None, None, self._default):
            g.add((self._node(q.subject), self._node(q.predicate), self._node(q.object)))
        return g
