"""Work items the line-by-line reading leaves to the end: a section's plain paragraphs, each an
item titled by its first clause (or by a short sentence set apart above it), and a table of
practical projects, each row a project.
"""

from __future__ import annotations

import re

from kg.parsing.duty import column_role, names, responsible_units
from kg.parsing.lines import (
    CIRCLED,
    ITEM_CIRCLED_RE,
    ITEM_ORDINAL_RE,
    ITEM_PAREN_RE,
    ITEM_RE,
    Line,
    bullet_points,
    decoration,
    enum_prefix,
    enumerations,
    numbering,
    title_line,
)
from kg.parsing.model import EnumItem, Initiative, Paragraph, Part, Report, Section
from kg.parsing.periods import PROSE_WORDS
from kg.parsing.tables import serial_column
from kg.text import NormText, normalise

PROJECT_WORDS = ("实事", "民生项目", "为民项目")  # 加快城市更新项目建设 is no list of projects
KEY_PROJECT_WORDS = ("重点项目", "重大项目")
# A 工作要点's table: its tasks' column, named so whole (not 目标任务, a target's).
TASK_WORDS = ("工作任务", "重点任务", "主要任务", "具体任务", "任务", "任务内容", "工作内容", "工作措施", "重点工作")
CLAUSE_ENDS = ",;:。!?"  # on the normalised text: where a paragraph's first clause ends
# A paragraph's opening clause that only frames it (今年以来, 2022年, 下一步, 同时): no title.
FRAMING_RE = re.compile(
    r"^(?:(?:\d{4}|今|去|明|本|全|一|过去一|近|近几|新的一|上半|下半|(?:过去)?[两二三四五六七八九十])年(?:度)?"
    r"(?:以来|来|中|里|内|间|期间)?"
    # 4月至12月, 1—11月, 3月份, 截至12月20日: when, no title
    r"|(?:截至|截止)?(?:\d{1,2}(?:月(?:\d{1,2}日)?)?[至到—\-~])?\d{1,2}月(?:\d{1,2}日)?(?:份|底|末|以来|期间|中旬|下旬|上旬)?"
    r"|近年来|一年来|多年来|下一步|下阶段|今后|未来|同时|此外|另外|其中|为此|对此|首先|其次|最后|总之)$"
)


# A paragraph on what is still lacking (在肯定成绩的同时,我们也清醒地看到…问题和不足): prose, no item.
SHORTCOMINGS_RE = re.compile(r"清醒地?(?:看到|认识到)|(?:问题|差距)和不足|不足和问题|存在的(?:主要)?(?:问题|不足)")


SHORTCOMING_TITLES = ("问题", "不足", "差距")
# A plan's blocks titled by what they hold: its targets (具体目标:税收增长5%…) are the section's
# text, no work item; its measures (主要举措:一是…;二是…, 工作措施:1.…2.…) are the items, each
# point one, else the block one titled after its lead.
TARGETS_TITLE_RE = re.compile(r"(?:具体|主要|工作|年度|总体|发展|预期)?(?:目标|目标任务|任务目标|指标)")
MEASURES_TITLE_RE = re.compile(
    r"(?:具体|主要|工作|重点|推进|保障|落实)?(?:举措|措施|任务|路径)|(?:具体|主要|重点)(?:做到|做法)"
)
MEASURES_AFTER_RE = re.compile(rf"(?<=[;。])(?:{MEASURES_TITLE_RE.pattern}):")
# A heading over how the targets went (主要指标完成情况): a table and its notes, no work items.
TOTAL_ROWS = ("合计", "总计", "小计", "合 计")  # a table's row of its totals
# Results (not 重点任务完成情况, a review of work): …指标完成情况, …主要经济指标 (an annex's title).
RESULTS_RE = re.compile(r"指标.{0,6}(?:完成|进展)情况|主要(?:经济)?(?:社会)?(?:发展)?指标(?:表|一览表)?$")
# A section of what the plan aims at or is guided by (3.1 主要目标, 一、总体要求): its text, no work.
AIMS_TITLE_RE = re.compile(r"^(?:\d{4}年)?(?:主要|总体|预期|主要预期|发展|工作)?(?:目标|要求|指导思想)(?:任务)?$")


def about_projects(*titles: str) -> bool:
    """Whether a heading says its items are practical projects (2024年民生实事项目)."""
    return any(w in title for title in titles for w in PROJECT_WORDS)


