"""Confine a SPARQL worker process: no network at all, bounded memory, a deep stack.

Why a network namespace: Oxigraph follows ``SERVICE`` to any host, and a
guard is only a check. A process that has left the host's network namespace
for a fresh one (``unshare(CLONE_NEWUSER | CLONE_NEWNET)``, which needs no
privilege on Linux) sees only a loopback interface that is down: every
``connect`` fails with "network unreachable", whatever the query says. The
user namespace maps the worker's own uid and gid onto themselves, so it reads
the store with the same permissions as before. The pipe to the server was
opened before and keeps working.

seccomp or Landlock could deny ``connect`` too, but need a compiled filter
or a recent kernel; the namespace needs one libc call and is easy to verify
from inside (:func:`verify_offline`).

Memory: ``RLIMIT_DATA`` caps the worker's heap (Rust and Python allocations
alike); past it an allocation fails and the worker dies or raises
``MemoryError``, which the server turns into a 503. The query runs on a
thread with a large stack, so deep (but short) queries do not overflow it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


@dataclass(frozen=True)
class Confinement:
    """What a worker reports about itself once started."""

    offline: bool
    how: str  # a short phrase for the start-up line
    memory_limit: int | None  # bytes of heap the worker may hold, or None


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as fh:
        fh.write(text)


def isolate_network() -> str:
    """Move this process into a new, empty network namespace; return how, or raise OSError.

    Must run before the process starts threads (the kernel refuses a user
    namespace to a multi-threaded process).
    """
    if not sys.platform.startswith("linux"):
        raise OSError(errno.ENOSYS, f"no network namespaces on {sys.platform}")
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        # Map our own ids so file permissions stay what they were.
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
        how = "user and network namespace"
    elif libc.unshare(CLONE_NEWNET) == 0:  # root in a container that forbids user namespaces
        how = "network namespace"
    else:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare: {os.strerror(err)}")
    verify_offline()
    return how


def verify_offline() -> None:
    """Raise OSError unless a connection to loopback fails as it must with no network."""
    names = [name for _, name in socket.if_nameindex()]
    if names not in ([], ["lo"]):
        raise OSError(errno.EPERM, f"network interfaces still visible: {names}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        code = s.connect_ex(("127.0.0.1", 9))
    if code != errno.ENETUNREACH:
        raise OSError(errno.EPERM, f"loopback still reachable (connect gave {errno.errorcode.get(code, code)})")


def limit_memory(extra: int) -> int | None:
    """Cap the heap at what the process holds now plus ``extra`` bytes; return the cap (None if unsupported)."""
    try:
        import resource
    except ImportError:  # not on this OS
        return None
    used = _data_size()
    cap = used + extra
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    return cap


def _data_size() -> int:
    """VmData of this process (bytes), 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def confine(
    memory: int, stack: int, network: bool = False, prepare: Callable[[], T] | None = None
) -> tuple[Confinement, T | None]:
    """Confine the calling worker: the network first (while single-threaded), then memory.

    ``prepare`` runs between the two, offline but before the cap, and its result is
    returned with the confinement: what it holds (a worker's copy of the store) is not
    taken from the allowance of the queries. ``network=True`` skips the network
    namespace (only tests that must show what the guard alone does ask for it).
    Never raises for want of isolation: a worker that cannot be isolated says so,
    and the server prints it at start-up.
    """
    offline, how = False, "none"
    if not network:
        try:
            how = isolate_network()
            offline = True
        except OSError as exc:
            how = f"unavailable ({exc.strerror or exc})"
    prepared = prepare() if prepare is not None else None
    # The stack is reserved up front and counts as data: add it to the allowance.
    cap = limit_memory(memory + stack) if memory > 0 else None
    return Confinement(offline, how, cap), prepared
