"""The worker's side of a SPARQL query: a confined process that checks, runs and serialises.

A worker (started by :class:`kg.web.workers.Worker`) leaves the network (``sandbox.py``),
opens the store read-only once (or copies a small one into memory: :func:`open_store`),
caps its memory, then answers one job at a time on a thread with a deep stack: it checks
the query (``guard.py``), runs it, serialises the answer within a row *and* a byte cap to
the final bytes of the response, and writes it back in one frame (two lengths, a small
pickle, the body as raw bytes: the body is never pickled).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import struct
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

SELECT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# A frame: the lengths of a pickled header and of a raw body, then both. Jobs have no body.
FRAME = struct.Struct("<II")
READ = 1 << 16  # bytes asked of one read while the size of what comes is unknown
TEXT = "text/plain; charset=utf-8"


@dataclass
class Settings:
    """What a worker needs to know; sent to the child at start."""

    store: str
    memory: int  # bytes of heap a query may use
    stack: int  # bytes of stack for the query thread
    network: bool = False  # True only in tests that show what the guard alone does
    max_bytes: int = 64 * 1024
    max_depth: int = 128
    in_memory: bool = False  # answer from a copy of the store in memory (see :func:`open_store`)


@dataclass
class Answer:
    status: int  # 200, 400 for a query refused or rejected, 503 when the worker ran out of memory
    media_type: str
    body: bytes
    truncated: bool = False
    kind: str = "select"  # select | ask | graph | error
    seconds: float = 0.0  # what the worker spent on it (the scheduler learns which queries are quick)


def _error(status: int, message: str) -> Answer:
    return Answer(status, TEXT, f"{message}\n".encode(), kind="error")


# -- the child: one job at a time ------------------------------------------------------------------


def _rows(res: Any, cap: int, max_bytes: int) -> tuple[list[Any], bool]:
    """Items of a result iterator within ``cap`` items and about ``max_bytes`` of text."""
    out: list[Any] = []
    size = 0
    for item in res:
        if len(out) == cap:
            return out, True
        size += len(str(item)) + 16
        if size > max_bytes:
            return out, True
        out.append(item)
    return out, False


# The guard's verdict is a pure function of the query text: a worker remembers the last few it
# accepted (short texts only), so a query sent again is not lexed again. Refusals are never kept.
_VERDICTS: OrderedDict[str, Any] = OrderedDict()
VERDICTS_KEPT, VERDICT_TEXT_MAX = 256, 16_384


def _verdict(check: Callable[..., Any], query: str, settings: Settings) -> Any:
    found = _VERDICTS.get(query)
    if found is not None:
        _VERDICTS.move_to_end(query)
        return found
    verdict = check(query, settings.max_bytes, settings.max_depth)
    if len(query) <= VERDICT_TEXT_MAX:
        _VERDICTS[query] = verdict
        if len(_VERDICTS) > VERDICTS_KEPT:
            _VERDICTS.popitem(last=False)
    return verdict


_ENCODE = json.encoder.encode_basestring  # the C encoder json.dumps(ensure_ascii=False) uses


def _named_json(term: Any) -> bytes:
    return ('{"type":"uri","value":' + _ENCODE(term.value) + "}").encode()


def _literal_json(term: Any) -> bytes:
    lang = term.language
    extra = f',"xml:lang":{_ENCODE(lang)}' if lang else f',"datatype":{_ENCODE(term.datatype.value)}'
    return ('{"type":"literal","value":' + _ENCODE(term.value) + extra + "}").encode()


def _term_json(term: Any) -> bytes:
    """One term as SPARQL JSON, byte for byte what ``render(…, "json", compact=True)`` writes."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return _named_json(term)
    if isinstance(term, ox.Literal):
        return _literal_json(term)
    if isinstance(term, ox.BlankNode):
        return ('{"type":"bnode","value":' + _ENCODE(term.value) + "}").encode()
    return ('{"type":"triple","value":' + _ENCODE(str(term)) + "}").encode()


# Past this many rows, each distinct term is encoded once (big answers repeat terms a lot);
# before it, hashing every term costs more than it saves.
MEMO_AFTER = 32


