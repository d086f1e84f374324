"""The SPARQL 1.1 Protocol endpoint: request parsing, content negotiation, status codes."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from kg.web.guard import Refused, check_query
from kg.web.workers import GRAPH_FORMATS, SELECT_FORMATS, QueryTimeout, WorkerLost

# Media type → our format name; first match in Accept order wins.
SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
}
FORMAT_ALIASES = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "n3": (None, "turtle"),
    "nt": (None, "ntriples"),
    "ntriples": (None, "ntriples"),
    "n-triples": (None, "ntriples"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
    "rdfxml": (None, "rdfxml"),
    "rdf": (None, "rdfxml"),
}


def _accept(header: str) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured)."""
    ranked = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0] and q > 0:
            ranked.append((-q, i, fields[0].lower()))
    return [m for _, _, m in sorted(ranked)]


def negotiate(request: Request, fmt: str | None) -> tuple[str, str]:
    """(select format, graph format) from ``format=`` or the Accept header; JSON and Turtle by default."""
    if fmt:
        sel, graph = FORMAT_ALIASES.get(fmt.lower(), (None, None))
        if sel is None and graph is None:
            fmt_l = fmt.lower()
            sel, graph = SELECT_TYPES.get(fmt_l), GRAPH_TYPES.get(fmt_l)
        if sel is None and graph is None:
            raise Refused(400, f"unknown format '{fmt}'")
        return sel or "json", graph or "turtle"
    sel = graph = None
    for media in _accept(request.headers.get("accept", "")):
        sel = sel or SELECT_TYPES.get(media)
        graph = graph or GRAPH_TYPES.get(media)
    return sel or "json", graph or "turtle"


async def _params(request: Request) -> tuple[dict[str, list[str]], str | None]:
    """Protocol parameters and the query, for GET, form POST and direct POST."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    body_query = None
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            body_query = body.decode("utf-8", "replace")
        elif ctype == "application/sparql-update":
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        else:
            raise Refused(
                415,
                f"unsupported media type '{ctype or 'none'}': use application/x-www-form-urlencoded "
                "or application/sparql-query",
            )
    return params, body_query


async def sparql_endpoint(request: Request) -> Response:
    """GET/POST /sparql — SPARQL 1.1 Protocol, read-only and time-limited."""
    app = request.app.state
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": "GET, POST, OPTIONS"})
    if request.method not in ("GET", "POST"):
        return PlainTextResponse("use GET or POST\n", 405, headers={"Allow": "GET, POST, OPTIONS"})
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > app.config.max_query_bytes + 4096:
        return PlainTextResponse(f"request body too large: at most {app.config.max_query_bytes} bytes of query\n", 413)
    try:
        params, body_query = await _params(request)
        if "update" in params:
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        queries = params.get("query", [])
        if body_query is not None:
            queries = [*queries, body_query]
        if len(queries) > 1:
            raise Refused(400, "more than one query given")
        if not queries:
            if request.method == "GET" and not params:
                return await app.pages.query_page(request)
            raise Refused(400, "no query given (parameter 'query')")
        checked = check_query(queries[0], app.config.max_query_bytes)
        default = params.get("default-graph-uri", [])
        named = params.get("named-graph-uri", [])
        formats = params.get("format") or params.get("output") or []
        sel, graph = negotiate(request, formats[0] if formats else None)
        job: dict[str, Any] = {
            "query": queries[0],
            "default_graphs": default,
            "named_graphs": named,
            "query_dataset": checked.has_dataset,
            "select_format": sel,
            "graph_format": graph,
            "max_rows": app.config.max_rows,
        }
        answer = await app.pool.run(job, app.config.query_timeout)
    except Refused as exc:
        return PlainTextResponse(f"{exc}\n", exc.status)
    except WorkerLost as exc:
        return PlainTextResponse(f"{exc}: try again\n", 503, headers={"Retry-After": "1"})
    except QueryTimeout as exc:
        return PlainTextResponse(
            f"{exc}: the result would be incomplete, so none is sent\n", 503, headers={"Retry-After": "1"}
        )
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-KG-Truncated"] = "true"
        headers["X-KG-Max-Rows"] = str(app.config.max_rows)
    return Response(answer.body, answer.status, media_type=answer.media_type, headers=headers)


__all__ = ["GRAPH_FORMATS", "SELECT_FORMATS", "negotiate", "sparql_endpoint"]
