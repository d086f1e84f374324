"""External stores: push to a real Virtuoso 7 on loopback and get the same answers there.

Virtuoso is started by the tests with its own config, database and ports in a
temporary folder, and stopped by its pid. In CI (CI=true) a missing Virtuoso
is a failure, never a skip.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import threading
from typing import ClassVar

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.pipeline import build
from kg.queries import library
from kg.remote import Auth, RemoteError, push, remote_query

from .parity import same_answers
from .test_diff import shared_note_corpus, three_year_corpus
from .virtuoso_server import BINARY, Virtuoso, free_port


def _need_virtuoso() -> None:
    """Skip without Virtuoso; in CI (CI=true) a missing Virtuoso is a failure."""
    if BINARY is None:
        if os.environ.get("CI") == "true":
            pytest.fail("virtuoso-t is missing: .ci/run must install virtuoso-opensource")
        pytest.skip("virtuoso-t not installed (apt-get install virtuoso-opensource)")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    _need_virtuoso()
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    yield server
    server.stop()


DBA = Auth("dba", "dba", "digest")


def _count(endpoint: str, graph: str) -> int:
    r = remote_query(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(r.rows[0]["n"].value)


@pytest.fixture(scope="module")
def pushed(virtuoso, dist):
    report = push(dist, None, virtuoso.graph_store, DBA)
    return report


def test_push_with_graph_store_protocol(pushed, virtuoso, built):
    assert pushed.method == "graph-store"
    assert pushed.graphs == built.graphs
    for g, n in built.graphs.items():
        assert _count(virtuoso.sparql, g) == n


def test_push_twice_leaves_the_same_store(pushed, virtuoso, dist, built, kg):
    res = kg("push", "--graph-store", virtuoso.graph_store, "--user", "dba", "--password", "dba", "--auth", "digest")
    assert res.exit_code == 0, res.output
    assert f"Pushed {sum(built.graphs.values())} triples in 3 graphs (graph-store)." in res.stdout
    for g, n in built.graphs.items():
        assert _count(virtuoso.sparql, g) == n


def test_push_with_sparql_update(virtuoso, dist, built, tmp_path_factory):
    # A second, empty store loaded through the update endpoint only.
    other = Virtuoso(tmp_path_factory.mktemp("virtuoso-update"))
    other.start()
    try:
        report = push(dist, other.sparql_auth, None, DBA)
        assert report.method == "sparql-update" and report.graphs == built.graphs
        push(dist, other.sparql_auth, None, DBA)  # again: DROP then INSERT, same store
        for g, n in built.graphs.items():
            assert _count(other.sparql, g) == n
    finally:
        other.stop()


@pytest.mark.parametrize("name", sorted(library()))
def test_same_answers_on_virtuoso(pushed, virtuoso, kg, name):
    local = kg("query", name, "--format", "json")
    remote = kg("query", name, "--format", "json", "--endpoint", virtuoso.sparql, "--timeout", "60")
    assert local.exit_code == 0 and remote.exit_code == 0, remote.stderr
    query = library()[name].text
    assert same_answers(query, json.loads(local.stdout), json.loads(remote.stdout)), name


@pytest.fixture(scope="module")
def corpus_on_virtuoso(tmp_path_factory):
    """Three years of one subdistrict, built and pushed to a Virtuoso of their own."""
    _need_virtuoso()
    folder = tmp_path_factory.mktemp("corpus")
    sources, cur = three_year_corpus(folder)
    out = folder / "dist"
    build(sources, out=out, curation_dir=cur)
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso-corpus"))
    server.start()
    push(out, None, server.graph_store, DBA)
    yield out, server
    server.stop()


@pytest.mark.parametrize("name", ["initiatives-across-years", "term-years", "quantity-series"])
def test_cross_report_queries_answer_the_same_on_virtuoso(corpus_on_virtuoso, name, monkeypatch):
    out, server = corpus_on_virtuoso
    monkeypatch.setenv("KG_DIST", str(out))
    runner = CliRunner()
    local = runner.invoke(main, ["query", name, "--format", "json"])
    remote = runner.invoke(main, ["query", name, "--format", "json", "--endpoint", server.sparql, "--timeout", "60"])
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    data = json.loads(local.stdout)
    assert data["results"]["bindings"], name  # the corpus answers every one of them
    assert same_answers(library()[name].text, data, json.loads(remote.stdout)), name


def test_reports_sharing_triples_answer_the_same_on_virtuoso(tmp_path_factory, monkeypatch):
    """Virtuoso's default graph repeats a triple once per graph stating it; the curated queries do not depend on it."""
    _need_virtuoso()
    folder = tmp_path_factory.mktemp("shared")
    out = folder / "dist"
    build(shared_note_corpus(folder), out=out)
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso-shared"))
    server.start()
    try:
        push(out, None, server.graph_store, DBA)
        monkeypatch.setenv("KG_DIST", str(out))
        runner = CliRunner()
        for name, q in sorted(library().items()):
            local = runner.invoke(main, ["query", name, "--format", "json"])
            remote = runner.invoke(main, ["query", name, "--format", "json", "--endpoint", server.sparql])
            assert local.exit_code == 0 and remote.exit_code == 0, remote.output
            assert same_answers(q.text, json.loads(local.stdout), json.loads(remote.stdout)), name
    finally:
        server.stop()


