"""The endpoint's safety, one test per finding of the security review (issue 10), plus the two walls.

Each ``test_finding_N_…`` reproduces what an attacker did and asserts the fixed behaviour.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from kg.web.app import create_app
from kg.web.config import WebConfig
from kg.web.sandbox import isolate_network

from .conftest import serve


def _can_isolate() -> bool:
    """Whether this machine gives a child process its own network namespace."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        try:
            pool.apply(isolate_network)
            return True
        except OSError:
            return False


SANDBOX = _can_isolate()
if not SANDBOX and os.environ.get("CI") == "true":
    raise RuntimeError("CI must run where query workers can leave the network (unprivileged user namespaces)")
needs_sandbox = pytest.mark.skipif(
    not SANDBOX, reason="no network namespaces here: the guard stands alone (enable unprivileged user namespaces)"
)


class Listener:
    """A TCP listener on loopback that counts every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    lis = Listener()
    yield lis
    lis.close()


@pytest.fixture(scope="module")
def client(dist):
    app = create_app(WebConfig(dist=dist, query_timeout=5, workers=2, cache_entries=0))
    with TestClient(app) as c:
        yield c


def _send(client: TestClient, query: str, how: str):
    if how == "get":
        return client.get("/sparql", params={"query": query})
    if how == "form":
        return client.post("/sparql", data={"query": query})
    return client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})


HOW = ["get", "form", "direct"]


def _ssrf_queries(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/x"
    return [
        f"SELECT * WHERE {{ BIND(2 AS ?x) #\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ BIND(2 AS ?x) #\rSERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ BIND(2 AS ?x) #\rSERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ BIND(2 AS ?x) #\rSERVICE e:x {{ ?s ?p ?o }} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * {{ SERVICEe:x {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICESILENT<{url}>{{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ FILTER(!(?x<'>')) SERVICE <{url}> {{ ?a ?b ?c }} }} #'",
        f"SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    ]


# -- finding 1 and the two walls -------------------------------------------------------


@pytest.mark.parametrize("how", HOW)
def test_finding_1_service_behind_a_cr_comment_is_refused(client, listener, how):
    before = listener.hits
    for q in _ssrf_queries(listener.port):
        r = _send(client, q, how)
        assert r.status_code == 400, (q, r.text)
    time.sleep(0.2)
    assert listener.hits == before


@needs_sandbox
def test_with_the_guard_off_no_connection_leaves_a_worker(dist, listener):
    """The second wall alone: SERVICE, FROM and default-graph-uri to a loopback listener open nothing."""
    app = create_app(WebConfig(dist=dist, query_timeout=5, workers=1, cache_entries=0, guard=False))
    url = f"http://127.0.0.1:{listener.port}/x"
    before = listener.hits
    with TestClient(app) as c:
        for how in HOW:
            for q in _ssrf_queries(listener.port):
                assert _send(c, q, how).status_code != 500
        c.get("/sparql", params={"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"})
        c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": url})
        c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "named-graph-uri": url})
    time.sleep(0.2)
    assert listener.hits == before


@needs_sandbox
def test_the_listener_would_see_an_unconfined_engine(dist, listener):
    """Control: with both walls down the same query does reach the listener, so the test above can fail."""
    app = create_app(WebConfig(dist=dist, query_timeout=5, workers=1, cache_entries=0, guard=False, sandbox=False))
    before = listener.hits
    with TestClient(app) as c:
        _send(c, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}", "get")
    time.sleep(0.3)
    assert listener.hits > before


# Hidden SERVICE / FROM / LOAD: comment, line-end, escape, case and spacing variants, by every method.
KEYWORD = st.sampled_from(["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERVICE SILENT", "SERVICESILENT"])
GAP = st.sampled_from([" ", "\t", "\r", "\n", "\r\n", " #c\r", " #c\n", "#\r", ""])
TARGET = st.sampled_from(["<{url}>", "e:x", "<\\u0068ttp://127.0.0.1:{port}/x>", "?svc"])
PREFIX = st.sampled_from(["", "# x\r", "#\rBIND(<{url}> AS ?svc) ", "FILTER(?z<'>') ", "?s ?p ?o . "])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(KEYWORD, GAP, TARGET, PREFIX, st.sampled_from(HOW))
def test_finding_1_property_no_smuggled_service_reaches_the_listener(client, listener, kw, gap, target, lead, how):
    url = f"http://127.0.0.1:{listener.port}/x"
    tgt = target.format(url=url, port=listener.port)
    body = f"{lead.format(url=url)}{kw}{gap}{tgt}{gap}{{ ?a ?b ?c }}"
    q = f"PREFIX e: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ BIND(1 AS ?one) {body} }}"
    before = listener.hits
    r = _send(client, q, how)
    assert r.status_code in (400, 403), (q, r.status_code, r.text)
    assert listener.hits == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["LOAD", "load", "LoAd", "\\u004cOAD"]), GAP, st.sampled_from(HOW))
def test_load_variants_are_refused(client, listener, kw, gap, how):
    q = f"{kw}{gap}<http://127.0.0.1:{listener.port}/x>"
    before = listener.hits
    assert _send(client, q, how).status_code in (400, 403)
    assert listener.hits == before


# -- finding 2: nothing heavy on the event loop ------------------------------------------

HEAVY_PARSE = "ASK { FILTER(" + "+".join(["1"] * 32_700) + " > 0) } # from"


def _post(base: str, query: str, source: str = "127.0.0.1", timeout: float = 30) -> tuple[int, bytes, float]:
    u = urllib.parse.urlsplit(base)
    started = time.monotonic()
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request("POST", "/sparql", body=query.encode(), headers={"Content-Type": "application/sparql-query"})
        r = conn.getresponse()
        return r.status, r.read(), time.monotonic() - started
    finally:
        conn.close()


def _get(base: str, path: str, source: str = "127.0.0.1", timeout: float = 30) -> tuple[int, bytes, float]:
    u = urllib.parse.urlsplit(base)
    started = time.monotonic()
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read(), time.monotonic() - started
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(dist):
    with serve(dist, KG_QUERY_TIMEOUT="3", KG_QUERY_CACHE="0") as base:
        yield base


def _slowest_healthz_during(base: str, threads: list, settle: float, samples: int, join: float) -> float:
    """Start ``threads``, then time ``samples`` /healthz requests while they run; the slowest, in seconds."""
    for t in threads:
        t.start()
    time.sleep(settle)
    worst = max(_get(base, "/healthz")[2] for _ in range(samples))
    for t in threads:
        t.join(join)
    return worst


def test_finding_2_parse_heavy_queries_do_not_freeze_other_routes(server):
    assert len(HEAVY_PARSE.encode()) < 64 * 1024
    threads = [threading.Thread(target=_post, args=(server, HEAVY_PARSE, f"127.0.0.{10 + i}")) for i in range(3)]
    worst = _slowest_healthz_during(server, threads, settle=0.2, samples=10, join=30)
    assert worst < 1.0, worst  # was 17.9 s


@pytest.mark.skipif(not hasattr(os, "SCHED_BATCH"), reason="no SCHED_BATCH on this OS")
def test_query_workers_never_preempt_the_event_loop_on_waking(dist):
    """Workers run as batch processes: a job written to one does not stop the server mid-write."""
    app = create_app(WebConfig(dist=dist, workers=1, cache_entries=0))
    try:
        for w in app.state.pool.workers:
            assert os.sched_getscheduler(w.proc.pid) == os.SCHED_BATCH
    finally:
        app.state.pool.close()


# -- finding 3: fair scheduling -----------------------------------------------------------

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_finding_3_two_looping_clients_do_not_starve_a_third_or_the_documents(server):
    stop = time.monotonic() + 7
    loops = []

    def loop(source: str) -> None:
        while time.monotonic() < stop:
            loops.append(_post(server, SLOW, source)[0])

    threads = [threading.Thread(target=loop, args=(f"127.0.0.{n}",)) for n in (21, 22)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    cheap = [_post(server, f"ASK {{ ?s ?p {i} }}", "127.0.0.23") for i in range(3)]
    docs = [_get(server, f"/term/{slug}.ttl", "127.0.0.24") for slug in ("wu-ge-li", "san-hui-yi-dai-li")]
    for t in threads:
        t.join(20)
    assert all(status == 200 for status, _, _ in cheap), cheap
    assert all(seconds < 4.5 for _, _, seconds in cheap)  # at most one time-out's wait, never a 503
    assert all(status == 200 and seconds < 1.5 for status, _, seconds in docs), docs
    assert set(loops) <= {503}  # the slow queries themselves time out


def test_finding_3_a_disconnected_client_frees_its_worker(dist):
    with serve(dist, KG_QUERY_TIMEOUT="8", KG_QUERY_WORKERS="1", KG_QUERY_CACHE="0") as base:
        with contextlib.suppress(TimeoutError, OSError):
            _post(base, SLOW, "127.0.0.31", timeout=0.5)  # gives up after half a second
        status, _, seconds = _post(base, "ASK { ?s ?p ?o }", "127.0.0.32")
    assert status == 200 and seconds < 4, seconds  # not the 8-s time-out of the abandoned query


def test_finding_3_queue_is_bounded_and_says_when_to_retry(dist):
    with serve(dist, KG_QUERY_TIMEOUT="3", KG_QUERY_WORKERS="1", KG_MAX_QUEUE="1", KG_QUERY_CACHE="0") as base:
        results: list[tuple[int, bytes, float]] = []
        threads = [
            threading.Thread(target=lambda n=n: results.append(_post(base, SLOW, f"127.0.0.{40 + n}")))
            for n in range(4)
        ]
        for t in threads:
            t.start()
            time.sleep(0.1)
        for t in threads:
            t.join(20)
    assert 503 in {s for s, _, _ in results}
    assert any(b"waiting" in body for s, body, _ in results if s == 503)


# -- finding 4: bounded memory ------------------------------------------------------------


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmRSS:"))


def _server_pid(base: str) -> int:
    port = urllib.parse.urlsplit(base).port
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    cmd = fh.read().split(b"\0")
            except OSError:
                continue
            if b"serve" in cmd and str(port).encode() in cmd:
                return int(pid)
    raise LookupError(port)


def _chunked_post(base: str, path: str, total: int) -> int:
    """POST ``total`` bytes with chunked transfer encoding; the status, or 0 if the server hung up first."""
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    chunk = b"a" * (1 << 20)

    def body() -> Iterator[bytes]:
        for _ in range(total // len(chunk)):
            yield chunk

    try:
        conn.request(
            "POST", path, body=body(), headers={"Content-Type": "application/sparql-query"}, encode_chunked=True
        )
        return conn.getresponse().status
    except OSError:
        return 0
    finally:
        conn.close()


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc to read the server's memory")
def _doubling(times: int, rows: int = 1) -> str:
    """A short query whose answer is a string of 16 × 2**times characters in each of ``rows`` rows."""
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(times))
    values = " ".join(str(k) for k in range(rows))
    return f'SELECT ?k (?v{times} AS ?v) WHERE {{ VALUES ?k {{ {values} }} BIND("0123456789abcdef" AS ?v0) {binds} }}'


def test_finding_4_bodies_results_and_workers_are_bounded(dist):
    env = {"KG_MAX_RESULT_BYTES": str(1 << 20), "KG_WORKER_MEMORY_MB": "256", "KG_QUERY_CACHE": "0"}
    with serve(dist, **env) as base:
        pid = _server_pid(base)
        assert _chunked_post(base, "/sparql", 200 << 20) in (0, 413)  # refused as it streams in
        assert _chunked_post(base, "/api/annotate", 50 << 20) in (0, 413)
        # 40 rows of 64 KB each: more than the 1 MB byte cap, so truncated and said so.
        u = urllib.parse.urlsplit(base)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        conn.request("POST", "/sparql", body=_doubling(12, 40), headers={"Content-Type": "application/sparql-query"})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        assert r.status == 200 and r.getheader("X-KG-Truncated") == "true", body[:200]
        assert 0 < len(body) <= 1 << 20
        # 24 doublings need more than the worker's 256 MiB: a clear 503, and the service lives on.
        status, body, _ = _post(base, _doubling(24))
        assert status == 503 and b"memory" in body, body[:300]
        assert _post(base, "ASK { ?s ?p ?o }")[0] == 200
        assert _rss(pid) < 300 << 20


# -- findings 5–7: deep input, lost workers --------------------------------------------------


def test_finding_5_deep_nesting_is_400_not_a_crash(client):
    r = client.get("/sparql", params={"query": "ASK " + "{" * 3000 + "}" * 3000})
    assert r.status_code == 400 and "nested" in r.text
    chain = "ASK { FILTER(" + "+".join(["1"] * 3_000) + " > 0) }"  # long, not deep: runs on the big stack
    assert client.post("/sparql", data={"query": chain}).json()["boolean"] is True
    assert client.get("/healthz").json()["status"] == "ok"


def test_finding_6_dead_idle_workers_are_replaced_without_a_request(dist):
    app = create_app(WebConfig(dist=dist, query_timeout=5, workers=2, cache_entries=0))
    with TestClient(app) as c:
        for w in app.state.pool.workers:
            w.proc.kill()
            w.proc.join(5)
        deadline = time.monotonic() + 10
        while c.get("/healthz").json()["status"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert c.get("/healthz").json()["status"] == "ok"
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        docs = app.state.pool.lanes["documents"].workers[0]
        docs.proc.kill()
        docs.proc.join(5)
        r = c.get("/term/wu-ge-li.ttl")
        assert r.status_code in (200, 503) and r.status_code != 500
        if r.status_code == 503:
            assert "retry-after" in r.headers


def test_finding_6_a_worker_lost_mid_request_is_503_with_retry_after(dist, monkeypatch):
    from kg.web.workers import Worker

    app = create_app(WebConfig(dist=dist, query_timeout=5, workers=1, cache_entries=0))
    real = Worker.call

    async def dying(self, job, wait, timeout, *rest):
        self.proc.kill()
        self.proc.join(5)
        return await real(self, job, wait, timeout, *rest)

    with TestClient(app) as c:
        monkeypatch.setattr(Worker, "call", dying)
        for path in ("/term/wu-ge-li.ttl", "/sparql?query=ASK%7B%7D"):
            r = c.get(path)
            assert r.status_code == 503 and r.headers["retry-after"], (path, r.status_code, r.text)


def test_finding_7_deep_json_is_400(client):
    r = client.post("/api/annotate", content=b"[" * 1000 + b"]" * 1000, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "nested" in r.json()["error"]
    r = client.post("/api/annotate", content=b'{"text": "[[[[[[["}', headers={"Content-Type": "application/json"})
    assert r.status_code == 200


# -- findings 8–11 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tail", ["# from", "# service", '. FILTER(STR(?o) != "from service")', "# FROM <x>", "#\rFILTER(true)"]
)
def test_finding_8_the_dataset_clause_comes_from_the_parse_not_words(client, tail):
    def count(q: str) -> int:
        return int(client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"])

    plain = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert plain > 10_000
    assert count(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o {tail}\n}}") == plain


def test_finding_9_non_utf8_is_400_and_other_charsets_415(client):
    direct = {"Content-Type": "application/sparql-query"}
    assert client.post("/sparql", content="ASK {}".encode("utf-16"), headers=direct).status_code == 400
    assert client.post("/sparql", content=b'ASK { FILTER("\xe9") }', headers=direct).status_code == 400
    latin = {"Content-Type": "application/sparql-query; charset=ISO-8859-1"}
    assert client.post("/sparql", content=b"ASK {}", headers=latin).status_code == 415
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert client.post("/sparql", content=b"query=ASK%20%7B%22%E9%22%7D", headers=form).status_code == 400
    assert client.get("/sparql?query=ASK%20%7B%22%E9%22%7D").status_code == 400
    ok = {"Content-Type": "application/sparql-query; charset=UTF-8"}
    assert client.post("/sparql", content=b"ASK {}", headers=ok).status_code == 200


def test_finding_10_relative_iris_resolve_against_the_endpoint(client):
    r = client.post(
        "/sparql",
        content=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert r.status_code == 200
    assert "<http://testserver/s> <http://testserver/p>" in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/glossary",
        "/search?q=shydl",
        "/healthz",
        "/sparql?query=ASK%7B%7D",
        "/term/wu-ge-li.html",
        "/term/wu-ge-li.ttl",
        "/api/search?q=shydl",
        "/views/overview.html",
        "/static/site.css",
        "/.well-known/void",
    ],
)
def test_finding_11_headers_and_head(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff"
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    ctype = r.headers["content-type"]
    if ctype.startswith("text/html"):
        csp = r.headers["content-security-policy"]
        if path.startswith("/views/"):
            assert "frame-ancestors *" in csp and "x-frame-options" not in r.headers  # made to be embedded
            assert "connect-src" not in csp and "default-src 'none'" in csp  # no request leaves a view
        else:
            assert "frame-ancestors 'self'" in csp and "script-src 'self'" in csp


# -- the adversarial review after the fixes ------------------------------------------------------


def test_review_annotate_runs_off_the_event_loop(dist):
    with serve(dist, KG_MAX_SPANS="100") as base:
        text = ("拆违" * 200_000)[:333_000].encode()
        u = urllib.parse.urlsplit(base)
        results: list[int] = []

        def post() -> None:
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            conn.request("POST", "/api/annotate", body=text, headers={"Content-Type": "text/plain"})
            r = conn.getresponse()
            data = r.read()
            results.append(r.status)
            assert b'"truncated": true' in data.replace(b'":true', b'": true') and len(data) < 100_000
            conn.close()

        threads = [threading.Thread(target=post) for _ in range(3)]
        worst = _slowest_healthz_during(base, threads, settle=0.3, samples=8, join=60)
    assert results == [200, 200, 200]
    assert worst < 1.5, worst  # was 3.6 s for one request


def test_review_a_stalled_body_gets_408(dist):
    with serve(dist, KG_BODY_TIMEOUT="1") as base:
        u = urllib.parse.urlsplit(base)
        with socket.create_connection((u.hostname, u.port), timeout=10) as s:
            s.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 1000\r\n\r\nASK {"
            )
            started = time.monotonic()
            reply = s.recv(4096)
        assert reply.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 5


def test_review_xml_results_never_carry_characters_xml_forbids(client):
    r = client.get("/sparql", params={"query": 'SELECT ("a\\u0001b" AS ?x) {}', "format": "xml"})
    assert r.status_code == 406 and "JSON" in r.text
    assert client.get("/sparql", params={"query": 'SELECT ("a\\u0001b" AS ?x) {}'}).status_code == 200


# -- second review: connections, request heads, slow bodies, thread lanes --------------------------


def _connect(base: str, source: str = "127.0.0.1") -> socket.socket:
    u = urllib.parse.urlsplit(base)
    return socket.create_connection((u.hostname, u.port), timeout=10, source_address=(source, 0))


def test_review2_idle_sockets_of_one_client_leave_the_server_to_others(dist):
    """64 idle connections took every slot of the server (503 for all, for as long as they
    stayed open): a client holds at most KG_CLIENT_CONNECTIONS; more are refused with 503."""
    with serve(dist, KG_CLIENT_CONNECTIONS="8", KG_HEAD_TIMEOUT="30") as base:
        idle = [_connect(base) for _ in range(12)]
        try:
            time.sleep(0.3)
            refused = 0
            for s in idle[8:]:
                s.settimeout(5)
                if s.recv(200).startswith(b"HTTP/1.1 503"):
                    refused += 1
            assert refused == 4
            status, _body, took = _get(base, "/healthz", source="127.0.0.2")
            assert status == 200 and took < 2
        finally:
            for s in idle:
                s.close()
        time.sleep(0.3)
        assert _get(base, "/healthz")[0] == 200  # its connections closed, the client is served again


def test_review2_a_request_head_not_all_in_gets_408(dist):
    """An idle socket, or headers sent a line every few seconds (slowloris), held a slot forever."""
    with serve(dist, KG_HEAD_TIMEOUT="1") as base:
        with _connect(base) as idle, _connect(base) as slow:
            slow.sendall(b"GET /healthz HTTP/1.1\r\n")
            started = time.monotonic()
            for _ in range(4):
                time.sleep(0.4)
                try:
                    slow.sendall(b"X-A: b\r\n")
                except OSError:
                    break
            for s in (idle, slow):
                s.settimeout(5)
                assert s.recv(200).startswith(b"HTTP/1.1 408")
            assert time.monotonic() - started < 4
        # A keep-alive connection's second request is as free as the first.
        with _connect(base) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            s.settimeout(5)
            assert s.recv(4096).startswith(b"HTTP/1.1 200")


def test_review2_a_huge_request_head_gets_431_not_memory(dist):
    with serve(dist, KG_MAX_HEAD="16384") as base:
        with _connect(base) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            try:
                for _ in range(64):
                    s.sendall(b"X-Big: " + b"a" * 4096 + b"\r\n")
            except OSError:
                pass  # the server closed the connection mid-way, as it should
            s.settimeout(5)
            assert s.recv(200).startswith(b"HTTP/1.1 431")
        assert _get(base, "/healthz")[0] == 200


def test_review2_a_body_sent_a_byte_at_a_time_has_a_deadline(dist):
    """A byte every 0.5 s never stalled for KG_BODY_TIMEOUT: the whole body has six times as long."""
    with serve(dist, KG_BODY_TIMEOUT="0.5") as base, _connect(base) as s:
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\n"
        )
        started = time.monotonic()
        reply = b""
        s.settimeout(0.3)
        while not reply and time.monotonic() - started < 10:
            try:
                s.sendall(b"A")
                reply = s.recv(200)
            except TimeoutError:
                continue
            except OSError:
                break
        took = time.monotonic() - started
        s.settimeout(5)
        while b"not all in" not in reply and (more := s.recv(4096)):
            reply += more
        assert reply.startswith(b"HTTP/1.1 408") and b"not all in" in reply
        assert 2.5 < took < 6


def test_review2_many_views_at_once_hold_their_own_lane_not_the_server(dist):
    """Forty views drawn at once (each spelled another way, so no cache helps) filled the thread
    pool every page shares: /healthz and term pages waited 30 s. Views have two threads of their
    own and two a client; more from one client get 429."""
    with serve(dist) as base:
        statuses: list[int] = []

        def view(i: int) -> None:
            spelled = urllib.parse.quote("san" + " " * (i + 1) + "hui yi dai li")
            statuses.append(_get(base, f"/views/term/{spelled}.png?depth=3", timeout=60)[0])

        threads = [threading.Thread(target=view, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        page = _get(base, "/term/san-hui-yi-dai-li.html", source="127.0.0.2", timeout=30)
        health = max(_get(base, "/healthz", source="127.0.0.2")[2] for _ in range(5))
        for t in threads:
            t.join(60)
        assert page[0] == 200 and page[2] < 5, page[2]
        assert health < 1.0, health
        assert 429 in statuses and 200 in statuses and set(statuses) <= {200, 429}


def test_review2_ipv6_clients_count_by_their_64_network():
    from kg.web.lanes import client_key

    assert client_key("2001:db8::1") == client_key("2001:db8::ffff:1") == "2001:db8::/64"
    assert client_key("2001:db8:0:1::1") != client_key("2001:db8::1")
    assert client_key("::ffff:10.0.0.1") == "10.0.0.1" and client_key("10.0.0.1") == "10.0.0.1"
    assert client_key("") == ""


def test_review2_answers_nobody_reads_are_held_within_a_budget(dist):
    """Sixty sockets that asked for a large answer each and never read it held a gigabyte:
    answers not yet read count against a budget (a quarter of it one client's); past it, 503."""
    query = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o BIND (STR(?s) AS ?a) BIND (STR(?p) AS ?b) }")
    request = f"GET /sparql?query={query} HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n"
    with serve(dist, KG_MAX_SENDING_MB="16", KG_MAX_ROWS="1000000", KG_QUERY_CACHE="0") as base:
        u = urllib.parse.urlsplit(base)
        size = len(_get(base, f"/sparql?query={query}")[1])
        # More than the kernel's socket buffers take (4 MB) and than the client's budget (4 MiB).
        assert size > 6_000_000, size
        unread = socket.socket()
        unread.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        unread.connect((u.hostname, u.port))
        unread.sendall(request.encode())
        time.sleep(1.5)  # answered, and stuck in the sending
        try:
            status, body, _ = _get(base, f"/sparql?query={query}")
            assert status == 503 and b"not read" in body
            assert _get(base, "/sparql?query=ASK%7B%7D", source="127.0.0.2")[0] == 200
        finally:
            unread.close()
        time.sleep(0.5)
        assert _get(base, f"/sparql?query={query}")[0] == 200  # gone with its connection


