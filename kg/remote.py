"""Remote SPARQL 1.1 stores: run queries through SPARQLWrapper, push the dataset.

``push`` replaces each named graph with the SPARQL 1.1 Graph Store HTTP
Protocol (``PUT``), falling back to batched SPARQL Update (``DROP SILENT
GRAPH`` then ``INSERT DATA``) when the store has no Graph Store endpoint.
Running it twice leaves the same store.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import re
import secrets
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KGError, QueryError
from kg.store import Result, Term

Progress = Callable[[str], None]
BATCH = 400  # triples per INSERT DATA request (Virtuoso compiles each into SQL)


class RemoteError(KGError):
    """An endpoint is unreachable, refuses us, or answers nonsense; ``status`` is the HTTP status if any."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Auth:
    user: str | None = None
    password: str | None = None
    scheme: str = "basic"  # "basic" | "digest"

    def __bool__(self) -> bool:
        return bool(self.user)


def _store_said(exc: Exception, limit: int = 300) -> str:
    """What the store's error response says, in one line (SPARQLWrapper keeps it only inside its message).

    Virtuoso explains a 500 in its body (``Virtuoso 42000 Error SR…: …``); without it a
    researcher sees only "HTTP status code 500".
    """
    text = str(exc)
    _head, sep, body = text.partition("\n\nResponse:\n")
    if not sep:
        return ""  # the store sent no body
    try:
        raw = ast.literal_eval(body.strip())
    except (ValueError, SyntaxError):
        raw = body
    said = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    lines = [ln.strip() for ln in said.splitlines() if ln.strip()]
    return " ".join(lines)[:limit]


def _explain(exc: BaseException, url: str, timeout: float) -> RemoteError:
    if isinstance(exc, urllib.error.HTTPError):
        if exc.code == 401:
            return RemoteError(f"{url}: the store refused the credentials (401 Unauthorized)", 401)
        if exc.code == 403:
            return RemoteError(f"{url}: the store forbids this (403 Forbidden)", 403)
        body = exc.read().decode("utf-8", "replace").strip().splitlines()
        return RemoteError(f"{url}: HTTP {exc.code} {exc.reason}" + (f": {body[0][:200]}" if body else ""), exc.code)
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, BrokenPipeError | ConnectionResetError):
        return RemoteError(
            f"{url}: the store closed the connection while the request was sent "
            "(wrong credentials, or a request size limit)"
        )
    if isinstance(reason, socket.timeout | TimeoutError) or "timed out" in str(reason):
        return RemoteError(f"{url}: no answer within {timeout:g} s (timed out)")
    return RemoteError(f"{url}: cannot reach the endpoint ({reason})")


def _digest_header(url: str, method: str, auth: Auth, timeout: float) -> str:
    """An Authorization header for HTTP Digest, answered from a fresh challenge.

    Sent up front: a large body sent without credentials is cut off by the
    server's 401 before urllib's own digest handler can answer it.
    """
    try:
        urllib.request.urlopen(urllib.request.Request(url, method="GET"), timeout=timeout).close()
        raise RemoteError(f"{url}: the store asked for no credentials (use --auth basic)")
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "")
        if exc.code != 401 or not challenge.lower().startswith("digest"):
            raise _explain(exc, url, timeout) from None
    except (urllib.error.URLError, OSError) as exc:
        raise _explain(exc, url, timeout) from None
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge[len("Digest") :]))
    realm, nonce, qop = fields.get("realm", ""), fields.get("nonce", ""), fields.get("qop", "")
    parts = urllib.parse.urlsplit(url)
    uri = parts.path + (f"?{parts.query}" if parts.query else "")

    def md5(text: str) -> str:
        return hashlib.md5(text.encode("utf-8")).hexdigest()  # MD5 is what HTTP Digest (RFC 7616) uses

    ha1 = md5(f"{auth.user}:{realm}:{auth.password or ''}")
    ha2 = md5(f"{method}:{uri}")
    extra = ""
    if "auth" in [q.strip() for q in qop.split(",")]:
        cnonce = secrets.token_hex(8)
        response = md5(f"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}")
        extra = f', qop=auth, nc=00000001, cnonce="{cnonce}"'
    else:
        response = md5(f"{ha1}:{nonce}:{ha2}")
    if "opaque" in fields:
        extra += f', opaque="{fields["opaque"]}"'
    return (
        f'Digest username="{auth.user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
        f'response="{response}", algorithm=MD5{extra}'
    )


