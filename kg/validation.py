"""SHACL validation of the built graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from kg.errors import ArtifactError, ShapeViolation
from kg.graph_index import ReadGraph, TripleIndex
from kg.resources import ontology_dir
from kg.shacl_fast import Result, Since, evaluate, load_shapes, supported
from kg.store_graph import StoreGraph


def union(ds: Dataset) -> Graph:
    """All named graphs merged into one graph (what SHACL checks)."""
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@dataclass(frozen=True)
class Finding:
    """One SHACL result: ``severity`` is ``violation``, ``warning`` or ``info``."""

    severity: str
    line: str


@dataclass
class Carry:
    """SHACL results carried from one build to the next (``kg/build_cache.py`` keeps them).

    In: the last build's results and the IRIs of the subjects whose triples changed
    since (either None: validate everything), and the changed triples themselves
    (None: the SPARQL-based constraints run whole). Out: this validation's results
    (None when pyshacl validated), and whether only what changed was validated.
    """

    core: list[Result] | None = None
    changed: set[str] | None = None
    incremental: bool = False
    triples: list[tuple[Any, Any, Any]] | None = None  # added or removed: see shacl_fast.Since


def check(data: Dataset | ReadGraph, engine: str = "fast", carry: Carry | None = None) -> list[Finding]:
    """Every SHACL result, violations first, each as one line (shape, focus node, message).

    ``engine="fast"`` uses :mod:`kg.shacl_fast` (the SPARQL constraints run once over the whole
    graph) whenever the shapes use only what it implements; ``"pyshacl"`` forces pyshacl.
    With ``carry``, the fast engine validates only what the changes can affect.
    """
    graph = union(data) if isinstance(data, Dataset) else data
    shapes_file = ontology_dir() / "shapes.ttl"
    if engine == "fast" and supported(load_shapes(shapes_file)):
        since = None
        if carry is not None and carry.core is not None and carry.changed is not None:
            since = Since(carry.core, carry.changed, carry.triples)
        results = evaluate(load_shapes(shapes_file), graph, since)
        if carry is not None:
            carry.core, carry.incremental = results, since is not None
        rank = {"violation": 0, "warning": 1, "info": 2}
        found = {Finding(r.severity, r.line()) for r in results}
        return sorted(found, key=lambda f: (rank[f.severity], f.line))
    if carry is not None:
        carry.core, carry.incremental = None, False
    return _pyshacl(graph.to_graph() if isinstance(graph, TripleIndex | StoreGraph) else graph)


def _pyshacl(graph: Graph) -> list[Finding]:
    from pyshacl import validate

    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    _conforms, results, _text = validate(
        graph,
        shacl_graph=shapes,
        advanced=True,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
    )
    assert isinstance(results, Graph)
    out = []
    for res in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(res, SH.resultSeverity)
        level = {SH.Warning: "warning", SH.Info: "info"}.get(severity, "violation")  # type: ignore[call-overload]
        shape = results.value(res, SH.sourceShape)
        focus = results.value(res, SH.focusNode)
        msg = results.value(res, SH.resultMessage)
        path = results.value(res, SH.resultPath)
        shape_name = _short(shape) if isinstance(shape, URIRef) else _parent_shape(shapes, shape)
        where = f" ({_short(path)})" if isinstance(path, URIRef) else ""
        out.append(Finding(level, f"{shape_name}{where} on {focus}: {msg}"))
    rank = {"violation": 0, "warning": 1, "info": 2}
    return sorted(set(out), key=lambda f: (rank[f.severity], f.line))


def violations(data: Dataset | ReadGraph, strict: bool = False) -> list[str]:
    """One line per SHACL violation (with ``strict``, warnings count too)."""
    return [f.line for f in check(data) if f.severity == "violation" or (strict and f.severity == "warning")]


def _short(iri: URIRef) -> str:
    s = str(iri)
    return s.rsplit("#", 1)[-1] if "#" in s else s.rsplit("/", 1)[-1]


def _parent_shape(shapes: Graph, node: object) -> str:
    for parent in shapes.subjects(SH.property, node):  # type: ignore[arg-type]
        if isinstance(parent, URIRef):
            return _short(parent)
    for parent in shapes.subjects(SH.sparql, node):  # type: ignore[arg-type]
        if isinstance(parent, URIRef):
            return _short(parent)
    return "shape"


def validate_graph(
    data: Dataset | ReadGraph, errors_file: Path | None = None, carry: Carry | None = None
) -> list[Finding]:
    """Raise ShapeViolation when there is any violation; return the warnings and infos otherwise.

    The error counts every violation and, when ``errors_file`` is given, writes the
    full list there and names it. ``carry``: see :func:`check`.
    """
    found = check(data, carry=carry)
    bad = [f.line for f in found if f.severity == "violation"]
    if bad:
        hint = ""
        if errors_file is not None:
            errors_file.write_text("\n".join(bad) + "\n", encoding="utf-8")
            hint = f" (all {len(bad)} in {errors_file})"
        raise ShapeViolation(f"SHACL: {len(bad)} violation(s): " + "; ".join(bad[:3]) + hint)
    return [f for f in found if f.severity != "violation"]


def load_dataset(dist: Path) -> Dataset:
    """Read the built dataset back from ``dist/dataset.nq`` (or from the same lines in the build
    cache, when the build wrote no dataset files)."""
    path = dist / "dataset.nq"
    ds = Dataset()
    try:
        if path.is_file():
            ds.parse(path, format="nquads")
            return ds
        from kg.cache_files import cached_nquads  # says when there is no build either

        with tempfile.TemporaryDirectory() as tmp:  # the lines once, on disk, not twice in memory
            lines = Path(tmp) / "dataset.nq"
            with lines.open("w", encoding="utf-8", newline="") as fh:
                fh.writelines(ln + "\n" for ln in cached_nquads(dist))
            ds.parse(lines, format="nquads")
    except ArtifactError:
        raise
    except Exception as exc:  # rdflib's parsers raise several kinds: a damaged file is the user's to rebuild
        said = " ".join(str(exc).split())  # on one line, and not the whole of a long source line
        said = said if len(said) <= 160 else said[:159] + "…"
        raise ArtifactError(f"cannot read the built graph in {dist}/ ({said}): run `kg build`") from None
    return ds


def validate_dist(dist: Path) -> list[Finding]:
    """Every SHACL result of the built dataset in ``dist``."""
    return check(load_dataset(dist))
