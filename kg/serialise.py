"""Write the dataset in TriG, N-Quads, Turtle, N-Triples and JSON-LD, byte-for-byte reproducibly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from kg.vocab import PREFIXES

ARTIFACTS = {
    "dataset.trig": "TriG: every named graph",
    "dataset.nq": "N-Quads: every named graph, sorted",
    "dataset.jsonld": "JSON-LD: every named graph",
    "graph.ttl": "Turtle: the union of all graphs",
    "graph.nt": "N-Triples: the union of all graphs, sorted",
}


def bind(g: Graph, base: str) -> None:
    """Bind the standard prefixes and readable ones for the data base."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    g.bind("term", base + "term/")
    g.bind("dim", base + "dimension/")


def _sorted_lines(data: str) -> str:
    lines = sorted({ln for ln in data.splitlines() if ln.strip()})
    return "\n".join(lines) + "\n"


def _canonical_json(value: Any) -> Any:
    """Sort JSON-LD node lists by @id so the file does not depend on hash order."""
    if isinstance(value, dict):
        return {k: _canonical_json(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _trig(ds: Dataset, base: str) -> str:
    """TriG with graphs in IRI order (rdflib's own writer follows store order)."""
    prefixes: dict[str, str] = {}
    bodies = []
    for name in sorted(str(g.identifier) for g in ds.graphs() if len(g)):
        g = Graph()
        bind(g, base)
        for t in ds.graph(URIRef(name)):
            g.add(t)
        lines = g.serialize(format="turtle").splitlines()
        for ln in lines:
            if ln.startswith("@prefix"):
                prefixes[ln] = ln
        body = [ln for ln in lines if not ln.startswith("@prefix")]
        while body and not body[0].strip():
            body.pop(0)
        # Lines are not indented: that would change multi-line string literals.
        bodies.append(f"<{name}> {{\n" + "\n".join(body).rstrip() + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(bodies)


def write_artifacts(ds: Dataset, merged: Graph, out: Path, report: dict[str, object]) -> None:
    """Write every serialisation of ``ds`` (and ``merged``, its union) into ``out``."""
    base = str(report["base"])
    bind(ds, base)
    nq = _sorted_lines(ds.serialize(format="nquads"))
    (out / "dataset.nq").write_text(nq, encoding="utf-8")
    (out / "dataset.trig").write_text(_trig(ds, base), encoding="utf-8")
    bind(merged, base)
    (out / "graph.nt").write_text(_sorted_lines(merged.serialize(format="nt")), encoding="utf-8")
    (out / "graph.ttl").write_text(merged.serialize(format="turtle"), encoding="utf-8")
    context = {k: v for k, v in PREFIXES.items()}
    data = json.loads(ds.serialize(format="json-ld", context=context))
    (out / "dataset.jsonld").write_text(
        json.dumps(_canonical_json(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    report["artifacts"] = ARTIFACTS
