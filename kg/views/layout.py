"""Designed layouts: every node placed on purpose, every label wrapped and measured, no two labels overlapping.

A view is laid out once, in *layout units* where the base font is ``FONT`` units
high; HTML draws in those units (vis-network scales fonts with the zoom), SVG and
PNG scale the whole picture uniformly, so a layout free of overlaps stays free of
them in every format. Text widths are estimated on the generous side (a CJK
character is one em, Latin letters about half an em), and a final pass pushes
apart any two footprints (glyph and label) that still touch.

- overview: the seven dimensions around a ring in their official order, each with
  its terms in a block beside it; work items grouped by section in columns beside
  the ring; terms of no dimension in the middle.
- term / dimension / section views: the focus large in the centre, its neighbours
  on a ring around it, grouped by kind, further nodes on outer rings.
- path: left to right.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

FONT = 14.0
LINE = 1.25  # line height in ems
PAD = 6.0  # the least gap between two footprints
KIND_ORDER = ["dimension", "part", "section", "initiative", "project", "term", "component"]


@dataclass(frozen=True)
class Style:
    """How one node is drawn: a glyph with the label below it, or a pill with the label inside."""

    shape: str  # dot | star | pill | pill-dashed | section | part
    radius: float  # glyph radius (0 for pills)
    font: float
    bold: bool = False

    @property
    def pill(self) -> bool:
        return self.shape in ("pill", "pill-dashed", "section", "part")


STYLES = {
    "term": Style("dot", 8, FONT),
    "component": Style("dot", 6, 13),
    "dimension": Style("star", 18, 16, bold=True),
    "initiative": Style("pill", 0, 13),
    "project": Style("pill-dashed", 0, 13),
    "section": Style("section", 0, 14, bold=True),
    "part": Style("part", 0, 15, bold=True),
}
FOCUS = Style("dot", 24, 19, bold=True)  # the term in the centre of its own view
FOCUS_STYLES = {"term": FOCUS, "dimension": Style("star", 30, 19, bold=True), "section": Style("section", 0, 17)}
PILL_MARGIN = 7.0


def char_width(ch: str) -> float:
    """A character's advance in ems, rounded up (wide and full-width forms are one em)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    # Generous on purpose: Noto's Latin letters average about 0.55 em; a reader of the SVG
    # measuring with a cruder rule (0.6 em a letter) must still find no overlap.
    if ch in " .,;:'|!il()[]/-·":
        return 0.42
    if ch.isupper() or ch in "mwMW@%&—":
        return 0.76
    return 0.64


def text_width(text: str, size: float) -> float:
    return sum(char_width(c) for c in text) * size


def wrap(text: str, size: float, max_width: float) -> list[str]:
    """Lines no wider than ``max_width``: English breaks between words, Chinese between characters
    (after punctuation where one is near). Nothing is ever cut off."""
    text = " ".join(text.split())
    if not text:
        return [""]
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        candidate = (line + token) if line else token.lstrip()
        if line and text_width(candidate.rstrip(), size) > max_width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line = candidate
        while text_width(line, size) > max_width and len(line) > 1:  # one word longer than a line
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], size) > max_width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    # One Chinese character alone on the last line (基层民主自治建立健 / 全): it takes the one
    # before it along (…建立 / 健全).
    if (
        len(lines) > 1
        and len(lines[-1]) == 1
        and _wide(lines[-1])
        and len(lines[-2]) > 2
        and _wide(lines[-2][-1])
        and lines[-2][-2] not in OPENING
    ):
        lines[-2], lines[-1] = lines[-2][:-1], lines[-2][-1] + lines[-1]
    return lines


