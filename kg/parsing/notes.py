"""The glossary at the end of a report (名词解释) and the footnote markers that point to its notes."""

from __future__ import annotations

import re

from kg.parsing.lines import CIRCLED, QUOTE_RE, Line, numbered, rest_of
from kg.parsing.model import Marker, Note, Quote, Report
from kg.parsing.units import UNITS
from kg.text import NormText, normalise

NOTE_BRACKET_RE = re.compile(r"^\[(\d{1,2})\](.*)$")  # [1]下沉干部:指… (NFKC writes ［1］ so too)
NOTE_ZHU_RE = re.compile(r"^注(\d{1,2})[:](.*)$")  # 注1:“一岛一策”,指… (NFKC: the colon half-width)
HEADWORDS_JOIN_RE = re.compile(r"\s*(?:[、,，]|和|与|及)?\s*")  # between two quoted headwords of one note
# 10.15分钟便民生活圈: (NFKC of 10．15…): note 10, its head up to a colon (not 2.5万人中的…。: a wrap).
NOTE_DIGIT_HEAD_RE = re.compile(r"^(\d{1,2})\.(\d[^,。;:]{1,20}(?::.*)?)$")
# A note with no number ("365"社区工作法:指…): a short head (quoted or not) with no sentence in it,
# a colon and the way a definition opens (指, 是, 即); a continued definition's line with a colon
# in it (…包括:, “三会”:听证会…) has none. (On the NFKC form: ，；： are , ; :.)
UNNUMBERED_NOTE_RE = re.compile(r"^(?:[“「\"][^”」\"]{1,20}[”」\"][^,。;:]{0,12}|[^,。;:“”「」\"]{1,24}):(?:指|是|即)")


# 两个确保:…, 一二三四五:“一”指…; not 备注:以上数据… (a remark under the glossary).
SHORT_HEAD_RE = re.compile(r"^(?!备注|说明|附注|注|数据来源|资料来源)[^,。;:“”「」\"()]{2,12}:(?=.)")
# After a quoted term and what it names (“3451”企业服务工作法,指…): where its definition opens.
DEFINES_RE = re.compile(
    r"[^,，。;；:：“”\s]{0,12}?[ ,，\u3000]*(?=指(?![标导定数南挥引出示令])|是指(?!导)|即(?![将时可使便刻日到诉]))"
)
# The glossary's heading: 名词解释:, 附:名词解释, 注释:, 注:, 名词解释 without its colon.
# 名词解释:, 附件1:名词注释, 名词解释(Glossary): (a bilingual copy's English after it).
GLOSSARY_RE = re.compile(r"^(?:附件?\d{0,2}[::]?)?(名词解释|名词注释|注释|注解|注)(?:\([A-Za-z][A-Za-z ]*\))?[::]?$")
# A note on the line of its heading: 注:①“三乱”指…, 注:1.两张网:指…, 注释:[1]…; or numbered 注1:… .
# (Not 注:1.矛盾纠纷数据来源于区信访办。, a table's footnote: no quoted term, no head and colon.)
NOTE_LINE_RE = re.compile(
    r"^(?:(?:注|注释)[:：]\s*(?=(?:[①-⑳]|[\[［(（]?\d{1,2}[\]］)）.、])\s*"
    r"(?:[“「\"][^”」\"]{1,20}[”」\"]|[^,，。;；:：]{1,20}[:：]))|(?=注\d{1,2}[:：]))"
)
# The next note after 注:1.…: numbered, a quoted term or a short head and a colon (not 2.推进…。).
NOTE_NEXT_RE = re.compile(
    r"^(?:\d{1,2}[.、]|[\[［(（]\d{1,2}[\]］)）])\s*(?:[“「\"][^”」\"]{1,20}[”」\"]|[^,，。;；:：]{1,20}[:：])"
)
# A bracketed note with no glossary heading (a Markdown footnote, [^1]: “三长联动”:…, reads so).
FOOTNOTE_LINE_RE = re.compile(r"^(?=[\[［]\d{1,2}[\]］][ \u3000]*[“「\"]?[^,。;:：，；“”]{1,20}[”」\"]?[:：])")


def _headwords(text: str, first: re.Match[str]) -> list[re.Match[str]]:
    """The quoted headwords side by side from ``first`` (“街长制”“路长制”, “A”、“B”, “A”和“B”)."""
    run = [first]
    for more in QUOTE_RE.finditer(text, first.end()):
        if not HEADWORDS_JOIN_RE.fullmatch(text[run[-1].end() : more.start()]):
            break
        run.append(more)
    return run


