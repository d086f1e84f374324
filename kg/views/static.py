"""Slide-ready SVG and PNG (1920×1080): the designed layout scaled to the slide, a legend in its own column.

Both formats draw the same *scene* — lines, glyphs, pills and wrapped labels in slide
pixels — so what the SVG shows, the PNG shows. The layout keeps labels apart in
layout units and the scene scales everything uniformly, so they stay apart.
"""

from __future__ import annotations

import functools
import html
import io
import math
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.views.html import PART_FILL, SECTION_FILL, TEXT, legend_items, shape_items
from kg.views.layout import LINE, PILL_MARGIN, Layout, wrap
from kg.views.projection import NEUTRAL, RELATIONS, ViewError

if TYPE_CHECKING:
    from kg.views import View

W, H = 1920, 1080
PLOT = (40.0, 96.0, 1560.0, 1050.0)  # left, top, right, bottom; the legend has x ≥ 1590 to itself
LEGEND_X = 1590.0
EDGE = "#aab2ba"
ARROW = "#5f6770"  # a path's steps: dark enough to read their direction
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


@dataclass
class Scene:
    """Drawing operations in slide pixels, in painting order."""

    ops: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, *op: Any) -> None:
        self.ops.append(op)


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.45
        pts.append((round(cx + rr * math.cos(a), 1), round(cy + rr * math.sin(a), 1)))
    return pts


def _reach(lay: Layout, node: str, dx: float, dy: float) -> float:
    """How far from a node's centre its outline lies in the direction (dx, dy), in layout units."""
    st = lay.style[node]
    if not st.pill:
        return st.radius
    x0, y0, x1, y1 = lay.label_box(node)
    hw, hh = (x1 - x0) / 2 + PILL_MARGIN, (y1 - y0) / 2 + PILL_MARGIN
    return min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf) * math.hypot(dx, dy)


def _short_of(p: tuple[float, float], q: tuple[float, float], gap: float) -> tuple[float, float]:
    """The point ``gap`` before ``q`` on the way from ``p``."""
    length = math.hypot(q[0] - p[0], q[1] - p[1])
    if length <= gap:
        return q
    k = (length - gap) / length
    return round(p[0] + (q[0] - p[0]) * k, 1), round(p[1] + (q[1] - p[1]) * k, 1)


def scene(view: View, lay: Layout, dimensions: list[dict[str, Any]], lang: str) -> Scene:
    """The whole slide: title, edges, nodes, labels and the legend."""
    g = view.graph
    sc = Scene()
    sc.add("rect", 0, 0, W, H, "#ffffff", None, False, 0)
    title_size = 34.0
    for i, line in enumerate(wrap(view.title, title_size, PLOT[2] - PLOT[0])[:2]):
        sc.add("text", PLOT[0], 24 + i * title_size * LINE, [line], title_size, TEXT, False, "start")
    x0, y0, x1, y1 = lay.bounds()
    left, top, right, bottom = PLOT
    s = min((right - left) / max(x1 - x0, 1), (bottom - top) / max(y1 - y0, 1), 2.0)
    ox = left + ((right - left) - (x1 - x0) * s) / 2 - x0 * s
    oy = top + ((bottom - top) - (y1 - y0) * s) / 2 - y0 * s

    def at(x: float, y: float) -> tuple[float, float]:
        return round(ox + x * s, 1), round(oy + y * s, 1)

    arrows = view.kind == "path"
    for a, b in sorted(tuple(sorted(e)) for e in g.edges):
        d = g.edges[a, b]
        src, dst = (a, b) if d.get("src", a) == a else (b, a)
        p, q = at(*lay.pos[src]), at(*lay.pos[dst])
        if arrows:  # stop short of the target's outline, so the arrowhead shows
            q = _short_of(p, q, _reach(lay, dst, q[0] - p[0], q[1] - p[1]) * s + 5)
        sc.add("line", *p, *q, ARROW if arrows else EDGE, 1.6 if arrows else 1.2, arrows)
    for node in sorted(g.nodes):
        d, st = g.nodes[node], lay.style[node]
        cx, cy = at(*lay.pos[node])
        r = st.radius * s
        if st.pill:
            bx0, by0, bx1, by1 = lay.label_box(node)
            px0, py0 = at(bx0 - PILL_MARGIN, by0 - PILL_MARGIN)
            px1, py1 = at(bx1 + PILL_MARGIN, by1 + PILL_MARGIN)
            fill, stroke, ink = "#ffffff", d["colour"], TEXT
            if st.shape == "section":
                fill, stroke = SECTION_FILL, NEUTRAL
            elif st.shape == "part":
                fill, stroke, ink = PART_FILL, PART_FILL, "#ffffff"
            sc.add("rect", px0, py0, px1, py1, fill, stroke, st.shape == "pill-dashed", 6 * s)
        else:
            colours = d.get("colours") or [d["colour"]]
            if st.shape == "star":
                sc.add("star", _star(cx, cy, r), colours[0])
            elif len(colours) > 1:
                sc.add("pie", cx, cy, r, colours)
            else:
                sc.add("circle", cx, cy, r, colours[0], TEXT if node == view.focus else None)
            ink = TEXT
        lx0, ly0, _lx1, _ = lay.label_box(node)
        tx, ty = at((lx0 + _lx1) / 2, ly0)
        sc.add("text", tx, ty, lay.lines[node], st.font * s, ink, not st.pill, "middle")
    if view.kind == "path":
        for a, b in sorted(tuple(sorted(e)) for e in g.edges):
            (xa, ya), (xb, yb) = lay.pos[a], lay.pos[b]
            label = RELATIONS[g.edges[a, b]["relation"]][lang == "en"]
            mx, my = at((xa + xb) / 2, (ya + yb) / 2)
            sc.add("text", mx, my - 26 * s, [label], 13 * s, TEXT, True, "middle")
    _legend(sc, view, dimensions, lang)
    return sc


