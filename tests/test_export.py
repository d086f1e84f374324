"""kg export glossary in every format."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS


def test_csv_has_bom_and_rows(kg, dist, tmp_path):
    out = tmp_path / "g.csv"
    assert kg("export", "glossary", "--format", "csv", "--out", str(out)).exit_code == 0
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert any(r["zh"] == "三会一代理" and r["en"] for r in rows)


def test_markdown(kg):
    md = kg("export", "glossary", "--format", "md").output
    assert md.startswith("| 术语 |") and "| 五个力 |" in md


def test_json_and_jsonld(kg):
    data = json.loads(kg("export", "glossary", "--format", "json").output)
    assert any(t["label"]["zh"] == "五个力" for t in data["terms"])
    g = Graph().parse(data=kg("export", "glossary", "--format", "jsonld").output, format="json-ld")
    concepts = set(g.subjects(SKOS.inScheme, None))
    assert len(concepts) == len(data["terms"])


def test_anki(kg):
    lines = kg("export", "glossary", "--format", "anki").output.splitlines()
    assert lines[0] == "#separator:tab"
    cards = [ln for ln in lines if not ln.startswith("#")]
    assert all(ln.count("\t") == 1 for ln in cards)
    assert any(ln.startswith("五个力<br>") and "five capabilities" in ln for ln in cards)


@pytest.mark.parametrize("group", ["dimension", "type"])
def test_html_handout(kg, group):
    page = kg("export", "glossary", "--format", "html", "--group-by", group).output
    assert "@page{size:A4" in page and "break-after:page" in page
    assert "三会一代理" in page


def _handout(kg, group="dimension"):
    return kg("export", "glossary", "--format", "html", "--group-by", group).output


def test_handout_each_term_once_with_cross_references(kg, dist):
    page = _handout(kg)
    index = json.loads((dist / "index.json").read_text(encoding="utf-8"))
    entries = re.findall(r"<dt id='t-([^']+)'", page)
    assert len(entries) == len(set(entries)) == len(index["terms"])  # each term once (was 155 entries)
    several = [t for t in index["terms"] if len(t["dimensions"]) > 1]
    assert several
    for t in several:  # every other dimension points to the entry, naming the dimension it is under
        assert page.count(f"<a href='#t-{t['slug']}'>") == len(t["dimensions"]) - 1, t["slug"]
    # 三会一代理 is curated under gold first, red second: printed under gold, referenced from red
    red = page[page.index("<section id='dim-red'>") : page.index("<section id='dim-orange'>")]
    gold = page[page.index("<section id='dim-gold'>") : page.index("<section id='dim-green'>")]
    assert "<dt id='t-san-hui-yi-dai-li'>" in gold and "<dt id='t-san-hui-yi-dai-li'>" not in red
    assert (
        "<a href='#t-san-hui-yi-dai-li'>〈三会一代理〉</a>" in red
        and "<a href='#dim-gold'>〈金色活力南码头〉</a>" in red
    )


def test_handout_contents_page_numbers_and_markers(kg):
    page = _handout(kg)
    toc = page[page.index("<nav>") : page.index("</nav>")]
    assert "目录" in toc and "Contents" in toc and toc.count("<li><a href='#dim-") == 7 and "<ol>" in toc
    assert "<h2>1. 红色先锋南码头" in page and "<h2>7. 紫色品质南码头" in page
    assert "counter(page)" in page and "target-counter(attr(href),page)" in page
    # the definition source is its own line, never glued to the sentence before it
    assert "editorial definition" in page
    assert re.search(r"[^>]编辑释义", page) is None
    assert all(m.startswith("<span class=source>") for m in re.findall(r"<span class=source>编辑释义", page))


def test_handout_keeps_glossary_order_within_a_dimension(kg, dist):
    from kg.pinyin import collation_key

    page = _handout(kg)
    index = json.loads((dist / "index.json").read_text(encoding="utf-8"))
    by_slug = {t["slug"]: t for t in index["terms"]}
    for section in re.findall(r"(?s)<section id='dim-[a-z]+'>.*?</section>", page):
        terms = [by_slug[s] for s in re.findall(r"<dt id='t-([^']+)'", section)]
        keys = [collation_key(t["pinyin"] or "", t["label"]["zh"] or "") for t in terms]
        assert keys == sorted(keys)


def test_handout_by_type_has_each_term_once(kg, dist):
    page = _handout(kg, "type")
    index = json.loads((dist / "index.json").read_text(encoding="utf-8"))
    assert len(re.findall(r"<dt id='t-", page)) == len(index["terms"])


def test_exports_keep_each_term_on_one_line_and_say_what_a_candidate_is():
    """Tabs, carriage returns and line separators inside a definition break neither an Anki note nor a
    Markdown row; backslashes and < are shown as written; a candidate (no definition yet) says so in
    Anki and the handout, and keeps its type in JSON-LD with the pinyin a search finds it by."""
    from rdflib import Graph, Literal, Namespace, URIRef

    from kg.export import export_glossary
    from kg.glossary import Glossary

    base = "https://w3id.org/nanmatou/"
    odd = "tab\there, cr\rthere\u2028and a | pipe, a \\ backslash, <b>bold</b>"

    def term(slug, zh, en, definition, kind, source):
        return {
            "iri": base + "term/" + slug,
            "slug": slug,
            "label": {"zh": zh, "en": en},
            "pinyin": "pin yin",
            "search": ["pinyin", "py"],
            "alt_labels": {"zh": [], "en": []},
            "type": kind,
            "note": None,
            "notes": [],
            "definition": {"zh": definition, "en": definition},
            "definition_source": source,
            "components": [],
            "related": [],
            "dimensions": [],
        }

    data = {
        "base": base,
        "dimensions": [],
        "variants": {},
        "terms": [
            term("odd", "怪", "odd", odd, "measure", "editorial"),
            term("cand", "候选", None, None, "candidate", "notYetDefined"),
        ],
    }
    g = Glossary(data, None)
    anki = [ln for ln in export_glossary(g, "anki").split("\n") if ln and not ln.startswith("#")]
    assert len(anki) == 2 and all(ln.count("\t") == 1 for ln in anki)
    assert "candidate — not yet curated" in anki[1]
    md = export_glossary(g, "md").split("\n")
    row = next(ln for ln in md if ln.startswith("| 怪 |"))
    assert row.count(" | ") == 6 and "\\|" in row and "\\\\" in row and "&lt;b&gt;" in row and "\r" not in row
    handout = export_glossary(g, "html")
    assert "候选术语,尚未审定 candidate — not yet curated" in handout
    rdf = Graph().parse(data=export_glossary(g, "jsonld"), format="json-ld")
    nmt = Namespace("https://w3id.org/nanmatou/ns#")
    assert (URIRef(base + "term/cand"), nmt.termType, nmt.candidate) in rdf
    hidden = URIRef("http://www.w3.org/2004/02/skos/core#hiddenLabel")
    assert (URIRef(base + "term/odd"), hidden, Literal("py", lang="zh-latn-pinyin")) in rdf or (
        URIRef(base + "term/odd"),
        hidden,
        Literal("py", lang="zh-Latn-pinyin"),
    ) in rdf
