"""The web service in process: every route and status, the SPARQL protocol, linked data, safety."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from kg.web.app import create_app
from kg.web.config import WebConfig


@pytest.fixture(scope="module")
def client(dist):
    app = create_app(WebConfig(dist=dist, query_timeout=3, max_rows=50, workers=2))
    with TestClient(app) as c:
        yield c


Q = (
    "SELECT ?d ?label WHERE { ?d a <https://w3id.org/nanmatou/ns#Dimension> ; "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER (LANG(?label) = 'zh') } ORDER BY ?d"
)


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        ("/", "红色先锋南码头"),
        ("/glossary", "三会一代理"),
        ("/search?q=shydl", "三会一代理"),
        ("/search?q=定力", "五个力"),  # a part named in a note: a hit of its own kind (was a 500)
        ("/search?q=gong", "组成部分"),
        ("/annotate", "<textarea"),
        ("/query", "yasgui"),
        ("/downloads", "dataset.trig"),
        ("/term/san-hui-yi-dai-li.html", "群众事务代理"),
        ("/dimension/blue.html", "社会面持续保持稳定"),
        ("/report/nanmatou-2021-report.html", "2020年工作回顾"),
        ("/report/nanmatou-2021-report/part-1.html", "严防控"),
        ("/report/nanmatou-2021-report/part-1/section-6.html", "风险点排查细致到位"),
        ("/report/nanmatou-2021-report/part-1/section-3/initiative-1.html", "三会一代理"),
    ],
)
def test_pages(client, path, needle):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert needle in r.text


def test_term_page_highlights_mentions(client):
    page = client.get("/term/san-hui-yi-dai-li.html").text
    assert "<mark>三会一代理</mark>" in page and "基层民主自治建立健全" in page
    assert "官方释义" in page


def test_not_found(client):
    assert client.get("/term/no-such-term").status_code == 404
    assert client.get("/nowhere").status_code == 404


def test_linked_data_negotiation(client):
    r = client.get("/term/wu-ge-li", headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/term/wu-ge-li.html")
    r = client.get("/term/wu-ge-li", headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(".ttl")
    r = client.get("/term/wu-ge-li.ttl")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "眼力" in r.text and 'rel="alternate"' in r.headers["link"]
    r = client.get("/term/wu-ge-li.jsonld")
    assert r.headers["content-type"].startswith("application/ld+json") and json.loads(r.text)
    r = client.get("/term/wu-ge-li.nt")
    assert "<https://w3id.org/nanmatou/term/wu-ge-li>" in r.text
    r = client.get("/dimension/blue", headers={"Accept": "application/ld+json"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(".jsonld")


def test_every_subject_iri_dereferences(dist):
    """Every IRI minted under the base that is the subject of a statement answers (a quantity, a
    mention, a note, a component, a graph, the build, the vocabulary …), as HTML and as RDF that
    holds its statements; an IRI that is not one is a 404, and nothing is built of its text.
    (A server of its own: the module's caps answers at 50 rows, less than some documents.)"""
    app = create_app(WebConfig(dist=dist, workers=1))
    with TestClient(app) as client:
        _dereference_every_kind(client, dist)


def _dereference_every_kind(client, dist):
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from kg.web.documents import describe_query

    store = ox.Store.read_only(str(dist / "oxigraph"))
    base = "https://w3id.org/nanmatou/"
    subjects = sorted(
        {
            q.subject.value
            for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(base) and "#" not in q.subject.value
        }
    )
    by_kind: dict[str, str] = {}
    for iri in subjects:  # one of each kind of IRI: report/…/quantity-N, term/…/component-N, graph/…
        kind = re.sub(r"[0-9a-f]{16}$|-\d+(?=/|$)", "", iri[len(base) :])
        kind = re.sub(r"^(term|place|organisation|platform|document|dimension)/[^/]+", r"\1/x", kind)
        by_kind.setdefault(re.sub(r"^report/[^/]+", "report/x", kind), iri)
    assert {"report/x/quantity", "report/x/mention", "report/x/note", "term/x/component", "graph/curation"} <= set(
        by_kind
    ), sorted(by_kind)
    assert {"ns", "dimensions", "build/"} <= set(by_kind), sorted(by_kind)
    for kind, iri in sorted(by_kind.items()):
        path = iri[len(base) - 1 :]
        r = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == path + ".ttl", kind
        if kind == "glossary":  # its address is the glossary page
            assert client.get(path).text.count("<h2") > 5
            continue
        if kind == "ns":  # the whole ontology (below)
            continue
        g = Graph().parse(data=client.get(path + ".ttl").text, format="turtle")
        mine = {(p, o) for _s, p, o in g.triples((URIRef(iri), None, None))}
        stated = list(store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph()))
        assert mine and len(mine) == len(stated), kind
        page = client.get(path + ".html")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), kind
    # The vocabulary's document is the ontology's graph, every class and property.
    g = Graph().parse(data=client.get("/ns.ttl").text, format="turtle")
    ontology = Graph().parse(Path(__file__).parents[1] / "ontology" / "nmt.ttl", format="turtle")
    assert set(ontology.subjects()) <= set(g.subjects()) and len(ontology) <= len(g) <= len(ontology) + 2  # + its size
    # A document holds its parts (#source, #position …) and nothing else: the same as testing every subject.
    for iri in [by_kind["report/x/mention"], by_kind["report/x/quantity"], base + "term/wu-ge-li"]:
        scan = (
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER (?s = <{iri}> || STRSTARTS(STR(?s), "
            f'"{iri}#") || STRSTARTS(STR(?s), "{iri}/component-")) }}'
        )
        assert sorted(map(str, store.query(describe_query(iri)))) == sorted(map(str, store.query(scan)))
    bad_paths = ["/report/x%3E%20%7D%20%3Fs", "/report/nanmatou-2021-report/quantity-99999", "/graph/none", "/build/x"]
    # Not of the shape the build mints: a 404 without a query (they were 500s: the engine refused them).
    bad_paths += ["/report/a%25zz", "/report/a%5Bb%5D", "/report/%EE%80%80", "/report/" + "a" * 500]
    for bad in bad_paths:
        for accept in ("text/turtle", "text/html"):
            r = client.get(bad, headers={"Accept": accept})
            assert r.status_code == 404, (bad[:40], r.status_code)
        assert client.get(bad + ".html").status_code == 404


def test_statements_page_of_a_quantity(client):
    page = client.get("/report/nanmatou-2021-report/quantity-1.html", params={"lang": "en"}).text
    assert "<h1" in page and "rdf:value" in page and "nmt:unit" in page
    assert 'href="/report/nanmatou-2021-report/part-1/section-1/initiative-1"' in page  # linked, with its title
    assert 'type="application/rdf+xml"' in page


def test_document_negotiation_honours_q_values(client):
    def where(accept: str) -> tuple[int, str]:
        r = client.get("/term/wu-ge-li", headers={"Accept": accept}, follow_redirects=False)
        return r.status_code, r.headers.get("location", "")

    assert where("text/html;q=0.1, text/turtle;q=0.9") == (303, "/term/wu-ge-li.ttl")
    assert where("application/rdf+xml") == (303, "/term/wu-ge-li.rdf")
    assert where("*/*") == (303, "/term/wu-ge-li.html")
    assert where("")[1] == "/term/wu-ge-li.html"
    assert where("image/png")[0] == 406
    assert where("text/html;q=0, */*") == (303, "/term/wu-ge-li.ttl")  # HTML refused: not sent by the wildcard
    assert where("application/json") == (303, "/term/wu-ge-li.jsonld")
    assert client.get("/glossary.html").status_code == 200  # as the glossary's Link header says
    rdfxml = client.get("/term/wu-ge-li.rdf")
    assert rdfxml.headers["content-type"].startswith("application/rdf+xml")
    assert ET.fromstring(rdfxml.content) is not None


def test_api(client):
    entry = client.get("/api/terms/san-hui-yi-dai-li").json()
    assert entry["note"] == 5 and next(c["label"]["zh"] for c in entry["components"]) == "听证会"
    assert client.get("/api/terms/五个力").json()["label"]["en"] == "five capabilities"
    missing = client.get("/api/terms/三会议")
    assert missing.status_code == 404 and "三会一代理" in missing.json()["suggestions"]
    assert client.get("/api/search", params={"q": "qcnmt"}).json()["results"][0]["label"]["zh"] == "七彩南码头"
    assert client.get("/api/search", params={"q": ""}).status_code == 400
    spans = client.post("/api/annotate", json={"text": "落实五个力"}).json()["spans"]
    assert spans == [{"start": 2, "end": 5, "text": "五个力", "iri": spans[0]["iri"], "label": spans[0]["label"]}]
    assert client.post("/api/annotate", content=b"\x00\x01", headers={"Content-Type": "text/plain"}).status_code == 400
    rows = client.get("/api/metrics", params={"q": "警情"}).json()["results"]
    assert {r["value"] for r in rows} >= {2075, 836, 217}
    spec = client.get("/api/openapi.json").json()
    assert {"/api/terms/{id}", "/api/search", "/api/annotate", "/api/metrics"} <= set(spec["paths"])


def test_void_and_health(client):
    void = client.get("/.well-known/void")
    assert void.headers["content-type"].startswith("text/turtle") and "void:sparqlEndpoint" in void.text
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/dataset/dataset.trig").status_code == 200
    assert client.get("/dataset/..%2Fetc%2Fpasswd").status_code == 404


def test_annotate_form_escapes(client):
    r = client.post("/annotate", data={"text": "<script>alert(1)</script>三会一代理"})
    assert r.status_code == 200 and "<script>alert(1)" not in r.text and "&lt;script&gt;" in r.text


# -- SPARQL protocol --------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "ctype"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_formats_by_accept(client, accept, ctype):
    r = client.get("/sparql", params={"query": Q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype)
    assert "红色先锋南码头" in r.text


def test_select_formats_parse(client):
    data = client.get("/sparql", params={"query": Q, "format": "json"}).json()
    assert len(data["results"]["bindings"]) == 7
    root = ET.fromstring(client.get("/sparql", params={"query": Q, "format": "xml"}).content)
    assert len(root.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 7
    rows = list(csv.reader(io.StringIO(client.get("/sparql", params={"query": Q, "format": "csv"}).text)))
    assert rows[0] == ["d", "label"] and len(rows) == 8
    tsv = client.get("/sparql", params={"query": Q, "format": "tsv"}).text.splitlines()
    assert tsv[0] == "?d\t?label" and tsv[1].endswith('"蓝色平安南码头"@zh')


@pytest.mark.parametrize(
    ("fmt", "ctype", "needle"),
    [
        ("turtle", "text/turtle", "prefLabel"),
        ("ntriples", "application/n-triples", "<https://w3id.org/nanmatou/"),
        ("jsonld", "application/ld+json", "@id"),
        ("rdfxml", "application/rdf+xml", "rdf:RDF"),
    ],
)
def test_graph_formats(client, fmt, ctype, needle):
    q = "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <https://w3id.org/nanmatou/ns#Dimension> ; ?p ?o }"
    r = client.get("/sparql", params={"query": q, "format": fmt})
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype) and needle in r.text
    r = client.post(
        "/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query", "Accept": ctype}
    )
    assert r.headers["content-type"].startswith(ctype)


def test_ask_and_describe(client):
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    r = client.get(
        "/sparql", params={"query": "DESCRIBE <https://w3id.org/nanmatou/dimension/red>", "format": "ntriples"}
    )
    assert r.status_code == 200 and "dimension/red" in r.text


def test_post_forms(client):
    r = client.post("/sparql", data={"query": Q}, headers={"Accept": "application/sparql-results+json"})
    assert len(r.json()["results"]["bindings"]) == 7


def test_protocol_errors(client):
    bad = client.get("/sparql", params={"query": "SELECT WHERE {"})
    assert bad.status_code == 400 and "syntax" in bad.text.lower()
    two = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert two.status_code == 400
    assert client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    assert client.put("/sparql", content=b"x").status_code == 405
    assert client.post("/sparql", data={"update": "INSERT DATA { <a> <b> <c> }"}).status_code == 403
    upd = client.post("/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert upd.status_code == 403
    load = client.get("/sparql", params={"query": "LOAD <http://example.org/x>"})
    assert load.status_code == 403
    svc = client.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert svc.status_code == 400 and "SERVICE" in svc.text
    big = client.post("/sparql", data={"query": "ASK {}" + "#" * 70_000})
    assert big.status_code == 413


def test_from_selects_only_own_graphs(client):
    q = "SELECT (COUNT(*) AS ?n) FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    assert client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"] == "0"
    q = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/nanmatou/graph/ontology> WHERE { ?s ?p ?o }"
    assert int(client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"]) > 100
    r = client.get(
        "/sparql",
        params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            "default-graph-uri": "https://w3id.org/nanmatou/graph/ontology",
        },
    )
    assert 100 < int(r.json()["results"]["bindings"][0]["n"]["value"]) < 1000


def test_row_cap_says_truncated(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.headers["x-kg-truncated"] == "true" and len(r.json()["results"]["bindings"]) == 50
    assert "x-kg-truncated" not in client.get("/sparql", params={"query": Q}).headers


JSON_CASES = [
    Q,
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 3000",
    'SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 "a\\"\\n\\u0001é\\\\") (UNDEF <<( <http://a> <http://b> "c" )>>) '
    '("x"@en-us UNDEF) (<http://x/é?a=1&b=2> "2021-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) } }',
    "SELECT ?b WHERE { BIND(BNODE() AS ?b) }",
    "SELECT ?nothing WHERE { FILTER(false) }",
]


@pytest.mark.parametrize("query", JSON_CASES)
def test_select_json_is_the_bytes_render_writes(dist, query):
    """The worker writes SELECT JSON itself; it must be exactly what kg.results.render writes."""
    import pyoxigraph as ox

    from kg.results import render
    from kg.store import Result, _term
    from kg.web.answering import _select_json

    store = ox.Store.read_only(str(dist / "oxigraph"))
    res = store.query(query)
    variables = [v.value for v in res.variables]
    solutions = list(res)
    rows = [{v: _term(s[v]) for v in variables if s[v] is not None} for s in solutions]
    expected = render(Result("select", variables, rows), "json", compact=True).encode()
    assert _select_json(iter(solutions), variables, 10**6, 1 << 30) == (expected, False)
    # Caps: rows cut at the row cap; bytes cut so that the whole answer stays within the byte cap.
    if len(solutions) > 2:
        body, truncated = _select_json(iter(solutions), variables, 2, 1 << 30)
        assert truncated and len(json.loads(body)["results"]["bindings"]) == 2
        limit = len(expected) // 2
        body, truncated = _select_json(iter(solutions), variables, 10**6, limit)
        assert truncated and len(body) <= limit and json.loads(body)["results"]["bindings"]


def test_timeout_is_503_and_worker_recovers(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 503 and "time-out" in r.text
    assert "retry-after" not in r.headers  # sent again, it would run past the time-out again
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_out_of_range_parameters_are_400_not_clamped(client):
    for limit in ("-5", "0", "101", "x"):
        r = client.get("/api/search", params={"q": "sanhui", "limit": limit})
        assert r.status_code == 400 and "limit" in r.json()["error"], limit
    assert len(client.get("/api/search", params={"q": "san", "limit": "2"}).json()["results"]) == 2
    for depth in ("9", "0", "-1"):
        r = client.get("/views/term/wu-ge-li.html", params={"depth": depth})
        assert r.status_code == 400 and "depth must be between 1 and 4" in r.text, depth


def test_text_wildcard_gets_text_results(client):
    r = client.get("/sparql", params={"query": "SELECT (1 AS ?x) WHERE {}"}, headers={"Accept": "text/*"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv") and r.text == "x\r\n1\r\n"
    r = client.get(
        "/sparql", params={"query": "CONSTRUCT { <urn:a> <urn:b> 1 } WHERE {}"}, headers={"Accept": "text/*"}
    )
    assert r.headers["content-type"].startswith("text/turtle")


def test_csv_keeps_blank_node_labels(client, kg):
    q = "SELECT ?b ?u WHERE { BIND (BNODE() AS ?b) OPTIONAL { ?nothing <urn:none> ?u } }"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"})
    local = kg("query", "-", "--format", "csv", input=q).output
    for text in (r.text, local):
        header, row = text.splitlines()[:2]  # the CLI runner reads \r\n as \n
        assert header == "b,u" and row.startswith("_:") and row.endswith(",")  # unbound: an empty field


def test_cors(client):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { FILTER(!(?x<'>')) SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } } #'",
        "SELECT * WHERE { ?s ?p ?o . FILTER(?o < '>') SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } } # '",
        "PREFIX e: <http://127.0.0.1:9/> SELECT * { SeRvIcE e: { ?a ?b ?c } }",
    ],
)
def test_service_tricks_are_refused(client, query):
    r = client.post("/sparql", data={"query": query})
    assert r.status_code == 400 and "SERVICE" in r.text


def test_from_with_prefixed_names_and_bad_dataset_iris(client):
    q = "PREFIX g: <https://w3id.org/nanmatou/graph/> SELECT (COUNT(*) AS ?n) FROM g:ontology WHERE { ?s ?p ?o }"
    n = int(client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"])
    assert 100 < n < 1000  # the ontology graph only, not the union
    bad = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert bad.status_code == 400
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    text = client.get("/sparql", params={"query": q, "named-graph-uri": "https://w3id.org/nanmatou/graph/ontology"})
    assert text.json()["results"]["bindings"][0]["n"]["value"] == "0"  # named only: empty default graph


def test_options_and_allow(client):
    r = client.options("/sparql")
    assert r.status_code == 204 and "POST" in r.headers["allow"]
    assert client.delete("/sparql").headers["allow"] == "GET, HEAD, POST, OPTIONS"


# -- interface language, readable pages -------------------------------------------

PAGES = [
    "/",
    "/glossary",
    "/search?q=shydl",
    "/annotate",
    "/query",
    "/downloads",
    "/term/san-hui-yi-dai-li.html",
    "/term/1-17-27.html",
    "/dimension/blue.html",
    "/report/nanmatou-2021-report.html",
    "/report/nanmatou-2021-report/part-1.html",
    "/report/nanmatou-2021-report/part-1/section-3.html",
    "/report/nanmatou-2021-report/part-1/section-3/initiative-1.html",
]
INTERNAL = re.compile(
    r"officialNote|placeType|definition_source|alt_label|matched_on|initiative_iri|title_en|"
    r"\bnmt:|\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z][a-zA-Z]+\b"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def visible(page: str, drop_zh: bool = False) -> str:
    """The text a reader sees: no scripts, styles, tags, attributes (optionally no lang="zh" content)."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    if drop_zh:
        page = re.sub(r'(?s)<(\w+)[^>]*\blang="zh"[^>]*>.*?</\1>', " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture()
def fresh(client):
    """The module client with no language cookie before and after the test."""
    client.cookies.clear()
    yield client
    client.cookies.clear()


def test_language_switch_sets_a_cookie_that_later_pages_follow(fresh):
    first = fresh.get("/glossary")
    assert '<html lang="zh">' in first.text and "set-cookie" not in first.headers
    assert 'href="/glossary?lang=en"' in first.text  # the switch, in the header of every page
    r = fresh.get("/?lang=en")
    cookie = r.headers["set-cookie"].lower()
    assert "lang=en" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert '<html lang="en">' in r.text
    later = fresh.get("/glossary")  # no ?lang=: the cookie decides
    assert '<html lang="en">' in later.text and ">Glossary A–Z<" in later.text
    assert 'href="/glossary?lang=zh"' in later.text
    assert '<html lang="zh">' in fresh.get("/search?q=wgl&lang=zh").text
    assert '<html lang="zh">' in fresh.get("/downloads").text
    assert 'href="/search?q=wgl&amp;lang=en"' in fresh.get("/search?q=wgl").text
    fresh.get("/?lang=xx")  # an unknown language changes nothing
    assert '<html lang="zh">' in fresh.get("/").text
    # One address, two languages: shared caches must not hand one reader's language to another.
    page = fresh.get("/glossary")
    assert "cookie" in page.headers["vary"].lower() and "private" in page.headers["cache-control"]
    assert "<title>三会一代理" in fresh.get("/term/san-hui-yi-dai-li.html?lang=zh").text
    assert (
        "<title>three meetings and one proxy service (三会一代理)"
        in fresh.get("/term/san-hui-yi-dai-li.html?lang=en").text
    )


@pytest.mark.parametrize("path", PAGES)
def test_no_internal_names_in_either_language(fresh, path):
    for lang in ("zh", "en"):
        sep = "&" if "?" in path else "?"
        text = visible(fresh.get(f"{path}{sep}lang={lang}").text)
        found = [m.group(0) for m in INTERNAL.finditer(text)]
        assert not found, (lang, found[:5])


@pytest.mark.parametrize("path", PAGES)
def test_english_interface_has_no_chinese_ui(fresh, path):
    """In English, Chinese appears only as content marked lang="zh" (terms, quotes, the report's text)."""
    sep = "&" if "?" in path else "?"
    page = fresh.get(f"{path}{sep}lang=en").text
    header = page[page.index("<header") : page.index("</header>")]
    assert not CJK.search(visible(header, drop_zh=True))
    headings = re.findall(r"(?s)<h[12][^>]*>.*?</h[12]>", page)
    for h in headings:
        assert not CJK.search(visible(h, drop_zh=True)), h


def test_term_page_in_english_names_type_and_source_in_words(fresh):
    page = fresh.get("/term/1-17-27.html?lang=en").text
    assert "Official term" in page and "note 7 in the report" in page and "Official definition" in page
    assert "officialNote" not in visible(page)
    zh = fresh.get("/term/1-17-27.html?lang=zh").text
    assert "官方名词解释" in zh and "名词解释第7条" in zh


def test_report_titles_and_no_web_debris(fresh):
    en = fresh.get("/report/nanmatou-2021-report.html?lang=en").text
    h1 = re.search(r"(?s)<h1>(.*?)</h1>", en).group(1)
    assert "Report to the 3rd Session of the 3rd Community Representatives' Congress" in html.unescape(h1)
    zh = fresh.get("/report/nanmatou-2021-report.html?lang=zh").text
    assert "南码头路街道第三届社区代表大会第三次会议上的报告" in zh
    for page in (en, zh, fresh.get("/?lang=en").text):
        assert "索引号" not in page and "发布机构 |" not in page
    assert "Report to the 3rd Session" in html.unescape(fresh.get("/?lang=en").text)


def test_curated_query_titles_in_the_chosen_language(fresh):
    zh = fresh.get("/query?lang=zh").text
    en = fresh.get("/query?lang=en").text
    assert ">中英对照术语表</option>" in zh and ">The glossary as a two-language table</option>" in en
    assert 'id="query-error"' in zh and 'role="alert"' in zh
    strings = json.loads(re.search(r'id="query-strings" type="application/json">(.*?)</script>', en).group(1))
    assert strings["error"] == "The query was refused"


def test_annotated_terms_are_buttons_with_their_meaning(fresh):
    page = fresh.post("/annotate?lang=en", data={"text": "落实五个力,推进三会一代理。"}).text
    buttons = re.findall(r'<button type="button" class="term" data-iri="([^"]+)"[^>]*aria-controls="term-tip"', page)
    assert len(buttons) == 2 and 'id="term-tip"' in page and "/static/terms.js" in page
    data = json.loads(re.search(r'id="term-data" type="application/json">(.*?)</script>', page).group(1))
    five = data["https://w3id.org/nanmatou/term/wu-ge-li"]
    assert five["en"] == "five capabilities" and five["definition"]["en"] and five["href"] == "/term/wu-ge-li"
    # report pages use the same buttons
    assert 'class="term"' in fresh.get("/report/nanmatou-2021-report/part-1/section-3.html").text


NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node not installed (apt install nodejs) — query page helpers untested")
def test_query_page_helpers_show_the_server_message():
    lib = Path(create_app.__code__.co_filename).parent / "static" / "query-lib.js"
    script = f"""
const q = require({json.dumps(str(lib))});
const out = {{
  syntax: q.errorMessage(400, "Bad Request", "SPARQL syntax error: error at 1:15", {{}}),
  service: q.errorMessage(403, "Forbidden", "SERVICE is refused", {{error: "查询被拒绝"}}),
  empty: q.errorMessage(503, "Service Unavailable", "", {{}}),
  network: q.errorMessage(0, "", "Failed to fetch", {{}}),
  compact: q.compact("https://w3id.org/nanmatou/term/wu-ge-li", q.prefixesFor("")),
  own: q.compact("http://example.org/x/y", q.prefixesFor("PREFIX ex: <http://example.org/x/>\\nSELECT * {{}}")),
  none: q.compact("http://example.org/x/y", q.prefixesFor("")),
}};
console.log(JSON.stringify(out));
"""
    res = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=30, check=True)
    out = json.loads(res.stdout)
    assert "400" in out["syntax"] and "SPARQL syntax error: error at 1:15" in out["syntax"]
    assert out["service"].startswith("查询被拒绝") and "SERVICE is refused" in out["service"]
    assert "503" in out["empty"] and "Failed to fetch" in out["network"]
    assert out["compact"] == "term:wu-ge-li" and out["own"] == "ex:y" and out["none"] == "<http://example.org/x/y>"
    page = (lib.parent / "query.js").read_text(encoding="utf-8")
    assert "response.clone().text()" in page and "errorMessage(" in page  # the body of a refusal is read


# -- the query-string fast path -----------------------------------------------------


def _urllib_form(text: str) -> dict[str, list[str]] | str:
    from urllib.parse import parse_qs

    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return "refused"


def _our_form(text: str) -> dict[str, list[str]] | str:
    from kg.web.guard import Refused
    from kg.web.sparql import _form

    try:
        return _form(text, "the query string")
    except Refused:
        return "refused"


_PIECES = ["%", "%2", "%20", "%E4%B8%83", "%e9", "%C3%A9", "%5C", "%25", "%zz", "+", "&", "=", "\\", "\\x41"]
_PIECES += ["a", "Z", "é", "%0A", "%00", "%FF"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=12))
def test_query_string_fast_path_reads_what_urllib_reads(pieces):
    text = "".join(pieces)
    assert _our_form(text) == _urllib_form(text)


def test_query_string_fast_path_on_a_curated_query():
    from urllib.parse import urlencode

    from kg.queries import library

    for query in library().values():
        text = urlencode({"query": query.text, "format": "json", "default-graph-uri": "https://x/g?a=1&b=%"})
        assert _our_form(text) == _urllib_form(text)


# -- the worker channel under concurrency ---------------------------------------------


def _job(query: str) -> dict:
    return {
        "query": query,
        "default_graphs": [],
        "named_graphs": [],
        "base_iri": "http://testserver/sparql",
        "select_format": "json",
        "graph_format": "turtle",
        "max_rows": 10_000,
        "max_bytes": 16 << 20,
        "guard": True,
    }


def test_concurrent_answers_reach_their_own_queries_and_a_timeout_kills_only_its_own(dist):
    """Forty queries at once over three workers, small and large (several reads each), plus
    one that overruns: every answer belongs to its query, only the overrunning one fails."""
    import asyncio

    from kg.web.answering import Settings
    from kg.web.scheduler import WorkerPool
    from kg.web.workers import QueryTimeout

    settings = Settings(store=str(dist / "oxigraph"), memory=1 << 30, stack=64 << 20)
    pool = WorkerPool(settings, 3, per_client=8, client_queue=64, max_queue=64, cache_entries=0)
    doublings = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(14))  # 256 KiB

    def query(i: int) -> str:
        if i % 4 == 0:  # large: more than the channel's read size
            return f'SELECT ?n ?v14 WHERE {{ BIND({i} AS ?n) BIND("0123456789abcdef" AS ?v0) {doublings} }}'
        return f"SELECT ?n WHERE {{ BIND({i} AS ?n) }}"

    async def scenario() -> tuple[list, BaseException | None]:
        pool.start_monitor()
        slow = asyncio.ensure_future(pool.run(_job(SLOW_QUERY), 1.0, "other"))
        answers = await asyncio.gather(*[pool.run(_job(query(i)), 60, "a") for i in range(40)])
        try:
            await slow
            failure = None
        except QueryTimeout as exc:
            failure = exc
        return answers, failure

    try:
        answers, failure = asyncio.run(scenario())
    finally:
        pool.close()
    assert isinstance(failure, QueryTimeout) and "stopped" in str(failure)  # killed while running
    for i, answer in enumerate(answers):
        assert answer.status == 200, answer.body[:200]
        (row,) = json.loads(answer.body)["results"]["bindings"]
        assert row["n"]["value"] == str(i)
        if i % 4 == 0:
            assert len(row["v14"]["value"]) == 16 << 14


SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _number(answer) -> str:
    assert answer.status == 200, answer.body[:200]
    (row,) = json.loads(answer.body)["results"]["bindings"]
    return row["n"]["value"]


def test_quick_queries_sent_behind_others_are_answered_in_order(dist):
    """Queries known to be quick go to a worker behind the one it runs: with one worker and
    twelve of them at once, the worker holds several jobs, and each answer is its own query's."""
    import asyncio

    from kg.web.scheduler import DEPTH

    pool = _one_worker_pool(dist)
    lane = pool.lanes["query"]
    (worker,) = lane.workers
    queries = [f"SELECT ?n WHERE {{ BIND({i} AS ?n) }}" for i in range(12)]
    most = 0

    async def watch() -> None:
        nonlocal most
        while True:
            most = max(most, worker.load)
            await asyncio.sleep(0)

    async def scenario() -> list[str]:
        for q in ["ASK {}", *queries]:  # each run once: now known to be quick (the first loads modules)
            await pool.run(_job(q), 10, "a")
        watcher = asyncio.ensure_future(watch())
        answers = await asyncio.gather(*[pool.run(_job(q), 10, "a") for q in queries])
        watcher.cancel()
        return [_number(a) for a in answers]

    try:
        numbers = asyncio.run(scenario())
    finally:
        pool.close()
    assert numbers == [str(i) for i in range(12)]
    assert most == DEPTH > 1


def _one_worker_pool(dist):
    from kg.web.answering import Settings
    from kg.web.scheduler import WorkerPool

    settings = Settings(store=str(dist / "oxigraph"), memory=1 << 30, stack=64 << 20)
    return WorkerPool(settings, 1, per_client=16, client_queue=64, max_queue=64, cache_entries=0)


QUICK_QUERY = "SELECT ?n WHERE { BIND(7 AS ?n) }"


def _key(query: str) -> bytes:
    import pickle

    from kg.web.scheduler import job_key

    return job_key(pickle.dumps(_job(query), protocol=pickle.HIGHEST_PROTOCOL))


async def _warm(pool) -> None:
    for _ in range(2):  # a worker's first query loads its modules (slower): quick from the second on
        await pool.run(_job(QUICK_QUERY), 10, "warm")


async def _slow_with_one_behind(pool, timeout: float):
    """A slow query the lane takes for quick (as after a run on a warm cache), and a quick one sent
    behind it at once; returns both tasks once the second is in the worker."""
    import asyncio

    from kg.web.scheduler import QUICK

    lane = pool.lanes["query"]
    lane.timings[_key(SLOW_QUERY)] = QUICK / 10
    slow = asyncio.ensure_future(pool.run(_job(SLOW_QUERY), timeout, "a"))
    while lane.workers[0].load == 0:
        await asyncio.sleep(0)
    behind = asyncio.ensure_future(pool.run(_job(QUICK_QUERY), 10, "b"))
    while lane.workers[0].load == 1:
        await asyncio.sleep(0)
    return slow, behind


def test_a_query_taken_for_quick_that_holds_up_others_is_stopped_and_both_run_again(dist):
    """A job behind one that runs past PREEMPT_AFTER is not kept waiting for that one's whole
    time-out: the worker is stopped, the job behind is answered, and the slow one runs again on
    its own (here to its time-out) and is never again taken for quick."""
    import asyncio

    from kg.web.scheduler import QUICK
    from kg.web.workers import QueryTimeout

    pool = _one_worker_pool(dist)
    lane = pool.lanes["query"]

    async def scenario() -> tuple[object, ...]:
        pool.start_monitor()
        await _warm(pool)
        slow, behind = await _slow_with_one_behind(pool, 1.0)
        answered = await behind
        first = not slow.done()  # answered before the slow one's time ran out
        overran = (await asyncio.gather(slow, return_exceptions=True))[0]
        return answered, first, overran, lane.timings[_key(SLOW_QUERY)]

    try:
        answered, first, overran, took = asyncio.run(scenario())
    finally:
        pool.close()
    assert _number(answered) == "7" and first
    assert isinstance(overran, QueryTimeout)
    assert took >= QUICK


def test_a_job_behind_whose_client_leaves_stays_counted_until_the_worker_is_done_with_it(dist):
    """The job left behind still runs in the worker: it keeps its place in the worker's and its
    client's counts (no more is sent behind it than DEPTH allows, and the worker is not idle) until
    the worker is done with it; the query running ahead gets its whole time."""
    import asyncio
    import time

    from kg.web.workers import QueryTimeout

    pool = _one_worker_pool(dist)
    lane = pool.lanes["query"]
    (worker,) = lane.workers

    async def scenario() -> tuple[object, ...]:
        pool.start_monitor()
        await _warm(pool)
        start = time.monotonic()
        slow, behind = await _slow_with_one_behind(pool, 1.5)
        behind.cancel()
        await asyncio.sleep(0.3)  # past PREEMPT_AFTER: nobody waits behind, so nothing is stopped
        counted = (worker.load, lane.running["b"], worker in lane.idle)
        overran = (await asyncio.gather(slow, return_exceptions=True))[0]
        took = time.monotonic() - start
        await asyncio.sleep(0.05)
        after = await pool.run(_job(QUICK_QUERY), 10, "c")
        return counted, overran, took, lane.running["b"], after, lane.timings[_key(SLOW_QUERY)]

    try:
        counted, overran, took, running_b, after, slow_took = asyncio.run(scenario())
    finally:
        pool.close()
    assert counted == (2, 1, False)
    assert isinstance(overran, QueryTimeout) and 1.4 < took < 2.5  # its own time-out, not stopped early
    assert slow_took == 1.5  # a query that ran out its time is slow from now on
    assert running_b == 0
    assert _number(after) == "7"


def test_a_pool_closed_with_jobs_behind_starts_no_worker_again(dist):
    import asyncio
    import time

    from kg.web.workers import Unavailable

    pool = _one_worker_pool(dist)

    async def scenario() -> list[object]:
        await _warm(pool)
        slow, behind = await _slow_with_one_behind(pool, 5.0)
        pool.close()
        results = await asyncio.gather(slow, behind, return_exceptions=True)
        await asyncio.sleep(1.0)  # a restart, had one begun, would have a process by now
        return results

    results = asyncio.run(scenario())
    deadline = time.monotonic() + 2
    while any(w.alive() for w in pool.workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(isinstance(r, Unavailable) for r in results), results
    assert not any(w.alive() for w in pool.workers)


def test_the_term_api_pages_mentions_with_a_link_to_the_next_page(client):
    every = client.get("/api/terms/ju-min-qu?limit=1000").json()
    total = every["mentions_total"]
    assert total == len(every["mentions"]) > 20
    r = client.get("/api/terms/ju-min-qu?limit=10&offset=5")
    assert r.json()["mentions"] == every["mentions"][5:15] and r.json()["mentions_offset"] == 5
    link = re.fullmatch(r'<(/api/terms/ju-min-qu\?[^>]+)>; rel="next"', r.headers["link"])
    assert link and client.get(link.group(1)).json()["mentions"] == every["mentions"][15:25]
    last = client.get(f"/api/terms/ju-min-qu?limit=10&offset={total - 3}")
    assert len(last.json()["mentions"]) == 3 and "link" not in last.headers
    by_label = client.get("/api/terms/居民区?limit=2")
    assert by_label.json()["mentions"] == every["mentions"][:2]
    assert by_label.headers["link"].startswith("</api/terms/%E5%B1%85%E6%B0%91%E5%8C%BA?")
    assert "link" not in client.get("/api/terms/ju-min-qu?limit=0").headers  # no page follows an empty one
    far = client.get(f"/api/terms/ju-min-qu?offset={10**30}")
    assert far.status_code == 200 and far.json()["mentions"] == [] and "link" not in far.headers
    for bad in ("limit=x", "limit=-1", "limit=1001", "offset=-5"):
        r = client.get(f"/api/terms/ju-min-qu?{bad}")
        assert r.status_code == 400 and r.json()["error"], bad


def test_the_term_page_pages_mentions(client, monkeypatch):
    from kg.web import documents

    monkeypatch.setattr(documents, "MENTIONS_PER_PAGE", 10)
    total = client.get("/api/terms/ju-min-qu?limit=0").json()["mentions_total"]
    first = client.get("/term/ju-min-qu.html").text
    assert f"第 1–10 条,共 {total} 条" in first and 'rel="next" href="?page=2#mentions"' in first
    assert 'rel="prev"' not in first
    # The 303 from the IRI keeps the page asked for.
    r = client.get("/term/ju-min-qu?page=2", headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/term/ju-min-qu.html?page=2")
    second = client.get("/term/ju-min-qu?page=2").text
    assert f"第 11–20 条,共 {total} 条" in second and 'rel="prev" href="?page=1#mentions"' in second
    last = -(-total // 10)
    beyond = client.get("/term/ju-min-qu.html?page=999").text  # past the end: the last page
    assert f"第 {(last - 1) * 10 + 1}–{total} 条" in beyond and 'rel="next"' not in beyond
    english = client.get("/term/ju-min-qu.html?page=2&lang=en").text
    assert f"11–20 of {total}" in english
    # The pager keeps the other parameters, as the language switch does.
    assert 'rel="next" href="?lang=en&amp;page=3#mentions"' in english
    assert 'rel="prev" href="?lang=en&amp;page=1#mentions"' in english


def test_term_answers_come_back_the_same_from_the_cache(client):
    first = client.get("/api/terms/ju-min-qu?limit=3&offset=2")
    again = client.get("/api/terms/ju-min-qu?limit=3&offset=2")
    assert first.content == again.content and first.headers["link"] == again.headers["link"]
    assert again.headers["content-type"] == "application/json"
    assert client.get("/api/terms/no-such-term-at-all").status_code == 404  # errors are not kept
    assert client.get("/api/terms/no-such-term-at-all").status_code == 404


@pytest.mark.parametrize(("cores", "workers"), [(None, 3), (1, 3), (2, 3), (3, 4), (7, 8), (16, 8)])
def test_query_workers_default_to_one_per_core_and_one_more(monkeypatch, cores, workers):
    monkeypatch.delenv("KG_QUERY_WORKERS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    assert WebConfig().workers == workers
    monkeypatch.setenv("KG_QUERY_WORKERS", "3")
    assert WebConfig().workers == 3


# -- the store a worker answers from ----------------------------------------------------


def _sorted_answer(body: bytes) -> object:
    """A SELECT answer with its rows in a fixed order (a query without ORDER BY may list them in any)."""
    data = json.loads(body)
    data["results"]["bindings"].sort(key=lambda row: json.dumps(row, sort_keys=True))
    return data


def test_every_curated_query_answers_the_same_from_a_copy_in_memory(dist):
    """A worker's copy of the store holds every quad (the default graph's too): the same answers."""
    from kg.queries import library
    from kg.web.answering import Settings, _answer, open_store

    settings = Settings(store=str(dist / "oxigraph"), memory=1 << 30, stack=64 << 20)
    disk, memory = open_store(settings.store, False), open_store(settings.store, True)
    assert len(memory) == len(disk) and len(list(memory.quads_for_pattern(None, None, None, None))) == len(memory)
    rows = 0
    for name, query in library().items():
        job = _job(query.bind({}))
        on_disk, in_memory = _answer(disk, job, settings), _answer(memory, job, settings)
        assert on_disk.status == in_memory.status == 200, (name, on_disk.body[:200])
        if re.search(r"\bORDER\s+BY\b", query.text):  # the same rows in the same order
            assert in_memory.body == on_disk.body, name
        else:
            assert _sorted_answer(in_memory.body) == _sorted_answer(on_disk.body), name
        rows += len(json.loads(on_disk.body)["results"]["bindings"])
    assert rows > 500  # the answers compared are the packaged report's, not empty ones
    # The default graph is the store's own (the merge the build wrote), not the union of the copies.
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert _answer(memory, _job(count), settings).body == _answer(disk, _job(count), settings).body
    # A copy in memory could be written to, but a worker only ever runs queries: an update is a
    # syntax error even with the guard off, and the copy stays as it was.
    size = len(memory)
    for update in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "CLEAR ALL", "LOAD <http://127.0.0.1:9/x>"):
        answer = _answer(memory, dict(_job(update), guard=False), settings)
        assert answer.status == 400 and b"syntax error" in answer.body, update
    assert len(memory) == size


@pytest.mark.parametrize(
    ("setting", "quads", "expected"),
    [
        ("auto", 32_374, True),
        ("auto", 100_000, True),
        ("auto", 100_001, False),
        ("auto", None, False),  # no graph counts in the build report: the size is not known
        ("memory", 10**8, True),
        ("memory", None, True),
        ("disk", 1, False),
    ],
)
def test_the_workers_copy_the_store_into_memory_when_it_is_small(monkeypatch, setting, quads, expected):
    monkeypatch.setenv("KG_QUERY_STORE", setting)
    assert WebConfig().store_in_memory(quads) is expected


def test_an_unknown_store_setting_is_a_one_line_error(dist, monkeypatch):
    from click.testing import CliRunner

    from kg.cli import main

    monkeypatch.setenv("KG_QUERY_STORE", "ram")
    result = CliRunner().invoke(main, ["serve", "--dist", str(dist), "--no-build"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: KG_QUERY_STORE must be auto, memory or disk, not 'ram'"


def test_the_start_up_line_says_where_the_workers_answer_from(dist, monkeypatch):
    from kg.web.app import confinement_line

    # The packaged report's store (32,374 quads) is copied by default.
    for setting, said in (("auto", True), ("memory", True), ("disk", False)):
        monkeypatch.setenv("KG_QUERY_STORE", setting)
        with TestClient(create_app(WebConfig(dist=dist, workers=1))) as c:
            assert ("the store copied into memory" in confinement_line(c.app)) is said
            r = c.get("/sparql", params={"query": Q}, headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 7


def test_a_build_report_without_graph_counts_is_served_from_disk(dist, tmp_path, monkeypatch):
    """A folder whose build report does not count its graphs (an older build) may hold any number
    of quads: ``auto`` does not copy it into every worker."""
    from kg.web.app import confinement_line

    folder = tmp_path / "dist"
    shutil.copytree(dist, folder)
    report = json.loads((folder / "build-report.json").read_text(encoding="utf-8"))
    del report["graphs"]
    (folder / "build-report.json").write_text(json.dumps(report), encoding="utf-8")
    monkeypatch.setenv("KG_QUERY_STORE", "auto")
    with TestClient(create_app(WebConfig(dist=folder, workers=1))) as c:
        assert "the store copied into memory" not in confinement_line(c.app)


def test_every_term_type_and_definition_source_has_its_words():
    """The pages name a term's type and definition source by the ontology's individuals: each has
    its words in both languages (a missing one made every candidate term's page a 500)."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF

    from kg.web.strings import UI

    nmt = Namespace("https://w3id.org/nanmatou/ns#")
    g = Graph().parse(Path(__file__).parents[1] / "ontology" / "nmt.ttl", format="turtle")
    for cls, prefix in ((nmt.TermType, "type."), (nmt.DefinitionSource, "source.")):
        names = [str(i).removeprefix(str(nmt)) for i in g.subjects(RDF.type, cls)]
        assert names
        for name in names:
            zh, en = UI[prefix + name]
            assert zh and en, name


def test_annotate_form_limits_the_text_not_its_url_encoding(dist):
    """The page's form is URL-encoded (a Chinese character is 9 bytes there): the limit is on the
    text itself, as /api/annotate counts it; more is a 413 page, and a named charset is read."""
    app = create_app(WebConfig(dist=dist, workers=1, max_annotate_bytes=30_000))
    text = "落实五个力" * 1_800  # 27,000 bytes of UTF-8, 81,000 URL-encoded
    with TestClient(app) as client:
        r = client.post("/annotate", data={"text": text})
        assert r.status_code == 200 and "五个力" in r.text
        too_long = client.post("/annotate", data={"text": text + "落实" * 1_000})
        assert too_long.status_code == 413
        gbk = client.post(
            "/api/annotate", content="落实五个力".encode("gbk"), headers={"Content-Type": "text/plain; charset=gbk"}
        )
        assert gbk.status_code == 200 and [s["text"] for s in gbk.json()["spans"]] == ["五个力"]
        bad = client.post("/api/annotate", content=b"abc", headers={"Content-Type": "text/plain; charset=nope"})
        assert bad.status_code == 400 and "unknown charset" in bad.json()["error"]


def test_a_query_longer_than_the_body_time_out_runs_to_its_own_time_out(dist):
    """The disconnect watcher reads through the body's time-out: a query (or a queued one) running
    past it was answered 499 with an empty body, as if its client had gone (found checking the
    README: KG_QUERY_TIMEOUT=30 cut queries at 10 s, the body time-out)."""
    app = create_app(WebConfig(dist=dist, workers=1, query_timeout=3, body_timeout=1, cache_entries=0))
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with TestClient(app) as client:
        r = client.post("/sparql", data={"query": slow})
        assert r.status_code == 503 and "time-out" in r.text, (r.status_code, r.text)
        ok = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
        assert ok.status_code == 200


def test_svg_views_carry_the_views_content_security_policy(client):
    """An SVG opened on its own is a document that may hold script: the views' CSP, as HTML views."""
    r = client.get("/views/overview.svg")
    assert r.status_code == 200 and "default-src 'none'" in r.headers["content-security-policy"]
    assert "frame-ancestors *" in client.get("/views/overview.html").headers["content-security-policy"]


def test_no_free_worker_is_a_503_to_retry_unlike_a_time_out(dist):
    """A query that found no free worker in time may run if sent again (Retry-After); one that ran past
    the time-out would run as long again (no Retry-After)."""
    import asyncio

    from kg.web.answering import Settings
    from kg.web.scheduler import WorkerPool
    from kg.web.workers import QueryTimeout, Unavailable

    settings = Settings(store=str(dist / "oxigraph"), memory=1 << 30, stack=64 << 20)
    pool = WorkerPool(settings, 1, per_client=8, client_queue=64, max_queue=64, cache_entries=0)

    async def scenario() -> tuple[BaseException, BaseException]:
        pool.start_monitor()
        slow = asyncio.ensure_future(pool.run(_job(SLOW_QUERY), 2.0, "a"))
        await asyncio.sleep(0.2)
        waiting = asyncio.ensure_future(pool.run(_job("ASK {}"), 0.5, "b"))
        results = await asyncio.gather(slow, waiting, return_exceptions=True)
        return results[0], results[1]

    try:
        ran_long, waited = asyncio.run(scenario())
    finally:
        pool.close()
    assert isinstance(ran_long, QueryTimeout) and ran_long.retry_after == 0
    assert isinstance(waited, Unavailable) and not isinstance(waited, QueryTimeout) and waited.retry_after > 0
    assert "no SPARQL worker was free" in str(waited)


def test_a_build_without_dataset_files_offers_none(tmp_path):
    """The downloads page says how to write them, the files are 404 and VoID names no dump."""
    from kg.pipeline import build

    folder = build(None, out=tmp_path / "dist", dataset_files=False).out
    with TestClient(create_app(WebConfig(dist=folder, workers=1))) as c:
        page = c.get("/downloads?lang=en")
        assert page.status_code == 200 and "To write them: <code>kg build --dataset-files</code>" in page.text
        assert "/dataset/dataset.trig" not in page.text
        assert c.get("/dataset/dataset.trig").status_code == 404
        void = c.get("/.well-known/void")
        assert void.status_code == 200 and "void:dataDump" not in void.text and "void:sparqlEndpoint" in void.text
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_every_kind_of_search_hit_has_its_words_on_the_page():
    """A hit's matched_on is shown on /search in words: one without them was a 500."""
    from kg import glossary
    from kg.web.strings import UI

    # Every kind of key search scores (component_en hits are shown as component, pinyin_tail as
    # pinyin), and definition.
    kinds = (set(glossary.BASE_SCORES) - {"component_en", "pinyin_tail"}) | {"definition", "component"}
    assert {"label", "alt_label", "pinyin", "english", "initials", "component"} <= kinds
    assert all(f"match.{k}" in UI for k in kinds), kinds - {k.removeprefix("match.") for k in UI}


def test_healthz_is_not_ok_the_moment_a_worker_is_killed(dist):
    """Right after every worker was killed, /healthz said ok until the monitor noticed."""
    import os
    import signal
    import time

    with TestClient(create_app(WebConfig(dist=dist, workers=1))) as c:
        assert c.get("/healthz").json()["status"] == "ok"
        for w in c.app.state.pool.workers:
            os.kill(w.proc.pid, signal.SIGKILL)
            w.proc.join(5)
        health = c.get("/healthz")
        assert health.json()["status"] != "ok"
        deadline = time.monotonic() + 30
        while c.get("/healthz").json()["status"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.2)  # the monitor brings them back
        assert c.get("/healthz").json()["status"] == "ok"


def test_a_page_asked_for_while_the_report_index_is_read_waits_off_the_event_loop(dist, monkeypatch):
    """The report index (134 MB at 1,000 reports) is read in a thread from start-up: a page asked
    for meanwhile read it on the event loop (or waited there for the thread's lock), and /healthz
    waited 2.5 s; now the page waits without holding the loop."""
    import threading
    import time

    from kg.glossary import Glossary

    real = Glossary.section

    def slow(self: Glossary, name: str):
        if name == "reports":
            time.sleep(1.5)
        return real(self, name)

    monkeypatch.setattr(Glossary, "section", slow)
    with TestClient(create_app(WebConfig(dist=dist, workers=1))) as c:
        got: dict = {}
        page = threading.Thread(target=lambda: got.setdefault("page", c.get("/glossary")))
        page.start()
        time.sleep(0.2)
        started = time.monotonic()
        assert c.get("/healthz").status_code == 200
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert c.get("/api/search", params={"q": "dang"}).json()["results"]
        assert c.get("/api/terms/san-hui-yi-dai-li").status_code == 200
        waited = time.monotonic() - started
        page.join(10)
    assert got["page"].status_code == 200 and "glossary" in got["page"].text.lower()
    assert waited < 0.8, waited


def test_the_report_reads_as_a_document(client):
    """Footnote markers are raised numbers linked to the term their note defines (they were stray
    digits: “1+2+3+7” 1 总体框架); the spaces a PDF copy left inside words and numbers are gone
    ((2021年1月15日), 2021年工作要点); part and section titles are headings."""
    page = client.get("/report/nanmatou-2021-report.html", params={"lang": "zh"}).text
    source = page[page.index('<div class="source"') :]
    # the quotes kept on the term's line with it (a line never opens with ”)
    assert '”</span><sup class="marker"><a href="/term/1-2-3-7" title="注1:1+2+3+7">1</a></sup>总体框架' in source
    assert '<span class="glued">“<button' in source
    assert "(2021年1月15日)" in source and "20 21" not in page and "1 5 日" not in source
    assert '<strong class="heading h1" role="heading" aria-level="2">一、2020年工作回顾</strong>' in source
    assert re.search(r'<strong class="heading h2" role="heading" aria-level="3">\(一\)严防控', source)
    section = client.get("/report/nanmatou-2021-report/part-1/section-1.html").text
    assert '<sup class="marker">' in section and "20 21" not in section


def test_tidy_keeps_latin_words_apart_and_numbers_whole():
    from kg.web.reports import tidy

    assert tidy("( 20 21 年 1 月 1 5 日 )", [])[0] == "(2021年1月15日)"
    assert tidy("Report to the 3rd Session", [])[0] == "Report to the 3rd Session"
    # A table's cells stay apart (they ran together: 15.6216.87, 20万㎡23.4万㎡117%).
    assert tidy("税收收入(亿元)\t15.62\t16.87", [])[0] == "税收收入(亿元)\t15.62\t16.87"
    assert tidy("旧住房综合改造        20万㎡    23.4万㎡   117%", [])[0] == "旧住房综合改造 20万㎡ 23.4万㎡ 117%"
    text, origin = tidy("“五个力” 8 建设", [(6, 7)])
    assert text == "“五个力”建设" and [origin[i] for i in range(len(text))] == [0, 1, 2, 3, 4, 8, 9]


def test_the_home_page_lists_every_report_of_a_corpus(tmp_path):
    """A build of several reports: the home page links each (it showed the first alone, and the
    others could not be reached from the site)."""
    from click.testing import CliRunner

    from kg.cli import main

    corpus = sorted((Path(__file__).resolve().parent / "fixtures" / "corpus").glob("*.txt"))
    out = tmp_path / "d"
    assert CliRunner().invoke(main, ["build", *map(str, corpus), "--out", str(out)]).exit_code == 0
    with TestClient(create_app(WebConfig(dist=out, query_timeout=3, max_rows=50, workers=1))) as c:
        page = c.get("/").text
    assert all(f'href="/report/{p.stem}"' in page for p in corpus) and "The reports in this graph" in page


def test_a_report_s_english_title_names_its_subdistrict_without_its_city():
    """深圳市宝安区新安街道2021年…: "Work report of Xinan Subdistrict, 2021" (it was Shenzhenshibaoanquxinan)."""
    from kg.web.reports import english_title

    rep = {"title": "深圳市宝安区新安街道2021年工作总结和2022年工作计划", "meeting": None}
    assert english_title(rep, []) == "Work report of Xinan Subdistrict, 2021"
    assert english_title({"title": "太原市小店區營盤街道辦事處2022年工作報告", "meeting": None}, []).startswith(
        "Work report of Yingpan Subdistrict"
    )
    # 中山市's 东区街道 and 南区街道: names ending in 区 are no district (the name was left empty)
    assert (
        english_title({"title": "东区街道2023年工作报告", "meeting": None}, [])
        == "Work report of Dongqu Subdistrict, 2023"
    )
    assert english_title({"title": "中山市南区街道2023年工作报告", "meeting": None}, []).startswith(
        "Work report of Nanqu Subdistrict"
    )


def test_a_work_item_s_responsible_units_are_in_the_graph_and_on_its_page(tmp_path):
    """A 工作要点's (牵头单位:…;配合单位:…): nmt:leadUnit and nmt:partnerUnit to offices of the
    subdistrict (org:OrganizationalUnit, labelled as written), answered in SPARQL and linked from
    the item's page."""
    from click.testing import CliRunner
    from rdflib import Dataset

    from kg.cli import main

    src = Path(__file__).resolve().parent / "fixtures" / "genre" / "zzi-work-points-responsible.txt"
    out = tmp_path / "d"
    res = CliRunner().invoke(main, ["build", str(src), "--out", str(out), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["shacl"]["violations"] == 0
    query = (
        "PREFIX nmt: <https://w3id.org/nanmatou/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?role ?office WHERE { ?item dcterms:title ?t ; ?p ?o . "
        'FILTER (STR(?t) = "推进重大项目建设") VALUES (?p ?role) { (nmt:leadUnit "lead") (nmt:partnerUnit "partner") } '
        "?o a <http://www.w3.org/ns/org#OrganizationalUnit> ; rdfs:label ?office } ORDER BY ?role ?office"
    )
    ds = Dataset(default_union=True)
    ds.parse(out / "dataset.nq", format="nquads")
    got = [(str(r.role), str(r.office)) for r in ds.query(query)]
    assert got == [("lead", "建设管理办公室"), ("partner", "经济发展办公室"), ("partner", "规划和自然资源所")]
    with TestClient(create_app(WebConfig(dist=out, workers=1))) as c:
        slug = src.stem
        page = c.get(f"/report/{slug}/part-1/section-1/initiative-2.html").text
        office = c.get("/office/liang-zhu-jie-dao-jian-she-guan-li-ban-gong-shi.html").text
    assert "牵头单位" in page and "建设管理办公室" in page and "配合单位" in page and "规划和自然资源所" in page
    assert 'href="/office/liang-zhu-jie-dao-jian-she-guan-li-ban-gong-shi"' in page
    # one line a role, its offices listed (配合单位: A、B), not the role again before each
    assert page.count("配合单位: ") == 1 and "规划和自然资源所</a>、<a" in page
    # the office's page names the items that refer to it by their titles, not their paths
    assert ">推进重大项目建设</a>" in office


def test_an_office_named_as_the_subdistrict_s_body_is_no_curated_organisation(tmp_path):
    """(责任单位:办事处) in a report of 南码头路街道: an office of its own IRI (…/office/…); the curated
    南码头路街道办事处 keeps its one zh label (it gained 办事处 as a second)."""
    from click.testing import CliRunner
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS

    from kg.cli import main

    src = tmp_path / "nanmatou-2024-points.txt"
    src.write_text(
        "南码头路街道2024年工作要点\n一、2024年工作要点\n（一）城市管理\n1.推进城市更新。完成老旧小区改造8个。（责任单位：办事处）\n",
        encoding="utf-8",
    )
    out = tmp_path / "d"
    assert CliRunner().invoke(main, ["build", str(src), "--out", str(out)]).exit_code == 0
    g = Graph().parse(out / "graph.nt", format="nt")
    curated = URIRef("https://w3id.org/nanmatou/organisation/nan-ma-tou-lu-jie-dao-ban-shi-chu")
    assert Literal("办事处", lang="zh") not in set(g.objects(curated, RDFS.label))
    offices = {str(o) for o in g.objects(None, URIRef("https://w3id.org/nanmatou/ns#leadUnit"))}
    assert offices == {"https://w3id.org/nanmatou/office/nan-ma-tou-lu-jie-dao-ban-shi-chu"}
