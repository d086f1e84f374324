"""Any report of the genre: one small fixture report per layout seen in real reports (a–i).

The fixtures in ``tests/fixtures/genre/`` are our own texts written in each layout, not copies of
real reports. Each test asserts the parsed outline, the quantities and the candidate terms; each
fixture builds alone and all of them build together with the packaged report.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from kg.cli import main
from kg.errors import SourceError
from kg.parsing.outline import outline
from kg.parsing.reading import decode
from kg.parsing.report import parse_file, parse_report
from kg.parsing.script import COMMON_SIMPLIFIED, COMMON_TRADITIONAL, simplified, to_simplified
from kg.resources import DEFAULT_REPORT
from kg.text import normalise
from kg.validation import union
from kg.vocab import NMT

GENRE = Path(__file__).resolve().parent / "fixtures" / "genre"
FIXTURES = sorted(GENRE.glob("*.txt"))


def tree(name: str) -> dict:
    return outline(parse_file(GENRE / name))


def shape(name: str) -> list:
    """Parts → sections → items (→ sub-items) as nested titles."""
    return [
        (p["title"], [(s["title"], [(i["title"], i["sub_items"]) for i in s["items"]]) for s in p["sections"]])
        for p in tree(name)["parts"]
    ]


def quantities(name: str) -> list[tuple[str, str, bool, str | None, str]]:
    return [
        (q.raw, q.unit, q.approx, None if q.change_percent is None else str(q.change_percent), q.label)
        for q in parse_file(GENRE / name).quantities
    ]


# -- a. top headings without 一、 ------------------------------------------------------------


def test_a_half_year_headings_make_parts_and_shift_levels():
    t = tree("a-half-year.txt")
    assert [(p["title"], p["kind"]) for p in t["parts"]] == [
        ("上半年总体工作情况", "review"),
        ("下半年工作打算", "plan"),
    ]
    assert shape("a-half-year.txt")[0][1] == [
        ("党建引领有力有效", [("深化基层党建", []), ("推进作风建设", [])]),
        ("民生保障扎实推进", [("做好为老服务", [])]),
    ]
    assert [p["year"] for p in t["parts"]] == ["2024", "2024"]  # both halves are the title's year
    assert t["place"] == "青桐路街道" and t["period_in_title"] == "2024"
    assert t["period"] == "2024上半年"  # as the graph states it (nmt:period): the half sorts after the year
    assert ("3000人次", "人次", True, None, "服务老人") in quantities("a-half-year.txt")  # 突破 → approximate
    assert ("800人次", "人次", True, None, "覆盖党员") in quantities("a-half-year.txt")  # 近
    assert ("3个", "个", False, None, "党群服务站") in quantities("a-half-year.txt")


def test_a_multi_year_part_has_a_period_not_a_year():
    parts = tree("a-multi-year.txt")["parts"]
    assert parts[0]["title"] == "2020-2022年工作总结" and parts[0]["years"] == ["2020", "2022"]
    assert parts[0]["year"] is None
    assert parts[1]["year"] == "2023" and parts[1]["kind"] == "plan"
    assert ("600家", "家", True, None, "服务企业") in quantities("a-multi-year.txt")  # 逾


def test_a_part_n_headings():
    assert shape("a-part-n.txt") == [
        ("2024年工作回顾", [("基层治理提质增效", [("社区自治", []), ("平安建设", [])])]),
        ("2025年工作安排", [("全面深化改革", [("优化服务", [])])]),
    ]


# -- b–e ---------------------------------------------------------------------------------------


def test_a_top_headings_over_bracketed_sections_keep_them_sections():
    """第一部分 (or an un-numbered heading) with (一) sections and no 一、 level: (一) stays a section."""
    outline = shape("a-part-n-bracket-sections.txt")
    assert [(p, [s for s, _ in secs]) for p, secs in outline] == [
        ("2022年工作回顾", ["党建引领基层治理", "民生保障提质扩面"]),
        ("2023年工作安排", ["持续优化营商环境", "守牢安全底线"]),
    ]
    assert [i for i, _ in outline[0][1][0][1]] == ["深化“红色议事厅”建设", "推进居民区书记工作室建设"]
    plain = (GENRE / "a-part-n-bracket-sections.txt").read_text(encoding="utf-8")
    plain = plain.replace("第一部分 ", "").replace("第二部分 ", "")
    assert [len(p.sections) for p in parse_report(plain, "songlan-2023").parts] == [2, 2]


def test_b_numbered_item_title_is_its_first_sentence_and_lead_sentences_are_sub_items():
    assert shape("b-long-items.txt") == [
        (
            "2022年工作回顾",
            [
                (
                    "基层党建",
                    [
                        ("筑牢根基,重点突破,挥好党建指挥棒", ["基层党建有新成效", "组织建设有新突破"]),
                        ("深化服务,建强阵地", []),
                    ],
                )
            ],
        )
    ]
    # 同比增长约17% is the change of the quantity it qualifies, not a quantity of its own.
    assert quantities("b-long-items.txt") == [
        ("15名", "名", False, None, "发展党员"),
        ("4处", "处", False, "17", "党群阵地"),
    ]


def test_c_section_heading_with_its_body_on_the_same_line():
    assert shape("c-section-body.txt")[0][1] == [
        ("发展规划加快落实", [("行动计划精心编制", [])]),
        ("城市更新有序推进", [("旧区改造全面完成", [])]),
    ]
    assert ("3000平方米", "平方米", True, None, "旧住房修缮") in quantities("c-section-body.txt")


def test_d_enumeration_items_are_titled_without_their_prefix():
    items = shape("d-enumeration.txt")[0][1][0][1]
    assert items == [
        (
            "推进城乡融合发展",
            ["激发主体活力,推动城乡共兴", "完善基础设施,提升公共服务", "加强生态保护,新增绿地近8000m2"],
        )
    ]
    assert quantities("d-enumeration.txt") == [("8000㎡", "㎡", True, None, "绿地")]


def test_e_numbers_alone_and_footnote_markers_never_stay_in_titles_or_split_paragraphs():
    r = parse_file(GENRE / "e-markers.txt")
    assert [p.title for p in r.parts] == ["2021年工作回顾"]
    sec = r.parts[0].sections[0]
    assert sec.title == "综合整治"
    assert [i.title for i in sec.initiatives] == ["持续推进“五违四必”整治"]
    item = sec.initiatives[0]
    assert r.text[item.start : item.end].endswith("开展街面环境整治。")  # the marker line did not split it
    assert not r.unplaced
    assert sorted(m.number for m in r.markers) == [1, 2]
    assert [n.term for n in r.notes] == ["六个全面提升", "五违四必"]


def test_a_marker_after_a_headword_of_two_quotes_is_found():
    text = (
        "报告\n一、2023年工作回顾\n(一)更新\n推进“三旧”变“三新”1工作。完成改造3处。\n"
        "名词解释:\n1.“三旧”变“三新”:指旧区改造。\n"
    )
    r = parse_report(text, "x")
    assert [(m.number, m.quote.text) for m in r.markers] == [(1, "三旧")] and r.warnings == []


def test_f_truncated_text_builds_and_says_what_looks_wrong():
    r = parse_file(GENRE / "f-truncated.txt")
    assert [p.title for p in r.parts] == ["2023年工作回顾", "2024年工作计划"]
    assert any("has no sections" in w for w in r.warnings)


def test_a_report_that_is_all_review_reviews_its_year_in_every_part():
    """陆家嘴街道2020年工作总结 with 一、 parts and no 回顾/计划 heading: each part reviews 2020; a
    paragraph's first clause is not cut at the comma of 4,860."""
    text = (
        "陆家嘴街道2020年工作总结\n一、统筹推进疫情防控\n(一)社区防控\n新增就业岗位4,860个,帮扶失业青年52名。\n"
        "二、持续改善社区民生\n(一)为老服务\n建成长者照护之家1家。\n"
    )
    r = parse_report(text, "x")
    assert [(p.kind, p.year) for p in r.parts] == [("review", "2020"), ("review", "2020")]
    assert r.parts[0].sections[0].initiatives[0].title == "新增就业岗位4,860个"


def test_a_part_of_prose_is_not_a_part_missing_its_sections():
    text = (
        "报告\n一、2023年工作回顾\n(一)治理\n完善议事规则。全年召开议事会24次。\n"
        "二、存在的问题和不足\n老龄化程度加深。\n"
    )
    r = parse_report(text, "x")
    assert [p.title for p in r.parts] == ["2023年工作回顾", "存在的问题和不足"] and r.warnings == []


# -- g. encodings and line ends ------------------------------------------------------------------

