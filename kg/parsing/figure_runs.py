"""How the figures found in a clause go together: a threshold that classes the next count, a
change in words or a run of changes read into the figures before, and the labels of a 分别 run
(used by :mod:`kg.parsing.quantities`)."""

from __future__ import annotations

import re
from decimal import Decimal

from kg.parsing.figure_patterns import (
    ABSOLUTE_RUN_RE,
    AGAINST,
    AVERAGE_TAIL_RE,
    CLASSIFIERS,
    DOWN,
    ETC_RE,
    JOINERS,
    PARALLEL_RE,
    REFERENCE_RE,
    RUN_CHANGE_RE,
    SUBJECTS_RE,
    THRESHOLD_GAP_RE,
    WAY,
    WORD_CHANGE_RE,
)
from kg.parsing.labels import clause_start, meaningful, strip_label
from kg.parsing.model import Quantity

# A figure found: (start, end, value, unit, approximate, change, where its label ends, a range's
# lower bound, where what is said before it ends (a 分别 run's first figure), whether it follows
# another in a 分别 run).
Found = tuple[int, int, Decimal, str, bool, Decimal | None, int, Decimal | None, int, bool]


# What a measure's name ends in (营业额, 使用量, 户数, 覆盖率, 种植面积): after a run's last subject.
MEASURE_END_RE = re.compile(  # whole words: not 一般公共预算收入, nor 个体户数量's 户数量
    r"营业额|销售额|交易额|使用量|产量|销量|用量|数量|人数|户数|面积|产值|覆盖率|参与率|知晓率|满意率|增加值"
)
# Names in quotes side by side, then what is measured of each (“五一”“国庆”期间接待游客).
QUOTED_RUN_RE = re.compile(r"((?:“[^”]{1,8}”[、和及与]?){2,})([^“”]*)")
BOUND_BEFORE = ("超", "超过", "逾", "低于", "高于", "不足")  # 超10亿元项目, 入驻率低于80%的楼宇


def without_thresholds(found: list[Found], norm: str) -> tuple[list[Found], list[Found]]:
    """A sum or a rate that names a class of what the next figure counts (其中超10亿元项目3个, 超50万元
    的村2个, 5000万元以上项目12个, 入驻率低于80%的6栋楼宇) or the share of that class (10万元以上的村
    达到100%) is no amount: left out (the second list), it stays in that figure's label."""
    out: list[Found] = []
    left: list[Found] = []
    for i, f in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        past = norm.endswith("过", 0, f[0]) and not norm.endswith(("通过", "经过"), 0, f[0])  # 其中过10亿元项目3个
        above = norm.endswith("以上", 0, f[1])
        bound = norm.endswith(BOUND_BEFORE, 0, f[0]) or above or past
        # 5亿元至10亿元项目9个: a range of sums classes the count after it, both its ends
        upper = found[i + 2] if nxt is not None and i + 2 < len(found) and f[3] == nxt[3] == "元" else None
        if (
            upper is not None
            and nxt is not None
            and norm[f[1] : nxt[0]] in ("至", "到", "-", "—", "~")
            and f not in left
            and upper[3] in CLASSIFIERS
            and THRESHOLD_GAP_RE.fullmatch(norm[nxt[1] : upper[0]])
        ):
            left += [f, nxt]
            continue
        if f in left:
            continue
        if (
            nxt is not None
            and (f[3] == "元" or (f[3] == "%" and norm.endswith(BOUND_BEFORE, 0, f[0])) or (above and f[3] != "%"))
            and bound
            and (nxt[3] in CLASSIFIERS or (nxt[3] == "%" and f[3] == "元"))
            and THRESHOLD_GAP_RE.fullmatch(norm[f[1] : nxt[0]])
        ):
            left.append(f)
            continue
        out.append(f)
    return out, left


