"""Graph views: every view in every format, reproducible files, Gephi-readable exports, CJK in PNG."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.glossary import Glossary
from kg.views import FORMATS, ViewError, make_view, render
from kg.views.projection import build_projection, central_terms

VIEWS = [
    ("overview", []),
    ("dimension", ["blue"]),
    ("term", ["三会一代理"]),
    ("section", ["守底线"]),
    ("path", ["三会一代理", "码头门神"]),
]


@pytest.fixture(scope="module")
def glossary(dist):
    return Glossary.load(dist)


@pytest.mark.parametrize(("kind", "args"), VIEWS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_view_in_every_format(glossary, kind, args, fmt):
    view = make_view(glossary, kind, args)
    assert view.graph.number_of_nodes() >= 2
    first = render(view, glossary, fmt)
    again = render(make_view(glossary, kind, args), glossary, fmt)
    assert first == again, "two runs must give the same file"
    if fmt == "html":
        text = first.decode("utf-8")
        import re

        # Nothing the page would load from elsewhere: no remote src/href, no @import or url() to a host.
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text)
        assert not re.search(r"""@import|url\(\s*["']?(?:https?:)?//""", text)
        assert '<meta charset="utf-8">' in text and "vis.Network" in text
    if fmt in ("graphml", "gexf"):
        g = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(first))
        assert g.number_of_nodes() == view.graph.number_of_nodes()


def test_projection_is_one_graph(glossary):
    p = build_projection(glossary)
    kinds = {d["kind"] for _, d in p.graph.nodes(data=True)}
    assert kinds == {"term", "dimension", "initiative", "project", "section", "part", "component"}
    relations = {d["relation"] for *_, d in p.graph.edges(data=True)}
    assert {"mentions", "alignsWith", "isPartOf", "related", "hasComponent", "continues"} <= relations


def test_overview_size(glossary):
    data = render(make_view(glossary, "overview", []), glossary, "html")
    assert len(data) <= 1.5 * 1024 * 1024


def test_gexf_has_colours_and_positions(glossary):
    data = render(make_view(glossary, "dimension", ["red"]), glossary, "gexf").decode("utf-8")
    assert "<viz:color" in data and "<viz:position" in data and "lastmodifieddate" not in data
    graphml = render(make_view(glossary, "dimension", ["red"]), glossary, "graphml").decode("utf-8")
    assert 'attr.name="r"' in graphml and 'attr.name="x"' in graphml


def test_png_draws_cjk_glyphs(glossary):
    from PIL import Image

    from kg.views.static import cjk_font

    font = cjk_font(40)
    # A missing glyph draws the same box for every character; real glyphs differ.
    assert bytes(font.getmask("南")) != bytes(font.getmask("码"))
    assert font.getmask("南").getbbox() is not None
    png = render(make_view(glossary, "term", ["三会一代理"]), glossary, "png")
    img = Image.open(io.BytesIO(png)).convert("L")
    assert img.size == (1920, 1080)
    blank = Image.new("L", img.size, 255)
    assert img.tobytes() != blank.tobytes()
    title = img.crop((40, 28, 400, 80))
    assert sum(1 for px in title.getdata() if px < 128) > 200  # the CJK title is drawn


def test_path_in_words(glossary):
    view = make_view(glossary, "path", ["三会一代理", "码头门神"])
    assert view.words and "三会一代理" in view.words[0] and "码头门神" in view.words[-1]


def test_unknown_arguments(glossary):
    with pytest.raises(ViewError, match="no dimension"):
        make_view(glossary, "dimension", ["violet"])
    with pytest.raises(ViewError, match="no glossary entry"):
        make_view(glossary, "term", ["不存在的词"])
    with pytest.raises(ViewError, match="takes 2"):
        make_view(glossary, "path", ["五个力"])


def test_central_terms(glossary, kg):
    top = central_terms(build_projection(glossary), 5)
    assert len(top) == 5 and top[0]["betweenness"] >= top[-1]["betweenness"]
    out = kg("stats", "--central", "5").output
    assert "Most central terms" in out


