"""What the pages show of a report: its titles in zh and en, its publisher, its text without web-copy debris."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from kg.parsing.header import MEETING_RE, PERIOD_RE, PLACE_RE, web_debris
from kg.parsing.model import Metadata
from kg.parsing.numerals import cn_to_int
from kg.text import normalise

MEETING_PARTS_RE = re.compile(r"第(.{1,4})届(.+?)第(.{1,4})次会议")
BODIES = {
    "社区代表大会": "Community Representatives' Congress",
    "人民代表大会": "People's Congress",
    "职工代表大会": "Workers' Congress",
    "居民代表大会": "Residents' Congress",
}
PLACE_KINDS = (
    *(("路街道", " Road Subdistrict"), ("街道", " Subdistrict"), ("镇", " Town"), ("乡", " Township")),
    *(("社区", " Community"), ("村", " Village"), ("开发区", " Development Zone"), ("高新区", " High-tech Zone")),
    *(("园区", " Park"), ("区", " District"), ("县", " County")),  # 社区, 开发区 before 区
)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd …"""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


CITY_DISTRICT_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,4}?[省市])?(?:[\u4e00-\u9fff]{1,4}?[区區县縣])?(?=[\u4e00-\u9fff]{2,}(?:路街道|街道|镇|乡))"
)


def place_english(place: str | None, entities: list[dict[str, Any]]) -> str:
    """A subdistrict or town in English: a curated entity's label, else its pinyin with the kind of place."""
    if not place:
        return ""
    for e in entities:
        zh = e["label"].get("zh") or ""
        en = e["label"].get("en") or ""
        if en and zh in (place, place + "办事处"):
            return en.removesuffix(" Office")
    from kg.pinyin import syllables

    for zh_kind, en_kind in PLACE_KINDS:
        if place.endswith(zh_kind):
            name = "".join(syllables(place[: -len(zh_kind)], tones=False))
            return name.capitalize() + en_kind
    return "".join(syllables(place, tones=False)).capitalize()


def english_title(rep: dict[str, Any], entities: list[dict[str, Any]]) -> str:
    """The report's English title: curated when the index has one, else rendered from its metadata."""
    curated = rep.get("title_en")
    if curated:
        return str(curated)
    title = normalise(rep.get("title") or "")
    place = PLACE_RE.search(title)
    # 深圳市宝安区新安街道: the subdistrict's name, without its city and district
    name = CITY_DISTRICT_RE.sub("", place.group(1)) if place else None
    where = place_english(name, entities)
    of_place = f" of {where}" if where else ""
    meeting = MEETING_PARTS_RE.search(normalise(rep.get("meeting") or "") or title)
    if meeting and MEETING_RE.search(meeting.group(0)):
        term, body, session = cn_to_int(meeting.group(1)), meeting.group(2), cn_to_int(meeting.group(3))
        body_en = BODIES.get(body)
        if term and session and body_en:
            return f"Report to the {ordinal(session)} Session of the {ordinal(term)} {body_en}{of_place}"
    period = PERIOD_RE.search(title)
    years = (period.group(1) + (f"–{period.group(2)}" if period.group(2) else "")) if period else ""
    return f"Work report{of_place}" + (f", {years}" if years else "")


def publisher_english(rep: dict[str, Any], entities: list[dict[str, Any]]) -> str:
    """The publisher in English (a place-named office is the place's English name)."""
    publisher = rep.get("publisher") or ""
    place = PLACE_RE.search(normalise(publisher))
    if place:
        return place_english(place.group(1), entities)
    for e in entities:
        if e["label"].get("zh") == publisher and e["label"].get("en"):
            return str(e["label"]["en"])
    return publisher


def debris(text: str, header_end: int) -> list[tuple[int, int]]:
    """The spans of the web-copy lines of a report's header (index table, date and source lines)."""
    out, pos = [], 0
    for line in text[:header_end].split("\n"):
        if line.strip() and web_debris(Metadata(), normalise(line)):
            out.append((pos, min(pos + len(line) + 1, header_end)))
        pos += len(line) + 1
    return out


_GAP_RE = re.compile(r"[ \t\u3000]+")


def tidy(text: str, drop: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """``text`` as a page shows it, and the offset in ``text`` of each of its characters: the
    spans ``drop`` left out (footnote markers, a header's web debris), and the spaces a copy left
    between characters (``( 20 21 年 1 月 1 5 日 )``, a line's indentation) but between two
    Latin words (Colourful Nanmatou, the 3rd)."""
    keep = bytearray(b"\x01") * len(text)
    for s, e in drop:
        keep[s:e] = bytes(e - s)
    for m in _GAP_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else "\n"
        after = text[m.end()] if m.end() < len(text) else "\n"
        if ("\t" in m.group() or len(m.group()) > 1) and before not in "\r\n" and after not in "\r\n":
            # A table's cells apart (15.62⇥16.87, 20万㎡    23.4万㎡): one blank stays between them.
            keep[m.start() + 1 : m.end()] = bytes(m.end() - m.start() - 1)
            continue
        # Out beside a Chinese character, inside a number (20 21), inside brackets and at a line's
        # start; kept between Latin words (Report to the 3rd Session, Representatives' Congress).
        if (
            _cjk(before)
            or _cjk(after)
            or (before.isdigit() and after.isdigit())
            or before in "\n([（【“"
            or after in ")]）】”"
        ):
            keep[m.start() : m.end()] = bytes(m.end() - m.start())
    origin = [i for i, k in enumerate(keep) if k]
    return "".join(text[i] for i in origin), origin


def _cjk(ch: str) -> bool:
    """A Chinese character or full-width punctuation (、,。:“” …)."""
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or ch in "“”‘’—…"


class Reading(NamedTuple):
    """What a page needs of a report's text beyond the index: its footnote markers as (start, end,
    note number, the note's term) and its heading lines as (start, end, level: 1 a part, 2 a
    section)."""

    markers: tuple[tuple[int, int, int, str], ...]
    headings: tuple[tuple[int, int, int], ...]


@lru_cache(maxsize=64)
def reading(text: str, slug: str) -> Reading:
    """A report's :class:`Reading`, from its parse (kept for the last pages asked for: a report's
    text is parsed in milliseconds)."""
    from kg.errors import SourceError
    from kg.parsing.report import parse_report

    try:
        report = parse_report(text, slug)
    except SourceError:
        return Reading((), ())
    markers = tuple((m.start, m.end, m.number, m.quote.text) for m in report.markers)
    heads = [(p.start, max(p.title_end, p.start), 1) for p in report.parts]
    heads += [(s.start, max(s.title_end, s.start), 2) for p in report.parts for s in p.sections]
    return Reading(markers, tuple(sorted(h for h in heads if h[1] > h[0])))


def header_end(rep: dict[str, Any]) -> int:
    """Where the report's body starts: the first section (the whole text when it has none)."""
    starts = [sec["start"] for part in rep["parts"] for sec in part["sections"] if sec.get("start") is not None]
    return min(starts) if starts else len(rep.get("text") or "")


__all__ = [
    "Reading",
    "debris",
    "english_title",
    "header_end",
    "ordinal",
    "place_english",
    "publisher_english",
    "reading",
    "tidy",
]
