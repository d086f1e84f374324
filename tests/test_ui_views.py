"""Every view in Chromium at desktop (1366×900) and phone (390×844) sizes, as a trainer and a newcomer use them.

Measured in the page, not trusted from the code: no horizontal overflow, no console errors,
no two drawn labels overlapping at the opening zoom, term-view labels at least 12 px,
axe-core (vendored from npm, tests/vendor/axe-core) with no serious or critical violation,
tooltips beside their node, search as you type, a picture of the graph for printing.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_browser import ARTIFACTS, _file_page, browser  # noqa: F401  (the fixture)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
VIEWS = [
    ("overview", []),
    ("term", ["三会一代理"]),
    ("term", ["五个力"]),
    ("dimension", ["blue"]),
    ("section", ["守底线"]),
    ("path", ["三会一代理", "码头门神"]),
]

# Label boxes of the drawn nodes, in page pixels; labels vis-network does not draw (under 5 px) are left out,
# and so are nodes whose centre is outside the frame (vis measures a label only when it draws its node).
MEASURE = """() => {
  const net = window.kgNetwork, frame = document.getElementById('graph');
  const W = frame.clientWidth, H = frame.clientHeight;
  const inside = id => {
    const c = net.canvasToDOM(net.getPositions([id])[id]);
    return c.x > 0 && c.x < W && c.y > 0 && c.y < H;
  };
  const boxes = net.body.data.nodes.getIds().filter(inside).map(id => {
    const n = net.body.nodes[id], s = n.labelModule.size;
    const a = net.canvasToDOM({x: s.left, y: s.top}), b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    return {id, x0: a.x, y0: a.y, x1: b.x, y1: b.y, px: n.options.font.size * net.getScale()};
  }).filter(b => b.px >= 5 && b.x1 > 0 && b.x0 < W && b.y1 > 0 && b.y0 < H);
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const p = boxes[i], q = boxes[j];
    if (p.x0 < q.x1 - 0.5 && q.x0 < p.x1 - 0.5 && p.y0 < q.y1 - 0.5 && q.y0 < p.y1 - 0.5) pairs.push([p.id, q.id]);
  }
  return {pairs, drawn: boxes.length, minpx: Math.min(...boxes.map(b => b.px)),
          overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations on the page (the script is injected, not fetched)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )
    return list(result)


@pytest.fixture(scope="module")
def view_files(dist, tmp_path_factory):
    from kg.glossary import Glossary
    from kg.views import make_view, render

    glossary = Glossary.load(dist)
    out = tmp_path_factory.mktemp("views")
    files = {}
    for kind, args in VIEWS:
        for lang in ("zh", "en"):
            name = "-".join([kind, *args, lang])
            path = out / f"{name}.html"
            path.write_bytes(render(make_view(glossary, kind, args, lang=lang), glossary, "html", lang))
            files[name] = path
    return files


def _open(browser, path: Path, size: str):  # noqa: F811
    page, state = _file_page(browser, path)
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(path.as_uri())
    page.wait_for_function("window.kgRendered === true", timeout=15000)
    page.wait_for_timeout(300)
    return page, state


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("kind", "args"), VIEWS)
def test_every_view_at_both_sizes(browser, view_files, kind, args, size):  # noqa: F811
    for lang in ("zh", "en"):
        name = "-".join([kind, *args, lang])
        page, state = _open(browser, view_files[name], size)
        m = page.evaluate(MEASURE)
        page.screenshot(path=str(ARTIFACTS / f"view-{name}-{size}.png"))
        assert m["overflow"] <= 0, (name, m["overflow"])
        assert m["pairs"] == [], (name, m["pairs"][:5])
        assert m["drawn"] >= 1
        if kind in ("term", "path"):
            assert m["minpx"] >= 12, (name, m["minpx"])
        if kind == "overview" and size == "desktop":
            assert m["drawn"] == page.evaluate("window.kgNodeCount")  # the whole overview at its opening zoom
        assert axe_violations(page) == [], name
        assert state["errors"] == [] and state["outside"] == [], (name, state)
        page.close()


def test_term_view_focus_is_large_and_centred_on_a_phone(browser, view_files):  # noqa: F811
    page, _ = _open(browser, view_files["term-五个力-zh"], "phone")
    at = page.evaluate("window.kgNetwork.canvasToDOM(window.kgNetwork.getPositions(['wu-ge-li'])['wu-ge-li'])")
    frame = page.locator("#graph").bounding_box()
    assert abs(at["x"] - frame["width"] / 2) < 40 and abs(at["y"] - frame["height"] / 2) < 60
    sizes = page.evaluate("window.kgNetwork.body.data.nodes.get().map(n => n.size || 0)")
    assert max(sizes) == page.evaluate("window.kgNetwork.body.data.nodes.get('wu-ge-li').size")
    labels = page.evaluate("window.kgNetwork.body.data.nodes.get().map(n => n.label)")
    assert all(labels) and "眼力" in labels  # every neighbour labelled, parts named
    page.close()


