"""What a figure is of: its label, from the words around it (a heuristic over the clause; the
curation may override it), and the words that make a figure approximate.

Used by :mod:`kg.parsing.quantities`.
"""

from __future__ import annotations

import re

from kg.parsing.lines import decoration

# Words before a number that make it approximate (or a lower bound): 近8000㎡, 约3000平方米,
# 突破20万人次, 逾600家, 不少于12次.
# Not 达 ("reached": 解决率达100% is exact; 达47000余人次 is approximate by its 余).
APPROX_BEFORE = ("将近", "接近", "大约", "超过", "突破", "不少于", "不低于", "至少", "不足", "近", "约", "逾", "超")
# Words that end in 约 without meaning "about": 加装电梯签约68台 counts signed contracts exactly.
NOT_APPROX_RE = re.compile(
    r"(?:签|预|合|履|节|集|制|特|邀|公|条|契|解|违|续|缔|践|赴|相|规民)约$"
)  # 村规民约21部, not 居民约2,000户
# Words that end in a character TAIL_WORDS would take off: 查处违法行为80起 counts 违法行为.
WORD_ENDS_RE = re.compile(
    r"(?:行|作|认|成|称|视|以|因|更|极|最|尤|广|大|较)为$|(?:末|罢|终|结|完)了$|(?:日|平|人|户|年|亩|月|周)均$"
    r"|(?:商|高)超$"  # 大型商超: supermarkets, not "over"
    r"|(?:审|统|设|会|估|预)计$|(?:下|到|送|传|抵|通)达$"  # 专项审计18项, 区下达1000亩的任务
)
# What a count counts ends where something is said of it (10名机关干部下沉社区担任…, 2名个人获评…,
# 49个物业服务项目中成立…, 11个社区党委全部达到…); a name may open with it (120名下沉干部).
SUNK_NAMES = ("下沉干部", "下沉党员", "下沉人员", "下沉力量")  # names that open with 下沉
RATES = ("入驻率",)  # words of SAID_OF_IT that open a rate's name
SAID_OF_IT = ("下沉", "担任", "获评", "获得", "成立", "达到", "全部", "参加", "被评为", "已", "入驻", "实行", "纳入")
AGE_RE = re.compile(r"\d{1,3}(?:周岁|岁)(?:以上|以下|及以上)?(?:的)?")  # 80周岁以上老人: whose age
# 截至12月20日注册居民1.86万人: a cutoff date is no name (the year's figure so far); 1—11月, 12月份 stay
# (the label keeps the months: there is no period shorter than a year).
DATE_LEAD_RE = re.compile(r"^(?:截至|截止)(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?(?:底|末)?,?")
# A year in digits or in Chinese numerals (二〇一八年, as town reports write it).
YEAR_WORDS = "〇零一二三四五六七八九"
YEAR = rf"(?:(?:19|20)\d{{2}}|[一二][{YEAR_WORDS}]{{3}})"
# An aside in brackets: a definition (即…), a short name (以下简称“受理中心”), or a name's English
# (南头古城(Nantou Ancient City)), not an abbreviation (GDP, written in capitals).
PER_RE = re.compile(
    r"(?<=[\u4e00-\u9fff])(?:由|为|达到|提高到|调整为)?(?:每人|每户|每月|每年|每天|每日|每平方米|每亩)+$"
)
YEARS_SPAN_RE = re.compile(r"(?<=[\u4e00-\u9fff])(?:近|连续)?(?:[两二三四五六七八九十]|\d{1,2})年(?:来|间|内)?$")
ASIDE_RE = re.compile(r"\((?:即|指|是指|以下简称)[^)]*(?:\)|$)|\([A-Za-z][A-Za-z&'.\-]*[a-z][A-Za-z&'.\-]*\)")
FROM_YEAR_RE = re.compile(
    rf"(?<=[\u4e00-\u9fff])(?:由|从)(?:(?:{YEAR}|上|去)年(?:底|末)?的?|原来的|原先的|以前的|过去的)$"
)
DELIMS = ",;:。!?、()《》“”"
# A figure in Chinese numerals (二百一十三人): what a count counts ends before it.
CN_FIGURE_RE = re.compile(r"[一二三四五六七八九十两][一二三四五六七八九十百千万两零]*[人户个家名项件元亩吨]")
CLAUSE_DELIMS = ",;:。!?"
LEAD_WORDS = (
    "其中",
    "力争再",  # 力争再压减10%: a further cut, what of said before
    "力争",
    "再",  # 再签约4台
    "确保",
    "保持",
    "预计",
    "推动",
    "全年",
    "累计",
    "共计",
    "总计",
    "共有",
    "平均每月",
    "日均",
    "共",
    "为",
    "对",
    "在",
    "向",
    "通过",
    "并",
    "及",
    "和",
    "完成",
    "实现",
    "发放",
    "受理",
    "争取",
    "引进",
    "吸引",
    "办理",
    "接待",
    "调处",
    "出动",
    "举办",
    "开展",
    "建成",
    "实施",
    "收集",
    "走访",
    "对接",
    "成功",
    "新增",
    "新建",
    "新",
    "荣获",
    "获得",
    "惠及",
    "达",
    "约",
    "街道",
    "辖区内",
    "辖区",
    "各执法部门",
)
# A lead word that begins a word with what follows: 在职党员, 新时代, 新型, 新兴, 共享书房, 共建单位,
# 对口支援, 和谐社区, 及时率, 达标率, 为民办实事, 新设企业 (成功率 is no 率); not 共建成, 共创建 (in all, built).
WORD_AFTER: dict[str, tuple[str, ...]] = {
    **{"在": tuple("职建校册岗线库途"), "新": tuple("时型兴能市就媒冠设农")},  # 新农村, 新农合
    **{"建成": ("区绿", "区面积", "区人口")},  # 建成区绿化覆盖率: the built-up area (not 建成区域性…)
    **{"共": ("享", "建", "同", "治", "性", "创", "富"), "对": ("口", "接", "照"), "和": tuple("谐睦美平")},
    **{"调处": ("成功率", "率")},
    **{"及": tuple("时格"), "达": ("标", "成"), "为": ("民",), "辖区": ("生产总值",), "再": tuple("生就造")},
    **{"受理": ("中心", "窗口", "点")},  # 受理中心全年办件: the centre, not what was received
    **{"街道": ("级",)},  # 建成街道级综合养老服务中心1个: the level, a word of the name
}
# …but a lead word all the same before these: 共建成 (built in all), 共创建.
LEAD_BEFORE: dict[str, tuple[str, ...]] = {"共": ("建成", "创建", "建设")}
POINT_CLOSE_RE = re.compile(r"^\(?\d{1,2}\)")
TAIL_WORDS = (
    *("达到", "提高到", "提升到", "提升至", "提高至", "增加到", "增加至", "增长到", "增长至", "增至"),
    *("下降到", "下降至", "降低到", "降低至", "降至", "降到", "减少到", "减少至", "压减至", "压减到", "减至"),
    *("精简至", "精简到", "缩短至", "缩短到", "压缩至", "压缩到", "缩减至", "缩减到"),
    *("控制在", "保持在", "稳定在", "已完成", "全面完成", "全部完成", "累计完成", "完成", "全部", "均"),
    *("共计", "总计", "累计", "合计", "共", "计", "为", "了", "达", "从", "由", "力争", *APPROX_BEFORE),
    "再",  # 信访总量再下降5%: a further fall of 信访总量
    *("扩大到", "扩大至", "扩充到", "扩充至", "保持", "实现"),  # 种植面积扩大到1.1万亩, 楼宇税收实现1.2亿元
)
STOP_WORDS = (
    "增加",  # 从62家增加到81家: what follows a figure is the change, not what it counts
    "减少",
    "增长",
    "下降",
    "提高",
    "减免",
    "进行",
    "安装",
    "加装",
    "享受",
    "实现",
    "成功",
    "结对",
    "发放",
    "的",
    "开展",
    "带队",
    "免费",
    "充实",
    "更新",
    "换证",
    "提供",
    "参与",
    "定期",
    "增收",  # 带动农户数百户增收: what the households gained, not what counts them
    "平均",  # 32栋商务楼宇平均入驻率93%: a rate of them, not what they are
    "落实",
    "严格",
    "与",  # 2家医疗机构与香港医疗机构建立合作关系: the institutions, not what they did
    "在辖区",  # 12家香港企业在辖区设立…
    # 由原来的138项精简至52项: what follows says how it changed (not 垃圾压缩站)
    *("精简至", "精简到", "压减至", "压减到", "压缩至", "压缩到", "缩短至", "缩短到", "缩减至", "缩减到"),
)
# A work item's number opening a label's clause (4.新增养老床位, 2)组织…, 2、全年…, 三是完成…).
ITEM_NUMBER_RE = re.compile(r"^(?:\d{1,2}[.、)]|\(\d{1,2}\)|[一二三四五六七八九十]{1,2}[是要])(?=[\u4e00-\u9fff“\"])")


