"""The report's quantities, filterable by words in label (zh or en), section or unit."""

from __future__ import annotations

import csv
import io
from typing import Any
from weakref import WeakKeyDictionary

from kg.glossary import Glossary, page_of
from kg.parsing.script import simplified
from kg.text import normalise

FIELDS = [
    "label",
    "label_en",
    "value",
    "low",
    "unit",
    "raw",
    "approx",
    "change_percent",
    "period",
    "report",
    "initiative",
    "section",
    "quote",
    "start",
    "end",
]


def metrics(glossary: Glossary, words: str = "") -> list[dict[str, Any]]:
    """Quantities whose label, section, initiative or unit contains every word of ``words``."""
    return select(glossary, words)[0]


def select(
    glossary: Glossary, words: str = "", offset: int = 0, limit: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """``limit`` of the matching quantities from ``offset`` (or all), and how many match in all.

    Only the page is turned into results: at 1,000 reports every quantity (101,443)
    took 2.8 s, and the whole answer is tens of megabytes.
    """
    wanted = [simplified(normalise(w)).lower() for w in words.split() if normalise(w)]
    found = [q for hay, q in _haystacks(glossary) if all(w in hay for w in wanted)]
    return [_result(q) for q in page_of(found, offset, limit)], len(found)


# Each build's quantities with the text a filter searches, worked out once per glossary.
_HAY: WeakKeyDictionary[Glossary, list[tuple[str, dict[str, Any]]]] = WeakKeyDictionary()


def _haystacks(glossary: Glossary) -> list[tuple[str, dict[str, Any]]]:
    found = _HAY.get(glossary)
    if found is None:
        found = []
        for q in glossary.section("quantities"):
            label = _label(q)
            fields = [label["zh"], label["en"], q.get("section"), q.get("initiative"), q.get("unit")]
            # A report in traditional characters labels 稅收收入: found by 税收, as by 稅收.
            found.append((simplified(normalise(" ".join(str(f or "") for f in fields))).lower(), q))
        _HAY[glossary] = found
    return found


def _label(q: dict[str, Any]) -> dict[str, Any]:
    return q["label"] if isinstance(q["label"], dict) else {"zh": q["label"], "en": None}


def _number(value: float | int) -> float | int:
    return int(value) if float(value).is_integer() else value


def _result(q: dict[str, Any]) -> dict[str, Any]:
    value = q["value"]
    return {
        "label": _label(q),
        "value": _number(value),
        "low": None if q.get("low") is None else _number(q["low"]),  # a range's lower bound (3-5个)
        "unit": q["unit"],
        "raw": q["raw"],
        "approx": q["approx"],
        "change_percent": q["change_percent"],
        "period": q["period"],
        "report": q.get("report"),
        "initiative": q["initiative"],
        "section": q["section"],
        "quote": q["quote"],
        "start": q["start"],
        "end": q["end"],
    }


def to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({**r, "label": r["label"]["zh"], "label_en": r["label"]["en"] or ""})
    return "\ufeff" + buf.getvalue()  # the BOM makes Excel read UTF-8 (as the glossary's CSV)
