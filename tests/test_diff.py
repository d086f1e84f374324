"""Cross-report questions on a small corpus of two fixture reports of one subdistrict (2021, 2022)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from kg.cli import main
from kg.resources import CURATION

from .conftest import write_report

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


def _changes(env: dict[str, str]) -> set[tuple[str, str, str, str, str]]:
    """(from, to, change, initiative, earlier) rows of the curated query initiatives-across-years."""
    data = _json(env, "query", "initiatives-across-years", "--format", "json")
    return {
        (
            b["from"]["value"],
            b["to"]["value"],
            b["change"]["value"],
            b["initiative"]["value"],
            b.get("earlier", {}).get("value", ""),
        )
        for b in data["results"]["bindings"]
    }


def test_initiatives_continued_new_and_dropped(corpus):
    assert _changes(corpus) == {
        ("2021", "2022", "continued", "完善为老服务", "完善为老服务"),
        ("2021", "2022", "continued", "深化群防群治", "深化群防群治"),
        ("2021", "2022", "new", "建设“15分钟服务圈”", ""),
        ("2021", "2022", "dropped", "推进“家门口”服务", ""),
        ("2021", "2022", "dropped", "开展“雷霆行动”专项整治", ""),
    }


def _agrees_with_diff(env: dict[str, str], a: str, b: str, rows: set[tuple[str, str, str, str, str]]) -> None:
    d = _json(env, "diff", a, b, "--json")["initiatives"]
    year_a, year_b = a[-4:], b[-4:]
    mine = {r[2:] for r in rows if r[:2] == (year_a, year_b)}
    theirs = {("continued", c["item"]["zh"], e["zh"]) for c in d["continued"] for e in c["continues"]}
    theirs |= {("new", n["item"]["zh"], "") for n in d["new"]}
    theirs |= {("dropped", n["item"]["zh"], "") for n in d["ended"]}
    assert mine == theirs


def test_initiatives_across_years_agree_with_kg_diff(corpus):
    _agrees_with_diff(corpus, "qingtong-2021", "qingtong-2022", _changes(corpus))


def three_year_corpus(folder: Path) -> tuple[list[Path], Path]:
    """The fixture corpus with a third year, and a curation folder where 2022's 15-minute circle
    carries 2021's doorstep service on (a curated ``continues``); returns (sources, curation)."""
    later = folder / "qingtong-2023.txt"
    later.write_text(
        "青桐路街道2023年工作报告\n一、2023年工作回顾\n(一)民生保障\n完善为老服务。新增助餐点4个。\n"
        "(二)平安建设\n开展“雷霆行动”专项整治。查处违法行为50起。\n",
        encoding="utf-8",
    )
    cur = folder / "curation"
    shutil.copytree(CURATION, cur)
    with (cur / "structure.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - zh: 建设“15分钟服务圈”\n    en: Building the 15-minute service circle\n")
        fh.write("    continues: [推进“家门口”服务]\n")
    return [*CORPUS, later], cur


def test_initiatives_across_consecutive_years_with_a_curated_continuation(tmp_path):
    sources, cur = three_year_corpus(tmp_path)
    out = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", *map(str, sources), "--out", str(out), "--curation", str(cur)])
    assert res.exit_code == 0, res.output
    env = {"KG_DIST": str(out)}
    rows = _changes(env)
    assert rows == {
        ("2021", "2022", "continued", "完善为老服务", "完善为老服务"),
        ("2021", "2022", "continued", "深化群防群治", "深化群防群治"),
        ("2021", "2022", "continued", "建设“15分钟服务圈”", "推进“家门口”服务"),
        ("2021", "2022", "dropped", "开展“雷霆行动”专项整治", ""),
        # Consecutive years only: 2023 picks 雷霆行动 up again, new after 2022; nothing pairs 2021 with 2023.
        ("2022", "2023", "continued", "完善为老服务", "完善为老服务"),
        ("2022", "2023", "new", "开展“雷霆行动”专项整治", ""),
        ("2022", "2023", "dropped", "建设“15分钟服务圈”", ""),
        ("2022", "2023", "dropped", "深化群防群治", ""),
    }
    _agrees_with_diff(env, "qingtong-2021", "qingtong-2022", rows)
    _agrees_with_diff(env, "qingtong-2022", "qingtong-2023", rows)


