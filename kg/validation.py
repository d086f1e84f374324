"""SHACL validation of the built graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from kg.errors import ArtifactError, ShapeViolation
from kg.resources import ontology_dir


def union(ds: Dataset) -> Graph:
    """All named graphs merged into one graph (what SHACL checks)."""
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def violations(data: Dataset | Graph, limit: int = 20) -> list[str]:
    """One line per SHACL violation: shape, focus node and message."""
    from pyshacl import validate

    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    conforms, results, _text = validate(
        union(data) if isinstance(data, Dataset) else data,
        shacl_graph=shapes,
        advanced=True,
        inference="none",
        allow_warnings=True,
    )
    if conforms:
        return []
    assert isinstance(results, Graph)
    lines = []
    for res in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(res, SH.resultSeverity)
        if severity is not None and severity != SH.Violation:
            continue
        shape = results.value(res, SH.sourceShape)
        focus = results.value(res, SH.focusNode)
        msg = results.value(res, SH.resultMessage)
        path = results.value(res, SH.resultPath)
        shape_name = _short(shape) if isinstance(shape, URIRef) else _parent_shape(shapes, shape)
        where = f" ({_short(path)})" if isinstance(path, URIRef) else ""
        lines.append(f"{shape_name}{where} on {focus}: {msg}")
    lines.sort()
    return lines[:limit] + ([f"… and {len(lines) - limit} more"] if len(lines) > limit else [])


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


def validate_graph(data: Dataset | Graph) -> None:
    """Raise ShapeViolation naming the failing shapes and focus nodes."""
    found = violations(data)
    if found:
        raise ShapeViolation(
            f"SHACL: {len(found)} violation(s): "
            + "; ".join(found[:3])
            + (" (run `kg validate` for all)" if len(found) > 3 else "")
        )


def load_dataset(dist: Path) -> Dataset:
    """Read the built dataset back from ``dist/dataset.nq``."""
    path = dist / "dataset.nq"
    if not path.is_file():
        raise ArtifactError(f"no built graph in {dist}/ (run `kg build`)")
    ds = Dataset()
    ds.parse(path, format="nquads")
    return ds


def validate_dist(dist: Path) -> list[str]:
    """SHACL violations of the built dataset in ``dist``."""
    return violations(load_dataset(dist), limit=1000)
