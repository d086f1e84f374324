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
from kg.parsing.header import ARTICLE_END_RE, BREADCRUMB_RE, TRAILER_RE
from kg.parsing.heading_lines import (
    GLOSS_RE,
    GROUP_ROW_MAX,
    LIST_HEADING_RE,
    ORDINAL_HEADING_RE,
    PLAN_QUESTION_RE,
    PROJECT_LINE_RE,
    STOPPED_PART_RE,
    TITLE_HOOK_RE,
    WECHAT_PART_RE,
    HeadingReader,
    bare_lines,
    file_line,
)
from kg.parsing.headings import (
    ANNEX_RE,
    DASH_LEAD_RE,
    PART_BRACKET_RE,
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
    PAGE_RE,
    QUOTE_RE,
    Line,
    glued_item,
    item_number,
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
from kg.parsing.periods import assign_periods
from kg.parsing.quantities import extract_quantities
from kg.parsing.reading import read_source
from kg.parsing.script import as_written, is_traditional, simplified
from kg.parsing.tables import TASK_CELL_MAX, row_cells
from kg.parsing.wrapped import unwrap
from kg.text import NormText, normalise, written

MARKER_LINE_RE = re.compile(r"^\d{1,2}$")
GLUED_MARKER_RE = re.compile(r"(?<=[”」\"])\d{1,2}(?=[,;。]|$)")  # a marker after a quoted term


class _Parser(HeadingReader):
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
        self.bare_lines = bare_lines(rest)
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
        annexed = n in ("附件", "附件:") and not file_line(self.following.get(line.start))
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
