"""The units and multipliers figures are written with: one list for prose and for tables."""

from __future__ import annotations

import re
from decimal import Decimal

UNITS = (
    "个百分点|百分点|平方公里|平方米|微克/立方米|立方米|m2|公顷|千瓦时|千瓦|倍|人次|户次|家次|项次|件次|台次|场次|轮次|批次|个次|个月|个季度|美元|公里|元/亩|元/平方米|元/吨|元/人|元/户|万元|元|人|件|起|户(?![长籍口型])|家|个工作日|工作日|个|名|场|处次|处|幢|台"
    "|条段|条|栋|宗|组|天|具|项|次|客|所|座|位|辆|套|间|批|吨|亩|册次|册|份|张|株|棵|盏|米|支|例|堂|类|块|公斤|篇|期|轮|部门|部|分钟|小时|分|%"
    "|根|单(?!位|元|独|一)"
    # A farm's and a clinic's counts: 生猪存栏1.36万头, 山羊1.2万只, 林下养鸡10万羽, 疫苗9.2万剂次;
    # 残疾证32本; PM2.5每立方米31微克.
    "|头次|羽次|头(?![等号部条])|只|羽|剂次|剂|本(?![地月年届市区级次科土部])|微克|兆瓦时|兆瓦|担(?![任当保子])"
    # 结对认亲1860对, 创业担保贷款18笔, 足球场1片, 装机容量12MW, 人口自然增长率5‰, 亩均收入3200元/亩;
    r"|对(?![接口象标于外照比待策话\d一])|笔(?!记)|片(?![区长])|MW|‰"
    # 山塘十二口, 专车46趟
    r"|口(?![岸罩径号令碑袋])|趟"
    # 视频探头1,420路, 开设课程1,260节
    r"|路(?![口段网线由公车班])|节(?![假日能约点庆目])"
    # 平均年龄42.6岁 (an age stays a figure only as an average or its change: quantities._ages)
    r"|岁"
)
UNIT_RE = re.compile(UNITS)
UNIT_AS_WRITTEN = {"m2": "㎡"}  # NFKC spells ㎡ as m2
# Multipliers after Arabic digits: 1.2万, 3亿, and in web copies 2千, 5百万, 3千万.
MULT = {
    "千": Decimal(1_000),
    "万": Decimal(10_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "亿": Decimal(100_000_000),
}


def tidy_value(value: Decimal) -> Decimal:
    """A value as written without trailing zeros (15.0 → 15, 1.50 → 1.5)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
