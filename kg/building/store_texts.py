"""A build's store and the lines it is made or updated from (see :func:`kg.pipeline.build`).

The writer of a build's files (:class:`kg.serialise.ArtifactWriter`) is fed each
graph; what it keeps of each graph's text for the store, and whether the store is
the last build's updated or a new one, is decided here.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset
from rdflib.namespace import RDFS

from kg.build_cache import BuildCache
from kg.cache_files import write_lines
from kg.graph_index import TripleIndex
from kg.index_parts import Change
from kg.serialise import ArtifactWriter, GraphText
from kg.store import STORE_DIR, Patch, create_store, update_store
from kg.vocab import IRIs


@dataclass
class Texts:
    """Which graphs' texts came from the last build, and the N-Quads of the others (for the store).

    The graphs that are not a report's (the curation's, the ontology's) are written afresh each
    build but change little: their sorted lines are kept in the cache, and the store is patched
    with the lines that differ from the last build's (``patched``).
    """

    from_cache: set[str]
    written: set[str]
    fresh: Path
    patched: dict[str, Path] = field(default_factory=dict)  # graph IRI → its sorted N-Quads lines
    # graph IRI → files of sorted lines that part it, then and now, where they may differ (kg.store.Patch)
    pieces: dict[str, list[tuple[Path | None, Path | None]] | None] = field(default_factory=dict)
    folded: dict[str, frozenset[str]] = field(default_factory=dict)  # report slug → predicates the store folds


def writer(tmp: Path, iris: IRIs, cache: BuildCache, digest: str, files: bool) -> tuple[ArtifactWriter, Texts]:
    """The files' writer, taking unchanged reports' texts from the cache and keeping every report's."""
    reports = str(iris.graph("report/"))
    texts = Texts(set(), set(), tmp / ".fresh.nq")
    texts.fresh.touch()

    def slug_of(name: str) -> str | None:
        return name[len(reports) :] if name.startswith(reports) else None

    def text_of(name: str) -> GraphText | None:
        slug = slug_of(name)
        text = cache.text(slug, digest) if slug in cache.outcome.reused else None
        if text is not None:
            texts.from_cache.add(name)
        return text

    def keep(name: str, text: GraphText) -> GraphText:
        slug = slug_of(name)
        texts.written.add(name)
        if slug is None:
            texts.patched[name] = write_lines(tmp, name, text.nq)
            return text
        if name not in texts.from_cache and not cache.outcome.full:  # a store made afresh reads dataset.nq
            with texts.fresh.open("a", encoding="utf-8", newline="") as fh:
                fh.writelines(ln + "\n" for ln in text.nq)
        texts.folded[slug] = text.folded
        kept = cache.keep_text(tmp, slug, text, digest, name in texts.from_cache)
        cache.keep_named(tmp, slug, kept.nq)  # its lines but those in the runs: those naming the build
        return kept

    return ArtifactWriter(tmp, iris.base, text_of, keep, files), texts


def build_store(
    tmp: Path, out: Path, cache: BuildCache, texts: Texts, iris: IRIs, digest: str, writer: ArtifactWriter
) -> tuple[Any, list[Any] | None]:
    """The build's store: the last build's, updated where the graphs changed, or a new one.

    Only an incremental build (same global key) that reuses some report's graph
    updates: then the last build's store, IRIs and graphs are the ones its
    manifest names. Also returns the Oxigraph triples the merged graph gained or
    lost (None for a new store).
    """
    old_digest = cache.manifest.get("digest")
    old = out / STORE_DIR
    # With no report's graph reused, every graph is replaced: a new store costs less than the update
    # (one changed report, alone: 1.8 s against 2.8 s for the whole build).
    if not cache.outcome.full and isinstance(old_digest, str) and old.is_dir() and texts.from_cache:
        before = {str(iris.graph(f"report/{v['slug']}")) for v in cache.manifest.get("sources", {}).values()}
        replaced = (texts.written - texts.from_cache - texts.patched.keys()) | (before - texts.written)
        build = (str(iris.build(old_digest)), str(iris.build(digest)))
        patched = {g: Patch(now, cache.lines(g), texts.pieces.get(g)) for g, now in texts.patched.items()}
        delta: list[Any] = []
        try:
            store = update_store(old, tmp / STORE_DIR, texts.fresh, replaced, texts.from_cache, build, delta, patched)
            cache.outcome.store = "updated"
            return store, delta
        except Exception:  # whatever went wrong with the old store, a new one is made from the files
            shutil.rmtree(tmp / STORE_DIR, ignore_errors=True)
    return create_store(*writer.line_files(), tmp / STORE_DIR), None


def changes(delta: list[Any]) -> list[Change] | None:
    """These Oxigraph triples as (subject, predicate, object IRI or None); None when a blank node
    is the subject of one (its label may differ between builds)."""
    import pyoxigraph as ox

    if any(not isinstance(t.subject, ox.NamedNode) for t in delta):
        return None
    return [
        (t.subject.value, t.predicate.value, t.object.value if isinstance(t.object, ox.NamedNode) else None)
        for t in delta
    ]


def subjects(changes: list[Change] | None) -> set[str] | None:
    """The subjects of the changed triples; None when there is no list of them, or a subclass axiom
    changed (it moves instances of whole classes)."""
    if changes is None or any(p == str(RDFS.subClassOf) for _s, p, _o in changes):
        return None
    return {s for s, _p, _o in changes}


def in_memory(nquads: list[Path]) -> TripleIndex:
    """The union of N-Quads files, held in memory."""
    ds = Dataset()
    for path in nquads:
        ds.parse(path, format="nquads")
    return TripleIndex((s, p, o) for s, p, o, _g in ds.quads((None, None, None, None)))
