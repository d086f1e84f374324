"""The compact glossary index (``dist/index.json``), written at build time.

``kg define``, ``search``, ``annotate``, ``metrics`` and ``export`` read only
this file, so they start without rdflib or the SPARQL engine.  Everything in
it is read off the built graph, the single source of truth.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg import jsontext
from kg.graph_index import ReadGraph
from kg.pinyin import collation_key, toned
from kg.store_graph import StoreGraph
from kg.vocab import NMT, OA, IRIs

INDEX_FILE = "index.json"  # terms, dimensions, variants: all that define/search/annotate need
MENTIONS_DIR = "mentions"  # one small file per term: its mentions grow with the number of reports
REPORTS_FILE = "index-reports.json"  # report texts and structure, quantities, entities (pages, metrics, views)
INDEX_VERSION = 1


def _text(g: ReadGraph, node: Any, prop: URIRef, lang: str) -> str | None:
    for o in sorted(g.objects(node, prop), key=str):
        if isinstance(o, Literal) and (o.language or "").lower() == lang.lower():
            return str(o)
    return None


def _texts(g: ReadGraph, node: Any, prop: URIRef, lang: str) -> list[str]:
    # Language tags compare without case (BCP 47): a store may keep them in lower case.
    want = lang.lower()
    return sorted(
        str(o) for o in g.objects(node, prop) if isinstance(o, Literal) and (o.language or "").lower() == want
    )


def _int(g: ReadGraph, node: Any, prop: URIRef) -> int | None:
    v = g.value(node, prop)
    return int(v) if isinstance(v, Literal) else None


def _local(iri: Any) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


class _Context:
    """Titles of the structural chain around any node (initiative → section → part)."""

    def __init__(self, g: ReadGraph) -> None:
        self.g = g
        self._chains: dict[Any, dict[str, Any]] = {}  # many mentions share a container: walk it once
        # Each node's types, zh title and parent, looked up once: containers share their sections,
        # parts and report (a corpus's mentions walked them tens of thousands of times).
        self._nodes: dict[Any, tuple[set[Any], str | None, Any]] = {}

    def chain(self, node: Any) -> dict[str, Any]:
        found = self._chains.get(node)
        if found is None:
            found = self._chains[node] = self._walk(node)
        return dict(found)

    def _node(self, node: Any) -> tuple[set[Any], str | None, Any]:
        found = self._nodes.get(node)
        if found is None:
            g = self.g
            found = self._nodes[node] = (
                set(g.objects(node, RDF.type)),
                _text(g, node, DCTERMS.title, "zh"),
                g.value(node, DCTERMS.isPartOf),
            )
        return found

    def _walk(self, node: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"part": None, "section": None, "initiative": None, "report": None}
        seen = 0
        while node is not None and seen < 8:
            types, title, parent = self._node(node)
            if NMT.Initiative in types or NMT.PracticalProject in types:
                out["initiative"] = title
                out["initiative_iri"] = str(node)
            elif NMT.Section in types:
                out["section"] = title
                out["section_iri"] = str(node)
            elif NMT.Part in types:
                out["part"] = title
                out["part_iri"] = str(node)
            elif NMT.Report in types:
                out["report"] = _local(node)
                break
            node = parent
            seen += 1
        return out


Selector = tuple[int, int, str, str, int]  # start, end, exact text, sentence, offset of the text in it


def _located(start: Any, end: Any, quote: tuple[Any, Any, Any] | None) -> Selector:
    """The selector tuple from a position (start, end) and a quote (exact, prefix, suffix), if any."""
    exact, prefix, suffix = (str(v) if v is not None else "" for v in quote or (None, None, None))
    sentence = prefix + exact + suffix if quote is not None else ""
    return int(str(start or 0)), int(str(end or 0)), exact, sentence, len(prefix)


def _selector(g: ReadGraph, node: Any) -> Selector:
    """(start, end, exact text, sentence, offset of the exact text in the sentence) of a resource."""
    src = g.value(node, PROV.wasDerivedFrom)
    start = end = quote = None
    for sel in g.objects(src, OA.hasSelector):
        if (sel, RDF.type, OA.TextPositionSelector) in g:
            start, end = g.value(sel, OA.start), g.value(sel, OA.end)
        else:
            quote = (g.value(sel, OA.exact), g.value(sel, OA.prefix), g.value(sel, OA.suffix))
    return _located(start, end, quote)


# The selectors of every quantity, work item and section in one query for the store: looked up
# triple by triple they took a third of the index's time (15,575 nodes at 100 reports).
_SELECTORS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nmt: <https://w3id.org/nanmatou/ns#>
SELECT ?n ?start ?end ?exact ?prefix ?suffix WHERE {
  VALUES ?kind { nmt:Quantity nmt:Initiative nmt:PracticalProject nmt:Section }
  ?n a ?kind ; prov:wasDerivedFrom ?src .
  OPTIONAL { ?src oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
  OPTIONAL {
    ?src oa:hasSelector ?qs . ?qs oa:exact ?exact .
    OPTIONAL { ?qs oa:prefix ?prefix }
    OPTIONAL { ?qs oa:suffix ?suffix }
  }
}"""


