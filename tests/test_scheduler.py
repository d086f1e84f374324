"""Fair scheduling in a lane: per-client limits, fairness between clients, bounded queues."""

from __future__ import annotations

import asyncio
import pickle

import pytest

from kg.web.scheduler import Lane, QueueFull, TooManyRequests


class FakeWorker:
    def __init__(self) -> None:
        self.busy = False
        self.ready = True
        self.restarting = None
        self.load = 0
        self.slow = 0

    @property
    def head_started(self) -> float:  # whatever it runs began just now
        return asyncio.get_running_loop().time()

    def alive(self) -> bool:
        return True


def _lane(workers: int = 1, per_client: int = 1, client_queue: int = 4, max_queue: int = 8) -> Lane:
    ws = [FakeWorker() for _ in range(workers)]
    lane = Lane("query", ws, per_client, client_queue, max_queue)  # type: ignore[arg-type]
    lane.idle.extend(ws)  # type: ignore[arg-type]
    return lane


def test_a_free_worker_goes_to_the_client_with_fewest_running():
    async def scenario() -> list[str]:
        lane = _lane(workers=2, per_client=2)
        order: list[str] = []
        a1 = await lane.acquire("a", 1)
        a2 = await lane.acquire("a", 1)  # a holds both workers
        waits = [asyncio.ensure_future(lane.acquire(c, 5)) for c in ("a", "a", "b")]
        await asyncio.sleep(0.01)
        lane.finish("a", a1)  # one worker frees: b (0 running) before a's third query
        await asyncio.sleep(0.01)
        order += ["b" if waits[2].done() else "a"]
        lane.finish("a", a2)
        await asyncio.sleep(0.01)
        order += ["a" if waits[0].done() else "?"]
        for w in waits:
            w.cancel()
        return order

    assert asyncio.run(scenario()) == ["b", "a"]


def test_per_client_limit_holds_even_with_idle_workers():
    async def scenario() -> bool:
        lane = _lane(workers=3, per_client=1)
        await lane.acquire("a", 1)
        second = asyncio.ensure_future(lane.acquire("a", 5))
        await asyncio.sleep(0.01)
        held = not second.done()
        other = await lane.acquire("b", 1)  # another client is served at once
        second.cancel()
        return held and other is not None

    assert asyncio.run(scenario())


def test_queues_are_bounded():
    async def scenario() -> tuple[type, type]:
        lane = _lane(workers=1, per_client=1, client_queue=2, max_queue=3)
        await lane.acquire("a", 1)
        pending = [asyncio.ensure_future(lane.acquire("a", 5)) for _ in range(2)]
        await asyncio.sleep(0.01)
        with pytest.raises(TooManyRequests) as per_client:
            await lane.acquire("a", 1)
        pending.append(asyncio.ensure_future(lane.acquire("b", 5)))
        await asyncio.sleep(0.01)
        with pytest.raises(QueueFull) as total:
            await lane.acquire("c", 1)
        for p in pending:
            p.cancel()
        return per_client.type, total.type

    assert asyncio.run(scenario()) == (TooManyRequests, QueueFull)


def test_a_cancelled_wait_leaves_no_ticket_behind():
    async def scenario() -> int:
        lane = _lane(workers=1)
        await lane.acquire("a", 1)
        waiting = asyncio.ensure_future(lane.acquire("b", 5))
        await asyncio.sleep(0.01)
        waiting.cancel()
        await asyncio.sleep(0.01)
        return len(lane.waiting)

    assert asyncio.run(scenario()) == 0


def test_the_fast_path_never_hands_out_a_dead_worker_or_jumps_the_queue():
    async def scenario() -> tuple[bool, bool, bool]:
        lane = _lane(workers=2, per_client=1)
        dead, live = lane.idle
        dead.alive = lambda: False  # type: ignore[method-assign]
        replaced: list[object] = []
        lane.replace = replaced.append  # type: ignore[method-assign,assignment]
        got = await lane.acquire("a", 1)  # the dead one is skipped, the live one given
        waiting = asyncio.ensure_future(lane.acquire("a", 5))  # a's second query waits its turn
        await asyncio.sleep(0.01)
        lane.idle.append(dead)
        dead.alive = lambda: True  # type: ignore[method-assign]
        third = await lane.acquire("b", 1)  # b is served (a is at its limit) although a waits
        queued = not waiting.done()
        waiting.cancel()
        return got is live and dead in replaced, third is dead, queued

    assert asyncio.run(scenario()) == (True, True, True)


