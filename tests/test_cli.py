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
    a_file = tmp_path / "a-file"
    a_file.write_text("not a build\n", encoding="utf-8")
    cases = [
        ("query", "nope"),
        ("query", "-"),
        ("query", str(tmp_path / "missing.rq")),
        ("query", "sections", "--param", "oops"),
        ("build", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "d")),
        # Paths and values that are wrong for what they are given for (each was a traceback).
        ("build", "--out", "/proc/kg-out"),
        ("build", "--base", "notaniri", "--out", str(tmp_path / "d")),
        ("build", "--base", "http://example.org/a b/", "--out", str(tmp_path / "d")),
        ("define", "三会一代理", "--dist", str(a_file)),
        ("search", "sanhui", "--dist", str(a_file)),
        ("metrics", "--dist", str(a_file)),
        ("export", "glossary", "--format", "csv", "--out", str(tmp_path)),
        ("export", "glossary", "--format", "csv", "--out", str(tmp_path / "no" / "x.csv")),
        ("viz", "overview", "--out", str(tmp_path / "no" / "x.html")),
        ("viz", "overview", "--out", str(tmp_path)),
        ("viz", "overview", "--out", str(tmp_path / "o.pdf")),  # was an HTML file named o.pdf
        ("query", "dimensions", "--endpoint", "notaurl"),
        ("push", "--graph-store", "notaurl"),
        ("push", "--endpoint", "ftp://example.org/update"),
        ("query", "dimensions", "--endpoint", "http://[::1"),
        ("push", "--graph-store", "http://local host/x"),
        ("push", "--graph-store", "http://h:99999/x"),
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


def test_damaged_index_is_one_line(dist, tmp_path):
    """An index that is not a build's (a JSON array, a cut file) says so, never a traceback."""
    import shutil

    copy = tmp_path / "dist"
    shutil.copytree(dist, copy)
    runner = CliRunner()
    (copy / "index-reports.json").write_text('{"reports": [1, ', encoding="utf-8")
    res = runner.invoke(main, ["metrics", "--dist", str(copy)], catch_exceptions=False)
    assert res.exit_code == 1 and res.stderr.startswith("Error: ") and "run `kg build` again" in res.stderr
    (copy / "index.json").write_text("[]", encoding="utf-8")
    res = runner.invoke(main, ["search", "sanhui", "--dist", str(copy)], catch_exceptions=False)
    assert res.exit_code == 1 and res.stderr.count("\n") == 1 and "unreadable" in res.stderr


def test_serve_refuses_a_busy_port_in_one_line(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = CliRunner().invoke(main, ["serve", "--port", str(port), "--no-build", "--dist", str(tmp_path)])
    assert res.exit_code == 1
    assert res.stderr == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    assert CliRunner().invoke(main, ["serve", "--port", "99999"]).exit_code == 2  # click's range check


def test_viz_iframe_snippet_is_escaped(kg, tmp_path):
    out = tmp_path / "v.html"
    res = kg("viz", "overview", "--out", str(out), "--title", 'a" onload="alert(1)')
    assert res.exit_code == 0
    snippet = res.output.strip().splitlines()[-1]
    assert snippet.startswith("<iframe ") and 'title="a&quot; onload=&quot;alert(1)"' in snippet


def test_outline_says_the_period_the_graph_states(kg):
    """The packaged title names no year: its period is the year it was delivered, as in the graph."""
    from kg.resources import DEFAULT_REPORT

    assert "period: 2021" in kg("outline", str(DEFAULT_REPORT)).output
    data = json.loads(kg("outline", str(DEFAULT_REPORT), "--json").output)
    assert data["period"] == "2021" and data["period_in_title"] is None


def test_contradictory_or_unreadable_settings_are_refused(tmp_path, monkeypatch):
    """kg annotate --json --html printed HTML silently; KG_BUILD_WORKERS=abc was silently ignored."""
    res = CliRunner().invoke(main, ["annotate", "--json", "--html"], input="x")
    assert res.exit_code == 2 and "choose one" in res.output
    monkeypatch.setenv("KG_BUILD_WORKERS", "abc")
    res = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "d")])
    assert res.exit_code == 1 and res.stderr.startswith("Error: KG_BUILD_WORKERS must be a whole number")
