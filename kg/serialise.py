"""Write the dataset in TriG, N-Quads, Turtle, N-Triples and JSON-LD, byte-for-byte reproducibly."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import rdflib.namespace
from rdflib import Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Literal, Node

from kg import jsontext
from kg.dataset_files import FileSet
from kg.store_graph import FOLDED
from kg.vocab import OCCASIONAL_PREFIXES, PREFIXES
from kg.writers import Reload, Statements, Triple, UnionTurtle, Unusual, document, jsonld, statements, turtle

CONTEXT = dict(PREFIXES)  # dataset.jsonld's context: the prefixes
JSONLD_KEY = 4096  # characters of a graph object's JSON text kept to order the graphs (ties: computed whole)
ARTIFACTS = {
    "dataset.trig": "TriG: every named graph",
    "dataset.nq": "N-Quads: every named graph, sorted",
    "dataset.jsonld": "JSON-LD: every named graph",
    "graph.ttl": "Turtle: the union of all graphs",
    "graph.nt": "N-Triples: the union of all graphs, sorted",
}


def _longest_namespace(trie: dict[str, Any], value: str) -> str | None:
    """rdflib's ``get_longest_namespace``, the same walk over the same prefix tree, on a plain str.

    rdflib calls ``URIRef.startswith``, a Python-level override, once per sibling namespace for
    every IRI it writes: with a report's hundreds of ``mention-N#`` namespaces that was most of
    a build. Siblings in the tree are never prefixes of one another, so at most one matches and
    the answer is the same whichever way it is found: by testing each sibling, or, where
    siblings outnumber the text's characters, by looking each prefix of the text up.
    """
    text = str(value)
    if len(trie) > len(text):  # many siblings: look the text's own prefixes up instead
        keys: Any = (text[:n] for n in range(1, len(text) + 1) if text[:n] in trie)
    else:
        keys = (key for key in trie if text.startswith(key))
    for key in keys:
        deeper = _longest_namespace(trie[key], text)
        return key if deeper is None else deeper
    return None


RDFLIB_LONGEST_NAMESPACE = rdflib.namespace.get_longest_namespace  # kept for the equivalence test
rdflib.namespace.get_longest_namespace = _longest_namespace


def bind(g: Graph, base: str) -> None:
    """Bind the standard prefixes and readable ones for the data base, and no others.

    rdflib binds some thirty namespaces to every new graph; its writers test each IRI against
    every bound namespace, which made serialising most of a build's time. None of those
    prefixes is ever written (every IRI here falls under one of ours or is written whole),
    so dropping them changes no byte of any file.
    """
    g.namespace_manager = NamespaceManager(g, bind_namespaces="none")
    for prefix, ns in {**PREFIXES, **OCCASIONAL_PREFIXES}.items():
        g.bind(prefix, ns, override=True, replace=True)
    g.bind("term", base + "term/")
    g.bind("dim", base + "dimension/")


def _canonical_json(value: Any) -> Any:
    """Sort JSON-LD node lists by their JSON text so the file does not depend on hash order."""
    if isinstance(value, dict):
        return {k: _canonical_json(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        return sorted(items, key=_order(items))
    return value


def _order(items: list[Any]) -> Any:
    """The sort key of a JSON list's items: their JSON text, or what decides it.

    Node objects whose first key (sorted) is ``@id`` and whose ids differ are
    ordered by the JSON text of their ids: their texts start ``{"@id": <id>``, and
    two different JSON strings differ before either closes. Anything else is
    compared whole.
    """
    if items and all(isinstance(v, dict) and v and min(v) == "@id" for v in items):
        ids = {id(v): json.dumps(v["@id"], ensure_ascii=False) for v in items}
        if len(set(ids.values())) == len(items):
            return lambda v: ids[id(v)]
    return lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class GraphText:
    """One named graph's share of the written files: what a build may cache per report and reuse."""

    prefixes: tuple[str, ...]  # the ``@prefix`` lines its Turtle uses
    trig: str  # its ``<name> { … }`` block of ``dataset.trig``
    nq: frozenset[str]  # its lines of ``dataset.nq``
    nt: frozenset[str]  # its lines of ``graph.nt``
    statements: Statements | None = None  # its Turtle by subject, for ``graph.ttl`` (None: rdflib wrote it)
    jsonld: str = ""  # its graph object in ``dataset.jsonld``, indented as there
    jsonld_key: str = ""  # the start of that object's JSON text, which orders the graphs there
    folded: frozenset[str] = frozenset()  # predicates with values the store keeps under another datatype
    # A cached text's other lines of dataset.nq and graph.nt, in two files of sorted lines: ``nq``
    # and ``nt`` then hold only the lines that name the build (see kg.cache_files.write_text).
    runs: tuple[Path, Path] | None = None

    def rename(self, old: str, new: str) -> GraphText:
        """The same text with every ``old`` replaced by ``new`` (a build IRI's digest)."""
        if old == new:
            return self

        def sub(lines: frozenset[str]) -> frozenset[str]:
            return frozenset(ln.replace(old, new) for ln in lines)

        return replace(
            self,
            prefixes=tuple(p.replace(old, new) for p in self.prefixes),
            trig=self.trig.replace(old, new),
            nq=sub(self.nq),
            nt=sub(self.nt),
            statements=self.statements.rename(old, new) if self.statements else None,
            jsonld=self.jsonld.replace(old, new),
            jsonld_key=self.jsonld_key.replace(old, new),
            folded=frozenset(p.replace(old, new) for p in self.folded),
        )


def _lines(triples: list[Triple], name: URIRef) -> tuple[frozenset[str], frozenset[str]]:
    """The graph's lines of ``graph.nt`` and of ``dataset.nq``: rdflib's rows, each IRI written once.

    Each row is one line (``_quoteLiteral`` escapes line ends), so the sets are
    made straight from the rows: joining and splitting them again held a large
    graph's text three times over (the curation graph of 1,000 reports).
    """
    iris: dict[str, str] = {}

    def n3(node: Node) -> str:
        if isinstance(node, Literal):
            return _quoteLiteral(node)
        if not isinstance(node, URIRef):
            return node.n3()
        key = str(node)
        found = iris.get(key)
        if found is None:
            found = iris[key] = node.n3()
        return found

    nt = frozenset(f"{n3(s)} {n3(p)} {n3(o)} ." for s, p, o in triples)
    graph = f" {name.n3()} ."
    return nt, frozenset(ln[:-2] + graph for ln in nt)


def namespaces(base: str) -> NamespaceManager:
    """The prefix bindings every written file uses (see :func:`bind`)."""
    g = Graph()
    bind(g, base)
    return g.namespace_manager


def graph_text(name: str, triples: list[Triple], base: str) -> GraphText:
    """The serialisations of the named graph ``name`` (graphs in IRI order make the files)."""
    try:
        st: Statements | None = statements(triples, namespaces(base))
    except Unusual:
        st = None
    # Each text is let go once made: a large graph's would otherwise all be held at once.
    prefixes, trig = _trig(name, document(st) if st else turtle(triples, namespaces(base)))
    nt, nq = _lines(triples, URIRef(name))
    # Its object in dataset.jsonld: rdflib converts each named graph on its own.
    obj = jsonld({URIRef(name): triples}, CONTEXT)
    obj.pop("@context")
    canon = _canonical_json(obj)
    del obj
    chunk = jsontext.dumps(canon, 1).replace("\n", "\n  ")
    key = _opening(canon)
    del canon
    return GraphText(prefixes, trig, nq, nt, st, chunk, key, _folded(triples))


def _folded(triples: list[Triple]) -> frozenset[str]:
    """The predicates with values the store keeps under another datatype."""
    return frozenset(str(p) for _s, p, o in triples if isinstance(o, Literal) and str(o.datatype) in FOLDED)


def _trig(name: str, turtle_text: str) -> tuple[tuple[str, ...], str]:
    """A graph's ``@prefix`` lines and its ``<name> { … }`` block of ``dataset.trig``, from its Turtle."""
    lines = turtle_text.splitlines()
    del turtle_text
    prefixes = tuple(ln for ln in lines if ln.startswith("@prefix"))
    start = 0
    while start < len(lines) and (lines[start].startswith("@prefix") or not lines[start].strip()):
        start += 1
    # Lines are not indented: that would change multi-line string literals.
    body = "\n".join(ln for ln in lines[start:] if not ln.startswith("@prefix"))
    return prefixes, f"<{name}> {{\n" + body.rstrip() + "\n}\n"


def _opening(value: Any) -> str:
    """The first ``JSONLD_KEY`` characters of ``value``'s sorted-keys JSON text (no more is encoded)."""
    out: list[str] = []
    size = 0
    for piece in json.JSONEncoder(ensure_ascii=False, sort_keys=True).iterencode(value):
        out.append(piece)
        size += len(piece)
        if size >= JSONLD_KEY:
            break
    return "".join(out)[:JSONLD_KEY]


def lines_text(triples: list[Triple], name: URIRef) -> GraphText:
    """A graph's text holding only its lines of ``dataset.nq`` and ``graph.nt`` (and the predicates
    the store folds): all a build that writes no file needs of a graph no cache keeps."""
    nt, nq = _lines(triples, name)
    return GraphText((), "", nq, nt, None, "", "", _folded(triples))


def _held(triples: list[Triple]) -> Reload:
    def again() -> list[Triple]:
        return triples

    return again


class ArtifactWriter:
    """Every serialisation of a build's named graphs (and of their union), fed one graph at a time.

    Graphs may come in any order (see :mod:`kg.dataset_files`). ``text_of`` may give
    a graph's text from an earlier build (graph IRI → text, None when it has none);
    ``keep`` receives every graph's text, for the next build to reuse, and returns the text
    the files are written from (the same, or with its lines moved into files).
    """

    def __init__(
        self,
        out: Path,
        base: str,
        text_of: Callable[[str], GraphText | None] | None = None,
        keep: Callable[[str, GraphText], GraphText] | None = None,
        files: bool = True,
    ) -> None:
        self.base = base
        self._text_of = text_of
        self._keep = keep
        self.files = files  # False: no file is written, only the lines a new store is loaded from
        work = out / ".writing"
        work.mkdir()
        union = UnionTurtle(namespaces(base), (work / "ttl").open("w+b")) if files else None
        self._files = FileSet(out, work, union, {"@context": CONTEXT, "@graph": [0]}, files)
        self._graphs: dict[str, Reload] = {}
        self.counts: dict[str, int] = {}  # graph IRI → triples
        self.folded: set[str] = set()  # predicates with values the store keeps under another datatype

    def add(
        self,
        name: URIRef,
        triples: list[Triple],
        keep: Callable[[str], bool] | None = None,
        reload: Reload | None = None,
        size: int | None = None,
        text: GraphText | None = None,
        lines_only: bool = False,
    ) -> None:
        """One named graph; ``keep``/``reload`` let the union's Turtle hold only some of its triples.

        With ``size`` (the graph's triples, when ``triples`` holds only those ``keep``
        says other graphs may state), the whole graph is read again if its text is
        to be written rather than given (``text``) or taken from an earlier build.
        ``lines_only``: a text to make holds only its lines (when no file is written, for a graph
        no cache keeps the text of).
        """
        if not triples:
            return
        n = str(name)
        if text is None and self._text_of:
            text = self._text_of(n)
        if text is None:
            if size is not None and size != len(triples) and reload is not None:
                triples = reload()
            text = lines_text(triples, name) if lines_only else graph_text(n, triples, self.base)
        if self._keep:
            text = self._keep(n, text)
        self._files.add(n, text, triples, keep, reload)
        self._added(n, text.folded, len(triples) if size is None else size)
        if self.files:  # only the files' fallbacks read a graph again
            self._graphs[n] = reload if reload is not None else _held(triples)

    def add_kept(
        self, name: URIRef, runs: tuple[Path, Path], named: list[Triple], size: int, folded: frozenset[str]
    ) -> frozenset[str]:
        """A graph kept from an earlier build, when no file is written: its sorted lines are
        ``runs`` (files of the cache) but those of the triples ``named`` that name this build,
        whose lines of ``dataset.nq`` it returns."""
        nt, nq = _lines(named, name)
        self._files.add_lines(runs, nq, nt)
        self._added(str(name), folded, size)
        return nq

    def add_sorted(self, name: URIRef, nquads: Path, size: int, folded: frozenset[str]) -> None:
        """A graph whose N-Quads lines are the file ``nquads``, when no file is written: a new store
        is loaded from it (see :mod:`kg.building.curation_lines`)."""
        assert not self.files, "the dataset files are written from each graph's text"
        self._files.add_quads(nquads, str(name))
        self._added(str(name), folded, size)

    def _added(self, name: str, folded: frozenset[str], size: int) -> None:
        self.folded |= folded
        self.counts[name] = size

    def add_spilled(self, name: URIRef, triples: list[Triple]) -> None:
        """One named graph not to be held afterwards: a graph no cache keeps (the curation's, the ontology's).

        Its triples go to a file in the work folder and ``graph.ttl`` keeps only
        those of subjects an earlier graph states too; a later graph stating one of
        its other subjects, or a rare case that needs the whole union
        (:meth:`finish`), reads the file again. At 1,000 reports the curation graph,
        held to the end, was the build's peak.
        """
        if not self.files:  # only its lines are kept: no union's Turtle to read it again for
            self.add(name, triples, lines_only=True)
            return
        path = self._files.work / f"spilled-{len(self.counts):06d}.pickle"
        with path.open("wb") as fh:
            pickle.dump(triples, fh, protocol=pickle.HIGHEST_PROTOCOL)
        shared = {str(s) for s, _p, _o in triples if self._files.states(str(s))}

        def reload() -> list[Triple]:
            with path.open("rb") as fh:
                found: list[Triple] = pickle.load(fh)
            return found

        self.add(name, triples, shared.__contains__, reload)

    def line_files(self) -> tuple[list[Path], list[Path]]:
        """After :meth:`finish`: the files of every graph's N-Quads and N-Triples lines, from which
        a new store is loaded (see :meth:`FileSet.line_files`)."""
        return self._files.line_files()

    def discard(self) -> None:
        """Remove the work folder (:meth:`finish` does when it writes the files)."""
        self._files.discard()

    def finish(self, report: dict[str, object]) -> None:
        """Write the files; rare cases read every graph again (see :meth:`FileSet.finish`)."""
        names = sorted(self._graphs)  # none without files, when the fallbacks are never called

        def whole_turtle() -> str:
            return turtle(dict.fromkeys(t for n in names for t in self._graphs[n]()), namespaces(self.base))

        def whole_jsonld() -> str:
            data = jsonld({URIRef(n): self._graphs[n]() for n in names}, CONTEXT)
            return jsontext.dumps(_canonical_json(data), 1) + "\n"

        self._files.finish(whole_turtle, whole_jsonld)
        report["artifacts"] = ARTIFACTS if self.files else {}


def write_artifacts(graphs: Mapping[URIRef, list[Triple]], out: Path, report: dict[str, object]) -> set[str]:
    """Write every serialisation of the named graphs ``graphs`` into ``out``; returns the folded predicates."""
    writer = ArtifactWriter(out, str(report["base"]))
    for name, triples in graphs.items():
        writer.add(name, triples)
    writer.finish(report)
    return writer.folded
