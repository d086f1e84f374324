"""Report metadata from any header of the genre, and web-copy debris that is metadata, not body text.

Headers seen: the title line (``长寿路街道2023年工作总结和2024年工作计划``), an
index table copied from a government site (``索引号 | … | 发布时间 | 2025-01-22 |``),
date and source lines (``2019年01月30日 来源: 上海普陀``, ``- 时间:2023-02-24``), a
motto, a subtitle (``——在…会议上``) and a delivery date in brackets.
"""

from __future__ import annotations

import re

from kg.parsing.model import Metadata
from kg.parsing.numerals import date_number, year_digits
from kg.text import normalise

FIELD_KEYS = (
    *("索引号", "发布机构", "公开类别", "发布时间", "文号", "主题分类", "生成日期", "发文机关", "发布日期"),
    *("成文日期", "浏览次数", "公开方式", "来源", "有效性", "浏览量", "访问量", "阅读量", "点击量", "点击数"),
)
CLOCK_AFTER_DATE_RE = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})(\d{1,2}:\d{2})")  # 2024-02-02 10:15 (spaces gone)
# A WeChat article's byline under its title: 原创 <account> <author> 2024-01-12 18:30 发表于内蒙古.
# Above the title too, and the place without 发表于 (原创 龙塔街道 龙塔发布 2025-01-24 19:06 重庆).
BYLINE_RE = re.compile(r"^原创\s.*?(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2})?(?:\s*(?:发表于)?\S{1,8})?$")
# The speaker's line under a speech's or a town report's title: role, a space, name (黄埭镇镇长　张　明,
# 观音桥街道党工委副书记、办事处主任　周明远): the 报告人 field, and the place where the title has none.
SPEAKER_RE = re.compile(
    r"^(?:(?:报告人|述职人|汇报人)[:：][ \u3000]*)?"
    r"([\u4e00-\u9fff、]{0,40}?(?:书记|主任|镇长|乡长|区长|县长|处长|局长|委员|主席))[ \u3000]+"
    r"(?!同志|朋友)([\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff·]){1,3})$"
)
# A name alone under a title that names the reporter's post (…办事处主任2023年度述职报告 / 王海涛).
NAME_RE = re.compile(r"^(?!前言|序言|引言|概述|目录|摘要|正文|附件|说明)[\u4e00-\u9fff]{2,4}$")
ROLE_RE = re.compile(r"(?:书记|主任|镇长|乡长|区长|县长)")
FIELD_LINE_MAX = 48  # 发布机构:杭州市西湖区翠苑街道办事处 alone on its line: a field, short
# (2024年1月15日), also (2024年1月16日在民族街道第二届居民代表会议第三次会议上): then the meeting.
# A date in digits or in words (二〇二一年一月二十六日): year, month and day groups (iso reads them).
_Y = r"(\d{4}|[一二][〇零一二三四五六七八九]{3})"
_M = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_D = r"(\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_DATE = rf"{_Y}年{_M}月{_D}日"
DATE_LINE_RE = re.compile(rf"^\({_DATE}(?:在(.{{2,60}}?(?:会议|大会))上)?\)$")
SPOKEN_LINE_RE = re.compile(rf"^{_DATE}在(.{{2,60}}?(?:会议|大会))上$")  # no brackets
# 深圳市南山区粤海街道办事处 2024年1月8日, or the body alone: who issues the report (and when).
ISSUER_RE = re.compile(
    r"^((?:[\u4e00-\u9fff]{2,20}?(?:党工委|工作委员会|街道办事处|人民政府|办事处))+)(?:(\d{4})年(\d{1,2})月(\d{1,2})日)?$"
)
ISO_DATE_RE = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})")
# A web page's date / source line: 2019年01月30日 来源: 上海普陀 · - 时间:2023-02-24 · 来源:普陀区政府
WEB_DATE_RE = re.compile(
    r"^[-–—·]*(?:(?:发布)?时间[::])?(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?(?:来源[::](.{1,48}))?$"
)
SOURCE_RE = re.compile(r"^[-–—·]*来源[::](.{1,30})$")
SUBTITLE_DATE_RE = re.compile(rf"^{_DATE}")
# A title on two lines: the body's name, then 2023年工作报告 (or 工作总结和…计划, 关于2023年…的报告).
TITLE_TAIL_RE = re.compile(r"^(?:关于)?\d{4}年.{0,20}(?:报告|总结|计划|打算)$")
# A title a PDF copy wrapped (…2023年工作总结和2024年 / 工作思路): its second line is short, no
# sentence, and ends as titles end, where the first line does not.
TITLE_END_RE = re.compile(r"(?:报告|总结|计划|打算|思路|要点|安排|讲话)$")
WRAPPED_TAIL_MAX = 12
# …2023年工作总结 / 和2024年工作计划: the title's second half, joined to its first.
JOINED_TAIL_RE = re.compile(r"^(?:和|及|暨|与|以及)\d{4}年.{0,12}(?:计划|打算|思路|要点|安排|任务)$")
# The web page's attachment list and files, its page tools (【字体:大 中 小】 打印本页 关闭窗口), its
# footer (分享到:, 主办单位:, an ICP number): no content.
TRAILER_RE = re.compile(
    r"^(?:(相关附件|附件):?|【字体:大中小】.*|(?:【?(?:打印本页|打印|关闭窗口|关闭|收藏)】?)+"
    r"|(?:分享到|相关链接|主办单位|承办单位|承办|技术支持|网站标识码|附件下载)(?::.*)?|.*ICP备\d+号.*"
    r"|(?:附件:)?\d{1,2}[.、].{1,60}\.(?:xlsx?|docx?|pdf|wps|zip|rar|ofd)"
    # A WeChat article's credits, counters and calls to follow (编辑:…, 阅读 2186, 点击蓝字 关注我们).
    r"|(?:责任编辑|编辑|初审|复审|审核|审校|终审|校对|排版|美编|供稿|撰稿|摄影|图片|文字|图文):.{1,30}"
    r"|阅读(?:量)?[:]?\d+(?:\.\d+)?[万千]?\+?|(?:分享|收藏|点赞|在看|转发){2,}|点击(?:上方)?蓝字.{0,12}|.{0,8}点个“?在看”?吧?.{0,4}"
    # PART 01: a WeChat layout's divider; 编者按: the editor's, not the report's.
    r"|PART\d{1,2}|编者按:.*"
    # An annex left out of the copy (附件:…任务分解表(略)); the issuing office's line (…办公室 2024年3月5日印发).
    r"|附件:.{1,60}\(略\)|[\u4e00-\u9fff]{2,20}(?:办公室|党政办)\d{4}年\d{1,2}月\d{1,2}日印发)$",
    re.IGNORECASE,
)
# The end of a WeChat article (-END-, 往期推荐): what follows is the page's; only its 来源: is read.
ARTICLE_END_RE = re.compile(
    r"^(?:[-—_=·]*END[-—_=·]*|往期推荐|往期回顾|推荐阅读|相关阅读|阅读原文"
    r"|相关链接|相关文章|相关新闻|相关信息|上一篇:.*|下一篇:.*)$",  # a web page's links to other pages
    re.IGNORECASE,
)
# A web page's breadcrumb above the title (首页 > 政务公开 > 计划总结): no title, no text.
BREADCRUMB_RE = re.compile(r"^(?:首页|当前位置|您的位置|你的位置|您当前的位置)[:]?.*[>»›]")


