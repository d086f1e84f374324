"""The years a report's parts are of, and whether each reviews or plans.

Most part titles name their year (2023年工作回顾); those that do not take it from the report's
title, its delivery date, a five-year plan or the words 过去五年 / 今后五年. Run after the
parse, when the header is known.
"""

from __future__ import annotations

import re

from kg.parsing.model import Report
from kg.parsing.numerals import cn_to_int
from kg.text import normalise

REVIEW_WORDS = ("回顾", "总结", "成绩", "成效", "大事记")
PLAN_WORDS = ("要点", "计划", "安排", "打算", "任务", "思路")
# 存在的问题和不足, 面临的困难和挑战: a part of prose, neither review nor plan
PROSE_WORDS = ("问题", "不足", "形势", "困难", "挑战", "差距")
PROFILE_WORDS = ("基本情况", "概况")  # a community's profile (成立于2002年,辖区面积…): no year's work
HALF_RE = re.compile(r"^(上半年|下半年)")  # a part of a half-year report: its title may name no year
# 过去五年, 今后五年; 三年来 (a village committee's term: the years before the report's).
RELATIVE_RE = re.compile(
    r"(过去|今后|未来)的?([一二三四五六七八九十]|\d{1,2})年|(?P<since>)([一二三四五六七八九十]|\d{1,2})年来"
)
# 过去五年和2021年工作回顾, 今后五年的目标任务和2022年工作安排: a span and its year, one part.
COMBINED_RE = re.compile(r"[^和及暨]{0,8}(?:和|及|暨|以及)\d{4}年")
# The five-year plans a part may be titled by (“十四五”时期发展思路): their first year.
FIVE_YEAR_PLANS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
FIVE_YEAR_RE = re.compile("(" + "|".join(FIVE_YEAR_PLANS) + ")")
HALF_TERM_RE = re.compile(r"^[”\"」]?(?:时期)?的?(前|后)半(?:程|期|段)")
# …2023年工作总结暨2024年工作计划: the year reviewed, then the year planned.
TITLE_YEARS_RE = re.compile(r"(\d{4})年度?工作总结.{0,4}?(\d{4})年度?工作(?:计划|思路|打算|安排|要点)")


def assign_periods(report: Report) -> None:
    """Each part's kind and year where its title leaves them open, in order: years relative to the
    report's, the plan of the year, the halves of a half-year report, then the title's years."""
    _relative_periods(report)
    _plan_of_the_year(report)
    _halves_of_the_year(report)
    _years_of_parts(report)


def report_year(report: Report) -> int | None:
    """The year the report is of: its title's single year, else the year it was delivered or issued."""
    period = report.metadata.sort_period or ""
    return int(period[:4]) if period[:4].isdigit() and period[4:5] != "-" else None


LATE_MONTH = 11  # a report delivered in November or December reviews its own year


def reviewed_year(report: Report) -> int | None:
    """The year the report reviews: the first of a summary-and-plan title, the year of a
    summary (…总结, a 述职 report), else the year before a report's (delivered in its year)."""
    title = normalise(report.metadata.title)
    both = TITLE_YEARS_RE.search(title)
    if both:
        return int(both.group(1))
    year = report_year(report)
    # 三、2022年工作安排 beside 过去五年工作回顾 in a report dated 2021年12月22日: 2021 reviewed
    planned = sorted(int(p.year) for p in report.parts if p.kind == "plan" and p.year and p.year.isdigit())
    if year is None:
        return planned[0] - 1 if planned else None
    if any(w in title for w in ("总结", "述职")) or f"{year}年度" in title:
        return year  # …2022年度工作报告: the year it reports on
    if planned and planned[0] in (year, year + 1):
        return planned[0] - 1
    md = report.metadata
    date = md.delivered or md.issued or ""
    if md.period is None and date[5:7].isdigit() and int(date[5:7]) >= LATE_MONTH:
        return year  # delivered in December, before the year it reviews is over: that year
    return year - 1


def _relative_periods(report: Report) -> None:
    """过去五年工作回顾 / 今后五年的目标任务 in a town's report of 2022: 2017-2021 reviewed,
    2022-2026 planned (a part that names no year had no period, and its items none); a part
    titled by a five-year plan (“十三五”时期) its years."""
    reviewed = reviewed_year(report)
    year = reviewed + 1 if reviewed else 0  # the year planned
    for part in report.parts:
        plan = FIVE_YEAR_RE.search(part.title)
        if plan and not (part.year or part.years):  # “十三五”时期工作回顾: 2016-2020
            first = FIVE_YEAR_PLANS[plan.group(1)]
            half = HALF_TERM_RE.search(part.title[plan.end() :])
            if half is None:
                part.years = (str(first), str(first + 4))
            else:  # a mid-term review's halves: “十四五”前半程 2021-2023, 后半程 2023-2025
                part.years = (str(first), str(first + 2)) if half.group(1) == "前" else (str(first + 2), str(first + 4))
            continue
        m = RELATIVE_RE.search(part.title)
        if m is None or part.years:
            continue
        past = m.group(1) == "过去" or m.group("since") is not None
        count = m.group(2) or m.group(4)
        n = cn_to_int(count) if not count.isdigit() else int(count)
        if not n or not year:
            continue
        first, last = (year - n, year - 1) if past else (year, year + n - 1)
        if part.year:  # 过去五年和2021年工作回顾: the five years too, when the year named ends (or opens) them
            if n > 1 and part.year == str(last if past else first) and COMBINED_RE.match(part.title, m.end()):
                part.years = (str(first), str(last))
            continue
        if n == 1:
            part.year = str(first)
        else:
            part.years = (str(first), str(last))
        if part.kind == "other":
            part.kind = "review" if past else "plan"


