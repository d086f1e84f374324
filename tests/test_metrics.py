"""kg metrics: the quantity competency questions, filters and formats."""

from __future__ import annotations

import csv
import io

import pytest

from .conftest import norm


def _find(rows, want):
    out = []
    for r in rows:
        if "label_contains" in want and norm(want["label_contains"]) not in norm(r["label"]["zh"]):
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
    }
    assert all(set(r) == keys for r in rows)
    assert all(r["raw"] in r["quote"] for r in rows)
    assert kg_json("metrics", "美元", "--json")["results"][0]["value"] == 5_000_000


def test_csv(kg):
    out = kg("metrics", "起", "--csv").output
    assert out.startswith("\ufeff")  # Excel reads the Chinese as UTF-8 (as the glossary's CSV)
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows and all(r["unit"] == "起" or "起" in r["label"] + r["section"] for r in rows)


def test_every_quantity_has_a_label_in_zh_and_en_and_none_is_a_fragment(kg_json):
    """Issue 13, item 4: labels say what they count, in both languages."""
    rows = kg_json("metrics", "--json")["results"]
    assert len(rows) >= 100
    for r in rows:
        zh, en = r["label"]["zh"], r["label"]["en"]
        assert en and len(en) > 3, r
        assert sum("\u4e00" <= c <= "\u9fff" for c in zh) >= 2, r
    labels = {(r["raw"], r["label"]["zh"]) for r in rows}
    assert ("2834人", "纳入社区健康管理的人员") in labels
    assert ("41名", "帮扶实现就业创业的长期失业青年") in labels
    assert ("86名", "帮扶成功创业的码头创客") in labels
    assert ("4家", "成功申报的标准化学习点") in labels
    assert ("1495件", "调处的各类矛盾纠纷") in labels
    rates = [r["label"]["zh"] for r in rows if r["unit"] == "%" and "调解" in r["label"]["zh"]]
    assert len(rates) == 2 and len(set(rates)) == 2  # the 99% and the 98% are different figures
    assert not any(r["label"]["zh"] in ("发现问题", "解决问题", "解决率") for r in rows)


def test_metrics_filter_in_english(kg_json):
    rows = kg_json("metrics", "mediation", "--json")["results"]
    assert {r["value"] for r in rows} >= {99, 98}


def test_a_page_of_quantities_is_that_slice_of_all_and_counts_them_all(dist):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kg.glossary import Glossary
    from kg.metrics import metrics, select

    g = Glossary.load(dist)
    every = metrics(g, "")
    assert len(every) > 50 and all(r["report"] == "nanmatou-2021-report" for r in every)

    @settings(max_examples=40, deadline=None)
    @given(words=st.sampled_from(["", "警情", "元", "service"]), offset=st.integers(0, 60), limit=st.integers(0, 60))
    def check(words, offset, limit):
        matching = metrics(g, words)
        page, total = select(g, words, offset, limit)
        assert total == len(matching) and page == matching[offset : offset + limit]

    check()


def test_the_metrics_api_pages_with_a_total_and_a_link_to_the_next_page(dist):
    from starlette.testclient import TestClient

    from kg.web.app import create_app
    from kg.web.config import WebConfig

    with TestClient(create_app(WebConfig(dist=dist, workers=1))) as client:
        every = client.get("/api/metrics?limit=1000").json()
        assert every["total"] == len(every["results"]) > 100 and every["offset"] == 0
        first = client.get("/api/metrics")  # 100 by default
        assert first.json()["results"] == every["results"][:100] and first.json()["total"] == every["total"]
        assert first.headers["link"] == '</api/metrics?offset=100&limit=100>; rel="next"'
        r = client.get("/api/metrics", params={"q": "警情", "limit": 2, "offset": 1})
        alarms = client.get("/api/metrics", params={"q": "警情"}).json()
        assert r.json()["results"] == alarms["results"][1:3] and r.json()["total"] == alarms["total"]
        assert "link" not in client.get("/api/metrics", params={"q": "警情", "limit": 1000}).headers
        assert "link" not in client.get("/api/metrics?limit=0").headers  # no page follows an empty one
        for bad in ("limit=x", "limit=1001", "offset=-1"):
            assert client.get(f"/api/metrics?{bad}").status_code == 400, bad