# A line under a web page's title: when it was published, where from (发布时间:2024-01-26 来源:…).
PUBLISHED_RE = re.compile(r"^(?:发布时间|发布日期|发文日期|日期|时间|来源|信息来源)[:]")
# What a report's title says: a year and the kind of document (2023年工作总结和2024年工作计划).
REPORT_TITLE_RE = re.compile(r"(?:\d{4}|[一二][〇零一二三四五六七八九]{3})年.*(?:工作|报告|总结|计划|要点|打算)")
CHROME_MAX = 30  # lines of a site's menu above the title


def after_chrome(norms: list[str]) -> int:
    """Where a web page's copy begins when the site's name and menu stand above the report's
    title (广州市天河区人民政府门户网站 / 首页 > 政务公开 / … / 猎德街道2023年工作总结… / 发布时间:…):
    at the title, the line above the date and source of its publication; 0 when the first line
    is the title."""
    if REPORT_TITLE_RE.search(norms[0]) if norms else True:
        return 0
    for k in range(1, min(len(norms) - 1, CHROME_MAX)):
        if PUBLISHED_RE.match(norms[k + 1]) and REPORT_TITLE_RE.search(norms[k]):
            # …社区居民委员会 / 2023年工作总结及2024年工作计划: a title on two lines, not a site's name
            return k if k > 1 or SITE_RE.search(norms[0]) else 0
    return 0


