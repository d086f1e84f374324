"""``kg diff A B``: what changed between two reports built into the same dataset.

Terms: mentioned in B but not A (added), in A but not B (dropped). Quantities:
matched by their Chinese label and unit, the n-th of a label in A with the n-th
in B (in text order) — changed (both values), only in A, only in B. Work items:
continued (B's item continues an A item by curation, or has the same title),
new in B, ended (no B item carries an A item on).
Works on the built index (no rdflib, no SPARQL).
"""

from __future__ import annotations

import re
from typing import Any

from kg.errors import KGError
from kg.glossary import Glossary
from kg.text import normalise, pad, width


class UnknownReport(KGError):
    """A report slug the built dataset does not hold."""


def _report(glossary: Glossary, slug: str) -> dict[str, Any]:
    reports = glossary.section("reports")
    for r in reports:
        if r["slug"] == slug:
            return r
    known = ", ".join(r["slug"] for r in reports)
    raise UnknownReport(f"no report '{slug}' in this build (reports: {known})")


def _items(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for p in report["parts"] for s in p["sections"] for i in s["items"]]


def _label(q: dict[str, Any]) -> str:
    label = q["label"]
    return label["zh"] if isinstance(label, dict) else label


# Words a label may open with or leave out from one year to the next (辖区残疾人…补贴, 残疾人…补贴;
# 组织街道党工委理论学习中心组专题学习, 组织理论学习中心组专题学习): not what is measured.
_LEADING_RE = re.compile(r"^(?:辖区|全镇|全乡|全街道|全区|全村|全年|全社区)+")


# 过去五年工作回顾, 五年来…: a part reviewing several years (not 存在的问题, which may name a year too).
REVIEWS_RE = re.compile(r"过去|以来|[一二三四五六七八九十]年来|回顾|总结")


def _part_years(report: dict[str, Any], figures: list[dict[str, Any]]) -> list[int]:
    """The years the report's parts are of, in order (a review's, then a plan's); a part of no one
    year (过去五年工作回顾) counts the years of its figures before the first part's year."""
    years = {int(y[:4]) for p in report["parts"] if (y := p.get("year") or "")[:4].isdigit()}
    yearless = {
        p["title"]["zh"]
        for p in report["parts"]
        if not (p.get("year") or "")[:4].isdigit() and REVIEWS_RE.search(p["title"]["zh"] or "")
    }
    if years and yearless:
        spans = (str(q.get("period") or "")[:4] for q in figures if q.get("part") in yearless)
        years |= {int(y) for y in spans if y.isdigit() and int(y) < min(years)}
    return sorted(years)


def _role(q: dict[str, Any], years: list[int]) -> str:
    """Whether a figure is a result or a target: of a report of a review and a plan (2022, 2023),
    one of the plan's year or after is a target; of a report of one year, every figure is a result."""
    period = str(q.get("period") or "")[:4]
    # the later year the parts name (a review of 过去五年, its first year named, then a year's plan)
    return "target" if len(years) > 1 and period.isdigit() and int(period) >= years[-1] else "result"


def _measure_key(label: str) -> str:
    """The label quantities of two reports are matched on: normalised, without the words above."""
    key = normalise(label)
    return _LEADING_RE.sub("", key) or key


