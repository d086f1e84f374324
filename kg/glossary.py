"""Glossary look-ups for new staff: define and search, on the compact index only.

Imports nothing heavy: ``kg define`` and ``kg search`` must start about as
fast as a bare click program (see benchmarks/).
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from kg import english
from kg.errors import ArtifactError, KGError
from kg.text import edit_distance, normalise

NOTES_DIR = "notes"  # per term noted in several reports, each report's words (written by kg.index)

MAX_QUERY = 200  # characters; a longer "query" is a paste of text (use annotate)


class UnknownTerm(KGError):
    """No glossary entry has this label; carries suggestions."""

    def __init__(self, term: str, suggestions: list[str]) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no glossary entry for '{term}'.{hint}")
        self.suggestions = suggestions


class BadQuery(KGError):
    """An empty, too long or binary search query."""


def fold(text: str) -> str:
    """Search form: NFKC, no whitespace, lower case, tone marks removed (ü kept as v)."""
    decomposed = unicodedata.normalize("NFD", normalise(text).lower()).replace("u\u0308", "v")
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


@dataclass
class Hit:
    term: dict[str, Any]
    score: float
    matched_on: str

    def to_json(self) -> dict[str, Any]:
        t = self.term
        return {
            "iri": t["iri"],
            "label": t["label"],
            "pinyin": t["pinyin"],
            "score": round(self.score, 2),
            "matched_on": self.matched_on,
        }


STATUS_TEXT = {
    "curated": "",
    "candidate": "candidate — not yet curated (found automatically in the report)",
    "uncurated": "official note of its report — English and editorial text not yet curated",
}


def curation_status(t: dict[str, Any]) -> str:
    """``curated``, ``candidate`` (found automatically) or ``uncurated`` (an official note nobody curated yet)."""
    if t["type"] == "candidate":
        return "candidate"
    return "curated" if t["label"].get("en") else "uncurated"


# What a mention says in ``kg define --json``: where in which report, the sentence, the offsets.
MENTION_KEYS = ("report", "part", "section", "initiative", "quote", "start", "end")


def page_of(items: list[Any], offset: int, limit: int | None) -> list[Any]:
    """``limit`` items from ``offset`` (all from there when ``limit`` is None)."""
    return items[offset:] if limit is None else items[offset : offset + limit]


def _read_page(path: Path, offset: int, limit: int | None) -> list[dict[str, Any]]:
    """Mentions ``offset`` to ``offset + limit`` of a mentions file written one per line."""
    if offset >= sys.maxsize:  # past any file's end (islice takes no larger index)
        return []
    try:
        with path.open(encoding="utf-8") as f:
            if f.readline().strip() != "[":  # "[]", or a file of an older build: read it whole
                f.seek(0)
                return page_of(json.load(f), offset, limit)
            stop = None if limit is None else min(offset + limit, sys.maxsize)
            lines = itertools.islice(f, offset, stop)
            return [json.loads(line.rstrip().rstrip(",")) for line in lines if line.strip() != "]"]
    except FileNotFoundError:
        raise ArtifactError(f"{path} is missing (run `kg build`)") from None


_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace


def load_by_items(text: str) -> dict[str, Any]:
    """``json.loads`` of an object whose values are arrays, one array item at a time.

    The same result and the same refusals, but the C decoder is called once per
    item, not once for the whole text, so another thread may run between items.
    The server reads the pages' report index (134 MB at 1,000 reports) in a
    background thread, and one ``json.loads`` of it held the interpreter for
    seconds while requests waited (term look-ups had a p99 of 1.65 s in the
    first seconds). A text that is not an object is decoded whole.
    """
    decoder = json.JSONDecoder()

    def skip(at: int) -> int:
        return _SPACE.match(text, at).end()  # type: ignore[union-attr]

    pos = skip(0)
    if not text.startswith("{", pos):
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return data

    def separated(at: int, close: str, one: Callable[[int], int]) -> int:
        """Read ``one`` element after another, separated by commas, up to ``close``; past it."""
        at = skip(at)
        if text.startswith(close, at):
            return at + 1
        while True:
            at = skip(one(at))
            if not text.startswith(",", at):
                break
            at = skip(at + 1)
        if not text.startswith(close, at):
            raise ValueError(f"',' or '{close}' expected at {at}")
        return at + 1

    out: dict[str, Any] = {}

    def member(at: int) -> int:
        if not text.startswith('"', at):
            raise ValueError(f"a string key expected at {at}")
        key, at = decoder.raw_decode(text, at)
        at = skip(at)
        if not text.startswith(":", at):
            raise ValueError(f"':' expected at {at}")
        at = skip(at + 1)
        if not text.startswith("[", at):
            out[key], at = decoder.raw_decode(text, at)
            return at
        items: list[Any] = []

        def item(at: int) -> int:
            value, at = decoder.raw_decode(text, at)
            items.append(value)
            return int(at)

        at = separated(at + 1, "]", item)
        out[key] = items
        return at

    pos = separated(pos + 1, "}", member) - 1
    if skip(pos + 1) != len(text):
        raise ValueError(f"extra data at {pos + 1}")
    return out


class Glossary:
    """The glossary index of a build, with look-ups."""

    def __init__(self, data: dict[str, Any], extra_path: Path | None = None) -> None:
        self.data = data
        self.extra_path = extra_path
        self.terms: list[dict[str, Any]] = data["terms"]
        self.by_iri = {t["iri"]: t for t in self.terms}
        self.dimensions = {d["iri"]: d for d in data["dimensions"]}
        self.variants: dict[str, str] = data.get("variants", {})

    @classmethod
    def load(cls, dist: Path) -> Glossary:
        """Read ``dist/index.json``; say to run ``kg build`` when it is missing."""
        path = dist / "index.json"
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")), dist / "index-reports.json")
        except FileNotFoundError:
            raise ArtifactError(f"no glossary index in {dist}/ (run `kg build`)") from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # damaged, or not a build's
            raise ArtifactError(f"{path} is unreadable ({exc}); run `kg build` again") from None

    @cached_property
    def _extra(self) -> dict[str, Any]:
        if self.extra_path is None:
            return {}
        try:
            return load_by_items(self.extra_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ArtifactError(f"{self.extra_path} is missing (run `kg build`)") from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ArtifactError(f"{self.extra_path} is unreadable ({exc}); run `kg build` again") from None

    def mentions(self, t: dict[str, Any], offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        """A term's mentions (``limit`` of them from ``offset``, or all), from its own file.

        A page is read line by line (the build writes one mention per line) and not
        kept: a server pages through a corpus's mentions without holding them.
        """
        if "mentions" in t:  # an index built in memory
            return page_of(list(t["mentions"]), offset, limit)
        if self.extra_path is None:
            return []
        # Not kept: a server reading every term's would hold a corpus's mentions.
        return _read_page(self.extra_path.parent / "mentions" / f"{t['slug']}.json", offset, limit)

    def notes(self, t: dict[str, Any]) -> list[dict[str, Any]]:
        """Each report's note defining a term (``{report, number, definition}``), from its own file."""
        if "notes" in t:  # an index built in memory (or of an older build)
            return list(t["notes"])
        if self.extra_path is None:
            return []
        path = self.extra_path.parent / NOTES_DIR / f"{t['slug']}.json"
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:  # noted in no report
            return []
        except ValueError as exc:
            raise ArtifactError(f"{path} is unreadable ({exc}); run `kg build` again") from None
        return list(found) if isinstance(found, list) else []

    def mention_count(self, t: dict[str, Any]) -> int:
        """How many mentions a term has, without reading them."""
        if "mentions" in t:
            return len(t["mentions"])
        count = t.get("mention_count")
        return int(count) if count is not None else len(self.mentions(t))

    def section(self, name: str) -> list[dict[str, Any]]:
        """``reports``, ``quantities`` or ``entities``: read from the second index file on first use."""
        if name in self.data:
            return list(self.data[name])
        return list(self._extra.get(name, []))

    # -- keys -------------------------------------------------------------
    def simplify(self, text: str) -> str:
        """Map traditional characters the glossary knows to simplified ones."""
        return "".join(self.variants.get(c, c) for c in text)

    @cached_property
    def _keys(self) -> list[tuple[dict[str, Any], list[tuple[str, str]]]]:
        """Per term: (folded key, what it is) pairs to match a query against."""
        out = []
        for t in self.terms:
            # Labels as a report writes them, traditional too (兩委), found as simplified queries are.
            keys = [(fold(self.simplify(t["label"]["zh"] or "")), "label")]
            keys += [(fold(self.simplify(a)), "alt_label") for a in t["alt_labels"]["zh"]]
            if t["label"]["en"]:
                keys.append((fold(t["label"]["en"]), "english"))
            keys += [(fold(a), "english") for a in t["alt_labels"]["en"]]
            for s in t["search"]:
                kind = "pinyin" if " " in s or len(s) > len(t["label"]["zh"] or "") else "initials"
                keys.append((fold(s), kind))
            # A part named only in the term's note (定力 of 五个力) finds the term it belongs to.
            for c in t["components"]:
                zh, en, pinyin = _component_keys(c)
                keys += [(zh, "component"), (pinyin, "component"), (en, "component_en")]
            out.append((t, [k for k in keys if k[0]]))
        return out

    @cached_property
    def _search_keys(self) -> list[tuple[dict[str, Any], list[tuple[str, str]]]]:
        """The keys search matches: a term's (:attr:`_keys`), and the last syllables of its name,
        two at least (liu xin of chang le liu xin: what a user remembers of a brand; a syllable's
        letters never start a match inside another's). Apart, so that `kg define` builds none."""
        out = []
        for t, keys in self._keys:
            tails = [
                (fold(" ".join(syllables[k:])), "pinyin_tail")
                for s in t["search"]
                if len(syllables := s.split()) > 2
                for k in range(1, len(syllables) - 1)
            ]
            out.append((t, keys + tails))
        return out

    @cached_property
    def _english(self) -> dict[str, english.Fields]:
        return {t["iri"]: english.fields(t) for t in self.terms}

    # -- define -----------------------------------------------------------
    def find(self, term: str) -> dict[str, Any]:
        """The entry whose label, alt label, English label or pinyin is ``term``."""
        if not term.strip():
            raise BadQuery("empty term")
        if len(term) > MAX_QUERY:
            raise BadQuery(f"term too long ({len(term)} characters, at most {MAX_QUERY}); use `kg annotate` for text")
        q = fold(self.simplify(term))
        if q != fold(term):  # 六亂 as written names the term labelled so, before 六乱's
            written = fold(term)
            for t in self.terms:
                if fold(t["label"]["zh"] or "") == written:
                    return t
        # Pinyin with tone numbers (san1 hui4 yi1 dai4 li3) and initials (shydl) name a term as search finds it.
        forms = {q, _without_tone_numbers(q)}
        for kinds in (("label",), ("alt_label", "english", "pinyin")):
            for t, keys in self._keys:
                if any(k in forms and kind in kinds for k, kind in keys):
                    return t
        by_initials = [t for t, keys in self._keys if any(k in forms and kind == "initials" for k, kind in keys)]
        if len(by_initials) == 1:  # initials shared by several terms name none of them
            return by_initials[0]
        raise UnknownTerm(term, [t["label"]["zh"] for t in by_initials] or self.suggest(term))

    def suggest(self, term: str, limit: int = 5) -> list[str]:
        """Up to ``limit`` labels close to ``term``: search hits, else shared characters."""
        try:
            hits = [h.term["label"]["zh"] for h in self.search(term, limit=limit)]
        except BadQuery:
            return []
        if hits:
            return hits
        q = set(fold(self.simplify(term)))
        scored = []
        for t in self.terms:
            label = fold(t["label"]["zh"] or "")
            shared = len(q & set(label))
            if shared >= 2 or (shared and len(label) <= 2):
                scored.append((-shared / max(len(q | set(label)), 1), label, t["label"]["zh"]))
        return [s[2] for s in sorted(scored)[:limit]]

    def define(self, term: str, offset: int = 0, limit: int | None = None) -> dict[str, Any]:
        """The full entry in the documented JSON shape of ``kg define --json``.

        A component that has no entry of its own (定力 of 五个力) answers with its
        parent term and the note's words for it.
        """
        try:
            return self.entry(self.find(term), offset, limit)
        except UnknownTerm:
            found = self.component(term)
            if found is None:
                raise
            return found

    def component(self, term: str) -> dict[str, Any] | None:
        """The define-shaped answer for a component: by its label (定力) or the note's name for it (一城, 三指).

        ``part_of`` names the parent term; a name shared by several components (三指) lists them all.
        """
        q = fold(self.simplify(term))
        if not q:
            return None
        for t in self.terms:
            by_label = [c for c in t["components"] if q in _component_keys(c)]  # an empty key is never q
            by_name = [
                c
                for c in t["components"]
                if c["qualifier"] and q in (fold(c["qualifier"]["zh"] or ""), fold(c.get("qualifier_pinyin") or ""))
            ]
            hits = by_label or by_name
            if not hits:
                continue
            parent = self.entry(t, 0, 0)  # its mentions are the parent's, not the component's
            first = hits[0]
            if by_label:
                label, pinyin = first["label"], first.get("pinyin")
                qualifier = first["qualifier"] or {"zh": None, "en": None}
                definition = {"zh": qualifier.get("zh"), "en": qualifier.get("en")}
            else:
                label = {"zh": first["qualifier"]["zh"], "en": first["qualifier"]["en"]}
                pinyin = first.get("qualifier_pinyin")
                definition = {
                    "zh": "、".join(c["label"]["zh"] for c in hits),
                    "en": "; ".join(c["label"]["en"] or c["label"]["zh"] for c in hits),
                }
            return {
                **parent,
                "iri": f"{t['iri']}/component-{first['order']}",
                "label": label,
                "pinyin": pinyin,
                "alt_labels": {"zh": [], "en": []},
                "type": "component",
                "note": parent["note"],
                "definition": definition,
                "components": [],
                "related": [],
                "mentions": [],
                "mentions_total": 0,
                "mentions_offset": 0,
                "part_of": {
                    "iri": t["iri"],
                    "label": t["label"],
                    "order": first["order"],
                    "orders": [c["order"] for c in hits],
                    "count": None if any(c["count"] is None for c in hits) else sum(c["count"] for c in hits),
                    "definition": parent["definition"],
                },
            }
        return None

    def entry(self, t: dict[str, Any], offset: int = 0, limit: int | None = None) -> dict[str, Any]:
        """One index term in the documented JSON shape, with ``limit`` of its mentions from ``offset`` (or all).

        ``mentions_total`` counts them all, so a client knows whether there is more.
        """
        return {
            "iri": t["iri"],
            "label": t["label"],
            "pinyin": t["pinyin"],
            "alt_labels": t["alt_labels"],
            "type": t["type"],
            "note": t["note"],
            "notes": self.notes(t),
            "definition": t["definition"],
            "definition_source": t["definition_source"],
            "status": curation_status(t),
            "components": [
                {"order": c["order"], "label": c["label"], "count": c["count"], "qualifier": c["qualifier"]}
                for c in t["components"]
            ],
            "related": [{"iri": r, "label": self.by_iri[r]["label"]} for r in t["related"] if r in self.by_iri],
            "dimensions": [
                {"iri": d, "label": self.dimensions[d]["label"], "colour": self.dimensions[d]["colour"]}
                for d in sorted(t["dimensions"], key=lambda d: self.dimensions.get(d, {}).get("order") or 0)
                if d in self.dimensions
            ],
            "mentions": [{k: m.get(k) for k in MENTION_KEYS} for m in self.mentions(t, offset, limit)],
            "mentions_total": self.mention_count(t),
            "mentions_offset": offset,
        }

    # -- search -----------------------------------------------------------
    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """Ranked matches over characters, pinyin (any tones/spaces), initials, English and typos."""
        if "\x00" in query or any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in query):
            raise BadQuery("the query contains control characters (binary input?)")
        if not query.strip():
            raise BadQuery("empty query")
        if len(query) > MAX_QUERY:
            raise BadQuery(f"query too long ({len(query)} characters, at most {MAX_QUERY}); use `kg annotate` for text")
        q = fold(self.simplify(query))
        if not q:
            raise BadQuery("empty query")
        # Full-width letters (ＦＩＶＥ ＦＯＲＣＥＳ) are letters: English is matched on the NFKC form.
        query = unicodedata.normalize("NFKC", query)
        # Pinyin typed with tone numbers (san1 hui4, lv4): matched without them as well.
        forms = [q, *([detoned] if (detoned := _without_tone_numbers(q)) != q else [])]
        # English words in any order ("forces five"), each matched after folding.
        latin = bool(re.search(r"[A-Za-z]", query))
        hits: list[Hit] = []
        for t, keys in self._search_keys:
            best: tuple[float, str] = (0.0, "")
            for key, kind in keys:
                if kind == "english" or (kind == "component_en" and not latin):
                    continue  # a term's English is matched word by word below
                score = max(_score(form, key, kind) for form in forms)
                if score > best[0]:
                    best = (score, {"component_en": "component", "pinyin_tail": "pinyin"}.get(kind, kind))
            if latin:
                en_score = english.score(query, self._english[t["iri"]])
                if en_score[0] > best[0]:
                    best = en_score
            if best[0] < 30 and not latin:  # Latin text is matched word by word (above): not "dingli" in "adding lifts"
                definition = fold((t["definition"]["zh"] or "") + (t["definition"]["en"] or ""))
                if len(q) >= 2 and q in definition:
                    best = (25.0, "definition")
            if best[0] > 0:
                hits.append(Hit(t, best[0], best[1]))
        hits.sort(key=lambda h: (-h.score, len(h.term["label"]["zh"] or ""), h.term["iri"]))
        return hits[:limit]


