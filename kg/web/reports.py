"""What the pages show of a report: its titles in zh and en, its publisher, its text without web-copy debris."""

from __future__ import annotations

import re
from typing import Any

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
PLACE_KINDS = (("路街道", " Road Subdistrict"), ("街道", " Subdistrict"), ("镇", " Town"), ("乡", " Township"))


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd …"""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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
    where = place_english(place.group(1) if place else None, entities)
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


def without_debris(text: str, header_end: int) -> str:
    """The text with the web-copy lines of its header (index table, date and source lines) left out."""
    head, body = text[:header_end], text[header_end:]
    kept = [line for line in head.split("\n") if not (line.strip() and web_debris(Metadata(), normalise(line)))]
    return "\n".join(kept) + body


def header_end(rep: dict[str, Any]) -> int:
    """Where the report's body starts: the first section (the whole text when it has none)."""
    starts = [sec["start"] for part in rep["parts"] for sec in part["sections"] if sec.get("start") is not None]
    return min(starts) if starts else len(rep.get("text") or "")


__all__ = ["english_title", "header_end", "ordinal", "place_english", "publisher_english", "without_debris"]
