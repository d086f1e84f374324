"""What a line is when it heads something: a part, a section, a table's group, a list of projects.

The recognisers of ``kg.parsing.report``'s parser that need more than one pattern: a top
heading with no number (2023年工作回顾), parts numbered in digits, a copy's bare headings, Word's
decimal numbering, 第一、 sections, 一是 sections, a footnote under its paragraph. Each reads the
parser's state (the parts so far, the numbering seen) and grows the outline (``OutlineBuilder``).
"""

from __future__ import annotations

import re

from kg.parsing.builder import YEAR_RE
from kg.parsing.headings import (
    BARE_BRACKET_RE,
    BARE_HEADING_RE,
    CAPTION_RE,
    PART_DIGIT_RE,
    PART_FINANCIAL_RE,
    PART_N_RE,
    SECTION_MAX,
    TOP_RE,
    part_heading,
)
from kg.parsing.items import about_projects
from kg.parsing.lines import (
    DECIMAL_RE,
    ENUM_START_RE,
    ITEM_ORDINAL_RE,
    LEAD_MAX,
    Line,
    enum_prefix,
    item_number,
    numbered,
    numbering,
)
from kg.parsing.model import (
    Section,
)
from kg.parsing.notes import GLOSSARY_RE
from kg.parsing.numerals import cn_to_int, heading_number
from kg.parsing.paragraphs import ParagraphReader
from kg.parsing.periods import PLAN_WORDS, PROSE_WORDS, REVIEW_WORDS
from kg.parsing.tables import row_cells
from kg.text import NormText, normalise


