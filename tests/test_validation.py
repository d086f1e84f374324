"""The SHACL shapes catch what they promise to catch."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.curation import load_curation
from kg.pipeline import assemble
from kg.resources import CURATION, DEFAULT_REPORT
from kg.validation import violations
from kg.vocab import NMT, IRIs


def _dataset():
    ds, _reports, _report = assemble([DEFAULT_REPORT], load_curation(CURATION), IRIs())
    return ds


def _graph(ds, name):
    return ds.graph(URIRef(IRIs().graph(name)))


def test_built_graph_conforms_to_the_strict_profile():
    """The packaged report keeps its full curation: not even a curation warning."""
    assert violations(_dataset(), strict=True) == []


def test_each_shape_bites():
    ds = _dataset()
    iris = IRIs()
    cur = _graph(ds, "curation")
    rep = _graph(ds, "report/nanmatou-2021-report")
    wu = iris.term("wu-ge-li")
    cur.remove((wu, SKOS.prefLabel, Literal("five capabilities", lang="en")))
    item = iris.in_report("nanmatou-2021-report", "part-1/section-1/initiative-1")
    for g in (cur, rep):
        g.remove((item, NMT.alignsWith, None))
    sec2 = iris.in_report("nanmatou-2021-report", "part-1/section-2")
    rep.set((sec2, NMT.order, Literal(1)))
    q = iris.in_report("nanmatou-2021-report", "quantity-1")
    rep.remove((q, NMT.unit, None))
    comp = URIRef(f"{iris.term('wu-ge-li')}/component-5")
    cur.remove((comp, NMT["count"], None))
    cur.add((comp, NMT["count"], Literal(2)))
    found = "\n".join(violations(ds, strict=True))
    assert "WorkItem (alignsWith)" not in "\n".join(violations(ds))  # curation gaps are warnings
    assert "GlossaryTerm (prefLabel) on " + str(wu) in found and "prefLabel in en" in found
    assert "WorkItem (alignsWith) on " + str(item) in found
    assert "UniqueOrderInParent" in found
    assert "Quantity (unit) on " + str(q) in found
    assert "ShorthandCounts on " + str(wu) in found


def test_work_item_in_two_sections_is_a_violation():
    ds = _dataset()
    iris = IRIs()
    rep = _graph(ds, "report/nanmatou-2021-report")
    item = iris.in_report("nanmatou-2021-report", "part-1/section-1/initiative-1")
    rep.add((item, DCTERMS.isPartOf, iris.in_report("nanmatou-2021-report", "part-1/section-2")))
    assert any("belongs to exactly one section" in v for v in violations(ds))


def test_two_labels_in_one_language_is_a_violation():
    ds = _dataset()
    cur = _graph(ds, "curation")
    wu = IRIs().term("wu-ge-li")
    cur.add((wu, SKOS.prefLabel, Literal("five forces", lang="en")))
    assert any("at most one prefLabel per language" in v for v in violations(ds))


def _broken():
    """The packaged dataset with one break per kind of constraint in shapes.ttl."""
    from rdflib.namespace import RDF, XSD

    from kg.vocab import OA

    ds = _dataset()
    iris = IRIs()
    cur = _graph(ds, "curation")
    rep = _graph(ds, "report/nanmatou-2021-report")
    r = "nanmatou-2021-report"
    wu = iris.term("wu-ge-li")
    cur.remove((wu, SKOS.prefLabel, Literal("five capabilities", lang="en")))  # qualified languageIn (warning)
    cur.add((iris.term("san-hui-yi-dai-li"), SKOS.prefLabel, Literal("x", lang="en")))  # uniqueLang
    cur.set((iris.term("pian-qu"), NMT.definitionSource, NMT.somethingElse))  # sh:in
    cur.set((iris.term("ju-min-qu"), NMT.termType, NMT.notAType))  # sh:class
    item = iris.in_report(r, "part-1/section-1/initiative-1")
    for g in (cur, rep):
        g.remove((item, NMT.alignsWith, None))  # minCount (warning)
    rep.add(
        (iris.in_report(r, "part-1/section-2/initiative-1"), DCTERMS.isPartOf, iris.in_report(r, "part-1/section-3"))
    )
    rep.set((iris.in_report(r, "part-1/section-2"), NMT.order, Literal(1)))  # SPARQL unique order
    rep.remove((iris.in_report(r, "part-1/section-4"), DCTERMS.title, None))  # SPARQL zh title
    q = iris.in_report(r, "quantity-1")
    rep.remove((q, NMT.unit, None))  # minCount
    rep.set((iris.in_report(r, "quantity-2"), RDF.value, Literal("x", datatype=XSD.string)))  # datatype
    rep.remove(
        (
            URIRef(f"{iris.in_report(r, 'quantity-3')}#source"),
            OA.hasSelector,
            URIRef(f"{iris.in_report(r, 'quantity-3')}#quote"),
        )
    )
    pos = URIRef(f"{iris.in_report(r, 'quantity-4')}#position")
    rep.set((pos, OA.start, Literal(10**6, datatype=XSD.nonNegativeInteger)))  # lessThanOrEquals
    comp = URIRef(f"{wu}/component-5")
    cur.set((comp, NMT["count"], Literal(0)))  # minInclusive + SPARQL shorthand sum
    cur.set((iris.dimension("red"), NMT.displayColour, Literal("red")))  # pattern
    rep.remove((iris.in_report(r, "part-2"), DCTERMS.isPartOf, None))  # minCount on a part
    order = rep.value(iris.in_report(r, "quantity-6"), NMT.order)
    rep.set((iris.in_report(r, "quantity-5"), NMT.order, order))  # SPARQL unique order in a report
    rep.add((iris.report(r), NMT.period, Literal("2020", lang="zh")))  # maxCount + datatype (a plain one passes)
    return ds


def test_fast_shacl_and_pyshacl_report_the_same_results():
    """The fast evaluator and pyshacl agree on the packaged graph and on a graph broken every way shapes.ttl checks."""
    from kg.validation import check

    def keyed(findings):
        return {(f.severity, f.line.split(": ", 1)[0]) for f in findings}

    assert check(_dataset(), engine="fast") == [] == check(_dataset(), engine="pyshacl")
    broken = _broken()
    fast, reference = keyed(check(broken, engine="fast")), keyed(check(broken, engine="pyshacl"))
    assert fast == reference
    shapes = {k.split(" on ")[0].split(" (")[0] for _, k in fast}
    assert {"GlossaryTerm", "WorkItem", "Quantity", "ShorthandCounts", "Component", "Titled", "Dimension"} <= shapes
    assert {"UniqueOrderInParent", "UniqueReportOrder", "PositionSelector", "Part", "Report"} <= shapes


def test_fast_shacl_binds_focus_nodes_by_value_or_by_target_alike(monkeypatch):
    """Few focus nodes go into a VALUES block, many are bound through the shape's targets: same results."""
    import kg.shacl_fast
    from kg.validation import check

    broken = _broken()
    by_value = check(broken)
    monkeypatch.setattr(kg.shacl_fast, "BATCH", 0)
    assert check(broken) == by_value


