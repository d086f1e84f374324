"""The printable A4 glossary handout: a numbered table of contents, page numbers, each term once.

A term in several dimensions is printed under its primary dimension (nmt:primaryDimension, the
first of its curated dimensions, which the index lists first) and named, with a link, in a
"see also" list of each other dimension it serves. Terms keep the glossary order (toneless pinyin,
then tone, then characters). Page numbers use CSS paged media: the page counter in the bottom
margin, and ``target-counter`` in the table of contents where the print engine supports it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from kg.glossary import Glossary
from kg.parsing.numerals import stated_count

TYPE_NAMES = {
    "officialNote": ("官方名词解释", "Official notes"),
    "slogan": ("口号", "Slogans"),
    "campaign": ("专项行动", "Campaigns"),
    "platform": ("平台", "Platforms"),
    "programme": ("项目品牌", "Programmes"),
    "institution": ("机构与机制", "Institutions"),
    "placeType": ("地点类型", "Place types"),
    "policy": ("政策", "Policies"),
    "measure": ("举措", "Measures"),
    "candidate": ("候选术语", "Candidate terms"),
}
CSS = (
    "@page{size:A4;margin:18mm 18mm 20mm;@bottom-center{content:counter(page) ' / ' counter(pages);"
    "font:9pt sans-serif;color:#555}}"
    "body{font:11pt/1.6 'Noto Sans CJK SC','Noto Sans SC',sans-serif;color:#111}"
    "section,nav{break-after:page;page-break-after:always}section:last-child{break-after:auto}"
    "nav ol{padding-left:1.6em}nav li{margin:.2em 0}nav a{color:inherit;text-decoration:none}"
    "nav a::after{content:leader('.') ' ' target-counter(attr(href),page)}"
    "dt{font-weight:bold;margin-top:.8em;break-after:avoid}dd{margin:0 0 .4em 1.2em;break-inside:avoid}"
    "dd p{margin:.15em 0}.py{font-weight:normal;color:#555}.en{color:#444;font-weight:normal}"
    ".source{display:block;margin-top:.2em;font-size:.85em;color:#666}"
    ".see{margin-top:1.2em;border-top:1px solid #ccc;padding-top:.4em;font-size:.95em}.see li{margin:.1em 0}"
    "a{color:inherit}"
)


@dataclass
class Group:
    """One chapter of the handout: its heading, the terms printed in it, the terms it points to."""

    anchor: str
    zh: str
    en: str
    terms: list[dict[str, Any]] = field(default_factory=list)
    see: list[tuple[dict[str, Any], Group]] = field(default_factory=list)


def primary_dimension(t: dict[str, Any]) -> str | None:
    """The dimension a term is printed under: its primary one (the index lists it first)."""
    return t["dimensions"][0] if t["dimensions"] else None


def groups_by_dimension(g: Glossary) -> list[Group]:
    """A chapter per dimension (official order) and one for terms of none; each term in exactly one."""
    groups = {d["iri"]: Group(f"dim-{d['id']}", d["label"]["zh"], d["label"]["en"]) for d in g.data["dimensions"]}
    general = Group("general", "通用术语", "General terms")
    for t in g.terms:
        home = primary_dimension(t)
        groups.get(home or "", general).terms.append(t)
    for t in g.terms:
        home = primary_dimension(t)
        for d in t["dimensions"]:
            if d != home and d in groups and home in groups:
                groups[d].see.append((t, groups[home]))
    out = [grp for grp in groups.values() if grp.terms or grp.see]
    return [*out, general] if general.terms else out


def groups_by_type(g: Glossary) -> list[Group]:
    """A chapter per term type (each term has one)."""
    out = []
    for key, (zh, en) in TYPE_NAMES.items():
        members = [t for t in g.terms if t["type"] == key]
        if members:
            out.append(Group(f"type-{key}", zh, en, members))
    rest = [t for t in g.terms if t["type"] not in TYPE_NAMES]
    if rest:
        out.append(Group("type-other", "其他", "Other terms", rest))
    return out


def _components(t: dict[str, Any]) -> str:
    e = html.escape
    items = []
    for c in t["components"]:
        label = c["label"]["zh"] or ""
        if c["count"] is None or (c["count"] > 1 and stated_count(label) != c["count"]):
            label = f"{c['count'] or 'N'} {label}"  # unless the label says it (两个发力点); N: 1+3+N
        if c["qualifier"] and c["qualifier"].get("zh"):
            label += f" ({c['qualifier']['zh']})"
        en = c["label"]["en"] or ""
        items.append(f"<li>{e(label)}" + (f" <span class=en>{e(en)}</span>" if en else "") + "</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _entry(t: dict[str, Any]) -> str:
    e = html.escape
    source = {
        "official": "官方释义 official definition",
        "editorial": "编辑释义 editorial definition",
        "inText": "文中释义 defined in the report's text, not yet curated",
    }.get(t["definition_source"] or "", "候选术语,尚未审定 candidate — not yet curated")
    return (
        f"<dt id='t-{e(t['slug'])}'>{e(t['label']['zh'] or '')} <span class=py>{e(_pinyin(t))}</span>"
        f" <span class=en>{e(t['label']['en'] or '')}</span></dt>"
        f"<dd><p>{e(t['definition']['zh'] or '')}</p><p class=en>{e(t['definition']['en'] or '')}</p>"
        f"{_components(t)}<span class=source>{source}</span></dd>"
    )


def _see(grp: Group) -> str:
    if not grp.see:
        return ""
    e = html.escape
    rows = "".join(
        f"<li>见 see <a href='#t-{e(t['slug'])}'>〈{e(t['label']['zh'] or '')}〉</a>"
        f" <span class=en>{e(t['label']['en'] or '')}</span> — 列于 under "
        f"<a href='#{home.anchor}'>〈{e(home.zh)}〉</a> <span class=en>{e(home.en)}</span></li>"
        for t, home in grp.see
    )
    return f"<div class=see><p>亦属本维度的术语 Also in this dimension:</p><ul>{rows}</ul></div>"


def render(groups: list[Group]) -> str:
    """The handout's HTML."""
    e = html.escape
    toc = "".join(
        f"<li><a href='#{grp.anchor}'>{e(grp.zh)} <span class=en>{e(grp.en)}</span>"
        f" <span class=py>({len(grp.terms)})</span></a></li>"
        for grp in groups
    )
    sections = "".join(
        f"<section id='{grp.anchor}'><h2>{n}. {e(grp.zh)} <span class=en>{e(grp.en)}</span></h2>"
        f"<dl>{''.join(_entry(t) for t in grp.terms)}</dl>{_see(grp)}</section>"
        for n, grp in enumerate(groups, 1)
    )
    total = sum(len(grp.terms) for grp in groups)
    return (
        '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>南码头术语表 Nanmatou glossary</title>'
        f"<style>{CSS}</style></head><body><h1>南码头术语表 <span class=en>Nanmatou glossary</span></h1>"
        f"<nav><h2>目录 <span class=en>Contents</span></h2><p class=py>{total} 个术语 terms</p><ol>{toc}</ol></nav>"
        + sections
        + "</body></html>\n"
    )


def handout(g: Glossary, group_by: str) -> str:
    """The A4 handout grouped by ``dimension`` or ``type``."""
    if group_by == "dimension":
        return render(groups_by_dimension(g))
    return render(groups_by_type(g))


__all__ = ["Group", "groups_by_dimension", "groups_by_type", "handout", "primary_dimension"]


def _pinyin(t: dict[str, Any]) -> str:
    """A term's pinyin, or nothing where it is the label itself (1+2+3+7)."""
    pinyin = t["pinyin"] or ""
    return "" if pinyin == (t["label"]["zh"] or "") else pinyin