def _wide(text: str) -> bool:
    return all(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


CLOSING = "”’»›》〉」』】〕）、，。；：！？"
OPENING = "“‘«‹《〈「『【〔（"


def _tokens(text: str) -> list[str]:
    """Words with their leading space for Latin text; single characters for CJK (punctuation kept on the left)."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch in CLOSING and not word and out:
            out[-1] += ch  # a closing quote or bracket stays with what it closes
            continue
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        if wide:
            if word:
                out.append(word)
                word = ""
            if out and unicodedata.category(ch).startswith("P") and ch not in "“‘《(（【":
                out[-1] += ch  # closing punctuation never starts a line
            else:
                out.append(ch)
        elif ch == " ":
            if word:
                out.append(word)
            word = " "
        elif ch in "+/-" and word.strip():
            out.append(word + ch)  # 1+4+27+197 may break after a plus, never inside a number
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


@dataclass
class Layout:
    """Positions (node centres), wrapped label lines and styles, all in layout units."""

    pos: dict[str, tuple[float, float]] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)
    style: dict[str, Style] = field(default_factory=dict)

    def label_box(self, node: str) -> tuple[float, float, float, float]:
        """Where the label is drawn: inside the pill, or centred below the glyph."""
        x, y = self.pos[node]
        s = self.style[node]
        w = max(text_width(line, s.font) for line in self.lines[node])
        h = len(self.lines[node]) * s.font * LINE
        if s.pill:
            return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        top = y + s.radius + 3
        return (x - w / 2, top, x + w / 2, top + h)

    def footprint(self, node: str) -> tuple[float, float, float, float]:
        """Glyph and label together (a pill is its own footprint)."""
        x, y = self.pos[node]
        s = self.style[node]
        x0, y0, x1, y1 = self.label_box(node)
        if s.pill:
            return (x0 - PILL_MARGIN, y0 - PILL_MARGIN, x1 + PILL_MARGIN, y1 + PILL_MARGIN)
        r = s.radius
        return (min(x0, x - r), y - r, max(x1, x + r), y1)

    def bounds(self, nodes: Collection[str] | None = None) -> tuple[float, float, float, float]:
        """The box around the footprints of ``nodes`` (every node when None)."""
        boxes = [self.footprint(n) for n in (self.pos if nodes is None else nodes)]
        if not boxes:
            return (0.0, 0.0, 1.0, 1.0)
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def size(self, node: str) -> tuple[float, float]:
        x0, y0, x1, y1 = self.footprint(node)
        return x1 - x0, y1 - y0

    def overlaps(self) -> list[tuple[str, str]]:
        """Pairs of nodes whose labels overlap (what the tests count)."""
        nodes = sorted(self.pos)
        boxes = [self.label_box(n) for n in nodes]
        out = []
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                b = boxes[j]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                    out.append((nodes[i], nodes[j]))
        return out


def label_text(d: dict[str, str], lang: str) -> str:
    return d["zh"] if lang == "zh" else (d["en"] or d["zh"])


def prepare(g: nx.Graph, lang: str, focus: str | None = None) -> Layout:
    """Styles and wrapped labels for every node; positions still to come."""
    lay = Layout()
    for node in sorted(g.nodes):
        d = g.nodes[node]
        s = FOCUS_STYLES.get(d["kind"], STYLES[d["kind"]]) if node == focus else STYLES[d["kind"]]
        width = (9.5 if s.pill else 8.5) * s.font
        if lang != "zh":
            width *= 1.25
        lay.style[node] = s
        lay.lines[node] = wrap(label_text(d, lang), s.font, width)
        lay.pos[node] = (0.0, 0.0)
    return lay


def separate(lay: Layout, pinned: Collection[str] = (), iterations: int = 600) -> None:
    """Push apart every two footprints closer than PAD, the least distance each time; pinned nodes stay."""
    nodes = sorted(lay.pos)
    n = len(nodes)
    if n < 2:
        return
    boxes = np.array([lay.footprint(v) for v in nodes])
    centre = np.array([lay.pos[v] for v in nodes])
    offset = centre - (boxes[:, :2] + boxes[:, 2:]) / 2  # node centre relative to its footprint centre
    cx = (boxes[:, 0] + boxes[:, 2]) / 2
    cy = (boxes[:, 1] + boxes[:, 3]) / 2
    hw = (boxes[:, 2] - boxes[:, 0]) / 2
    hh = (boxes[:, 3] - boxes[:, 1]) / 2
    fixed = np.array([v in pinned for v in nodes])
    order = np.arange(n)
    tie = np.where(order[:, None] < order[None, :], -1.0, 1.0)
    for _ in range(iterations):
        dx = cx[:, None] - cx[None, :]
        dy = cy[:, None] - cy[None, :]
        ox = hw[:, None] + hw[None, :] + PAD - np.abs(dx)
        oy = hh[:, None] + hh[None, :] + PAD - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        sx = np.where(dx == 0, tie, np.sign(dx))
        sy = np.where(dy == 0, tie, np.sign(dy))
        along_x = ox <= oy
        # Each node of a touching pair moves half the way; a pinned partner leaves it the whole way.
        share = np.where(fixed[None, :], 1.0, 0.5) * hit
        mx = np.where(along_x, ox * sx, 0.0) * share
        my = np.where(~along_x, oy * sy, 0.0) * share
        step_x = mx.sum(axis=1) * 0.55
        step_y = my.sum(axis=1) * 0.55
        step_x[fixed] = 0.0
        step_y[fixed] = 0.0
        cx = cx + step_x
        cy = cy + step_y
    for i, v in enumerate(nodes):
        lay.pos[v] = (round(float(cx[i] + offset[i, 0]), 1), round(float(cy[i] + offset[i, 1]), 1))


def _grid(lay: Layout, nodes: list[str], columns: int, origin: tuple[float, float]) -> tuple[float, float]:
    """Nodes in rows of ``columns`` cells, top-left at ``origin``; returns the block's width and height."""
    if not nodes:
        return 0.0, 0.0
    cw = max(lay.size(n)[0] for n in nodes) + PAD
    rows = [nodes[i : i + columns] for i in range(0, len(nodes), columns)]
    y = origin[1]
    for row in rows:
        rh = max(lay.size(n)[1] for n in row) + PAD
        for k, node in enumerate(row):
            fx0, fy0, fx1, _ = lay.footprint(node)
            x, yy = lay.pos[node]
            # Put the footprint's top-left corner at the cell's top-left, centred across the cell.
            lay.pos[node] = (origin[0] + k * cw + (cw - (fx1 - fx0)) / 2 + (x - fx0), y + (yy - fy0))
        y += rh
    return columns * cw, y - origin[1]


def _move(lay: Layout, nodes: list[str], dx: float, dy: float) -> None:
    for n in nodes:
        x, y = lay.pos[n]
        lay.pos[n] = (x + dx, y + dy)


SLIDE_ASPECT = 1520 / 954  # the plot area of a slide (kg.views.static.PLOT)


def overview_layout(g: nx.Graph, lang: str, dimension_order: list[str], collate: Mapping[str, Any]) -> Layout:
    """Dimension blocks around the middle, report structure in columns to the left, shaped to fill a slide."""
    lay = prepare(g, lang)
    kind = {n: g.nodes[n]["kind"] for n in g.nodes}
    dims = [d for d in dimension_order if d in g]
    members: dict[str, list[str]] = {d: [] for d in dims}
    loose: list[str] = []
    for n in sorted((v for v in g.nodes if kind[v] == "term"), key=lambda v: (collate[v], v)):
        members.get(g.nodes[n].get("dimension", ""), loose).append(n)
    # Each dimension's block: its star on top, its terms (primary dimension first) in a grid below.
    blocks: list[list[str]] = []
    for d in dims:
        terms = members[d]
        cols = max(2, min(5, math.ceil(math.sqrt(len(terms) * 0.9)))) if terms else 1
        w, _ = _grid(lay, terms, cols, (0.0, 60.0))
        lay.pos[d] = (w / 2, 0.0)
        blocks.append([d, *terms])
    if loose:
        _grid(lay, loose, max(2, math.ceil(math.sqrt(len(loose)))), (0.0, 0.0))
    for block in [*blocks, loose]:
        if block:
            x0, y0, x1, y1 = lay.bounds(block)
            _move(lay, block, -(x0 + x1) / 2, -(y0 + y1) / 2)
    _ring(lay, blocks, loose)
    ring = [n for b in blocks for n in b] + loose
    order = _structure(g, kind)
    # Try structures from long columns to short ones; keep the one whose picture best fills a slide.
    start = dict(lay.pos)
    best: tuple[float, dict[str, tuple[float, float]]] | None = None
    for stretch in (0.7, 0.85, 1.0, 1.25, 1.6):
        lay.pos = dict(start)
        _columns(lay, order, ring, stretch)
        x0, y0, x1, y1 = lay.bounds()
        scale = min(SLIDE_ASPECT / (x1 - x0), 1 / (y1 - y0))
        if best is None or scale > best[0]:
            best = (scale, dict(lay.pos))
    assert best is not None
    lay.pos = best[1]
    separate(lay)
    return lay


# Cells of a 3×3 grid clockwise from the top centre; the middle cell holds terms of no dimension.
CLOCKWISE = [(0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0), (0, 0)]


def _ring(lay: Layout, blocks: list[list[str]], loose: list[str]) -> None:
    """Dimension blocks clockwise from the top around the middle (seven: the bottom centre stays empty),
    each row packed side by side and centred, rows stacked: a ring that wastes no corner of a slide."""
    k = len(blocks)
    if k > len(CLOCKWISE):
        cells = [(i // 3, i % 3) for i in range(k)]  # more than eight dimensions: plain rows
    else:
        cells = [c for c in CLOCKWISE if not (k == 7 and c == (2, 1))][:k]
    rows: dict[int, list[tuple[int, list[str]]]] = {}
    for cell, block in zip(cells, blocks, strict=True):
        rows.setdefault(cell[0], []).append((cell[1], block))
    if loose:
        rows.setdefault(1, []).append((1, loose))
    y = 0.0
    for r in sorted(rows):
        row = sorted(rows[r], key=lambda cb: cb[0])
        sizes = []
        for _, block in row:
            x0, y0, x1, y1 = lay.bounds(block)
            sizes.append((x1 - x0, y1 - y0))
        width = sum(w for w, _ in sizes) + 6 * PAD * (len(row) - 1)
        height = max(h for _, h in sizes)
        x = -width / 2
        for (_, block), (w, h) in zip(row, sizes, strict=True):
            x0, y0, x1, y1 = lay.bounds(block)
            # Rows above the middle hang their blocks low, rows below stand them high: a ring, not a table.
            dy = {0: height - h, 1: (height - h) / 2}.get(r, 0.0)
            _move(lay, block, x - x0, y + dy - y0)
            x += w + 6 * PAD
        y += height + 6 * PAD


def _structure(g: nx.Graph, kind: dict[str, str]) -> list[str]:
    """Parts, each followed by its sections, each followed by its work items, in the report's order."""
    order: list[str] = []
    for part in sorted((n for n in g.nodes if kind[n] == "part"), key=_natural):
        order.append(part)
        for sec in sorted((s for s in g.neighbors(part) if kind[s] == "section"), key=_natural):
            order.append(sec)
            order += sorted((i for i in g.neighbors(sec) if kind[i] in ("initiative", "project")), key=_natural)
    placed = set(order)
    order += sorted(
        (n for n in g.nodes if n not in placed and kind[n] not in ("term", "dimension", "component")), key=_natural
    )
    return order


def _columns(lay: Layout, order: list[str], ring: list[str], stretch: float = 1.0) -> None:
    """The structure in columns of about the ring's height, left of the ring, read top to bottom, left to right."""
    if not order:
        return
    if ring:
        left, top, _, bottom = lay.bounds(ring)
    else:
        left, top, bottom = 0.0, 0.0, 800.0
    heights = [lay.size(n)[1] + PAD for n in order]
    count = max(1, math.ceil(sum(heights) / max((bottom - top) * stretch, 400.0)))
    per = sum(heights) / count
    columns: list[list[str]] = [[]]
    used = 0.0
    for n, h in zip(order, heights, strict=True):
        if columns[-1] and used + h / 2 > per and len(columns) < count:
            columns.append([])
            used = 0.0
        columns[-1].append(n)
        used += h
    x = left - 4 * PAD
    for column in reversed(columns):
        cw = max(lay.size(n)[0] for n in column)
        y = top
        for n in column:
            fx0, fy0, _, fy1 = lay.footprint(n)
            px, py = lay.pos[n]
            lay.pos[n] = (x - cw + (px - fx0), y + (py - fy0))
            y += fy1 - fy0 + PAD
        x -= cw + 3 * PAD


def _natural(node: str) -> tuple[object, ...]:
    """Order ids such as r-p1-s10-i2 by their numbers, not as text."""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", node))


def radial_layout(g: nx.Graph, focus: str, lang: str) -> Layout:
    """The focus in the centre; rings of nodes by distance, grouped by kind, each node near its parent."""
    lay = prepare(g, lang, focus)
    dist = nx.single_source_shortest_path_length(g, focus)
    lay.pos[focus] = (0.0, 0.0)
    angle: dict[str, float] = {focus: 0.0}
    inner = max(lay.size(focus)) / 2
    for level in range(1, max(dist.values(), default=0) + 1):
        ring = [n for n in g.nodes if dist.get(n) == level]
        if not ring:
            continue

        def parent_angle(n: str, level: int = level) -> float:
            parents = sorted(p for p in g.neighbors(n) if dist.get(p) == level - 1)
            return angle[parents[0]] if parents else 0.0

        ring.sort(key=lambda n: (parent_angle(n), KIND_ORDER.index(g.nodes[n]["kind"]), _natural(n)))
        widths = [lay.size(n)[0] + 2 * PAD for n in ring]
        heights = [lay.size(n)[1] for n in ring]
        circumference = sum(widths)
        least = inner + max(heights) / 2 + 4 * PAD + (30 if level == 1 else 0)
        # Many nodes: staggered rings (neighbours alternate between them) rather than one huge ring.
        step = max(heights) + 2 * PAD
        rings = 1
        while sum(2 * math.pi * (least + j * step) for j in range(rings)) < circumference and rings < 6:
            rings += 1
        radius = max(least, circumference / (2 * math.pi * rings) - (rings - 1) * step / 2)
        start = -math.pi / 2 if level == 1 else parent_angle(ring[0]) - math.pi * widths[0] / circumference
        run = 0.0
        for i, (n, w) in enumerate(zip(ring, widths, strict=True)):
            a = start + 2 * math.pi * (run + w / 2) / circumference
            run += w
            angle[n] = a
            r = radius + (i % rings) * step
            # Ellipse wider than tall: labels are wide, a slide is wide.
            lay.pos[n] = (r * 1.25 * math.cos(a), r * math.sin(a))
        inner = radius + (rings - 1) * step + max(heights) / 2
    separate(lay, pinned={focus})
    return lay


def path_layout(g: nx.Graph, path: list[str], lang: str) -> Layout:
    """Left to right, the first term on the left; room between nodes for the edge's label."""
    lay = prepare(g, lang)
    x = 0.0
    for i, n in enumerate(path):
        w = lay.size(n)[0]
        if i:
            x += w / 2
        lay.pos[n] = (x, 0.0)
        x += w / 2 + 150.0
    separate(lay)
    return lay
