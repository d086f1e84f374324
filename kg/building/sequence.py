"""Which report comes before which: the pairs the cross-year questions compare.

A report of a place follows the reports of that place whose period is the latest
before its own (``nmt:period`` compared as text, as SPARQL's ``STR(?a) < STR(?b)``
compares it). Two reports of one place and one period both follow, and are both
followed by, their neighbours. Computing this once per build keeps the curated
query ``initiatives-across-years`` a join: found in SPARQL, the pairing needs a
``NOT EXISTS`` per pair of a place's reports, which took minutes at 1,000 reports.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from kg.parsing.model import Report
from kg.vocab import NMT, IRIs
from kg.writers import Triple


def report_sequence(reports: list[Report], iris: IRIs) -> list[Triple]:
    """``(later, nmt:previousReport, earlier)`` for each report and each report of its place just before it."""
    by_place: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in reports:
        period = r.metadata.sort_period
        if r.metadata.place and period:
            by_place[r.metadata.place][period].append(r.slug)
    out: list[Triple] = []
    for periods in by_place.values():
        ordered = sorted(periods)
        for before, after in pairwise(ordered):
            for later in sorted(periods[after]):
                for earlier in sorted(periods[before]):
                    out.append((iris.report(later), NMT.previousReport, iris.report(earlier)))
    return out
