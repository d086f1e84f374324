"""The report's quantities, filterable by words in label, section or unit."""

from __future__ import annotations

import csv
import io
from typing import Any

from kg.glossary import Glossary
from kg.text import normalise

FIELDS = [
    "label",
    "value",
    "unit",
    "raw",
    "approx",
    "change_percent",
    "period",
    "initiative",
    "section",
    "quote",
    "start",
    "end",
]


def metrics(glossary: Glossary, words: str = "") -> list[dict[str, Any]]:
    """Quantities whose label, section, initiative or unit contains every word of ``words``."""
    wanted = [normalise(w).lower() for w in words.split() if normalise(w)]
    out = []
    for q in glossary.section("quantities"):
        hay = normalise(" ".join(str(q.get(k) or "") for k in ("label", "section", "initiative", "unit"))).lower()
        if all(w in hay for w in wanted):
            value = q["value"]
            out.append(
                {
                    "label": q["label"],
                    "value": int(value) if float(value).is_integer() else value,
                    "unit": q["unit"],
                    "raw": q["raw"],
                    "approx": q["approx"],
                    "change_percent": q["change_percent"],
                    "period": q["period"],
                    "initiative": q["initiative"],
                    "section": q["section"],
                    "quote": q["quote"],
                    "start": q["start"],
                    "end": q["end"],
                }
            )
    return out


def to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return buf.getvalue()