def test_curated_continuation_stays_within_its_place(tmp_path):
    """A plan carries on its own subdistrict's earlier work, never another's that shares a title."""
    sources, cur = three_year_corpus(tmp_path)
    other = tmp_path / "songlan-2021.txt"
    other.write_text(
        "松岚路街道2021年工作报告\n一、2021年工作回顾\n(一)民生保障\n推进“家门口”服务。新建服务站2个。\n",
        encoding="utf-8",
    )
    out = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", *map(str, [*sources, other]), "--out", str(out), "--curation", str(cur)])
    assert res.exit_code == 0, res.output
    from rdflib import Graph

    g = Graph().parse(out / "graph.nt", format="nt")
    continues = {(str(a), str(b)) for a, b in g.subject_objects(URIRef("https://w3id.org/nanmatou/ns#continues"))}
    assert any("qingtong-2022" in a and "qingtong-2021" in b for a, b in continues)
    assert not any("songlan" in a or "songlan" in b for a, b in continues)


def shared_note_corpus(folder: Path) -> list[Path]:
    """The fixture corpus with both years defining the same term in the same words: triples they share."""
    note = "名词解释:\n1.“雷霆行动”: 指街道组织的违法行为专项整治行动。\n"
    sources = []
    for src in CORPUS:
        sources.append(folder / src.name)
        sources[-1].write_text(src.read_text(encoding="utf-8").rstrip("\n") + "\n" + note, encoding="utf-8")
    return sources


def test_the_default_graph_is_the_merge_of_the_reports(tmp_path):
    """A triple two reports both state is one triple of the default graph, on the CLI and the endpoint.

    Oxigraph's union-default-graph option counts it once per graph (oxigraph#1919);
    the build stores the merge instead, so COUNT and SUM are not inflated.
    """
    from starlette.testclient import TestClient

    from kg.web.app import create_app
    from kg.web.config import WebConfig

    sources = shared_note_corpus(tmp_path)
    dist = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", *map(str, sources), "--out", str(dist)])
    assert res.exit_code == 0, res.output
    corpus = {"KG_DIST": str(dist)}
    quads = sum(1 for ln in (dist / "dataset.nq").read_text(encoding="utf-8").splitlines() if ln.strip())
    triples = sum(1 for ln in (dist / "graph.nt").read_text(encoding="utf-8").splitlines() if ln.strip())
    assert quads > triples  # the definition, at least, is stated by both reports
    merged = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

    def count(data) -> int:
        return int(data["results"]["bindings"][0]["n"]["value"])

    for query, expected in [(merged, triples), (named, quads)]:
        res = CliRunner().invoke(main, ["query", "-", "--format", "json"], input=query, env=corpus)
        assert res.exit_code == 0 and count(json.loads(res.stdout)) == expected
    app = create_app(WebConfig(dist=dist, query_timeout=10, workers=1))
    with TestClient(app) as client:
        for query, expected in [(merged, triples), (named, quads)]:
            res = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
            assert res.status_code == 200 and count(res.json()) == expected
    # Each graph's stated size (void:triples, the curated query graphs) is its real size.
    stated = _json(corpus, "query", "graphs", "--format", "json")["results"]["bindings"]
    each = "SELECT ?graph (COUNT(*) AS ?n) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph"
    res = CliRunner().invoke(main, ["query", "-", "--format", "json"], input=each, env=corpus)
    real = {b["graph"]["value"]: b["n"]["value"] for b in json.loads(res.stdout)["results"]["bindings"]}
    assert {b["graph"]["value"]: b["triples"]["value"] for b in stated} == real
    assert sum(map(int, real.values())) == quads