def about_key_projects(*titles: str) -> bool:
    """Whether a heading says its table lists the year's key projects (2024年重点项目): each row a
    work item (an initiative: the practical projects are the 实事 promised to residents)."""
    return any(w in title for title in titles for w in KEY_PROJECT_WORDS) and not about_projects(*titles)


def items_at_the_end(report: Report) -> None:
    """Projects from tables, then items from plain paragraphs, where the sections have none; then
    a plan's blocks of targets and measures."""
    _projects_from_tables(report)
    _tasks_from_tables(report)
    _sections_of_listed_paragraphs(report)
    _items_from_paragraphs(report)
    for part in report.parts:
        for sec in part.sections:
            _targets_and_measures(report.text, sec)
    responsible_units(report)


def _targets_and_measures(text: str, sec: Section) -> None:
    """Items titled 具体目标 or 主要举措 (a lead before a colon, or a line of its own): the targets
    become the section's text, the measures its items (see :data:`TARGETS_TITLE_RE`)."""
    titles = [TARGETS_TITLE_RE.fullmatch(i.title) or MEASURES_TITLE_RE.fullmatch(i.title) for i in sec.initiatives]
    if not any(titles):
        return
    items: list[Initiative] = []
    intro = list(sec.intro)
    targets = 0  # items still to read as targets, after a line 具体目标 alone
    for i, item in enumerate(sec.initiatives):
        body = NormText.of(text[item.title_end : item.end], item.title_end)
        rest = body.norm.lstrip(":;,。 ")
        lead = len(body.norm) - len(rest)
        kind = "" if item.kind != "initiative" else "targets" if TARGETS_TITLE_RE.fullmatch(item.title) else ""
        kind = kind or ("measures" if item.kind == "initiative" and MEASURES_TITLE_RE.fullmatch(item.title) else "")
        if kind == "targets":
            after = MEASURES_AFTER_RE.search(rest)
            if after is None:  # 具体目标:税收增长5%… (or a line of its own, over the next item or up to 主要举措)
                intro.append(Paragraph(text[item.start : item.end], item.start, item.end))
                if not rest:
                    later = [t for t in titles[i + 1 :] if t and MEASURES_TITLE_RE.fullmatch(t.group())]
                    targets = len(sec.initiatives) if later else 1
                continue
            # 具体目标:…;主要举措:…: the targets the section's text, the rest an item of its measures
            split, _ = body.span(lead + after.start(), lead + after.start())
            intro.append(Paragraph(text[item.start : split].rstrip(), item.start, split))
            if not rest[after.end() :].strip():  # …。主要措施: / its measures on the lines that follow
                continue
            item.start = split
            lead += after.end()
            kind = "measures"
        elif kind == "" and targets and item.kind == "initiative":
            targets -= 1
            intro.append(Paragraph(text[item.start : item.end], item.start, item.end))
            continue
        if kind != "measures":
            items.append(item)
            continue
        targets = 0
        if not rest:  # 主要举措 alone on its line: the items follow
            intro.append(Paragraph(text[item.start : item.end], item.start, item.end))
            continue
        # From the colon on: a run numbered 1.…2.… counts after one.
        start, _ = body.span(lead - 1 if lead and body.norm[lead - 1] == ":" else lead, lead)
        line = Line(text[start : item.end], start, item.end, normalise(text[start : item.end]))
        points = enumerations(line, 2)
        if len(points) >= 2:  # 主要举措:一是…;二是…: each point an item
            items.extend(point_item(text, sec, 0, point) for point in points)
            continue
        lead += enum_skip(body.norm[lead:])
        cut = _clause_end(body.norm, lead)
        item.title = body.norm[lead:cut]
        item.title_start, item.title_end = body.span(lead, cut)
        items.append(item)
    order = 0
    for item in items:
        if item.kind == "initiative":
            order += 1
            item.order, item.key = order, f"{sec.key}/initiative-{order}"
    sec.initiatives = items
    sec.intro = sorted(intro, key=lambda p: p.start)


