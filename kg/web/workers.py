"""SPARQL query workers: confined processes, killed at the time-out, replaced when they die.

Oxigraph's Python API has no query time-out and a thread cannot be stopped:
only a process can. What a worker does with a job is in ``answering.py``; this
module is the server's side: it starts workers, sends them jobs, reads their
answers and kills a worker whose query runs past its time. The server never
parses, evaluates or serialises a query itself, so nothing heavy runs on its
event loop.

The channel is a socket pair with a plain frame (two lengths, a small pickle,
the body as raw bytes): the body is never pickled, and the server reads
answers from a callback on its event loop (one ``add_reader`` per worker for
its whole life, not one per query), so an answer costs a single non-blocking
read when it is small and never blocks the loop when it is large.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from kg.web.answering import FRAME, READ, Answer, Settings, worker_main, write_all

READ_MAX = 1 << 20  # and at most this many once a large body is on its way
TRANSFER = 30.0  # seconds an answer may take to arrive once its first bytes have


class Unavailable(Exception):
    """The query could not be answered now; the client should retry (503 or 429 with Retry-After)."""

    status = 503
    retry_after = 1


class QueryTimeout(Unavailable):
    """The query ran past the time-out; its worker was killed (503 without Retry-After: sent
    again, it would run past the time-out again)."""

    retry_after = 0


class WorkerLost(Unavailable):
    """The worker process died during a query (it is being replaced)."""


class NotStarted(Exception):
    """The worker was stopped before it began this job (sent behind another): run it elsewhere."""


class Preempted(NotStarted):
    """The job ran too long for one with others waiting behind it: run it again, on its own."""


# A job with others sent behind it that has run this long is stopped and run again elsewhere, and so
# are they: a query taken for quick that is not (a cold store, RAND()) holds them up no longer.
PREEMPT_AFTER = 0.1


# -- the server side -------------------------------------------------------------


async def _readable(conn: Connection, timeout: float) -> None:
    """Wait on the event loop (no thread) until ``conn`` has data or is closed."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    fd = conn.fileno()  # taken now: the connection may be closed (the worker killed) meanwhile
    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, timeout)
    finally:
        loop.remove_reader(fd)
        # The rest of a message being written is read blocking; some event loops (uvloop) leave
        # the pipe non-blocking, and a message larger than the pipe's buffer would fail half-read.
        if not conn.closed and not os.get_blocking(conn.fileno()):
            os.set_blocking(conn.fileno(), True)


class _Expired(Exception):
    """The worker's timer ran out before its answer arrived."""


@dataclass(eq=False)
class _Call:
    """A job sent to a worker and not yet answered: the future its caller awaits."""

    future: asyncio.Future[Answer]
    wait: float  # seconds it may run once the worker begins it
    # Called once the job has left the worker, for a caller that stopped waiting while it waited
    # its turn (the scheduler counts it as the worker's until then).
    release: Callable[[], None] | None = None


