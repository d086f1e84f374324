"""Real-browser tests: Playwright driving Debian's Chromium (CJK glyphs from fonts-noto-cjk).

Screenshots are kept in test-artifacts/. In CI (CI=true) a missing browser is a failure, never a skip.
Every request that leaves 127.0.0.1 is aborted and recorded: there must be none.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.resources import CURATION, DEFAULT_REPORT

from .conftest import ROOT, serve

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Debian chromium is missing: .ci/run must install chromium and fonts-noto-cjk")
        pytest.skip("no /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)")
    if not _cjk_font_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("no CJK font for Chromium: .ci/run must install fonts-noto-cjk")
        pytest.skip("no CJK font for Chromium (apt-get install fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _cjk_font_installed() -> bool:
    """Whether Chromium can draw Chinese: fontconfig knows a font for zh-cn (screenshots and
    label measurements of CJK text mean nothing without one)."""
    import subprocess

    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True, timeout=30)
    return bool(found.stdout.strip())


class Watch:
    """A page that records console errors, page errors, dialogs and outside requests."""

    def __init__(self, browser, base: str) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(d) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", on_dialog)

        def route(r) -> None:
            if r.request.url.startswith(base) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


@pytest.fixture(scope="module")
def site(dist):
    with serve(dist) as base:
        yield base


def test_new_member_of_staff_journey(browser, site):
    w = Watch(browser, site)
    p = w.page
    p.goto(site + "/")
    assert p.locator(".dims li").count() == 7
    assert "红色先锋南码头" in p.inner_text("main")
    w.shot("home")
    p.goto(site + "/search")
    p.fill("#q", "shydl")
    p.wait_for_selector("#results li a")
    assert p.inner_text("#results li a >> nth=0") == "三会一代理"
    w.shot("search-pinyin")
    p.click("#results li a >> nth=0")
    p.wait_for_url("**/term/san-hui-yi-dai-li.html")
    assert "群众事务代理" in p.inner_text("main") and p.locator("mark").count() >= 1
    w.shot("term")
    p.click("text=基层民主自治建立健全")
    p.wait_for_url("**/initiative-1.html")
    assert "三会一代理" in p.inner_text(".source")
    w.shot("mention-initiative")
    assert w.errors == [] and w.outside == []


def test_query_page_runs_a_curated_query(browser, site):
    w = Watch(browser, site)
    p = w.page
    p.goto(site + "/query")
    p.wait_for_selector(".yasqe")
    p.select_option("#curated", "dimensions")
    p.click(".yasqe_queryButton")
    p.wait_for_selector(".yasr td >> text=红色先锋南码头", timeout=15000)
    w.shot("query-page")
    assert w.outside == []
    assert w.errors == [], w.errors


def _crafted_dist(tmp_path: Path) -> Path:
    """A report whose term, quote and title carry HTML that must never run."""
    from kg.pipeline import build

    evil_term = "<img src=x onerror=window.__xss=1>"
    evil_title = "<script>window.__xss=2</script>防线"
    text = f"XSS测试报告\n一、2022年工作回顾\n(一)安全\n{evil_title}。 推行“{evil_term}”机制,落实五个力。\n"
    src = tmp_path / "xss-2022.txt"
    src.write_text(text, encoding="utf-8")
    cur = tmp_path / "curation"
    shutil.copytree(CURATION, cur)
    terms = (cur / "terms.yaml").read_text(encoding="utf-8")
    terms += (
        f"  - zh: '{evil_term}'\n    en: '<img src=y onerror=window.__xss=3>'\n    type: measure\n"
        "    definition:\n      zh: '<script>window.__xss=4</script>'\n"
        "      en: '<b onmouseover=window.__xss=5>bold</b>'\n"
    )
    (cur / "terms.yaml").write_text(terms, encoding="utf-8")
    structure = (cur / "structure.yaml").read_text(encoding="utf-8")
    structure = structure.replace("\nsections:\n", "\n  - {zh: 2022年工作回顾, en: '<i>2022</i>'}\n\nsections:\n", 1)
    structure = structure.replace("\ninitiatives:\n", "\n  - {zh: 安全, en: Safety}\n\ninitiatives:\n", 1)
    structure += (
        f"  - zh: '{evil_title}'\n    en: '<script>window.__xss=6</script>'\n"
        "    dimensions: [{id: blue, primary: true}]\n"
    )
    (cur / "structure.yaml").write_text(structure, encoding="utf-8")
    out = tmp_path / "dist"
    build([DEFAULT_REPORT, src], out=out, curation_dir=cur)
    return out


def test_crafted_html_never_executes(browser, tmp_path):
    dist = _crafted_dist(tmp_path)
    import json

    index = json.loads((dist / "index.json").read_text(encoding="utf-8"))
    evil = next(t for t in index["terms"] if t["label"]["zh"].startswith("<img"))
    with serve(dist) as base:
        w = Watch(browser, base)
        p = w.page
        pages = [
            "/",
            "/glossary",
            f"/term/{evil['slug']}.html",
            "/report/xss-2022.html",
            "/report/xss-2022/part-1/section-1/initiative-1.html",
            "/search?q=img",
            "/dimension/blue.html",
        ]
        for path in pages:
            p.goto(base + path)
            p.mouse.move(10, 10)
            assert p.evaluate("window.__xss") is None, path
        p.goto(base + "/search")
        p.fill("#q", "onerror")
        p.wait_for_timeout(500)
        p.goto(base + "/annotate")
        p.fill("textarea", "推行“<img src=x onerror=window.__xss=7>”机制")
        p.click("button[type=submit]")
        p.wait_for_load_state()
        assert p.evaluate("window.__xss") is None
        assert "<img src=x onerror" in p.inner_text("main")  # shown as text
        w.shot("xss-annotate")
        assert w.dialogs == [] and w.outside == []


def _file_page(browser, path: Path):
    """A page for a local file: every non-file: request is aborted and recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    state: dict[str, list[str]] = {"errors": [], "outside": [], "dialogs": []}
    page.on("console", lambda m: state["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: state["errors"].append(str(e)))
    page.on("dialog", lambda d: (state["dialogs"].append(d.message), d.dismiss()))

    def route(r) -> None:
        if r.request.url.startswith("file:") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            state["outside"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return page, state


def test_views_offline_in_chromium(browser, dist, tmp_path):
    from kg.glossary import Glossary
    from kg.views import make_view, render

    glossary = Glossary.load(dist)
    view = make_view(glossary, "overview", [])
    out = tmp_path / "overview.html"
    out.write_bytes(render(view, glossary, "html"))
    page, state = _file_page(browser, out)
    page.goto(out.as_uri() + "#node=san-hui-yi-dai-li")
    page.wait_for_function("window.kgRendered === true", timeout=15000)
    drawn = page.evaluate("window.kgNetwork.body.data.nodes.length")
    assert drawn == view.graph.number_of_nodes() == page.evaluate("window.kgNodeCount")
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == ["san-hui-yi-dai-li"]
    page.fill("#search", "five forces")
    page.press("#search", "Enter")
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == ["wu-ge-li"]
    page.click("#embed-button")
    assert "<iframe" in page.input_value("#embed textarea")
    page.screenshot(path=str(ARTIFACTS / "view-overview.png"))
    assert state["outside"] == [] and state["errors"] == [] and state["dialogs"] == []


def test_view_labels_never_execute(browser, tmp_path):
    from kg.glossary import Glossary
    from kg.views import make_view, render

    dist = _crafted_dist(tmp_path)
    glossary = Glossary.load(dist)
    evil = next(t for t in glossary.terms if t["label"]["zh"].startswith("<img"))
    out = tmp_path / "evil.html"
    out.write_bytes(render(make_view(glossary, "term", [evil["slug"]], depth=2), glossary, "html"))
    page, state = _file_page(browser, out)
    page.goto(out.as_uri() + "#node=" + evil["slug"])
    page.wait_for_function("window.kgRendered === true", timeout=15000)
    # Hover the crafted node so its tooltip is built.
    pos = page.evaluate(
        f"window.kgNetwork.canvasToDOM(window.kgNetwork.getPositions(['{evil['slug']}'])['{evil['slug']}'])"
    )
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_timeout(400)
    assert page.evaluate("window.__xss") is None
    assert page.locator("#tip img, #nodes img, #legend img").count() == 0
    assert "<img src=x onerror" in page.inner_text("#nodes")
    assert state["dialogs"] == [] and state["outside"] == []