def test_tooltip_at_the_node_in_the_view_language(browser, view_files):  # noqa: F811
    for lang, own, other in (("zh", "三会一代理", "three meetings"), ("en", "three meetings", "三会一代理")):
        page, _ = _open(browser, view_files[f"term-三会一代理-{lang}"], "desktop")
        at = page.evaluate(
            "window.kgNetwork.canvasToDOM(window.kgNetwork.getPositions(['san-hui-yi-dai-li'])['san-hui-yi-dai-li'])"
        )
        frame = page.locator("#graph").bounding_box()
        page.mouse.move(frame["x"] + at["x"], frame["y"] + at["y"])
        page.wait_for_selector("#tip", state="visible")
        tip = page.locator("#tip").bounding_box()
        assert abs(tip["x"] - (frame["x"] + at["x"])) < 60 and abs(tip["y"] - (frame["y"] + at["y"])) < 60
        lines = page.locator("#tip > *").all_inner_texts()
        assert own.lower() in lines[0].lower() and other.lower() in lines[1].lower()
        page.close()
    # A tap shows it too (no hover on a phone).
    page, _ = _open(browser, view_files["term-三会一代理-zh"], "phone")
    at = page.evaluate(
        "window.kgNetwork.canvasToDOM(window.kgNetwork.getPositions(['san-hui-yi-dai-li'])['san-hui-yi-dai-li'])"
    )
    frame = page.locator("#graph").bounding_box()
    page.mouse.click(frame["x"] + at["x"], frame["y"] + at["y"])
    page.wait_for_selector("#tip", state="visible")
    page.close()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sanhui", "三会一代理"),
        ("wu ge li", "五个力"),
        ("shydl", "三会一代理"),
        ("five forces", "五个力"),
        ("码头门", "码头门神"),
    ],
)
def test_search_as_you_type(browser, view_files, typed, expected):  # noqa: F811
    page, _ = _open(browser, view_files["overview-zh"], "desktop")
    page.type("#search", typed, delay=20)
    page.wait_for_selector("#results li")
    assert page.locator("#results li").first.inner_text().startswith(expected)
    page.press("#search", "Enter")
    selected = page.evaluate("window.kgSelected")
    assert page.evaluate(f"window.kgNetwork.body.data.nodes.get('{selected}').label").replace("\n", "") == expected
    page.close()


def test_search_says_no_match(browser, view_files):  # noqa: F811
    page, _ = _open(browser, view_files["overview-en"], "phone")
    page.type("#search", "qqqzzz", delay=10)
    page.wait_for_selector("#nomatch", state="visible")
    assert page.inner_text("#nomatch") == "No match"
    assert page.locator("#results li").count() == 0
    page.close()


def test_a_view_prints_as_its_picture(browser, view_files):  # noqa: F811
    """The printed picture is the whole graph at 2400×1600 (a copy of the screen's canvas was its
    resolution, and a term view printed its opening zoom, labels cut at the edges); making it
    leaves the view on screen where it was."""
    page, _ = _open(browser, view_files["term-三会一代理-zh"], "desktop")
    page.wait_for_function("document.getElementById('snapshot').src.startsWith('data:image/png')", timeout=5000)
    before = page.evaluate("[window.kgNetwork.getScale(), window.kgNetwork.getViewPosition().x]")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("[window.kgNetwork.getScale(), window.kgNetwork.getViewPosition().x]") == before
    assert page.evaluate("document.getElementById('snapshot').naturalWidth") >= 2400
    page.close()
    page, _ = _open(browser, view_files["overview-zh"], "desktop")
    page.wait_for_function("document.getElementById('snapshot').src.startsWith('data:image/png')", timeout=5000)
    page.emulate_media(media="print")
    assert page.locator("#snapshot").is_visible() and not page.locator("#graph").is_visible()
    size = page.evaluate("document.getElementById('snapshot').src.length")
    assert size > 50_000  # a drawn graph, not a blank canvas
    pdf = page.pdf(format="A4", landscape=True)
    # The picture survives printing (a redraw of the hidden canvas must not blank it).
    assert page.evaluate("document.getElementById('snapshot').src.startsWith('data:image/png')")
    assert page.evaluate("document.getElementById('snapshot').naturalWidth") >= 2400
    assert page.evaluate("document.getElementById('snapshot').src.length") == size
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf
    page.close()


# ``kgStopFrames()`` stops animation frames, as when a loaded machine's headless browser takes its
# screenshot before the next frame: what the canvas holds then must be the fitted view already.
STOPPABLE_FRAMES = """
(() => {
  let stopped = false;
  const next = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => (stopped ? 0 : next(callback));
  window.kgStopFrames = () => { stopped = true; };
})();
"""