class _Selectors:
    """``_selector`` of any node, the store's quantities, work items and sections read at once."""

    def __init__(self, g: ReadGraph) -> None:
        self.g = g
        self.found: dict[str, Selector] = {}
        if not isinstance(g, StoreGraph):
            return
        for row in g.store.query(_SELECTORS):
            # By position (?n ?start ?end ?exact ?prefix ?suffix), as in _annotations.
            node, start, end, exact, prefix, suffix = (v.value if v is not None else None for v in row)
            if node is None or node in self.found:  # a second value somewhere: the first, as g.value gives one
                continue
            self.found[node] = _located(start, end, None if exact is None else (exact, prefix, suffix))

    def __call__(self, node: Any) -> Selector:
        found = self.found.get(str(node))
        return found if found is not None else _selector(self.g, node)


def _dimension(g: ReadGraph, d: Any) -> dict[str, Any]:
    return {
        "id": str(g.value(d, SKOS.notation)),
        "iri": str(d),
        "label": {"zh": _text(g, d, SKOS.prefLabel, "zh"), "en": _text(g, d, SKOS.prefLabel, "en")},
        "colour": {"zh": _text(g, d, NMT.colourName, "zh"), "en": _text(g, d, NMT.colourName, "en")},
        "display": str(g.value(d, NMT.displayColour)),
        "order": _int(g, d, NMT.order),
        "definition": {"zh": _text(g, d, SKOS.definition, "zh"), "en": _text(g, d, SKOS.definition, "en")},
    }


