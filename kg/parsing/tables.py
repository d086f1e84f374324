"""Tables pasted into a report: cells apart by tabs or aligned with runs of spaces.

``指标 / 2022年 / 2023年 / 增长%`` then ``税收收入(亿元) / 15.62 / 16.87 / 8.0``: the rows are
neither work items nor prose (read as prose, their cells ran together: 15.6216). Each number in
a data row is a quantity labelled by its row, of the year its column names (else labelled by
the column too), in the unit its cell writes, else the unit its row names in brackets
(亿元: ×10⁸ 元), else % for a column of rates.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from kg.parsing.model import Quantity, Table
from kg.parsing.units import MULT, UNIT_AS_WRITTEN, UNIT_RE, tidy_value
from kg.text import normalise

# A cell ends at a tab or at two spaces or more (ASCII or full-width).
_CELL_RE = re.compile(r"(?:(?!\t|[ \u3000]{2,})[^\r\n])+")
MIN_CELLS = 3
_LABEL_UNIT_RE = re.compile(r"^(.*?)[(（]([^()（）]{1,6})[)）]$")  # 税收收入(亿元)
_NUMBER_RE = re.compile(r"^([-+]?\d[\d,]*(?:\.\d+)?)(万|亿)?(m2|[^\d%]{0,4}?)(%)?$")  # NFKC: ㎡ is m2
_SCALE = {k: MULT[k] for k in ("万", "亿")}
_YEAR_RE = re.compile(r"(\d{4})年")
BOUND_CELL_RE = re.compile(r"^(?:≤|≥|<=|>=|<|>|不低于|不高于|不超过)")
_ROW_YEAR_RE = re.compile(r"(\d{4})年?度?")  # a row's first cell a year: 2018年, 2018, 2018年度


UNIT_HEADS = ("单位", "计量单位")  # a column of the rows' units
CHANGE_HEADS = ("增长", "增幅", "同比", "增减")  # a column of changes
# 单位:万元 (or (单位:亿元) in the sentence) just above a table: its cells' unit.
TABLE_UNIT_RE = re.compile(r"(?:计量)?单位:([^\s),;。]{1,6})\)?:?\s*$")
TABLE_UNIT_REACH = 24
CELL_MAX = 20  # a table's cells are short: a longer run between wide spaces is prose
TASK_CELL_MAX = 60  # …unless the row goes on with a table of as many cells (a 工作要点's tasks)


def row_cells(raw: str, start: int, minimum: int = MIN_CELLS, cell_max: int = CELL_MAX) -> list[tuple[int, int]] | None:
    """The raw spans of a line's cells when it reads as a table row: three cells or more, each
    short and none a sentence (prose with a few wide spaces in it is no row)."""
    if "\t" not in raw and not re.search(r"[ \u3000]{2,}", raw.strip()):
        return None
    if "。" in raw or re.match(r"^\s*\d{1,2}\s*[.、]", raw):
        return None
    cells = []
    if "\t" in raw:  # a tab parts cells, an empty one too (48.5⇥25.6⇥⇥+9.4%: no 备注 there)
        pos = 0
        for text in raw.split("\t"):
            lead = len(text) - len(text.lstrip())
            s = start + pos + lead
            cells.append((s, s + len(text.strip())))
            pos += len(text) + 1
        return cells if sum(1 for s, e in cells if e > s) >= minimum else None
    for m in _CELL_RE.finditer(raw):
        text = m.group()
        lead = len(text) - len(text.lstrip())
        body = text.strip()
        if body:
            cells.append((start + m.start() + lead, start + m.start() + lead + len(body)))
    # Space-aligned cells are short; tabs say cells whatever their length (项目名称⇥主要内容⇥…).
    if len(cells) < minimum or any(e - s > cell_max for s, e in cells[1:]):
        return None
    return cells


def resplit_header(text: str, header: list[tuple[int, int]], cells: int) -> list[tuple[int, int]] | None:
    """A header row whose cells a single space parts somewhere (序号　指标名称), split at every
    space when that makes as many cells as the rows under it have, else None."""
    out = [(s + m.start(), s + m.end()) for s, e in header for m in re.finditer(r"[^ \u3000\t]+", text[s:e])]
    return out if len(out) == cells and len(out) > len(header) else None


def serial_column(text: str, table: Table) -> bool:
    """Whether the table's first column numbers its rows (序号 / 1 / 2 …)."""
    s, e = table.rows[0][0]
    return normalise(text[s:e]) in ("序号", "编号", "序")


