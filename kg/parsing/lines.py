"""One line of a report and what opens it: heading and item numbers, 一是, a lead sentence.

The parser (:mod:`kg.parsing.report`) reads a report line by line; these
functions say what a line is without knowing where it stands.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from kg.parsing.model import EnumItem
from kg.parsing.numerals import NUMERAL_CHARS, cn_to_int
from kg.parsing.units import UNITS
from kg.text import NormText, normalise

CN = f"[{NUMERAL_CHARS}]+"
ITEM_RE = re.compile(r"^(\d{1,2})(?:[.、]|\)(?!\)))(?!\d)(.*)$")  # 1. 1、 1) (as NFKC writes 1）)
ITEM_PAREN_RE = re.compile(r"^\((\d{1,2})\)(.*)$")  # (1) …, as NFKC writes （1）
ITEM_CIRCLED_RE = re.compile(r"^(\d{1,2}) ?(.*)$")  # ① …: NFKC writes ① as 1
ITEM_LETTER_RE = re.compile(r"^([A-Z])\.(?=[\u4e00-\u9fff“\"])(.*)$")  # A．组织体系不断健全。 (NFKC: A.)
ITEM_NAMED_RE = re.compile(rf"^(?:项目|任务)({CN})[:](?=[\u4e00-\u9fff“\"])(.*)$")  # 项目一:新建社区养老服务站4个
ITEM_ORDINAL_RE = re.compile(rf"^第({CN})[,、](?=[\u4e00-\u9fff“\"])(.*)$")  # 第一,织密社区防控网络。…
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# A page number left in by a PDF copy: — 3 —, - 3 -, －3－, 第3页, 第3页 共12页, 3/12.
PAGE_RE = re.compile(r"^(?:[-—–－~]+ ?\d{1,3} ?[-—–－~]+|第\d{1,3}页(?: ?[/,]? ?共\d{1,3}页)?|\d{1,3} ?/ ?\d{1,3})$")
RUNNING_MAX = 40  # a running header (the report's title at the top of each page) is short
TITLE_HEAD_MIN = 8  # a page's head that is the end of the title is that long at least
# A quoted name: “…” or 「…」 (ASCII "…" in it is the name's), or "…" short and with no sentence in
# it (a stray " opens nothing: "办事难,全年受理诉求3200件 is no name). Group "q" is the name.
# ‘…’ at the top level too (推广‘石榴籽一家亲’结对认亲): a name of two to twenty characters (inside
# “南风‘益’路行” the double quotes are read first, and hold it).
QUOTE_RE = re.compile(
    r"(?:[“「]|(?P<ascii>\")(?=[^\"“”「」\n,，。;；:：!?！？]{1,20}\")|(?P<single>‘)(?=[^‘’“”「」\n,，。;；:：!?！？]{2,20}’))"
    r"(?P<q>(?(ascii)[^\"“”「」\n]{1,20}|(?(single)[^‘’“”「」\n]{2,20}|[^“”「」\n]{1,60})))(?(ascii)\"|(?(single)’|[”」]))"
)
# A quoted name with the footnote marker after it (“五违四必”2): no figure of the sentence.
# A quoted name and the footnote marker after it (“三会一代理”1), not a figure (“和美楼组”60个).
QUOTED_RE = re.compile(
    r"(?:[“「][^“”「」]*[”」]|\"[^\"“”「」\n,，。;；:：!?！？]{1,20}\") ?(?:\d{1,2}(?![\d.,]|(?:" + UNITS + r")))?"
)
ENUM_RE = re.compile(rf"({CN})[是要]")  # 一是…二是…; 一要…二要… as a plan says it
INLINE_NUMBER_RE = re.compile(r"(\d{1,2})[.、](?=[^\d\s])")  # 1.为阳光小区… inside a paragraph
ENUM_START_RE = re.compile(rf"^({CN})[是要](?=[\u4e00-\u9fff“\"])")  # 一是推进…, 一要…; not 一是一 or 十是
ENUM_END = ",;。:,;:"  # punctuation that closes an enumeration item
# A lead sentence is short; anything longer opens an ordinary paragraph.
LEAD_MAX = 40
SUB_MAX = 16  # a short lead sentence after a numbered item's title is one of its sub-items


@dataclass
class Line:
    """A non-blank line: as written (stripped), its raw offsets, and its normalised form."""

    raw: str
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    norm: str
    bullet: bool = False  # it opened with a bullet or an emoji (🔹 坚持党建引领…): one of a list


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with raw offsets; LF, CRLF and CR all end a line. A line's leading
    decoration (a WeChat copy's ▌ and emoji, ● ■ ★ bullets) is no text of it."""
    out: list[Line] = []
    for m in re.finditer(r"[^\r\n]+", text):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        while lead < len(raw) and (decoration(raw[lead]) or raw[lead].isspace() or _bullet_mark(raw, lead)):
            lead += 1
        stripped = raw[lead:].rstrip()
        if stripped:
            start = m.start() + lead
            bullet = any(decoration(c) for c in raw[:lead])
            out.append(Line(stripped, start, start + len(stripped), normalise(stripped), bullet))
    return out


