"""The curation graph: glossary scheme, colour dimensions, entities, work-item alignment."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import cache

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kg.building.definitions import general_part
from kg.building.discovery import Suggestion, candidates, curated_labels, entity_in, of_place, present, suggest
from kg.curation import ENTITY_KINDS, Curation, TermEntry
from kg.graph_index import Sink, TripleList
from kg.parsing.model import Initiative, Part, Report
from kg.parsing.numerals import stated_count
from kg.pinyin import slug, strip_tones, toned
from kg.text import normalise
from kg.vocab import NMT, PREFIXES, IRIs

PINYIN = "zh-Latn-pinyin"
# An rdflib namespace makes a new term on every attribute read (and a DefinedNamespace checks the
# name first): the terms every alignment repeats are made once (an alignment 18.6 → 7.0 µs; 63,000
# of them at 1,000 reports).
_TYPE, _ALIGNMENT, _ALIGNS_WITH, _HAS_ALIGNMENT = RDF.type, NMT.Alignment, NMT.alignsWith, NMT.hasAlignment
_DIMENSION, _IS_PRIMARY, _BASIS, _RATIONALE = NMT.dimension, NMT.isPrimary, NMT.basis, NMT.rationale
_PRIMARY_DIMENSION = NMT.primaryDimension
_BOOLEAN = {True: Literal(True), False: Literal(False)}


def curie(value: str) -> URIRef:
    prefix, local = value.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


def mint_terms(curation: Curation, reports: list[Report], iris: IRIs) -> dict[str, URIRef]:
    """Concept IRIs for every curated term and every official note, by normalised zh label."""
    out: dict[str, URIRef] = {}
    used: set[URIRef] = set()

    def mint(zh: str) -> URIRef:
        base = slug(zh)
        iri, n = iris.term(base), 1
        while iri in used:
            n += 1
            iri = iris.term(f"{base}-{n}")
        used.add(iri)
        return iri

    for t in curation.terms:
        iri = mint(t.zh)
        out[normalise(t.zh)] = iri
        for alt in t.alt_zh:
            out.setdefault(normalise(alt), iri)
    for r in reports:
        for note in r.notes:
            for term in note.terms:
                if term not in out:
                    out[term] = mint(term)
    excluded = set(curation.excluded_quotes)
    for r in reports:
        for c in candidates(r, set(out), excluded):
            out[c.label] = mint(c.label)
    return out


# A city opening a report's title or publisher, after its province: 深圳市南山区粤海街道办事处,
# 浙江省杭州市西湖区…, 乌鲁木齐市….
_CITY_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}省)?([\u4e00-\u9fff]{2,4}?市)")


# A district opening a title before its subdistrict (东城区和平里街道…), and a city with its
# district anywhere in the header (——在中共成都市武侯区玉林街道…上的讲话).
_DISTRICT_RE = re.compile(r"^([\u4e00-\u9fff]{1,3}?[区县])(?=[\u4e00-\u9fff]{2,8}?(?:路街道|街道|镇|乡))")
_CITY_DISTRICT_RE = re.compile(r"([\u4e00-\u9fff]{2,3}市)[\u4e00-\u9fff]{1,3}?[区县]")


def _of_another_city(report: Report, region: list[str]) -> bool:
    """Whether ``report``'s header (title, subtitle, publisher, fields) names a city or district
    (深圳市…, 东城区和平里街道…, 中共成都市武侯区…) not of ``region`` (the curation's district and
    city) and its text names none of ``region``."""
    md = report.metadata
    fields = [normalise(f) for f in (md.title, md.subtitle, md.publisher, *md.fields.values()) if f]
    places = {m.group(1) for f in fields if (m := _CITY_RE.match(f) or _DISTRICT_RE.match(f))}
    places |= {m.group(1) for f in fields for m in _CITY_DISTRICT_RE.finditer(f)}
    return bool(places - set(region)) and not any(n in report.normalised for n in region)


def add_component(g: Sink, term: URIRef, order: int, zh: str, count: int | None) -> URIRef:
    """Component ``order`` of ``term``: its zh label and how many things it counts (None: no
    fixed number, the N of 1+3+N)."""
    comp = URIRef(f"{term}/component-{order}")
    g.add((term, NMT.hasComponent, comp))
    g.add((comp, RDF.type, NMT.Component))
    g.add((comp, NMT.order, Literal(order, datatype=XSD.integer)))
    g.add((comp, RDFS.label, Literal(zh, lang="zh")))
    if count is not None:
        g.add((comp, NMT["count"], Literal(count, datatype=XSD.integer)))
    return comp


def concept_core(g: Sink, node: URIRef, scheme: URIRef, zh: str, pinyin: str | None, with_label: bool = True) -> None:
    """A glossary concept's scheme, zh label (unless added elsewhere) and pinyin search forms."""
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, SKOS.inScheme, scheme))
    if with_label:
        g.add((node, SKOS.prefLabel, Literal(zh, lang="zh")))
    tone, hidden = pinyin_forms(zh, pinyin)
    g.add((node, SKOS.prefLabel, Literal(tone, lang=PINYIN)))
    for h in hidden:
        g.add((node, SKOS.hiddenLabel, Literal(h, lang=PINYIN)))