def enum_skip(norm: str, raw: str = "") -> int:
    """The length of a paragraph's enumeration (一是, 第一,, 1、, 1., (1), and ① when its ``raw``
    text is given: NFKC writes it 1), 0 if none."""
    if norm[:1] and decoration(norm[0]):
        return 1  # ●加装电梯25台: a bulleted point's bullet
    if raw and raw[0] in CIRCLED:
        circled = ITEM_CIRCLED_RE.match(norm)
        return circled.start(2) if circled and circled.group(2) else 0
    skip = enum_prefix(norm)
    if skip:
        return skip
    m = ITEM_ORDINAL_RE.match(norm) or ITEM_RE.match(norm) or ITEM_PAREN_RE.match(norm)
    return m.start(2) if m and m.group(2) else 0


def _sections_of_listed_paragraphs(report: Report) -> None:
    """A part with no sections whose paragraphs are listed (一是…, 第一,…, 1、…: a speech's work,
    a town report's goals): one section titled as the part, each listed paragraph its item
    (:func:`_items_from_paragraphs`); the paragraphs around the list stay the part's."""
    for part in report.parts:
        if part.sections or any(w in part.title for w in PROSE_WORDS):
            continue
        listed = [p for p in part.intro if p.bullet or enum_skip(normalise(p.text), p.text)]
        if len(listed) < 2:
            _section_of_an_enumeration(report, part)
            continue
        # Its heading is the part's: its span opens there (a selector runs from a node's start to its title's end).
        key, end = f"{part.key}/section-1", listed[-1].end
        sec = Section(key, 1, part.title, part.title_start, part.title_end, part.start, end)
        sec.intro = listed
        part.intro = [p for p in part.intro if p not in listed]
        part.sections.append(sec)


def _section_of_an_enumeration(report: Report, part: Part) -> None:
    """A part with no sections whose paragraph enumerates its work (…重点抓好以下工作:一是强化理论
    武装,…;二是…;三是…): one section titled as the part, each point an item titled by its first
    clause; the paragraph's lead stays the part's text."""
    for para in part.intro:
        if SHORTCOMINGS_RE.search(normalise(para.text)):
            continue  # 我们也清醒地看到:一是…: the shortcomings, no work
        points = enumerations(Line(para.text, para.start, para.end, normalise(para.text)))
        if len(points) >= 2:
            break
    else:
        return
    sec = Section(f"{part.key}/section-1", 1, part.title, part.title_start, part.title_end, part.start, para.end)
    sec.initiatives = [point_item(report.text, sec, order, point) for order, point in enumerate(points, 1)]
    # The words before the first point (在民生方面,全年投入…3200万元,重点做好三件事:) stay the part's.
    lead = report.text[para.start : points[0].start].rstrip()
    kept = [Paragraph(lead, para.start, para.start + len(lead))] if lead else []
    part.intro = [q for p in part.intro for q in (kept if p is para else [p])]
    part.sections.append(sec)


def point_item(text: str, sec: Section, order: int, point: EnumItem) -> Initiative:
    """An enumerated point (一是强化理论武装,…) as a work item of ``sec``, titled by its first clause."""
    nt = NormText.of(text[point.start : point.end], point.start)
    skip = enum_skip(nt.norm, text[point.start : point.end])
    cut = _clause_end(nt.norm, skip)
    t_start, t_end = nt.span(skip, cut)
    return Initiative(
        f"{sec.key}/initiative-{order}", "initiative", order, nt.norm[skip:cut], t_start, t_end, point.start, point.end
    )