def _select_json(res: Any, variables: list[str], cap: int, max_bytes: int) -> tuple[bytes, bool]:
    """SELECT results as compact SPARQL JSON within ``cap`` rows and ``max_bytes`` bytes (exact).

    The same bytes as ``render(Result(…), "json", compact=True)``, written without the
    intermediate ``Term`` objects and dicts, and the byte cap is counted on what is sent,
    not estimated.
    """
    import pyoxigraph as ox

    by_type: dict[type, Callable[[Any], bytes]] = {ox.NamedNode: _named_json, ox.Literal: _literal_json}
    names = [_ENCODE(v).encode() for v in variables]
    keys = list(enumerate(name + b":" for name in names))
    head = b'{"head":{"vars":[' + b",".join(names) + b']},"results":{"bindings":['
    tail = b"]}}\n"
    budget = max_bytes - len(head) - len(tail)
    memo: dict[Any, bytes] = {}
    rows: list[bytes] = []
    size, truncated = 0, False
    for solution in res:
        count = len(rows)
        if count == cap:
            truncated = True
            break
        parts = []
        for i, key in keys:
            term = solution[i]
            if term is None:
                continue
            if count < MEMO_AFTER:
                text = by_type.get(type(term), _term_json)(term)
            else:
                try:
                    known = memo.get(term)
                    if known is None:
                        known = memo[term] = by_type.get(type(term), _term_json)(term)
                    text = known
                except TypeError:  # an unhashable term: encode it each time
                    text = _term_json(term)
            parts.append(key + text)
        row = b"{" + b",".join(parts) + b"}"
        size += len(row) + 1
        if size > budget:
            truncated = True
            break
        rows.append(row)
    return head + b",".join(rows) + tail, truncated


