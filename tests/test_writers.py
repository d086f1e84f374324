"""The direct Turtle and JSON-LD writers give rdflib's own output, byte for byte."""

from __future__ import annotations

import io
import json
import tempfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.serialise import _canonical_json, bind, namespaces
from kg.vocab import PREFIXES
from kg.writers import UnionTurtle, jsonld, statements, turtle, union_turtle

BASE = "https://w3id.org/nanmatou/"
# Locals that exercise rdflib's name rules: dots, brackets, percent signs, digits, empty.
LOCAL = st.sampled_from(["a", "b", "x.y", "end.", "(p)", "50%", "%41", "1st", "mention-3#selector", "", "术语", "a/b"])
SPACE = st.sampled_from(
    [BASE + "ns#", BASE + "term/", BASE + "dimension/", BASE + "report/r/", str(SKOS), "http://example.org/", "urn:x:"]
)
IRI = st.builds(lambda ns, local: URIRef(ns + local), SPACE, LOCAL)
PREDICATE = st.one_of(
    st.sampled_from([RDF.type, RDFS.label, SKOS.prefLabel, SKOS.broader]), st.builds(URIRef, st.just(BASE + "ns#p"))
)
TEXT = st.text(alphabet=st.sampled_from(list("ab 码头\"\\\n'\t#")), max_size=8)
LITERAL = st.one_of(
    st.builds(Literal, TEXT),
    st.builds(lambda t, lang: Literal(t, lang=lang), TEXT, st.sampled_from(["zh", "en", "zh-Hans"])),
    st.builds(lambda n: Literal(n, datatype=XSD.integer), st.integers(-3, 300)),
    st.builds(lambda n: Literal(n), st.booleans()),
    st.builds(lambda n: Literal(Decimal(n) / 4), st.integers(0, 40)),
    st.builds(lambda n: Literal(str(n), datatype=XSD.gYear), st.integers(2019, 2023)),
    st.builds(lambda n: Literal(n, datatype=XSD.nonNegativeInteger), st.integers(0, 9)),
    st.builds(lambda t: Literal(t, datatype=URIRef("http://example.org/dt")), TEXT),
)
TRIPLE = st.tuples(IRI, PREDICATE, st.one_of(IRI, LITERAL))


def rdflib_turtle(triples) -> str:
    g = Graph()
    bind(g, BASE)
    for t in triples:
        g.add(t)
    return g.serialize(format="turtle")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TRIPLE, max_size=25))
def test_turtle_is_rdflibs(triples):
    assert turtle(triples, namespaces(BASE)) == rdflib_turtle(triples)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(TRIPLE, max_size=15), max_size=4), st.lists(st.booleans(), min_size=4, max_size=4))
def test_union_of_graphs_is_rdflibs(parts, ready):
    """Graphs sharing subjects and triples: the union from per-graph statements is rdflib's union."""
    if len(parts) > 1:  # make subjects and whole triples recur across graphs
        parts[1] = parts[1] + parts[0][:3]
    nm = namespaces(BASE)
    given_parts = [(statements(t, nm) if r else None, t) for t, r in zip(parts, ready, strict=False)]
    want = rdflib_turtle([t for p in parts for t in p])
    assert union_turtle(given_parts, namespaces(BASE)) == want
    # Graphs that keep only some subjects' triples and are read again for the others.
    union = UnionTurtle(namespaces(BASE))
    for i, triples in enumerate(parts):
        union.add(
            statements(triples, nm), triples, keep=lambda s, i=i: (len(s) + i) % 2 == 0, reload=lambda t=triples: t
        )
    out = io.StringIO()
    union.write(out)
    assert out.getvalue() == want
    # The same with the blocks spilled to a file, as a build does (read back through a map of it).
    with tempfile.TemporaryFile("w+b") as spill:
        union = UnionTurtle(namespaces(BASE), spill)
        for triples in parts:
            union.add(statements(triples, nm), triples)
        out = io.StringIO()
        union.write(out)
        assert out.getvalue() == want


