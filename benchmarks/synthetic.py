"""A synthetic corpus of work reports of the same genre, for scaled benchmarks.

Report ``i`` is written for one of twenty subdistricts (place ``i % 20``) and one year
(2021 + ``i // 20``), so a corpus holds every place's reports as a time series, the way
researchers hold them. Each starts from the packaged report and varies, seeded by ``i``,
the way real reports of the genre differ:

- the place's name everywhere (so its own jargon, 七彩南码头 → 七彩花木, is not the
  curated glossary's) and the years;
- stated amounts (numbers outside quotes and notes);
- part headings: ``一、`` numbered, ``第一部分``, or unnumbered lines;
- section markers in half-width ``(一)`` or full-width ``（一）`` brackets;
- a share of body paragraphs left out (reports differ in length);
- the web-copy header lines (索引号 | 发布机构 …) kept or not; the 名词解释 notes kept or not;
- the file: UTF-8, UTF-8 with a BOM or GB18030; LF or CRLF line ends.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.resources import DEFAULT_REPORT  # noqa: E402

AMOUNT_RE = re.compile(r"(?<![\d.+“])(\d{2,5})(?=(?:余|多)?(?:人次|件|起|户|家|个|名|场|处|人))")
PLACES = [
    "南码头",
    "花木",
    "塘桥",
    "洋泾",
    "陆家嘴",
    "潍坊新村",
    "周家渡",
    "上钢新村",
    "东明路",
    "金杨新村",
    "沪东新村",
    "浦兴路",
    "高行",
    "北蔡",
    "三林",
    "周浦",
    "川沙",
    "张江",
    "金桥",
    "唐镇",
]
NUMERALS = "一二三四五六七八九十"
PART_RE = re.compile(r"^([一二三四五六七八九十])、(.+)$")
SECTION_RE = re.compile(r"^\(([一二三四五六七八九十]+)\)")


def place_and_year(index: int) -> tuple[str, int]:
    """Which subdistrict and year report ``index`` is for."""
    return PLACES[index % len(PLACES)], 2021 + index // len(PLACES)


def synthetic_report(index: int, seed: int = 2021) -> str:
    """The ``index``-th synthetic report's text (deterministic)."""
    text = DEFAULT_REPORT.read_text(encoding="utf-8")
    rng = random.Random(seed * 100_003 + index)
    place, year = place_and_year(index)
    head, sep, notes = text.partition("名词解释")
    if rng.random() < 0.3:
        sep, notes = "", ""  # no glossary notes at the end

    def vary(m: re.Match[str]) -> str:
        return str(max(2, round(int(m.group(1)) * rng.uniform(0.6, 1.4))))

    head = AMOUNT_RE.sub(vary, head)
    part_style = rng.choice(["numbered", "numbered", "bu-fen", "plain"])
    full_width = rng.random() < 0.5
    drop = rng.choice([0.0, 0.0, 0.1, 0.25])
    lines = []
    for n, line in enumerate(head.split("\n")):
        if n in (1, 2) and "|" in line and rng.random() < 0.5:
            continue  # web-copy debris left out
        m = PART_RE.match(line)
        if m and part_style != "numbered":
            line = f"第{m.group(1)}部分 {m.group(2)}" if part_style == "bu-fen" else m.group(2)
        elif SECTION_RE.match(line) and full_width:
            line = SECTION_RE.sub(lambda s: f"（{s.group(1)}）", line, count=1)
        elif n > 12 and drop and len(line) > 40 and not line.startswith(("(", "（")) and rng.random() < drop:
            continue  # a shorter report: this paragraph is not in it
        lines.append(line)
    body = "\n".join(lines) + sep + notes
    body = body.replace("2021", str(year)).replace("20 21", f"{str(year)[:2]} {str(year)[2:]}")
    body = body.replace("2020", str(year - 1))
    body = body.replace("南码头", place)
    return body


def encode(index: int, text: str, seed: int = 2021) -> bytes:
    """The file's bytes: encodings and line ends vary as downloaded reports do."""
    rng = random.Random(seed * 7_919 + index)
    if rng.random() < 0.2:
        text = text.replace("\n", "\r\n")
    kind = rng.choice(["utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030"])
    return text.encode(kind)


def write_corpus(n: int, folder: Path) -> list[Path]:
    """Write ``n`` synthetic reports into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"synthetic-{i + 1:04d}.txt"
        path.write_bytes(encode(i, synthetic_report(i)))
        paths.append(path)
    return paths


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("synthetic")
    print("\n".join(str(p) for p in write_corpus(count, out)))