SITE_RE = re.compile(r"(?:网站|门户网|政府网|政务网|网)$")


NUMBERED_LINE_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（\[【]|\d|第[一二三四五六七八九十]|——|--|—)")


def wechat_title(lines: list[str]) -> int | None:
    """Under a WeChat article's headline (重磅!兆麟街道2024年工作报告全文来了) and byline (``lines``,
    normalised, start there): the index of the report's own title within the next few lines
    (兆麟街道办事处工作报告), if one is there."""
    if not lines or not BYLINE_RE.match(lines[0]):
        return None
    for k, norm in enumerate(lines[1:5], 1):
        heading = NUMBERED_LINE_RE.match(norm) is not None  # 一、2023年工作总结, ——在…上的报告: no title
        if len(norm) <= 40 and TITLE_END_RE.search(norm) and not heading and not any(c in norm for c in "。,;:!?"):
            return k
    return None


def unspaced_title(title: str) -> str:
    """A title without the spaces a layout put in it: letter-spaced (政 府 工 作 报 告) or a PDF copy's
    around its figures (泉城路街道 2022 年工作总结); a motto's phrases keep theirs (凝心聚力谋发展 砥砺…)."""
    chunks = title.split()
    if len(chunks) > 2 and all(len(c) == 1 for c in chunks):
        return "".join(chunks)
    return DIGIT_SPACE_RE.sub("", title)


def motto_lines(first: str, second: str, third: str) -> bool:
    """Whether a motto title (``first`` as written) goes on onto its second line (normalised): two lines of no sentence,
    the first a couplet, the subtitle (——在…上的报告) right after them."""
    return (
        third.startswith(("——", "--"))
        and all(len(x) <= 30 and not any(c in x for c in "。,;:!?") for x in (first, second))
        and not second.startswith(("——", "--"))
        and re.fullmatch(r"[\u4e00-\u9fff]{4,12}[ \u3000]+[\u4e00-\u9fff]{4,12}", first) is not None
    )


def title_lines(first: str, second: str) -> bool:
    """Whether the report's title goes on from its first line (normalised) onto the second."""
    if TITLE_TAIL_RE.match(second) and not TITLE_TAIL_RE.search(first):
        return True  # 潍坊新村街道办事处 / 2023年工作报告
    if JOINED_TAIL_RE.match(second) and TITLE_END_RE.search(first):
        return True  # …2023年工作总结 / 和2024年工作计划
    return (
        len(second) <= WRAPPED_TAIL_MAX
        and TITLE_END_RE.search(second) is not None
        and TITLE_END_RE.search(first) is None
        and not any(c in second for c in "。,;:—-()")
        and not any(c in first for c in "。,;:")
    )