def _plan_of_the_year(report: Report) -> None:
    """二、2019年主要工作 in a report of 2019 after a review of 2018: the year's plan, though its
    title says neither 计划 nor 要点. A report that is all review (陆家嘴街道2020年工作总结, its
    parts 一、统筹推进疫情防控…): every part reviews the title's year; one that is all plan (…2022年
    工作要点) plans it."""
    md = report.metadata
    parts, year = report.parts, md.period
    # A part of an earlier year than the report's (一、…,2023年各项工作取得新成效 in a speech of
    # 2024) reviews it.
    this_year = report_year(report)
    for part in parts:
        if part.kind == "other" and part.year and this_year and int(part.year) < this_year:
            part.kind = "review"
    # 二、2024年主要工作 in a report of 2024 whose plan is of a later year: the year's review.
    planned = [p.year for p in parts if p.kind == "plan" and p.year]
    for part in parts:
        if part.kind == "other" and part.year and part.year == year and any(y > part.year for y in planned):
            part.kind = "review"
    reviewed = [p.year or (p.years[1] if p.years else None) for p in parts if p.kind == "review"]
    for part in parts:
        plan_year = year if year and year.isdigit() else str(this_year or "")
        if part.kind == "other" and part.year and part.year == plan_year and any(y and y < part.year for y in reviewed):
            part.kind = "plan"
        elif part.kind == "other" and part.year and reviewed and all(y and y < part.year for y in reviewed):
            part.kind = "plan"  # 四、2024年重点项目 after a review of 2023: a year after the review's
    title = normalise(md.title)
    if (
        all(p.kind == "other" for p in parts)
        and any(w in title for w in ("总结", "回顾"))
        and not any(w in title for w in PLAN_WORDS)
    ):
        for part in parts:
            if any(w in part.title for w in PROSE_WORDS):
                continue  # 存在的问题和不足: shortcomings, no work of the year
            part.kind = "review"
            if part.year is None and part.years is None and year and year.isdigit():
                part.year = year
    # A plan that is all plan (南营门街道2022年工作要点, its parts 一、聚焦经济发展,…): every part
    # plans the title's year.
    if (
        not any(p.kind == "review" for p in parts)
        and any(w in title for w in ("工作要点", "工作计划", "工作安排", "工作思路"))
        and not any(w in title for w in ("总结", "回顾", "报告", "进展", "完成情况", "上半年", "成效"))
    ):
        for part in parts:
            # not a community's profile (社区基本情况) nor its shortcomings
            if part.kind == "other" and not any(w in part.title for w in (*PROSE_WORDS, *PROFILE_WORDS)):
                part.kind = "plan"
                if part.year is None and part.years is None and year and year.isdigit():
                    part.year = year


def _years_of_parts(report: Report) -> None:
    """A review or plan part whose title names no year (主要工作成效, 下一步工作计划) is of the
    year the report's title gives it (…2023年工作总结暨2024年工作计划), else of the year a
    summary (…总结, a 述职 report) reviews, else, in a report of a year, the year before it
    (reviewed) and that year (planned). In a 述职 report, the parts before the plan that are
    no problems (存在的不足) review the year."""
    title = normalise(report.metadata.title)
    both = TITLE_YEARS_RE.search(title)
    year = reviewed_year(report)
    reviewed = str(year) if year else None
    planned = both.group(2) if both else str(year + 1) if year else None
    parts = report.parts
    if "述职" in title:
        first_plan = next((i for i, p in enumerate(parts) if p.kind == "plan"), len(parts))
        for p in parts[:first_plan]:
            if p.kind == "other" and not any(w in p.title for w in PROSE_WORDS):
                p.kind = "review"
    for p in parts:
        if p.year or p.years or p.kind == "other":
            continue
        p.year = reviewed if p.kind == "review" else planned
    # 四、保障措施 / 三、全面加强政府自身建设 after the year's plan: planning the plan's year (its
    # figures had none, the part was of no kind); not a part on shortcomings (存在的问题).
    plan_year: str | None = None
    for p in parts:
        if p.kind == "plan":
            plan_year = p.year
        elif p.kind != "other" or p.year or p.years or any(w in p.title for w in PROSE_WORDS):
            plan_year = None
        elif plan_year:
            p.year, p.kind = plan_year, "plan"  # the plan's own work (its government's, its guarantees)


def _halves_of_the_year(report: Report) -> None:
    """上半年主要工作情况 / 下半年工作打算 in a report of a half year: both halves are the title's year."""
    md = report.metadata
    if not (md.period and md.period.isdigit()):
        return
    for part in report.parts:
        if part.year is None and part.years is None and (md.period_part or HALF_RE.search(part.title)):
            part.year = md.period