def test_send_budget_per_client_and_in_all():
    from kg.web.lanes import SendBudget

    b = SendBudget(100, small=5)
    assert b.take("a", 200)  # a client's first answer always goes when nothing else is being sent
    assert not b.take("a", 1)  # then nothing more of that client's
    assert not b.take("b", 10)  # and the budget is spent
    assert b.take("b", 5)  # but for a small answer of a client that has nothing being sent
    b.give("b", 5)
    b.give("a", 200)
    assert b.take("a", 20) and b.take("a", 5) and not b.take("a", 1)  # a quarter each
    assert b.take("b", 25) and b.take("c", 50) and not b.take("d", 6) and b.take("d", 5)
    b.give("c", 50)
    b.give("d", 5)
    assert b.take("d", 6) and b.used == 56


def _unread_big_answer(base: str, query: str) -> socket.socket:
    """A connection that asked for a large answer and reads none of it."""
    u = urllib.parse.urlsplit(base)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((u.hostname, u.port))
    s.sendall(
        f"GET /sparql?query={query} HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n".encode()
    )
    return s


BIG = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o BIND (STR(?s) AS ?a) BIND (STR(?p) AS ?b) }")


def test_review3_a_head_behind_an_unanswered_request_is_capped_too(dist):
    """Behind a request whose answer was not read, a second request's head was never counted:
    one connection sent 3 GB of headers into the server's memory."""
    with serve(dist, KG_MAX_ROWS="1000000", KG_QUERY_CACHE="0", KG_MAX_HEAD="16384") as base:
        s = _unread_big_answer(base, BIG)
        time.sleep(1.0)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        sent = 0
        s.settimeout(5)
        try:
            while sent < 50_000_000:
                s.sendall(b"X-Pad: " + b"a" * 8192 + b"\r\n")
                sent += 8200
        except OSError:
            pass  # cut off, as it should be
        finally:
            s.close()
        assert sent < 5_000_000, sent  # what the kernel's buffers took before the server cut it off
        # A head sent whole is counted before it is parsed: 100 KiB in one piece is refused too.
        with _connect(base) as c:
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n")
            c.settimeout(5)
            assert c.recv(200).startswith(b"HTTP/1.1 431")


