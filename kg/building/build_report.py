"""The build report's per-source part: what the parser could not place, and what the curation does not cover."""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from kg.building.discovery import of_place
from kg.curation import Curation
from kg.parsing.coverage import Coverage, number_coverage
from kg.parsing.model import Report


def build_report(
    reports: list[Report],
    curation: Curation,
    term_iris: dict[str, URIRef],
    coverage: dict[str, Coverage | None] | None = None,
) -> dict[str, object]:
    """What the parser could not place, and what the curation does not cover.

    ``coverage``: each report's numbers accounted for, when its cache entry has them
    (a corpus's rebuild scanned every report's text again).
    """
    sources: list[dict[str, object]] = []
    out: dict[str, object] = {"sources": sources}
    for r in reports:
        # One character in quotes (冰雪经济“火”出圈) is emphasis, never a term (nor a candidate).
        unclassified = sorted(
            {
                q.text
                for q in r.quotes
                if len(q.text) > 1 and q.text not in term_iris and q.text not in curation.excluded_quotes
            }
        )
        curated_titles = set(curation.structure)
        untitled = [i.title for i in r.initiatives() if i.title not in curated_titles]
        # The curation numbers the notes of its own subdistrict's report: another's numbers its own.
        home = of_place(r, curation.entity_place)
        notes_mismatch = [
            f"note {n.number} ({n.term}) is curated as note {t.note}"
            for n in r.notes
            if home and (t := curation.term(n.term)) is not None and t.note is not None and t.note != n.number
        ]
        cov = (coverage or {}).get(r.slug) or number_coverage(r, curation.ignored_numbers)
        sources.append(
            {
                "slug": r.slug,
                "sha256": hashlib.sha256(r.text.encode("utf-8")).hexdigest(),
                "parts": len(r.parts),
                "sections": sum(len(p.sections) for p in r.parts),
                "initiatives": sum(1 for i in r.initiatives() if i.kind == "initiative"),
                "practical_projects": sum(1 for i in r.initiatives() if i.kind == "project"),
                "notes": len(r.notes),
                "markers": len(r.markers),
                "quotes": len(r.quotes),
                "quantities": len(r.quantities),
                "unplaced": [{"start": u.start, "end": u.end, "reason": u.reason, "text": u.text} for u in r.unplaced],
                "warnings": r.warnings + notes_mismatch,
                "unclassified_quotes": unclassified,
                "uncurated_work_items": untitled,
                "numbers": {
                    "total": cov.total,
                    "quantities": cov.quantities,
                    "markers": cov.markers,
                    "ignored": dict(sorted(cov.ignored.items())),
                    "unaccounted": [{"start": s, "end": e, "number": n} for s, e, n, _line in cov.unaccounted],
                },
            }
        )
    return out