def _legend(sc: Scene, view: View, dimensions: list[dict[str, Any]], lang: str) -> None:
    y = PLOT[1]
    sc.add("text", LEGEND_X, y, ["图例" if lang == "zh" else "Legend"], 22, TEXT, False, "start")
    y += 40
    items = [(i["icon"], i["colour"], i["label"]) for i in legend_items(view.graph, dimensions, lang)]
    items += [(i["icon"], NEUTRAL, i["label"]) for i in shape_items(view.graph, lang, view.kind == "term")]
    for icon, colour, label in items:
        cx, cy = LEGEND_X + 10, y + 11
        if icon == "star":
            sc.add("star", _star(cx, cy, 11), colour)
        elif icon == "split":
            sc.add("pie", cx, cy, 9, ["#c62828", "#1565c0", "#2e7d32"])
        elif icon in ("pill", "pill-dashed", "section", "part"):
            fill = {"section": SECTION_FILL, "part": PART_FILL}.get(icon, "#ffffff")
            sc.add("rect", cx - 10, cy - 7, cx + 10, cy + 7, fill, colour, icon == "pill-dashed", 4)
        else:
            size = {"focus": 12, "small": 6}.get(icon, 9)
            sc.add("circle", cx, cy, size, colour, TEXT if icon == "focus" else None)
        lines = wrap(label, 17, W - 20 - (LEGEND_X + 28))
        sc.add("text", LEGEND_X + 28, y, lines, 17, TEXT, False, "start")
        y += max(28, len(lines) * 17 * LINE + 8)


def render_svg(view: View, lay: Layout, dimensions: list[dict[str, Any]], lang: str = "zh") -> str:
    e = html.escape
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        'font-family="Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{ARROW}"/></marker></defs>',
        f"<title>{e(view.title)}</title>",
    ]
    for op in scene(view, lay, dimensions, lang).ops:
        kind = op[0]
        if kind == "rect":
            _, x0, y0, x1, y1, fill, stroke, dashed, radius = op
            extra = f' stroke="{e(stroke)}" stroke-width="2"' if stroke else ""
            extra += ' stroke-dasharray="6 4"' if dashed else ""
            out.append(
                f'<rect x="{x0}" y="{y0}" width="{round(x1 - x0, 1)}" height="{round(y1 - y0, 1)}" '
                f'rx="{round(radius, 1)}" fill="{e(fill)}"{extra}/>'
            )
        elif kind == "line":
            _, x1, y1, x2, y2, colour, width, arrow = op
            marker = ' marker-end="url(#arrow)"' if arrow else ""
            out.append(
                f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="{width}"{marker}/>'
            )
        elif kind == "circle":
            _, cx, cy, r, fill, stroke = op
            extra = f' stroke="{stroke}" stroke-width="3"' if stroke else ""
            out.append(f'<circle cx="{cx}" cy="{cy}" r="{round(r, 1)}" fill="{e(fill)}"{extra}/>')
        elif kind == "star":
            pts = " ".join(f"{x},{y}" for x, y in op[1])
            out.append(f'<polygon points="{pts}" fill="{e(op[2])}"/>')
        elif kind == "pie":
            _, cx, cy, r, colours = op
            step = 2 * math.pi / len(colours)
            for i, c in enumerate(colours):
                a0, a1 = -math.pi / 2 + i * step, -math.pi / 2 + (i + 1) * step
                p0 = (round(cx + r * math.cos(a0), 2), round(cy + r * math.sin(a0), 2))
                p1 = (round(cx + r * math.cos(a1), 2), round(cy + r * math.sin(a1), 2))
                large = 1 if step > math.pi else 0
                out.append(
                    f'<path d="M{cx} {cy} L{p0[0]} {p0[1]} A{round(r, 2)} {round(r, 2)} 0 {large} 1 '
                    f'{p1[0]} {p1[1]} Z" fill="{e(c)}"/>'
                )
        elif kind == "text":
            _, x, y, lines, size, ink, halo, anchor = op
            halo_attr = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' if halo else ""
            spans = "".join(
                f'<tspan x="{x}" y="{round(y + (i + 0.86) * size * LINE - size * (LINE - 1) / 2, 1)}">{e(t)}</tspan>'
                for i, t in enumerate(lines)
            )
            out.append(
                f'<text font-size="{round(size, 1)}" fill="{ink}" text-anchor="{anchor}"{halo_attr}>{spans}</text>'
            )
    out.append("</svg>\n")
    return "\n".join(out)