def word_changes(found: list[Found], norm: str) -> tuple[list[Found], list[Found]]:
    """A year-on-year change in words right after a figure (三百万人次,同比增长近两成; 2.15亿元,
    同比增长百分之八点六) is that figure's change, as 增长6.1% written in digits is (CHANGE_RE):
    the figures left, and the changes read into them."""
    out: list[Found] = []
    changes: list[Found] = []
    for f in found:
        p = out[-1] if out else None
        said = p is not None and f[3] == "%" != p[3] and f[5] is not None and p[5] is None
        if p is not None and said and WORD_CHANGE_RE.fullmatch(norm, p[1], f[0]):
            if REFERENCE_RE.search(norm, 0, p[0]):
                # 比2016年的26.3亿元增长35.4%: growth since that year, no year-on-year change of either
                out.append((*f[:5], None, *f[6:]))
                continue
            out[-1] = (*p[:5], f[5], *p[6:])
            changes.append(f)
            continue
        out.append(f)
    return out, changes


def run_changes(found: list[Found], norm: str) -> tuple[list[Found], list[Found]]:
    """A 分别 run of changes right after as many figures of the sentence (收入分别达到52000元和31000元,
    分别增长5.2%和6.8%; 接待游客46.8万人次,实现旅游综合收入1.86亿元,分别增长18.6%和21.2%): each
    change is the figure's at its place, as 增长5.2% right after one figure is (CHANGE_RE); the
    figures left, and the changes read into them."""
    items = list(found)
    folded: set[int] = set()
    j = 0
    while j < len(items):
        k = j + 1
        while k < len(items) and items[k][9]:
            k += 1
        n, before = k - j, j - (k - j)
        second = items[j:k]
        if (
            n >= 2
            and before >= 0
            and all(c[5] is not None and c[3] == "%" for c in second)
            and all(f[5] is None and f[3] != "%" for f in items[before:j])
            and RUN_CHANGE_RE.fullmatch(norm, items[j - 1][1], second[0][0])
            and not any(ch in "。;" for ch in norm[items[before][0] : second[0][0]])
            and not folded & set(range(before, j))
        ):
            for offset, c in enumerate(second):
                f = items[before + offset]
                items[before + offset] = (*f[:5], c[5], *f[6:])
            folded.update(range(j, k))
        j = k
    return [f for i, f in enumerate(items) if i not in folded], [items[i] for i in sorted(folded)]


def measure(label: str) -> str:
    """What a label measures, without what is said of it: 5G基站(累计) → 5G基站, 地区生产总值年均增长
    → 地区生产总值."""
    label = re.sub(r"\([^()]*\)$", "", label)
    return AVERAGE_TAIL_RE.sub("", label) or label


def follows_in_run(norm: str, prev_start: int, prev_end: int, start: int) -> bool:
    """Whether a figure at ``start`` is joined (A和B, A、B) to the one before it in a clause saying
    分别 before that one."""
    return norm[prev_end:start] in JOINERS and "分别" in norm[clause_start(norm, prev_start, 0) : prev_start]


def run_subject(head: str) -> str:
    """What a 分别 run speaks of: the words before 分别 without the period they are against
    (事故起数和死亡人数同比), unless they are only periods (同比、环比)."""
    parts = [p for p in SUBJECTS_RE.split(head) if p]
    if len(parts) < 2 or not all(re.fullmatch(AGAINST, p) for p in parts):
        head = re.sub(f"(?:{AGAINST})$", "", head)
    return strip_label(head)


