"""Pinyin for labels and slugs (build time only: pypinyin is slow to import)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from kg.vocab import slugify

# The syllables of texts met before, by (tones, text): a build's cache keeps those the build
# used for the next build (kg.cache_files.keep_pinyin), so that a rebuild whose labels are all
# known never imports pypinyin (its dictionaries take 0.2-0.5 s to load).
_known: dict[tuple[bool, str], tuple[str, ...]] = {}
_used: dict[tuple[bool, str], tuple[str, ...]] = {}  # looked up since the last used(clear=True)


def syllables(text: str, tones: bool = True) -> list[str]:
    """Pinyin syllables of ``text``; runs of non-Chinese characters stay whole."""
    key = (tones, text)
    known = _known.get(key)
    if known is None:
        from pypinyin import Style, lazy_pinyin

        style = Style.TONE if tones else Style.NORMAL
        out: list[str] = []
        for chunk in lazy_pinyin(text, style=style, errors="default", v_to_u=True):
            chunk = chunk.strip()
            if chunk and not all(unicodedata.category(c).startswith("P") for c in chunk):
                out.append(chunk)
        known = _known[key] = tuple(out)
    _used[key] = known
    return list(known)


def remember(known: Mapping[str, Sequence[str]], used: bool = False) -> None:
    """Take syllables worked out elsewhere (:func:`used`'s form) as known; ``used``: as used
    here too (what a worker process looked up for this build)."""
    for key, value in known.items():
        if key[:1] in ("0", "1") and isinstance(value, list | tuple):
            entry = (key[0] == "1", key[1:])
            _known[entry] = tuple(str(v) for v in value)
            if used:
                _used[entry] = _known[entry]


def used(clear: bool = False) -> dict[str, list[str]]:
    """The syllables looked up since the last ``clear``, keyed ``"1" + text`` with tones and
    ``"0" + text`` without (``clear``: then start afresh)."""
    out = {f"{int(tones)}{text}": list(value) for (tones, text), value in _used.items()}
    if clear:
        _used.clear()
    return out


def toned(text: str) -> str:
    """``三会一代理`` → ``sān huì yī dài lǐ``."""
    return " ".join(syllables(text, tones=True))


def strip_tones(pinyin: str) -> str:
    """``sān huì`` → ``san hui`` (ü stays ü → written as v in slugs)."""
    decomposed = unicodedata.normalize("NFD", pinyin)
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" or c == "\u0308")
    return unicodedata.normalize("NFC", plain)


def slug(text: str) -> str:
    """A readable ASCII slug from pinyin: ``三会一代理`` → ``san-hui-yi-dai-li``."""
    return slugify("-".join(s.replace("ü", "v") for s in syllables(text, tones=False))) or "x"


TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}


def collation_key(pinyin: str, zh: str) -> tuple[str, tuple[int, ...], str]:
    """Glossary order: toneless pinyin (syllable by syllable), then tones, then the characters.

    ``sān gè shí yǒu`` (三个实有平台) sorts before ``sì fēng`` (四风) because san < si,
    whatever the accented letters' code points say.
    """
    syllables_ = pinyin.lower().split()
    plain = " ".join(strip_tones(s).replace("ü", "v") for s in syllables_)
    tones = []
    for s in syllables_:
        marks = [TONE_MARKS[c] for c in unicodedata.normalize("NFD", s) if c in TONE_MARKS]
        tones.append(marks[0] if marks else 5)
    return plain, tuple(tones), zh
