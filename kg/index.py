"""The compact glossary index (``dist/index.json``), written at build time.

``kg define``, ``search``, ``annotate``, ``metrics`` and ``export`` read only
this file, so they start without rdflib or the SPARQL engine.  Everything in
it is read off the built graph, the single source of truth: what is the same
for the whole corpus (terms, dimensions, entities) here, each report's share
in :mod:`kg.index_parts`, which a rebuild reuses when its report is unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg import jsontext
from kg.glossary import NOTES_DIR
from kg.graph_index import ReadGraph
from kg.index_parts import (
    PARALLEL_MIN,
    PARTS_DIR,
    SEPARATOR,
    Changes,
    Mention,
    Part,
    PartCache,
    TermMentions,
    mention_line,
    read_parts,
    report_part,
    term_mentions,
)
from kg.index_read import all_texts, dimensions, integer, local, text
from kg.jsontext import Raw
from kg.parsing.script import readings
from kg.pinyin import collation_key, toned
from kg.vocab import NMT, IRIs

INDEX_FILE = "index.json"  # terms, dimensions, variants: all that define/search/annotate need
MENTIONS_DIR = "mentions"  # one small file per term: its mentions grow with the number of reports
REPORTS_FILE = "index-reports.json"  # report texts and structure, quantities, entities (pages, metrics, views)
INDEX_VERSION = 1


def _dimension(g: ReadGraph, d: Any) -> dict[str, Any]:
    return {
        "id": str(g.value(d, SKOS.notation)),
        "iri": str(d),
        "label": {"zh": text(g, d, SKOS.prefLabel, "zh"), "en": text(g, d, SKOS.prefLabel, "en")},
        "colour": {"zh": text(g, d, NMT.colourName, "zh"), "en": text(g, d, NMT.colourName, "en")},
        "display": str(g.value(d, NMT.displayColour)),
        "order": integer(g, d, NMT.order),
        "definition": {"zh": text(g, d, SKOS.definition, "zh"), "en": text(g, d, SKOS.definition, "en")},
    }


def _term(g: ReadGraph, t: Any) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    for c in g.objects(t, NMT.hasComponent):
        concept = g.value(c, NMT.componentConcept)
        components.append(
            {
                "order": integer(g, c, NMT.order),
                "label": {"zh": text(g, c, RDFS.label, "zh"), "en": text(g, c, RDFS.label, "en")},
                "count": integer(g, c, NMT["count"]),
                "qualifier": (
                    {"zh": text(g, c, NMT.qualifier, "zh"), "en": text(g, c, NMT.qualifier, "en")}
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
    notes: list[dict[str, Any]] = sorted(
        (
            {
                "report": local(report).rsplit("/", 1)[-1] if (report := g.value(n, NMT.inReport)) else None,
                "number": integer(g, n, NMT.order),
                "definition": text(g, n, SKOS.definition, "zh"),
            }
            for n in g.objects(t, NMT.glossaryNote)
        ),
        key=lambda n: (n["report"] or "", n["number"] or 0),
    )
    note = notes[0]["number"] if notes else g.value(t, SKOS.notation)
    source = g.value(t, NMT.definitionSource)
    ttype = g.value(t, NMT.termType)
    definition_zh = text(g, t, SKOS.definition, "zh")
    if notes and notes[0]["definition"] and str(source or "").endswith("official"):
        # the first report's note, not the first by text; of a note of several headwords, what it
        # says of this one (“七有”“五性”:“七有”指…;“五性”指…: the concept's own part of it)
        whole = notes[0]["definition"]
        definition_zh = definition_zh if definition_zh and definition_zh != whole and definition_zh in whole else whole
    return {
        "iri": str(t),
        "slug": local(t),
        "label": {"zh": text(g, t, SKOS.prefLabel, "zh"), "en": text(g, t, SKOS.prefLabel, "en")},
        "pinyin": text(g, t, SKOS.prefLabel, "zh-latn-pinyin"),
        "search": all_texts(g, t, SKOS.hiddenLabel, "zh-Latn-pinyin"),
        "alt_labels": {"zh": all_texts(g, t, SKOS.altLabel, "zh"), "en": all_texts(g, t, SKOS.altLabel, "en")},
        "type": local(ttype).split("#")[-1] if ttype is not None else None,
        "note": int(note) if note is not None else None,
        "notes": notes,  # each report's note defining it: {report, number, definition}
        "definition": {"zh": definition_zh, "en": text(g, t, SKOS.definition, "en")},
        "definition_source": local(source).split("#")[-1] if source is not None else None,
        "components": components,
        "related": sorted(str(r) for r in g.objects(t, SKOS.related)),
        "dimensions": dimensions(g, t),
    }


def _parts(
    g: ReadGraph, texts: dict[str, str], cache: PartCache | None, store: Path | None = None, workers: int = 1
) -> list[Part]:
    """Each report's part, in IRI order: the last build's where it is still valid.

    With ``store`` (the flushed store ``g`` reads) and ``workers`` > 1, many parts to
    read are read in that many processes.
    """
    reports = [(str(rep), texts.get(local(rep), "")) for rep in sorted(g.subjects(RDF.type, NMT.Report), key=str)]
    found: list[Part | None] = [cache.get(local(rep), rep, text) if cache else None for rep, text in reports]
    todo = [job for job, part in zip(reports, found, strict=True) if part is None]
    if store is not None and workers > 1 and len(todo) >= PARALLEL_MIN:
        read: Iterator[Part] = read_parts(store, todo, workers)
    else:
        read = (report_part(g, URIRef(rep), text) for rep, text in todo)
    parts = []
    done = 0  # parts read so far
    for part in found:
        reused = part is not None
        if part is None:
            try:
                part = next(read)
            except (BrokenProcessPool, OSError):  # the workers could not start, or died: read the rest here
                read = (report_part(g, URIRef(rep), text) for rep, text in todo[done:])
                part = next(read)
            done += 1
        if cache is not None:
            cache.keep(part, reused)
        parts.append(part)
    return parts


def _mention_texts(parts: list[Part]) -> dict[str, TermMentions]:
    """Each term's mentions in every report, in report and text order, as its mentions file's lines."""
    by_term: dict[str, list[TermMentions]] = {}
    for p in parts:
        for term, found in p.mentions.items():
            by_term.setdefault(term, []).append(found)
    return {term: _joined(found) for term, found in by_term.items()}


def _joined(found: list[TermMentions]) -> TermMentions:
    """One term's mentions in several reports, in the file's order: each report's in turn when each
    names one report, in the order of the parts (as they come, in IRI order); else sorted again."""
    names = [f.report for f in found if f.report is not None]
    if len(names) == len(found) and all(a < b for a, b in pairwise(names)):
        return TermMentions(sum(f.n for f in found), names[0] if len(found) == 1 else None, _texts(found))
    again: list[Mention] = []
    for f in found:
        for line in f.text.decode("utf-8").split(SEPARATOR.decode()):
            m = json.loads(line)
            again.append((m["report"] or "", m["start"], line))
    return term_mentions(again)


def _texts(found: list[TermMentions]) -> bytes:
    return SEPARATOR.join(f.text for f in found)


def _corpus(g: ReadGraph, iris: IRIs, variants: dict[str, str]) -> dict[str, Any]:
    """What the whole corpus shares (terms without mentions, dimensions, entities, variants)."""
    data = _shared(g, iris, variants)
    data["entities"] = _entities(g)
    data["variants"] = data.pop("variants")  # in the order the index has always had
    return data


def _shared(g: ReadGraph, iris: IRIs, variants: dict[str, str]) -> dict[str, Any]:
    """The corpus's terms (without mentions), dimensions and variants."""
    terms = [_term(g, t) for t in g.subjects(SKOS.inScheme, iris.glossary)]
    terms.sort(key=lambda t: (*collation_key(t["pinyin"] or "", t["label"]["zh"] or ""), t["iri"]))
    dims = [_dimension(g, d) for d in g.subjects(RDF.type, NMT.Dimension)]
    dims.sort(key=lambda d: d["order"] or 0)
    return {
        "version": INDEX_VERSION,
        "base": iris.base,
        "terms": terms,
        "dimensions": dims,
        "variants": dict(sorted(variants.items())),
    }


