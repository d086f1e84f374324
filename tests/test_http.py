"""The HTTP protocol writes each response at once: its head and body in one socket write."""

from __future__ import annotations

import asyncio
import socket

from kg.web.http import _Corked

from .conftest import serve


class _Transport:
    """A stand-in for an asyncio transport that records each write."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        assert not self.closed
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str) -> str:
        return f"info {name}"


def test_writes_of_one_callback_leave_together_and_in_order():
    async def scenario() -> tuple[list[bytes], list[bytes], bool]:
        inner = _Transport()
        corked = _Corked(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
        corked.write(b"HTTP/1.1 200 OK\r\n\r\n")
        corked.write(memoryview(b"body"))
        assert inner.writes == [] and corked.get_write_buffer_size() == 23
        await asyncio.sleep(0)  # the end of this callback
        first = list(inner.writes)
        corked.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        corked.close()  # `Connection: close`: written before the socket closes
        return first, inner.writes, inner.closed

    first, writes, closed = asyncio.run(scenario())
    assert first == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
    assert writes == [first[0], b"HTTP/1.1 204 No Content\r\n\r\n"] and closed


def test_the_rest_of_the_transport_is_the_real_one():
    loop = asyncio.new_event_loop()
    try:
        corked = _Corked(_Transport(), loop)  # type: ignore[arg-type]
        assert corked.get_extra_info("peername") == "info peername"
    finally:
        loop.close()


def _read_response(sock: socket.socket, buffered: bytes) -> tuple[bytes, bytes, bytes]:
    """(head, body, what is left) of one response with a Content-Length."""
    data = buffered
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(int(v) for k, _, v in (ln.partition(b": ") for ln in head.split(b"\r\n")) if k == b"content-length")
    while len(rest) < length:
        rest += sock.recv(65536)
    return head, rest[:length], rest[length:]


def test_a_live_server_answers_pipelined_head_and_closing_requests(dist):
    """Keep-alive, two requests sent at once, HEAD and `Connection: close` through the corked protocol."""
    with serve(dist) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/terms/san-hui-yi-dai-li HTTP/1.1\r\nHost: x\r\n\r\n"
            )
            head, body, left = _read_response(sock, b"")
            assert head.startswith(b"HTTP/1.1 200") and b'"status"' in body
            head, body, left = _read_response(sock, left)
            assert head.startswith(b"HTTP/1.1 200") and "三会一代理".encode() in body and left == b""
            sock.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"\r\n\r\n")
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
            assert data.startswith(b"HTTP/1.1 200") and data.rstrip().endswith(b"}")
