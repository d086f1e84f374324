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

from collections.abc import Iterable, Iterator, Mapping
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


def create_store(nquads: list[Path], merged: list[Path], directory: Path) -> Any:
    """A new on-disk store of the named graphs in the N-Quads files ``nquads`` and, as default
    graph, the N-Triples of the files ``merged``.

    ``merged`` must hold the merge of the named graphs (the build's ``graph.nt``, or every graph's
    lines). Returns the store, open for reading and writing. Files go in chunks of
    whole lines: one bulk load of a corpus's file held gigabytes at once (957 MB
    for 100 reports' 240 MB, against 406 MB in chunks, and no slower).
    """
    import pyoxigraph as ox

    store = ox.Store(str(directory))
    for paths, fmt in ((nquads, ox.RdfFormat.N_QUADS), (merged, ox.RdfFormat.N_TRIPLES)):
        for chunk in _chunks(paths):
            store.bulk_load(input=chunk, format=fmt)
    # Each chunk's bulk load leaves files of its own that every look-up must search; compacted
    # into one run per index, look-ups are 20–30 % faster (1,000 reports: quantities 355 → 247 ms,
    # term-years 3.2 → 2.2 s) for 28 s of a 10-minute build (6 ms for one report).
    store.optimize()
    store.flush()
    return store


def _chunks(paths: list[Path]) -> Iterator[bytes]:
    """The files' lines, in chunks of whole lines of about :data:`LOAD_CHUNK` bytes (many small
    files, a report's lines each, go in few loads)."""
    held: list[bytes] = []
    size = 0
    for path in paths:
        with path.open("rb") as fh:
            while chunk := fh.read(LOAD_CHUNK - size) + fh.readline():
                held.append(chunk if chunk.endswith(b"\n") else chunk + b"\n")  # a file's last line, too
                size += len(held[-1])
                if size >= LOAD_CHUNK:
                    yield b"".join(held)
                    held, size = [], 0
    if held:
        yield b"".join(held)


def update_store(
    old: Path,
    directory: Path,
    fresh: Path,
    replaced: Iterable[str],
    renamed: Iterable[str],
    build: tuple[str, str],
    changed: list[Any] | None = None,
    patched: Mapping[str, Patch] | None = None,
) -> Any:
    """The store :func:`create_store` makes of a build's lines, made from the last build's store.

    ``old`` is the last build's store, copied first (a checkpoint: its files are
    hard-linked, not copied). The graphs ``replaced`` lose their quads; ``fresh``
    holds the N-Quads of every graph written afresh; in the graphs ``renamed`` (the
    unchanged reports') the last build's IRI, ``build[0]``, becomes ``build[1]``.
    The merged default graph then gains and loses exactly the triples whose
    presence in some named graph changed. An unchanged report costs a lookup or
    two, not a reload: at 1,000 reports a new store took minutes. ``changed``, when
    given, receives every triple the default graph gained or lost.

    ``patched`` maps graphs written afresh but mostly unchanged (the curation
    graph: half a million triples at 1,000 reports, a few hundred of them new)
    to how they changed (:class:`Patch`): such a graph gains and loses only the
    lines that differ, where replacing it read and wrote it whole twice (22 s at
    1,000 reports). Without its old lines, or with blank nodes among the
    differences (their labels differ between builds), it is replaced from its
    new lines.
    """
    import pyoxigraph as ox

    ox.Store.read_only(str(old)).backup(str(directory))
    store = ox.Store(str(directory))
    patches = dict(patched or {})
    graphs = [ox.NamedNode(g) for g in replaced]
    before: set[Any] = set()
    after: set[Any] = set()
    for name, patch in sorted(patches.items()):
        delta = patch.delta()
        if delta is None:
            graphs.append(ox.NamedNode(name))  # replaced from its new lines, below
            continue
        del patches[name]
        gone, come = delta
        for q in gone:  # every removal first: a line rewritten to the same kept form is added back
            store.remove(q)
            before.add(q.triple)
        for q in come:
            store.add(q)
            after.add(q.triple)
    before |= {t for g in graphs for t in graph_triples(store, g)}
    for g in graphs:
        store.remove_graph(g)
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
    for chunk in _chunks([fresh, *(patch.now for patch in patches.values())]):
        store.bulk_load(input=chunk, format=ox.RdfFormat.N_QUADS)
    # Read back rather than parsed: the store keeps some literals in another form (xsd:int as
    # xsd:integer, "01" as "1"), and the triples are compared as it keeps them.
    after |= {t for g in graphs for t in graph_triples(store, g)}
    default = ox.DefaultGraph()
    # A triple in both sets is still in a named graph that held it; only the others may change.
    for t in before ^ after:
        named = merged = False
        for q in store.quads_for_pattern(t.subject, t.predicate, t.object):
            if q.triple == t:  # the look-up may return more (see graph_triples)
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


def _sorted_lines(path: Path | None) -> Iterator[bytes]:
    if path is None:
        return
    with path.open("rb") as fh:
        yield from fh