def strip_label(label: str) -> str:
    while label and decoration(label[0]):
        label = label[1:]  # ●加装电梯25台: the point's bullet is no word of its label
    label = ITEM_NUMBER_RE.sub("", label.lstrip("、,;:-–—"))
    label = POINT_CLOSE_RE.sub("", label)  # (1)12345热线解决率…: the point's number, its bracket cut off
    label = PER_RE.sub("", label) or label  # 低保标准由每人每月1,330元: per person and month, no name
    label = re.sub(r"[由从]平均$", "", label) or label  # 面积由平均120平方米扩大到…: from, on average
    changed = True
    while changed and label:
        changed = False
        for w in LEAD_WORDS:
            keeps = label.startswith(WORD_AFTER.get(w, ()), len(w)) and not label.startswith(
                LEAD_BEFORE.get(w, ()), len(w)
            )
            if label.startswith(w) and len(label) > len(w) + 1 and not keeps:
                label, changed = label[len(w) :], True
        for w in TAIL_WORDS:
            if label.endswith(w) and len(label) > len(w) and not word_end(label):
                label, changed = label[: -len(w)], True
    label = FROM_YEAR_RE.sub("", label)  # 群众满意率由2022年的89.3%提升到…: what changed, not since when
    label = YEARS_SPAN_RE.sub("", label) or label  # 财政总收入两年累计完成…: over how long, no word of it
    label = DATE_LEAD_RE.sub("", label) or label  # 1—11月实现…销售额, 截至12月20日注册居民: when, no name
    label = ASIDE_RE.sub("", label)  # 建立“四点半课堂”(即放学后…)公益课堂: the term's definition is no label
    label = label.replace("\u2236", ":")  # a time of day's colon, kept from ending a clause (_scan)
    return balance(label.strip(DELIMS.replace("“", "").replace("”", "") + ".…"))


