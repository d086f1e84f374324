"""Chinese text normalisation with a map back to the original offsets.

Everything that compares or searches text does it on the NFKC form with all
whitespace removed (the report mixes full- and half-width characters and has
stray spaces such as ``20 21 年``).  Offsets stored in the graph always point
into the *raw* source text, so the map from normalised to raw positions is
kept alongside the normalised string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Punctuation that ends a sentence in the genre.
SENTENCE_END = "\u3002!?;\uff01\uff1f\uff1b"  # 。 ! ? ; and full-width ！？；


# Invisible characters web copies carry inside words (zero-width space and joiners, word joiner,
# byte-order mark, soft hyphen): removed like white space, so 五\u200b个力 is 五个力.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def normalise(text: str) -> str:
    """Return ``text`` in NFKC form with every whitespace and invisible character removed."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace() and ch not in INVISIBLE)


# White space kept in a label as written: one space between two Latin words (南头古城(Nantou Ancient
# City), “Young 南码头”), where the genre's stray spaces (20 21 年, 五 个 力) are not.
_WORD_SPACE_RE = re.compile(r"(?<=[A-Za-z])\s+(?=[A-Za-z])|(?<=[A-Za-z])\s+(?=\d)")


def written(text: str) -> str:
    """``text`` as a label shows it: NFKC, white space and invisible characters removed, but for one
    space between two Latin words. ``normalise`` of the result is ``normalise(text)``."""
    nfkc = unicodedata.normalize("NFKC", text).strip()
    out: list[str] = []
    at = 0
    for m in _WORD_SPACE_RE.finditer(nfkc):
        out.append(normalise(nfkc[at : m.start()]))
        out.append(" ")
        at = m.end()
    out.append(normalise(nfkc[at:]))
    return "".join(out)


def _segments(raw: str) -> list[tuple[int, int, str]]:
    """``raw`` cut into pieces that normalise on their own: (start, end, NFKC form), the forms
    making NFKC of the whole.

    Nearly always one character a piece. Otherwise a piece is a starter with the marks after it
    (combining marks, conjoining Hangul vowels and finals), joined with the piece before when the
    two compose (Hangul syllable and final, some Indic vowel signs): character by character, "M"
    and U+0307 gave two characters where the whole text has one.
    """
    pieces = [(i, i + 1, unicodedata.normalize("NFKC", ch)) for i, ch in enumerate(raw)]
    whole = unicodedata.normalize("NFKC", raw)
    if "".join(p for _lo, _hi, p in pieces) == whole:
        return pieces
    clusters: list[tuple[int, int]] = []
    for i, ch in enumerate(raw):
        if clusters and (unicodedata.combining(ch) or "\u1160" <= ch <= "\u11ff"):
            clusters[-1] = (clusters[-1][0], i + 1)
        else:
            clusters.append((i, i + 1))
    merged: list[tuple[int, int, str]] = []
    for lo, hi in clusters:
        normal = unicodedata.normalize("NFKC", raw[lo:hi])
        if merged:
            start, _end, before = merged[-1]
            joined = unicodedata.normalize("NFKC", raw[start:hi])
            if joined != before + normal:
                merged[-1] = (start, hi, joined)
                continue
        merged.append((lo, hi, normal))
    if "".join(p for _lo, _hi, p in merged) == whole:
        return merged
    return [(0, len(raw), whole)]  # no cut found (never seen): the whole text is one piece


@dataclass(frozen=True)
class NormText:
    """A normalised view of a slice of raw text.

    ``norm[i]`` comes from the raw characters ``raw[starts[i]:ends[i]]``;
    positions are absolute offsets into the full source text.
    """

    norm: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, raw: str, offset: int = 0) -> NormText:
        """Normalise ``raw`` (which starts at ``offset`` in its source)."""
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for lo, hi, normal in _segments(raw):
            for out in normal:
                if out.isspace() or out in INVISIBLE:
                    continue
                chars.append(out)
                starts.append(offset + lo)
                ends.append(offset + hi)
        return cls("".join(chars), tuple(starts), tuple(ends))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised half-open span ``[start, end)`` to raw offsets."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the raw span of the sentence around ``[start, end)``.

    A sentence runs from after the previous sentence end (or line start) to
    and including the next sentence end (or line end).
    """
    lo = start
    while lo > 0 and text[lo - 1] not in SENTENCE_END and text[lo - 1] != "\n":
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] != "\n":
        hi += 1
        if text[hi - 1] in SENTENCE_END:
            break
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def width(text: str) -> int:
    """Terminal columns: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    return text + " " * max(columns - width(text), 0)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]