def table_quantities(
    text: str, table: Table, container: str, year: str | None, rows: list[list[tuple[int, int]]] | None = None
) -> list[Quantity]:
    """The quantities of a table's data ``rows`` (all but its first, the header, by default)."""
    header = [normalise(text[s:e]) for s, e in table.rows[0]]
    half = len(header) // 2
    if half >= 2 and header[:half] == header[half:]:
        # 指标名称 完成值 增幅 指标名称 完成值 增幅: two tables side by side, each row two rows
        body = table.rows[1:] if rows is None else rows
        sides = [
            table_quantities(
                text, Table(table.start, table.end, [r[a:b] for r in table.rows[:1] + body]), container, year
            )
            for a, b in ((0, half), (half, len(header)))
        ]
        return sorted(sides[0] + sides[1], key=lambda q: q.start)
    # 序号 / 指标名称 / 单位 / 目标值 / 完成值: the row is named by the column after its number,
    # and its unit may stand in a column of its own.
    first = 1 if serial_column(text, table) and len(header) > 2 else 0
    unit_col = next((i for i, h in enumerate(header) if h in UNIT_HEADS and i > first), None)
    # 投资(万元) over a column, 单位:万元 above the table: the unit of cells that write none.
    col_units = [u.group(2) if (u := _LABEL_UNIT_RE.match(h)) and _a_unit(u.group(2)) else "" for h in header]
    heads = [u.group(1) if (u := _LABEL_UNIT_RE.match(h)) and _a_unit(u.group(2)) else h for h in header]
    above = TABLE_UNIT_RE.search(normalise(text[max(0, table.start - TABLE_UNIT_REACH) : table.start]))
    table_unit = above.group(1) if above and _a_unit(above.group(1)) else ""
    out: list[Quantity] = []
    for row in table.rows[1:] if rows is None else rows:
        label_text = normalise(text[row[first][0] : row[first][1]]).strip("—-/")
        label_text = label_text or normalise(text[row[0][0] : row[0][1]])  # 合计⇥—⇥303.6: the totals
        m = _LABEL_UNIT_RE.match(label_text)
        # 税收收入(亿元): the row's unit; 老旧小区改造(三期): its name (a phase is no unit of money)
        label, row_unit = (m.group(1), m.group(2)) if m and _a_unit(m.group(2)) else (label_text, "")
        label = _PART_OF_RE.sub("", label) or label  # 其中:地方财政收入: a row of the one above, named alone
        # 年度 / 2018年 / 2019年 …: a row a year, its cells named by their columns, of its year.
        row_year = _ROW_YEAR_RE.fullmatch(label_text)
        if not row_unit and unit_col is not None and unit_col < len(row):
            row_unit = normalise(text[row[unit_col][0] : row[unit_col][1]])
        for col, (s, e) in enumerate(row[first + 1 :], first + 1):
            if col == unit_col:
                continue
            cell = normalise(text[s:e])
            bound = BOUND_CELL_RE.match(cell)  # ≤3, ≥13.5, <5: a target's bound, approximate
            fallback = row_unit or (col_units[col] if col < len(col_units) else "") or table_unit
            q = _cell(cell[bound.end() :] if bound else cell, header[col] if col < len(header) else "", fallback)
            if q is None:
                continue
            value, unit = q
            head = heads[col] if col < len(heads) else ""
            col_year = _YEAR_RE.search(head)
            name = label if col_year and head == col_year.group(0) else f"{label}({head})" if head else label
            if row_year and head:
                name, col_year = head, row_year
            out.append(
                Quantity(
                    value,
                    unit,
                    text[s:e],
                    bound is not None,
                    s,
                    e,
                    f"{label_text}|{head}|{cell}",
                    name,
                    None,
                    col_year.group(1) if col_year else year,
                    container,
                )
            )
    return out


def _a_unit(word: str) -> bool:
    """Whether a bracket's word is a unit (万元, 户, %), not a note (预计)."""
    bare = word[1:] if word[:1] in _SCALE and len(word) > 1 else word
    return word == "%" or UNIT_RE.fullmatch(UNIT_AS_WRITTEN.get(bare, bare)) is not None


_PART_OF_RE = re.compile(r"^其中[::]?(?=..)")
_CELL_WAY_RE = re.compile(r"^(?:下降|减少|降低|增长|增加|提高|上升)(?=\d)")


def _cell(cell: str, head: str, row_unit: str) -> tuple[Decimal, str] | None:
    """A cell's value and unit: its own (20万㎡), else its row's (亿元), else % in a rate column."""
    if cell == "持平" and any(w in head for w in CHANGE_HEADS):
        return Decimal(0), "%"  # level with the year before: a change of 0
    way = _CELL_WAY_RE.match(cell) if any(w in head for w in CHANGE_HEADS) else None
    if way:  # 下降2.7个百分点 in a column of changes: a signed change
        q = _cell(cell[way.end() :], head, row_unit)
        return (-q[0] if way.group() in ("下降", "减少", "降低") else q[0], q[1]) if q else None
    m = _NUMBER_RE.match(cell)
    if m is None:
        return None
    try:
        value = Decimal(m.group(1).replace(",", "")) * _SCALE.get(m.group(2) or "", Decimal(1))
    except InvalidOperation:
        return None
    unit = "%" if m.group(4) else UNIT_AS_WRITTEN.get(m.group(3), m.group(3))
    if unit and unit != "%" and UNIT_RE.fullmatch(m.group(3)) is None:
        return None  # 12月底, 2号楼, 2024年: no amount of anything
    if unit == "个百分点":
        unit = "百分点"  # as the prose's (+0.8个百分点)
    if not unit:
        if "%" in head or head.endswith("率"):
            unit = "%"
        elif row_unit:
            scale = row_unit[0] if row_unit[0] in _SCALE and len(row_unit) > 1 else ""  # 亿元, 万美元
            value *= _SCALE.get(scale, Decimal(1))
            unit = row_unit[len(scale) :]
    if not unit:
        return None
    return tidy_value(value), unit