EDGE_DARK_PIXELS = """() => {
  const canvas = document.querySelector("#graph canvas");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let dark = 0;
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      if (x >= 6 && x < canvas.width - 6 && y >= 6 && y < canvas.height - 6) continue;
      const i = 4 * (y * canvas.width + x);
      if (data[i + 3] > 0 && (data[i] + data[i + 1] + data[i + 2]) / 3 < 200) dark += 1;
    }
  }
  return dark;
}"""


def test_the_view_fitted_again_is_drawn_without_waiting_for_a_frame(browser, view_files):  # noqa: F811
    """A frame that grows taller after the first drawing gets the whole view again, painted in the
    same task. Headless Chromium's ``--screenshot`` does this: it draws the page in a window
    shorter than asked (960×513 for 960×600) and sets the height just before the capture;
    vis-network then zooms in by the height's ratio, and the view fitted again waited for the
    next frame, which on a loaded machine came after the capture (a cut, unfitted slide)."""
    page, state = _file_page(browser, view_files["overview-zh"])
    page.set_viewport_size({"width": 960, "height": 513})
    page.add_init_script(STOPPABLE_FRAMES)
    page.goto(view_files["overview-zh"].as_uri())
    page.wait_for_function("window.kgRendered === true", timeout=15000)
    assert page.evaluate(EDGE_DARK_PIXELS) == 0
    opened = page.evaluate("window.kgOpenings")
    page.evaluate("window.kgStopFrames()")
    page.set_viewport_size({"width": 960, "height": 800})
    # The view opened again at the new size (vis-network zoomed in by the height's ratio first):
    # with frames stopped, nothing paints after that.
    page.wait_for_function(
        f"window.kgOpenings > {opened} && document.getElementById('graph').clientHeight > 600",
        polling=100,  # not on animation frames: they are stopped
        timeout=15000,
    )
    page.wait_for_timeout(300)
    assert page.evaluate(EDGE_DARK_PIXELS) == 0
    assert state["errors"] == []
    page.close()


@pytest.mark.parametrize("size", [(960, 600), (1200, 800)])
def test_overview_fits_whole_at_the_embed_sizes(browser, view_files, tmp_path, size):  # noqa: F811
    """At the printed iframe size (960×600) and a laptop's, a screenshot by headless Chromium itself
    (``--screenshot``, as a trainer makes a slide) shows the whole overview: nothing cut at the
    left edge (it was: the page settles after vis-network's first fit, and the view is now fitted
    again), nothing under the legend's column."""
    import subprocess

    from PIL import Image

    from .test_browser import CHROMIUM

    shot = tmp_path / "overview.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--hide-scrollbars",
            f"--window-size={size[0]},{size[1]}",
            "--virtual-time-budget=20000",
            f"--screenshot={shot}",
            view_files["overview-zh"].as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    image = Image.open(shot).convert("L")
    (ARTIFACTS / f"view-overview-embed-{size[0]}x{size[1]}.png").write_bytes(shot.read_bytes())
    height = image.size[1]
    edge = [image.getpixel((x, y)) for x in range(8) for y in range(60, height - 8)]
    assert sum(v < 200 for v in edge) == 0  # no node drawn at (cut by) the left edge
    page, state = _file_page(browser, view_files["overview-zh"])
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(view_files["overview-zh"].as_uri())
    page.wait_for_function("window.kgRendered === true", timeout=15000)
    page.wait_for_timeout(300)
    frame, legend = page.locator("#graph").bounding_box(), page.locator("#legend").bounding_box()
    assert frame["x"] + frame["width"] <= legend["x"] + 1
    assert state["errors"] == []
    page.close()


# Of the nodes, how many have their centre inside the frame.
ON_SCREEN = """() => {
  const net = window.kgNetwork, frame = document.getElementById('graph');
  return net.body.data.nodes.getIds().filter(id => {
    const c = net.canvasToDOM(net.getPositions([id])[id]);
    return c.x > 0 && c.x < frame.clientWidth && c.y > 0 && c.y < frame.clientHeight;
  }).length;
}"""


def test_the_whole_graph_button_shows_every_node_and_goes_back(browser, view_files):  # noqa: F811
    """On a phone a dimension view opens at readable labels with part of it off screen; 全图 shows
    every node (pressed), and a second press the readable zoom again."""
    page, state = _open(browser, view_files["dimension-blue-zh"], "phone")
    total = page.evaluate("window.kgNodeCount")
    opening = page.evaluate("window.kgNetwork.getScale()")
    assert page.evaluate(ON_SCREEN) < total  # what the button is for
    page.click("#whole-button")
    assert page.get_attribute("#whole-button", "aria-pressed") == "true"
    assert page.evaluate(ON_SCREEN) == total
    page.screenshot(path=str(ARTIFACTS / "view-dimension-blue-zh-phone-whole.png"))
    page.click("#whole-button")
    assert page.get_attribute("#whole-button", "aria-pressed") == "false"
    assert page.evaluate("window.kgNetwork.getScale()") == pytest.approx(opening)
    assert state["errors"] == []
    page.close()
