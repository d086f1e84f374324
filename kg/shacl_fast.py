"""A fast evaluator for the SHACL subset ``ontology/shapes.ttl`` uses.

pyshacl re-parses every SPARQL-based constraint once per focus node (504
parses of the same text on the packaged report) and walks core constraints
in Python per node: most of a build's time. This evaluator reads the same
shapes file (the single source of truth) and checks:

- targets ``sh:targetClass`` (SHACL instances: ``rdf:type/rdfs:subClassOf*``)
  and ``sh:targetSubjectsOf``;
- property shapes with a predicate or sequence path and ``sh:minCount``,
  ``sh:maxCount``, ``sh:class``, ``sh:in``, ``sh:datatype``, ``sh:pattern``,
  ``sh:minLength``, ``sh:minInclusive``, ``sh:uniqueLang``,
  ``sh:lessThanOrEquals`` and ``sh:qualifiedValueShape [sh:languageIn …]`` with
  ``sh:qualifiedMinCount``;
- SPARQL-based constraints, each run **once** over the whole graph with every
  focus node bound by a ``VALUES`` block, on an in-memory Oxigraph copy of the
  data (rdflib's evaluator is quadratic on the self-joins of a corpus).

Severity comes from the property shape, else the node shape (default
violation).

**Incremental evaluation** (:class:`Since`): a property shape's result on a
focus node depends only on the triples of that node, of the nodes along its
paths, and the types of the values it checks with ``sh:class``. Given the last
evaluation's property-shape results and the subjects of every triple added or
removed since, only the nodes from which a path reaches a changed subject are
evaluated again; the other results are carried over. Given the changed triples
too, SPARQL-based constraints run again only on the focus nodes a change can
reach through their queries' patterns (:mod:`kg.shacl_sparql`), and carry over
the rest of their results.

Any other SHACL feature in the shapes file makes :func:`supported` say no,
and the caller falls back to pyshacl. ``tests/test_validation.py`` shows both
report the same results on deliberately broken graphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from kg import shacl_sparql
from kg.graph_index import ReadGraph

PROPERTY_KEYS = {
    SH.path,
    SH.message,
    SH.minCount,
    SH.maxCount,
    SH["class"],
    SH["in"],
    SH.datatype,
    SH.pattern,
    SH.minLength,
    SH.minInclusive,
    SH.uniqueLang,
    SH.lessThanOrEquals,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.severity,
}
NODE_KEYS = {SH.targetClass, SH.targetSubjectsOf, SH.property, SH.sparql, SH.severity, RDF.type, RDFS.label}
BATCH = 256  # focus nodes from which a shape's values may be read per predicate, not per node
READ_RATIO = 4  # … when the predicate has at most this many triples per focus node (see _Values)
LEVELS: dict[Any, str] = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Result:
    severity: str
    shape: str  # short name of the node shape
    path: str | None  # short name of a predicate path
    focus: str
    message: str
    core: bool = True  # from a property shape (False: from a SPARQL-based constraint)

    def line(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.shape}{where} on {self.focus}: {self.message}"


def short(iri: Any) -> str:
    s = str(iri)
    return s.rsplit("#", 1)[-1] if "#" in s else s.rsplit("/", 1)[-1]


@lru_cache(maxsize=4)
def load_shapes(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def supported(shapes: Graph) -> bool:
    """Whether every shape uses only what this evaluator implements."""
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if any(p not in NODE_KEYS for p in shapes.predicates(shape)):
            return False
        for prop in shapes.objects(shape, SH.property):
            if any(p not in PROPERTY_KEYS for p in shapes.predicates(prop)):
                return False
            for qvs in shapes.objects(prop, SH.qualifiedValueShape):
                if any(p not in (SH.languageIn, SH["class"]) for p in shapes.predicates(qvs)):
                    return False
    return True


_INSTANCES: dict[tuple[int, Any], set[Any]] = {}


def _closure(data: ReadGraph, cls: Any) -> set[Any]:
    """``cls`` and its subclasses (rdfs:subClassOf*)."""
    return {cls} | set(data.transitive_subjects(RDFS.subClassOf, cls))


def _instances(data: ReadGraph, cls: Any) -> set[Any]:
    """SHACL instances of ``cls`` (rdf:type/rdfs:subClassOf*), computed once per graph and class."""
    key = (id(data), cls)
    if key not in _INSTANCES:
        _INSTANCES[key] = {s for c in _closure(data, cls) for s in data.subjects(RDF.type, c)}
    return _INSTANCES[key]


@dataclass(frozen=True)
class Since:
    """What an evaluation may carry over from the last one on an earlier state of the data.

    ``core`` holds the last evaluation's results (those of property shapes have
    ``Result.core``; the others are used only with ``triples``); ``changed`` the
    IRIs of the subjects of every triple added or removed since.
    """

    core: list[Result]
    changed: set[str]
    # The triples added and removed since (with the nodes the store gives back): with them,
    # SPARQL-based constraints run again only on the focus nodes a change can reach
    # (kg/shacl_sparql.py), and ``core`` holds their results too.
    triples: list[tuple[Any, Any, Any]] | None = None


class _Classes:
    """SHACL instance tests: against every instance of the class (a whole evaluation, many
    nodes) or by the node's own types (few nodes: a corpus has millions of selectors)."""

    def __init__(self, data: ReadGraph, whole: bool) -> None:
        self.data = data
        self.whole = whole
        self._closure: dict[Any, set[Any]] = {}
        self._types: dict[Any, list[Any]] = {}  # a node's types, asked once per shape otherwise

    def closure(self, cls: Any) -> set[Any]:
        """``cls`` and its subclasses."""
        if cls not in self._closure:
            self._closure[cls] = _closure(self.data, cls)
        return self._closure[cls]

    def has(self, node: Any, cls: Any) -> bool:
        if self.whole:
            return node in _instances(self.data, cls)
        classes = self.closure(cls)
        types = self._types.get(node)
        if types is None:
            types = self._types[node] = list(self.data.objects(node, RDF.type))
        return any(t in classes for t in types)