def _answer(store: Any, job: dict[str, Any], settings: Settings) -> Answer:
    """Check and run one query (in the child)."""
    import pyoxigraph as ox

    from kg.results import NotXmlSafe, render
    from kg.store import Result, _term
    from kg.web.guard import Refused, check_query

    if job.get("guard", True):
        try:
            _verdict(check_query, job["query"], settings)
        except Refused as exc:
            return _error(exc.status, str(exc))
    kwargs: dict[str, Any] = {"base_iri": job.get("base_iri")}
    try:
        # Protocol parameters override the query's FROM; with neither, the default graph is the
        # store's own: the merge of the named graphs, stored at build time.
        if job["default_graphs"] or job["named_graphs"]:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
            if job["named_graphs"]:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
        res = store.query(job["query"], **kwargs)
        cap, max_bytes = job["max_rows"], job["max_bytes"]
        if not isinstance(res, ox.QueryTriples) and job["select_format"] is None:
            return _error(406, "the requested format is for graphs; this query gives results: ask for JSON or XML")
        if isinstance(res, ox.QueryTriples) and job["graph_format"] is None:
            return _error(406, "the requested format is for results; this query gives a graph: ask for Turtle")
        if isinstance(res, ox.QueryBoolean):
            fmt = job["select_format"]
            body = render(Result("ask", [], [], bool(res)), fmt).encode()
            return Answer(200, SELECT_FORMATS[fmt], body, kind="ask")
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            if job["select_format"] == "json":  # the common case: straight to bytes, no Term objects
                body, truncated = _select_json(res, variables, cap, max_bytes)
                return Answer(200, SELECT_FORMATS["json"], body, truncated)
            sols, truncated = _rows(res, cap, max_bytes)
            rows = [{v: _term(s[v]) for v in variables if s[v] is not None} for s in sols]
            fmt = job["select_format"]
            media = SELECT_FORMATS[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv") else "")
            body = render(Result("select", variables, rows), fmt, compact=True).encode()
            while len(body) > max_bytes and rows:  # markup made it larger than the estimate
                rows, truncated = rows[: len(rows) // 2], True
                body = render(Result("select", variables, rows), fmt, compact=True).encode()
            return Answer(200, media, body, truncated)
        triples, truncated = _rows(res, cap, max_bytes)
        fmt = job["graph_format"]
        rdf_format = {
            "turtle": ox.RdfFormat.TURTLE,
            "ntriples": ox.RdfFormat.N_TRIPLES,
            "jsonld": ox.RdfFormat.JSON_LD,
            "rdfxml": ox.RdfFormat.RDF_XML,
        }[fmt]
        try:
            data = ox.serialize(triples, format=rdf_format, prefixes=job.get("prefixes") or None)
        except (ValueError, OSError) as exc:  # e.g. triple terms in JSON-LD: the format cannot carry them
            return _error(406, f"the answer cannot be written as {fmt}: {exc}; ask for Turtle or N-Triples")
        return Answer(200, GRAPH_FORMATS[fmt], bytes(data or b""), truncated, kind="graph")
    except MemoryError:
        return _error(503, f"the query needed more than the worker's memory limit ({settings.memory >> 20} MiB)")
    except NotXmlSafe as exc:
        return _error(406, str(exc))
    except SyntaxError as exc:
        return _error(400, f"SPARQL syntax error: {exc}")
    except (ValueError, RuntimeError, OSError) as exc:  # e.g. a bad dataset IRI, an unbound SERVICE name
        return _error(400, f"query failed: {exc}")


def write_all(fd: int, data: bytes | memoryview) -> None:
    """Write every byte to a blocking descriptor (a large frame takes several writes)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _send(fd: int, answer: Answer) -> None:
    """One frame: the answer's header pickled, its body as raw bytes (one write when small)."""
    meta = pickle.dumps((answer.status, answer.media_type, answer.truncated, answer.kind, answer.seconds))
    head = FRAME.pack(len(meta), len(answer.body)) + meta
    if len(answer.body) <= READ:
        write_all(fd, head + answer.body)
    else:  # no copy of a large body
        write_all(fd, head)
        write_all(fd, answer.body)


def open_store(path: str, in_memory: bool) -> Any:
    """The store a worker answers from: the build's, read-only, or a copy of it in memory.

    A look-up in Oxigraph's on-disk store (RocksDB) costs a few microseconds, in its
    memory store a fraction of one: the packaged report's ``dimensions`` query takes
    0.27 ms on disk and 0.11 ms from a copy, about 0.4 KB a quad per worker. The copy
    holds every quad, the default graph's included, so every query answers the same.
    """
    import pyoxigraph as ox

    disk = ox.Store.read_only(path)
    if not in_memory:
        return disk
    copy = ox.Store()
    copy.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    return copy


def _loop(conn: Connection, settings: Settings, store: Any, confinement: Any) -> None:
    conn.send(("ready", confinement))  # the hello goes as a Connection message, the rest as frames
    fd = conn.fileno()
    reader = os.fdopen(fd, "rb", buffering=READ, closefd=False)
    while True:
        try:
            head = reader.read(FRAME.size)
            if len(head) < FRAME.size:
                return  # the server closed the channel
            meta_size, _ = FRAME.unpack(head)
            job = pickle.loads(reader.read(meta_size))
        except (EOFError, OSError, pickle.UnpicklingError):
            return
        started = time.perf_counter()
        try:
            answer = _answer(store, job, settings)
        except MemoryError:
            answer = _error(503, f"the query needed more than the worker's memory limit ({settings.memory >> 20} MiB)")
        except Exception as exc:  # a worker must answer, whatever the engine raised
            answer = _error(500, f"query failed: {exc}")
        answer.seconds = time.perf_counter() - started
        try:
            _send(fd, answer)
        except OSError:
            return


def worker_main(conn: Connection, settings: Settings) -> None:
    """The worker process: confine it, open the store, then answer jobs until the channel closes."""
    from kg.web.sandbox import confine

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    # A query past the memory cap ends the worker with a Rust panic: one line in the server's
    # log, not a fifty-line backtrace each time (a client looping such queries flooded it).
    os.environ["RUST_BACKTRACE"] = "0"
    # A batch process never preempts another on waking up: when the server hands a worker a
    # job, the event loop keeps the CPU and goes on answering and dispatching, instead of
    # stopping mid-write until the query is done (on a busy core, 0.2 ms per job). Queries
    # still get their full share of the CPU. Where the policy is missing, nothing changes.
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    # The store is opened offline but before the memory cap: a copy of it in memory is not
    # the queries' allowance.
    confinement, store = confine(
        settings.memory, settings.stack, settings.network, lambda: open_store(settings.store, settings.in_memory)
    )
    threading.stack_size(settings.stack)
    t = threading.Thread(target=_loop, args=(conn, settings, store, confinement), name="query")
    t.start()
    t.join()
