"""The worker sandbox: a process that leaves the network cannot connect anywhere, loopback included."""

from __future__ import annotations

import multiprocessing as mp
import socket

import pytest

from kg.web.sandbox import confine, limit_memory


def _try(port: int) -> tuple[str, int]:
    c = confine(memory=512 << 20, stack=8 << 20)
    with socket.socket() as s:
        s.settimeout(2)
        return c.how, s.connect_ex(("127.0.0.1", port))


def _allocate(n: int) -> str:
    limit_memory(64 << 20)
    try:
        bytearray(n)
        return "ok"
    except MemoryError:
        return "MemoryError"


def test_a_confined_process_cannot_reach_loopback():
    with socket.socket() as lis:
        lis.bind(("127.0.0.1", 0))
        lis.listen(1)
        port = lis.getsockname()[1]
        with mp.get_context("spawn").Pool(1) as pool:
            how, code = pool.apply(_try, (port,))
    if how.startswith("unavailable"):
        pytest.skip(f"no network namespace on this machine: {how}")
    assert code != 0  # ENETUNREACH: the listener was never reached


def test_memory_limit_turns_a_huge_allocation_into_memory_error():
    with mp.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_allocate, (1 << 30,)) == "MemoryError"
        assert pool.apply(_allocate, (1 << 20,)) == "ok"
