"""What a line of body text is, once no heading, table row or note took it: a work item's lead
sentence, its description, the points of a paragraph, a section's text, a closing call; and the
lines of the header under the title (subtitle, date, speaker, motto). The line-by-line reading
(:mod:`kg.parsing.report`) hands them here; the outline they go into is :mod:`kg.parsing.builder`'s.
"""

from __future__ import annotations

import re

from kg.parsing import header
from kg.parsing.builder import OutlineBuilder
from kg.parsing.headings import CAPTION_RE
from kg.parsing.items import about_projects, paragraph_item, point_item
from kg.parsing.lines import (
    ENUM_START_RE,
    LEAD_MAX,
    Line,
    bullet_points,
    enum_prefix,
    enumerations,
    lead_sentence,
    title_line,
)
from kg.parsing.model import Initiative, Paragraph, Section
from kg.parsing.tables import row_cells
from kg.text import normalise

MARKER_HEAD_RE = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff])")  # a footnote marker opening the next line

# 与此同时,我们也清醒地看到…; 同时,街道发展中还存在一些短板和不足: a paragraph opening on shortcomings.
SHORTCOMINGS_OPEN_RE = re.compile(
    r"^(?:与此同时|同时|但是?|当然|在肯定成绩的同时)?,?(?:我们|街道)?(?:也|还)?清醒地?(?:看到|认识到)"
    r"|^(?:与此同时|同时|但是?|当然),[^。]{0,24}?(?:还|仍然?)?存在(?:着)?(?:一些|不少|诸多)?[^。]{0,8}(?:问题|短板|不足|差距)"
)
SALUTATION_RE = re.compile(r"^(各位代表|同志们|各位委员|各位同志|[^。,]{0,12}(?:的)?成绩来之不易)")
# A closing call without a salutation (下半年,我们将…,为建设…作出新的更大贡献。; 新的一年,花园路街道将以…
# 开创…新局面。), or 特此报告。: not a work item.
EXHORTATION_RE = re.compile(
    r"^(?:(?:(?:[^,。;]{1,10},)?(?:让我们|我们将|我们要)|在?(?:新的一年|下半年|今后|未来|\d{4}年|新的征程上|新征程上)里?,[\u4e00-\u9fff]{2,12}将(?:以|在|继续)"
    r"|总之,(?:\d{4}年,)?(?:本人|我们?)将)[^。!]*"
    r"(?:贡献|奋斗|新篇章|新局面|新征程|美好的[\u4e00-\u9fff]{2,8})[^,。;]{0,6}[。!]"
    # 新的一年,张掖路街道将坚定信心、…,为建设“强省会”贡献张掖路力量。: no figure, a call
    r"|在?(?:新的一年|下半年)里?,[\u4e00-\u9fff]{2,12}将[^。!\d]*(?:贡献[^,。;]{0,8}力量|新篇章|新局面|新征程|而努力奋斗|而不懈奋斗|家园"
    r"|圆满完成|奋勇争先|再创佳绩|再立新功|新的更大贡献)[^,。;]{0,12}[。!]"
    r"|特此报告。|以上报告,请予(?:审议|评议)。|述职人:.{1,8}"
    r"|[\u4e00-\u9fff]{2,16}(?:街道办事处|人民政府|街道党工委|居民委员会|村民委员会|社区居委会)"
    # 下半年任务艰巨、责任重大。街道上下将…,为…作出…新的更大贡献。: a call after what is at stake
    r"|[^。]{0,16}(?:任务艰巨|责任重大|使命光荣|任重道远|催人奋进|重任在肩)[^。!]*[。!][^。!\d]*将[^。!\d]*"
    r"(?:贡献|新篇章|新局面|新征程|奋斗)[^,。;]{0,12}[。!]"
    # 各部门、各社区(村)要对照工作要点,…: the notice's instruction to those who carry the points out
    r"|各(?:部门|单位|社区|村|科室|办|直属单位)[、,和及]各[^。\d]{0,30}要[^\d]*"
    r"|各责任(?:部门|单位)要[^\d]*?(?:确保|抓好落实|落到实处|按期完成)[^\d]*)$"
)
# After a list (of projects, one line each), a paragraph that goes on to other work (同时,持续提升…).
AFTER_LIST_RE = re.compile(r"^(?:同时|此外|另外|与此同时|除此之外),")


TITLE_SHORT = 10  # a lead sentence this short is a work item's title, whatever stands above it


def _title_alone(para: Paragraph) -> bool:
    """Whether ``para`` is a short sentence alone on its line, the title of the paragraph under it."""
    return title_line(Line(para.text, para.start, para.end, normalise(para.text))) is not None