def test_fast_shacl_reads_values_in_one_pass_or_by_look_ups_alike(monkeypatch):
    """A predicate much larger than the focus is not read whole: its values are looked up node
    by node, with the same results."""
    import kg.shacl_fast
    from kg.validation import check

    broken = _broken()
    monkeypatch.setattr(kg.shacl_fast, "BATCH", 0)  # every shape reads its values per predicate …
    in_one_pass = check(broken)
    looked_up: list = []
    real = kg.shacl_fast._Values.__call__

    def spy(self, node):
        looked_up.append(self.found is None)
        return real(self, node)

    monkeypatch.setattr(kg.shacl_fast._Values, "__call__", spy)
    monkeypatch.setattr(kg.shacl_fast, "READ_RATIO", 0)  # … and finds each predicate too large
    assert check(broken) == in_one_pass
    assert True in looked_up  # (a predicate without triples is read whole all the same)


_CLEAN: list = []


def _clean_triples():
    """The packaged dataset's union as a sorted list (built once for the module's examples)."""
    from kg.validation import union

    if not _CLEAN:
        _CLEAN.extend(sorted(union(_dataset()), key=lambda t: tuple(map(str, t))))
    return _CLEAN


def _edited(edits):
    """The clean union with triples removed (``("drop", i)``; ``("untype", i)`` a type, which the
    nodes linking to it may check) and added: another object for a triple's predicate
    (``("move", i, j)``: breaks counts, classes, datatypes, orders) or another type (``("type", i, j)``);
    ``("order", i, j)`` gives a node another one's order number."""
    from rdflib.namespace import RDF

    from kg.graph_index import TripleIndex

    clean = _clean_triples()
    types = [t for t in clean if t[1] == RDF.type]
    orders = [t for t in clean if t[1] == NMT.order]
    triples = set(clean)
    for kind, i, j in edits:
        s, p, o = clean[i % len(clean)]
        if kind == "order":  # another node's order number: clashes among siblings, components, notes
            s, p, o = orders[i % len(orders)]
            triples.discard((s, p, o))
            triples.add((s, p, orders[j % len(orders)][2]))
        elif kind == "untype":
            triples.discard(types[i % len(types)])
        elif kind == "drop":
            triples.discard((s, p, o))
        elif kind == "move":
            triples.add((s, p, clean[j % len(clean)][2]))
        else:
            triples.add((s, RDF.type, types[j % len(types)][2]))
    return triples, TripleIndex(triples)


