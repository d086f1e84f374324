"""GraphML and GEXF for Gephi: directed edges labelled by their relation, positions from the designed layout."""

from __future__ import annotations

import io
import re

import networkx as nx

from kg.views.layout import Layout
from kg.views.projection import RELATIONS


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _gephi_graph(g: nx.Graph, lay: Layout, lang: str) -> nx.DiGraph:
    """The view as a directed graph: each edge from the resource that states the relation, labelled by it."""
    pos = lay.pos
    out = nx.DiGraph()
    for node in sorted(g.nodes):
        d = g.nodes[node]
        r, gg, b = _rgb(d["colour"])
        x, y = pos[node]
        out.add_node(
            node,
            label=d["zh"] if lang == "zh" else (d["en"] or d["zh"]),
            kind=d["kind"],
            label_en=d["en"],
            iri=d["iri"],
            r=r,
            g=gg,
            b=b,
            x=float(x),
            y=float(-y),  # Gephi's y axis points up
            size=20.0 if d["kind"] == "dimension" else 10.0,
        )
    for a, b in sorted(tuple(sorted(e)) for e in g.edges):
        d = g.edges[a, b]
        src, dst = (a, b) if d.get("src", a) == a else (b, a)
        # The label says the relation in the view's language; ``relation`` keeps the vocabulary's name.
        out.add_edge(src, dst, relation=d["relation"], label=RELATIONS[d["relation"]][lang == "en"])
    return out


def render_graphml(g: nx.Graph, lay: Layout, lang: str = "zh") -> bytes:
    """GraphML with r/g/b, x/y and size attributes, which Gephi reads as colour, position and size."""
    buf = io.BytesIO()
    nx.write_graphml(_gephi_graph(g, lay, lang), buf, encoding="utf-8")
    return buf.getvalue()


def render_gexf(g: nx.Graph, lay: Layout, lang: str = "zh") -> bytes:
    """GEXF 1.2 with viz:color, viz:position and viz:size."""
    gg = _gephi_graph(g, lay, lang)
    for _node, d in gg.nodes(data=True):
        d["viz"] = {
            "color": {"r": d["r"], "g": d["g"], "b": d["b"], "a": 1.0},
            "position": {"x": d["x"], "y": d["y"], "z": 0.0},
            "size": d["size"],
        }
    buf = io.BytesIO()
    nx.write_gexf(gg, buf, encoding="utf-8", version="1.2draft")
    # The writer stamps today's date: drop it so two runs give the same file.
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue())