def test_a_quick_query_goes_behind_another_quick_one_and_never_behind_a_slow_one():
    """With no worker idle, a query known to be quick is given a worker that runs only quick
    queries and holds fewer than DEPTH jobs; an unknown query waits for an idle worker, and no
    quick query passes it there; a worker running a slow query gets nothing behind it."""
    from kg.web.scheduler import DEPTH

    async def scenario() -> tuple[object, ...]:
        lane = _lane(workers=2, per_client=16, client_queue=16, max_queue=16)
        quick_one = await lane.acquire("a", 1, quick=True)
        slow_one = await lane.acquire("a", 1)  # both workers busy: one quick, one slow
        behind = [await asyncio.wait_for(lane.acquire("b", 1, quick=True), 0.1) for _ in range(DEPTH - 1)]
        full = asyncio.ensure_future(lane.acquire("b", 5, quick=True))  # the quick worker is full
        unknown = asyncio.ensure_future(lane.acquire("c", 5))
        await asyncio.sleep(0.01)
        waiting = (full.done(), unknown.done())
        lane.finish("b", behind[0], True)  # room behind the quick one, but c's unknown query is first
        await asyncio.sleep(0.01)
        passed = full.done()
        lane.finish("a", slow_one, False)  # an idle worker: the unknown query, then the quick one
        await asyncio.sleep(0.01)
        got_unknown = unknown.result() if unknown.done() else None
        got_full = full.result() if full.done() else None
        return (
            all(w is quick_one for w in behind),
            waiting,
            passed,
            got_unknown is slow_one,
            got_full is quick_one,
            quick_one.load,  # type: ignore[attr-defined]
            slow_one.slow,  # type: ignore[attr-defined]
        )

    assert asyncio.run(scenario()) == (True, (False, False), False, True, True, DEPTH, 1)


def test_a_worker_holding_a_slow_query_is_never_given_a_second():
    async def scenario() -> bool:
        lane = _lane(workers=1, per_client=8)
        await lane.acquire("a", 1)  # not known to be quick
        second = asyncio.ensure_future(lane.acquire("b", 5, quick=True))
        await asyncio.sleep(0.01)
        held = not second.done()
        second.cancel()
        return held

    assert asyncio.run(scenario())


def test_only_short_queries_that_ran_quickly_are_taken_for_quick():
    """The lane remembers what a query took and calls it quick the next time if under QUICK;
    a large job is neither remembered nor ever quick (its job is written to the worker blocking),
    nor one of many-byte characters or with long graph lists (bytes count, not characters)."""
    from kg.web.answering import Answer
    from kg.web.scheduler import QUICK, QUICK_BYTES

    async def scenario() -> tuple[list[bool], int]:
        lane = _lane(workers=1, per_client=4)
        asked: list[bool] = []
        real = lane.acquire

        async def acquire(client: str, wait: float, quick: bool = False) -> object:
            asked.append(quick)
            return await real(client, wait, quick)

        async def call(job: dict, wait: float, timeout: float, release, meta) -> Answer:
            release()
            return Answer(200, "text/plain", b"", seconds=QUICK / 2 if "quick" in job["query"] else QUICK * 2)

        lane.acquire = acquire  # type: ignore[method-assign]
        lane.workers[0].call = call  # type: ignore[attr-defined]
        jobs = [
            {"query": "quick"},
            {"query": "quick", "select_format": "xml"},  # another job: not known yet
            {"query": "slow"},
            {"query": "# quick" + "x" * QUICK_BYTES},
            {"query": "# quick" + "\U0001f600" * (QUICK_BYTES // 3)},  # fewer characters than bytes
            {"query": "# quick", "default_graphs": [f"http://example.org/g{i}" for i in range(QUICK_BYTES // 20)]},
        ]
        for job in jobs:
            for _ in range(2):
                await lane.run(job, "a", 1)
        return asked, len(lane.timings)

    assert asyncio.run(scenario()) == ([False, True, False, True] + [False] * 8, 3)


def test_a_query_whose_client_left_is_never_again_taken_for_quick():
    """Its job may run on, unwatched, to its time-out: the lane remembers it as slow."""
    from kg.web.scheduler import QUICK, job_key

    async def scenario() -> float:
        lane = _lane(workers=1)

        async def call(job: dict, wait: float, timeout: float, release, meta) -> None:
            try:
                await asyncio.sleep(10)
            finally:
                release()

        lane.workers[0].call = call  # type: ignore[attr-defined]
        job = {"query": "ASK {}"}
        meta = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        lane.timings[job_key(meta)] = QUICK / 10
        running = asyncio.ensure_future(lane.run(job, "a", 3))
        await asyncio.sleep(0.01)
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        return lane.timings[job_key(meta)]

    assert asyncio.run(scenario()) == 3


def test_a_pool_that_cannot_start_leaves_no_worker_running(dist, monkeypatch):
    """Every worker is spawned before any is waited for: when one does not start, the others,
    already running, are stopped too."""
    import multiprocessing as mp
    import time

    from kg.web.answering import Settings
    from kg.web.scheduler import WorkerPool
    from kg.web.workers import Worker

    waited = []
    real = Worker.wait_ready

    def second_fails(self: Worker, timeout: float = 60) -> None:
        waited.append(self)
        if len(waited) == 2:
            raise RuntimeError("SPARQL worker did not start")
        real(self, timeout)

    monkeypatch.setattr(Worker, "wait_ready", second_fails)
    before = {p.pid for p in mp.active_children()}
    settings = Settings(store=str(dist / "oxigraph"), memory=1 << 30, stack=1 << 24)
    with pytest.raises(RuntimeError, match="did not start"):
        WorkerPool(settings, 3)
    deadline = time.monotonic() + 10
    while [p for p in mp.active_children() if p.pid not in before] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p for p in mp.active_children() if p.pid not in before] == []