_EDIT = st.tuples(
    st.sampled_from(["drop", "untype", "move", "type", "order"]), st.integers(0, 10**6), st.integers(0, 10**6)
)


@settings(max_examples=12, deadline=None)
@given(before=st.lists(_EDIT, max_size=6), after=st.lists(_EDIT, max_size=6))
def test_incremental_shacl_equals_a_whole_validation(before, after):
    """Validating only what a change can affect, carrying the other results over, gives what
    validating everything gives: from one randomly broken graph to another."""
    from kg.resources import ontology_dir
    from kg.shacl_fast import Since, evaluate, load_shapes

    shapes = load_shapes(ontology_dir() / "shapes.ttl")
    old_triples, old = _edited(before)
    new_triples, new = _edited(after)
    delta = old_triples ^ new_triples
    changed = {str(s) for s, _p, _o in delta}
    last = evaluate(shapes, old)
    whole = evaluate(shapes, new)
    # The SPARQL-based constraints whole (no triples given), and only where the changes reach.
    assert evaluate(shapes, new, Since([r for r in last if r.core], changed)) == whole
    assert evaluate(shapes, new, Since(last, changed, sorted(delta))) == whole


def test_incremental_shacl_follows_paths_back_to_the_nodes_that_check_a_change():
    """A section that loses its type fails the work items in it (sh:class on dcterms:isPartOf), and
    a selector that loses its type fails its quantity two steps away: nodes that did not change."""
    from rdflib.namespace import RDF

    from kg.graph_index import TripleIndex
    from kg.resources import ontology_dir
    from kg.shacl_fast import Since, evaluate, load_shapes
    from kg.vocab import OA

    shapes = load_shapes(ontology_dir() / "shapes.ttl")
    iris = IRIs()
    r = "nanmatou-2021-report"
    section = iris.in_report(r, "part-1/section-1")
    quote = URIRef(f"{iris.in_report(r, 'quantity-3')}#quote")
    clean = set(_clean_triples())
    gone = {(section, RDF.type, NMT.Section), (quote, RDF.type, OA.TextQuoteSelector)}
    assert gone <= clean
    new = TripleIndex(clean - gone)
    last = [res for res in evaluate(shapes, TripleIndex(clean)) if res.core]
    again = evaluate(shapes, new, Since(last, {str(section), str(quote)}))
    assert again == evaluate(shapes, new)
    lines = "\n".join(res.line() for res in again)
    assert f"WorkItem (isPartOf) on {iris.in_report(r, 'part-1/section-1/initiative-1')}" in lines
    assert f"Quantity on {iris.in_report(r, 'quantity-3')}: a quantity has a text quote selector" in lines


def _siblings():
    """Two paragraphs of one initiative of the packaged report, and the union's triples."""
    from rdflib.namespace import RDF

    clean = set(_clean_triples())
    by_parent: dict = {}
    for s, p, o in clean:
        if p == DCTERMS.isPartOf and (s, RDF.type, NMT.Paragraph) in clean:
            by_parent.setdefault(o, []).append(s)
    parent = next(p for p, kids in sorted(by_parent.items()) if len(kids) > 1)
    first, second = sorted(by_parent[parent])[:2]
    return clean, first, second


