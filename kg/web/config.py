"""Every limit of the web service in one place (environment variables override)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KGError


def _env(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _int(name: str, default: int) -> int:
    return int(_env(name, default))


MIB = 1 << 20
# Up to this many quads a SPARQL worker copies the store into memory (``KG_QUERY_STORE=auto``): a
# look-up there costs a fraction of a microsecond against a few on disk (uncached /sparql +40 %
# on the packaged report), at about 0.4 KB a quad in every worker, and about 5 µs a quad to copy.
MEMORY_STORE_QUADS = 100_000


def check_listen(host: str, port: int) -> None:
    """Raise :class:`SettingError` when ``host:port`` cannot be listened on (in use, not an address
    of this machine), as the server would find only after starting."""
    import socket

    from kg.errors import SettingError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _name, address = infos[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            sock.bind(address)
    except OSError as exc:
        raise SettingError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def store_quads(graph_counts: Mapping[str, int]) -> int | None:
    """At most how many quads the store of a build holds, from its build report's triples per named
    graph: the graphs and their merge, the store's default graph (None without the counts)."""
    return 2 * sum(graph_counts.values()) if graph_counts else None


def default_workers() -> int:
    """One SPARQL worker per core and one more, at least 3 and at most 8.

    Quick queries are sent to a worker behind the one it runs (``scheduler.DEPTH``), so a worker
    no longer waits on the server between jobs and more workers only add process switches: on
    2 cores, with wrk's 50 connections on a 10-report store, 3 workers answered 2,637–2,741
    uncached queries per second, 4 workers 2,599–2,636 and 6 workers 2,494–2,553 (three
    per core answered most before jobs were sent behind others). The one more keeps a core's
    quick queries going while a slow one runs. An idle worker holds about 40 MB.
    """
    return min(8, max(3, (os.cpu_count() or 1) + 1))


