"""The SPARQL guard: grammar-exact lexing, every reading followed, no false alarms on real queries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.queries import library
from kg.web.guard import Refused, canonical, check_query, decode_codepoints, findings

MAX = 64 * 1024


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { BIND(2 AS ?x) #\rSERVICE <http://h/> { ?s ?p ?o } }",  # CR ends a comment
        "SELECT * WHERE { FILTER(!(?x<'>')) SERVICE <http://h/> { ?a ?b ?c } } #'",  # < as operator
        "SELECT * { ?s ?p ?o FILTER(?x<a:b#>''') \n SERVICE <http://h/> {?a ?b ?c} \n '''}",  # <…#> as operator
        "PREFIX ex: <http://h/> SELECT * { SERVICEex:a { ?s ?p ?o } }",  # keyword glued to a name
        "SELECT * { SERVICESILENT<http://h/>{?s ?p ?o} }",
        "SELECT * { \\u0053ERVICE <http://h/> {?s ?p ?o} }",  # codepoint escape
        "SELECT * { SERVICE?x{} }",
        "select * {\tservice\tsilent\r\n<http://h/>\n{ } }",
        "PREFIX e: <http://h/> SELECT * { ?s e:a\\' ?o . SERVICE <http://h/> { ?a ?b ?c } } #'",  # PN_LOCAL escape
        # Found by the adversarial review: name characters beyond \\w, keywords glued after booleans,
        # and Oxigraph backing off from an undeclared prefix.
        "PREFIX ex: <http://h/> SELECT * { SERVICE ex:a\u02c2 { ?s ?p ?o } }",
        "PREFIX ex: <http://h/> SELECT * { SERVICE ex:\u200c { ?s ?p ?o } }",
        "PREFIX \u02c2: <http://h/> SELECT * { SERVICE \u02c2:b { ?s ?p ?o } }",
        "SELECT * { ?s ?p trueSERVICE <http://h/> { ?a ?b ?c } }",
        "SELECT * { ?s ?p falseSERVICE <http://h/> { ?a ?b ?c } }",
        "PREFIX : <http://h/> SELECT * { ?s ?p true.SERVICE:a { ?x ?y ?z } }",
        # Found by fuzzing against Oxigraph: `<<` read as less-than followed by an IRI.
        "SELECT(1<<a:#>AS?x){SERVICE<http://h/>{?s?p?o}}",
        "ASK{BIND(1<<a:#>AS?x)SERVICE<http://h/>{?s?p?o}}",
        "ASK{BIND(1<<a:'>AS?x)SERVICE<http://h/>{?s?p?o}BIND(1<<a:'>AS?y)}",
        "ASK{BIND(1<<a:'''>AS?x)\nSERVICE<http://h/>{?s?p?o}\nBIND(1<<a:'''>AS?y)}",
        "ASK{BIND(1<<a:#>AS?x)SERVICE $t{?s?p?o}VALUES?t{<http://h/>}}",
    ],
)
def test_service_in_any_reading_is_refused(query):
    with pytest.raises(Refused) as exc:
        check_query(query, MAX)
    assert exc.value.status == 400 and "SERVICE" in str(exc.value)


@pytest.mark.parametrize(
    ("query", "dataset"),
    [
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # from", False),
        ('SELECT * { ?s <http://ex.org/service> ?o FILTER(CONTAINS(?o, "service from")) }', False),
        ("SELECT * { ?s ?p ?o FILTER(?o < <http://x/from>) }", False),
        ("SELECT * FROM <g> { ?s ?p ?o }", True),
        ("SELECT * FROM NAMED <g> { GRAPH ?g { ?s ?p ?o } }", True),
        ("PREFIX g: <http://x/> SELECT *FROM g:a{ ?s ?p ?o }", True),
    ],
)
def test_words_in_comments_strings_and_iris_are_not_clauses(query, dataset):
    assert check_query(query, MAX).has_dataset is dataset


def test_no_curated_query_is_refused_or_taken_for_a_dataset_query():
    for q in library().values():
        assert check_query(q.bind({}), MAX).has_dataset is False, q.name


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("INSERT DATA { <a> <b> <c> }", 403),
        ("PREFIX a: <x> DROP ALL", 403),
        ("LOAD <http://x>", 403),
        ("ASK " + "{" * 200 + "}" * 200, 400),
        ("ASK {}" + " " * MAX, 413),
    ],
)
def test_updates_depth_and_size(query, status):
    with pytest.raises(Refused) as exc:
        check_query(query, MAX)
    assert exc.value.status == status


def test_lexer_follows_the_grammar():
    assert [t.kind for t in canonical("SELECT ?x { <a> ex:b 'c' } # d")] == [
        "word", "var", "punct", "iri", "pname", "string", "punct",
    ]  # fmt: skip
    assert decode_codepoints("\\u0053ERVICE \\U0001F600 \\uD800") == "SERVICE \U0001f600 \\uD800"
    assert findings("SELECT * { ?s <http://a/service> ?o }") == set()


def test_overlapping_readings_are_refused_quickly():
    with pytest.raises(Refused, match="intricate"):
        check_query("ASK{" + "ex:a\\'" * 9000 + "}", MAX)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("SERVICEserviceFROMLOAD <>{}'\"#\\?:\r\n\tu0053ab.;()")), max_size=120))
def test_guard_never_crashes_and_refuses_any_visible_service(text):
    try:
        checked = check_query(text, MAX)
    except Refused as exc:
        assert exc.status in (400, 403, 413)
        return
    assert checked.depth >= 0
    # Accepted: no reading of the text has a SERVICE clause.
    assert "service" not in findings(text)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([" ", "\t", "\n", "\r", "#c\n", "#c\r"]), st.sampled_from(["SERVICE", "service", "Service"]))
def test_service_after_any_whitespace_or_comment(gap, kw):
    with pytest.raises(Refused):
        check_query(f"SELECT * {{{gap}{kw}{gap}<http://h/>{gap}{{ ?s ?p ?o }} }}", MAX)


@settings(max_examples=300, deadline=None)
@given(st.characters(min_codepoint=0x80, blacklist_categories=("Cs",)), st.sampled_from(["ex:a{c}", "ex:{c}", "{c}:b"]))
def test_any_non_ascii_name_character_keeps_service_visible(c, target):
    q = (
        "PREFIX ex: <http://h/> PREFIX "
        + (target.split(":")[0].format(c=c) if target.startswith("{") else "y")
        + ": <http://h/> "
    )
    q += "SELECT * { SERVICE " + target.format(c=c) + " { ?s ?p ?o } }"
    with pytest.raises(Refused):
        check_query(q, MAX)


# (?xSERVICE and ex:ySERVICE are a variable and a name to every reader: not listed.)
@pytest.mark.parametrize("word", ["true", "false", "a", "FILTER(true)", "1", "<x>", '"s"'])
def test_service_glued_after_any_token(word):
    with pytest.raises(Refused):
        check_query(f"PREFIX ex: <http://h/> SELECT * {{ ?s ?p {word}SERVICE <http://h/> {{ ?a ?b ?c }} }}", MAX)


def test_workers_remember_accepted_verdicts_only():
    """The verdict memo is keyed by the exact text and never keeps a refusal."""
    from kg.web import answering
    from kg.web.guard import Refused, check_query

    settings = answering.Settings(store="unused", memory=1 << 28, stack=1 << 24)
    answering._VERDICTS.clear()
    calls = []

    def counting(q, max_bytes, max_depth):
        calls.append(q)
        return check_query(q, max_bytes, max_depth)

    ok = "SELECT * WHERE { ?s ?p ?o }"
    assert answering._verdict(counting, ok, settings) == answering._verdict(counting, ok, settings)
    assert calls == [ok]
    bad = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"
    for _ in range(2):
        with pytest.raises(Refused):
            answering._verdict(counting, bad, settings)
    assert calls == [ok, bad, bad] and bad not in answering._VERDICTS
    huge = ok + " " * answering.VERDICT_TEXT_MAX
    answering._verdict(counting, huge, settings)
    assert huge not in answering._VERDICTS
