"""Find known labels in text: longest match wins, overlaps resolved left to right.

Matching runs on the normalised text (NFKC, no whitespace) and reports raw
offsets, so ``text[start:end]`` is the match as written.  No RDF here: the
annotate command uses this on the fast path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.text import NormText, normalise


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    key: str  # what the label stands for (an IRI or an id)
    label: str  # the normalised label that matched, Latin letters small (folded)


class Matcher:
    """A dictionary of labels compiled for longest-match scanning."""

    def __init__(self, labels: Iterable[tuple[str, str]]) -> None:
        """``labels`` are (label, key) pairs; labels are normalised here."""
        self._by_first: dict[str, list[tuple[str, str]]] = {}
        for label, key in labels:
            norm = folded(normalise(label))
            if norm:
                self._by_first.setdefault(norm[0], []).append((norm, key))
        for cands in self._by_first.values():
            # Longest first; ties broken by key so results never depend on input order.
            cands.sort(key=lambda c: (-len(c[0]), c[1]))

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(self, text: str, offset: int = 0) -> list[Match]:
        """Non-overlapping matches in ``text`` (which starts at ``offset`` in its source)."""
        nt = NormText.of(text, offset)
        return self.find_norm(nt)

    def find_norm(self, nt: NormText, skip: frozenset[str] | set[str] = frozenset()) -> list[Match]:
        """As :meth:`find`, on normalised text; labels in ``skip`` (folded) are passed over, so a
        shorter label inside one of them is found (扫黑除恶 in an alt label 扫黑除恶专项斗争)."""
        norm = folded(fold_quotes(nt.norm))
        out: list[Match] = []
        i = 0
        while i < len(norm):
            hit = None
            for label, key in self._by_first.get(norm[i], ()):
                if norm.startswith(label, i) and label not in skip:
                    hit = (label, key)
                    break
            if hit is None:
                i += 1
                continue
            start, end = nt.span(i, i + len(hit[0]))
            out.append(Match(start, end, hit[1], hit[0]))
            i += len(hit[0])
        return out


_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def folded(norm: str) -> str:
    """``norm`` with Latin capitals as small letters (行知E家 is 行知e家; the same length)."""
    return norm.translate(_LOWER)


_CORNER = str.maketrans({"「": "“", "」": "”", "『": "“", "』": "”"})


def fold_quotes(norm: str) -> str:
    """Quotes as the labels write them, character for character (offsets unchanged): 「」 and 『』 as
    “”, and straight double quotes (web copies; NFKC makes ＂ one) as “ and ” in turn."""
    pieces = norm.translate(_CORNER).split('"')
    return "".join(p + ("“" if i % 2 == 0 else "”") for i, p in enumerate(pieces[:-1])) + pieces[-1]