# To the last 会议 before 上: 第三届居民代表会议第二次会议, not its first 会议.
MEETING_RE = re.compile(r"(第[^第]{1,4}届[^上]*会议)")
# ——在龙华街道2024年工作会议暨社区代表大会上的工作报告: a meeting with no 第…届.
HELD_AT_RE = re.compile(r"在(.{2,40}?(?:会议|大会|工作会|推进会|部署会|务虚会))上")
PLACE_RE = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:路街道|街道|镇|乡))(?:办事处|人民政府)?")
# A community's own report (福田区莲花街道景田社区2023年度工作总结, …街道东山口社区居民委员会2023年…):
# its place is the community, named right after its subdistrict and followed by its body or its
# year's work (not 第三届社区代表大会, 关于社区工作…, 智慧社区2023年建设情况).
COMMUNITY_RE = re.compile(r"(?:街道|镇)((?!关于)[^\d的,。、]{2,5}社区)(?=居民委员会|居委会|党委|党总支|\d{4}年度?工作)")
# A community's own report named alone or after its district (劲松北社区2023年工作总结, 朝阳区劲松北社区…).
COMMUNITY_ALONE_RE = re.compile(
    r"(?:^|[区县市])((?!关于)[^\d的,。、区县市]{2,6}社区)(?=居民委员会|居委会|党委|党总支|\d{4}年度?工作)"
)
# A village's own report under its town (武鸣区罗波镇凤林村村民委员会2024年工作报告): the village.
VILLAGE_UNDER_RE = re.compile(
    r"(?:街道|镇|乡)((?!关于|美丽|和美|宜居)[^\d的,。、村乡]{1,5}村)(?=村民委员会|村委会|党支部|党总支|党委|\d{4}年度?工作)"
)
# A city or district before the subdistrict's name (江汉区民族街道, 浦东新区花木街道).
DISTRICT_RE = re.compile(r"^.{1,5}?[市区县](.{2,}?(?:路街道|街道|镇|乡))$")
# Words of a motto title before the place (全力推动龙华街道高质量发展): not the place's name.
# A subtitle's date and 在 before it (——2024年1月12日在黄埭镇第十八届…) are not either.
PLACE_LEAD_RE = re.compile(
    r".*(?:推动|推进|全力|建设|打造|开创|加快|奋力|努力|争先|聚力|谱写|书写|奋进|新时代|日在|^在)"
)
VILLAGE_RE = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{1,5}村)(?=第|村民委员会|村委会|村民代表|党支部|党总支|\d{4}年)"
)
# A development zone's own report (营口高新技术产业开发区管理委员会2023年工作报告): the zone.
ZONE_RE = re.compile(
    r"([\u4e00-\u9fff]{2,14}?(?:开发区|高新区|产业园区|工业园区|新区))(?=管理委员会|管委会|\d{4}年|工作委员会)"
)
# Words before a zone's name, and its city: 关于营口经济技术开发区, 中共大连金普新区, 上海市浦东新区.
ZONE_LEAD_RE = re.compile(r"^(?:.*?(?:关于|中共|在))?(?:[\u4e00-\u9fff]{2,4}?[省市](?=[\u4e00-\u9fff]{2}))?")
DISTRICT_PLACE_RE = re.compile(
    r"(?:[\u4e00-\u9fff]{1,4}[省市州])?([\u4e00-\u9fff]{1,3}[区县])(?=人民政府|第[一二三四五六七八九十]+届人民代表大会)"
)
PARTY_RE = re.compile(r"(?:中共)?[\u4e00-\u9fff]{0,10}?[省市区县州]委(?=[\u4e00-\u9fff]{2,8}?(?:路街道|街道|镇|乡))")
PERIOD_RE = re.compile(r"(\d{4})(?:年?[-—–~至到](\d{4}))?年(上半年|下半年|前三季度)?")


def iso(match: re.Match[str]) -> str:
    """``YYYY-MM-DD`` from a match of three groups (year, month, day)."""
    y, m, d = match.groups()[:3]
    return f"{int(year_digits(y)):04d}-{date_number(m):02d}-{date_number(d):02d}"


# A space between a figure and a Chinese character (2022 年, 街道 2022): a PDF copy's, no word's.
DIGIT_SPACE_RE = re.compile(r"(?<=\d)[ \u3000]+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[ \u3000]+(?=\d)")
# A red-header document's cover line (…街道办事处文件) and its number (望乌办发〔2024〕3号 签发人:…).
COVER_RE = re.compile(r"^[\u4e00-\u9fff]{4,30}(?:办事处|人民政府|党工委|委员会)文件$")
DOC_NUMBER_RE = re.compile(r"^([\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,4}号)")
NOTICE_OPEN_RE = re.compile(r"关于印发《[^》]*$")  # a notice's title wrapped inside its 《》
# A notice that issues the report (关于印发《良渚街道2024年工作要点》的通知): the report's title is inside.
NOTICE_RE = re.compile(r"关于印发《([^《》]{4,60})》的通知$")
# 索引号:SY0028-2024-0003 发布机构:彭浦新村街道办事处 …: the fields on one line, key: value.
_KEYED_RE = re.compile("(" + "|".join(FIELD_KEYS) + r")[::]")
WEB_BUTTONS_RE = re.compile(r"【[^】]{0,12}】.*$")  # 【字体:大中小】【打印】: the page's buttons


def pairwise_keys(keyed: list[re.Match[str]]) -> list[tuple[re.Match[str], re.Match[str] | None]]:
    """Each key of a line with the next (None after the last)."""
    return list(zip(keyed, [*keyed[1:], None], strict=True)) if keyed else []


