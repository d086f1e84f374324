"""One self-contained HTML file per view: vis-network inlined, no request leaves the page.

pyvis supplies the vis-network build; its own page template is not used, because
it loads Bootstrap and vis from CDNs even in ``in_line`` mode and writes labels and
menus as raw HTML. Positions, wrapped labels and styles come from the designed
layout (kg.views.layout), so the page shows what the SVG and PNG show. Data reaches
the page as JSON with ``<``, ``>`` and ``&`` escaped, and tooltips and search
results are built with ``textContent``, so no label can become markup.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.glossary import fold
from kg.views.layout import PILL_MARGIN, Layout, label_text
from kg.views.projection import NEUTRAL, RELATIONS

if TYPE_CHECKING:
    from kg.views import View

HERE = Path(__file__).parent
CSS_FILE = HERE / "view.css"
JS_FILE = HERE / "view.js"
TEXT = "#1b1b1f"
# Pill fills: light enough that dark text keeps more than 4.5:1 contrast whatever the border colour.
SECTION_FILL, PART_FILL = "#eceff1", "#37474f"


def vis_network_js() -> str:
    """The vis-network build that ships inside the pyvis package."""
    import pyvis

    path = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return path.read_text(encoding="utf-8")


def script_json(data: Any) -> str:
    """JSON safe inside <script> (the views' data, the pages' too): no raw <, > or & may close
    the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def search_keys(d: dict[str, Any]) -> list[str]:
    """Characters, English, toneless pinyin, pinyin initials and alternative labels of one node."""
    from kg.pinyin import strip_tones, syllables

    toneless = strip_tones(d["pinyin"]).split() if d.get("pinyin") else syllables(d["zh"], tones=False)
    joined = "".join(toneless)
    # kg.glossary's fold writes ü as v (lv, nv: as typed); the page's own fold drops the dots (lu).
    keys = [d["zh"], d["en"], joined, joined.replace("ü", "u"), "".join(s[0] for s in toneless if s), *d.get("alt", [])]
    seen: list[str] = []
    for k in keys:
        f = fold(k)
        if f and f not in seen:
            seen.append(f)
    return seen


def _node(node: str, d: dict[str, Any], lay: Layout, lang: str, view_focus: str | None) -> dict[str, Any]:
    s = lay.style[node]
    x, y = lay.pos[node]
    out: dict[str, Any] = {
        "id": node,
        "label": "\n".join(lay.lines[node]),
        "x": x,
        "y": y,
        "kind": d["kind"],
        "full": label_text(d, lang),
        "other": d["en"] if lang == "zh" else d["zh"],
        "pinyin": d.get("pinyin", ""),
        "definition": (d.get("definition_zh") or d["definition"]) if lang == "zh" else d["definition"],
        "definitionOther": d["definition"] if lang == "zh" else d.get("definition_zh", ""),
        "search": search_keys(d),
        "colours": d.get("colours") or [d["colour"]],
        "font": s.font,
        "links": d.get("links", 0),
        "iri": d.get("iri", ""),
    }
    if out["definitionOther"] == out["definition"]:
        out["definitionOther"] = ""
    if s.pill:
        fill, ink, border = "#ffffff", TEXT, d["colour"]
        if s.shape == "section":
            fill, border = SECTION_FILL, NEUTRAL
        elif s.shape == "part":
            fill, ink, border = PART_FILL, "#ffffff", PART_FILL
        out.update(shape="box", fill=fill, ink=ink, border=border, dashed=s.shape == "pill-dashed")
    else:
        out.update(shape="star" if s.shape == "star" else "dot", size=s.radius, focus=node == view_focus)
    return out


def view_data(view: View, lay: Layout, lang: str) -> dict[str, Any]:
    """Nodes and edges as the page's script reads them."""
    g = view.graph
    nodes = [_node(n, g.nodes[n], lay, lang, view.focus) for n in sorted(g.nodes)]
    edges = []
    for a, b in sorted(tuple(sorted(e)) for e in g.edges):
        d = g.edges[a, b]
        src, dst = (a, b) if d.get("src", a) == a else (b, a)
        edges.append(
            {"from": src, "to": dst, "relation": d["relation"], "label": RELATIONS[d["relation"]][lang == "en"]}
        )
    return {
        "nodes": nodes,
        "edges": edges,
        "kind": view.kind,
        "focus": view.focus,
        "path": view.path,
        "edgeLabels": view.kind == "path",
        "margin": PILL_MARGIN,
        "lang": lang,
    }