def diff(glossary: Glossary, a: str, b: str) -> dict[str, Any]:
    """The differences between reports ``a`` and ``b`` (slugs), as plain data (the ``--json`` shape)."""
    ra, rb = _report(glossary, a), _report(glossary, b)
    in_a: list[dict[str, Any]] = []
    in_b: list[dict[str, Any]] = []
    for t in glossary.terms:
        where = {m["report"] for m in glossary.mentions(t)}
        entry = {"label": t["label"], "iri": t["iri"]}
        if a in where and b not in where:
            in_a.append(entry)
        elif b in where and a not in where:
            in_b.append(entry)

    def figures(report: dict[str, Any]) -> dict[tuple[str, str, str, int], dict[str, Any]]:
        """Each quantity by (label, unit, role, n): a report may state a label twice (助餐点 in two
        sections), and the n-th of A is compared with the n-th of B, none left out; a result with
        a result, a target with a target (the role: :func:`_role`)."""
        out: dict[tuple[str, str, str, int], dict[str, Any]] = {}
        seen: dict[tuple[str, str, str], int] = {}
        own = sorted(
            (q for q in glossary.section("quantities") if q["report"] == report["slug"]),
            key=lambda q: q.get("start") or 0,
        )
        years = _part_years(report, own)
        for q in own:
            key = (_measure_key(_label(q)), q["unit"], _role(q, years))
            seen[key] = seen.get(key, 0) + 1
            out[(*key, seen[key])] = q
        return out

    qa, qb = figures(ra), figures(rb)

    def brief(q: dict[str, Any]) -> dict[str, Any]:
        return {"label": q["label"], "value": q["value"], "unit": q["unit"], "raw": q["raw"]}

    changed = [
        {
            "label": qb[k]["label"],
            "unit": k[1],
            "a": qa[k]["value"],
            "b": qb[k]["value"],
            "raw": [qa[k]["raw"], qb[k]["raw"]],
        }
        for k in sorted(qa.keys() & qb.keys())
        if qa[k]["value"] != qb[k]["value"]
    ]
    items_a, items_b = _items(ra), _items(rb)
    by_iri = {i["iri"]: i for i in items_a}
    # Every A item of a title (a report may review and plan the same work: 办好民生实事 twice).
    by_title: dict[str, list[dict[str, Any]]] = {}
    for i in items_a:
        by_title.setdefault(normalise(i["title"]["zh"] or ""), []).append(i)
    continued: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    carried: set[str] = set()
    for item in items_b:
        earlier = [by_iri[c] for c in item["continues"] if c in by_iri]
        earlier += [e for e in by_title.get(normalise(item["title"]["zh"] or ""), []) if e not in earlier]
        if earlier:
            carried |= {e["iri"] for e in earlier}
            titles = list({normalise(e["title"]["zh"] or ""): e["title"] for e in earlier}.values())
            continued.append({"item": item["title"], "continues": titles})
        elif all(normalise(n["item"]["zh"] or "") != normalise(item["title"]["zh"] or "") for n in new):
            new.append({"item": item["title"]})  # once a title, as ended (B's review and plan copies alike)
    # An item of A nothing in B carries on, once a title (its review's and its plan's copies alike).
    # (not a title a copy of which B continues).
    kept = {normalise(i["title"]["zh"] or "") for i in items_a if i["iri"] in carried}
    gone = {key: i["title"] for i in items_a if (key := normalise(i["title"]["zh"] or "")) not in kept}
    ended = [{"item": title} for title in gone.values()]
    return {
        "a": a,
        "b": b,
        "terms": {"added": in_b, "dropped": in_a},
        "quantities": {
            "changed": changed,
            "only_a": [brief(qa[k]) for k in sorted(qa.keys() - qb.keys())],
            "only_b": [brief(qb[k]) for k in sorted(qb.keys() - qa.keys())],
        },
        "initiatives": {"continued": continued, "new": new, "ended": ended},
    }


def render(d: dict[str, Any]) -> str:
    """The diff as a readable table."""
    lines = [f"{d['a']} → {d['b']}"]
    for key, title in (("added", "Terms added"), ("dropped", "Terms dropped")):
        terms = d["terms"][key]
        lines.append(f"{title} ({len(terms)}): " + ", ".join(t["label"]["zh"] for t in terms))
    changed = d["quantities"]["changed"]
    lines.append(f"Quantities changed ({len(changed)}):")
    col = max([width(c["label"]["zh"] or "") for c in changed] + [0])
    lines += [
        f"  {pad(c['label']['zh'] or '', col)}  {_number(c['a']):>16} → {_number(c['b']):>16} {c['unit']}"
        for c in changed
    ]
    for key, title in (("only_a", "Quantities only in A"), ("only_b", "Quantities only in B")):
        only = d["quantities"][key]
        lines.append(f"{title} ({len(only)}):")
        lines += [f"  {q['label']['zh'] or ''}  {q['raw']}" for q in only]
    ini = d["initiatives"]
    lines.append(f"Work items continued ({len(ini['continued'])}):")
    lines += [f"  {c['item']['zh']} ← {', '.join(x['zh'] for x in c['continues'])}" for c in ini["continued"]]
    lines.append(f"New in B ({len(ini['new'])}): " + ", ".join(n["item"]["zh"] for n in ini["new"]))
    lines.append(f"Ended after A ({len(ini['ended'])}): " + ", ".join(n["item"]["zh"] for n in ini["ended"]))
    return "\n".join(lines)


def _number(value: Any) -> str:
    """A value in full, with thousands separators (98,765,432, not 9.87654e+07)."""
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
