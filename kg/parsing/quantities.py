"""Extract every stated amount from a parsed report.

A quantity is a number (Arabic digits, optionally with 万/亿, or 十余/百余)
followed by a unit as written (元, 人次, 件, %, …).  余/多/以上 make it
approximate; a following ``同比增加/减少 N%`` becomes its year-on-year
change.  Dates, ordinals (第六届), names with digits (7号线, “沪28条”) and
footnote markers are not quantities.  Labels come from a heuristic over the
clause and may be overridden by the curation layer.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from kg.parsing.figure_patterns import (
    ABSOLUTE_CHANGE_RE,
    ABSOLUTE_LABEL_RE,
    ABSOLUTE_TAIL_RE,
    AFTER_RE,
    AGAINST_BEFORE_RE,
    AGAINST_ONLY_RE,
    AVERAGE_ONLY_RE,
    BECAME_RE,
    CHANGE_BEFORE_RE,
    CHANGE_RE,
    CLASSIFIERS,
    CLOCK_RE,
    CN_DECIMAL_RE,
    CN_RE,
    CN_SMALL_RE,
    COUNTED_BY,
    CUMULATIVE_RE,
    DOUBLED_RE,
    DOWN,
    FLAT_RE,
    FRACTION_RE,
    LEAD_NAME_RE,
    NARROWER,
    NUM_RE,
    OVER_YEARS,
    OWN_YEAR_RE,
    PART_OF_YEAR_RE,
    PERCENT_CN_RE,
    PLAIN_TARGET_RE,
    POINTS_BEFORE_RE,
    RANGE_BEFORE_RE,
    RATIO_COLON_RE,
    REFERENCE_RE,
    ROUGH_MULT_RE,
    SENTENCE_YEAR_RE,
    SHARE_LABEL_RE,
    SHARE_OF_RE,
    SHARED_POINTS_RE,
    SLOGAN_ONE_RE,
    SPAN_BEFORE_RE,
    STOP_RE,
    TARGET_LEAD_RE,
    TARGET_SHARE_RE,
    TARGET_YEAR_RE,
    TENTHS_RE,
    TIME_UNITS,
    TIMES_OF_RE,
    VERB_LABELS,
    WAY,
    WAY_WORDS,
    WHEN_RE,
    YOY,
)
from kg.parsing.figure_runs import (
    Found,
    follows_in_run,
    label_runs,
    measure,
    run_changes,
    run_subject,
    without_thresholds,
    word_changes,
)
from kg.parsing.inline import counted_numbers
from kg.parsing.labels import (
    CLAUSE_DELIMS,
    ITEM_NUMBER_RE,
    TAIL_WORDS,
    approx_before,
    clause_start,
    following,
    meaningful,
    strip_label,
)
from kg.parsing.lines import CIRCLED
from kg.parsing.model import Initiative, Paragraph, Quantity, Report
from kg.parsing.numerals import DIGITS, cn_number, year_digits
from kg.parsing.tables import serial_column, table_quantities
from kg.parsing.units import MULT, UNIT_AS_WRITTEN, tidy_value
from kg.text import NormText, normalise


def _containers(report: Report) -> Iterator[tuple[str, str | None, int, int]]:
    """(container key, reference year, start, end) for every stretch of body text."""

    def para(key: str, year: str | None, p: Paragraph | Initiative) -> tuple[str, str | None, int, int]:
        start = p.title_start if isinstance(p, Initiative) and p.kind == "project" else p.start
        return key, year, start, p.end

    for i, p in enumerate(report.preamble):
        yield para(f"preamble-{i + 1}", None, p)
    for part in report.parts:
        for i, p in enumerate(part.intro):
            yield para(f"{part.key}/intro-{i + 1}", part.year, p)
        for sec in part.sections:
            for i, p in enumerate(sec.intro):
                yield para(f"{sec.key}/intro-{i + 1}", part.year, p)
            for init in sec.initiatives:
                yield para(init.key, part.year, init)
        for i, p in enumerate(part.closing):
            yield para(f"{part.key}/closing-{i + 1}", part.year, p)
    for i, u in enumerate(report.unplaced):
        yield f"unplaced-{i + 1}", None, u.start, u.end


def extract_quantities(report: Report) -> list[Quantity]:
    """Every quantity in the report's body, in document order (and, in ``report.folded``, the
    numbers read into them)."""
    text = report.text
    # Footnote markers are not numbers of anything; a hard-wrapped copy's break ends no clause.
    masked_text = report.blanked(markers=True)
    quoted = [(q.start, q.end) for q in report.quotes]
    # 1个 of “1+3+N”(即1个街道指挥中心、…): the term's composition, no figure of the text.
    quoted += [span for d in report.definitions for span in counted_numbers(d)]
    tables = [(t.start, t.end) for t in report.tables]
    out: list[Quantity] = []
    folded: list[tuple[int, int]] = []
    containers = list(_containers(report))
    for key, year, start, end in containers:
        # One line at a time: a line break ends a clause (project title / description).
        pos = start
        for line in masked_text[start:end].split("\n"):
            if not any(pos < e and s < pos + len(line) for s, e in tables):  # cells are read as cells (below)
                nt = NormText.of(line, pos)
                out.extend(_headed(nt, _scan(nt, text, key, year, quoted, folded)))
            pos += len(line) + 1
    for table in report.tables:
        first = 1 if serial_column(text, table) else 0  # a row's number (序号) is no figure
        for row in table.rows[1:]:
            # A row belongs to the closest container around it: its project, else the paragraph
            # that holds the table.
            # A project's text opens at its name, after the row's number (an empty cell: at the line's end).
            at = next((s for s, e in reversed(row) if e > s), row[0][0])
            around = [c for c in containers if c[2] <= at < c[3]]
            if not around:
                continue
            key, year, _s, _e = min(around, key=lambda c: c[3] - c[2])
            cells = table_quantities(text, table, key, year, [row])
            out.extend(cells)
            # A cell of words (完成农村公路提档升级12公里) is read as text, within itself; one whose
            # words only say how it changed (增长8%-10%) is named by its row and column.
            taken = {q.start for q in cells}
            header = [normalise(text[s:e]) for s, e in table.rows[0]]
            for col, (s, e) in enumerate(row[first:], first):
                if s not in taken:
                    for q in _scan(NormText.of(masked_text[s:e], s), text, key, year, quoted, folded):
                        if q.label in CHANGE_ONLY and col < len(header) and row[first][1] > row[first][0]:
                            q.label = f"{normalise(text[row[first][0] : row[first][1]])}({header[col]})"
                        out.append(q)
    if report.wraps:  # a number over a hard-wrapped copy's line (or page) break: as written, less the break
        for q in out:
            q.raw = report.as_written(q.start, q.end)
    out.sort(key=lambda q: q.start)
    report.folded = sorted(folded)
    return out


def _headed(nt: NormText, found: list[Quantity]) -> list[Quantity]:
    """老旧小区改造:计划9个,完成9个,完成率100%: figures labelled only by their role (计划, 完成率)
    are the head's before the colon, the role in brackets (老旧小区改造(计划))."""
    after, before = 0, ""  # where the figure before ends, its label
    for q in found:
        at = bisect_left(nt.starts, q.start)
        gap, after = nt.norm[after:at].strip(",;、"), bisect_left(nt.starts, q.end)
        head = _head(nt.norm, at)
        if head is not None and gap in ROLE_LABELS and q.label == before:
            q.label = gap  # 计划9个,完成9个: the second's role is its own, not the first's
        before = q.label
        if head is not None and q.label in ROLE_LABELS:
            q.label = f"{head}({q.label})"
    return found