def index_line(raw: str) -> bool:
    """Whether a line is one of a web page's index table (索引号:…, | 发布机构 | … |): a field's key
    opens it or stands between bars (not a title such as …工作总结 | 某某区人民政府)."""
    norm = normalise(raw)
    tokens = [normalise(t) for t in raw.replace("\uff5c", "|").split("|")]
    return _KEYED_RE.match(norm) is not None or ("|" in norm and any(t in FIELD_KEYS for t in tokens))


def field_line(md: Metadata, raw: str) -> bool:
    """Absorb an index-table line (``索引号 | … |``, or ``索引号:… 发布机构:…`` with two keys or
    more); False if the line is not one."""
    norm = normalise(raw)
    keyed = list(_KEYED_RE.finditer(norm))
    alone = len(keyed) == 1 and len(norm) <= FIELD_LINE_MAX and "。" not in norm  # one field a line
    if "|" not in norm and (len(keyed) >= 2 or alone) and keyed[0].start() == 0:
        # Fields apart by wide spaces (发布日期:2023-12-29　　信息来源:崇安街道　　访问量:861): one a
        # chunk, so that no value runs into the next key's words or the page's buttons.
        chunks: list[str] = []
        for chunk in re.split(r"[ \t\u3000]{2,}", raw.strip()):
            if chunks and not re.search("[:：]", chunk) and re.search("[:：]$", chunks[-1]):
                chunks[-1] += chunk  # 索引号:  SY0028…: the value after its key's colon
            elif chunks and not re.search("[:：]", chunks[-1]):
                chunks[-1] += chunk  # 文    号:无: a key spaced out
            else:
                chunks.append(chunk)
        for chunk in chunks:
            chunk_norm = normalise(chunk)
            for m, after in pairwise_keys(list(_KEYED_RE.finditer(chunk_norm))):
                value = chunk_norm[m.end() : after.start() if after else len(chunk_norm)]
                if after is not None and after.group(1) == "来源":
                    value = value.removesuffix("信息")  # …2023-12-29信息来源:…: the next key's head
                value = CLOCK_AFTER_DATE_RE.sub(r"\1 \2", WEB_BUTTONS_RE.sub("", value))
                md.fields.setdefault(m.group(1), value)
        return True
    if "|" not in norm:  # NFKC folds the full-width ｜ too
        return False
    tokens = [normalise(t) for t in raw.replace("\uff5c", "|").split("|")]
    if not any(t in FIELD_KEYS for t in tokens) and md.fields:
        return False
    key: str | None = None
    for tok in tokens:
        if tok in FIELD_KEYS:
            key = tok
            md.fields.setdefault(key, "")
        elif key and tok:
            md.fields[key] = tok
            key = None
    return True


# The body's signature (解放街道办事处 above the date; 中共…街道工作委员会, …社区居民委员会): who issued it.
SIGNATURE_RE = re.compile(
    r"^((?:中共)?[\u4e00-\u9fff]{2,24}(?:街道办事处|人民政府|党工委|工作委员会|居民委员会|村民委员会|社区党委|社区居委会))$"
)


def signature(md: Metadata, norm: str) -> bool:
    """Note a signature line (the first): the publisher when no field names one."""
    m = SIGNATURE_RE.match(norm)
    if m:
        md.fields.setdefault("署名", m.group(1))
    return m is not None