# Drawn symbols for the legend (inline SVG: the view's CSP allows no requests, markup is fine).
def _icon(kind: str, colour: str = NEUTRAL) -> str:
    c = html.escape(colour)
    shapes = {
        "dot": f'<circle cx="9" cy="9" r="6" fill="{c}"/>',
        "small": f'<circle cx="9" cy="9" r="4" fill="{c}"/>',
        "focus": f'<circle cx="9" cy="9" r="8" fill="{c}" stroke="{TEXT}" stroke-width="2"/>',
        "star": f'<polygon points="9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7" fill="{c}"/>',
        "pill": f'<rect x="1" y="4" width="16" height="10" rx="4" fill="#fff" stroke="{c}" stroke-width="2"/>',
        "pill-dashed": f'<rect x="1" y="4" width="16" height="10" rx="4" fill="#fff" stroke="{c}" '
        'stroke-width="2" stroke-dasharray="3 2"/>',
        "section": f'<rect x="1" y="4" width="16" height="10" rx="4" fill="{SECTION_FILL}" stroke="{NEUTRAL}"/>',
        "part": f'<rect x="1" y="4" width="16" height="10" rx="4" fill="{PART_FILL}"/>',
        "split": '<path d="M9 9 L9 2 A7 7 0 0 1 15.1 12.5 Z" fill="#c62828"/>'
        '<path d="M9 9 L15.1 12.5 A7 7 0 0 1 2.9 12.5 Z" fill="#1565c0"/>'
        '<path d="M9 9 L2.9 12.5 A7 7 0 0 1 9 2 Z" fill="#2e7d32"/>',
    }
    return f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{shapes[kind]}</svg>'


SHAPE_KEY = {
    # kind: (icon, zh, en) — plain words, never the drawing library's names
    "term": ("dot", "圆点:术语", "dot: term"),
    "component": ("small", "小圆点:术语的组成部分", "small dot: a part of a term"),
    "dimension": ("star", "星形:维度", "star: dimension"),
    "initiative": ("pill", "边框颜色=维度:工作举措", "outlined box: initiative (outline = dimension)"),
    "project": ("pill-dashed", "虚线框:实事项目", "dashed box: practical project"),
    "section": ("section", "灰框:章节", "grey box: section"),
    "part": ("part", "深色框:报告部分", "dark box: part of the report"),
}