def test_cli_viz(kg, tmp_path):
    out = tmp_path / "sanhui.html"
    res = kg("viz", "term", "三会一代理", "--depth", "2", "--out", str(out))
    assert res.exit_code == 0 and out.stat().st_size > 1000 and "<iframe" in res.stdout
    res = kg("viz", "path", "三会一代理", "五个力", "--out", str(tmp_path / "p.svg"))
    assert res.exit_code == 0 and "—" in res.stdout and (tmp_path / "p.svg").read_text().startswith("<svg")
    res = kg("viz", "dimension", "violet", "--out", str(tmp_path / "x.html"))
    assert res.exit_code == 1 and res.stderr.startswith("Error: no dimension")


def test_same_file_in_another_process(dist, tmp_path):
    outs = []
    for seed in ("1", "2"):
        (tmp_path / seed).mkdir()
        out = tmp_path / seed / "overview.html"
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "viz", "overview", "--out", str(out), "--dist", str(dist)],
            check=True,
            capture_output=True,
            env=dict(os.environ, PYTHONHASHSEED=seed),
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_served_views(dist):
    from starlette.testclient import TestClient

    from kg.web.app import create_app
    from kg.web.config import WebConfig

    with TestClient(create_app(WebConfig(dist=dist, workers=1))) as c:
        r = c.get("/views/overview.html")
        assert r.status_code == 200 and "vis.Network" in r.text
        assert c.get("/views/term/wu-ge-li.svg").headers["content-type"].startswith("image/svg+xml")
        assert c.get("/views/dimension/blue.png").content[:4] == b"\x89PNG"
        assert c.get("/views/dimension/violet.html").status_code == 404
        assert c.get("/views/overview").status_code == 404
        assert "/views/term/san-hui-yi-dai-li.html" in c.get("/term/san-hui-yi-dai-li.html").text


def test_png_works_with_no_system_font(glossary, monkeypatch):
    """A machine with nothing but Python: the packaged Noto subset draws the Chinese."""
    from PIL import Image

    from kg.views import static

    monkeypatch.setattr(static, "FONT_CANDIDATES", [])
    monkeypatch.setattr(static, "_fontconfig_cjk", lambda: [])
    static.cjk_font.cache_clear()
    try:
        assert static.font_files() == [str(static.PACKAGED_FONT)]
        font = static.cjk_font(40)
        assert bytes(font.getmask("南")) != bytes(font.getmask("码"))
        png = render(make_view(glossary, "term", ["三会一代理"]), glossary, "png")
        title = Image.open(io.BytesIO(png)).convert("L").crop((40, 28, 400, 80))
        assert sum(1 for px in title.getdata() if px < 128) > 200
    finally:
        static.cjk_font.cache_clear()


def test_graphml_and_gexf_are_directed_with_edge_labels(glossary):
    import networkx as nx

    data = render(make_view(glossary, "term", ["五个力"]), glossary, "graphml")
    g = nx.read_graphml(io.BytesIO(data))
    assert g.is_directed()
    rels = {(a, b, d["relation"], d["label"]) for a, b, d in g.edges(data=True)}
    assert any(rel == "alignsWith" and label == "对应维度" and b.startswith("dim-") for a, b, rel, label in rels)
    gexf = render(make_view(glossary, "term", ["五个力"], lang="en"), glossary, "gexf", "en").decode("utf-8")
    assert 'defaultedgetype="directed"' in gexf and 'label="aligns with"' in gexf


def test_served_embed_snippets_are_absolute_with_every_parameter(dist):
    from starlette.testclient import TestClient

    from kg.web.app import create_app
    from kg.web.config import WebConfig

    with TestClient(create_app(WebConfig(dist=dist, workers=1))) as c:
        page = c.get("/views/term/wu-ge-li.html?depth=2&lang=en").text
    import html as html_lib
    import re

    with TestClient(create_app(WebConfig(dist=dist, workers=1))) as c:
        # A forged Host header reaches only its own cache entry, never another reader's snippet.
        c.get("/views/term/wu-ge-li.html?depth=2&lang=en", headers={"Host": "evil.example"})
        again = c.get("/views/term/wu-ge-li.html?depth=2&lang=en").text
    assert "evil.example" not in again
    with TestClient(create_app(WebConfig(dist=dist, workers=1, public_url="https://kg.example.org/"))) as c:
        proxied = c.get("/views/term/wu-ge-li.html?lang=en").text

    assert 'src="https://kg.example.org/views/term/wu-ge-li.html?depth=1&amp;lang=en"' in html_lib.unescape(proxied)
    snippet = html_lib.unescape(
        re.search(r"<textarea id=\"embed-code\" readonly>(.*?)</textarea>", page, re.S).group(1)
    )
    assert 'src="http://testserver/views/term/wu-ge-li.html?depth=2&amp;lang=en"' in snippet
    assert "aspect-ratio:16/10" in snippet  # the responsive variant