def test_review3_a_client_that_reads_nothing_is_cut_off_and_its_answer_freed(dist):
    """Four addresses that read none of their answers kept /sparql's send budget full for as long
    as they liked: a client that reads nothing for KG_SEND_TIMEOUT is cut off."""
    env = {"KG_MAX_ROWS": "1000000", "KG_QUERY_CACHE": "0", "KG_MAX_SENDING_MB": "16", "KG_SEND_TIMEOUT": "2"}
    with serve(dist, **env) as base:
        s = _unread_big_answer(base, BIG)
        try:
            time.sleep(1.0)
            assert _get(base, f"/sparql?query={BIG}")[0] == 503  # this client's share is held
            # A small answer for another client that has nothing being sent always fits.
            small = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 20")
            assert _get(base, f"/sparql?query={small}", source="127.0.0.2")[0] == 200
            time.sleep(3.5)  # past the send time-out, and the sweep a second later
            assert _get(base, f"/sparql?query={BIG}")[0] == 200
        finally:
            s.close()


def test_review3_a_reader_opening_six_report_pages_at_once_is_served(dist):
    """A browser opens six connections: six report pages at once got 429 on some."""
    with serve(dist) as base:
        statuses: list[int] = []
        paths = ["/report/nanmatou-2021-report.html", *[f"/report/nanmatou-2021-report/part-{i}.html" for i in (1, 2)]]
        threads = [threading.Thread(target=lambda p=p: statuses.append(_get(base, p)[0])) for p in paths * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert statuses == [200] * 6