def render_png(view: View, lay: Layout, dimensions: list[dict[str, Any]], lang: str = "zh") -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(img)
    for op in scene(view, lay, dimensions, lang).ops:
        kind = op[0]
        if kind == "rect":
            _, x0, y0, x1, y1, fill, stroke, dashed, radius = op
            draw.rounded_rectangle([x0, y0, x1, y1], radius=radius, fill=fill)
            if stroke:
                draw.rounded_rectangle([x0, y0, x1, y1], radius=radius, outline=stroke, width=2)
                if dashed:  # white gaps over the outline
                    for gx in range(int(x0 + radius), int(x1 - radius), 10):
                        draw.line([(gx + 6, y0), (gx + 10, y0)], fill=fill, width=3)
                        draw.line([(gx + 6, y1), (gx + 10, y1)], fill=fill, width=3)
        elif kind == "line":
            _, x1, y1, x2, y2, colour, width, arrow = op
            draw.line([(x1, y1), (x2, y2)], fill=colour, width=max(1, round(width)))
            if arrow:
                a = math.atan2(y2 - y1, x2 - x1)
                tip = (x2, y2)
                wing = [(x2 - 12 * math.cos(a + d), y2 - 12 * math.sin(a + d)) for d in (0.4, -0.4)]
                draw.polygon([tip, *wing], fill=colour)
        elif kind == "circle":
            _, cx, cy, r, fill, stroke = op
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill, outline=stroke, width=3 if stroke else 0)
        elif kind == "star":
            draw.polygon(op[1], fill=op[2])
        elif kind == "pie":
            _, cx, cy, r, colours = op
            step = 360 / len(colours)
            for i, c in enumerate(colours):
                draw.pieslice([cx - r, cy - r, cx + r, cy + r], -90 + i * step, -90 + (i + 1) * step, fill=c)
        elif kind == "text":
            _, x, y, lines, size, ink, halo, anchor = op
            font = cjk_font(max(6, round(size)))
            for i, t in enumerate(lines):
                ty = y + i * size * LINE
                kw: dict[str, Any] = {"stroke_width": 2, "stroke_fill": "#ffffff"} if halo else {}
                draw.text((x, ty), t, fill=ink, font=font, anchor="ma" if anchor == "middle" else "la", **kw)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


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
def _simplified_face(path: str) -> int:
    """The face of a font collection drawn for Simplified Chinese (Noto Sans CJK's first face is
    the Japanese one, whose glyphs differ); 0 for a single font or when no face says SC."""
    if not path.lower().endswith(".ttc"):
        return 0
    from PIL import ImageFont

    for index in range(32):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith(" SC") or " SC " in family or "Simplified" in family:
            return index
    return 0


@functools.lru_cache(maxsize=64)
def cjk_font(size: int) -> Any:
    """A font with Chinese glyphs for Pillow: the system's if it has one, else the packaged Noto subset."""
    from PIL import ImageFont

    for p in font_files():
        if Path(p).is_file():
            try:
                return ImageFont.truetype(p, size, index=_simplified_face(p))
            except OSError:
                continue
    raise ViewError(f"no CJK font found for PNG output, not even the packaged {PACKAGED_FONT.name}")
