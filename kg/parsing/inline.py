"""Terms a report defines where it uses them, not in a glossary at its end.

Three forms are read, each right after a quoted term of the body:

- a bracket opening with 即 / 是指 / 指: ``“工业上楼”(即在高层厂房中布局生产线,提高土地利用效率)``;
  a few words may stand between (``“20+8”产业集群(即20个…和8大未来产业)``);
- 即 / 是指 after the quote (and a few words of its phrase), to the end of the clause: ``“一网统管”,即
  依托城运平台实现…呈现。``, ``“三单式”服务,即群众点单、社区派单、党员接单``;
- a bracket listing as many parts as the term announces: ``“三小场所”(小档口、小作坊、小娱乐场所)``
  (三 → three parts); a 即 bracket that lists them gives both the definition and the parts;
- a numeric shorthand's parts, each after its number: ``“1+3+N”(即1个街道指挥中心、3个片区工作站、
  N个网格服务点)`` gives three parts counting 1, 3 and no fixed number.

A bracket of anything else (``“博爱家园”(居村)``, a year, an aside) defines nothing.
"""

from __future__ import annotations

import re

from kg.parsing.labels import strip_label
from kg.parsing.model import InlineDefinition, Note, Quote
from kg.parsing.numerals import DIGITS, cn_to_int, stated_count

# 即 as "that is", not 即将 (about to), 即时, 即可, 即使, 即便, 即刻, 即日, 即到即办, 即诉即办, 即墨;
# 是指 not 是指导; 指 not 指标, 指导, 指定, 指数, 指南, 指挥, 指引, 指出, 指示, 指令.
THAT_IS = r"(?:即(?![将时可使便刻日到诉墨办来期])|是指(?!导)|也就是)"
# After the closing quote: up to six characters of the term's phrase (not 和 or 与 and another
# name: “睦邻汇”和综治中心(即…) defines the centre), then the bracket (not a marker's: (注1)).
BRACKET_RE = re.compile(r"((?:(?![和与及])[\u4e00-\u9fff]){0,6}?)\s*[(（](?!注?\d{1,2}[)）])([^()（）\n]{2,150})[)）]")
# A numeric shorthand's parts may stand further on (“4321”矛盾纠纷化解工作机制(4级排查、…)): their
# numbers say whose parts they are.
BRACKET_FAR_RE = re.compile(BRACKET_RE.pattern.replace("{0,6}", "{0,12}", 1))
# After the closing quote: up to four characters of the term's phrase (“三单式”服务), a comma, a
# full stop or nothing, then 即 to the clause's end (no figure in it: “一网通办”,即办件比例达到85%
# says how far it went, not what it is).
CLAUSE_RE = re.compile(
    rf"(?:(?![和与及])[\u4e00-\u9fff]){{0,4}}?(?<![立随旋当])\s*[,，。]?\s*{THAT_IS}\s*([^。;；!！?？,，\n]{{4,150}})"
)
# A numeric shorthand's parts after 即 may stand further on (“1+3+N”党建工作格局,即1个社区党委、…):
# their numbers say whose parts they are.
CLAUSE_FAR_RE = re.compile(CLAUSE_RE.pattern.replace("{0,4}", "{0,8}", 1))
LEAD_RE = re.compile(rf"^\s*(?:{THAT_IS}|指(?![标导定数南挥引出示令])(?=[\u4e00-\u9fff]))\s*")
# A list's last part after 和, 及 or 以及 (助餐、助浴、助洁和护理).
LAST_AND_RE = re.compile(r"^(.{1,15}?)(?:以及|和|及)(.{1,15})$")
PART_SEP = re.compile(r"[、,，;；]")
# A numeric shorthand: numbers, and N or X for "any number", joined by +; or digits, one a part
# (“4321”工作机制(4级排查、3级调处、2个平台、1个台账)).
NUMERIC_RE = re.compile(r"[0-9]+(?:\+(?:[0-9]+|[NnXx]))+|[1-9]{2,6}")
# A numeric shorthand's part: its number (in digits, in words, or the letter), a measure word, the
# part (1个街道指挥中心, 三个平台, 5支队伍, 8大未来产业, N个网格服务点, “3”个平台).
COUNTED_RE = re.compile(
    r"^(?:以及|和|及)?[“\"]?([0-9]+|[一二两三四五六七八九十]+|[NnXx])[”\"]?\s*"
    r"(?:个|名|支|条|项|家|类|大|方|套|张|座|所|处|级|种|位|步)?(.{2,15})$"
)


