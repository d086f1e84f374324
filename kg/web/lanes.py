"""Threads of their own for the service's slow Python work, a few at a time and fair to each client.

SPARQL runs in worker processes (:mod:`kg.web.scheduler`). The rest of the
slow work — drawing a view, a search over the glossary, a term's page of
mentions, a report's page, matching a megabyte of text — is Python: each kind
runs in its own few threads (a :class:`ThreadLane`), never on the event loop
and never in the thread pool that everything else shares. A client may run
``per_client`` jobs of a lane at once (more: 429) and a lane keeps at most
``waiting`` jobs waiting (more: 503), so forty views drawn at once hold two
threads, not the server.

A client is its address; an IPv6 client is its /64 network, which one host
usually holds whole.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request

from kg.web.scheduler import QueueFull, TooManyRequests

T = TypeVar("T")


def client_of(request: Request) -> str:
    """The client a request counts against: its IPv4 address, or its IPv6 /64 network."""
    return client_key(request.client.host if request.client else "")


@functools.lru_cache(maxsize=4096)
def client_key(host: str) -> str:
    """``host`` as a client: an IPv6 address as its /64 network, anything else as it is."""
    if "." in host and ":" not in host:
        return host  # IPv4, the common case: no parse
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped
        if mapped is not None:
            return str(mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return host


class ThreadLane:
    """One kind of slow work: ``threads`` at once, ``per_client`` of them a client's."""

    def __init__(self, name: str, threads: int, per_client: int, waiting: int) -> None:
        self.name = name
        self.per_client = per_client
        self.most = threads + waiting
        self._limiter = anyio.CapacityLimiter(threads)
        self._clients: dict[str, int] = {}
        self._jobs = 0

    async def run(self, client: str, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` in one of the lane's threads. Raises :class:`TooManyRequests` (429) when
        the client already has ``per_client`` jobs here, :class:`QueueFull` (503) when the lane is full."""
        if self._clients.get(client, 0) >= self.per_client:
            raise TooManyRequests(f"too many {self.name} at once from this client: wait for one to finish")
        if self._jobs >= self.most:
            raise QueueFull(f"too many {self.name} at once: try again in a moment")
        self._clients[client] = self._clients.get(client, 0) + 1
        self._jobs += 1
        try:
            return await anyio.to_thread.run_sync(fn, *args, limiter=self._limiter)
        finally:
            self._jobs -= 1
            left = self._clients[client] - 1
            if left:
                self._clients[client] = left
            else:
                del self._clients[client]

    def busy(self) -> int:
        """Jobs running or waiting."""
        return self._jobs


class Lanes:
    """The service's lanes: views, text work (search, a term's or a report's page, metrics), annotation."""

    def __init__(self, annotate_slots: int = 2) -> None:
        # A client's share counts its jobs running and waiting: more than a browser's six
        # connections, so that a reader opening pages in tabs is never turned away.
        self.views = ThreadLane("views", threads=2, per_client=6, waiting=16)
        self.texts = ThreadLane("pages and searches", threads=4, per_client=8, waiting=64)
        self.annotate = ThreadLane("annotations", threads=annotate_slots, per_client=4, waiting=16)


class SendBudget:
    """Bytes of answers being sent, in all and per client.

    An answer is held until the client has read it (its body is written and the
    connection's buffer drained): sixty sockets that ask for a large answer each
    and never read it held a gigabyte. Past the budget an answer is not made at
    all (503); a client's own budget is a quarter of the whole, and a small answer
    (at most ``small`` bytes) always fits when nothing of that client's is being sent. A client
    that reads none of its answer for a while is cut off (:mod:`kg.web.http`), which frees it.
    """

    def __init__(self, total: int, small: int = 256 * 1024) -> None:
        self.total = total
        self.small = small  # written whole at once: held for no longer than that
        self.per_client = max(total // 4, 1)
        self.used = 0
        self._clients: dict[str, int] = {}

    def take(self, client: str, size: int) -> bool:
        """Reserve ``size`` bytes for ``client``'s answer; False if that would pass a budget."""
        mine = self._clients.get(client, 0)
        if mine and (mine + size > self.per_client or self.used + size > self.total):
            return False
        if not mine and self.used + size > self.total and self.used and size > self.small:
            return False
        self._clients[client] = mine + size
        self.used += size
        return True

    def give(self, client: str, size: int) -> None:
        """The answer has been sent (or will not be): its bytes are free again."""
        self.used -= size
        left = self._clients.get(client, 0) - size
        if left > 0:
            self._clients[client] = left
        else:
            self._clients.pop(client, None)
