"""The curation layer: the loader's errors, and the completeness of the glossary content."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest

from kg.curation import load_curation
from kg.errors import CurationError
from kg.parsing.coverage import number_coverage
from kg.parsing.report import parse_file
from kg.resources import CURATION, DEFAULT_REPORT
from kg.text import normalise

REQUIRED_UNQUOTED = [
    "城运中心",
    "综治中心",
    "两网融合",
    "扫黑除恶",
    "业委会",
    "自治金",
    "睦邻点",
    "家门口服务站",
    "联勤联动站",
    "美丽家园",
    "美丽街区",
    "缤纷社区",
    "长者照护之家",
    "健康驿站",
    "食物银行",
    "十四五",
    "中央八项规定",
    "居民区",
    "片区",
    "楼组",
]
SHORTHANDS = ["三会一代理", "五个力", "一城三指", "五大倍增行动", "1+2+3+7", "七彩南码头", "五违四必", "四风", "两委"]


@pytest.fixture(scope="module")
def curation():
    return load_curation(CURATION)


@pytest.fixture(scope="module")
def report():
    return parse_file(DEFAULT_REPORT)


def test_entry_count_and_types(curation):
    types = Counter(t.type for t in curation.terms)
    assert len(curation.terms) >= 80
    assert types["officialNote"] == 10
    assert len(types) >= 8


def test_every_official_note_is_curated(curation, report):
    for note in report.notes:
        entry = curation.term(note.term)
        assert entry is not None and entry.note == note.number and entry.type == "officialNote", note.term


def test_every_quoted_string_is_an_entry_or_excluded(built):
    # The build report lists quoted strings that are neither.
    assert built.sources()[0]["unclassified_quotes"] == []


def test_exclusions_have_reasons_and_exist(curation, report):
    quoted = {q.text for q in report.quotes}
    for text, reason in curation.excluded_quotes.items():
        assert reason.strip()
        assert text in quoted, f"excluded quote {text!r} does not occur in the report"


def test_required_unquoted_terms(curation):
    missing = [t for t in REQUIRED_UNQUOTED if curation.term(t) is None]
    assert not missing


def test_shorthands_have_components(curation):
    for label in SHORTHANDS:
        entry = curation.term(label)
        assert entry is not None and entry.components, label


def test_entries_are_complete(curation):
    for t in curation.terms:
        assert t.en.strip(), t.zh
        assert t.definition.en.strip(), t.zh
        assert t.note is not None or t.definition.zh.strip(), t.zh


def test_related_terms_exist(curation):
    for t in curation.terms:
        for rel in t.related:
            assert curation.term(rel) is not None, (t.zh, rel)


def test_every_work_item_is_curated(built):
    assert built.sources()[0]["uncurated_work_items"] == []


def test_number_coverage(built):
    numbers = built.sources()[0]["numbers"]
    assert numbers["unaccounted"] == []
    assert numbers["quantities"] >= 100


def test_quantity_label_overrides_all_match(built):
    assert built.report["unused_quantity_labels"] == []


def test_coverage_flags_an_unexplained_number(curation):
    from kg.parsing.report import parse_report

    r = parse_report("报告\n一、2020年工作回顾\n(一)稳\n工作平稳。完成7号楼改造,新建设施12个,型号X9。\n", "t")
    cov = number_coverage(r, curation.ignored_numbers)
    assert [u[2] for u in cov.unaccounted] == ["9"]  # 7号 is a name, 12个 a quantity, X9 unexplained


def test_entities_are_linked_from_initiatives(kg):
    q = """PREFIX nmt: <https://w3id.org/nanmatou/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?entity ?item WHERE { ?item nmt:mentions ?e . ?e rdfs:label ?entity ; dcterms:type ?kind .
  ?item a nmt:Initiative . FILTER (LANG(?entity) = "zh") }"""
    res = kg("query", "-", "--format", "json", input=q)
    rows = json.loads(res.output)["results"]["bindings"]
    names = {r["entity"]["value"] for r in rows}
    assert {"金星居民区", "喜马拉雅", "上海市浦东协力社会治理促进中心"} <= names


def test_malformed_curation_names_file_and_line(tmp_path):
    bad = tmp_path / "c"
    shutil.copytree(CURATION, bad)
    (bad / "structure.yaml").write_text(
        "initiatives:\n  - zh: 某举措\n    en: x\n    dimensions:\n      - {id: violet, primary: true}\n",
        encoding="utf-8",
    )
    with pytest.raises(CurationError, match=r"structure\.yaml:5: unknown dimension 'violet'"):
        load_curation(bad)
    (bad / "structure.yaml").write_text("initiatives: []\n", encoding="utf-8")
    (bad / "terms.yaml").write_text("terms:\n  - zh: 甲\n    en: a\n    type: gadget\n", encoding="utf-8")
    with pytest.raises(CurationError, match=r"terms\.yaml:2: unknown type 'gadget'"):
        load_curation(bad)
    (bad / "terms.yaml").write_text("terms:\n  - zh: 甲\n    type: slogan\n", encoding="utf-8")
    with pytest.raises(CurationError, match=r"terms\.yaml:2: missing 'en'"):
        load_curation(bad)


def test_labels_are_as_written(curation, report):
    body = normalise(report.text)
    for t in curation.terms:
        forms = [t.zh, *t.alt_zh]
        if t.type != "officialNote" and t.zh not in ("家门口服务站", "家门口信访服务点"):
            assert any(normalise(f) in body for f in forms), t.zh


def test_loader_refuses_the_comma_cut_and_unknown_keys(tmp_path):
    """YAML's trap: in an unquoted flow mapping an ASCII comma cuts the Chinese text (issue 13, item 5)."""
    bad = tmp_path / "c"
    shutil.copytree(CURATION, bad)
    (bad / "structure.yaml").write_text(
        "initiatives:\n  - zh: 某举措\n    en: x\n    dimensions:\n"
        "      - {id: blue, primary: true, basis: editorial, rationale: {zh: 解决飞线充电,减少安全隐患。, en: y}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CurationError, match=r"structure\.yaml:5: unknown key '减少安全隐患。'.*ASCII comma"):
        load_curation(bad)
    (bad / "structure.yaml").write_text("initiatives: []\n", encoding="utf-8")
    (bad / "terms.yaml").write_text(
        "terms:\n  - zh: 甲\n    en: a\n    type: slogan\n    defintion: x\n", encoding="utf-8"
    )
    with pytest.raises(CurationError, match=r"terms\.yaml:2: unknown key 'defintion'"):
        load_curation(bad)


def test_no_rationale_is_cut(curation):
    for entry in curation.structure.values():
        for a in entry.alignments:
            assert not a.rationale.zh.endswith(("、", ",")), (entry.zh, a.rationale.zh)
    assert any(
        a.rationale.zh == "解决飞线充电,减少安全隐患。" for e in curation.structure.values() for a in e.alignments
    )


def test_alignments_have_rationales_and_continuations_agree_or_say_why(curation):
    """Issue 13, item 8: every alignment is argued; a continuation shares its primary dimension or says why not."""
    primary = {zh: next((a.dimension for a in e.alignments if a.primary), None) for zh, e in curation.structure.items()}
    for zh, entry in curation.structure.items():
        for a in entry.alignments:
            assert a.rationale.zh and a.rationale.en, (zh, a.dimension)
        if not entry.alignments or not entry.continues:
            continue
        earlier = {primary.get(normalise(c)) for c in entry.continues}
        mine = primary[zh]
        if mine not in earlier:
            why = " ".join(a.rationale.en for a in entry.alignments if a.primary)
            assert "continue" in why, (zh, mine, earlier)
    # Heading basis only where the item's own heading names the dimension, not its section's.
    for zh, entry in curation.structure.items():
        for a in entry.alignments:
            if a.basis == "heading":
                assert "section heading" not in a.rationale.en.lower() or not a.primary, (zh, a.rationale.en)


def test_no_alt_label_repeats_the_label(curation):
    for t in curation.terms:
        assert t.en not in t.alt_en and t.zh not in t.alt_zh, t.zh


def test_a_component_counts_a_positive_number_or_none(tmp_path):
    """`count: null`: the part of 1+3+N that counts no fixed number; 0, -1, yes or "3" are refused."""
    folder = tmp_path / "c"
    shutil.copytree(CURATION, folder)
    entry = "terms:\n  - zh: 1+3+N\n    en: x\n    type: slogan\n    components:\n"
    parts = "      - {label: {zh: 中心, en: centre}, count: 1}\n      - {label: {zh: 站, en: stations}, count: 3}\n"
    (folder / "terms.yaml").write_text(entry + parts + "      - {label: {zh: 点, en: points}, count: null}\n", "utf-8")
    t = next(t for t in load_curation(folder).terms if t.zh == "1+3+N")
    assert [c.count for c in t.components] == [1, 3, None]
    for bad in ("0", "-1", "yes", '"3"'):
        (folder / "terms.yaml").write_text(entry + f"      - {{label: {{zh: 点, en: p}}, count: {bad}}}\n", "utf-8")
        with pytest.raises(CurationError, match=r"terms\.yaml:6: component 'count' must be a positive integer"):
            load_curation(folder)