# -- designed layouts: what a trainer puts on a slide ------------------------------------------------

SLIDES = [(kind, args, lang) for kind, args in VIEWS for lang in ("zh", "en")]


def _svg_labels(svg: str) -> list[tuple[float, float, float, float, str]]:
    """Every label drawn in the SVG as a box, measured with the layout's (generous) character widths."""
    import html
    import re

    from kg.views.layout import LINE, text_width

    boxes = []
    for m in re.finditer(r'<text font-size="([\d.]+)"[^>]*text-anchor="(\w+)"[^>]*>(.*?)</text>', svg):
        size, anchor = float(m.group(1)), m.group(2)
        lines = []
        for x, y, t in re.findall(r'<tspan x="([\d.-]+)" y="([\d.-]+)">(.*?)</tspan>', m.group(3)):
            text = html.unescape(t)
            w = text_width(text, size)
            x0 = float(x) - w / 2 if anchor == "middle" else float(x)
            top = float(y) - 0.86 * size * LINE + size * (LINE - 1) / 2
            lines.append((x0, top, x0 + w, top + size * LINE, text))
        # One box per label, however many lines it has.
        boxes.append(
            (
                min(b[0] for b in lines),
                min(b[1] for b in lines),
                max(b[2] for b in lines),
                max(b[3] for b in lines),
                "".join(b[4] for b in lines),
            )
        )
    return boxes