def test_a_curated_continuation_links_the_latest_earlier_year_only(tmp_path):
    """Three years of one item: each year continues the year before, and the chain reaches back through it."""
    sources, cur = three_year_corpus(tmp_path)
    with (cur / "structure.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - zh: 完善为老服务\n    en: Improving services for the elderly\n    continues: [完善为老服务]\n")
    out = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", *map(str, sources), "--out", str(out), "--curation", str(cur)])
    assert res.exit_code == 0, res.output
    query = (
        "PREFIX nmt: <https://w3id.org/nanmatou/ns#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?a ?b WHERE { ?x nmt:continues%s ?y ; dcterms:title ?t ; nmt:inReport ?ra . "
        '?y nmt:inReport ?rb . FILTER (STR(?t) = "完善为老服务") '
        "BIND (STRAFTER(STR(?ra), 'qingtong-') AS ?a) BIND (STRAFTER(STR(?rb), 'qingtong-') AS ?b) }"
    )

    def pairs(path: str) -> set[tuple[str, str]]:
        env = {"KG_DIST": str(out)}
        res = CliRunner().invoke(main, ["query", "-", "--format", "json"], input=query % path, env=env)
        assert res.exit_code == 0, res.output
        return {(b["a"]["value"], b["b"]["value"]) for b in json.loads(res.stdout)["results"]["bindings"]}

    assert pairs("") == {("2022", "2021"), ("2023", "2022")}
    assert pairs("+") == {("2022", "2021"), ("2023", "2022"), ("2023", "2021")}


def test_reports_whose_titles_name_no_year_follow_their_dates(tmp_path):
    """Titles that name a meeting, not a year (as Nanmatou's does): a place's reports are ordered
    by the year they were delivered, else issued (nmt:period), so the cross-year questions pair
    them as they pair titled ones."""
    texts = {
        "meeting-a.txt": "青桐路街道第三届社区代表大会第二次会议上的报告\n"
        "公开类别 | 主动公开 | 发布时间 | 2020-01-15 |\n"
        "一、2019年工作回顾\n(一)民生保障\n完善为老服务。新增助餐点2个。\n"
        "(二)平安建设\n开展“雷霆行动”专项整治。查处违法行为50起。\n",
        "meeting-b.txt": "青桐路街道第三届社区代表大会第三次会议上的报告\n"
        "(2021年1月20日)\n"
        "一、2020年工作回顾\n(一)民生保障\n完善为老服务。新增助餐点3个。\n",
    }
    sources = []
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        sources.append(tmp_path / name)
    out = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", *map(str, sources), "--out", str(out)])
    assert res.exit_code == 0, res.output
    env = {"KG_DIST": str(out)}
    assert _changes(env) == {
        ("2020", "2021", "continued", "完善为老服务", "完善为老服务"),
        ("2020", "2021", "dropped", "开展“雷霆行动”专项整治", ""),
    }
    series = _json(env, "query", "quantity-series", "--param", "label=助餐点", "--format", "json")
    assert [(b["year"]["value"], b["value"]["value"]) for b in series["results"]["bindings"]] == [
        ("2019", "2"),
        ("2020", "3"),
    ]
    # The report itself keeps its title's (absent) period: dcterms:temporal says only what the title says.
    meta = _json(env, "query", "report-metadata", "--format", "json")["results"]["bindings"]
    assert all("temporal" not in b for b in meta)


def test_each_glossary_note_has_its_own_reports_definition(tmp_path):
    """Two years define the same term in different words: each note lists the definition its report gives."""
    words = {
        "qingtong-2021": "指街道组织的违法行为专项整治行动。",
        "qingtong-2022": "指街道开展的安全隐患集中整治行动。",
    }
    sources = []
    for src in CORPUS:
        note = f"名词解释:\n1.“雷霆行动”: {words[src.stem]}\n"
        sources.append(write_report(tmp_path / src.name, src.read_text(encoding="utf-8").rstrip("\n") + "\n" + note))
    dist = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", *map(str, sources), "--out", str(dist)])
    assert res.exit_code == 0, res.output
    data = _json({"KG_DIST": str(dist)}, "query", "glossary-notes", "--format", "json")
    rows = [(b["report"]["value"].rsplit("/", 1)[-1], b["definition"]["value"]) for b in data["results"]["bindings"]]
    assert sorted(rows) == sorted(words.items())