def counted_numbers(definition: InlineDefinition) -> list[tuple[int, int]]:
    """Where the numbers of a numeric shorthand's parts stand (1个 of 1个街道指挥中心): before
    each part, after the one before (no figures of the text: the term's composition)."""
    parts = definition.parts
    if not parts or not NUMERIC_RE.fullmatch(definition.term):
        return []
    return [(parts[k - 1][2] if k else part[1] - 8, part[1]) for k, part in enumerate(parts)]


# A part: (raw label, start, end, what it counts: 1 for a part of a word shorthand; None for N).
Part = tuple[str, int, int, int | None]
CLOSE = '”」"’'  # the closing quotes QUOTE_RE reads


def inline_definitions(text: str, quotes: list[Quote]) -> list[InlineDefinition]:
    """The definitions and part lists given right after quoted terms of ``text`` (the first of each
    term; ``quotes`` are the body's, in text order)."""
    out: list[InlineDefinition] = []
    seen: set[str] = set()
    for q in quotes:
        if q.text in seen or q.end >= len(text) or text[q.end] not in CLOSE:
            continue
        found = _after(text, q)
        if found is not None:
            seen.add(q.text)
            out.append(found)
    return out


# An abbreviation in Latin letters spelled out in Chinese right after it: QFLP(合格境外有限合伙人),
# PPP(政府和社会资本合作模式). Not inside a word (5G, a model number) and not a Chinese aside.
ACRONYM_RE = re.compile(
    r"(?<![A-Za-z0-9+\-])([A-Z][A-Za-z0-9]{1,9})\s*[(（]([\u4e00-\u9fff][\u4e00-\u9fff、·]{1,30})[)）]"
    r"(?!有限|公司|集团|股份)"  # ABB(中国)有限公司: a company's name, its country
)


def acronyms(text: str, end: int, known: set[str]) -> list[InlineDefinition]:
    """Abbreviations the body (up to ``end``) spells out where it uses them, the first of each
    not already among ``known`` terms: terms defined in the text, as a quoted term's 即 is. Both
    ways: QFLP(合格境外有限合伙人), and the name first, 智慧城市运行中心(IOC) (the name from the
    clause, without the words that lead into it: 建成智慧城市运行中心(IOC) names 智慧城市运行中心)."""
    found: list[tuple[int, InlineDefinition]] = []
    for m in ACRONYM_RE.finditer(text, 0, end):
        found.append(
            (m.start(), InlineDefinition(m.group(1), m.start(1), m.end(1), m.group(2), m.start(2), m.end(2), []))
        )
    found += [(d.term_start, d) for d in named_first(NAMED_FIRST_RE, text, end)]
    out: list[InlineDefinition] = []
    for _at, d in sorted(found, key=lambda f: f[0]):
        if d.term not in known:
            known.add(d.term)
            out.append(d)
    return out


def named_first(pattern: re.Pattern[str], text: str, end: int) -> list[InlineDefinition]:
    """Names followed by what they are called for short (``pattern``: the name in group 1, the
    short name in group 2), defined by the name without the words leading into it."""
    out: list[InlineDefinition] = []
    for m in pattern.finditer(text, 0, end):
        name = m.group(1)
        lead = NAME_LEAD_RE.match(name)
        cut = lead.end() if lead and len(name) - lead.end() >= 2 else 0
        short = strip_label(name[cut:])  # 辖区实现地区生产总值(GDP): 地区生产总值
        cut += name[cut:].find(short) if short and short in name[cut:] and len(short) >= 2 else 0
        out.append(InlineDefinition(m.group(2), m.start(2), m.end(2), name[cut:], m.start(1) + cut, m.end(1), []))
    return out


def short_names(text: str, end: int, known: set[str]) -> list[InlineDefinition]:
    """Names the body (up to ``end``) gives a short name where it uses them (社区事务受理服务中心
    (以下简称“受理中心”)): the short name, a term defined by the name, unless ``known``."""
    out: list[InlineDefinition] = []
    for d in named_first(SHORT_NAME_RE, text, end):
        if d.term not in known:
            known.add(d.term)
            out.append(d)
    return out


