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

import contextlib
import io
import json
import mmap
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD, NamespaceManager, split_uri
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.plugins.shared.jsonld.context import Context
from rdflib.term import Node, _is_valid_uri

Triple = tuple[Node, Node, Node]
_NATIVE = {XSD.boolean, XSD.integer, XSD.double, XSD.string}  # rdflib's PLAIN_LITERAL_TYPES
# Looked up once: a namespace attribute is a method call on every access.
_TYPE, _NIL = RDF.type, RDF.nil
_TYPE_S, _NIL_S = str(RDF.type), str(RDF.nil)  # compared as plain str: rdflib's == runs in Python


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


class Unusual(Exception):
    """The triples need a part of rdflib's Turtle writer the direct one does not repeat."""


class _Names:
    """Labels as rdflib's Turtle writer writes them, and the prefixes they use."""

    _PERCENT = TurtleSerializer.LOCALNAME_PECRENT_CHARACTER_REQUIRING_ESCAPE_REGEX

    def __init__(self, namespaces: NamespaceManager) -> None:
        self._nm = namespaces
        # Keyed by plain str: rdflib terms compare in Python, and every look-up compared.
        self._memo: dict[str, str | None] = {}
        self._literals: dict[tuple[str, str | None, str | None], str] = {}
        self.used: dict[str, str] = {}
        # The namespaces rdflib's manager keeps in its trie: the bound ones, then each one computed.
        self._seen = {str(ns) for _p, ns in namespaces.namespaces()}

    def _qname(self, uri: str) -> tuple[str, str, str]:
        """``NamespaceManager.compute_qname(uri, generate=False)``, in time independent of the names seen.

        rdflib files every namespace it computes in a trie whose insertion walks a
        level's keys: a corpus's curation graph (tens of thousands of namespaces)
        spent most of its Turtle there. As rdflib's, the namespace is the longest
        one seen that the IRI starts with, at least as long as ``split_uri``'s.
        """
        if not _is_valid_uri(uri):
            raise ValueError(uri)
        try:
            namespace, _name = split_uri(uri)
        except ValueError:
            if not self._nm.store.prefix(URIRef(uri)):
                raise
            namespace = uri
        self._seen.add(namespace)
        for end in range(len(uri), len(namespace), -1):
            if uri[:end] in self._seen:
                namespace = uri[:end]
                break
        prefix = self._nm.store.prefix(URIRef(namespace))
        if prefix is None:
            raise KeyError(namespace)
        return prefix, namespace, uri[len(namespace) :]

    def pname(self, uri: Node, predicate: bool = False) -> str | None:
        """``TurtleSerializer.get_pname``, never making a prefix up (that is :class:`Unusual`)."""
        key = str(uri)
        if key in self._memo:
            found = self._memo[key]
            if found is None and predicate:
                raise Unusual(key)
            return found
        try:
            prefix, namespace, local = self._qname(key)
        except Exception:
            if predicate:
                raise Unusual(key) from None
            pfx = self._nm.store.prefix(URIRef(key))
            if pfx is None:
                self._memo[key] = None
                return None
            prefix, namespace, local = pfx, URIRef(key), ""
        local = self._PERCENT.sub("\\\\%", local.replace("(", "\\(").replace(")", "\\)"))
        if local.endswith("."):
            self._memo[key] = None
            return None
        if prefix.startswith("_") or self.used.get(prefix, str(namespace)) != str(namespace):
            raise Unusual(key)  # rdflib would rename the prefix
        self.used[prefix] = str(namespace)
        self._memo[key] = found = f"{prefix}:{local}"
        return found

    def label(self, node: Node, predicate: bool = False) -> str:
        if type(node) is URIRef:  # the common case, without rdflib's comparisons
            iri = str(node)
            if predicate and iri == _TYPE_S:
                return "a"
            if iri == _NIL_S:
                raise Unusual(node)
            return self.pname(node, predicate) or node.n3()
        if isinstance(node, Literal):
            dt = node.datatype
            key = (str(node), node.language, None if dt is None else str(dt))
            found = self._literals.get(key)
            if found is None:
                if dt is not None:
                    self.pname(dt)  # rdflib declares a datatype's prefix even for a bare number
                found = self._literals[key] = node._literal_n3(use_plain=True, qname_callback=self.pname)
            return found
        if isinstance(node, BNode) or node == _NIL:
            raise Unusual(node)
        if predicate and node == _TYPE:
            return "a"
        return self.pname(node, predicate) or node.n3()


# A subject's predicates: predicate IRI → (its label, its objects by label).
Predicates = dict[str, tuple[str, dict[str, Node]]]
_FIRST = (str(RDF.type), str(RDFS.label))  # rdflib's predicateOrder


