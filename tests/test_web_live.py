"""A live `kg serve` on 127.0.0.1: SPARQLWrapper in every format, and the safety promises under load."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from .conftest import serve

Q = (
    "SELECT ?label WHERE { ?d a <https://w3id.org/nanmatou/ns#Dimension> ; "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER (LANG(?label) = 'zh') }"
)
C = "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <https://w3id.org/nanmatou/ns#Dimension> ; ?p ?o }"


@pytest.fixture(scope="module")
def server(dist):
    with serve(dist, KG_QUERY_TIMEOUT="3") as base:
        yield base


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_formats(server, fmt):
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery(Q)
    sw.setReturnFormat(fmt)
    result = sw.query().convert()
    if fmt == JSON:
        labels = {b["label"]["value"] for b in result["results"]["bindings"]}
    elif fmt == XML:
        labels = {n.firstChild.data for n in result.getElementsByTagName("literal")}
    else:
        text = result.decode("utf-8") if isinstance(result, bytes) else result
        labels = {line.split("\t")[0].strip('"').split('"@')[0] for line in text.splitlines()[1:]}
    assert "红色先锋南码头" in labels and len(labels) == 7


@pytest.mark.parametrize("fmt", ["turtle", "n3", "json-ld", "xml"])
def test_sparqlwrapper_graph_formats(server, fmt):
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery(C)
    sw.setReturnFormat({"n3": "n3", "turtle": "turtle", "json-ld": "json-ld", "xml": "xml"}[fmt])
    g = sw.query().convert()
    if not isinstance(g, Graph):
        data = g.decode("utf-8") if isinstance(g, bytes) else g
        g = Graph().parse(data=data, format={"n3": "turtle", "turtle": "turtle", "json-ld": "json-ld"}[fmt])
    assert len(g) > 50


def _get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_service_never_reaches_the_listener(server):
    hits = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                hits.append(conn)
            except OSError:
                pass

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    try:
        for q in [
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
            f"select * {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        ]:
            status, body = _get(server + "/sparql?" + urllib.parse.urlencode({"query": q}))
            assert status == 400 and b"SERVICE" in body
        time.sleep(0.5)
    finally:
        stop.set()
        t.join(2)
        listener.close()
    assert hits == []


def test_from_file_and_update(server):
    q = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"
    status, body = _get(
        server + "/sparql?" + urllib.parse.urlencode({"query": q, "default-graph-uri": "file:///etc/passwd"})
    )
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    q = "SELECT ?o FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    status, body = _get(server + "/sparql?" + urllib.parse.urlencode({"query": q}))
    assert status == 200 and b"root:" not in body and json.loads(body)["results"]["bindings"] == []
    req = urllib.request.Request(
        server + "/sparql",
        data=b"update=CLEAR%20ALL",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        urllib.request.urlopen(req, timeout=10)
        raise AssertionError("update accepted")
    except urllib.error.HTTPError as exc:
        assert exc.code == 403


def test_timeout_kills_the_query_while_lookups_answer(server):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome: dict[str, object] = {}

    def run_heavy() -> None:
        started = time.monotonic()
        outcome["status"], outcome["body"] = _get(server + "/sparql?" + urllib.parse.urlencode({"query": heavy}))
        outcome["seconds"] = time.monotonic() - started

    t = threading.Thread(target=run_heavy)
    t.start()
    time.sleep(0.5)
    started = time.monotonic()
    status, body = _get(server + "/api/terms/wu-ge-li", timeout=5)
    lookup = time.monotonic() - started
    assert status == 200 and json.loads(body)["label"]["zh"] == "五个力"
    assert lookup < 1.0, lookup
    t.join(30)
    assert outcome["status"] == 503 and 2.5 < outcome["seconds"] < 10  # type: ignore[operator]
    # The worker was replaced: the endpoint answers again.
    status, body = _get(server + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
    assert status == 200 and json.loads(body)["boolean"] is True
