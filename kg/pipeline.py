"""The build: sources → parse → graph → merge curation → SHACL → artifacts.

Deterministic (the same inputs give byte-identical files) and atomic (a
failed build leaves the previous artifacts untouched).
"""

from __future__ import annotations

import gc
import hashlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Literal

from kg import __version__, jsontext, pinyin
from kg.build_cache import BuildCache, CachedReport, Outcome, file_sha256, global_key
from kg.building import store_texts
from kg.building.build_report import build_report
from kg.building.curation_lines import CurationLines
from kg.building.discovery import defined_inline, part_owners
from kg.building.glossary_graph import GlossaryGraphBuilder, mint_terms
from kg.building.output import check_output, swap
from kg.building.sequence import report_sequence
from kg.building.workers import (
    INDEX_BESIDE_MAX,
    MIN_REPORTS,
    REMADE_BESIDE_MAX,
    Corpus,
    IndexWorker,
    distinct,
    graph_size,
    index_beside,
    made,
    make_entry,
    processes,
    with_build,
)
from kg.cache_files import keep_pinyin, shares, write_shacl
from kg.curation import Curation, load_curation
from kg.errors import ArtifactError, SourceError
from kg.graph_index import ReadGraph
from kg.index import INDEX_FILE, read_terms, write_reports, write_terms
from kg.index_parts import Changes
from kg.matcher import Matcher
from kg.parsing.model import Report
from kg.parsing.report import parse_file
from kg.parsing.script import with_simplified
from kg.resources import CURATION, DEFAULT_REPORT, ontology_dir
from kg.serialise import GraphText
from kg.shacl_fast import datatype_paths, load_shapes
from kg.store import STORE_DIR
from kg.store_graph import StoreGraph
from kg.text import normalise
from kg.validation import Carry, validate_graph
from kg.vocab import NMT, IRIs
from kg.writers import Triple

Progress = Callable[[str], None]

# A build of more sources writes no dataset files unless asked: at 1,000 reports they are 7 GB,
# rewritten whole on every build (the store, the index and the pages do not read them).
DATASET_FILES_MAX = 100


@dataclass
class BuildResult:
    """What a build produced, for the CLI and the build report."""

    out: Path
    reports: list[Report]  # the reports read (none when the output was up to date)
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI → triples
    report: dict[str, object] = field(default_factory=dict)
    cache: Outcome | None = None  # what the build took from the last one

    def sources(self) -> list[dict[str, Any]]:
        """The per-source part of the build report."""
        found = self.report.get("sources", [])
        return list(found) if isinstance(found, list) else []


