"""SPARQL queries run in worker processes that are killed at the time-out.

Oxigraph's Python API has no query time-out, and a thread cannot be stopped:
only a process can. Each worker opens the store read-only once, runs one
query at a time, serialises the answer (capped at ``max_rows``) and sends the
bytes back. A worker that overruns is killed and replaced; the event loop and
the glossary routes never wait on it.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
from collections import OrderedDict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
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


class QueryTimeout(Exception):
    """The query ran past the time-out; its worker was killed."""


class WorkerLost(Exception):
    """The worker process died during a query (it was replaced)."""


@dataclass
class Answer:
    status: int  # 200, or 400 for a query the engine rejects
    media_type: str
    body: bytes
    truncated: bool = False
    kind: str = "select"  # select | ask | graph | error


def _run(store: Any, job: dict[str, Any]) -> Answer:
    """Run one query in the worker (imports are inside: this runs in the child)."""
    import pyoxigraph as ox

    from kg.results import render
    from kg.store import Result, _term

    kwargs: dict[str, Any] = {}
    try:
        # Protocol parameters override the query's FROM; with neither, the default graph is the union.
        if job["default_graphs"] or job["named_graphs"]:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
            if job["named_graphs"]:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
        elif not job.get("query_dataset"):
            kwargs["use_default_graph_as_union"] = True
        res = store.query(job["query"], **kwargs)
    except (SyntaxError, ValueError) as exc:
        return Answer(400, "text/plain; charset=utf-8", f"SPARQL syntax error: {exc}\n".encode(), kind="error")
    cap = job["max_rows"]
    if isinstance(res, ox.QueryBoolean):
        fmt = job["select_format"]
        body = render(Result("ask", [], [], bool(res)), fmt)
        return Answer(200, SELECT_FORMATS[fmt], body.encode(), kind="ask")
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        rows: list[dict[str, Any]] = []
        truncated = False
        for sol in res:
            if len(rows) == cap:
                truncated = True
                break
            rows.append({v: _term(sol[v]) for v in variables if sol[v] is not None})
        fmt = job["select_format"]
        body = render(Result("select", variables, rows), fmt)
        return Answer(
            200, SELECT_FORMATS[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv") else ""), body.encode(), truncated
        )
    triples: list[Any] = []
    truncated = False
    for t in res:
        if len(triples) == cap:
            truncated = True
            break
        triples.append(t)
    fmt = job["graph_format"]
    rdf_format = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }[fmt]
    data = ox.serialize(triples, format=rdf_format, prefixes=job.get("prefixes") or None)
    return Answer(200, GRAPH_FORMATS[fmt], bytes(data or b""), truncated, kind="graph")


def _serve(conn: Connection, store_path: str) -> None:
    import pyoxigraph as ox

    store = ox.Store.read_only(store_path)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(_run(store, job))
        except Exception as exc:  # a worker must answer, whatever the engine raised
            conn.send(Answer(500, "text/plain; charset=utf-8", f"query failed: {exc}\n".encode(), kind="error"))


class Worker:
    def __init__(self, store_path: Path) -> None:
        self.store_path = str(store_path)
        self.proc: mp.process.BaseProcess | None = None
        self.conn: Connection | None = None
        self.start()

    def start(self) -> None:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, self.store_path), daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        if not parent.poll(60) or parent.recv() != "ready":
            raise RuntimeError("SPARQL worker did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        if self.conn is not None:
            self.conn.close()

    async def call_async(self, job: dict[str, Any], wait: float, timeout: float) -> Answer:
        """Send the job and await the answer on the event loop (no thread); kill the worker at ``wait``.

        Whatever goes wrong mid-call (time-out, a dead worker, a cancelled
        request) the worker is replaced, so no stale answer stays in its pipe.
        """
        assert self.conn is not None
        conn = self.conn
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        try:
            conn.send(job)
            loop.add_reader(conn.fileno(), wake)
            try:
                await asyncio.wait_for(ready, wait)
            finally:
                loop.remove_reader(conn.fileno())
            answer: Answer = conn.recv()
            return answer
        except TimeoutError:
            await loop.run_in_executor(None, self._restart)
            raise QueryTimeout(f"query stopped after {timeout:g} s (time-out)") from None
        except (EOFError, OSError) as exc:
            await loop.run_in_executor(None, self._restart)
            raise WorkerLost(f"the query worker died ({exc.__class__.__name__}); it has been replaced") from None
        except BaseException:
            self._restart()
            raise

    def _restart(self) -> None:
        self.kill()
        self.start()


class WorkerPool:
    """A fixed number of workers; a request waits for an idle one.

    The store is read-only while the service runs, so answers are cached by
    (query, dataset, format) in a small LRU: a repeated query costs no worker.
    """

    def __init__(self, store_path: Path, size: int, cache_entries: int = 256, cache_max_bytes: int = 1_000_000) -> None:
        self.workers = [Worker(store_path) for _ in range(max(1, size))]
        self.idle: asyncio.Queue[Worker] | None = None
        self.cache: OrderedDict[str, Answer] = OrderedDict()
        self.cache_entries = cache_entries
        self.cache_max_bytes = cache_max_bytes

    async def run(self, job: dict[str, Any], timeout: float) -> Answer:
        key = json.dumps(job, sort_keys=True)
        hit = self.cache.get(key)
        if hit is not None:
            self.cache.move_to_end(key)
            return hit
        if self.idle is None:
            self.idle = asyncio.Queue()
            for w in self.workers:
                self.idle.put_nowait(w)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            worker = await asyncio.wait_for(self.idle.get(), timeout)
        except TimeoutError:
            raise QueryTimeout(f"all SPARQL workers stayed busy for {timeout:g} s") from None
        try:
            answer = await worker.call_async(job, max(deadline - loop.time(), 0.05), timeout)
        finally:
            self.idle.put_nowait(worker)
        if answer.status == 200 and self.cache_entries and len(answer.body) <= self.cache_max_bytes:
            self.cache[key] = answer
            if len(self.cache) > self.cache_entries:
                self.cache.popitem(last=False)
        return answer

    def close(self) -> None:
        for w in self.workers:
            w.kill()