def decoration(c: str) -> bool:
    """A symbol that only decorates (▌ 🔸 ✅ ● ★ • ※), or an emoji's selector or joiner; not ▲ △,
    which open a photo's caption (a line of no text: CAPTION_RE)."""
    return (unicodedata.category(c) == "So" and c not in CAPTION_MARKS) or c in "•‧◦▪※\ufe0f\u200d\u20e3"


CAPTION_MARKS = "▲△▼"  # ▲社区志愿者开展义诊活动: under a photo of a WeChat copy
CAPTION_MAX = 40


def _bullet_mark(raw: str, at: int) -> bool:
    """▲ opening a line of sentences (▲ 党建引领:…86个…;…。), not a photo's short caption: a bullet."""
    rest = raw[at + 1 :]
    return raw[at] in CAPTION_MARKS and (len(rest.strip()) > CAPTION_MAX or any(c in rest for c in "。;；"))


def running_heads(lines: list[Line]) -> set[str]:
    """Lines a PDF copy repeats at the top of each page: short, no sentence, met at least twice,
    once right after a page number."""
    seen: dict[str, int] = {}
    # The title, wrapped onto two lines or not, is the first page's head; a page's head may
    # leave out its first words (余杭区), but not most of it (2024年工作计划 is a part's heading).
    titles = (lines[0].norm, lines[0].norm + (lines[1].norm if len(lines) > 1 else ""))
    after_page: set[str] = set()
    prev = ""
    for line in lines:
        n = line.norm
        if len(n) <= RUNNING_MAX and not any(c in n for c in "。,;:"):
            seen[n] = seen.get(n, 0) + 1  # the title line counts: the first page's head
            if PAGE_RE.match(prev):
                after_page.add(n)
                if len(n) >= TITLE_HEAD_MIN and any(t.endswith(n) and n != t and 2 * len(n) > len(t) for t in titles):
                    seen[n] += 1
        prev = n
    return {n for n in after_page if seen[n] >= 2}


def numbered(raw: str, norm: str) -> re.Match[str] | None:
    """A numbered item's number (group 1) and the rest (group 2): 1. 1、 (1) ①."""
    if raw[:1] in CIRCLED:
        return ITEM_CIRCLED_RE.match(norm)
    return ITEM_RE.match(norm) or ITEM_PAREN_RE.match(norm)


# An item number glued to a number that opens the title (2.12345热线办理): read only where the
# number is the next one of its section, since 2.5万人… is a decimal.
GLUED_ITEM_RE = re.compile(r"^(\d{1,2})\.(\d{3,}[\u4e00-\u9fff].*)$")


def glued_item(norm: str, following: int) -> re.Match[str] | None:
    """An item numbered ``following`` whose title opens with a number (2.12345热线办理), else None."""
    m = GLUED_ITEM_RE.match(norm)
    return m if m and int(m.group(1)) == following else None


def enum_prefix(norm: str) -> int:
    """The length of a paragraph's 一是 / 二是 opening (0 if none): not part of its title."""
    m = ENUM_START_RE.match(norm)
    return m.end() if m and cn_to_int(m.group(1)) is not None else 0


def lettered(norm: str) -> re.Match[str] | None:
    """An item lettered A. B. (its letter, group 1, A first) and the rest; None from a letter on."""
    return ITEM_LETTER_RE.match(norm)


