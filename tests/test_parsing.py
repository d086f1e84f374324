"""The genre parser on the real report and on small reports of our own."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import SourceError
from kg.parsing.report import parse_file, parse_report, read_source
from kg.resources import DEFAULT_REPORT
from kg.text import normalise

SOURCE = Path(__file__).resolve().parent.parent.parent / "shared" / "sources" / "nanmatou-2021-report.txt"


@pytest.fixture(scope="module")
def report():
    return parse_file(DEFAULT_REPORT)


def test_packaged_report_is_byte_for_byte():
    import hashlib

    digest = hashlib.sha256(DEFAULT_REPORT.read_bytes()).hexdigest()
    assert digest == "a28df762fe3f903957f6fb608d4d4e9fc8cc545e1112c1c0b6898407c1c7a000"
    if SOURCE.exists():
        assert SOURCE.read_bytes() == DEFAULT_REPORT.read_bytes()


def test_metadata(report):
    md = report.metadata
    assert md.publisher == "南码头街道"
    assert md.disclosure == "主动公开"
    assert md.issued == "2021-01-21"
    assert md.delivered == "2021-01-15"
    assert md.meeting == "第三届社区代表大会第三次会议"
    assert [m.text for m in md.motto] == ["乘风破浪 扬帆远航", "向着“七彩南码头”的目标奋勇前行"]
    assert md.subtitle and md.subtitle.startswith("在南码头路街道")


def test_structure(report):
    assert [(p.year, p.kind) for p in report.parts] == [("2020", "review"), ("2021", "plan")]
    assert [len(s.initiatives) for s in report.parts[0].sections] == [2, 3, 3, 3, 2, 3, 3]
    plan = report.parts[1]
    assert [i.kind for i in plan.sections[5].initiatives] == ["project"] * 10
    assert len(report.parts[0].closing) == 2 and len(report.parts[1].closing) == 1
    assert not report.unplaced and not report.warnings


def test_every_offset_slices_back(report):
    text = report.text
    for part in report.parts:
        assert normalise(text[part.title_start : part.title_end]) == part.title
        for sec in part.sections:
            assert normalise(text[sec.title_start : sec.title_end]) == sec.title
            for item in sec.initiatives:
                assert normalise(text[item.title_start : item.title_end]) == item.title
    for note in report.notes:
        assert normalise(text[note.term_start : note.term_end]) == note.term
        assert text[note.def_start : note.def_end] == note.definition
    for q in report.quantities:
        assert text[q.start : q.end] == q.raw
    for m in report.markers:
        assert text[m.start : m.end] == str(m.number)


def test_notes_and_markers(report):
    assert [n.number for n in report.notes] == list(range(1, 11))
    assert report.notes[1].suffix == "五级管理体系"
    assert [m.number for m in report.markers] == list(range(1, 11))


GENRE = """二〇二二年某街道工作报告
索引号 | 123 | 发布机构 | 某街道 |
公开类别 | 主动公开 | 发布时间 | 2022/01/20 |
——在某街道社区代表大会上的报告
(2022年1月10日)
各位代表:
一、2021年工作总结
2021年,我们做了以下工作:
(一)
抓党建,引领发展
党建引领全面加强。一是组织“三会制度”学习;二是开展培训12场;三是新建站点3个。
(二)保平安
平安建设扎实推进。推行“五违四必”2整治,全年拆违1.5万平方米,同比下降5%。
这一段没有领句,只是接着上一段说,全年还有“两委”
3
换届。
二、2022年工作计划
(一)办实事
1、 修缮楼道
修缮楼道30个。
2.新建驿站
新建驿站2座。
3 . 更新设备
各位代表:让我们共同努力!
名词解释:
2、“五违四必”:指五类违法行为必须整治。
3.“两委”: 指党组织和居委会。
"""


def test_genre_variations(tmp_path):
    r = parse_report(GENRE, "genre")
    assert r.metadata.issued == "2022-01-20" and r.metadata.delivered == "2022-01-10"
    assert r.metadata.fields["索引号"] == "123"
    assert [(p.year, p.kind) for p in r.parts] == [("2021", "review"), ("2022", "plan")]
    first = r.parts[0].sections[0]
    assert first.title == "抓党建,引领发展"  # heading number alone on its line
    init = first.initiatives[0]
    assert init.title == "党建引领全面加强"
    assert [e.text for e in init.enumerations] == ["一是组织“三会制度”学习", "二是开展培训12场", "三是新建站点3个"]
    projects = r.parts[1].sections[0].initiatives
    assert [p.title for p in projects] == ["修缮楼道", "新建驿站", "更新设备"]
    assert all(p.kind == "project" for p in projects)
    assert len(r.parts[1].closing) == 1
    # Glued marker and marker on the next line, both linked to their notes.
    assert sorted(m.number for m in r.markers) == [2, 3]
    # The paragraph with no lead sentence goes on with the work item before it (nothing dropped).
    assert r.unplaced == []
    safe = r.parts[0].sections[1].initiatives[0]
    assert r.text[safe.start : safe.end].endswith("换届。")
    q = {(qq.raw, qq.unit) for qq in r.quantities}
    assert ("12场", "场") in q and ("1.5万平方米", "平方米") in q and ("30个", "个") in q
    assert not any(qq.raw.startswith("2") and qq.unit == "整治" for qq in r.quantities)
    change = next(qq for qq in r.quantities if qq.unit == "平方米")
    assert change.value == 15000 and change.change_percent == -5 and change.period == "2021"


def test_no_glossary_and_full_width():
    text = "报告\n一、２０１９年工作回顾\n（一）稳增长\n经济运行平稳。全年引进企业８家,税收１２３．４万元。\n"
    r = parse_report(text, "fw")
    assert r.notes == [] and r.markers == []
    assert r.parts[0].year == "2019"
    assert r.parts[0].sections[0].initiatives[0].title == "经济运行平稳"
    values = sorted((str(q.value), q.unit) for q in r.quantities)
    assert values == [("1234000", "元"), ("8", "家")]


def test_not_a_report():
    with pytest.raises(SourceError, match="no part headings"):
        parse_report("这只是一段普通的文字。\n没有任何标题。\n", "x")
    with pytest.raises(SourceError, match="empty"):
        parse_report("\n \n", "x")


def test_unreadable_sources(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        read_source(tmp_path / "missing.txt")
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02PNG")
    with pytest.raises(SourceError, match="binary"):
        read_source(binary)
    latin = tmp_path / "l.txt"
    latin.write_bytes("报告".encode("gb18030"))
    with pytest.raises(SourceError, match="UTF-8"):
        read_source(latin)


LINES = st.sampled_from(
    [
        "一、2020年工作回顾",
        "二、2021年工作要点",
        "(一)严防控",
        "( 七 )提效能",
        "1 . 项目",
        "2、项目",
        "携手共建社区抗疫防线。 全年累计居家隔离669人,同比减少10.79%。",
        "名词解释:",
        "1.“三会一代理”: 指听证会。",
        "3",
        "各位代表:",
        "“五违四必”2整治",
        "一是甲;二是乙。",
        "相关附件:",
        "",
    ]
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=30))
def test_parser_never_crashes_and_offsets_hold(lines):
    text = "\n".join(lines)
    try:
        r = parse_report(text, "fuzz")
    except SourceError:
        return
    for q in r.quantities:
        assert text[q.start : q.end] == q.raw
    for u in r.unplaced:
        assert text[u.start : u.end] == u.text
    for item in r.initiatives():
        assert normalise(text[item.title_start : item.title_end]) == item.title


def test_full_width_punctuation_everywhere():
    text = (
        "报告\n索引号 ｜ 9 ｜ 发布机构 ｜ 某街道 ｜\n一、2020年工作回顾\n（一）稳增长\n"
        "经济平稳。全年引进企业1,200家！新增岗位二十余个；落实“三会一代理”１机制。\n"
        "名词解释：\n1．“三会一代理”：指听证会、协调会、评议会和代理制度。\n"
    )
    r = parse_report(text, "fw")
    assert r.metadata.fields["发布机构"] == "某街道"
    note = r.notes[0]
    assert note.term == "三会一代理" and note.definition.startswith("指听证会")
    assert [m.number for m in r.markers] == [1]
    got = {(str(q.value), q.unit, q.approx) for q in r.quantities}
    assert ("1200", "家", False) in got and ("20", "个", True) in got
    from kg.text import sentence_bounds

    start = text.index("1,200")
    lo, hi = sentence_bounds(text, start, start + 5)
    assert text[lo:hi] == "全年引进企业1,200家！"


def test_marker_line_before_a_heading_does_not_join():
    text = (
        "报告\n一、2020年工作回顾\n(一)甲\n甲项推进。内容“两委”\n2\n(二)乙\n乙项推进。内容。\n"
        "名词解释:\n2.“两委”:指两个委员会。\n"
    )
    r = parse_report(text, "m")
    secs = r.parts[0].sections
    assert [s.title for s in secs] == ["甲", "乙"]
    assert [i.title for i in secs[1].initiatives] == ["乙项推进"]


def test_attachment_word_in_a_body_line_is_kept():
    text = "报告\n一、2020年工作回顾\n(一)甲\n附件材料整理工作有序推进。全年整理档案300件。\n相关附件:\n"
    r = parse_report(text, "a")
    assert [i.title for i in r.parts[0].sections[0].initiatives] == ["附件材料整理工作有序推进"]
    assert [str(q.value) for q in r.quantities] == ["300"]


def test_quantities_of_web_copies_and_changes_without_a_figure():
    """千 after Arabic digits multiplies (2千余个 is 2,000, not 1,000); a percentage after 同比减少
    with no figure before it is the change itself, signed and labelled by what changed; 达
    ("reached") is exact, unlike 约 or 近."""
    text = (
        "报告\n一、2022年工作回顾\n(一)稳就业\n"
        "就业服务。全年新增就业岗位2千余个,投入资金3千万元。\n"
        "平安建设。全年110警情同比减少10.79%,税收同比增长5%。\n"
        "服务群众。解决问题225个,解决率达100%,服务约1.2万人次,走访达47000余人次。\n"
    )
    r = parse_report(text, "w")
    got = {q.raw: (q.value, q.approx, q.change_percent, q.label) for q in r.quantities}
    assert got["2千余个"] == (2000, True, None, "就业岗位")
    assert got["3千万元"][0] == 30_000_000
    assert got["10.79%"] == (Decimal("-10.79"), False, Decimal("-10.79"), "110警情")
    assert got["5%"] == (5, False, 5, "税收")
    assert got["100%"][1] is False and got["100%"][3] == "解决率"
    assert got["1.2万人次"][1] is True and got["47000余人次"][1] is True
    assert not any(q.raw == "千余个" for q in r.quantities)  # not a second, Chinese-numeral reading


def test_a_marker_glued_into_a_work_items_title_is_not_in_its_title():
    text = (
        "报告\n一、2021年工作回顾\n(一)党建引领\n1.深化“三会一代理”1机制。全年召开听证会120场。\n"
        "名词解释:\n1.“三会一代理”: 指听证会、协调会、评议会和群众事务代理制度。\n"
    )
    r = parse_report(text, "m")
    assert [i.title for i in r.initiatives()] == ["深化“三会一代理”机制"]


def test_chinese_file_names_give_pinyin_slugs(tmp_path):
    """Two reports named in Chinese keep apart (their slugs were both 'report', or both '2023')."""
    from kg.parsing.report import source_slug

    assert source_slug(Path("周家渡2023.txt")) == "zhou-jia-du-2023"
    assert source_slug(Path("塘桥2023.txt")) == "tang-qiao-2023"
    assert source_slug(Path("周家渡 2023年 报告 (final).txt")) == "zhou-jia-du-2023-nian-bao-gao-final"
    assert source_slug(Path("nanmatou-2021-report.txt")) == "nanmatou-2021-report"  # ASCII names as before
    assert source_slug(Path("ＺＨＯＵ 2023.txt")) == "zhou-2023"
    assert source_slug(Path("___.txt")) == "report"


# -- a review of the genre work (each once misread) ---------------------------------------------------

HEAD = "龙华街道2023年工作报告\n一、2023年工作回顾\n(一)民生保障\n"


def _quantities(body: str) -> dict[str, tuple]:
    r = parse_report(HEAD + body, "x")
    return {q.raw: (q.value, q.unit, q.approx, q.label) for q in r.quantities}


def test_prose_with_wide_spaces_is_no_table_and_a_cell_is_no_unit():
    """Numbered prose with a few wide spaces stays items and figures; 12月底, 2号楼 are no amounts."""
    body = (
        "1.养老服务更加完善。新增养老床位100张，  全年供餐1500客，  走访困难群众500户。\n"
        "2.社区治理更加精细。新增业委会12个，  召开议事会30次，  化解纠纷80件。\n"
    )
    r = parse_report(HEAD + body, "x")
    assert not r.tables and [i.title for i in r.parts[0].sections[0].initiatives] == [
        "养老服务更加完善",
        "社区治理更加精细",
    ]
    assert len(r.quantities) == 6
    table = "指标\t责任部门\t完成时限\t投资\n老旧小区改造\t建管中心\t12月底\t2号楼\n"
    assert not any(q.unit in ("月底", "号楼") for q in parse_report(HEAD + "全年任务如下:\n" + table, "x").quantities)


def test_a_section_opening_with_we_will_is_no_closing_and_a_table_leaves_the_paragraphs_items():
    body = (
        "我们将坚持党建引领,推动基层治理取得新成效。\n"
        "1.完善居民区治理体系。全年新增议事会12个。\n2.深化物业管理。新增业委会8个。\n"
    )
    r = parse_report(HEAD + body, "x")
    assert not r.parts[0].closing and len(r.parts[0].sections[0].initiatives) == 2
    body = (
        "指标\t2022年\t2023年\n业委会(个)\t10\t12\n推广“三会一代理”经验,力争全覆盖。\n深化物业管理,新增业委会12个。\n"
    )
    sec = parse_report(HEAD + body, "x").parts[0].sections[0]
    assert len(sec.initiatives) == 2 and len(sec.intro) == 1


def test_chinese_figures_ordinals_rough_numbers_decimals_and_short_forms():
    got = _quantities(
        "召开第十二次党代会,开展活动数十场,落实“十二条”措施,失业率控制在百分之三点五以内,"
        "惠及居民三万五人,吸纳就业一千二人,开展志愿服务3000小时的培训,御桥科创园2期竣工交付。\n"
    )
    assert not any(raw.startswith(("十二次", "十二条", "2期")) for raw in got)
    assert got["十场"][2] is True and got["百分之三点五"][0] == Decimal("3.5")
    assert got["三万五人"][0] == 35000 and got["一千二人"][0] == 1200 and got["3000小时"][1] == "小时"


def test_an_ordinary_report_is_no_markdown_and_a_place_keeps_its_name():
    from kg.parsing.markdown import is_markdown

    assert not is_markdown(HEAD + "1.新增床位10张。\n- 2 -\n联系人:__________\n")
    assert parse_report(
        "建设路街道2023年工作报告\n一、2023年工作回顾\n(一)民生\n新增床位10张。\n", "x"
    ).metadata.place == ("建设路街道")


def test_the_past_year_of_a_summary_is_its_year():
    text = (
        "龙华街道2023年工作总结和2024年工作计划\n一、过去一年工作回顾\n(一)民生\n新增床位10张。\n"
        "二、今后一年工作打算\n(一)民生\n新增床位20张。\n"
    )
    r = parse_report(text, "x")
    assert [(p.kind, p.year) for p in r.parts] == [("review", "2023"), ("plan", "2024")]


def test_a_half_width_full_stop_ends_a_sentence_but_not_a_decimal():
    """Copies typed with ASCII punctuation: 示范园3个. names what it counts, 1.5万元 stays a decimal."""
    got = _quantities("新发展猕猴桃种植800亩,建成标准化示范园3个.亩均收益1.5万元,增长12.5%.全年新建幸福院2个.\n")
    assert got["3个"][3] == "标准化示范园" and got["2个"][3] == "幸福院"
    r = parse_report(HEAD + "亩均收益1.5万元,增长12.5%.全年新建幸福院2个.\n", "x")
    q = r.quantities[0]
    assert (q.raw, q.value, q.change_percent) == ("1.5万元", 15000, Decimal("12.5"))


def test_a_growth_over_years_reads_the_same_in_words_and_in_digits():
    """年均增长百分之七点八 is an average growth, as 年均增长7.8% is: no year-on-year change, and
    labelled by it; 较2022年增加近3成 in a report of 2023 is against the year before."""
    for body in ("地区生产总值由42亿元增加到61亿元,年均增长{}。\n", "五年累计增长{}。\n"):
        words = parse_report(HEAD + body.format("百分之七点八"), "x").quantities[-1]
        digits = parse_report(HEAD + body.format("7.8%"), "x").quantities[-1]
        assert (words.value, words.change_percent, words.label) == (digits.value, None, digits.label)
        assert words.label.endswith(("年均增长", "累计增长"))
    q = parse_report(HEAD + "加装电梯46部,较2022年增加近3成。\n", "x").quantities[-1]
    assert (q.raw, q.value, q.change_percent) == ("3成", 30, 30)


def test_counts_of_a_farm_and_chinese_numerals_below_ten_and_tenths_with_a_digit():
    """头/只/羽/剂次/本/微克 are units; 六百八十余万元 is 6,800,000 元 (it was 680 万元); 七个 or 两公里
    ending a clause count (两个发力点 names parts, 二期 is a phase, 前三名 a rank); 一百零八个 is 108;
    一成半 is 15 %, 九成五 95 %."""
    got = _quantities(
        "生猪存栏1.36万头、山羊1.2万只,养鸡10万羽,接种疫苗9.2万剂次,办理残疾证32本,PM2.5每立方米31微克。"
        "发放低保金六百八十余万元,完成老旧小区改造七个,更换供热管网两公里。划分网格一百零八个,"
        "信访总量较上年下降一成半,满意度保持在九成五以上。抓好两个发力点,推进传媒港二期,位居全区前三名。\n"
    )
    assert [got[k][:2] for k in ("1.36万头", "1.2万只", "10万羽", "9.2万剂次", "32本", "31微克")] == [
        (13600, "头"),
        (12000, "只"),
        (100000, "羽"),
        (92000, "剂次"),
        (32, "本"),
        (31, "微克"),
    ]
    assert got["六百八十余万元"][:2] == (6800000, "元") and got["七个"][:2] == (7, "个")
    assert got["两公里"][:2] == (2, "公里") and got["一百零八个"][0] == 108
    assert got["一成半"][0] == -15 and got["九成五以上"][:3] == (95, "%", True)
    assert not {"两个", "二期", "三名"} & set(got)


def test_a_change_in_words_after_a_figure_is_its_change_and_a_sentence_s_year_its_period():
    """三百万人次,同比增长近两成 and 2.15亿元,同比增长百分之八点六: one figure each, with its change
    (the change was a figure of its own); in a part of several years 2020年全乡生猪存栏1.36万头 is of
    2020, labelled without the year (not 2019年以来: since then)."""
    r = parse_report(HEAD + "接待游客三百万人次,同比增长近两成;税收收入2.15亿元,同比增长百分之八点六。\n", "x")
    assert [(q.raw, q.change_percent) for q in r.quantities] == [("三百万人次", 20), ("2.15亿元", Decimal("8.6"))]
    five = "甲镇2021年政府工作报告\n一、过去五年工作回顾\n(一)产业\n"
    five += "2020年全乡生猪存栏1.36万头。2019年以来累计投入3亿元。\n"
    q = parse_report(five, "x").quantities
    assert [(x.label, x.period) for x in q] == [("全乡生猪存栏", "2020"), ("2019年以来累计投入", None)]


def test_a_tab_table_s_empty_cells_keep_the_columns():
    """序号⇥指标名称⇥单位⇥全年目标⇥1-6月完成⇥备注 with 备注 empty (the trailing tab stripped) or a
    cell empty in the middle: rows of the table (they were prose: 48.5⇥25.6 read as 48.525)."""
    body = (
        "主要指标完成情况如下:\n序号\t指标名称\t单位\t全年目标\t1-6月完成\t备注\n"
        "1\t一般公共预算收入\t万元\t36800\t19326\t超序时\n2\t社会消费品零售总额\t亿元\t48.5\t25.6\t\n"
        "3\t新增市场主体\t户\t\t862\t\n"
    )
    r = parse_report(HEAD + body, "x")
    assert len(r.tables) == 1 and len(r.tables[0].rows) == 4
    got = {(q.label, q.value) for q in r.quantities}
    assert ("社会消费品零售总额(全年目标)", Decimal("4850000000")) in got and ("新增市场主体(1-6月完成)", 862) in got
    assert not any("48.525" in q.raw or q.value == Decimal("48.525") for q in r.quantities)


def test_a_note_whose_headword_opens_with_a_digit_is_the_next_note():
    """10．15分钟便民生活圈:指… after note 9 is note 10 (NFKC reads 10.15…: it was note 9's text)."""
    body = (
        "全年新增就业1200人。\n名词解释\n9．“一老一小”：指老年人和婴幼儿群体。\n"
        "10．15分钟便民生活圈：指在步行15分钟范围内满足居民日常生活需求的社区商业圈。\n"
    )
    r = parse_report(HEAD + body, "x")
    notes = r.notes
    assert [(n.number, n.term) for n in notes] == [(9, "一老一小"), (10, "15分钟便民生活圈")]
    assert notes[0].definition == "指老年人和婴幼儿群体。"
    # its headword as written, without the number (the term's label was 10．15分钟便民生活圈: two labels
    # in a corpus where another report's note names it)
    assert r.text[notes[1].term_start : notes[1].term_end] == "15分钟便民生活圈"


def test_closing_words_and_the_signature():
    """各位同志, opens the closing; 新的一年,X街道将…贡献…力量。 closes (no work item); the signature
    above the date is the publisher."""
    body = (
        "1.完成改造3个小区。\n2.新增就业120人。\n各位同志,一年来的成绩来之不易。\n"
        "新的一年,龙华街道将坚定信心、真抓实干,为建设美好家园贡献龙华力量。\n龙华街道办事处\n2024年1月8日\n"
    )
    r = parse_report(HEAD + body, "x")
    assert len(r.parts[0].sections[0].initiatives) == 2 and len(r.parts[0].closing) == 3
    assert r.metadata.publisher == "龙华街道办事处" and r.metadata.issued == "2024-01-08"


def test_a_run_of_named_places_and_a_count_of_people_of_an_age():
    """世茂国际广场、恒隆广场等重点商业综合体招商率分别达到93%和96%: each mall's rate (the first was
    labelled 世茂国际广场 alone); 为1320名80周岁以上老人: the count of those people, not 为."""
    got = _quantities(
        "世茂国际广场、恒隆广场等重点商业综合体招商率分别达到93%和96%。为1320名80周岁以上老人发放高龄津贴96.5万元。\n"
    )
    assert got["93%"][3] == "世茂国际广场(重点商业综合体招商率)" and got["96%"][3] == "恒隆广场(重点商业综合体招商率)"
    assert got["1320名"][3] == "80周岁以上老人"


def test_a_village_s_term_report_and_a_district_s_report():
    """衙口村第十一届村民委员会任期工作报告 / 一、三年来的主要工作 in 2021: the village, a review of
    2018-2020 (it was [other, ?]); a district's 政府工作报告 whose speaker is 东湖区人民政府区长: the
    district (the place was none), named in English as such."""
    village = (
        "衙口村第十一届村民委员会任期工作报告\n（2021年3月16日）\n一、三年来的主要工作\n(一)集体经济\n新建厂房2栋。\n"
    )
    r = parse_report(village, "x")
    assert r.metadata.place == "衙口村" and (r.parts[0].kind, r.parts[0].years) == ("review", ("2018", "2020"))
    under = parse_report("武鸣区罗波镇凤林村村民委员会2024年工作报告\n" + village.split("\n", 2)[2], "x")
    assert under.metadata.place == "凤林村"  # the village under its town (it was 罗波镇)
    district = (
        "政府工作报告\n——2024年1月10日在南昌市东湖区第十七届人民代表大会第四次会议上\n东湖区人民政府区长　刘卫东\n"
    )
    r = parse_report(district + "一、2023年工作回顾\n(一)经济\n新增企业12家。\n", "x")
    assert r.metadata.place == "东湖区"
    from kg.web.reports import place_english

    assert place_english("东湖区", []) == "Donghu District" and place_english("衙口村", []) == "Yakou Village"


def test_points_numbered_inside_a_paragraph():
    """承诺的十件民生实事已全部完成:1.…;2.…;3.…: the item's points (it had none, and 1 2 3 were
    numbers nobody accounted for); 1.5万元;2.3万人: decimals, no run; two are no run either."""
    body = (
        "民生实事全部兑现。年初承诺的实事已全部完成：1.为阳光小区改造管网2.6公里，惠及居民860户；"
        "2.新建智能充电桩96个；3.修缮活动室320平方米。\n"
    )
    r = parse_report(HEAD + body, "x")
    item = r.parts[0].sections[0].initiatives[0]
    assert [e.title for e in item.enumerations] == [
        "为阳光小区改造管网2.6公里,惠及居民860户",
        "新建智能充电桩96个",
        "修缮活动室320平方米",
    ]
    from kg.parsing.coverage import number_coverage

    cov = number_coverage(r, [])
    assert [u[2] for u in cov.unaccounted] == ["2023", "2023"] and cov.ignored[
        "the number of a point numbered inside a paragraph (…:1.…;2.…)"
    ] == 3
    from kg.parsing.lines import Line, enumerations

    for text in ("收入达到:1.5万元;2.3万人参与;3.6%的增长。", "完成:1.甲项;2.乙项。"):
        assert not enumerations(Line(text, 0, len(text), text))


def test_a_community_s_profile_and_its_year_s_work():
    """一、基本情况 (成立于2002年…) is a profile, not a review of 2023; 二、2024年主要工作 in a report of
    2024 whose plan is 2025's is the review of 2024 (it was neither)."""
    text = (
        "燕儿窝街道幸福路社区2024年度工作报告\n一、基本情况\n社区成立于2002年，辖区面积0.86平方公里。\n"
        "二、2024年主要工作\n(一)党建引领\n新建党群服务站2个。\n三、2025年工作计划\n(一)党建\n新建服务站1个。\n"
    )
    r = parse_report(text, "x")
    assert [(p.kind, p.year) for p in r.parts] == [("other", None), ("review", "2024"), ("plan", "2025")]


def test_a_time_of_day_page_lines_and_a_framing_count_of_years():
    """营业时间至22:30的商户: the colon ends no clause (the label was 30的商户), and the coverage
    names 22:30 a time; — 3 — and 第 1 页 共 4 页 are page numbers; 五年来, opens no title."""
    body = "延长营业时间至22:30的商户达到1260家。\n— 3 —\n五年来，全镇累计完成投资2.47亿元。\n第 1 页 共 4 页\n"
    r = parse_report(HEAD + body, "x")
    assert r.quantities[0].label == "延长营业时间至22:30的商户"
    assert [i.title for i in r.parts[0].sections[0].initiatives][-1] == "全镇累计完成投资2.47亿元"
    from kg.curation import load_curation
    from kg.parsing.coverage import PAGE, number_coverage
    from kg.resources import CURATION

    cov = number_coverage(r, load_curation(CURATION).ignored_numbers)
    assert [u[2] for u in cov.unaccounted] == [] and cov.ignored[PAGE] == 3
    assert cov.ignored["a time of day (营业时间至22:30)"] == 2


def test_a_table_of_years_and_the_line_that_leads_it():
    """三年来村集体收支情况如下(单位:万元): / 年度⇥集体经营性收入⇥… / 2018年⇥96.3⇥…: the lead is no
    work item (it was one, titled …如下(单位), and each cell is its column's figure of its row's year
    (it was labelled 2018年(集体经营性收入), of the report's year)."""
    for lead in ("新建厂房2栋。\n", ""):
        table = "年度\t集体经营性收入\t总支出\n2018年\t96.3\t118.2\n2019年\t138.7\t171.9\n"
        body = lead + "三年来村集体收支情况如下（单位：万元）：\n" + table
        r = parse_report(HEAD + body, "x")
        assert not any("如下" in i.title for i in r.parts[0].sections[0].initiatives)
        got = [(q.label, q.period, q.value) for q in r.quantities if q.raw in ("96.3", "171.9")]
        assert got == [("集体经营性收入", "2018", 963000), ("总支出", "2019", 1719000)]


def test_what_a_count_counts_ends_where_something_is_said_of_it():
    """10名机关干部下沉社区担任“第一书记”: 机关干部 (it was cut at 14 characters: …“第一书); 11个社区党委
    全部达到…: 社区党委; 49个物业服务项目中成立…: 物业服务项目; 空置率下降至12%: 空置率 (it was …下)."""
    got = _quantities(
        "选派10名机关干部下沉社区担任“第一书记”，11个社区党委全部达到“五星级”标准，"
        "49个物业服务项目中成立党组织，楼宇平均空置率下降至12%。\n"
    )
    assert [got[k][3] for k in ("10名", "11个", "49个", "12%")] == [
        "机关干部",
        "社区党委",
        "物业服务项目",
        "楼宇平均空置率",
    ]


def test_a_role_named_by_households_is_no_count_of_them():
    """十户长486名: 486 heads of ten households (十户 was 10 户 labelled 长)."""
    got = _quantities("配齐网格长12名、十户长486名,惠及居民860户。\n")
    assert "十户" not in got and got["486名"][3] == "十户长" and got["860户"][:2] == (860, "户")


def test_a_note_of_two_headwords_defines_both():
    """5.“街长制”“路长制”:指… (or “A”、“B”): one note, both terms official (路长制 was a candidate)."""
    body = "推行“街长制”“路长制”,全年巡查1200次。\n名词解释\n"
    body += "5.“街长制”“路长制”：指由街道负责人担任街长、路长的管理制度。\n"
    note = parse_report(HEAD + body, "x").notes[0]
    assert note.terms == ["街长制", "路长制"] and note.definition.startswith("指由街道")
    assert parse_report(HEAD + body.replace("”“", "”、“"), "x").notes[0].terms == ["街长制", "路长制"]


def test_a_level_from_last_year_and_one_below_a_bound():
    """满意率由上年的八成左右提升到九成以上: 八成 is last year's, both labelled 满意率 (they were
    labelled 满意率由上年的); 覆盖率由不足五成提高到80%左右: 五成 is a figure, below it (approximate);
    物业费收缴率不足6成: labelled without 不足."""
    r = parse_report(HEAD + "群众满意率由上年的八成左右提升到九成以上,覆盖率由不足五成提高到80%左右。\n", "x")
    assert [(q.raw, q.label, q.period) for q in r.quantities] == [
        ("八成左右", "群众满意率", "2022"),
        ("九成以上", "群众满意率", "2023"),
        ("五成", "覆盖率", "2023"),
        ("80%左右", "覆盖率", "2023"),
    ]
    assert r.quantities[2].approx


def test_an_item_opening_with_its_field():
    """1．就业方面,新增城镇就业1560人,…: titled 就业方面 (the title was the whole sentence)."""
    r = parse_report(
        HEAD + "1．就业方面，新增城镇就业1560人，帮扶就业困难人员218人。\n2．社保方面，参保率达到98%。\n", "x"
    )
    assert [i.title for i in r.parts[0].sections[0].initiatives] == ["就业方面", "社保方面"]
    assert r.quantities[0].raw == "1560人"


def test_a_count_of_things_done_is_labelled_by_them():
    """扎实办好十件民生实事: 民生实事 (it was 扎实办好); 化解矛盾纠纷120件: 矛盾纠纷; 1860件次 a unit."""
    got = _quantities("扎实办好十件民生实事,化解矛盾纠纷120件,提供政策申报服务1860件次。\n")
    assert got["十件"][3] == "民生实事" and got["120件"][3] == "化解矛盾纠纷" and got["1860件次"][1] == "件次"


def test_a_shorthand_of_digits_and_the_counts_of_its_parts_are_no_figures():
    """“4321”矛盾纠纷化解工作机制(4级排查、3级调处、2个平台、1个台账): four parts counting 4, 3, 2, 1
    (no definition was found: the bracket stands past six characters); neither their numbers nor
    1个 of “1+3+N”(即1个…) are figures of the text, and the coverage names them."""
    body = "落实“4321”矛盾纠纷化解工作机制（4级排查、3级调处、2个平台、1个台账），化解纠纷120件。\n"
    body += "构建“1+3+N”（即1个街道指挥中心、3个片区工作站、N个网格服务点）治理体系。\n"
    r = parse_report(HEAD + body, "x")
    defs = {d.term: [(p[0], p[3]) for p in d.parts] for d in r.definitions}
    assert defs["4321"] == [("排查", 4), ("调处", 3), ("平台", 2), ("台账", 1)]
    assert [q.raw for q in r.quantities] == ["120件"]
    from kg.parsing.coverage import SHORTHAND_PARTS, number_coverage

    assert number_coverage(r, []).ignored[SHORTHAND_PARTS] >= 6


def test_decimals_in_chinese_numerals_counts_named_by_number_and_thousands():
    """十一点六万吨 is 116,000 吨 (it was 六万吨, 60,000); 一点二万人次 12,000; 服务人数二万八千人 is
    exact (数 of 人数 is no 数十); 村规民约21部 exact, 居民约2,000户 not; 脱贫户1,862户5,436人: both
    of 脱贫户 (the second was labelled 862户: the thousands comma ended no clause)."""
    got = _quantities(
        "水果总产量达到十一点六万吨,实现劳务收入四点二亿元,惠及群众一点二万人次,服务人数二万八千人,"
        "修订完善村规民约21部,惠及居民约2,000户,全镇脱贫户1,862户5,436人。\n"
    )
    assert got["十一点六万吨"][:2] == (116000, "吨") and got["四点二亿元"][:2] == (420000000, "元")
    assert got["一点二万人次"][0] == 12000 and got["二万八千人"][2] is False
    assert got["21部"][2] is False and got["2,000户"][2] is True
    assert got["1,862户"][3] == got["5,436人"][3] == "全镇脱贫户"


# -- a review of this session's genre work (each input once misread) --------------------------------

H2 = "某某街道2023年工作总结\n一、2023年工作回顾\n(一)经济发展\n"


def test_review_an_enumerated_part_keeps_its_lead_and_the_problems_stay_prose():
    text = (
        "某某街道2023年工作总结\n一、2023年工作回顾\n在民生方面,全年投入民生资金3200万元,重点做好三件事:"
        "一是新建社区食堂3个;二是改造老旧小区5个;三是新增就业岗位500个。\n"
        "二、面临的困难和挑战\n我们也清醒地看到:一是经济发展后劲不足;二是服务不够;三是人手紧。\n"
    )
    r = parse_report(text, "x")
    assert [p.text for p in r.parts[0].intro] == ["在民生方面,全年投入民生资金3200万元,重点做好三件事:"]
    assert ("3200万元", "part-1/intro-1") in [(q.raw, q.container) for q in r.quantities]
    assert not r.parts[1].sections and r.parts[1].kind == "other"


def test_review_a_plan_sentence_with_a_figure_is_no_closing_call():
    body = "全年完成税收5.2亿元。\n二、2024年工作计划\n(一)提升民生服务\n加装电梯提速扩面。全年加装电梯20部。\n"
    body += "新的一年,街道将新建社区食堂3个,为辖区居民贡献更多力量。\n"
    r = parse_report(H2 + body, "x")
    assert [i.title for i in r.parts[1].sections[0].initiatives] == ["加装电梯提速扩面"]
    assert not r.parts[1].closing


def test_review_a_title_with_a_bar_captions_and_other_bullets():
    r = parse_report(
        "某某街道2023年工作总结 | 某某区人民政府\n一、2023年工作回顾\n(一)经济发展\n全年完成税收5.2亿元。\n", "x"
    )
    assert r.metadata.title.startswith("某某街道2023年工作总结") and r.metadata.place == "某某街道"
    text = (
        "某某街道2023年工作总结\n一、2023年工作回顾\n全年完成税收5.2亿元。\n▲社区志愿者开展义诊活动\n"
        "• 坚持党建引领,推动治理。\n• 坚持民生为本,办好实事。\n"
    )
    r = parse_report(text, "x")
    assert [i.title for i in r.parts[0].sections[0].initiatives] == ["坚持党建引领", "坚持民生为本"]
    assert not any("义诊" in p.text for p in r.parts[0].intro)


def test_review_words_that_are_no_counts_and_counts_that_are():
    got = _quantities(
        "推动党建与业务融合在一起,形成合力。坚持抓两头、促中间。让群众办事最多跑一次。每户至少安排一人,确保到人。"
        "全年共有120名下沉干部参与防控。全村有32户外出务工。为脱贫户发放10头牛,养殖50头猪。2023年度考核优秀社区3个。"
        "组织开展文艺演出、健康讲座……共计120场。获一等奖、二等奖分别3项和5项。按照1:10的比例配备网格员36名。\n"
    )
    assert not {"一起", "两头", "一次", "一人"} & set(got)
    assert got["120名"][3] == "下沉干部" and got["32户"][:2] == (32, "户") and got["10头"][3] == "牛"
    assert got["3个"][3] == "2023年度考核优秀社区" and got["120场"][3] == "组织开展文艺演出、健康讲座"
    assert (got["3项"][3], got["5项"][3]) == ("获一等奖", "二等奖") and got["36名"][3] == "按照1:10的比例配备网格员"


def test_review_a_year_opening_a_sentence_of_what_began_then():
    text = "某某街道2021年工作报告\n一、过去五年工作回顾\n(一)城市管理\n2017年开始推行垃圾分类,累计覆盖小区120个。\n"
    text += "2016年建成的社区服务中心累计服务居民12万人次。\n2020年全乡生猪存栏1.36万头。\n"
    assert [q.period for q in parse_report(text, "x").quantities] == [None, None, "2020"]


def test_review_numbered_sections_under_digit_parts_signatures_portals_and_note_wraps():
    text = (
        "某社区2023年工作总结和2024年工作计划\n1、2023年主要工作完成情况\n(1)党建工作。全年开展主题党日活动12次。\n"
        "2、2024年工作计划\n1.强化党建引领\n持续深化红色物业建设。\n2.提升服务水平\n打造便民生活圈。\n"
        "3.全力完成征迁安置任务\n完成征迁安置200户。\n"
    )
    r = parse_report(text, "x")
    assert len(r.parts) == 2 and [s.title for s in r.parts[1].sections][-1] == "全力完成征迁安置任务"
    r = parse_report(H2 + "全年完成税收5.2亿元。\n中共某某街道工作委员会    某某街道办事处\n", "x")
    assert r.metadata.publisher is None  # two names on one line: no one publisher
    portal = "发布机构:深圳市南山区人民政府\n2023年工作总结和2024年工作计划\n"
    portal += "一、2023年工作回顾\n(一)经济发展\n新增企业3家。\n"
    assert parse_report(portal, "x").metadata.place is None
    notes = "推行“街长制”。\n名词解释\n1.“一老一小”:指老年人和儿童,辖区比例为\n2.5万人中的三成左右。\n"
    notes += "2.“街长制”“路长制”指由街道负责人担任街长、路长的制度。\n"
    r = parse_report(H2 + notes, "x")
    assert [(n.number, n.terms) for n in r.notes] == [(1, ["一老一小"]), (2, ["街长制", "路长制"])]
    assert r.notes[1].definition.startswith("指由街道")


def test_review_pinyin_of_wei_after_yilai():
    from kg.pinyin import toned

    assert toned("今年以来为重点人群提供服务").split()[4] == "wèi"
    # 为王 wéi, 藏式 zàng, 银发 fà, 消薄 bó, 为民 wèi; 一点一案 yī as 一户一策 (it was yì diǎn)
    got = [toned(w) for w in ("项目为王", "藏式茶馆", "银发食堂", "清零消薄", "为民办实事", "一点一案")]
    assert got == [
        "xiàng mù wéi wáng",
        "zàng shì chá guǎn",
        "yín fà shí táng",
        "qīng líng xiāo bó",
        "wèi mín bàn shí shì",
        "yī diǎn yī àn",
    ]
    # 曾家湾: zēng, a surname in a place's name (it was céng), and 曾经 céng still
    assert (toned("四季曾家湾"), toned("曾经")) == ("sì jì zēng jiā wān", "céng jīng")
    # 重走长征路 chóng (walking it again, not zhòng); 乐 of the six arts 礼、乐、射… yuè (快乐 lè still)
    assert toned("重走长征路").startswith("chóng") and toned("礼、乐、射").split()[1] == "yuè"
    assert toned("快乐") == "kuài lè"


def test_a_numbered_section_named_as_a_part_and_a_web_page_s_fields():
    """2.重点工作安排 under 三、2024年工作计划 is its section (it was a fourth part); 发布日期:…　　信息来源:
    崇安街道　　访问量:861 and 来源:…　　【字体:大 中 小】【打印】: the publisher without the page's words."""
    text = (
        "某某街道2023年工作总结\n发布日期：2023-12-29　　信息来源：崇安街道　　访问量：861\n一、2023年工作回顾\n"
        "(一)经济\n新增企业3家。\n二、2024年工作计划\n1.主要预期目标\n税收增长6%。\n2.重点工作安排\n"
        "(1)聚焦商圈提质。新增商户20家。\n"
    )
    r = parse_report(text, "x")
    assert [p.title for p in r.parts] == ["2023年工作回顾", "2024年工作计划"]
    assert [s.title for s in r.parts[1].sections] == ["主要预期目标", "重点工作安排"]
    assert r.metadata.publisher == "崇安街道"
    r = parse_report(
        text.replace(
            "发布日期：2023-12-29　　信息来源：崇安街道　　访问量：861",
            "来源：新华街街道办事处　　【字体：大 中 小】【打印】",
        ),
        "x",
    )
    assert r.metadata.publisher == "新华街街道办事处"
    dated = text.replace(
        "发布日期：2023-12-29　　信息来源：崇安街道　　访问量：861",
        "发布时间：2025-01-20　来源：西樵镇人民政府　【字体：大 中 小】　打印",
    )
    assert parse_report(dated, "x").metadata.publisher == "西樵镇人民政府"  # not …【字体:大中小】打印
    counted = text.replace(
        "发布日期：2023-12-29　　信息来源：崇安街道　　访问量：861",
        "发布时间：2024-02-02 10:15　　来源：燕儿窝街道　　浏览量：628",
    )
    md = parse_report(counted, "x").metadata  # not 燕儿窝街道浏览量:628, nor 2024-02-0210:15
    assert (md.publisher, md.fields["浏览量"], md.fields["发布时间"]) == ("燕儿窝街道", "628", "2024-02-02 10:15")


def test_points_with_a_dash_dates_that_frame_and_levels_cut_down_to():
    """——品牌建设成效明显。: titled without the dash; 4月至12月,扎实开展…: titled by what was done;
    1—11月实现…销售额 keeps its months, 截至12月20日注册居民 is labelled without its cutoff; 由原来的138项精简至52项 and
    由3.5天缩短至1.2天: both of what changed (they were 精简至, 缩短至); 完成年度任务的100%: a
    completion rate; 台次, 兆瓦 and 路 (of video channels, not a bus's 17路公交) units; 控制在3.2%以内: a bound
    (approximate)."""
    body = (
        "——品牌建设成效明显。新增认证产品8个。\n(二)党建\n4月至12月，扎实开展主题教育，召开会议12次。\n(三)经济\n"
        "1—11月实现限额以上批发零售业销售额12.4亿元。截至12月20日注册居民1.86万人。\n"
        "社区承担事项由原来的138项精简至52项。平均办理时长由3.5天缩短至1.2天。\n"
        "新建高标准农田12,000亩，完成年度任务的100%。出动机械设备1,860台次，安装探头1320路，新增装机容量50兆瓦。\n"
        "失业率控制在3.2%以内。\n"
    )
    r = parse_report(HEAD + body, "x")
    assert [s.initiatives[0].title for s in r.parts[0].sections[:2]] == ["品牌建设成效明显", "扎实开展主题教育"]
    got = {q.raw: (q.label, q.unit, q.approx) for q in r.quantities}
    assert got["12.4亿元"][0] == "1—11月实现限额以上批发零售业销售额" and got["1.86万人"][0] == "注册居民"
    assert got["138项"][0] == got["52项"][0] == "社区承担事项" and got["1.2天"][0] == "平均办理时长"
    assert got["100%"][0] == "高标准农田(完成率)"
    assert [got[k][1] for k in ("1,860台次", "50兆瓦", "1320路")] == ["台次", "兆瓦", "路"]  # video channels
    assert not parse_report(HEAD + "开通17路公交，途经社区3个。\n", "x").quantities[0].raw.endswith("路")  # a bus
    assert got["3.2%以内"][2] is True


def test_single_quotes_a_zone_and_a_run_of_percentages_in_words():
    """推广‘石榴籽一家亲’结对认亲: a quoted name (it was none; inside “南风‘益’路行” the double quotes
    hold it); 营口高新技术产业开发区管理委员会…工作报告: the zone is the place; 分别减少百分之三和
    百分之五: both down, of 化肥农药使用量 (the second was +5 %, labelled …百分之三和)."""
    r = parse_report(
        HEAD + "推广‘石榴籽一家亲’结对认亲,做强“南风‘益’路行”品牌。化肥农药使用量分别减少百分之三和百分之五。\n", "x"
    )
    assert [q.text for q in r.quotes] == ["石榴籽一家亲", "南风‘益’路行"]
    assert [(q.value, q.label) for q in r.quantities] == [(-3, "化肥农药使用量"), (-5, "化肥农药使用量")]
    zone = "营口高新技术产业开发区管理委员会2023年工作报告\n一、2023年工作回顾\n(一)经济\n新增企业12家。\n"
    assert parse_report(zone, "x").metadata.place == "营口高新技术产业开发区"


def test_numbers_that_are_headings_contents_spans_and_names():
    """1.1 产业发展 (a Word heading's number), a contents line's page, 2016—2020年, 力争2至3年内,
    O2O, S211线, 110刑事类警情, 1.63:1, 阅读 2186: none is a figure nobody accounted for."""
    from kg.curation import load_curation
    from kg.parsing.coverage import number_coverage
    from kg.resources import CURATION

    text = (
        "某某街道2023年工作报告\n目录\n1  2023年工作回顾\t1\n1.1  产业发展\t2\n1  2023年工作回顾\n1.1  产业发展\n"
        "过去的五年(2016—2020年),力争2至3年内建成O2O便民服务站,完成S211线改造,110刑事类警情下降,"
        "城乡居民收入比缩小至1.63:1。\n"
    )
    cov = number_coverage(parse_report(text, "x"), load_curation(CURATION).ignored_numbers)
    assert [u[2] for u in cov.unaccounted] == []


def test_a_bracket_closing_a_label_and_a_multiple_of_another_year():
    """地区生产总值(GDP)186.4亿元: the bracket kept whole (it was …(GDP); 268家,是2018年的4倍: the
    multiple of 高新技术企业总数 (it was labelled 是2018年的)."""
    got = _quantities("地区生产总值（GDP）186.4亿元,高新技术企业总数达到268家,是2018年的4倍。\n")
    assert got["186.4亿元"][3] == "地区生产总值(GDP)" and got["4倍"][3] == "高新技术企业总数"


def test_review_two_web_fields_counts_after_dian_rough_numbers_decimals_dates_and_stops():
    """A value after its key and wide spaces (索引号:  SY…) is the key's (it was empty); a single
    wide space inside a value parts nothing; 便民服务点三个 counts; 农户数百户 is rough; 零点八个百分点
    is 0.8; 下降三点五个百分点 -3.5, 增长一点五倍 +150 %; 1—11月完成率 keeps its words; 垃圾压缩站 is
    no 垃圾; 17路 is no unit; 兆瓦时 is; 营口经济技术开发区 without 关于."""
    head = "2023年工作总结和2024年工作计划\n索引号:  SY0028-2024-0003  发布机构:  南码头路街道办事处\n"
    r = parse_report(head + "一、2023年工作回顾\n(一)民生保障\n新增企业3家。\n", "x")
    assert r.metadata.publisher == "南码头路街道办事处" and r.metadata.place == "南码头路街道"
    r = parse_report(
        "2023年工作总结\n发布机构：上海市浦东新区　南码头路街道办事处\n一、2023年工作回顾\n新增企业3家。\n", "x"
    )
    assert r.metadata.publisher == "上海市浦东新区南码头路街道办事处"
    got = _quantities(
        "新建便民服务点三个,带动周边农户数百户增收,空气优良率提高零点八个百分点,"
        "失业率较上年下降三点五个百分点,财政收入同比增长一点五倍。1—11月完成率达到98%。"
        "新建2座垃圾压缩站,延伸17路公交,光伏年发电量1.2万兆瓦时。\n"
    )
    assert got["三个"][0] == 3 and got["百户"][2] is True and got["零点八个百分点"][:2] == (Decimal("0.8"), "百分点")
    assert got["三点五个百分点"][0] == Decimal("-3.5") and got["一点五倍"][:2] == (150, "%")
    assert got["98%"][3] == "1—11月完成率" and got["2座"][3] == "垃圾压缩站" and "17路" not in got
    assert got["1.2万兆瓦时"][1] == "兆瓦时"
    zone = "关于营口经济技术开发区2023年工作情况的报告\n一、2023年工作回顾\n(一)经济\n新增企业12家。\n"
    assert parse_report(zone, "x").metadata.place == "营口经济技术开发区"


def test_review_single_quotes_inside_a_long_double_quote_and_a_dash_title_s_span():
    """‘让群众满意’ inside a “…” too long to be a name is no name; ——品牌建设… titles span its words."""
    body = (
        "要牢记“坚持以人民为中心的发展思想,把‘让群众满意’作为检验一切工作成效的根本标准,不断增强人民群众的获得感、"
        "幸福感、安全感,切实做到‘我为群众办实事’”的要求。推广‘石榴籽一家亲’。\n——品牌建设成效明显。新增产品8个。\n"
    )
    r = parse_report(HEAD + body, "x")
    assert [q.text for q in r.quotes] == ["石榴籽一家亲"]
    item = r.parts[0].sections[0].initiatives[-1]
    assert r.text[item.title_start : item.title_end] == item.title == "品牌建设成效明显"


def test_a_rate_said_once_for_a_run_of_subjects():
    """党的组织和工作覆盖率分别达到92%和100%: 党的组织覆盖率 and 工作覆盖率 (the first was 党的组织)."""
    got = _quantities("党的组织和工作覆盖率分别达到92%和100%,事故起数和死亡人数同比分别下降25%和33.3%。\n")
    assert (got["92%"][3], got["100%"][3]) == ("党的组织覆盖率", "工作覆盖率")
    assert _quantities("推动非公企业和社会组织党组织覆盖率分别达到82%和91%。\n")["82%"][3] == "非公企业覆盖率"
    assert (got["25%"][3], got["33.3%"][3]) == ("事故起数", "死亡人数")


def test_probe_30_rough_multiples_units_points_of_a_plan_closings_and_a_phase_in_a_table():
    """一百八十余万人次 and 180余万人次 (they were lost), 10余亿元; 场次, 轮次, 个月, 个季度 units;
    八十七户二百一十三人: the households of 纳入监测对象 (labelled 二百一十三人); 一要…二要…: items as 一是
    gives them; 五年来的成绩来之不易 and 下半年,街道将…圆满完成。 close; (三期) in a table's row names it."""
    got = _quantities(
        "接待游客一百八十余万人次,接待游客180余万人次,旅游收入10余亿元,廉政警示教育8场次,排查26轮次,"
        "连续6个季度排名第一,纳入监测对象八十七户二百一十三人。\n"
    )
    assert got["一百八十余万人次"][:3] == (1800000, "人次", True) and got["180余万人次"][0] == 1800000
    assert got["10余亿元"][:2] == (1000000000, "元")
    assert [got[k][1] for k in ("8场次", "26轮次", "6个季度")] == ["场次", "轮次", "个季度"]
    assert got["八十七户"][3] == "纳入监测对象"
    plan = "龙华街道2023年工作报告\n一、2024年工作安排\n(一)服务保障\n"
    plan += "一要高标准做好重大活动服务保障,健全工作机制;二要持续推进中轴线申遗保护;三要深化背街小巷治理。\n"
    plan += "下半年,街道将紧紧围绕年度目标任务,坚定信心、真抓实干,确保全年各项工作圆满完成。\n"
    r = parse_report(plan, "x")
    items = r.parts[0].sections[0].initiatives
    assert [i.title for i in items] == ["高标准做好重大活动服务保障", "持续推进中轴线申遗保护", "深化背街小巷治理"]
    assert len(r.parts[0].closing) == 1
    r = parse_report(HEAD + "1.完成改造3个小区。\n五年来的成绩来之不易。这是县委领导的结果。\n", "x")
    assert len(r.parts[0].sections[0].initiatives) == 1 and len(r.parts[0].closing) == 1
    table = "2024年重点项目计划表\n序号\t项目名称\t总投资（万元）\n1\t老城区老旧小区改造（三期）\t8600\n"
    q = parse_report(HEAD + table, "x").quantities[0]
    assert (q.value, q.unit, q.label) == (86000000, "元", "老城区老旧小区改造(三期)(总投资)")


def test_a_run_of_changes_after_a_run_of_figures_and_a_change_after_a_completion_rate():
    """分别达到A和B,分别增长C和D: C is A's change and D B's (they were four figures alike); 城镇和农村居民…
    names each (the first was 城镇); 3.62亿元,完成年度目标任务的51.7%,同比增长4.3%: the sum's change
    (it was the completion rate's); 确保, 完成 and 全部 are no part of what a figure measures."""
    r = parse_report(
        HEAD + "城乡居民人均可支配收入分别达到52000元和31000元,分别增长5.2%和6.8%。"
        "城镇和农村居民人均可支配收入分别为5.2万元、3.1万元,同比分别增长5%和6%。"
        "城镇和农村分别新增就业100人和200人。税收和一般公共预算收入分别达到3亿元和2亿元。"
        "全年完成财政收入3.62亿元,完成年度目标任务的51.7%,同比增长4.3%。\n",
        "x",
    )
    got = {q.raw: (q.value, q.change_percent, q.label) for q in r.quantities}
    assert "5.2%" not in got and got["52000元"][1:] == (Decimal("5.2"), "城镇居民人均可支配收入")  # 城乡: 城镇, 农村
    assert got["31000元"][1] == Decimal("6.8")
    assert got["5.2万元"][1:] == (5, "城镇居民人均可支配收入") and got["3.1万元"][2] == "农村居民人均可支配收入"
    assert (got["100人"][2], got["200人"][2]) == ("城镇就业", "农村就业")
    assert (got["3亿元"][2], got["2亿元"][2]) == ("税收", "一般公共预算收入")
    assert got["3.62亿元"][1] == Decimal("4.3") and got["51.7%"][1:] == (None, "财政收入(完成率)")
    r = parse_report(
        HEAD
        + "接待游客46.8万人次,实现旅游综合收入1.86亿元,分别增长18.6%和21.2%。"
        + "餐饮、住宿营业额分别增长212%、186%。\n",
        "x",
    )  # changes after figures not joined by 分别 are theirs too; a short measure said once after the last
    got = {q.raw: (q.value, q.change_percent, q.label) for q in r.quantities}
    assert got["46.8万人次"][1] == Decimal("18.6") and got["1.86亿元"][1] == Decimal("21.2") and "18.6%" not in got
    assert (got["212%"][2], got["186%"][2]) == ("餐饮营业额", "住宿营业额")
    got = _quantities("高新技术企业由2018年的58家增加到2023年的146家,翻了一番多。\n")  # it was labelled 多
    assert got["翻了一番多"] == (100, "%", True, "高新技术企业")
    got = _quantities("“五一”“国庆”期间接待游客分别达到32.6万人次和56.8万人次。\n")  # both were labelled alike
    assert (got["32.6万人次"][3], got["56.8万人次"][3]) == ("五一期间接待游客", "国庆期间接待游客")
    got = _quantities(
        "确保税收增长5%,确保全年一般公共预算收入完成7.2亿元,民生实事全面完成十件,村集体经济收入全部达到10万元。\n"
    )
    labels = [got[k][3] for k in ("5%", "7.2亿元", "十件", "10万元")]
    assert labels == ["税收", "一般公共预算收入", "民生实事", "村集体经济收入"]


def test_a_plan_s_blocks_of_targets_and_measures():
    """具体目标:… is the section's text and 主要举措:一是…;二是… its items, each point one (items
    were titled 具体目标 and 主要举措); so too as lines of their own, numbered (1.工作目标:…), run
    together in one paragraph (具体目标:…;主要举措:…) and with points numbered 1.…2.…."""
    body = (
        "二、2024年工作计划\n(一)推动经济高质量发展\n具体目标\n税收增长5%,新增企业20家。\n主要举措\n"
        "一是加大招商力度,引进项目10个;二是优化营商环境,走访企业200家。\n(二)提升民生服务\n"
        "1.工作目标:新增养老床位100张。\n2.工作措施:完善助餐服务,新增助餐点3个;推进加装电梯,完成30台。\n"
        "(三)平安\n具体目标:化解纠纷100件。\n主要举措:1.深化网格化管理,化解矛盾纠纷500件。2.推进应急管理。\n"
        "(四)文化\n具体目标:新增场馆2个;主要举措:推进文化惠民。\n"
    )
    r = parse_report(HEAD + body, "x")
    plan = r.parts[1]
    assert [[i.title for i in s.initiatives] for s in plan.sections] == [
        ["加大招商力度", "优化营商环境"],
        ["完善助餐服务"],
        ["深化网格化管理", "推进应急管理"],
        ["推进文化惠民"],
    ]
    assert [i.key for i in plan.sections[2].initiatives] == [f"{plan.sections[2].key}/initiative-{n}" for n in (1, 2)]
    where = {q.raw: q.container for q in r.quantities}
    assert where["5%"] == where["20家"] == f"{plan.sections[0].key}/intro-2"  # after the line 具体目标
    assert where["100张"] == f"{plan.sections[1].key}/intro-1"
    assert where["10个"] == f"{plan.sections[0].key}/initiative-1" and where["500件"].endswith("initiative-1")
    circled = (
        "(一)做强现代农业。稳定玉米制种面积4.2万亩。\n具体做到：①推进种业振兴，建设基地；②壮大肉牛产业，新建牛场。\n"
    )
    items = parse_report(HEAD + circled, "x").parts[0].sections[-1].initiatives  # points ① ② (it was one 具体做到)
    assert [i.title for i in items] == ["稳定玉米制种面积4.2万亩", "推进种业振兴", "壮大肉牛产业"]


def test_what_a_verb_a_share_an_average_or_a_target_of_the_figure_before_measures():
    """Labels that were only a verb (完成, 达到, 建成, 突破), a share (占, 占税收总额的), an average
    (年均增长) or a target (区下达目标任务的): what the lead, the figure before or the target names;
    a change after a share is the figure's; 共有 and 为 of 为民办实事; units 对, 笔, 片, MW, ‰, 元/亩, 册次."""
    got = _quantities(
        "1、税收收入:全年完成1.2亿元,完成区下达目标任务的108%。新建5G基站46个,累计建成218个。"
        "全镇地区生产总值年均增长7%以上,达到36亿元。共有党员86名。"
        "地区生产总值由2016年的186.4亿元增长到2021年的312.8亿元,年均增长10.9%。"
        "完成“三改一拆”任务的126%。完成区下达招商任务的116.9%。"
        "工人、农民代表35名,占40.7%。累计完成固定资产投资268亿元,是“十二五”时期的1.8倍。"
        "完成为民办实事项目10项。结对认亲1860对,发放贷款18笔,新建足球场1片,1对1帮扶,装机容量12MW,"
        "人口自然增长率控制在5‰以内,亩均收入达到3200元/亩以上,借阅图书3.2万册次。\n"
    )
    labels = {k: v[3] for k, v in got.items()}
    assert (labels["1.2亿元"], labels["108%"]) == ("税收收入", "税收收入(完成率)")
    assert (labels["218个"], labels["36亿元"], labels["86名"]) == ("5G基站(累计)", "全镇地区生产总值", "党员")
    assert labels["7%以上"] == "全镇地区生产总值年均增长" and labels["10.9%"] == "地区生产总值年均增长"
    assert (labels["126%"], labels["116.9%"]) == ("“三改一拆”任务(完成率)", "区下达招商任务(完成率)")
    assert (labels["40.7%"], labels["1.8倍"], labels["10项"]) == (
        "工人、农民代表(占比)",
        "固定资产投资(累计)",
        "为民办实事项目",
    )
    units = [got[k][1] for k in ("1860对", "18笔", "1片", "12MW", "5‰以内", "3200元/亩以上", "3.2万册次")]
    assert units == ["对", "笔", "片", "MW", "‰", "元/亩", "册次"] and "1对" not in got
    r = parse_report(HEAD + "金融业完成税收5.86亿元,占税收总额的45.6%,同比增长7.2%。\n", "x")
    assert [(q.raw, q.change_percent, q.label) for q in r.quantities] == [
        ("5.86亿元", Decimal("7.2"), "金融业完成税收"),
        ("45.6%", None, "金融业完成税收(占税收总额比重)"),
    ]


def test_lists_and_tables_of_projects():
    """五、2024年民生实事项目 / (一)新建长者食堂2家,…;: projects (they were sections of no items,
    their figures unread); 四、2024年重点项目 / a table: a plan part (it was other) whose rows are
    initiatives titled by the project's name; 2025年重点项目 and 2025年民生实事项目 alone on their
    lines in a plan: sections of them; a table under 计划实施为民办实事项目10项: its projects."""
    text = (
        "某某街道2024年工作报告\n一、2023年工作回顾\n(一)经济\n新增企业3家。\n"
        "二、2024年重点项目\n街道2024年共安排重点项目2个。\n序号\t项目名称\t总投资(万元)\t年度计划投资(万元)\n"
        "1\t嘉莲里片区综合提升二期工程\t36800\t21000\n2\t莲花五村老旧小区改造\t8600\t8600\n"
        "三、2024年民生实事项目\n(一)新建长者食堂2家,新增助餐服务点6个;\n(二)完成既有住宅加装电梯60台。\n"
    )
    r = parse_report(text, "x")
    key, listed = r.parts[1], r.parts[2]
    assert (key.kind, listed.kind) == ("plan", "plan")
    assert [(i.title, i.kind) for i in key.sections[0].initiatives] == [
        ("嘉莲里片区综合提升二期工程", "initiative"),
        ("莲花五村老旧小区改造", "initiative"),
    ]
    assert [(i.title, i.kind) for i in listed.sections[0].initiatives] == [
        ("新建长者食堂2家,新增助餐服务点6个", "project"),
        ("完成既有住宅加装电梯60台", "project"),
    ]
    where = {q.raw: (q.container, q.label) for q in r.quantities}
    assert where["36800"] == (f"{key.sections[0].key}/initiative-1", "嘉莲里片区综合提升二期工程(总投资)")
    assert where["2家"][0] == f"{listed.sections[0].key}/project-1"
    plan = (
        "某某街道2025年工作报告\n一、2024年工作回顾\n(一)经济\n新增企业3家。\n二、2025年工作安排\n(一)聚力稳增长\n"
        "深化招商引资,引进项目10个。\n(二)增进民生福祉\n计划实施为民办实事项目2项：\n序号\t项目名称\t建设内容\n"
        "1\t农村饮水安全提升\t改造供水管网18公里\n2\t乡村道路建设\t新建硬化道路12公里\n"
        "2025年重点项目\n项目名称\t总投资(万元)\t年度计划投资(万元)\n龙塔片区城市更新二期\t186000\t62000\n"
        "2025年民生实事项目\n1.绵江路（象湖段）提升改造工程：改造道路2.6公里;\n2.加装电梯完工50部。\n"
    )
    sections = parse_report(plan, "x").parts[1].sections
    assert [s.title for s in sections] == ["聚力稳增长", "增进民生福祉", "2025年重点项目", "2025年民生实事项目"]
    assert [(i.title, i.kind) for i in sections[1].initiatives] == [
        ("农村饮水安全提升", "project"),
        ("乡村道路建设", "project"),
    ]
    assert [p.text for p in sections[1].intro] == ["计划实施为民办实事项目2项："]
    assert [i.kind for s in sections[2:] for i in s.initiatives] == ["initiative", "project", "project"]
    assert sections[3].initiatives[0].title == "绵江路(象湖段)提升改造工程"  # fourteen characters before the colon


def test_a_salutation_opening_a_part_and_a_call_after_what_is_at_stake():
    """第一部分 / 各位代表,2023年是…: the part's opening (it was its closing); 下半年任务艰巨、责任重大。
    街道上下将…作出…新的更大贡献。: the plan's closing (it was its last work item)."""
    text = (
        "某某街道2023年工作报告\n第一部分  2023年工作回顾\n各位代表，2023年是全面贯彻落实党的二十大精神的开局之年。\n"
        "一、经济发展提质增效\n1.总部经济加快集聚。全年新引进企业1286家。\n第二部分  2024年工作安排\n一、经济\n"
        "1.深化招商。引进项目10个。\n下半年任务艰巨、责任重大。街道上下将以更加昂扬的精神状态，确保全年目标任务圆满完成，"
        "为武昌区建设国家中心城市核心区作出新的更大贡献。\n"
    )
    r = parse_report(text, "x")
    assert len(r.parts[0].intro) == 1 and not r.parts[0].closing
    assert [i.title for s in r.parts[1].sections for i in s.initiatives] == ["深化招商"]
    assert len(r.parts[1].closing) == 1


def test_a_paragraph_going_on_after_a_list_of_one_line_items():
    """(1)…(3) one line each, then 同时,持续提升…: an item of its own, titled by its first clause
    past 同时 (its figures were the last item's); a numbered item's own description stays its."""
    body = (
        "(1)新建社区养老服务中心2个;\n(2)加装电梯12部;\n(3)改造农贸市场1个。\n"
        "同时,持续提升教育、医疗、文化等公共服务水平,新增中小学学位1000个以上。\n"
    )
    r = parse_report(HEAD + body, "x")
    items = r.parts[0].sections[0].initiatives
    assert [i.title for i in items][-1] == "持续提升教育、医疗、文化等公共服务水平" and len(items) == 4
    assert {q.raw: q.container for q in r.quantities}["1000个以上"] == items[-1].key


def test_a_marker_that_says_see_note_n():
    """构建“1+6+N”党建工作体系(见注释1): note 1's marker (the text had none), and no title keeps it."""
    body = "1.构建“1+6+N”党建工作体系（见注释1），覆盖党员1260名。\n注释：\n1.“1+6+N”：指1个党委、6个支部、N个小组。\n"
    r = parse_report(HEAD + body, "x")
    assert [(m.number, r.text[m.start : m.end]) for m in r.markers] == [(1, "（见注释1）")]
    assert r.parts[0].sections[0].initiatives[0].title == "构建“1+6+N”党建工作体系,覆盖党员1260名"


def test_unnumbered_notes_with_a_short_head_and_a_colon():
    """名词解释 / 两个确保:确保… / 141基层智治体系:1个… / 三个一批:指…: three notes (the first two were
    unplaced and the third took the next note's line); a line of a definition going on stays its."""
    body = (
        "推进“两个确保”“三个一批”。\n名词解释\n两个确保：确保经济运行稳中有进，确保社会大局和谐稳定。\n"
        "141基层智治体系：1个基层治理指挥中心、4个板块、1个网格体系。\n三个一批：指走访联系一批、协调解决一批、跟踪督办一批，包括：\n"
        "走访联系：每月一次。\n"
    )
    r = parse_report(HEAD + body, "x")
    assert not r.unplaced and [n.term for n in r.notes] == ["两个确保", "141基层智治体系", "三个一批"]
    assert r.notes[2].definition.endswith("走访联系：每月一次。")


def test_a_figure_that_is_how_much_the_one_before_changed():
    """46家,较上年增加9家 and 12起,同比减少5起: how much 46家 and 12起 changed, signed (+9, −5; they
    were figures labelled 较上年增加, 同比减少); 1860万元,同比减少126万元,下降6.3%: −6.3 % is the
    sum's change (it was the 126万元's); 农民人均收入较上年增加160元: 农民人均收入(较上年增加)."""
    r = parse_report(
        HEAD + "全乡完成一般公共预算收入1860万元,同比减少126万元,下降6.3%。累计认定总部企业46家,较上年增加9家。"
        "全年发生火灾事故12起,同比减少5起。农民人均收入较上年增加160元。\n",
        "x",
    )
    got = {q.raw: (q.value, q.change_percent, q.label) for q in r.quantities}
    assert got["1860万元"][1] == Decimal("-6.3") and got["126万元"][:2] == (-1260000, None)
    assert got["9家"] == (9, None, "认定总部企业(较上年增加)") and got["5起"][0] == -5
    assert got["160元"][2] == "农民人均收入(较上年增加)"
    got = _quantities("全年辖区实现税收收入51.3亿元,同比增长5.6%,较2022年的48.6亿元增加2.7亿元。\n")
    assert [got[k][3] for k in ("51.3亿元", "48.6亿元", "2.7亿元")] == ["税收收入", "税收收入", "税收收入(增加)"]
    first = parse_report(HEAD + "满意率98%,同比提高3%。\n", "x").quantities  # a first figure, then its change
    assert [(q.raw, q.change_percent) for q in first] == [("98%", 3)]


def test_a_run_of_absolute_changes_and_a_run_of_quoted_names():
    """46家和32家,较上年分别增加9家和5家: how much each changed (both were labelled 规上企业 and
    限上企业 as levels); 同比分别减少: negative; 就业岗位1200个和创业项目86个: 1200个 counts 就业岗位
    (it took 创业项目, said after it); “星级楼宇”“亿元楼宇”分别达到12栋、5栋: each its name's."""
    got = _quantities(
        "规上企业和限上企业分别达到46家和32家,较上年分别增加9家和5家。“星级楼宇”“亿元楼宇”分别达到12栋、5栋。"
        "新增就业岗位1200个和创业项目86个,同比分别减少50个和4个。\n"
    )
    assert [(got[k][0], got[k][3]) for k in ("9家", "5家")] == [
        (9, "规上企业(较上年增加)"),
        (5, "限上企业(较上年增加)"),
    ]
    assert [got[k][3] for k in ("12栋", "5栋", "1200个", "86个")] == ["星级楼宇", "亿元楼宇", "就业岗位", "创业项目"]
    fell = [(got[k][0], got[k][3]) for k in ("50个", "4个")]
    assert fell == [(-50, "就业岗位(同比减少)"), (-4, "创业项目(同比减少)")]


def test_a_motto_title_on_two_lines_and_a_name_alone_under_the_date():
    """凝心聚力谋发展 砥砺奋进新征程 / 奋力谱写新时代鲁沙尔镇高质量发展新篇章 / ——在…上的报告: one title
    (the second line was its motto), the place 鲁沙尔镇 (not 新时代鲁沙尔镇); 马德清 alone under the
    date, above 同志们: the speaker (it was the preamble's first line)."""
    text = (
        "凝心聚力谋发展 砥砺奋进新征程\n奋力谱写新时代鲁沙尔镇高质量发展新篇章\n"
        "——在中国共产党西宁市湟中区鲁沙尔镇第十五次代表大会上的报告\n（2021年7月16日）\n马德清\n同志们：\n"
        "一、过去五年工作回顾\n(一)经济\n新增企业3家。\n"
    )
    md = parse_report(text, "x").metadata
    assert md.title == "凝心聚力谋发展 砥砺奋进新征程 奋力谱写新时代鲁沙尔镇高质量发展新篇章" and not md.motto
    assert (md.place, md.fields["报告人"]) == ("鲁沙尔镇", "马德清")


def test_the_year_a_target_is_set_for():
    """到2026年,辖区生产总值突破450亿元 and 财政总收入到2026年突破2000亿元 in a five-year plan: of 2026
    (they had no period; the second was labelled 财政总收入到2026年); 恢复到2019年同期的96% is no target."""
    body = "到2026年,辖区生产总值突破450亿元,财政总收入到2026年突破2000亿元。客流量恢复到2019年同期的96%。\n"
    r = parse_report("某某镇2022年政府工作报告\n一、今后五年的目标任务\n(一)经济\n" + body, "x")
    got = {q.raw: (q.period, q.label) for q in r.quantities}
    assert got["450亿元"] == ("2026", "辖区生产总值") and got["2000亿元"] == ("2026", "财政总收入")
    assert got["96%"][0] != "2019"


def test_a_part_of_the_year_alone_names_no_measure():
    """村集体经济收入68.6万元,其中一季度18.6万元 and 一季度新增企业30家,二季度新增45家: the figure
    before's measure, of that part of the year (they were labelled 一季度, 二季度新增)."""
    got = _quantities("一季度新增企业30家,二季度新增45家。村集体经济收入68.6万元,其中一季度18.6万元,同比增长26.5%。\n")
    assert (got["45家"][3], got["18.6万元"][3]) == ("新增企业(二季度)", "村集体经济收入(一季度)")


def test_a_narrowing_decline_a_slogan_of_ones_and_what_moved_in():
    """降幅较一季度收窄8.2个百分点: +8.2 (a decline narrowing; it was −8.2), 增速收窄 still −; 改造一个、
    管好一个 is no count (公园一个 is); 12座商务楼宇入驻企业1,026家: 12座 counts 商务楼宇; 新设企业."""
    got = _quantities(
        "房地产业税收同比下降15.6%,降幅较一季度收窄8.2个百分点。工业增速较上年收窄1.2个百分点。坚持改造一个、管好一个。"
        "新建公园一个。辖区12座商务楼宇入驻企业1,026家。新设企业平均开办时间压缩至1个工作日。\n"
    )
    assert got["8.2个百分点"][0] == Decimal("8.2") and got["1.2个百分点"][0] == Decimal("-1.2")
    assert got["一个"][3] == "公园" and got["12座"][3] == "商务楼宇" and got["1个工作日"][3] == "新设企业平均开办时间"
    r = parse_report(HEAD + "平均响应时间由上年的48小时缩短至6小时。\n", "x")  # 48小时 was read as a name's
    assert [(q.raw, q.period, q.label) for q in r.quantities] == [
        ("48小时", "2022", "平均响应时间"),
        ("6小时", "2023", "平均响应时间"),
    ]


def test_thresholds_that_class_a_count_or_a_share():
    """超5000万元楼宇11栋, 10万元以上的村达到100%, 入驻率低于80%的6栋楼宇: the sum or rate classes what is
    counted (it was an amount of its own); 32栋商务楼宇平均入驻率93%: 32栋 counts 商务楼宇."""
    got = _quantities(
        "税收超亿元楼宇5栋、超5000万元楼宇11栋。村集体经济收入10万元以上的村达到100%。对入驻率低于80%的6栋楼宇开展招商。"
        "辖区32栋商务楼宇平均入驻率93%。\n"
    )
    assert "5000万元" not in got and "10万元以上" not in got and "80%" not in got
    assert (got["11栋"][3], got["100%"][3]) == ("超5000万元楼宇", "村集体经济收入10万元以上的村")
    assert got["32栋"][3] == "商务楼宇"


def test_a_table_cell_that_is_a_bound():
    """≤3 and ≥13.5 in a target column: 3 % and 13.5亿元, approximate, of the target's year (they
    were unread)."""
    body = "指标名称\t单位\t2023年完成\t2024年目标\n城镇登记失业率\t%\t2.6\t≤3\n税收收入\t亿元\t12.5\t≥13.5\n"
    got = {q.raw: (q.value, q.unit, q.approx, q.period) for q in parse_report(HEAD + body, "x").quantities}
    assert got["≤3"] == (3, "%", True, "2024") and got["≥13.5"] == (1350000000, "元", True, "2024")


def test_dates_and_years_in_chinese_numerals():
    """——二〇二一年一月二十六日在…会议上 and 一、二〇二〇年工作回顾 / 二、二〇二一年工作安排: delivered
    2021-01-26, parts of 2020 and 2021, figures of those years (all were none)."""
    text = (
        "双龙镇政府工作报告\n——二〇二一年一月二十六日在双龙镇第十七届人民代表大会第五次会议上\n"
        "一、二〇二〇年工作回顾\n(一)经济\n新增企业3家。\n二、二〇二一年工作安排\n(一)经济\n新增企业5家。\n"
    )
    r = parse_report(text, "x")
    assert (r.metadata.delivered, r.metadata.sort_period) == ("2021-01-26", "2021")
    assert [(p.kind, p.year) for p in r.parts] == [("review", "2020"), ("plan", "2021")]
    assert [q.period for q in r.quantities] == ["2020", "2021"]
    dated = parse_report(
        text.replace("——二〇二一年一月二十六日在", "（二〇二一年十二月三十一日在").replace("会议上\n", "会议上）\n"),
        "x",
    )
    assert dated.metadata.delivered == "2021-12-31"


def test_sections_numbered_di_yi_on_lines_of_their_own():
    """第一、全力以赴打赢疫情防控阻击战 / 1)迅速构建联防联控体系。…: a section and its items (they were
    an item and its points); 第一,织密社区防控网络。… stays an item."""
    text = (
        "唐家墩街道2020年工作总结\n一、2020年工作总结\n第一、全力以赴打赢疫情防控阻击战\n1)迅速构建联防联控体系。成立指挥部1个。\n"
        "2)全力保障群众生活。配送物资1.2万份。\n第二、统筹推进复工复产\n1)精准服务企业复工。走访企业300家。\n"
    )
    part = parse_report(text, "x").parts[0]
    assert [s.title for s in part.sections] == ["全力以赴打赢疫情防控阻击战", "统筹推进复工复产"]
    assert [len(s.initiatives) for s in part.sections] == [2, 1]


def test_a_total_so_far_beside_the_year_s():
    """新增加装电梯32台,累计完成加装电梯156台: 加装电梯 and 加装电梯(累计) (both were 加装电梯, and a
    series of the one mixed the other in)."""
    got = _quantities("新增加装电梯32台,累计完成加装电梯156台。累计发放补贴120万元。\n")
    assert [got[k][3] for k in ("32台", "156台", "120万元")] == ["加装电梯", "加装电梯(累计)", "补贴(累计)"]
    got = _quantities("累计建成口袋公园12个、健身步道8条。认定总部企业46家,较上年减少九家。\n")  # the second too; −9
    assert (got["8条"][3], got["九家"][0]) == ("健身步道(累计)", -9)


def test_probe_33_a_community_alone_its_closing_comparable_growth_units_and_labels():
    """劲松北社区2023年工作总结: the community (no place before); 在新的一年里,…将…家园。 and the
    committee's signature close (they were work items); 同口径增长5.1%: the figure's change; 山塘十二口,
    专车46趟; 调处成功率, 共富工坊, what 12家 and 2家 count (not what they did); 能装尽装 jìn, 清脏 zāng."""
    text = (
        "劲松北社区2023年工作总结\n一、2023年工作回顾\n(一)服务\n1.加装电梯。完成加装电梯12部。\n"
        "在新的一年里,劲松北社区将继续坚持以人民为中心,努力建设幸福家园。\n劲松北社区居民委员会\n2023年12月26日\n"
    )
    r = parse_report(text, "x")
    assert r.metadata.place == "劲松北社区" and [i.title for i in r.initiatives()] == ["加装电梯"]
    assert len(r.parts[0].closing) == 2
    got = _quantities(
        "一般公共预算收入28.6亿元,同口径增长5.1%。新修山塘十二口,开通专车46趟。矛盾纠纷调处成功率98.6%。新建共富工坊5家。"
        "推动12家香港企业在辖区设立研发中心,2家医疗机构与香港医疗机构建立合作关系。\n"
    )
    assert got["28.6亿元"][3] == "一般公共预算收入" and "5.1%" not in got
    assert (got["十二口"][1], got["46趟"][1]) == ("口", "趟")
    labels = [got[k][3] for k in ("98.6%", "5家", "12家", "2家")]
    assert labels == ["矛盾纠纷调处成功率", "共富工坊", "香港企业", "医疗机构"]
    from kg.pinyin import toned

    assert (toned("能装尽装"), toned("清脏")) == ("néng zhuāng jìn zhuāng", "qīng zāng")


def test_a_title_without_its_layout_s_spaces():
    """政 府 工 作 报 告 and 泉城路街道 2022 年工作总结: 政府工作报告, 泉城路街道2022年工作总结 (a
    motto's phrases keep their space)."""
    from kg.parsing.header import unspaced_title

    assert (
        parse_report("政　府　工　作　报　告\n" + HEAD.split("\n", 1)[1] + "新增企业3家。\n", "x").metadata.title
        == "政府工作报告"
    )
    assert unspaced_title("泉城路街道 2022 年工作总结") == "泉城路街道2022年工作总结"
    assert unspaced_title("凝心聚力谋发展 砥砺奋进新征程") == "凝心聚力谋发展 砥砺奋进新征程"


def test_probe_34_note_parts_a_speech_s_points_after_an_address_and_yi():
    """“七有”指…;“五性”指…: twelve parts without the sub-terms' 指 (the first was “七有”指幼有所育);
    指…提出的“红色引领、…、紫色善治”七个方面: the quoted seven; 指…诉求办理的响应率、解决率和满意率:
    响应率 first; 同志们,今年的目标已经明确 / 一要…五要…: the part's work items (they were its
    closing); 四会一代办 yī."""
    notes = (
        "推进“七有五性”“七彩新华”“三率”。\n名词解释\n1.“七有五性”:“七有”指幼有所育、学有所教、劳有所得、病有所医、"
        "老有所养、住有所居、弱有所扶;“五性”指便利性、宜居性、多样性、公正性、安全性。\n"
        "2.“七彩新华”:指新华路街道提出的“红色引领、橙色活力、黄色温暖、绿色生态、青色文化、蓝色安全、紫色善治”七个方面发展目标。\n"
        "3.“三率”:指12345市民服务热线诉求办理的响应率、解决率和满意率。\n"
    )
    parts = {n.term: [p[0] for p in n.parts] for n in parse_report(HEAD + notes, "x").notes}
    assert parts["七有五性"][0] == "幼有所育" and parts["七有五性"][7] == "便利性" and len(parts["七有五性"]) == 12
    assert parts["七彩新华"][0] == "红色引领" and parts["七彩新华"][-1] == "紫色善治"
    assert parts["三率"] == ["响应率", "解决率", "满意率"]
    speech = (
        "某街道党工委全会讲话\n一、充分肯定成绩\n(一)经济\n新增企业3家。\n三、强化担当\n"
        "同志们,今年的目标已经明确,关键在落实。\n一要强化责任担当。各分管领导要靠前指挥。\n二要提升能力本领。要大兴调查研究。\n"
        "同志们,新征程充满光荣和梦想,让我们团结一心,为建设美丽街道而努力奋斗!\n"
    )
    last = parse_report(speech, "x").parts[-1]
    assert [i.title for s in last.sections for i in s.initiatives] == ["强化责任担当", "提升能力本领"]
    assert len(last.closing) == 1
    from kg.pinyin import toned

    assert toned("四会一代办") == "sì huì yī dài bàn"


def test_a_red_header_cover_and_a_notice_wrapped_inside_its_brackets():
    """长沙市望城区乌山街道办事处文件 / 望乌办发〔2024〕3号 / 关于印发《…和 / 2024年工作计划》的通知: the
    document's title, its issuer and number (the cover line was the title)."""
    text = (
        "长沙市望城区乌山街道办事处文件\n\n望乌办发〔2024〕3号                  签发人：刘建军\n\n"
        "关于印发《乌山街道2023年工作总结和\n2024年工作计划》的通知\n\n各社区、村：\n"
        "一、2023年工作回顾\n(一)经济\n新增企业3家。\n二、2024年工作计划\n(一)经济\n新增企业5家。\n"
    )
    md = parse_report(text, "x").metadata
    assert md.title == "乌山街道2023年工作总结和2024年工作计划" and md.place == "乌山街道"
    assert (md.fields["发文机关"], md.fields["文号"]) == ("长沙市望城区乌山街道办事处", "望乌办发〔2024〕3号")


def test_a_target_year_across_clauses_a_class_past_a_sum_and_a_point_s_number():
    """到2028年,A…;B…;C…: all of 2028 (only the first was); 其中过10亿元项目3个: a class (10亿元 was an
    amount); (1)12345热线解决率、满意率均力争达到95%以上: no 1) nor 均 in the label; 日均 kept."""
    body = (
        "到2028年,地区生产总值突破320亿元;一般公共预算收入达到18亿元。其中过10亿元项目3个。\n"
        "（1）12345热线解决率、满意率均力争达到95%以上。湿垃圾分出量日均45吨。\n"
    )
    r = parse_report("某镇2023年政府工作报告\n一、今后五年的目标任务\n(一)经济\n" + body, "x")
    got = {q.raw: (q.period, q.label) for q in r.quantities}
    assert got["320亿元"][0] == got["18亿元"][0] == "2028" and "10亿元" not in got
    assert got["3个"][1] == "过10亿元项目" and got["95%以上"][1] == "12345热线解决率、满意率"
    assert got["45吨"][1] == "湿垃圾分出量日均"


def test_review_27_rules_that_fired_too_widely():
    """A part heading under a WeChat byline is no title; a plan's item with a figure is no closing
    (…打造宜居家园。, 各社区要…15个。, 安全生产责任重大。…); a paragraph of both targets and measures
    keeps its targets' figures; a target year named elsewhere in the sentence is not a figure's
    (按照到2025年…的目标,全年完成改造12个), nor 回升至2019年水平; 占道/占用 are no shares; 立即 is no
    即; 公园一个、广场一个 count; 第一、 and 第二、 read alike; 美丽乡村 is no village; 改为民宿 wéi."""
    head = "某某街道2023年工作报告\n一、2023年工作回顾\n(一)经济发展\n全年实现税收收入3.2亿元。\n"
    head += "二、2024年工作计划\n(一)城市建设\n"
    tail = "\n(二)社会治理\n加强网格管理,新增网格员50名。\n"
    for line in (
        "2024年,街道将继续推进老旧小区改造15个,打造宜居家园。",
        "各社区要加快推进老旧小区改造,全年完成改造15个。",
        "安全生产责任重大。全面落实安全生产责任制,确保圆满完成全年目标。",
    ):
        assert parse_report(head + line + tail, "x").parts[1].sections[0].initiatives, line
    both = parse_report(
        head + "具体目标:税收增长5%,新增企业20家;主要举措:一是加强招商引资;二是优化营商环境。" + tail, "x"
    )
    assert {q.raw: q.container for q in both.quantities}["20家"] == "part-2/section-1/intro-1"
    wechat = "兆麟街道2024年工作报告\n原创 兆麟街道 兆麟发布 2024-01-12 18:30 发表于黑龙江\n" + head.split("\n", 1)[1]
    r = parse_report(wechat + "加强招商。\n", "x")
    assert r.metadata.title == "兆麟街道2024年工作报告" and len(r.parts) == 2
    got = _quantities(
        "按照到2025年完成改造30个的目标,全年完成改造12个。客流量回升至2019年水平,全年接待游客120万人次。"
        "清理占道经营摊点30处,占道经营整治率98%,同比提高5%。建成公园一个、广场一个。\n"
    )
    assert "一个" in got and got["98%"][3] == "占道经营整治率"
    periods = {
        q.raw: q.period
        for q in parse_report(HEAD + "按照到2025年完成改造30个的目标,全年完成改造12个。\n", "x").quantities
    }
    assert periods["12个"] == "2023"
    r = parse_report(HEAD + "健全“吹哨报到”机制立即启动应急响应程序。\n", "x")
    assert not r.definitions
    ordinal = parse_report(
        head + "推进改造。\n第一、全力推进项目建设\n1)加快项目进度。\n第二、优化营商环境\n1)开展走访。\n", "x"
    )
    assert [s.title for s in ordinal.parts[1].sections][-2:] == ["全力推进项目建设", "优化营商环境"]
    assert (
        parse_report("某某镇美丽乡村2023年工作总结\n" + HEAD.split("\n", 1)[1] + "新增企业3家。\n", "x").metadata.place
        == "某某镇"
    )
    from kg.pinyin import toned

    assert toned("改为民宿").split()[1] == "wéi"


def test_part_headings_with_a_full_stop_bullets_and_hyphen_points():
    """一、2024年工作总结。 / 二、2025年工作计划。: parts (the report was refused, "no part headings");
    ▲ opening a line of sentences is a bullet (its text was dropped as a photo's caption; a short
    ▲ caption still is); - points under a bullet are its text, not sibling items, and no label
    opens with the hyphen; “十乱”问题3,860处 is 3,860 (the 3 was note 3's marker), and the 1 of
    “1+4+N” no marker."""
    text = (
        "民族街道2024年工作总结和2025年工作计划\n一、2024年工作总结。\n（一）坚持党建引领。\n"
        "▲ 网格治理：划分基础网格214个，全年采集上报事件12.6万宗，处置率99.8%。\n▲社区志愿者开展义诊活动\n"
        "➢ 招商引资：全年引进重点企业38家。\n- 举办专场招商推介会4场；\n- 协议投资额达到63.5亿元。\n"
        "（二）城市管理\n整治“十乱”问题3,860处，落实市委“1+4+N”工作体系。\n"
        "二、2025年工作计划。\n（一）稳增长\n税收收入增长5%。\n名词解释：\n1.“1+4+N”：指一个中心、四个平台。\n"
        "3.“十乱”：指乱停乱放等。\n"
    )
    r = parse_report(text, "x")
    assert [(p.title, p.kind) for p in r.parts] == [("2024年工作总结", "review"), ("2025年工作计划", "plan")]
    assert [i.title for i in r.parts[0].sections[0].initiatives] == ["网格治理", "招商引资"]
    got = {q.raw: q.label for q in r.quantities}
    assert got["214个"] == "划分基础网格" and got["4场"] == "专场招商推介会" and got["63.5亿元"] == "协议投资额"
    assert got["3,860处"] == "整治“十乱”问题" and not r.markers


def test_a_further_change_a_rank_a_party_committee_s_place_and_a_bilingual_glossary_heading():
    """信访总量再下降5%: labelled 信访总量 (it was 信访总量再); 再签约4台: 签约, but 再生资源 stays;
    全区前5名 is a rank, no count of 5 people; 中共春熙路街道工作委员会…: the place 春熙路街道 (it
    was 中共春熙路街道); 名词解释(Glossary): heads the notes (they were work items)."""
    got = _quantities("信访总量再下降5%。力争再签约4台。新建再生资源回收站12个。综合排名稳定在全区前5名。\n")
    assert [got[k][3] for k in ("5%", "4台", "12个")] == ["信访总量", "签约", "再生资源回收站"] and "5名" not in got
    text = (
        "中共春熙路街道工作委员会2019年工作报告\n一、2019年工作回顾\n(一)党建\n推行“1+3+N”模式。\n"
        "名词解释（Glossary）：\n1.“1+3+N”：指一个综合党委、三个联合党支部和若干党组织。\n"
    )
    r = parse_report(text, "x")
    assert r.metadata.place == "春熙路街道" and [n.term for n in r.notes] == ["1+3+N"]


def test_an_annex_table_after_the_glossary_with_rows_of_groups():
    """名词解释 then 附件:…完成情况表: the annex is no note's text (it was note 1's definition, its
    figures lost and not even unaccounted); 一、经济发展类 between rows groups them (it was a part,
    and the next row the header of a new table); 其中:地方财政收入 is 地方财政收入; 下降2.7个百分点 in
    the 增幅 column is −2.7 of 楼宇空置率 (it was labelled 下降)."""
    text = (
        "米市巷街道2019年工作总结\n一、2019年工作总结\n（一）经济\n全年实现财政总收入8.36亿元。\n"
        "名词解释：\n1.“三服务”：指服务企业、服务群众、服务基层。\n\n附件：米市巷街道2019年主要经济社会指标完成情况表\n"
        "指标\t单位\t目标\t完成\t增幅\n一、经济发展类\n财政总收入\t亿元\t8.20\t8.36\t7.4%\n"
        "其中：地方财政收入\t亿元\t4.50\t4.62\t6.8%\n二、城市管理类\n楼宇空置率\t%\t≤10\t8.9\t下降2.7个百分点\n"
    )
    r = parse_report(text, "x")
    assert len(r.parts) == 1 and r.notes[0].definition == "指服务企业、服务群众、服务基层。"
    got = {q.label: (q.value, q.unit, q.period) for q in r.quantities}
    assert got["财政总收入(完成)"] == (836000000, "元", "2019")
    assert got["地方财政收入(增幅)"][:2] == (Decimal("6.8"), "%")
    assert got["楼宇空置率(增幅)"][:2] == (Decimal("-2.7"), "百分点")


def test_units_of_video_channels_classes_and_visits_a_shortened_time_and_kinds_of_people():
    """视频探头1,420路, 课程1,260节, 2,860处次: figures (路 and 节 were lost, 处次 read as 处 with
    the label 次); 处置时长再缩短10%: −10 % (it was +10); 2,136名独居、高龄、失能老人: the kinds of
    people counted (the label was 独居); 12个社区、3个村: each its own."""
    got = _quantities(
        "接入视频探头1,420路、物联感知设备2,600个。检查场所2,860处次。开设课程1,260节。"
        "事件平均处置时长再缩短10%。为2,136名独居、高龄、失能老人提供服务。覆盖12个社区、3个村。\n"
    )
    assert [got[k][1] for k in ("1,420路", "1,260节", "2,860处次")] == ["路", "节", "处次"]
    assert got["2,600个"][3] == "物联感知设备" and got["10%"][0] == -10
    assert [got[k][3] for k in ("2,136名", "12个", "3个")] == ["独居、高龄、失能老人", "社区", "村"]


def test_a_change_against_a_figure_of_another_year():
    """2.26亿元,较2022年的2.14亿元增长5.6%: +5.6 % is 2.26亿元's (it was the 2022 figure's, against what
    the 2022 report says of it); 比2016年的26.3亿元增长35.4%: growth over seven years, no one's
    year-on-year change (26.3亿元 had +35.4 % "y/y")."""
    body = "区级地方财力2.26亿元，较2022年的2.14亿元增长5.6%。税收收入35.6亿元，比2016年的26.3亿元增长35.4%。\n"
    r = parse_report(HEAD + body, "x")
    got = {q.raw: (q.change_percent, q.period) for q in r.quantities}
    assert got["2.26亿元"] == (Decimal("5.6"), "2023") and got["2.14亿元"] == (None, "2022")
    assert got["26.3亿元"] == (None, "2016") and got["35.4%"][0] is None


def test_a_numeric_shorthand_spelled_out_after_ji_a_few_words_on():
    """构建“1+3+N”党建工作格局，即1个社区党委、3个网格党支部、N个楼栋党小组: 1+3+N defined with three
    components (it had none), and 1个, 3个 no figures (they were 社区党委 1, 网格党支部 3)."""
    body = "构建“1+3+N”党建工作格局，即1个社区党委、3个网格党支部、N个楼栋党小组。“一网通办”，即办件比例达到85%。\n"
    r = parse_report(HEAD + body, "x")
    got = {d.term: [(p[0], p[3]) for p in d.parts] for d in r.definitions}
    assert got == {"1+3+N": [("社区党委", 1), ("网格党支部", 3), ("楼栋党小组", None)]}
    assert [q.raw for q in r.quantities] == ["85%"]


def test_lead_lines_alone_title_items_when_a_paragraph_opens_with_a_sentence_of_no_figure():
    """党建引领基层治理。 alone, its paragraph, then 居民自治共治深化。 alone and 全面推行居民议事机制,协同
    处置社区问题。全街道…: four items titled by the lines alone (the section was one item titled by
    that paragraph's first sentence, the items before it its intro); “和美楼组”60个 is a figure, not
    a quoted name and its marker (评选“和美楼组”60个。 was an item of its own)."""
    body = (
        "党建引领基层治理。\n严格落实“三会一课”制度，全年开展主题党日活动480余次。\n居民自治共治深化。\n"
        "全面推行居民议事机制，协同处置社区问题。全街道12个居民区均建立居民议事会。\n网格化管理提质。\n"
        "将辖区划分为46个网格。\n楼组自治活力迸发。\n评选“和美楼组”60个。\n"
    )
    r = parse_report(HEAD + body, "x")
    titles = [i.title for i in r.initiatives()]
    assert titles == ["党建引领基层治理", "居民自治共治深化", "网格化管理提质", "楼组自治活力迸发"]


def test_word_numbering_with_full_width_dots_and_a_section_of_aims():
    """1．1 经济发展 (a full-width dot) numbers a section as 1.1 does (the review was the preamble and
    the only part 32024年工作计划); 3.1 主要目标's paragraph is its text, no work item (it was one,
    titled 一般公共预算收入增长5%左右); a paragraph under 2．2．1, opening with a sentence of no figure, is its
    text (it was an item beside it)."""
    text = (
        "下应街道2023年工作总结和2024年工作计划\n1 总体情况\n1．1 经济发展\n1．1．1 招商引资\n全年引进项目12个。\n"
        "1．1．2 楼宇经济\n楼宇税收增长8%。\n2 2024年工作计划\n2．1 主要目标\n一般公共预算收入增长5%左右。\n"
        "2．2 重点任务\n2．2．1 聚焦产业提质\n推进产业园二期建设。\n"
    )
    r = parse_report(
        text.replace("推进产业园二期建设。", "推进产业园二期建设。\n加快智能装备产业园建设，推动示范项目落地。"), "x"
    )
    assert [p.title for p in r.parts] == ["总体情况", "2024年工作计划"]
    assert [(s.title, len(s.initiatives)) for s in r.parts[1].sections] == [("主要目标", 0), ("重点任务", 1)]
    assert [i.title for i in r.parts[0].sections[0].initiatives] == ["招商引资", "楼宇经济"]


def test_five_years_in_a_report_delivered_in_december():
    """过去五年 / 今后五年 in a report delivered 2021年12月22日 with a 2022 plan: 2017–2021 and
    2022–2026 (they were 2016–2020 and 2021–2025); delivered in January, the same."""
    text = (
        "砥砺奋进谱新篇\n——在枫林路街道第四届社区代表大会第一次会议上的报告\n（2021年12月22日）\n"
        "一、过去五年工作回顾\n（一）经济\n税收收入年均增长6.2%。\n二、今后五年的目标任务\n（一）目标\n到2026年税收翻番。\n"
        "三、2022年工作安排\n（一）稳增长\n引进项目10个。\n"
    )
    for date in ("2021年12月22日", "2022年1月10日"):
        r = parse_report(text.replace("2021年12月22日", date), "x")
        assert [(p.kind, p.years or p.year) for p in r.parts] == [
            ("review", ("2017", "2021")),
            ("plan", ("2022", "2026")),
            ("plan", "2022"),
        ], date


def test_a_part_after_the_plan_is_of_the_plan_s_year():
    """四、保障措施 and 三、全面加强政府自身建设 after 2024年工作计划: planning 2024, their figures too
    (they had no period, then no kind); 存在的问题 between review and plan stays of no year."""
    text = (
        "某某街道2023年工作总结和2024年工作计划\n一、2023年工作总结\n（一）经济\n新增企业3家。\n二、存在的问题\n"
        "招商引资压力较大。\n三、2024年工作计划\n（一）稳增长\n引进项目10个。\n四、保障措施\n（一）强化要素保障\n"
        "统筹安排资金1.5亿元以上。\n"
    )
    r = parse_report(text, "x")
    assert [(p.kind, p.year) for p in r.parts] == [
        ("review", "2023"),
        ("other", None),
        ("plan", "2024"),
        ("plan", "2024"),
    ]
    assert {q.raw: q.period for q in r.quantities}["1.5亿元以上"] == "2024"


def test_a_run_of_the_town_and_the_country():
    """城乡居民人均可支配收入分别增长8%和8.5%: 城镇… and 农村… (both were 城乡…, not told apart)."""
    got = _quantities("城乡居民人均可支配收入分别增长8%和8.5%。\n")
    assert [got[k][3] for k in ("8%", "8.5%")] == ["城镇居民人均可支配收入", "农村居民人均可支配收入"]


def test_words_that_look_like_lead_and_tail_words():
    """3家大型商超 (超 is no "over"), 在和平街… (和平 a name), 受理中心全年办件, 达成就业意向: whole
    (they were 大型商, 平街…, 中心全年办件, 成就业意向); 受理群众诉求1200件 still 群众诉求."""
    got = _quantities(
        "引进3家大型商超。在和平街与长乐路交叉口建设口袋公园1个。受理中心全年办件13.1万件。"
        "达成就业意向近六百人。受理群众诉求1200件。\n"
    )
    assert [got[k][3] for k in ("3家", "13.1万件", "六百人", "1200件")] == [
        "大型商超",
        "受理中心全年办件",
        "达成就业意向",
        "群众诉求",
    ]
    assert got["1个"][3].startswith("和平街")


def test_a_figure_broken_over_two_lines():
    """…处置各类问题1.2 / 万件, …惠及居民1,2 / 36户, 智能派单2.3 / 6万件: 12,000, 1,236 and 23,600 (the
    first was lost, the others 36 户 and 60,000 件); 2.加强管理。 after a line ending in a figure is an item."""
    body = "网格发现并处置各类问题1.2\n万件。旧住房修缮惠及居民1,2\n36户。智能派单2.3\n6万件，办结率达到98\n"
    body += "2.加强管理。新增网格员12名。\n"
    got = _quantities(body)
    assert [got[k][0] for k in ("1.2万件", "1,236户", "2.36万件")] == [12000, 1236, 23600]
    assert parse_report(HEAD + body, "x").initiatives()[-1].title == "加强管理"


def test_a_report_of_a_year_and_its_chronicle():
    """金华里社区居委会2022年度工作报告 (delivered 2023): its parts with no year review 2022 (they were of
    2021); 附:2022年社区大事记 after the plan is a part reviewing 2022 (its lines were the 2023 plan's
    closing, their figures of 2023)."""
    text = (
        "金华里社区居委会2022年度工作报告\n（2023年1月12日在金华里社区居民代表会议上）\n一、主要工作\n（一）党建\n"
        "开展主题党日12次。\n二、居民代表建议办理情况\n（一）建议\n共提出建议14件。\n三、2023年工作打算\n（一）治理\n"
        "新建睦邻点3个。\n附：2022年社区大事记\n1月15日，走访慰问困难党员和居民46户。\n"
    )
    r = parse_report(text, "x")
    got = [(p.title, p.kind, p.year) for p in r.parts]
    assert got[1:] == [
        ("居民代表建议办理情况", "review", "2022"),
        ("2023年工作打算", "plan", "2023"),
        ("2022年社区大事记", "review", "2022"),
    ]
    assert {q.raw: q.period for q in r.quantities}["46户"] == "2022"


def test_changes_against_a_quarter_and_a_run_said_against_last_year():
    """比一季度提高1.8个百分点: the change of 楼宇平均入驻率, no year-on-year one (it was labelled
    比一季度); 分别较去年同期提高1.2个和1.8个百分点: 解决率 and 满意率 (they were 解决率较去年同期提高)."""
    r = parse_report(
        HEAD + "楼宇平均入驻率达到89.6%，比一季度提高1.8个百分点。解决率93.6%，满意率95.1%，"
        "分别较去年同期提高1.2个和1.8个百分点。\n",
        "x",
    )
    got = [(q.raw, q.label) for q in r.quantities]
    assert got[1] == ("1.8个百分点", "楼宇平均入驻率") and [g[1] for g in got[4:]] == ["解决率", "满意率"]


def test_fractions_in_words():
    """占户籍人口的三分之一以上: a share of about 33.3 % (it was no figure); 较上年缩短三分之一: −33.3 %;
    三分之二的小区 (a fraction of what follows) stays no figure."""
    got = _quantities(
        "老年人口27,300人，占户籍人口的三分之一以上。处置时长较上年缩短三分之一。三分之二的小区完成改造。\n"
    )
    assert got["三分之一以上"] == (Decimal("33.3"), "%", True, "老年人口(占户籍人口比重)")
    assert got["三分之一"][0] == Decimal("-33.3") and "三分之二" not in got


def test_note_parts_without_what_the_list_is_of_nor_when_each_is_done():
    """…、齐心共治六个方面: 齐心共治 (it kept 六个方面); 自治、法治、德治相结合的基层治理体系: 德治; …、社会慈善资源
    五方联动: 社会慈善资源; 定期召开支部党员大会、…,按时上好党课: 支部党员大会 … 党课; “6”指6个片区党总支:
    片区党总支; “1234”工作法 … 4步闭环: 闭环 (it was 步闭环)."""
    notes = (
        "名词解释：\n1.“三会一课”：指定期召开支部党员大会、支部委员会、党小组会，按时上好党课。\n"
        "2.“长乐六心”：指暖心服务、安心居住、舒心环境、贴心养老、顺心办事、齐心共治六个方面。\n"
        "3.“三治融合”：指自治、法治、德治相结合的基层治理体系。\n"
        "4.“五社联动”：指社区、社会组织、社会工作者、社区志愿者、社会慈善资源五方联动。\n"
        "5.“1+6+N”：“1”指街道党工委，“6”指6个片区党总支，“N”指各类党组织。\n"
        "6.“1234”工作法：指1个平台、2张清单、3支队伍、4步闭环。\n"
    )
    r = parse_report(HEAD + "落实“三会一课”制度。\n" + notes, "x")
    last = {n.term: [p[0] for p in n.parts][-1] for n in r.notes}
    assert last == {
        "三会一课": "党课",
        "长乐六心": "齐心共治",
        "三治融合": "德治",
        "五社联动": "社会慈善资源",
        "1+6+N": "各类党组织",
        "1234": "闭环",
    }
    assert r.notes[0].parts[0][0] == "支部党员大会" and r.notes[4].parts[1][0] == "片区党总支"


def test_a_table_s_caption_under_the_section_it_belongs_to():
    """(二)重点项目 / 2025年八大关街道重点项目计划表 / its table: the projects are the section's (the
    caption was a section of its own, (二) left with no work item)."""
    text = (
        "八大关街道2024年工作总结及2025年工作计划\n一、2024年工作总结\n（一）经济\n新增企业3家。\n二、2025年工作计划\n"
        "（一）稳增长\n引进项目10个。\n（二）重点项目\n2025年八大关街道重点项目计划表\n"
        "序号\t项目名称\t建设内容\t责任单位\n1\t历史文化街区保护提升工程\t修缮历史建筑12栋\t城市管理办公室\n"
        "2\t口袋公园建设\t新建口袋公园3处\t城市管理办公室\n（三）民生实事\n新建长者食堂2家。\n"
    )
    sections = parse_report(text, "x").parts[1].sections
    assert [s.title for s in sections] == ["稳增长", "重点项目", "民生实事"]
    assert [i.title for i in sections[1].initiatives] == ["历史文化街区保护提升工程", "口袋公园建设"]


def test_pipe_tables_in_a_plain_text_copy():
    """| 指标名称 | 单位 | 2023年 | 2024年 | 增长 | in a copy that is no Markdown: a table (its rows were work
    items titled |指标名称|单位|…|, its figures lost, −5.6% read as 5.6)."""
    text = (
        "八大关街道2024年工作总结\n一、2024年工作总结\n（一）经济运行稳中向好\n主要经济指标完成情况如下：\n"
        "| 指标名称 | 单位 | 2023年 | 2024年 | 增长 |\n| --- | --- | --- | --- | --- |\n"
        "| 一般公共预算收入 | 万元 | 38,620 | 40,860 | 5.8% |\n| 固定资产投资 | 亿元 | 12.6 | 11.9 | -5.6% |\n"
    )
    r = parse_report(text, "x")
    got = {q.label: (q.value, q.period) for q in r.quantities}
    assert got["一般公共预算收入"] == (408600000, "2024") and got["固定资产投资(增长)"][0] == Decimal("-5.6")
    assert not r.initiatives()
    # 指标名称 | 单位 | 目标 | 完成 | 增幅: pipes between the cells only (the figures were lost, the
    # −0.3 read as 0.3); one such line alone is no table (来源:… | 编辑:… | 阅读 1.2万)
    r = parse_report(
        "八大关街道2024年工作报告\n一、2023年工作回顾\n（一）经济\n全年实现财政总收入11.86亿元。\n主要指标完成情况如下：\n"
        "指标名称 | 单位 | 目标 | 完成 | 增幅\n财政总收入 | 亿元 | 11.5 | 11.86 | 8.4%\n"
        "城镇登记失业率 | % | ≤2.5 | 1.9 | -0.3个百分点\n（二）治理\n"
        "来源：街道办 | 编辑：王敏 | 审核：李强\n新建网格12个。\n",
        "x",
    )
    got = {q.label: q.value for q in r.quantities}
    assert got["财政总收入(目标)"] == 1150000000 and got["城镇登记失业率(增幅)"] == Decimal("-0.3")
    assert len(r.tables) == 1 and "来源：街道办 | 编辑：王敏 | 审核：李强" in r.text


def test_a_motto_above_the_document_s_own_title():
    """知行合一 笃行致远 / 奋力谱写…新篇章 / ——行知街道办事处2023年工作报告: titled by the last line (the
    motto was the title, the report of no year)."""
    text = (
        "知行合一　笃行致远\n奋力谱写行知街道高质量发展新篇章\n——行知街道办事处2023年工作报告\n（2024年1月16日）\n"
        "一、2023年工作回顾\n（一）经济\n新增企业3家。\n二、2024年工作安排\n（一）稳增长\n引进项目10个。\n"
    )
    md = parse_report(text, "x").metadata
    assert (md.title, md.period, md.place) == ("行知街道办事处2023年工作报告", "2023", "行知街道")


def test_labels_without_verbs_of_reaching_and_spans_of_years():
    """种植面积扩大到1.1万亩, 达标率保持100%, 楼宇税收实现1.2亿元, 财政总收入两年累计完成…: 种植面积, 达标率,
    楼宇税收, 财政总收入; 对照“18个是否”检视问题 keeps 对照; 20个居民区微更新项目 is 居民区微更新项目 (it was
    居民区微); 重点人群132户实行“一户一档”: 重点人群 (it was 实行“”)."""
    got = _quantities(
        "黄桃种植面积扩大到1.1万亩。交接断面水质达标率保持100%。楼宇税收实现1.2亿元。对照“18个是否”检视问题63个。"
        "完成20个居民区微更新项目。重点人群132户实行“一户一档”。财政总收入两年累计完成17.01亿元。\n"
    )
    assert [got[k][3] for k in ("1.1万亩", "100%", "1.2亿元", "63个", "20个", "132户")] == [
        "黄桃种植面积",
        "交接断面水质达标率",
        "楼宇税收",
        "对照“18个是否”检视问题",
        "居民区微更新项目",
        "重点人群",
    ]
    assert got["17.01亿元"][3].startswith("财政总收入") and "两年" not in got["17.01亿元"][3]


def test_amounts_per_person_and_a_rise_said_as_an_increase():
    """835元/人: its unit 元/人 (it was 元); 低保标准由每人每月1,330元提高到1,420元,增幅6.8%: both 低保标准 (they
    were 低保标准由每人每月) and 6.8 % 低保标准(增幅) (it was 增幅); 托育服务收费标准控制在每人每月2,800元以内:
    托育服务收费标准."""
    got = _quantities(
        "月人均保障金额为835元/人。低保标准由每人每月1,330元提高到1,420元，增幅6.8%。"
        "托育服务收费标准控制在每人每月2,800元以内。\n"
    )
    assert got["835元/人"][1] == "元/人"
    assert [got[k][3] for k in ("1,330元", "1,420元", "6.8%", "2,800元以内")] == [
        "低保标准",
        "低保标准",
        "低保标准(增幅)",
        "托育服务收费标准",
    ]


def test_a_year_opening_a_clause_in_a_stretch_of_years():
    """过去五年 / …,2021年生命健康产业税收占街道税收比重达到42%: of 2021, labelled without the year (it had no
    period, and 2021年 in its label)."""
    text = (
        "某某街道2021年工作报告\n一、过去五年工作回顾\n(一)经济\n五年来，产业结构持续优化，2021年生命健康产业税收占"
        "街道税收比重达到42%。\n二、2022年工作安排\n(一)稳增长\n引进项目10个。\n"
    )
    q = parse_report(text, "x").quantities[0]
    assert (q.raw, q.period, q.label) == ("42%", "2021", "生命健康产业税收占街道税收比重")


def test_a_count_after_a_quoted_term_is_no_footnote_marker():
    """同步推进“完整社区”建设试点2个 with a note 2 “完整社区”: 2个 is a figure (it was note 2's marker,
    the figure lost); “三会一代理”2机制 keeps its marker."""
    notes = "名词解释：\n1.“一网统管”：指城市运行。\n2.“完整社区”：指设施完善的社区。\n"
    r = parse_report(HEAD + "同步推进“完整社区”建设试点2个。\n" + notes, "x")
    assert [q.raw for q in r.quantities] == ["2个"] and not r.markers
    marked = parse_report(HEAD + "推行“完整社区”2机制。\n" + notes, "x")
    assert [m.number for m in marked.markers] == [2]


def test_an_annex_headed_by_fujian_alone_after_the_glossary():
    """名词解释 / notes / 附件 (alone on its line) / 2023年行知街道主要经济指标 / its table: the annex is the
    review's results (附件 alone was dropped as a web page's attachment list, and the table ran into the
    last note); 附件: above a file's name is still a web page's attachment."""
    text = (
        "行知街道2023年工作报告\n一、2023年工作回顾\n（一）经济\n全年实现税收收入12.46亿元。\n二、2024年工作安排\n"
        "（一）稳增长\n引进项目10个。\n名词解释：\n1.“一网统管”：指城市运行一网统管。\n附件\n2023年行知街道主要经济指标\n"
        "指标\t单位\t2022年\t2023年\t增长%\n税收收入\t亿元\t11.89\t12.46\t4.8\n"
    )
    r = parse_report(text, "x")
    assert r.notes[0].definition == "指城市运行一网统管。" and len(r.tables) == 1
    got = {(q.raw, q.period) for q in r.quantities if q.label.startswith("税收收入")}
    assert ("11.89", "2022") in got and ("4.8", "2023") in got
    page = parse_report(text.replace("附件\n2023年行知街道主要经济指标", "附件：\n1.主要经济指标.xlsx"), "x")
    assert "主要经济指标" not in " ".join(p.text for p in page.parts[1].closing)


def test_an_increase_said_bare_after_a_figure():
    """农民人均纯收入5860元,增加680元,增长13.1%: 680元 is how much 5860元 grew, +13.1 % 5860元's change (680元
    had it, labelled 增加); 财政收入1860万元,减少126万元: −126万元."""
    r = parse_report(HEAD + "农民人均纯收入5860元，增加680元，增长13.1%。完成财政收入1860万元，减少126万元。\n", "x")
    got = {q.raw: (q.value, q.change_percent, q.label) for q in r.quantities}
    assert got["5860元"][1] == Decimal("13.1") and got["680元"] == (680, None, "农民人均纯收入(增加)")
    assert got["126万元"] == (-1260000, None, "财政收入(减少)")


def test_words_of_indicators_kept_whole_and_farm_units():
    """新农村建设示范村, 新农合参合率, 建成区绿化覆盖率, 专项审计, 区下达: whole (they lost 新, 建成, 计, 达);
    建成区域性养老服务中心 still loses 建成; 1.12万担, 16.8万头次, 120万羽次: units of a farm (担 was lost, 头次
    and 羽次 read as 头 and 羽 with the label 次)."""
    got = _quantities(
        "启动12个新农村建设示范村。新农合参合率达到98%。建成区绿化覆盖率达到42%。开展重点领域专项审计18项。"
        "超额完成区下达1000亩的任务。建成区域性养老服务中心2家。收购烟叶1.12万担。免疫生猪16.8万头次、家禽120万羽次。\n"
    )
    labels = [got[k][3] for k in ("12个", "98%", "42%", "18项", "1000亩", "2家")]
    assert labels == [
        "新农村建设示范村",
        "新农合参合率",
        "建成区绿化覆盖率",
        "重点领域专项审计",
        "超额完成区下达",
        "区域性养老服务中心",
    ]
    assert [got[k][1] for k in ("1.12万担", "16.8万头次", "120万羽次")] == ["担", "头次", "羽次"]


def test_bulleted_leads_alone_under_bracketed_sections():
    """【经济发展】 / ◆经济运行稳中向好 / its paragraph / ◆楼宇经济提质增效 / …: the ◆ lines are the
    section's work items (each was a section of its own, 【经济发展】 left empty)."""
    text = (
        "三里庵街道2024年工作报告\n一、2023年工作回顾\n【经济发展】\n◆经济运行稳中向好\n全年完成税收收入18.62亿元，同比增长6.8%。\n"
        "◆楼宇经济提质增效\n辖区28栋重点商务楼宇入驻企业2160家。\n◆招商引资成果丰硕\n全年新引进企业386家。\n"
        "【城市管理】\n◆精细管理持续深化\n新建口袋公园6个。\n"
    )
    sections = parse_report(text, "x").parts[0].sections
    assert [(s.title, [i.title for i in s.initiatives]) for s in sections] == [
        ("经济发展", ["经济运行稳中向好", "楼宇经济提质增效", "招商引资成果丰硕"]),
        ("城市管理", ["精细管理持续深化"]),
    ]


def test_thresholds_of_any_unit_and_ranges_of_sums_class_a_count():
    """5亿元至10亿元项目9个, 超5000万元的村(社区)8个, 年出栏500头以上规模养猪场23个: counts, labelled by their
    class (5亿元, 10亿元, 5000万元 and 500头 were figures of their own)."""
    got = _quantities(
        "其中超10亿元项目6个、5亿元至10亿元项目9个。其中超5000万元的村（社区）8个。年出栏500头以上规模养猪场23个。\n"
    )
    assert sorted(got) == ["23个", "6个", "8个", "9个"]
    assert [got[k][3] for k in ("9个", "8个", "23个")] == [
        "5亿元至10亿元项目",
        "超5000万元的村(社区)",
        "年出栏500头以上规模养猪场",
    ]


def test_a_table_of_key_projects_after_the_closing_words():
    """各位代表,…! / 2024年重点项目 / its table with a 合计 row: a section of the plan, each row a work item but
    the total (the table was the closing's text, the total row an item with no title); the total's
    figures labelled 合计."""
    text = (
        "容桂街道2024年工作报告\n一、2023年工作回顾\n（一）经济\n新增企业3家。\n二、2024年工作安排\n（一）稳增长\n引进项目10个。\n"
        "各位代表，新征程上，让我们奋勇前进！\n2024年重点项目\n序号\t项目名称\t总投资（亿元）\n1\t智能家电产业园\t12.6\n"
        "2\t桂洲大道东延线二期\t6.8\n合计\t—\t19.4\n"
    )
    r = parse_report(text, "x")
    projects = r.parts[1].sections[-1]
    assert projects.title == "2024年重点项目" and [i.title for i in projects.initiatives] == [
        "智能家电产业园",
        "桂洲大道东延线二期",
    ]
    assert "合计(总投资)" in {q.label for q in r.quantities}


def test_review_13_a_caption_a_marker_a_section_and_hyphen_items():
    """Defects a review of the 26th session's diff proved, each with the text that showed it."""
    head = "南码头路街道2022年工作报告\n一、2021年工作回顾\n"
    plan = "二、2022年工作安排\n（一）城市管理\n1.推进城市更新。完成老旧小区改造8个。\n"
    # A part heading between two tables of the same width is no group row of the first: the 2022
    # targets are the plan's (they were labelled 2021年完成, period 2021).
    r = parse_report(
        head + "（一）经济发展\n1.经济运行稳中向好。主要指标完成情况如下：\n指标\t单位\t2021年完成\t同比增长\n"
        "税收收入\t亿元\t5.2\t6.1%\n二、2022年主要预期目标\n指标\t单位\t2022年目标\t预期增长\n"
        "税收收入\t亿元\t5.5\t5%\n三、2022年工作安排\n（一）城市管理\n1.推进城市更新。完成老旧小区改造8个。\n",
        "x",
    )
    assert [p.title for p in r.parts] == ["2021年工作回顾", "2022年主要预期目标", "2022年工作安排"]
    got = {(q.label, q.period) for q in r.quantities}
    assert ("税收收入(2022年目标)", "2022") in got and ("税收收入(预期增长)", "2022") in got
    # “两新”1组织: a note's marker before a word opening with a unit character (no figure 1组)
    r = parse_report(
        head
        + "（一）党建引领\n1.深化区域化党建。推进“两新”1组织党建全覆盖，新建党支部12个。\n"
        + plan
        + "名词解释：\n1.“两新”：指新经济组织和新社会组织。\n",
        "x",
    )
    assert [(m.number, m.quote.text) for m in r.markers] == [(1, "两新")]
    assert [q.raw for q in r.quantities] == ["12个", "8个"]
    # 用心办好民生实事, a lead line in a section, is its item, no section of its own
    r = parse_report(
        head + "（一）经济发展\n招商引资成效明显\n全年引进企业26家。\n（二）民生保障\n用心办好民生实事\n"
        "完成老旧小区改造12个，惠及居民4620户。\n养老服务不断完善\n新建长者照护之家2家。\n" + plan,
        "x",
    )
    assert [s.title for s in r.parts[0].sections] == ["经济发展", "民生保障"]
    assert r.parts[0].sections[1].initiatives[0].title == "用心办好民生实事"
    # A short summary line before lead-sentence items is the section's text, the items stay three
    r = parse_report(
        head + "（一）经济发展稳中有进\n街道经济运行总体平稳。\n招商引资成效明显。全年引进企业26家。\n"
        "营商环境持续优化。开展企业服务日活动24场。\n楼宇经济提档升级。辖区17栋商务楼宇入驻率达到84.3%。\n" + plan,
        "x",
    )
    assert [i.title for i in r.parts[0].sections[0].initiatives] == [
        "招商引资成效明显",
        "营商环境持续优化",
        "楼宇经济提档升级",
    ]
    # Hyphen bullets straight under a section are its items; under ▲ 安全生产:… they are its text
    r = parse_report(
        head + "（一）民生保障\n- 新建长者照护之家2家，助餐点5个；\n- 完成老旧小区改造12个；\n- 新增就业岗位1200个。\n"
        "（二）安全生产\n▲ 安全生产：检查各类场所9,860家次。\n- 完成燃气管道改造1,860户；\n- 开展消防应急演练156场。\n"
        + plan,
        "x",
    )
    assert len(r.parts[0].sections[0].initiatives) == 3 and len(r.parts[0].sections[1].initiatives) == 1
    # Bus routes are names, no counts; video channels (视频探头1,420路、…) are
    got = {
        q.raw
        for q in _parse_quantities(
            "新辟公交981路、982路，开通社区巴士1218路、1218路公交车。新增视频资源1.8万路、人脸识别286路。"
        )
    }
    assert got == {"1.8万路", "286路"}


def _parse_quantities(body: str) -> list:
    return parse_report(
        "南码头路街道2021年工作总结\n一、2021年工作回顾\n（一）交通\n1.优化交通。" + body + "\n", "x"
    ).quantities


def test_responsible_units_of_work_items_in_brackets_and_in_a_table_column():
    """(牵头单位:A、B;配合单位:C、各社区(村)): A and B lead, C partners, 各社区 (every community) is
    no one office; (责任单位:X) after a project's title; a table's 责任单位 column."""
    from kg.parsing.duty import units_in

    assert units_in(
        "推动20家企业实施数字化改造。（牵头单位：经济发展办公室、投资促进中心；配合单位：宣传统战办公室、各社区（村））"
    ) == [
        ("lead", "经济发展办公室"),
        ("lead", "投资促进中心"),
        ("partner", "宣传统战办公室"),
    ]
    assert units_in("新建社区养老服务站4个（责任单位：社会事务办）") == [("lead", "社会事务办")]
    assert units_in("由牵头部门开展专题攻坚") == [] and units_in("（责任单位：" + "很长" * 12 + "）") == []
    r = parse_report(
        "长乐街道2024年工作计划\n一、2024年工作计划\n（一）民生实事项目\n序号\t项目名称\t建设内容\t责任单位\n"
        "1\t社区食堂\t新建社区食堂2个\t民政办、社区服务中心\n2\t口袋公园\t建设口袋公园3个\t城管办\n"
        "（二）招商引资\n1.强化招商引资。全年引进项目12个。（牵头单位：经济发展办公室）\n",
        "x",
    )
    sec, other = r.parts[0].sections
    assert [(i.title, i.units) for i in sec.initiatives] == [
        ("社区食堂", [("lead", "民政办"), ("lead", "社区服务中心")]),
        ("口袋公园", [("lead", "城管办")]),
    ]
    assert other.initiatives[0].title == "强化招商引资" and other.initiatives[0].units == [("lead", "经济发展办公室")]


def test_points_on_lines_of_their_own_are_items_whatever_their_punctuation_or_markers():
    """二是完善“3+1+N”社区治理模式③。: the marker is no figure (the point was glued to the one before);
    一是…。 / 二是…,…42次。 / 三是…,…: each point its item, titled without 一是 (the run was one
    item, 一是深入开展主题教育, or lost its comma-led points)."""

    def titles(body: str) -> list[str]:
        r = parse_report("某街道2023年工作报告\n一、2023年工作回顾\n（一）加强自身建设\n" + body, "x")
        return [i.title for i in r.parts[0].sections[0].initiatives]

    assert titles(
        "一是深化“吹哨报到”改革。全年街道“吹哨”286次。\n二是完善“3+1+N”社区治理模式③。在21个社区全面推行。\n"
        "三是加强社区工作者队伍建设。新招录社区工作者42名。\n"
    ) == ["深化“吹哨报到”改革", "完善“3+1+N”社区治理模式", "加强社区工作者队伍建设"]
    assert titles(
        "一是深入开展主题教育。\n二是全面落实从严治党主体责任，开展专题学习42次。\n"
        "三是严格执行中央八项规定精神，“三公”经费同比下降8.7%。\n"
    ) == ["深入开展主题教育", "全面落实从严治党主体责任", "严格执行中央八项规定精神"]
    assert titles(
        "一是办好人民满意教育。新增公办学位3000个。\n二是完善养老服务体系。新增养老床位200张。\n"
        "三是扎实办好十件民生实事，计划投入资金约8.5亿元。\n"
    ) == ["办好人民满意教育", "完善养老服务体系", "扎实办好十件民生实事"]
    # 一是…;二是… in one paragraph: still one item a point
    assert titles("一是加快产业结构调整，完成低效产业用地减量150亩；二是深化招商引资，全年引进企业300家以上。\n") == [
        "加快产业结构调整",
        "深化招商引资",
    ]


def test_a_run_going_on_in_a_line_two_notes_on_a_line_and_a_marker_after_an_unquoted_term():
    """二是….三是… after a line of its own 一是: three items (三是 was lost); 注:①…。②…: two notes (the
    second was inside the first's definition); 防返贫监测① unquoted: note 1's marker."""
    r = parse_report(
        "某街道2023年工作报告\n一、2023年工作回顾\n（一）聚焦经济发展\n一是楼宇经济提质增效。新引进企业86家。\n"
        "二是招商引资成果丰硕。签约项目15个。三是营商环境持续优化。走访企业1860家次。\n"
        "（二）聚焦基层治理\n深入实施“楼长制”①，推行“网格吹哨”②机制，健全防返贫监测③和帮扶机制。\n"
        "注：①楼长制：指由街道班子成员担任重点楼宇“楼长”的工作机制。②网格吹哨：指网格员发现问题后召集部门联合处置的机制。\n"
        "③防返贫监测：指对脱贫不稳定户开展的动态监测。\n",
        "x",
    )
    assert [i.title for i in r.parts[0].sections[0].initiatives] == [
        "楼宇经济提质增效",
        "招商引资成果丰硕",
        "营商环境持续优化",
    ]
    assert [(n.number, n.term, n.definition) for n in r.notes] == [
        (1, "楼长制", "指由街道班子成员担任重点楼宇“楼长”的工作机制。"),
        (2, "网格吹哨", "指网格员发现问题后召集部门联合处置的机制。"),
        (3, "防返贫监测", "指对脱贫不稳定户开展的动态监测。"),
    ]
    assert [(m.number, m.quote.text) for m in r.markers] == [(1, "楼长制"), (2, "网格吹哨"), (3, "防返贫监测")]
    assert not r.warnings


def test_bulleted_points_in_one_line_are_items_without_their_bullets():
    """●完成…;●加装电梯25台;●新建…: three items (one before), no bullet in their titles or labels
    (●加装电梯 was a figure's label)."""
    r = parse_report(
        "某街道2021年工作报告\n一、2022年工作计划\n【着力城市更新】\n"
        "●完成老旧小区改造8个、约12万平方米；●加装电梯25台；●新建智慧停车场1处，新增泊位300个。\n",
        "x",
    )
    items = r.parts[0].sections[0].initiatives
    assert [i.title for i in items] == ["完成老旧小区改造8个、约12万平方米", "加装电梯25台", "新建智慧停车场1处"]
    assert {q.raw: q.label for q in r.quantities}["25台"] == "加装电梯"


def test_a_footnote_right_under_its_paragraph_is_a_note_not_a_work_item():
    """…以“八八战略”①为总纲… / ①“八八战略”:…: note 1 with its marker, the body going on after it
    (the footnotes were work items, the terms candidates with no definition)."""
    r = parse_report(
        "凯旋街道2023年工作报告\n一、2023年工作回顾\n2023年，街道坚持以“八八战略”①为总纲，深入实施“三个一号工程”②。\n"
        "①“八八战略”：2003年7月浙江省委提出的面向未来发展的八项举措。\n②“三个一号工程”：数字经济“一号发展工程”等。\n"
        "【聚焦经济发展，产业能级稳步提升】\n一是营商环境持续优化。推行“凯旋办·一次办”④，企业开办用时压缩至0.5个工作日。\n"
        "④“凯旋办·一次办”：对企业开办等高频事项实行“一窗受理、一次办结”的服务模式。\n二是消费市场加快回暖。发放消费券380万元。\n",
        "x",
    )
    assert [(n.number, n.term) for n in r.notes] == [(1, "八八战略"), (2, "三个一号工程"), (4, "凯旋办·一次办")]
    assert [m.number for m in r.markers] == [1, 2, 4] and not r.warnings
    assert [i.title for i in r.parts[0].sections[0].initiatives] == ["营商环境持续优化", "消费市场加快回暖"]
    # ①推进…: a point numbered so, with no marker above, stays the text
    r = parse_report(
        "某街道2023年工作报告\n一、2023年工作回顾\n（一）经济\n①招商引资：引进企业12家。\n②营商环境：走访企业80家。\n",
        "x",
    )
    assert not r.notes


def test_closing_words_and_shortcomings_after_the_items_are_no_work():
    """与此同时,我们也清醒地看到…不足:一是…: the part's closing (it was the last project's text);
    新的征程上,…将…作出新的更大贡献!, 总之,2024年,本人将…, 各责任部门要…确保…按期完成: closings
    (they were work items)."""
    head = "某街道2024年工作总结\n一、2024年重点工作完成情况\n（一）重点项目加快推进\n"
    head += "1.山西路地下停车场改造：新增泊位260个。\n"
    r = parse_report(
        head
        + "与此同时，我们也清醒地看到，街道发展中还存在一些短板和不足：一是经济增长后劲不足；二是城市更新任务繁重。\n",
        "x",
    )
    assert len(r.parts[0].sections[0].initiatives) == 1 and "短板" in r.parts[0].closing[0].text
    for closing in (
        "新的征程上，湖南路街道将以更加昂扬的精神状态，为谱写现代化建设新篇章作出新的更大贡献！",
        "总之，2024年，本人将以更高的标准、更实的举措，为建设新五里堡作出新的更大贡献。",
        "各责任部门要对照任务分工，制定具体工作方案，确保各项任务按期完成。",
    ):
        r = parse_report(head + closing + "\n", "x")
        assert [i.title for i in r.parts[0].sections[0].initiatives] == ["山西路地下停车场改造"], closing


def test_roles_after_a_head_and_changes_after_fenbie_before_the_comparison():
    """1.老旧小区改造:计划9个,完成9个,完成率100%: 老旧小区改造(计划), (完成), (完成率) (the second was
    计划, none named the project); 分别较上年增加4家、27家 as 较上年分别…: each figure's change, signed
    once (12起 of 分别较上年减少12起、8起 was +12)."""
    got = _quantities("老旧小区改造：计划9个，完成8个，完成率88.9%。\n")
    assert [got[k][3] for k in ("9个", "8个", "88.9%")] == [
        "老旧小区改造(计划)",
        "老旧小区改造(完成)",
        "老旧小区改造(完成率)",
    ]
    r = parse_report(
        "某街道2024年工作总结\n一、2024年工作完成情况\n（一）经济发展\n1.招商引资。新认定高新技术企业11家，"
        "科技型中小企业入库132家，分别较上年增加4家、27家。刑事案件、治安案件分别为120起和86起，分别较上年减少12起、8起。\n",
        "x",
    )
    got2 = {q.raw: (q.value, q.label) for q in r.quantities}
    assert got2["4家"] == (4, "认定高新技术企业(较上年增加)") and got2["27家"] == (27, "科技型中小企业入库(较上年增加)")
    assert got2["12起"] == (-12, "刑事案件(较上年减少)") and got2["8起"] == (-8, "治安案件(较上年减少)")


def test_a_change_in_places_is_the_rank_s_and_a_count_of_times_per_unit():
    """满意率95.1%,综合成绩排名全区第3,较上年提升4位: 综合成绩排名(较上年提升) (it was the rate's
    change); 1460个次: one unit (it was 1460 个, labelled 次)."""
    got = _quantities("12345热线满意率95.1%，综合成绩排名全区第3，较上年提升4位。开展志愿服务1460个次。\n")
    assert got["4位"][3] == "综合成绩排名(较上年提升)" and got["1460个次"][1:] == ("个次", False, "志愿服务")


def test_an_issuing_line_of_two_bodies_is_the_publisher():
    """中共…湖南路街道工作委员会　…湖南路街道办事处 under the title: the publisher, the two bodies
    apart (it was a motto, or the two run together)."""
    text = (
        "湖南路街道2024年工作总结及2025年工作思路\n"
        "中共南京市鼓楼区湖南路街道工作委员会　南京市鼓楼区人民政府湖南路街道办事处\n"
        "（2024年12月18日）\n一、2024年工作亮点\n（一）经济\n全年完成一般公共预算收入9.36亿元。\n"
    )
    md = parse_report(text, "x").metadata
    assert md.publisher == "中共南京市鼓楼区湖南路街道工作委员会、南京市鼓楼区人民政府湖南路街道办事处" and not md.motto


def test_what_a_figure_became_is_the_figure_before_s_and_a_level_keeps_its_place():
    """亩均税收由不足10万元提升到约35万元: both 亩均税收 (the second was 提升到); 面积由平均120平方米扩大到…:
    面积 (not …由平均); 建成街道级综合养老服务中心1个: 街道级… (it was 级综合养老服务中心)."""
    got = _quantities(
        "亩均税收由不足10万元提升到约35万元。社区服务用房面积由平均120平方米扩大到300平方米以上。建成街道级综合养老服务中心1个。\n"
    )
    assert got["35万元"][3] == got["10万元"][3] == "亩均税收"
    assert got["120平方米"][3] == got["300平方米以上"][3] == "社区服务用房面积"
    assert got["1个"][3] == "街道级综合养老服务中心"


def test_a_work_conference_is_the_meeting_and_a_read_count_no_text():
    """——在天通苑北街道2024年工作会上: the meeting (none was found); 阅读 1.2万 under a WeChat byline:
    a counter, no paragraph of the preamble."""
    md = parse_report(
        "天通苑北街道2023年工作报告\n——在天通苑北街道2024年工作会上\n一、2023年工作回顾\n（一）经济\n新增企业3家。\n",
        "x",
    ).metadata
    assert md.meeting == "天通苑北街道2024年工作会"
    r = parse_report(
        "杨家坪街道2023年工作报告\n原创 杨家坪街道 九龙坡杨家坪 2024-01-19 18:32 重庆\n阅读 1.2万\n"
        "一、2023年工作回顾\n（一）经济\n新增企业3家。\n",
        "x",
    )
    assert not r.preamble


def _outline(body: str, title: str = "某某街道2023年工作总结") -> list[tuple[str, list[str]]]:
    r = parse_report(title + "\n" + body, "x")
    return [(s.title, [i.title for i in s.initiatives]) for p in r.parts for s in p.sections]


def test_review_14_rules_of_this_session_that_fired_too_widely():
    """A review of the 27th session's diff: each rule kept to what it was made for."""
    # 问题和不足 inside an item is no paragraph on shortcomings (two items went to the closing)
    got = _outline(
        "一、2023年工作回顾\n（一）平安建设\n安全生产形势平稳。全年开展安全检查320次。\n"
        "督查整改扎实有效。针对巡察反馈的问题和不足，制定整改措施25条。\n隐患排查持续深入。全面排查企业存在的问题隐患，整改到位98处。\n"
    )
    assert len(got[0][1]) == 3
    # …the points under a paragraph on shortcomings are no items either
    got = _outline(
        "一、2023年工作回顾\n（一）经济发展\n一是招商引资成效明显。新增企业12家。\n二是营商环境持续优化。办结企业诉求120件。\n"
        "同时，我们也清醒地看到，街道发展中还存在一些短板和不足：\n一是经济增长后劲不足，固定资产投资同比下降3%。\n"
        "二是老龄化程度较高，养老服务供给仍有差距。\n"
    )
    assert got[0][1] == ["招商引资成效明显", "营商环境持续优化"]
    # ①…②… points listed, then ②背街小巷整治:… lines: items, no footnotes
    r = parse_report(
        "某某街道2023年工作总结\n一、2023年工作回顾\n（一）城市更新\n全力推进城市更新三大工程：①老旧小区改造②背街小巷整治③口袋公园建设。\n"
        "①老旧小区改造：完成改造9个。\n②背街小巷整治：整治背街小巷12条。\n③口袋公园建设：新建口袋公园3处。\n",
        "x",
    )
    assert not r.notes and {"12条", "3处"} <= {q.raw for q in r.quantities}
    # 各相关单位要…确保… in a section is its text, the items after it stay items
    got = _outline(
        "一、2024年工作计划\n（一）安全生产\n压实安全生产责任。各相关部门要落实“三管三必须”，确保不发生较大以上安全事故。\n"
        "各相关单位要加强隐患排查整治，确保全年排查隐患全覆盖。\n深化消防安全治理。开展消防演练20场。\n",
        "某某街道2024年工作计划",
    )
    assert got[0][1] == ["压实安全生产责任", "深化消防安全治理"]
    # 1 | 老旧小区改造9个: a list of figures, no WeChat headings
    r = parse_report(
        "某某街道2023年工作总结\n一、2023年工作回顾\n重点完成以下事项：\n1 | 老旧小区改造9个\n2 | 新建口袋公园3处\n",
        "x",
    )
    assert not r.parts[0].sections and {"9个", "3处"} <= {q.raw for q in r.quantities}
    # …总结｜2024年工作计划: one title, no hook
    assert parse_report(
        "某某街道2023年工作总结｜2024年工作计划\n一、2023年工作回顾\n（一）经济\n新增企业12家。\n", "x"
    ).metadata.title == ("某某街道2023年工作总结｜2024年工作计划")
    # 目标任务 is a target's column, no task's: an indicator table makes no items
    got = _outline(
        "一、2023年工作回顾\n全年经济运行稳中有进。\n主要指标完成情况如下：\n序号\t指标名称\t目标任务\t完成值\t责任单位\n"
        "1\t税收收入\t12亿元\t12.5亿元\t经济发展办公室\n2\t新增企业\t100家\t120家\t投资促进中心\n"
    )
    assert got == []
    # 十件民生实事 alone: a section of projects
    got = _outline(
        "一、2023年工作回顾\n（一）经济发展\n招商引资成效明显。全年新增企业12家。\n十件民生实事\n1.完成老旧小区改造9个。\n2.新建口袋公园3处。\n"
    )
    assert got[1] == ("十件民生实事", ["完成老旧小区改造9个", "新建口袋公园3处"])
    # 。🎉 in a sentence: no bulleted points
    got = _outline(
        "一、2023年工作回顾\n（一）民生服务\n全年举办各类文体活动30场。🎉居民满意度达98%。\n持续深化为老服务。新增老年助餐点2处。\n"
    )
    assert got[0][1] == ["持续深化为老服务"]
    # a community's profile in a plan is no plan
    r = parse_report(
        "某某社区2024年工作计划\n一、社区基本情况\n某某社区成立于2002年，常住人口8600人。\n二、工作目标\n全年新增就业岗位200个。\n",
        "x",
    )
    assert [(p.kind, p.year) for p in r.parts] == [("other", None), ("plan", "2024")]
    # a wrapped item whose inline list ended (…反响好。) is followed by the next item, not joined
    body = (
        "一、2023年工作回顾\n（一）城市建设\n1.发展经济。全年新增市场主体1200户，其中企业320家，\n"
        "实现税收收入12亿元，同比增长8%，完成年度目标。\n2.推进城市更新。主要完成以下工作：1.完成老旧小区改造9个\n"
        "；2.新建口袋公园3处，新增绿地面积1.2万平方米，反响好。\n3.加强社会治理。深化网格化管理，化解矛盾纠纷320件，群众\n"
        "满意度达到98%以上，信访总量同比下降15%。\n"
    )
    assert _outline(body)[0][1] == ["发展经济", "推进城市更新", "加强社会治理"]


def test_a_target_cell_of_words_is_named_by_its_row_and_column():
    """2023年目标 cells 增长6%左右, 增长8%-10%: 地区生产总值(2023年目标) (they were labelled 增长)."""
    r = parse_report(
        "某镇2023年政府工作报告\n一、2023年工作安排\n2023年主要预期指标\n序号\t指标名称\t单位\t2022年完成\t2023年目标\n"
        "1\t地区生产总值\t亿元\t638.2\t增长6%左右\n2\t规上工业增加值\t亿元\t318.7\t增长8%-10%\n",
        "x",
    )
    got = {q.raw: q.label for q in r.quantities}
    assert got["6%左右"] == "地区生产总值(2023年目标)" and got["8%-10%"] == "规上工业增加值(2023年目标)"


def test_a_target_named_with_its_figure_before_the_rate_and_a_dash_before_a_label():
    """新增城镇就业1037人,完成全年目标1800人的57.6%: 城镇就业(目标) and 城镇就业(完成率) (they were 目标
    and 目标1800人的); ——地区生产总值完成45.6亿元: 地区生产总值 (the dash stayed)."""
    got = _quantities("新增城镇就业1037人，完成全年目标1800人的57.6%。——地区生产总值完成45.6亿元，增长6.2%。\n")
    assert got["1800人"][3] == "城镇就业(目标)" and got["57.6%"][3] == "城镇就业(完成率)"
    assert got["45.6亿元"][3] == "地区生产总值"


def test_a_date_alone_under_a_speech_s_header_is_when_it_was_delivered():
    """——在凯旋街道2024年居民代表会议上 / 主任 陈晓东 / 2024年1月16日: delivered that day (it was read as
    the page's publication date)."""
    md = parse_report(
        "凯旋街道2023年工作报告\n——在凯旋街道2024年居民代表会议上\n凯旋街道办事处主任  陈晓东\n2024年1月16日\n"
        "各位代表：\n一、2023年工作回顾\n（一）经济\n新增企业3家。\n",
        "x",
    ).metadata
    assert (md.delivered, md.issued) == ("2024-01-16", None)


def test_an_average_age_and_its_change_are_figures_an_age_threshold_is_not():
    """班子平均年龄42.6岁,较换届前下降5.3岁: an age and its change (−5.3) (neither was read);
    平均年龄下降6.2岁: −6.2; 65岁以上老年人1200人: no age figure, 1200人 keeps its label."""
    got = _quantities(
        "社区“两委”班子平均年龄42.6岁，较换届前下降5.3岁。书记平均年龄下降6.2岁。为65岁以上老年人1200人免费体检。\n"
    )
    assert got["42.6岁"][0] == Decimal("42.6") and got["42.6岁"][3] == "社区“两委”班子平均年龄"
    assert got["5.3岁"][0] == Decimal("-5.3") and got["5.3岁"][3] == "社区“两委”班子平均年龄(较换届前下降)"
    assert got["6.2岁"][0] == Decimal("-6.2") and got["6.2岁"][3] == "书记平均年龄(下降)"
    assert "65岁" not in got and got["1200人"][3] == "65岁以上老年人"
