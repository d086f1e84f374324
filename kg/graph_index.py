"""A read-only graph of a build's union, indexed two ways: what validation and the index read.

rdflib's in-memory store keeps three indexes and a context map per triple; adding a
corpus's union to it took longer than validating it, and its memory grew with
every report. The build only ever asks for a subject's objects, a predicate-object
pair's subjects, one value, and membership: two dict indexes answer those.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, Union, cast

from rdflib import Graph
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

if TYPE_CHECKING:
    from kg.store_graph import StoreGraph

Triple = tuple[Node, Node, Node]


class Sink(Protocol):
    """Anything triples are added to: an rdflib Graph or a :class:`TripleList`."""

    def add(self, triple: Triple, /) -> Any: ...


class TripleList(list[Triple]):
    """Triples in the order they were added, duplicates kept: a builder's output, cheap to fill.

    (rdflib hashes each term in Python for each of its indexes on every add.)
    """

    def add(self, triple: Triple, /) -> None:
        self.append(triple)


class Lookups:
    """What the union's readers derive from ``subjects``: shared by the in-memory and the stored union."""

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        raise NotImplementedError

    def transitive_subjects(self, predicate: Node, object: Node) -> Iterator[Node]:
        """``object`` and every subject that reaches it through ``predicate`` one or more times."""
        seen = {object}
        todo = [object]
        yield object
        while todo:
            for s in self.subjects(predicate, todo.pop()):
                if s not in seen:
                    seen.add(s)
                    todo.append(s)
                    yield s


class TripleIndex(Lookups):
    """A set of triples answering ``objects``, ``subjects``, ``value`` and ``in`` like an rdflib Graph."""

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._spo: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._pos: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._len = 0
        for t in triples:
            self.add(t)

    def add(self, triple: Triple) -> None:
        """Add one triple (a second add of the same triple changes nothing)."""
        s, p, o = triple
        objs = self._spo.setdefault(s, {}).setdefault(p, {})
        if o not in objs:
            objs[o] = None
            self._pos.setdefault(p, {}).setdefault(o, {})[s] = None
            self._len += 1

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[Triple]:
        for s, preds in self._spo.items():
            for p, objs in preds.items():
                for o in objs:
                    yield s, p, o

    def __contains__(self, triple: object) -> bool:
        s, p, o = cast(Triple, triple)
        return o in self._spo.get(s, {}).get(p, {})

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        """The objects of ``subject`` (any subject when None) through ``predicate``."""
        if subject is None:
            if predicate is None:
                return (o for _s, _p, o in self)
            return (o for o, subjects in self._pos.get(predicate, {}).items() for _ in subjects)
        preds = self._spo.get(subject, {})
        if predicate is None:
            return (o for objs in preds.values() for o in objs)
        return iter(preds.get(predicate, {}))

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        """The subjects with ``predicate`` (required) to ``object`` (any object when None)."""
        if predicate is None:
            return (s for s, _p, o in self if object is None or o == object)
        by_object = self._pos.get(predicate, {})
        if object is None:
            return (s for subjects in by_object.values() for s in subjects)
        return iter(by_object.get(object, {}))

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        """Every (subject, object) pair linked by ``predicate``."""
        return ((s, o) for o, subjects in self._pos.get(predicate, {}).items() for s in subjects)

    def value(self, subject: Node, predicate: Node) -> Any:
        """One object of ``subject`` through ``predicate``, or None."""
        return next(iter(self._spo.get(subject, {}).get(predicate, {})), None)

    def ntriples(self) -> str:
        """The triples as N-Triples (unsorted)."""
        return "".join(_nt_row(t) for t in self)

    def to_graph(self) -> Graph:
        """An rdflib Graph of the same triples (for pyshacl and other rdflib readers)."""
        g = Graph()
        g.addN((s, p, o, g) for s, p, o in self)
        return g


ReadGraph = Union[Graph, TripleIndex, "StoreGraph"]