def label_runs(out: list[Quantity], runs: list[tuple[int, str, str]], found: list[Found], norm: str) -> None:
    """Label each figure of a 分别 run: by its own subject when the subject names as many
    (事故起数和死亡人数…分别下降25%和33.3%), by the figure before the run and the period when it
    names periods (满意率98.2%,同比、环比分别提高…); with no subject, by the figures said just
    before it in the sentence, as many, and what is said of them (解决率96.3%,满意率97.1%,较2022年
    分别提升2.4个和3.1个百分点; 图书馆2个、体育馆3个,分别投资2亿元和3亿元: 图书馆投资), else by
    what follows 分别 (分别新增养老床位100张和200张)."""
    for first, subject, after in runs:
        n = 1
        while first + n < len(out) and found[first + n][9]:
            n += 1
        if n < 2:
            continue
        parts = [p for p in SUBJECTS_RE.split(subject) if p]
        s0 = found[first][0]
        before = [
            i for i in range(first) if not any(ch in "。;" for ch in norm[found[i][1] : s0])
        ]  # figures of the same sentence before the run
        named = QUOTED_RUN_RE.fullmatch(subject)
        names = re.findall(r"“([^”]{1,8})”", named.group(1)) if named else []
        absolute = ABSOLUTE_RUN_RE.fullmatch(norm, found[first - 1][1], s0) if first and before else None
        pairs = list(zip(before[-n:], range(first, first + n), strict=False))
        if absolute and len(before) >= n and all(out[b].unit == out[r].unit not in ("%", "百分点") for b, r in pairs):
            # 46家和32家,较上年分别增加9家和5家: how much each figure before changed (减少: fell)
            how = absolute.group("against") + absolute.group("way")
            labels = [f"{measure(out[b].label)}({how})" for b, _r in pairs]
            if absolute.group("way") in DOWN:
                for _b, r in pairs:  # (the first may be signed already: 分别较上年减少12起 reads so alone)
                    out[r].value = -abs(out[r].value)
        elif len(names) == n and named is not None and (meaningful(named.group(2)) or not named.group(2)):
            # “五一”“国庆”期间接待游客分别达到…: 五一期间接待游客; “星级楼宇”“亿元楼宇”分别达到…: each name
            labels = [f"{x}{named.group(2)}" for x in names]
        elif len(parts) == n and all(re.fullmatch(AGAINST, p) for p in parts):
            labels = [f"{out[before[-1]].label}{p}" if before else p for p in parts]
        elif len(parts) == n and (etc := ETC_RE.search(parts[-1])) and all(meaningful(p) for p in parts):
            # 世茂国际广场、恒隆广场等重点商业综合体招商率分别达到93%和96%: each named, of what 等 says
            last, what = parts[-1][: etc.start()], parts[-1][etc.end() :]
            labels = [f"{p}({what})" for p in (*parts[:-1], last)]
        elif len(parts) == n and all(meaningful(p) for p in parts):
            labels = parts
            rate = parts[-1][-3:] if len(parts[-1]) >= 4 and parts[-1].endswith("率") else ""
            parallel = PARALLEL_RE.match(parts[-1]) and all(PARALLEL_RE.fullmatch(p) for p in parts[:-1])
            if rate and not parallel and not any(p.endswith("率") for p in parts[:-1]):
                # 党的组织和工作覆盖率分别达到92%和100%: the rate each is, said once at the end
                labels = [p + rate for p in parts[:-1]] + [parts[-1]]
            elif all(PARALLEL_RE.fullmatch(p) for p in parts) and meaningful(after):
                labels = [p + after for p in parts]  # 城镇和农村分别新增就业100人和200人
            elif (
                len({len(p) for p in parts[:-1]}) == 1
                and len(parts[0]) <= 2
                and MEASURE_END_RE.fullmatch(parts[-1][len(parts[0]) :])
            ):  # 餐饮、住宿营业额分别增长…; 化肥、农药使用量分别下降…: the measure named once, after the last
                labels = [p + parts[-1][len(parts[0]) :] for p in parts[:-1]] + [parts[-1]]
            elif (last := PARALLEL_RE.match(parts[-1])) and all(PARALLEL_RE.fullmatch(p) for p in parts[:-1]):
                # 城镇和农村居民人均可支配收入分别为…: what the last names, of each
                labels = [p + parts[-1][last.end() :] for p in parts[:-1]] + [parts[-1]]
        elif n == 2 and subject.startswith("城乡") and meaningful(subject[2:]):
            # 城乡居民人均可支配收入分别增长8%和8.5%: the town's and the country's, in that order
            labels = [f"城镇{subject[2:]}", f"农村{subject[2:]}"]
        elif not meaningful(subject) and len(before) >= n:
            # 解决率93.6%,满意率95.1%,分别较去年同期提高…: each the change of its figure, labelled as it is
            said = "" if re.fullmatch(rf"(?:{AGAINST})(?:同期)?(?:{WAY})?了?", after) else after
            labels = [out[i].label + said for i in before[-n:]]
        else:
            labels = [subject if meaningful(subject) else after or subject or out[first].label] * n
        for k, label in enumerate(labels):
            out[first + k].label = label or out[first + k].unit