def _digest(paths: list[Path], extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


@dataclass
class Assembly:
    """What assembling the graphs found, with what the next build may reuse."""

    reports: list[Report]
    report: dict[str, object]
    entries: list[CachedReport]
    term_iris: dict[str, URIRef]
    known: set[str]
    noted: set[str]  # note headwords
    owners: dict[str, str]  # term → the report whose parts it gets (discovery.part_owners)
    sizes: dict[str, int] = field(default_factory=dict)  # source name → its graph's triples, without the build's


# Receives each named graph as soon as it is built: its IRI, its triples, and for a report
# graph its cache entry and the triples that name the build; then the graph's size and, for a
# report made by a worker, its text (its cache files are written then). An unchanged or
# worker-made report's triples are only those other graphs may state too (see ``shares``).
GraphSink = Callable[[URIRef, list[Triple], CachedReport | None, list[Triple], int, GraphText | None], None]


def _build_digest(sources: list[Path], curation: Curation) -> str:
    """The digest naming a build: of the sources, the curation files, the ontology and the version."""
    return _digest([*sources, *curation.files, ontology_dir() / "nmt.ttl"], __version__)


def _unchanged_since(sources: list[Path], curation: Curation, digest: str) -> bool:
    """Whether the inputs still have ``digest`` (none changed or vanished while the build ran)."""
    try:
        return _build_digest(sources, curation) == digest
    except OSError:
        return False


def assemble(
    sources: list[Path], curation: Curation, iris: IRIs, progress: Progress | None = None, encoding: str | None = None
) -> tuple[Dataset, list[Report], dict[str, object]]:
    """Parse the sources and build the dataset (no validation, no writing)."""
    reports, found = _parse(sources, encoding, None, progress)
    graphs: dict[URIRef, list[Triple]] = {}

    def collect(
        name: URIRef,
        triples: list[Triple],
        _entry: CachedReport | None,
        _extra: list[Triple],
        _size: int,
        _text: GraphText | None,
    ) -> None:
        graphs[name] = triples

    a = _assemble(reports, found, curation, iris, _build_digest(sources, curation), None, collect, progress)
    return dataset(graphs), a.reports, a.report


def dataset(graphs: dict[URIRef, list[Triple]]) -> Dataset:
    """An rdflib Dataset of these named graphs."""
    ds = Dataset()
    for name, triples in graphs.items():
        target = ds.graph(name)
        target.addN((s, p, o, target) for s, p, o in triples)
    return ds


def _parse(
    sources: list[Path],
    encoding: str | None,
    cache: BuildCache | None,
    progress: Progress | None,
    skipped: list[dict[str, str]] | None = None,
) -> tuple[list[Report], list[tuple[str, str, CachedReport | None]]]:
    """Each source's parse (from the cache when its bytes are unchanged), with its name, sha256 and
    cache entry. With ``skipped`` a source that is not a report of the genre is left out and
    listed there (its name and why), else it fails the build."""
    reports: list[Report] = []
    found: list[tuple[str, str, CachedReport | None]] = []
    for i, src in enumerate(sources, 1):
        try:
            sha = file_sha256(src)
        except OSError:
            sha = ""  # parse_file says what is wrong with it
        hit = cache.lookup(src.name, sha) if cache and sha else None
        if hit is not None:
            found.append((src.name, sha, hit))
            reports.append(hit.report)
            continue
        if progress and len(sources) > 1:
            progress(f"[{i}/{len(sources)}] parsing {src.name}")
        try:
            reports.append(parse_file(src, encoding))
        except SourceError as exc:
            message = str(exc) if str(exc).startswith(str(src)) else f"{src}: {exc}"
            if skipped is None:
                hint = " (kg build --keep-going leaves such a source out)" if len(sources) > 1 else ""
                raise SourceError(message + hint) from None
            skipped.append({"source": src.name, "error": message})
            if progress:
                progress(f"skipped {message}")
            continue
        found.append((src.name, sha, hit))
    if skipped is not None and not reports:
        raise SourceError(f"no source is a work report ({len(skipped)} skipped): {skipped[0]['error']}")
    return reports, found


def _assemble(
    reports: list[Report],
    found: list[tuple[str, str, CachedReport | None]],
    curation: Curation,
    iris: IRIs,
    digest: str,
    cache: BuildCache | None,
    sink: GraphSink,
    progress: Progress | None,
    target: Path | None = None,
    pieces: CurationLines | None = None,
) -> Assembly:
    """Build every named graph and hand each to ``sink`` as soon as it is built, holding none.

    With ``target`` (the new build's folder), reports to make are made in worker
    processes when there are enough of them (:mod:`kg.building.workers`). With
    ``pieces``, the curation graph's reports' alignments go there, and ``sink``
    receives the rest of it (:mod:`kg.building.curation_lines`).
    """
    slugs = [r.slug for r in reports]
    dupes = sorted({s for s in slugs if slugs.count(s) > 1})
    if dupes:
        raise SourceError(f"two sources share the name '{dupes[0]}': rename one")

    term_iris = mint_terms(curation, reports, iris)
    glossary = GlossaryGraphBuilder(curation, iris, term_iris)
    terms = Matcher(with_simplified([(label, str(iri)) for label, iri in term_iris.items()]))

    item_iris: dict[str, URIRef] = {}
    used_labels: set[str] = set()
    build = iris.build(digest)
    known = {normalise(lab) for t in curation.terms for lab in [t.zh, *t.alt_zh]}
    noted = {t for r in reports for n in r.notes for t in n.terms}
    # Terms a report defines where it uses them (“工业上楼”(即…)) are no other report's candidates.
    defined = defined_inline(reports, known | noted, set(curation.excluded_quotes))
    known |= noted | defined
    owners = part_owners(reports, known - defined, set(curation.excluded_quotes))
    corpus = Corpus(curation, iris, term_iris, known, build, target or Path(), noted, owners)
    changed = cache.changed_labels(term_iris, known, noted, owners) if cache else set()
    # Which reports are reused is settled first (their cached parts read one at a time below),
    # so that the others can be made in workers meanwhile.
    reuse = [
        cache is not None and hit is not None and not BuildCache.affected(r, changed) and cache.has_shared(r.slug)
        for r, (_name, _sha, hit) in zip(reports, found, strict=True)
    ]
    jobs = [(r, name, sha) for r, (name, sha, _hit), old in zip(reports, found, reuse, strict=True) if not old]
    workers = min(processes(), len(jobs))
    parallel = target is not None and workers > 1 and len(jobs) >= MIN_REPORTS
    made_by = made(jobs, corpus, workers) if parallel else None
    entries: list[CachedReport] = []
    sizes: dict[str, int] = {}
    try:
        for i, (r, (name, sha, hit), old) in enumerate(zip(reports, found, reuse, strict=True), 1):
            gname = iris.graph(f"report/{r.slug}")
            text = None
            kept = None
            if cache is not None and old:
                # Only the union's Turtle, written with the files, reads an unchanged graph's shared triples.
                known_size = cache.graph_size(name) if pieces is not None else None
                kept = (known_size, []) if known_size is not None else cache.shared(r.slug)
            if kept is not None and hit is not None:
                assert cache is not None
                cache.outcome.reused.append(r.slug)
                entry = hit
                size, entry.triples = kept
            else:
                if progress and len(reports) > 1:
                    progress(f"[{i}/{len(reports)}] building graph of {r.slug}")
                if cache:
                    (cache.outcome.regraphed if hit else cache.outcome.rebuilt).append(r.slug)
                if made_by is not None and not old:
                    m = next(made_by)  # made in a worker, in this order: its graph is in the cache already
                    pinyin.remember(m.pinyin, used=True)
                    entry = CachedReport(name, sha, r, m.shared, m.item_iris, m.used_labels, m.coverage)
                    size, text = m.size, m.text
                else:  # made here: one process, few reports, or a cached part found damaged just now
                    entry = make_entry(r, name, sha, corpus, terms, glossary)
                    size = len(entry.triples)
            entries.append(entry)
            sizes[name] = size
            item_iris.update({f"{r.slug}/{k}": v for k, v in entry.item_iris.items()})
            used_labels |= entry.used_labels
            triples, extra, size = with_build(entry.triples, gname, build, iris.report(r.slug), size)
            sink(gname, triples, entry, extra, size, text)
    finally:
        if made_by is not None:
            made_by.close()  # the workers stop now, not when the generator is collected

    if pieces is not None:
        reused = set(cache.outcome.reused) if cache is not None else set()
        for r, (name, _sha, _hit) in zip(reports, found, strict=True):
            pieces.add(name, r.slug, r.slug in reused, partial(glossary.alignments, r, item_iris))
        cg = glossary.build_shared(reports, item_iris)
    else:
        cg = glossary.build(reports, item_iris)
    cname = iris.graph("curation")
    cg.add((cname, PROV.wasGeneratedBy, build))
    cg.add((build, RDF.type, NMT.Build))
    cg.add((build, RDF.type, PROV.Activity))
    cg.add((build, NMT.softwareVersion, Literal(__version__)))
    cg.add((build, RDFS.label, Literal(f"kg build {__version__}")))
    for r in reports:
        cg.add((build, PROV.used, iris.report(r.slug)))
    for t in report_sequence(reports, iris):  # corpus-wide, so not in any one report's graph
        cg.add(t)
    triples = distinct(cg)
    del cg  # the writer lets the graph go once written (ArtifactWriter.add_spilled)
    size = len(triples) + 1 + (pieces.size if pieces is not None else 0)
    triples.append(graph_size(cname, size))
    sink(cname, triples, None, [], size, None)
    oname = iris.graph("ontology")
    triples = distinct(Graph().parse(ontology_dir() / "nmt.ttl", format="turtle"))
    triples.append(graph_size(oname, len(triples) + 1))
    sink(oname, triples, None, [], len(triples), None)
    report = build_report(reports, curation, term_iris, {e.slug: e.coverage for e in entries})
    # A label kept to one subdistrict's reports (`place`) is unused only where one of them was built.
    places = {normalise(r.metadata.place or "") for r in reports}
    unused = set(curation.quantity_labels) - used_labels
    report["unused_quantity_labels"] = sorted(
        k for k in unused if curation.quantity_label_places.get(k, "") in {"", *places}
    )
    return Assembly(reports, report, entries, term_iris, known, noted, owners, sizes)


def build(
    sources: list[Path] | None = None,
    out: Path = Path("dist"),
    curation_dir: Path | None = None,
    base: str | None = None,
    progress: Progress | None = None,
    encoding: str | None = None,
    full: bool = False,
    dataset_files: bool | None = None,
    keep_going: bool = False,
) -> BuildResult:
    """Run the whole build and write the artifacts to ``out`` atomically.

    Reports whose source is unchanged since the last build into ``out`` reuse
    their parse and graph (``kg/build_cache.py``); ``full`` ignores that cache.
    The files are the same either way. ``dataset_files``: whether to write the
    five dataset files (by default, for at most :data:`DATASET_FILES_MAX` sources).
    ``keep_going``: a source that is not a report of the genre is left out (the build
    report lists it under ``skipped``) instead of failing the build.
    """
    sources = sources or [DEFAULT_REPORT]
    files = len(sources) <= DATASET_FILES_MAX if dataset_files is None else dataset_files
    curation_dir = curation_dir or CURATION
    curation = load_curation(curation_dir)
    iris = IRIs(base)
    out = out.resolve()
    check_output(out)
    cache = BuildCache(out, global_key(curation_dir, ontology_dir(), iris.base, encoding), full)
    try:
        digest = _build_digest(sources, curation)
    except OSError:  # a source that cannot be read: reading it says so (_parse)
        digest = ""
    last = cache.unchanged(out, digest, files) if digest else None
    if last is not None and last.get("skipped") and not keep_going:
        last = None  # it left sources out: without --keep-going they fail the build
    if last is not None:  # what the last build wrote is what this one would write
        graphs = last.get("graphs")
        last["cache"] = cache.outcome.summary()  # what this build did (the file keeps the last one's)
        return BuildResult(out, [], dict(graphs) if isinstance(graphs, dict) else {}, last, cache.outcome)
    pinyin.used(clear=True)  # the cache keeps what this build uses, not what the process met before
    pinyin.remember(cache.pinyin())  # labels met before are not spelled again (no pypinyin to load)
    # The index of enough reports is written beside validation (below) by a worker that starts
    # now, while the sources are parsed (not at a full build of many reports, which writes it after).
    early = len(sources) >= MIN_REPORTS and (len(sources) <= INDEX_BESIDE_MAX or not cache.outcome.full)
    worker = IndexWorker.start() if early and processes() > 1 else None
    try:
        skipped: list[dict[str, str]] | None = [] if keep_going else None
        reports, found = _parse(sources, encoding, cache, progress, skipped)
        digest = digest or _build_digest(sources, curation)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
            tmp.chmod(0o755)
        except OSError as exc:
            raise ArtifactError(f"cannot write the build next to {out}: {exc.strerror or exc}") from None
    except BaseException:
        if worker is not None:
            worker.close(stop=True)
        raise
    # The parses live as long as the build, millions of objects at 1,000 reports, and hold no
    # cycles to collect: the collector's full passes scanned them again and again (2 s of a
    # rebuild with one report changed). Frozen, they are left out of its passes until the end.
    gc.freeze()
    try:
        writer, texts = store_texts.writer(tmp, iris, cache, digest[:16], files)
        build_iri = iris.build(digest)
        # Without the files, the curation graph is made a report at a time, unchanged reports' kept.
        pieces = None if files else CurationLines(cache, tmp, iris.graph("curation"))

        def sink(
            name: URIRef,
            triples: list[Triple],
            entry: CachedReport | None,
            extra: list[Triple],
            size: int,
            text: GraphText | None,
        ) -> None:
            if entry is None and pieces is not None and name == pieces.name:
                path, folded = pieces.merge(triples)
                texts.written.add(str(name))
                texts.patched[str(name)] = path
                texts.pieces[str(name)] = pieces.changes()
                writer.add_sorted(name, path, size, folded)
                return
            if entry is None:
                writer.add_spilled(name, triples)  # no cache to read it back from: a file of its own
                return
            keep = shares(str(iris.report(entry.slug)), map(str, entry.item_iris.values()))
            if text is None:  # a worker keeps what it made itself
                cache.keep_report(tmp, entry, entry.slug in cache.outcome.reused, keep)
            slug = entry.slug
            if not files and slug in cache.outcome.reused and link_kept(name, entry, extra, size):
                return

            def reload() -> list[Triple]:
                return distinct([*(cache.triples(slug, tmp) or []), *extra])

            writer.add(name, triples, keep, reload, size, text)

        def link_kept(name: URIRef, entry: CachedReport, extra: list[Triple], size: int) -> bool:
            """An unchanged report's graph, when no file is written: its cached text is linked
            unread (its sorted lines load a new store; the store is otherwise updated)."""
            folded = cache.folded(entry.name)
            runs = cache.link_text(tmp, entry.slug) if folded is not None else None
            if runs is None or folded is None:
                return False  # its text is read (or made) and kept, as when the files are written
            texts.from_cache.add(str(name))
            texts.written.add(str(name))
            texts.folded[entry.slug] = folded
            named = writer.add_kept(name, runs, [t for t in extra if build_iri in t], size, folded)
            cache.keep_named(tmp, entry.slug, named)
            return True

        a = _assemble(reports, found, curation, iris, digest, cache, sink, progress, tmp, pieces)
        report = a.report
        report["graphs"] = dict(sorted(writer.counts.items()))
        report["triples"] = sum(writer.counts.values())
        report["base"] = iris.base
        report["version"] = __version__
        report["dataset_files"] = files
        if skipped:
            report["skipped"] = skipped
        if progress:
            progress("writing artifacts" if files else "writing the store's lines (no dataset files)")
        writer.finish(report)
        kept = pieces.kept if pieces else None
        cache.write(tmp, a.entries, a.term_iris, a.known, a.noted, digest[:16], texts.folded, kept, a.sizes, a.owners)
        # Validation and the index read the merged graph from the store just written, not from memory.
        store, raw = store_texts.build_store(tmp, out, cache, texts, iris, digest, writer)
        delta = None if raw is None else store_texts.changes(raw)
        changed = store_texts.subjects(delta)
        texts.fresh.unlink()
        union: ReadGraph = StoreGraph(store)
        carry = Carry()
        if writer.folded & datatype_paths(load_shapes(ontology_dir() / "shapes.ttl")):
            # The store would hide a wrong integer subtype.
            union = store_texts.in_memory(writer.line_files()[0])
        elif changed is not None:
            assert raw is not None and isinstance(union, StoreGraph)
            carry = Carry(cache.shacl(), changed, triples=[union.triple(t) for t in raw])
        writer.discard()  # the lines kept for the store, when no file is written: the store is made
        texts_of = {r.slug: r.text for r in reports}
        # Each report's share of the index is reused where the store's changes cannot have touched it.
        changes = Changes(delta, str(iris.report(""))) if delta is not None and changed is not None else None
        # A corpus's index is written by a worker process while this one validates: both only
        # read the store (the worker opens it read-only), and each took minutes at 1,000 reports.
        # Past INDEX_BESIDE_MAX reports only in a rebuild that made few reports again, whose index
        # reads few reports' shares again (the worker holds the kept shares, not a whole index's reads).
        remade = len(cache.outcome.rebuilt) + len(cache.outcome.regraphed)
        beside = (
            isinstance(union, StoreGraph)
            and len(reports) >= MIN_REPORTS
            and (len(reports) <= INDEX_BESIDE_MAX or (changes is not None and remade <= REMADE_BESIDE_MAX))
            and processes() > 1
        )
        if worker is not None and not beside:
            worker.close(stop=True)  # started for nothing (the index is written after SHACL): let it go now
            worker = None
        indexed_by = worker
        with index_beside(
            tmp / STORE_DIR, iris.base, tmp / INDEX_FILE, texts_of, beside, out, changes, indexed_by
        ) as indexing:
            if progress:
                progress(
                    "validating with SHACL" + (" (the reports' index is written meanwhile)" if indexing.beside else "")
                )
            findings = validate_graph(union, out.with_name(f"{out.name}.shacl-errors.txt"), carry)
            if carry.core is not None:
                write_shacl(tmp, carry.core)
            cache.outcome.validation = "changes" if carry.incremental else "whole"
            report["shacl"] = {
                "violations": 0,
                "warnings": [f.line for f in findings if f.severity == "warning"],
                "infos": [f.line for f in findings if f.severity == "info"],
            }
            # The terms' half of the index is read here, while a worker writes the reports' half
            # (when it does): the terms no longer delay the index, a rebuild's last step.
            terms = read_terms(union, iris)
            if not indexing.beside:
                if progress:
                    progress("writing the index")
                # Alone now (SHACL is done), so the reports' parts may be read in every worker.
                workers = processes() if isinstance(union, StoreGraph) else 1
                written = write_reports(union, iris, tmp / INDEX_FILE, texts_of, out, changes, tmp / STORE_DIR, workers)
                indexing.reused, indexing.counts = written.cache.reused, written.counts
        write_terms(tmp / INDEX_FILE, terms, indexing.counts)
        cache.outcome.index = "changes" if indexing.reused else "whole"
        report["cache"] = cache.outcome.summary()
        del union, store  # closes the store before the folder moves
        # Query results in reference cycles still hold the database open, and RocksDB writes its
        # LOG and MANIFEST as it closes: collected now, the store's files are final for the stamp.
        gc.collect()
        keep_pinyin(tmp)
        (tmp / "build-report.json").write_text(jsontext.dumps(report, 2) + "\n", encoding="utf-8")
        check_output(out)  # again: the build took a while, and the folder may have been filled since
        swap(tmp, out)
        # After the swap: removing the old folder changes the change time of the files the new one
        # shares with it by hard links. Without a stamp (this process stopped first) the next build runs.
        if _unchanged_since(sources, curation, digest):  # else the next build must not trust the stamp
            cache.stamp(out, digest, files)
    finally:
        if worker is not None:
            worker.close(stop=True)  # when the index was written here (once written, it is closed)
        gc.unfreeze()
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildResult(out, reports, dict(writer.counts), report, cache.outcome)
