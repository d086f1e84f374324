"""A PDF copy hard-wrapped at a fixed width: its lines joined back into paragraphs.

Text copied out of a PDF breaks every line at the page's width, in the middle
of a word or a number (``年均增长7.`` / ``6%``). The genre writes one paragraph
per line, so such a copy is recognised by its lines: most long lines are about
as wide as the widest, and most of them stop mid-sentence. Each such full line
is joined with the next, unless the next opens a heading or a numbered item
(page numbers and running heads are left out before). The line breaks inside a joined line are *wraps*: not a boundary
of a title, a clause or a number (see :attr:`kg.parsing.model.Report.wraps`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from kg.parsing.header import SPEAKER_RE
from kg.parsing.lines import CN, Line
from kg.text import normalise

# A line that opens something of its own: 一、 (一) 第一部分 1. (1) ①, or a glossary heading.
OPENS_RE = re.compile(
    rf"^(?:{CN}、|\({CN}\)|第{CN}部分|\d{{1,2}}[.、](?!\d)|\(\d{{1,2}}\)|[①-⑳]|(?:附[::]?)?(?:名词解释|注释|注)[::]?$)"
)
SENTENCE_ENDS = "。!?;:"  # on the normalised line
# A full line ending with ; goes on when the next opens no item (…惠及低保对象1123户1768人; / 发放临时救助资金…).
PARAGRAPH_ENDS = "。!?:"
PUNCTUATION = "。,;:!?、"  # on the normalised line
LONG = 20  # narrower lines (headings, a salutation) say nothing about the page's width
BAND = 8  # a full line is at most this much narrower than the page (digits and punctuation are narrow)
WIDEST = 120  # wider lines than this are paragraphs, not a page's width
MANY_FULL = 12  # full lines enough to tell a wrapped copy of short paragraphs


def width(text: str) -> int:
    """Display width: CJK and full-width characters count two, others one; past ``WIDEST`` (a
    paragraph, not a page's line) ``WIDEST + 1`` without counting."""
    if len(text) > WIDEST:
        return WIDEST + 1  # at least one a character
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _page(sizes: list[int]) -> int | None:
    """The size most long lines come up to (the 90th percentile), if the text is wrapped at it."""
    sizes = sorted(sizes)
    if len(sizes) < 6:
        return None
    page = sizes[int(len(sizes) * 0.9)]  # the widest but for a few stray lines
    return None if page > WIDEST else page


def page_size(lines: list[Line]) -> tuple[int, int] | None:
    """(width, characters) the text is wrapped at, or None if it is not hard-wrapped.

    A copy breaks lines at a width (digits are narrow) or after a number of characters: a line
    is full by either measure.
    """
    long = [(line, w) for line in lines if (w := width(line.raw)) >= LONG]
    page_w = _page([w for _line, w in long])
    page_c = _page([len(line.raw) for line, _w in long])
    if page_w is None or page_c is None:
        return None
    page = (page_w, page_c)
    # A heading with no punctuation ((一)坚持党建引领推动基层治理效能持续提升) may be the widest line
    # of a text of short paragraphs: not a line a page's width cut.
    full = [line for line, w in long if _full(line.raw, page, w) and not _heading(line.norm)]
    cut = [line for line in full if not line.norm.endswith(tuple(SENTENCE_ENDS))]
    # Most long lines fill the page, and most of those stop mid-sentence; or, where paragraphs are
    # short (two lines each: as many last lines as full ones), many fill it and nearly all of those
    # stop mid-sentence, as one paragraph a line never does.
    if len(cut) < 0.6 * len(full):
        return None
    if len(full) >= 0.6 * len(long) or (len(full) >= MANY_FULL and len(cut) >= 0.8 * len(full)):
        return page
    return None


def _heading(norm: str) -> bool:
    """A numbered heading with no punctuation after its number: no paragraph's first line."""
    m = OPENS_RE.match(norm)
    return m is not None and not any(c in norm[m.end() :] for c in PUNCTUATION)


# A part's or section's number: 一、 (一) 第一部分.
HEADING_NUMBER_RE = re.compile(rf"^(?:{CN}、|\({CN}\)|第{CN}部分)")


def _titled(norm: str) -> bool:
    """A part's or section's heading near the page's width, a comma in it but no sentence's end
    and no figure ((一)在古城保护更新上持续用力,打造保护利用新样板): a line of its own unless what
    follows is short (the rest of a title wrapped: …新样 / 板)."""
    return (
        HEADING_NUMBER_RE.match(norm) is not None
        and not any(c in norm for c in "。;!?")
        and not any(c.isdigit() for c in norm)
    )


def _full(raw: str, page: tuple[int, int], known: int | None = None) -> bool:
    """Whether a line comes up to the page's width or number of characters (``known``: its width)."""
    return (width(raw) if known is None else known) >= page[0] - BAND or len(raw) >= page[1] - 2


# A figure broken over two lines (处置各类问题1.2 / 万件, 惠及居民1,2 / 36户): its first digits end the
# line, its last digits, multiplier or unit open the next (not an item's number: 1. / 2、).
FIGURE_BREAK_END_RE = re.compile(r"[\u4e00-\u9fff”][\d.,]*\d[.,]?$")
FIGURE_BREAK_START_RE = re.compile(r"^(?:\d+(?:[.,]\d+)?(?![.、)\d])|[万亿千百])")


def _figure_broken(prev: Line, line: Line) -> bool:
    """Whether a figure is broken from the end of ``prev`` to the start of ``line``."""
    return (
        len(prev.norm) >= LONG // 2
        and "\t" not in prev.raw
        and FIGURE_BREAK_END_RE.search(prev.norm) is not None
        and FIGURE_BREAK_START_RE.match(line.norm) is not None
        and not OPENS_RE.match(line.norm)
    )


def _joined(lines: list[Line], text: str, goes_on: Callable[[Line, Line], bool]) -> tuple[list[Line], list[int]]:
    """``lines`` with each line joined to the one before where ``goes_on(before, line)``, and the
    offsets of the breaks between: everything between is not text (line ends, and a page number
    with the page's running head when a paragraph goes on over a page break: the caller left
    those lines out)."""
    out: list[Line] = []
    wraps: list[int] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and goes_on(prev, line):
            wraps += range(prev.end, line.start)
            raw = text[prev.start : line.end]
            out[-1] = Line(raw, prev.start, line.end, normalise(raw))
        else:
            out.append(line)
    return out, wraps


def _list_goes_on(prev: Line, line: Line) -> bool:
    """…办好以下民生实事:1.完成…;2.新增…; / 3.新增公共停车泊位300个;…: a line opening with the
    number after the last one numbered inside the paragraph above goes on with its list."""
    opens = re.match(r"(\d{1,2})[.、](?!\d)", line.norm)
    if opens is None or int(opens.group(1)) < 2:
        return False
    inside = [int(m.group(1)) for m in re.finditer(r"(?:^|[:;。,])(\d{1,2})[.、](?!\d)", prev.norm)]
    # (…新增绿地1.2万平方米。 / 3.加强社会治理。: the list ended, the next item opens)
    return (
        len(inside) >= 2 and inside[-1] == int(opens.group(1)) - 1 and ":" in prev.norm and not prev.norm.endswith("。")
    )


def _spaced_row(raw: str) -> bool:
    """A row of cells parted by wide spaces (three cells or more): a table's, no wrapped prose."""
    return len(re.split(r"[ \u3000]{2,}", raw.strip())) >= 3


def unwrap(lines: list[Line], text: str) -> tuple[list[Line], list[int]]:
    """The lines with each hard-wrapped paragraph joined into one, and the offsets of the wraps;
    in a text of whole paragraphs, figures broken over two lines joined."""
    page = page_size(lines)
    if page is None:
        return _joined(lines, text, _figure_broken)

    def wrapped(prev: Line, line: Line) -> bool:
        return (
            "\t" not in line.raw  # a table's row is a line of its own
            and "\t" not in prev.raw
            and not _spaced_row(line.raw)  # 7    完成…    经济发展办公室    全年: a row, a line of its own
            and not _spaced_row(prev.raw)
            and _full(text[text.rfind("\n", 0, prev.end) + 1 : prev.end].strip(), page)
            and (not prev.norm.endswith(tuple(PARAGRAPH_ENDS)) or _list_goes_on(prev, line))
            and (not OPENS_RE.match(line.norm) or _list_goes_on(prev, line))
            and not _heading(prev.norm)
            and not SPEAKER_RE.match(line.raw)  # 乡长 刘明远 under the subtitle: a line of its own
            and not (_titled(prev.norm) and width(line.raw) >= page[0] // 2)
        )

    return _joined(lines, text, wrapped)