def _projects_from_tables(report: Report) -> None:
    """A table of practical projects (序号⇥项目名称⇥主要内容⇥责任单位) under a heading that
    says so: each row a project, titled by its name column; of key projects (项目名称⇥总投资…
    under 2024年重点项目), each row an initiative; so too under a line that says so (计划实施为民办
    实事项目10项:) whatever the heading."""
    for part in report.parts:
        for sec in part.sections:
            if sec.initiatives:
                continue
            key = about_key_projects(sec.title, part.title)
            titled = about_projects(sec.title, part.title) or key
            for table in report.tables:
                inside = sec.start <= table.start <= sec.end or any(p.start <= table.start <= p.end for p in sec.intro)
                if not inside or len(table.rows) < 2:
                    continue
                lead = normalise(report.text[sec.start : table.start].rstrip().rsplit("\n", 1)[-1])
                if titled:
                    kind = "initiative" if key else "project"
                elif lead.endswith(":") and (about_projects(lead) or about_key_projects(lead)):
                    kind = "project" if about_projects(lead) else "initiative"
                else:
                    continue
                for para in sec.intro:  # the lead's paragraph took the rows in: they are the items' now
                    if para.start < table.start <= para.end:
                        para.end = para.start + len(report.text[para.start : table.start].rstrip())
                        para.text = report.text[para.start : para.end]
                header = [normalise(report.text[s:e]) for s, e in table.rows[0]]
                col = next(
                    (i for key in ("名称", "项目", "内容") for i, h in enumerate(header) if key in h),
                    1 if serial_column(report.text, table) else 0,
                )
                duty = [(i, r) for i, h in enumerate(header) if (r := column_role(h))]
                order = 0
                for row in table.rows[1:]:
                    first = normalise(report.text[row[0][0] : row[0][1]])
                    name = normalise(report.text[row[col][0] : row[col][1]]) if col < len(row) else ""
                    if not name.strip("—-/") or first in TOTAL_ROWS:
                        continue  # 合计⇥⇥⇥303.6⇥75.3: the table's total, no project
                    order += 1
                    s, e = row[col]
                    sec.initiatives.append(
                        Initiative(
                            f"{sec.key}/{kind}-{order}",
                            kind,
                            order,
                            normalise(report.text[s:e]),
                            s,
                            e,
                            row[0][0],
                            row[-1][1],
                            units=[
                                (role, n)
                                for i, role in duty
                                if i < len(row)
                                for n in names(report.text[slice(*row[i])])
                            ],
                        )
                    )


def _tasks_from_tables(report: Report) -> None:
    """A 工作要点's table of tasks (序号⇥工作任务⇥牵头科室⇥责任单位⇥完成时限) right under a part
    with no sections: one section titled as the part, each row a work item titled by its task's
    first clause, with the offices its columns name."""
    for part in report.parts:
        if part.sections:
            continue
        tables = [t for t in report.tables if part.start <= t.start <= part.end and len(t.rows) > 1]
        tasks = []
        for table in tables:
            header = [normalise(report.text[s:e]) for s, e in table.rows[0]]
            col = next((i for i, h in enumerate(header) if h in TASK_WORDS), None)
            if col is not None and any(column_role(h) for h in header):
                tasks.append((table, header, col))
        if not tasks:
            continue
        sec = Section(f"{part.key}/section-1", 1, part.title, part.title_start, part.title_end, part.start, part.end)
        part.sections.append(sec)
        sec.intro, part.intro = part.intro, []
        for table, header, col in tasks:
            duty = [(i, r) for i, h in enumerate(header) if (r := column_role(h))]
            for row in table.rows[1:]:
                if col >= len(row) or row[col][1] <= row[col][0]:
                    continue
                s, e = row[col]
                nt = NormText.of(report.text[s:e], s)
                cut = _clause_end(nt.norm, 0)
                t_start, t_end = nt.span(0, cut)
                order = len(sec.initiatives) + 1
                item = Initiative(
                    f"{sec.key}/initiative-{order}",
                    "initiative",
                    order,
                    nt.norm[:cut],
                    t_start,
                    t_end,
                    row[0][0],
                    row[-1][1],
                )
                item.units = [(role, n) for i, role in duty if i < len(row) for n in names(report.text[slice(*row[i])])]
                sec.initiatives.append(item)
        sec.intro = [p for p in sec.intro if not any(t.start <= p.start < t.end for t, _h, _c in tasks)]