# A point opened by a hyphen and a space under a paragraph (- 举办推介会4场;), in a plain-text copy.
SUB_POINT_RE = re.compile(r"^[-–]\s+(?=\S)")
POINT_MARKS = set("➢➤▶►▲△●■◆◇•·○□√✓★☆")


class ParagraphReader(OutlineBuilder):
    """Body text and header lines: where each goes (see the module)."""

    def _continues(self, line: Line) -> bool:
        """A line that opens with a footnote marker right after a quoted term continues the paragraph;
        so does a point under it opened by a hyphen (➢ 招商引资:… / - 举办推介会4场;): its text."""
        if SUB_POINT_RE.match(line.raw):
            # under a point of its own (➢ 招商引资:…) or a line that opens a list with a colon; a
            # hyphen list straight under a section is its items, one each
            assert self.last is not None
            opens = self.text.rfind("\n", 0, self.last.start) + 1  # the paragraph's line, its bullet too
            first = self.text[opens : self.last.end].lstrip().split("\n", 1)[0].rstrip()
            return not SUB_POINT_RE.match(first) and (first.endswith((":", "：")) or first[:1] in POINT_MARKS)
        prev = self.text[max(0, line.start - 64) : line.start].rstrip()  # a short look back, not the whole text
        return bool(MARKER_HEAD_RE.match(line.norm)) and prev.endswith(("”", "」", '"'))

    def _enumerated_items(self, sec: Section) -> bool:
        """Whether each of ``sec``'s items so far opens its own line with 一是, 二是, …"""
        return all(enum_prefix(normalise(self.text[i.start : i.end])) for i in sec.initiatives)

    def _header_line(self, line: Line) -> bool:
        md = self.report.metadata
        n = line.norm
        if header.field_line(md, line.raw):
            return True
        m = header.DATE_LINE_RE.match(n) or header.SPOKEN_LINE_RE.match(n)
        if m:
            md.delivered = header.iso(m)
            if m.group(4) and md.meeting is None:
                md.held_at = m.group(4)
            return True
        m = header.ISSUER_RE.match(n)
        if m and md.title and n != normalise(md.title):
            # 中共…工作委员会　…街道办事处: two bodies apart as written, one publisher line
            bodies = [normalise(b) for b in re.split(r"[ \u3000]+", line.raw.strip()) if b]
            joined = "、".join(bodies) if len(bodies) > 1 and "".join(bodies) == m.group(1) else m.group(1)
            md.fields.setdefault("发布机构", joined)
            if m.group(2):
                md.fields.setdefault("发布时间", f"{m.group(2)}-{int(m.group(3)):02d}-{int(m.group(4)):02d}")
            return True
        if n.startswith("——") or n.startswith("--"):
            md.subtitle = n.lstrip("—-")
            return True
        speaker = header.SPEAKER_RE.match(line.raw)
        if speaker:
            md.fields.setdefault("报告人", f"{normalise(speaker.group(1))} {normalise(speaker.group(2))}")
            return True
        if header.NAME_RE.match(n) and header.ROLE_RE.search(normalise(md.title)) and not self.report.preamble:
            md.fields.setdefault("报告人", n)  # …办事处主任2023年度述职报告 / 王海涛: the one who reports
            return True
        nxt = self.following.get(line.start)
        if (
            header.NAME_RE.match(n)
            and not self.report.preamble
            and (md.delivered or md.subtitle)
            and nxt is not None
            and SALUTATION_RE.match(nxt.norm)
        ):
            md.fields.setdefault("报告人", n)  # ——在…代表大会上的报告 / (2021年7月16日) / 马德清 / 同志们:
            return True
        if not self.report.preamble and md.subtitle is None and md.delivered is None:
            md.motto.append(Paragraph(line.raw, line.start, line.end))
            return True
        self.report.preamble.append(Paragraph(line.raw, line.start, line.end))
        return True

    def _caption(self, line: Line) -> bool:
        """A table's caption (2024年民生实事项目表, …完成情况表, …清单) right above its first row."""
        nxt = self.following.get(line.start)
        return (
            CAPTION_RE.search(line.norm) is not None
            and "。" not in line.norm
            and nxt is not None
            and row_cells(nxt.raw, nxt.start) is not None
        )

    def _paragraph(self, line: Line) -> None:
        para = Paragraph(line.raw, line.start, line.end, line.bullet)
        self.last = para
        part, sec = self.part, self.section
        if part is None:
            self.report.preamble.append(para)
            return
        part.end = line.end
        if (
            not self.closing
            and (line.norm.endswith(":") or self._caption(line))
            and len(line.norm) <= LEAD_MAX
            and about_projects(line.norm)
            and not about_projects(part.title)  # the part is itself the list
        ):
            if sec is not None and not sec.initiatives and not sec.intro:
                # (三)着力保障和改善民生 / 2024年街道民生实事项目共6项: / 1.…: the section's own projects.
                sec.intro.append(para)
                sec.end = line.end
                self.project_section = sec
                return
            self._annex_of_projects(line, here=True)  # 2024年街道民生实事项目共8项: then (1)…(8)
            return
        opening = sec is None and not part.sections and not part.intro and not self.closing
        if opening and SALUTATION_RE.match(line.norm) and not EXHORTATION_RE.match(line.norm):
            part.intro.append(para)  # 第一部分 / 各位代表,2023年是…: the part's opening, not its close
            return
        if self.closing and sec is None and not part.sections and ENUM_START_RE.match(line.norm):
            # 同志们,今年的目标已经明确,… / 一要强化责任担当。…: the points after an address are the part's work
            part.intro.extend(part.closing)
            part.closing = []
            self.closing = False
        if SALUTATION_RE.match(line.norm) or EXHORTATION_RE.match(line.norm) or self.closing:
            self.closing = True
            part.closing.append(para)
            return
        if sec is None:
            part.intro.append(para)
            return
        nxt = self.following.get(line.start)
        if line.norm.endswith(":") and nxt is not None and row_cells(nxt.raw, nxt.start) is not None:
            sec.intro.append(para)  # …收支情况如下(单位:万元): the lead of the table below, no work item
            sec.end = line.end
            self.project = None
            return
        if sec.initiatives and SHORTCOMINGS_OPEN_RE.match(line.norm):
            # 与此同时,我们也清醒地看到,…还存在一些短板和不足:一是…: the part's closing words on
            # its shortcomings (and the points under them), no work item nor the last item's text
            part.closing.append(para)
            self.project, self.closing = None, True
            return
        lead = lead_sentence(line)
        listed = len(sec.initiatives) >= 3 and all("\n" not in self.text[i.start : i.end] for i in sec.initiatives)
        if self.project is not None and listed and AFTER_LIST_RE.match(line.norm):
            # (12)…窗口1个。 / 同时,持续提升…: the section's work after its list of one line each, an item
            item = paragraph_item(line, sec, len(sec.initiatives) + 1)
            sec.initiatives.append(item)
            self.project = None
            self.last = item
            sec.end = line.end
            return
        numbered = self.decimal  # 3.2.1 聚焦产业提质… / its paragraphs: Word numbers every item
        if self.project is not None and (self.project.kind == "project" or lead is None or numbered):
            # Description lines of a numbered item extend it.
            self.project.end = sec.end = line.end
            self.last = self.project
            return
        if (
            lead is None
            and enum_prefix(line.norm)
            and len(enumerations(line)) < 2  # 一是…;二是… in one paragraph: its points are the items (items.py)
            and (not sec.initiatives or self._enumerated_items(sec))
        ):
            # 一是深入开展主题教育。 / 二是全面落实…,开展专题学习42次。: each point on its line an item
            item = paragraph_item(line, sec, len(sec.initiatives) + 1)
            sec.initiatives.append(item)
            self.last = item
            sec.end = line.end
            return
        if lead is None and bullet_points(line) and len(enumerations(line)) >= 2:
            for point in enumerations(line):  # ●完成…;●加装电梯25台;●…: each bulleted point an item
                sec.initiatives.append(point_item(self.text, sec, len(sec.initiatives) + 1, point))
            self.last = sec.initiatives[-1]
            sec.end = line.end
            return
        points = enumerations(line) if lead is not None and enum_prefix(line.norm) else []
        if len(points) >= 2:  # 一是基础设施加快完善。…;二是…: each point an item (not the first, all its points)
            for point in points:
                sec.initiatives.append(point_item(self.text, sec, len(sec.initiatives) + 1, point))
            self.last = sec.initiatives[-1]
            sec.end = line.end
            return
        titled = lead is not None and (len(lead[2]) > TITLE_SHORT or "," in lead[2])  # 招商引资成效明显。 titles itself
        if titled and not sec.initiatives and sec.intro and _title_alone(sec.intro[-1]):
            # 党建引领基层治理。 alone, then its paragraph, …: the section's items are titled by the
            # lines alone (items.py), a paragraph's opening sentence is its text (全面推行…机制。…)
            sec.intro.append(para)
            sec.end = line.end
            return
        if lead is not None:
            t_start, t_end, title = lead
            order = len(sec.initiatives) + 1
            init = Initiative(
                f"{sec.key}/initiative-{order}", "initiative", order, title, t_start, t_end, line.start, line.end
            )
            init.enumerations = enumerations(line)
            sec.initiatives.append(init)
            self.last = init
            sec.end = line.end
            return
        if not sec.initiatives:
            sec.intro.append(para)
            sec.end = line.end
            return
        # A paragraph with no lead sentence goes on with the work item before it.
        last = sec.initiatives[-1]
        last.end = sec.end = line.end
        self.last = last