TEXT = (GENRE / "d-enumeration.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.replace("㎡", "平方米").encode("gbk"),
        TEXT.encode("utf-16"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("gb18030"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "crlf", "cr-gb18030"],
)
def test_g_encodings_and_line_ends_parse_alike(data):
    r = parse_report(decode(data, "x"), "x")
    assert [(i.title, len(i.enumerations)) for i in r.initiatives()] == [("推进城乡融合发展", 3)]


def test_g_a_wrong_guess_never_gives_mojibake(tmp_path):
    with pytest.raises(SourceError, match="encoding"):
        decode("Grüße aus Köln, keine Chinesisch hier.".encode("latin-1"), "x")
    with pytest.raises(SourceError):
        decode(b"\xff\xfe\xfd\x80\x81" * 20, "x")
    path = tmp_path / "report.txt"
    path.write_bytes(TEXT.encode("gb18030"))
    res = CliRunner().invoke(main, ["outline", str(path), "--encoding", "utf-8"])
    assert res.exit_code == 1 and "not utf-8" in res.output.lower()
    assert CliRunner().invoke(main, ["outline", str(path), "--encoding", "gb18030"]).exit_code == 0
    # A single-byte encoding reads any bytes: what it read holds no Chinese, and the error says so.
    res = CliRunner().invoke(main, ["outline", str(path), "--encoding", "latin-1"])
    assert res.exit_code == 1 and "wrong encoding" in res.output and "--encoding" in res.output


# -- h. web copies -------------------------------------------------------------------------------


def test_h_web_copy_debris_is_metadata_not_body():
    r = parse_file(GENRE / "h-web-copy.txt")
    md = r.metadata
    assert md.publisher == "青桐路街道办事处" and md.issued == "2019-01-30" and md.place == "青桐路街道"
    assert not r.preamble and not r.unplaced
    assert all("索引号" not in p.text and "来源" not in p.text for p in r.preamble)
    assert ("98%", "%", False, "4.84", "调解成功率") in quantities("h-web-copy.txt")


# -- builds --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_each_fixture_builds_alone(fixture, tmp_path):
    res = CliRunner().invoke(main, ["build", str(fixture), "--out", str(tmp_path / "dist"), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["shacl"]["violations"] == 0


@pytest.fixture(scope="module")
def everything(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("genre") / "dist"
    res = CliRunner().invoke(main, ["build", str(DEFAULT_REPORT), *map(str, FIXTURES), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> Graph:
    out = tmp_path_factory.mktemp("alone") / "dist"
    res = CliRunner().invoke(
        main, ["build", str(GENRE / "h-web-copy.txt"), str(GENRE / "a-multi-year.txt"), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    ds = Dataset()
    ds.parse(out / "dataset.nq", format="nquads")
    return union(ds)


def test_all_fixtures_build_together_with_the_packaged_report(everything):
    report = json.loads((everything / "build-report.json").read_text(encoding="utf-8"))
    assert len(report["sources"]) == len(FIXTURES) + 1


def test_no_nanmatou_term_place_or_organisation_without_a_mention(alone):
    glossary = URIRef("https://w3id.org/nanmatou/glossary")
    concepts = set(alone.subjects(SKOS.inScheme, glossary))
    labels = {str(o) for c in concepts for o in alone.objects(c, SKOS.prefLabel)}
    assert "1+5+n+x" in labels and "营商环境" in labels  # its own candidate, and a curated term it mentions
    for nanmatou in ("三会一代理", "七彩南码头", "五个力", "1+4+27+47", "码头门神"):
        assert nanmatou not in labels
    text = (GENRE / "h-web-copy.txt").read_text(encoding="utf-8") + (GENRE / "a-multi-year.txt").read_text("utf-8")
    from rdflib.namespace import RDFS

    for s in set(alone.subjects(RDF.type, NMT.Place)) | set(
        alone.subjects(RDF.type, URIRef("http://www.w3.org/ns/org#Organization"))
    ):
        names = [str(o) for o in alone.objects(s, RDFS.label) if getattr(o, "language", None) == "zh"]
        assert any(n in text for n in names), (s, names)


def test_candidates_and_official_notes_of_a_report(everything):
    env = {"KG_DIST": str(everything)}
    res = CliRunner().invoke(main, ["define", "1+5+n+x", "--json"], env=env)
    entry = json.loads(res.stdout)
    assert entry["type"] == "candidate" and entry["status"] == "candidate"
    text = CliRunner().invoke(main, ["define", "六个全面提升"], env=env).output
    assert "not yet curated" in text and "城市功能" in text  # its definition is the report's own note
    search = json.loads(CliRunner().invoke(main, ["search", "liugequanmiantisheng", "--json"], env=env).stdout)
    assert search["results"][0]["label"]["zh"] == "六个全面提升"


def test_jargon_is_read_as_spoken_not_as_the_dictionary_guesses(everything):
    """pypinyin reads 尽 of 应装尽装 jǐn and 为 of 民生为本 wèi: a learner searching by what they
    hear finds the term, and sees the reading a colleague would say."""
    env = {"KG_DIST": str(everything)}
    entry = json.loads(CliRunner().invoke(main, ["define", "yingzhuangjinzhuang", "--json"], env=env).stdout)
    assert entry["label"]["zh"] == "应装尽装" and entry["pinyin"] == "yīng zhuāng jìn zhuāng"
    slogan = "保护优先、有机更新、文旅融合、民生为本"
    entry = json.loads(CliRunner().invoke(main, ["define", slogan, "--json"], env=env).stdout)
    assert entry["pinyin"].endswith("mín shēng wéi běn")
    from kg.pinyin import slug, toned

    assert toned("三重一大") == "sān zhòng yī dà" and slug("“三重一大”制度") == "san-zhong-yi-da-zhi-du"
    assert toned("以人民为中心") == "yǐ rén mín wéi zhōng xīn"  # take as ...
    assert toned("人民城市为人民").endswith("wèi rén mín") and toned("成为人民") == "chéng wéi rén mín"
    assert toned("建立长效机制") == "jiàn lì cháng xiào jī zhì" and toned("镇长") == "zhèn zhǎng"
    assert toned("应种尽种") == "yīng zhòng jìn zhòng" and toned("尽快") == "jǐn kuài"
    assert toned("为老服务") == "wèi lǎo fú wù"


def test_machine_alignment_is_labelled_machine(everything):
    ds = Dataset()
    ds.parse(everything / "dataset.nq", format="nquads")
    ds = union(ds)
    bases = {str(b) for b in ds.objects(None, NMT.basis)}
    assert str(NMT.machineSuggestion) in bases
    item = URIRef("https://w3id.org/nanmatou/report/b-long-items/part-1/section-1/initiative-1")
    assert (item, NMT.primaryDimension, URIRef("https://w3id.org/nanmatou/dimension/red")) in ds


def test_outline_command_prints_the_tree_with_counts():
    res = CliRunner().invoke(main, ["outline", str(GENRE / "b-long-items.txt")])
    assert res.exit_code == 0 and "筑牢根基,重点突破,挥好党建指挥棒" in res.output and "2 sub items" in res.output
    data = json.loads(CliRunner().invoke(main, ["outline", str(GENRE / "a-multi-year.txt"), "--json"]).stdout)
    assert data["parts"][0]["years"] == ["2020", "2022"] and data["counts"]["parts"] == 2


def test_curate_writes_a_stub_the_next_build_picks_up(tmp_path):
    import shutil

    from kg.resources import CURATION

    cur = tmp_path / "curation"
    shutil.copytree(CURATION, cur)
    fixture = GENRE / "e-markers.txt"
    res = CliRunner().invoke(main, ["curate", str(fixture), "--curation", str(cur)])
    assert res.exit_code == 0, res.output
    stub = cur / "reports" / "e-markers.yaml"
    text = stub.read_text(encoding="utf-8")
    assert "六个全面提升" in text and "liù gè quán miàn tí shēng" in text and "machine suggestion" in text
    # An untouched stub builds (blank entries wait); a filled one curates.
    out = tmp_path / "dist"
    assert CliRunner().invoke(main, ["build", str(fixture), "--curation", str(cur), "--out", str(out)]).exit_code == 0
    filled = text.replace(
        'pinyin: "liù gè quán miàn tí shēng"\n    en: ""',
        'pinyin: "liù gè quán miàn tí shēng"\n    en: six all-round improvements',
    )
    filled = filled.replace('  - {zh: "综合整治", en: ""}', '  - {zh: "综合整治", en: Comprehensive clean-up}')
    stub.write_text(filled, encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(fixture), "--curation", str(cur), "--out", str(out)])
    assert res.exit_code == 0, res.output
    entry = json.loads(CliRunner().invoke(main, ["define", "六个全面提升", "--json"], env={"KG_DIST": str(out)}).stdout)
    assert entry["label"]["en"] == "six all-round improvements" and entry["status"] == "curated"
    assert entry["definition_source"] == "official"
    again = CliRunner().invoke(main, ["curate", str(fixture), "--curation", str(cur)])
    assert again.exit_code == 1 and "exists already" in again.output


def test_synthetic_corpus_varies_layouts_and_every_report_parses(tmp_path):
    """The benchmark's generator writes the genre's layouts and files; each of them parses to the same tree."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synthetic import place_and_year, write_corpus

    paths = write_corpus(40, tmp_path)
    raw = [p.read_bytes() for p in paths]
    texts = [decode(b, p.name) for b, p in zip(raw, paths, strict=True)]
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw) and any(b"\r\n" in b for b in raw)
    assert any("第一部分" in t for t in texts) and any("\n2020年工作回顾" in t for t in texts)
    assert any("（一）" in t for t in texts) and any("名词解释" not in t for t in texts)
    assert len({place_and_year(i) for i in range(40)}) == 40 and place_and_year(20) == ("南码头", 2022)
    for path in paths:
        report = parse_file(path)
        assert [len(p.sections) for p in report.parts] == [7, 6], path.name


# -- i. figures as web copies write them, markers glued into titles ---------------------------


def test_i_figures_and_markers():
    """2千余个 is 2,000; 同比减少10.79% with no figure before it is the change itself; 达100% is exact;
    a footnote marker glued into a work item's title is not part of the title."""
    assert shape("i-figures-and-markers.txt")[0][1][0][1][0][0] == "深化“三会一代理”机制"
    got = quantities("i-figures-and-markers.txt")
    assert ("2千余个", "个", True, None, "就业岗位") in got
    assert ("10.79%", "%", False, "-10.79", "110警情") in got
    assert ("100%", "%", False, None, "解决率") in got
    assert ("3千万元", "元", False, None, "投入资金") in got
    assert ("3,500余件", "件", True, "12.5", "群众事务") in got
    r = parse_file(GENRE / "i-figures-and-markers.txt")
    assert next(q.value for q in r.quantities if q.raw == "3千万元") == 30_000_000


# -- j–l. paragraphs as work items, PDF copies, other numberings -------------------------------


def test_j_sections_of_plain_paragraphs_make_one_work_item_each():
    """A section whose paragraphs open with no short lead sentence: each paragraph is a work item
    titled by its first clause; a sentence that states a figure is not a title."""
    outline = shape("j-paragraph-items.txt")
    assert outline[0][1] == [
        ("经济发展稳中有进", [("全年实现税收收入12.8亿元", []), ("持续优化营商环境", [])]),
        (
            "城市更新扎实推进",
            [
                ("全年完成加装电梯签约68台、竣工45台", []),
                ("城镇登记失业率较上年下降0.4个百分点", []),
                ("新增长者照护之家1家、老年助餐点4个", []),
                ("查处违法行为80起", []),
            ],
        ),
    ]
    assert outline[1][1][0][1] == [
        ("深化居民区“两委”换届后续工作", []),
        ("推广“三会一代理”经验", ["完善议事规则", "培育议事骨干", "公开议事结果,力争居民区民主协商全覆盖"]),
    ]
    assert not any("no work items" in w for w in parse_file(GENRE / "j-paragraph-items.txt").warnings)


def test_p_a_framing_opening_clause_is_no_title():
    """今年以来, 2022年, 一年来, 同时, 下一步 only frame a paragraph: its title is the clause after
    them (and after a 一是 that follows them), and the enumeration is still its sub-items."""
    sections = shape("p-framing-clauses.txt")[0][1]
    governance, services = sections[0][1], sections[1][1]
    assert [t for t, _ in governance] == ["街道围绕社区治理重点", "持续推进老旧小区综合整治"]
    assert governance[0][1][0] == "推进居民区自治项目建设,全年完成自治项目42个" and len(governance[0][1]) == 3
    assert [t for t, _ in services] == ["新建长者照护之家2家", "全面提升为老服务水平"]
    assert services[0][1] == ["新建长者照护之家2家", "新增社区助餐点5个"]
    assert shape("p-framing-clauses.txt")[1][1][0][1] == [("完善居民区治理体系", [])]
    # A closing call with no salutation (新的一年,我们将…作出新的更大贡献。) is the part's closing.
    # A figure's label leaves out the item's 一是 (一是新建长者照护之家2家).
    assert ("2家", "家", False, None, "长者照护之家") in quantities("p-framing-clauses.txt")
    plan = parse_file(GENRE / "p-framing-clauses.txt").parts[1]
    assert [c.text[:5] for c in plan.closing] == ["新的一年，"]


def test_j_figures_signed_contracts_percentage_points_and_listed_counts():
    """签约68台 is exact (约 of 签约 is no "about"); 下降0.4个百分点 is a signed change in points,
    labelled by what changed; 1家、4个 count what follows each; 违法行为 keeps its 为."""
    got = quantities("j-paragraph-items.txt")
    assert ("68台", "台", False, None, "加装电梯签约") in got
    assert ("45台", "台", False, None, "竣工") in got
    assert ("0.4个百分点", "百分点", False, None, "城镇登记失业率") in got
    assert ("1.5个百分点", "百分点", False, None, "重点楼宇平均入驻率") in got
    assert ("1家", "家", False, None, "长者照护之家") in got
    assert ("4个", "个", False, None, "老年助餐点") in got
    assert ("80起", "起", False, None, "查处违法行为") in got
    assert ("2000客", "客", True, None, "供餐") in got  # 约2000: about
    values = {q.raw: q.value for q in parse_file(GENRE / "j-paragraph-items.txt").quantities}
    assert values["0.4个百分点"] == Decimal("-0.4") and values["1.5个百分点"] == Decimal("1.5")


def test_k_pdf_page_numbers_and_running_heads_are_not_text():
    """— 2 — and the title repeated at the top of each page are left out; a glossary headed
    附:名词解释 with notes numbered (1) is the glossary; a UTF-8 BOM is not text."""
    r = parse_file(GENRE / "k-pdf-copy.txt")
    assert r.metadata.title == "洋泾街道2023年工作报告"
    assert shape("k-pdf-copy.txt")[0][1] == [
        ("社区治理", [("深化自治共治", []), ("推进“美丽家园”建设", [])]),
        ("民生保障", [("做好为老服务", [])]),
    ]
    body = "\n".join(r.text[i.start : i.end] for i in r.initiatives())
    assert "— 2 —" not in body and "— 3 —" not in body and body.count("洋泾街道2023年工作报告") == 0
    assert [(n.number, n.term) for n in r.notes] == [(1, "美丽家园")]
    assert r.notes[0].definition.endswith("工程。")  # the page number after it is not its text
    assert [m.number for m in r.markers] == [1] and not r.warnings and not r.unplaced


def test_l_numberings_1_dot_bracket_and_circled():
    """(1) under a 1. item is a point of that item (a sub-item titled by its first clause, the marker
    after “暖冬行动” left out), not its sibling; ① … numbers items; a plan's numbered tasks are
    initiatives, its 实事项目 practical projects; a glossary headed 注:."""
    points = ["落实低保家庭动态管理,全年新增低保家庭68户", "开展“暖冬行动”,走访慰问困难家庭1,200户"]
    assert shape("l-numbering.txt") == [
        (
            "2023年工作回顾",
            [
                ("民生保障持续加强", [("为老服务更加暖心", points), ("就业服务更加精准", [])]),
                ("城市管理精细高效", [("推进美丽家园建设", []), ("推进垃圾分类", [])]),
            ],
        ),
        (
            "2024年工作安排",
            [
                ("全力拼经济", [("深化楼宇经济", []), ("做好企业服务", [])]),
                ("2024年实事项目", [("新建社区食堂1家", []), ("改造非机动车充电设施15处", [])]),
            ],
        ),
    ]
    r = parse_file(GENRE / "l-numbering.txt")
    kinds = {i.title: i.kind for i in r.initiatives()}
    assert kinds["深化楼宇经济"] == "initiative" and kinds["新建社区食堂1家"] == "project"
    first = r.parts[0].sections[0].initiatives[0]
    assert r.text[first.start : first.end].endswith("走访慰问困难家庭1,200户。")  # its points (1) (2)
    assert [(n.number, n.term) for n in r.notes] == [(1, "暖冬行动")] and not r.warnings


def test_m_town_header_enumerated_lines_and_the_plan_of_the_year():
    """A title on two lines is one title; ——2019年1月15日在…会议上 gives the delivery date; a line
    opening with 一是 is titled without it, and each of its points (一是…;二是…) is an item (the
    first was the item, all of them its points); 2019年主要工作 after a review of 2018 is the plan."""
    r = parse_file(GENRE / "m-town-header.txt")
    md = r.metadata
    assert md.title == "曹路镇人民政府2019年政府工作报告" and md.period == "2019" and md.place == "曹路镇"
    assert md.delivered == "2019-01-15" and md.meeting == "第六届人民代表大会第三次会议"
    assert [(p.title, p.kind) for p in r.parts] == [("2018年工作回顾", "review"), ("2019年主要工作", "plan")]
    assert shape("m-town-header.txt")[0][1][0] == ("经济发展稳中有进", [("推进产业转型升级", []), ("优化营商环境", [])])
    assert [i.title for i in r.parts[0].sections[1].initiatives] == ["加快城市化进程", "推进乡村振兴"]
    assert not r.warnings and not r.unplaced


def test_n_a_hard_wrapped_pdf_copy_is_read_as_paragraphs():
    """Lines broken at the page's width are joined back: a number split over a line break
    (7.6 / %, 1 / 2.5万) or over a page break with its page number and running head (1,85 … 0户)
    is one number, a title is not cut at a break, and the build report says the text was wrapped."""
    r = parse_file(GENRE / "n-pdf-wrapped.txt")
    assert shape("n-pdf-wrapped.txt") == [
        (
            "2022年工作回顾",
            [
                ("经济运行稳中有升", [("全年完成税收收入86.5亿元", [])]),
                ("城乡面貌持续改善", [("全年拆除违法建筑28万平方米", [])]),
            ],
        ),
        ("2023年工作安排", [("推动经济高质量发展", [("力争全年税收收入增长6%", [])])]),
    ]
    got = {q.raw: (q.value, q.unit, q.label) for q in r.quantities}
    assert got["7.6%"] == (Decimal("7.6"), "%", "税收收入年均增长")  # of the figure before
    assert got["12.5万平方米"] == (Decimal(125000), "平方米", "公共绿地")
    assert got["1,850户"] == (Decimal(1850), "户", "农民集中居住安置")
    assert got["8,600个"][0] == 8600 and len(r.quantities) == 11
    assert any("hard-wrapped" in w and "12 line breaks" in w for w in r.warnings)
    assert r.metadata.title == "川沙新镇2023年政府工作报告"


WRAPPED_COPIES = (
    "n-pdf-wrapped.txt",
    "zp-pdf-wrapped-title.txt",
    "zw-pdf-short-paragraphs.txt",
    "zzh-pdf-semicolon-wraps.txt",
    "zzl-pdf-headings-near-the-width.txt",
)


def test_o_one_paragraph_a_line_is_never_read_as_wrapped():
    """The packaged report and every other fixture (but the hard-wrapped PDF copies): no line joined."""
    for path in [DEFAULT_REPORT, *FIXTURES]:
        if path.name not in WRAPPED_COPIES:
            assert parse_file(path).wraps == [], path.name


def test_work_item_numbers_are_accounted_for_in_every_style(tmp_path):
    """1. 2、 and 3 . before a work item are its number, not unaccounted figures (nor a practical
    project's number in a report that has none)."""
    from kg.curation import load_curation
    from kg.parsing.coverage import number_coverage
    from kg.resources import CURATION

    text = (
        "报告\n一、2021年工作回顾\n(一)党建引领\n1.深化机制。全年召开听证会120场。\n2、推进建设。新建睦邻点8个。\n"
        "3 . 加强治理。划分网格45个。\n(4)推进更新。改造小区6个。\n"
    )
    cov = number_coverage(parse_report(text, "n"), load_curation(CURATION).ignored_numbers)
    assert cov.unaccounted == []
    assert cov.ignored["the number of a numbered work item (1. 2、 3 . 4))"] == 3
    assert cov.ignored["the number of a work item numbered (1) (2)"] == 1


def test_candidate_and_uncurated_term_pages_render(everything):
    """A candidate term of a neighbour's report has no definition yet: its page says so (it was a 500,
    a UI string missing for nmt:notYetDefined), in both languages."""
    from starlette.testclient import TestClient

    from kg.glossary import Glossary
    from kg.web.app import create_app
    from kg.web.config import WebConfig

    terms = Glossary.load(everything).terms
    picked = {t["definition_source"]: t for t in terms}  # one term of each definition source
    assert "notYetDefined" in picked, sorted(picked)
    with TestClient(create_app(WebConfig(dist=everything, workers=1))) as client:
        for source, t in sorted(picked.items()):
            path = "/" + t["iri"].removeprefix("https://w3id.org/nanmatou/") + ".html"
            for lang in ("zh", "en"):
                r = client.get(path, params={"lang": lang})
                assert r.status_code == 200, (source, lang, r.status_code)
        candidate = "/" + picked["notYetDefined"]["iri"].removeprefix("https://w3id.org/nanmatou/") + ".html"
        page = client.get(candidate, params={"lang": "en"})
        assert "Not yet defined" in page.text and "Candidate" in page.text
        # A term without an English label: nothing where it would be, never Python's "None".
        for lang in ("zh", "en"):
            for path in (candidate, "/glossary", "/search?q=dang"):
                text = client.get(path, params={"lang": lang}).text
                assert ">None<" not in text and " None<" not in text and "None:" not in text, (path, lang)


def test_curated_quantity_labels_stay_in_their_subdistrict(everything):
    """quantities.yaml labels Nanmatou's figures (place: 南码头路街道): a neighbour's 调解成功率98% or
    解决率达100% keeps its own label (it took Nanmatou's 委托调解… and 大调研… labels)."""
    from kg.glossary import Glossary
    from kg.metrics import metrics

    rows = metrics(Glossary.load(everything))
    by_report = {}
    for q in rows:
        by_report.setdefault(q["report"], []).append(q)
    web = {q["raw"]: q["label"]["zh"] for q in by_report["h-web-copy"]}
    assert web["98%"] == "调解成功率"
    mine = {q["raw"]: q["label"]["zh"] for q in by_report["i-figures-and-markers"]}
    assert "大调研" not in mine["225个"] and "大调研" not in mine["100%"]
    home = [q for q in by_report["nanmatou-2021-report"] if q["raw"] == "98%"]
    assert home and all(q["label"]["en"] for q in home)  # Nanmatou's own still curated


def test_every_quantity_has_a_period(everything):
    """A figure of a multi-year part has the report's period (it had none); one of a half-year
    report's part, the title's year (上半年…: 2024)."""
    from kg.glossary import Glossary
    from kg.metrics import metrics

    rows = metrics(Glossary.load(everything))
    assert all(q["period"] for q in rows), [q["raw"] for q in rows if not q["period"]][:5]
    periods = {(q["report"], q["period"]) for q in rows}
    assert ("a-half-year", "2024") in periods and ("a-multi-year", "2020-2022") in periods


def test_another_subdistricts_note_is_not_given_our_translation_of_ours(tmp_path):
    """三会一代理 noted by another subdistrict (fixture i) has that note's words and no English:
    the curated English translates Nanmatou's note 5, which is not in this build."""
    out = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", str(GENRE / "i-figures-and-markers.txt"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    entry = json.loads(CliRunner().invoke(main, ["define", "三会一代理", "--json", "--dist", str(out)]).stdout)
    assert entry["definition_source"] == "official" and entry["definition"]["zh"].startswith("指听证会")
    assert entry["definition"]["en"] is None and entry["label"]["en"]  # the term is curated, not its note
    text = CliRunner().invoke(main, ["define", "三会一代理", "--dist", str(out)]).output
    assert "[official, en]" not in text and "residential-area Party organisation" not in text
    # Its note 1 is not "curated as note 5": the curation numbers Nanmatou's notes, not this report's.
    warnings = json.loads((out / "build-report.json").read_text(encoding="utf-8"))["sources"][0]["warnings"]
    assert not any("curated as note" in w for w in warnings)


def test_q_figures_in_words_ranges_and_more_units():
    """Chinese numerals of ten or more (一千二百万元, 近万人次), 百分之…, tenths (两成以上, 下降一成),
    左右 (approximate), ranges (50-80家, 10至15万元: the lower bound kept), 期, 部, 分钟, 小时,
    工作日 and 分 as units; a time naming what follows it (24小时自助服务区) is no amount."""
    got = {q[0]: q[1:] for q in quantities("q-figures-in-words.txt")}
    assert got["一千二百万元"] == ("元", False, None, "各类救助金")
    assert got["万人次"] == ("人次", True, None, "困难群众")  # 近万人次
    assert got["一千八百余个"] == ("个", True, None, "就业岗位")
    assert got["百分之七十五"] == ("%", False, None, "社区工作者持证率")
    assert got["两成以上"] == ("%", True, "20", "夜间消费")
    assert got["一成"] == ("%", False, "-10", "报警类警情")
    assert got["6%左右"] == ("%", True, "6", "税收收入")  # a change with no 同比 is a change too
    assert got["4部"][0] == "部" and got["60期"][0] == "期" and got["8分钟"][0] == "分钟"
    assert got["1个工作日"] == ("工作日", False, None, "企业开办时间")  # not …压缩至
    assert got["2.3万小时"][0] == "小时" and got["4.6分"][0] == "分"
    assert got["10至15公里"] == ("公里", False, None, "改造农村公路")
    assert not any(raw.startswith(("24小时", "15分钟")) for raw in got)
    # What follows a figure is no label when it is the change (从62家增加到81家); 条段 is one
    # unit; 成功率 keeps its 成功.
    assert got["62家"][3] == "规模以上工业企业" and got["46条段"] == ("条段", False, None, "中小河道整治")
    assert got["98.1%"][3] == "成功率"
    r = parse_file(GENRE / "q-figures-in-words.txt")
    by_raw = {q.raw: q for q in r.quantities}
    assert by_raw["10至15万元"].value == 150_000 and by_raw["10至15万元"].low == 100_000
    assert by_raw["3-5万平方米"].low == 30_000 and by_raw["一百张"].value == 100
    assert by_raw["百分之百"].value == 100 and by_raw["八成以上"].value == 80


def test_q_every_number_is_accounted_for_and_a_range_is_a_schema_org_range(tmp_path):
    """12345, 5G, 80周岁以上 and 15分钟社区生活圈 are accounted for; a range has schema:minValue
    and schema:maxValue (rdf:value is its upper bound) and kg metrics prints it as 3–5."""
    out = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", str(GENRE / "q-figures-in-words.txt"), "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["sources"][0]["numbers"]["unaccounted"] == []
    g = Graph().parse(out / "graph.ttl")
    schema = "http://schema.org/"
    bounds = {
        (float(lo), float(hi))
        for _q, lo, hi in g.query(
            f"SELECT ?q ?lo ?hi WHERE {{ ?q <{schema}minValue> ?lo ; <{schema}maxValue> ?hi ; <{RDF.value}> ?hi }}"
        )
    }
    assert (50.0, 80.0) in bounds and (100_000.0, 150_000.0) in bounds and len(bounds) == 4
    text = CliRunner().invoke(main, ["metrics", "科技型企业", "--dist", str(out)]).output
    assert "50–80 家" in text
    rows = json.loads(CliRunner().invoke(main, ["metrics", "科技型企业", "--json", "--dist", str(out)]).stdout)
    assert rows["results"][0]["low"] == 50 and rows["results"][0]["value"] == 80


# -- r–w. a town's five-year parts, 第一, numbering, a speech, an annex, CRLF copies ---------------


def test_r_past_and_coming_five_years_have_their_periods():
    """过去五年工作回顾 / 今后五年的目标任务 in a town's report delivered in 2022: 2017-2021
    reviewed, 2022-2026 planned; 三、2022年主要工作 after them is the year's plan; 过去五年和2021年
    工作回顾: 2021 and 2017-2021 (it had only 2021)."""
    r = parse_file(GENRE / "r-town-five-years.txt")
    assert [(p.title, p.kind, p.year, p.years) for p in r.parts] == [
        ("过去五年工作回顾", "review", None, ("2017", "2021")),
        ("今后五年的目标任务", "plan", None, ("2022", "2026")),
        ("2022年主要工作", "plan", "2022", None),
    ]
    got = quantities("r-town-five-years.txt")
    assert ("3-5个", "个", False, None, "百亿级产业链项目") in got
    assert ("百分之九十五", "%", False, None, "地表水考核断面达标率") in got
    combined = parse_report(
        "甲镇2022年政府工作报告\n一、过去五年和2021年工作回顾\n(一)产业\n新增企业3家。\n"
        "二、今后五年的目标任务和2022年工作安排\n(一)产业\n新增企业5家。\n",
        "x",
    )  # a heading of both: its year and the five years
    assert [(p.year, p.years) for p in combined.parts] == [("2021", ("2017", "2021")), ("2022", ("2022", "2026"))]


def test_s_items_numbered_di_yi_and_lead_sentences_on_their_own_line():
    """第一,织密社区防控网络。… is an item titled without 第一; a lead sentence alone on its line
    (加装电梯提速扩面。) titles the paragraph under it; 实事项目 numbered 第一, are projects."""
    outline = shape("s-first-second.txt")
    review = dict(outline[0][1])
    assert [t for t, _ in review["全力以赴打赢大上海保卫战"]] == [
        "织密社区防控网络",
        "保障居民基本生活",
        "守护重点场所安全",
    ]
    assert [t for t, _ in review["城市更新提速增效"]] == [
        "加装电梯提速扩面",
        "旧住房综合改造有序推进",
        "“美丽街区”建设提质",
    ]
    projects = [i for p in tree("s-first-second.txt")["parts"] for s in p["sections"] for i in s["items"]]
    projects = [i["title"] for i in projects if i["kind"] == "project"]
    assert projects[:2] == ["新建社区食堂1家", "完成30台加装电梯竣工"] and len(projects) == 5
    # The figures of a titled paragraph belong to its item.
    r = parse_file(GENRE / "s-first-second.txt")
    lifts = next(q for q in r.quantities if q.raw == "52台")
    assert lifts.container.endswith("initiative-1") and "section-3" in lifts.container


def test_t_a_speech_names_its_place_meeting_and_parts_by_their_years():
    """A motto as the title (凝心聚力 奋楫争先 全力推动龙华街道高质量发展…): the place is 龙华街道;
    the meeting comes from ——在…会议暨社区代表大会上; a part of 2023 in a speech of 2024 reviews,
    one of 2024 plans."""
    r = parse_file(GENRE / "t-speech.txt")
    md = r.metadata
    assert md.place == "龙华街道" and md.meeting == "龙华街道2024年工作会议暨社区代表大会"
    assert md.delivered == "2024-02-02"
    assert [(p.kind, p.year) for p in r.parts] == [("review", "2023"), ("other", None), ("plan", "2024")]
    got = {q[0]: q[1:] for q in quantities("t-speech.txt")}
    assert got["一千三百余处"] == ("处", True, None, "整改隐患")
    assert got["三十亿元"][0] == "元"


def test_u_an_annex_of_projects_and_header_fields_on_one_line():
    """附件1: / 2024年…实事项目 / 1.… is a section of the plan whose items are projects; 附件2:
    名词解释 is the glossary; 索引号:… 发布机构:… 公开类别:… 发布日期:… on one line is metadata;
    notes no marker points to make one warning."""
    r = parse_file(GENRE / "u-annex.txt")
    md = r.metadata
    assert (md.publisher, md.issued, md.disclosure) == ("彭浦新村街道办事处", "2024-01-22", "主动公开")
    assert not md.motto
    annex = r.parts[-1].sections[-1]
    assert annex.title == "2024年彭浦新村街道实事项目" and r.parts[-1].kind == "plan"
    assert [i.kind for i in annex.initiatives] == ["project"] * 11
    assert annex.initiatives[-1].title == "建设“彭浦e站”便民服务点5个"
    assert len(r.notes) == 4
    assert [w for w in r.warnings if "marker" in w] == [
        "no footnote markers in the text: its 4 glossary notes stand alone"
    ]


@pytest.mark.parametrize(
    "name",
    [
        "r-town-five-years",
        "s-first-second",
        "t-speech",
        "u-annex",
        "v-crlf-fullwidth",
        "w-hangzhou",
        "y-tables",
        "za-dot-sections",
        "zb-enum-sections",
        "zc-bracket-notes",
        "zd-summary-and-plan",
        "ze-shuzhi",
    ],
)
def test_r_to_w_every_number_is_accounted_for(name, tmp_path):
    """12345 and 5G named without quotes, digits in 「」, 80周岁以上, 附件1, an index number: none is
    left unaccounted in these copies (CRLF and full-width indentation in v)."""
    out = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", str(GENRE / f"{name}.txt"), "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["sources"][0]["numbers"]["unaccounted"] == [], report["sources"][0]["numbers"]["unaccounted"]
    assert report["shacl"]["violations"] == 0


def test_x_a_markdown_copy_reads_as_the_plain_text():
    """# headings, **bold** item titles, - bullets, > quotes and --- rules are markup: the parts,
    sections, items, projects, the subtitle and the glossary come out as from a plain copy, and
    every offset still points into the file; a copy whose only markup is lines opening in bold too."""
    r = parse_file(GENRE / "x-markdown.txt")
    md = r.metadata
    assert md.title == "北蔡镇2023年政府工作报告" and md.delivered == "2023-01-11" and md.place == "北蔡镇"
    assert [(p.title, p.kind) for p in r.parts] == [("2022年工作回顾", "review"), ("2023年主要工作", "plan")]
    first = r.parts[0].sections[0]
    assert first.title == "经济发展稳中求进"
    assert [i.title for i in first.initiatives] == ["产业能级持续提升", "重点项目加快推进"]
    projects = [i.title for i in r.parts[1].sections[-1].initiatives if i.kind == "project"]
    assert projects[0] == "新建社区食堂2家" and len(projects) == 4
    assert [n.term for n in r.notes] == ["三会一代理", "北蔡楔形绿地"]
    raw = (GENRE / "x-markdown.txt").read_text(encoding="utf-8")
    assert len(r.text) == len(raw) and all(raw[q.start : q.end] == q.raw for q in r.quantities)
    assert not any("**" in i.title or "#" in i.title for p in r.parts for s in p.sections for i in s.initiatives)
    bold = (
        "**鹭江街道2023年工作总结及2024年工作思路**\n\n**一、2023年工作总结**\n\n【一】聚焦经济发展\n\n"
        "　　**1.经济指标稳中有进。**全年完成税收收入12亿元。\n\n**二、2024年工作思路**\n\n【一】突出发展\n\n"
        "　　**1.做强楼宇经济。**新增企业20家。\n"
    )
    r = parse_report(bold, "x")  # only bold lines, no # heading: Markdown all the same (the ** were words)
    assert r.metadata.title == "鹭江街道2023年工作总结及2024年工作思路"
    assert [(p.title, p.kind) for p in r.parts] == [("2023年工作总结", "review"), ("2024年工作思路", "plan")]
    assert [i.title for p in r.parts for s in p.sections for i in s.initiatives] == ["经济指标稳中有进", "做强楼宇经济"]


def test_keep_going_leaves_out_a_source_that_is_not_a_report(tmp_path):
    """One text that is no work report failed a corpus's build; --keep-going builds the others and
    lists it under ``skipped`` (the error says so); with nothing left, the build fails."""
    note = tmp_path / "readme.txt"
    note.write_text("这不是工作报告。只是一段说明文字。\n", encoding="utf-8")
    sources = [str(GENRE / "s-first-second.txt"), str(note)]
    failed = CliRunner().invoke(main, ["build", *sources, "--out", str(tmp_path / "a")])
    assert failed.exit_code == 1 and "--keep-going" in failed.output and "Traceback" not in failed.output
    res = CliRunner().invoke(main, ["build", *sources, "--out", str(tmp_path / "b"), "--keep-going", "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert [s["slug"] for s in report["sources"]] == ["s-first-second"]
    assert report["skipped"][0]["source"] == "readme.txt" and "not a work report" in report["skipped"][0]["error"]
    alone = CliRunner().invoke(main, ["build", str(note), "--out", str(tmp_path / "c"), "--keep-going"])
    assert alone.exit_code == 1 and "no source is a work report" in alone.output
    # The same sources again without the flag: a build that left one out is no shortcut.
    again = CliRunner().invoke(main, ["build", *sources, "--out", str(tmp_path / "b")])
    assert again.exit_code == 1 and "--keep-going" in again.output


def test_y_tables_are_figures_by_row_and_column_not_work_items():
    """A table pasted with tabs or aligned with spaces: its rows are no work items (their titles
    had tabs in them) and each number is a quantity labelled by its row, of its column's year,
    in the unit of its cell or its row (亿元, 万美元); 20万㎡ 23.4万㎡ 117% no longer run into
    2117%; every number is accounted for."""
    r = parse_file(GENRE / "y-tables.txt")
    assert [len(t.rows) for t in r.tables] == [6, 5, 4]
    titles = [i.title for p in r.parts for s in p.sections for i in s.initiatives]
    assert not any("\t" in t or t.startswith(("指标", "项目", "税收收入")) or "  " in t for t in titles)
    got = {(q.label, q.period): (q.value, q.unit) for q in r.quantities}
    assert got[("税收收入", "2022")] == (1_562_000_000, "元")
    assert got[("实到外资", "2023")] == (26_500_000, "美元")
    assert got[("固定资产投资(增长%)", "2023")] == (Decimal("-8.8"), "%")
    assert got[("旧住房综合改造(完成)", "2023")] == (234_000, "㎡")
    assert got[("旧住房综合改造(完成率)", "2023")] == (117, "%")
    assert got[("税收收入(2024年目标)", "2024")] == (1_771_000_000, "元")
    assert not any(q.value == 2117 for q in r.quantities)


def test_an_everyday_phrase_is_a_term_elsewhere_only_quoted(tmp_path):
    """家门口 is curated as Pudong's doorstep-services programme (quoted: true): 办好家门口的学校 in a
    town's report is the everyday phrase, no mention of it; “家门口”就业服务站 in another
    subdistrict's report is the programme; Nanmatou's own report keeps every mention."""
    out = tmp_path / "dist"
    sources = [str(GENRE / "r-town-five-years.txt"), str(GENRE / "u-annex.txt"), str(DEFAULT_REPORT)]
    res = CliRunner().invoke(main, ["build", *sources, "--out", str(out)])
    assert res.exit_code == 0, res.output
    entry = json.loads(CliRunner().invoke(main, ["define", "家门口", "--json", "--dist", str(out)]).stdout)
    reports = {m["report"] for m in entry["mentions"]}
    assert "r-town-five-years" not in reports and "u-annex" in reports and "nanmatou-2021-report" in reports
    alone = tmp_path / "town"
    assert CliRunner().invoke(main, ["build", str(GENRE / "r-town-five-years.txt"), "--out", str(alone)]).exit_code == 0
    missing = CliRunner().invoke(main, ["define", "家门口", "--dist", str(alone)])
    assert missing.exit_code == 1 and "Traceback" not in missing.output


def test_a_name_every_subdistrict_uses_is_nanmatou_s_only_in_its_reports(tmp_path):
    """区委 is curated as the CPC Pudong New Area Committee (local: true): a town in another
    district (fixture r, 朱泾镇) speaks of its own 区委, which is no mention of Pudong's."""
    from kg.building.discovery import entity_in
    from kg.curation import load_curation
    from kg.resources import CURATION

    cur = load_curation(CURATION)
    committee = next(e for e in cur.entities if e.zh == "区委")
    assert committee.local
    assert "区委" in parse_file(GENRE / "r-town-five-years.txt").normalised
    assert not entity_in(committee, parse_file(GENRE / "r-town-five-years.txt"), cur.entity_place)
    assert entity_in(committee, parse_file(DEFAULT_REPORT), cur.entity_place)


# -- za–ze. other cities' layouts (a second probe) ---------------------------------------------------


def test_za_sections_numbered_1_under_a_part_and_a_part_that_lists_projects():
    """1.党建引领基层治理 right under 一、2023年工作回顾 (items (1)…) is a section (the report had no
    sections at all); 三、2024年民生实事 / 1.… is the plan's projects; 附件:名词解释 is the
    glossary; a table of contents' page numbers are no figures."""
    r = parse_file(GENRE / "za-dot-sections.txt")
    review, plan, projects = r.parts
    assert plan.sections[0].title == "全力推进城中村改造"
    assert [s.title for s in review.sections] == [
        "党建引领基层治理",
        "城中村改造和城市更新",
        "民生保障和社会事业",
        "平安建设和安全生产",
    ]
    assert [i.title for i in review.sections[0].initiatives][:2] == [
        "深化“党建+网格”治理模式",
        "推进“四标四实”专项行动",
    ]
    assert (projects.kind, projects.year) == ("plan", "2024")
    assert [i.kind for i in projects.sections[0].initiatives] == ["project"] * 5
    assert len(r.notes) == 6 and r.metadata.place == "石牌街道"


def test_zb_sentences_opening_with_yi_shi_as_section_headings():
    """一是坚持党建引领,基层治理效能持续提升。 alone under a part, 1. items under it: a section
    titled without 一是 (the part had none); a part listing 实事项目 holds the year's projects."""
    r = parse_file(GENRE / "zb-enum-sections.txt")
    review = r.parts[0]
    assert (review.kind, review.year) == ("review", "2023")
    assert review.sections[0].title == "坚持党建引领,基层治理效能持续提升"
    assert review.sections[0].initiatives[0].title == "深化“街乡吹哨、部门报到”改革"
    listed = r.parts[-1]
    assert listed.kind == "plan" and [i.kind for i in listed.sections[0].initiatives] == ["project"] * 5


def test_zc_footnotes_in_brackets_and_a_project_list_after_a_colon():
    """“下沉干部”[1] with [1]下沉干部:指… under 注释: are notes and markers (the markers out of
    titles); 2024年街道民生实事项目共8项: then (1)…(8) is a section of eight projects (it was the
    text of the item before it); 较2022年增长10.6% is a change against 2022, not year on year."""
    r = parse_file(GENRE / "zc-bracket-notes.txt")
    assert [n.term for n in r.notes][:2] == ["下沉干部", "红色物业"] and len(r.markers) == 6
    assert all(r.text[m.start : m.end].startswith("[") for m in r.markers)
    titles = [i.title for p in r.parts for s in p.sections for i in s.initiatives]
    assert "“大城管”格局更加完善" in titles and not any("[" in t for t in titles)
    listed = r.parts[-1].sections[-1]
    assert listed.title == "2024年街道民生实事项目共8项" and len(listed.initiatives) == 8
    assert all(i.kind == "project" for i in listed.initiatives)
    assert r.metadata.place == "民族街道" and r.metadata.meeting == "民族街道第二届居民代表会议第三次会议"


def test_zd_a_summary_and_plan_gives_its_parts_their_years():
    """张家村街道2023年工作总结暨2024年工作计划: 主要工作成效: reviews 2023, 下一步工作计划: plans
    2024 (no year in either title; their figures had none); colons end no title; the issuing
    bodies on the second line are the publisher; 较2022年下降6.3% is signed and, 2022 being the
    year before, year on year."""
    r = parse_file(GENRE / "zd-summary-and-plan.txt")
    assert [(p.title, p.kind, p.year) for p in r.parts] == [
        ("主要工作成效", "review", "2023"),
        ("存在问题", "other", None),
        ("下一步工作计划", "plan", "2024"),
    ]
    assert r.metadata.publisher == "碑林区张家村街道党工委、张家村街道办事处"  # two bodies, apart
    pm = next(q for q in r.quantities if q.raw == "6.3%")
    assert pm.value == Decimal("-6.3") and pm.change_percent == Decimal("-6.3")  # 2022 is the year before 2023
    assert next(q for q in r.quantities if q.raw == "15天").unit == "天"


def test_ze_a_shuzhi_report_reviews_its_year_and_its_signature_is_no_item():
    """玉林街道办事处主任2023年度述职述廉报告: its parts before 下一步工作打算 (but 存在的不足) review
    2023; 以上报告,请予评议。 and 述职人:李明华 close it; 一是… lines of 存在的不足 are no headings."""
    r = parse_file(GENRE / "ze-shuzhi.txt")
    kinds = [(p.kind, p.year) for p in r.parts]
    assert kinds == [("review", "2023"), ("review", "2023"), ("review", "2023"), ("other", None), ("plan", "2024")]
    assert r.parts[3].sections == []
    titles = [i.title for s in r.parts[-1].sections for i in s.initiatives]
    assert not any("评议" in t or "述职人" in t for t in titles)
    assert [c.text[:4] for c in r.parts[-1].closing][:1] == ["以上报告"]


def test_zf_a_table_of_practical_projects_is_the_year_s_projects():
    """三、2024年民生实事项目 with a table 序号⇥项目名称⇥主要内容⇥责任单位: each row a practical project
    of 2024 titled by its name, with the figures of its row (they were unaccounted)."""
    r = parse_file(GENRE / "zf-project-table.txt")
    part = r.parts[-1]
    assert (part.kind, part.year) == ("plan", "2024")
    projects = part.sections[0].initiatives
    assert [p.kind for p in projects] == ["project"] * 10 and projects[0].title == "农村道路提档升级"
    roads = [q for q in r.quantities if q.container == projects[0].key]
    assert {q.raw for q in roads} == {"12公里", "5座"}


# -- zg. terms defined where they are used -------------------------------------------------------


def test_zg_terms_defined_where_they_are_used():
    """“工业上楼”(即…), “一网统管”,即… to the clause's end, “20+8”产业集群(即…) a few words after the
    term, and the parts a term announces: “三小场所”(小档口、小作坊、小娱乐场所), “四史”(即党史、…)."""
    r = parse_file(GENRE / "zg-inline-definitions.txt")
    got = {d.term: (d.definition, [p[0] for p in d.parts]) for d in r.definitions}
    assert got == {
        "20+8": ("20个战略性新兴产业集群和8大未来产业", ["战略性新兴产业集群", "未来产业"]),
        "无感申办": ("系统自动比对数据、无需申请人提交材料的审批方式", []),
        "工业上楼": ("在高层厂房中布局生产线，提高土地利用效率", []),
        "四史": ("党史、新中国史、改革开放史、社会主义发展史", ["党史", "新中国史", "改革开放史", "社会主义发展史"]),
        "一网统管": ("依托城运平台实现城市治理问题的发现、处置和监督闭环", []),
        "三小场所": ("", ["小档口", "小作坊", "小娱乐场所"]),
        # abbreviations spelled out: AIGC(生成式人工智能)
        "AIGC": ("生成式人工智能", []),
        "CIM": ("城市信息模型", []),
        "IoT": ("物联网", []),
    }
    for d in r.definitions:
        assert r.text[d.def_start : d.def_end] == d.definition
        assert all(r.text[s:e] == label for label, s, e, _n in d.parts)
    assert [n for *_, n in next(d for d in r.definitions if d.term == "20+8").parts] == [20, 8]
    # 即将 is "about to"; one name in brackets after a term announcing two is an aside, not its parts;
    # “秒批” stands before “无感申办”, which the bracket defines.
    assert not {"十五分钟生活圈", "两个中心", "秒批", "博爱家园"} & set(got)


@given(st.text(alphabet="“”（）()即是指、，,。三小场所党史项目12+N个 \n", max_size=80))
@settings(max_examples=300, deadline=None)
def test_inline_definitions_never_fail_and_point_into_the_text(text):
    from kg.parsing.inline import inline_definitions
    from kg.parsing.lines import QUOTE_RE
    from kg.parsing.model import Quote
    from kg.text import normalise

    quotes = [Quote(normalise(m.group("q")), m.start("q"), m.end("q")) for m in QUOTE_RE.finditer(text)]
    for d in inline_definitions(text, [q for q in quotes if q.text]):
        assert text[d.def_start : d.def_end] == d.definition
        assert all(text[s:e] == label and label for label, s, e, _n in d.parts)


def test_zg_a_definition_in_the_text_is_the_candidate_s_definition(everything):
    """In a build of every fixture: the report's words define its candidate term (nmt:inText), the
    parts it lists are the term's components, and a term another report's note defines keeps the
    note (「一网统管」 is note 3 of v-crlf-fullwidth): one definition source each."""
    env = {"KG_DIST": str(everything)}

    def define(label: str) -> dict:
        res = CliRunner().invoke(main, ["define", label, "--json"], env=env)
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)

    approval = define("无感申办")
    assert approval["definition_source"] == "inText" and approval["status"] == "candidate"
    assert approval["definition"]["zh"] == "系统自动比对数据、无需申请人提交材料的审批方式"
    assert (
        "[in the report's text, zh] 系统自动比对数据"
        in CliRunner().invoke(main, ["define", "无感申办"], env=env).output
    )
    # 工业上楼 is note 2 of zi's 名词解释 too: the note wins.
    assert define("工业上楼")["definition_source"] == "official"
    places = define("三小场所")
    assert [c["label"]["zh"] for c in places["components"]] == ["小档口", "小作坊", "小娱乐场所"]
    assert places["definition_source"] == "inText" and not places["definition"]["zh"]
    history = ["党史", "新中国史", "改革开放史", "社会主义发展史"]
    assert [c["label"]["zh"] for c in define("四史")["components"]] == history
    clusters = define("20+8")["components"]  # a numeric shorthand's parts count its numbers
    assert [(c["label"]["zh"], c["count"]) for c in clusters] == [("战略性新兴产业集群", 20), ("未来产业", 8)]
    assert define("一网统管")["definition_source"] == "official"
    from starlette.testclient import TestClient

    from kg.web.app import create_app
    from kg.web.config import WebConfig

    with TestClient(create_app(WebConfig(dist=everything, workers=1))) as client:
        path = "/" + places["iri"].removeprefix("https://w3id.org/nanmatou/") + ".html"
        page = client.get(path, params={"lang": "en"}).text
        assert "Defined in the report&#39;s text" in page and "Not yet defined" not in page  # its parts define it
    ds = Dataset()
    ds.parse(everything / "dataset.nq", format="nquads")
    g = union(ds)
    for label in ("工业上楼", "无感申办", "三小场所", "四史", "一网统管"):
        (concept,) = set(g.subjects(SKOS.prefLabel, Literal(label, lang="zh")))
        assert len(set(g.objects(concept, NMT.definitionSource))) == 1, label
    report = json.loads((everything / "build-report.json").read_text(encoding="utf-8"))
    assert report["shacl"]["violations"] == 0


def test_figures_after_fen_bie_are_labelled_one_by_one():
    """分别…A和B: the unit written once after the last is the first's too (2.4个和3.1个百分点), a
    change said before the first is said of each (同比分别下降25%和33.3%), and each figure takes its
    own subject (起数和死亡人数), its period (同比、环比) or the figure said before it (解决率, 满意率)."""
    zb = [q for q in quantities("zb-enum-sections.txt") if q[0] in ("2.4个", "3.1个百分点")]
    assert [(q[1], q[4]) for q in zb] == [("百分点", "解决率"), ("百分点", "满意率")]
    zf = {q[0]: q for q in quantities("zf-project-table.txt")}
    assert zf["4.52万元"][4] == "农村居民人均可支配收入"  # 城乡…分别达到7.36万元和4.52万元: the town's, the country's
    # 分别达到7.36万元和4.52万元,分别增长5.2%和6.8%: each change the figure's at its place
    assert "6.8%" not in zf and (zf["4.52万元"][3], zf["4.52万元"][4]) == ("6.8", "农村居民人均可支配收入")
    assert (zf["25%"][3], zf["25%"][4]) == ("-25", "生产安全事故起数")
    assert (zf["33.3%"][3], zf["33.3%"][4]) == ("-33.3", "死亡人数")
    zg = [q for q in quantities("zg-inline-definitions.txt") if q[0] in ("1.3个", "0.4个百分点")]
    assert [(q[1], q[4]) for q in zg] == [("百分点", "满意率同比"), ("百分点", "满意率环比")]
    q = parse_report(
        "2023年工作总结\n一、2023年工作回顾\n（一）民生\n1.加装电梯。全年签约加装电梯72台，竣工51台，同比分别增长44%和59%。\n",
        "lift",
    ).quantities
    # 签约…72台,竣工51台,同比分别增长44%和59%: each change the figure's at its place
    assert [(x.raw, x.label, x.change_percent) for x in q] == [
        ("72台", "签约加装电梯", Decimal(44)),
        ("51台", "竣工", Decimal(59)),
    ]


def test_zh_an_item_number_glued_to_a_number_opening_its_title():
    """2.12345热线办理。 after 1.网格化治理。: item 2, titled 12345热线办理 (its text was item 1's);
    a paragraph opening with a decimal (2.5万人次…) is no item 2 unless item 2 comes next."""
    r = parse_file(GENRE / "zh-glued-item-number.txt")
    section = r.parts[0].sections[3]
    assert [i.title for i in section.initiatives] == ["网格化治理", "12345热线办理", "平安建设"]
    text = "2023年工作总结\n一、2023年工作回顾\n（一）民生\n1.助餐服务。新增助餐点2个。\n2.5万人次参加活动。\n"
    items = parse_report(text, "decimal").parts[0].sections[0].initiatives
    assert [i.title for i in items] == ["助餐服务"]


def _define(out: Path, label: str) -> dict:
    res = CliRunner().invoke(main, ["define", label, "--json"], env={"KG_DIST": str(out)})
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_curated_shanghai_wording_stays_out_of_a_build_of_other_cities(tmp_path):
    """Reports of Beijing and Nanjing (北京市西城区…, 南京市鼓楼区… in their headers, 上海 and 浦东
    nowhere): the curated 12345 says "上海市政府面向市民的统一服务热线…", which is not theirs, so it is
    left out with its alt label "Shanghai 12345 citizens' service hotline", and the page says "Not
    yet defined". A report of no named city beside them (陆家嘴, which names neither either) keeps it."""
    sources = [GENRE / "zb-enum-sections.txt", GENRE / "zh-glued-item-number.txt"]
    away = tmp_path / "away"
    assert CliRunner().invoke(main, ["build", *map(str, sources), "--out", str(away)]).exit_code == 0
    hotline = _define(away, "12345")
    assert not hotline["definition"]["zh"] and not hotline["definition"]["en"]
    assert not any("Shanghai" in a or "上海" in a for a in hotline["alt_labels"]["zh"] + hotline["alt_labels"]["en"])
    mixed = tmp_path / "mixed"
    res = CliRunner().invoke(
        main, ["build", *map(str, sources), str(GENRE / "v-crlf-fullwidth.txt"), "--out", str(mixed)]
    )
    assert res.exit_code == 0, res.output
    assert _define(mixed, "12345")["definition"]["zh"].startswith("上海市政府")
    # A province before the city (浙江省杭州市…), a city of four characters (乌鲁木齐市…); a district
    # opening the title (东城区和平里街道…), a city and district in the subtitle (中共成都市武侯区…).
    heads = (
        "北山街道2023年工作总结\n浙江省杭州市西湖区北山街道办事处　2024年1月8日",
        "北山街道2023年工作总结\n乌鲁木齐市天山区某某街道办事处　2024年1月8日",
        "东城区和平里街道2023年工作报告",
        "玉林街道2023年工作报告\n——在中共成都市武侯区玉林街道工作委员会全会上的讲话",
    )
    for n, head in enumerate(heads):
        src = tmp_path / f"city{n}.txt"
        src.write_text(
            f"{head}\n一、2023年工作回顾\n（一）民生\n1.热线办理。全年受理12345市民服务热线诉求1.86万件。\n",
            encoding="utf-8",
        )
        out = tmp_path / f"city{n}"
        assert CliRunner().invoke(main, ["build", str(src), "--out", str(out)]).exit_code == 0
        assert not _define(out, "12345")["definition"]["zh"], head
    from starlette.testclient import TestClient

    from kg.web.app import create_app
    from kg.web.config import WebConfig

    with TestClient(create_app(WebConfig(dist=away, workers=1))) as client:
        page = client.get(
            "/" + hotline["iri"].removeprefix("https://w3id.org/nanmatou/") + ".html", params={"lang": "en"}
        )
        assert page.status_code == 200 and "Not yet defined" in page.text and "Editorial definition" not in page.text


def test_curate_drafts_a_definition_the_report_gives_in_its_text(tmp_path):
    """kg curate on zg: a term the report defines where it uses it gets those words as the draft
    zh definition, and the parts it lists as components; filled in, the next build curates it."""
    import shutil

    from kg.resources import CURATION

    cur = tmp_path / "curation"
    shutil.copytree(CURATION, cur)
    fixture = GENRE / "zg-inline-definitions.txt"
    assert CliRunner().invoke(main, ["curate", str(fixture), "--curation", str(cur)]).exit_code == 0
    stub = cur / "reports" / "zg-inline-definitions.yaml"
    text = stub.read_text(encoding="utf-8")
    assert 'definition: {zh: "在高层厂房中布局生产线，提高土地利用效率", en: ""}' in text
    assert '      - {label: {zh: "小作坊", en: ""}, count: 1}' in text
    out = tmp_path / "dist"
    assert CliRunner().invoke(main, ["build", str(fixture), "--curation", str(cur), "--out", str(out)]).exit_code == 0
    filled = text.replace(
        'pinyin: "sān xiǎo chǎng suǒ"\n    en: ""\n    type: ""',
        'pinyin: "sān xiǎo chǎng suǒ"\n    en: three small venues\n    type: campaign',
    )
    assert filled != text
    stub.write_text(filled, encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(fixture), "--curation", str(cur), "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    entry = _define(out, "三小场所")
    assert entry["status"] == "curated" and entry["label"]["en"] == "three small venues"
    assert [c["label"]["zh"] for c in entry["components"]] == ["小档口", "小作坊", "小娱乐场所"]


def _parse_item(sentence: str):
    return parse_report(f"2023年工作总结\n一、2023年工作回顾\n（一）民生\n1.加装电梯。{sentence}\n", "t")


@pytest.mark.parametrize(
    "sentence",
    [
        "推进“老伙伴”计划（指导员培训30人次）。",  # 指导, not 指
        "推进“睦邻汇”和综治中心（即社会治理综合服务中心）建设。",  # the bracket is the centre's
        "推进“一网通办”，即覆盖率达到85%。",  # how far it went, not what it is
        "推行“接诉即办”，即诉即办率提高。",
        "落实“人民城市人民建”是指导工作的根本遵循。",  # 是指导, not 是指
        "推进“1+3”（街道中心、甲站、乙站、丙站）建设。",  # a shorthand's numbers count, not its parts
        "打造“两个中心”（党群服务中心）。",  # one name for two
    ],
)
def test_brackets_and_clauses_that_define_nothing(sentence):
    assert _parse_item(sentence).definitions == []


def test_part_lists_joined_by_he_and_paired_terms():
    """助餐、助浴、助洁和护理: four parts of 三助一护; 三比三争 lists three pairs; a 即 clause stops at
    its comma (覆盖小区54个 is what it did)."""
    got = {
        d.term: (d.definition, [p[0] for p in d.parts])
        for d in _parse_item(
            "推进“三助一护”（助餐、助浴、助洁和护理）服务，开展“三比三争”（比担当争一流、比实干争上游、"
            "比作风争满意）活动，打造“红色物业”，即党建引领下的小区治理新模式，覆盖小区54个。"
        ).definitions
    }
    assert got["三助一护"] == ("", ["助餐", "助浴", "助洁", "护理"])
    assert got["三比三争"][1] == ["比担当争一流", "比实干争上游", "比作风争满意"]
    assert got["红色物业"] == ("党建引领下的小区治理新模式", [])


def test_a_shorthand_listing_its_places_builds(tmp_path):
    """“1+3”(街道中心、甲站、乙站、丙站): no components of one each, which SHACL refused (4 ≠ 1+3)."""
    src = tmp_path / "shorthand.txt"
    src.write_text(
        "2023年工作总结\n一、2023年工作回顾\n（一）民生\n1.加装电梯。推进“1+3”（街道中心、甲站、乙站、丙站）建设。\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "dist"), "--json"])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("建成图书馆2个、体育馆3个，分别投资2亿元和3亿元。", [("2亿元", "图书馆投资"), ("3亿元", "体育馆投资")]),
        ("分别新增养老床位100张和200张。", [("100张", "养老床位"), ("200张", "养老床位")]),
    ],
)
def test_what_fen_bie_says_of_its_figures_stays_in_their_labels(sentence, want):
    q = _parse_item(sentence).quantities
    assert [(x.raw, x.label) for x in q][-2:] == want


def test_changes_without_a_comparison_word_are_signed():
    """下降, 压减 without 同比 are changes too (y/y); 年均 and 累计 changes are signed but span years."""
    q = {
        x.raw: (x.value, x.change_percent, x.label)
        for x in _parse_item(
            "刑事案件和治安案件分别下降18.2%和9.7%；“三公”经费支出压减12.5%；110警情五年累计下降52.3%；"
            "税收年均增长7.6%。"
        ).quantities
    }
    assert q["18.2%"] == (Decimal("-18.2"), Decimal("-18.2"), "刑事案件")
    assert q["9.7%"] == (Decimal("-9.7"), Decimal("-9.7"), "治安案件")
    assert q["12.5%"][:2] == (Decimal("-12.5"), Decimal("-12.5"))
    assert q["52.3%"][:2] == (Decimal("-52.3"), None) and q["7.6%"][:2] == (Decimal("7.6"), None)


def test_zi_zj_a_town_congress_subtitle_and_a_meeting_of_two_sessions():
    """——2024年1月12日在黄埭镇第十八届人民代表大会第四次会议上: the place is 黄埭镇 (it was 日在黄埭镇);
    …第三届居民代表会议第二次会议上: the meeting is the whole name, not its first 会议."""
    md = parse_file(GENRE / "zi-town-congress.txt").metadata
    assert (md.place, md.meeting, md.delivered) == ("黄埭镇", "第十八届人民代表大会第四次会议", "2024-01-12")
    md = parse_file(GENRE / "zj-speech-pipe-header.txt").metadata
    assert (md.place, md.meeting) == ("望月湖街道", "第三届居民代表会议第二次会议")
    assert (md.publisher, md.issued) == ("岳麓区望月湖街道办事处", "2023-02-20")


def test_circled_numbers_number_points_not_figures_or_labels():
    """①全年发放低保金…: NFKC writes ① as 1, which began the label (1全年发放低保金) and was counted
    as a number nobody accounted for."""
    from kg.parsing.coverage import CIRCLED_POINTS, number_coverage

    r = _parse_item("全年救助困难群众。\n　　①全年发放低保金823.6万元；\n　　②新增养老床位150张。")
    assert [(q.raw, q.label) for q in r.quantities] == [("823.6万元", "低保金"), ("150张", "养老床位")]
    cov = number_coverage(r, [])
    assert cov.ignored[CIRCLED_POINTS] == 2 and not any(r.text[u[0]] in "①②" for u in cov.unaccounted)


def test_a_change_after_a_figure_and_a_figure_that_became_another():
    q = [
        (x.raw, x.label)
        for x in _parse_item(
            "全年受理诉求1万件，办结率98.6%，较上年提高1.4个百分点；群众满意率由2022年的89.3%提升到94.8%；"
            "亩均税收由28.6万元提高到33.1万元。"
        ).quantities
    ]
    assert q[1:] == [
        ("98.6%", "办结率"),
        ("1.4个百分点", "办结率"),
        ("89.3%", "群众满意率"),
        ("94.8%", "群众满意率"),
        ("28.6万元", "亩均税收"),
        ("33.1万元", "亩均税收"),
    ]


def test_lead_words_that_begin_a_word_stay_and_more_units():
    q = [
        (x.raw, x.unit, x.label)
        for x in _parse_item(
            "在职党员到社区报到2,380名，建成新时代文明实践站6个；完成土方量62万立方米，开展专项督查6轮。"
        ).quantities
    ]
    assert q == [
        ("2,380名", "名", "在职党员到社区报到"),
        ("6个", "个", "新时代文明实践站"),
        ("62万立方米", "立方米", "土方量"),
        ("6轮", "轮", "专项督查"),
    ]


def test_zj_a_speech_s_listed_paragraphs_under_a_part_are_its_work():
    """A speech's parts list their work in paragraphs (一是经济发展稳中有进。全年…, 第一,聚焦产业发展,…):
    each an item of one section titled as the part (they were the part's intro, with no warning);
    the paragraphs around the list stay the part's; a part on the situation (形势) lists nothing."""
    r = parse_file(GENRE / "zj-speech-pipe-header.txt")
    review, situation, plan, style = r.parts
    assert [s.title for s in review.sections] == [review.title]
    assert [i.title for i in review.sections[0].initiatives][:3] == [
        "经济发展稳中有进",
        "城市更新提速推进",
        "民生保障有力有效",
    ]
    assert len(review.intro) == 2 and not situation.sections
    assert [i.title for i in plan.sections[0].initiatives][:2] == ["聚焦产业发展", "聚焦城市更新"]
    assert [i.title for i in style.sections[0].initiatives] == [
        "加强组织领导",
        "加强督查考核",
        "加强作风建设",
        "加强廉政建设",
    ]


def test_zk_a_section_announcing_its_projects_and_a_paragraph_on_shortcomings():
    """(三)着力保障和改善民生 / 2024年街道民生实事项目共6项: / 1.…: the section's six practical projects
    (a sibling section took them, and the next sections moved down); 在肯定成绩的同时,我们也清醒地
    看到…问题和不足 is no work item."""
    r = parse_file(GENRE / "zk-projects-in-a-section.txt")
    review, plan = r.parts
    assert [s.title[:6] for s in plan.sections] == [
        "着力推动经济",
        "着力提升城市",
        "着力保障和改",
        "着力加强基层",
        "着力加强自身",
    ]
    projects = plan.sections[2].initiatives
    assert [p.kind for p in projects] == ["project"] * 6 and projects[0].title == "新建社区食堂2家"
    assert not any("清醒" in i.title or i.title.startswith("在肯定") for s in review.sections for i in s.initiatives)


def test_zl_a_mid_term_review_s_halves():
    """第一部分 “十四五”前半程规划实施总体成效 reviews 2021-2023; 第二部分 “十四五”后半程发展思路
    plans 2023-2025 (both were 2021-2025)."""
    parts = parse_file(GENRE / "zl-mid-term-review.txt").parts
    assert [(p.kind, p.years) for p in parts] == [("review", ("2021", "2023")), ("plan", ("2023", "2025"))]


def test_targets_ranges_of_percentages_and_lower_bounds():
    """年均增长8%-10%: one range of the change (it was two figures, the second labelled …8%-); the
    verb of a target is not its label (覆盖率达到, 参保率保持在); 不少于 is a lower bound."""
    q = [
        (x.raw, x.label, x.value, x.low, x.approx)
        for x in _parse_item(
            "税收年均增长8%-10%，覆盖率达到90%-95%，参保率保持在98%以上，走访企业不少于1,000家次。"
        ).quantities
    ]
    assert q == [
        ("8%-10%", "税收年均增长", Decimal(10), Decimal(8), False),
        ("90%-95%", "覆盖率", Decimal(95), Decimal(90), False),
        ("98%以上", "参保率", Decimal(98), None, True),
        ("1,000家次", "企业", Decimal(1000), None, True),
    ]


def test_zk_page_tools_are_no_text_and_a_definition_is_no_label():
    r = parse_file(GENRE / "zk-projects-in-a-section.txt")
    assert not any("字体" in p.text or "打印本页" in p.text for p in r.preamble)
    (nine,) = [q for q in r.quantities if "四点半课堂" in q.clause]
    assert nine.label == "建立“四点半课堂”"  # not …(即放学后至家长下班前…公益课堂


def test_zl_a_section_of_shortcomings_has_no_work_items():
    review = parse_file(GENRE / "zl-mid-term-review.txt").parts[0]
    problems = review.sections[-1]
    assert problems.title == "存在的主要问题" and not problems.initiatives and problems.intro


def test_doubled_and_quadrupled():
    """翻一番 is +100 % (year on year after 较去年同期), 翻两番 +300 %; after a figure and the years it
    took (18,460元,五年翻了一番) it is that figure's, not year on year."""
    q = [
        (x.raw, x.label, x.value, x.change_percent)
        for x in _parse_item("首店数量较去年同期翻一番，企业翻两番；人均可支配收入18,460元，五年翻了一番。").quantities
    ]
    assert q == [
        ("翻一番", "首店数量", Decimal(100), Decimal(100)),
        ("翻两番", "企业", Decimal(300), None),
        ("18,460元", "人均可支配收入", Decimal(18460), None),
        ("翻了一番", "人均可支配收入", Decimal(100), None),
    ]


def test_times_new_units_and_other_numbering():
    """增长1.5倍 is +150 % (a change after its figure, or the figure itself), 的2倍 a ratio; 公顷, 千瓦,
    微克/立方米 units; parts 一. and items 1) (the probe's Beijing and Guangzhou layouts)."""
    q = [
        (x.raw, x.unit, x.value, x.change_percent)
        for x in _parse_item(
            "旅游收入1.35亿元，增长1.5倍；企业数量同比增长2.1倍；是全市平均水平的2倍；新增绿地126公顷，"
            "光伏装机1,860千瓦，PM2.5年均浓度降至27微克/立方米。"
        ).quantities
    ]
    assert q == [
        ("1.35亿元", "元", Decimal(135000000), Decimal(150)),
        ("2.1倍", "%", Decimal(210), Decimal(210)),
        ("2倍", "倍", Decimal(2), None),
        ("126公顷", "公顷", Decimal(126), None),
        ("1,860千瓦", "千瓦", Decimal(1860), None),
        ("27微克/立方米", "微克/立方米", Decimal(27), None),
    ]
    r = parse_report(
        "2023年上半年工作总结\n一. 上半年工作完成情况\n（一）民生\n1）加装电梯。全年签约72台。\n"
        "2）助餐服务。新增助餐点2个。\n二. 下半年工作打算\n（一）民生\n1）加装电梯。签约80台。\n",
        "t",
    )
    assert [(p.title, p.kind) for p in r.parts] == [("上半年工作完成情况", "review"), ("下半年工作打算", "plan")]
    assert [i.title for i in r.parts[0].sections[0].initiatives] == ["加装电梯", "助餐服务"]


def test_header_fields_a_page_adds():
    """成文日期 and 浏览次数 are fields of their own (they were glued onto the publisher); 成文日期 dates
    the report when no 发布日期 does; 开创 is no part of the place."""
    md = parse_report(
        "花园路街道2019—2020年工作总结\n发布机构:花园路街道办事处　成文日期:2021年01月25日　浏览次数:1326\n"
        "——在开创中央大街街道高质量发展新局面的会议上\n一、2019—2020年工作回顾\n（一）民生\n1.加装电梯。签约72台。\n",
        "t",
    ).metadata
    assert (md.publisher, md.issued) == ("花园路街道办事处", "2021-01-25")


def test_zm_word_numbering_contents_and_a_title_under_the_issuer():
    """Word's 1 / 1.1 / 1.1.1 headings are parts, sections and work items (the parts were titled
    12024年工作回顾 and held everything as intro); the 目录 and its page numbers are no text; the
    title's second line (关于2024年…的报告) is the title's, not the preamble's; a table row 3⇥… is
    no heading."""
    r = parse_file(GENRE / "zm-word-numbering.txt")
    assert r.metadata.title == "江北区甬江街道办事处关于2024年工作总结和2025年工作思路的报告"
    assert not r.preamble and not r.unplaced
    assert shape("zm-word-numbering.txt") == [
        (
            "2024年工作回顾",
            [
                ("产业发展", [("招商引资扎实推进", []), ("楼宇经济稳步提升", [])]),
                ("民生服务", [("养老服务提质扩面", []), ("平安建设深入推进", [])]),
                ("存在问题", []),
                ("2024年主要经济指标完成情况", []),
            ],
        ),
        (
            "2025年工作思路",
            [
                ("主要目标", []),  # its targets are its text, no work item
                ("重点任务", [("聚焦产业发展,做强经济支撑", []), ("聚焦民生福祉,提升服务品质", [])]),
            ],
        ),
    ]


def test_zm_an_annex_of_results_is_the_review_s_with_its_units_column():
    """附表 / 2024年主要经济指标完成情况 / 序号 指标名称⇥单位⇥目标值⇥完成值⇥完成率: a section of the
    part reviewing 2024, its figures of 2024, each row named by 指标名称 (not by its number: they
    were 1(完成率)), target and result in the row's unit (亿元: ×10⁸ 元); the header's single
    space parts 序号 from 指标名称 (the header was one cell short, and the table lost it)."""
    r = parse_file(GENRE / "zm-word-numbering.txt")
    annex = r.parts[0].sections[-1]
    q = [(x.label, x.value, x.unit, x.period) for x in r.quantities if x.container.startswith(annex.key)]
    assert q[:4] == [
        ("一般公共预算收入(目标值)", Decimal(630000000), "元", "2024"),
        ("一般公共预算收入(完成值)", Decimal(642000000), "元", "2024"),
        ("一般公共预算收入(完成率)", Decimal("101.9"), "%", "2024"),
        ("实到内资(目标值)", Decimal(1400000000), "元", "2024"),
    ]
    assert len(q) == 9 and not annex.initiatives


def test_zm_a_glossary_note_with_no_number():
    """名词解释: / “甬江e家”服务平台:指…: a note (it was unplaced as not numbered); a line of a
    definition with a colon in it goes on with the note before."""
    r = parse_file(GENRE / "zm-word-numbering.txt")
    assert [(n.number, n.term, n.suffix, n.definition[:8]) for n in r.notes] == [
        (1, "甬江e家", "服务平台", "指街道为辖区老年")
    ]
    two = parse_report(
        "2023年工作总结\n一、2023年工作回顾\n（一）民生\n1.为老服务。推进“时间银行”。\n名词解释\n"
        "“时间银行”：指志愿者存储服务时间的互助养老模式，包括：\n储蓄、兑换两个环节。\n"
        "社区规划师：是指为社区更新提供专业咨询的规划人员。\n",
        "x",
    )
    assert [(n.number, n.term, n.definition[-6:]) for n in two.notes] == [
        (1, "时间银行", "换两个环节。"),
        (2, "社区规划师", "的规划人员。"),
    ]
    assert not two.unplaced


def test_zn_sections_without_an_opening_bracket_and_lettered_items():
    """一）党建引领有力有效 / A．组织体系不断健全。…: sections and work items (they were all the
    part's intro); 附件:2024年主要工作指标完成情况 (附件 with no number) is the review's annex."""
    assert shape("zn-letter-items.txt") == [
        (
            "2024年工作完成情况",
            [
                ("党建引领有力有效", [("组织体系不断健全", []), ("“民生微实事”落地见效", [])]),
                ("社区服务精准贴心", [("为老服务", []), ("儿童服务", [])]),
                ("平安建设稳步推进", [("社区开展隐患排查", [])]),
                ("2024年主要工作指标完成情况", []),
            ],
        ),
        (
            "2025年工作计划",
            [
                ("强化党建引领", [("实施“民生微实事”项目35个以上", []), ("推动物业服务企业党组织覆盖率保持100%", [])]),
                ("提升服务品质", [("新建社区食堂1个", []), ("“四点半课堂”服务人次提高1倍", [])]),
            ],
        ),
    ]
    assert ("860", "处", False, None, "隐患整改(完成值)") in quantities("zn-letter-items.txt")


def test_level_with_last_year_is_a_change_of_nought():
    """同比持平, 与上年同比持平, 与去年同期持平: a year-on-year change of 0 %; 基本持平 roughly; 环比持平
    a change of 0 but not year on year, labelled by the figure before it when it names none."""
    q = [
        (x.raw, x.label, x.value, x.change_percent, x.approx)
        for x in parse_report(
            "2023年工作总结\n一、2023年工作回顾\n（一）民生\n1.平安建设。居民投诉量与上年同比持平，"
            "信访总量同比基本持平，环比持平。税收收入与去年同期持平。\n",
            "x",
        ).quantities
    ]
    assert q == [
        ("与上年同比持平", "居民投诉量", Decimal(0), Decimal(0), False),
        ("同比基本持平", "信访总量", Decimal(0), Decimal(0), True),
        ("环比持平", "信访总量", Decimal(0), None, False),
        ("与去年同期持平", "税收收入", Decimal(0), Decimal(0), False),
    ]


def test_zo_sections_titled_by_a_slogan_before_their_figures():
    """(一)稳增长,力争税收收入达到12.5亿元,增长5.8%;…: the section 稳增长, its figures read as its
    work item's (a heading's figures were not read, and the section had no work items); the
    closing 新的一年,建中街街道将以…开创…新局面。 is the part's closing, not a work item."""
    assert shape("zo-slogan-sections.txt")[1] == (
        "2023年工作计划",
        [
            ("稳增长", [("力争税收收入达到12.5亿元", [])]),
            ("促更新", [("完成老旧小区改造16个", [])]),
            ("惠民生", [("新增就业岗位2,100个", [])]),
        ],
    )
    r = parse_file(GENRE / "zo-slogan-sections.txt")
    assert [c.text[:6] for c in r.parts[1].closing] == ["新的一年，建"]
    assert ("1,800户以上", "户", True, None, "市场主体") in quantities("zo-slogan-sections.txt")


def test_zo_an_annex_heading_alone_and_a_share_of_the_target():
    """附表: alone, then the annex's title on its own line: the review's section (2021—2022), its
    table read (the header's 序号 and 指标名称 apart by one wide space); 完成目标的104.2% is the
    completion rate of the figure before it (it was labelled 目标的)."""
    r = parse_file(GENRE / "zo-slogan-sections.txt")
    annex = r.parts[0].sections[-1]
    assert annex.title == "建中街街道2021—2022年主要指标完成情况" and not annex.initiatives
    labels = [q.label for q in r.quantities if q.container.startswith(annex.key)]
    assert labels[:3] == ["税收收入(目标值)", "税收收入(完成值)", "税收收入(完成率)"] and len(labels) == 9
    assert ("104.2%", "%", False, None, "两年累计完成税收收入(完成率)") in quantities("zo-slogan-sections.txt")


def test_zp_a_title_a_pdf_copy_wrapped_and_a_page_head_that_is_its_end():
    """余杭区仓前街道2024年工作总结和2025年 / 工作思路: one title, without the line break (工作思路
    was a part of no sections); 仓前街道2024年工作总结和2025年工作思路 at the top of page 2 — the
    title's end, met once — is no part either; …2023年工作总结 / 和2024年工作计划 one title too."""
    r = parse_file(GENRE / "zp-pdf-wrapped-title.txt")
    assert r.metadata.title == "余杭区仓前街道2024年工作总结和2025年工作思路"
    joined = "吉日街道办事处2023年工作总结\n和2024年工作计划\n一、2023年工作完成情况\n(一)稳定\n新增网格46个。\n"
    r2 = parse_report(joined, "x")  # wrapped after 总结: the plan's half was the first part
    assert r2.metadata.title == "吉日街道办事处2023年工作总结和2024年工作计划"
    assert [(p.title, p.year) for p in r2.parts] == [("2023年工作完成情况", "2023")]
    assert shape("zp-pdf-wrapped-title.txt") == [
        (
            "2024年工作总结",
            [
                ("产业发展势能持续增强", [("数字产业加速集聚", []), ("项目建设全面提速", [])]),
                ("城乡品质不断提升", [("人居环境持续改善", [])]),
            ],
        ),
        ("2025年工作思路", [("聚力产业升级", [("做强数字经济", [])])]),
    ]


def test_zq_ascii_quotes_are_quotes(everything):
    """ "三率", "接诉即办" in ASCII quotes (a Beijing copy): quoted terms, the glossary's notes
    titled without the quotes (they were "三率", quotes and all, and nothing in the text was
    quoted), and their mentions found."""
    r = parse_file(GENRE / "zq-ascii-quotes.txt")
    assert [(n.number, n.term) for n in r.notes] == [(1, "三率"), (2, "每月一题")]
    assert {q.text for q in r.quotes} == {"接诉即办", "时间过半、任务过半", "三率", "每月一题"}
    entry = json.loads(CliRunner().invoke(main, ["define", "三率", "--json"], env={"KG_DIST": str(everything)}).stdout)
    assert entry["label"]["zh"] == "三率" and len(entry["mentions"]) >= 2


def test_zr_roman_part_numbers_and_lettered_items():
    """Ⅰ. / Ⅱ. / Ⅲ. (NFKC: I. II. III.) number the parts (the report was refused: no part
    headings); a five-year review and plan take their years from the titles."""
    t = tree("zr-roman-parts.txt")
    assert [(p["title"], p["kind"], p["years"]) for p in t["parts"]] == [
        ("“十四五”时期主要成效(2021—2025年)", "review", ["2021", "2025"]),
        ("存在的困难和问题", "other", None),
        ("“十五五”时期发展思路(2026—2030年)", "plan", ["2026", "2030"]),
    ]
    assert shape("zr-roman-parts.txt")[0][1][0] == (
        "综合实力跨越提升",
        [("经济总量迈上新台阶", []), ("营商环境持续优化", [])],
    )


def test_zs_financial_part_numbers_one_field_a_line_and_a_list_of_projects():
    """壹、贰、叁 number the parts (refused before); header fields one to a line (发布机构:…) are
    the publisher and issue date, not the preamble; the signature's date after them is when it
    was written (成文日期), not the issue date; 项目一:新建社区养老服务站3个(责任单位:社会事务办)
    is a practical project titled without its office, its figure labelled by what it counts."""
    r = parse_file(GENRE / "zs-financial-parts.txt")
    md = r.metadata
    assert (md.publisher, md.issued, md.fields["成文日期"]) == (
        "昆明市盘龙区拓东街道办事处",
        "2025-01-20",
        "2025-01-16",
    )
    assert not r.preamble and [p.title for p in r.parts] == ["2024年工作总结", "存在的问题", "2025年工作计划"]
    annex = r.parts[2].sections[-1]
    assert [(i.kind, i.title) for i in annex.initiatives] == [
        ("project", "新建社区养老服务站3个"),
        ("project", "改造老旧小区8个"),
    ]
    assert ("3个", "个", False, None, "社区养老服务站") in quantities("zs-financial-parts.txt")


def test_zt_chapters_bracketed_headings_and_a_source_line():
    """第一章 … parts (titled without 第一章); 【一】… sections under them; 【经济提质】 with no number,
    a section too (it was the part's text); 发布时间:… 来源:… 浏览次数:… on one line: the
    publisher without the view count."""
    assert shape("zt-chapters-and-bracket-headings.txt") == [
        (
            "2024年工作总结",
            [
                ("经济发展稳中有进", [("数字经济持续壮大", []), ("营商服务更加精准", [])]),
                ("民生保障温暖有力", [("养老服务扩容提质", [])]),
            ],
        ),
        (
            "2025年工作计划",
            [
                ("经济提质", [("全年新增注册企业1,200家以上", []), ("盘活低效楼宇约4万平方米", [])]),
                ("民生提标", [("新增就业岗位2,200个", [])]),
            ],
        ),
        ("保障措施", [("保障措施", [("强化组织保障", []), ("强化督查考核", [])])]),  # 一是…。二是…。
    ]
    assert tree("zt-chapters-and-bracket-headings.txt")["publisher"] == "广州市海珠区琶洲街道办事处"


def test_zu_bold_headings_circled_plan_items_and_the_speaker():
    """A Markdown speech: **经济发展稳中有进** above 第一,… items is a section (they were the
    part's text, its items one section); ① … ③ under a part of no sections are its items;
    **街道党工委书记 李文华** is the speaker, not the preamble."""
    assert shape("zu-speech-bold-headings.txt") == [
        (
            "充分肯定2024年取得的成绩",
            [
                ("经济发展稳中有进", [("主要指标稳步增长", []), ("楼宇经济提质增效", [])]),
                ("民生福祉不断增进", [("新增就业3,200人", []), ("建成“15分钟便民生活圈”3个,推进“三长联动”", [])]),
            ],
        ),
        (
            "全力以赴抓好2025年重点工作",
            [("全力以赴抓好2025年重点工作", [("聚焦楼宇经济", []), ("聚焦城市更新", []), ("聚焦民生服务", [])])],
        ),
    ]
    t = tree("zu-speech-bold-headings.txt")
    assert t["speaker"] == "街道党工委书记 李文华"
    assert "李文华" not in " ".join(p.text for p in parse_file(GENRE / "zu-speech-bold-headings.txt").preamble)


def test_zv_a_shuzhi_s_slogans_above_its_points():
    """抓党建,强基础 / 一是…: a section (short, no figure, above a listed point); the speaker's
    line names the place (观音桥街道) where the title names none."""
    assert [s[0] for s in shape("zv-shuzhi-slogans.txt")[0][1]] == ["抓党建,强基础", "稳经济,促发展", "惠民生,暖人心"]
    t = tree("zv-shuzhi-slogans.txt")
    assert (t["place"], t["speaker"]) == ("观音桥街道", "江北区观音桥街道党工委副书记、办事处主任 周明远")


def test_a_lead_word_that_begins_a_word_stays():
    """共享书房, 共建单位, 共享单车: 共 ("in all") is no lead word where it begins a word (the
    labels were 享书房, 建单位资源), nor 及 of 及时率, 达 of 达标率."""
    q = [
        (x.raw, x.label)
        for x in _parse_item(
            "建成共享书房1处，整合辖区12家共建单位资源，共享单车乱停放投诉量下降3成左右，及时率98%，达标率95%。"
        ).quantities
    ]
    assert q == [
        ("1处", "共享书房"),
        ("12家", "共建单位资源"),
        ("3成左右", "共享单车乱停放投诉量"),
        ("98%", "及时率"),
        ("95%", "达标率"),
    ]


def test_zw_a_pdf_copy_of_short_paragraphs_four_levels_and_the_speaker():
    """A PDF copy wrapped at 31 characters whose paragraphs are two lines each (as many last lines
    as full ones: it was not seen as wrapped, 1⏎5万人次 read as 5万); the speaker's line under
    the subtitle is not joined to it; 第一部分 / 一、 / (一) / 1.: the (一) lines are the work items
    and their 1. points are their sub-items (they were siblings); a marker after a wrap ("两项改革"后半⏎篇文章[1])
    is found."""
    r = parse_file(GENRE / "zw-pdf-short-paragraphs.txt")
    md = r.metadata
    assert (md.place, md.fields["报告人"], md.delivered) == ("青川乡", "乡长 王建国", "2025-01-16")
    assert r.wraps and len(r.markers) == 1 and not r.warnings[:-1]
    assert shape("zw-pdf-short-paragraphs.txt")[0][1] == [
        (
            "农业农村稳中向好",
            [("粮食生产持续稳定", ["稳面积", "提单产"]), ("特色产业提质增效", ["做强茶叶产业", "培育经营主体"])],
        ),
        ("乡村建设扎实推进", [("基础设施不断完善", ["交通路网", "村村增收"])]),
    ]
    q = {x.raw.replace("\n", ""): (x.value, x.label) for x in r.quantities}
    assert q["15万人次以上"] == (Decimal(150000), "游客")


def test_a_sum_that_classes_what_is_counted_is_no_amount():
    """其中超10亿元项目3个, 5000万元以上项目12个, 超50万元的村2个: the sums name the class of what
    the count counts (they were amounts labelled 其中); 投资超过5亿元 stays an amount."""
    q = [
        (x.raw, x.label)
        for x in _parse_item(
            "全年引进超亿元项目24个，其中超10亿元项目3个，5000万元以上项目12个；其中超50万元的村2个；"
            "投资超过5亿元，新建厂房3栋。"
        ).quantities
    ]
    assert q == [
        ("24个", "超亿元项目"),
        ("3个", "超10亿元项目"),
        ("12个", "5000万元以上项目"),
        ("2个", "超50万元的村"),
        ("5亿元", "投资"),
        ("3栋", "厂房"),
    ]


def test_zx_circled_markers_and_a_note_on_its_heading_s_line():
    """“工业上楼”① … ①工业上楼:指…: circled markers link to their notes (none was found, and ②
    stayed in a title as 2); 注:④“三乱”指… under the plan is a note of one line (with no colon:
    the definition opens at 指), the text after it the body's, and 名词解释 after it the
    glossary's heading, not the note's definition."""
    r = parse_file(GENRE / "zx-circled-markers.txt")
    assert sorted((n.number, n.term) for n in r.notes) == [
        (1, "工业上楼"),
        (2, "三优三保"),
        (3, "一网通办"),
        (4, "三乱"),
    ]
    assert [n.definition for n in r.notes if n.number == 4] == ["指乱贴乱画、乱搭乱建、乱堆乱放。"]
    assert [mk.number for mk in r.markers] == [1, 2, 3, 4] and not r.warnings
    assert "深化“一网通办”" in [i.title for i in r.initiatives()]
    after = parse_report(
        "2023年工作总结\n一、2023年工作回顾\n（一）城管\n1.市容整治。清理“三乱”①3200余处。\n"
        "注：①“三乱”指乱贴乱画、乱搭乱建、乱堆乱放。\n（二）民生\n1.为老服务。推进“时间银行”。\n",
        "x",
    )
    assert [s.title for s in after.parts[0].sections] == ["城管", "民生"]
    assert "时间银行" in {q.text for q in after.quotes} and len(after.markers) == 1


def test_a_figure_s_own_year():
    """由2020年的286亿元增长到2025年的421亿元: each figure of the year written before it, both
    labelled by what grew (the second was 增长到2025年的); in a five-year review, 2023年,全镇实现…
    is of 2023; 是2020年的1.7倍 is a ratio of no year; 恢复到2019年的96% a share, of the part's year."""
    r = parse_report(
        "2021—2025年工作总结\n一、2021—2025年工作回顾\n（一）经济\n"
        "1.经济总量迈上新台阶。辖区生产总值由2020年的286亿元增长到2025年的421亿元，是2020年的1.5倍。"
        "2023年，全镇实现税收收入36亿元。\n二、2026年工作计划\n（一）民生\n1.就业。客流恢复到2019年的96%。\n",
        "x",
    )
    q = [(x.raw, x.label, x.period) for x in r.quantities]
    assert q == [
        ("286亿元", "辖区生产总值", "2020"),
        ("421亿元", "辖区生产总值", "2025"),
        ("1.5倍", "辖区生产总值", None),
        ("36亿元", "全镇实现税收收入", "2023"),
        ("96%", "客流恢复到2019年的", "2026"),
    ]


def test_zu_a_markdown_pipe_table_and_footnote():
    """| 税收收入(亿元) | 27.2 | 28.4 | 4.6% | under | --- |: a table (its cells were one paragraph
    and its numbers read as one label); [^1] and [^1]: “三长联动”:… are a marker and its note (the
    note was the closing's text, and [^1] stayed in a title)."""
    r = parse_file(GENRE / "zu-speech-bold-headings.txt")
    assert [(n.number, n.term) for n in r.notes] == [(1, "三长联动")] and len(r.markers) == 1
    q = [(x.raw, x.label, x.period) for x in r.quantities if r.tables[0].start <= x.start < r.tables[0].end]
    assert q[:3] == [("27.2", "税收收入", "2023"), ("28.4", "税收收入", "2024"), ("4.6%", "税收收入(增幅)", "2024")]
    assert not any("[^" in i.title or "^1" in i.title for i in r.initiatives())


def test_zy_a_web_page_s_breadcrumb_footer_and_numbered_notes():
    """首页 > 政务公开 > … above the title is no title (it was, and the real title a part); 来源:…
    发布日期:… 浏览次数:… are three fields; 注1:“一街一策”,指… are notes (unplaced before), (注1)
    after a quoted term its marker (not a definition of one part, 注1, nor in a title); the
    attachments, 分享到:, 主办单位: and the ICP number below are no text."""
    r = parse_file(GENRE / "zy-web-page-notes.txt")
    md = r.metadata
    assert (md.title, md.place, md.publisher, md.issued) == (
        "思明区中华街道办事处2023年工作总结",
        "中华街道",
        "中华街道办事处",
        "2024-01-10",
    )
    assert [(n.number, n.term, n.definition[:6]) for n in r.notes] == [
        (1, "一街一策", "指针对历史文"),
        (2, "总量控制、分时预约", "指对每日游客"),
        (3, "居民服务卡", "指面向辖区户"),
    ]
    assert [mk.number for mk in r.markers] == [1, 2, 3] and not r.definitions and not r.unplaced
    assert "深化“总量控制、分时预约”管理模式" in [i.title for i in r.initiatives()]
    closing = " ".join(c.text for p in r.parts for c in p.closing)
    assert not any(w in closing for w in ("分享到", "ICP", "xlsx", "主办单位"))


def test_zz_heading_numbers_alone_on_their_lines():
    """(壹) / 2023年工作总结 and 一、 / 产业发展: a number alone on its line takes the next line as its
    title ((壹) was text, and 一、 the part's intro); (壹) parts hold 一、 sections (CRLF copy)."""
    assert shape("zz-heading-numbers-alone.txt") == [
        (
            "2023年工作总结",
            [
                ("产业发展", [("特色种植提质增效", []), ("乡村旅游加快发展", [])]),
                ("民生保障", [("新增城镇就业380人", [])]),
            ],
        ),
        ("存在的问题", []),
        (
            "2024年工作打算",
            [("做强特色产业", [("巩固樱桃主导产业", [])]), ("办好民生实事", [("新增公益性岗位60个", [])])],
        ),
    ]


REVIEW_TITLE = "某某街道2024年工作报告\n"
PLAN = "二、2024年工作安排\n(一)民生\n1.完善养老服务。新建长者照护之家1家。\n"


def _shape_of(text: str) -> list:
    r = parse_report(REVIEW_TITLE + text, "x")
    return [(p.title, [(s.title, [i.title for i in s.initiatives]) for s in p.sections]) for p in r.parts]


def test_the_new_layouts_leave_the_old_ones_alone():
    """What a review of this session's rules found them doing to layouts read before: a note on its
    注: line kept the items after it as notes; 注:1.… under a table (a footnote, no glossary note)
    and a definition's line “三会”:… were notes numbered as others (the build failed SHACL); 街道将以…
    开创…新局面。 at a section's head was the part's closing; 重点任务完成情况 lost its items; 【一】
    under 一、 parts opened parts; 问题主要表现在 above 一是 in a part of problems was a section."""
    r = parse_report(
        REVIEW_TITLE + "一、2023年工作回顾\n(一)城市管理\n1.深化“三乱”①整治。清除小广告1.2万处。\n"
        "注:①“三乱”指乱贴乱画、乱拉乱挂、乱堆乱放。\n2.推进垃圾分类。新建湿垃圾处理站2座。\n"
        "3.推进平安建设。受理矛盾纠纷320件。\n注:1.矛盾纠纷数据来源于区信访办。\n" + PLAN + "名词解释:\n"
        "2.三会一代理:指听证会、协调会、评议会和居民区事务代理制度,其中:\n“三会”:听证会、协调会、评议会;\n"
        "3.两张网:指政务服务“一网通办”和城市运行“一网统管”。\n",
        "x",
    )
    assert [i.title for i in r.parts[0].sections[0].initiatives] == ["深化“三乱”整治", "推进垃圾分类", "推进平安建设"]
    assert [(n.number, n.term) for n in r.notes] == [(1, "三乱"), (2, "三会一代理"), (3, "两张网")]
    assert _shape_of(
        "一、2023年工作回顾\n(一)经济发展\n1.招商引资成效明显。全年新引进企业45家。\n二、2024年工作安排\n"
        "(一)推动经济高质量发展\n街道将以优化营商环境为重点,全力稳增长,开创经济发展新局面。\n"
        "1.强化招商引资。全年引进企业50家。\n2.做优楼宇经济。新增税收亿元楼3幢。\n"
    )[1] == ("2024年工作安排", [("推动经济高质量发展", ["强化招商引资", "做优楼宇经济"])])
    assert _shape_of(
        "一、2023年工作回顾\n(一)重点任务完成情况\n深化居民区“两委”换届后续工作,推动基层党组织建设全面进步。\n"
        "持续推进城市更新,完成旧住房综合改造12万平方米。\n" + PLAN
    )[0][1] == [("重点任务完成情况", ["深化居民区“两委”换届后续工作", "持续推进城市更新"])]
    assert [
        p
        for p, _ in _shape_of(
            "一、2023年工作回顾\n【一】经济发展稳中有进\n1.招商引资成效明显。全年新引进企业45家。\n"
            "【二】民生保障更加有力\n1.养老服务持续完善。新建长者照护之家1家。\n" + PLAN
        )
    ] == ["2023年工作回顾", "2024年工作安排"]
    assert _shape_of(
        "一、2023年工作回顾\n(一)经济发展\n1.招商引资成效明显。全年新引进企业45家。\n二、存在的问题和不足\n"
        "问题主要表现在\n一是经济结构有待优化。\n二是公共服务供给不够均衡。\n" + PLAN.replace("二、", "三、")
    )[1] == ("存在的问题和不足", [])


def test_the_new_figure_rules_leave_the_old_ones_alone():
    """An approximate sum before a count (约50万元惠及…120户) stays an amount; a share of another
    year's figure (相当于2019年的96%) is the part's year; 税收收入完成年度目标的105% after 企业45家
    is 税收收入's rate; 共建成 drops 共 and 建成; ASCII quotes nest in curly ones, a stray one opens
    nothing; a Markdown table's empty corner cell; short paragraphs under long headings are no PDF
    copy; ︻经济提质︼ (NFKC 【】) is a heading, not a crash."""
    q = [
        (x.raw, x.label, x.period)
        for x in _parse_item(
            "全年发放救助金约50万元惠及困难家庭120户。客流量相当于2019年的96%。新引进企业45家,"
            "税收收入完成年度目标的105%。全年共建成社区食堂5家。"
        ).quantities
    ]
    assert q == [
        ("50万元", "救助金", "2023"),
        ("120户", "困难家庭", "2023"),
        ("96%", "客流量相当于2019年的", "2023"),
        ("45家", "企业", "2023"),
        ("105%", "税收收入(完成率)", "2023"),
        ("5家", "社区食堂", "2023"),
    ]
    r = parse_report(
        REVIEW_TITLE + '一、2023年工作回顾\n(一)城市治理\n1.深化改革。落实“推进"一网通办"改革”要求,办件量12万件。\n'
        '2.优化服务。群众反映"办事难,全年受理诉求3200件,打造"15分钟生活圈"。\n' + PLAN,
        "x",
    )
    assert [q.text for q in r.quotes] == ['推进"一网通办"改革', "15分钟生活圈"]
    assert "3200件" in [x.raw for x in r.quantities]
    md = parse_report(
        "# 某某街道2024年工作报告\n\n## 一、2023年工作回顾\n\n### (一)经济发展\n\n全年主要指标如下:\n\n"
        "|  | 2022年 | 2023年 |\n| --- | --- | --- |\n| 税收收入(亿元) | 27.2 | 28.4 |\n\n"
        "**1. 招商引资成效明显。** 全年新引进企业45家。\n\n## 二、2024年工作安排\n\n### (一)民生\n\n"
        "**1. 完善养老服务。** 新建长者照护之家1家。\n",
        "x",
    )
    assert [(x.raw, x.label, x.period) for x in md.quantities][:2] == [
        ("27.2", "税收收入", "2022"),
        ("28.4", "税收收入", "2023"),
    ]
    short = "".join(
        f"({n})坚持党建引领推动基层治理效能持续提升{n}\n完成任务{i}项,满意度提升。\n"
        for i, n in enumerate("一二三四五六七八九十", 10)
    )
    wrapped = parse_report(REVIEW_TITLE + "一、2023年工作回顾\n" + short + PLAN, "x")
    assert not wrapped.wraps and all(len(s.initiatives) == 1 for s in wrapped.parts[0].sections)
    assert _shape_of("一、2023年工作回顾\n︻经济提质︼\n1.招商引资成效明显。全年新引进企业45家。\n" + PLAN)[0] == (
        "2023年工作回顾",
        [("经济提质", ["招商引资成效明显"])],
    )


def test_zza_ordinal_sections_a_unit_above_a_table_and_a_captioned_table_of_projects():
    """第一,经济发展量质齐升。 right above 1. items is a section (one section held them all, the
    headings among the items); 单位:万元 above a table is its cells' unit (the year columns were
    not read), 持平 in a change column a change of 0; 2024年民生实事项目表 right above its table is
    a section of projects (the caption and table were one item's text), 投资(万元) their figures."""
    assert [s[0] for s in shape("zza-ordinal-sections-tables.txt")[0][1]] == ["经济发展量质齐升", "民生福祉持续增进"]
    r = parse_file(GENRE / "zza-ordinal-sections-tables.txt")
    q = {(x.label, x.period): (x.value, x.unit) for x in r.quantities}
    assert q[("财政总收入", "2021")] == (Decimal(126500000), "元")
    assert q[("民生支出(2023年增幅)", "2023")] == (Decimal(0), "%")
    assert q[("背街小巷改造(投资)", "2024")] == (Decimal(8600000), "元")
    projects = r.parts[1].sections[-1]
    assert projects.title == "2024年民生实事项目表"
    assert [(i.kind, i.title) for i in projects.initiatives] == [
        ("project", "背街小巷改造"),
        ("project", "社区食堂建设"),
    ]


def test_zzb_a_community_s_report_and_its_speaker():
    """…华乐街道淘金社区居民委员会2023年工作报告: the place is the community (the subdistrict's
    reports are another place's series); 2024年1月16日在淘金社区居民代表会议上 with no brackets is
    the delivery and the meeting, 报告人:社区居委会主任 林晓燕 the speaker (both were preamble);
    增长1.2倍 after a figure is its change (the coverage counts it so); 比去年同期提高4.6个百分点 is
    the change of the rate before it (it was labelled 比去年同期); 根 and 单 are units."""
    r = parse_file(GENRE / "zzb-community-report.txt")
    md = r.metadata
    assert (md.place, md.delivered, md.meeting, md.fields["报告人"]) == (
        "淘金社区",
        "2024-01-16",
        "淘金社区居民代表会议",
        "社区居委会主任 林晓燕",
    )
    assert [p.text[:6] for p in r.preamble][:1] == ["各位居民代表"]
    shown = CliRunner().invoke(main, ["outline", str(GENRE / "zzb-community-report.txt")]).output
    assert "speaker: 社区居委会主任 林晓燕" in shown and "meeting: 淘金社区居民代表会议" in shown
    q = [(x.raw, x.label, x.unit) for x in r.quantities]
    assert ("4.6个百分点", "重点人群家庭医生签约率", "百分点") in q
    assert ("720单", "提供服务", "单") in q and ("1,600余根", "更换老旧燃气胶管", "根") in q
    assert ("6家", "家政企业", "家") in q
    from kg.parsing.coverage import number_coverage

    assert "1.2" not in [u[2] for u in number_coverage(r, []).unaccounted]


def test_a_name_alone_under_a_shuzhi_title():
    """…街道办事处主任2023年度述职述廉报告 / 王海涛: the name is the speaker's (it was the motto)."""
    r = parse_report(
        "青岛市市南区八大峡街道办事处主任2023年度述职述廉报告\n王海涛\n(2024年1月10日)\n"
        "一、2023年工作回顾\n(一)学习\n1.加强学习。参加学习12次。\n",
        "x",
    )
    assert r.metadata.fields["报告人"] == "王海涛" and not r.metadata.motto and not r.preamble


def test_a_year_in_chinese_numerals_before_a_figure():
    """由二〇一八年的四十二亿元增加到六十一亿元 (a town's report writes its years in numerals): the
    first figure is of 2018, both are labelled 地区生产总值 (they were 地区生产总值由二〇一八年的)."""
    r = parse_report(
        "周庄镇2024年政府工作报告\n一、2019—2023年工作回顾\n（一）综合实力稳步提升。"
        "地区生产总值由二〇一八年的四十二亿元增加到六十一亿元。\n二、2024年工作计划\n（一）民生。新建食堂2家。\n",
        "x",
    )
    assert [(q.raw, q.label, q.period) for q in r.quantities][:2] == [
        ("四十二亿元", "地区生产总值", "2018"),
        ("六十一亿元", "地区生产总值", None),
    ]


def test_second_review_of_the_new_rules():
    """注:1.“两张网”:… then 2.“三长联动”:… are two notes (the second was a work item); 注1﹕ (a small
    colon, NFKC :) crashed the parse; 共建项目 keeps 共 (共建成 does not); 前言 under a 述职 title
    is no name; 关于社区工作情况, 智慧社区2023年建设情况 are no community's report."""
    r = parse_report(
        "某某街道2023年工作总结\n一、2023年工作回顾\n(一)党建引领\n1.深化党建。全年开展活动12次,新增共建项目12个。\n"
        "注:1.“两张网”:指政务服务一网通办和城市运行一网统管。\n2.“三长联动”:指街长、路长、楼长联动机制。\n",
        "x",
    )
    assert [(n.number, n.term) for n in r.notes] == [(1, "两张网"), (2, "三长联动")]
    assert [q.label for q in r.quantities] == ["活动", "共建项目"]
    small = parse_report(
        "某某街道2023年工作总结\n一、2023年工作回顾\n(一)党建引领\n1.深化党建。全年开展活动12次。\n注释:\n"
        "注1\ufe55“一岛一策”,指每个小区一套方案。\n",
        "x",
    )
    assert [(n.number, n.term) for n in small.notes] == [(1, "一岛一策")]
    preface = parse_report(
        "某某街道办事处主任2023年度述职报告\n前言\n一、2023年工作回顾\n(一)经济发展\n全年税收3亿元。\n", "x"
    )
    assert "报告人" not in preface.metadata.fields
    for title in ("某某街道关于社区工作情况的报告", "莲花街道智慧社区2023年建设情况"):
        r = parse_report(title + "\n一、2023年工作回顾\n(一)经济发展\n1.招商。引进企业5家。\n", "x")
        assert r.metadata.place in ("某某街道", "莲花街道"), title


NUMERIC = (
    "街道2023年工作报告\n一、2023年工作回顾\n(一)城市管理\n{}\n二、2024年工作安排\n(一)城市治理\n完善“1+3+N”体系。\n"
)


def test_a_numeric_shorthand_with_n_lists_its_parts_and_one_report_gives_them(tmp_path):
    """“1+3+N”(即1个…、3个…、N个…): three parts counting 1, 3 and no fixed number (no count, no
    stated total). Two reports defining it otherwise: each states its definition, and the parts
    are those of the definition the glossary shows (the first by text), never a mix of both."""
    a, b = tmp_path / "jiefangbei.txt", tmp_path / "shijing.txt"
    a.write_text(
        "解放碑" + NUMERIC.format("构建“1+3+N”（即1个街道指挥中心、3个片区工作站、N个网格服务点）治理体系。"),
        encoding="utf-8",
    )
    b.write_text(
        "石井" + NUMERIC.format("打造“1+3+N”(即1个旅游服务中心、三条精品线路和N个农家乐)旅游格局。"), encoding="utf-8"
    )
    out = tmp_path / "dist"
    res = CliRunner().invoke(main, ["build", str(a), str(b), "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["shacl"]["violations"] == 0
    env = {"KG_DIST": str(out)}
    entry = json.loads(CliRunner().invoke(main, ["define", "1+3+N", "--json"], env=env).stdout)
    assert entry["definition"]["zh"] == "1个旅游服务中心、三条精品线路和N个农家乐"
    assert [(c["label"]["zh"], c["count"]) for c in entry["components"]] == [
        ("旅游服务中心", 1),
        ("精品线路", 3),
        ("农家乐", None),
    ]
    assert "xN" in CliRunner().invoke(main, ["define", "1+3+N"], env=env).output
    ds = Dataset()
    ds.parse(out / "dataset.nq", format="nquads")
    term = URIRef("https://w3id.org/nanmatou/term/1-3-n")
    assert len(set(union(ds).objects(term, SKOS.definition))) == 2  # each report's words
    assert not list(union(ds).objects(term, NMT.statedCount))
    args = ["query", "term-components", "--param", "term=1+3+N", "--format", "json"]
    rows = json.loads(CliRunner().invoke(main, args, env=env).stdout)["results"]["bindings"]
    assert [r.get("count", {}).get("value") for r in rows] == ["1", "3", None]  # N: no count


def test_curate_drafts_a_numeric_shorthand_s_parts_with_their_counts(tmp_path):
    """The stub lists 1+3+N's parts with 1, 3 and null (no fixed number); filled in, it builds."""
    import shutil

    from kg.resources import CURATION

    cur = tmp_path / "curation"
    shutil.copytree(CURATION, cur)
    src = tmp_path / "jiefangbei.txt"
    src.write_text("解放碑" + NUMERIC.format("构建“1+3+N”（即1个指挥中心、3个工作站、N个服务点）体系。"), "utf-8")
    assert CliRunner().invoke(main, ["curate", str(src), "--curation", str(cur)]).exit_code == 0
    stub = cur / "reports" / "jiefangbei.yaml"
    text = stub.read_text(encoding="utf-8")
    assert '{label: {zh: "服务点", en: ""}, count: null}' in text and '{zh: "工作站", en: ""}, count: 3}' in text
    stub.write_text(text.replace('en: ""\n    type: ""', 'en: "1+3+N"\n    type: "slogan"', 1), "utf-8")
    res = CliRunner().invoke(main, ["build", str(src), "--curation", str(cur), "--out", str(tmp_path / "d"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["shacl"]["violations"] == 0
    env = {"KG_DIST": str(tmp_path / "d")}
    entry = json.loads(CliRunner().invoke(main, ["define", "1+3+N", "--json"], env=env).stdout)
    assert entry["status"] == "curated" and [c["count"] for c in entry["components"]] == [1, 3, None]


# -- zzc, zzd, zze: parts numbered 1、, a WeChat article, a page's index table above the title -----


def test_zzc_parts_numbered_in_digits_and_points_under_an_item():
    """1、2023年主要工作完成情况 / 2、存在的问题和不足 / 3、2024年工作思路 are the parts (the report
    was refused: no part heading), their (1) paragraphs the items, and ① paragraphs under
    (3)城市建设提质增效。 its points, not its siblings."""
    r = parse_file(GENRE / "zzc-digit-parts.txt")
    assert [(p.title, p.kind) for p in r.parts] == [
        ("2023年主要工作完成情况", "review"),
        ("存在的问题和不足", "other"),
        ("2024年工作思路", "plan"),
    ]
    items = r.parts[0].sections[0].initiatives
    assert len(items) == 8 and items[2].title == "城市建设提质增效"
    points = ["城中村改造攻坚推进", "老旧小区改造扎实开展", "城市管理精细有序"]
    assert [e.title for e in items[2].enumerations] == points
    assert [i.title for i in r.parts[2].sections[0].initiatives][:2] == ["坚持党建统领", "坚持项目为王"]
    # The signature above the date at the end: the publisher (no field names one).
    assert r.metadata.publisher == "太原市小店区坞城街道办事处" and r.metadata.issued == "2024-01-08"
    # 1.5万元 or 2.3万 opening a line is no part; nor 1、 with a figure or a sentence.
    text = "甲街道2023年工作总结\n1、2023年主要工作完成情况\n(1)党建引领。召开会议3次。\n2、完成改造3个小区\n"
    assert [p.title for p in parse_report(text, "x").parts] == ["2023年主要工作完成情况"]


def test_zzd_a_wechat_article_s_decoration_byline_and_page_end():
    """▌一、 and 🔸(一) headings (the report was refused), 🔹 paragraphs a list of the plan's work,
    the byline's date the publication's (above the title too), and nothing after -END- (credits,
    往期推荐, 阅读 2186) in the report but its 来源: the publisher."""
    r = parse_file(GENRE / "zzd-wechat-article.txt")
    assert [p.title for p in r.parts] == ["2023年工作回顾", "存在的不足", "2024年工作计划"]
    assert len(r.parts[0].sections) == 8 and r.parts[0].sections[0].title == "党建引领更加有力"
    assert [i.title for i in r.parts[2].sections[0].initiatives] == [
        "坚持党建引领",
        "聚焦主线任务",
        "办好民生实事",
        "强化城市管理",
        "守牢安全底线",
    ]
    md = r.metadata
    assert md.fields["发布时间"] == "2024-01-12" and md.fields["来源"] == "楚古兰街道党工委"
    assert not any(w in r.text[p.start : p.end] for p in r.parts for w in ("往期推荐", "在看", "编辑"))
    assert not any("2186" in q.raw or "18:30" in q.raw for q in r.quantities)
    above = parse_report(
        "原创 龙塔街道 龙塔发布 2025-01-24 19:06 重庆\n\n龙塔街道2025年工作报告\n"
        "一、2024年工作回顾\n(一)经济\n新增企业3家。\n",
        "x",
    )  # the byline above the title, its place without 发表于 (it was the title)
    assert (above.metadata.title, above.metadata.place) == ("龙塔街道2025年工作报告", "龙塔街道")
    assert above.metadata.fields["发布时间"] == "2025-01-24"
    headline = parse_report(
        "重磅！兆麟街道2024年工作报告全文来了\n原创 道里兆麟 道里兆麟 2024-01-26 18:05 发表于黑龙江\n"
        "点击蓝字 关注我们\n编者按：1月25日，会议召开。一起来看👇\n兆麟街道办事处工作报告\nPART 01\n"
        "2023年工作回顾\n(一)经济\n新增企业3家。\n",
        "x",
    )  # the article's headline is not the report's title, nor 编者按 and PART 01 its text
    assert (headline.metadata.title, headline.metadata.fields["发布时间"]) == ("兆麟街道办事处工作报告", "2024-01-26")
    assert not headline.preamble and [p.title for p in headline.parts] == ["2023年工作回顾"]


def test_zze_a_page_s_index_table_above_the_title():
    """索 引 号:… 发布机构:… 生成日期:… 有 效 性:… above the title: the page's fields, not the title
    (the title was 索 引 号…, the real one a part, and 二、存在的问题 a section)."""
    r = parse_file(GENRE / "zze-index-above-title.txt")
    md = r.metadata
    assert md.title == "张掖路街道2024年工作总结和2025年工作计划" and md.place == "张掖路街道"
    assert md.fields["发布机构"] == "兰州市城关区张掖路街道办事处" and md.fields["索引号"] == "620102-ZYL-2025-000016"
    assert [(p.title, p.kind) for p in r.parts] == [
        ("2024年工作总结", "review"),
        ("存在的问题", "other"),
        ("2025年工作计划", "plan"),
    ]


# -- zzf, zzg: 一、title。text under 第二部分; a part's work enumerated in one paragraph --------------


def test_zzf_sections_with_their_text_and_points_that_are_items():
    """一、全力做强白酒首位产业。一是推动… under 第二部分: a section (it was the part's text: 0
    sections); a paragraph of points (一是基础设施加快完善。…;二是…) is one item a point (its first
    point was the item and every point its sub-item); a town's livestock counts in 头."""
    r = parse_file(GENRE / "zzf-town-sentence-sections.txt")
    plan = r.parts[1]
    assert [s.title for s in plan.sections][:2] == ["全力做强白酒首位产业", "全力推进乡村振兴"]
    assert [i.title for i in plan.sections[0].initiatives] == [
        "推动鸭溪窖酒公司二期技改项目开工建设",
        "引进白酒及配套企业3家以上",
        "建成有机高粱基地6万亩",
    ]
    assert [i.title for i in r.parts[0].sections[2].initiatives] == [
        "基础设施加快完善",
        "人居环境持续改善",
        "生态保护成效明显",
    ]
    q = {(x.raw, x.unit, x.label) for x in r.quantities}
    assert ("3.2万头", "头", "出栏生猪") in q and ("9.2万剂次", "剂次", "接种新冠疫苗") in q


def test_zzg_a_secretary_s_report_whose_plan_is_one_paragraph_of_points():
    """六、下一步工作打算 / …重点抓好以下工作:一是强化理论武装,…;二是…: five work items (the part
    had none); the place under 中共…区委中华北路街道工作委员会 is 中华北路街道 (it was 委中华北路街道)."""
    r = parse_file(GENRE / "zzg-secretary-enumerated-plan.txt")
    assert r.metadata.place == "中华北路街道"
    plan = r.parts[-1]
    assert (plan.title, plan.kind) == ("下一步工作打算", "plan")
    assert [i.title for i in plan.sections[0].initiatives] == [
        "强化理论武装",
        "深化党建引领基层治理",
        "聚力经济发展",
        "办好民生实事",
        "从严管党治党",
    ]


def test_zzh_a_pdf_copy_whose_full_lines_end_with_a_semicolon():
    """A full line ending with ; goes on when the next opens no item (发放临时救助资金64.2万元 was an
    item of its own); — 1 — lines are pages, and the signature the publisher."""
    r = parse_file(GENRE / "zzh-pdf-semicolon-wraps.txt")
    titles = [i.title for p in r.parts for s in p.sections for i in s.initiatives]
    assert "发放临时救助资金64.2万元" not in titles and "新增“四上”企业8家" not in titles
    assert r.metadata.publisher == "解放街道办事处"
    from kg.curation import load_curation
    from kg.parsing.coverage import PAGE, number_coverage
    from kg.resources import CURATION

    cov = number_coverage(r, load_curation(CURATION).ignored_numbers)
    assert cov.ignored[PAGE] == 4 and not cov.unaccounted


def built_alone(tmp_path: Path, name: str, text: str) -> dict[str, str]:
    """Build ``text`` (saved as ``name``) alone: no SHACL violation; the env that reads the build."""
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "d"), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["shacl"]["violations"] == 0
    # The packaged report's labels are kept to its subdistrict: none is unused in a build without it.
    assert report["unused_quantity_labels"] == []
    return {"KG_DIST": str(tmp_path / "d")}


def define_json(env: dict[str, str], term: str) -> dict:
    """``kg define TERM --json`` on the build ``env`` reads."""
    return json.loads(CliRunner().invoke(main, ["define", term, "--json"], env=env).stdout)


def test_a_note_of_two_headwords_gives_both_terms_its_definition(tmp_path):
    """kg define 路长制 after 5.“街长制”“路长制”:指…: the official note (it was a candidate with none)."""
    env = built_alone(
        tmp_path,
        "donghu.txt",
        "东湖街道2023年工作总结\n一、2023年工作回顾\n(一)城市管理\n推行“街长制”“路长制”,全年巡查1200次。\n"
        "名词解释\n5.“街长制”“路长制”：指由街道负责人担任街长、路长的管理制度。\n",
    )
    for term in ("街长制", "路长制"):
        entry = define_json(env, term)
        assert entry["definition_source"] == "official" and entry["definition"]["zh"].startswith("指由街道负责人")


def test_a_mention_before_the_first_part_is_said_to_be_there(tmp_path):
    """A term used in the opening text (before 一、) is located there, not in "the title and header"."""
    src = tmp_path / "opening.txt"
    src.write_text(
        "东湖街道2023年工作总结\n2023年,街道深化“网格+”治理模式,各项工作取得新成效。\n"
        "一、2023年工作回顾\n(一)城市管理\n推广“网格+”经验,新增网格12个。\n",
        encoding="utf-8",
    )
    out = tmp_path / "d"
    assert CliRunner().invoke(main, ["build", str(src), "--out", str(out)]).exit_code == 0
    shown = CliRunner().invoke(main, ["define", "网格+"], env={"KG_DIST": str(out)}).output
    assert "before the first part (title, header, opening text)" in shown and "title and header" not in shown


def test_a_note_of_a_numeric_shorthand_gives_its_parts(tmp_path):
    """[1]“1+3+N”工作体系:“1”指以党建引领为核心,“3”指…三项重点任务,“N”指若干个…品牌: three parts
    counting 1, 3 and no fixed number (the note gave none); 指1个…、5个…、X个…: as in the text;
    指“3”个平台、“4”项机制…: the numbers quoted."""
    env = built_alone(
        tmp_path,
        "huizhan.txt",
        "会战街道2022年工作总结\n一、2022年工作回顾\n(一)党建\n落实“1+3+N”[1]工作体系,推行“1+5+X”[2]机制,深化“3451”[3]工作法。\n"
        "注释:\n[1]“1+3+N”工作体系：“1”指以党建引领为核心，“3”指民生服务、城市管理、平安建设三项重点任务，"
        "“N”指若干个社区特色服务品牌。\n[2]“1+5+X”：指1个企业服务中心、5个片区服务站、X个楼宇服务点。\n"
        "[3]“3451”工作法：指“3”个平台、“4”项机制、“5”类服务、“1”个目标。\n",
    )
    first = define_json(env, "1+3+N")
    assert [(c["label"]["zh"], c["count"]) for c in first["components"]] == [
        ("以党建引领为核心", 1),
        ("民生服务、城市管理、平安建设三项重点任务", 3),
        ("若干个社区特色服务品牌", None),
    ]
    second = define_json(env, "1+5+X")
    assert [c["count"] for c in second["components"]] == [1, 5, None]
    third = define_json(env, "3451")  # each number quoted before its measure word
    assert [(c["label"]["zh"], c["count"]) for c in third["components"]] == [
        ("平台", 3),
        ("机制", 4),
        ("服务", 5),
        ("目标", 1),
    ]


def test_the_speaker_is_stated_in_the_graph(tmp_path):
    """报告人:社区居委会主任 林晓燕: the report prov:wasAttributedTo an agent with that label."""
    from rdflib.namespace import PROV, RDFS

    out = tmp_path / "d"
    res = CliRunner().invoke(main, ["build", str(GENRE / "zzb-community-report.txt"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    ds = Dataset()
    ds.parse(out / "dataset.nq", format="nquads")
    g = union(ds)
    rep = URIRef("https://w3id.org/nanmatou/report/zzb-community-report")
    agents = list(g.objects(rep, PROV.wasAttributedTo))
    assert len(agents) == 1 and (agents[0], RDF.type, PROV.Agent) in g
    assert [str(o) for o in g.objects(agents[0], RDFS.label)] == ["社区居委会主任 林晓燕"]


def test_notes_named_before_their_comma_parts_in_words_and_a_signature_under_the_glossary(tmp_path):
    """注1:“3451”企业服务工作法,指… defines (it was unplaced: no colon); “1”即… gives parts as “1”指…
    does; a part's aside in brackets stays out of it and its 、 part no parts; a shorthand in words
    gives the parts its note lists (三张清单, 三个一批 counting three: it counted four), and one piece is
    none (一村一品); the signature and date under the last note end it (they were its text)."""
    text = (
        "东河坝社区2023年工作总结\n一、2023年工作回顾\n(一)党建\n落实“3451”企业服务工作法,推行“1+3+N”模式,"
        "建立“三张清单”,推进“三个一批”,发展“一村一品”。\n名词解释:\n"
        "注1：“3451”企业服务工作法，指“3”个服务层级（街道、社区、楼宇）、“4”项服务清单（政策清单、诉求清单）、"
        "“5”个工作日内答复、“1”套闭环评价机制。\n"
        "注2：“1+3+N”：“1”即社区党委，“3”即社区居委会、社区服务站、社区业委会，“N”即驻区单位等多元主体。\n"
        "注3：“三张清单”：即需求清单、资源清单、项目清单。\n"
        "注4：“三个一批”：指通过依法处理化解一批、帮扶救助化解一批、教育疏导化解一批，推动矛盾纠纷实质性化解。\n"
        "注5：“一村一品”：指在一定区域范围内，以村为基本单位，发展一个或几个主导产品。\n"
        "\n东河坝社区居民委员会\n2024年1月8日\n"
    )
    r = parse_report(text, "x")
    assert not r.unplaced and [n.term for n in r.notes] == ["3451", "1+3+N", "三张清单", "三个一批", "一村一品"]
    parts = {n.term: [(p[0], p[3]) for p in n.parts] for n in r.notes}
    assert parts["3451"] == [("服务层级", 3), ("服务清单", 4), ("工作日内答复", 5), ("闭环评价机制", 1)]
    assert [p[1] for p in parts["1+3+N"]] == [1, 3, None] and parts["1+3+N"][0][0] == "社区党委"
    assert parts["三张清单"] == [("需求清单", 1), ("资源清单", 1), ("项目清单", 1)]
    assert [p[0] for p in parts["三个一批"]] == ["通过依法处理化解一批", "帮扶救助化解一批", "教育疏导化解一批"]
    assert parts["一村一品"] == [] and r.notes[-1].definition.endswith("主导产品。")
    assert r.metadata.fields["署名"] == "东河坝社区居民委员会" and r.metadata.issued == "2024-01-08"
    env = built_alone(tmp_path, "donghe.txt", text)
    shown = [(c["label"]["zh"], c["count"]) for c in define_json(env, "三个一批")["components"]]
    assert shown == [("通过依法处理化解一批", 1), ("帮扶救助化解一批", 1), ("教育疏导化解一批", 1)]
    from kg.parsing.numerals import stated_count

    assert (stated_count("三个一批"), stated_count("四同四送")) == (3, 8)


def test_one_character_in_quotes_is_emphasis(tmp_path):
    """冰雪经济“火”出圈: no unclassified quote, no candidate term (the build report listed 火)."""
    src = tmp_path / "zhaolin.txt"
    src.write_text("兆麟街道2024年工作报告\n一、2024年工作回顾\n(一)冰雪经济“火”出圈\n推出产品12个。\n", "utf-8")
    res = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "d"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["sources"][0]["unclassified_quotes"] == []


def test_definitions_after_a_term_s_words_and_abbreviations_spelled_out(tmp_path):
    """“三单式”服务,即…; “五个一”活动。即…: defined, with their parts (they were not); QFLP(合格境外
    有限合伙人), and 智慧城市运行中心(IOC) the name first: candidate terms defined in the text, found by
    `kg define` and `kg search` (they were none); 5G and a quoted term are no abbreviations."""
    text = (
        "金贸街道2024年工作报告\n一、2024年工作回顾\n(一)党建\n推行“三单式”服务，即群众点单、社区派单、党员接单。"
        "开展“五个一”活动。即每名代表联系一户困难家庭、参加一次视察调研、提出一条建议、办好一件实事、撰写一篇体会，取得实效。\n"
        "(二)经济\n推动QFLP（合格境外有限合伙人）试点企业落户4家，建成5G（第五代移动通信）基站12个。\n"
    )
    r = parse_report(text, "x")
    got = {d.term: (d.definition, [p[0] for p in d.parts]) for d in r.definitions}
    assert got["三单式"] == ("群众点单、社区派单、党员接单", ["群众点单", "社区派单", "党员接单"])
    assert len(got["五个一"][1]) == 5 and got["QFLP"] == ("合格境外有限合伙人", []) and "5G" not in got
    env = built_alone(tmp_path, "jinmao.txt", text)
    shown = define_json(env, "QFLP")
    assert shown["definition"]["zh"] == "合格境外有限合伙人" and shown["mentions_total"] == 1
    res = CliRunner().invoke(main, ["search", "qflp", "--json"], env=env)
    assert json.loads(res.stdout)["results"][0]["label"]["zh"] == "QFLP"
    named = parse_report(
        text.replace(
            "推动QFLP（合格境外有限合伙人）",
            "全社会研发投入（R&D）强度达3%,建成智慧城市运行中心（IOC）,推动QFLP（合格境外有限合伙人）",
        ),
        "x",
    )  # the name first: its abbreviation after it, the name without the words that lead into it
    got = {d.term: d.definition for d in named.definitions}
    assert (got["R&D"], got["IOC"]) == ("研发投入", "智慧城市运行中心")


def test_english_names_keep_their_spaces_and_stay_out_of_figure_labels(tmp_path):
    """南头古城(Nantou Ancient City)全年接待游客860万人次: the figure's label is 南头古城全年接待游客 (it
    was 南头古城(NantouAncientCity)…); “Nantou Ancient City”小程序 a candidate with its name as written,
    found by `kg define` with or without spaces; 深圳城市\\建筑双城双年展(UABB) the name whole (建筑…)."""
    text = (
        "南头街道2023年工作总结\n一、2023年工作总结\n(一)文旅融合\n南头古城(Nantou Ancient City)全年接待游客860万人次,"
        "同比增长65.4%。推出“Nantou Ancient City”小程序。深圳城市\\建筑双城双年展(UABB)南头古城展区接待观众32万人次。\n"
    )
    r = parse_report(text, "x")
    assert r.quantities[0].label == "南头古城全年接待游客"
    assert {d.term: d.definition for d in r.definitions}["UABB"] == "深圳城市\\建筑双城双年展"
    env = built_alone(tmp_path, "nantou.txt", text)
    shown = define_json(env, "Nantou Ancient City")
    assert shown["alt_labels"]["zh"] == ["Nantou Ancient City"]  # as written; the label one for every report
    assert define_json(env, "nantou ancient city")["iri"] == shown["iri"]
    # “City Walk” in one report and “CityWalk” in another: one term, one zh label (two were a SHACL
    # violation), the spaced form an alt label
    (tmp_path / "two").mkdir()
    for name, quoted in (("xingzhi.txt", "City Walk"), ("liede.txt", "CityWalk")):
        place = name.split(".")[0].replace("xingzhi", "行知").replace("liede", "猎德")
        (tmp_path / "two" / name).write_text(
            f"{place}街道2023年工作报告\n一、2022年工作回顾\n（一）文旅发展\n1.激活消费场景。推出“{quoted}”线路6条。\n"
            "二、2023年工作安排\n（一）城市管理\n1.推进城市更新。完成老旧小区改造6个。\n",
            encoding="utf-8",
        )
    out = tmp_path / "two" / "d"
    res = CliRunner().invoke(main, ["build", *map(str, sorted((tmp_path / "two").glob("*.txt"))), "--out", str(out)])
    assert res.exit_code == 0, res.output
    walk = define_json({"KG_DIST": str(out)}, "city walk")
    assert walk["label"]["zh"] == "CityWalk" and walk["alt_labels"]["zh"] == ["City Walk"]


def test_a_curated_alt_label_counts_only_in_a_report_of_the_home_subdistrict(tmp_path):
    """长乐街道 builds 应急预案体系 and 15分钟社区生活圈: neither is a mention of Nanmatou's 1+17+27 nor of its
    15分钟服务圈, which are not in the build (1+17+27 took 长乐's 应急预案体系 as its own)."""
    text = (
        "长乐街道2022年工作报告\n一、2022年工作回顾\n（一）安全\n完善应急预案体系，开展演练12次。\n"
        "（二）民生\n打造15分钟社区生活圈，新建睦邻点3个。\n"
    )
    env = built_alone(tmp_path, "changle-2022.txt", text)
    for term in ("1+17+27", "15分钟服务圈"):
        res = CliRunner().invoke(main, ["define", term], env=env)
        assert res.exit_code == 1 and "no glossary entry" in res.output, term
    # …but the term's own label inside such an alt label is its mention: 扫黑除恶 in 扫黑除恶专项斗争,
    # 垃圾分类 in 生活垃圾分类 (passed over with the alt label: no mention)
    liede = tmp_path / "liede"
    liede.mkdir()
    env = built_alone(
        liede,
        "liede-2023.txt",
        "猎德街道2023年工作报告\n一、2022年工作回顾\n（一）平安建设\n1.深化平安建设。深入推进扫黑除恶专项斗争。\n"
        "2.推进生活垃圾分类。居民区生活垃圾分类达标率达到95%。\n",
    )
    assert define_json(env, "扫黑除恶")["mentions_total"] == 1 and define_json(env, "垃圾分类")["mentions_total"] == 2


def test_a_note_s_headword_as_written_finds_its_term(tmp_path):
    """1.“1234”工作法:指…: `kg search 1234工作法` and `kg define 两新组织` find the notes' terms (No match,
    and no glossary entry, before: the words after the quotes were no label)."""
    text = (
        "某某街道2023年工作报告\n一、2023年工作回顾\n(一)治理\n推广“1234”工作法。培育“两新”组织12家。\n名词解释：\n"
        "1.“1234”工作法：指1个平台、2张清单、3支队伍、4步闭环。\n2.“两新”组织：指新经济组织和新社会组织。\n"
    )
    env = built_alone(tmp_path, "mou-2023.txt", text)
    res = CliRunner().invoke(main, ["search", "1234工作法", "--json"], env=env)
    assert json.loads(res.stdout)["results"][0]["label"]["zh"] == "1234"
    assert define_json(env, "两新组织")["label"]["zh"] == "两新"


def test_two_reports_writing_a_note_s_headword_in_full_and_half_width_build_together(tmp_path):
    """“１５分钟便民生活圈” in one report's note and “15分钟便民生活圈” in another's: one term labelled in
    NFKC form (the build failed: two prefLabels in zh, a SHACL violation)."""
    note = "名词解释：\n1.“{0}”：指步行15分钟可达的生活圈。\n"
    a = "某某街道2023年工作报告\n一、2023年工作回顾\n(一)民生\n建设“{0}”3个。\n" + note
    (tmp_path / "a-2023.txt").write_text(a.format("１５分钟便民生活圈"), encoding="utf-8")
    (tmp_path / "b-2023.txt").write_text(a.replace("某某", "另一").format("15分钟便民生活圈"), encoding="utf-8")
    out = tmp_path / "d"
    res = CliRunner().invoke(
        main, ["build", str(tmp_path / "a-2023.txt"), str(tmp_path / "b-2023.txt"), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert define_json({"KG_DIST": str(out)}, "15分钟便民生活圈")["label"]["zh"] == "15分钟便民生活圈"


def test_a_short_name_given_in_the_text_is_defined_by_the_name(tmp_path):
    """新时代文明实践站(以下简称“实践站”): 实践站 a candidate defined by its name (it had no
    definition), and no figure's label carries the bracket (…实践站(以下简称“实践站”)开展…)."""
    text = (
        "行知街道2023年工作报告\n一、2023年工作回顾\n(一)文明实践\n依托新时代文明实践站（以下简称“实践站”）"
        "开展理论宣讲420场。“实践站”全年服务群众2.3万人次。\n"
    )
    r = parse_report(text, "x")
    assert {d.term: d.definition for d in r.definitions}["实践站"] == "新时代文明实践站"
    assert r.quantities[0].label == "依托新时代文明实践站开展理论宣讲"
    env = built_alone(tmp_path, "xingzhi.txt", text)
    assert define_json(env, "实践站")["definition"]["zh"] == "新时代文明实践站"


def test_a_term_written_in_traditional_characters_is_found_by_simplified_ones(tmp_path):
    """A report in traditional characters quotes “兩委” and “六亂”: `kg define 两委` and `kg search
    六乱` find them (define said "no glossary entry … Did you mean: 兩委?"); labels stay as written."""
    text = "營盤街道2022年工作總結\n一、2021年工作回顧\n(一)黨建\n加強“兩委”建設,整治“六亂”問題120處。\n"
    env = built_alone(tmp_path, "yingpan.txt", text)
    assert define_json(env, "两委")["label"]["zh"] == "兩委"
    res = CliRunner().invoke(main, ["search", "六乱", "--json"], env=env)
    assert json.loads(res.stdout)["results"][0]["label"]["zh"] == "六亂"


# -- zzj: a report in traditional characters ---------------------------------------------------------


def test_zzj_a_report_in_traditional_characters_is_read_as_its_simplified_twin():
    """營盤街道…工作報告 (a 繁體 copy): parts, sections, a table of projects, figures in 億元 and 萬,
    notes with their parts, all read as in a simplified report (39 figures were found, no note, no
    table: 回顧, 億, 達到, 名詞解釋 were missed); every string as the report writes it."""
    r = parse_file(GENRE / "zzj-traditional-characters.txt")
    assert r.traditional and r.metadata.place == "營盤街道"
    assert r.metadata.fields["报告人"] == "營盤街道辦事處主任 趙文斌"  # the field's name is the parser's
    assert [(p.kind, p.year) for p in r.parts] == [("review", "2021"), ("other", None), ("plan", "2022")]
    assert r.parts[0].sections[0].title == "經濟發展穩中有進"
    projects = [i.title for i in r.parts[2].sections[3].initiatives if i.kind == "project"]
    assert projects == ["老舊小區改造", "社區養老服務", "口袋公園", "停車設施", "便民市場"]
    got = {q.raw: (q.value, q.unit, q.label) for q in r.quantities}
    assert got["４．８６億元"] == (486000000, "元", "稅收收入") and got["２３６８戶"] == (2368, "戶", "市場主體")
    assert got["１１４．４％"][2] == "城鎮新增就業(完成率)"  # a label the parser makes, in the report's characters
    assert len(r.quantities) > 100
    from kg.curation import load_curation
    from kg.parsing.coverage import number_coverage
    from kg.resources import CURATION

    # 100週年, 80歲以上, 序號 1 2 3: accounted for as in simplified characters; 平均年齡下降６．２歲 a figure
    unaccounted = number_coverage(r, load_curation(CURATION).ignored_numbers).unaccounted
    assert unaccounted == [] and got["６．２歲"] == (Decimal("-6.2"), "歲", "班子平均年齡(下降)")
    assert [(n.term, [p[0] for p in n.parts][:2]) for n in r.notes][1:] == [
        ("六亂", ["亂搭亂建", "亂堆亂放"]),
        ("四早", ["早發現", "早報告"]),
    ]


def test_zzj_a_traditional_report_s_terms_and_figures_are_found_by_simplified_words(tmp_path):
    """`kg define 六乱`, `kg metrics 税收` find 六亂 and 稅收收入; a curated term written in traditional
    characters (三會一代理) is mentioned, and its work item aligned by the curation's keywords."""
    text = (GENRE / "zzj-traditional-characters.txt").read_text(encoding="utf-8")
    text = text.replace("紮實開展黨史學習教育，", "紮實開展黨史學習教育，深化“三會一代理”機制，", 1)
    env = built_alone(tmp_path, "yingpan-2022.txt", text)
    shown = define_json(env, "六乱")
    assert shown["label"]["zh"] == "六亂" and [c["label"]["zh"] for c in shown["components"]][:1] == ["亂搭亂建"]
    assert define_json(env, "三会一代理")["mentions_total"] == 1
    res = CliRunner().invoke(main, ["metrics", "税收", "--json"], env=env)
    assert "稅收收入" in {q["label"]["zh"] for q in json.loads(res.stdout)["results"]}
    g = Graph().parse(tmp_path / "d" / "graph.nt")
    item = next(g.subjects(DCTERMS.title, Literal("紮實開展黨史學習教育", lang="zh")))
    assert g.value(item, NMT.primaryDimension) == URIRef("https://w3id.org/nanmatou/dimension/red")  # 党建 keywords


def test_a_simplified_report_s_term_is_its_own_beside_a_traditional_one(tmp_path):
    """六乱 defined by a simplified report and 六亂 by a traditional one: the simplified report's mentions
    are of its own 六乱 (they went to 六亂, the traditional label's simplified alias winning the tie),
    and `kg define 六亂` shows the traditional report's term (it showed 六乱's). The traditional
    report's 六亂 in its text counts for 六乱 too (one matcher reads its simplified twin)."""
    trad = (GENRE / "zzj-traditional-characters.txt").read_text(encoding="utf-8")
    simp = (
        "猎德街道2023年工作总结\n一、2023年工作总结\n（一）城市管理\n整治“六乱”问题120处。\n名词解释：\n"
        "1.“六乱”：指乱摆卖、乱张贴、乱拉挂、乱停放、乱堆放、乱搭建。\n"
    )
    (tmp_path / "yingpan-2022.txt").write_text(trad, encoding="utf-8")
    (tmp_path / "liede-2023.txt").write_text(simp, encoding="utf-8")
    out = tmp_path / "d"
    res = CliRunner().invoke(
        main, ["build", str(tmp_path / "yingpan-2022.txt"), str(tmp_path / "liede-2023.txt"), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    shown = define_json({"KG_DIST": str(out)}, "六乱")
    assert shown["label"]["zh"] == "六乱" and "liede-2023" in {m["report"] for m in shown["mentions"]}
    assert define_json({"KG_DIST": str(out)}, "六亂")["definition"]["zh"].startswith("指亂搭亂建")


def test_simplified_reports_are_not_read_as_traditional():
    """The packaged report and every simplified fixture are not traditional (a quoted 兩委 in one
    is no reason); the first look's characters are traditional-only and map to their pairs."""
    for path in [DEFAULT_REPORT, *FIXTURES]:
        r = parse_file(path)
        assert r.traditional == (path.name == "zzj-traditional-characters.txt"), path.name
    table = to_simplified()
    assert all(table[t] == s for t, s in zip(COMMON_TRADITIONAL, COMMON_SIMPLIFIED, strict=True) if t != s)
    assert not set(COMMON_TRADITIONAL) & set(table.values())


@given(st.text(alphabet="營盤街道區發展会为爲\n 。1", max_size=40))
def test_a_simplified_twin_has_the_same_length(text):
    assert len(simplified(text)) == len(text)


# -- zzk: a portal page copied whole: the site's name and menu, links and footer ---------------------


def test_zzk_a_portal_page_s_chrome_is_no_title_no_part_and_no_text():
    """广州市天河区人民政府门户网站 / its menu / 猎德街道2023年工作总结和2024年工作计划 / 发布时间:…: the
    title is the report's (it was the site's, the place 天河区); the related links (· 猎德街道2022年
    工作总结和2023年工作计划) are no fourth part, 附件下载:… no text of the last item (it ran over the
    glossary, and note 2's 6个部门 was a 2024 figure)."""
    r = parse_file(GENRE / "zzk-portal-page-chrome.txt")
    assert r.metadata.title == "猎德街道2023年工作总结和2024年工作计划" and r.metadata.place == "猎德街道"
    assert [p.title for p in r.parts] == ["2023年工作总结", "存在的问题", "2024年工作计划"]
    last = r.initiatives()[-1]
    assert r.text[last.start : last.end].endswith("“三公”经费支出只减不增。")
    assert all(q.start < r.body_end for q in r.quantities) and [n.term for n in r.notes][:1] == ["百千万工程"]
    from kg.curation import load_curation
    from kg.parsing.coverage import number_coverage
    from kg.resources import CURATION

    # 浏览次数:2,147, the footer's post code and telephone: no figures of the report, none unaccounted
    unaccounted = [u[2] for u in number_coverage(r, load_curation(CURATION).ignored_numbers).unaccounted]
    assert "2,147" not in unaccounted


# -- zzl: a PDF copy whose section headings come near the page's width ---------------------------------


def test_zzl_headings_near_the_width_and_quotes_over_a_wrap(tmp_path):
    """(一)在古城保护更新上持续用力,打造保护利用新样板 (26 characters of 28): a heading, not the first
    line of the paragraph under it (the section was titled by both, its 2025 targets lost);
    “古建老宅 / 活化利用”, wrapped inside the quotes: a quoted name (it was none), and a note's term
    wrapped in the text (“大数据+网 / 格化+铁脚板”) is mentioned there; the notes read without the
    page's line breaks (their definitions kept them), their parts found over one (1+3+X had none)."""
    r = parse_file(GENRE / "zzl-pdf-headings-near-the-width.txt")
    plan = r.parts[1].sections
    assert [s.title for s in plan][:2] == [
        "在古城保护更新上持续用力,打造保护利用新样板",
        "在文商旅深度融合上持续用力,培育经济增长新引擎",
    ]
    assert all(s.initiatives for s in plan) and "古建老宅活化利用" in {q.text for q in r.quotes}
    # The notes without the page's line breaks, and 1+3+X's parts though “ / X” was wrapped
    assert not any("\n" in n.definition for n in r.notes)
    assert [p[0] for p in r.notes[0].parts] == [
        "古城保护更新这一核心任务",
        "文商旅融合、民生保障、基层治理三大板块",
        "若干年度重点项目",
    ]
    env = built_alone(tmp_path, "pingjiang-2024.txt", (GENRE / "zzl-pdf-headings-near-the-width.txt").read_text())
    assert define_json(env, "大数据+网格化+铁脚板")["mentions_total"] >= 1


# -- zzm: a bilingual copy: English after the headings -----------------------------------------------


def test_zzm_english_after_headings_is_the_title_s_english(tmp_path):
    """一、2021年工作回顾（Review of Work in 2021）: titled 2021年工作回顾, its English the title in en
    (it was part of the zh title, without its spaces); 2022年街道民生实事（Livelihood Projects 2022）
    heads the plan's practical projects (they were items of the section before); 名词解释（Glossary）:
    the glossary (its notes were work items)."""
    r = parse_file(GENRE / "zzm-bilingual-headings.txt")
    assert (r.parts[0].title, r.parts[0].title_en) == ("2021年工作回顾", "Review of Work in 2021")
    projects = r.parts[2].sections[-1]
    assert projects.title == "2022年街道民生实事" and {i.kind for i in projects.initiatives} == {"project"}
    assert len(r.notes) == 5 and "Glossary" not in {d.term for d in r.definitions}  # an English word, no abbreviation
    from kg.curation import load_curation
    from kg.parsing.coverage import number_coverage
    from kg.resources import CURATION

    # Fortune Global 500, Work Plan for 2022, 15-Minute Service Circle: numbers of English words
    assert not number_coverage(r, load_curation(CURATION).ignored_numbers).unaccounted
    built_alone(tmp_path, "xinan-2021.txt", (GENRE / "zzm-bilingual-headings.txt").read_text(encoding="utf-8"))
    g = Graph().parse(tmp_path / "d" / "graph.nt")
    part = URIRef("https://w3id.org/nanmatou/report/xinan-2021/part-1")
    assert {str(t) for t in g.objects(part, DCTERMS.title)} == {"2021年工作回顾", "Review of Work in 2021"}


# -- zzn: a Word copy that lost its numbering: headings are short lines alone ---------------------------


def test_zzn_headings_of_a_copy_that_lost_its_numbering():
    """2023年工作回顾 / … / 经济发展量质齐升 / its paragraphs …: the short lines alone are the sections
    (the parts had none and no work item, and said nothing of it); 存在的问题和不足 between the review
    and the plan is a part (it was the review's closing)."""
    r = parse_file(GENRE / "zzn-numbering-lost.txt")
    assert [p.title for p in r.parts] == ["2023年工作回顾", "存在的问题和不足", "2024年工作安排"]
    review, plan = r.parts[0].sections, r.parts[2].sections
    assert [s.title for s in review][:2] == ["经济发展量质齐升", "城市更新提速增效"] and len(review) == 8
    assert plan[0].title == "聚力文商旅融合,推动经济高质量发展" and len(plan) == 5
    assert all(s.initiatives for s in review + plan)


# -- zzo: a summary by quarters --------------------------------------------------------------------------


def test_zzo_a_summary_by_quarters():
    """一季度:抓开局、稳运行 … 四季度:…, 全年工作亮点, 存在的问题和不足 with no number: six parts, the
    quarters and the highlights reviewing 2023 (the report was refused: "no part headings found")."""
    r = parse_file(GENRE / "zzo-quarterly-summary.txt")
    got = [(p.title, p.kind, p.year) for p in r.parts]
    assert got[0] == ("一季度:抓开局、稳运行", "review", "2023") and len(got) == 6
    assert got[4:] == [("全年工作亮点", "review", "2023"), ("存在的问题和不足", "other", None)]
    assert all(p.sections for p in r.parts[:5])


def test_zzq_a_work_points_plan_in_task_tables():
    """南营门街道2022年工作要点: nine parts each a table of tasks (序号 工作任务 牵头科室 责任单位 完成时限,
    tabs or wide spaces): every part plans 2022 and every row is a work item titled by its task with
    its offices (no work item, parts of no year, rows joined as wrapped prose, labels taking in the
    other columns: 80个 was 经济发展办公室各科室全年's)."""
    r = parse_file(GENRE / "zzq-work-points-task-tables.txt")
    assert {(p.kind, p.year) for p in r.parts} == {("plan", "2022")}
    items = [i for p in r.parts[:8] for s in p.sections for i in s.initiatives]
    assert len(items) == 63
    first = r.parts[1].sections[0].initiatives[0]
    assert (first.title, first.units) == ("完成税收收入4.6亿元", [("lead", "经济发展办公室"), ("lead", "招商中心")])
    got = {q.raw: q.label for q in r.quantities}
    assert got["80个"] == "帮助解决问题"
    assert [(n.number, n.term) for n in r.notes] == [(1, "双报到"), (2, "一制三化")] and not r.warnings


def test_two_tables_side_by_side_label_each_half_by_its_own_first_column():
    """指标名称 完成值 增幅 指标名称 完成值 增幅 (a PDF's two tables side by side): 18.2亿元 is
    社会消费品零售总额(完成值) (it was 地区生产总值's, or the header's words)."""
    text = (
        "乌山街道2023年工作总结\n一、2023年工作总结\n主要指标完成情况：\n"
        "指标名称              完成值       增幅       指标名称              完成值       增幅\n"
        "地区生产总值          62.4亿元     5.6%       社会消费品零售总额    18.2亿元     7.1%\n"
        "固定资产投资          28.7亿元     8.2%       规模工业总产值        41.5亿元     6.3%\n"
    )
    r = parse_report(text, "x")
    got = {q.raw: q.label for q in r.quantities}
    assert got["18.2亿元"] == "社会消费品零售总额(完成值)" and got["6.3%"] == "规模工业总产值(增幅)"
    assert got["62.4亿元"] == "地区生产总值(完成值)"


def test_zzp_a_wechat_post_with_numbered_headings():
    """01 | 抓党建 强引领 … 06 | 转作风 提效能, then 2024年，怎么干？: six parts reviewing 2023, each its
    paragraphs as work items, and the plan of 2024 (the post was refused: "no part headings found");
    the headline's hook (｜这份“成绩单”请查收！) no part of the title. Under 一、 parts the same
    headings are sections."""
    r = parse_file(GENRE / "zzp-wechat-numbered-headings.txt")
    assert r.metadata.title == "杨家坪街道2023年工作报告"
    got = [(p.title, p.kind, p.year, len(p.sections[0].initiatives)) for p in r.parts]
    assert got[0] == ("抓党建强引领", "review", "2023", 4) and len(got) == 7
    assert got[6] == ("2024年,怎么干?", "plan", "2024", 5)
    text = (GENRE / "zzp-wechat-numbered-headings.txt").read_text(encoding="utf-8")
    text = text.replace("01 | 抓党建", "一、2023年工作回顾\n01 | 抓党建", 1)
    parts = parse_report(text, "x").parts
    assert [s.title for s in parts[0].sections][:2] == ["抓党建强引领", "稳经济促发展"] and len(parts) == 2


# -- zzi: a plan-only 工作要点 issued by a notice, its tasks' responsible units ----------------------


def test_zzi_work_points_issued_by_a_notice():
    """关于印发《良渚街道2024年工作要点》的通知: titled by the document it issues; 2.推进重大项目建设。…
    (牵头单位:…;配合单位:…): each task's title span is its title (they were shifted by the bracket's
    length: 市县重点项目建设); 各部门、各社区(村)要对照工作要点… closes; 附件:…(略) and …办公室 2024年3月5日
    印发 are no text (they were the last task's)."""
    r = parse_file(GENRE / "zzi-work-points-responsible.txt")
    assert r.metadata.title == "良渚街道2024年工作要点" and r.metadata.place == "良渚街道"
    items = r.initiatives()
    assert len(items) == 35 and [i.title for i in items[:3]] == ["强化招商引资", "推进重大项目建设", "发展数字经济"]
    assert all(normalise(r.text[i.title_start : i.title_end]) == i.title for i in items)
    last = r.text[items[-1].start : items[-1].end]
    assert last.endswith("(责任单位:便民服务中心)") and len(r.parts[-1].closing) == 1


def test_every_title_s_span_is_its_title():
    """In every fixture, the text a part's, section's or work item's title span selects is its title
    (but the footnote markers a title leaves out)."""
    for path in [DEFAULT_REPORT, *FIXTURES]:
        r = parse_file(path)
        for node in [*r.parts, *(s for p in r.parts for s in p.sections), *r.initiatives()]:
            span = normalise(r.as_written(node.title_start, node.title_end))  # without its markers
            assert node.title in span, (path.name, node.title, span)


def test_a_traditional_report_s_units_are_its_own_characters():
    """平臺 written before 充電樁３０台: the unit is 台 (it was 臺, taken back from 平臺); 隻 is 隻."""
    text = (
        "營盤街道辦事處2022年工作報告\n"
        "各位代表：\n"
        "現在，我代表營盤街道辦事處，向大會報告工作，請予審議。\n"
        "一、2021年工作回顧\n"
        "（一）經濟發展穩中有進\n"
        "1.優化營商環境。建成企業服務平臺，全年為企業解決問題１２０個，新增市場主體２３６８戶，實現稅收收入４．８６億元，同比增長１２．６％。\n"
        "2.推進綠色發展。只要群眾有需要，我們就主動上門服務。新增充電樁３０台，發放滅火器１２００隻，連續３週開展安全檢查。\n"
        "（二）社會事業全面發展\n"
        "1.完善養老服務。新建社區養老服務站３個，為轄區老年人提供助餐服務２．６萬人次。\n"
        "二、2022年工作安排\n"
        "（一）推動經濟高質量發展\n"
        "1.全年力爭實現稅收收入５億元，新增市場主體２０００戶。\n"
    )
    r = parse_report(text, "x")
    assert r.traditional
    got = {q.raw: q.unit for q in r.quantities}
    assert got["３０台"] == "台" and got["１２００隻"] == "隻" and got["２３６８戶"] == "戶"


def test_a_wrapped_list_whose_line_opens_with_its_next_number_goes_on():
    """…办好以下民生实事:1.…惠 / 及…;2.…; / 3.新增公共停车泊位300个;…: one paragraph, its five points
    (the 3. line was a work item, titled 新增公共停车泊位300个;4.…, the item before it lost)."""
    text = (
        "某街道2023年工作报告\n一、2024年工作安排\n（一）凝心聚力优服务。深化“一窗受理、一次办好”改革，新增“就近办”\n"
        "事项20项以上；“三公”经费只减不增，全面完成年度审计整改任务。\n"
        "2024年，我们将重点办好以下民生实事：1.完成4个老旧小区改造，惠\n"
        "及居民约1800户；2.新增老年助餐点2处，助餐服务不少于5万人次；\n"
        "3.新增公共停车泊位300个；4.改造提升口袋公园2处；5.为辖区1\n"
        "500名65周岁以上老人提供免费健康体检。\n"
    )
    items = parse_report(text, "x").parts[0].sections[0].initiatives
    assert [i.title for i in items] == ["深化“一窗受理、一次办好”改革", "我们将重点办好以下民生实事"]
    assert len(items[1].enumerations) == 5


def test_a_note_of_two_headwords_gives_each_its_own_words(tmp_path):
    """①“七有”“五性”:“七有”指…;“五性”指…: `kg define 五性` shows “五性”指… (it showed both)."""
    text = (
        "某街道2023年工作报告\n一、2023年工作回顾\n（一）民生\n1.推进“七有”“五性”①建设。新增养老床位30张。\n名词解释：\n"
        "①“七有”“五性”：“七有”指幼有所育、学有所教、劳有所得；“五性”指便利性、宜居性、安全性。\n"
    )
    env = built_alone(tmp_path, "qiyou.txt", text)
    assert define_json(env, "五性")["definition"]["zh"] == "“五性”指便利性、宜居性、安全性。"
    assert define_json(env, "七有")["definition"]["zh"] == "“七有”指幼有所育、学有所教、劳有所得"