# One query per term for the store: a corpus has hundreds of thousands of mentions, and
# looking each selector up triple by triple took most of the index's time. A position
# selector is the one with a start and an end, a quote selector the one with an exact text.
_ANNOTATIONS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?m ?c ?start ?end ?exact ?prefix ?suffix WHERE {
  ?m oa:hasBody <TERM> ; prov:wasDerivedFrom ?src .
  ?m a oa:Annotation .
  OPTIONAL { ?m dcterms:isPartOf ?c }
  OPTIONAL { ?src oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end }
  OPTIONAL {
    ?src oa:hasSelector ?qs . ?qs oa:exact ?exact .
    OPTIONAL { ?qs oa:prefix ?prefix }
    OPTIONAL { ?qs oa:suffix ?suffix }
  }
}"""


def _annotations(g: ReadGraph, t: Any) -> Iterator[tuple[Any, Selector]]:
    """(container, ``_selector`` tuple) of each annotation whose body is ``t``."""
    if not isinstance(g, StoreGraph):
        for m in g.subjects(OA.hasBody, t):
            if (m, RDF.type, OA.Annotation) in g:
                yield g.value(m, DCTERMS.isPartOf), _selector(g, m)
        return
    seen = set()
    containers: dict[str, URIRef] = {}  # one URIRef per container: mentions share them
    for row in g.store.query(_ANNOTATIONS.replace("TERM", str(t))):
        # By position (?m ?c ?start ?end ?exact ?prefix ?suffix): by name cost a third of the index.
        mention, c, start, end, exact, prefix, suffix = (v.value if v is not None else None for v in row)
        if mention in seen:  # a second value somewhere: the first, as g.value gives one
            continue
        seen.add(mention)
        quote = None if exact is None else (exact, prefix, suffix)
        container: URIRef | None = None
        if c is not None:
            container = containers.get(c)
            if container is None:
                container = containers[c] = URIRef(c)
        yield container, _located(start, end, quote)


def mentions_of(g: ReadGraph, t: Any, ctx: _Context) -> list[dict[str, Any]]:
    """Where term ``t`` is used: one entry per annotation, in report and text order."""
    out = []
    for container, (start, end, _exact, sentence, at) in _annotations(g, t):
        chain = ctx.chain(container)
        out.append(
            {
                "report": chain["report"],
                "part": chain["part"],
                "section": chain["section"],
                "initiative": chain["initiative"],
                "initiative_iri": chain.get("initiative_iri"),
                "quote": sentence,
                "at": at,  # where the term starts inside the quote
                "start": start,
                "end": end,
            }
        )
    return sorted(out, key=lambda m: (m["report"] or "", m["start"]))


def _term(g: ReadGraph, t: Any, ctx: _Context, with_mentions: bool) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    for c in g.objects(t, NMT.hasComponent):
        concept = g.value(c, NMT.componentConcept)
        components.append(
            {
                "order": _int(g, c, NMT.order),
                "label": {"zh": _text(g, c, RDFS.label, "zh"), "en": _text(g, c, RDFS.label, "en")},
                "count": _int(g, c, NMT["count"]),
                "qualifier": (
                    {"zh": _text(g, c, NMT.qualifier, "zh"), "en": _text(g, c, NMT.qualifier, "en")}
                    if g.value(c, NMT.qualifier) is not None
                    else None
                ),
                "iri": str(concept) if concept is not None else None,
            }
        )
    for comp in components:  # pinyin here, at build time: define must not import pypinyin or rdflib
        comp["pinyin"] = toned(comp["label"]["zh"]) if comp["label"]["zh"] else None
        zh = comp["qualifier"]["zh"] if comp["qualifier"] else None
        comp["qualifier_pinyin"] = toned(zh) if zh else None
    components.sort(key=lambda c: c["order"] or 0)
    note = g.value(t, SKOS.notation)
    source = g.value(t, NMT.definitionSource)
    ttype = g.value(t, NMT.termType)
    return {
        "iri": str(t),
        "slug": _local(t),
        "label": {"zh": _text(g, t, SKOS.prefLabel, "zh"), "en": _text(g, t, SKOS.prefLabel, "en")},
        "pinyin": _text(g, t, SKOS.prefLabel, "zh-latn-pinyin"),
        "search": _texts(g, t, SKOS.hiddenLabel, "zh-Latn-pinyin"),
        "alt_labels": {"zh": _texts(g, t, SKOS.altLabel, "zh"), "en": _texts(g, t, SKOS.altLabel, "en")},
        "type": _local(ttype).split("#")[-1] if ttype is not None else None,
        "note": int(note) if note is not None else None,
        "definition": {"zh": _text(g, t, SKOS.definition, "zh"), "en": _text(g, t, SKOS.definition, "en")},
        "definition_source": _local(source).split("#")[-1] if source is not None else None,
        "components": components,
        "related": sorted(str(r) for r in g.objects(t, SKOS.related)),
        "dimensions": _dimensions(g, t),
        **({"mentions": mentions_of(g, t, ctx)} if with_mentions else {}),
    }


def _dimensions(g: ReadGraph, node: Any) -> list[str]:
    """A term's or work item's dimensions, its primary one first."""
    primary = g.value(node, NMT.primaryDimension)
    return sorted((str(d) for d in g.objects(node, NMT.alignsWith)), key=lambda d: (d != str(primary), d))


def _item(g: ReadGraph, node: Any, select: _Selectors) -> dict[str, Any]:
    start, end, _exact, _sentence, _at = select(node)
    dims = _dimensions(g, node)
    kind = "project" if (node, RDF.type, NMT.PracticalProject) in g else "initiative"
    return {
        "iri": str(node),
        "kind": kind,
        "order": _int(g, node, NMT.order),
        "title": {"zh": _text(g, node, DCTERMS.title, "zh"), "en": _text(g, node, DCTERMS.title, "en")},
        "start": start,
        "end": end,
        "dimensions": dims,
        "continues": sorted(str(c) for c in g.objects(node, NMT.continues)),
        "continued_by": sorted(str(c) for c in g.subjects(NMT.continues, node)),
    }


def _children(g: ReadGraph, parent: Any, cls: URIRef) -> list[Any]:
    kids = [n for n in g.subjects(DCTERMS.isPartOf, parent) if (n, RDF.type, cls) in g]
    return sorted(kids, key=lambda n: _int(g, n, NMT.order) or 0)


def _reports(g: ReadGraph, texts: dict[str, str], select: _Selectors) -> list[dict[str, Any]]:
    """Each report's metadata, text and structure, for the web pages."""
    out = []
    for rep in sorted(g.subjects(RDF.type, NMT.Report), key=str):
        publisher = g.value(rep, DCTERMS.publisher)
        meeting = g.value(rep, NMT.deliveredAt)
        parts = []
        for part in _children(g, rep, NMT.Part):
            sections = []
            for sec in _children(g, part, NMT.Section):
                s_start, s_end, _e, _s, _a = select(sec)
                items = [
                    _item(g, n, select)
                    for n in _children(g, sec, NMT.Initiative) + _children(g, sec, NMT.PracticalProject)
                ]
                sections.append(
                    {
                        "iri": str(sec),
                        "order": _int(g, sec, NMT.order),
                        "start": s_start,
                        "end": s_end,
                        "title": {"zh": _text(g, sec, DCTERMS.title, "zh"), "en": _text(g, sec, DCTERMS.title, "en")},
                        "items": sorted(items, key=lambda i: i["start"]),
                    }
                )
            year = g.value(part, NMT.referenceYear)
            parts.append(
                {
                    "iri": str(part),
                    "order": _int(g, part, NMT.order),
                    "year": str(year) if year is not None else None,
                    "title": {"zh": _text(g, part, DCTERMS.title, "zh"), "en": _text(g, part, DCTERMS.title, "en")},
                    "sections": sections,
                }
            )
        slug = _local(rep)
        out.append(
            {
                "iri": str(rep),
                "slug": slug,
                "title": _text(g, rep, DCTERMS.title, "zh"),
                "publisher": _text(g, publisher, RDFS.label, "zh") if publisher is not None else None,
                "issued": str(g.value(rep, DCTERMS.issued) or "") or None,
                "delivered": str(g.value(rep, NMT.deliveredOn) or "") or None,
                "meeting": _text(g, meeting, RDFS.label, "zh") if meeting is not None else None,
                "text": texts.get(slug, ""),
                "parts": parts,
            }
        )
    return out


