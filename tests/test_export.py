"""kg export glossary in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS


def test_csv_has_bom_and_rows(kg, dist, tmp_path):
    out = tmp_path / "g.csv"
    assert kg("export", "glossary", "--format", "csv", "--out", str(out)).exit_code == 0
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert any(r["zh"] == "三会一代理" and r["en"] for r in rows)


def test_markdown(kg):
    md = kg("export", "glossary", "--format", "md").output
    assert md.startswith("| 术语 |") and "| 五个力 |" in md


def test_json_and_jsonld(kg):
    data = json.loads(kg("export", "glossary", "--format", "json").output)
    assert any(t["label"]["zh"] == "五个力" for t in data["terms"])
    g = Graph().parse(data=kg("export", "glossary", "--format", "jsonld").output, format="json-ld")
    concepts = set(g.subjects(SKOS.inScheme, None))
    assert len(concepts) == len(data["terms"])


def test_anki(kg):
    lines = kg("export", "glossary", "--format", "anki").output.splitlines()
    assert lines[0] == "#separator:tab"
    cards = [ln for ln in lines if not ln.startswith("#")]
    assert all(ln.count("\t") == 1 for ln in cards)
    assert any(ln.startswith("五个力<br>") and "five capabilities" in ln for ln in cards)


@pytest.mark.parametrize("group", ["dimension", "type"])
def test_html_handout(kg, group):
    page = kg("export", "glossary", "--format", "html", "--group-by", group).output
    assert "@page{size:A4" in page and "break-after:page" in page
    assert "三会一代理" in page