def _entities(g: ReadGraph) -> list[dict[str, Any]]:
    """The places and organisations the reports name."""
    entities: list[dict[str, Any]] = []
    for e in set(g.subjects(DCTERMS.type, None)):
        entities.append(
            {
                "iri": str(e),
                "label": {"zh": text(g, e, RDFS.label, "zh"), "en": text(g, e, RDFS.label, "en")},
                "kind": str(g.value(e, DCTERMS.type)),
                "alt_labels": all_texts(g, e, SKOS.altLabel, "zh"),
            }
        )
    entities.sort(key=lambda e: e["iri"])
    return entities


def _quantity_texts(parts: list[Part]) -> list[str]:
    """Every report's quantities as JSON text, by report (stable: each report's in text order)."""
    found = [q for p in parts for q in p.quantities]
    found.sort(key=lambda q: q[0])
    return [text for _report, text in found]


def build_index(
    g: ReadGraph,
    iris: IRIs,
    variants: dict[str, str],
    texts: dict[str, str] | None = None,
    with_mentions: bool = True,
) -> dict[str, Any]:
    """The index as a JSON-ready dict, read off the union graph ``g``, held whole.

    Without ``with_mentions`` the terms carry no mentions (a corpus has millions:
    :func:`write_reports` writes them one term at a time, and its files from each
    report's part as text).
    """
    parts = _parts(g, texts or {}, None)
    data = _corpus(g, iris, variants)
    if with_mentions:
        texts_of = _mention_texts(parts)
        for t in data["terms"]:
            found = texts_of.get(t["iri"])
            t["mentions"] = [json.loads(line) for line in found.text.split(SEPARATOR)] if found else []
    data["quantities"] = [json.loads(q) for q in _quantity_texts(parts)]
    data["reports"] = [json.loads(p.report) for p in parts]
    return data