# Folded pinyin with a tone number after each syllable that has one: san1hui4, lv4se4, zhong1xin.
# Each letter run is followed by a digit or ends the text, so the match never backtracks (nested
# optional repeats did: 28 letters with no digit took seconds, on the server's event loop).
_TONE_NUMBERED = re.compile(r"(?:[a-z]+[1-5])+[a-z]*")


def _component_keys(c: dict[str, Any]) -> tuple[str, str, str]:
    """A component's folded label in zh and in en and its pinyin (ding li → dingli); "" for one it lacks."""
    return fold(c["label"]["zh"] or ""), fold(c["label"]["en"] or ""), fold(c.get("pinyin") or "")


def _without_tone_numbers(q: str) -> str:
    """``san1hui4`` → ``sanhui``; anything else (12345, 1+4+27+47, 三会) as it is."""
    return re.sub(r"[1-5]", "", q) if _TONE_NUMBERED.fullmatch(q) else q


# An exact match of each kind of key: a term's own names first, a part named in its note after.
BASE_SCORES = {
    "label": 100,
    "alt_label": 96,
    "pinyin": 94,
    "english": 92,
    "initials": 90,
    "component": 88,
    "pinyin_tail": 72,  # 六心 of 长乐六心 by liu xin: below a part's name (dingli of 五个力's 定力)
    "component_en": 86,
}


def _score(q: str, key: str, kind: str) -> float:
    """How well folded query ``q`` matches folded ``key``; 0 for no match."""
    base = BASE_SCORES[kind]
    if q == key:
        return base
    if kind == "initials" and len(q) < 2:
        return 0
    if key.startswith(q):
        return base - 20 + 10 * len(q) / len(key)
    if kind in ("component", "component_en") and len(q) < 2:
        return 0
    if kind in ("label", "alt_label", "english") and q in key:
        return base - 35 + 10 * len(q) / len(key)
    limit = 1 if len(q) <= 5 else 2
    if kind == "pinyin_tail":
        return 0  # a name's last syllables as they are or their start, no typo forgiven (taxi is not 体系)
    if kind in ("pinyin", "english") and len(q) < 5:
        return 0  # typos are forgiven only in longer words: "fire" is not "five", "meal" not "meili"
    if len(q) >= 3 or (kind in ("label", "alt_label") and len(q) >= 2):
        d = edit_distance(q, key, limit)
        if d <= limit:
            return base - 50 - 5 * d
        if kind in ("pinyin", "english") and len(key) > len(q):
            d = edit_distance(q, key[: len(q)], limit)
            if d <= limit and len(q) >= 4:
                return base - 60 - 5 * d
    return 0