def _head(norm: str, at: int) -> str | None:
    """The head a colon opens the clause at ``at`` with (老旧小区改造:计划9个…), if short and named."""
    colon = norm.rfind(":", 0, at)
    if colon < 0 or any(c in norm[colon:at] for c in "。;"):
        return None
    opens = max(norm.rfind(c, 0, colon) for c in "。;:")
    head = ITEM_NUMBER_RE.sub("", norm[opens + 1 : colon])
    named = 2 <= len(head) <= HEAD_MAX and "," not in head and not head.endswith("情况")
    return head if named and not any(c.isdigit() for c in head) else None


def _unit(written: str) -> str:
    """The unit of a figure: ㎡ as written (NFKC made it m2); 1个工作日 counts 工作日."""
    return UNIT_AS_WRITTEN.get(written, written.removeprefix("个") if written == "个工作日" else written)


def _amount(value: Decimal, written: str) -> tuple[Decimal, str]:
    """A figure's value and unit: 万元 (15.78 万元 written with a space, 六百八十余万元) is 10,000 元."""
    unit = _unit(written)
    return (value * MULT["万"], "元") if unit == "万元" else (value, unit)


def _time_name(norm: str, unit: str, end: int) -> bool:
    """Whether a time (24小时, 15分钟) or a phase (2期竣工) names what follows it (自助服务区,
    服务圈) rather than an amount (3000小时的培训, 8分钟即可办结, 课堂60期)."""
    if unit not in (*TIME_UNITS, "期") or end >= len(norm):
        return False
    after = norm[end]
    amount = (
        *("以上", "以内", "左右", "内", "的", "即", "就", "可", "后", "次", "累计"),
        *("缩短", "压缩", "缩减", "减少", "下降", "降", "提高", "增加", "延长"),  # 由48小时缩短至6小时
    )
    return "\u4e00" <= after <= "\u9fff" and not norm.startswith(amount, end)


def _change_or_figure(
    norm: str, start: int, end: int, value: Decimal, approx: bool, year: str | None, found: list[Found]
) -> Found:
    """A percentage in words: the change itself when a change is said before it (同比下降两成), or
    before the first of its 分别 run (分别减少百分之三和百分之五: both down)."""
    follows = bool(found) and follows_in_run(norm, found[-1][0], found[-1][1], start)
    anchor = found[-1][8] if follows else start
    said = _said_before(norm, anchor, value, year, (*DOWN, *NARROWER))
    if said:
        value, change, label_end = said
        return start, end, value, "%", approx, change, label_end, None, anchor, follows
    return start, end, value, "%", approx, None, anchor, None, anchor, follows