def test_wrong_password_is_one_line(virtuoso, kg):
    res = kg("push", "--graph-store", virtuoso.graph_store, "--user", "dba", "--password", "nope", "--auth", "digest")
    assert res.exit_code == 1 and "401" in res.stderr and res.stderr.count("\n") == 1


def test_remote_syntax_error(virtuoso, kg):
    res = kg("query", "-", "--endpoint", virtuoso.sparql, input="SELECT WHERE {")
    assert res.exit_code == 1 and res.stderr.startswith("Error:") and "Traceback" not in res.output


def test_unreachable_endpoint(kg):
    port = free_port()  # nothing listens there
    res = kg("query", "dimensions", "--endpoint", f"http://127.0.0.1:{port}/sparql", "--timeout", "2")
    assert res.exit_code == 1 and "cannot reach" in res.stderr


def test_endpoint_that_never_answers(kg):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)  # accepts connections, never replies
        port = s.getsockname()[1]
        res = kg("query", "dimensions", "--endpoint", f"http://127.0.0.1:{port}/sparql", "--timeout", "1")
    assert res.exit_code == 1 and "timed out" in res.stderr


def test_local_syntax_error_has_line_and_column(kg):
    res = kg("query", "-", input="SELECT * WHERE {\n  ?s ?p \n}")
    assert res.exit_code == 1 and "SPARQL syntax error" in res.stderr and "3:" in res.stderr


class _Store(http.server.BaseHTTPRequestHandler):
    """A tiny store: no Graph Store endpoint (405), a SPARQL Update endpoint that needs basic auth."""

    received: ClassVar[list[tuple[str, str, str]]] = []

    def do_PUT(self) -> None:
        self.send_response(405)
        self.end_headers()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode()
        if self.headers.get("Authorization") != "Basic dTpw":  # u:p
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="x"')
            self.end_headers()
            return
        self.received.append((self.path, self.headers.get("Content-Type", ""), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_fallback_to_update_with_basic_auth(dist, built):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Store)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        messages: list[str] = []
        report = push(dist, f"{base}/update", f"{base}/rdf-graph-store", Auth("u", "p"), progress=messages.append)
        assert report.method == "sparql-update" and report.graphs == built.graphs
        assert any("falling back" in m for m in messages)
        drops = [b for _, _, b in _Store.received if b.startswith("update=DROP")]
        assert len(drops) == len(built.graphs)
        with pytest.raises(RemoteError, match="401"):
            push(dist, f"{base}/update", None, Auth("u", "wrong"))
    finally:
        server.shutdown()


class _Failing(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint that fails as Virtuoso does: HTTP 500 with the reason in the body (or none)."""

    body: ClassVar[bytes] = b""

    def do_GET(self) -> None:
        body = self.body
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


def test_a_store_error_says_what_the_store_said(kg):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        said = "Virtuoso 42000 Error The estimated execution time 1660945 (sec) exceeds the limit of 600 (sec)."
        _Failing.body = f"{said}\n\nSPARQL query:\nSELECT ...".encode()
        res = kg("query", "glossary-table", "--endpoint", url)
        assert res.exit_code == 1 and len(res.stderr.strip().splitlines()) == 1
        assert "500" in res.stderr and f"The store said: {said}" in res.stderr
        _Failing.body = b""  # no reason given: the status alone, said once
        res = kg("query", "glossary-table", "--endpoint", url)
        assert res.exit_code == 1 and res.stderr.count("500") == 1 and "The store said" not in res.stderr
    finally:
        server.shutdown()


class _Graphs(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint that answers every query with one triple in the format ``body`` is in."""

    media: ClassVar[str] = "text/turtle"
    body: ClassVar[bytes] = b""
    accept: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        _Graphs.accept.append(self.headers.get("Accept", ""))
        self.send_response(200)
        self.send_header("Content-Type", self.media)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(
    ("media", "body"),
    [
        ("text/turtle; charset=utf-8", b'@prefix e: <http://e/> . e:s e:p "\xe4\xb8\x89"@zh .'),
        ("application/n-triples", b'<http://e/s> <http://e/p> "\xe4\xb8\x89"@zh .\n'),
        (
            "application/rdf+xml",
            b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns:e="http://e/"><rdf:Description rdf:about="http://e/s"><e:p xml:lang="zh">\xe4\xb8\x89</e:p>'
            b"</rdf:Description></rdf:RDF>",
        ),
    ],
)
def test_a_remote_graph_is_written_as_the_embedded_engine_writes_it(kg, media, body):
    """CONSTRUCT on an endpoint prints N-Triples whatever RDF the store sent, without a warning."""
    _Graphs.media, _Graphs.body, _Graphs.accept = media, body, []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Graphs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        res = kg("query", "-", "--endpoint", url, input="CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert res.exit_code == 0, res.stderr
        assert res.stdout.strip() == '<http://e/s> <http://e/p> "三"@zh .'
        assert "Warning" not in res.stderr and "application/n-triples" in _Graphs.accept[0]
    finally:
        server.shutdown()