def _request(
    url: str, auth: Auth, method: str, data: bytes | None, headers: dict[str, str], timeout: float
) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    if auth and auth.scheme == "basic":
        token = base64.b64encode(f"{auth.user}:{auth.password or ''}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    elif auth:
        req.add_header("Authorization", _digest_header(url, method, auth, timeout))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except (urllib.error.URLError, OSError) as exc:
        raise _explain(exc, url, timeout) from None


def _term(b: dict[str, Any]) -> Term:
    kind = b.get("type", "literal")
    if kind == "typed-literal":  # SPARQL JSON from older stores
        kind = "literal"
    return Term(kind, b.get("value", ""), b.get("datatype"), b.get("xml:lang"))


def check_url(url: str, what: str) -> str:
    """``url`` if it is an http(s) URL with a host; else a one-line error naming ``what`` it was for."""
    bad = RemoteError(f"the {what} {url!r} is not an http:// or https:// URL (like http://host:8890/sparql)")
    if any(c.isspace() for c in url):
        raise bad
    try:
        parts = urllib.parse.urlsplit(url)
        _port = parts.port  # reads the port: out of range or not a number raises
    except ValueError:
        raise bad from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad
    return url


def remote_query(endpoint: str, query: str, auth: Auth | None = None, timeout: float = 30.0) -> Result:
    """Run a query on a remote SPARQL 1.1 endpoint through SPARQLWrapper (JSON results)."""
    check_url(endpoint, "SPARQL endpoint")
    from SPARQLWrapper import DIGEST, JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException, Unauthorized

    auth = auth or Auth()
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setMethod(POST)
    sw.setTimeout(int(max(timeout, 1)))
    is_graph = sw.queryType in ("CONSTRUCT", "DESCRIBE")
    if not is_graph:
        sw.setReturnFormat(JSON)
    else:  # any RDF the store writes, made N-Triples here as the embedded engine writes a graph
        sw.setReturnFormat(TURTLE)
        sw.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5")
    if auth:
        sw.setCredentials(auth.user, auth.password or "")
        if auth.scheme == "digest":
            sw.setHTTPAuth(DIGEST)
    try:
        response = sw.query()
        raw = response.response.read()
        media = response.response.info().get("Content-Type", "")
    except QueryBadFormed as exc:
        said = _store_said(exc) or str(exc).splitlines()[0]
        raise QueryError(f"{endpoint}: the store rejected the query: {said}") from None
    except Unauthorized:
        raise RemoteError(f"{endpoint}: the store refused the credentials (401 Unauthorized)", 401) from None
    except SPARQLWrapperException as exc:
        said = _store_said(exc)
        first = str(exc).splitlines()[0]
        raise RemoteError(f"{endpoint}: {first}" + (f" The store said: {said}" if said else "")) from None
    except (urllib.error.URLError, OSError) as exc:
        raise _explain(exc, endpoint, timeout) from None
    if is_graph:
        return Result("graph", [], [], None, _ntriples(raw, media, endpoint))
    try:
        data = json.loads(raw)
    except ValueError:
        raise RemoteError(f"{endpoint}: the answer is not SPARQL JSON results") from None
    if "boolean" in data:
        return Result("ask", [], [], bool(data["boolean"]))
    variables = data.get("head", {}).get("vars", [])
    rows = [{k: _term(v) for k, v in b.items()} for b in data.get("results", {}).get("bindings", [])]
    return Result("select", variables, rows)


def _ntriples(raw: bytes, media: str, endpoint: str) -> str:
    """A graph the store sent (Turtle, N-Triples, RDF/XML, JSON-LD) as N-Triples."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_media_type(media.split(";")[0].strip() or "text/turtle") or ox.RdfFormat.TURTLE
    try:
        data = ox.serialize(ox.parse(raw, format=fmt), format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError) as exc:
        said = media or "no type"
        raise RemoteError(f"{endpoint}: the answer is not the RDF it says it is ({said}): {exc}") from None
    return data.decode("utf-8") if isinstance(data, bytes) else ""


@dataclass
class PushReport:
    method: str = ""
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI → triples sent


def _graphs(dist: Path) -> dict[str, list[str]]:
    """N-Triples lines per named graph, from the built ``dataset.nq`` (or the same lines from the
    build cache, when the build wrote no dataset files)."""
    path = dist / "dataset.nq"
    if path.is_file():
        lines: Iterable[str] = path.read_text(encoding="utf-8").splitlines()
    else:  # says when there is no build either
        from kg.cache_files import cached_nquads

        lines = sorted(cached_nquads(dist))  # in the order of dataset.nq
    out: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        line = line.strip()
        if not line:
            continue
        # "<s> <p> o <g> ." — the graph is the last IRI before the final dot.
        body, _, _dot = line.rpartition(" ")
        triple, _, graph = body.rpartition(" ")
        out[graph.strip("<>")].append(triple + " .")
    return dict(sorted(out.items()))


def push(
    dist: Path,
    endpoint: str | None,
    graph_store: str | None,
    auth: Auth | None = None,
    timeout: float = 60.0,
    progress: Progress | None = None,
) -> PushReport:
    """Replace every named graph of the store with the built dataset."""
    auth = auth or Auth()
    if graph_store:
        check_url(graph_store, "Graph Store endpoint")
    if endpoint:
        check_url(endpoint, "update endpoint")
    graphs = _graphs(dist)
    report = PushReport()
    if graph_store:
        try:
            if auth:
                _probe(graph_store, auth, timeout)
            for g, lines in graphs.items():
                url = f"{graph_store}{'&' if '?' in graph_store else '?'}graph={urllib.parse.quote(g, safe='')}"
                body = ("\n".join(lines) + "\n").encode("utf-8")
                _request(url, auth, "PUT", body, {"Content-Type": "application/n-triples"}, timeout)
                report.graphs[g] = len(lines)
                if progress:
                    progress(f"PUT {len(lines):>6} triples  {g}")
            report.method = "graph-store"
            return report
        except RemoteError as exc:
            if endpoint is None or exc.status == 401:
                raise
            if progress:
                progress(f"Graph Store Protocol failed ({exc}); falling back to SPARQL Update")
            report.graphs.clear()
    if endpoint is None:
        raise KGError("give --endpoint (SPARQL Update) or --graph-store (Graph Store HTTP Protocol)")
    if auth:
        _probe(endpoint, auth, timeout)
    for g, lines in graphs.items():
        _update(endpoint, f"DROP SILENT GRAPH <{g}>", auth, timeout)
        for i in range(0, len(lines), BATCH):
            chunk = "\n".join(lines[i : i + BATCH])
            _update(endpoint, f"INSERT DATA {{ GRAPH <{g}> {{\n{chunk}\n}} }}", auth, timeout)
        report.graphs[g] = len(lines)
        if progress:
            progress(f"INSERT {len(lines):>6} triples  {g}")
    report.method = "sparql-update"
    return report


def _probe(url: str, auth: Auth, timeout: float) -> None:
    """Check the credentials with a bodiless request first.

    A store that rejects the credentials answers 401 while a large body is
    still being sent, and the client only sees a broken pipe.
    """
    try:
        _request(url, auth, "HEAD", None, {}, timeout)
    except RemoteError as exc:
        if exc.status == 401:
            raise
        # Any other answer (404, 405, 400 for a missing graph parameter) means we got past authentication.


def _update(endpoint: str, update: str, auth: Auth, timeout: float) -> None:
    body = urllib.parse.urlencode({"update": update}).encode("utf-8")
    _request(endpoint, auth, "POST", body, {"Content-Type": "application/x-www-form-urlencoded"}, timeout)
