"""Headings of the genre's reports: how parts, sections and work items are numbered and titled
(一、 壹、 Ⅰ. 【一】 第一部分 1、 (一) …), un-numbered top headings, bare headings and annexes.

Used by :mod:`kg.parsing.report`, which reads a report line by line.
"""

from __future__ import annotations

import re

from kg.parsing.lines import CN
from kg.parsing.model import Part
from kg.parsing.numerals import FINANCIAL, HEADING_CHARS, ROMAN, cn_to_int, heading_number

HCN = f"[{HEADING_CHARS}]+"  # a heading's number in Chinese, or its financial form (壹)
# 一、 or 一. (a space after it); 壹、 贰、; Ⅰ. Ⅱ. (NFKC: I. II.); and 【一】 bracketed.
PART_RE = re.compile(rf"^({HCN}|{ROMAN})(?:、|\.(?=[\u4e00-\u9fff“\"\d]))(.{{0,40}})$")
PART_BRACKET_RE = re.compile(rf"^【({HCN})】(.{{0,40}})$")
PART_FINANCIAL_RE = re.compile(rf"^\([{''.join(FINANCIAL)}]+\)(.{{0,40}})$")  # (壹) … over 一、 sections
SECTION_RE = re.compile(rf"^\(?({CN})\)(.*)$")  # (一) …, and 一) … with no opening bracket
# An un-numbered top heading: 2023年工作回顾, 上半年总体工作情况, 2020-2022年工作总结, 第一部分 2024年工作回顾.
TOP_WORDS = (
    "工作回顾|工作总结|工作情况|工作计划|工作安排|工作要点|工作思路|主要工作|工作打算|工作任务|工作设想|工作亮点"
)
TOP_RE = re.compile(rf"^(?:第({CN})(?:部分|章))?(.{{0,24}}?(?:{TOP_WORDS}))$")
PART_N_RE = re.compile(rf"^第({CN})(?:部分|章)(.{{0,30}})$")  # 第一部分 …, 第一章 …
# Under an un-numbered top heading: 一、 with its title's sentence, then the text (一、全力做强白酒
# 首位产业。一是推动…): a section (PART_RE reads a heading alone on its line).
SECTION_SENTENCE_RE = re.compile(rf"^({HCN})、([^。;]{{2,30}}。.+)$")
DASH_LEAD_RE = re.compile(r"^[—–-]+\s*")  # ——品牌建设成效明显。: a point's dash, no title's word
# 1、2023年主要工作完成情况 / 2.存在的问题和不足: a part numbered in digits (parts_in_digits).
PART_DIGIT_RE = re.compile(r"^(\d{1,2})[、.](.{2,30})$")
SECTION_MAX = 24  # 1.党建引领基层治理 as a section heading: short
CAPTION_RE = re.compile(r"(?:表|清单|一览表|情况表)$")  # a table's caption
# A heading with no number: 【经济提质】; or short, no figure, not a sentence (抓党建,强基础).
BARE_BRACKET_RE = re.compile(r"^【([^】\d]{2,16})】$")
BARE_HEADING_RE = re.compile(r"^[\u4e00-\u9fff“”\"][^\d。;:!?、()]{1,15}(?<!,)$")
# 附件1: then 2024年…实事项目 and its numbered list: the plan's practical projects; 附表 (or
# 附件:, 附件一, numbers optional) then 2023年主要经济指标完成情况 and its table: the review's figures.
ANNEX_RE = re.compile(
    r"^附(?:[件表](?:\d{1,2}|[一二三四五六七八九十]{1,2})?(?::|(?=\d{4}年)|$)|:(?=.{0,16}大事记$))(.*)$"
)  # 附:2022年社区大事记: a chronicle of the year


def part_heading(norm: str, parts: list[Part], brackets: bool = True) -> re.Match[str] | None:
    """A part's heading (一、…, 壹、…, Ⅰ.…, 【一】… where ``brackets``): its number (group 1) and
    title (group 2). A Roman or financial number, or one in 【】, must be the next part's (I.
    is also a ninth lettered item)."""
    m = PART_RE.match(norm) or (PART_BRACKET_RE.match(norm) if brackets else None)
    number = heading_number(m.group(1)) if m else None
    if m is None or number is None:
        return None
    if cn_to_int(m.group(1)) is None or m.re is PART_BRACKET_RE:
        return m if number == len(parts) + 1 else None
    return m