def test_diff_keeps_every_quantity_of_a_label_stated_twice(tmp_path):
    """Two sections each state 新增助餐点: both pairs are compared (the second vanished), and a large
    value is printed in full in the table (it was 9.87654e+07)."""

    def report(year: int, first: int, second: int, money: str) -> str:
        return (
            f"青桐路街道{year}年工作报告\n一、{year}年工作回顾\n(一)为老服务\n完善助餐服务。新增助餐点{first}个。\n"
            f"(二)社区建设\n推进睦邻建设。新增助餐点{second}个,投入资金{money}元。\n"
        )

    a = write_report(tmp_path / "qa-2021.txt", report(2021, 2, 5, "9876.5432万"))
    b = write_report(tmp_path / "qa-2022.txt", report(2022, 3, 9, "12345.678万"))
    env = {"KG_DIST": str(tmp_path / "dist")}
    assert CliRunner().invoke(main, ["build", str(a), str(b), "--out", env["KG_DIST"]]).exit_code == 0
    d = _json(env, "diff", "qa-2021", "qa-2022", "--json")
    pairs = sorted((c["a"], c["b"]) for c in d["quantities"]["changed"] if c["label"]["zh"] == "助餐点")
    assert pairs == [(2, 3), (5, 9)]
    table = CliRunner().invoke(main, ["diff", "qa-2021", "qa-2022"], env=env).output
    assert "98,765,432 →" in table and "123,456,780" in table and "e+0" not in table


def test_a_title_reviewed_and_planned_is_continued_once_and_ended_once(tmp_path):
    """A report reviews and plans 办好民生实事 (two items of one title); the next year's has it once:
    continued, and neither copy ended (one was listed as both); a title both copies of which end is
    listed once; `initiatives-across-years` drops what `kg diff` ends."""
    body = "(一)民生\n1.办好民生实事。新建食堂2家。\n2.深化党建引领。新建站点3个。\n"
    a = write_report(
        tmp_path / "石牌2022.txt",
        "石牌街道2022年工作报告\n一、2022年工作回顾\n" + body + "二、2023年工作安排\n" + body,
    )
    b = write_report(
        tmp_path / "石牌2023.txt",
        "石牌街道2023年工作报告\n一、2023年工作回顾\n(一)民生\n1.办好民生实事。新建食堂3家。\n",
    )
    out = tmp_path / "d"
    assert CliRunner().invoke(main, ["build", str(a), str(b), "--out", str(out)]).exit_code == 0
    env = {"KG_DIST": str(out)}
    d = _json(env, "diff", "shi-pai-2022", "shi-pai-2023", "--json")["initiatives"]
    assert [(c["item"]["zh"], [x["zh"] for x in c["continues"]]) for c in d["continued"]] == [
        ("办好民生实事", ["办好民生实事"])
    ]
    assert [e["item"]["zh"] for e in d["ended"]] == ["深化党建引领"]
    _agrees_with_diff(env, "shi-pai-2022", "shi-pai-2023", _changes(env))
    # …and a title new in both B's review and its plan is new once (it was listed twice)
    c = write_report(
        tmp_path / "石牌2024.txt",
        "石牌街道2024年工作报告\n一、2024年工作回顾\n(一)民生\n1.推进城市更新。完成改造3个。\n"
        "二、2025年工作安排\n(一)民生\n1.推进城市更新。完成改造5个。\n",
    )
    assert CliRunner().invoke(main, ["build", str(a), str(b), str(c), "--out", str(out)]).exit_code == 0
    d = _json(env, "diff", "shi-pai-2023", "shi-pai-2024", "--json")["initiatives"]
    assert [n["item"]["zh"] for n in d["new"]] == ["推进城市更新"]


def test_diff_matches_a_measure_whatever_place_word_opens_its_label(tmp_path):
    """辖区残疾人补贴312万元 in one year and 残疾人补贴336万元 the next: one measure changed (they were
    only in A and only in B)."""
    a = write_report(
        tmp_path / "石牌2022.txt",
        "石牌街道2022年工作报告\n一、2022年工作回顾\n(一)民生\n1.兜底保障。辖区残疾人补贴312万元。\n",
    )
    b = write_report(
        tmp_path / "石牌2023.txt",
        "石牌街道2023年工作报告\n一、2023年工作回顾\n(一)民生\n1.兜底保障。残疾人补贴336万元。\n",
    )
    out = tmp_path / "d"
    assert CliRunner().invoke(main, ["build", str(a), str(b), "--out", str(out)]).exit_code == 0
    q = _json({"KG_DIST": str(out)}, "diff", "shi-pai-2022", "shi-pai-2023", "--json")["quantities"]
    assert [(c["a"], c["b"]) for c in q["changed"]] == [(3120000, 3360000)] and not q["only_a"] and not q["only_b"]