def _said_of_a_figure(
    norm: str, start: int, value: Decimal, unit: str, year: str | None
) -> tuple[Decimal, str, Decimal | None, int, bool]:
    """A figure that is a change said before it (增长1.5倍, 增长一点五倍: +150 %, a change) or
    points (下降3.5个百分点: -3.5 百分点): value, unit, year-on-year change, where its label ends,
    and whether a change was said (else the figure as it stands, labelled up to ``start``)."""
    if unit in ("个百分点", "百分点"):
        points = POINTS_BEFORE_RE.search(norm, 0, start)
        if points:  # signed by the way it went, labelled by what changed
            down = points.group("way") in (*DOWN, *NARROWER)
            # 降幅较一季度收窄8.2个百分点: a decline narrowing is a rise (of its rate, +8.2)
            if points.group("way") in NARROWER and "降幅" in norm[clause_start(norm, points.start(), 0) : start]:
                down = False
            value = value * (-1 if down else 1)
            return value, "百分点", None, points.start(), True
        return value, "百分点", None, start, False
    said = _said_before(norm, start, value, year) if unit in ("%", "倍") else None
    if said is None:
        return value, unit, None, start, False
    value, change, label_end = said
    if unit == "倍":  # 增长1.5倍: +150 %
        value, unit = tidy_value(value * 100), "%"
        change = None if change is None else value
    return value, unit, change, label_end, True


def _said_before(
    norm: str, anchor: int, value: Decimal, year: str | None, narrower: tuple[str, ...] = ()
) -> tuple[Decimal, Decimal | None, int] | None:
    """A figure that is itself a change said before it (同比下降6.3%, 年均增长百分之七点八): signed
    by the way it went; the year-on-year change it states (none over several years, 年均/累计, or
    against another period); where its label ends (before the change, or after 年均增长: the
    figure is the average growth). ``narrower``: words of a narrowing (收窄两成) also read."""
    before = CHANGE_BEFORE_RE.search(norm, 0, anchor) or (
        POINTS_BEFORE_RE.search(norm, 0, anchor) if narrower else None
    )
    if before is None:
        return None
    value = value * (-1 if before.group("way") in (narrower or DOWN) else 1)
    over_years = not before.group("against") and norm[: before.start()].endswith(OVER_YEARS)
    change = value if _year_on_year(before, year) and not over_years else None
    return value, change, anchor if over_years else before.start()


def _year_on_year(before: re.Match[str], year: str | None = None) -> bool:
    """Whether a change said before its figure is against the year before (同比, 较上年, 较2022年
    in a text of 2023), or against no period at all (下降两成): not against another period (环比,
    较2019年)."""
    against = before.group("against") or ""
    last = f"{int(year) - 1}年" if year and year.isdigit() else None
    return not against or re.fullmatch(YOY, against) is not None or against[1:] == last


BARE_CHANGE_RE = re.compile(rf"[,，](?P<way>{WAY})了?")  # …5860元,增加680元: the figure before's change
# A table cell's words that only say how a figure changes (增长6%左右): no name of it.
CHANGE_ONLY = frozenset(("增长", "下降", "提高", "降低", "增加", "减少", "同比增长", "同比下降", "增幅", "降幅"))
# 完成全年目标1800人的57.6%: a clause naming the target's figure before the rate.
TARGET_OPENS_RE = re.compile(r"[,;:]?完成(?:全年|年度)?(?:目标|计划|任务)")
AGE_REACH = 8  # 班子平均年龄42.6岁: 年龄 that close before an age, in its clause
AGE_BEFORE_RE = re.compile(r"年[龄齡](?:为|是|约|仅|达到?|(?:下降|降低|减少|提高|缩小)(?:至|到)?|降至)?$")
AGE_DOWN_RE = re.compile(r"(?:下降|降低|减少)$")
# 较换届前下降5.3岁, 下降2岁: a change of the age said before.
AGE_CHANGE_RE = re.compile(r"(?:较|比)?[^,;。]{0,6}(?:下降|降低|提高|增加|减少|增长)$|^(?:下降|降低|提高|增加|减少)$")
# 计划9个, 完成9个, 完成率100%: labels that say only a figure's role, named by a head before a colon.
ROLE_LABELS = frozenset(("计划", "完成", "完成率", "目标", "实际完成", "任务", "目标任务", "年度目标", "计划完成"))
HEAD_MAX = 16
# 新辟公交981路、982路, 开通社区巴士1218路, 1218路公交车: bus routes, whose numbers are names
BUS_ROUTE_RE = re.compile(r"(?:公交|巴士|专线|班车)(?:线路?)?(?:\d+路[、和及与,])*$")
BUS_AFTER = ("公交", "巴士", "专线", "班车", "线路", "车")
# A table cell's words that only say how a figure changes (增长6%左右): no name of it.
CHANGE_ONLY = frozenset(("增长", "下降", "提高", "降低", "增加", "减少", "同比增长", "同比下降", "增幅", "降幅"))
# 计划9个, 完成9个, 完成率100%: labels that say only a figure's role, named by a head before a colon.
ROLE_LABELS = frozenset(("计划", "完成", "完成率", "目标", "实际完成", "任务", "目标任务", "年度目标", "计划完成"))
HEAD_MAX = 16
# …,综合成绩排名全区第3,: the rank a change in places (提升4位) is of.
RANK_SUBJECT_RE = re.compile(r"(?:^|(?<=[,;:]))([^,;:。]{0,12}?(?:排名|位次))[^,;:。]*第[\d一二三四五六七八九十]+")
RANK_BEFORE = ("全区前", "全市前", "全省前", "全国前", "排名前", "位列前", "位居前")


def _signed(absolute: re.Match[str] | None, value: Decimal) -> Decimal:
    """A figure after 较上年减少 (``absolute``: 较上年减少9家, 九家): how much the one before fell, negative."""
    return -value if absolute and absolute.group("way") in DOWN else value


