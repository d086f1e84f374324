"""Report graphs made in worker processes: a corpus build on every core.

A report's graph and its share of the written files (:class:`kg.serialise.GraphText`)
depend only on the report and on what the whole corpus settles first (term IRIs,
known labels, the curation), and making them was most of a corpus build (0.6 s of
each report's second, one core busy). Workers make them in report order, write the
report's graph into the new build's cache themselves, and hand back only what the
main process merges into the shared files: the text, the triples other graphs may
state too, and the graph's size. The files are the ones a build in one process
writes (``tests/test_pipeline.py``).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import sys
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.namespace import PROV, VOID
from rdflib.term import Literal, Node

from kg import pinyin
from kg.build_cache import CachedReport
from kg.building.glossary_graph import GlossaryGraphBuilder
from kg.building.report_graph import ReportGraphBuilder
from kg.cache_files import shares, write_report
from kg.curation import Curation
from kg.index_parts import Changes
from kg.matcher import Matcher
from kg.parsing.coverage import Coverage, number_coverage
from kg.parsing.model import Report
from kg.parsing.script import with_simplified
from kg.serialise import GraphText, graph_text
from kg.vocab import IRIs

Triple = tuple[Node, Node, Node]
MIN_REPORTS = 8  # fewer reports to make: starting the workers (a second each) costs more than it saves
# More reports than this: a full build writes the index after validation, not beside it. At 1,000
# reports the index worker's memory on top of validation's took a build past 4 GiB (4.17 GiB for a
# full build, against 3.33 GiB with the index after validation). A rebuild that made at most
# REMADE_BESIDE_MAX reports again (whose index reads few reports' shares again) writes it beside
# validation at any size.
INDEX_BESIDE_MAX = 500
REMADE_BESIDE_MAX = 50


def distinct(triples: Iterable[Triple]) -> list[Triple]:
    """The triples once each, in first-seen order (a graph is a set)."""
    return list(dict.fromkeys(triples))


def graph_size(graph: URIRef, size: int) -> Triple:
    """The graph's VoID size, stated in the graph itself (``size`` counts this statement too).

    Counting every quad of a corpus store takes seconds (10 M triples at 1,000 reports);
    the build knows each graph's size, so the ``graphs`` query reads it.
    """
    return (graph, VOID.triples, Literal(size))


def with_build(
    triples: list[Triple], graph: URIRef, build: URIRef, report: URIRef, size: int
) -> tuple[list[Triple], list[Triple], int]:
    """A report graph's triples with those naming the build and its size: (triples, added, size).

    ``size`` is the graph's size before (``triples`` may hold only part of it).
    """
    added: list[Triple] = [(graph, PROV.wasGeneratedBy, build), (graph, PROV.wasDerivedFrom, report)]
    out = distinct([*triples, *added])
    size += len(out) - len(triples) + 1  # the build triples, then the size's own
    added.append(graph_size(graph, size))
    out.append(added[-1])
    return out, added, size


@dataclass
class Corpus:
    """What every report's graph is made against: sent once to each worker."""

    curation: Curation
    iris: IRIs
    term_iris: dict[str, URIRef]
    known: set[str]
    build: URIRef
    target: Path  # the new build's folder, whose cache receives each report's graph
    noted: set[str] = field(default_factory=set)  # note headwords of every report
    owners: dict[str, str] = field(default_factory=dict)  # term → the report whose parts it gets


@dataclass
class Made:
    """A report made by a worker: its graph is in the cache already."""

    item_iris: dict[str, URIRef]
    used_labels: set[str]
    shared: list[Triple]  # the triples other graphs may state too
    size: int  # the graph's triples, without those naming the build
    text: GraphText
    coverage: Coverage
    pinyin: dict[str, list[str]] = field(default_factory=dict)  # looked up for it (kg.pinyin.used)


def make_entry(
    r: Report, name: str, sha: str, corpus: Corpus, terms: Matcher, glossary: GlossaryGraphBuilder
) -> CachedReport:
    """Build report ``r``'s graph: its cache entry, with every triple."""
    # Each report matches only the entities it mentions: generic alt labels stay with their place.
    entities = Matcher(glossary.entity_labels(r))
    rb = ReportGraphBuilder(
        r, corpus.curation, corpus.iris, corpus.term_iris, terms, corpus.known, entities, corpus.noted, corpus.owners
    )
    triples = distinct(rb.build())
    coverage = number_coverage(r, corpus.curation.ignored_numbers)
    return CachedReport(name, sha, r, triples, dict(rb.item_iris), set(rb.used_labels), coverage)


