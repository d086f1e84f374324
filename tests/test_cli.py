"""The CLI: every command, formats, exit codes, one-line errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg.cli import main


def test_help_has_examples():
    runner = CliRunner()
    for cmd in ["build", "validate", "stats", "query", "queries"]:
        res = runner.invoke(main, [cmd, "--help"])
        assert res.exit_code == 0 and "Example" in res.output, cmd


def test_stats(kg, kg_json):
    data = kg_json("stats", "--json")
    assert data["triples"] == sum(data["graphs"].values())
    assert len(data["graphs"]) == 3
    assert data["classes"]["https://w3id.org/nanmatou/ns#Initiative"] == 33
    assert "triples" in kg("stats").output


def test_validate_conforms(kg):
    res = kg("validate")
    assert res.exit_code == 0 and "Conforms" in res.output


def test_query_formats(kg):
    table = kg("query", "dimensions").output
    assert "红色先锋南码头" in table and "(7 rows)" in table
    csv = kg("query", "dimensions", "--format", "csv").output
    assert csv.splitlines()[0] == "order,label,colour,label_en,display,dimension"
    tsv = kg("query", "dimensions", "--format", "tsv").output
    assert tsv.splitlines()[1].startswith('"1"^^<http://www.w3.org/2001/XMLSchema#integer>\t"红色先锋南码头"@zh')
    stdin = kg("query", "-", "--format", "json", input="ASK { ?s a <https://w3id.org/nanmatou/ns#Report> }")
    assert json.loads(stdin.output) == {"head": {}, "boolean": True}


def test_query_from_file(kg, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/nanmatou/ns#PracticalProject> }")
    assert "10" in kg("query", str(f), "--format", "csv").output


def test_user_errors_are_one_line(kg, tmp_path):
    cases = [
        ("query", "nope"),
        ("query", "-"),
        ("query", str(tmp_path / "missing.rq")),
        ("query", "sections", "--param", "oops"),
        ("build", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "d")),
    ]
    for args in cases:
        res = kg(*args, input="SELECT WHERE {")
        assert res.exit_code == 1, args
        assert res.stderr.startswith("Error: ") and res.stderr.count("\n") == 1, (args, res.stderr)
        assert "Traceback" not in res.output


def test_missing_build(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_DIST", str(tmp_path / "none"))
    res = CliRunner().invoke(main, ["stats"])
    assert res.exit_code == 1 and "run `kg build`" in res.stderr


def test_usage_error_exit_2(kg):
    assert kg("query", "dimensions", "--format", "xml").exit_code == 2


def test_queries_listing(kg, kg_json):
    assert "dimensions" in kg("queries").output
    names = {q["name"] for q in kg_json("queries", "--json")}
    assert {"dimensions", "sections", "report-metadata"} <= names
