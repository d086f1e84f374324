"""Turtle and JSON-LD written from plain triples: the bytes rdflib writes, without its store.

rdflib's writers ask a ``Graph`` for every subject's triples and compute every IRI's
prefixed name again for each use; on a corpus that was most of a build (a profile
of ten reports: 24 s of 60 in the Turtle writer, 7 s in the JSON-LD one). Here:

- :func:`turtle` runs rdflib's own ``TurtleSerializer`` (so its ordering, nesting,
  escaping and literal forms stay rdflib's) over :class:`Index`, a dict of the
  triples by subject, with prefixed names remembered per IRI;
- :func:`jsonld` builds the node objects rdflib's JSON-LD converter builds for a
  context of prefixes only, compacting IRIs with rdflib's ``Context``. Graphs with
  blank nodes or RDF lists, and predicates named by a context entry itself, go
  to rdflib's converter: they need its embedding and list rules.

``tests/test_writers.py`` shows both give rdflib's output, on the packaged build
and on generated graphs.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD, NamespaceManager
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.plugins.shared.jsonld.context import Context
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
_NATIVE = {XSD.boolean, XSD.integer, XSD.double, XSD.string}  # rdflib's PLAIN_LITERAL_TYPES


class Index:
    """The triples of one graph by subject, answering what rdflib's Turtle writer asks of a Graph."""

    base = None

    def __init__(self, triples: Iterable[Triple], namespaces: NamespaceManager) -> None:
        self._spo: dict[Node, dict[Node, dict[Node, None]]] = {}
        for s, p, o in triples:
            self._spo.setdefault(s, {}).setdefault(p, {})[o] = None
        self._nm = namespaces
        self.store = namespaces.store  # the writer looks a namespace's own prefix up here
        self._prefixes = {p for p, _ns in namespaces.namespaces()}
        self.generated = 0  # prefixes the writer made up (``ns1`` …): a failed lookup may succeed after one

    def __len__(self) -> int:
        return sum(len(objs) for preds in self._spo.values() for objs in preds.values())

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        s, p, o = pattern
        subjects = self._spo if s is None else ({s: self._spo[s]} if s in self._spo else {})
        for s1, preds in subjects.items():
            for p1, objs in preds.items():
                if p is not None and p1 != p:
                    continue
                for o1 in objs:
                    if o is None or o1 == o:
                        yield s1, p1, o1

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        return (s for s, preds in self._spo.items() if obj in preds.get(predicate, ()))

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(iter(self._spo.get(subject, {}).get(predicate, ())), None)

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        return ((p, o) for _s, p, o in self.triples((subject, None, None)))

    def compute_qname(self, uri: str, generate: bool = True) -> tuple[str, URIRef, str]:
        found = self._nm.compute_qname(uri, generate)
        if found[0] not in self._prefixes:
            self._prefixes.add(found[0])
            self.generated += 1
        return found


class _Turtle(TurtleSerializer):
    """rdflib's Turtle writer with each IRI's prefixed name computed once."""

    def __init__(self, index: Index) -> None:
        super().__init__(index)  # type: ignore[arg-type]
        self._index = index
        self._pnames: dict[tuple[Node, bool], tuple[str | None, tuple[str, URIRef] | None, int]] = {}
        self._added: tuple[str, URIRef] | None = None

    def addNamespace(self, prefix: str, namespace: URIRef) -> str:  # type: ignore[override]
        self._added = (prefix, namespace)
        return super().addNamespace(prefix, namespace)

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        if not isinstance(uri, URIRef):
            return None
        hit = self._pnames.get((uri, gen_prefix))
        # A name not found stays not found until the writer makes a prefix up.
        if hit is not None and (hit[0] is not None or hit[2] == self._index.generated):
            if hit[1] is not None:
                self.addNamespace(*hit[1])
            return hit[0]
        self._added = None
        pname = super().get_pname(uri, gen_prefix)
        self._pnames[(uri, gen_prefix)] = (pname, self._added, self._index.generated)
        return pname


class _Unusual(Exception):
    """The triples need a part of rdflib's Turtle writer the direct one does not repeat."""


class _Names:
    """Prefixed names as rdflib's Turtle writer computes them, and the prefixes they use."""

    _PERCENT = TurtleSerializer.LOCALNAME_PECRENT_CHARACTER_REQUIRING_ESCAPE_REGEX

    def __init__(self, namespaces: NamespaceManager) -> None:
        self._nm = namespaces
        self._memo: dict[Node, str | None] = {}
        self.used: dict[str, URIRef] = {}

    def pname(self, uri: Node, predicate: bool = False) -> str | None:
        """``TurtleSerializer.get_pname``, never making a prefix up (that is :class:`_Unusual`)."""
        if uri in self._memo:
            found = self._memo[uri]
            if found is None and predicate:
                raise _Unusual(uri)
            return found
        try:
            prefix, namespace, local = self._nm.compute_qname(str(uri), generate=False)
        except Exception:
            if predicate:
                raise _Unusual(uri) from None
            pfx = self._nm.store.prefix(URIRef(str(uri)))
            if pfx is None:
                self._memo[uri] = None
                return None
            prefix, namespace, local = pfx, URIRef(str(uri)), ""
        local = self._PERCENT.sub("\\\\%", local.replace("(", "\\(").replace(")", "\\)"))
        if local.endswith("."):
            self._memo[uri] = None
            return None
        if prefix.startswith("_") or self.used.get(prefix, namespace) != namespace:
            raise _Unusual(uri)  # rdflib would rename the prefix
        self.used[prefix] = namespace
        self._memo[uri] = found = f"{prefix}:{local}"
        return found

    def label(self, node: Node, predicate: bool = False) -> str:
        if isinstance(node, Literal):
            return node._literal_n3(use_plain=True, qname_callback=self.pname)
        if predicate and node == RDF.type:
            return "a"
        return self.pname(node, predicate) or node.n3()


