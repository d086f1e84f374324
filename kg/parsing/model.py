"""The parsed shape of a work report: plain dataclasses, no RDF.

Every element carries ``start``/``end`` offsets into the raw source text, so
``source[start:end]`` gives back the element's text exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Span:
    """A half-open range of raw character offsets."""

    start: int
    end: int


@dataclass
class Quote:
    """A quoted string ``“…”``: ``start``/``end`` cover the inner text only."""

    text: str  # normalised inner text
    start: int
    end: int


@dataclass
class Note:
    """One entry of the report's glossary (``名词解释``)."""

    number: int
    term: str  # normalised term as quoted in the note
    term_start: int
    term_end: int
    suffix: str  # words between the quoted term and the colon (五级管理体系)
    definition: str  # raw definition text
    def_start: int
    def_end: int
    start: int
    end: int
    numbered: bool = True  # False: a note written with no number, numbered in order
    # More headwords the note defines as one (5.“街长制”“路长制”:指…): (normalised term, start, end).
    also: list[tuple[str, int, int]] = field(default_factory=list)
    # The parts a numeric shorthand's note gives (“1”指…,“3”指…,“N”指…): (label, start, end, count).
    parts: list[tuple[str, int, int, int | None]] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """Every headword the note defines, the first first."""
        return [self.term, *(t for t, _s, _e in self.also)]


@dataclass
class InlineDefinition:
    """A term the body defines where it uses it (:mod:`kg.parsing.inline`)."""

    term: str  # normalised term as quoted
    term_start: int
    term_end: int
    definition: str  # raw text of the definition; "" when the bracket only lists the parts
    def_start: int
    def_end: int
    # (raw label, start, end, what it counts: 1, a numeric shorthand's number, None for its N)
    # of each part it lists, when they are as many as the term announces
    parts: list[tuple[str, int, int, int | None]]


@dataclass
class Marker:
    """A footnote marker in the body text, linked to its note."""

    number: int
    start: int
    end: int
    quote: Quote  # the quoted term the marker annotates


@dataclass
class EnumItem:
    """One item of a ``一是…二是…`` enumeration inside a paragraph."""

    order: int
    text: str
    start: int
    end: int
    title: str = ""  # the item without its 一是 prefix, up to the first ; or 。


@dataclass
class Quantity:
    """An amount stated in the text."""

    value: Decimal
    unit: str
    raw: str
    approx: bool
    start: int
    end: int
    clause: str  # normalised clause that holds the number
    label: str
    change_percent: Decimal | None = None
    period: str | None = None
    container: str = ""  # key of the initiative / paragraph that holds it
    low: Decimal | None = None  # a range's lower bound (3-5个: 3; value is 5)


@dataclass
class Paragraph:
    """A paragraph that is not a heading: intro, closing or preamble text."""

    text: str
    start: int
    end: int
    bullet: bool = False  # it opened with a bullet (🔹, ●): one of a list, as 1. or 一是 would say


@dataclass
class Initiative:
    """A lead-sentence paragraph, or a numbered practical project."""

    key: str
    kind: str  # "initiative" | "project"
    order: int
    title: str  # normalised lead sentence / project title
    title_start: int
    title_end: int
    start: int
    end: int
    enumerations: list[EnumItem] = field(default_factory=list)
    title_en: str = ""  # the English the report gives its title (…(Livelihood Projects 2022))
    # Who is to do it: (role, office) with role "lead" (牵头/责任单位) or "partner" (配合单位)
    units: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    key: str
    order: int
    title: str
    title_start: int
    title_end: int
    start: int
    end: int
    initiatives: list[Initiative] = field(default_factory=list)
    intro: list[Paragraph] = field(default_factory=list)
    title_en: str = ""


@dataclass
class Part:
    key: str
    order: int
    title: str
    title_start: int
    title_end: int
    year: str | None
    kind: str  # "review" | "plan" | "other"
    start: int
    end: int
    sections: list[Section] = field(default_factory=list)
    years: tuple[str, str] | None = None  # a multi-year part (2020-2022年工作总结): first and last year
    intro: list[Paragraph] = field(default_factory=list)
    closing: list[Paragraph] = field(default_factory=list)
    title_en: str = ""


@dataclass
class Table:
    """Rows of cells apart by tabs or aligned with spaces (kg.parsing.tables); the first is the header."""

    start: int
    end: int
    rows: list[list[tuple[int, int]]]  # each row's cells, as raw spans


@dataclass
class Unplaced:
    """Text the parser found but could not place; goes to the build report."""

    start: int
    end: int
    text: str
    reason: str