class HeadingReader(ParagraphReader):
    """The heading recognisers of the line reader (see the module's docstring)."""

    def _decimal_heading(self, line: Line) -> bool:
        """A heading numbered 1 / 1.1 / 1.1.1 (a part, a section, a work item): opened, if so."""
        d = DECIMAL_RE.match(line.raw)
        if d is None or re.search(r"\t|[ \u3000]{2,}", line.raw[d.end() :]):
            return False  # 3⇥新增养老服务站⇥个⇥…: a table's row
        number = normalise(d.group(1))
        depth = number.count(".") + 1
        m = re.match("(" + re.escape(number) + ")(.+)$", line.norm)  # the groups other numbers have
        if m is None:
            return False
        heading = len(m.group(2)) <= SECTION_MAX and "。" not in m.group(2)
        if depth == 1:
            if not heading or int(number) != len(self.report.parts) + 1:
                return False
            self._start_part(line, m)
            return True
        if self.part is None or self.closing:
            return False
        if depth == 2 and heading:
            self._start_section(line, m)
            return True
        if self.section is None:
            self._section_of_the_part(line)  # 1 / 1.1 work items: the part is one section
        self._start_item(line, m)
        return True

    def _group_row(self, line: Line) -> bool:
        """A line of one cell between two rows of a table (一、经济发展类 in a table of results): a
        row that groups those below it, not a heading; kept as a row of the table, its cells empty."""
        tables = self.report.tables
        last = tables[-1] if tables and self.part is not None else None
        nxt = self.following.get(line.start)
        if last is None or nxt is None or len(line.norm) > GROUP_ROW_MAX or "。" in line.norm:
            return False
        if row_cells(line.raw, line.start) is not None:
            return False  # a row of its own
        if TOP_RE.match(line.norm) or CAPTION_RE.search(line.norm) or re.search(r"\d{4}年|目标|计划", line.norm):
            return False  # 二、2022年主要预期目标 between two tables: a heading, or the next table's caption
        width = len(last.rows[0])
        after = row_cells(nxt.raw, nxt.start)
        if self.text[last.end : line.start].strip() or after is None or len(after) != width or width < 3:
            return False
        if LIST_HEADING_RE.match(line.norm) or not any(c.isdigit() for c in nxt.norm):
            return False  # 2025年重点项目 / 项目名称⇥总投资…: a new table's caption and header
        last.rows.append([(line.start, line.end)] + [(line.end, line.end)] * (width - 1))
        last.end = line.end
        return True

    def _next_part(self, m: re.Match[str]) -> bool:
        """A part's heading ending in a full stop only as the next part's number."""
        if not m.group(0).endswith("。"):
            return True
        return heading_number(m.group(1)) == len(self.report.parts) + 1

    def _bare_heading(self, line: Line) -> bool:
        """A section heading with no number: 【经济提质】, or a short line with no sentence and
        no figure (经济发展稳中有进, 抓党建,强基础) right above a numbered or listed work item;
        only where the part has no numbered sections. Opened, if so."""
        n = line.norm
        if self.part is None or self.closing or (self.section is not None and self.section not in self.bare_sections):
            return False
        if any(w in self.part.title for w in PROSE_WORDS):
            return False  # 问题主要表现在 above 一是…: the problems' text, no heading
        bracket = BARE_BRACKET_RE.match(n)
        if not bracket and line.bullet and self.section in self.bracket_sections and BARE_LINE_RE.match(n):
            # 【经济发展】 / ◆经济运行稳中向好 / its paragraph: a bulleted lead of its own line titles a work item
            self._start_item(line, re.match(r"^()(.+)$", n))  # type: ignore[arg-type]
            return True
        if bracket:  # the words inside 【】 (︻︼ too: NFKC reads them so)
            start, end = NormText.of(line.raw, line.start).span(1, len(n) - 1)
            line = Line(self.text[start:end], start, end, bracket.group(1))
        elif line.start in self.bare_lines:
            pass  # a heading of a copy that lost its numbering (bare_lines)
        elif not BARE_HEADING_RE.match(n) or n.count(",") > 1:
            return False
        else:
            nxt = self.following.get(line.start)
            if nxt is None or not (item_number(nxt) or ENUM_START_RE.match(nxt.norm)):
                return False
        self._start_section(line, re.match(r"^()(.+)$", line.norm))  # type: ignore[arg-type]
        assert self.section is not None
        self.bare_sections.append(self.section)
        if bracket:
            self.bracket_sections.append(self.section)
        return True

    def _footnote_after(self, line: Line) -> re.Match[str] | None:
        """①“八八战略”:… right under the paragraph marking it (…“八八战略”①为总纲…): a note of its
        own, with no heading (its marker written in the text above, a few paragraphs at most)."""
        m = CIRCLED_NOTE_RE.match(line.raw)
        if m is None or self.part is None:
            return None
        above = self.text[max(0, line.start - FOOTNOTE_REACH) : line.start]
        # its headword right before the same marker above (“八八战略”① or 防返贫监测③), not a list of
        # points numbered so (…:①老旧小区改造②背街小巷整治…, then ②背街小巷整治:…)
        return m if m.group(2) + m.group(1) in above else None

    def _top(self, n: str) -> str | None:
        """The title of an un-numbered top heading (or 第一部分 …, (壹) …), else None ("" for a
        number alone on its line: the next line is its title)."""
        m = PART_N_RE.match(n)
        if m and cn_to_int(m.group(1)) is not None:
            return m.group(2) or n
        m = PART_FINANCIAL_RE.match(n)
        if m:  # (壹)2023年工作总结 above 一、 sections
            return m.group(1)
        quarter = QUARTER_TOP_RE.match(n)
        if quarter and (self.tops or not self.report.parts):
            return n  # 一季度:抓开局、稳运行 … 四季度:…: a summary by quarters, a part each
        numbered = re.match(r"\d{1,2}\.(?!\d{4}年)", n)  # 2.重点工作安排 under a part: its section, no part
        if (
            len(n) <= 30
            and not any(c in n for c in "。,;:,;:、")
            and not numbered
            and not part_heading(n, self.report.parts)
        ):
            m = TOP_RE.match(n)
            if m:
                return m.group(2)
            if self.tops and PROBLEMS_TOP_RE.match(n):
                return n  # 2023年工作回顾 / … / 存在的问题和不足 / … / 2024年工作安排: a part between
        return None

    def _digit_part(self, n: str) -> re.Match[str] | None:
        """A part numbered in digits (1、2023年主要工作完成情况, 2.存在的问题和不足): the next
        part's number, a heading's shape (short, no sentence, no figure), and the words of a
        part (a review, a plan, the problems) — where no part is numbered otherwise."""
        m = PART_DIGIT_RE.match(n)
        if m is None or int(m.group(1)) != len(self.report.parts) + 1 or (self.report.parts and not self.digit_parts):
            return None
        if self.digit_parts and m.group(0)[len(m.group(1))] != self.digit_parts:
            return None  # 1、 parts, 1. sections (or items) under them: the part's numbering is the first's
        title = m.group(2)
        if title[0].isdigit() and not re.match(r"\d{4}年", title):
            return None  # 1.5万元: a decimal
        if any(c in title for c in "。,;:") or re.search(r"\d(?!\d*年)", title):
            return None
        if not self.report.parts and not (YEAR_RE.search(title) or TOP_RE.match(title)):
            return None  # 1.党建引领成效显著: an item; the first part names its year or its work
        words = (*REVIEW_WORDS, *PLAN_WORDS, *PROSE_WORDS, "完成情况", "主要工作", "工作情况")
        return m if any(w in title for w in words) else None

    def _start_top(self, line: Line, title: str) -> None:
        """An un-numbered top heading: a part; from now on 一、 opens sections."""
        self.tops = True
        nt = NormText.of(line.raw, line.start)
        cut = nt.norm.find(title) if title != line.norm else 0
        t_start, t_end = nt.span(cut, cut + len(title)) if cut >= 0 else (line.start, line.end)
        self._open_part(title, t_start, t_end, line)

    def _dot_section(self, line: Line, m: re.Match[str]) -> bool:
        """1.党建引领基层治理 right under a part (its items numbered (1)): a section heading, short,
        no sentence, numbered 1. — the first while the part has no section, then its siblings."""
        if numbering(line.raw, line.norm) != "dot" or "。" in m.group(2) or len(m.group(2)) > SECTION_MAX:
            return False
        if any(c in m.group(2) for c in ",;"):
            return False
        assert self.part is not None
        return self.dot_sections or (self.section is None and not about_projects(self.part.title))

    def _enum_section(self, line: Line) -> bool:
        """一是坚持党建引领,基层治理效能持续提升。 alone on its line right under a part (its items
        numbered 1. below), or 第一,经济发展量质齐升。 right above them: a section titled without 一是
        or 第一; 二是 … then its siblings."""
        part, norm = self.part, line.norm
        if part is None or self.closing or not norm.endswith("。") or norm.count("。") != 1 or len(norm) > LEAD_MAX:
            return False
        if any(w in part.title for w in PROSE_WORDS):
            return False  # 存在的不足: 一是…。 lines there are the shortcomings, not headings
        skip = enum_prefix(norm)
        m = ENUM_START_RE.match(norm)
        if not skip or m is None:
            # 第一,经济发展量质齐升。 right above 1. items: the same (alone, 第一,织密… is an item)
            m = ITEM_ORDINAL_RE.match(norm)
            nxt = self.following.get(line.start)
            if m is None or nxt is None or numbering(nxt.raw, nxt.norm) != "dot" or not numbered(nxt.raw, nxt.norm):
                return False
            skip = m.start(2)
        number = cn_to_int(m.group(1))
        if not (number == 1 and not part.sections and self.section is None) and not (
            self.enum_sections and number == len(part.sections) + 1
        ):
            return False
        nt = NormText.of(line.raw, line.start)
        t_start, t_end = nt.span(skip, len(norm) - 1)
        order = len(part.sections) + 1
        sec = Section(f"{part.key}/section-{order}", order, norm[skip:-1], t_start, t_end, line.start, line.end)
        part.sections.append(sec)
        part.end = line.end
        self.section, self.project, self.item_style, self.last = sec, None, None, None
        self.enum_sections = True
        return True

    # -- post-processing -----------------------------------------------


