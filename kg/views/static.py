"""Slide-ready SVG and PNG (1920×1080, legend, CJK glyphs) and GraphML/GEXF for Gephi.

All from the same precomputed positions and colours as the HTML view.
"""

from __future__ import annotations

import functools
import html
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx

from kg.views.html import legend_items
from kg.views.layout import HEIGHT as LAYOUT_H
from kg.views.layout import WIDTH as LAYOUT_W
from kg.views.layout import positions
from kg.views.projection import KINDS, ViewError

W, H = 1920, 1080
PLOT = (40, 90, 1540, 1040)  # left, top, right, bottom: the legend takes the right-hand side
# CJK fonts where systems keep them (Linux, macOS, Windows); fontconfig is asked first where present.
FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
]
# The fallback that always works: a subset of Noto Sans CJK SC (all 6,763 GB2312 hanzi, Latin,
# pinyin letters, CJK punctuation and full-width forms) shipped with the package, SIL OFL 1.1.
PACKAGED_FONT = Path(__file__).parent / "fonts" / "NotoSansSC-Regular-subset.otf"


def _canvas(g: nx.Graph) -> dict[str, tuple[float, float]]:
    left, top, right, bottom = PLOT
    out = {}
    for node, (x, y) in positions(g).items():
        out[node] = (
            round(left + (x + LAYOUT_W / 2) / LAYOUT_W * (right - left), 1),
            round(top + (y + LAYOUT_H / 2) / LAYOUT_H * (bottom - top), 1),
        )
    return out


def _label(d: dict[str, Any], lang: str, limit: int = 14) -> str:
    text = d["zh"] if lang == "zh" else (d["en"] or d["zh"])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_svg(g: nx.Graph, dimensions: list[dict[str, Any]], title: str, lang: str = "zh") -> str:
    e = html.escape
    pos = _canvas(g)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        'font-family="Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif">',
        f'<rect width="{W}" height="{H}" fill="#ffffff"/>',
        f'<text x="40" y="60" font-size="34" font-weight="bold" fill="#1b1b1f">{e(title)}</text>',
    ]
    for a, b in sorted(tuple(sorted(x)) for x in g.edges):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#c5cad0" stroke-width="1.2"/>')
    for node in sorted(g.nodes):
        d = g.nodes[node]
        x, y = pos[node]
        r = 13 if d["kind"] == "dimension" else 8
        colour = e(d["colour"])
        if KINDS[d["kind"]][0] in ("box", "diamond", "database"):
            out.append(f'<rect x="{x - r}" y="{y - r}" width="{2 * r}" height="{2 * r}" fill="{colour}"/>')
        else:
            out.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour}"/>')
        out.append(f'<text x="{x + r + 4}" y="{y + 5}" font-size="15" fill="#1b1b1f">{e(_label(d, lang))}</text>')
    ly = 120
    out.append(
        f'<text x="1580" y="{ly - 20}" font-size="22" font-weight="bold">{"图例" if lang == "zh" else "Legend"}</text>'
    )
    for item in legend_items(g, dimensions, lang):
        out.append(f'<circle cx="1592" cy="{ly}" r="9" fill="{e(item["colour"])}"/>')
        out.append(f'<text x="1610" y="{ly + 6}" font-size="18">{e(item["label"])}</text>')
        ly += 34
    out.append("</svg>\n")
    return "\n".join(out)


@functools.lru_cache(maxsize=1)
def _fontconfig_cjk() -> list[str]:
    """Sans fonts fontconfig knows that cover Chinese, regular weights first (empty without fontconfig)."""
    if not shutil.which("fc-list"):
        return []
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh-cn:charset=4e2d", "file", "style"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = []
    for line in listed.splitlines():
        path, _, style = line.partition(":")
        if path.endswith((".ttc", ".ttf", ".otf")) and "Serif" not in path and "Mono" not in path:
            files.append((("Regular" not in style and "Book" not in style), "Bold" in path, path.strip()))
    return [p for *_, p in sorted(files)]


def font_files() -> list[str]:
    """Where a CJK font is looked for, in order; the packaged subset is always last."""
    return [*_fontconfig_cjk(), *FONT_CANDIDATES, str(PACKAGED_FONT)]


@functools.lru_cache(maxsize=16)
def cjk_font(size: int) -> Any:
    """A font with Chinese glyphs for Pillow: the system's if it has one, else the packaged Noto subset."""
    from PIL import ImageFont

    for p in font_files():
        if Path(p).is_file():
            try:
                return ImageFont.truetype(p, size)
            except OSError:
                continue
    raise ViewError(f"no CJK font found for PNG output, not even the packaged {PACKAGED_FONT.name}")


def render_png(g: nx.Graph, dimensions: list[dict[str, Any]], title: str, lang: str = "zh") -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(img)
    font, small, big = cjk_font(15), cjk_font(18), cjk_font(34)
    pos = _canvas(g)
    draw.text((40, 28), title, fill="#1b1b1f", font=big)
    for a, b in sorted(tuple(sorted(x)) for x in g.edges):
        draw.line([pos[a], pos[b]], fill="#c5cad0", width=1)
    for node in sorted(g.nodes):
        d = g.nodes[node]
        x, y = pos[node]
        r = 13 if d["kind"] == "dimension" else 8
        box = [x - r, y - r, x + r, y + r]
        if KINDS[d["kind"]][0] in ("box", "diamond", "database"):
            draw.rectangle(box, fill=d["colour"])
        else:
            draw.ellipse(box, fill=d["colour"])
        draw.text((x + r + 4, y - 10), _label(d, lang), fill="#1b1b1f", font=font)
    ly = 120
    draw.text((1580, ly - 44), "图例" if lang == "zh" else "Legend", fill="#1b1b1f", font=cjk_font(22))
    for item in legend_items(g, dimensions, lang):
        draw.ellipse([1583, ly - 9, 1601, ly + 9], fill=item["colour"])
        draw.text((1610, ly - 12), item["label"], fill="#1b1b1f", font=small)
        ly += 34
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _gephi_graph(g: nx.Graph, lang: str) -> nx.DiGraph:
    """The view as a directed graph: each edge from the resource that states the relation, labelled by it."""
    pos = positions(g)
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
            y=float(-y),
            size=20.0 if d["kind"] == "dimension" else 10.0,
        )
    for a, b in sorted(tuple(sorted(e)) for e in g.edges):
        d = g.edges[a, b]
        src, dst = (a, b) if d.get("src", a) == a else (b, a)
        out.add_edge(src, dst, relation=d["relation"], label=d["relation"])
    return out


def render_graphml(g: nx.Graph, lang: str = "zh") -> bytes:
    """GraphML with r/g/b, x/y and size attributes, which Gephi reads as colour, position and size."""
    buf = io.BytesIO()
    nx.write_graphml(_gephi_graph(g, lang), buf, encoding="utf-8")
    return buf.getvalue()


def render_gexf(g: nx.Graph, lang: str = "zh") -> bytes:
    """GEXF 1.2 with viz:color, viz:position and viz:size."""
    gg = _gephi_graph(g, lang)
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
