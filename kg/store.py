"""The embedded SPARQL engine: an Oxigraph store persisted next to the artifacts.

The store holds the named graphs (one per report, the curation graph and the
ontology graph), which ``GRAPH ?g`` reaches, and, as its default graph, their
RDF merge: each triple once however many graphs state it. Oxigraph's own
union-default-graph option returns a triple once per graph that holds it
(oxigraph/oxigraph#1919), so a definition quoted by 63 reports made 63 rows of
the glossary table and counts came out inflated; a merged default graph stored
at build time gives set semantics, as Fuseki's union graph does, and is faster
to read besides.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ArtifactError, QueryError

STORE_DIR = "oxigraph"


@dataclass(frozen=True)
class Term:
    """An RDF term in a query result, engine-neutral (compare across engines)."""

    type: str  # "uri" | "literal" | "bnode" | "triple"
    value: str
    datatype: str | None = None
    lang: str | None = None

    def to_json(self) -> dict[str, str]:
        out = {"type": self.type, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out


@dataclass
class Result:
    """A query result: SELECT rows, an ASK boolean, or CONSTRUCT triples as N-Triples."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str]
    rows: list[dict[str, Term]]
    boolean: bool | None = None
    ntriples: str = ""


LOAD_CHUNK = 64 << 20  # bytes of N-Quads per bulk load


def create_store(nquads: Path, merged: Path, directory: Path) -> Any:
    """A new on-disk store of the named graphs in ``nquads`` and, as default graph, the N-Triples of ``merged``.

    ``merged`` must be the merge of the named graphs (the build's ``graph.nt``).
    Returns the store, open for reading and writing. Files go in chunks of
    whole lines: one bulk load of a corpus's file held gigabytes at once (957 MB
    for 100 reports' 240 MB, against 406 MB in chunks, and no slower).
    """
    import pyoxigraph as ox

    store = ox.Store(str(directory))
    for path, fmt in ((nquads, ox.RdfFormat.N_QUADS), (merged, ox.RdfFormat.N_TRIPLES)):
        with path.open("rb") as fh:
            while chunk := fh.read(LOAD_CHUNK):
                store.bulk_load(input=chunk + fh.readline(), format=fmt)
    store.flush()
    return store


def update_store(
    old: Path,
    directory: Path,
    fresh: Path,
    replaced: Iterable[str],
    renamed: Iterable[str],
    build: tuple[str, str],
    changed: list[Any] | None = None,
) -> Any:
    """The store :func:`create_store` makes of a build's files, made from the last build's store.

    ``old`` is the last build's store, copied first (a checkpoint: its files are
    hard-linked, not copied). The graphs ``replaced`` lose their quads; ``fresh``
    holds the N-Quads of every graph written afresh; in the graphs ``renamed`` (the
    unchanged reports') the last build's IRI, ``build[0]``, becomes ``build[1]``.
    The merged default graph then gains and loses exactly the triples whose
    presence in some named graph changed. An unchanged report costs a lookup or
    two, not a reload: at 1,000 reports a new store took minutes. ``changed``, when
    given, receives every triple the default graph gained or lost.
    """
    import pyoxigraph as ox

    ox.Store.read_only(str(old)).backup(str(directory))
    store = ox.Store(str(directory))
    graphs = [ox.NamedNode(g) for g in replaced]
    before = {t for g in graphs for t in _triples(store, g)}
    for g in graphs:
        store.remove_graph(g)
    after: set[Any] = set()
    old_build, new_build = ox.NamedNode(build[0]), ox.NamedNode(build[1])
    if old_build != new_build:
        keep = {ox.NamedNode(g) for g in renamed}
        found = [*store.quads_for_pattern(old_build, None, None), *store.quads_for_pattern(None, None, old_build)]
        for q in found:
            if q.graph_name not in keep or old_build not in (q.subject, q.object):
                continue
            s = new_build if q.subject == old_build else q.subject
            o = new_build if q.object == old_build else q.object
            store.remove(q)
            store.add(ox.Quad(s, q.predicate, o, q.graph_name))
            before.add(q.triple)
            after.add(ox.Triple(s, q.predicate, o))
    with fresh.open("rb") as fh:
        while chunk := fh.read(LOAD_CHUNK):
            store.bulk_load(input=chunk + fh.readline(), format=ox.RdfFormat.N_QUADS)
    # Read back rather than parsed: the store keeps some literals in another form (xsd:int as
    # xsd:integer, "01" as "1"), and the triples are compared as it keeps them.
    after |= {t for g in graphs for t in _triples(store, g)}
    default = ox.DefaultGraph()
    # A triple in both sets is still in a named graph that held it; only the others may change.
    for t in before ^ after:
        named = merged = False
        for q in store.quads_for_pattern(t.subject, t.predicate, t.object):
            if q.triple == t:  # the look-up may return more (see _triples)
                if q.graph_name == default:
                    merged = True
                else:
                    named = True
        if named == merged:
            continue
        if named:
            store.add(ox.Quad(t.subject, t.predicate, t.object, default))
        else:
            store.remove(ox.Quad(t.subject, t.predicate, t.object, default))
        if changed is not None:
            changed.append(t)
    store.flush()
    return store


def _triples(store: Any, graph: Any) -> Iterator[Any]:
    """The triples of one named graph of the store.

    Each quad is checked: pyoxigraph 0.5's ``quads_for_pattern`` on a store on disk
    answers a pattern with some integer literals (2303, whose encoding ends in 0xff)
    by a range of integers from it on, so no look-up here trusts it alone.
    """
    return (q.triple for q in store.quads_for_pattern(None, None, None, graph) if q.graph_name == graph)


def open_store(dist: Path) -> Any:
    """Open the built store read-only (many processes may read at once)."""
    import pyoxigraph as ox

    path = dist / STORE_DIR
    if not path.is_dir():
        raise ArtifactError(f"no built graph in {dist}/ (run `kg build`)")
    try:
        store = ox.Store.read_only(str(path))
    except OSError as exc:
        raise ArtifactError(f"cannot open the store in {path}: {exc}") from None
    if not any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())) and any(
        True for _ in store.named_graphs()
    ):
        raise ArtifactError(f"the store in {path} was built without its merged default graph (run `kg build`)")
    return store


def _term(t: Any) -> Term:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    if isinstance(t, ox.Literal):
        lang = t.language
        dt = None if lang else t.datatype.value
        return Term("literal", t.value, dt, lang)
    return Term("triple", str(t))


def run_query(store: Any, query: str) -> Result:
    """Run SPARQL on the embedded store; the default graph is the merge of the named graphs."""
    import pyoxigraph as ox

    try:
        res = store.query(query)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    if isinstance(res, ox.QueryBoolean):
        return Result("ask", [], [], bool(res))
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        rows = []
        for sol in res:
            row = {}
            for v in variables:
                val = sol[v]
                if val is not None:
                    row[v] = _term(val)
            rows.append(row)
        return Result("select", variables, rows)
    data = res.serialize(format=ox.RdfFormat.N_TRIPLES)
    return Result("graph", [], [], None, data.decode("utf-8") if isinstance(data, bytes) else str(data))
