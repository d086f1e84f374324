"""The outline a report is read into: parts, sections, work items and their text.

:class:`OutlineBuilder` holds what the line-by-line reading (:mod:`kg.parsing.report`) has
found so far and opens the nodes of the tree: a part, a section, a work item, an annex's
section, a table's row, a paragraph going on. The reader decides what each line is; the
builder says where it goes.
"""

from __future__ import annotations

import re

from kg.parsing.items import about_key_projects, about_projects
from kg.parsing.lines import Line, after_prefix, enumerations, has_figure, rest_of, sub_items
from kg.parsing.model import Initiative, Metadata, Paragraph, Part, Report, Section, Table, Unplaced
from kg.parsing.numerals import year_digits
from kg.parsing.periods import PLAN_WORDS, PROFILE_WORDS, REVIEW_WORDS
from kg.parsing.tables import resplit_header, row_cells
from kg.text import NormText

# A year in digits or in words (二〇二〇年工作回顾): group 1, as written (year_digits reads it).
YEARS_RE = re.compile(r"(\d{4})年?[-—–~至到](\d{4})年")
YEAR_RE = re.compile(r"(\d{4}|[一二][〇零一二三四五六七八九]{3})年")
LABEL_MAX = 16  # 1、税收收入:…, 1.绵江路(象湖段)提升改造工程:…: the words before a colon name an item when this short
# A project's responsible office after its title: (责任单位:城建中心), (牵头部门:…).
RESPONSIBLE_RE = re.compile(r"\((?:责任|牵头|实施|主办|配合)(?:单位|部门|科室)?:[^()]*\)$")
SLOGAN_MAX = 8  # (一)稳增长,…: a section's slogan before its figures


# An item that opens by naming its field (就业方面,新增城镇就业1560人,…): titled by the field.
ASPECT_RE = re.compile(r"^[^,。;:]{2,12}方面(?=,)")


