"""English search over the glossary: words, light lemmas, a small synonym list, careful fuzziness.

What an English speaker types is matched word by word against each term's
English label, its English alt labels and its English definition, ranked
exact label > alt label > every word in a label > words in a definition.
Words are lower-cased and lemmatised lightly and the same way on both sides
(``volunteers`` = ``volunteer``, ``building`` = ``build``). A typo is forgiven
only in a word of five letters or more, by one edit (two from eight letters),
keeping the first letter — so ``fire`` never finds ``five`` and ``meal``
never finds ``美丽`` through its pinyin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.text import edit_distance

STOP = {"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "with", "by", "at", "its", "is", "are", "who"}
# Words a newcomer types for what the glossary says another way (both directions are added).
SYNONYMS = [
    {"volunteer", "volunteering", "voluntary"},
    {"disabled", "disability", "handicapped", "disable"},
    {"mediation", "mediate", "mediator", "conciliation"},
    {"afterschool", "after-school", "homework", "pupil", "schoolchild"},
    {"canteen", "dining", "meal", "cafeteria", "eating"},
    {"elderly", "senior", "aged", "old", "older", "pensioner"},
    {"illegal", "unauthorised", "unauthorized", "unlicensed", "unpermitted"},
    {"construction", "structure", "building", "build"},
    {"demolition", "demolish", "removal", "remove"},
    {"colour", "color", "colourful", "colorful"},
    {"seven", "7"},
    {"party", "cpc", "communist"},
    {"veteran", "ex-serviceman", "retired-soldier"},
    {"rent", "rental", "lease", "tenancy"},
    {"neighbourhood", "neighborhood", "community"},
    {"grid", "gridded"},
    {"smart", "digital", "intelligent"},
    {"safety", "security", "safe", "secure"},
    {"epidemic", "pandemic", "covid", "covid-19", "coronavirus"},
    {"petition", "complaint", "visit"},
    {"garbage", "waste", "rubbish", "refuse", "trash"},
    {"park", "garden"},
    {"job", "employment", "work", "unemployed", "unemployment"},
    {"law", "legal", "lawyer"},
    {"waive", "waiver", "waived", "exemption", "relief"},
    {"dispute", "conflict", "quarrel"},
]


def lemma(word: str) -> str:
    """A light, symmetric lemma: possessives, plurals, -ing and -ed."""
    w = word.lower().strip("'’")
    w = w.removesuffix("'s").removesuffix("’s")
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            return w[: -len(suffix)] + repl
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    return w


def words(text: str) -> list[str]:
    """Content words of ``text`` as lemmas (hyphenated words also split: after-school → after, school)."""
    raw = re.findall(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*", text.lower())
    out = []
    for token in raw:
        parts = [token, *re.split(r"[-'’]", token)] if "-" in token else [token]
        out += [lemma(p) for p in parts if p not in STOP]
    return out


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for group in SYNONYMS:
        lemmas = {lemma(w) for w in group}
        for w in lemmas:
            table.setdefault(w, set()).update(lemmas)
    return table


def expand(word: str) -> set[str]:
    return _synonyms().get(word, set()) | {word}


def _word_match(q: str, vocab: set[str]) -> float:
    """1 for the word (or a synonym) in ``vocab``, 0.8 for a forgiven typo, else 0."""
    if expand(q) & vocab:
        return 1.0
    if len(q) >= 5:
        limit = 2 if len(q) >= 8 else 1
        for v in vocab:
            if v[:1] == q[:1] and abs(len(v) - len(q)) <= limit and edit_distance(q, v, limit) <= limit:
                return 0.8
    return 0.0


@dataclass
class Fields:
    label: str
    alts: list[str]
    label_words: set[str]
    alt_words: set[str]
    def_words: set[str]


def fields(term: dict[str, Any]) -> Fields:
    label = term["label"].get("en") or ""
    alts = list(term["alt_labels"].get("en") or [])
    return Fields(
        " ".join(words(label)),
        [" ".join(words(a)) for a in alts],
        set(words(label)),
        {w for a in alts for w in words(a)},
        set(words(term["definition"].get("en") or "")),
    )


def score(query: str, f: Fields) -> tuple[float, str]:
    """(score, matched_on) of an English query against one term's fields; (0, '') when nothing matches."""
    q = words(query)
    if not q:
        return 0.0, ""
    joined = " ".join(q)
    if joined and joined == f.label:
        return 95.0, "english"
    if joined and joined in f.alts:
        return 90.0, "english"
    in_label = [_word_match(w, f.label_words) for w in q]
    in_alt = [_word_match(w, f.alt_words) for w in q]
    in_def = [_word_match(w, f.def_words | f.label_words | f.alt_words) for w in q]
    if all(in_label):
        cover = len(q) / max(len(f.label_words), 1)
        return 70.0 + 10 * min(cover, 1.0) + 5 * (sum(in_label) / len(q) - 1), "english"
    if all(in_alt):
        cover = len(q) / max(len(f.alt_words), 1)
        return 65.0 + 10 * min(cover, 1.0) + 5 * (sum(in_alt) / len(q) - 1), "english"
    if all(in_def):
        return 40.0 + 5 * (sum(in_def) / len(q)) + 5 * (sum(in_label) / len(q)), "definition"
    matched = sum(in_def)
    if matched and len(q) > 1 and matched / len(q) >= 0.5:
        return 20.0 * matched / len(q), "definition"
    return 0.0, ""
