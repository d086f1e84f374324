"""The parsed tree of a report at a glance, and the signs that a parse went wrong.

``kg outline REPORT`` prints :func:`render`; the build report lists
:func:`structure_warnings` so a person can confirm or fix a parse of a new
layout before trusting its graph.
"""

from __future__ import annotations

from typing import Any

from kg.parsing.model import Initiative, Report, Section

TITLE_MAX = 60


def outline(report: Report) -> dict[str, Any]:
    """The report's tree as plain data (the ``--json`` of ``kg outline``)."""
    md = report.metadata
    parts = []
    for p in report.parts:
        sections = []
        for s in p.sections:
            items = [
                {"title": i.title, "kind": i.kind, "sub_items": [e.title or e.text for e in i.enumerations]}
                for i in s.initiatives
            ]
            sections.append({"title": s.title, "items": items})
        parts.append(
            {
                "title": p.title,
                "kind": p.kind,
                "year": p.year,
                "years": list(p.years) if p.years else None,
                "intro_paragraphs": len(p.intro),
                "sections": sections,
            }
        )
    return {
        "title": md.title,
        "place": md.place,
        "period": md.sort_period,  # what the graph states as nmt:period (the title's, else the date's year)
        "period_in_title": md.period,  # the years the title names (dcterms:temporal), if it names any
        "publisher": md.publisher,
        "issued": md.issued,
        "delivered": md.delivered,
        "meeting": md.meeting,
        "speaker": md.fields.get("报告人"),  # a speech's or a town report's 镇长 张明 line (not in the graph)
        "parts": parts,
        "notes": [{"number": n.number, "term": n.term} for n in report.notes],
        "counts": counts(report),
        "warnings": report.warnings,
        "unplaced": [u.text[:60] for u in report.unplaced],
    }


def counts(report: Report) -> dict[str, int]:
    items = report.initiatives()
    return {
        "parts": len(report.parts),
        "sections": sum(len(p.sections) for p in report.parts),
        "items": len(items),
        "sub_items": sum(len(i.enumerations) for i in items),
        "notes": len(report.notes),
        "quotes": len(report.quotes),
        "quantities": len(report.quantities),
        "unplaced": len(report.unplaced),
    }


def structure_warnings(report: Report) -> list[str]:
    """What looks wrong in a parse: empty parts and sections, overlong titles, parts that are mostly intro."""
    out = []
    for p in report.parts:
        if not p.sections and not p.intro:  # a part of prose (存在的问题和不足) has text, not sections
            out.append(f"part {p.order} ({p.title}) has no sections")
        body = max(p.end - p.start, 1)
        intro = sum(par.end - par.start for par in p.intro)
        if p.sections and intro > body / 2:
            out.append(f"part {p.order} ({p.title}): {100 * intro // body}% of its text is intro, not in a section")
        for s in p.sections:
            if not s.initiatives and not s.intro:
                out.append(f"section {s.key} ({s.title}) has no work items")
            titled: list[Section | Initiative] = [s, *s.initiatives]
            for node in titled:
                if len(node.title) > TITLE_MAX:
                    out.append(f"{node.key}: title over {TITLE_MAX} characters ({node.title[:20]}…)")
    return out


def render(report: Report) -> str:
    """The tree as indented lines with counts, for a person to check at a glance."""
    md = report.metadata
    lines = [md.title]
    shown = (
        ("place", md.place),
        ("period", md.sort_period),
        ("issued", md.issued),
        ("delivered", md.delivered),
        ("meeting", md.meeting),
        ("speaker", md.fields.get("报告人")),
    )
    facts = [f"{k}: {v}" for k, v in shown if v]
    if facts:
        lines.append("  " + " · ".join(facts))
    for p in report.parts:
        period = "-".join(p.years) if p.years else p.year or "?"
        lines.append(f"{p.order}. {p.title}  [{p.kind}, {period}; {len(p.sections)} sections]")
        for s in p.sections:
            lines.append(f"   ({s.order}) {s.title}  [{len(s.initiatives)} items]")
            for i in s.initiatives:
                lines.append(f"       {i.order}. {i.title}" + (" (project)" if i.kind == "project" else ""))
                lines.extend(f"          - {e.title or e.text}" for e in i.enumerations)
    c = counts(report)
    lines.append(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in c.items()))
    lines.extend(f"warning: {w}" for w in report.warnings)
    lines.extend(f"unplaced: {u.text[:60]}" for u in report.unplaced)
    return "\n".join(lines)
