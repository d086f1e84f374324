"""Reports written in traditional characters: read as simplified, labelled as written.

A report copied from a government site's 繁體 version (營盤街道…工作報告) says 回顧, 億元, 達到,
名詞解釋: every structure word, unit and label pattern of the parser is written in simplified
characters and would miss them. Such a text is parsed as its simplified twin, made character
for character (the same length, so every offset holds for both), and every string of the parse
is then taken back to the report's own characters: a label, title or term shows 營盤, not 营盘.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.parsing.model import Report
from kg.text import normalise

# Common characters that only traditional writing uses, and their simplified forms: a cheap first
# look before the whole table is read (tests check both against the table).
COMMON_TRADITIONAL = "們這個區發會為爲國經與說進對時實現開關業務員辦體動來產設計題報導黨組織幹達機構總應區當選幾"
COMMON_SIMPLIFIED = "们这个区发会为为国经与说进对时实现开关业务员办体动来产设计题报导党组织干达机构总应区当选几"


@lru_cache(maxsize=1)
def readings() -> dict[str, list[str]]:
    """Traditional character → its simplified readings, as OpenCC's character table lists them
    (乾 → 干, 乾; 於 → 于, 於)."""
    spec = importlib.util.find_spec("opencc")
    if spec is None or spec.origin is None:  # a dependency; without it no text reads as traditional
        return {}
    table = Path(spec.origin).parent / "dictionary" / "TSCharacters.txt"
    out: dict[str, list[str]] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        trad, _, simps = line.partition("\t")
        if len(trad) == 1 and simps.split():
            out[trad] = simps.split()
    return out


@lru_cache(maxsize=1)
def to_simplified() -> dict[str, str]:
    """Traditional → simplified, one character for one (the first reading: 乾 → 干, 於 → 于),
    for the characters that differ."""
    return {t: s[0] for t, s in readings().items() if len(s[0]) == 1 and s[0] != t}


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in traditional characters: common traditional-only characters
    at least 20 times and three times as often as their simplified forms (a simplified report
    quoting a name in traditional characters is not)."""
    counts = Counter(ch for ch in text if ch in _COMMON)
    trad = sum(counts[c] for c in set(COMMON_TRADITIONAL))
    simp = sum(counts[c] for c in set(COMMON_SIMPLIFIED) - set(COMMON_TRADITIONAL))
    return trad >= 20 and trad > 3 * simp


_COMMON = frozenset(COMMON_TRADITIONAL + COMMON_SIMPLIFIED)


def simplified(text: str) -> str:
    """``text`` with each traditional character replaced by its simplified form (the same length)."""
    return text.translate(_table())


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    return str.maketrans(to_simplified())


def with_simplified(labels: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, key) pairs, and for a label with traditional characters (a term a report in
    traditional characters quotes, 六亂) its simplified form too: mentions are looked up in such a
    report's simplified twin."""
    known = {label for label, _key in labels}  # 六乱 of a simplified report is its own term, not 六亂's
    return labels + [(s, key) for label, key in labels if (s := label.translate(_table())) != label and s not in known]


class _Back:
    """Takes strings of the simplified twin back to the characters of the text as written."""

    def __init__(self, written: str, twin: str) -> None:
        self.raw = (twin, written)
        norm_twin, norm_written = normalise(twin), normalise(written)
        self.norm = (norm_twin, norm_written) if len(norm_twin) == len(norm_written) else None
        votes: dict[str, Counter[str]] = {}
        for w, t in zip(written, twin, strict=True):
            if w != t:
                votes.setdefault(t, Counter())[w] += 1
        # For a string made of pieces (a label with (累计) after it): each character as the text
        # mostly writes it (后 as 後, unless the report writes 皇后 more often).
        self.char = {t: c.most_common(1)[0][0] for t, c in votes.items()}

    def __call__(self, s: str) -> str:
        if not any(ch in self.char for ch in s):
            return s
        for twin, written in (self.raw, self.norm or ("", "")):
            at = twin.find(s)
            if at >= 0:
                return written[at : at + len(s)]
        out: list[str] = []
        i = 0
        while i < len(s):
            j = self._longest(s, i)
            out.append(j[1] if j else self.char.get(s[i], s[i]))
            i = j[0] if j else i + 1
        return "".join(out)

    def _longest(self, s: str, i: int) -> tuple[int, str] | None:
        """The longest piece of ``s`` from ``i`` (two characters or more, at most 40) the
        normalised twin holds, with where it ends and its written form."""
        if self.norm is None:
            return None
        twin, written = self.norm
        for j in range(min(len(s), i + 40), i + 1, -1):
            at = twin.find(s[i:j])
            if at >= 0:
                return j, written[at : at + j - i]
        return None


def _unit_as_written(unit: str, raw: str, written_raw: str, back: _Back) -> str:
    at = raw.rfind(unit) if unit else -1
    if at >= 0 and len(raw) == len(written_raw):
        return written_raw[at : at + len(unit)]
    return back(unit) if unit else unit


def _restore(value: Any, back: _Back) -> Any:
    if isinstance(value, str):
        return back(value)
    if isinstance(value, list):
        return [_restore(v, back) for v in value]
    if isinstance(value, tuple):
        return tuple(_restore(v, back) for v in value)
    if isinstance(value, dict):  # a web copy's fields: the names are the parser's (报告人), the values the text's
        return {k: _restore(v, back) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in dataclasses.fields(value) if f.init]
        changes = {n: _restore(getattr(value, n), back) for n in names if n != "unit"}
        if "unit" in names:
            # A figure's unit is read off its own raw text (３０台): one character looked up alone
            # could be another word's (平臺's 臺 written earlier).
            changes["unit"] = _unit_as_written(
                getattr(value, "unit", ""), getattr(value, "raw", ""), changes.get("raw", ""), back
            )
        return dataclasses.replace(value, **changes)
    return value


def as_written(report: Report, written: str) -> Report:
    """``report``, parsed from the simplified twin of ``written``, with every string in the
    characters ``written`` uses, and ``written`` as its text."""
    twin = report.text
    report.text, report._normalised = "", None  # the whole text is ``written``, not looked up
    out: Report = _restore(report, _Back(written, twin))
    out.text, out.traditional = written, True
    _ = out.normalised  # made now, so that the build cache keeps it with the parse
    return out