# A name, then what the text calls it for short (…(以下简称“受理中心”)).
SHORT_NAME_RE = re.compile(r"([\u4e00-\u9fff“”]{2,24}?)[(（]以下简称[“\"]([^”\"]{1,12})[”\"][)）]")
# A name with its abbreviation after it (研发投入(R&D), 香港贸易发展局(HKTDC), 深圳城市\建筑双城双年展
# (UABB): a slash or a middle dot joins two words of some names): the name runs back to the
# clause's start (at most 16 characters), the abbreviation two letters at least, two capitals
# (InnoEX, R&D; not an English word: 名词解释(Glossary)).
NAMED_FIRST_RE = re.compile(
    r"([\u4e00-\u9fff](?:[\u4e00-\u9fff]|[\\/·](?=[\u4e00-\u9fff])){1,15})[(（]([A-Z](?=[a-z&]*[A-Z&])[A-Za-z&]{1,9})[)）]"
)
# Words that lead into a name, not part of it (建成…, 推动…, 全社会…).
NAME_LEAD_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,6}?(?:建成|建设|推进|推动|打造|引进|依托|通过|举办|开展|成立|设立|与|和|及|加大|全社会|全年|深化|申请))"
)


def _after(text: str, q: Quote) -> InlineDefinition | None:
    at = q.end + 1  # past the closing quote
    window = text[at : at + 200]
    numeric = NUMERIC_RE.fullmatch(q.text) is not None
    m = (BRACKET_FAR_RE if numeric else BRACKET_RE).match(window)
    if m:
        inner_start = at + m.start(2)
        inner = m.group(2)
        lead = LEAD_RE.match(inner)
        body_start = inner_start + (lead.end() if lead else 0)
        body = text[body_start : at + m.end(2)].rstrip(" 。.")
        parts = _parts(q.text, body, body_start)
        if lead and len(body) >= 2:
            return InlineDefinition(q.text, q.start, q.end, body, body_start, body_start + len(body), parts)
        if parts and (not m.group(1) or numeric):  # a bare list: right after the term, and counted
            return InlineDefinition(q.text, q.start, q.end, "", body_start, body_start, parts)
        return None
    m = (CLAUSE_FAR_RE if numeric else CLAUSE_RE).match(window)
    # A clause cut by a line break the text goes on after (a PDF copy's wrap) is not read whole.
    cut = m is not None and re.match(r"\n[\u4e00-\u9fff]", window[m.end(1) :]) is not None
    if m is None or cut:
        return None
    body = m.group(1).rstrip(" ,，")
    start = at + m.start(1)
    parts = _parts(q.text, body, start)
    # A figure in the clause says how far it went (“一网通办”,即办件比例达到85%), unless the numbers
    # are a numeric shorthand's, counting its parts (“1+3+N”…,即1个社区党委、3个网格党支部、N个…).
    if any(c.isdigit() for c in body) and not (numeric and parts):
        return None
    if numeric and not parts and m.start(1) > 6:
        return None  # further on, only a list of the shorthand's parts is its definition
    return InlineDefinition(q.text, q.start, q.end, body, start, start + len(body), parts)


def _parts(term: str, body: str, start: int) -> list[Part]:
    """The parts ``body`` lists (raw, with offsets) when they are as many as ``term`` announces
    (三小场所: three; 三比三争: three pairs, or six), each short and no sentence; else none. A
    numeric shorthand (1+3+N) lists each part after its number (:func:`_counted`)."""
    if NUMERIC_RE.fullmatch(term):
        numbers = _numbers(term)
        return _counted(numbers, _pieces(body, start, len(numbers)))
    stated = stated_count(term)
    if stated is None or stated < 2 or any(c.isdigit() for c in term):
        return []
    numerals = [DIGITS[c] for c in term if c in DIGITS]
    wanted = {stated, *(numerals[:1] if len(set(numerals)) == 1 else [])}
    listed = QUOTED_LIST_RE.search(body)  # 指…提出的“红色引领、…、紫色善治”七个方面: the quoted list
    if listed and len(_split_outside_brackets(listed.group(1))) in wanted:
        body, start = listed.group(1), start + listed.start(1)
    pieces = _trimmed(_first_without_lead([_without_lead(*p) for p in _pieces(body, start, *wanted)]))
    if len(pieces) < 2 or len(pieces) not in wanted or any(len(p[0]) > 15 or p[0].endswith("等") for p in pieces):
        return []
    return [(label, s, e, 1) for label, s, e in pieces]