def _own_year(norm: str, start: int, unit: str, year: str | None) -> str | None:
    """The year a figure is of: the one written just before it where it says which figure that
    was (由2020年的312亿元, 较2022年的9860万元, …提高到2022年的51.3% after 由), else, in a stretch of
    several years (a five-year review), the one its sentence opens with (2023年,全镇实现…), else
    the stretch's ``year``. A share or ratio of another year's (相当于2019年的96%, 占2022年的110%,
    恢复到2019年的96%, 是2020年的1.7倍) is not that year's."""
    own = OWN_YEAR_RE.search(norm, max(0, start - 8), start)
    if own and unit != "倍":
        word = norm[own.start() - 1 : own.start()]
        clause = norm[clause_start(norm, own.start(), 0) : own.start()]
        if word in ("由", "从", "较", "比") or (word in ("到", "至") and any(c in clause for c in "由从")):
            if own.group(1) in ("上", "去"):  # 由上年的八成: the year before the stretch's
                return str(int(year) - 1) if year and year.isdigit() else None
            return year_digits(own.group(1))
    opening = max(norm.rfind(c, 0, start) for c in "。;") + 1
    # 到2028年,A突破320亿元;B达到18亿元: a target year opening the sentence holds across its clauses;
    # within the figure's own clause it is that figure's (财政总收入到2026年突破…), not elsewhere
    # (按照到2025年完成改造30个的目标,全年完成改造12个: 12个 is of the report's year).
    # In a stretch of no one year (今后五年), any target year its sentence names is the figure's.
    sentence = max(norm.rfind(c, 0, start) for c in "。:") + 1  # 主要预期目标是:到2026年,…
    lead = TARGET_LEAD_RE.match(norm, sentence)
    target = TARGET_YEAR_RE.match(norm, lead.end() if lead else sentence)
    target = target or TARGET_YEAR_RE.search(norm, clause_start(norm, start, 0), start)
    if target is None and year is None:
        target = TARGET_YEAR_RE.search(norm, norm.rfind("。", 0, start) + 1, start)
    if target and not norm.endswith(("由", "从"), 0, target.start()):
        return year_digits(target.group(1))  # 到2026年,辖区生产总值突破450亿元: the year it is set for
    if year is None:
        opens = SENTENCE_YEAR_RE.match(norm, opening)
        between = norm[opens.end() : start] if opens else ""
        bare = opens is not None and not opens.group(0).endswith(",")  # 2020年全乡…, not 2023年,…
        if opens and not (bare and ("累计" in between or "的" in between[:12])):  # not 2016年建成的…累计
            return year_digits(opens.group(1))
        # …,2021年生命健康产业税收占比达到42%: a year opening the figure's own clause
        own = SENTENCE_YEAR_RE.match(norm, clause_start(norm, start, opening))
        if own and not any(w in norm[own.end() : start] for w in ("累计", "的")):
            return year_digits(own.group(1))
    return year