# A heading numbered 第一、 alone on its line (no sentence): a section, as (一) is (第一,织密…。 is an item).
ORDINAL_HEADING_RE = re.compile(r"^第([一二三四五六七八九十]{1,3})、([^。;,:]{2,30})$")
# A title's English in brackets at its end (bilingual copies: 自身建设(Self-Improvement…)).
GLOSS_RE = re.compile(r"\([A-Za-z][A-Za-z0-9'&,.:\- ]*[a-z][A-Za-z0-9'&,.:\- ]*\)$")
GROUP_ROW_MAX = 20  # 三、城市管理和平安建设类: a table's row of a group, short

# A part's heading typed with a full stop (一、2024年工作总结。, 二、存在的问题。): short, no figure,
# one phrase; as the next part's number (一、加强党建。 in a list of points is no part).
STOPPED_PART_RE = re.compile(r"(?:\d{4}年)?[^\d,;:。!?]{2,14}。")


# A line alone heading a list of projects (2025年重点项目, 2024年民生实事项目计划表): a section.
LIST_HEADING_RE = re.compile(
    r"^(?:(?:\d{4}年度?)?[\u4e00-\u9fff]{0,8}?(?:重点项目|重大项目|民生实事项目|实事项目|为民办实事项目)"
    # 2022年街道民生实事, 十件民生实事; not 用心办好民生实事
    r"|(?:\d{4}年度?|[一二三四五六七八九十两\d]{1,3}件)[\u4e00-\u9fff]{0,8}?民生实事)"
    r"(?:计划|安排|清单|一览)?表?(?:\([A-Za-z][A-Za-z0-9 ]*\))?$"  # 2022年街道民生实事(Livelihood Projects 2022)
)
# A numbered line of a list of projects that is a project, not a heading: a sentence with a figure.
PROJECT_LINE_RE = re.compile(r"\d.*[,;。]|[,;。]$")


