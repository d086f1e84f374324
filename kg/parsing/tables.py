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


CELL_MAX = 20  # a table's cells are short: a longer run between wide spaces is prose


def row_cells(raw: str, start: int) -> list[tuple[int, int]] | None:
    """The raw spans of a line's cells when it reads as a table row: three cells or more, each
    short and none a sentence (prose with a few wide spaces in it is no row)."""
    if "\t" not in raw and not re.search(r"[ \u3000]{2,}", raw.strip()):
        return None
    if "。" in raw or re.match(r"^\s*\d{1,2}\s*[.、]", raw):
        return None
    cells = []
    for m in _CELL_RE.finditer(raw):
        text = m.group()
        lead = len(text) - len(text.lstrip())
        body = text.strip()
        if body:
            cells.append((start + m.start() + lead, start + m.start() + lead + len(body)))
    # Space-aligned cells are short; tabs say cells whatever their length (项目名称⇥主要内容⇥…).
    if len(cells) < MIN_CELLS or ("\t" not in raw and any(e - s > CELL_MAX for s, e in cells[1:])):
        return None
    return cells


def serial_column(text: str, table: Table) -> bool:
    """Whether the table's first column numbers its rows (序号 / 1 / 2 …)."""
    s, e = table.rows[0][0]
    return normalise(text[s:e]) in ("序号", "编号", "序")


def table_quantities(
    text: str, table: Table, container: str, year: str | None, rows: list[list[tuple[int, int]]] | None = None
) -> list[Quantity]:
    """The quantities of a table's data ``rows`` (all but its first, the header, by default)."""
    header = [normalise(text[s:e]) for s, e in table.rows[0]]
    out: list[Quantity] = []
    for row in table.rows[1:] if rows is None else rows:
        label_text = normalise(text[row[0][0] : row[0][1]])
        m = _LABEL_UNIT_RE.match(label_text)
        label, row_unit = (m.group(1), m.group(2)) if m else (label_text, "")
        for col, (s, e) in enumerate(row[1:], 1):
            cell = normalise(text[s:e])
            q = _cell(cell, header[col] if col < len(header) else "", row_unit)
            if q is None:
                continue
            value, unit = q
            head = header[col] if col < len(header) else ""
            col_year = _YEAR_RE.search(head)
            name = label if col_year and head == col_year.group(0) else f"{label}({head})" if head else label
            out.append(
                Quantity(
                    value,
                    unit,
                    text[s:e],
                    False,
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


def _cell(cell: str, head: str, row_unit: str) -> tuple[Decimal, str] | None:
    """A cell's value and unit: its own (20万㎡), else its row's (亿元), else % in a rate column."""
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