def legend_items(g: nx.Graph, dimensions: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """Colour keys: each dimension drawn, split colours for several, grey for none."""
    used = {c for n in g.nodes for c in (g.nodes[n].get("colours") or [g.nodes[n]["colour"]])}
    items = [
        {"colour": d["display"], "label": d["label"][lang] or d["label"]["zh"], "icon": "dot"}
        for d in dimensions
        if d["display"] in used
    ]
    if any(len(g.nodes[n].get("colours") or []) > 1 for n in g.nodes):
        label = "分色圆点:属于多个维度" if lang == "zh" else "split dot: in several dimensions"
        items.append({"colour": NEUTRAL, "label": label, "icon": "split"})
    coloured = ("term", "initiative", "project")
    if any(g.nodes[n]["colour"] == NEUTRAL and g.nodes[n]["kind"] in coloured for n in g.nodes):
        label = "灰色:未分维度" if lang == "zh" else "grey: no dimension"
        items.append({"colour": NEUTRAL, "label": label, "icon": "dot"})
    return items


def shape_items(g: nx.Graph, lang: str, focus: bool) -> list[dict[str, str]]:
    kinds = {g.nodes[n]["kind"] for n in g.nodes}
    out = [{"icon": icon, "label": zh if lang == "zh" else en} for k, (icon, zh, en) in SHAPE_KEY.items() if k in kinds]
    if focus:
        out.insert(0, {"icon": "focus", "label": "大圆点:中心术语" if lang == "zh" else "large dot: the term in focus"})
    return out


def iframe_snippet(url: str, title: str) -> str:
    """An iframe of ``url`` at the views' fixed embed size, its attributes escaped."""
    src, name = html.escape(url, quote=True), html.escape(title, quote=True)
    return f'<iframe src="{src}" width="960" height="600" style="border:0" title="{name}"></iframe>'


def embed_snippets(url: str, title: str) -> str:
    """Two iframe snippets for ``url`` (absolute when served, with every parameter): fixed and responsive."""
    src, name = html.escape(url, quote=True), html.escape(title, quote=True)
    fixed = iframe_snippet(url, title)
    responsive = (
        '<div style="position:relative;width:100%;aspect-ratio:16/10">'
        f'<iframe src="{src}" title="{name}" loading="lazy" '
        'style="position:absolute;inset:0;width:100%;height:100%;border:0"></iframe></div>'
    )
    return fixed + "\n\n" + responsive


WORDS = {
    "zh": {
        "legend": "图例",
        "search": "搜索:中文、拼音或英文",
        "embed": "嵌入",
        "whole": "全图",
        "whole_title": "显示全图,再按恢复原大小",
        "nomatch": "无匹配",
        "open": "双击打开其页面",
        "nodes": "节点列表",
        "close": "关闭",
    },
    "en": {
        "legend": "Legend",
        "search": "Search: term, pinyin, English",
        "embed": "Embed",
        "whole": "Whole",
        "whole_title": "Show the whole graph; press again for readable labels",
        "nomatch": "No match",
        "open": "Double-click to open its page",
        "nodes": "Nodes",
        "close": "Close",
    },
}


def render_html(
    view: View, lay: Layout, dimensions: list[dict[str, Any]], lang: str, embed_url: str, base: str = ""
) -> str:
    """The whole page as a string (UTF-8 when written). ``base``: the data's base IRI; served, a
    double click on a node opens its page (IRI less the base, on the serving site)."""
    g, title, e = view.graph, view.title, html.escape
    w = WORDS[lang]
    data = view_data(view, lay, lang)
    data["words"] = {"nomatch": w["nomatch"], "open": w["open"]}
    data["base"] = base
    listing = "".join(
        f'<li>{e(n["full"])} <span lang="{"en" if lang == "zh" else "zh"}">{e(n["other"] or "")}</span></li>'
        for n in sorted(data["nodes"], key=lambda n: (n["kind"], n["full"]))
    )
    legend = "".join(
        f"<li>{_icon(i['icon'], i['colour'])}{e(i['label'])}</li>" for i in legend_items(g, dimensions, lang)
    ) + "".join(f"<li>{_icon(i['icon'])}{e(i['label'])}</li>" for i in shape_items(g, lang, view.focus is not None))
    words = "".join(f"<li>{e(line)}</li>" for line in view.words)
    return f"""<!doctype html>
<html lang="{e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>
{CSS_FILE.read_text(encoding="utf-8")}</style>
</head>
<body>
<div id="bar"><h1 title="{e(title)}">{e(title)}</h1>
<div id="find"><input id="search" type="search" autocomplete="off" placeholder="{e(w["search"])}"
 aria-label="{e(w["search"])}" aria-controls="results">
<ul id="results" role="listbox" aria-label="{e(w["search"])}"></ul>
<p id="nomatch" role="status" aria-live="polite"></p></div>
<button id="whole-button" type="button" aria-pressed="false" title="{e(w["whole_title"])}">{e(w["whole"])}</button>
<button id="embed-button" type="button" aria-expanded="false" aria-controls="embed">{e(w["embed"])}</button></div>
<div id="embed"><label for="embed-code">iframe</label><textarea id="embed-code" readonly>{
        e(embed_snippets(embed_url, title))
    }</textarea></div>
<div id="graph" role="img" aria-label="{e(title)}"></div>
<img id="snapshot" alt="{e(title)}">
<div id="tip" role="tooltip"></div>
<details id="legend" open><summary>{e(w["legend"])}</summary><ul>{legend}</ul></details>
{f'<ol id="words">{words}</ol>' if words else ""}
<ul id="nodes" aria-label="{e(w["nodes"])}">{listing}</ul>
<script>{vis_network_js()}</script>
<script id="data" type="application/json">{script_json(data)}</script>
<script>
{JS_FILE.read_text(encoding="utf-8")}</script>
</body>
</html>
"""