# Before a part, what is not the part: a quoted sub-term and its 指 (“七有”指幼有所育), or what the
# first part's list is of (诉求办理的响应率, 解决率和满意率: 响应率).
SUBTERM_LEAD_RE = re.compile(r"^[“\"][^”\"]{1,8}[”\"](?:是指|指|即)")
QUOTED_LIST_RE = re.compile(r"“([^“”]{4,80}、[^“”]{1,80})”")


def _without_lead(label: str, s: int, e: int) -> tuple[str, int, int]:
    """A piece without a quoted sub-term's 指 before it (“七有”指幼有所育)."""
    lead = SUBTERM_LEAD_RE.match(label)
    cut = lead.end() if lead else 0
    return label[cut:], s + cut, e


# After a list's last part, what the list is of (…、齐心共治六个方面, …、社会慈善资源五方联动, …、德治
# 相结合的基层治理体系); before a part, when it is done (定期召开支部党员大会, 按时上好党课).
LIST_TAIL_RE = re.compile(
    r"(?:等)?[一二三四五六七八九十两\d]+(?:个|项|类|种|大|方)"
    r"(?:方面|领域|板块|环节|联动|[\u4e00-\u9fff]{0,6}?(?:平台|课程|片区|体系|机制|服务|层级))$"
    r"|(?:相结合|相融合|联动协作|共同参与|协同联动|联动)的[\u4e00-\u9fff]{2,12}$"
)
PART_LEAD_RE = re.compile(r"^(?:定期|按时|按期|经常)(?:召开|上好|开好|举办|开展)(?=[\u4e00-\u9fff]{2})")