def _targets(shapes: Graph, shape: Any, data: ReadGraph) -> set[Any]:
    focus: set[Any] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        focus |= _instances(data, cls)
    for pred in shapes.objects(shape, SH.targetSubjectsOf):
        focus |= set(data.subjects(pred, None))
    return focus


def _path(shapes: Graph, node: Any) -> list[URIRef]:
    if isinstance(node, BNode):
        return [URIRef(str(p)) for p in Collection(shapes, node)]
    return [URIRef(str(node))]


class _Values:
    """A predicate's objects by subject for a set of focus nodes: read in one pass over the
    predicate when it is not much larger than the focus, else looked up node by node.

    Asking each focus node in turn costs a look-up per node, which on a corpus's on-disk
    store was most of a whole validation; but reading a predicate of a million triples
    for a rebuild's few thousand changed nodes cost seconds where their look-ups cost
    hundredths (at 1,000 reports, 29 s against 0.5 s over the shapes' predicates). So the
    pass stops, and look-ups serve, once the predicate proves more than ``READ_RATIO``
    times as large as the focus (a look-up costs about as much as reading a few triples).
    """

    def __init__(self, data: ReadGraph, predicate: URIRef, focus: set[Any]) -> None:
        self.data = data
        self.predicate = predicate
        # Objects as dict keys: the same triple may stand in several named graphs, and a
        # node may have thousands of values (testing a list for each was quadratic).
        self.found: dict[Any, dict[Any, None]] | None = {}
        cap = READ_RATIO * len(focus)
        for i, (s, o) in enumerate(data.subject_objects(predicate)):
            if i == cap:
                self.found = None
                break
            if s in focus:
                self.found.setdefault(s, {})[o] = None

    def __call__(self, node: Any) -> list[Any]:
        if self.found is None:
            return list(dict.fromkeys(self.data.objects(node, self.predicate)))
        return list(self.found.get(node, ()))


def _values(data: ReadGraph, focus: Any, path: list[URIRef], first: _Values | None = None) -> list[Any]:
    """The values of ``focus`` along ``path``; ``first`` holds the first step already read."""
    nodes, rest = (first(focus), path[1:]) if first is not None else ([focus], path)
    for p in rest:
        nodes = [o for n in nodes for o in data.objects(n, p)]
    return nodes


@dataclass(frozen=True)
class _Property:
    """A property shape's constraints, read off the shapes graph once (not once per focus node)."""

    path: list[URIRef]
    min_count: int | None
    max_count: int | None
    cls: Any
    allowed: set[Any] | None
    datatype: Any
    pattern: Any  # the sh:pattern literal
    regex: re.Pattern[str] | None
    min_length: int | None
    low: Any
    unique_lang: bool
    other: Any
    qualified_tags: list[str] | None  # sh:languageIn of the qualified value shape
    qualified_cls: Any
    qualified: bool
    need: int


def _int_or_none(node: Any) -> int | None:
    return None if node is None else int(node)


