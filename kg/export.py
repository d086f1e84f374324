"""Export the glossary: CSV, Markdown, JSON, SKOS JSON-LD, Anki TSV, printable HTML."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any

from kg.errors import KGError
from kg.glossary import STATUS_TEXT, Glossary, curation_status
from kg.handout import handout

FORMATS = ("csv", "md", "json", "jsonld", "anki", "html")
GROUPS = ("dimension", "type")


def _components(t: dict[str, Any], lang: str = "zh") -> str:
    out = []
    for c in t["components"]:
        label = c["label"][lang] or c["label"]["zh"] or ""
        if c["count"] is None or c["count"] > 1:
            label = f"{c['count'] or 'N'} {label}"  # N: no fixed number (1+3+N)
        if c["qualifier"] and c["qualifier"].get(lang):
            label += f" ({c['qualifier'][lang]})"
        out.append(label)
    return "; ".join(out)


def _rows(g: Glossary) -> list[dict[str, str]]:
    rows = []
    for t in g.terms:
        rows.append(
            {
                "zh": t["label"]["zh"] or "",
                "pinyin": t["pinyin"] or "",
                "en": t["label"]["en"] or "",
                "type": t["type"] or "",
                "note": str(t["note"] or ""),
                "definition_zh": t["definition"]["zh"] or "",
                "definition_en": t["definition"]["en"] or "",
                "definition_source": t["definition_source"] or "",
                "components": _components(t),
                "dimensions": ", ".join(g.dimensions[d]["label"]["zh"] for d in t["dimensions"] if d in g.dimensions),
                "iri": t["iri"],
            }
        )
    return rows


def _csv(g: Glossary) -> str:
    rows = _rows(g)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["zh"], lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return "\ufeff" + buf.getvalue()  # the BOM makes Excel read UTF-8


# Line and field breaks of every kind: a field of a table row or a tab-separated note is one line.
_BREAKS = re.compile(r"[\t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def _flat(text: str) -> str:
    return _BREAKS.sub(" ", text)


def _md(g: Glossary) -> str:
    def cell(s: str) -> str:
        # A backslash escapes in Markdown, a pipe ends a cell and < opens HTML: all shown as written.
        return html.escape(_flat(s), quote=False).replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| 术语 | 拼音 | English | 类型 | 释义 | Definition | 组成 |", "|---|---|---|---|---|---|---|"]
    for r in _rows(g):
        lines.append(
            "| "
            + " | ".join(
                cell(r[k]) for k in ("zh", "pinyin", "en", "type", "definition_zh", "definition_en", "components")
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def _jsonld(g: Glossary) -> str:
    """SKOS in JSON-LD, written directly from the index (no rdflib on this path)."""
    nodes: list[dict[str, Any]] = []
    base = g.data["base"]
    for t in g.terms:
        node: dict[str, Any] = {
            "@id": t["iri"],
            "@type": "skos:Concept",
            "skos:inScheme": {"@id": base + "glossary"},
            "skos:prefLabel": [{"@value": v, "@language": lang} for lang, v in t["label"].items() if v]
            + ([{"@value": t["pinyin"], "@language": "zh-Latn-pinyin"}] if t["pinyin"] else []),
            "skos:definition": [{"@value": v, "@language": lang} for lang, v in t["definition"].items() if v],
        }
        for note in g.notes(t):  # each report's note in its own words (a corpus)
            said = {"@value": note["definition"], "@language": "zh"}
            if note["definition"] and said not in node["skos:definition"]:
                node["skos:definition"].append(said)
        alts = [{"@value": v, "@language": lang} for lang in ("zh", "en") for v in t["alt_labels"][lang]]
        if alts:
            node["skos:altLabel"] = alts
        if t["note"] is not None:
            node["skos:notation"] = str(t["note"])
        if t["related"]:
            node["skos:related"] = [{"@id": r} for r in t["related"]]
        if t["search"]:  # toneless pinyin and initials: what a search by pinyin finds
            node["skos:hiddenLabel"] = [{"@value": v, "@language": "zh-Latn-pinyin"} for v in t["search"]]
        if t["type"]:  # a candidate says it is one
            node["nmt:termType"] = {"@id": "nmt:" + t["type"]}
        if t["definition_source"]:
            node["nmt:definitionSource"] = {"@id": "nmt:" + t["definition_source"]}
        nodes.append(node)
    doc = {
        "@context": {"skos": "http://www.w3.org/2004/02/skos/core#", "nmt": "https://w3id.org/nanmatou/ns#"},
        "@graph": [
            {
                "@id": base + "glossary",
                "@type": "skos:ConceptScheme",
                "skos:prefLabel": [
                    {"@value": "南码头术语表", "@language": "zh"},
                    {"@value": "Nanmatou glossary", "@language": "en"},
                ],
            },
            *nodes,
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _anki(g: Glossary) -> str:
    """Tab-separated notes Anki imports: front = term + pinyin, back = English, definition, components."""
    lines = ["#separator:tab", "#html:true", "#columns:Front\tBack"]
    for t in g.terms:
        front = f"{html.escape(_flat(t['label']['zh'] or ''))}<br>{html.escape(t['pinyin'] or '')}"
        english = html.escape(_flat(t["label"]["en"] or ""))
        back = f"<b>{english}</b><br>{html.escape(_flat(t['definition']['en'] or ''))}"
        if t["definition"]["zh"]:
            back += f"<br>{html.escape(_flat(t['definition']['zh']))}"
        if t["components"]:
            back += "<br>" + html.escape(_flat(_components(t, "en")))
        status = curation_status(t)
        if status != "curated":  # a card with nothing to learn says why
            back += f"<br><i>{html.escape(STATUS_TEXT[status])}</i>"
        lines.append(f"{front}\t{back}")
    return "\n".join(lines) + "\n"


def export_glossary(g: Glossary, fmt: str, group_by: str = "dimension") -> str:
    """The whole glossary in ``fmt``."""
    if fmt == "csv":
        return _csv(g)
    if fmt == "md":
        return _md(g)
    if fmt == "json":
        return json.dumps({"terms": [g.entry(t) for t in g.terms]}, ensure_ascii=False, indent=1) + "\n"
    if fmt == "jsonld":
        return _jsonld(g)
    if fmt == "anki":
        return _anki(g)
    if fmt == "html":
        if group_by not in GROUPS:
            raise KGError(f"group by one of: {', '.join(GROUPS)}")
        return handout(g, group_by)
    raise KGError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})")
