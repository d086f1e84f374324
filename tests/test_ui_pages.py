"""Every page of the site in Chromium at desktop (1366×900) and phone (390×844) sizes, in zh and en.

No horizontal scrolling, no console errors, no request leaving 127.0.0.1, and axe-core
(vendored from npm in tests/vendor/axe-core, injected by the test, never fetched) with no
serious or critical violation. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import pytest

from .conftest import serve
from .test_browser import ARTIFACTS, Watch, browser  # noqa: F401  (the fixture)
from .test_ui_views import MEASURE, SIZES, axe_violations

PAGES = [
    ("home", "/"),
    ("glossary", "/glossary"),
    ("search", "/search?q=sanhui"),
    ("search-none", "/search?q=qqqzzz"),
    ("annotate", "/annotate"),
    ("query", "/query"),
    ("downloads", "/downloads"),
    ("term", "/term/san-hui-yi-dai-li.html"),
    ("term-components", "/term/wu-ge-li.html"),
    ("dimension", "/dimension/blue.html"),
    ("report", "/report/nanmatou-2021-report.html"),
    ("section", "/report/nanmatou-2021-report/part-1/section-1.html"),
    ("work-item", "/report/nanmatou-2021-report/part-1/section-1/initiative-1.html"),
]


def settle(page, url: str) -> None:
    """Open url and wait until it is drawn: the load event (every subresource and frame of the
    page, which is all served from 127.0.0.1) and its fonts. Not "networkidle", which waits
    for 500 ms without any request and timed out on a loaded CI machine without saying where.
    """
    try:
        page.goto(url, wait_until="load", timeout=60000)
        page.evaluate("document.fonts.ready.then(() => true)")
    except Exception as e:  # name the page: the timeout alone does not
        raise AssertionError(f"{url} did not load: {e}") from e


@pytest.fixture(scope="module")
def site(dist):
    with serve(dist) as base:
        yield base


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_at_both_sizes(browser, site, lang, size):  # noqa: F811
    w = Watch(browser, site)
    p = w.page
    p.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    p.goto(f"{site}/?lang={lang}")
    problems = []
    for name, path in PAGES:
        settle(p, site + path)
        assert p.evaluate("document.documentElement.lang") == lang, path
        overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path}: {overflow} px wider than the window")
        found = axe_violations(p)
        if found:
            problems.append(f"{path}: {found}")
        p.screenshot(path=str(ARTIFACTS / f"page-{name}-{lang}-{size}.png"), full_page=False)
    assert problems == []
    assert w.errors == [] and w.outside == []
    p.close()


def test_embedded_term_view_fits_a_phone(browser, site):  # noqa: F811
    """The graph inside the term page: its title on one line, the legend folded, labels readable."""
    w = Watch(browser, site)
    p = w.page
    p.set_viewport_size({"width": 390, "height": 844})
    p.goto(site + "/term/san-hui-yi-dai-li.html?lang=zh")
    frame_el = p.locator("iframe.view")
    frame_el.scroll_into_view_if_needed()
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_function("window.kgRendered === true", timeout=15000)
    title = frame.locator("#bar h1")
    line = frame.evaluate("parseFloat(getComputedStyle(document.querySelector('#bar h1')).lineHeight)")
    assert title.bounding_box()["height"] <= line * 1.5  # one line, never a character per line
    assert frame.evaluate("document.getElementById('legend').open") is False
    graph = frame.locator("#graph").bounding_box()
    box = frame_el.bounding_box()
    assert graph["height"] >= 0.75 * box["height"]  # the toolbar leaves the frame to the graph
    # The whole neighbourhood, labels 9 px at least (12 px cut a third of the labels), and a
    # swipe over it scrolls the page: the frame neither drags nor zooms.
    m = frame.evaluate(MEASURE)
    assert m["drawn"] == frame.evaluate("window.kgNodeCount") and m["minpx"] >= 9, m
    assert frame.evaluate("window.kgSmallFrame") is True
    assert frame.evaluate("getComputedStyle(document.querySelector('#graph canvas')).touchAction") == "pan-y"
    assert frame.evaluate("window.kgNetwork.interactionHandler.options.dragView") is False
    p.screenshot(path=str(ARTIFACTS / "page-term-embedded-phone.png"))
    assert w.errors == [] and w.outside == []


def test_views_follow_the_language_cookie(dist):
    """The home page links the overview without ?lang=: an English reader's cookie decides it."""
    from starlette.testclient import TestClient

    from kg.web.app import create_app
    from kg.web.config import WebConfig

    with TestClient(create_app(WebConfig(dist=dist, workers=1))) as client:
        client.cookies.set("lang", "en")
        r = client.get("/views/overview.html")
        assert r.status_code == 200 and 'lang="en"' in r.text and "Cookie" in r.headers["vary"]
        assert 'lang="zh"' in client.get("/views/overview.html", params={"lang": "zh"}).text


def test_a_served_view_opens_a_node_s_page_on_double_click(browser, site):  # noqa: F811
    """A view served by kg serve was a dead end: a double click on a node opens its page on the
    site (the tooltip says so); the focus of 三会一代理's view opens the term page."""
    w = Watch(browser, site)
    p = w.page
    p.set_viewport_size({"width": 1280, "height": 800})
    p.goto(site + "/views/term/san-hui-yi-dai-li.html?lang=en")
    p.wait_for_function("window.kgRendered === true", timeout=15000)
    at = p.evaluate(
        "(() => { const n = window.kgNetwork, id = 'san-hui-yi-dai-li';"
        " const c = n.canvasToDOM(n.getPositions([id])[id]);"
        " const r = document.getElementById('graph').getBoundingClientRect();"
        " return {x: r.left + c.x, y: r.top + c.y}; })()"
    )
    p.mouse.move(at["x"], at["y"])
    p.wait_for_function("window.kgTip === 'san-hui-yi-dai-li'", timeout=5000)
    assert "Double-click to open its page" in p.locator("#tip").inner_text()
    p.mouse.dblclick(at["x"], at["y"])
    p.wait_for_url("**/term/san-hui-yi-dai-li.html*", timeout=10000, wait_until="load")
    assert "三会一代理" in p.locator("h1").inner_text()
    assert w.errors == []
