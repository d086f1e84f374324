"""kg metrics: the quantity competency questions, filters and formats."""

from __future__ import annotations

import csv
import io

import pytest

from .conftest import norm


def _find(rows, want):
    out = []
    for r in rows:
        if "label_contains" in want and norm(want["label_contains"]) not in norm(r["label"]):
            continue
        if abs(r["value"] - want["value"]) > 1e-6 or r["unit"] != want["unit"]:
            continue
        out.append(r)
    return out


@pytest.mark.parametrize("cq", ["CQ11", "CQ12", "CQ13", "CQ14"])
def test_quantity_questions(kg_json, questions, cq):
    rows = kg_json("metrics", "--json")["results"]
    for want in questions[cq]["expect"]:
        found = _find(rows, want)
        assert found, (cq, want)
        r = found[0]
        if "change_percent" in want:
            assert r["change_percent"] == pytest.approx(want["change_percent"])
        if "approx" in want:
            assert r["approx"] is want["approx"]


def test_filter_and_shape(kg_json):
    rows = kg_json("metrics", "警情", "--json")["results"]
    assert {r["value"] for r in rows} >= {2075, 836, 217}
    keys = {
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
    }
    assert all(set(r) == keys for r in rows)
    assert all(r["raw"] in r["quote"] for r in rows)
    assert kg_json("metrics", "美元", "--json")["results"][0]["value"] == 5_000_000


def test_csv(kg):
    out = kg("metrics", "起", "--csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(r["unit"] == "起" or "起" in r["label"] + r["section"] for r in rows)