def build_index(
    g: ReadGraph,
    iris: IRIs,
    variants: dict[str, str],
    texts: dict[str, str] | None = None,
    with_mentions: bool = True,
    ctx: _Context | None = None,
) -> dict[str, Any]:
    """The index as a JSON-ready dict, read off the union graph ``g``.

    Without ``with_mentions`` the terms carry no mentions (a corpus has millions:
    :func:`write_index` reads them one term at a time).
    """
    ctx = ctx or _Context(g)
    terms = [_term(g, t, ctx, with_mentions) for t in g.subjects(SKOS.inScheme, iris.glossary)]
    terms.sort(key=lambda t: (*collation_key(t["pinyin"] or "", t["label"]["zh"] or ""), t["iri"]))
    dims = [_dimension(g, d) for d in g.subjects(RDF.type, NMT.Dimension)]
    dims.sort(key=lambda d: d["order"] or 0)
    quantities = []
    select = _Selectors(g)
    for q in g.subjects(RDF.type, NMT.Quantity):
        start, end, exact, sentence, _at = select(q)
        chain = ctx.chain(g.value(q, NMT.statedIn))
        change = g.value(q, NMT.changePercent)
        period = g.value(q, NMT.referenceYear)
        quantities.append(
            {
                "label": {"zh": _text(g, q, RDFS.label, "zh"), "en": _text(g, q, RDFS.label, "en")},
                "value": float(str(g.value(q, RDF.value))),
                "unit": str(g.value(q, NMT.unit)),
                "raw": exact,
                "quote": sentence,
                "approx": bool(g.value(q, NMT.approximate).toPython()),  # type: ignore[union-attr]
                "change_percent": float(str(change)) if change is not None else None,
                "period": str(period) if period is not None else None,
                "initiative": chain["initiative"],
                "section": chain["section"],
                "part": chain["part"],
                "report": chain["report"],
                "iri": str(q),
                "start": start,
                "end": end,
            }
        )
    quantities.sort(key=lambda q: (q["report"] or "", q["start"]))
    entities: list[dict[str, Any]] = []
    for e in set(g.subjects(DCTERMS.type, None)):
        entities.append(
            {
                "iri": str(e),
                "label": {"zh": _text(g, e, RDFS.label, "zh"), "en": _text(g, e, RDFS.label, "en")},
                "kind": str(g.value(e, DCTERMS.type)),
                "alt_labels": _texts(g, e, SKOS.altLabel, "zh"),
            }
        )
    entities.sort(key=lambda e: e["iri"])
    return {
        "version": INDEX_VERSION,
        "base": iris.base,
        "terms": terms,
        "dimensions": dims,
        "quantities": quantities,
        "entities": entities,
        "variants": dict(sorted(variants.items())),
        "reports": _reports(g, texts or {}, select),
    }


