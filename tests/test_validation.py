"""The SHACL shapes catch what they promise to catch."""

from __future__ import annotations

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