def _items_from_paragraphs(report: Report) -> None:
    """A section whose paragraphs open with no lead sentence (推广“三会一代理”经验,力争…。):
    each paragraph is a work item, titled by its first clause (a table is none)."""
    table_starts = {t.start for t in report.tables if len(t.rows) > 1}
    for part in report.parts:
        for sec in part.sections:
            if sec.initiatives or not sec.intro or any(w in sec.title for w in SHORTCOMING_TITLES):
                continue  # 三、存在的主要问题 / 一是历史建筑保护修缮进度滞后…: shortcomings, no work
            if RESULTS_RE.search(sec.title) or AIMS_TITLE_RE.match(sec.title):
                continue
            order = 0
            style: str | None = None  # how the first listed paragraph is numbered: (1), ①, 1., 一是
            # A table is no item, nor a paragraph on shortcomings: they stay its text.
            tables = [p for p in sec.intro if p.start in table_starts or SHORTCOMINGS_RE.search(normalise(p.text))]
            # …收支情况如下(单位:万元): right above a table: the table's lead, no work item.
            tables += [p for p in sec.intro if _leads_a_table(report, p)]
            for para, titled, body in _titled_paragraphs([p for p in sec.intro if p not in tables]):
                listed = titled is None and enum_skip(normalise(para.text), para.text) > 0
                numbered = numbering(para.text, normalise(para.text)) if listed else None
                style = style or numbered
                if numbered is not None and numbered != style and sec.initiatives:
                    _point(sec.initiatives[-1], para)  # ① under (3)城市建设提质增效。: its point
                    continue
                norm = normalise(para.text)
                as_line = Line(para.text, para.start, para.end, norm, para.bullet)
                points = enumerations(as_line) if titled is None else []
                if (enum_prefix(norm) or bullet_points(as_line)) and len(points) >= 2:  # 一是推动…;二是…, ●…;●…
                    for point in points:
                        order += 1
                        sec.initiatives.append(point_item(report.text, sec, order, point))
                    continue
                order += 1
                if titled is not None:  # 加装电梯提速扩面。 alone, then its paragraph
                    t_start, t_end, title = titled
                    item = Initiative(
                        f"{sec.key}/initiative-{order}",
                        "initiative",
                        order,
                        title,
                        t_start,
                        t_end,
                        para.start,
                        body[-1].end if body else para.end,
                    )
                    if body:
                        item.enumerations = enumerations(Line(body[0].text, body[0].start, body[0].end, ""))
                    sec.initiatives.append(item)
                    continue
                sec.initiatives.append(
                    paragraph_item(Line(para.text, para.start, para.end, normalise(para.text)), sec, order)
                )
            sec.intro = tables


def paragraph_item(line: Line, sec: Section, order: int) -> Initiative:
    """A paragraph with no lead sentence as a work item of ``sec``, titled by its first clause past
    its number and what only frames it (今年以来, 同时)."""
    nt = NormText.of(line.raw, line.start)
    skip = enum_skip(nt.norm, line.raw)
    cut = _clause_end(nt.norm, skip)
    while FRAMING_RE.match(nt.norm[skip:cut]) and cut + 1 < len(nt.norm):
        skip = cut + 1
        skip += enum_prefix(nt.norm[skip:])
        cut = _clause_end(nt.norm, skip)
    t_start, t_end = nt.span(skip, cut) if cut > skip else (line.start, line.end)
    item = Initiative(
        f"{sec.key}/initiative-{order}", "initiative", order, nt.norm[skip:cut], t_start, t_end, line.start, line.end
    )
    item.enumerations = enumerations(line)
    return item


def _point(item: Initiative, para: Paragraph) -> None:
    """A paragraph numbered otherwise than the items above it: a point of the last item."""
    nt = NormText.of(para.text, para.start)
    skip = enum_skip(nt.norm, para.text)
    title = nt.norm[skip : _clause_end(nt.norm, skip)]
    item.enumerations.append(EnumItem(len(item.enumerations) + 1, nt.norm, para.start, para.end, title))
    item.end = para.end


def _leads_a_table(report: Report, para: Paragraph) -> bool:
    """Whether ``para`` is a line ending with a colon and the table under it (its rows extend it)."""
    for t in report.tables:
        if para.start < t.start <= para.end:
            lead = report.text[para.start : t.start].strip()
            return "\n" not in lead and lead.endswith((":", "："))
    return False


def _titled_paragraphs(
    paragraphs: list[Paragraph],
) -> list[tuple[Paragraph, tuple[int, int, str] | None, list[Paragraph]]]:
    """A section's paragraphs, each a work item: a short sentence alone on its line (a web copy's
    lead sentence set apart) with the paragraphs under it as its body, else each paragraph alone."""
    out: list[tuple[Paragraph, tuple[int, int, str] | None, list[Paragraph]]] = []
    for para in paragraphs:
        titled = title_line(Line(para.text, para.start, para.end, normalise(para.text)))
        if titled is None and out and out[-1][1] is not None:
            out[-1][2].append(para)
        else:
            out.append((para, titled, []))
    return out


def _clause_end(norm: str, start: int) -> int:
    """Where the clause from ``start`` ends: at its punctuation, not at the comma of 4,200."""
    for i in range(start + 1, len(norm)):
        c = norm[i]
        if c in CLAUSE_ENDS and not (c == "," and norm[i - 1].isdigit() and norm[i + 1 : i + 2].isdigit()):
            return i
    return len(norm)