def test_diff_compares_results_with_results_and_targets_with_targets(tmp_path):
    """A reviews 2022 (新增停车泊位312个) and plans 2023 (200个); B reviews 2023 (236个) and plans 2024
    (150个): 312 → 236 and 200 → 150 (the diff paired A's 2023 target with B's 2023 result)."""

    def report(year: int, done: int, planned: int) -> str:
        return (
            f"长乐街道{year + 1}年工作报告\n一、{year}年工作回顾\n（一）交通\n新增停车泊位{done}个。\n"
            f"二、{year + 1}年工作安排\n（一）交通\n新增停车泊位{planned}个。\n"
        )

    a = write_report(tmp_path / "changle-2023.txt", report(2022, 312, 200))
    b = write_report(tmp_path / "changle-2024.txt", report(2023, 236, 150))
    env = {"KG_DIST": str(tmp_path / "d")}
    assert CliRunner().invoke(main, ["build", str(a), str(b), "--out", env["KG_DIST"]]).exit_code == 0
    d = _json(env, "diff", "changle-2023", "changle-2024", "--json")
    assert sorted((c["a"], c["b"]) for c in d["quantities"]["changed"]) == [(200, 150), (312, 236)]


def test_diff_roles_when_the_review_covers_five_years(tmp_path):
    """B reviews 过去五年 (no single year) and plans 2022: its 2022 target is a target, compared with
    A's 2021 target (5.3 → 5.8), and its 2021 result with A's 2020 result (5.0 → 5.4); every B
    figure was a result."""

    def report(year: int, review: str, done: str, planned: str) -> str:
        return (
            f"南码头路街道{year}年工作报告\n一、{review}工作回顾\n（一）经济发展\n1.经济运行稳中向好。{done}\n"
            f"二、{year}年工作安排\n（一）经济发展\n1.推动经济高质量发展。全年力争实现税收收入{planned}亿元。\n"
        )

    a = write_report(tmp_path / "nmt-2021.txt", report(2021, "2020年", "全年实现税收收入5.0亿元。", "5.3"))
    b = write_report(tmp_path / "nmt-2022.txt", report(2022, "过去五年", "2021年，全年实现税收收入5.4亿元。", "5.8"))
    env = {"KG_DIST": str(tmp_path / "d")}
    assert CliRunner().invoke(main, ["build", str(a), str(b), "--out", env["KG_DIST"]]).exit_code == 0
    d = _json(env, "diff", "nmt-2021", "nmt-2022", "--json")
    assert sorted((c["a"], c["b"]) for c in d["quantities"]["changed"]) == [
        (500000000, 540000000),
        (530000000, 580000000),
    ]


def test_a_problems_part_naming_a_year_leaves_the_roles_alone(tmp_path):
    """A review-only report whose 存在的问题 names 2022: its 2023 results stay results (all became
    targets, nothing was compared)."""

    def report(year: int, firms: int, extra: str = "") -> str:
        return f"某某街道{year}年工作总结\n一、{year}年工作回顾\n（一）经济发展\n全年新增企业{firms}家。\n" + extra

    a = write_report(tmp_path / "moumou-2022.txt", report(2022, 80))
    b = write_report(
        tmp_path / "moumou-2023.txt",
        report(2023, 120, "二、存在的问题\n一是经济增长后劲不足，2022年新增企业仅80家。\n"),
    )
    env = {"KG_DIST": str(tmp_path / "d")}
    assert CliRunner().invoke(main, ["build", str(a), str(b), "--out", env["KG_DIST"]]).exit_code == 0
    d = _json(env, "diff", "moumou-2022", "moumou-2023", "--json")
    assert [(c["a"], c["b"]) for c in d["quantities"]["changed"]] == [(80, 120)]