@dataclass(frozen=True)
class Statements:
    """One graph's Turtle statements by subject, with what ordering them in a document needs."""

    prefixes: dict[str, str]  # the prefixes its names use
    blocks: dict[str, str]  # subject IRI → ``s p o ; … .``
    refs: dict[str, int]  # IRI → how many triples have it as object
    classes: frozenset[str]  # subjects typed rdfs:Class (rdflib writes them first)

    def rename(self, old: str, new: str) -> Statements:
        """The same statements with every ``old`` replaced by ``new`` (a build IRI's digest)."""

        def sub(text: str) -> str:
            return text.replace(old, new)

        return Statements(
            {k: sub(v) for k, v in self.prefixes.items()},
            {sub(k): sub(v) for k, v in self.blocks.items()},
            {sub(k): v for k, v in self.refs.items()},
            frozenset(sub(c) for c in self.classes),
        )


def _predicates(triples: Iterable[Triple], names: _Names) -> dict[str, Predicates]:
    """The triples by subject and predicate, every term labelled once."""
    out: dict[str, Predicates] = {}
    for s, p, o in triples:
        if not isinstance(s, URIRef):
            raise Unusual(s)
        preds = out.get(str(s))
        if preds is None:
            preds = out[str(s)] = {}
            names.label(s)
        pk = str(p)
        entry = preds.get(pk)
        if entry is None:
            entry = preds[pk] = (names.label(p, predicate=True), {})
        entry[1][names.label(o)] = o  # labels are one-to-one with terms
    return out


def _block(subject: str, preds: Predicates, names: _Names) -> str:
    """One subject's statement: ``s p o1, o2 ; p2 o3 .`` laid out as rdflib lays it out."""
    order = [p for p in _FIRST if p in preds] + sorted(p for p in preds if p not in _FIRST)
    out = [names.label(URIRef(subject))]
    for i, p in enumerate(order):
        plabel, objs = preds[p]
        out.append((" ;\n    " if i else " ") + plabel + " ")
        if len(objs) == 1:
            out.append(next(iter(objs)))
        else:  # rdflib sorts terms (a literal compares by value): so do we
            by_term = sorted(objs.items(), key=lambda lo: lo[1])  # type: ignore[arg-type, return-value]
            out.append(",\n        ".join(label for label, _o in by_term))
    out.append(" .")
    return "".join(out)


def _refs(preds_by_subject: Mapping[str, Predicates]) -> dict[str, int]:
    refs: dict[str, int] = {}
    for preds in preds_by_subject.values():
        for _label, objs in preds.values():
            for o in objs.values():
                if isinstance(o, URIRef):
                    refs[str(o)] = refs.get(str(o), 0) + 1
    return refs


def _classes(preds_by_subject: Mapping[str, Predicates]) -> frozenset[str]:
    rdfs_class = str(RDFS.Class)
    return frozenset(
        s
        for s, preds in preds_by_subject.items()
        if str(RDF.type) in preds and any(str(o) == rdfs_class for o in preds[str(RDF.type)][1].values())
    )


def statements(triples: Iterable[Triple], namespaces: NamespaceManager) -> Statements:
    """The Turtle statements of a graph of IRIs and literals (:class:`Unusual` for anything else)."""
    names = _Names(namespaces)
    by_subject = _predicates(triples, names)
    blocks = {s: _block(s, preds, names) for s, preds in by_subject.items()}
    return Statements(dict(names.used), blocks, _refs(by_subject), _classes(by_subject))


def document(st: Statements) -> str:
    """The Turtle file of these statements: prefixes, then subjects in rdflib's order."""
    classes = sorted(st.classes)
    rest = sorted((st.refs.get(s, 0), s) for s in st.blocks if s not in st.classes)
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(st.prefixes.items()))
    body = "".join(f"\n{st.blocks[s]}\n" for s in [*classes, *(s for _r, s in rest)])
    return head + body + "\n"


Reload = Callable[[], list[Triple]]


