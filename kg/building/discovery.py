"""What a report brings without curation: candidate terms, presence of curated entries, machine alignment.

Curation is enrichment, not a precondition. For any report of the genre:

- **candidate terms**: quoted strings, numeric shorthands written without quotes
  (``1+5+n+x``) and note headwords that nobody curated become concepts of type
  ``nmt:candidate`` in that report's own graph;
- **presence**: a curated term or entity belongs in a build only when one of the
  built reports mentions it (its label or an alt label occurs in the text), so
  another subdistrict's graph never inherits Nanmatou's glossary;
- **machine alignment**: a work item nobody curated gets the dimension whose
  keywords (``curation/keywords.yaml``) occur most in it, with the matched words
  as the rationale.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kg.curation import Curation, EntityEntry
from kg.parsing.model import Report
from kg.text import normalise
from kg.text import written as written_form

# A numeric shorthand: numbers (or n / x placeholders) joined by +, e.g. 1+4+27+47, 1+5+n+x, 2+27+2+2.
SHORTHAND_RE = re.compile(r"(?<![\d.%])\d{1,4}(?:\+(?:\d{1,4}|[nNxX])(?![A-Za-z]))+(?![\d%])")
CANDIDATE_MAX = 20  # longer quoted strings are phrases or slogans, not terms to look up


@dataclass(frozen=True)
class Candidate:
    label: str  # normalised
    start: int  # raw offsets of its first occurrence
    end: int
    shown: str = ""  # the label as written there, when it differs (Nantou Ancient City)


def candidates(report: Report, known: set[str], excluded: set[str]) -> list[Candidate]:
    """Quoted strings, unquoted numeric shorthands, note headwords and abbreviations spelled out
    (QFLP(合格境外有限合伙人)) not curated yet, in text order."""
    found: dict[str, Candidate] = {}
    for q in report.quotes:
        if new_term(q.text, known, excluded):
            shown = written_form(report.as_written(q.start, q.end))
            found.setdefault(q.text, Candidate(q.text, q.start, q.end, shown if shown != q.text else ""))
    for m in SHORTHAND_RE.finditer(report.text):
        label = normalise(m.group())
        if label not in known and label not in excluded:
            found.setdefault(label, Candidate(label, m.start(), m.end()))
    for note in report.notes:
        for term, start, end in [(note.term, note.term_start, note.term_end), *note.also]:
            if term not in known:
                found.setdefault(term, Candidate(term, start, end))
    for d in report.definitions:  # unquoted: an abbreviation spelled out (QFLP(合格境外有限合伙人))
        if new_term(d.term, known, excluded):
            found.setdefault(d.term, Candidate(d.term, d.term_start, d.term_end))
    return sorted(found.values(), key=lambda c: c.start)


def new_term(text: str, known: set[str], excluded: set[str]) -> bool:
    """Whether quoted ``text`` (normalised) is a term nobody curated, noted or excluded: short, and
    not a sentence (no sentence punctuation inside)."""
    return (
        1 < len(text) <= CANDIDATE_MAX
        and text not in known
        and text not in excluded
        and not any(c in text for c in "。;!?;")
    )


def defined_inline(reports: list[Report], known: set[str], excluded: set[str]) -> set[str]:
    """Terms some report defines where it uses them (“工业上楼”(即…)) that are not ``known``
    (curated, or a note's headword) nor excluded: each report that does states its definition."""
    return {d.term for r in reports for d in r.definitions if new_term(d.term, known, excluded)}


def part_owners(reports: list[Report], known: set[str], excluded: set[str]) -> dict[str, str]:
    """For each term some report defines where it uses it by listing its parts, the one report
    whose parts the concept gets (their IRIs are the term's, so two reports' lists would mix):
    the report whose definition the glossary shows (the first by text; index.py), if it lists
    parts, else none. Each report still states its own definition. The same for a note's parts
    (“1+3+N”:“1”指…,“3”指…,“N”指…)."""
    best: dict[str, tuple[bool, str, str, bool]] = {}
    for r in reports:
        for d in r.definitions:
            if new_term(d.term, known, excluded):
                key = (d.definition == "", d.definition, r.slug, bool(d.parts))
                if d.term not in best or key < best[d.term]:
                    best[d.term] = key
    owners = {term: key[2] for term, key in sorted(best.items()) if key[3]}
    # A term a glossary note defines (no report's own words count then): the first report's note,
    # by report, as the glossary shows it.
    noted: dict[str, bool] = {}
    for r in sorted(reports, key=lambda r: r.slug):
        for n in r.notes:
            if n.term not in noted:
                noted[n.term] = bool(n.parts)
                if noted[n.term]:
                    owners[n.term] = r.slug
    return dict(sorted(owners.items()))


def of_place(report: Report, place: str | None) -> bool:
    """Whether ``report`` is of the curation's subdistrict ``place`` (normalised; any report is
    when the curation names none)."""
    return place is None or normalise(report.metadata.place or "") == place


def present(
    labels: dict[str, list[str]], reports: list[Report], quoted: set[str] | None = None, home: str | None = None
) -> set[str]:
    """Keys of ``labels`` (key → its label, then its alt labels) of which some label occurs in some
    report's text; in a report of another place than ``home``, only the label (an alt label such as
    应急预案体系 is a phrase of the home subdistrict's), and a key in ``quoted`` only quoted (“家门口”)."""
    forms = {key: [normalise(lab) for lab in labs if lab] for key, labs in labels.items()}
    in_quotes = {key: [f"{q}{f}{e}" for f in forms[key][:1] for q, e in QUOTES] for key in quoted or () if key in forms}
    out = set()
    for r in reports:
        text, away = r.normalised, not of_place(r, home)
        for key, written in forms.items():
            said = (in_quotes[key] if key in in_quotes else written[:1]) if away else written
            if key not in out and any(f in text for f in said):
                out.add(key)
    return out


QUOTES = (("“", "”"), ("「", "」"), ('"', '"'))


def quoted_here(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands between quotes (“家门口”, 「…」 or "…")."""
    before, after = text[start - 1 : start], text[end : end + 1]
    return any(before == q and after == e for q, e in QUOTES)


def entity_in(entity: EntityEntry, report: Report, place: str | None) -> bool:
    """Whether ``report`` mentions a curated entity: its zh label, or an alt label in a report of its
    place; an entity marked ``local`` (区委, 社区卫生中心) only in a report of its place."""
    text = report.normalised
    local = of_place(report, place)
    if entity.local and not local:
        return False
    if normalise(entity.zh) in text:
        return True
    return local and any(normalise(a) in text for a in entity.alt if a)


def curated_labels(curation: Curation) -> dict[str, list[str]]:
    """Normalised zh label of each curated term → its labels (zh and alt)."""
    return {normalise(t.zh): [t.zh, *t.alt_zh] for t in curation.terms}


@dataclass(frozen=True)
class Suggestion:
    dimension: str
    primary: bool
    matched: list[str]  # keywords with their counts, most first ("党建×3")


def suggest(title: str, body: str, keywords: dict[str, list[str]]) -> list[Suggestion]:
    """Dimensions for an uncurated work item by keyword counts (title ×3); the best is primary.

    A second dimension is suggested when it scores at least 60 % of the best.
    """
    t, b = normalise(title), normalise(body)
    scores: list[tuple[int, int, str, list[str]]] = []
    for order, (dim, words) in enumerate(keywords.items()):
        hits = Counter({w: 3 * t.count(w) + b.count(w) for w in words})
        hits = +hits
        if hits:
            matched = [f"{w}×{n}" for w, n in hits.most_common()]
            scores.append((-sum(hits.values()), order, dim, matched))
    scores.sort()
    if not scores:
        return []
    best = -scores[0][0]
    out = [Suggestion(scores[0][2], True, scores[0][3])]
    out += [Suggestion(dim, False, m) for s, _o, dim, m in scores[1:2] if -s >= 0.6 * best]
    return out
