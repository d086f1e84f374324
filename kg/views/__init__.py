"""Graph views trainers can embed: one projection, several views, several formats."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from kg.glossary import Glossary
from kg.pinyin import collation_key
from kg.views.layout import Layout, overview_layout, path_layout, radial_layout
from kg.views.projection import (
    Projection,
    ViewError,
    bounded,
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
    kind: str = "overview"
    focus: str | None = None  # the node in the centre (term, dimension and section views)
    path: list[str] = field(default_factory=list)


def layout_of(view: View, glossary: Glossary, lang: str) -> Layout:
    """The designed layout of a view (the same for HTML, SVG, PNG and Gephi files)."""
    g = view.graph
    if view.kind == "path":
        return path_layout(g, view.path, lang)
    if view.focus is not None:
        return radial_layout(g, view.focus, lang)
    order = ["dim-" + d["iri"].rsplit("/", 1)[1] for d in glossary.data["dimensions"]]
    collate = {n: collation_key(d.get("pinyin", ""), d["zh"]) for n, d in g.nodes(data=True) if d["kind"] == "term"}
    return overview_layout(g, lang, order, collate)


def make_view(
    glossary: Glossary,
    kind: str,
    args: list[str],
    depth: int = 1,
    title: str | None = None,
    lang: str = "zh",
    projection: Projection | None = None,
) -> View:
    """Build one view: overview | dimension NAME | term TERM | section ID | path A B.

    A view of more than ``MAX_NODES`` nodes is cut to the nodes nearest its focus, and
    its title says how many it shows. ``projection`` reuses one already built (a server's).
    """
    p = projection or build_projection(glossary)
    need = {"overview": 0, "dimension": 1, "term": 1, "section": 1, "path": 2}
    if kind not in need:
        raise ViewError(f"unknown view '{kind}' (one of: {', '.join(need)})")
    if kind == "section" and len(args) > 1:  # part-2/section-3, as a URL path splits it
        args = ["/".join(args)]
    if len(args) != need[kind]:
        raise ViewError(f"view '{kind}' takes {need[kind]} argument(s)")
    words: list[str] = []
    focus: str | None = None
    path: list[str] = []
    if kind == "overview":
        g, default = overview(p), ("七彩南码头 总览" if lang == "zh" else "Colourful Nanmatou: overview")
    elif kind == "dimension":
        g = dimension_view(p, args[0])
        focus, dim = next((n, d) for n, d in g.nodes(data=True) if d["kind"] == "dimension")
        default = dim["zh"] if lang == "zh" else dim["en"]
    elif kind == "term":
        g = term_view(p, args[0], depth)
        focus = p.node_for_term(args[0])
        t = g.nodes[focus]
        default = f"{t['zh']} 关系图" if lang == "zh" else f"{t['en'] or t['zh']}: neighbourhood"
    elif kind == "section":
        g = section_view(p, args[0])
        focus, sec = next((n, d) for n, d in g.nodes(data=True) if d["kind"] == "section")
        default = sec["zh"] if lang == "zh" else (sec["en"] or sec["zh"])
    else:
        g, words = path_view(p, args[0], args[1], lang)
        path = g.graph["path"]
        ends = [g.nodes[path[0]], g.nodes[path[-1]]]
        default = " → ".join(d["zh"] if lang == "zh" else (d["en"] or d["zh"]) for d in ends)
    g, omitted = bounded(g, path or ([focus] if focus else []))
    heading = title or default
    if omitted:
        shown, total = g.number_of_nodes(), g.number_of_nodes() + omitted
        heading += f"(显示 {total:,} 个节点中的 {shown})" if lang == "zh" else f" ({shown} of {total:,} nodes shown)"
    return View(g, heading, words, kind, focus, path)


def render(view: View, glossary: Glossary, fmt: str, lang: str = "zh", embed_url: str = "view.html") -> bytes:
    """The view in one format, as the bytes of the file."""
    from kg.views.gephi import render_gexf, render_graphml
    from kg.views.html import render_html
    from kg.views.static import render_png, render_svg

    if fmt not in FORMATS:
        raise ViewError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})")
    dims = glossary.data["dimensions"]
    lay = layout_of(view, glossary, lang)
    if fmt == "html":
        return render_html(view, lay, dims, lang, embed_url, base=glossary.data["base"]).encode("utf-8")
    if fmt == "svg":
        return render_svg(view, lay, dims, lang).encode("utf-8")
    if fmt == "png":
        return render_png(view, lay, dims, lang)
    if fmt == "graphml":
        return render_graphml(view.graph, lay, lang)
    if fmt == "gexf":
        return render_gexf(view.graph, lay, lang)
    raise ViewError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})")


__all__ = ["FORMATS", "View", "ViewError", "layout_of", "make_view", "render"]