def _scan(
    nt: NormText, text: str, key: str, year: str | None, quoted: list[tuple[int, int]], folded: list[tuple[int, int]]
) -> list[Quantity]:
    """The figures of one line (``nt``) of container ``key``; numbers read into them go to ``folded``."""
    norm = nt.norm
    # ① is NFKC's 1: a point's number, neither a figure nor the start of a label (1全年发放…).
    circled = [i for i, s in enumerate(nt.starts) if text[s] in CIRCLED]
    # A half-width full stop between words, not digits (示范园3个.), ends a sentence as 。 does;
    # the colon of a time of day (营业时间至22:30的商户) ends no clause.
    stops = [m.start() for m in STOP_RE.finditer(norm)]
    clocks = [m.start(1) if m.group(1) else m.start(2) for m in CLOCK_RE.finditer(norm)]
    clocks += [m.start() for m in RATIO_COLON_RE.finditer(norm)]  # 按照1:10的比例: no clause's end either
    # 180余万人次, 一百八十余万人次, 十余亿元: read as 180万余人次 (the multiplier before 余, as the
    # readers of figures want it; the span as written is the same).
    swaps = [m.start() for m in ROUGH_MULT_RE.finditer(norm)]
    if circled or stops or clocks or swaps:
        chars = list(norm)
        for i in swaps:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        for i in circled:
            chars[i] = "、"
        for i in stops:
            chars[i] = "。"
        for i in clocks:
            chars[i] = "\u2236"  # ∶, a ratio's colon: as written to the eye, no clause's end
        norm = "".join(chars)
    found: list[Found] = []
    consumed: set[int] = set()
    for m in NUM_RE.finditer(norm):
        if m.start() in consumed:
            continue
        if m.start() > 0 and norm[m.start() - 1] == "第":
            continue  # ordinal
        if m.group(4) == "岁" and not _an_age(norm, m.start(), found):
            continue  # 65岁以上老年人: who is counted, no figure (nor the end of the next one's label)
        if m.group(4) == "路" and (
            BUS_ROUTE_RE.search(norm[max(0, m.start() - 24) : m.start()]) or norm.startswith(BUS_AFTER, m.end())
        ):
            continue  # 新辟公交981路、982路: route names, no count of video channels
        if norm.endswith(RANK_BEFORE, 0, m.start()) and m.group(4) in ("名", "位"):
            continue  # 综合排名稳定在全区前5名: a rank, no count of people
        raw_s, _ = nt.span(m.start(), m.end())
        if any(s <= raw_s < e for s, e in quoted):
            continue  # a digit inside a quoted name (“沪28条”)
        if _time_name(norm, m.group(4), m.end(4)):
            continue
        value, unit = _amount(Decimal(m.group(1).replace(",", "")) * MULT.get(m.group(2) or "", Decimal(1)), m.group(4))
        if unit == "个" and SHARED_POINTS_RE.match(norm, m.end()):
            unit = "个百分点"  # 2.4个和3.1个百分点: written once, after the last
        # After 分别…A和: what is said before the first figure is said before this one.
        follows = bool(found) and follows_in_run(norm, found[-1][0], found[-1][1], m.start())
        anchor = found[-1][8] if follows else m.start()
        approx = bool(m.group(3) or m.group(5)) or approx_before(norm[: m.start()])
        end = m.end()
        change = None
        label_end = anchor
        said = False
        # 较上年增加9家, 同比减少126万元: the figure is a change of the one before, signed.
        absolute = ABSOLUTE_CHANGE_RE.search(norm, 0, m.start()) if unit not in ("%", "个百分点", "倍") else None
        # 农民人均纯收入5860元,增加680元,增长13.1%: how much the figure right before changed, of its unit
        absolute = absolute or (
            BARE_CHANGE_RE.fullmatch(norm, found[-1][1], m.start()) if found and found[-1][3] == unit != "%" else None
        )
        value = _signed(absolute, value)
        c = CHANGE_RE.match(norm[end:])
        # 2.26亿元,较2022年的2.14亿元增长5.6%: the change is the figure before's, over the year
        # named (y/y when that is the year before); 比2016年的26.3亿元增长35.4%: over five years, a
        # figure of its own, no figure's change
        reference = REFERENCE_RE.search(norm, 0, m.start()) if c and not re.match(YOY, c.group(0).lstrip(",")) else None
        if reference and year and year.isdigit() and int(reference.group(1)) != int(year) - 1:
            c = None
        if c:  # a change said after the figure (12.8亿元,同比增长5.1%): the figure's
            times = Decimal(100) if c.group(3) == "倍" else Decimal(1)
            change = tidy_value(Decimal(c.group(2)) * times * (-1 if c.group(1) in DOWN else 1))
            consumed.add(end + c.start(2))
            folded.append(nt.span(end + c.start(2), end + c.end(2)))
            unit = "百分点" if unit == "个百分点" else unit
            before = found[-1] if found else None
            of_before = (
                before is not None
                and unit == "%"
                and any(x.search(norm, before[1], m.start()) for x in (TARGET_SHARE_RE, SHARE_OF_RE))
            )
            if (
                (of_before or absolute or reference)
                and before is not None
                and before[5] is None
                and not any(ch in "。;" for ch in norm[before[1] : m.start()])
            ):  # 3.62亿元,完成年度目标的51.7%,同比增长4.3% (or 5.86亿元,占税收总额的45.6%,…; 1860万元,同比
                # 减少126万元,下降6.3%): the sum's change
                found[-1] = (*before[:5], change, *before[6:])
                change = None
        else:  # the figure itself a change said before it (同比增长5.1%, 提高1.2个百分点), or none
            value, unit, change, label_end, said = _said_of_a_figure(norm, anchor, value, unit, year)
        start, low = m.start(), None
        r = RANGE_BEFORE_RE.search(norm, 0, start)
        if r and r.group(2) and unit != "%":
            r = None  # 5%-8个 is no range
        if r and not change and label_end == start:  # 3-5个, 10至15万元: from the lower bound on
            low = Decimal(r.group(1)) * MULT.get(m.group(2) or "", Decimal(1))
            start = label_end = r.start()
            if r.group(2) and found and found[-1][0] == start:
                found.pop()  # 8%-10%: the lower bound was read as a figure of its own
        elif r and r.group(2) and said and found and found[-1][0] == r.start():
            # 年均增长8%-10%: a change's range, from the lower bound on (signed as the upper)
            low = Decimal(r.group(1)) * (-1 if value < 0 else 1)
            start, prev = r.start(), found.pop()
            label_end = min(label_end, prev[6])
        found.append((start, end, value, unit, approx, change, label_end, low, anchor, follows))
    for m in CN_RE.finditer(norm):
        number = cn_number(m.group(1))
        if number is None or m.group(3) == "分" or _time_name(norm, m.group(3), m.end(3)):
            continue  # 百分点 is no hundred
        lead = norm[m.start() - 1 : m.start()]
        raw_s, _ = nt.span(m.start(), m.end())
        if lead == "第" or any(s <= raw_s < e for s, e in quoted):
            continue  # 第十二次 is an ordinal, “十二条” a name
        # 数十场, 几百人, 上万人次: a rough number
        approx = (
            bool(m.group(2) or m.group(4))
            or (lead != "" and lead in "几上")
            # 数十名, 农户数百户: rough; 服务人数二万八千人: the count's name ends in 数
            or (lead == "数" and (m.group(1)[0] in "十百千万" or norm[m.start() - 2 : m.start() - 1] not in COUNTED_BY))
            or approx_before(norm[: m.start()])
        )
        if m.group(1) in ("百", "千", "万") and not approx:
            continue  # 百名书记, 千人计划: a name; 百余场, 近万人次 count
        if m.group(3) == "岁" and not _an_age(norm, m.start(), found):
            continue  # 八十岁以上老人
        value, unit = _amount(Decimal(number), m.group(3))
        value = _signed(ABSOLUTE_CHANGE_RE.search(norm, 0, m.start()), value) if unit != "%" else value
        found.append((m.start(), m.end(), value, unit, approx, None, m.start(), None, m.start(), False))
    for m in CN_DECIMAL_RE.finditer(norm):  # 十一点六万吨: 116,000 吨; 零点八个百分点
        whole = 0 if m.group(1) in ("零", "〇") else cn_number(m.group(1))
        raw_s, _ = nt.span(m.start(), m.end())
        if whole is None or any(s <= raw_s < e for s, e in quoted):
            continue
        decimals = Decimal("0." + "".join(str(DIGITS[c]) for c in m.group(2)))
        value, unit = _amount((Decimal(whole) + decimals) * MULT.get(m.group(3) or "", Decimal(1)), m.group(5))
        approx = bool(m.group(4) or m.group(6)) or approx_before(norm[: m.start()])
        value, unit, change, label_end, _said = _said_of_a_figure(norm, m.start(), value, unit, year)
        found.append((m.start(), m.end(), tidy_value(value), unit, approx, change, label_end, None, m.start(), False))
    slogans = [(sm.start(), sm.end()) for sm in SLOGAN_ONE_RE.finditer(norm)]
    for m in CN_SMALL_RE.finditer(norm):  # 改造老旧小区五个。: a count ending its clause
        raw_s, _ = nt.span(m.start(), m.end())
        if _time_name(norm, m.group(2), m.end(2)) or any(s <= raw_s < e for s, e in quoted):
            continue
        if any(a <= m.start() < b for a, b in slogans):
            continue  # 改造一个、管好一个; 成熟一个推进一个: a way of working, no count
        value = _signed(ABSOLUTE_CHANGE_RE.search(norm, 0, m.start()), Decimal(DIGITS[m.group(1)]))
        found.append((m.start(), m.end(), value, _unit(m.group(2)), False, None, m.start(), None, m.start(), False))
    for m in PERCENT_CN_RE.finditer(norm):
        digits, _, tenths = m.group(1).partition("点")  # 百分之三点五: 3.5
        whole = cn_number("一" + digits if digits == "百" else digits) if not digits[0].isdigit() else None
        percent = Decimal(digits) if digits[0].isdigit() else None if whole is None else Decimal(whole)
        if percent is not None and tenths:
            percent += Decimal("0." + "".join(str(DIGITS[c]) for c in tenths))
        if percent is not None:
            approx = bool(m.group(2)) or approx_before(norm[: m.start()])
            found.append(_change_or_figure(norm, m.start(), m.end(), percent, approx, year, found))
    for m in FRACTION_RE.finditer(norm):  # 占户籍人口的三分之一以上: a share of about 33.3 %
        whole, part = DIGITS.get(m.group(1)) or cn_number(m.group(1)), DIGITS[m.group(2)]
        # …的三分之一 after 占, or a change (缩短三分之一); not a fraction of what follows (三分之二的小区)
        of_it = SHARE_OF_RE.search(norm, 0, m.start()) or re.search(rf"(?:{WAY})了?(?:约|近)?$", norm[: m.start()])
        if whole and part < whole and of_it:
            fraction = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
            found.append(_change_or_figure(norm, m.start(), m.end(), fraction, True, year, found))
    for m in TENTHS_RE.finditer(norm):
        digit = m.group("a") or m.group("b")
        approx = (
            bool(m.group("aq") or m.group("bq"))
            or approx_before(norm[: m.start()])
            or norm[: m.start()].endswith("不足")
        )
        tenths = Decimal(int(digit)) if digit.isdigit() else Decimal(cn_number(digit) or 0)
        half = m.group("ah") or m.group("bh")  # 一成半: 15 %, 九成五: 95 %
        percent = tenths * 10 + (Decimal(5) if half == "半" else Decimal(DIGITS[half]) if half else Decimal(0))
        found.append(_change_or_figure(norm, m.start(), m.end(), percent, approx, year, found))
    for m in DOUBLED_RE.finditer(norm):  # 翻一番: doubled, +100 %; 翻两番: quadrupled, +300 %
        value = Decimal((2 ** DIGITS[m.group(1)] - 1) * 100)
        against = AGAINST_BEFORE_RE.search(norm, 0, m.start()) or SPAN_BEFORE_RE.search(norm, 0, m.start())
        yoy = against is not None and re.fullmatch(YOY, against.group("against")) is not None
        label_end = against.start() if against else m.start()
        more = norm.startswith(("多", "以上"), m.end())  # 翻了一番多: more than doubled, approximate
        end = m.end() + (2 if norm.startswith("以上", m.end()) else 1 if more else 0)
        found.append((m.start(), end, value, "%", more, value if yoy else None, label_end, None, m.start(), False))
    for m in FLAT_RE.finditer(norm):  # 同比持平: a change of 0 (y/y when against the year before)
        word = m.group("against")
        yoy = re.fullmatch(rf"(?:{YOY})(?:同期)?", word) is not None or word.startswith(("与", "和"))
        approx = norm.startswith("基本", m.end() - 2)
        end = m.end() + 2  # after 持平: what follows a figure, so an unnamed one takes the label before
        change = Decimal(0) if yoy else None
        found.append((m.start(), end, Decimal(0), "%", approx, change, m.start(), None, end, False))
    found.sort()
    found, classes = without_thresholds(found, norm)
    folded.extend(nt.span(f[0], f[1]) for f in classes)
    found, changes = word_changes(found, norm)
    folded.extend(nt.span(f[0], f[1]) for f in changes)
    found, changes = run_changes(found, norm)
    folded.extend(nt.span(f[0], f[1]) for f in changes)
    out: list[Quantity] = []
    prev_end = 0
    # Each 分别 run of figures: the index of its first, the words before 分别 and those after it.
    runs: list[tuple[int, str, str]] = []
    for s, e, value, unit, approx, change, label_end, low, lead_end, follows in found:
        clause_s = clause_start(norm, s, 0)
        label_s = max(clause_s, prev_end)
        # 财政总收入到2026年突破…: the year a target is set for is the figure's period, not its name
        label = strip_label(TARGET_YEAR_RE.sub("", norm[label_s:label_end]))
        only_when = not label and TARGET_YEAR_RE.search(norm, label_s, label_end) is not None  # 到2026年,突破…
        # 累计完成加装电梯156台 beside 新增加装电梯32台: the total so far, not the year's
        in_all = CUMULATIVE_RE.match(norm, label_s, label_end) is not None and meaningful(label)
        same_sentence = bool(out) and not any(ch in "。;" for ch in norm[prev_end:s])
        if follows and out:
            label = out[-1].label  # the run's (label_runs)
        elif same_sentence and label_end < lead_end and not meaningful(label):
            label = out[-1].label  # 办结率98.6%,较上年提高1.4个百分点: the change of the figure before
        elif (
            same_sentence
            and unit in ("位", "名")
            and ABSOLUTE_LABEL_RE.fullmatch(label)
            and (rank := RANK_SUBJECT_RE.search(norm, prev_end, s))
        ):  # 满意率95.1%,综合成绩排名全区第3,较上年提升4位: how the rank moved, not the rate
            label = f"{strip_label(rank.group(1))}({label})"
        elif same_sentence and unit not in ("%", "百分点") and ABSOLUTE_LABEL_RE.fullmatch(label):
            label = f"{measure(out[-1].label)}({label})"  # 46家,较上年增加9家: how much the figure before changed
        elif (
            unit not in ("%", "百分点") and (how := ABSOLUTE_TAIL_RE.search(label)) and meaningful(label[: how.start()])
        ):
            label = f"{label[: how.start()]}({how.group()})"  # 农民人均收入较上年增加160元
        elif same_sentence and label in TAIL_WORDS and label.endswith(("到", "至")) and out[-1].unit == unit:
            label = out[-1].label  # 亩均税收由不足10万元提升到约35万元: what the figure before became
        elif same_sentence and AGAINST_ONLY_RE.fullmatch(label):
            label = out[-1].label  # 签约率达到76.4%,比去年同期提高5.2个百分点: the change of the figure before
        elif same_sentence and unit == "%" and label in ("增幅", "涨幅", "降幅"):
            label = f"{measure(out[-1].label)}({label})"  # 由1,330元提高到1,420元,增幅6.8%: of the figure before
        elif same_sentence and norm[prev_end:s] in ("", "、") and not meaningful(label):
            label = out[-1].label  # 脱贫户1,862户5,436人, 群众2,600批次、8.6万人次: of the same
        elif same_sentence and TIMES_OF_RE.fullmatch(norm[prev_end:s]):
            label = out[-1].label  # 268家,是2018年的4倍: the figure before, as a multiple of another year's
        elif same_sentence and BECAME_RE.fullmatch(CHANGE_RE.sub("", norm[prev_end:s], count=1)):
            # 亩均税收由28.6万元提高到33.1万元, …增加到2023年的263亿元, …,(同比增长5.6%,)较2022年的9860万元
            label = out[-1].label
        elif same_sentence and norm[prev_end:s].lstrip(",") in WAY_WORDS and unit == out[-1].unit and unit != "%":
            # 较2022年的48.6亿元增加2.7亿元: how much the figure before changed
            label = f"{measure(out[-1].label)}({norm[prev_end:s].lstrip(',')})"
            value = -value if norm[prev_end:s] in DOWN else value
        elif same_sentence and not meaningful(label) and DOUBLED_RE.match(norm, s):
            label = out[-1].label  # …增加到2023年的146家,翻了一番多: the figure before, doubled
        elif not meaningful(label):  # a bare fragment (率, “”): the whole clause before the number says more
            label = strip_label(TARGET_YEAR_RE.sub("", norm[clause_s:s]))
        part_of_year = PART_OF_YEAR_RE.fullmatch(label)
        measured = WHEN_RE.sub("", measure(out[-1].label)) if out else ""
        if part_of_year and same_sentence and not follows and meaningful(measured):
            # 68.6万元,其中一季度18.6万元; 一季度新增企业30家,二季度新增45家: the figure before's, of that part
            measured = re.sub(r"^(?:实现|完成)(?=[\u4e00-\u9fff]{2})", "", measured)  # 一季度实现税收…,上半年…: 税收
            label = f"{measured}({part_of_year.group('when')})"
        elif only_when and not meaningful(label) and same_sentence and not follows and out:
            label = measure(out[-1].label)  # 地区生产总值…,到2026年突破70亿元: the figure before's
        elif label in VERB_LABELS and not follows:
            named = LEAD_NAME_RE.search(norm, 0, label_s)
            if named and meaningful(strip_label(named.group(1))):
                label = strip_label(named.group(1))  # 1、税收收入:全年完成1.2亿元
            elif same_sentence:  # 新建5G基站46个,累计建成218个: the figure before's (in all)
                label = measure(out[-1].label) + ("(累计)" if "累计" in norm[label_s:s] else "")
        elif same_sentence and not follows and AVERAGE_ONLY_RE.fullmatch(label):
            label = measure(out[-1].label) + label  # 由…增长到2021年的312.8亿元,年均增长10.9%
        share = TARGET_SHARE_RE.search(norm, label_s, s) if unit == "%" else None
        if share:  # 完成目标的104.2%: the completion rate of what the clause names, else of the figure before
            subject = strip_label(norm[label_s : share.start()])
            what = share.group("what")
            if not meaningful(subject) and not PLAIN_TARGET_RE.fullmatch(what) and meaningful(what):
                subject = strip_label(norm[share.start("what") : share.end()].rstrip("的"))  # 区下达招商任务
            previous = out[-1].label if same_sentence and not follows else ""
            label = f"{subject if meaningful(subject) else previous}(完成率)" if subject or previous else "完成率"
        elif (
            unit == "%"
            and len(out) >= 2
            and same_sentence
            and norm[prev_end:s] == "的"
            and out[-1].label.endswith(("目标", "计划", "任务"))
            and TARGET_OPENS_RE.match(norm, clause_s)
        ):  # 新增城镇就业1037人,完成全年目标1800人的57.6%: the target and the rate of the figure before
            out[-1].label = f"{measure(out[-2].label)}(目标)"
            label = f"{measure(out[-2].label)}(完成率)"
        # 累计建成口袋公园12个、健身步道8条: both in all
        listed = same_sentence and out[-1].label.endswith("(累计)") and norm[prev_end:s].startswith("、")
        if (in_all or listed) and "累计" not in label and unit != "%":
            label = f"{label}(累计)"
        share_of = SHARE_LABEL_RE.fullmatch(label) if unit == "%" and same_sentence and not follows else None
        if share_of:  # 35名,占40.7%; 5.86亿元,占税收总额的45.6%: the figure before's share (of what)
            of_what = share_of.group(1)
            label = f"{out[-1].label}(占{of_what}比重)" if of_what else f"{out[-1].label}(占比)"
        if not follows and "分别" in norm[label_s:s]:
            head, _, tail = norm[label_s:s].partition("分别")
            runs.append((len(out), run_subject(head), strip_label(AFTER_RE.sub("", tail))))
        if (unit in CLASSIFIERS or not meaningful(label)) and not follows:
            follow = following(norm, e)
            if follow and (unit in CLASSIFIERS or not label):
                label = follow
        clause_e = e
        while clause_e < len(norm) and norm[clause_e] not in CLAUSE_DELIMS:
            clause_e += 1
        raw_s, raw_e = nt.span(s, e)
        value = tidy_value(value)
        period = _own_year(norm, s, unit, year)
        own = SENTENCE_YEAR_RE.match(label)
        if own and period is not None and year_digits(own.group(1)) == period and len(label) > own.end() + 1:
            label = label[own.end() :].lstrip(",")  # 2020年全乡生猪存栏: the year is the period's
        out.append(
            Quantity(
                value,
                unit,
                text[raw_s:raw_e],
                approx,
                raw_s,
                raw_e,
                norm[clause_s:clause_e],
                label or unit,
                change,
                period,
                key,
                None if low is None else tidy_value(low),
            )
        )
        prev_end = e
    label_runs(out, runs, found, norm)
    return _ages(out)


