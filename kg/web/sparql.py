"""The SPARQL 1.1 Protocol endpoint: request parsing, content negotiation, status codes."""

from __future__ import annotations

import asyncio
import codecs
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from kg.web.answering import GRAPH_FORMATS, SELECT_FORMATS, Answer
from kg.web.guard import Refused
from kg.web.lanes import client_of
from kg.web.protect import BodyTimeout
from kg.web.scheduler import QueueFull
from kg.web.workers import QueryTimeout, Unavailable

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


def accept_weights(header: str) -> list[tuple[str, float]]:
    """(media type, q-value) of each element of an Accept header, in its order (q 1 when not
    given, 0 when unreadable)."""
    out = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0]:
            out.append((fields[0].lower(), q))
    return out


def accept_ranked(header: str) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, q=0 left out)."""
    ranked = [(-q, i, media) for i, (media, q) in enumerate(accept_weights(header)) if q > 0]
    return [m for _, _, m in sorted(ranked)]


def negotiate(request: Request, fmt: str | None) -> tuple[str | None, str | None]:
    """(select format, graph format) from ``format=`` or the Accept header.

    JSON and Turtle when nothing is asked for, or ``*/*`` allows anything; ``None``
    for a kind of result the client's request rules out (the worker answers 406
    if the query gives that kind).
    """
    if fmt:
        sel, graph = FORMAT_ALIASES.get(fmt.lower(), (None, None))
        if sel is None and graph is None:
            fmt_l = fmt.lower()
            sel, graph = SELECT_TYPES.get(fmt_l), GRAPH_TYPES.get(fmt_l)
        if sel is None and graph is None:
            raise Refused(400, f"unknown format '{fmt}'")
        return sel, graph
    accepted = accept_ranked(request.headers.get("accept", ""))
    sel = graph = None
    for media in accepted:
        sel = sel or SELECT_TYPES.get(media)
        graph = graph or GRAPH_TYPES.get(media)
    if not accepted or any(m in ("*/*", "application/*") for m in accepted):
        return sel or "json", graph or "turtle"
    if "text/*" in accepted:  # text only: results as CSV, graphs as Turtle
        return sel or "csv", graph or "turtle"
    if sel is None and graph is None:
        raise Refused(406, "none of the Accept types is a SPARQL result format: " + ", ".join(accepted))
    return sel, graph


def media_and_charset(request: Request) -> tuple[str, str | None]:
    """The body's media type and its charset parameter (lower case), if any."""
    ctype = request.headers.get("content-type", "")
    media, *params = (p.strip() for p in ctype.split(";"))
    charset = None
    for p in params:
        key, _, value = p.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(400, f"{what} is not valid UTF-8 (byte {exc.start}): send UTF-8") from None


def _unquote_plus(text: str) -> str:
    """``urllib.parse.unquote_plus(text, errors="strict")`` for ASCII text, with the escapes decoded in C.

    A query string is mostly escapes (a Chinese character is nine bytes of them), and urllib
    decodes them in a Python loop: 40 µs for a curated query, a tenth of the server's work per
    request. ``%HH`` becomes ``\\xHH`` (backslashes doubled first) for the C escape decoder.
    Raises ValueError where urllib might read the text differently (a bad escape) or it is not UTF-8.
    """
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    raw, _ = codecs.escape_decode(text.replace("\\", "\\\\").replace("%", "\\x").encode("ascii"))
    return raw.decode("utf-8")


def _form(text: str, what: str) -> dict[str, list[str]]:
    """``parse_qs(text, keep_blank_values=True, errors="strict")``, faster for ASCII text."""
    if text.isascii():
        try:
            out: dict[str, list[str]] = {}
            for field in text.split("&"):
                if field:
                    name, _, value = field.partition("=")
                    out.setdefault(_unquote_plus(name), []).append(_unquote_plus(value))
            return out
        except ValueError:
            pass  # a bad escape or not UTF-8: urllib decides, as before
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise Refused(400, f"{what} has percent-encoded bytes that are not UTF-8") from None


async def _params(request: Request) -> tuple[dict[str, list[str]], str | None]:
    """Protocol parameters and the query, for GET, form POST and direct POST (UTF-8 only)."""
    params = _form(request.url.query, "the query string")
    body_query = None
    if request.method == "POST":
        media, charset = media_and_charset(request)
        if media == "application/sparql-update":
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            raise Refused(
                415,
                f"unsupported media type '{media or 'none'}': use application/x-www-form-urlencoded "
                "or application/sparql-query",
            )
        if charset not in (None, "utf-8", "utf8"):
            raise Refused(415, f"unsupported charset '{charset}': SPARQL requests are UTF-8")
        body = await request.body()
        if media == "application/x-www-form-urlencoded":
            for k, v in _form(_decode(body, "the form body"), "the form body").items():
                params.setdefault(k, []).extend(v)
        else:
            body_query = _decode(body, "the query")
    return params, body_query


async def _disconnected(request: Request) -> None:
    """Return when the client goes away (the body has been read: only a disconnect can arrive)."""
    while True:
        try:
            message = await request.receive()
        except BodyTimeout:  # the body's time-out: here only "no disconnect yet" (the body is read)
            continue
        if message["type"] == "http.disconnect":
            return


# A query still running after this long starts watching for its client's disconnect. Most queries
# answer sooner, and watching costs a task and a pending receive per request; a client that left
# earlier is still seen at once (the server remembers the disconnect), so a worker is freed at most
# this much later than with a watcher from the start.
WATCH_AFTER = 0.1


async def _run(request: Request, job: dict[str, Any]) -> Answer:
    """Run the job, and cancel it (freeing its worker at once) if the client disconnects first."""
    state = request.app.state
    client = client_of(request)
    task = asyncio.current_task()
    assert task is not None
    watcher: asyncio.Future[None] | None = None
    gone = finished = False

    def left(done: asyncio.Future[None]) -> None:
        nonlocal gone
        # Done callbacks run a loop turn later: by then the answer may be in and being sent.
        if not finished and not done.cancelled():  # the client went away: stop the query
            gone = True
            task.cancel()

    def watch() -> None:
        nonlocal watcher
        watcher = asyncio.ensure_future(_disconnected(request))
        watcher.add_done_callback(left)

    timer = asyncio.get_running_loop().call_later(WATCH_AFTER, watch)
    try:
        return await state.pool.run(job, state.config.query_timeout, client)
    except asyncio.CancelledError:
        if gone:
            task.uncancel()
            raise ClientGone from None
        raise
    finally:
        finished = True
        timer.cancel()
        if watcher is not None:
            watcher.remove_done_callback(left)
            watcher.cancel()


class ClientGone(Exception):
    """The client disconnected before its answer was ready."""


async def sparql_endpoint(request: Request) -> Response:
    """GET/POST /sparql — SPARQL 1.1 Protocol, read-only and time-limited."""
    app = request.app.state
    allow = {"Allow": "GET, HEAD, POST, OPTIONS"}
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=allow)
    if request.method not in ("GET", "HEAD", "POST"):
        return PlainTextResponse("use GET or POST\n", 405, headers=allow)
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
            if request.method in ("GET", "HEAD") and not params:
                return await app.pages.query_page(request)
            raise Refused(400, "no query given (parameter 'query')")
        if not queries[0].strip():
            raise Refused(400, "empty query: the 'query' parameter (or the body) holds no SPARQL")
        size = len(queries[0].encode("utf-8", "surrogatepass"))
        if size > app.config.max_query_bytes:
            raise Refused(413, f"query too long: {size} bytes, at most {app.config.max_query_bytes}")
        formats = params.get("format") or params.get("output") or []
        sel, graph = negotiate(request, formats[0] if formats else None)
        job: dict[str, Any] = {
            "query": queries[0],
            "default_graphs": params.get("default-graph-uri", []),
            "named_graphs": params.get("named-graph-uri", []),
            "base_iri": str(request.url.replace(query="", fragment="")),
            "select_format": sel,
            "graph_format": graph,
            "max_rows": app.config.max_rows,
            "max_bytes": app.config.max_result_bytes,
            "guard": app.config.guard,
        }
        answer = await _run(request, job)
    except Refused as exc:
        return PlainTextResponse(f"{exc}\n", exc.status)
    except ClientGone:
        return Response(status_code=499)  # nobody is listening; the worker was freed
    except QueryTimeout as exc:
        return unavailable(exc, ": the result would be incomplete, so none is sent")
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-KG-Truncated"] = "true"
        headers["X-KG-Max-Rows"] = str(app.config.max_rows)
        headers["X-KG-Max-Bytes"] = str(app.config.max_result_bytes)
    client, size = client_of(request), len(answer.body)
    if not app.sending.take(client, size):
        return unavailable(QueueFull("too many answers are being sent to clients that have not read them"))
    return _Sent(
        answer.body,
        answer.status,
        media_type=answer.media_type,
        headers=headers,
        done=partial(app.sending.give, client, size),
    )


SEND_CHUNK = 256 * 1024  # an answer is written this much at a time, each once the client read the last


class _Sent(Response):
    """A response whose bytes count against the send budget until the client has read them.

    Written a chunk at a time: the server writes a chunk only when the connection's buffer has
    drained, so a client that does not read holds its answer here, counted, and no more of it
    goes into the socket's buffer.
    """

    def __init__(self, *args: Any, done: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._done = done

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            if len(self.body) <= SEND_CHUNK:  # nearly every answer: one write, as before
                await send({"type": "http.response.body", "body": self.body})
                return
            body = memoryview(self.body)
            for at in range(0, len(body), SEND_CHUNK):
                more = at + SEND_CHUNK < len(body)
                await send({"type": "http.response.body", "body": bytes(body[at : at + SEND_CHUNK]), "more_body": more})
                if more:  # the chunk leaves the corked transport (kg/web/http.py) before the next is sent
                    await asyncio.sleep(0)
        finally:
            self._done()


def unavailable(exc: Unavailable, detail: str = "") -> PlainTextResponse:
    """503 (or 429) for any route whose work could not be done now, with Retry-After unless
    retrying cannot help (a query that ran past the time-out would run past it again)."""
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else {}
    return PlainTextResponse(f"{exc}{detail}\n", exc.status, headers=headers)


__all__ = ["GRAPH_FORMATS", "SELECT_FORMATS", "negotiate", "sparql_endpoint", "unavailable"]
