"""The named graph of one report: structure, notes, quantities, mentions, provenance."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.building.discovery import candidates, new_term, of_place, quoted_here
from kg.building.glossary_graph import add_component, concept_core
from kg.curation import Curation
from kg.graph_index import Sink, TripleList
from kg.matcher import Matcher, folded
from kg.parsing.model import Initiative, Paragraph, Part, Report, Section
from kg.parsing.notes import own_definition
from kg.pinyin import slug
from kg.text import NormText, normalise, sentence_bounds
from kg.text import written as written_form
from kg.vocab import NMT, OA, SCHEMA_MAX, SCHEMA_MIN, IRIs

ZH = "zh"
# Made once, not on every namespace attribute read (see glossary_graph.py): every mention and
# quantity points into the text with these.
_DERIVED, _TYPE, _NNI = PROV.wasDerivedFrom, RDF.type, XSD.nonNegativeInteger
_SPECIFIC, _SOURCE, _SELECTOR = OA.SpecificResource, OA.hasSource, OA.hasSelector
_POSITION, _START, _END = OA.TextPositionSelector, OA.start, OA.end
_QUOTE, _EXACT, _PREFIX, _SUFFIX = OA.TextQuoteSelector, OA.exact, OA.prefix, OA.suffix


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _dec(d: Decimal) -> Literal:
    """xsd:decimal in canonical form (``301.0``), the form Turtle writers use too."""
    text = format(d.normalize(), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def add_selector(
    g: Sink, subject: URIRef, report: URIRef, text: str, start: int, end: int, context: bool = False
) -> None:
    """Point ``subject`` into the source text with position and quote selectors.

    ``context`` adds ``oa:prefix``/``oa:suffix`` so prefix+exact+suffix is the
    whole sentence (used for mentions).
    """
    src = URIRef(f"{subject}#source")
    pos, quote = URIRef(f"{subject}#position"), URIRef(f"{subject}#quote")
    g.add((subject, _DERIVED, src))
    g.add((src, _TYPE, _SPECIFIC))
    g.add((src, _SOURCE, report))
    g.add((src, _SELECTOR, pos))
    g.add((src, _SELECTOR, quote))
    g.add((pos, _TYPE, _POSITION))
    g.add((pos, _START, Literal(start, datatype=_NNI)))
    g.add((pos, _END, Literal(end, datatype=_NNI)))
    g.add((quote, _TYPE, _QUOTE))
    g.add((quote, _EXACT, Literal(text[start:end])))
    if context:
        lo, hi = sentence_bounds(text, start, end)
        g.add((quote, _PREFIX, Literal(text[lo:start])))
        g.add((quote, _SUFFIX, Literal(text[end:hi])))


_UNIT = URIRef("http://www.w3.org/ns/org#OrganizationalUnit")


class ReportGraphBuilder:
    """Turns one parsed report into triples of its own named graph."""

    def __init__(
        self,
        report: Report,
        curation: Curation,
        iris: IRIs,
        term_iris: dict[str, URIRef],
        matcher: Matcher,
        known: set[str] | None = None,
        entities: Matcher | None = None,
        noted: set[str] | None = None,
        owners: dict[str, str] | None = None,
    ) -> None:
        self.r = report
        self.cur = curation
        self.iris = iris
        self.term_iris = term_iris  # normalised zh label → concept IRI
        # Terms and entities are matched apart: a term inside an entity's name (联防联控 in
        # 联防联控工作领导小组, 居民区 in 金星居民区) is a mention of the term too.
        self.matchers = [m for m in (matcher, entities) if m is not None]
        self.g = TripleList()
        self.rep = iris.report(report.slug)
        self.item_iris: dict[str, URIRef] = {}
        self.used_labels: set[str] = set()  # quantity-label overrides that matched
        # Labels that are curated or some built report's note headword: never candidates.
        self.known = known if known is not None else set(term_iris)
        self.noted = noted or set()  # some built report's note headwords
        # The report whose parts a term defined in several reports gets (discovery.part_owners);
        # a report built alone gets its own.
        own = [d.term for d in report.definitions] + [n.term for n in report.notes]
        self.owners = owners if owners is not None else dict.fromkeys(own, report.slug)

    def iri(self, key: str) -> URIRef:
        return self.iris.in_report(self.r.slug, key)

    def build(self) -> TripleList:
        self._report()
        for part in self.r.parts:
            self._part(part)
        self._paragraphs()
        self._notes()
        self._candidates()
        self._definitions()
        self._quantities()
        self._mentions()
        return self.g

    # -- structure -------------------------------------------------------
    def _report(self) -> None:
        g, rep, md = self.g, self.rep, self.r.metadata
        g.add((rep, RDF.type, NMT.Report))
        g.add((rep, DCTERMS.title, Literal(md.title, lang=ZH)))
        g.add((rep, NMT.sha256, Literal(hashlib.sha256(self.r.text.encode("utf-8")).hexdigest())))
        if md.fields.get("索引号"):
            g.add((rep, DCTERMS.identifier, Literal(md.fields["索引号"])))
        if md.publisher:
            pub = self.iris.entity("organisation", slug(md.publisher))
            g.add((rep, DCTERMS.publisher, pub))
            g.add((pub, RDF.type, URIRef("http://www.w3.org/ns/org#Organization")))
            g.add((pub, RDFS.label, Literal(md.publisher, lang=ZH)))
        if md.disclosure:
            g.add((rep, NMT.disclosureCategory, Literal(md.disclosure, lang=ZH)))
        if md.issued:
            g.add((rep, DCTERMS.issued, Literal(md.issued, datatype=XSD.date)))
        if md.delivered:
            g.add((rep, NMT.deliveredOn, Literal(md.delivered, datatype=XSD.date)))
        speaker = md.fields.get("报告人")
        if speaker:  # 东湖区人民政府区长 刘卫东: who delivered it (PROV: the report is attributed to them)
            agent = self.iri("speaker")
            g.add((rep, PROV.wasAttributedTo, agent))
            g.add((agent, RDF.type, PROV.Agent))
            g.add((agent, RDFS.label, Literal(speaker, lang=ZH)))
        if md.meeting:
            meeting = self.iri("meeting")
            g.add((rep, NMT.deliveredAt, meeting))
            g.add((meeting, RDF.type, NMT.Meeting))
            g.add((meeting, RDFS.label, Literal(md.meeting, lang=ZH)))
        for p in md.motto:
            g.add((rep, NMT.motto, Literal(p.text, lang=ZH)))
        if md.subtitle:
            g.add((rep, NMT.subtitle, Literal(md.subtitle, lang=ZH)))
        if md.place:
            g.add((rep, DCTERMS.spatial, Literal(md.place, lang=ZH)))
        if md.period:
            g.add((rep, DCTERMS.temporal, Literal(md.period + (md.period_part or ""), lang=ZH)))
        if md.sort_period:
            g.add((rep, NMT.period, Literal(md.sort_period)))

    def _titled(
        self,
        node: URIRef,
        cls: URIRef,
        order: int,
        parent: URIRef,
        title_start: int,
        title_end: int,
        start: int,
        end: int,
        zh_title: str,
        en_title: str = "",
    ) -> None:
        g = self.g
        g.add((node, RDF.type, cls))
        g.add((node, NMT.order, _int(order)))
        g.add((node, DCTERMS.isPartOf, parent))
        g.add((node, NMT.inReport, self.rep))
        g.add((node, DCTERMS.title, Literal(self.r.as_written(title_start, title_end).strip(), lang=ZH)))
        cur = self.cur.structure.get(normalise(zh_title))
        if cur or en_title:  # the curation's English, else the report's own (a bilingual copy)
            g.add((node, DCTERMS.title, Literal(cur.en if cur else en_title, lang="en")))
        add_selector(g, node, self.rep, self.r.text, start, end)

    def _part(self, part: Part) -> None:
        node = self.iri(part.key)
        cls = {"review": NMT.ReviewPart, "plan": NMT.PlanPart}.get(part.kind, NMT.Part)
        self._titled(
            node,
            cls,
            part.order,
            self.rep,
            part.title_start,
            part.title_end,
            part.start,
            part.title_end,
            part.title,
            part.title_en,
        )
        if cls != NMT.Part:
            self.g.add((node, RDF.type, NMT.Part))
        if part.year:
            self.g.add((node, NMT.referenceYear, Literal(part.year, datatype=XSD.gYear)))
        if part.years:
            self.g.add((node, NMT.periodStart, Literal(part.years[0], datatype=XSD.gYear)))
            self.g.add((node, NMT.periodEnd, Literal(part.years[1], datatype=XSD.gYear)))
        for sec in part.sections:
            self._section(sec, node, part)

    def _section(self, sec: Section, parent: URIRef, part: Part) -> None:
        node = self.iri(sec.key)
        self._titled(
            node,
            NMT.Section,
            sec.order,
            parent,
            sec.title_start,
            sec.title_end,
            sec.start,
            sec.title_end,
            sec.title,
            sec.title_en,
        )
        for item in sec.initiatives:
            self._item(item, node, part)

    def _item(self, item: Initiative, parent: URIRef, part: Part) -> None:
        node = self.iri(item.key)
        self.item_iris[item.key] = node
        cls = NMT.PracticalProject if item.kind == "project" else NMT.Initiative
        self._titled(
            node,
            cls,
            item.order,
            parent,
            item.title_start,
            item.title_end,
            item.start,
            item.end,
            item.title,
            item.title_en,
        )
        # The title as compared (NFKC, no white space), hidden from display: the key on which
        # cross-year queries match a work item with an earlier report's, as `kg diff` does.
        key = normalise(self.r.as_written(item.title_start, item.title_end))
        self.g.add((node, SKOS.hiddenLabel, Literal(key, lang=ZH)))
        if part.year:
            self.g.add((node, NMT.referenceYear, Literal(part.year, datatype=XSD.gYear)))
        for e in item.enumerations:
            en = URIRef(f"{node}/item-{e.order}")
            self.g.add((en, RDF.type, NMT.EnumerationItem))
            self.g.add((en, NMT.order, _int(e.order)))
            self.g.add((en, DCTERMS.isPartOf, node))
            if e.title:
                self.g.add((en, DCTERMS.title, Literal(e.title, lang=ZH)))
            add_selector(self.g, en, self.rep, self.r.text, e.start, e.end)
        for role, name in item.units:
            self.g.add((node, NMT.leadUnit if role == "lead" else NMT.partnerUnit, self._office(name)))

    def _office(self, name: str) -> URIRef:
        """An office the report names as doing a work item (经济发展办公室): one of its own
        subdistrict, so minted from the place and the name (every subdistrict has one of that name)."""
        place = self.r.metadata.place or ""
        office = self.iris.entity("office", slug(place + name))  # not a curated organisation's IRI
        self.g.add((office, RDF.type, _UNIT))
        self.g.add((office, RDFS.label, Literal(name, lang=ZH)))
        if place:
            self.g.add((office, DCTERMS.spatial, Literal(place, lang=ZH)))
        return office

    def _paragraph_list(self) -> Iterator[tuple[str, str, URIRef, int, Paragraph]]:
        """(key, role, parent, order, paragraph); order counts a parent's paragraphs in text order."""
        for i, p in enumerate(self.r.preamble, 1):
            yield f"preamble-{i}", "preamble", self.rep, i, p
        for part in self.r.parts:
            for i, p in enumerate(part.intro, 1):
                yield f"{part.key}/intro-{i}", "intro", self.iri(part.key), i, p
            for i, p in enumerate(part.closing, 1):
                yield f"{part.key}/closing-{i}", "closing", self.iri(part.key), len(part.intro) + i, p
            for sec in part.sections:
                for i, p in enumerate(sec.intro, 1):
                    yield f"{sec.key}/intro-{i}", "intro", self.iri(sec.key), i, p

    def _paragraphs(self) -> None:
        for key, role, parent, order, p in self._paragraph_list():
            node = self.iri(key)
            self.g.add((node, RDF.type, NMT.Paragraph))
            self.g.add((node, NMT.role, Literal(role)))
            self.g.add((node, NMT.order, _int(order)))
            self.g.add((node, DCTERMS.isPartOf, parent))
            self.g.add((node, NMT.inReport, self.rep))
            add_selector(self.g, node, self.rep, self.r.text, p.start, p.end)

    # -- glossary notes ----------------------------------------------------
    def _notes(self) -> None:
        g = self.g
        markers = {m.number: m for m in self.r.markers}
        for note in self.r.notes:
            node = self.iri(f"note-{note.number}")
            g.add((node, RDF.type, NMT.GlossaryNote))
            g.add((node, SKOS.notation, Literal(str(note.number))))
            g.add((node, NMT.order, _int(note.number)))
            g.add((node, NMT.inReport, self.rep))
            g.add((node, RDFS.label, Literal("、".join(note.terms) + note.suffix, lang=ZH)))
            # The note's own words: in a corpus a term may have a note in several reports, and the
            # concept's definitions alone do not say which report says which.
            g.add((node, SKOS.definition, Literal(note.definition.strip(), lang=ZH)))
            add_selector(g, node, self.rep, self.r.text, note.start, note.end)
            # Each headword the note defines (5.“街长制”“路长制”:指…: both).
            for term, start, end in [(note.term, note.term_start, note.term_end), *note.also]:
                concept = self.term_iris.get(term)
                if concept is None:
                    continue
                g.add((node, NMT.defines, concept))
                g.add((concept, NMT.glossaryNote, node))
                g.add((concept, SKOS.notation, Literal(str(note.number))))
                if self.cur.term(term) is None:  # an official term of this report, not curated yet
                    # As written but in NFKC form: the label every report that names the term gives it
                    # alike (“１５分钟…” and “15分钟…” were two labels of one concept: a SHACL violation).
                    label = written_form(self.r.text[start:end])
                    concept_core(g, concept, self.iris.glossary, normalise(label), None, with_label=False)
                    g.add((concept, SKOS.prefLabel, Literal(label, lang=ZH)))
                    g.add((concept, NMT.termType, NMT.officialNote))
                    g.add((concept, DCTERMS.source, self.rep))
                    if term == note.term and len(note.suffix) >= 2 and not note.also:
                        # “1234”工作法:指…: found as 1234工作法 too, the headword as the note writes it
                        g.add((concept, SKOS.altLabel, Literal(normalise(label) + note.suffix, lang=ZH)))
                    if term == note.term and self.owners.get(term) == self.r.slug:
                        self._parts(concept, note.parts)  # “1”指…,“3”指…,“N”指…
                g.add((concept, SKOS.definition, Literal(own_definition(note, term), lang=ZH)))
                g.add((concept, NMT.definitionSource, NMT.official))
            mk = markers.get(note.number)
            if mk is not None:
                spec = URIRef(f"{node}#marker")
                g.add((node, NMT.footnoteMarker, spec))
                g.add((spec, RDF.type, OA.SpecificResource))
                g.add((spec, OA.hasSource, self.rep))
                pos = URIRef(f"{node}#marker-position")
                g.add((spec, OA.hasSelector, pos))
                g.add((pos, RDF.type, OA.TextPositionSelector))
                g.add((pos, OA.start, Literal(mk.start, datatype=XSD.nonNegativeInteger)))
                g.add((pos, OA.end, Literal(mk.end, datatype=XSD.nonNegativeInteger)))

    def _candidates(self) -> None:
        """Quoted strings and shorthands nobody curated: concepts typed candidate, in this report's graph."""
        g = self.g
        for c in candidates(self.r, self.known, set(self.cur.excluded_quotes)):
            concept = self.term_iris.get(c.label)
            if concept is None:
                continue
            concept_core(g, concept, self.iris.glossary, c.label, None)
            if c.shown:  # “Nantou Ancient City”: as written another label (reports may space it otherwise)
                g.add((concept, SKOS.altLabel, Literal(c.shown, lang=ZH)))
            g.add((concept, NMT.termType, NMT.candidate))
            g.add((concept, NMT.definitionSource, NMT.notYetDefined))
            g.add((concept, DCTERMS.source, self.rep))

    def _definitions(self) -> None:
        """Terms this report defines where it uses them (“工业上楼”(即…)), nobody curated and no
        report's note defines: candidates defined in the text, with the parts they list."""
        g = self.g
        excluded = set(self.cur.excluded_quotes)
        for d in self.r.definitions:
            concept = self.term_iris.get(d.term)
            if concept is None or not new_term(d.term, self.noted, excluded) or self.cur.term(d.term):
                continue
            concept_core(g, concept, self.iris.glossary, d.term, None)
            g.add((concept, NMT.termType, NMT.candidate))
            g.add((concept, DCTERMS.source, self.rep))
            g.add((concept, NMT.definitionSource, NMT.inText))
            if d.definition:
                g.add((concept, SKOS.definition, Literal(d.definition, lang=ZH)))
            if self.owners.get(d.term) == self.r.slug:  # else another report's parts are the concept's
                self._parts(concept, d.parts)

    def _parts(self, concept: URIRef, parts: list[tuple[str, int, int, int | None]]) -> None:
        """The components a report gives a term nobody curated (in its text or its note)."""
        for order, (label, _s, _e, count) in enumerate(parts, 1):
            add_component(self.g, concept, order, label, count)
        counts = [count for *_, count in parts]
        if parts and None not in counts:  # 1+3+N announces no number of things
            self.g.add((concept, NMT.statedCount, _int(sum(c for c in counts if c is not None))))

    # -- quantities --------------------------------------------------------
    def container_iri(self, key: str) -> URIRef:
        return self.iri(key) if not key.startswith("unplaced") else self.rep

    def _quantities(self) -> None:
        g = self.g
        seen: dict[str, int] = {}
        for n, q in enumerate(self.r.quantities, 1):
            node = self.iri(f"quantity-{n}")
            label, label_en = q.label, ""
            both = normalise(q.clause + "|" + q.raw)
            seen[both] = seen.get(both, 0) + 1
            for key in (f"{both}#{seen[both]}", both, normalise(q.clause)):
                place = self.cur.quantity_label_places.get(key)
                if place is not None and place != normalise(self.r.metadata.place or ""):
                    continue  # written for another subdistrict's reports: the same words may count another thing
                if key in self.cur.quantity_labels:
                    label, label_en = self.cur.quantity_labels[key].zh, self.cur.quantity_labels[key].en
                    self.used_labels.add(key)
                    break
            g.add((node, RDF.type, NMT.Quantity))
            g.add((node, RDF.value, _dec(q.value)))
            g.add((node, NMT.unit, Literal(q.unit)))
            g.add((node, NMT.approximate, Literal(q.approx)))
            g.add((node, RDFS.label, Literal(label, lang=ZH)))
            if label_en:
                g.add((node, RDFS.label, Literal(label_en, lang="en")))
            g.add((node, NMT.order, _int(n)))
            g.add((node, NMT.inReport, self.rep))
            g.add((node, NMT.statedIn, self.container_iri(q.container)))
            if q.change_percent is not None:
                g.add((node, NMT.changePercent, _dec(q.change_percent)))
            if q.low is not None:  # a range (3-5个): rdf:value is its upper bound
                g.add((node, SCHEMA_MIN, _dec(q.low)))
                g.add((node, SCHEMA_MAX, _dec(q.value)))
            if q.period:
                g.add((node, NMT.referenceYear, Literal(q.period, datatype=XSD.gYear)))
            add_selector(g, node, self.rep, self.r.text, q.start, q.end, context=True)

    # -- mentions ----------------------------------------------------------
    def _spans(self) -> Iterator[tuple[URIRef, int, int]]:
        """Every stretch of body text with the resource it belongs to."""
        for part in self.r.parts:
            yield self.iri(part.key), part.title_start, part.title_end
            for sec in part.sections:
                yield self.iri(sec.key), sec.title_start, sec.title_end
                for item in sec.initiatives:
                    yield self.iri(item.key), item.title_start if item.kind == "project" else item.start, item.end
        for key, _role, _parent, _order, p in self._paragraph_list():
            yield self.iri(key), p.start, p.end

    def _mentions(self) -> None:
        g = self.g
        found: list[tuple[int, int, URIRef, URIRef]] = []
        seen: set[tuple[int, int, str]] = set()
        spans = list(self._spans())
        # The header (title line, motto, subtitle, index fields) belongs to the report itself.
        head_end = min((p.start for p in self.r.parts), default=0)
        spans.append((self.rep, 0, head_end))
        # A term that is also an everyday phrase (家门口) counts in another place's report only quoted.
        away = not of_place(self.r, self.cur.entity_place)
        quoted = {str(self.term_iris[normalise(t.zh)]) for t in self.cur.terms if t.quoted} if away else set()
        # …and a curated alt label (应急预案体系 of 1+17+27) only in a report of the home subdistrict.
        labels = {folded(normalise(t.zh)) for t in self.cur.terms}
        alts = {folded(normalise(a)) for t in self.cur.terms for a in t.alt_zh} - labels if away else set()
        text = self.r.lookup_text  # a report in traditional characters: its simplified twin
        for container, start, end in spans:
            for line_start, line in _lines_in(text, start, end):
                nt = NormText.of(line, line_start)
                for matcher in self.matchers:
                    for m in matcher.find_norm(nt, alts):
                        if m.key in quoted and not quoted_here(self.r.text, m.start, m.end):
                            continue
                        if (m.start, m.end, m.key) not in seen:
                            seen.add((m.start, m.end, m.key))
                            found.append((m.start, m.end, container, URIRef(m.key)))
        for n, (start, end, container, target) in enumerate(sorted(found), 1):
            node = self.iri(f"mention-{n}")
            g.add((node, RDF.type, OA.Annotation))
            g.add((node, OA.motivatedBy, OA.identifying))
            g.add((node, OA.hasBody, target))
            g.add((node, DCTERMS.isPartOf, container))
            g.add((node, NMT.inReport, self.rep))
            g.add((container, NMT.mentions, target))
            add_selector(g, node, self.rep, self.r.text, start, end, context=True)
            g.add((node, OA.hasTarget, URIRef(f"{node}#source")))


def _lines_in(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    pos = start
    for line in text[start:end].split("\n"):
        yield pos, line
        pos += len(line) + 1
