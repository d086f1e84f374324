"""Curated definitions in a build without the curation's own subdistrict (kg.building.definitions)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kg.building.definitions import general_part
from kg.cli import main

GENRE = Path(__file__).resolve().parent / "fixtures" / "genre"
NAMES = ["南码头路街道", "南码头", "Nanmatou"]


def test_the_general_part_stops_where_the_report_or_the_subdistrict_comes_in():
    zh = "对居民之间的矛盾纠纷进行调解和处理;报告中全年调处各类矛盾纠纷1495件,调解成功率99%。"
    assert general_part(zh, "zh", NAMES) == "对居民之间的矛盾纠纷进行调解和处理。"
    assert general_part("由一个居民委员会管理的社区基本单元;南码头路街道共有27个居民区。", "zh", NAMES) == (
        "由一个居民委员会管理的社区基本单元。"
    )
    # An aside about the report goes; a later sentence dated or opening on the subdistrict goes.
    assert general_part("组织六类服务人员进社区的项目(报告未列明是哪六类);2020年升级。", "zh", NAMES) == (
        "组织六类服务人员进社区的项目。"
    )
    week = "围绕国家宪法日开展的宣传周。"
    assert general_part(week + "街道借此开展法治宣传。", "zh", NAMES) == week
    # A first sentence may date the term or speak of a subdistrict in general.
    assert general_part("上海市委2018年起部署的调研活动;报告中机关干部分组走访。", "zh", NAMES) == (
        "上海市委2018年起部署的调研活动。"
    )
    assert general_part("街道集体所有的资产及其所办集体企业。", "zh", NAMES) == "街道集体所有的资产及其所办集体企业。"
    # 工作报告 is a document a body reviews, not the report the definition speaks of.
    assert general_part("审议街道办事处工作报告的议事机构。", "zh", NAMES).startswith("审议")
    assert general_part("南码头路街道的总体建设目标。", "zh", NAMES) == ""


def test_english_sentences_and_clauses():
    en = "Short for demolishing illegal structures. In the report the subdistrict pulled down 23 sites."
    assert general_part(en, "en", NAMES) == "Short for demolishing illegal structures."
    en = "Grid cells whose staff report them as work orders; the report counts grid orders."
    assert general_part(en, "en", NAMES) == "Grid cells whose staff report them as work orders."
    en = "A grouping of residential areas within the subdistrict; Nanmatou's 27 areas form 4 zones."
    assert general_part(en, "en", NAMES) == "A grouping of residential areas within the subdistrict."
    assert general_part("A project (the report does not say which six) for residents.", "en", NAMES) == (
        "A project for residents."
    )
    # A later sentence on what the subdistrict did is its own (一网通办's).
    en = "Shanghai's single platform for services. During the epidemic the subdistrict promoted it."
    assert general_part(en, "en", NAMES) == "Shanghai's single platform for services."
    # Nanmatou's own formulas count as its names (睦邻点: the “1+4+27+47” network's points).
    assert general_part("“1+4+27+47”为老服务网络中的睦邻点。", "zh", [*NAMES, "1+4+27+47"]) == ""


@given(st.text(alphabet="社区服务报告南码头街道年2019。;", max_size=40))
def test_the_general_part_is_a_leading_part_of_the_definition(text):
    got = general_part(text, "zh", NAMES)
    assert got == "" or text.startswith(got[:-1])  # a kept clause's closing ; may become 。
    assert "南码头" not in got and "报告" not in got


def test_a_build_without_nanmatou_keeps_the_general_part(tmp_path):
    """Fixture j is another subdistrict's report: 居民区 is defined without Nanmatou's 27 areas; a
    build with the packaged report keeps the whole curated definition."""
    out = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", str(GENRE / "j-paragraph-items.txt"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    entry = json.loads(CliRunner().invoke(main, ["define", "居民区", "--json", "--dist", str(out)]).stdout)
    assert entry["definition"] == {
        "zh": "由一个居民委员会管理的社区基本单元。",
        "en": "The basic community unit run by one residents' committee.",
    }
    # 三会一代理's curated English translates Nanmatou's note 5, in no report of this build.
    sanhui = json.loads(CliRunner().invoke(main, ["define", "三会一代理", "--json", "--dist", str(out)]).stdout)
    assert sanhui["definition"] is None or not any(sanhui["definition"].values())
    terms = json.loads((out / "index.json").read_text(encoding="utf-8"))["terms"]
    definitions = " ".join(f"{t['definition']['zh']} {t['definition']['en']}" for t in terms if t["definition"])
    assert "南码头" not in definitions and "Nanmatou" not in definitions and "报告中" not in definitions