# ①“八八战略”:… / ②三个一号工程:… (a footnote under its paragraph): its number, a head, a colon.
CIRCLED_NOTE_RE = re.compile(r"^(?=([①-⑳])[ \u3000]*([“「][^”」]{1,20}[”」]|[^,，。;；:：“”]{2,20})[:：])")
FOOTNOTE_REACH = 1500  # how far above its marker may stand
# 01 | 抓党建 强引领 (NFKC and no white space: 01|抓党建强引领): a WeChat post's numbered heading.
WECHAT_PART_RE = re.compile(r"^(0?[1-9]|1\d)[|丨]([^\d|丨]{2,20})$")
# …2023年工作报告｜这份“成绩单”请查收!: the report's title, then a WeChat headline's hook.
TITLE_HOOK_RE = re.compile(
    r"^(.{4,40}?(?:工作报告|工作总结|工作计划|工作要点|政府工作报告))[ \u3000]*[|｜丨][ \u3000]*"
    r"(?![^|｜丨]*(?:\d{4}年|工作计划|工作要点|工作安排|工作思路))\S.*$"  # …总结｜2024年工作计划: one title
)
# 2024年,怎么干? / 新的一年,这样干!: the plan after such a post's review.
PLAN_QUESTION_RE = re.compile(
    r"^(?:\d{4}年|新的一年|下一步|今年)[,]?(?:我们)?(?:怎么干|干什么|这样干|如何干|将这样干|重点干什么)[?!]?$"
)
# A quarter heading a summary's part (一季度:抓开局、稳运行, 第二季度, 2023年三季度工作情况).
QUARTER_TOP_RE = re.compile(r"^(?:\d{4}年)?第?[一二三四]季度(?:工作)?(?:情况|总结)?(?::[^。;]{2,20})?$")
# An un-numbered part on shortcomings between un-numbered parts (存在的问题和不足, 主要困难和问题).
PROBLEMS_TOP_RE = re.compile(
    r"^(?:存在的?|当前)?(?:主要)?(?:问题|不足|困难)(?:和|与|及)?(?:主要)?(?:不足|问题|差距|困难)?$"
)
# A heading alone of a copy that lost its numbering: a phrase or two, no sentence, no figure.
BARE_LINE_RE = re.compile(r"^[\u4e00-\u9fff“”\"][^\d。;:!?、()]{1,19}(?<!,)$")
BARE_LINES_MIN = 3  # short lines alone over paragraphs enough to read them as a copy's headings


def file_line(line: Line | None) -> bool:
    """Whether ``line`` names a file (1.…完成情况.xlsx): a web page's attachment, not an annex's title."""
    return line is not None and re.search(r"\.(?:xlsx?|docx?|pdf|wps|zip|rar|ofd)\b", line.norm) is not None


def bare_lines(lines: list[Line]) -> set[int]:
    """Where a copy that lost its numbering (Word's automatic numbers) sets its section headings:
    short lines with no sentence and no figure (经济发展量质齐升) each above a paragraph of text and
    not right below another such line; none unless there are at least three."""
    found = {
        line.start
        for before, line, after in zip(lines, lines[1:], lines[2:], strict=False)
        if BARE_LINE_RE.match(line.norm)
        and line.norm.count(",") <= 1
        and not TOP_RE.match(line.norm)
        and not GLOSSARY_RE.match(line.norm)
        and not BARE_LINE_RE.match(before.norm)
        and "。" in after.norm
        and len(after.norm) > len(line.norm)
    }
    return found if len(found) >= BARE_LINES_MIN else set()
