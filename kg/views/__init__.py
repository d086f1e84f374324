"""Graph views trainers can embed: one projection, several views, several formats."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from kg.glossary import Glossary
from kg.views.projection import (
    ViewError,
    build_projection,
    dimension_view,
    overview,
    path_view,
    section_view,
    term_view,
)

FORMATS = ("html", "svg", "png", "graphml", "gexf")


@dataclass
class View:
    graph: nx.Graph
    title: str
    words: list[str] = field(default_factory=list)  # the path said in words (path views)


def make_view(
    glossary: Glossary, kind: str, args: list[str], depth: int = 1, title: str | None = None, lang: str = "zh"
) -> View:
    """Build one view: overview | dimension NAME | term TERM | section ID | path A B."""
    p = build_projection(glossary)
    need = {"overview": 0, "dimension": 1, "term": 1, "section": 1, "path": 2}
    if kind not in need:
        raise ViewError(f"unknown view '{kind}' (one of: {', '.join(need)})")
    if len(args) != need[kind]:
        raise ViewError(f"view '{kind}' takes {need[kind]} argument(s)")
    words: list[str] = []
    if kind == "overview":
        g, default = overview(p), ("七彩南码头 总览" if lang == "zh" else "Colourful Nanmatou: overview")
    elif kind == "dimension":
        g = dimension_view(p, args[0])
        dim = next(d for n, d in g.nodes(data=True) if d["kind"] == "dimension")
        default = dim["zh"] if lang == "zh" else dim["en"]
    elif kind == "term":
        g = term_view(p, args[0], depth)
        t = g.nodes[p.node_for_term(args[0])]
        default = f"{t['zh']} 关系图" if lang == "zh" else f"{t['en']}: neighbourhood"
    elif kind == "section":
        g = section_view(p, args[0])
        sec = next(d for n, d in g.nodes(data=True) if d["kind"] == "section")
        default = sec["zh"] if lang == "zh" else (sec["en"] or sec["zh"])
    else:
        g, words = path_view(p, args[0], args[1])
        default = f"{args[0]} → {args[1]}"
    return View(g, title or default, words)


def render(view: View, glossary: Glossary, fmt: str, lang: str = "zh", embed_url: str = "view.html") -> bytes:
    """The view in one format, as the bytes of the file."""
    from kg.views.html import render_html
    from kg.views.static import render_gexf, render_graphml, render_png, render_svg

    dims = glossary.data["dimensions"]
    if fmt == "html":
        return render_html(view.graph, dims, view.title, lang, embed_url).encode("utf-8")
    if fmt == "svg":
        return render_svg(view.graph, dims, view.title, lang).encode("utf-8")
    if fmt == "png":
        return render_png(view.graph, dims, view.title, lang)
    if fmt == "graphml":
        return render_graphml(view.graph, lang)
    if fmt == "gexf":
        return render_gexf(view.graph, lang)
    raise ViewError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})")


__all__ = ["FORMATS", "View", "ViewError", "make_view", "render"]