class UnionTurtle:
    """The Turtle of a union of graphs, fed one graph's statements and triples at a time.

    A subject stated in one graph keeps that graph's block, kept in ``spill`` (a
    file, for a corpus) until the subjects' order is known; one stated in several
    graphs is written again from the distinct triples of all of them. Those
    triples are kept where ``keep`` (a subject's IRI → bool) expects sharing, and
    read again through ``reload`` where it did not.
    """

    def __init__(self, namespaces: NamespaceManager, spill: BinaryIO | None = None) -> None:
        self._nm = namespaces
        self._spill = spill if spill is not None else io.BytesIO()
        # Where the next block goes: kept here, because asking a buffered file (seek to the end)
        # flushes it, a write and a seek call per subject (about 8 s of a 1,000-report rebuild).
        self._end = self._spill.seek(0, io.SEEK_END)
        self._at: dict[str, tuple[int, int, int]] = {}  # subject → its first block in the spill, and graph
        self._owners: dict[str, list[int]] = {}  # subject stated in several graphs → those graphs
        self._parts: list[tuple[list[Triple], Callable[[str], bool] | None, Reload | None]] = []
        self.refs: dict[str, int] = {}
        self.prefixes: dict[str, str] = {}
        self.classes: set[str] = set()

    def add(
        self,
        st: Statements,
        triples: list[Triple],
        keep: Callable[[str], bool] | None = None,
        reload: Reload | None = None,
    ) -> None:
        """One graph: its statements (see :func:`statements`) and its triples."""
        part = len(self._parts)
        self.prefixes.update(st.prefixes)
        self.classes |= st.classes
        for k, n in st.refs.items():
            self.refs[k] = self.refs.get(k, 0) + n
        for s, block in st.blocks.items():
            found = self._at.get(s)
            if found is not None:
                self._owners.setdefault(s, [found[2]]).append(part)
                continue
            data = block.encode("utf-8")
            self._at[s] = (self._end, len(data), part)
            self._spill.write(data)
            self._end += len(data)
        if keep is None or reload is None:
            self._parts.append((triples, None, None))
        else:
            self._parts.append(([t for t in triples if keep(str(t[0]))], keep, reload))

    def states(self, subject: str) -> bool:
        """Whether a graph added so far states ``subject``."""
        return subject in self._at

    def _shared_triples(self) -> list[list[Triple]]:
        """The triples of every subject stated in several graphs, from each graph stating it."""
        wanted: dict[int, set[str]] = {}
        for s, parts in self._owners.items():
            for part in parts:
                wanted.setdefault(part, set()).add(s)
        out: list[list[Triple]] = []
        for part, subjects in sorted(wanted.items()):
            kept, keep, reload = self._parts[part]
            if keep is not None and reload is not None and not all(keep(s) for s in subjects):
                kept = reload()  # sharing where none was expected: read the graph again
            out.append([t for t in kept if str(t[0]) in subjects])
        return out

    def write(self, out: TextIO) -> None:
        """Write the union's Turtle file."""
        names = _Names(self._nm)
        refs = self.refs
        shared = set(self._owners)
        own: list[Triple] = []
        for mine in self._shared_triples():
            own += mine
            for k, n in _refs(_predicates(mine, names)).items():  # taken back: counted once below
                refs[k] -= n
        merged = _predicates(dict.fromkeys(own), names)
        for k, n in _refs(merged).items():
            refs[k] = refs.get(k, 0) + n
        blocks = {s: _block(s, preds, names) for s, preds in merged.items()}
        prefixes = self.prefixes | names.used
        out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())))
        classes = sorted(self.classes)
        rest = sorted((refs.get(s, 0), s) for s in self._at if s not in self.classes)
        with _readable(self._spill, self._end) as spilled:
            for s in [*classes, *(s for _r, s in rest)]:
                block = blocks.get(s) if s in shared else None
                if block is None:
                    offset, size, _part = self._at[s]
                    block = str(spilled[offset : offset + size], "utf-8")
                out.write(f"\n{block}\n")
        out.write("\n")


@contextlib.contextmanager
def _readable(spill: BinaryIO, size: int) -> Iterator[Any]:
    """The first ``size`` bytes of ``spill`` to slice: mapped when it is a file, so that reading
    each block back in the subjects' order (not the order written) costs no seek and read calls."""
    spill.flush()
    if isinstance(spill, io.BytesIO):
        with spill.getbuffer() as view:  # released after: the BytesIO may grow again
            yield view
    elif size == 0:  # nothing to map (an empty file cannot be)
        yield b""
    else:
        with mmap.mmap(spill.fileno(), size, access=mmap.ACCESS_READ) as mapped:
            yield mapped


def _rdflib_turtle(triples: Iterable[Triple], namespaces: NamespaceManager) -> str:
    stream = io.BytesIO()
    _Turtle(Index(triples, namespaces)).serialize(stream)
    return stream.getvalue().decode("utf-8")


def turtle(triples: Iterable[Triple], namespaces: NamespaceManager) -> str:
    """``Graph.serialize(format="turtle")`` of these triples with these prefix bindings."""
    triples = list(triples)
    try:
        return document(statements(triples, namespaces))
    except Unusual:
        return _rdflib_turtle(triples, namespaces)


def union_turtle(parts: list[tuple[Statements | None, list[Triple]]], namespaces: NamespaceManager) -> str:
    """:func:`turtle` of the union of graphs, reusing each graph's statements (None: not computed)."""
    try:
        union = UnionTurtle(namespaces)
        for st, triples in parts:
            union.add(st or statements(triples, namespaces), triples)
        out = io.StringIO()
        union.write(out)
        return out.getvalue()
    except Unusual:
        return _rdflib_turtle((t for _st, triples in parts for t in triples), namespaces)


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
            if isinstance(s, BNode) or isinstance(o, BNode) or o == _NIL or str(p) in namespaces:
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
            if p == _TYPE:
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
