"""The worker sandbox: a process that leaves the network cannot connect anywhere, loopback included."""

from __future__ import annotations

import multiprocessing as mp
import socket

import pytest

from kg.web.sandbox import confine, limit_memory


def _connect(port: int) -> int:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port))


def _try(port: int, while_preparing: bool) -> tuple[str, int]:
    """Confine this process and connect to ``port``: from ``prepare``, or once confined."""
    if while_preparing:
        c, code = confine(memory=512 << 20, stack=8 << 20, prepare=lambda: _connect(port))
        return c.how, -1 if code is None else code
    c, _ = confine(memory=512 << 20, stack=8 << 20)
    return c.how, _connect(port)


def _reaches_loopback(while_preparing: bool) -> int:
    """The connect result of a confined process to a listener on loopback (skips without namespaces)."""
    with socket.socket() as lis:
        lis.bind(("127.0.0.1", 0))
        lis.listen(1)
        port = lis.getsockname()[1]
        with mp.get_context("spawn").Pool(1) as pool:
            how, code = pool.apply(_try, (port, while_preparing))
    if how.startswith("unavailable"):
        pytest.skip(f"no network namespace on this machine: {how}")
    return code


def _allocate(n: int) -> str:
    limit_memory(64 << 20)
    try:
        bytearray(n)
        return "ok"
    except MemoryError:
        return "MemoryError"


def _prepared_then_allocate(n: int) -> tuple[str, int]:
    # network=True: this test is about the order of the steps, not the namespace.
    c, held = confine(memory=64 << 20, stack=8 << 20, network=True, prepare=lambda: bytearray(256 << 20))
    assert c.memory_limit  # RLIMIT_DATA (Linux)
    try:
        bytearray(n)
        return "ok", len(held or b"")
    except MemoryError:
        return "MemoryError", len(held or b"")


def test_what_a_worker_prepares_before_the_cap_is_not_taken_from_the_queries_allowance():
    """A worker's copy of the store (here 256 MiB) is made before the cap: the queries keep theirs."""
    with mp.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_prepared_then_allocate, (32 << 20,)) == ("ok", 256 << 20)
    with mp.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_prepared_then_allocate, (512 << 20,)) == ("MemoryError", 256 << 20)


def test_a_confined_process_cannot_reach_loopback():
    assert _reaches_loopback(while_preparing=False) != 0  # ENETUNREACH: the listener was never reached


def test_memory_limit_turns_a_huge_allocation_into_memory_error():
    with mp.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_allocate, (1 << 30,)) == "MemoryError"
        assert pool.apply(_allocate, (1 << 20,)) == "ok"


def test_what_a_worker_prepares_runs_offline():
    """The store is opened (or copied) after the worker has left the network: a SERVICE-like
    connection made then reaches nothing either."""
    assert _reaches_loopback(while_preparing=True) != 0  # ENETUNREACH: the listener was never reached
