"""Graph views: every view in every format, reproducible files, Gephi-readable exports, CJK in PNG."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import networkx as nx
import pytest

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
    assert kinds == {"term", "dimension", "initiative", "project", "section", "part"}
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
    rels = {(a, b, d["label"]) for a, b, d in g.edges(data=True)}
    assert any(rel == "alignsWith" and b.startswith("dim-") for a, b, rel in rels)
    gexf = render(make_view(glossary, "term", ["五个力"]), glossary, "gexf").decode("utf-8")
    assert 'defaultedgetype="directed"' in gexf and 'label="alignsWith"' in gexf


def test_served_embed_snippets_are_absolute_with_every_parameter(dist):
    from starlette.testclient import TestClient

    from kg.web.app import create_app
    from kg.web.config import WebConfig

    with TestClient(create_app(WebConfig(dist=dist, workers=1))) as c:
        page = c.get("/views/term/wu-ge-li.html?depth=2&lang=en").text
    import html as html_lib
    import re

    snippet = html_lib.unescape(re.search(r"<textarea readonly>(.*?)</textarea>", page, re.S).group(1))
    assert 'src="http://testserver/views/term/wu-ge-li.html?depth=2&amp;lang=en"' in snippet
    assert "aspect-ratio:16/10" in snippet  # the responsive variant
