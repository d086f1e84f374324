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