def item_number(line: Line) -> re.Match[str] | None:
    """A work item's number however written (1. 1、 (1) ① 第一, 项目一: A.): group 1, then the rest."""
    return numbered(line.raw, line.norm) or ordinal(line.norm) or lettered(line.norm)


def ordinal(norm: str) -> re.Match[str] | None:
    """An item numbered 第一, 第二, or 项目一: (its number, group 1, in Chinese numerals) and the rest."""
    m = ITEM_ORDINAL_RE.match(norm) or ITEM_NAMED_RE.match(norm)
    return m if m and cn_to_int(m.group(1)) else None


# Word's multilevel numbering (1 / 1.1 / 1.1.1), each number and its title apart by a space.
DECIMAL_RE = re.compile(r"^(\d{1,2}(?:[.．]\d{1,2}){0,2})[ \t\u3000]+(?=\S)")  # 1.1 and 1．1 (a full-width dot)
# A line of a table of contents: its title, then the page after a tab, spaces or dot leaders.
CONTENTS_LINE_RE = re.compile(r"(?:\t|[ \u3000]{2,}|[.·…]{2,})[ \u3000]*\d{1,3}$")


def numbering(raw: str, norm: str) -> str:
    """How an item is numbered: ``circled`` (①), ``paren`` ((1)), ``ordinal`` (第一,) or ``dot`` (1. 1、)."""
    if raw[:1] in CIRCLED:
        return "circled"
    return "paren" if norm.startswith("(") else "ordinal" if norm.startswith("第") else "dot"


def rest_of(line: Line, start: int) -> Line:
    """The rest of ``line`` from raw offset ``start`` (leading spaces skipped)."""
    raw = line.raw[start - line.start :]
    stripped = raw.strip()
    s = start + len(raw) - len(raw.lstrip())
    return Line(stripped, s, s + len(stripped), normalise(stripped))


def after_prefix(line: Line, m: re.Match[str]) -> tuple[int, int]:
    """Raw span of a heading's title: the line after its number (一、 (三) 1 .)."""
    nt = NormText.of(line.raw, line.start)
    prefix = len(m.group(0)) - len(m.group(m.lastindex or 0))
    if prefix >= len(nt.norm):
        return line.end, line.end
    return nt.span(prefix, len(nt.norm))


def sub_items(line: Line) -> list[EnumItem]:
    """Short lead sentences right after a numbered item's title (``基层党建有新成效。``)."""
    nt = NormText.of(line.raw, line.start)
    out: list[EnumItem] = []
    pos = 0
    while True:
        cut = nt.norm.find("。", pos)
        sentence = nt.norm[pos:cut] if cut > pos else ""
        if not sentence or len(sentence) > SUB_MAX or any(c.isdigit() or c in ",,;;" for c in sentence):
            return out
        s, e = nt.span(pos, cut)
        out.append(EnumItem(len(out) + 1, sentence, s, e, sentence))
        pos = cut + 1


def has_figure(norm: str) -> bool:
    """Whether normalised text states a figure (a digit outside quoted names: “1+4”, “12345” are none)."""
    return any(c.isdigit() for c in QUOTED_RE.sub("", norm))


def lead_sentence(line: Line) -> tuple[int, int, str] | None:
    """The raw span and text of a paragraph's short opening sentence, its title (None if it has none)."""
    nt = NormText.of(line.raw, line.start)
    skip = enum_prefix(nt.norm)
    cut = nt.norm.find("。", skip)
    if cut <= skip or cut + 1 > LEAD_MAX or cut + 1 >= len(nt.norm):
        return None
    # A footnote marker (模式③。, 网格治理②深入实施) is no figure and no part of the title.
    kept = [i for i in range(skip, cut) if line.raw[nt.span(i, i + 1)[0] - line.start] not in CIRCLED]
    end_at = kept[-1] + 1 if kept else skip
    title = "".join(nt.norm[i] for i in kept)
    if not title or has_figure(title):
        return None  # a figure (实现税收收入12.8亿元。) states a result; a work item's title names the work
    start, end = nt.span(skip, end_at)  # the title is the lead sentence without its 。 (nor 一是)
    return start, end, title