@dataclass(frozen=True)
class WebConfig:
    """Limits and settings of ``kg serve``; the README's threat model lists the same table.

    ================================  =========================  ==========================================
    setting (default)                 environment                meaning
    ================================  =========================  ==========================================
    ``query_timeout`` (10 s)          ``KG_QUERY_TIMEOUT``       running time (the worker is killed), and
                                                                 separately the most time spent waiting
    ``max_query_bytes`` (64 KiB)      ``KG_MAX_QUERY_BYTES``     longer queries get 413
    ``max_depth`` (128)               ``KG_MAX_DEPTH``           deeper bracket nesting gets 400
    ``max_rows`` (10,000)             ``KG_MAX_ROWS``            rows/triples returned (``X-KG-Truncated``)
    ``max_result_bytes`` (16 MiB)     ``KG_MAX_RESULT_BYTES``    bytes of one answer (``X-KG-Truncated``)
    ``max_sending_bytes`` (256 MiB)   ``KG_MAX_SENDING_MB``      bytes of answers not yet read by their
                                                                 clients (a quarter of it one client's);
                                                                 past it, 503
    ``workers`` (cores + 1, 3–8)     ``KG_QUERY_WORKERS``       SPARQL worker processes (plus one for
                                                                 entity documents)
    ``worker_memory`` (1 GiB)         ``KG_WORKER_MEMORY_MB``    heap one query may use; past it, 503
    ``worker_stack`` (256 MiB)        ``KG_WORKER_STACK_MB``     stack of the query thread (deep queries)
    ``query_store`` (auto)            ``KG_QUERY_STORE``         ``memory``: each worker answers from a copy
                                                                 of the store in memory; ``disk``: from the
                                                                 store on disk; ``auto``: memory up to
                                                                 100,000 quads (about 40 MB a worker)
    ``client_queries`` (1)            ``KG_CLIENT_QUERIES``      queries one client runs at once
    ``client_queue`` (4)              ``KG_CLIENT_QUEUE``        queries one client may have waiting (429)
    ``max_queue`` (32)                ``KG_MAX_QUEUE``           queries waiting in all (503)
    ``max_annotate_bytes`` (1 MB)     ``KG_MAX_ANNOTATE``        annotate uploads
    ``max_body_bytes`` (64 KiB)       ``KG_MAX_BODY``            any other request body
    ``max_json_depth`` (32)           —                          nesting of JSON request bodies (400)
    ``body_timeout`` (10 s)           ``KG_BODY_TIMEOUT``        a body that stalls this long, or is not
                                                                 all in after six times as long, gets 408
    ``head_timeout`` (10 s)           ``KG_HEAD_TIMEOUT``        a request line and headers not all in
                                                                 this long after the connection (or the
                                                                 last answer) get 408
    ``max_head_bytes`` (32 KiB)       ``KG_MAX_HEAD``            larger request heads get 431
    ``send_timeout`` (30 s)           ``KG_SEND_TIMEOUT``        a client that reads none of its answer
                                                                 this long is cut off
    ``client_connections`` (16)       ``KG_CLIENT_CONNECTIONS``  connections of one client (an address, an
                                                                 IPv6 /64); more get 503 and are closed
    ``max_connections`` (512)         ``KG_MAX_CONNECTIONS``     open connections; more get 503 (uvicorn)
    ``max_spans`` (20,000)            ``KG_MAX_SPANS``           spans one annotate answer lists
    ``cache_entries`` (256)           ``KG_QUERY_CACHE``         answers kept (0: none); the store is
                                                                 read-only while serving
    ``cache_bytes`` (16 MiB)          ``KG_QUERY_CACHE_MB``      bytes of cached answers in all
    ``public_url`` (none)             ``KG_PUBLIC_URL``          the public address (e.g. https://… behind
                                                                 a proxy) that view embed snippets use
    ================================  =========================  ==========================================

    ``guard`` and ``sandbox`` exist for tests that show each wall holds alone; never turn them off.
    """

    dist: Path = field(default_factory=lambda: Path(os.environ.get("KG_DIST", "dist")))
    query_timeout: float = field(default_factory=lambda: _env("KG_QUERY_TIMEOUT", 10.0))
    max_query_bytes: int = field(default_factory=lambda: _int("KG_MAX_QUERY_BYTES", 64 * 1024))
    max_depth: int = field(default_factory=lambda: _int("KG_MAX_DEPTH", 128))
    max_rows: int = field(default_factory=lambda: _int("KG_MAX_ROWS", 10_000))
    max_result_bytes: int = field(default_factory=lambda: _int("KG_MAX_RESULT_BYTES", 16 * MIB))
    max_sending_bytes: int = field(default_factory=lambda: _int("KG_MAX_SENDING_MB", 256) * MIB)
    workers: int = field(default_factory=lambda: _int("KG_QUERY_WORKERS", default_workers()))
    worker_memory: int = field(default_factory=lambda: _int("KG_WORKER_MEMORY_MB", 1024) * MIB)
    worker_stack: int = field(default_factory=lambda: _int("KG_WORKER_STACK_MB", 256) * MIB)
    query_store: str = field(default_factory=lambda: os.environ.get("KG_QUERY_STORE", "auto"))
    client_queries: int = field(default_factory=lambda: _int("KG_CLIENT_QUERIES", 1))
    client_queue: int = field(default_factory=lambda: _int("KG_CLIENT_QUEUE", 4))
    max_queue: int = field(default_factory=lambda: _int("KG_MAX_QUEUE", 32))
    max_annotate_bytes: int = field(default_factory=lambda: _int("KG_MAX_ANNOTATE", 1_000_000))
    max_body_bytes: int = field(default_factory=lambda: _int("KG_MAX_BODY", 64 * 1024))
    max_json_depth: int = 32
    body_timeout: float = field(default_factory=lambda: _env("KG_BODY_TIMEOUT", 10.0))
    head_timeout: float = field(default_factory=lambda: _env("KG_HEAD_TIMEOUT", 10.0))
    max_head_bytes: int = field(default_factory=lambda: _int("KG_MAX_HEAD", 32 * 1024))
    send_timeout: float = field(default_factory=lambda: _env("KG_SEND_TIMEOUT", 30.0))
    client_connections: int = field(default_factory=lambda: _int("KG_CLIENT_CONNECTIONS", 16))
    max_connections: int = field(default_factory=lambda: _int("KG_MAX_CONNECTIONS", 512))
    max_spans: int = field(default_factory=lambda: _int("KG_MAX_SPANS", 20_000))
    annotate_slots: int = 2
    cache_entries: int = field(default_factory=lambda: _int("KG_QUERY_CACHE", 256))
    cache_bytes: int = field(default_factory=lambda: _int("KG_QUERY_CACHE_MB", 16) * MIB)
    # The address the public reaches this service at (https://… behind a proxy): embed snippets use it.
    public_url: str = field(default_factory=lambda: os.environ.get("KG_PUBLIC_URL", ""))
    cors: bool = True
    guard: bool = True
    sandbox: bool = True

    def store_in_memory(self, quads: int | None) -> bool:
        """Whether the SPARQL workers answer from a copy of a store of ``quads`` quads in memory
        (None: not known, as for a build report without graph counts; ``auto`` then reads from disk).

        Raises :class:`~kg.errors.KGError` for a setting other than auto, memory or disk.
        """
        if self.query_store not in ("auto", "memory", "disk"):
            raise KGError(f"KG_QUERY_STORE must be auto, memory or disk, not {self.query_store!r}")
        if self.query_store == "auto":
            return quads is not None and quads <= MEMORY_STORE_QUADS
        return self.query_store == "memory"

    def body_limit(self, path: str) -> int:
        """The most bytes a request body to ``path`` may have."""
        if path == "/sparql":
            # A form-encoded query may triple in size (%XX per byte), plus the other parameters.
            return 3 * self.max_query_bytes + 16 * 1024
        if path == "/annotate":  # the page's form is URL-encoded: a Chinese character is 9 bytes there
            return 3 * self.max_annotate_bytes + 16 * 1024
        if path == "/api/annotate":
            return self.max_annotate_bytes + 16 * 1024  # JSON framing
        return self.max_body_bytes
