"""A report copied as Markdown: its markup read as the spaces it stands for.

Headings (``## 一、2022年工作回顾``), bold (``**1. 产业能级持续提升。**``), bullets
(``- 御桥科创园二期竣工交付;``), block quotes (``> ——2023年1月11日在…``) and rules
(``---``) are not words of the report; a footnote (``[^1]``, ``[^1]: …``) is a bracketed
marker and note (``[1]``); a pipe table's pipes are tabs, the cells' separators. Each markup
character becomes a space, so every offset still points at the same character of the file and
the normalised text (white space removed) is the plain copy's.
"""

from __future__ import annotations

import re

_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_QUOTE_RE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.MULTILINE)
# A bullet opens words, not a number: - 2 - is a PDF page number.
_BULLET_RE = re.compile(r"^[ \t]*[-*+][ \t]+(?=[^\s\d])", re.MULTILINE)
_RULE_RE = re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.MULTILINE)
_STRONG_RE = re.compile(r"\*\*|__")
# A pipe table's row (| 税收收入(亿元) | 35.0 | 36.8 |): its pipes read as tabs (cells); the rule
# under its header (| --- | --- |) as spaces, a blank line that does not end the table.
_PIPE_ROW_RE = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_PIPE_RULE_RE = re.compile(r"^[ \t]*\|(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*$", re.MULTILINE)
# 指标名称 | 单位 | 目标: three cells or more, pipes between them only, no sentence.
_INNER_PIPE_RE = re.compile(r"[ \t\u3000]\|[ \t\u3000]")
_INNER_PIPE_ROW_RE = re.compile(r"^(?![ \t]*\|)[^|。\n]+(?:[ \t\u3000]\|[ \t\u3000][^|。\n]+){2,}\r?$")
# A footnote's marker [^1] and its definition [^1]: …, read as a bracketed marker and note ([1]).
_FOOTNOTE_RE = re.compile(r"\[\^(\d{1,2})\](:?)")
# A line opening in bold (a heading or a lead sentence set in bold).
_BOLD_LINE_RE = re.compile(r"^[ \t\u3000]*\*\*[^*\n]+\*\*", re.MULTILINE)
# Markdown enough to read it so: two headings or more, or bold with headings or bullets, or two
# lines opening in bold.
_MIN_HEADINGS = 2


def _inner_pipe_rows(text: str) -> str:
    """Rows written ``财政总收入 | 亿元 | 11.5 | 11.86`` (pipes between the cells only), two lines or
    more of as many cells (one such line is a byline: 来源:… | 编辑:…), with their pipes as tabs."""
    lines = text.split("\n")
    cells = [len(_INNER_PIPE_RE.split(ln)) if _INNER_PIPE_ROW_RE.match(ln) else 0 for ln in lines]
    for i, n in enumerate(cells):
        if n and ((i > 0 and cells[i - 1] == n) or (i + 1 < len(cells) and cells[i + 1] == n)):
            lines[i] = _INNER_PIPE_RE.sub(lambda m: m.group().replace("|", "\t"), lines[i])
    return "\n".join(lines)


def is_markdown(text: str) -> bool:
    """Whether ``text`` is a Markdown copy (ATX headings, bold beside headings or bullets, or lines
    opening in bold: **一、2023年工作总结**, 　　**1.经济指标稳中有进。**全年…)."""
    headings = len(_HEADING_RE.findall(text))
    # Bold is ** here (a run of __ is a blank to fill in: 联系人:__________).
    if headings >= _MIN_HEADINGS or ("**" in text and headings + len(_BULLET_RE.findall(text)) > 0):
        return True
    return len(_BOLD_LINE_RE.findall(text)) >= _MIN_HEADINGS


def unmark(text: str) -> str:
    """``text`` with its Markdown markup as spaces (the same length, line ends kept); of a text
    that is not Markdown, only its pipe tables (a WPS or Excel copy's: | 项目 | 2022年 | 2023年 |)."""
    if "|" in text:
        text = _PIPE_RULE_RE.sub(lambda m: " " * len(m.group()), text)
        text = _PIPE_ROW_RE.sub(lambda m: m.group().replace("|", "\t"), text)
        text = _inner_pipe_rows(text)
    if not is_markdown(text):
        return text
    for pattern in (_RULE_RE, _HEADING_RE, _QUOTE_RE, _BULLET_RE, _STRONG_RE):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    # [^1] → " [1]", [^1]: → " [1] ": the same length, the number where it stood.
    return _FOOTNOTE_RE.sub(lambda m: f" [{m.group(1)}]" + " " * len(m.group(2)), text)