def _compile(shapes: Graph, prop: Any) -> _Property:
    v = shapes.value
    allowed = v(prop, SH["in"])
    pat = v(prop, SH.pattern)
    qvs = v(prop, SH.qualifiedValueShape)
    tags_node = shapes.value(qvs, SH.languageIn) if qvs is not None else None
    return _Property(
        path=_path(shapes, v(prop, SH.path)),
        min_count=_int_or_none(v(prop, SH.minCount)),
        max_count=_int_or_none(v(prop, SH.maxCount)),
        cls=v(prop, SH["class"]),
        allowed=set(Collection(shapes, allowed)) if allowed is not None else None,
        datatype=v(prop, SH.datatype),
        pattern=pat,
        regex=re.compile(str(pat)) if pat is not None else None,
        min_length=_int_or_none(v(prop, SH.minLength)),
        low=v(prop, SH.minInclusive),
        unique_lang=v(prop, SH.uniqueLang) == Literal(True),
        other=v(prop, SH.lessThanOrEquals),
        qualified_tags=[str(t).lower() for t in Collection(shapes, tags_node)] if tags_node is not None else None,
        qualified_cls=shapes.value(qvs, SH["class"]) if qvs is not None else None,
        qualified=qvs is not None,
        need=int(v(prop, SH.qualifiedMinCount) or 0),
    )


def _conforms(c: _Property, classes: _Classes, value: Any) -> bool:
    """Whether ``value`` conforms to a qualified value shape of sh:languageIn and/or sh:class."""
    if c.qualified_tags is not None:
        lang = (value.language or "").lower() if isinstance(value, Literal) else ""
        if not (lang and any(lang == t or lang.startswith(t + "-") for t in c.qualified_tags)):
            return False
    return c.qualified_cls is None or classes.has(value, c.qualified_cls)


def _py(node: Any) -> Any:
    return node.toPython() if isinstance(node, Literal) else str(node)


def _property_failures(
    c: _Property,
    classes: _Classes,
    focus: Any,
    first: _Values | None = None,
    others: _Values | None = None,
) -> Iterator[str]:
    """The default messages of the constraints ``focus`` fails (the shape's sh:message replaces them).

    ``first`` holds the first step of the path for every focus node, ``others`` the
    values of ``sh:lessThanOrEquals`` (both read per node without them).
    """
    data = classes.data
    values = _values(data, focus, c.path, first)
    if c.min_count is not None and len(values) < c.min_count:
        yield f"Less than {c.min_count} values"
    if c.max_count is not None and len(values) > c.max_count:
        yield f"More than {c.max_count} values"
    if c.cls is not None:
        for x in values:
            if not classes.has(x, c.cls):
                yield f"Value {x} does not have class {short(c.cls)}"
    if c.allowed is not None:
        for x in values:
            if x not in c.allowed:
                yield f"Value {x} not in the allowed list"
    dt = c.datatype
    if dt is not None:
        for x in values:
            # RDF 1.1: a literal with neither datatype nor language is an xsd:string.
            kind = (x.datatype or (None if x.language else XSD.string)) if isinstance(x, Literal) else None
            if not (kind == dt and (dt == XSD.string or x.value is not None)):
                yield f"Value {x} is not of datatype {short(dt)}"
    if c.regex is not None:
        for x in values:
            if isinstance(x, BNode) or not c.regex.search(str(x)):
                yield f"Value {x} does not match {c.pattern}"
    if c.min_length is not None:
        for x in values:
            if isinstance(x, BNode) or len(str(x)) < c.min_length:
                yield f"Value {x} is shorter than {c.min_length}"
    low = c.low
    if low is not None:
        for x in values:
            try:
                if not (isinstance(x, Literal) and x.toPython() >= low.toPython()):
                    yield f"Value {x} is below {low}"
            except TypeError:
                yield f"Value {x} is not comparable with {low}"
    if c.unique_lang:
        langs = [x.language for x in values if isinstance(x, Literal) and x.language]
        if len(langs) != len(set(langs)):
            yield "More than one value per language"
    if c.other is not None:
        for x in values:
            for y in others(focus) if others is not None else data.objects(focus, c.other):
                try:
                    if _py(x) > _py(y):
                        yield f"Value {x} is more than {y}"
                except TypeError:
                    yield f"Value {x} is not comparable with {y}"
    if c.qualified and sum(_conforms(c, classes, x) for x in values) < c.need:
        yield f"Less than {c.need} values conform to the qualified shape"


def datatype_paths(shapes: Graph) -> set[str]:
    """The predicates whose values some property shape gives a ``sh:datatype``."""
    return {
        str(shapes.value(prop, SH.path))
        for prop in shapes.subjects(SH.datatype, None)
        if isinstance(shapes.value(prop, SH.path), URIRef)
    }