def _direct_turtle(index: Index, namespaces: NamespaceManager) -> str:
    """What rdflib's Turtle writer writes for a graph of IRIs and literals only, without its machinery."""
    spo = index._spo
    names = _Names(namespaces)
    refs: dict[Node, int] = {}
    for preds in spo.values():
        for p, objs in preds.items():
            names.label(p, predicate=True)
            for o in objs:
                if isinstance(o, BNode) or o == RDF.nil:
                    raise _Unusual(o)
                refs[o] = refs.get(o, 0) + 1
                if isinstance(o, Literal) and o.datatype:
                    names.pname(o.datatype)  # rdflib declares a datatype's prefix even for a bare number
    if any(isinstance(s, BNode) for s in spo):
        raise _Unusual("blank node")
    classes = sorted((s for s, preds in spo.items() if RDFS.Class in preds.get(RDF.type, ())), key=str)
    first = set(classes)
    rest = sorted((refs.get(s, 0), str(s), s) for s in spo if s not in first)
    blocks = [_block(s, spo[s], names) for s in [*classes, *(s for _r, _k, s in rest)]]
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(names.used.items()))
    return head + "".join(f"\n{b}\n" for b in blocks) + "\n"


def _block(subject: Node, preds: dict[Node, dict[Node, None]], names: _Names) -> str:
    """One subject's statement: ``s p o1, o2 ; p2 o3 .`` laid out as rdflib lays it out."""
    order: list[Node] = [p for p in (RDF.type, RDFS.label) if p in preds]
    order += sorted((p for p in preds if p not in (RDF.type, RDFS.label)), key=str)
    out = [names.label(subject)]
    for i, p in enumerate(order):
        out.append((" ;\n    " if i else " ") + names.label(p, predicate=True) + " ")
        out.append(",\n        ".join(names.label(o) for o in sorted(preds[p])))  # type: ignore[type-var]
    out.append(" .")
    return "".join(out)


def turtle(triples: Iterable[Triple], namespaces: NamespaceManager) -> str:
    """``Graph.serialize(format="turtle")`` of these triples with these prefix bindings."""
    index = Index(triples, namespaces)
    try:
        return _direct_turtle(index, namespaces)
    except _Unusual:
        stream = io.BytesIO()
        _Turtle(index).serialize(stream)
        return stream.getvalue().decode("utf-8")


def _rdflib_jsonld(graphs: Mapping[URIRef, Iterable[Triple]], context: dict[str, str]) -> Any:
    ds = Dataset()
    for name, triples in graphs.items():
        target = ds.graph(name)
        for t in triples:
            target.add(t)
    return json.loads(ds.serialize(format="json-ld", context=context))


def jsonld(graphs: Mapping[URIRef, Iterable[Triple]], context: dict[str, str]) -> Any:
    """The object ``Dataset.serialize(format="json-ld", context=context)`` writes, for these named graphs.

    ``context`` maps prefixes to namespaces and nothing else. Key and list order
    follow the triples; callers that want a stable file sort them.
    """
    graphs = {name: list(triples) for name, triples in graphs.items()}
    namespaces = set(context.values())
    for triples in graphs.values():
        for s, p, o in triples:
            if isinstance(s, BNode) or isinstance(o, BNode) or o == RDF.nil or str(p) in namespaces:
                return _rdflib_jsonld(graphs, context)
    ctx = Context(context)
    ids: dict[Node, str] = {}
    symbols: dict[Node, str] = {}

    def shrink(iri: Node) -> str:
        if iri not in ids:
            ids[iri] = ctx.shrink_iri(str(iri))
        return ids[iri]

    def symbol(iri: Node) -> str:
        if iri not in symbols:
            symbols[iri] = ctx.to_symbol(str(iri)) or str(iri)
        return symbols[iri]

    def raw(o: Node) -> Any:
        if isinstance(o, URIRef):
            return {"@id": shrink(o)}
        assert isinstance(o, Literal)
        if o.datatype in _NATIVE:
            return o.toPython()
        if o.datatype:
            return {"@type": symbol(o.datatype), "@value": str(o)}
        if o.language:
            return {"@language": o.language, "@value": str(o)}
        return str(o)

    objs: list[dict[str, Any]] = []
    for name, triples in graphs.items():
        nodes: dict[Node, dict[str, Any]] = {}
        for s, p, o in triples:
            node = nodes.get(s)
            if node is None:
                node = nodes[s] = {"@id": shrink(s)}
            if p == RDF.type:
                key, value = "@type", symbol(o) if isinstance(o, URIRef) else raw(o)
            else:
                key, value = symbol(p), raw(o)
            held = node.get(key)
            if held:  # rdflib's test: a falsy first value (0, false, "") is replaced, not listed
                if not isinstance(held, list):
                    node[key] = held = [held]
                held.append(value)
            else:
                node[key] = value
        if nodes:
            objs.append({"@id": shrink(name), "@graph": list(nodes.values())})
    result: dict[str, Any] = dict(objs[0]) if len(objs) == 1 else {"@graph": objs}
    result["@context"] = context
    return result


def dataset_triples(ds: Dataset) -> dict[URIRef, list[Triple]]:
    """Each non-empty named graph of ``ds`` as a list of triples, graphs in IRI order."""
    out: dict[URIRef, list[Triple]] = {}
    for g in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if isinstance(g.identifier, URIRef) and len(g):
            out[g.identifier] = list(g)
    return out


def graph_of(triples: Iterable[Triple]) -> Graph:
    """An rdflib Graph of these triples (for the callers that query)."""
    g = Graph()
    g.addN((s, p, o, g) for s, p, o in triples)
    return g
