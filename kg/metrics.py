"""The report's quantities, filterable by words in label (zh or en), section or unit."""

from __future__ import annotations

import csv
import io
from typing import Any

from kg.glossary import Glossary
from kg.text import normalise

FIELDS = [
    "label",
    "label_en",
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
        label = q["label"] if isinstance(q["label"], dict) else {"zh": q["label"], "en": None}
        fields = [label["zh"], label["en"], q.get("section"), q.get("initiative"), q.get("unit")]
        hay = normalise(" ".join(str(f or "") for f in fields)).lower()
        if all(w in hay for w in wanted):
            value = q["value"]
            out.append(
                {
                    "label": label,
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
        w.writerow({**r, "label": r["label"]["zh"], "label_en": r["label"]["en"] or ""})
    return buf.getvalue()