class OutlineBuilder:
    """The tree read so far and the primitives that grow it (see the module's docstring)."""

    def __init__(self, text: str, slug: str) -> None:
        self.text = text
        self.report = Report(slug=slug, text=text, metadata=Metadata())
        self.part: Part | None = None
        self.section: Section | None = None
        self.in_glossary = False
        self.in_annex = False  # after 附件1: until its title says what it is
        self.dot_sections = False  # this part's sections are numbered 1. (its items (1))
        self.enum_sections = False  # this part's sections are 一是… sentences (its items 1.)
        # A section whose first line announces its practical projects (2024年街道民生实事项目共6项:).
        self.project_section: Section | None = None
        # Sections opened by a heading with no number (【经济提质】, 抓党建,强基础 above 一是…): their
        # siblings may be such headings too, but not a sub-heading inside a numbered section.
        self.bare_sections: list[Section] = []
        self.ordinal_sections: dict[str, int] = {}  # per part: sections numbered 第一、 so far
        self.following: dict[int, Line] = {}  # each line's next line, by its start
        self.closing = False
        self.pending_title: Section | Initiative | None = None
        self.project: Initiative | None = None
        # A footnote marker alone on its line splits a paragraph: the next line continues it.
        self.last: Paragraph | Initiative | Unplaced | None = None
        self.join_next = False
        # Un-numbered top headings (2023年工作回顾, 第一部分 …) make parts; then 一、 opens a
        # section and (一) a work item, one level down from the 2021 layout.
        self.tops = False
        self.bare_lines: set[int] = set()  # where a copy without numbering sets its headings (report.py)
        self.bracket_sections: list[Section] = []  # 【经济发展】: its ◆ lines alone are its work items
        # Under such a heading (一) is a work item only where 一、 sections came first in the part;
        # a part whose sections are (一) … keeps the 2021 layout one level down from its heading.
        self.cn_sections = False
        self.pending_part: Part | None = None
        self.item_style: str | None = None  # how the current section numbers its items
        self.decimal = False  # headings numbered as Word numbers them: 1 parts, 1.1 sections, 1.1.1 items
        self.in_contents = False  # in the table of contents (目录) before the first part
        self.bracket_parts = False  # the parts are numbered 【一】 (not 一、, under which 【一】 is a section)
        self.digit_parts = ""  # the parts are numbered 1、 (or 1.): the mark after their numbers
        self.wechat_parts = 0  # parts headed 01 | 抓党建 强引领 so far (a WeChat post's layout)
        self.wechat_sections = False  # such headings under 一、 parts: sections
        self.article_end = False  # past a WeChat article's end (-END-, 往期推荐): the page's, not the report's
        self.note_lines = False  # in notes a 注: line opened, which end where a line opens none

    def _paragraph(self, line: Line) -> None:
        """Place a line of text: the reader's to say what it is (a section's body, after its title)."""
        raise NotImplementedError

    # -- helpers -------------------------------------------------------
    def _unplaced(self, line: Line, reason: str) -> None:
        self.last = Unplaced(line.start, line.end, line.raw, reason)
        self.report.unplaced.append(self.last)

    def _fill_title(self, node: Part | Section | Initiative, line: Line) -> None:
        """A heading number alone on its line takes its title from the next line."""
        node.title, node.title_start, node.title_end = line.norm, line.start, line.end
        node.end = line.end
        if isinstance(node, Part):
            self._part_kind(node)

    def _open_part(self, title: str, t_start: int, t_end: int, line: Line) -> None:
        self.join_next, self.last = False, None  # a heading ends any paragraph a marker line split
        if title.endswith(":") and len(title) > 1:  # 一、主要工作成效: the colon introduces, it is no title
            title, t_end = title[:-1], t_end - 1
        order = len(self.report.parts) + 1
        part = Part(f"part-{order}", order, title, t_start, t_end, None, "other", line.start, line.end)
        self._part_kind(part)
        self.report.parts.append(part)
        self.part = part
        self.section = None
        self.project = None
        self.cn_sections = False
        self.dot_sections = False
        self.enum_sections = False
        self.closing = False
        if not title:
            self.pending_part = part

    def _part_kind(self, part: Part) -> None:
        title = part.title
        years = YEARS_RE.search(title)
        year = YEAR_RE.search(title)
        if years:
            part.years, part.year = (years.group(1), years.group(2)), None
        else:
            part.year = year_digits(year.group(1)) if year else None
        if any(w in title for w in REVIEW_WORDS) or ("情况" in title and not any(w in title for w in PROFILE_WORDS)):
            part.kind = "review"  # 工作情况, 完成情况; not 基本情况: a community's profile
        elif any(w in title for w in PLAN_WORDS):
            part.kind = "plan"

    def _table_row(self, line: Line, cells: list[tuple[int, int]]) -> None:
        """A row of a table: a row of the table above it (as many cells, the line after it),
        else a new table's header. Its text belongs to what holds the table (the paragraph
        that introduces it), never a work item of its own."""
        tables = self.report.tables
        last = tables[-1] if tables else None
        gap = self.text[last.end : line.start] if last is not None else "\n\n"
        # The next line, or past a line of spaces only (a Markdown table's rule, read as spaces).
        between = re.split(r"\r\n|\r|\n", gap)[1:-1]
        next_line = not gap.strip() and all(between)
        if last is not None and next_line and len(last.rows) == 1 and len(cells) > len(last.rows[0]):
            header = last.rows[0]
            last.rows[0] = resplit_header(self.text, header, len(cells)) or header
        if last is not None and next_line and "\t" in line.raw and len(cells) < len(last.rows[0]):
            cells = cells + [(line.end, line.end)] * (len(last.rows[0]) - len(cells))  # its last cells empty
        if last is not None and next_line and len(cells) == len(last.rows[0]):
            last.rows.append(cells)
            last.end = line.end
        else:
            corner = self._cornered_header(line, cells)
            start = corner[0][1] if corner else line.start
            tables.append(Table(start, line.end, [corner, cells] if corner else [cells]))
            assert self.part is not None
            if self.section is None and (about_projects(self.part.title) or about_key_projects(self.part.title)):
                self._section_of_the_part(line)  # 三、2024年民生实事项目 (or 重点项目) / a table of them
                self.last = None
        if self.last is not None:
            self._extend(self.last, line)
            return
        assert self.part is not None
        para = Paragraph(line.raw, line.start, line.end)
        (self.section.intro if self.section is not None else self.part.intro).append(para)
        if self.section is not None:
            self.section.end = line.end
        self.part.end = line.end
        self.last = para

    def _cornered_header(self, line: Line, cells: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
        """The line before, as the header of a table whose corner cell is empty (| | 2022年 |
        2023年 | over | 税收收入(亿元) | 27.2 | 28.4 |: two cells, read as text), else None."""
        prev = self.last
        if not isinstance(prev, Paragraph) or "\t" not in prev.text or self.text[prev.end : line.start].strip():
            return None
        heads = row_cells(prev.text, prev.start, minimum=2)
        if heads is None or len(heads) + 1 != len(cells) or not any(c.isdigit() for c in prev.text):
            return None
        return [(heads[0][0], heads[0][0]), *heads]

    def _section_of_the_part(self, line: Line) -> None:
        """A part that is a list (三、2024年民生实事 / 1.…): one section titled as the part."""
        part = self.part
        assert part is not None
        # Its heading is the part's: its span opens there (a selector runs from a node's start to its title's end).
        sec = Section(f"{part.key}/section-1", 1, part.title, part.title_start, part.title_end, part.start, line.end)
        part.sections.append(sec)
        self.section, self.project, self.item_style = sec, None, None
        if part.kind == "other":
            part.kind = "plan"

    def _annex_of_projects(self, line: Line, here: bool = False) -> None:
        """An annex listing the year's practical projects (附件1: / 2024年…实事项目 / 1.…): a
        section of the plan (the last part planning, else the last part; ``here``: the part
        read now), its items projects."""
        assert self.part is not None
        plans = [p for p in self.report.parts if p.kind == "plan"]
        self._annex_section(line, self.part if here or not plans else plans[-1], here)

    def _annex_of_results(self, line: Line) -> None:
        """An annex of how the targets went (附表 / 2023年主要经济指标完成情况 / its table): a
        section of the part reviewing that year (else the last reviewing part, else this part),
        so that its figures are that year's."""
        assert self.part is not None
        reviews = [p for p in self.report.parts if p.kind == "review"]
        year = YEAR_RE.search(line.norm)
        of_year = [p for p in reviews if year and year_digits(year.group(1)) in (p.year, *(p.years or ()))]
        self._annex_section(line, (of_year or reviews or [self.part])[-1])

    def _annex_section(self, line: Line, part: Part, here: bool = False) -> None:
        """An annex's title line opens a section of ``part`` (not necessarily the one read now)."""
        order = len(part.sections) + 1
        title = line.norm.rstrip(":")
        t_end = line.end - (len(line.norm) - len(title))
        sec = Section(f"{part.key}/section-{order}", order, title, line.start, t_end, line.start, line.end)
        if here:  # 2024年街道民生实事项目共8项: its figures are read as the section's text too
            sec.intro.append(Paragraph(line.raw, line.start, line.end))
        part.sections.append(sec)
        self.part, self.section = part, sec
        self.project, self.item_style, self.closing, self.last = None, None, False, None

    def _start_part(self, line: Line, m: re.Match[str]) -> None:
        t_start, t_end = after_prefix(line, m)
        title = m.group(2)
        if title.endswith("。"):  # 一、2024年工作总结。: the heading's full stop is no word of its title
            title, t_end = title[:-1], self.text.rfind("。", t_start, t_end)
        self._open_part(title, t_start, t_end, line)

    def _split_title(self, line: Line, m: re.Match[str], heading: bool = False) -> tuple[str, int, int, Line | None]:
        """A heading's title, its raw span, and the body that follows on the same line (if any).

        ``(一)发展规划加快落实。行动计划精心编制。……``: the title is the first sentence; of a
        section ``heading``, a short first clause before figures (``稳增长,力争…17.5亿元``) too.
        """
        title = m.group(2)
        t_start, t_end = after_prefix(line, m)
        # Where the title opens in the line's normalised text (whatever is cut off its end below).
        prefix = len(m.group(0)) - len(title)
        duty = RESPONSIBLE_RE.search(title)
        if duty:  # 新建社区养老服务站4个(责任单位:社会事务办): who does it is not what is done
            nt = NormText.of(line.raw, line.start)
            title, t_end = title[: duty.start()], nt.span(prefix, prefix + duty.start())[1]
        colon = title.find(":")
        if 0 < colon <= LABEL_MAX and "。" not in title[:colon] and "," not in title[:colon]:
            # 1、税收收入:全年完成1.2亿元…: the words before the colon name the item.
            nt = NormText.of(line.raw, line.start)
            start, end = nt.span(prefix, prefix + colon)
            rest = rest_of(line, nt.ends[prefix + colon])
            return title[:colon], start, end, rest if rest.raw else None
        cut = title.find("。")
        aspect = ASPECT_RE.match(title)
        if aspect and (cut < 0 or aspect.end() < cut):
            cut = aspect.end()  # 1.就业方面,新增城镇就业1560人…: the field it is about names it
        if heading and (cut < 0 or cut + 1 >= len(title)):
            # (一)稳增长,力争税收收入达到17.5亿元,增长6.7%…: a section titled by its slogan, the
            # figures after it its text (a heading's figures are not read).
            comma = title.find(",")
            if 0 < comma <= SLOGAN_MAX and not has_figure(title[:comma]) and has_figure(title[comma:]):
                cut = comma
        if cut <= 0 or cut + 1 >= len(title):
            bare = title.rstrip("。;,:")  # 新建社区食堂2家; of a list of projects, 持续深化基层治理:
            return bare, t_start, t_end - (len(title) - len(bare)), None
        nt = NormText.of(line.raw, line.start)
        start, end = nt.span(prefix, prefix + cut)
        rest = rest_of(line, nt.ends[prefix + cut])
        return title[:cut], start, end, rest if rest.raw else None

    def _start_section(self, line: Line, m: re.Match[str]) -> None:
        assert self.part is not None
        self.join_next, self.last = False, None
        order = len(self.part.sections) + 1
        title, t_start, t_end, rest = self._split_title(line, m, heading=True)
        sec = Section(f"{self.part.key}/section-{order}", order, title, t_start, t_end, line.start, line.end)
        self.part.sections.append(sec)
        self.section = sec
        self.project = None
        self.item_style = None
        self.closing = False
        self.part.end = line.end
        if not m.group(2):
            self.pending_title = sec
        if rest is not None:
            self._paragraph(rest)

    def _start_item(self, line: Line, m: re.Match[str]) -> None:
        sec = self.section
        assert sec is not None and self.part is not None
        self.join_next = False
        # Numbered items of a plan are its practical projects (the 2021 layout); one level down
        # (un-numbered top headings), (一) items are initiatives unless the section is about projects.
        # Numbered items are practical projects under a heading that says so (年度实事项目); a plan's
        # other numbered items are its tasks (1.深化楼宇经济。…), initiatives like the review's.
        is_project = about_projects(sec.title, self.part.title) or sec is self.project_section
        kind = "project" if is_project else "initiative"
        order = len(sec.initiatives) + 1
        title, t_start, t_end, rest = self._split_title(line, m)
        item = Initiative(f"{sec.key}/{kind}-{order}", kind, order, title, t_start, t_end, line.start, line.end)
        if rest is not None:
            item.enumerations = enumerations(rest) or sub_items(rest)
        sec.initiatives.append(item)
        sec.end = self.part.end = line.end
        self.project = item
        self.last = item
        if not m.group(2):
            self.pending_title = item

    def _extend(self, elem: Paragraph | Initiative | Unplaced, line: Line) -> None:
        elem.end = line.end
        if isinstance(elem, Paragraph | Unplaced):
            elem.text = self.text[elem.start : elem.end]
        if self.part is not None:
            self.part.end = line.end
        if self.section is not None and isinstance(elem, Initiative):
            self.section.end = line.end

    # -- post-processing -----------------------------------------------