def traditional_variants(labels: list[str]) -> dict[str, str]:
    """Traditional → simplified for the characters the labels use, in either form (so 三會一代理
    finds 三会一代理, and 两委 a term a report in traditional characters labels 兩委)."""
    wanted = {c for label in labels for c in label}
    out: dict[str, str] = {}
    for trad, simps in readings().items():
        for simp in simps:
            if (simp in wanted or trad in wanted) and trad != simp:
                out[trad] = simp
                break
    return out


def mentions_json(found: list[dict[str, Any]]) -> str:
    """A term's mentions as a JSON array with one mention per line.

    The line breaks let a reader take one page of a term's mentions without parsing
    the rest (:meth:`kg.glossary.Glossary.mentions`): a common term has tens of
    thousands of mentions in a corpus (11.6 MB for 居民区 at 1,000 reports).
    """
    return _file_text(SEPARATOR.join(mention_line(m).encode("utf-8") for m in found)).decode("utf-8")


def _file_text(joined: bytes) -> bytes:
    """A term's mentions file, from its mentions' lines joined by SEPARATOR."""
    return b"[\n" + joined + b"\n]\n" if joined else b"[]\n"


class Written(NamedTuple):
    """What :func:`write_reports` did: the parts it kept, and each glossary term's mentions counted."""

    cache: PartCache
    counts: dict[str, int]


def write_reports(
    g: ReadGraph,
    iris: IRIs,
    path: Path,
    texts: dict[str, str] | None = None,
    last: Path | None = None,
    changes: Changes | None = None,
    store: Path | None = None,
    workers: int = 1,
) -> Written:
    """The reports' half of the index: ``index-reports.json`` and every glossary term's
    mentions file, from each report's part; :func:`read_terms` and :func:`write_terms` are
    the other half (``path`` is ``index.json``'s, beside which the files go).

    ``last``: the last build's output folder, whose reports' parts are reused where
    ``changes`` (what the merged graph gained or lost since) cannot have touched them;
    this build's parts are kept in ``path``'s folder for the next build. ``store`` and
    ``workers``: see :func:`_parts`.
    """
    cache = PartCache(last / PARTS_DIR if last is not None else None, path.parent / PARTS_DIR, changes)
    parts = _parts(g, texts or {}, cache, store, workers)
    extra = {
        "entities": _entities(g),
        "quantities": [Raw(q) for q in _quantity_texts(parts)],
        "reports": [Raw(p.report) for p in parts],
    }
    mentions = path.parent / MENTIONS_DIR
    mentions.mkdir(exist_ok=True)
    by_term = _mention_texts(parts)
    counts: dict[str, int] = {}
    for term in g.subjects(SKOS.inScheme, iris.glossary):
        found = by_term.get(str(term))
        counts[str(term)] = found.n if found else 0
        (mentions / f"{local(term)}.json").write_bytes(_file_text(found.text if found else b""))
    (path.parent / REPORTS_FILE).write_text(jsontext.dumps(extra, 1) + "\n", encoding="utf-8")
    return Written(cache, counts)


def read_terms(g: ReadGraph, iris: IRIs) -> dict[str, Any]:
    """The terms' half of the index, read off ``g``: terms (with their notes), dimensions, variants."""
    labels = [str(o) for o in g.objects(None, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "zh"]
    labels += [str(o) for o in g.objects(None, SKOS.altLabel) if isinstance(o, Literal) and o.language == "zh"]
    return _shared(g, iris, traditional_variants(labels))


def write_terms(path: Path, data: dict[str, Any], counts: dict[str, int]) -> None:
    """Write ``index.json`` and the terms' notes files from :func:`read_terms`'s ``data`` and
    :func:`write_reports`'s mention ``counts``."""
    notes = path.parent / NOTES_DIR
    notes.mkdir(exist_ok=True)
    for term in data["terms"]:
        term["mention_count"] = counts.get(term["iri"], 0)
        # Out of index.json, which every `kg define` reads: a corpus's notes were 0.84 of its 2 MB.
        said = term.pop("notes", [])
        if said:
            (notes / f"{term['slug']}.json").write_text(jsontext.dumps(said, 1) + "\n", encoding="utf-8")
    path.write_text(jsontext.dumps(data, 1) + "\n", encoding="utf-8")
