"""The words and patterns figures are read by: numbers in digits and words, units, changes and what
they are against, completion rates, shares, runs after 分别, parts of the year (used by
:mod:`kg.parsing.quantities` and :mod:`kg.parsing.figure_runs`)."""

from __future__ import annotations

import re

from kg.parsing.labels import YEAR
from kg.parsing.units import UNITS

# 24小时自助服务区, 15分钟服务圈: a time that names what follows it is no amount (缩短至8分钟 is).
TIME_UNITS = ("分钟", "小时")
# 人数二万八千人, 户数, 次数: a count's name ends in 数, which is no rough number's (数十场).
COUNTED_BY = set("人户次总件个份项批床学")
# Classifiers normally stand before the noun they count: 439家企业.
CLASSIFIERS = set("个家名幢栋台处所座位辆套间户条具项件批册份张株棵盏支部头只")
# Digits, optionally with thousands separators (1,200): the separators are dropped from the value.
NUM_RE = re.compile(
    rf"(?<![\d.+])(?<!\d,)(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(千万|百万|万|亿|千)?(余|多)?({UNITS})(以上|余|左右|以内|以下)?(?!\+)"
)
# Chinese numerals with 十/百/千 and an approximation: 十余, 百余, 二十余, 三百多.
# A figure in Chinese numerals of ten or more (一百二十余件, 一百零八个, 一千二百万元, 三十亿元, 近两千万人次):
# below ten (两个发力点, 三个抓手) it names parts of a formula more often than it counts, unless it
# ends its clause (改造老旧小区五个, 更换供热管网两公里。: CN_SMALL_RE).
CN_RE = re.compile(
    rf"(?<![\d一二三四五六七八九十百千万亿两零〇余多每])(?<![一二三四五六七八九十百千两零〇]点)([一二三四五六七八九两零〇十百千万亿]*[十百千万亿](?:零?[一二三四五六七八九])?)"
    rf"(余|多)?({UNITS})(以上|左右|余)?"
)
# A decimal in Chinese numerals: 十一点六万吨, 三十八点六公里, 四点二亿元, 一点二万人次.
CN_DECIMAL_RE = re.compile(
    rf"(?<![一二三四五六七八九十百千万亿两零〇之])([一二三四五六七八九十百千两零〇]+)点([一二三四五六七八九零〇]+)"
    rf"(万|亿)?(余|多)?({UNITS})(以上|左右|余)?"
)
# Not 二期 (a phase), 一批 (a batch), 前三名 (a rank), 三至五个 (a range: its bound is no count); only
# units of things counted (not 融合在一起, 抓两头, 最多跑一次, 安排一人: words, no counts).
CN_SMALL_RE = re.compile(
    r"(?<![\d一二三四五六七八九十百千万亿两零〇余多每第前至到或~-])(?<![一二三四五六七八九十百千两零〇]点)([一二三四五六七八九两])"
    r"(个|家|所|座|栋|幢|处|条|项|件|部|台|辆|套|间|户|名|位|公里|平方米|亩|吨|场|支|张|块)(?=[,;。:!?、]|$)"
)
# One of a pair in a slogan (改造一个、管好一个, 成熟一个推进一个): each 一个 after a verb of two words.
SLOGAN_ONE_RE = re.compile(
    r"(?:改造|建设|建成|管好|成熟|推进|启动|完成|谋划|储备|开工|竣工|解决|化解|办结|落实|销号)一(个|批|项|件)、?"
    r"(?:改造|建设|建成|管好|成熟|推进|启动|完成|谋划|储备|开工|竣工|解决|化解|办结|落实|销号)一\1"
)
# The lower bound of a range before a figure: 3-5个, 10至15公里, 50~60台 (not 2019-2021年: no unit).
RANGE_BEFORE_RE = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)(%?)(?:-|~|至|到|—|–)$")
# 百分之八十六, 百分之九十七以上, 百分之百; 两成, 九成以上, 增长近两成 (tenths).
PERCENT_CN_RE = re.compile(
    r"百分之([一二三四五六七八九十百零〇两]+(?:点[一二三四五六七八九零〇]+)?|\d+(?:\.\d+)?)(以上|左右)?"
)
# A share as a fraction in words: 三分之一 (33.3 %), 三分之二以上; not 百分之 (PERCENT_CN_RE).
FRACTION_RE = re.compile(r"(?<!百)([二三四五六七八九十])分之([一二三四五六七八九])(以上|左右)?")
# 一成半 (15 %), 九成五 (95 %): a half or a hundredth's digit after 成.
TENTHS_RE = re.compile(
    r"(?:(?<=增长|增加|下降|减少|提高|降低|上升|超过|达到|不足)|(?<=[占近约逾达超]))(?P<a>[一二三四五六七八九两1-9])成"
    r"(?P<ah>半|[一二三四五六七八九](?!成))?(?P<aq>以上|左右)?(?:(?![\u4e00-\u9fff])|(?=提高|提升|增加|增长|上升|下降|降低|减少|到|至))"
    r"|(?<!\d)(?P<b>[一二三四五六七八九两1-9])成(?P<bh>半|[一二三四五六七八九])?(?P<bq>以上|左右)"
)
# A year-on-year change: against what, and which way.
# 较2022年下降6.3%, 环比增长22%, 较年初: against another year or period, as 同比 is.
YOY = "同比|比上年|较上年|比去年|较去年|同口径"  # year on year: the change is nmt:changePercent
# Against another period (环比), a start of year or a named year (较2019年): signed, no y/y change.
AGAINST = rf"{YOY}|环比|较年初|比年初|[较比]\d{{4}}年(?:底|同期)?|[较比](?:第?一季度|上季度|上半年|上月)(?:末)?"
DOWN = ("减少", "下降", "降低", "压减", "压降", "缩短", "压缩", "缩减")
UP = ("恢复性增长", "恢复增长", "增加", "增长", "上升", "提高", "提升")
# A figure's clause opening with 累计 (累计完成加装电梯156台, ,累计建成…): a total so far.
CUMULATIVE_RE = re.compile(r"[,、]?累计")
# Before a change: over several years (年均增长7.6%, 五年累计下降52.3%), not against the year before.
OVER_YEARS = ("年均", "累计")
WAY = "|".join((*UP, *DOWN))
WAY_WORDS = frozenset((*UP, *DOWN))
# A change after its figure: 增长6.1%, or in times: 增长1.5倍 (+150 %).
CHANGE_RE = re.compile(rf"^[,,]?(?:{YOY})?({WAY})了?(?:约|近)?(\d+(?:\.\d+)?)(%|倍)")
ETC_RE = re.compile(r"(?<![一二三四五六七八九特同])等(?=[\u4e00-\u9fff“]{2})")  # 恒隆广场等重点…, not 一等奖
WORD_CHANGE_RE = re.compile(rf"[,,]?(?:{YOY})?(?:{WAY})了?(?:约|近)?")  # before a change in words
# Doubled (翻一番, 翻了一番) or quadrupled (翻两番): a change in words, against what is said before.
DOUBLED_RE = re.compile(r"翻了?([一两二三])番")
AGAINST_BEFORE_RE = re.compile(rf"(?P<against>{AGAINST})(?:同期)?$")
# The share of a target a figure reached (税收收入22.4亿元,完成目标的104.2%): its completion rate.
# The target named (完成区下达招商任务的116.9%, 完成“三改一拆”任务的126%, 完成投资目标的80%).
TARGET_SHARE_RE = re.compile(r"完成(?P<what>[^,。;:、]{0,12}?)(?:目标|计划|任务)(?:任务)?的?$")
# A target named only by whose or when it is (区下达, 街道下达, 全年任务): the figure before's.
PLAIN_TARGET_RE = re.compile(r"(?:全年|年度|年初|全年度)?(?:[\u4e00-\u9fff]{0,4}下达)?(?:任务|目标|计划)?")
SHARE_LABEL_RE = re.compile(r"占(?![道用地有])([^,。;:]{0,12}?)的?(?:比重|比例|比)?(?:为|达到?)?")
# A label that is only what was done (全年完成1.2亿元, 累计建成218个, 力争突破10亿元): the measure is
# named before, by a lead (税收收入:全年完成…) or by the figure before in the sentence.
VERB_LABELS = frozenset(("完成", "实现", "达到", "突破", "建成", "达", "新增", "有", "增至", "超过"))
_AVERAGE = rf"(?:{'|'.join(OVER_YEARS)})(?:分别)?(?:{WAY})?"
AVERAGE_ONLY_RE = re.compile(_AVERAGE)  # a label that is only 年均增长
AVERAGE_TAIL_RE = re.compile(rf"{_AVERAGE}$")  # a label ending in it
LEAD_NAME_RE = re.compile(r"(?:^|[。;])(?:\d{1,2}[、.])?([^,。;:、]{2,12}):$")
# The year a target is set for (到2026年,…; 力争到2025年…), not a span's end (从2020年到2025年).
# Not a level against another year's (恢复到2019年同期的96%, 提高到2022年的51.3%).
TARGET_YEAR_RE = re.compile(rf"(?<![\d年])(?<!恢复|回升)(?:到|至)({YEAR})年(?:底|末)?(?!同期|的|水平|\d)[,]?")
# A part of the year (一季度, 上半年, 1—6月); alone, or with what was done (其中一季度, 二季度新增),
# a label that names no measure.
WHEN = r"第?[一二三四]季度|上半年|下半年|前三季度|\d{1,2}[—\-~至]\d{1,2}月(?:份)?|\d{1,2}月份?"
PART_OF_YEAR_RE = re.compile(rf"(?:其中)?(?P<when>{WHEN})(?:新增|完成|实现|共|累计)?")
WHEN_RE = re.compile(rf"^(?:其中)?(?:{WHEN})")
# What may stand before a sentence's target year: a point's number, 力争 (A.到2030年, 力争到2025年).
TARGET_LEAD_RE = re.compile(
    r"(?:[A-Za-z\d一二三四五六七八九十]{1,2}[.、]|[一二三四五六七八九十]是|力争|争取|确保|其中)*"
)
# A figure named as another year's, to compare with (较2022年的2.14亿元, 比2016年的26.3亿元).
REFERENCE_RE = re.compile(r"[较比]((?:19|20)\d{2})年(?:底|末)?的$")
# A figure that is how much another changed, against the year before or a period (较上年增加9家).
_ABSOLUTE = rf"(?:{AGAINST})(?:同期)?(?P<way>{WAY})了?"
ABSOLUTE_CHANGE_RE = re.compile(rf"{_ABSOLUTE}(?:约|近)?$")  # before the figure
ABSOLUTE_LABEL_RE = re.compile(_ABSOLUTE)  # a label that is only that
ABSOLUTE_TAIL_RE = re.compile(rf"{_ABSOLUTE}$")  # a label ending so
# The same for a 分别 run after as many figures (46家和32家,较上年分别增加9家和5家).
# (…,分别较上年增加4家、27家: 分别 before the comparison too.)
ABSOLUTE_RUN_RE = re.compile(
    rf"[,，]?(?=[^,，。]{{0,12}}分别)(?:分别)?(?P<against>{AGAINST})(?:同期)?(?:分别)?(?P<way>{WAY})了?(?:约|近)?"
)
# A figure's share of a whole (占税收总额的45.6%, 占40.7%): a change after it is the figure's before.
SHARE_OF_RE = re.compile(r"(?:^|[,;:])占(?![道用地有])(?:[^,。;:]{0,12}?的?(?:比重|比例)?)?(?:为|达到?)?$")
# The year written right before a figure (从2018年的186亿元, 2023年底的): the figure's.
OWN_YEAR_RE = re.compile(rf"({YEAR}|上|去)年(?:底|末)?的$")  # 上年的, 去年的: the year before
# 2023年,全镇实现… or 2020年全乡生猪存栏…: what the sentence says is of that year (not 2019年以来).
SENTENCE_YEAR_RE = re.compile(
    rf"({YEAR})年(?:底|末)?(?:,|(?=[\u4e00-\u9fff])(?!以来|来|起|至|到|前|后|间|内|中|度|开始|建成|建立|成立|以前|以后|之前|之后))"
)
# Between a sum and the count it classes (超10亿元项目3个, 超50万元的村2个): a short noun.
THRESHOLD_GAP_RE = re.compile(r"的?[\u4e00-\u9fff]{1,6}(?:\([\u4e00-\u9fff]{1,4}\))?")  # 的村(社区)
# Level with the year before (与上年同比持平, 同比基本持平): a change of 0, against what is said before.
FLAT_RE = re.compile(
    rf"(?P<against>[与和](?:上年|去年)(?:同期)?(?:相比)?(?:同比)?|(?:{AGAINST})(?:同期)?)(?:基本)?(?=持平)"
)
# …18,460元,五年翻了一番: the years it took, after the figure it doubled.
SPAN_BEFORE_RE = re.compile(r"(?<=[,;:])(?P<against>(?:近|过去)?[一二三四五六七八九十\d]{1,2}年(?:来|间)?)$")
# A change stated without the figure it changes (110警情同比减少10.79%): the percentage is the change.
CHANGE_BEFORE_RE = re.compile(rf"(?P<against>{AGAINST})?(?:分别)?(?P<way>{WAY})了?(?:约|近)?$")
# A change in percentage points (失业率较上年下降0.4个百分点): the figure is the signed change.
POINTS_BEFORE_RE = re.compile(rf"(?P<against>{AGAINST})?(?:分别)?(?P<way>{WAY}|收窄|缩小|扩大)了?(?:约|近)?$")
# 分别…A和B: figures joined so share what is said before the first (分别下降25%和33.3%), and a
# unit written once after the last (分别提升2.4个和3.1个百分点).
JOINERS = ("和", "、", "及", "与")
SUBJECTS_RE = re.compile("|".join(JOINERS))
SHARED_POINTS_RE = re.compile(rf"(?:{SUBJECTS_RE.pattern})\d+(?:\.\d+)?个?百分点")
# Words that set one class of a measure beside another (城镇和农村居民人均可支配收入, 区级和市级…):
# a 分别 run's subjects of one measure, named once after the last.
PARALLEL_RE = re.compile(
    "城镇|农村|城市|乡村|城区|男性|女性|国家级|省级|市级|区级|县级|镇级|街道级|村级|户籍|常住|外来|本地|国有|民营|外资|小学|初中|高中"
)
# Between a 分别 run of figures and a run of their changes (…和31000元,分别增长5.2%和6.8%).
RUN_CHANGE_RE = re.compile(rf"[,,]?(?:{AGAINST})?(?:同期)?分别(?:{WAY})了?(?:约|近)?")
# Between a figure and the one it became: 由28.6万元提高到33.1万元, 从62家增加到81家.
TO_RE = re.compile(rf"(?:{WAY}|升|降|精简|压减|压缩|缩短|缩减|减)(?:到|至)")
AGAINST_ONLY_RE = re.compile(rf"(?:{AGAINST})(?:同期)?")  # a label that only says against what
# …then the figure it became (提高到2023年的) or the one it is set against (,较2022年的): the same thing's.
# 268家,是2018年的4倍; 268亿元,是“十二五”时期的1.8倍.
TIMES_OF_RE = re.compile(rf",?(?:是|为|相当于)(?:{YEAR}年(?:底|末)?|上年|去年|“?十[一二三四五]五”?时期)?的")
BECAME_RE = re.compile(rf"(?:{TO_RE.pattern})(?:{YEAR}年(?:底|末)?的)?|,?(?:较|比){YEAR}年(?:底|末)?的")
# What 分别 says of the figures before what they count: a change (增长), or 达到, 为, 是.
AFTER_RE = re.compile(rf"^(?:{WAY}|达到|为|是)")
NARROWER = ("收窄", "缩小")
ROUGH_MULT_RE = re.compile(r"(?<=[\d一二三四五六七八九十百千两])[余多](?=[万亿])")
RATIO_COLON_RE = re.compile(r"(?<=\d):(?=\d)")
# A time of day after what says so (营业时间至22:30, 上午9:00, 8:30-17:30): not a ratio (1:10).
CLOCK_RE = re.compile(
    r"(?:(?<=至)|(?<=到)|(?<=时间)|(?<=营业)|(?<=开放)|(?<=午)|(?<=晚)|(?<=早)|(?<=晨)|(?<=[-~—]))"
    r"(?:[01]?\d|2[0-3])(:)[0-5]\d(?![\d.])|(?<![\d.:])(?:[01]?\d|2[0-3])(:)[0-5]\d(?=[-~—至到](?:[01]?\d|2[0-3]):)"
)
STOP_RE = re.compile(r"(?<=[^\x00-\x7f.])\.(?![\d.])|(?<=[%)])\.(?![0-9A-Za-z_.])")  # not …… (NFKC: ......)