def title_line(line: Line) -> tuple[int, int, str] | None:
    """A short sentence alone on its line (加装电梯提速扩面。) with no comma and no figure: the
    title of the paragraph under it, as a web copy sets a lead sentence apart."""
    norm = line.norm
    if not norm.endswith("。") or len(norm) > LEAD_MAX or norm.count("。") != 1:
        return None
    if any(c in norm for c in ",;:、") or has_figure(norm):
        return None
    nt = NormText.of(line.raw, line.start)
    start, end = nt.span(0, len(norm) - 1)
    return start, end, norm[:-1]


def enumerations(line: Line, numbered_least: int = 3) -> list[EnumItem]:
    """The run 一是…, 二是… in a line, each titled without its prefix (none for fewer than two);
    else a run numbered in the line after a colon (承诺的十件民生实事已全部完成:1.…;2.…;3.…), of
    ``numbered_least`` points at least; else a run of circled numbers (:①…;②…)."""
    nt = NormText.of(line.raw, line.start)
    hits = [(m.start(), cn_to_int(m.group(1)), m.end()) for m in ENUM_RE.finditer(nt.norm)]
    # 二是…。三是…: a line may go on with a run its 一是 line began (the first its own paragraph)
    opening = ENUM_START_RE.match(nt.norm)
    first = (cn_to_int(opening.group(1)) or 1) if opening else 1
    seq = _in_sequence(nt.norm, hits, ",;。:,;:、", 2, first)
    if not seq:  # 1.…;2.…: three at least, the first after a colon (1.5万 is a decimal: a digit follows)
        numbered = [(m.start(), int(m.group(1)), m.end()) for m in INLINE_NUMBER_RE.finditer(nt.norm)]
        seq = _in_sequence(nt.norm, numbered, ":;。;", numbered_least)
        if seq and nt.norm[seq[0][0] - 1] != ":":
            seq = []
    if not seq:  # 具体做到:①推进…;②壮大…: circled numbers (NFKC reads ① as 1), two at least
        circled = [
            (i, CIRCLED.index(line.raw[at - line.start]) + 1, i + 1)
            for i, at in enumerate(nt.starts)
            if line.raw[at - line.start] in CIRCLED and nt.norm[i].isdigit()
        ]
        seq = _in_sequence(nt.norm, circled, ":;。;", 2)
    if not seq and line.bullet:  # a line that opened with its bullet: ●…;●…;●…
        seq = _bulleted(nt.norm)
    items = []
    for i, (pos, body_at) in enumerate(seq):
        end = seq[i + 1][0] if i + 1 < len(seq) else len(nt.norm)
        text = nt.norm[pos:end].rstrip(ENUM_END)
        s, e = nt.span(pos, pos + len(text))
        body = text[body_at - pos :]
        title = re.split(r"[;;。]", body, maxsplit=1)[0].rstrip(ENUM_END)
        items.append(EnumItem(i + 1, text, s, e, title))
    return items


def _bulleted(norm: str) -> list[tuple[int, int]]:
    """●完成…;●加装电梯25台;●新建…: points a bullet opens after a full stop or a semicolon, the
    line's own bullet (taken off it) the first: positions and text openings, two at least."""
    marks = [i for i in range(1, len(norm)) if decoration(norm[i]) and norm[i - 1] in ";。"]
    if len({norm[i] for i in marks}) != 1:
        return []  # one bullet throughout (not 。🎉居民满意度…: an emoji in a sentence)
    return [(0, 0)] + [(i, i + 1) for i in marks]


def bullet_points(line: Line) -> bool:
    """Whether ``line``, opened by a bullet, is a run of bulleted points (●…;●…;●…), each a work item."""
    return line.bullet and bool(_bulleted(line.norm))


def _in_sequence(
    norm: str, hits: Sequence[tuple[int, int | None, int]], before: str, least: int, first: int = 1
) -> list[tuple[int, int]]:
    """The run of ``hits`` (position, number, where its text opens) numbered 1, 2, 3 … in order,
    each after one of ``before`` (the first may open the line), from ``first`` on: positions and
    text openings;
    none for fewer than ``least`` (stray 是 or numbers are not items)."""
    seq: list[tuple[int, int]] = []
    want = first
    for pos, val, body_at in hits:
        if val == want and ((pos == 0 and want == first) or (pos > 0 and norm[pos - 1] in before)):
            seq.append((pos, body_at))
            want += 1
    return seq if len(seq) >= least else []