@dataclass(eq=False)
class Worker:
    """One confined worker process and the channel to it.

    After the hello, the event loop watches the channel for the worker's whole life:
    :meth:`_readable_now` reads whatever has arrived, cuts frames and hands each answer
    to the waiting :meth:`call`. The scheduler may send a quick job behind the one running
    (a worker reads jobs in order and answers them in order), so the worker never waits
    for the server between two jobs. Only the job at the head is running: its timer kills
    the worker when it overruns, and starts for the next job when its answer arrives.
    A job stopped before it began (its worker killed for the one ahead) fails with
    :class:`NotStarted`, to be run elsewhere; end of file (the worker died) fails the
    running job at once.
    """

    settings: Settings
    proc: mp.process.BaseProcess | None = None
    conn: Connection | None = None
    ready: bool = False
    busy: bool = False
    load: int = 0  # jobs the scheduler has given it and not taken back (see scheduler.Lane)
    slow: int = 0  # of those, jobs not known to be quick: nothing is sent behind them
    confinement: Any = None
    restarting: asyncio.Task[None] | None = field(default=None, repr=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)
    _watched: int = field(default=-1, repr=False)  # the descriptor the loop watches, -1 for none
    _buffer: bytearray = field(default_factory=bytearray, repr=False)
    _calls: deque[_Call] = field(default_factory=deque, repr=False)  # sent, in order; the first runs
    _timer: asyncio.TimerHandle | None = field(default=None, repr=False)
    _preempt: asyncio.TimerHandle | None = field(default=None, repr=False)
    head_started: float = 0.0  # the event loop's time when the job at the head began

    def spawn(self) -> None:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker_main, args=(child, self.settings), daemon=True)
        self.proc.start()
        child.close()
        self.conn, self.ready = parent, False
        self._buffer = bytearray()

    def _hello(self) -> None:
        assert self.conn is not None
        try:
            tag, self.confinement = self.conn.recv()
        except EOFError:  # it died first (no store, say): the same message as no answer
            raise RuntimeError("SPARQL worker did not start") from None
        if tag != "ready":
            raise RuntimeError("SPARQL worker did not start")
        self.ready = True

    def start_blocking(self, timeout: float = 60) -> None:
        """Start and wait for the store to open (only at server start-up)."""
        self.spawn()
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait, blocking, for a spawned worker's hello (start-up spawns every worker first)."""
        assert self.conn is not None
        if not self.conn.poll(timeout):
            raise RuntimeError("SPARQL worker did not start")
        self._hello()

    async def start(self, timeout: float = 60) -> None:
        self.spawn()
        assert self.conn is not None
        await _readable(self.conn, timeout)
        self._hello()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.is_alive()

    def _unwatch(self) -> None:
        if self._watched >= 0 and self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self._watched)
        self._watched = -1

    def _watch(self, loop: asyncio.AbstractEventLoop) -> int:
        """Have ``loop`` call :meth:`_readable_now` whenever the channel has data; return its descriptor."""
        assert self.conn is not None
        fd = self.conn.fileno()
        if self._watched != fd or self._loop is not loop:
            self._unwatch()  # a worker outlives a test's event loop; servers have one loop
            loop.add_reader(fd, self._readable_now)
            self._loop, self._watched = loop, fd
            # Jobs are written blocking (the worker is waiting for them); some event loops
            # (uvloop) make a watched descriptor non-blocking.
            if not os.get_blocking(fd):
                os.set_blocking(fd, True)
        return fd

    def _arriving(self) -> None:
        """The head's answer is arriving: only its transfer is timed now, and it is stopped no more
        for the jobs behind it (it has run)."""
        self._time(TRANSFER)
        self._stop_timers(timer=False)

    def _stop_timers(self, timer: bool = True) -> None:
        """Cancel the pre-emption timer, and the head's time-out too unless ``timer`` is False."""
        for handle in (self._timer if timer else None, self._preempt):
            if handle is not None:
                handle.cancel()
        if timer:
            self._timer = None
        self._preempt = None

    def _time(self, seconds: float) -> None:
        """(Re)start the timer of the job at the head."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_later(seconds, self._expire) if self._loop is not None else None

    def _begin(self) -> None:
        """The job at the head begins: its time-out, and its limit while others wait behind it."""
        assert self._loop is not None
        self.head_started = self._loop.time()
        self._time(self._calls[0].wait)
        self._stop_timers(timer=False)
        self._watch_behind()

    def _watch_behind(self) -> None:
        """With jobs behind the head, stop the worker if the head runs past ``PREEMPT_AFTER``."""
        if len(self._calls) > 1 and self._preempt is None and self._loop is not None:
            self._preempt = self._loop.call_at(self.head_started + PREEMPT_AFTER, self._overlong)

    def _overlong(self) -> None:
        self._preempt = None
        if any(not c.future.done() for c in list(self._calls)[1:]):  # somebody still waits behind it
            self.kill(preempted=True)

    def _readable_now(self) -> None:
        """Read what has arrived (never blocks: the loop said it is readable) and deliver whole frames."""
        fd = self._watched
        buf = self._buffer
        want = READ
        if len(buf) >= FRAME.size:  # a large body is on its way: read it in large pieces
            meta, body = FRAME.unpack_from(buf)
            want = min(max(FRAME.size + meta + body - len(buf), READ), READ_MAX)
        try:
            data = os.read(fd, want)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # end of file: the worker died
            self._unwatch()
            self.ready = False  # never handed another job meanwhile
            self._fail_head(EOFError("the worker closed its channel"))
            return
        if not buf and self._calls:
            # The head's query is done and its answer is arriving: from now on only the transfer is timed.
            self._arriving()
        buf += data
        while len(buf) >= FRAME.size:
            meta, body = FRAME.unpack_from(buf)
            end = FRAME.size + meta + body
            if len(buf) < end:
                return
            status, media_type, truncated, kind, seconds = pickle.loads(bytes(buf[FRAME.size : FRAME.size + meta]))
            answer = Answer(status, media_type, bytes(buf[FRAME.size + meta : end]), truncated, kind, seconds)
            del buf[:end]
            if not self._calls:
                continue  # a frame nobody asked for: never happens, but never fatal
            done = self._calls.popleft()
            if not done.future.done():  # done: cancelled, its client left while it waited its turn
                done.future.set_result(answer)
            if self._calls:  # the next job begins now: it gets its whole time
                self._begin()
                if buf:
                    self._arriving()
            else:
                self._stop_timers()
            if done.release is not None:
                done.release()

    def _expire(self) -> None:
        self._fail_head(_Expired())

    def _fail_head(self, exc: BaseException) -> None:
        """Fail the running job with ``exc``: its caller then stops the worker, or, when nobody
        waits for it (its client left while it waited its turn), stop the worker here."""
        head = self._calls[0] if self._calls else None
        if head is not None and not head.future.done():
            head.future.set_exception(exc)
        else:
            self.kill()

    def kill(self, preempted: bool = False) -> None:
        """SIGKILL at once; the zombie is reaped by :meth:`restart`. A running job still awaited
        fails as if the worker died (``preempted``: with :class:`Preempted`, to run again); jobs
        sent behind it fail with :class:`NotStarted`."""
        self.ready = False
        self._unwatch()
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        self._buffer = bytearray()
        self._stop_timers()
        calls, self._calls = self._calls, deque()
        for i, c in enumerate(calls):
            if not c.future.done():
                if i > 0:
                    c.future.set_exception(NotStarted())
                else:
                    c.future.set_exception(Preempted() if preempted else EOFError("the worker was stopped"))
        for c in calls:
            if c.release is not None:
                c.release()

    async def restart(self) -> None:
        self.kill()
        if self.proc is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.proc.join, 5)
        for attempt in range(5):
            try:
                await self.start()
                return
            except (OSError, EOFError, TimeoutError, RuntimeError):
                self.kill()
                await asyncio.sleep(0.5 * (attempt + 1))

    def death(self) -> str:
        code = self.proc.exitcode if self.proc is not None else None
        if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
            return f"the query crashed its worker (memory limit {self.settings.memory >> 20} MiB or engine fault)"
        return "the query worker died"

    async def call(
        self,
        job: dict[str, Any],
        wait: float,
        timeout: float,
        release: Callable[[], None] | None = None,
        meta: bytes | None = None,
    ) -> Answer:
        """Send the job and await its answer without blocking the loop; kill the worker if it runs past ``wait``.

        Raises :class:`NotStarted` when the worker was stopped before it began the job.
        ``release`` is called once the job has left the worker: when this returns or raises, or,
        for a caller cancelled while the job waited behind another, when the worker is done with
        it. ``meta``: the job already pickled.
        """
        if self.conn is None:
            if release is not None:
                release()
            raise NotStarted()  # stopped between being given the job and sending it
        loop = asyncio.get_running_loop()
        pending = _Call(loop.create_future(), wait)
        proc = self.proc  # what to stop: never a replacement started meanwhile

        def stop() -> None:
            if self.proc is proc:
                self.kill()

        try:
            fd = self._watch(loop)
            if meta is None:
                meta = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                write_all(fd, FRAME.pack(len(meta), 0) + meta)
            except OSError:  # the worker died before it had the job: it never began
                stop()
                raise NotStarted() from None
            self._calls.append(pending)
            if len(self._calls) == 1:
                self._begin()
            else:
                self._watch_behind()
            return await pending.future
        except _Expired:
            stop()
            raise QueryTimeout(f"query stopped after {timeout:g} s (time-out)") from None
        except NotStarted:
            raise
        except (EOFError, OSError) as exc:
            await asyncio.sleep(0.05)  # let the exit code arrive
            reason = self.death() if self.proc is proc else "the query worker died"
            stop()
            raise WorkerLost(f"{reason} ({exc.__class__.__name__}); it is being replaced") from None
        except BaseException:  # cancelled (the client went away)
            if not self._calls or self._calls[0] is pending:
                stop()  # it is running (or was never sent): free the worker at once
            elif pending in self._calls:
                # It waits its turn: it will run, within its time, and its answer be dropped; the
                # worker holds it until then.
                pending.release, release = release, None
            raise
        finally:
            if release is not None:
                release()