def test_an_order_clash_made_by_one_sibling_is_found_on_the_other():
    """The SPARQL constraints run again only where a change reaches, and that includes the nodes
    that did not change: a paragraph given its sibling's order fails both, and the clash goes away
    from both when the order is given back."""
    from kg.graph_index import TripleIndex
    from kg.resources import ontology_dir
    from kg.shacl_fast import Since, evaluate, load_shapes

    shapes = load_shapes(ontology_dir() / "shapes.ttl")
    clean, first, second = _siblings()
    order_of = {s: o for s, p, o in clean if p == NMT.order}
    moved = (clean - {(second, NMT.order, order_of[second])}) | {(second, NMT.order, order_of[first])}
    last = evaluate(shapes, TripleIndex(clean))
    assert not [r for r in last if r.shape == "UniqueOrderInParent"]
    delta = sorted(clean ^ moved)
    clash = evaluate(shapes, TripleIndex(moved), Since(last, {str(second)}, delta))
    assert clash == evaluate(shapes, TripleIndex(moved))
    assert {r.focus for r in clash if r.shape == "UniqueOrderInParent"} == {str(first), str(second)}
    back = evaluate(shapes, TripleIndex(clean), Since(clash, {str(second)}, delta))
    assert back == last


def test_sparql_constraints_are_evaluated_again_only_near_a_change(monkeypatch):
    """One report's paragraph changed: the order constraints see its siblings, not the corpus."""
    from rdflib.namespace import SH

    import kg.shacl_fast
    import kg.shacl_sparql
    from kg.graph_index import TripleIndex
    from kg.resources import ontology_dir
    from kg.shacl_fast import Since, evaluate, load_shapes, short

    shapes = load_shapes(ontology_dir() / "shapes.ttl")
    clean, first, _second = _siblings()
    data = TripleIndex(clean)
    last = evaluate(shapes, data)
    seen: list = []
    real = kg.shacl_sparql.run

    def spy(shapes, shape, constraint, store, focus, batch, some=False):
        seen.append((short(shape), len(focus)))
        return real(shapes, shape, constraint, store, focus, batch, some)

    monkeypatch.setattr(kg.shacl_sparql, "run", spy)
    order = next(t for t in sorted(clean) if t[0] == first and t[1] == NMT.order)
    again = evaluate(shapes, data, Since(last, {str(first)}, [order]))
    assert again == last
    parent = next(iter(data.objects(first, DCTERMS.isPartOf)))
    ordered = {s for s, p, _o in clean if p == NMT.order}
    siblings = {s for s, p, o in clean if p == DCTERMS.isPartOf and o == parent and s in ordered}
    targets = {short(sh): len(kg.shacl_fast._targets(shapes, sh, data)) for sh in shapes.subjects(SH.sparql, None)}
    assert ("UniqueOrderInParent", len(siblings)) in seen
    assert len(siblings) < targets["UniqueOrderInParent"] / 10
    # The shapes a changed order cannot reach do not run at all; the report's notes and quantities
    # are reached through the report (they are all of one report here).
    assert {shape for shape, _n in seen} == {"UniqueOrderInParent", "UniqueReportOrder"}


def test_a_sparql_constraint_checks_blank_focus_nodes_too():
    """A blank node cannot be bound by VALUES: among few focus nodes, one blank node makes the
    query find its focus nodes by the shape's targets (it was left out before). On a built store,
    whose blank node labels the results keep."""
    import pyoxigraph as ox
    from rdflib import BNode, Graph
    from rdflib.namespace import RDF

    from kg.shacl_fast import evaluate
    from kg.store_graph import StoreGraph

    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <urn:x-test:> .
        ex:Shape a sh:NodeShape ; sh:targetClass ex:C ;
            sh:sparql [ sh:message "no p" ;
                sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this <urn:x-test:p> ?x } }" ] .
        """,
        format="turtle",
    )
    blank, named, fine = BNode(), URIRef("urn:x-test:i"), URIRef("urn:x-test:j")
    c, p = URIRef("urn:x-test:C"), URIRef("urn:x-test:p")
    store = ox.Store()
    node = {blank: ox.BlankNode(str(blank)), named: ox.NamedNode(named), fine: ox.NamedNode(fine)}
    for s in (blank, named, fine):
        store.add(ox.Quad(node[s], ox.NamedNode(str(RDF.type)), ox.NamedNode(c)))
    store.add(ox.Quad(node[fine], ox.NamedNode(p), ox.Literal("1")))
    found = {r.focus for r in evaluate(shapes, StoreGraph(store))}
    assert found == {str(blank), str(named)}