@pytest.mark.parametrize(("kind", "args", "lang"), SLIDES)
def test_slides_have_every_label_whole_and_none_overlapping(glossary, kind, args, lang):
    from kg.views import layout_of

    view = make_view(glossary, kind, args, lang=lang)
    lay = layout_of(view, glossary, lang)
    assert lay.overlaps() == []
    svg = render(view, glossary, "svg", lang).decode("utf-8")
    boxes = _svg_labels(svg)
    overlapping = [
        (a[4], b[4])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert overlapping == []
    # Never truncated: each node's label is drawn whole (its lines joined give the label back).
    drawn = "".join(b[4] for b in boxes).replace(" ", "")
    for n in view.graph.nodes:
        d = view.graph.nodes[n]
        label = (d["zh"] if lang == "zh" else (d["en"] or d["zh"])).replace(" ", "")
        assert label in drawn, label
    assert "…" not in drawn or any("…" in (d["zh"] + d["en"]) for _, d in view.graph.nodes(data=True))
    # The legend keeps its own column: nothing of the graph reaches into it.
    from kg.views.static import LEGEND_X

    graph_boxes = [b for b in boxes if b[0] < LEGEND_X - 5]
    assert all(b[2] <= LEGEND_X for b in graph_boxes)


def test_svg_and_png_legends_name_shapes_in_plain_words(glossary):
    svg = render(make_view(glossary, "overview", [], lang="en"), glossary, "svg", "en").decode("utf-8")
    texts = {b[4].replace(" ", "") for b in _svg_labels(svg)}  # a legend line may wrap
    for word in ("star: dimension", "dot: term", "dashed box: practical project", "split dot: in several dimensions"):
        assert word.replace(" ", "") in texts
    for library_name in (">database<", ">ellipse<", ": box<", ": star<"):
        assert library_name not in svg


def _contrast(a: str, b: str) -> float:
    def lum(c: str) -> float:
        def ch(v: int) -> float:
            x = v / 255
            return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

        r, g, b_ = (int(c[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b_)

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_text_has_at_least_4_5_to_1_contrast(glossary):
    """Labels sit on white (under glyphs, with a white halo, or inside white pills), on the light
    section fill, or white on the dark part fill: each pair is checked, as drawn in the SVG."""
    import re

    from kg.views.html import PART_FILL, SECTION_FILL, TEXT

    assert _contrast(TEXT, "#ffffff") >= 4.5
    assert _contrast(TEXT, SECTION_FILL) >= 4.5
    assert _contrast("#ffffff", PART_FILL) >= 4.5
    svg = render(make_view(glossary, "overview", []), glossary, "svg").decode("utf-8")
    inks = set(re.findall(r'<text font-size="[\d.]+" fill="(#[0-9a-f]{6})"', svg))
    assert inks <= {TEXT, "#ffffff"}


def test_terms_of_several_dimensions_are_drawn_with_each_colour(glossary):
    view = make_view(glossary, "term", ["三会一代理"])
    colours = view.graph.nodes["san-hui-yi-dai-li"]["colours"]
    assert len(colours) >= 2
    from kg.views import layout_of
    from kg.views.static import scene

    ops = scene(view, layout_of(view, glossary, "zh"), glossary.data["dimensions"], "zh").ops
    pies = [op for op in ops if op[0] == "pie" and op[4] == colours and op[3] > 20]  # the large focus
    assert len(pies) == 1
    _, cx, cy, _r, _ = pies[0]
    svg = render(view, glossary, "svg").decode("utf-8")
    for c in colours:  # one slice per colour, centred on the focus
        assert f'<path d="M{cx} {cy} ' in svg and f'Z" fill="{c}"/>' in svg
    page = render(view, glossary, "html").decode("utf-8")
    assert '"colours":["' + '","'.join(colours) + '"]' in page


def test_overview_places_dimensions_on_a_ring_in_official_order(glossary):
    import math

    from kg.views import layout_of

    view = make_view(glossary, "overview", [])
    lay = layout_of(view, glossary, "zh")
    dims = ["dim-" + d["iri"].rsplit("/", 1)[1] for d in glossary.data["dimensions"]]
    pts = [lay.pos[d] for d in dims]
    cx, cy = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
    angles = [math.atan2(y - cy, x - cx) for x, y in pts]
    # Clockwise from the top (screen y grows downwards): angles increase, turning once.
    turns = sum(((b - a) % (2 * math.pi)) for a, b in zip(angles, angles[1:] + angles[:1], strict=True))
    assert abs(turns - 2 * math.pi) < 1e-6
    assert angles[0] == min(angles, key=lambda a: abs(a + math.pi / 2))
    # Each dimension's terms are clustered by it: the blocks (star and its terms) do not intersect.
    blocks = []
    for dim in dims:
        members = [dim] + [n for n, d in view.graph.nodes(data=True) if d["kind"] == "term" and d["dimension"] == dim]
        boxes = [lay.footprint(n) for n in members]
        blocks.append(
            (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        )
    for i, a in enumerate(blocks):
        for b in blocks[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_term_view_has_a_large_focus_and_names_components(glossary):
    from kg.views import layout_of

    view = make_view(glossary, "term", ["五个力"])
    labels = {d["zh"] for _, d in view.graph.nodes(data=True)}
    assert {"眼力", "动力", "毅力", "定力", "合力"} <= labels  # parts named in the note
    lay = layout_of(view, glossary, "zh")
    focus = lay.style["wu-ge-li"]
    assert all(focus.radius > s.radius and focus.font > s.font for n, s in lay.style.items() if n != "wu-ge-li")
    assert lay.pos["wu-ge-li"] == (0.0, 0.0)


@pytest.mark.parametrize("part", ["定力", "ding li", "steadiness"])
def test_a_part_named_only_in_a_note_draws_the_term_it_belongs_to(glossary, part):
    """定力 has no node of its own: its term view is 五个力's, where it is drawn."""
    assert make_view(glossary, "term", [part]).focus == make_view(glossary, "term", ["五个力"]).focus


def test_path_view_reads_left_to_right_in_the_chosen_language(glossary):
    from kg.views import layout_of

    view = make_view(glossary, "path", ["三会一代理", "码头门神"], lang="en")
    assert "三会一代理" not in view.title and "→" in view.title
    assert all(not any("\u4e00" <= c <= "\u9fff" for c in w) for w in view.words)
    lay = layout_of(view, glossary, "en")
    xs = [lay.pos[n][0] for n in view.path]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    svg = render(view, glossary, "svg", "en").decode("utf-8")
    assert "aligns with" in svg and 'marker-end="url(#arrow)"' in svg


def test_no_view_of_the_packaged_report_is_cut(glossary):
    """The whole projection (280 nodes) fits under the cap, so every packaged view is whole."""
    from kg.views import projection

    p = build_projection(glossary)
    assert p.graph.number_of_nodes() <= projection.MAX_NODES
    for kind, args, depth in [("overview", [], 1), ("term", ["ju-min-qu"], 4), ("dimension", ["red"], 1)]:
        v = make_view(glossary, kind, args, depth, None, "zh", p)
        assert "显示" not in v.title and "shown" not in v.title


def test_a_view_too_big_to_draw_keeps_the_nodes_nearest_its_focus(glossary, monkeypatch):
    """A corpus term has tens of thousands of neighbours: the view is cut and says so, not drawn whole."""
    from kg.views import projection

    p = build_projection(glossary)
    whole = make_view(glossary, "term", ["ju-min-qu"], 2, None, "zh", p).graph
    monkeypatch.setattr(projection, "MAX_NODES", 12)
    for lang, said in [
        ("zh", f"(显示 {whole.number_of_nodes()} 个节点中的 12)"),
        ("en", f"(12 of {whole.number_of_nodes()} nodes shown)"),
    ]:
        v = make_view(glossary, "term", ["ju-min-qu"], 2, None, lang, p)
        assert v.graph.number_of_nodes() == 12 and v.title.endswith(said)
    cut = v.graph
    near = nx.single_source_shortest_path_length(whole, "ju-min-qu")
    assert "ju-min-qu" in cut
    assert max(near[n] for n in cut) <= min(near[n] for n in whole if n not in cut)
    again = make_view(glossary, "term", ["ju-min-qu"], 2, None, "en", p).graph
    assert sorted(again.nodes) == sorted(cut.nodes) and sorted(again.edges) == sorted(cut.edges)
    # Every kind of view is bounded, and still renders.
    for kind, args in [("overview", []), ("dimension", ["red"])]:
        v = make_view(glossary, kind, args, 1, None, "zh", p)
        assert v.graph.number_of_nodes() == 12 and "显示" in v.title
        assert render(v, glossary, "svg", "zh").startswith(b"<?xml") or b"<svg" in render(v, glossary, "svg", "zh")


def test_section_ids_name_one_section(glossary):
    """p1-s6, part-2/section-3 (also as a URL path splits it) and a report's full id each name one
    section; an id or words that name several are refused with the ids to choose from."""

    assert make_view(glossary, "section", ["p1-s6"]).graph.number_of_nodes() > 1
    for args, where in [
        (["p2-s3"], "part-2/section-3"),
        (["part-2/section-3"], "part-2/section-3"),
        (["part-2", "section-3"], "part-2/section-3"),
        (["nanmatou-2021-report-p1-s1"], "part-1/section-1"),
    ]:
        view = make_view(glossary, "section", args)
        iris = {d["iri"] for _n, d in view.graph.nodes(data=True) if d["kind"] == "section"}
        assert any(i.endswith(where) for i in iris), (args, iris)
    with pytest.raises(ViewError, match=r"names 2 sections: .*p1-s3 .*p2-s3"):
        make_view(glossary, "section", ["section-3"])
    with pytest.raises(ViewError, match="no section"):
        make_view(glossary, "section", ["p9-s9"])


@given(st.text(alphabet="基层民主自治建立健全三会一代理按质论价、质价相符", min_size=1, max_size=40))
def test_a_label_never_leaves_one_character_alone_on_its_last_line(text):
    """基层民主自治建立健 / 全 → 基层民主自治建立 / 健全: the lines still hold the whole label, each
    within the width (the two-character last line is narrower than the line above it was)."""
    from kg.views.layout import text_width, wrap

    lines = wrap(text, 14, 8 * 14)
    assert "".join(lines) == text
    assert wrap("一二三四五六（七八", 14, 112)[0].endswith("（七")  # an opening bracket never ends a line
    assert all(text_width(line, 14) <= 8 * 14 for line in lines)
    if len(lines) > 1 and len(lines[-2]) > 2:
        assert len(lines[-1]) > 1 or lines[-1] in "、"


def test_a_part_two_terms_name_is_one_node(glossary):
    """听证会 is a part of 三会一代理 and of 三会制度: one node linked to both (the depth-2 view of
    三会一代理 drew it twice, and its printed node list named it twice)."""
    p = build_projection(glossary)
    hearings = [n for n, d in p.graph.nodes(data=True) if d["kind"] == "component" and d["zh"] == "听证会"]
    assert len(hearings) == 1
    parents = {p.graph.nodes[n]["zh"] for n in p.graph.neighbors(hearings[0])}
    assert {"三会一代理", "三会制度"} <= parents
    view = make_view(glossary, "term", ["三会一代理"], depth=2)
    labels = [d["zh"] for _n, d in view.graph.nodes(data=True)]
    assert labels.count("听证会") == 1