def _trimmed(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The pieces without what the list is of after the last, nor when each is done before it."""
    out = []
    for k, (label, s, e) in enumerate(pieces):
        lead = PART_LEAD_RE.match(label)
        if lead:
            label, s = label[lead.end() :], s + lead.end()
        tail = LIST_TAIL_RE.search(label) if k == len(pieces) - 1 and len(pieces) > 1 else None
        if tail and tail.start() >= 1:
            label, e = label[: tail.start()], s + tail.start()
        out.append((label, s, e))
    return out


def _first_without_lead(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The first piece without what the list is of, when the others are short names and it is a
    phrase ending in one (诉求办理的响应率, 解决率和满意率: 响应率)."""
    if len(pieces) < 2 or max(len(p[0]) for p in pieces[1:]) > 4:
        return pieces
    label, s, e = pieces[0]
    of = label.rfind("的")
    if len(label) <= 2 * max(len(p[0]) for p in pieces[1:]) or not 0 < of < len(label) - 2:
        return pieces
    return [(label[of + 1 :], s + of + 1, e), *pieces[1:]]


def _pieces(body: str, start: int, *wanted: int) -> list[tuple[str, int, int]]:
    """``body`` split at 、 , ; (raw, with offsets); the last piece at 和/及 when that makes the
    number wanted (助洁和护理)."""
    pieces: list[tuple[str, int, int]] = []
    pos = 0
    for chunk in _split_outside_brackets(body):
        s = start + pos + (len(chunk) - len(chunk.lstrip()))
        label = chunk.strip()
        pos += len(chunk) + 1
        if not label:
            continue
        # A PDF copy's line break inside a part (read as a space) is no text of it.
        pieces.append((re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", label), s, s + len(label)))
    if pieces and len(pieces) + 1 in wanted:  # the last two joined by 和: 助洁和护理
        label, s, _e = pieces[-1]
        m = LAST_AND_RE.match(label)
        if m:
            pieces[-1:] = [(m.group(1), s, s + m.end(1)), (m.group(2), s + m.start(2), s + m.end(2))]
    return pieces


ASIDE_END_RE = re.compile(r"[(（][^()（）]*[)）]$")


def _split_outside_brackets(body: str) -> list[str]:
    """``body`` split at each separator (PART_SEP) outside brackets: “3”个服务层级(街道、社区、楼宇)
    is one piece."""
    chunks, depth, last = [], 0, 0
    for i, c in enumerate(body):
        depth += (c in "(（") - (c in ")）")
        if depth <= 0 and PART_SEP.match(c):
            chunks.append(body[last:i])
            last, depth = i + 1, 0
    return [*chunks, body[last:]]


def _numbers(term: str) -> list[str]:
    """A numeric shorthand's numbers: 1+3+N → 1, 3, N; 4321 → 4, 3, 2, 1."""
    return term.split("+") if "+" in term else list(term)


def _counted(numbers: list[str], pieces: list[tuple[str, int, int]]) -> list[Part]:
    """A numeric shorthand's parts: the k-th piece opens with the term's k-th number (1个…,
    三个…, N个…); what follows is the part, counting that number (none for N or X)."""
    if len(pieces) != len(numbers):
        return []
    out: list[Part] = []
    for (written, s, _e), number in zip(pieces, numbers, strict=True):
        raw = ASIDE_END_RE.sub("", written)  # “3”个服务层级(街道、社区、楼宇): the part, not its aside
        m = COUNTED_RE.match(raw)
        if m is None:
            return []
        said = m.group(1)
        count = int(said) if said.isdigit() else cn_to_int(said)
        if count != int(number) if number.isdigit() else said.upper() != number.upper():
            return []
        label = m.group(2).lstrip(" 的")
        if len(label) < 2 or label.endswith("等"):
            return []
        out.append((label, s + len(raw) - len(label), s + len(raw), count))
    return out


# In a note of a numeric shorthand, each number quoted and what it stands for: “1”指以党建引领为核心,
# “3”指民生服务、城市管理、平安建设三项重点任务,“N”指若干个社区特色服务品牌 (or “1”即社区党委).
NOTE_PART_RE = re.compile(r"[“\"]\s*([0-9]+|[NnXx])\s*[”\"](?:(?:是|即)?指|即|是)([^,，;；。]{2,40})")


def note_parts(note: Note, text: str) -> list[Part]:
    """The parts a glossary note of a numeric shorthand gives, each after its number quoted
    (“1”指…,“3”指…,“N”指…) or listed after 指 as an inline definition lists them (指1个…、3个…);
    none unless every number of the term is there, in order. A shorthand in words (三张清单:即需求
    清单、资源清单、项目清单) lists them as the text would (:func:`_parts`), in its first sentence or
    that sentence's first clause (指…化解一批、…、…化解一批,推动…)."""
    body = text[note.def_start : note.def_end]
    if not NUMERIC_RE.fullmatch(note.term):
        lead = re.match(r"\s*(?:是指|指|即)?\s*", body)
        skip = lead.end() if lead else 0
        first = re.split(r"[。\n]", body[skip:], maxsplit=1)[0].rstrip(" .")
        start = note.def_start + skip
        return _parts(note.term, first, start) or _parts(note.term, re.split(r"[,，]", first, maxsplit=1)[0], start)
    numbers = _numbers(note.term)
    said = list(NOTE_PART_RE.finditer(body))
    if [m.group(1).upper() for m in said] == [n.upper() for n in numbers]:
        out: list[Part] = []
        for m, number in zip(said, numbers, strict=True):
            raw = m.group(2).strip()
            count = re.match(rf"{re.escape(number)}(?:个|名|支|项|家|类|大|条|座)(?=..)", raw)  # “6”指6个片区党总支
            cut = count.end() if count else 0
            start = note.def_start + m.start(2) + cut
            label = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", raw[cut:])  # a PDF copy's wrap
            out.append((label, start, start + len(raw) - cut, int(number) if number.isdigit() else None))
        return out
    lead = re.match(r"\s*(?:是指|指|即)?\s*", body)  # 指1个企业服务中心、…: a digit may follow 指
    skip = lead.end() if lead else 0
    first = body[skip:].split("。")[0]
    return _parts(note.term, first.rstrip(" ."), note.def_start + skip)
