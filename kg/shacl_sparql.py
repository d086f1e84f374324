"""SPARQL-based constraints: each run once over its focus nodes, and only where a change reaches.

:func:`run` evaluates a constraint for a set of focus nodes in one query on
Oxigraph (pyshacl parses and runs it once per node). The rest of this module
says which focus nodes a change to the data can affect.

A SPARQL constraint's result on a focus node ``f`` depends only on the triples
its query matches with ``$this`` bound to ``f``. Read the query's triple
patterns as a graph whose nodes are variables: a changed triple matters to
``f`` only if some pattern matches it in a solution for ``f`` (before the
change or after it), and then a chain of patterns leads from ``$this`` to
that pattern. :func:`reach` gives each variable one such chain, a breadth-first
tree of patterns from ``$this``; :func:`affected` walks each chain backwards in
the data, from the ends of the changed triples that the variable's patterns
can match, and returns the nodes it arrives at.

Why that is enough (so carrying the other results over is exact): take a
changed triple ``t`` matched by a pattern ``P`` in a solution for ``f``, and a
variable ``v`` of ``P`` in the tree. If no pattern on ``v``'s chain matched a
changed triple in that solution, those triples are in the data now and the
walk from ``t``'s end at ``v`` reaches ``f``. Otherwise the changed pattern
nearest ``$this`` starts at a variable ``u`` whose own chain is a prefix of
``v``'s (a breadth-first tree), all of it unchanged: the walk from that
triple's end at ``u`` reaches ``f``.

The chains avoid variables whose values are classes (objects of ``rdf:type``)
or literals (objects of a predicate the shapes give a datatype or language
constraint): walking back from ``nmt:Paragraph`` or from the number 3 leads
to most of a corpus. That choice only decides which chains are walked, never
whether the result is exact. A query whose patterns are not all joined to
``$this`` that way (a count over the whole graph, a variable predicate, a
property path) gets ``None``: it runs over every focus node, as before.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from kg.graph_index import ReadGraph, TripleIndex
from kg.store_graph import StoreGraph

THIS = "this"
# A SELECT's projection and the opening of its WHERE clause: a sub-select that projects ?this is
# evaluated on its own, before any join, unless the focus nodes are bound in it too.
SELECTS = re.compile(r"\bSELECT\b([^{}]*?)\bWHERE\s*\{", re.IGNORECASE)
THIS_VAR = re.compile(r"[?$]this\b")
Triple = tuple[Node, Node, Node]


def prefixes(shapes: Graph, node: Any) -> str:
    """The ``PREFIX`` lines a constraint declares through ``sh:prefixes``."""
    lines = []
    for owner in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(owner, SH.declare):
            lines.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
    return "\n".join(sorted(set(lines)))


def engine(data: ReadGraph) -> Any:
    """The data in an Oxigraph store: its joins are far faster than rdflib's on a corpus."""
    import pyoxigraph as ox

    if isinstance(data, StoreGraph):
        return data.store
    store = ox.Store()
    text = data.ntriples().encode() if isinstance(data, TripleIndex) else data.serialize(format="nt", encoding="utf-8")
    store.load(text, format=ox.RdfFormat.N_TRIPLES)
    return store


def _term(value: Any) -> Any:
    """An Oxigraph term as the rdflib term the rest of the evaluator compares with."""
    import pyoxigraph as ox

    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if isinstance(value, ox.BlankNode):
        return BNode(value.value)
    if isinstance(value, ox.Literal):
        return Literal(value.value)
    return value


