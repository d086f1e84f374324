"""Cross-report questions on a small corpus of two fixture reports of one subdistrict (2021, 2022)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

CORPUS = sorted((Path(__file__).resolve().parent / "fixtures" / "corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("corpus") / "dist"
    res = CliRunner().invoke(main, ["build", *map(str, CORPUS), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return {"KG_DIST": str(out)}


def _json(env: dict[str, str], *args: str):
    res = CliRunner().invoke(main, [*args], env=env)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_diff_terms_quantities_and_work_items(corpus):
    d = _json(corpus, "diff", "qingtong-2021", "qingtong-2022", "--json")
    assert {t["label"]["zh"] for t in d["terms"]["added"]} == {"15分钟服务圈"}
    assert {t["label"]["zh"] for t in d["terms"]["dropped"]} == {"家门口", "雷霆行动"}
    changed = {(c["label"]["zh"], c["a"], c["b"]) for c in d["quantities"]["changed"]}
    assert changed == {("助餐点", 2, 3), ("送餐", 12000, 15000), ("矛盾纠纷", 300, 280)}
    ini = d["initiatives"]
    assert {c["item"]["zh"] for c in ini["continued"]} == {"完善为老服务", "深化群防群治"}
    assert [n["item"]["zh"] for n in ini["new"]] == ["建设“15分钟服务圈”"]
    assert {n["item"]["zh"] for n in ini["ended"]} == {"推进“家门口”服务", "开展“雷霆行动”专项整治"}


def test_diff_table_and_unknown_report(corpus):
    res = CliRunner().invoke(main, ["diff", "qingtong-2021", "qingtong-2022"], env=corpus)
    assert res.exit_code == 0 and "12,000 →" in res.output and "Ended after A (2)" in res.output
    bad = CliRunner().invoke(main, ["diff", "qingtong-2021", "nope"], env=corpus)
    assert bad.exit_code == 1 and "no report 'nope'" in bad.output


def test_term_first_and_last_year(corpus):
    data = _json(corpus, "query", "term-years", "--format", "json")
    rows = {b["term"]["value"]: (b["first"]["value"], b["last"]["value"]) for b in data["results"]["bindings"]}
    assert rows["助餐"] == ("2021", "2022")
    assert rows["雷霆行动"] == ("2021", "2021")
    assert rows["15分钟服务圈"] == ("2022", "2022")


def test_quantity_as_a_time_series(corpus):
    data = _json(corpus, "query", "quantity-series", "--param", "label=送餐", "--format", "json")
    series = [(b["year"]["value"], b["value"]["value"]) for b in data["results"]["bindings"]]
    assert series == [("2021", "12000"), ("2022", "15000")]