_STATE: dict[str, Any] = {}


def _start(corpus: Corpus) -> None:
    pinyin.used(clear=True)  # what the parent looked up before the fork is the parent's to keep
    _STATE["corpus"] = corpus
    _STATE["terms"] = Matcher(with_simplified([(label, str(iri)) for label, iri in corpus.term_iris.items()]))
    _STATE["glossary"] = GlossaryGraphBuilder(corpus.curation, corpus.iris, corpus.term_iris)


def _make(job: tuple[Report, str, str]) -> Made:
    r, name, sha = job
    corpus: Corpus = _STATE["corpus"]
    entry = make_entry(r, name, sha, corpus, _STATE["terms"], _STATE["glossary"])
    size = len(entry.triples)
    graph, report = corpus.iris.graph(f"report/{r.slug}"), corpus.iris.report(r.slug)
    triples, _added, _size = with_build(entry.triples, graph, corpus.build, report, size)
    text = graph_text(str(graph), triples, corpus.iris.base)
    del triples
    shared = write_report(corpus.target, entry, shares(str(report), map(str, entry.item_iris.values())))
    assert entry.coverage is not None  # make_entry accounts for the numbers
    return Made(entry.item_iris, entry.used_labels, shared, size, text, entry.coverage, pinyin.used(clear=True))


MAX_PROCESSES = 4  # each holds a Python with rdflib (about 150 MB): more CPUs than this are left alone


def processes() -> int:
    """Worker processes for a build: ``KG_BUILD_WORKERS``, else the CPUs this process may use (at most 4)."""
    given = os.environ.get("KG_BUILD_WORKERS")
    if given is not None:
        if not given.strip().isdigit() or int(given) < 1:
            from kg.errors import SettingError

            raise SettingError(f"KG_BUILD_WORKERS must be a whole number of processes (1 or more), not {given!r}")
        return int(given)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cpus, MAX_PROCESSES)


def _context() -> Any:
    """Forked workers where fork is safe to use (Linux; no store is open yet, no thread runs).

    A forked worker inherits the corpus instead of unpickling it, and does not import the
    caller's main module again: a script without ``if __name__ == "__main__"`` would build
    again in every spawned worker (multiprocessing's RuntimeError, and the parent waiting
    for ever on a worker that died while it was being sent the corpus).
    """
    return mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def made(jobs: list[tuple[Report, str, str]], corpus: Corpus, workers: int) -> Generator[Made, None, None]:
    """Each job's report made in ``workers`` processes, in the jobs' order.

    A few jobs per worker are in flight at a time, so that finished texts do not pile
    up while the main process writes.
    """
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start, initargs=(corpus,))
    pending: deque[Future[Made]] = deque()
    todo = iter(jobs)
    try:
        for job in todo:
            pending.append(pool.submit(_make, job))
            if len(pending) >= 2 * workers:
                break
        while pending:
            done = pending.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.submit(_make, nxt))
            yield done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _index(store: str, base: str, path: str, held: str) -> tuple[list[str], dict[str, int]]:
    """Write the reports' half of the index from the store (opened read-only,
    :func:`kg.index.write_reports`); returns the slugs whose parts were reused, and each
    glossary term's mentions counted (for :func:`kg.index.write_terms`)."""
    from kg.index import write_reports
    from kg.store import open_read_only
    from kg.store_graph import StoreGraph

    with open(held, "rb") as fh:
        texts, last, changes = pickle.load(fh)
    written = write_reports(StoreGraph(open_read_only(store)), IRIs(base), Path(path), texts, last, changes)
    return written.cache.reused, written.counts


@dataclass
class Indexing:
    """Whether the reports' half of the index is being written beside the body, which reports'
    parts it reused, and each glossary term's mentions counted."""

    beside: bool
    reused: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class WorkerGone(Exception):
    """The index worker could not start, or died: the index is written here instead."""