def _note_number(raw: str, norm: str, expected: int | None = None) -> re.Match[str] | None:
    """A note's number (group 1) and what follows it (group 2); ``expected``: the next note's
    number, which may stand before a headword opening with a digit (10．15分钟便民生活圈:…)."""
    m = numbered(raw, norm) or NOTE_BRACKET_RE.match(norm) or NOTE_ZHU_RE.match(norm)
    if m is None and expected is not None:
        m = NOTE_DIGIT_HEAD_RE.match(norm)
        return m if m and int(m.group(1)) == expected else None
    return m


def _unnumbered(norm: str, after: Note | None) -> bool:
    """Whether a glossary line opens a note that has no number: a head and the way a definition
    opens (``UNNUMBERED_NOTE_RE``), or, first or after a note whose text ended, a short head and a
    colon alone (两个确保:确保经济运行…, 141基层智治体系:1个…)."""
    if UNNUMBERED_NOTE_RE.match(norm):
        return True
    ended = after is None or after.definition.rstrip().endswith(("。", "."))
    return ended and SHORT_HEAD_RE.match(norm) is not None


# 注:①楼长制:指…。②网格吹哨:指…: the next note on the same line, after a full stop.
NEXT_ON_LINE_RE = re.compile(
    r"(?<=[。;；])[ \u3000]*(?=[②-⑳][ \u3000]*(?:[“「\"][^”」\"]{1,20}[”」\"]|[^,，。;；:：]{1,20}[:：]))"
)


def glossary_line(report: Report, line: Line) -> str | None:
    """Read one line of the glossary into ``report.notes``; why it could not be placed, if so."""
    split = NEXT_ON_LINE_RE.search(line.raw)
    if split:  # two notes on one line: each read as a line of its own
        head = line.raw[: split.start()]
        why = glossary_line(report, Line(head, line.start, line.start + len(head), normalise(head)))
        return glossary_line(report, rest_of(line, line.start + split.end())) or why
    text = report.text
    expected = report.notes[-1].number + 1 if report.notes and report.notes[-1].numbered else None
    m = _note_number(line.raw, line.norm, expected)
    # A note with no number only among notes with none (in a numbered glossary, a line such as
    # 社区规划师:是指… goes on with the note before).
    previous = report.notes[-1] if report.notes else None
    unnumbered = m is None and all(not n.numbered for n in report.notes) and _unnumbered(line.norm, previous)
    if not m and not unnumbered:
        if report.notes:
            note = report.notes[-1]  # a note's definition continued on the next line
            note.definition = text[note.def_start : line.end]
            note.def_end = note.end = line.end
            return None
        return "glossary line that is not a numbered note"
    # A note with no number takes the next one (its IRI, and the marker that would point to it).
    number = int(m.group(1)) if m else (report.notes[-1].number + 1 if report.notes else 1)
    if any(n.number == number for n in report.notes):
        return f"glossary note {number} numbered as an earlier one"  # one IRI a note: not a second
    zhu = NOTE_ZHU_RE.match(line.norm)
    if zhu:  # 注1:“一岛一策”,指…: the colon after the number only numbers it
        line = rest_of(line, NormText.of(line.raw, line.start).ends[zhu.end(1)])  # past the colon, as written
        m = None
    raw = line.raw
    colon = min((i for i in (raw.find(":"), raw.find("\uff1a")) if i >= 0), default=-1)  # : or ：
    width = 1  # the colon's
    quoted = QUOTE_RE.search(raw)
    if quoted and colon < 0:  # past the headwords quoted side by side (“街长制”“路长制”指…)
        quoted = _headwords(raw, quoted)[-1]
    opens = DEFINES_RE.match(raw, quoted.end()) if quoted and colon < 0 else None
    if opens:
        colon, width = opens.end(), 0  # ①“三乱”指乱贴乱画…, “一岛一策”,指…: no colon, the definition opens at 指
    head = raw[: colon if colon >= 0 else len(raw)]
    q = QUOTE_RE.search(head)
    also: list[tuple[str, int, int]] = []
    if q:
        term_s, term_e = line.start + q.start("q"), line.start + q.end("q")
        term = normalise(q.group("q"))
        # “街长制”“路长制”:指… (or “A”、“B”, “A”和“B”): one note, two headwords.
        run = _headwords(head, q)
        last = run[-1]
        also = [(normalise(x.group("q")), line.start + x.start("q"), line.start + x.end("q")) for x in run[1:]]
        suffix = normalise(head[last.end() :]).strip(",")
    else:
        body = _note_number(head, normalise(head), number) if m else None
        term = body.group(2) if body else normalise(head)
        idx = raw.find(term[:1]) if term else 0
        if body is not None and term:  # 10．15分钟便民生活圈: the headword after the number, as written
            idx = NormText.of(head).starts[body.start(2)]
        term_s, term_e = line.start + max(idx, 0), line.start + len(head.rstrip())
        suffix = ""
    unplaced = None
    if colon < 0:
        unplaced = f"glossary note {number} has no colon before its definition"
        def_s = def_e = line.end
    else:
        rest = raw[colon + width :]
        def_s = line.start + colon + width + (len(rest) - len(rest.lstrip()))
        def_e = line.end
    definition = text[def_s:def_e]
    note = Note(number, term, term_s, term_e, suffix, definition, def_s, def_e, line.start, line.end)
    note.numbered = not unnumbered
    note.also = [t for t in also if t[0] and t[0] != term]
    report.notes.append(note)
    return unplaced


