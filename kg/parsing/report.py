"""Parser for the genre of subdistrict work reports.

The genre: a metadata header (title, ``|``-separated index fields, motto,
subtitle, delivery date), a salutation, parts (``一、``) holding sections
(``(一)``) holding initiatives (a paragraph opened by a short lead sentence
ending in ``。``) or numbered practical projects, closing paragraphs, and an
optional glossary (``名词解释:``) whose notes are referenced by footnote
markers in the text.  One paragraph per line.

The parser works line by line on the raw text and records raw offsets; it
recognises headings on the normalised form of each line (see ``kg.text``).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from pathlib import Path

from kg.errors import SourceError
from kg.parsing import header
from kg.parsing.builder import YEAR_RE
from kg.parsing.header import ARTICLE_END_RE, BREADCRUMB_RE, TRAILER_RE
from kg.parsing.headings import (
    ANNEX_RE,
    BARE_BRACKET_RE,
    BARE_HEADING_RE,
    CAPTION_RE,
    DASH_LEAD_RE,
    PART_BRACKET_RE,
    PART_DIGIT_RE,
    PART_FINANCIAL_RE,
    PART_N_RE,
    SECTION_MAX,
    SECTION_RE,
    SECTION_SENTENCE_RE,
    TOP_RE,
    part_heading,
)
from kg.parsing.inline import acronyms, inline_definitions, note_parts, short_names
from kg.parsing.items import RESULTS_RE, about_key_projects, about_projects, items_at_the_end
from kg.parsing.lines import (
    CAPTION_MARKS,
    CIRCLED,
    CONTENTS_LINE_RE,
    DECIMAL_RE,
    ENUM_START_RE,
    ITEM_ORDINAL_RE,
    LEAD_MAX,
    PAGE_RE,
    QUOTE_RE,
    Line,
    enum_prefix,
    glued_item,
    item_number,
    numbered,
    numbering,
    rest_of,
    running_heads,
    split_lines,
)
from kg.parsing.markdown import unmark
from kg.parsing.model import (
    EnumItem,
    Initiative,
    Part,
    Quote,
    Report,
    Section,
)
from kg.parsing.notes import FOOTNOTE_LINE_RE, GLOSSARY_RE, NOTE_LINE_RE, NOTE_NEXT_RE, glossary_line, link_markers
from kg.parsing.numerals import cn_to_int, heading_number
from kg.parsing.outline import structure_warnings
from kg.parsing.paragraphs import ParagraphReader
from kg.parsing.periods import PLAN_WORDS, PROSE_WORDS, REVIEW_WORDS, assign_periods
from kg.parsing.quantities import extract_quantities
from kg.parsing.reading import read_source
from kg.parsing.script import as_written, is_traditional, simplified
from kg.parsing.tables import TASK_CELL_MAX, row_cells
from kg.parsing.wrapped import unwrap
from kg.text import NormText, normalise, written

MARKER_LINE_RE = re.compile(r"^\d{1,2}$")
GLUED_MARKER_RE = re.compile(r"(?<=[”」\"])\d{1,2}(?=[,;。]|$)")  # a marker after a quoted term


class _Parser(ParagraphReader):
    """Reads a report line by line: what each line is (the builder says where it goes)."""

    # -- main loop -----------------------------------------------------
    def parse(self) -> Report:
        lines = split_lines(self.text)
        if not lines:
            raise SourceError("empty report")
        # A PDF copy's page numbers and the header line on each page are not content.
        running = running_heads(lines)
        lines = lines[header.after_chrome([ln.norm for ln in lines]) :]  # a site's name and menu
        while len(lines) > 1 and BREADCRUMB_RE.match(lines[0].norm):
            lines = lines[1:]
        lines = lines[:1] + [ln for ln in lines[1:] if not PAGE_RE.match(ln.norm) and ln.norm not in running]
        md = self.report.metadata
        if len(lines) > 2 and header.COVER_RE.match(lines[0].norm):
            # 长沙市望城区乌山街道办事处文件 / 望乌办发〔2024〕3号 / 关于印发《…》的通知: a red-header cover
            md.fields.setdefault("发文机关", lines[0].norm.removesuffix("文件"))
            lines = lines[1:]
            number = header.DOC_NUMBER_RE.match(lines[0].norm)
            if number:
                md.fields.setdefault("文号", number.group(1))
                lines = lines[1:]
        lines, self.report.wraps = unwrap(lines, self.text)
        while len(lines) > 1 and (
            (header.index_line(lines[0].raw) and header.field_line(md, lines[0].raw)) or header.byline(md, lines[0].raw)
        ):
            lines = lines[1:]  # 索引号:… 发布机构:… above the title: the page's index table; a WeChat byline
        rest = lines[1:]
        own = header.wechat_title([ln.raw.strip() for ln in rest])
        if own is not None:  # a WeChat headline, its byline, then the report's own title
            header.byline(md, rest[0].raw)
            lines, rest = rest[own:], rest[own + 1 :]
        md.title = "".join(lines[0].raw.splitlines())  # a wrapped title's line break is no text
        wrapped_notice = rest and header.NOTICE_OPEN_RE.search(lines[0].norm)
        if wrapped_notice and header.NOTICE_RE.search(lines[0].norm + rest[0].norm):
            md.title, rest = md.title + rest[0].raw.strip(), rest[1:]  # 关于印发《…和 / 2024年工作计划》的通知
        elif rest and header.title_lines(lines[0].norm, rest[0].norm):
            md.title, rest = md.title + rest[0].raw, rest[1:]  # 潍坊新村街道办事处 / 2023年工作报告
        elif len(rest) > 1 and header.motto_lines(lines[0].raw.strip(), rest[0].norm, rest[1].norm):
            # 凝心聚力谋发展 砥砺奋进新征程 / 奋力谱写新时代…新篇章 / ——在…代表大会上的报告: one title
            md.title, rest = f"{md.title} {rest[0].raw.strip()}", rest[1:]
        md.title = header.unspaced_title(md.title)
        hook = TITLE_HOOK_RE.match(md.title)
        if hook:  # 杨家坪街道2023年工作报告｜这份“成绩单”请查收!: a WeChat headline's hook is no title
            md.title = hook.group(1)
        issued = header.NOTICE_RE.search(md.title)
        if issued:  # 良渚街道关于印发《良渚街道2024年工作要点》的通知: the document it issues
            md.title = issued.group(1)
        self.decimal = sum(1 for ln in rest if (m := DECIMAL_RE.match(ln.raw)) and "." in normalise(m.group(1))) >= 2
        self.following = {a.start: b for a, b in pairwise(rest)}
        self.bare_lines = _bare_lines(rest)
        for line in rest:
            self._line(line)
        if not self.report.parts:
            if not any("\u4e00" <= c <= "\u9fff" for c in self.text[:20_000]):
                raise SourceError(
                    "no Chinese text in it: not a work report, or read in the wrong encoding (see --encoding)"
                )
            raise SourceError(
                "not a work report: no part headings found (一、…, 第一部分, or a heading such as 2023年工作回顾)"
            )
        items_at_the_end(self.report)
        self._finish_metadata()
        assign_periods(self.report)
        link_markers(self.report, self._body_end())
        self._clean_titles()
        breaks = sum(1 for w in self.report.wraps if self.text[w] == "\n")
        if breaks:
            self.report.warnings.append(
                f"{breaks} line breaks inside paragraphs (a hard-wrapped PDF copy, or a figure broken over"
                " two lines) were read as none"
            )
        self.report.warnings.extend(structure_warnings(self.report))
        self._collect_quotes()
        self.report.definitions = inline_definitions(self.text, self.report.quotes)
        said = {d.term for d in self.report.definitions} | {q.text for q in self.report.quotes}
        self.report.definitions += acronyms(self.text, self._body_end(), said)  # QFLP(合格境外有限合伙人)
        # 社区事务受理服务中心(以下简称“受理中心”): the short name, quoted, defined by the name
        self.report.definitions += short_names(self.text, self._body_end(), {d.term for d in self.report.definitions})
        # Notes are read once their text is whole; a PDF copy's line breaks in them are no text.
        text = self.report.blanked() if self.report.wraps else self.text
        for note in self.report.notes:
            note.parts = note_parts(note, text)
            if self.report.wraps:
                note.definition = self.report.as_written(note.def_start, note.def_end)
        self.report.tables = [t for t in self.report.tables if len(t.rows) > 1]  # a header alone is a line
        self.report.quantities = extract_quantities(self.report)
        _ = self.report.normalised  # made now, so that the build cache keeps it with the parse
        return self.report

    def _line(self, line: Line) -> None:
        n = line.norm
        if self.article_end or (self.part is not None and ARTICLE_END_RE.match(n)):
            self.article_end = True
            header.field_line(self.report.metadata, line.raw)  # 来源:… under -END-: the publisher
            return
        if line.raw[:1] in CAPTION_MARKS:
            return  # ▲社区志愿者开展义诊活动: a photo's caption, no text of the report
        annexed = n in ("附件", "附件:") and not _file_line(self.following.get(line.start))
        if (TRAILER_RE.match(n) and not annexed) or header.byline(self.report.metadata, line.raw):
            return  # the web page's attachment list, an article's byline or credits: not content
        if self.in_glossary and GLOSSARY_RE.match(n):
            self.note_lines = False
            return  # the glossary's heading after a note of one line (注:①…) opened it
        if self.note_lines and not (
            NOTE_LINE_RE.match(line.raw)
            or FOOTNOTE_LINE_RE.match(line.raw)
            or NOTE_NEXT_RE.match(line.raw)
            or line.raw[:1] in CIRCLED
        ):
            self.in_glossary = self.note_lines = False  # the text goes on after 注:①… (2.… is an item)
        if self.in_glossary and not re.search(r"\s", line.raw.strip()) and header.signature(self.report.metadata, n):
            self.in_glossary = self.note_lines = False  # the signature under the glossary: no note's text
            return
        if self.in_glossary and ANNEX_RE.match(n) and self.part is not None:
            self.in_glossary = self.note_lines = False  # 附件:…完成情况表 after the notes: no note's text
        if self.in_glossary:
            why = glossary_line(self.report, line)
            if why is not None:
                self._unplaced(line, why)
            return
        if GLOSSARY_RE.match(n):
            self.in_glossary = True
            return
        note = NOTE_LINE_RE.match(line.raw) or FOOTNOTE_LINE_RE.match(line.raw) or self._footnote_after(line)
        if note and self.part is not None:  # 注:①“三乱”指…, [1]“三长联动”:…: notes with no heading
            self.in_glossary = self.note_lines = True
            why = glossary_line(self.report, rest_of(line, line.start + note.end()))
            if why is not None:
                self._unplaced(line, why)
            return
        annex = ANNEX_RE.match(n)
        if annex and self.part is not None:
            self.in_annex = True
            if not annex.group(1):
                return
            line = rest_of(line, NormText.of(line.raw, line.start).ends[len(n) - len(annex.group(1)) - 1])
            n = line.norm
        if self.in_annex:
            self.in_annex = False
            if n.endswith("大事记") and len(n) <= GROUP_ROW_MAX:  # 附:2022年社区大事记: a part reviewing the year
                self._start_part(line, re.match(r"^()(.+)$", n))  # type: ignore[arg-type]
                return
            done = "完成情况" in n and "。" not in n  # 2023年民生实事项目完成情况: how last year's went
            if about_projects(n) and not done:
                self._annex_of_projects(line)
                return
            if done or (RESULTS_RE.search(n) and "。" not in n):
                self._annex_of_results(line)
                return
        if self._group_row(line):
            return
        if header.web_debris(self.report.metadata, n, line.raw):
            return  # index table, date or source line of a web copy: metadata, not body text
        if self.part is not None and not re.search(r"\s", line.raw):
            header.signature(self.report.metadata, n)  # noted; the line stays the closing's text
        if self.pending_title is not None:
            self._fill_title(self.pending_title, line)
            self.pending_title = None
            return
        if self.pending_part is not None:
            self._fill_title(self.pending_part, line)
            self.pending_part = None
            return
        if self.part is None and n == "目录":
            self.in_contents = True
            return
        if self.in_contents:
            if CONTENTS_LINE_RE.search(line.raw):
                return  # 1.1  经济发展\t1: a line of the contents, not the heading
            self.in_contents = False
        if self.decimal and self._decimal_heading(line):
            return
        top = self._top(n)
        if top is not None:
            self._start_top(line, top)
            return
        wechat = WECHAT_PART_RE.match(n)
        if (
            wechat
            and int(wechat.group(1)) == len(self.report.parts) + 1
            and self.wechat_parts == len(self.report.parts)
        ):
            # 01 | 抓党建 强引领 … 06 | …: a WeChat post's headings, the year's work under each
            self.wechat_parts += 1
            self._start_part(line, wechat)
            if self.part is not None and self.part.kind == "other":
                self.part.kind = "review"
                self._section_of_the_part(line)  # its paragraphs are its work (items.py)
            return
        under = self.part is not None and not self.wechat_parts
        if wechat and under and int(wechat.group(1)) == len(self.part.sections) + 1:  # type: ignore[union-attr]
            self._start_section(line, wechat)  # under 一、2023年工作回顾: its sections
            self.wechat_sections = True
            return
        plan = PLAN_QUESTION_RE.match(n) if self.wechat_parts or self.wechat_sections else None
        if plan:  # 2024年,怎么干?: the plan after the post's review
            self._start_part(line, re.match(r"^()(.+)$", n))  # type: ignore[arg-type]
            if self.part is not None:
                self.part.kind = "plan"
            return
        digit = self._digit_part(n)
        if digit is not None:
            self.digit_parts = digit.group(0)[len(digit.group(1))]  # 、 or .: the parts' numbering
            self._start_part(line, digit)
            return
        if self.part is None and not part_heading(n, self.report.parts) and self._header_line(line):
            return
        # 【一】 numbers parts where the first part was so numbered; under 一、 parts, sections.
        m = part_heading(n, self.report.parts, brackets=self.part is None or self.bracket_parts)
        if m and (not n.endswith("。") or STOPPED_PART_RE.fullmatch(m.group(2))) and self._next_part(m):
            if self.tops and not TOP_RE.match(m.group(2)):
                self.cn_sections = True
                self._start_section(line, m)
            else:
                self.bracket_parts = self.bracket_parts or (m.re is PART_BRACKET_RE and not self.report.parts)
                self._start_part(line, m)
            return
        m = SECTION_SENTENCE_RE.match(n) if self.tops and self.part is not None else None
        if m and cn_to_int(m.group(1)) == len(self.part.sections) + 1:  # type: ignore[union-attr]
            self.cn_sections = True  # 一、全力做强白酒首位产业。一是… under 第二部分: a section and its text
            self._start_section(line, m)
            return
        m = PART_BRACKET_RE.match(n)
        if m and self.part is not None and heading_number(m.group(1)) is not None:
            self._start_section(line, m)  # 【一】经济发展 under 一、 parts: a section
            return
        m = ORDINAL_HEADING_RE.match(n)
        ordinals = self.ordinal_sections
        if m and self.part is not None and cn_to_int(m.group(1)) == (ordinals.get(self.part.key, 0) + 1):
            ordinals[self.part.key] = ordinals.get(self.part.key, 0) + 1
            self._start_section(line, m)  # 第一、全力以赴打赢疫情防控阻击战 (no sentence): a section
            return
        m = SECTION_RE.match(n)
        if m and self.part is not None and cn_to_int(m.group(1)) is not None:
            listed = self.section is None or (self.section.title == self.part.title and self.section.initiatives)
            if listed and about_projects(self.part.title) and PROJECT_LINE_RE.search(m.group(2) or ""):
                if self.section is None:  # 五、2024年民生实事项目 / (一)新建长者食堂2家,…;: its projects
                    self._section_of_the_part(line)
                self._start_item(line, m)
                return
            if self.tops and self.cn_sections and self.section is not None:
                self._start_item(line, m)
                self.item_style = "cn"  # 1. 稳面积。 under it: a point of this item, not its sibling
            else:
                self._start_section(line, m)
            return
        following = self.following.get(line.start)
        table_next = following is not None and row_cells(following.raw, following.start) is not None
        if self.part is not None and (not self.closing or table_next) and LIST_HEADING_RE.match(n):
            # 2024年重点项目 and its table after the closing words: the plan's projects all the same
            self.closing = False
            sec = self.section
            if (
                sec is not None
                and not sec.initiatives
                and not sec.intro
                and (about_projects(sec.title) or about_key_projects(sec.title))
            ):
                # (二)重点项目 / 2025年八大关街道重点项目计划表 / its table: the caption is the section's text
                self._paragraph(line)
                return
            self._start_section(line, re.match(r"^()(.+)$", n))  # type: ignore[arg-type]
            return  # 2025年重点项目 (a table) or 2025年民生实事项目 (1.…) in a plan: a section of them
        if self._bare_heading(line):
            return
        if MARKER_LINE_RE.match(n):
            self.join_next = self.last is not None  # a footnote marker on its own line
            return
        if self.last is not None and self._continues(line):
            self._extend(self.last, line)
            return
        if self.join_next and self.last is not None:
            self.join_next = False
            self._extend(self.last, line)
            return
        cells = row_cells(line.raw, line.start) if self.part is not None else None
        last = self.report.tables[-1] if self.report.tables else None
        if (
            cells is None
            and self.part is not None
            and last is not None
            and not self.text[last.end : line.start].strip()
        ):
            # the next row of a table above, as many cells, one a longer task (…,帮助解决问题80个)
            wide = row_cells(line.raw, line.start, cell_max=TASK_CELL_MAX)
            cells = wide if wide is not None and len(wide) == len(last.rows[0]) else None
        if cells is not None:
            self._table_row(line, cells)
            return
        if self._enum_section(line):
            return
        m = item_number(line)
        if m is None and self.section is not None and self.item_style == "dot":
            m = glued_item(n, len(self.section.initiatives) + 1)
        if m and self.part is not None and not self.closing and m.group(2) and self._dot_section(line, m):
            self._start_section(line, m)
            self.dot_sections = True
            return
        if (
            m
            and self.section is None
            and self.part is not None
            and not self.closing
            and m.group(2)
            and about_projects(self.part.title)
        ):
            self._section_of_the_part(line)  # 三、2024年民生实事 / 1.完成…: its items, projects
        if m and self.section is not None and not self.closing and m.group(2):
            style = numbering(line.raw, n)
            if self.item_style is None:
                self.item_style = style
            if style == self.item_style or self.project is None:
                self._start_item(line, m)
            else:  # (1) … under a 1. item (or 1. under (1)): a point of that item, not a sibling
                self._extend(self.project, line)
                self.last = self.project
                title, _s, _e, _rest = self._split_title(line, m)
                title = GLUED_MARKER_RE.sub("", title)  # “暖冬行动”1,走访…: a footnote marker, no word
                points = self.project.enumerations
                points.append(EnumItem(len(points) + 1, line.norm, line.start, line.end, title))
            return
        self._paragraph(line)

    # -- headings ------------------------------------------------------
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
            pass  # a heading of a copy that lost its numbering (_bare_lines)
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
    def _finish_metadata(self) -> None:
        md = self.report.metadata
        if md.subtitle is None and md.delivered is None:
            # Without a subtitle or date line there is no motto block: it was preamble.
            self.report.preamble[:0] = md.motto
            md.motto = []
        header.finish(md)

    def _clean_titles(self) -> None:
        """Footnote markers glued into a heading (``“五违四必”2整治``) are not part of its title;
        nor the dash a point opens with (``——品牌建设成效明显。``)."""
        nodes: list[Part | Section | Initiative] = [*self.report.parts]
        nodes += [s for p in self.report.parts for s in p.sections]
        nodes += self.report.initiatives()
        for node in nodes:
            if any(node.title_start <= mk.start < node.title_end for mk in self.report.markers):
                node.title = normalise(self.report.as_written(node.title_start, node.title_end))
            gloss = GLOSS_RE.search(node.title)
            if gloss and gloss.start() >= 2:  # 2022年工作计划(Work Plan for 2022): its English apart
                opened = max(self.text.rfind(b, node.title_start, node.title_end) for b in "(（")
                if opened > node.title_start:
                    node.title_en = written(self.text[opened + 1 : node.title_end].rstrip(")） "))
                    node.title = node.title[: gloss.start()]
                    node.title_end = len(self.text[:opened].rstrip())
            dash = DASH_LEAD_RE.match(node.title)
            if dash and len(node.title) > dash.end():
                node.title = node.title[dash.end() :]
                start = node.title_start
                while start < node.title_end and (self.text[start] in "—–-" or self.text[start].isspace()):
                    start += 1  # the title's span opens at its first word, as written
                node.title_start = start

    def _body_end(self) -> int:
        return self.report.body_end

    def _collect_quotes(self) -> None:
        # A PDF copy's line break inside a quote (“古建老宅 / 活化利用”) is no break: read as a space.
        text = self.report.blanked(self._body_end()) if self.report.wraps else self.text
        for m in QUOTE_RE.finditer(text, 0, self._body_end()):
            inner = normalise(m.group("q"))
            if m.group("single"):  # ‘让群众满意’ inside a “…” too long to read as a name: not one
                line = self.text[self.text.rfind("\n", 0, m.start()) + 1 : m.start()]
                if line.count("“") > line.count("”"):
                    continue
            if inner:
                self.report.quotes.append(Quote(inner, m.start("q"), m.end("q")))


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


def _file_line(line: Line | None) -> bool:
    """Whether ``line`` names a file (1.…完成情况.xlsx): a web page's attachment, not an annex's title."""
    return line is not None and re.search(r"\.(?:xlsx?|docx?|pdf|wps|zip|rar|ofd)\b", line.norm) is not None


def _bare_lines(lines: list[Line]) -> set[int]:
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


def parse_report(text: str, slug: str) -> Report:
    """Parse the text of one report; raise SourceError when it is not of the genre. A Markdown
    copy is read with its markup as spaces (:mod:`kg.parsing.markdown`); a text in traditional
    characters as its simplified twin, its strings as written (:mod:`kg.parsing.script`)."""
    text = unmark(text)
    if is_traditional(text):
        return as_written(_Parser(simplified(text), slug).parse(), text)
    return _Parser(text, slug).parse()


def parse_file(path: Path, encoding: str | None = None) -> Report:
    """Read and parse a report file; its slug comes from the file name."""
    return parse_report(read_source(path, encoding), source_slug(path))


def source_slug(path: Path) -> str:
    """The slug of a report from its file name: ASCII letters and digits, Chinese by its pinyin
    (``周家渡2023.txt`` → ``zhou-jia-du-2023``: not ``2023``, which 塘桥2023.txt would share)."""
    stem = unicodedata.normalize("NFKC", path.stem)
    if any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in stem):
        from kg.pinyin import slug

        return slug(stem)
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "report"


__all__ = ["parse_file", "parse_report", "read_source"]
