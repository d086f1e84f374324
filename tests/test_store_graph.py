"""The built store read as a graph answers as the same triples held in memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from kg.graph_index import TripleIndex
from kg.index import INDEX_FILE, build_index
from kg.store import open_store
from kg.store_graph import FOLDED, StoreGraph
from kg.validation import check
from kg.vocab import OA, IRIs


@pytest.fixture(scope="module")
def both(dist):
    ds = Dataset()
    ds.parse(dist / "dataset.nq", format="nquads")
    memory = TripleIndex((s, p, o) for s, p, o, _g in ds.quads((None, None, None, None)))
    return StoreGraph(open_store(dist)), memory


def _fold(node):
    """What the store keeps of a term: integer subtypes as xsd:integer, numbers by value (11100.0 as 11100)."""
    if isinstance(node, Literal) and str(node.datatype) in FOLDED:
        node = Literal(str(node), datatype=XSD.integer)
    if isinstance(node, Literal) and node.datatype in (XSD.decimal, XSD.double, XSD.integer):
        return (str(node.datatype), node.toPython())
    return node


def test_look_ups_answer_alike(both):
    store, memory = both
    by_subject: dict = {}
    for s, p, o in memory:
        by_subject.setdefault(s, []).append((p, o))
    for s in sorted(by_subject, key=str)[::37]:
        for p, o in by_subject[s]:
            assert {_fold(x) for x in memory.objects(s, p)} == {_fold(x) for x in store.objects(s, p)}
            if not isinstance(o, Literal) or o.datatype is None:
                assert (s, p, o) in store
            assert _fold(store.value(s, p)) in {_fold(x) for x in memory.objects(s, p)}
    for cls in set(memory.objects(None, RDF.type)):
        assert set(store.subjects(RDF.type, cls)) == set(memory.subjects(RDF.type, cls))
    assert (URIRef("urn:x:nothing"), RDF.type, SKOS.Concept) not in store
    assert store.value(URIRef("urn:x:nothing"), RDF.type) is None
    labels = set(store.objects(None, SKOS.prefLabel))
    assert any(isinstance(x, Literal) and x.language == "zh" for x in labels)  # tagged literals keep their tag
    assert any(
        isinstance(x, Literal) and x.language is None and x.datatype is None for x in store.objects(None, OA.exact)
    )


def test_the_build_knows_which_values_the_store_folds(dist):
    """oa:start is an xsd:nonNegativeInteger: the store keeps it as xsd:integer, and no shape constrains its type."""
    from kg.resources import ontology_dir
    from kg.serialise import graph_text
    from kg.shacl_fast import datatype_paths, load_shapes

    text = graph_text("urn:x:g", [(URIRef("urn:x:s"), OA.start, Literal(3, datatype=XSD.nonNegativeInteger))], "urn:x:")
    assert text.folded == {str(OA.start)}
    assert str(OA.start) not in datatype_paths(load_shapes(ontology_dir() / "shapes.ttl"))


def test_validation_and_index_read_alike(both, dist):
    store, memory = both
    assert check(store) == check(memory)
    index = json.loads((dist / INDEX_FILE).read_text(encoding="utf-8"))
    variants = index.get("variants", {})
    assert build_index(store, IRIs(index["base"]), variants) == build_index(memory, IRIs(index["base"]), variants)


def test_the_store_loads_in_chunks_of_whole_lines(dist, tmp_path, monkeypatch):
    """Chunks far smaller than the file (cut mid-line, completed to the line's end) load every quad."""
    import kg.store
    from kg.store import create_store

    monkeypatch.setattr(kg.store, "LOAD_CHUNK", 4096)
    store = create_store([dist / "dataset.nq"], [dist / "graph.nt"], tmp_path / "store")
    lines = [ln for ln in (dist / "dataset.nq").read_text(encoding="utf-8").splitlines() if ln.strip()]
    merged = [ln for ln in (dist / "graph.nt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert len(store) == len(lines) + len(merged)


@given(st.lists(st.integers(0, 40), min_size=1, max_size=6), st.integers(1, 300))
@settings(max_examples=40, deadline=None)
def test_many_files_load_in_chunks_of_whole_lines(cuts, chunk):
    """Files of sorted lines (a build without the dataset files loads every graph's own), some
    empty, the last line of each with or without its line end: every line is one quad."""
    import tempfile

    import kg.store
    from kg.store import _chunks

    lines = [f'<urn:x:s{i}> <urn:x:p> "{"值" * (i % 7)}{i}" <urn:x:g{i % 3}> .' for i in range(sum(cuts))]
    with tempfile.TemporaryDirectory() as tmp:
        paths, at = [], 0
        for i, n in enumerate(cuts):
            path = Path(tmp) / f"run-{i}"
            text = "".join(ln + "\n" for ln in lines[at : at + n])
            path.write_text(text[:-1] if i % 2 and text else text, encoding="utf-8")
            paths.append(path)
            at += n
        old, kg.store.LOAD_CHUNK = kg.store.LOAD_CHUNK, chunk
        try:
            chunks = list(_chunks(paths))
        finally:
            kg.store.LOAD_CHUNK = old
    assert all(c.endswith(b"\n") for c in chunks)
    assert b"".join(chunks).decode("utf-8").splitlines() == lines


def test_a_store_without_its_merged_graph_is_refused(dist, tmp_path):
    """A store built before the merged default graph would answer every plain query empty: say so."""
    import pyoxigraph as ox

    from kg.errors import ArtifactError

    store = ox.Store(str(tmp_path / "oxigraph"))
    store.bulk_load(path=str(dist / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    with pytest.raises(ArtifactError, match="run `kg build`"):
        open_store(tmp_path)


def test_a_literal_is_looked_up_as_itself(tmp_path):
    """pyoxigraph 0.5 answers a pattern with the integer 2303 (an encoding ending in 0xff) from a
    store on disk by every integer from 2303 on; the graph view keeps only the literal asked for."""
    from kg.store import create_store

    s1, s2, p = URIRef("urn:x:s1"), URIRef("urn:x:s2"), OA.start
    nn = XSD.nonNegativeInteger
    lines = [f'<{s}> <{p}> "{v}"^^<{nn}> .' for s, v in [(s1, 2303), (s2, 2336), (s2, 2400), (s1, 255), (s2, 300)]]
    (tmp_path / "m.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "d.nq").write_text("\n".join(ln[:-1] + "<urn:x:g> ." for ln in lines) + "\n", encoding="utf-8")
    store = StoreGraph(create_store([tmp_path / "d.nq"], [tmp_path / "m.nt"], tmp_path / "store"))
    for value, owner in [(2303, s1), (2336, s2), (255, s1), (300, s2)]:
        for datatype in (nn, XSD.integer):
            assert set(store.subjects(p, Literal(value, datatype=datatype))) == {owner}
            assert (owner, p, Literal(value, datatype=datatype)) in store
            assert ({s1, s2} - {owner}).pop() not in set(store.subjects(p, Literal(value, datatype=datatype)))
    assert (s1, p, Literal(2304, datatype=nn)) not in store
    assert (s2, p, Literal("2303", datatype=XSD.integer)) not in store
