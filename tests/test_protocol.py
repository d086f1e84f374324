"""The W3C SPARQL 1.1 Protocol query tests that need no remote data (names as in the W3C test suite).

The dataset tests name the store's own graphs instead of the suite's remote files: this endpoint
never fetches a graph, by design.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph
from starlette.testclient import TestClient

from kg.web.app import create_app
from kg.web.config import WebConfig

ONTOLOGY = "https://w3id.org/nanmatou/graph/ontology"
CURATION = "https://w3id.org/nanmatou/graph/curation"
DIRECT = {"Content-Type": "application/sparql-query"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def client(dist):
    with TestClient(create_app(WebConfig(dist=dist, query_timeout=5, workers=1))) as c:
        yield c


def _bool(r) -> bool:
    return json.loads(r.text)["boolean"]


def test_query_get(client):
    r = client.get("/sparql", params={"query": "ASK {}"})
    assert r.status_code == 200 and _bool(r) is True


def test_query_post_form(client):
    r = client.post("/sparql", content=b"query=ASK%20%7B%7D", headers=FORM)
    assert r.status_code == 200 and _bool(r) is True


def test_query_post_direct(client):
    r = client.post("/sparql", content=b"ASK {}", headers=DIRECT)
    assert r.status_code == 200 and _bool(r) is True


def _count(r) -> int:
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_query_dataset_default_graphs_get_and_post(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    one = _count(client.get("/sparql", params={"query": q, "default-graph-uri": ONTOLOGY}))
    both = client.post(
        "/sparql", content=q.encode(), headers=DIRECT, params={"default-graph-uri": [ONTOLOGY, CURATION]}
    )
    assert 0 < one < _count(both)


def test_query_dataset_named_graphs_get_and_post(client):
    q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _count(client.get("/sparql", params={"query": q, "named-graph-uri": ONTOLOGY})) == 1
    form = {"query": q, "named-graph-uri": [ONTOLOGY, CURATION]}
    assert _count(client.post("/sparql", data=form)) == 2


def test_query_dataset_full(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o GRAPH ?g { ?a ?b ?c } } LIMIT 1"
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": ONTOLOGY})
    assert _bool(r) is True
    r = client.get("/sparql", params={"query": q, "default-graph-uri": "urn:none", "named-graph-uri": ONTOLOGY})
    assert _count(r) == 0


def test_query_multiple_dataset(client):
    """Protocol dataset parameters take precedence over the query's FROM."""
    q = f"SELECT (COUNT(*) AS ?n) FROM <{CURATION}> WHERE {{ ?s ?p ?o }}"
    only_ontology = _count(client.get("/sparql", params={"query": q, "default-graph-uri": ONTOLOGY}))
    plain = _count(client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> {{?s ?p ?o}}"}))
    assert only_ontology == plain


def test_query_content_type_select(client):
    r = client.get(
        "/sparql", params={"query": "SELECT (1 AS ?x) {}"}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    ET.fromstring(r.content)


def test_query_content_type_ask(client):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    assert "true" in r.text


def test_query_content_type_describe(client):
    r = client.get(
        "/sparql",
        params={"query": "DESCRIBE <https://w3id.org/nanmatou/dimension/red>"},
        headers={"Accept": "application/rdf+xml"},
    )
    assert r.headers["content-type"].startswith("application/rdf+xml")
    assert len(Graph().parse(data=r.text, format="xml")) > 0


def test_query_content_type_construct(client):
    r = client.post("/sparql", content=b"CONSTRUCT { <s> <p> 1 } WHERE {}", headers={**DIRECT, "Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=r.text, format="turtle")) == 1


def test_bad_query_method(client):
    assert client.put("/sparql?query=ASK%20%7B%7D").status_code == 405


def test_bad_multiple_queries(client):
    assert client.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D").status_code == 400


def test_bad_query_wrong_media_type(client):
    assert client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}).status_code == 415


def test_bad_query_missing_form_type(client):
    assert client.post("/sparql", content=b"query=ASK%20%7B%7D").status_code in (400, 415)


def test_bad_query_missing_direct_type(client):
    assert client.post("/sparql", content=b"ASK {}").status_code in (400, 415)


def test_bad_query_non_utf8(client):
    r = client.post("/sparql", content="ASK {}".encode("utf-16"), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400
    r = client.post(
        "/sparql",
        content="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert r.status_code == 415


def test_bad_query_syntax(client):
    assert client.get("/sparql", params={"query": "ASK {"}).status_code == 400


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("get", {"params": {"query": ""}}),
        ("get", {"params": {"query": "  \n"}}),
        ("post", {"content": b"", "headers": DIRECT}),
        ("post", {"content": b"query=", "headers": FORM}),
    ],
)
def test_an_empty_query_is_400_saying_so(client, method, kwargs):
    r = getattr(client, method)("/sparql", **kwargs)
    assert r.status_code == 400 and r.text.startswith("empty query")


def test_bad_update_get(client):
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code in (400, 403, 405)


def test_formats_that_do_not_fit_the_result_are_406(client):
    assert client.get("/sparql", params={"query": "SELECT (1 AS ?x) {}", "format": "turtle"}).status_code == 406
    assert client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } {}", "format": "csv"}).status_code == 406
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "*/*"}).status_code == 200
    r = client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> <<( <a> <b> <c> )>> } {}", "format": "jsonld"})
    assert r.status_code == 406 and "ask for Turtle or N-Triples" in r.text  # JSON-LD cannot carry triple terms
