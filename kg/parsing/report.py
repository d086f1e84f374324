"""Parser for the genre of subdistrict work reports.

The genre: a metadata header (title, ``|``-separated index fields, motto,
subtitle, delivery date), a salutation, parts (``一、``) holding sections
(``(一)``) holding initiatives (a paragraph opened by a short lead sentence
ending in ``。``) or numbered practical projects, closing paragraphs, and an
optional glossary (``名词解释:``) whose notes are referenced by footnote
markers in the text.  One paragraph per line.

The parser works line by line on the raw text and records raw offsets; it
recognises headings on the normalised form of each line (see ``kg.text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import SourceError
from kg.parsing.model import (
    EnumItem,
    Initiative,
    Marker,
    Metadata,
    Note,
    Paragraph,
    Part,
    Quote,
    Report,
    Section,
    Unplaced,
)
from kg.parsing.numerals import NUMERAL_CHARS, cn_to_int
from kg.parsing.quantities import extract_quantities
from kg.text import NormText, normalise

CN = f"[{NUMERAL_CHARS}]+"
PART_RE = re.compile(rf"^({CN})、(.{{1,40}})$")
SECTION_RE = re.compile(rf"^\(({CN})\)(.*)$")
ITEM_RE = re.compile(r"^(\d{1,2})[.、](?!\d)(.*)$")
GLOSSARY_RE = re.compile(r"^(名词解释|名词注释|注释)[::]?$")
TRAILER_RE = re.compile(r"^(相关附件|附件)[:]?$")  # on the normalised line
DATE_LINE_RE = re.compile(r"^\((\d{4})年(\d{1,2})月(\d{1,2})日\)$")
SALUTATION_RE = re.compile(r"^(各位代表|同志们|各位委员)")
YEAR_RE = re.compile(r"(\d{4})年")
ISO_DATE_RE = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})")
MEETING_RE = re.compile(r"(第[^第]{1,4}届[^上]*?会议)")
QUOTE_RE = re.compile(r"[“「]([^“”「」\n]{1,60})[”」]")
ENUM_RE = re.compile(rf"({CN})是")
ENUM_END = ",;。:,;:"  # punctuation that closes an enumeration item
MARKER_LINE_RE = re.compile(r"^\d{1,2}$")
# A lead sentence is short; anything longer opens an ordinary paragraph.
LEAD_MAX = 40
FIELD_KEYS = ("索引号", "发布机构", "公开类别", "发布时间", "文号", "主题分类", "生成日期", "发文机关")
REVIEW_WORDS = ("回顾", "总结", "成绩")
PLAN_WORDS = ("要点", "计划", "安排", "打算", "任务", "思路")
PROJECT_WORDS = ("实事", "项目")


@dataclass
class _Line:
    raw: str
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    norm: str


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            out.append(_Line(stripped, start, start + len(stripped), normalise(stripped)))
        pos += len(raw) + 1
    return out


def _after_prefix(line: _Line, m: re.Match[str]) -> tuple[int, int]:
    """Raw span of a heading's title: the line after its number (一、 (三) 1 .)."""
    nt = NormText.of(line.raw, line.start)
    prefix = len(m.group(0)) - len(m.group(m.lastindex or 0))
    if prefix >= len(nt.norm):
        return line.end, line.end
    return nt.span(prefix, len(nt.norm))