def _an_age(norm: str, start: int, found: list[tuple[Any, ...]]) -> bool:
    """平均年龄42.6岁 (年龄 just before it), or a change of one right after it (较换届前下降5.3岁)."""
    before = re.split(r"[,;。:]", norm[max(0, start - AGE_REACH) : start])[-1]
    if AGE_BEFORE_RE.search(before) is not None:
        return True
    between = norm[found[-1][1] : start] if found and found[-1][3] == "岁" else ""
    return bool(between) and not any(c in between for c in "。;") and AGE_CHANGE_RE.search(between) is not None


def _ages(found: list[Quantity]) -> list[Quantity]:
    """An age is a figure of its own only as an average or a change of one (平均年龄42.6岁,较换届前
    下降5.3岁); 65岁以上老年人, 80周岁老人 only say who is counted."""
    out: list[Quantity] = []
    for q in found:
        if q.unit != "岁":
            out.append(q)
        elif "年龄" in q.label or "年齡" in q.label:
            down = AGE_DOWN_RE.search(q.label)
            if down:  # 班子平均年龄下降6.2岁: how it changed, signed
                q.value, q.label = -abs(q.value), f"{q.label[: down.start()]}({down.group()})"
            out.append(q)
        elif out and out[-1].unit == "岁" and "年龄" in out[-1].label and AGE_CHANGE_RE.search(q.label):
            if any(w in q.label for w in ("下降", "降低", "减少")):
                q.value = -abs(q.value)
            q.label = f"{measure(out[-1].label)}({q.label})"  # 较换届前下降5.3岁: how the age before changed
            out.append(q)
    return out
