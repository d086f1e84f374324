"""Every curated query answers what its header promises (expected answers read off the report)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.queries import library
from kg.resources import DEFAULT_REPORT

from .conftest import norm


def rows(kg_json, name, *params):
    args = ["query", name, "--format", "json"]
    for p in params:
        args += ["--param", p]
    data = kg_json(*args)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_library_size_and_headers():
    lib = library()
    assert len(lib) >= 25
    answered = {a for q in lib.values() for a in q.answers}
    assert {"CQ01", "CQ06", "CQ07", "CQ08", "CQ09", "CQ10", "CQ17", "CQ20"} <= answered


def test_every_query_is_tested():
    import pathlib

    here = pathlib.Path(__file__).parent
    tests = "".join(p.read_text(encoding="utf-8") for p in here.glob("test_*.py"))
    for name in library():
        assert f'"{name}"' in tests, f"no test runs query {name}"


def test_terms_by_dimension(kg_json):
    r = rows(kg_json, "terms-by-dimension")
    assert [x["order"] for x in r] == [str(i) for i in range(1, 8)]
    assert all(int(x["terms"]) >= 1 for x in r)


def test_dimension_terms(kg_json):
    blue = {x["term"] for x in rows(kg_json, "dimension-terms", "dimension=blue")}
    assert {"码头门神", "1+17+27", "七彩南码头"} <= blue
    assert "五大倍增行动" not in blue


def test_dimension_counts(kg_json):
    r = rows(kg_json, "dimension-counts")
    primary = {}
    for x in r:
        primary[x["year"]] = primary.get(x["year"], 0) + int(x["primary"])
    assert primary == {"2020": 19, "2021": 24}


def test_continuations(kg_json):
    r = rows(kg_json, "continuations")
    pairs = {(norm(x["plan"]), norm(x["earlier"])) for x in r}
    assert (norm("布局均衡化,培育为老服务新亮点"), "为老服务能级持续提升") in pairs
    assert all(x["plan_year"] == "2021" and x["earlier_year"] == "2020" for x in r)


def test_unit_totals(kg_json):
    r = {norm(x["section"]): x for x in rows(kg_json, "unit-totals", "unit=元")}
    # 502.6万 + 2691.44万 + 413.14万 + 675.01万 + 203.84万, as read off the report.
    assert Decimal(r[norm("保民生,全民共享高品质发展成果")]["total"]) == Decimal("44860300")
    # 1832万 (approx.) + 7.28亿 + 4.91亿 + 1.43亿
    first = r[norm("严防控,全民打好新冠疫情阻击战")]
    assert Decimal(first["total"]) == Decimal("1380320000") and first["approximate"] == "1"
    assert rows(kg_json, "unit-totals", "unit=美元")[0]["total"].startswith("5000000")


def test_terms_in_both_parts(kg_json):
    terms = {x["term"] for x in rows(kg_json, "terms-in-both-parts")}
    assert {"七彩南码头", "居民区", "家门口"} <= terms
    assert "五个力" not in terms  # only in the plan


def test_connected_terms(kg_json):
    r = rows(kg_json, "connected-terms")
    degrees = [int(x["degree"]) for x in r]
    assert degrees == sorted(degrees, reverse=True)
    assert "居民区" in [x["term"] for x in r[:3]]


def test_place_mentions(kg_json):
    r = rows(kg_json, "place-mentions", "entity=金星居民区")
    assert [x["context"] for x in r] == ["社区共治共建深化合作"]
    assert "停车难" in r[0]["suffix"]


def test_glossary_table(kg_json, dist):
    import json

    r = rows(kg_json, "glossary-table")
    index = json.loads((dist / "index.json").read_text(encoding="utf-8"))
    assert len(r) == len(index["terms"]) >= 80
    assert all(x["zh"] and x["en"] and x["pinyin"] and x["definition_en"] for x in r)


def test_quantity_provenance(kg_json):
    text = DEFAULT_REPORT.read_text(encoding="utf-8")
    (r,) = rows(kg_json, "quantity-provenance", "label=报警类警情")
    assert r["exact"] == "2075起" and text[int(r["start"]) : int(r["end"])] == "2075起"
    assert "同比减少10.79%" in r["sentence"] and r["initiative"] == "社会面持续保持稳定"


def test_term_mentions_cq18(kg_json, questions):
    exp = questions["CQ18"]["expect"]
    r = rows(kg_json, "term-mentions", f"term={exp['term']}")
    assert any(
        norm(x["context"]) == norm(exp["mentioned_in_initiative"])
        and norm(exp["quote_contains"]) in norm(x["sentence"])
        for x in r
    )


@pytest.mark.parametrize("cq", ["CQ02", "CQ03", "CQ04", "CQ05", "CQ15", "CQ16"])
def test_term_components(kg_json, questions, cq):
    exp = questions[cq]["expect"]
    r = rows(kg_json, "term-components", f"term={exp['term']}")
    assert {x["note"] for x in r} == {str(exp["note"])}
    want = exp["components"]
    labels = [w if isinstance(w, str) else w["label"] for w in want]
    assert [norm(x["component"]) for x in r] == [norm(w) for w in labels]
    for got, w in zip(r, want, strict=True):
        if isinstance(w, dict) and "count" in w:
            assert int(got["count"]) == w["count"]
        if isinstance(w, dict) and "qualifier" in w:
            assert norm(got["qualifier"]) == norm(w["qualifier"])


@pytest.mark.parametrize(("cq", "words"), [("CQ11", "警情"), ("CQ12", "减免房租"), ("CQ13", "工单"), ("CQ14", "资金")])
def test_quantities_query(kg_json, questions, cq, words):
    got = rows(kg_json, "quantities", f"label={words}")
    for want in questions[cq]["expect"]:
        matches = [x for x in got if Decimal(x["value"]) == Decimal(str(want["value"])) and x["unit"] == want["unit"]]
        if cq == "CQ13" and "告警" in want.get("label_contains", ""):
            matches = [x for x in rows(kg_json, "quantities", "label=告警") if x["unit"] == want["unit"]]
        assert matches, want
        if "change_percent" in want:
            assert Decimal(matches[0]["change"]) == Decimal(str(want["change_percent"]))
        if "approx" in want:
            assert matches[0]["approx"] == str(want["approx"]).lower()


def test_year_on_year(kg_json):
    assert [x["change"] for x in rows(kg_json, "year-on-year")] == ["-36.55", "-10.79", "-2.68"]


def test_term_types(kg_json):
    r = {x["type"]: x for x in rows(kg_json, "term-types")}
    assert r["official note"]["terms"] == "10" and r["official note"]["official"] == "10"
    assert sum(int(x["terms"]) for x in r.values()) >= 80


def test_entities_by_kind(kg_json):
    r = {x["name"]: x for x in rows(kg_json, "entities-by-kind")}
    assert r["喜马拉雅"]["kind"] == "organisation" and int(r["喜马拉雅"]["mentioned_by"]) >= 1
    assert r["金星居民区"]["kind"] == "residential-area"


def test_cited_documents(kg_json):
    r = rows(kg_json, "cited-documents")
    assert ("上海市生活垃圾管理条例", "法治社区建设落地有力") in {(x["document"], x.get("item_title")) for x in r}
    assert len({x["document"] for x in r}) >= 5


def test_numeric_shorthands(kg_json):
    r = {x["term"]: x for x in rows(kg_json, "numeric-shorthands")}
    assert r["1+4+27+47"]["stated"] == r["1+4+27+47"]["sum"] == "79" and r["1+4+27+47"]["components"] == "4"
    assert all(x["stated"] == x["sum"] for x in r.values())


def test_busiest_initiatives(kg_json):
    r = rows(kg_json, "busiest-initiatives")
    totals = [int(x["terms"]) + int(x["figures"]) for x in r]
    assert totals == sorted(totals, reverse=True) and len(r) == 43


def test_graphs(kg_json):
    r = {x["graph"].rsplit("/graph/", 1)[1]: x for x in rows(kg_json, "graphs")}
    assert set(r) == {"curation", "ontology", "report/nanmatou-2021-report"}
    assert r["report/nanmatou-2021-report"]["derived_from"].endswith("/report/nanmatou-2021-report")
    assert "generated_by" in r["curation"]
    # The size each graph states (void:triples) is its real size, that statement included.
    counted = {g.rsplit("/graph/", 1)[1]: n for g, n in kg_json("stats", "--json")["graphs"].items()}
    assert {k: int(x["triples"]) for k, x in r.items()} == counted


def test_section_primary_dimensions(kg_json):
    r = rows(kg_json, "section-primary-dimensions")
    blue = [x for x in r if x["year"] == "2020" and x["section"].startswith("守底线")]
    assert [(x["dimension"], x["items"]) for x in blue] == [("蓝色平安南码头", "3")]


def test_enumerations_on_a_report_that_has_them(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kg.cli import main

    from .test_parsing import GENRE

    src = tmp_path / "genre-2022.txt"
    src.write_text(GENRE, encoding="utf-8")
    assert rows_empty_ok(monkeypatch, tmp_path, src, CliRunner(), main)


def rows_empty_ok(monkeypatch, tmp_path, src, runner, main):
    """Build a small report with a curation that covers it, then query its enumerations."""
    import json
    import shutil

    from kg.resources import CURATION

    cur = tmp_path / "curation"
    shutil.copytree(CURATION, cur)
    extra = "\n  - {zh: 2021年工作总结, en: Review of 2021}\n  - {zh: 2022年工作计划, en: Plan for 2022}\n"
    text = (cur / "structure.yaml").read_text(encoding="utf-8").replace("\nsections:\n", extra + "\nsections:\n", 1)
    text = text.replace(
        "\ninitiatives:\n",
        '\n  - {zh: "抓党建,引领发展", en: Party building}\n'
        "  - {zh: 保平安, en: Safety}\n  - {zh: 办实事, en: Practical projects}\n\ninitiatives:\n",
        1,
    )
    items = ["党建引领全面加强", "平安建设扎实推进", "修缮楼道", "新建驿站", "更新设备"]
    text += "".join(
        f"  - zh: {i}\n    en: item {n}\n    dimensions: [{{id: red, primary: true}}]\n" for n, i in enumerate(items)
    )
    (cur / "structure.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "dist"
    # Built together with the packaged report, whose notes define the curated official terms.
    res = runner.invoke(main, ["build", str(DEFAULT_REPORT), str(src), "--out", str(out), "--curation", str(cur)])
    assert res.exit_code == 0, res.output
    monkeypatch.setenv("KG_DIST", str(out))
    res = runner.invoke(main, ["query", "enumerations", "--format", "json"])
    got = [(b["order"]["value"], b["text"]["value"]) for b in json.loads(res.output)["results"]["bindings"]]
    assert got == [("1", "一是组织“三会制度”学习"), ("2", "二是开展培训12场"), ("3", "三是新建站点3个")]
    return True


def test_initiatives_across_years_on_one_report(kg_json):
    # One report has no next report of its place: nothing continued, new or dropped across years.
    # (tests/test_diff.py answers it on the two-year fixture corpus.)
    assert rows(kg_json, "initiatives-across-years") == []
