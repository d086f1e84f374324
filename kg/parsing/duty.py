"""Who is to do a work item: the offices a 工作要点 or a projects list names for it.

Reports name them in a bracket after the item (``(牵头单位:经济发展办公室、投资促进中心;配合单位:
各社区(村))``, ``(责任单位:社会事务办)``) or in a table's column (``序号⇥项目名称⇥…⇥责任单位``).
Each office is read with its role: ``lead`` (责任, 牵头, 主责, 实施, 主办) or ``partner`` (配合,
协办, 参与). A blanket ``各社区(村)`` (every community) names no one office and is left out.
"""

from __future__ import annotations

import re

from kg.parsing.model import Report
from kg.text import normalise

LEAD_WORDS = ("责任", "牵头", "主责", "实施", "主办", "负责")
PARTNER_WORDS = ("配合", "协办", "参与", "协同")
_ROLE = r"(" + "|".join(LEAD_WORDS + PARTNER_WORDS) + r")(?:单位|部门|科室|处室)"
# One level of brackets inside (各社区(村)); the names run to the next ; or the bracket's end.
_INNER = r"(?:[^()]|\([^()]*\))"
BRACKET_RE = re.compile(r"\((" + _ROLE + r":" + _INNER + r"*)\)")
CLAUSE_RE = re.compile(_ROLE + r":((?:[^();]|\([^()]*\))+)")
# A table's column of who does it: 责任单位, 牵头单位, 责任部门, 实施主体.
COLUMN_RE = re.compile(r"^(?:" + _ROLE + r"|实施主体|责任主体)$")
_SPLIT_RE = re.compile(r"[、,，/]|\s+")
NAME_MAX = 20  # an office's name; longer is a sentence, no name


def role_of(word: str) -> str:
    """``lead`` or ``partner`` for the word a bracket or a column opens with (牵头, 配合)."""
    return "partner" if word in PARTNER_WORDS else "lead"


def names(text: str) -> list[str]:
    """The offices a cell or a bracket lists (经济发展办公室、投资促进中心), in order, once each."""
    out: list[str] = []
    for name in _SPLIT_RE.split(normalise(text)):
        name = name.strip("。;:")
        if name and not name.startswith("各") and len(name) <= NAME_MAX and name not in out:
            out.append(name)
    return out


def units_in(text: str) -> list[tuple[str, str]]:
    """(role, office) pairs of every responsibility bracket in ``text`` (an item's text)."""
    out: list[tuple[str, str]] = []
    for bracket in BRACKET_RE.finditer(normalise(text)):
        for clause in CLAUSE_RE.finditer(bracket.group(1)):
            role = role_of(clause.group(1))
            out += [(role, n) for n in names(clause.group(2)) if (role, n) not in out]
    return out


def column_role(header: str) -> str | None:
    """The role a table's header cell names (责任单位: lead; 配合单位: partner), else None."""
    m = COLUMN_RE.match(normalise(header))
    if m is None:
        return None
    return role_of(m.group(1)) if m.group(1) else "lead"


def responsible_units(report: Report) -> None:
    """Give each work item of ``report`` the offices its own text names in brackets (a table's
    rows have theirs from the table's column already)."""
    for part in report.parts:
        for sec in part.sections:
            for item in sec.initiatives:
                if not item.units:
                    item.units = units_in(report.text[item.start : item.end])