@dataclass
class Metadata:
    title: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    publisher: str | None = None
    disclosure: str | None = None
    issued: str | None = None  # ISO date
    motto: list[Paragraph] = field(default_factory=list)
    subtitle: str | None = None
    delivered: str | None = None  # ISO date
    meeting: str | None = None
    held_at: str | None = None  # the meeting a bracketed date line names (…在…会议上)
    place: str | None = None  # the subdistrict or town (长寿路街道)
    period: str | None = None  # the years covered by the title: "2023" or "2020-2022"
    period_part: str | None = None  # 上半年 / 下半年 when the title says so

    @property
    def sort_period(self) -> str | None:
        """The period the report belongs to, as text that sorts in time: the title's period
        (``2023``, ``2020-2022``, ``2024上半年``), else the year it was delivered, else issued.

        Titles such as 南码头路街道第三届社区代表大会第三次会议上的报告 name a meeting, not a
        year; a report of the genre is the report of the year it is delivered in (it reviews
        the year before and plans that year), as a titled one (2021年工作报告) is.
        """
        if self.period:
            return self.period + (self.period_part or "")
        date = self.delivered or self.issued
        return date[:4] if date else None


@dataclass
class Report:
    """The whole parsed report."""

    slug: str
    text: str
    metadata: Metadata
    preamble: list[Paragraph] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    definitions: list[InlineDefinition] = field(default_factory=list)  # “工业上楼”(即…)
    quantities: list[Quantity] = field(default_factory=list)
    # Raw spans of numbers read into another figure: its change said after it (12.8亿元,同比增长5.1%)
    # or a sum naming what it counts (超10亿元项目3个). They are accounted for, as figures' parts.
    folded: list[tuple[int, int]] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Line breaks of a hard-wrapped PDF copy inside a paragraph (kg.parsing.wrapped): not text.
    wraps: list[int] = field(default_factory=list)
    # Written in traditional characters (kg.parsing.script): labels are looked up in its
    # simplified twin, which has the same length.
    traditional: bool = False
    # The normalised text, made once and kept with the parse in the build cache: a corpus's
    # rebuild normalised every report's text again to look labels up in it (1.4 s at 1,000).
    _normalised: str | None = field(default=None, repr=False, compare=False)

    @property
    def lookup_text(self) -> str:
        """The text where labels are looked up: the text, its hard-wrapped copy's breaks as spaces
        (“古建老宅 / 活化利用” is one name), and for a report in traditional characters its
        simplified twin (character for character: every offset holds)."""
        text = self.blanked() if self.wraps else self.text
        if self.traditional:
            from kg.parsing.script import simplified

            return simplified(text)
        return text

    def lookup(self, words: str) -> str:
        """``words`` of this report (a title) as labels are looked up in it: simplified, for a
        report in traditional characters."""
        if self.traditional:
            from kg.parsing.script import simplified

            return simplified(words)
        return words

    @property
    def normalised(self) -> str:
        """The lookup text normalised (:func:`kg.text.normalise`), where labels and entities are looked up."""
        if self._normalised is None:
            from kg.text import normalise

            self._normalised = normalise(self.lookup_text)
        return self._normalised

    @property
    def body_end(self) -> int:
        """Where the glossary at the end begins: its first note after the body's last part (a
        note of one line inside the body, 注:①…, does not end it); without one, the text's end."""
        last = max((p.end for p in self.parts), default=0)
        return min((n.start for n in self.notes if n.start >= last), default=len(self.text))

    def initiatives(self) -> list[Initiative]:
        """All initiatives and projects in document order."""
        return [i for p in self.parts for s in p.sections for i in s.initiatives]

    def blanked(self, end: int | None = None, markers: bool = False) -> str:
        """The text up to ``end`` with a hard-wrapped copy's breaks (and, with ``markers``, the footnote
        markers) written as spaces: a clause or a number goes on over a break; offsets do not change."""
        chars = list(self.text[:end])
        spans = [(w, w + 1) for w in self.wraps]
        if markers:
            spans += [(m.start, m.end) for m in self.markers]
        for s, e in spans:
            chars[s:e] = " " * len(chars[s:e])
        return "".join(chars)

    def as_written(self, start: int, end: int) -> str:
        """The text of ``[start, end)`` as the report writes it, less the footnote markers glued into it
        (“三会一代理”1机制 → “三会一代理”机制: a marker points to a note, it is not a word of a title)
        and the line breaks of a hard-wrapped copy."""
        pieces, at = [], start
        cuts = [(m.start, m.end) for m in self.markers if start <= m.start < end]
        cuts += [(w, w + 1) for w in self.wraps if start <= w < end]  # a PDF copy's line break in it
        for s, e in sorted(cuts):
            pieces.append(self.text[at:s])
            at = e
        pieces.append(self.text[at:end])
        return "".join(pieces)