def _target_test(shapes: Graph, shape: Any, data: ReadGraph, classes: _Classes) -> Callable[[Any], bool]:
    """Whether a node is a focus node of ``shape`` (what :func:`_targets` finds, for one node).

    The shape's targets are read once: a rebuild asks of thousands of nodes.
    """
    target_classes = list(shapes.objects(shape, SH.targetClass))
    subjects_of = list(shapes.objects(shape, SH.targetSubjectsOf))

    def test(node: Any) -> bool:
        if any(classes.has(node, cls) for cls in target_classes):
            return True
        return any(next(iter(data.objects(node, p)), None) is not None for p in subjects_of)

    return test


def _affected(shapes: Graph, data: ReadGraph, changed: set[Any]) -> set[Any]:
    """The nodes whose property-shape results may differ from the last evaluation's.

    A result on a node reads the node's own triples (its targets, each path's
    first step, ``sh:lessThanOrEquals``), those of the nodes along a path, and the
    types of the values a path ends on when they are checked with ``sh:class``. So
    a node is affected when it changed, or when a path of some shape, or a proper
    prefix of it, leads from the node to a changed node (read backwards here in the
    data as it is now: a link that was removed changed its own subject).
    """
    out = set(changed)
    prefixes: set[tuple[URIRef, ...]] = set()
    for prop in shapes.objects(None, SH.property):
        c = _compile(shapes, prop)
        checked = c.cls is not None or c.qualified_cls is not None
        prefixes |= {tuple(c.path[:d]) for d in range(1, len(c.path) + (1 if checked else 0))}
    for prefix in sorted(prefixes):
        out |= shacl_sparql.back(data, changed, tuple(shacl_sparql.Hop(p, True) for p in prefix))
    return out


def evaluate(shapes: Graph, data: ReadGraph, since: Since | None = None) -> list[Result]:
    """Every result of ``shapes`` on ``data``, one per (shape, path, focus, message).

    With ``since``, property shapes are evaluated again only on the nodes the
    changes can affect (:func:`_affected`); their other results are carried over.
    """
    out: set[Result] = set()
    _INSTANCES.clear()  # per evaluation: the data graph may change between calls
    store = shacl_sparql.engine(data) if any(shapes.subjects(SH.sparql, None)) else None
    classes = _Classes(data, whole=since is None)
    scoped = since is not None and since.triples is not None  # SPARQL constraints only where changes reach
    literal = shacl_sparql.literal_predicates(shapes) if scoped else frozenset()
    affected: set[Any] = set()
    if since is not None:
        affected = _affected(shapes, data, {URIRef(s) for s in since.changed})
        again = {str(n) for n in affected}
        out |= {r for r in since.core if r.core and r.focus not in again}
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        props = list(shapes.objects(shape, SH.property))
        constraints = list(shapes.objects(shape, SH.sparql))
        name = short(shape)
        reached = None
        if constraints and scoped:
            assert since is not None and since.triples is not None
            queries = [shacl_sparql.query(shapes, c) for c in constraints]
            reached = shacl_sparql.reached(queries, literal, data, since.changed, since.triples)
        if reached is not None:  # only the nodes a change can reach; the others' results carry over
            assert since is not None
            kept = {str(n) for n in reached}
            out |= {r for r in since.core if not r.core and r.shape == name and r.focus not in kept}
            whole = set(filter(_target_test(shapes, shape, data, classes), reached))
        else:
            whole = _targets(shapes, shape, data) if since is None or constraints else set()
        if since is None:
            focus = whole
        else:
            focus = set(filter(_target_test(shapes, shape, data, classes), affected)) if props else set()
        node_level = LEVELS.get(shapes.value(shape, SH.severity), "violation")
        for prop in props if focus else ():
            level = LEVELS.get(shapes.value(prop, SH.severity), node_level)
            path_node = shapes.value(prop, SH.path)
            where = short(path_node) if isinstance(path_node, URIRef) else None
            given = shapes.value(prop, SH.message)
            compiled = _compile(shapes, prop)
            # Few focus nodes: a look-up each is cheaper than reading the predicate whole.
            batch = len(focus) > BATCH
            first = _Values(data, compiled.path[0], focus) if batch else None
            others = _Values(data, compiled.other, focus) if batch and compiled.other is not None else None
            for f in focus:
                for default in _property_failures(compiled, classes, f, first, others):
                    out.add(Result(level, name, where, str(f), str(given) if given else default))
        for constraint in constraints if whole else ():
            for f, message in shacl_sparql.run(shapes, shape, constraint, store, whole, BATCH, reached is not None):
                out.add(Result(node_level, name, None, str(f), message, core=False))
    return sorted(out, key=lambda r: (r.severity, r.shape, r.focus, r.path or "", r.message))