def _serve_index(conn: Connection, warm: bool) -> None:
    """The index worker's life: import what the job needs (``warm``), then run the one job sent."""
    if warm:
        import pyoxigraph  # noqa: F401

        from kg import index, store_graph  # noqa: F401
    try:
        job = conn.recv()
    except EOFError:  # the build no longer needs it
        return
    try:
        answer: object = _index(*job)
    except Exception as exc:  # the build raises it, as if it had written the index itself
        answer = exc
    try:
        conn.send(answer)
    except Exception as exc:  # an exception that cannot be pickled: its words
        conn.send(RuntimeError(f"{type(exc).__name__}: {answer}"))


class IndexWorker:
    """The process that writes the reports' half of the index beside validation (:func:`index_beside`).

    Made when the build begins, it starts (a Python importing rdflib and the store:
    about a second) while the build parses: the index is a rebuild's last step, and
    its start no longer delays it. Spawned, not forked: by the time the index is
    written the store is open here, and its threads must not be copied mid-work. A
    plain process and a pipe, not a pool: a pool's threads would run in this process
    while the report workers are forked (:func:`made`), and forking copies no thread.
    """

    def __init__(self, warm: bool = True) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc: mp.process.BaseProcess | None = ctx.Process(
            target=_serve_index, args=(child, warm), name="kg-index", daemon=True
        )
        self._proc.start()
        child.close()

    @classmethod
    def start(cls, warm: bool = True) -> IndexWorker | None:
        """A started worker, or None where no process can be started (the index is written here)."""
        try:
            return cls(warm)
        except (OSError, RuntimeError):
            return None

    def send(self, *job: str) -> None:
        """Hand it the job (:func:`_index`'s arguments); raises :class:`WorkerGone` if it is gone."""
        try:
            self._conn.send(job)
        except (OSError, ValueError):
            raise WorkerGone() from None

    def result(self) -> tuple[list[str], dict[str, int]]:
        """Wait for the job's answer; raises what the job raised, or :class:`WorkerGone`."""
        try:
            answer = self._conn.recv()
        except (EOFError, OSError, ValueError):
            raise WorkerGone() from None
        if isinstance(answer, BaseException):
            raise answer
        reused, counts = answer
        return reused, counts

    def close(self, stop: bool = False) -> None:
        """Let the process go (``stop``: at once, whatever it is doing); once closed, nothing."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self._conn.close()  # an idle worker waiting for a job leaves
        if stop:
            proc.terminate()
        proc.join(None if not stop else 5)
        if proc.is_alive():
            proc.kill()
            proc.join()


@contextmanager
def index_beside(
    store: Path,
    base: str,
    path: Path,
    texts: dict[str, str],
    wanted: bool,
    last: Path | None = None,
    changes: Changes | None = None,
    worker: IndexWorker | None = None,
) -> Iterator[Indexing]:
    """Write the reports' half of the index (``kg.index.write_reports``) in a worker process
    while the body runs; the body reads the terms' half (``kg.index.read_terms``), which is
    written with the counts this notes (``kg.index.write_terms``) once this is left.

    Yields whether it does (only when ``wanted``); on leaving, waits for it and raises
    what it raised, and notes the parts it reused and the counts. The store must be flushed:
    the worker opens it read-only. A body that raises (a SHACL violation) stops the worker
    instead. ``last`` and ``changes`` are :func:`kg.index.write_reports`'s; ``worker``: one
    started earlier (closed here), else one is started now.
    """
    if not wanted:
        yield Indexing(False)
        return
    # What the worker is sent stays small (the texts go through a file): a pipe never fills.
    held = path.with_name(".index-texts.pickle")
    with held.open("wb") as fh:
        pickle.dump((texts, last, changes), fh, protocol=pickle.HIGHEST_PROTOCOL)
    job = (str(store), base, str(path), str(held))
    indexing = Indexing(True)
    try:
        worker = worker or IndexWorker.start(warm=False)
        if worker is not None:
            try:
                worker.send(*job)
            except WorkerGone:  # it could not start: the index is written here, after the body
                worker.close(stop=True)
                worker = None
        try:
            yield indexing
        except BaseException:
            if worker is not None:
                worker.close(stop=True)  # no need to finish an index now
            raise
        try:
            indexing.reused, indexing.counts = worker.result() if worker is not None else _index(*job)
        except WorkerGone:  # the worker died: the index is written here
            indexing.reused, indexing.counts = _index(*job)
        except BaseException:  # the job failed, or the build was interrupted while it waited
            if worker is not None:
                worker.close(stop=True)
            raise
    finally:
        if worker is not None:
            worker.close()
        held.unlink(missing_ok=True)