def _marker_number(mark: str) -> int:
    """A footnote marker's number: 2, or ② (circled)."""
    return CIRCLED.index(mark) + 1 if mark in CIRCLED else int(mark)


def link_markers(report: Report, body_end: int) -> None:
    """Find each note's marker after its quoted term in the body (before ``body_end``), or a circled
    one right after the term unquoted; warn if none."""
    text = report.text
    missing: list[Note] = []
    for note in report.notes:
        found = False
        for m in QUOTE_RE.finditer(text, 0, body_end):
            if normalise(m.group("q")) != note.term:
                continue
            # After the closing quote: up to a few words (的五级管理体系, 变“三新”), then the number,
            # bare or in brackets (“下沉干部”[1], “1+6+N”党建工作体系(见注释1)); not a figure's first
            # digit (“十乱”问题3,860处, 试点2个) nor a shorthand's (市委“1+4+N”).
            tail = re.match(
                rf"\s*[\u4e00-\u9fff“”\"\s]{{0,14}}?\s*([\[［(（]?)(?:见)?(?:注释|注)?"
                rf"(\d{{1,2}}(?![\d+＋]|[,.，．]\d)|[{CIRCLED}])([\]］)）]?)",
                text[m.end() : m.end() + 28],
            )
            # a count a few words on (建设试点2个) is a figure; right after the quote (“两新”1组织) a marker
            after = m.end() + tail.end(2) if tail else 0
            words = tail is not None and tail.start(2) > 0 and not tail.group(1)
            counted = words and re.match(rf"(?:{UNITS})", text[after : after + 4]) is not None
            if (
                tail
                and not counted
                and _marker_number(tail.group(2)) == note.number
                and bool(tail.group(1)) == bool(tail.group(3))
            ):
                s = m.end() + tail.start(1)
                report.markers.append(
                    Marker(note.number, s, m.end() + tail.end(3), Quote(note.term, m.start("q"), m.end("q")))
                )
                found = True
                break
        if not found and 0 < note.number <= len(CIRCLED):
            # 健全防返贫监测④和帮扶机制: a circled marker right after the term written unquoted
            at = text.find(note.term + CIRCLED[note.number - 1], 0, body_end)
            if at >= 0:
                end = at + len(note.term)
                report.markers.append(Marker(note.number, end, end + 1, Quote(note.term, at, end)))
                found = True
        if not found:
            missing.append(note)
    if missing and not report.markers:
        # A report that marks none of its notes (a glossary at the end, read on its own) uses no
        # markers: one line says so, not one a note.
        report.warnings.append(f"no footnote markers in the text: its {len(missing)} glossary notes stand alone")
    else:
        for note in missing:
            report.warnings.append(f"note {note.number} ({note.term}): no footnote marker found in the text")
    report.markers.sort(key=lambda mk: mk.start)


def own_definition(note: Note, term: str) -> str:
    """What a note of several headwords says of ``term`` alone, where its definition speaks of each
    in turn (“七有”“五性”:“七有”指…;“五性”指…: 五性 gets “五性”指…); else the whole definition."""
    text = note.definition.strip()
    heads = [note.term, *(t for t, _s, _e in note.also)]
    if len(heads) < 2:
        return text
    at = [m.start() for h in heads if (m := re.search(rf"[“「\"]{re.escape(h)}[”」\"]是?指", text))]
    if len(at) != len(heads) or at != sorted(at):
        return text
    i = heads.index(term)
    return text[at[i] : at[i + 1] if i + 1 < len(at) else len(text)].rstrip(";；,，")