@pytest.mark.parametrize(
    "triples",
    [
        [],
        # blank nodes and lists go through rdflib's own writer, fed from the index
        [(URIRef(BASE + "a"), SKOS.related, BNode("b1")), (BNode("b1"), RDFS.label, Literal("x"))],
        [(URIRef(BASE + "a"), SKOS.member, RDF.nil)],
        # a predicate in no bound namespace: rdflib makes a prefix up
        [(URIRef(BASE + "a"), URIRef("http://example.org/p"), Literal(1))],
        [(URIRef(BASE + "c"), RDF.type, RDFS.Class), (URIRef(BASE + "d"), RDF.type, RDFS.Class)],
    ],
)
def test_turtle_special_cases(triples):
    assert turtle(triples, namespaces(BASE)) == rdflib_turtle(triples)


def rdflib_jsonld(graphs) -> object:
    ds = Dataset()
    for name, triples in graphs.items():
        for t in triples:
            ds.graph(name).add(t)
    return _canonical_json(json.loads(ds.serialize(format="json-ld", context=dict(PREFIXES))))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(TRIPLE, min_size=0, max_size=12), max_size=3))
def test_jsonld_is_rdflibs(parts):
    # One value per subject and predicate: with several, rdflib's output depends on its store's order.
    graphs = {}
    for i, triples in enumerate(parts):
        seen = {}
        for s, p, o in triples:
            seen.setdefault((s, p), (s, p, o))
        graphs[URIRef(f"{BASE}graph/g{i}")] = list(seen.values())
    assert _canonical_json(jsonld(graphs, dict(PREFIXES))) == rdflib_jsonld(graphs)


def test_jsonld_several_values_and_blank_nodes():
    s = URIRef(BASE + "term/t")
    graphs = {
        URIRef(BASE + "graph/a"): [
            (s, SKOS.altLabel, Literal("甲", lang="zh")),
            (s, SKOS.altLabel, Literal("乙", lang="zh")),
            (s, RDF.type, SKOS.Concept),
            (s, RDF.type, URIRef(BASE + "ns#Term")),
        ],
        URIRef(BASE + "graph/b"): [(s, SKOS.related, BNode("x")), (BNode("x"), RDFS.label, Literal("x"))],
    }
    assert _canonical_json(jsonld(graphs, dict(PREFIXES))) == rdflib_jsonld(graphs)


def test_packaged_build_files_are_rdflibs(dist):
    """The files of the packaged build are what rdflib's own writers make of the same graphs."""
    ds = Dataset()
    ds.parse(dist / "dataset.nq", format="nquads")
    union = Graph()
    bind(union, BASE)
    for s, p, o, _g in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert (dist / "graph.ttl").read_text(encoding="utf-8") == union.serialize(format="turtle")
    data = json.loads(ds.serialize(format="json-ld", context=dict(PREFIXES)))
    written = json.loads((dist / "dataset.jsonld").read_text(encoding="utf-8"))
    assert written == _canonical_json(data)


# Locals that make namespaces nest: "1st" splits as "…/1" + "st", so "…/1" may prefix a later IRI.
NESTING = st.builds(
    lambda ns, local: ns + local, SPACE, st.sampled_from(["1", "1st", "12ab", "1/2", "a/1b", "x", "", "%20y"])
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(IRI.map(str), NESTING), max_size=30))
def test_qnames_are_rdflibs_in_any_order(iris):
    """The writer's qname for each IRI, in turn, is what rdflib's manager computes after the same IRIs."""
    from kg.writers import _Names

    managers = [namespaces(BASE), namespaces(BASE)]
    for nm in managers:  # a namespace that ends inside local names: the longest one seen must win
        nm.bind("exx", URIRef("http://example.org/x"))
    ours, theirs = _Names(managers[0]), managers[1]
    for iri in iris:
        try:
            expected: object = tuple(map(str, theirs.compute_qname(iri, generate=False)))
        except (ValueError, KeyError) as exc:
            expected = type(exc)
        try:
            got: object = ours._qname(iri)
        except (ValueError, KeyError) as exc:
            got = type(exc)
        assert got == expected, iri