def _iso(match: re.Match[str]) -> str:
    y, m, d = match.groups()
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def read_source(path: Path) -> str:
    """Read a report as UTF-8 text, refusing binary or undecodable files."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None
    if b"\x00" in data:
        raise SourceError(f"{path}: binary file, not a text report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return text


class _Parser:
    def __init__(self, text: str, slug: str) -> None:
        self.text = text
        self.report = Report(slug=slug, text=text, metadata=Metadata())
        self.part: Part | None = None
        self.section: Section | None = None
        self.in_glossary = False
        self.closing = False
        self.pending_title: Section | None = None
        self.project: Initiative | None = None
        # A footnote marker alone on its line splits a paragraph: the next line continues it.
        self.last: Paragraph | Initiative | Unplaced | None = None
        self.join_next = False

    # -- helpers -------------------------------------------------------
    def _unplaced(self, line: _Line, reason: str) -> None:
        self.last = Unplaced(line.start, line.end, line.raw, reason)
        self.report.unplaced.append(self.last)

    # -- main loop -----------------------------------------------------
    def parse(self) -> Report:
        lines = _lines(self.text)
        if not lines:
            raise SourceError("empty report")
        md = self.report.metadata
        md.title = lines[0].raw
        for line in lines[1:]:
            self._line(line)
        if not self.report.parts:
            raise SourceError("not a work report: no part headings (一、…) found")
        self._finish_metadata()
        self._link_markers()
        self._collect_quotes()
        self.report.quantities = extract_quantities(self.report)
        return self.report

    def _line(self, line: _Line) -> None:
        n = line.norm
        if TRAILER_RE.match(n):
            return  # the web page's attachment list: not content
        if self.in_glossary:
            self._glossary_line(line)
            return
        if GLOSSARY_RE.match(n):
            self.in_glossary = True
            return
        if self.pending_title is not None:
            sec = self.pending_title
            sec.title, sec.title_start, sec.title_end = n, line.start, line.end
            sec.end = line.end
            self.pending_title = None
            return
        if self.part is None and self._header_line(line):
            return
        m = PART_RE.match(n)
        if m and cn_to_int(m.group(1)) is not None and not n.endswith("。"):
            self._start_part(line, m)
            return
        m = SECTION_RE.match(n)
        if m and self.part is not None and cn_to_int(m.group(1)) is not None and len(n) <= 60:
            self._start_section(line, m)
            return
        if MARKER_LINE_RE.match(n):
            self.join_next = self.last is not None  # a footnote marker on its own line
            return
        if self.join_next and self.last is not None:
            self.join_next = False
            self._extend(self.last, line)
            return
        m = ITEM_RE.match(n)
        if m and self.section is not None and not self.closing and m.group(2):
            self._start_item(line, m)
            return
        self._paragraph(line)

    def _header_line(self, line: _Line) -> bool:
        md = self.report.metadata
        n = line.norm
        if "|" in line.norm:  # NFKC folds the full-width ｜ too
            tokens = [normalise(t) for t in line.raw.replace("\uff5c", "|").split("|")]
            key: str | None = None
            for tok in tokens:
                if tok in FIELD_KEYS:
                    key = tok
                    md.fields.setdefault(key, "")
                elif key and tok:
                    md.fields[key] = tok
                    key = None
            return True
        m = DATE_LINE_RE.match(n)
        if m:
            md.delivered = _iso(m)
            return True
        if n.startswith("——") or n.startswith("--"):
            md.subtitle = n.lstrip("—-")
            return True
        if not self.report.preamble and md.subtitle is None and md.delivered is None and not PART_RE.match(n):
            md.motto.append(Paragraph(line.raw, line.start, line.end))
            return True
        if not PART_RE.match(n):
            self.report.preamble.append(Paragraph(line.raw, line.start, line.end))
            return True
        return False

    def _start_part(self, line: _Line, m: re.Match[str]) -> None:
        self.join_next, self.last = False, None  # a heading ends any paragraph a marker line split
        title = m.group(2)
        year = YEAR_RE.search(title)
        kind = "other"
        if any(w in title for w in REVIEW_WORDS):
            kind = "review"
        elif any(w in title for w in PLAN_WORDS):
            kind = "plan"
        order = len(self.report.parts) + 1
        key = f"part-{order}"
        t_start, t_end = _after_prefix(line, m)
        self.part = Part(key, order, title, t_start, t_end, year.group(1) if year else None, kind, line.start, line.end)
        self.report.parts.append(self.part)
        self.section = None
        self.project = None
        self.closing = False

    def _start_section(self, line: _Line, m: re.Match[str]) -> None:
        assert self.part is not None
        self.join_next, self.last = False, None
        order = len(self.part.sections) + 1
        t_start, t_end = _after_prefix(line, m)
        sec = Section(f"{self.part.key}/section-{order}", order, m.group(2), t_start, t_end, line.start, line.end)
        self.part.sections.append(sec)
        self.section = sec
        self.project = None
        self.closing = False
        self.part.end = line.end
        if not m.group(2):
            self.pending_title = sec

    def _start_item(self, line: _Line, m: re.Match[str]) -> None:
        sec = self.section
        assert sec is not None and self.part is not None
        is_project = any(w in sec.title for w in PROJECT_WORDS) or self.part.kind == "plan"
        kind = "project" if is_project else "initiative"
        order = len(sec.initiatives) + 1
        t_start, t_end = _after_prefix(line, m)
        item = Initiative(f"{sec.key}/{kind}-{order}", kind, order, m.group(2), t_start, t_end, line.start, line.end)
        sec.initiatives.append(item)
        sec.end = self.part.end = line.end
        self.project = item

    def _paragraph(self, line: _Line) -> None:
        para = Paragraph(line.raw, line.start, line.end)
        self.last = para
        part, sec = self.part, self.section
        if part is None:
            self.report.preamble.append(para)
            return
        part.end = line.end
        if SALUTATION_RE.match(line.norm) or self.closing:
            self.closing = True
            part.closing.append(para)
            return
        if sec is None:
            part.intro.append(para)
            return
        if self.project is not None and self.project.kind == "project":
            # Description lines of a numbered project extend it.
            self.project.end = sec.end = line.end
            self.last = self.project
            return
        lead = self._lead_sentence(line)
        if lead is not None:
            t_start, t_end, title = lead
            order = len(sec.initiatives) + 1
            init = Initiative(
                f"{sec.key}/initiative-{order}", "initiative", order, title, t_start, t_end, line.start, line.end
            )
            init.enumerations = self._enumerations(line)
            sec.initiatives.append(init)
            self.last = init
            sec.end = line.end
            return
        if not sec.initiatives:
            sec.intro.append(para)
            sec.end = line.end
            return
        self._unplaced(line, f"paragraph without a lead sentence in section {sec.key}")

    def _extend(self, elem: Paragraph | Initiative | Unplaced, line: _Line) -> None:
        elem.end = line.end
        if isinstance(elem, Paragraph | Unplaced):
            elem.text = self.text[elem.start : elem.end]
        if self.part is not None:
            self.part.end = line.end
        if self.section is not None and isinstance(elem, Initiative):
            self.section.end = line.end

    def _lead_sentence(self, line: _Line) -> tuple[int, int, str] | None:
        nt = NormText.of(line.raw, line.start)
        cut = nt.norm.find("。")
        if cut <= 0 or cut + 1 > LEAD_MAX or cut + 1 >= len(nt.norm):
            return None
        start, end = nt.span(0, cut)  # the title is the lead sentence without its 。
        return start, end, nt.norm[:cut]

    def _enumerations(self, line: _Line) -> list[EnumItem]:
        nt = NormText.of(line.raw, line.start)
        hits = [(m.start(), cn_to_int(m.group(1))) for m in ENUM_RE.finditer(nt.norm)]
        # Keep the run 一是, 二是, 三是 … in sequence; stray 是 are not items.
        seq: list[int] = []
        want = 1
        for pos, val in hits:
            if val == want and (pos == 0 or nt.norm[pos - 1] in ",;。:,;:、"):
                seq.append(pos)
                want += 1
        if len(seq) < 2:
            return []
        items = []
        for i, pos in enumerate(seq):
            end = seq[i + 1] if i + 1 < len(seq) else len(nt.norm)
            text = nt.norm[pos:end].rstrip(ENUM_END)
            s, e = nt.span(pos, pos + len(text))
            items.append(EnumItem(i + 1, text, s, e))
        return items

    # -- glossary ------------------------------------------------------
    def _glossary_line(self, line: _Line) -> None:
        m = ITEM_RE.match(line.norm)
        if not m:
            if self.report.notes:
                note = self.report.notes[-1]  # a note's definition continued on the next line
                note.definition = self.text[note.def_start : line.end]
                note.def_end = note.end = line.end
            else:
                self._unplaced(line, "glossary line that is not a numbered note")
            return
        number = int(m.group(1))
        raw = line.raw
        colon = min((i for i in (raw.find(":"), raw.find("\uff1a")) if i >= 0), default=-1)  # : or ：
        head = raw[: colon if colon >= 0 else len(raw)]
        q = QUOTE_RE.search(head)
        if q:
            term_s, term_e = line.start + q.start(1), line.start + q.end(1)
            term = normalise(q.group(1))
            suffix = normalise(head[q.end() :])
        else:
            body = ITEM_RE.match(normalise(head))
            term = body.group(2) if body else normalise(head)
            idx = raw.find(term[:1]) if term else 0
            term_s, term_e = line.start + max(idx, 0), line.start + len(head.rstrip())
            suffix = ""
        if colon < 0:
            self._unplaced(line, f"glossary note {number} has no colon before its definition")
            def_s = def_e = line.end
        else:
            rest = raw[colon + 1 :]
            def_s = line.start + colon + 1 + (len(rest) - len(rest.lstrip()))
            def_e = line.end
        self.report.notes.append(
            Note(number, term, term_s, term_e, suffix, self.text[def_s:def_e], def_s, def_e, line.start, line.end)
        )

    # -- post-processing -----------------------------------------------
    def _finish_metadata(self) -> None:
        md = self.report.metadata
        if md.subtitle is None and md.delivered is None:
            # Without a subtitle or date line there is no motto block: it was preamble.
            self.report.preamble[:0] = md.motto
            md.motto = []
        md.publisher = md.fields.get("发布机构") or None
        md.disclosure = md.fields.get("公开类别") or None
        issued = ISO_DATE_RE.search(md.fields.get("发布时间", ""))
        md.issued = _iso(issued) if issued else None
        for cand in (md.title, md.subtitle or ""):
            m = MEETING_RE.search(normalise(cand))
            if m:
                md.meeting = m.group(1)
                break

    def _body_end(self) -> int:
        return self.report.notes[0].start if self.report.notes else len(self.text)

    def _collect_quotes(self) -> None:
        for m in QUOTE_RE.finditer(self.text, 0, self._body_end()):
            inner = normalise(m.group(1))
            if inner:
                self.report.quotes.append(Quote(inner, m.start(1), m.end(1)))

    def _link_markers(self) -> None:
        body_end = self._body_end()
        for note in self.report.notes:
            found = False
            for m in QUOTE_RE.finditer(self.text, 0, body_end):
                if normalise(m.group(1)) != note.term:
                    continue
                # After the closing quote: up to a few words (的五级管理体系), then the number.
                tail = re.match(r"\s*[\u4e00-\u9fff]{0,10}?\s*(\d{1,2})(?!\d)", self.text[m.end() : m.end() + 24])
                if tail and int(tail.group(1)) == note.number:
                    s = m.end() + tail.start(1)
                    self.report.markers.append(
                        Marker(note.number, s, s + len(tail.group(1)), Quote(note.term, m.start(1), m.end(1)))
                    )
                    found = True
                    break
            if not found:
                self.report.warnings.append(f"note {note.number} ({note.term}): no footnote marker found in the text")
        self.report.markers.sort(key=lambda mk: mk.start)


def parse_report(text: str, slug: str) -> Report:
    """Parse the text of one report; raise SourceError when it is not of the genre."""
    return _Parser(text, slug).parse()


def parse_file(path: Path) -> Report:
    """Read and parse a report file; its slug comes from the file name."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "report"
    return parse_report(read_source(path), slug)
