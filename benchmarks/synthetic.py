"""A synthetic corpus of work reports of the same genre, for scaled benchmarks.

Each report is the packaged report with a distinct title line and seeded
changes to the stated amounts (numbers outside quotes and outside the glossary
notes), so reports differ in their figures while the curated structure and
glossary still apply.
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


def synthetic_report(index: int, seed: int = 2021) -> str:
    """The ``index``-th synthetic report (deterministic)."""
    text = DEFAULT_REPORT.read_text(encoding="utf-8")
    rng = random.Random(seed * 100_003 + index)
    head, sep, notes = text.partition("名词解释")
    lines = head.split("\n")
    lines[0] = f"{lines[0]}(合成样本第{index + 1}份)"

    def vary(m: re.Match[str]) -> str:
        return str(max(2, round(int(m.group(1)) * rng.uniform(0.6, 1.4))))

    body = "\n".join(lines)
    return AMOUNT_RE.sub(vary, body) + sep + notes


def write_corpus(n: int, folder: Path) -> list[Path]:
    """Write ``n`` synthetic reports into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"synthetic-{i + 1:04d}.txt"
        path.write_text(synthetic_report(i), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("synthetic")
    print("\n".join(str(p) for p in write_corpus(count, out)))