def byline(md: Metadata, raw: str) -> bool:
    """Absorb a WeChat article's byline (its date: when it was published); False if not one."""
    m = BYLINE_RE.match(raw.strip())
    if m is None:
        return False
    md.fields.setdefault("发布时间", f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
    return True


def web_debris(md: Metadata, norm: str, raw: str | None = None) -> bool:
    """Absorb a date or source line of a web copy (``raw``: as written, its wide spaces parting
    its fields); False if the line is body text."""
    m = WEB_DATE_RE.match(norm)
    spoken = md.subtitle is not None and HELD_AT_RE.search(normalise(md.subtitle)) is not None
    if m and not m.group(4) and spoken and md.delivered is None and not md.fields.keys() - {"报告人"}:
        md.delivered = iso(m)  # ——在…居民代表会议上 / 主任 陈晓东 / 2024年1月16日: when it was delivered
        return True
    if m:
        # After the page's 发布日期, a date line (the signature's) is when it was written.
        known = "发布时间" in md.fields or "发布日期" in md.fields
        md.fields.setdefault("成文日期" if known else "发布时间", iso(m))
        if m.group(4):
            rest = _KEYED_RE.search(m.group(4))  # …来源:猎德街道办事处  浏览次数:1326
            source = m.group(4)[: rest.start()] if rest else m.group(4)
            md.fields.setdefault("来源", WEB_BUTTONS_RE.sub("", source))  # not 【字体:大中小】 打印
            if rest:
                field_line(md, m.group(4)[rest.start() :])
        return True
    m = SOURCE_RE.match(norm)
    if m and len(_KEYED_RE.findall(norm)) > 1:  # 来源:…  发布日期:…  浏览次数:…: fields
        return field_line(md, raw or norm)
    if m:
        md.fields.setdefault("来源", WEB_BUTTONS_RE.sub("", m.group(1)))  # not 【字体:大中小】【打印】
        return True
    return any(k in norm for k in FIELD_KEYS) and field_line(md, raw or norm)


def finish(md: Metadata) -> None:
    """Derived metadata: publisher, disclosure, dates, meeting, place and period covered."""
    sub = normalise(md.subtitle or "")
    if REPORT_TITLE_RE.search(sub) and not REPORT_TITLE_RE.search(normalise(md.title)) and "在" not in sub:
        # 知行合一 笃行致远… / ——行知街道办事处2023年工作报告: a motto above the document's own title
        md.title, md.subtitle = md.subtitle or md.title, md.title
    md.publisher = md.fields.get("发布机构") or md.fields.get("发文机关") or None
    md.disclosure = md.fields.get("公开类别") or None
    issued = ISO_DATE_RE.search(
        md.fields.get("发布时间", "") or md.fields.get("发布日期", "") or md.fields.get("成文日期", "")
    )
    md.issued = iso(issued) if issued else None
    spoken = SUBTITLE_DATE_RE.match(normalise(md.subtitle or ""))
    if md.delivered is None and spoken:  # ——2022年1月14日在…会议上
        md.delivered = iso(spoken)
    for cand in (md.title, md.subtitle or ""):
        m = MEETING_RE.search(normalise(cand))
        if m:
            md.meeting = m.group(1)
            break
    else:
        held = HELD_AT_RE.search(normalise(md.subtitle or ""))
        md.meeting = held.group(1) if held else md.held_at
    title = normalise(md.title)
    md.place = (
        _place(title)
        or _place(normalise(md.subtitle or ""))
        or _place(md.publisher or "", other=False)  # a portal's owner (深圳市南山区人民政府) is not it
        or _place(md.fields.get("报告人", ""))
    )
    if md.publisher is None:
        md.publisher = md.fields.get("来源") or md.fields.get("署名") or None
    period = PERIOD_RE.search(title)
    if period:
        start, end, half = period.groups()
        md.period = f"{start}-{end}" if end else start
        md.period_part = half


def _place(text: str, other: bool = True) -> str | None:
    """The subdistrict or town a text names (长寿路街道, 曹路镇), without a motto's words before it;
    the community or village, where the text is its report under its subdistrict or town (景田社区,
    凤林村)."""
    community = COMMUNITY_RE.search(text) or VILLAGE_UNDER_RE.search(text) or COMMUNITY_ALONE_RE.search(text)
    if community:
        return community.group(1)
    text = PARTY_RE.sub("", text)  # 中共贵阳市云岩区委中华北路街道工作委员会: 委 is not the place's
    m = PLACE_RE.search(text)
    if m is None:  # a village's own report, or a district's (东湖区人民政府区长, 在南昌市东湖区第十七届…)
        found = (VILLAGE_RE.search(text) or ZONE_RE.search(text) or DISTRICT_PLACE_RE.search(text)) if other else None
        return ZONE_LEAD_RE.sub("", found.group(1)) if found else None
    name = m.group(1)
    name = re.sub(r"^(?:在)?中共(?=[\u4e00-\u9fff]{2,}(?:路街道|街道|镇|乡)$)", "", name)  # 中共春熙路街道工作委员会
    while district := DISTRICT_RE.match(name):  # 广州市天河区石牌街道: the subdistrict is 石牌街道
        name = district.group(1)
    lead = PLACE_LEAD_RE.match(name)
    suffix = next(k for k in ("路街道", "街道", "镇", "乡") if name.endswith(k))
    if lead and len(name) - lead.end() - len(suffix) >= 2:  # 龙华街道 after 全力推动; not 建设路街道
        return name[lead.end() :]
    return name