def _head(line: bytes) -> bytes:
    """An N-Quads line's subject and predicate (neither holds a space)."""
    return b" ".join(line.split(b" ", 2)[:2])


def _kept(lines: list[bytes]) -> list[Any]:
    """The quads of these N-Quads lines as a store keeps them (xsd:int as xsd:integer, "01" as "1" …),
    read back from a store in memory."""
    import pyoxigraph as ox

    scratch = ox.Store()
    scratch.bulk_load(input=b"".join(lines), format=ox.RdfFormat.N_QUADS)
    return list(scratch)


@dataclass
class Patch:
    """How a graph written afresh changed since the last build: its sorted N-Quads lines now
    (``now``) and as the last build kept them (``was``, None when it did not).

    ``pieces``, when given, are files of sorted lines that part the graph then and now (None:
    that part had, or has, no line), whose differences are the graph's: a graph made a report at
    a time (:mod:`kg.building.curation_lines`) is compared where reports changed, not whole.
    """

    now: Path
    was: Path | None
    pieces: list[tuple[Path | None, Path | None]] | None = None

    def delta(self) -> tuple[list[Any], list[Any]] | None:
        """The quads the graph lost and gained, as a store keeps them; None when unknown (see
        :func:`_line_delta`)."""
        if self.pieces is None:
            return _line_delta(self.was, self.now) if self.was is not None else None
        lost: list[Any] = []
        gained: list[Any] = []
        for was, now in self.pieces:
            found = _line_delta(was, now)
            if found is None:
                return None
            lost += found[0]
            gained += found[1]
        return lost, gained


def _line_delta(was: Path | None, now: Path | None) -> tuple[list[Any], list[Any]] | None:
    """The quads of the lines only in ``was`` and of those only in ``now`` (two files of sorted
    N-Quads lines; None for no lines), as a store keeps them; None when a file is unreadable or
    a differing line has a blank node (its label differs between builds).

    A line gone whose quad another line of ``now`` still gives (another lexical form of the
    same value) is not among those gone.
    """
    import pyoxigraph as ox

    gone: list[bytes] = []
    come: list[bytes] = []
    try:
        old, new = _sorted_lines(was), _sorted_lines(now)
        a, b = next(old, None), next(new, None)
        while a is not None or b is not None:
            if b is None or (a is not None and a < b):
                gone.append(a)  # type: ignore[arg-type]
                a = next(old, None)
            elif a is None or b < a:
                come.append(b)
                b = next(new, None)
            else:
                a, b = next(old, None), next(new, None)
        heads = {_head(ln) for ln in gone}
        near = [ln for ln in _sorted_lines(now) if _head(ln) in heads] if heads else []
    except OSError:
        return None
    lost, gained, still = _kept(gone), _kept(come), set(_kept(near))
    if any(isinstance(t, ox.BlankNode) for q in (*lost, *gained) for t in (q.subject, q.object)):
        return None
    return [q for q in lost if q not in still], gained


def graph_triples(store: Any, graph: Any) -> Iterator[Any]:
    """The triples of one named graph of the store.

    Each quad is checked: pyoxigraph 0.5's ``quads_for_pattern`` on a store on disk
    answers a pattern with some integer literals (2303, whose encoding ends in 0xff)
    by a range of integers from it on, so no look-up here trusts it alone.
    """
    return (q.triple for q in store.quads_for_pattern(None, None, None, graph) if q.graph_name == graph)


def open_read_only(path: Path | str, attempts: int = 5) -> Any:
    """Open the store at ``path`` read-only while the build that made it may still hold it
    open for writing (a worker beside validation).

    RocksDB's background work in the writer can replace its MANIFEST between a reader
    finding the file's name and opening it ("No such file or directory"); opened again, the
    reader finds the new one. Any other failure is raised at once.
    """
    import time

    import pyoxigraph as ox

    for attempt in range(1, attempts + 1):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if attempt == attempts or "No such file" not in str(exc):
                raise
            time.sleep(0.05 * attempt)


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
        from kg.web.guard import is_update

        if is_update(query):
            raise QueryError(
                "this is a SPARQL Update: the built store is read-only (change the sources or the curation and "
                "run `kg build`); kg query runs SELECT, ASK, CONSTRUCT and DESCRIBE"
            ) from None
        raise QueryError("SPARQL syntax error: " + " ".join(str(exc).split())) from None
    if isinstance(res, ox.QueryBoolean):
        return Result("ask", [], [], bool(res))
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        rows = []
        # A solution iterates its values in the order of the variables, which is faster than
        # indexing by name; a term met again is converted once (3.5× faster on 3,629 rows).
        seen: dict[Any, Term] = {}
        for sol in res:
            row = {}
            for v, val in zip(variables, sol, strict=True):
                if val is not None:
                    term = seen.get(val)
                    if term is None:
                        term = seen[val] = _term(val)
                    row[v] = term
            rows.append(row)
        return Result("select", variables, rows)
    data = res.serialize(format=ox.RdfFormat.N_TRIPLES)
    return Result("graph", [], [], None, data.decode("utf-8") if isinstance(data, bytes) else str(data))