def traditional_variants(labels: list[str]) -> dict[str, str]:
    """Traditional → simplified for the characters the labels use (so 三會一代理 finds 三会一代理)."""
    import opencc

    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    wanted = {c for label in labels for c in label}
    out: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        trad, _, simps = line.partition("\t")
        for simp in simps.split():
            if simp in wanted and trad != simp:
                out[trad] = simp
                break
    return out


def mentions_json(found: list[dict[str, Any]]) -> str:
    """A term's mentions as a JSON array with one mention per line.

    The line breaks let a reader take one page of a term's mentions without parsing
    the rest (:meth:`kg.glossary.Glossary.mentions`): a common term has tens of
    thousands of mentions in a corpus (11.6 MB for 居民区 at 1,000 reports).
    """
    lines = [json.dumps(m, ensure_ascii=False, sort_keys=True) for m in found]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


def write_index(g: ReadGraph, iris: IRIs, path: Path, texts: dict[str, str] | None = None) -> None:
    """Write ``index.json`` for the union graph ``g``."""
    labels = [str(o) for o in g.objects(None, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "zh"]
    labels += [str(o) for o in g.objects(None, SKOS.altLabel) if isinstance(o, Literal) and o.language == "zh"]
    ctx = _Context(g)
    data = build_index(g, iris, traditional_variants(labels), texts, with_mentions=False, ctx=ctx)
    # Split so that the glossary commands parse only what they use, however many reports there are.
    extra = {k: data.pop(k) for k in ("reports", "quantities", "entities")}
    mentions = path.parent / MENTIONS_DIR
    mentions.mkdir(exist_ok=True)
    for term in data["terms"]:
        found = mentions_of(g, URIRef(term["iri"]), ctx)
        term["mention_count"] = len(found)
        (mentions / f"{term['slug']}.json").write_text(mentions_json(found), encoding="utf-8")
    path.write_text(jsontext.dumps(data, 1) + "\n", encoding="utf-8")
    (path.parent / REPORTS_FILE).write_text(jsontext.dumps(extra, 1) + "\n", encoding="utf-8")
