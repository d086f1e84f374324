"""Counts of the built graph: triples per named graph, instances per class."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.store import open_store, run_query

GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CLASS_COUNTS = """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class"""


def stats(dist: Path) -> dict[str, Any]:
    """{"graphs": {iri: triples}, "classes": {iri: instances}, "triples": total}."""
    store = open_store(dist)
    graphs = {r["g"].value: int(r["n"].value) for r in run_query(store, GRAPH_COUNTS).rows}
    classes = {r["class"].value: int(r["n"].value) for r in run_query(store, CLASS_COUNTS).rows}
    return {"triples": sum(graphs.values()), "graphs": graphs, "classes": classes}