def pinyin_forms(zh: str, override: str | None) -> tuple[str, list[str]]:
    """Toned pinyin and the hidden search forms (toneless, joined, initials)."""
    tone = override or toned(zh)
    plain = strip_tones(tone).lower()
    parts = plain.split()
    hidden = [plain, "".join(parts)]
    initials = "".join(p[0] for p in parts if p and p[0].isalpha())
    if len(initials) > 1:
        hidden.append(initials)
    return tone, sorted(set(hidden))


class GlossaryGraphBuilder:
    """Builds the editorial (curation) graph."""

    def __init__(self, curation: Curation, iris: IRIs, term_iris: dict[str, URIRef]) -> None:
        self.cur = curation
        self.iris = iris
        self.term_iris = term_iris
        self.g = TripleList()  # only added to: a corpus's curation graph has a million triples
        self.official: set[URIRef] = set()  # terms some built report defines in its glossary
        self.translated: set[URIRef] = set()  # official terms whose note the curated English translates
        self.present: set[str] = set()  # curated terms some built report mentions (normalised zh)
        # The names of the curation's subdistrict while no report of it is built (its editorial
        # definitions then keep only what holds anywhere), else None.
        self.away: list[str] | None = None

    def build(self, reports: list[Report], item_iris: dict[str, URIRef]) -> TripleList:
        """The curation graph for these reports: only the curated entries their texts mention."""
        self.build_shared(reports, item_iris)
        for r in reports:
            self.alignments(r, item_iris, self.g)
        return self.g

    def build_shared(self, reports: list[Report], item_iris: dict[str, URIRef]) -> TripleList:
        """The curation graph but each report's alignments (:meth:`alignments`): its terms, dimensions
        and entities, and the work items continued from one report to another."""
        self.official = {self.term_iris[t] for r in reports for n in r.notes for t in n.terms if t in self.term_iris}
        # The curated English of an official note translates the note of the curation's own
        # subdistrict: another subdistrict's note of the same term has other words.
        home = self.cur.entity_place
        self.translated = {
            self.term_iris[t]
            for r in reports
            if of_place(r, home)
            for n in r.notes
            for t in n.terms
            if t in self.term_iris
        }
        self.away = None
        if home is not None and not any(of_place(r, home) for r in reports):
            # Its names, and its own numeric formulas (1+4+27+47: its network of elderly care).
            formulas = [normalise(t.zh) for t in self.cur.terms if re.fullmatch(r"\d+(?:\+\d+)+", normalise(t.zh))]
            self.away = [home, *self._home_names(home), *formulas]
            # Its district and city too, when every report is of another city (深圳市…) and none
            # names them: many of Pudong's own reports name neither.
            written, named = self._region_names()
            if all(_of_another_city(r, written) for r in reports):
                self.away += named
        noted = {normalise(t.zh) for t in self.cur.terms if self.term_iris[normalise(t.zh)] in self.official}
        quoted = {normalise(t.zh) for t in self.cur.terms if t.quoted}
        self.present = present(curated_labels(self.cur), reports, quoted, home) | noted
        self._schemes()
        self._dimensions()
        for t in self.cur.terms:
            if normalise(t.zh) in self.present:
                self._term(t)
        self._entities(reports)
        self._continuations(reports, item_iris)
        return self.g

    def _present_iri(self, zh: str) -> URIRef | None:
        key = normalise(zh)
        entry = self.cur.term(key)
        if entry is not None and normalise(entry.zh) in self.present:
            return self.term_iris.get(normalise(entry.zh))
        return None

    def entity_labels(self, report: Report | None = None) -> list[tuple[str, str]]:
        """(label, IRI) pairs of the curated entities ``report`` mentions (all, without one), for matching."""
        out: list[tuple[str, str]] = []
        for e in self.cur.entities:
            if report is not None and not entity_in(e, report, self.cur.entity_place):
                continue
            iri = str(self.entity_iri(e.zh, e.kind))
            out.extend((lab, iri) for lab in [e.zh, *e.alt])
        return out

    def entity_iri(self, zh: str, kind: str) -> URIRef:
        return self.iris.entity(ENTITY_KINDS[kind][0], slug(zh))

    def _schemes(self) -> None:
        g = self.g
        gl, dims = self.iris.glossary, self.iris.dimensions
        g.add((gl, RDF.type, SKOS.ConceptScheme))
        g.add((gl, SKOS.prefLabel, Literal("南码头术语表", lang="zh")))
        g.add((gl, SKOS.prefLabel, Literal("Nanmatou glossary", lang="en")))
        g.add((dims, RDF.type, SKOS.ConceptScheme))
        g.add((dims, SKOS.prefLabel, Literal("七彩南码头", lang="zh")))
        g.add((dims, SKOS.prefLabel, Literal("Colourful Nanmatou", lang="en")))

    def _dimensions(self) -> None:
        g = self.g
        for d in self.cur.dimensions:
            node = self.iris.dimension(d.id)
            g.add((node, RDF.type, NMT.Dimension))
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.inScheme, self.iris.dimensions))
            g.add((node, SKOS.topConceptOf, self.iris.dimensions))
            g.add((node, SKOS.prefLabel, Literal(d.label.zh, lang="zh")))
            g.add((node, SKOS.prefLabel, Literal(d.label.en, lang="en")))
            tone, _hidden = pinyin_forms(d.label.zh, None)
            g.add((node, SKOS.prefLabel, Literal(tone, lang=PINYIN)))
            g.add((node, SKOS.altLabel, Literal(d.short.zh, lang="zh")))
            g.add((node, SKOS.altLabel, Literal(d.short.en, lang="en")))
            g.add((node, NMT.colourName, Literal(d.colour.zh, lang="zh")))
            g.add((node, NMT.colourName, Literal(d.colour.en, lang="en")))
            g.add((node, NMT.displayColour, Literal(d.display)))
            g.add((node, SKOS.definition, Literal(d.explanation.zh, lang="zh")))
            g.add((node, SKOS.definition, Literal(d.explanation.en, lang="en")))
            g.add((node, SKOS.notation, Literal(d.id)))
            g.add((node, NMT.order, Literal(d.order, datatype=XSD.integer)))

    def _term(self, t: TermEntry) -> None:
        g = self.g
        node = self.term_iris[normalise(t.zh)]
        concept_core(g, node, self.iris.glossary, t.zh, t.pinyin)
        g.add((node, SKOS.prefLabel, Literal(t.en, lang="en")))
        g.add((node, NMT.termType, NMT[t.type]))
        for alt in t.alt_zh:
            if self.away is not None and any(n in normalise(alt) for n in self.away):
                continue  # 南码头综治中心, or Shanghai's name for a hotline every city has
            g.add((node, SKOS.altLabel, Literal(alt, lang="zh")))
            for h in pinyin_forms(alt, None)[1]:  # 违建 is found as weijian too
                g.add((node, SKOS.hiddenLabel, Literal(h, lang=PINYIN)))
        for alt in t.alt_en:
            if self.away is not None and any(n in alt for n in self.away):
                continue
            g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
        zh, en = t.definition.zh, t.definition.en
        if self.away is not None and node not in self.official:
            zh, en = general_part(zh or "", "zh", self.away), general_part(en or "", "en", self.away)
            if t.type == "officialNote":
                en = ""  # it translates the curation's own report's note, and no report here has it
        if node not in self.official:
            # An official note in any built report replaces the editorial zh definition.
            g.add((node, NMT.definitionSource, NMT.editorial))
            if zh:
                g.add((node, SKOS.definition, Literal(zh, lang="zh")))
        if en and (node not in self.official or node in self.translated):
            # For an official note this is our translation of the note.
            g.add((node, SKOS.definition, Literal(en, lang="en")))
        for c in t.components:
            comp = add_component(g, node, c.order, c.label.zh, c.count)
            if c.label.en:
                g.add((comp, RDFS.label, Literal(c.label.en, lang="en")))
            if c.qualifier.zh:
                g.add((comp, NMT.qualifier, Literal(c.qualifier.zh, lang="zh")))
            if c.qualifier.en:
                g.add((comp, NMT.qualifier, Literal(c.qualifier.en, lang="en")))
            linked = self._present_iri(c.term) if c.term else None
            if linked is not None:
                g.add((comp, NMT.componentConcept, linked))
        stated = stated_count(normalise(t.zh))
        if t.components and stated is not None:
            g.add((node, NMT.statedCount, Literal(stated, datatype=XSD.integer)))
        for rel in t.related:
            other = self._present_iri(rel)
            if other is not None and other != node:
                g.add((node, SKOS.related, other))
                g.add((other, SKOS.related, node))
        for i, d in enumerate(t.dimensions):
            g.add((node, NMT.alignsWith, self.iris.dimension(d)))
            if i == 0:  # the curation lists a term's primary dimension first
                g.add((node, NMT.primaryDimension, self.iris.dimension(d)))

    def _home_names(self, home: str) -> list[str]:
        """The curation's subdistrict as its entity names it: alt labels (南码头) and the first
        word of its English label (Nanmatou)."""
        names: list[str] = []
        for e in self.cur.entities:
            if normalise(e.zh) == home:
                names += [normalise(a) for a in e.alt]
                if e.en:
                    names.append(e.en.split()[0])
        return [n for n in names if len(n) > 1]

    def _region_names(self) -> tuple[list[str], list[str]]:
        """The places the curation's subdistrict lies within (``within:`` in entities.yaml): the
        names a report of them writes (浦东新区, 浦东, 上海), and those and the English names
        (Pudong, Shanghai) a curated definition may speak of them by."""
        written: list[str] = []
        english: list[str] = []
        for e in self.cur.entities:
            zh = normalise(e.zh)
            if zh in self.cur.within:
                written += [zh, *(a for a in map(normalise, e.alt) if len(a) > 1 and zh.startswith(a))]
                english += e.en.split()[:1]
        return written, [*written, *english]

    def _entities(self, reports: list[Report]) -> None:
        g = self.g
        for e in self.cur.entities:
            if not any(entity_in(e, r, self.cur.entity_place) for r in reports):
                continue
            node = self.entity_iri(e.zh, e.kind)
            g.add((node, RDF.type, curie(ENTITY_KINDS[e.kind][1])))
            g.add((node, RDFS.label, Literal(e.zh, lang="zh")))
            g.add((node, RDFS.label, Literal(e.en, lang="en")))
            g.add((node, DCTERMS.type, Literal(e.kind)))
            for alt in e.alt:
                g.add((node, SKOS.altLabel, Literal(alt, lang="zh")))
            if e.note.en:
                g.add((node, RDFS.comment, Literal(e.note.en, lang="en")))
            if e.note.zh:
                g.add((node, RDFS.comment, Literal(e.note.zh, lang="zh")))

    def alignments(self, r: Report, item_iris: dict[str, URIRef], g: Sink) -> None:
        """Report ``r``'s work items aligned with dimensions, into ``g``: curated where the curation
        lists the item's title, else suggested by keywords. They depend on that report and the
        curation only (a build keeps each report's, see :mod:`kg.building.curation_lines`)."""
        for _part, item in _items(r):
            node = item_iris[f"{r.slug}/{item.key}"]
            cur = self.cur.structure.get(item.title)
            if cur is None or not cur.alignments:
                body = r.lookup_text[item.start : item.end]
                self._machine(g, node, suggest(r.lookup(item.title), body, self.cur.keywords))
            if cur is None:
                continue
            for a in cur.alignments:
                basis = NMT.headingText if a.basis == "heading" else NMT.editorialJudgement
                self._align(g, node, a.dimension, a.primary, basis, a.rationale.zh, a.rationale.en)

    def _continuations(self, reports: list[Report], item_iris: dict[str, URIRef]) -> None:
        g = self.g
        # Work continues within one place: a subdistrict's plan carries on its own earlier items,
        # never another subdistrict's that happen to share a title. (place, title) → year → items.
        by_title: dict[tuple[str, str], dict[str, list[URIRef]]] = {}
        for r in reports:
            for part, item in _items(r):
                by_year = by_title.setdefault((r.metadata.place or "", item.title), {})
                by_year.setdefault(part.year or "", []).append(item_iris[f"{r.slug}/{item.key}"])
        ordered: dict[tuple[str, str], list[str]] = {}  # each title's years, sorted when first needed
        title = cache(normalise)  # the curation names few earlier titles, continued by many items
        for r in reports:
            for part, item in _items(r):
                cur = self.cur.structure.get(item.title)
                if cur is None or not cur.continues:
                    continue
                node = item_iris[f"{r.slug}/{item.key}"]
                for earlier in cur.continues:
                    key = (r.metadata.place or "", title(earlier))
                    found = by_title.get(key)
                    if not found:
                        continue
                    years = ordered.get(key) or ordered.setdefault(key, sorted(found))
                    # The latest earlier year only: the years before it are reached through it
                    # (nmt:continues+). Linking every earlier year grew as the square of a place's reports.
                    at = bisect_left(years, part.year or "9999")
                    while at > 0:
                        at -= 1
                        others = [o for o in found[years[at]] if o != node]
                        for other in others:
                            g.add((node, NMT.continues, other))
                        if others:
                            break

    def _align(
        self, g: Sink, node: URIRef, dim_id: str, primary: bool, basis: URIRef, why_zh: str, why_en: str
    ) -> None:
        """One alignment of a work item with a dimension, its basis and rationale, into ``g``."""
        dim = self.iris.dimension(dim_id)
        al = URIRef(f"{node}#alignment-{dim_id}")
        g.add((node, _ALIGNS_WITH, dim))
        g.add((node, _HAS_ALIGNMENT, al))
        g.add((al, _TYPE, _ALIGNMENT))
        g.add((al, _DIMENSION, dim))
        g.add((al, _IS_PRIMARY, _BOOLEAN[primary] if isinstance(primary, bool) else Literal(primary)))
        g.add((al, _BASIS, basis))
        for text, lang in ((why_zh, "zh"), (why_en, "en")):
            if text:
                g.add((al, _RATIONALE, Literal(text, lang=lang)))
        if primary:
            g.add((node, _PRIMARY_DIMENSION, dim))

    def _machine(self, g: Sink, node: URIRef, suggestions: list[Suggestion]) -> None:
        """Machine alignment of an uncurated work item: basis machine, the matched words as rationale."""
        for sug in suggestions:
            why_zh = "关键词:" + "、".join(sug.matched)
            why_en = "keywords matched: " + ", ".join(sug.matched)
            self._align(g, node, sug.dimension, sug.primary, NMT.machineSuggestion, why_zh, why_en)


def _items(r: Report) -> Iterator[tuple[Part, Initiative]]:
    """Report ``r``'s work items, each with its part, in text order."""
    for part in r.parts:
        for sec in part.sections:
            for item in sec.initiatives:
                yield part, item
