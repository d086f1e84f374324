"""One self-contained HTML file per view: vis-network inlined, no request leaves the page.

pyvis supplies the vis-network build and the node/edge model; its own page
template is not used, because it loads Bootstrap and vis from CDNs even in
``in_line`` mode and writes labels and menus as raw HTML. Data reaches the page
as JSON with ``<``, ``>`` and ``&`` escaped, and tooltips are built with
``textContent``, so no label can become markup.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.views.layout import positions
from kg.views.projection import KINDS, NEUTRAL, RELATIONS

CSS_FILE = Path(__file__).with_name("view.css")


def vis_network_js() -> str:
    """The vis-network build that ships inside the pyvis package."""
    import pyvis

    path = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return path.read_text(encoding="utf-8")


def _script_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _nodes_edges(g: nx.Graph, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from pyvis.network import Network

    pos = positions(g)
    net = Network(directed=False)  # pyvis's node/edge model; its template is never rendered
    for node in sorted(g.nodes):
        d = g.nodes[node]
        label = d["zh"] if lang == "zh" else (d["en"] or d["zh"])
        other = d["en"] if lang == "zh" else d["zh"]
        x, y = pos[node]
        net.add_node(
            node,
            label=label,
            shape=KINDS[d["kind"]][0],
            color=d["colour"],
            x=x,
            y=y,
            physics=False,
            size=22 if d["kind"] == "dimension" else 14,
        )
        extra = net.node_map[node]
        extra.update(
            {
                "kind": d["kind"],
                "other": other,
                "pinyin": d.get("pinyin", ""),
                "definition": d.get("definition", ""),
                "search": " ".join([d["zh"], d["en"], d.get("pinyin", ""), d.get("alt", ""), node]).lower(),
            }
        )
    for a, b in sorted(tuple(sorted(e)) for e in g.edges):
        rel = g.edges[a, b]["relation"]
        net.add_edge(a, b, label=RELATIONS[rel][0 if lang == "zh" else 1], relation=rel)
    return list(net.nodes), list(net.edges)


# The legend draws each node shape as a symbol and names it in plain words (never vis-network's shape name).
GLYPHS = {"dot": "●", "star": "★", "box": "▬", "diamond": "◆", "ellipse": "◯", "database": "▮", "triangle": "▲"}


def legend_items(g: nx.Graph, dimensions: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """Colour keys: each dimension drawn in the view, and grey when some node belongs to several or none."""
    used = {g.nodes[n]["colour"] for n in g.nodes}
    items = [
        {"colour": d["display"], "label": d["label"][lang] or d["label"]["zh"]}
        for d in dimensions
        if d["display"] in used
    ]
    if NEUTRAL in used:
        label = "灰色:多个维度或未分维度" if lang == "zh" else "grey: several dimensions, or none"
        items.append({"colour": NEUTRAL, "label": label})
    return items


def embed_snippets(url: str, title: str) -> str:
    """Two iframe snippets for ``url`` (absolute when served, with every parameter): fixed and responsive."""
    src, name = html.escape(url, quote=True), html.escape(title, quote=True)
    fixed = f'<iframe src="{src}" width="960" height="600" style="border:0" title="{name}"></iframe>'
    responsive = (
        '<div style="position:relative;width:100%;aspect-ratio:16/10">'
        f'<iframe src="{src}" title="{name}" loading="lazy" '
        'style="position:absolute;inset:0;width:100%;height:100%;border:0"></iframe></div>'
    )
    return fixed + "\n\n" + responsive


def render_html(
    g: nx.Graph, dimensions: list[dict[str, Any]], title: str, lang: str = "zh", embed_url: str = "view.html"
) -> str:
    """The whole page as a string (UTF-8 when written)."""
    nodes, edges = _nodes_edges(g, lang)
    legend = legend_items(g, dimensions, lang)
    kinds = sorted({g.nodes[n]["kind"] for n in g.nodes})
    shapes = [{"kind": k, "shape": KINDS[k][0], "label": KINDS[k][1 if lang == "zh" else 2]} for k in kinds]
    listing = "".join(
        f"<li>{html.escape(n['label'])} <span>{html.escape(n['other'] or '')}</span></li>"
        for n in sorted(nodes, key=lambda n: (n["kind"], n["label"]))
    )
    iframe = embed_snippets(embed_url, title)
    e = html.escape
    legend_html = (
        f'<div id="legend"><strong>{"图例" if lang == "zh" else "Legend"}</strong><br>'
        + "".join(f'<span><i style="background:{e(i["colour"])}"></i>{e(i["label"])}</span><br>' for i in legend)
        + "".join(f"<span>{GLYPHS.get(k['shape'], '●')} {e(k['label'])}</span><br>" for k in shapes)
        + "</div>"
    )
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
<div id="bar"><h1>{e(title)}</h1>
<input id="search" placeholder="搜索 中文 / pinyin / English" aria-label="search nodes">
<button id="embed-button" type="button">嵌入 Embed</button></div>
<div id="embed"><p>iframe:</p><textarea readonly>{e(iframe)}</textarea></div>
<div id="graph" role="img" aria-label="{e(title)}"></div>
<div id="tip" role="tooltip"></div>
{legend_html}
<ul id="nodes" aria-label="nodes">{listing}</ul>
<script>{vis_network_js()}</script>
<script id="data" type="application/json">{_script_json({"nodes": nodes, "edges": edges})}</script>
<script>
(function () {{
  var data = JSON.parse(document.getElementById("data").textContent);
  var nodes = new vis.DataSet(data.nodes.map(function (n) {{
    return {{id: n.id, label: n.label, x: n.x, y: n.y, shape: n.shape, size: n.size, physics: false,
             color: {{background: n.color, border: n.color}}, font: {{color: "#1b1b1f", size: 14}}}};
  }}));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {{
    return {{id: i, from: e.from, to: e.to, color: {{color: "#b0b7bf"}}, width: 1}};
  }}));
  var byId = {{}};
  data.nodes.forEach(function (n) {{ byId[n.id] = n; }});
  var network = new vis.Network(document.getElementById("graph"), {{nodes: nodes, edges: edges}},
    {{physics: false, interaction: {{hover: true, tooltipDelay: 100}}, edges: {{smooth: false}}}});
  window.kgNetwork = network;
  window.kgNodeCount = data.nodes.length;
  var tip = document.getElementById("tip");
  network.on("hoverNode", function (p) {{
    var n = byId[p.node];
    tip.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = n.label;
    tip.appendChild(strong);
    [n.other, n.pinyin, n.definition].forEach(function (t) {{
      if (!t) return;
      var div = document.createElement("div");
      div.textContent = t;
      tip.appendChild(div);
    }});
    tip.style.left = (p.event.center ? p.event.center.x + 12 : 20) + "px";
    tip.style.top = (p.event.center ? p.event.center.y + 12 : 60) + "px";
    tip.style.display = "block";
  }});
  network.on("blurNode", function () {{ tip.style.display = "none"; }});
  function focus(id) {{
    if (!byId[id]) return false;
    network.selectNodes([id]);
    network.focus(id, {{scale: 1.2, animation: false}});
    window.kgSelected = id;
    return true;
  }}
  function fromHash() {{
    var m = /node=([^&]+)/.exec(location.hash);
    if (m) focus(decodeURIComponent(m[1]));
  }}
  window.addEventListener("hashchange", fromHash);
  network.once("afterDrawing", function () {{
    window.kgRenderedAt = performance.now();
    window.kgRendered = true;
    fromHash();
  }});
  document.getElementById("search").addEventListener("keydown", function (ev) {{
    if (ev.key !== "Enter") return;
    var q = ev.target.value.trim().toLowerCase();
    if (!q) return;
    var hit = data.nodes.find(function (n) {{ return n.search.indexOf(q) >= 0; }});
    if (hit) {{ history.replaceState(null, "", "#node=" + encodeURIComponent(hit.id)); focus(hit.id); }}
  }});
  document.getElementById("embed-button").addEventListener("click", function () {{
    var panel = document.getElementById("embed");
    panel.style.display = panel.style.display === "block" ? "none" : "block";
  }});
}})();
</script>
</body>
</html>
"""
