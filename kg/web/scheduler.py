"""Fair scheduling of SPARQL jobs over the worker processes.

Two lanes, each with its own workers: ``query`` for the public endpoint and
``documents`` for the entity documents (``/term/….ttl``), so a document
never waits behind somebody's slow query. Within a lane:

- each client (by address) runs at most ``per_client`` queries at once; its
  other queries wait, and at most ``client_queue`` of them (then 429);
- the queue as a whole holds at most ``max_queue`` jobs (then 503);
- a free worker goes to the waiting client with the fewest running queries,
  the earliest first, so two clients looping slow queries cannot starve a third;
- a query waits at most one time-out for a worker (over all its attempts, below), then runs at
  most one time-out (each attempt);
- a query known to be quick (its last run took under ``QUICK`` seconds) may be sent to a
  worker behind another quick one when no worker is idle, so that a worker never waits
  for the server between two jobs (about 0.1 ms a query, a third of a quick query's
  cost); a slow or unknown query is never queued behind another in a worker, and
  nothing is queued behind it;
- a worker that dies, overruns or whose client leaves is killed and replaced
  in the background, and a monitor replaces idle workers that die.

Answers of repeated queries are cached (the store is read-only while serving).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import pickle
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from kg.web.answering import Answer
from kg.web.workers import NotStarted, Preempted, QueryTimeout, Unavailable, Worker, WorkerLost

# A query whose last run took less than this may be sent to a worker behind another such query.
QUICK = 0.02
DEPTH = 4  # jobs a worker holds at most: the one running and three sent behind it
# Larger jobs (pickled) are never sent behind another, nor their times kept: the jobs waiting unread
# in a worker's channel stay far below its buffer (about 200 KB), so writing one never blocks.
QUICK_BYTES = 16_384
TIMINGS_KEPT = 1024


class QueueFull(Unavailable):
    """Too many queries are waiting: 503 with Retry-After."""

    retry_after = 2


class TooManyRequests(Unavailable):
    """This client has too many queries waiting: 429 with Retry-After."""

    status = 429
    retry_after = 2


def job_key(meta: bytes) -> bytes:
    """What names a job's timing: a digest of the whole pickled job (a query asked for in another
    format, or with other graphs, is another job), 16 bytes however large the job."""
    return hashlib.blake2b(meta, digest_size=16).digest()


@dataclass(eq=False)
class Ticket:
    client: str
    future: asyncio.Future[Worker]
    order: int
    quick: bool = False


@dataclass(eq=False)
class Lane:
    name: str
    workers: list[Worker]
    per_client: int
    client_queue: int
    max_queue: int
    idle: list[Worker] = field(default_factory=list)
    # Waiting tickets by client, each client's in arrival order: choosing the next ticket looks at
    # one ticket per client, not at every ticket (50 connections of one client make 47 waiting).
    queues: dict[str, deque[Ticket]] = field(default_factory=dict)
    queued: int = 0
    running: Counter[str] = field(default_factory=Counter)
    arrivals: int = 0
    timings: OrderedDict[bytes, float] = field(default_factory=OrderedDict)  # seconds a job took last
    closed: bool = False  # the pool is shutting down: nothing restarted, nothing run again

    @property
    def waiting(self) -> list[Ticket]:
        """Every waiting ticket, oldest first."""
        return sorted((t for q in self.queues.values() for t in q), key=lambda t: t.order)

    def _next(self) -> Ticket | None:
        """The fair next ticket: its client runs fewest queries (under the limit), then the earliest."""
        best: Ticket | None = None
        best_key = (0, 0)
        for client, queue in self.queues.items():
            running = self.running[client]
            if running >= self.per_client:
                continue
            key = (running, queue[0].order)
            if best is None or key < best_key:
                best, best_key = queue[0], key
        return best

    def _unqueue(self, ticket: Ticket) -> bool:
        """Take ``ticket`` out of its client's queue; False if it was not there."""
        queue = self.queues.get(ticket.client)
        if queue is None or ticket not in queue:
            return False
        queue.remove(ticket)
        if not queue:
            del self.queues[ticket.client]
        self.queued -= 1
        return True

    def release(self, worker: Worker) -> None:
        """A worker is ready for work: hand it to the next fair ticket, or keep it idle."""
        worker.busy = worker.load > 0
        if not worker.busy and worker not in self.idle:
            self.idle.append(worker)
        self.dispatch()

    def _behind(self) -> Worker | None:
        """A worker running only quick queries with room for one more, the least loaded first."""
        best: Worker | None = None
        now = asyncio.get_running_loop().time()
        for w in self.workers:
            restarting = w.restarting is not None and not w.restarting.done()
            if (
                w.ready
                and not restarting
                and not w.slow
                and 0 < w.load < DEPTH
                and now - w.head_started < QUICK  # the job it runs is quick this time too, so far
                and (best is None or w.load < best.load)
            ):
                best = w
        return best

    def _give(self, worker: Worker, client: str, quick: bool) -> None:
        worker.busy = True
        worker.load += 1
        worker.slow += not quick
        self.running[client] += 1

    def dispatch(self) -> None:
        while self.queued:
            ticket = self._next()
            if ticket is None:
                return
            if self.idle:
                worker = self.idle.pop(0)
                if not worker.alive():  # died while idle: never hand out a dead worker
                    self.replace(worker)
                    continue
            else:  # no idle worker: a quick query may go behind another quick one
                if not ticket.quick:
                    return  # but never ahead of the fair next ticket, which needs an idle worker
                behind = self._behind()
                if behind is None:
                    return
                worker = behind
            self._unqueue(ticket)
            self._give(worker, ticket.client, ticket.quick)
            ticket.future.set_result(worker)

    async def acquire(self, client: str, wait: float, quick: bool = False) -> Worker:
        """A worker for one of ``client``'s queries (``quick``: known to take under ``QUICK`` s)."""
        if self.queued >= self.max_queue:
            raise QueueFull(f"{self.queued} queries are waiting already: try again shortly")
        if len(self.queues.get(client, ())) >= self.client_queue:
            raise TooManyRequests(f"you have {self.client_queue} queries waiting already: wait for their answers")
        if not self.queued and self.running[client] < self.per_client:
            # Nobody is waiting, so this client is the fair choice: take a worker without a ticket
            # (no future, no timer; what dispatch would do, at a fraction of the cost).
            while self.idle:
                worker = self.idle.pop(0)
                if worker.alive():
                    self._give(worker, client, quick)
                    return worker
                self.replace(worker)  # died while idle: never hand out a dead worker
            behind = self._behind() if quick else None
            if behind is not None:
                self._give(behind, client, quick)
                return behind
        loop = asyncio.get_running_loop()
        self.arrivals += 1
        ticket = Ticket(client, loop.create_future(), self.arrivals, quick)
        self.queues.setdefault(client, deque()).append(ticket)
        self.queued += 1
        self.dispatch()

        def expire() -> None:
            if not ticket.future.done():
                ticket.future.set_exception(TimeoutError())

        timer = loop.call_later(wait, expire)  # a timer, not wait_for(shield(…)): no extra futures
        try:
            return await ticket.future
        except BaseException:
            # Out of the queue only by dispatch, which gave it a worker: hand that back.
            if not self._unqueue(ticket) and ticket.future.done() and not ticket.future.cancelled():
                self.finish(client, ticket.future.result(), quick)
            raise
        finally:
            timer.cancel()

    def finish(self, client: str, worker: Worker, quick: bool = False) -> None:
        """``client``'s job on ``worker`` is over (answered, failed or never sent)."""
        self.running[client] -= 1
        if self.running[client] <= 0:
            del self.running[client]
        worker.load -= 1
        worker.slow -= not quick
        if worker.ready:
            self.release(worker)
        else:
            self.replace(worker)

    def replace(self, worker: Worker) -> None:
        """Restart a dead or killed worker in the background; it rejoins the lane when ready."""
        worker.busy = True  # not idle while restarting
        if worker in self.idle:
            self.idle.remove(worker)
        if self.closed or (worker.restarting is not None and not worker.restarting.done()):
            return

        async def restart() -> None:
            await worker.restart()
            if worker.ready:
                self.release(worker)

        worker.restarting = asyncio.get_running_loop().create_task(restart())

    async def run(self, job: dict[str, Any], client: str, timeout: float) -> Answer:
        """Wait at most ``timeout`` for a worker, then run at most ``timeout``: a queued query gets its full time.

        A job whose worker was stopped before it began (for the query ahead of it), or that was
        stopped for holding up the jobs behind it, is run again on another worker, as a query
        not known to be quick: so a query may wait and run somewhat longer than one time-out.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout  # for waiting, over every attempt
        meta = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        key = job_key(meta) if len(meta) <= QUICK_BYTES else None  # larger jobs: never timed
        took = self.timings.get(key) if key is not None else None
        quick = took is not None and took < QUICK
        for _attempt in range(3):
            given = quick
            try:
                left = deadline - loop.time()
                if left <= 0:
                    raise TimeoutError
                worker = await self.acquire(client, left, given)
            except TimeoutError:
                # Unlike a query that ran too long, this one may well run if sent again: Retry-After.
                raise Unavailable(f"no SPARQL worker was free within {timeout:g} s: try again shortly") from None

            def release(worker: Worker = worker, given: bool = given) -> None:
                self.finish(client, worker, given)

            try:
                answer = await worker.call(job, timeout, timeout, release, meta)
            except NotStarted as exc:
                if isinstance(exc, Preempted):
                    self._took(key, timeout)  # not quick this time: never again behind another
                    await asyncio.sleep(0)  # the jobs it held up queue again before it
                if self.closed:
                    raise WorkerLost("the server is shutting down") from None
                quick = False
                continue
            except (QueryTimeout, WorkerLost):
                self._took(key, timeout)
                raise
            except asyncio.CancelledError:
                # Its client left; it may run on, unwatched, to its time-out: never take it for quick.
                self._took(key, timeout)
                raise
            self._took(key, answer.seconds)
            return answer
        raise WorkerLost("the query's worker was stopped before it began, three times: try again shortly")

    def _took(self, key: bytes | None, seconds: float) -> None:
        if key is not None:
            self.timings[key] = seconds
            self.timings.move_to_end(key)
            if len(self.timings) > TIMINGS_KEPT:
                self.timings.popitem(last=False)

    def status(self) -> dict[str, int]:
        # Alive as well as ready: a worker killed a moment ago is not ready, though the monitor
        # has not seen it yet (healthz said "ok" right after every worker was killed).
        ready = sum(w.ready and w.alive() for w in self.workers)
        return {"workers": len(self.workers), "ready": ready, "busy": sum(w.busy and w.ready for w in self.workers)}


class WorkerPool:
    """The lanes, the answer cache and the monitor that keeps workers alive."""

    def __init__(
        self,
        settings: Any,
        size: int,
        *,
        per_client: int = 1,
        client_queue: int = 4,
        max_queue: int = 32,
        cache_entries: int = 256,
        cache_bytes: int = 16 << 20,
    ) -> None:
        self.settings = settings
        query_workers = [Worker(settings) for _ in range(max(1, size))]
        self.lanes = {
            "query": Lane("query", query_workers, per_client, client_queue, max_queue),
            "documents": Lane("documents", [Worker(settings)], 1 << 30, 1 << 30, max_queue),
        }
        # Every worker is spawned before any is waited for: each opens (or copies) the store
        # at the same time as the others.
        for w in self.workers:
            w.spawn()
        try:
            for lane in self.lanes.values():
                for w in lane.workers:
                    w.wait_ready()
                    lane.idle.append(w)
        except BaseException:  # none left running behind a server that did not start
            for w in self.workers:
                w.kill()
            raise
        self.cache: OrderedDict[str, Answer] = OrderedDict()
        self.cache_entries = cache_entries
        self.cache_bytes = cache_bytes
        self.cached = 0
        self._monitor: asyncio.Task[None] | None = None

    @property
    def workers(self) -> list[Worker]:
        return [w for lane in self.lanes.values() for w in lane.workers]

    def confinement(self) -> Any:
        return self.workers[0].confinement

    async def run(self, job: dict[str, Any], timeout: float, client: str = "", lane: str = "query") -> Answer:
        if not self.cache_entries:  # no cache: no key to build
            return await self.lanes[lane].run(job, client, timeout)
        key = json.dumps(job, sort_keys=True)
        hit = self.cache.get(key)
        if hit is not None:
            self.cache.move_to_end(key)
            return hit
        answer = await self.lanes[lane].run(job, client, timeout)
        if answer.status == 200 and len(answer.body) <= self.cache_bytes // 16:
            self.cache[key] = answer
            self.cached += len(answer.body)
            while len(self.cache) > self.cache_entries or self.cached > self.cache_bytes:
                _, old = self.cache.popitem(last=False)
                self.cached -= len(old.body)
        return answer

    def start_monitor(self, every: float = 0.5) -> None:
        """Replace idle workers that die (checked every ``every`` seconds) without waiting for a request."""

        async def watch() -> None:
            while True:
                await asyncio.sleep(every)
                for lane in self.lanes.values():
                    for w in lane.workers:
                        if not w.busy and not w.alive():
                            lane.replace(w)

        self._monitor = asyncio.get_running_loop().create_task(watch())

    def status(self) -> dict[str, dict[str, int]]:
        return {name: lane.status() for name, lane in self.lanes.items()}

    def close(self) -> None:
        for lane in self.lanes.values():
            lane.closed = True
        if self._monitor is not None:
            self._monitor.cancel()
        for w in self.workers:
            if w.restarting is not None:
                w.restarting.cancel()
            w.kill()
            if w.proc is not None:
                with contextlib.suppress(Exception):
                    w.proc.join(2)
