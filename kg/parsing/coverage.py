"""Account for every number in a report: a quantity, a footnote marker, or an explained exception.

Numbers in the glossary notes are note numbers and component counts (they
become ``nmt:Component`` counts), so the notes are not scanned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.parsing.inline import counted_numbers
from kg.parsing.lines import CIRCLED, PAGE_RE
from kg.parsing.model import Report
from kg.parsing.tables import serial_column
from kg.text import NormText, normalise

NUMBER_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@dataclass
class Coverage:
    quantities: int = 0
    markers: int = 0
    ignored: dict[str, int] = field(default_factory=dict)  # reason → count
    unaccounted: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, number, line

    @property
    def total(self) -> int:
        return self.quantities + self.markers + sum(self.ignored.values()) + len(self.unaccounted)


SERIAL = "the number of a row in a table (序号)"
CIRCLED_POINTS = "a circled number (①) numbering a point"
POINTS = "the number of a point numbered inside a paragraph (…:1.…;2.…)"
PAGE = "a page number of a PDF copy (— 3 —, 第 1 页 共 4 页)"
SHORTHAND_PARTS = "what a part of a numeric shorthand counts, where the text defines it (“1+3+N”(即1个…))"


def number_coverage(report: Report, ignore: list[tuple[str, str]]) -> Coverage:
    """Classify every digit run in the report outside the glossary notes."""
    text = report.text
    end = report.body_end
    spans = [(q.start, q.end) for q in report.quantities] + report.folded  # a figure, or a part of one
    markers = [(m.start, m.end) for m in report.markers]
    counted = [span for d in report.definitions for span in counted_numbers(d)]
    patterns = [(re.compile(p), reason) for p, reason in ignore]
    cov = Coverage()
    # Looked at as labels are: a report in traditional characters in its simplified twin (週年, 序號).
    blanked = report.lookup_text[:end]
    pieces: list[NormText] = []
    pos = 0
    cells = {s: e for t in report.tables for row in t.rows for s, e in row}
    # A table's serial numbers (序号 1, 2 …) number its rows: no figures.
    serials = {row[0] for t in report.tables if serial_column(blanked, t) for row in t.rows[1:]}
    # The numbers of points numbered inside a paragraph (承诺的十件民生实事已全部完成:1.…;2.…).
    points = {
        (e.start, e.start + len(n.group()))
        for part in report.parts
        for sec in part.sections
        for item in sec.initiatives
        for e in item.enumerations
        if (n := re.match(r"\d{1,2}", e.text))
    }
    tables = [(t.start, t.end) for t in report.tables]
    for line in blanked.split("\n"):  # a number may stand either side of a wrap
        if PAGE_RE.match(normalise(line.strip())):  # — 3 —, 第 1 页 共 4 页: a PDF copy's page, no text
            cov.ignored[PAGE] = cov.ignored.get(PAGE, 0) + len(NUMBER_RE.findall(normalise(line)))
        elif any(pos < e and s < pos + len(line) for s, e in tables):
            # A table's row, a cell at a time: together its numbers run into one (15.6216).
            pieces += [NormText.of(blanked[s:e], s) for s, e in cells.items() if pos <= s < pos + len(line)]
        else:
            pieces.append(NormText.of(line, pos))
        pos += len(line) + 1
    for nt in pieces:
        for m in NUMBER_RE.finditer(nt.norm):
            start, stop = nt.span(m.start(), m.end())
            if all(c in CIRCLED for c in text[start:stop]):  # ① … as NFKC writes them: 1 …
                cov.ignored[CIRCLED_POINTS] = cov.ignored.get(CIRCLED_POINTS, 0) + 1
                continue
            if (start, stop) in serials:
                cov.ignored[SERIAL] = cov.ignored.get(SERIAL, 0) + 1
                continue
            if (start, stop) in points:
                cov.ignored[POINTS] = cov.ignored.get(POINTS, 0) + 1
                continue
            if any(s <= start < e for s, e in counted):
                cov.ignored[SHORTHAND_PARTS] = cov.ignored.get(SHORTHAND_PARTS, 0) + 1
                continue
            if any(s <= start and stop <= e for s, e in spans):
                cov.quantities += 1
                continue
            if any(s <= start and stop <= e for s, e in markers):
                cov.markers += 1
                continue
            reason = next(
                (
                    r
                    for p, r in patterns
                    for pm in p.finditer(nt.norm)
                    if pm.start() <= m.start() and m.end() <= pm.end()
                ),
                None,
            )
            if reason is not None:
                cov.ignored[reason] = cov.ignored.get(reason, 0) + 1
            else:
                cov.unaccounted.append((start, stop, m.group(), nt.norm))
    return cov