def _binding(shapes: Graph, shape: Any, focus: set[Any], batch: int) -> str:
    """How a constraint's query binds ``?this``: to the focus nodes themselves when few, else to the targets.

    Oxigraph plans a join badly under a VALUES block of thousands of IRIs (a
    corpus's notes: 48 s against 1.8 s for the same rows); the shape's targets as
    patterns give the same focus nodes, and rows outside the focus are dropped.
    """
    if len(focus) <= batch and all(isinstance(f, URIRef) for f in focus):
        return "VALUES ?this { " + " ".join(f"<{f}>" for f in sorted(focus, key=str)) + " }"
    # (A blank node cannot be written in VALUES: with one among the focus nodes, the targets.)
    parts = [f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> }}" for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"{{ ?this <{p}> ?kg_target_value }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    return " UNION ".join(parts)


def _select(shapes: Graph, constraint: Any) -> str:
    """A SPARQL constraint's query, ``$this`` written as the variable ``?this``."""
    return str(shapes.value(constraint, SH.select)).replace("$this", "?this")


def query(shapes: Graph, constraint: Any) -> str:
    """A SPARQL constraint's query with its prefixes, ``$this`` written as the variable ``?this``."""
    return prefixes(shapes, constraint) + "\n" + _select(shapes, constraint)


def run(
    shapes: Graph, shape: Any, constraint: Any, store: Any, focus: set[Any], batch: int, some: bool = False
) -> Iterator[tuple[Any, str]]:
    """Each (focus node, message) the constraint reports among ``focus``: one query for all of them,
    bound at the top of each WHERE clause that projects ``$this`` (pyshacl parses and runs the
    query once per node instead).

    ``batch``: see :func:`_binding`. ``some``: the focus nodes are a few of the shape's targets
    (those a change reaches), bound ``batch`` at a time rather than found again among them all.
    """
    if some and len(focus) > batch and all(isinstance(f, URIRef) for f in focus):
        ordered = sorted(focus, key=str)
        for i in range(0, len(ordered), batch):
            yield from run(shapes, shape, constraint, store, set(ordered[i : i + batch]), batch)
        return
    binding = _binding(shapes, shape, focus, batch)
    # A VALUES block goes into each (sub-)select that projects ?this; the targets as patterns only
    # into the outer one (in a sub-select too, a whole shape's check took longer).
    only = 0 if binding.startswith("VALUES") else 1
    text, bound = SELECTS.subn(
        lambda m: f"{m.group()} {binding} " if THIS_VAR.search(m[1]) else m.group(), _select(shapes, constraint), only
    )
    if not bound:
        raise ValueError("a SPARQL constraint without SELECT $this … WHERE { … }")
    template = str(shapes.value(constraint, SH.message) or "SPARQL constraint failed")
    # A built store's default graph is the merge of its named graphs; data loaded here is in it too.
    solutions = store.query(prefixes(shapes, constraint) + "\n" + text)
    names = [v.value for v in solutions.variables]
    for row in solutions:
        bindings = {n: _term(row[n]) for n in names if row[n] is not None}
        this = bindings.get("this")
        if this not in focus:
            continue
        yield this, _fill(template, bindings)


def _fill(template: str, bindings: dict[str, Any]) -> str:
    """A SHACL message with its {?var} placeholders replaced by the row's values."""
    return re.sub(r"\{[?$](\w+)\}", lambda m: str(bindings.get(m.group(1), m.group(0))), template)


@dataclass(frozen=True)
class Hop:
    """One pattern of a chain, read from the variable nearer ``$this`` (``forward``: it is the subject)."""

    predicate: URIRef
    forward: bool


@dataclass(frozen=True)
class Reach:
    """A constraint's chains: for each variable, the hops from ``$this`` to it, and the patterns
    (predicate, the variable is their subject) through which a changed triple reaches it."""

    chains: dict[str, tuple[Hop, ...]]
    ends: dict[str, frozenset[tuple[URIRef, bool]]]


def _patterns(node: Any, names: dict[str, str], out: list[tuple[Any, Any, Any]], scopes: list[int]) -> None:
    """Every triple pattern under an algebra ``node``, its variables named apart per sub-select.

    A sub-select shares only the variables it projects with the query around it;
    its other variables are its own, however they are spelled.
    """
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "Project" and scopes:  # a sub-select (the outer Project is the root scope)
            scopes[0] += 1
            kept = {str(v) for v in node.get("PV") or []}
            names = _Scoped({k: _outer(names, k) for k in kept}, f"@{scopes[0]}")
        elif node.name == "Project":
            scopes.append(0)
        if node.name == "BGP":
            for s, p, o in node.get("triples") or []:
                out.append((_name(s, names), _name(p, names), _name(o, names)))
        elif node.name in UNTRANSLATED:
            raise _Unread(node.name)
        values = list(node.values())
        if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            # rdflib translates the pattern of (NOT) EXISTS into an attribute, leaving the parsed one
            # under the key.
            values = [node.__dict__.get("graph")]
        for value in values:
            _patterns(value, names, out, scopes)
    elif isinstance(node, list | tuple):
        for value in node:
            _patterns(value, names, out, scopes)


UNTRANSLATED = {"TriplesBlock", "GroupGraphPatternSub", "GraphGraphPattern", "ServiceGraphPattern"}


class _Unread(Exception):
    """A part of the query's algebra this reading does not know: the constraint runs whole."""


class _Scoped(dict[str, str]):
    """Variable names in a sub-select: the projected ones as outside, the others suffixed."""

    def __init__(self, inner: dict[str, str], suffix: str) -> None:
        super().__init__(inner)
        self.suffix = suffix

    def __missing__(self, key: str) -> str:
        return key + self.suffix


def _outer(names: dict[str, str], key: str) -> str:
    """What variable ``key`` is called in the scope ``names`` describes."""
    return names[key] if isinstance(names, _Scoped) else names.get(key, key)


def _name(term: Any, names: dict[str, str]) -> Any:
    return ("var", _outer(names, str(term))) if isinstance(term, Variable) else term


def literal_predicates(shapes: Graph) -> frozenset[URIRef]:
    """Predicates whose values the shapes constrain as literals (a datatype or languages)."""
    out = set()
    for prop in shapes.objects(None, SH.property):
        path = shapes.value(prop, SH.path)
        if not isinstance(path, URIRef):
            continue
        literal = any(shapes.value(prop, k) is not None for k in (SH.datatype, SH.uniqueLang))
        literal |= any(shapes.value(q, SH.languageIn) is not None for q in shapes.objects(prop, SH.qualifiedValueShape))
        if literal:
            out.add(path)
    return frozenset(out)


@lru_cache(maxsize=64)
def reach(query: str, literal: frozenset[URIRef]) -> Reach | None:
    """The chains of a constraint's query (with its prefixes, ``$this`` written ``?this``), or
    None when some pattern cannot be reached from ``$this`` (then it runs whole)."""
    from rdflib.plugins.sparql import prepareQuery

    found: list[tuple[Any, Any, Any]] = []
    try:
        _patterns(prepareQuery(query).algebra, {}, found, [])
    except _Unread:
        return None
    hubs = {o for _s, p, o in found if isinstance(o, tuple) and (p == RDF.type or p in literal)}
    edges: dict[str, list[tuple[str, Hop]]] = {}
    for s, p, o in found:
        if not isinstance(p, URIRef):
            return None  # a variable predicate or a property path
        if isinstance(s, tuple) and isinstance(o, tuple) and o not in hubs and s not in hubs:
            edges.setdefault(s[1], []).append((o[1], Hop(p, True)))
            edges.setdefault(o[1], []).append((s[1], Hop(p, False)))
    chains: dict[str, tuple[Hop, ...]] = {THIS: ()}
    todo = deque([THIS])
    while todo:
        var = todo.popleft()
        for other, hop in edges.get(var, []):
            if other not in chains:
                chains[other] = (*chains[var], hop)
                todo.append(other)
    ends: dict[str, set[tuple[URIRef, bool]]] = {}
    for s, p, o in found:
        at = [(v[1], subject) for v, subject in ((s, True), (o, False)) if isinstance(v, tuple) and v[1] in chains]
        if not at:
            return None  # nothing joins this pattern to $this
        for var, subject in at[:1]:  # one end in the tree is enough (see the module's docstring)
            ends.setdefault(var, set()).add((p, subject))
    return Reach(chains, {v: frozenset(e) for v, e in ends.items()})


def affected(r: Reach, data: ReadGraph, changed: Iterable[Triple]) -> set[Node]:
    """The nodes at ``$this`` from which the chains of ``r`` lead to an end of a ``changed`` triple."""
    by_predicate: dict[Node, list[Triple]] = {}
    for t in changed:
        by_predicate.setdefault(t[1], []).append(t)
    out: set[Node] = set()
    for var, ends in r.ends.items():
        nodes = {t[0] if subject else t[2] for p, subject in ends for t in by_predicate.get(p, [])}
        out |= back(data, nodes, r.chains[var])
    return out


def reached(
    queries: list[str], literal: frozenset[URIRef], data: ReadGraph, subjects: Iterable[str], changed: list[Triple]
) -> set[Node] | None:
    """The nodes whose results of a shape's constraints (``queries``) the ``changed`` triples may
    alter, with every changed subject (it may have become a target, or stopped); None when some
    query's reach cannot be read (then the shape runs on every focus node)."""
    out: set[Node] = {URIRef(s) for s in subjects}
    for query in queries:
        r = reach(query, literal)
        if r is None:
            return None
        out |= affected(r, data, changed)
    return out


def back(data: ReadGraph, nodes: set[Any], chain: tuple[Hop, ...]) -> set[Any]:
    """Walk ``chain`` backwards from ``nodes``: the nodes at its start."""
    for hop in reversed(chain):
        if not nodes:
            break
        if hop.forward:  # (near p far): from far back to near
            nodes = {s for x in nodes for s in data.subjects(hop.predicate, x)}
        else:  # (far p near)
            nodes = {o for x in nodes for o in data.objects(x, hop.predicate)}
    return nodes