def word_end(text: str) -> bool:
    """Whether ``text`` ends in a word whose last character is also a tail word (签约, 行为)."""
    return bool(NOT_APPROX_RE.search(text) or WORD_ENDS_RE.search(text))


def approx_before(text: str) -> bool:
    """Whether the text before a number makes it approximate (约3000, not 签约68)."""
    return text.endswith(APPROX_BEFORE) and not NOT_APPROX_RE.search(text)


def balance(label: str) -> str:
    """Close a quote the clause boundary cut: 家门口”服务站 → “家门口”服务站; a bracket too:
    地区生产总值(GDP → 地区生产总值(GDP)."""
    if label.count("”") > label.count("“"):
        label = "“" + label
    elif label.count("“") > label.count("”"):
        label += "”"
    if label.count("(") > label.count(")"):
        label += ")"
    return label


def meaningful(label: str) -> bool:
    """At least two CJK characters outside quote marks."""
    return sum("\u4e00" <= c <= "\u9fff" for c in label) >= 2


# The rest of a list of kinds of people after its first (、高龄、失能老人, 、半失能老人): short words
# joined by 、, the last ending in who they are.
_KINDS_RE = re.compile(
    r"(?:[\u4e00-\u9fff]{1,3}、)*[\u4e00-\u9fff]{0,4}?(?:老人|老年人|儿童|学生|居民|群众|家庭|对象|人员|妇女|青年)"
)


def following(norm: str, pos: int) -> str:
    """What a count counts, said after it (12个社区, 1320名80周岁以上老人: an age is no figure)."""
    age = AGE_RE.match(norm, pos)
    phrase_start = age.end() if age else pos
    out = list(norm[pos:phrase_start])
    window = norm[phrase_start : phrase_start + 14]
    for at, ch in enumerate(window):
        kinds = _KINDS_RE.match(window, at + 1) if ch == "、" and 0 < at <= 3 else None
        if kinds:  # 2,136名独居、高龄、失能老人: kinds of the people it counts, listed
            out.append(window[at : kinds.end()])
            break
        if ch in CLAUSE_DELIMS or ch in "、([" or ch.isdigit():
            break  # a bracket after a count is an aside ((责任单位:…)), not what it counts
        out.append(ch)
    phrase = "".join(out)
    if phrase.startswith(("和", "及", "与")) and norm[pos + len(phrase) : pos + len(phrase) + 1].isdigit():
        return ""  # 新增就业岗位1200个和创业项目86个: what the next figure counts
    figure = CN_FIGURE_RE.search(phrase)
    if figure:
        phrase = phrase[: figure.start()]  # 八十七户二百一十三人: the next figure, in words
    for w in STOP_WORDS:
        idx = phrase.find(w)
        if idx >= 0 and not (w == "更新" and phrase.endswith(("微", "城市", "有机"), 0, idx)):  # 居民区微更新项目
            phrase = phrase[:idx]
    for w in SAID_OF_IT:
        idx = phrase.find(w)
        if phrase.startswith(RATES, idx):
            continue  # 28幢重点商务楼宇平均入驻率…: a rate of what it counts, not a thing said of it
        if idx > 0 or (idx == 0 and not phrase.startswith(SUNK_NAMES)):  # 120名下沉干部; 2300余名下沉一线
            phrase = phrase[:idx]
    if phrase.endswith("中") and len(phrase) > 3:
        phrase = phrase[:-1]  # 49个物业服务项目中成立…: the projects
    return strip_label(phrase)


def clause_start(norm: str, pos: int, floor: int) -> int:
    """Where the clause holding ``pos`` opens (not at the comma of 1,862: digits either side)."""
    i = pos
    while i > floor and (norm[i - 1] not in CLAUSE_DELIMS or thousands(norm, i - 1)):
        i -= 1
    return i


def thousands(norm: str, i: int) -> bool:
    """Whether the comma at ``i`` parts a number's thousands (1,862)."""
    return norm[i] == "," and norm[i - 1 : i].isdigit() and norm[i + 1 : i + 2].isdigit()
