"""uvicorn's HTTP protocol (httptools) with each response written to the socket at once.

uvicorn writes a response's head when the application starts it and its body
when the application sends it: two ``send`` calls, and with ``TCP_NODELAY`` two
packets, for every answer. Under load that second system call was a third of
the server's time on short SPARQL answers. Here the writes made while one
callback of the event loop runs are joined and written once, just after it:
a response whose head and body are sent back to back (every response the
service makes) leaves in one packet; nothing waits longer than that callback.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kg.web.lanes import client_key


class _Corked:
    """A transport that holds the writes of one loop callback and writes them together after it."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(bytes(data))

    def writelines(self, lines: Any) -> None:
        for data in lines:
            self.write(data)

    def flush(self) -> None:
        """Write what is held (in order), in one call."""
        if self._held:
            data = self._held[0] if len(self._held) == 1 else b"".join(self._held)
            self._held = []
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()  # a response with `Connection: close` is written before the socket closes
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._held))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CorkedHttpToolsProtocol(HttpToolsProtocol):
    """:class:`HttpToolsProtocol` writing through :class:`_Corked` (pass it as uvicorn's ``http``)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_Corked(transport, self.loop))  # type: ignore[arg-type]


def _refuse(transport: asyncio.BaseTransport, status: bytes, text: str) -> None:
    """Answer ``status`` and close: the request could not be read."""
    body = text.encode()
    head = (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n\r\n"
    )
    if not transport.is_closing():
        transport.write(head + body)  # type: ignore[attr-defined]
    transport.close()


class GuardedHttpToolsProtocol(CorkedHttpToolsProtocol):
    """The connection's own limits, which uvicorn does not set (made by :func:`guarded_protocol`).

    - A client (an address; an IPv6 /64) holds at most ``per_client`` connections: more are
      answered 503 and closed, so that a few dozen idle sockets cannot take every slot of the
      server's connection limit.
    - A request's head (request line and headers) must arrive within ``head_timeout`` seconds
      (and at most a second more) of the connection or of the previous response: slowloris and
      idle sockets get 408.
    - A request's head may be ``max_head`` bytes: a larger one gets 431, before its headers
      fill the server's memory (also when it comes behind a request still being answered).
    - A client that reads none of its answer for ``send_timeout`` seconds is cut off: the
      answer held for it is freed.
    """

    per_client = 16
    head_timeout = 10.0
    max_head = 32 * 1024
    send_timeout = 30.0
    open: dict[str, int] = {}  # noqa: RUF012 — a class of its own per server (guarded_protocol)
    sweeping = False  # the once-a-second look for late heads runs (one per server class)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        peer = transport.get_extra_info("peername")
        self._key = client_key(str(peer[0]) if isinstance(peer, tuple) and peer else "")
        self._counted = False
        self._head_bytes = 0
        self._reading_head = True  # the bytes coming in are a request's head (also behind a request in hand)
        self._stuck_since: float | None = None  # since when the client has read none of its answer
        super().connection_made(transport)
        # Since when a request's head has been awaited; None while none is. Heads are checked once
        # a second, not by a timer per request (which cost a tenth of the throughput).
        self._head_since: float | None = self.loop.time()
        if self.open.get(self._key, 0) >= self.per_client:
            many = f"too many connections from this client (at most {self.per_client})\n"
            _refuse(transport, b"503 Service Unavailable", many)
            return
        self.open[self._key] = self.open.get(self._key, 0) + 1
        self._counted = True
        if not type(self).sweeping:
            type(self).sweeping = True
            self.loop.call_later(1.0, self._sweep, self.loop)

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_since = self._stuck_since = None
        if self._counted:
            self._counted = False
            left = self.open.get(self._key, 1) - 1
            if left > 0:
                self.open[self._key] = left
            else:
                self.open.pop(self._key, None)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._reading_head:
            # Counted before the parser keeps it: a head sent whole, or behind a request still
            # being answered (pipelined), is held by the parser until it ends.
            end = data.find(b"\r\n\r\n")
            self._head_bytes += len(data) if end < 0 else end + 4
            if self._head_since is None:
                self._head_since = self.loop.time()
            if self._head_bytes > self.max_head:
                self._head_since = None
                self._cut(b"431 Request Header Fields Too Large", f"request head over {self.max_head} bytes\n")
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._reading_head, self._head_since, self._head_bytes = False, None, 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_head = True  # whatever comes next is the next request's head

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._reading_head and self._head_since is None and self._idle() and not self.transport.is_closing():
            self._head_since = self.loop.time()  # the next head is awaited as the first one

    def pause_writing(self) -> None:
        super().pause_writing()
        self._stuck_since = self.loop.time()

    def resume_writing(self) -> None:
        super().resume_writing()
        self._stuck_since = None

    def _idle(self) -> bool:
        """No request in hand (a pipelined one may have started as the last response completed)."""
        return self.cycle is None or self.cycle.response_complete

    def _cut(self, status: bytes, text: str) -> None:
        """Answer ``status`` and close; in the middle of an answer, only close (dropping what is unsent)."""
        if self._idle():
            _refuse(self.transport, status, text)
        elif not self.transport.is_closing():
            self.transport.abort()

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        """Close every connection whose request's head is late, or whose client has read none of
        its answer for ``send_timeout`` (what is held for it is freed), then look again in a second."""
        now = loop.time()
        for conn in list(self.connections):
            if not isinstance(conn, GuardedHttpToolsProtocol) or conn.transport.is_closing():
                continue
            if conn._head_since is not None and conn._head_since < now - self.head_timeout:
                conn._head_since = None
                conn._cut(b"408 Request Timeout", f"no request within {self.head_timeout:g} s\n")
            elif conn._stuck_since is not None and conn._stuck_since < now - self.send_timeout:
                conn._stuck_since = None
                conn.transport.abort()
        loop.call_later(1.0, self._sweep, loop)


def guarded_protocol(
    per_client: int, head_timeout: float, max_head: int, send_timeout: float
) -> type[GuardedHttpToolsProtocol]:
    """uvicorn's ``http`` protocol class for one server, with these limits."""
    limits = {"per_client": per_client, "head_timeout": head_timeout, "max_head": max_head}
    return type(
        "ServerHttpProtocol",
        (GuardedHttpToolsProtocol,),
        {**limits, "send_timeout": send_timeout, "open": {}, "sweeping": False},
    )
