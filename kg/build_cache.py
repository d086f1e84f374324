"""Incremental builds: what the last build of an output folder can lend to the next one.

A build keeps, in ``<out>/build-cache/``, a manifest (``manifest.json``) and
one pickle per report (``reports/<slug>.pickle``):

- the manifest holds the **global key** — a sha256 over the layout of this
  cache, the versions of kg, rdflib and pyoxigraph, the source code of the parser, graph
  builders and writers, every file of the curation folder,
  the ontology folder (``nmt.ttl``, ``shapes.ttl``), the base IRI and the
  ``--encoding`` option — then each source file's name and sha256, and the
  term table (label → concept IRI) and known labels the report graphs were
  built against;
- a report's pickle holds its parse, its work-item IRIs and the quantity labels
  it used; ``reports/<slug>.triples.pickle`` beside it holds its named graph
  without the two triples that name the build, read only when the graph is
  written; ``reports/<slug>.text.pickle`` holds its share of every written file
  (:class:`kg.serialise.GraphText`) and the build digest it was written with,
  read only when the files are written, and ``reports/<slug>.nq`` and ``.nt``
  its lines of ``dataset.nq`` and ``graph.nt`` (but those naming the build),
  sorted, which the next build merges into those files as they are. A build
  holds one report's triples and text at a time;
- ``graphs/<hash>.nq`` holds the sorted N-Quads lines of each graph that is not
  a report's (the curation's, the ontology's), with which the next build
  patches its store;
- a build without the dataset files keeps each report's alignments in the
  curation graph in ``reports/<slug>.curation.nq`` (their count and folded
  predicates, and the report graph's size, in the manifest) and the rest of
  that graph in ``graphs/<hash>.rest`` (:mod:`kg.building.curation_lines`).

The finished build writes ``stamp.json`` last, once the folder is in place:
its keys and digest and the size, inode and times of every file of the folder. A build whose
key and digest are those and whose folder still has exactly those files has
nothing to do (:meth:`BuildCache.unchanged`).

A different global key (or ``kg build --full``) discards everything. With the
same key, a source whose name and sha256 are unchanged reuses its parse; its
graph and texts are reused too unless a term label it contains changed meaning
(a new candidate term or note headword of another report, a concept IRI that
moved): then its graph is rebuilt from the cached parse. Everything global —
the curation graph, the union, ``graph.ttl``, ``dataset.jsonld``, the
index's terms — is computed again on every build that runs (one with nothing
changed does not: see the stamp below), so the files are the ones a full
build writes. The last build's store is updated rather than made again
(:func:`kg.store.update_store`); SHACL's property shapes are evaluated
again only on the nodes the changed triples can affect
(:mod:`kg.shacl_fast`; SPARQL-based constraints run whole); and each report's
share of the index (``index/<slug>.pickle``) is read again only when the
changed triples can touch it (:mod:`kg.index_parts`).

The cache is trusted local data (pickle): it lives in the user's own output
folder and is never read from anywhere else.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import URIRef

from kg import __version__, cache_files
from kg.building.discovery import SHORTHAND_RE
from kg.cache_files import (
    CACHE_DIR,
    LAYOUT,
    MANIFEST,
    SHACL,
    STAMP,
    Triple,
    folder_files,
    graph_lines_file,
    link_or_copy,
    report_runs,
    write_report,
    write_text,
)
from kg.errors import ArtifactError
from kg.matcher import folded
from kg.parsing.coverage import Coverage
from kg.parsing.model import Report
from kg.parsing.script import simplified
from kg.serialise import GraphText
from kg.shacl_fast import Result
from kg.text import normalise

# The modules (besides kg/parsing/ and kg/building/) whose code shapes what the cache holds:
# an edit elsewhere (the web service, the views, the glossary tools) keeps the cache valid.
CODE = (
    "__init__.py",
    "build_cache.py",
    "cache_files.py",
    "curation.py",
    "errors.py",
    "index.py",
    "index_parts.py",
    "index_read.py",
    "matcher.py",
    "pinyin.py",
    "pipeline.py",
    "serialise.py",
    "text.py",
    "vocab.py",
)


class KeptLines(NamedTuple):
    """A file of sorted N-Quads lines kept in the cache: its lines, the predicates the store folds
    in them, and its size in bytes (a file of another size is not the one kept)."""

    lines: int
    folded: frozenset[str]
    size: int


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


@dataclass
class CachedReport:
    """One report's share of a build, as kept between builds."""

    name: str  # the source file's name
    sha256: str  # of the source file's bytes
    report: Report
    triples: list[Triple]  # its named graph without the build triples (empty when read from the cache)
    item_iris: dict[str, URIRef]
    used_labels: set[str]
    coverage: Coverage | None = None  # its numbers accounted for (the build report's ``numbers``)

    @property
    def slug(self) -> str:
        return self.report.slug


@dataclass
class Outcome:
    """What the build took from the cache: for the build report and the CLI line."""

    full: bool
    reason: str
    rebuilt: list[str] = field(default_factory=list)  # slugs parsed and built again
    regraphed: list[str] = field(default_factory=list)  # slugs whose parse was reused but graph rebuilt
    reused: list[str] = field(default_factory=list)  # slugs reused whole
    store: str = "new"  # "updated" when the last build's store was updated in place of a new one
    validation: str = "whole"  # "changes" when only what the changes can affect was validated again
    index: str = "whole"  # "changes" when reports' shares of the index the changes left alone were reused

    def summary(self) -> dict[str, object]:
        """The ``cache`` entry of the build report."""
        return {
            "full": self.full,
            "reason": self.reason,
            "rebuilt": len(self.rebuilt) + len(self.regraphed),
            "reused": len(self.reused),
            "reports_rebuilt": sorted(self.rebuilt + self.regraphed),
            "store": self.store,
            "validation": self.validation,
            "index": self.index,
        }


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(h: Any, folder: Path, label: str) -> None:
    """Feed every file under ``folder`` (relative name and bytes, in name order) into ``h``."""
    h.update(f"\0{label}\0".encode())
    if not folder.is_dir():
        return
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(p.relative_to(folder).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def global_key(curation_dir: Path, ontology: Path, base: str, encoding: str | None) -> str:
    """The sha256 of everything that, changed, makes every report's cached share stale."""
    h = hashlib.sha256(f"layout {LAYOUT}\0version {__version__}\0base {base}\0encoding {encoding}".encode())
    # The writers' text and the forms the store keeps (which the store's patching relies on)
    # come from these libraries: another version of either may change them.
    for library in ("rdflib", "pyoxigraph", "pypinyin"):  # pypinyin: the slugs and the pinyin labels
        h.update(f"\0{library} {_version(library)}".encode())
    code = Path(__file__).resolve().parent
    modules = [code / m for m in CODE]
    modules += sorted((code / "parsing").glob("*.py")) + sorted((code / "building").glob("*.py"))
    for p in modules:
        h.update(p.relative_to(code).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    _tree(h, curation_dir, "curation")
    _tree(h, ontology, "ontology")
    return h.hexdigest()


def _relevant(report: Report) -> set[str]:
    """Labels whose membership in the known set decides this report's candidate terms."""
    out = {q.text for q in report.quotes} | {t for n in report.notes for t in n.terms}
    out |= {normalise(m.group()) for m in SHORTHAND_RE.finditer(report.text)}
    return out


class BuildCache:
    """The cache of one output folder: read from the last build, written into the next."""

    def __init__(self, out: Path, key: str, full: bool = False) -> None:
        self.folder = out / CACHE_DIR
        self.key = key
        self.manifest: dict[str, Any] = {}
        if full:
            self.outcome = Outcome(True, "--full")
            return
        manifest = self._read_manifest()
        if manifest is None:
            self.outcome = Outcome(True, "no earlier build")
        elif manifest.get("key") != key:
            self.outcome = Outcome(
                True, "curation, ontology, base IRI, or kg, rdflib, pyoxigraph or pypinyin version changed"
            )
        else:
            self.manifest = manifest
            self.outcome = Outcome(False, "")

    def _read_manifest(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("layout") == LAYOUT else None

    def pinyin(self) -> dict[str, list[str]]:
        """The last build's syllables of the labels it used (``kg.pinyin.used``'s form), or none."""
        return cache_files.read_pinyin(self.folder) if self.manifest else {}

    def lookup(self, name: str, sha256: str) -> CachedReport | None:
        """The cached share of the source ``name`` if its bytes are unchanged (None otherwise)."""
        entry = self.manifest.get("sources", {}).get(name)
        if not isinstance(entry, dict) or entry.get("sha256") != sha256:
            return None
        try:
            with (self.folder / entry["file"]).open("rb") as fh:
                cached = pickle.load(fh)
        except Exception:  # a damaged or outdated cache entry only means a rebuild
            return None
        if not isinstance(cached, CachedReport) or cached.sha256 != sha256 or cached.name != name:
            return None
        return cached

    def changed_labels(
        self, term_iris: dict[str, URIRef], known: set[str], noted: set[str], owners: dict[str, str] | None = None
    ) -> set[str]:
        """Labels that mean something else than in the last build (new, gone, or another IRI, or a
        note headword now or no longer: a report's own definition of it counts only while no
        report's note defines it; or whose parts another report gives now)."""
        old_terms: dict[str, str] = self.manifest.get("term_iris", {})
        new_terms = {k: str(v) for k, v in term_iris.items()}
        changed = {k for k in old_terms.keys() | new_terms.keys() if old_terms.get(k) != new_terms.get(k)}
        changed |= set(self.manifest.get("noted", [])) ^ noted
        old_owners: dict[str, str] = self.manifest.get("part_owners", {})
        new_owners = owners or {}
        changed |= {k for k in old_owners.keys() | new_owners.keys() if old_owners.get(k) != new_owners.get(k)}
        return changed | (set(self.manifest.get("known", [])) ^ known)

    @staticmethod
    def affected(report: Report, labels: set[str]) -> bool:
        """Whether a change of these labels can change the graph of ``report``.

        The term matcher finds labels in the normalised text, and candidate terms
        depend on whether the report's quotes, shorthands and note headwords are known.
        """
        if not labels:
            return False
        if labels & _relevant(report):
            return True
        # As the matcher reads the text: Latin letters in either case, a traditional report's twin.
        text = folded(report.normalised)
        forms = {form for lab in labels if lab for form in (folded(normalise(lab)), folded(simplified(normalise(lab))))}
        return any(form in text for form in forms)

    def text(self, slug: str, digest: str) -> GraphText | None:
        """The cached share of the written files of report ``slug``, for a build with ``digest``."""
        try:
            with (self.folder / f"reports/{slug}.text.pickle").open("rb") as fh:
                old, text = pickle.load(fh)
        except Exception:  # a damaged or outdated entry only means writing the text again
            return None
        runs = report_runs(self.folder, slug)
        if not isinstance(text, GraphText) or not isinstance(old, str) or not all(p.is_file() for p in runs):
            return None
        return replace(text.rename(old, digest), runs=runs)

    def keep_text(self, target: Path, slug: str, text: GraphText, digest: str, reused: bool) -> GraphText:
        """Keep report ``slug``'s text in the cache of the new output folder ``target``; returns it
        with its lines in the cache's files (see :func:`kg.cache_files.write_text`).

        A text read from the cache (``reused``) has its files linked, as they are: they name
        the digest they were written with, and :meth:`text` renames from that one (a rebuild
        wrote every reused text again, renamed, only to carry the new digest).
        """
        if reused and text.runs is not None:
            runs = self.link_text(target, slug)
            if runs is not None:
                # Read from the new cache's links: the last build's folder may go before the merge.
                return replace(text, runs=runs)
        return write_text(target, slug, text, digest)

    def link_text(self, target: Path, slug: str) -> tuple[Path, Path] | None:
        """Link report ``slug``'s text and sorted lines from the last build's cache into the cache
        of the new output folder ``target``, unread; returns the linked runs (None when one is
        missing or cannot be linked)."""
        rel = f"reports/{slug}.text.pickle"
        (target / CACHE_DIR / "reports").mkdir(parents=True, exist_ok=True)
        runs = report_runs(target / CACHE_DIR, slug)
        pairs = [(self.folder / rel, target / CACHE_DIR / rel), *zip(report_runs(self.folder, slug), runs, strict=True)]
        try:
            for src, dst in pairs:
                os.link(src, dst)
        except OSError:
            for _src, dst in pairs:
                dst.unlink(missing_ok=True)
            return None
        return runs

    @staticmethod
    def keep_named(target: Path, slug: str, lines: Iterable[str]) -> None:
        """Keep report ``slug``'s lines of ``dataset.nq`` that name this build in the cache of the
        new output folder ``target`` (read by :func:`kg.cache_files.cached_nquads`, never the text's pickle:
        an unchanged report's is linked unread, and may be damaged)."""
        path = target / CACHE_DIR / f"reports/{slug}.named.nq"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(ln + "\n" for ln in sorted(lines)), encoding="utf-8")

    def _source(self, name: str) -> dict[str, Any]:
        """Source ``name``'s entry in the last build's manifest (empty when it has none)."""
        entry = self.manifest.get("sources", {}).get(name)
        return entry if isinstance(entry, dict) else {}

    def folded(self, name: str) -> frozenset[str] | None:
        """The predicates the store folds in source ``name``'s graph in the last build (None when
        the manifest does not say)."""
        found = self._source(name).get("folded")
        return frozenset(map(str, found)) if isinstance(found, list) else None

    def triples(self, slug: str, target: Path | None = None) -> list[Triple] | None:
        """The cached triples of report ``slug``'s graph (None when missing or damaged).

        From the last build's cache, or from the one being written into ``target``.
        """
        folder = target / CACHE_DIR if target is not None else self.folder
        try:
            with (folder / f"reports/{slug}.triples.pickle").open("rb") as fh:
                found = pickle.load(fh)
        except Exception:
            return None
        return found if isinstance(found, list) else None

    def lines(self, graph: str) -> Path | None:
        """The last build's file of graph ``graph``'s sorted N-Quads lines, if it kept one (see
        :func:`kg.cache_files.write_lines`)."""
        path = self.folder / graph_lines_file(graph)
        return path if path.is_file() else None

    def graph_size(self, name: str) -> int | None:
        """The triples of source ``name``'s report graph in the last build, without those naming the
        build (what :meth:`shared` reads with the shared triples), when the manifest says."""
        return _count(self._source(name).get("size"))

    def curation(self, name: str) -> KeptLines | None:
        """The alignments of source ``name``'s report in the last build's curation graph, when it
        kept them (:mod:`kg.building.curation_lines`)."""
        found = self._source(name).get("curation")
        if not isinstance(found, dict):
            return None
        lines, size, folded = _count(found.get("lines")), _count(found.get("bytes")), found.get("folded")
        if lines is None or size is None or not isinstance(folded, list):
            return None
        return KeptLines(lines, frozenset(map(str, folded)), size)

    def shacl(self) -> list[Result] | None:
        """The last build's SHACL results, when the same shapes and code validated it."""
        try:
            with (self.folder / SHACL).open("rb") as fh:
                key, core = pickle.load(fh)
        except Exception:  # missing or damaged: everything is validated
            return None
        if key != cache_files.shacl_key() or not isinstance(core, list) or not all(isinstance(r, Result) for r in core):
            return None
        return core

    def unchanged(self, out: Path, digest: str, files: bool) -> dict[str, Any] | None:
        """The build report of the last build into ``out`` when it is this build already, else None.

        It is when the global key and the build digest (every source, the curation, the ontology)
        are the same and no file of ``out`` was changed, added or removed since that build wrote
        them (``make``'s rule, with the inode and change time too), so its files are what this build
        would write.
        """
        if self.outcome.full:
            return None
        try:
            stamp = json.loads((self.folder / STAMP).read_text(encoding="utf-8"))
            report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stamp, dict) or not isinstance(report, dict):
            return None
        if stamp.get("key") != whole_key(self.key) or stamp.get("digest") != digest:
            return None
        if stamp.get("dataset_files", True) != files:
            return None
        found = folder_files(out)
        if found is None or stamp.get("files") != found:
            return None
        self.outcome = Outcome(False, "nothing changed since the last build", reused=sorted(self.slugs()))
        self.outcome.store = self.outcome.validation = self.outcome.index = "kept"
        return report

    def slugs(self) -> list[str]:
        """The slugs of the reports in the last build's cache."""
        sources = self.manifest.get("sources", {})
        return [str(s.get("slug")) for s in sources.values() if isinstance(s, dict)]

    def stamp(self, out: Path, digest: str, files: bool) -> None:
        """Record the finished build in its output folder ``out`` (the build's last step)."""
        folder = out / CACHE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        found = folder_files(out)
        if found is None:
            return
        stamp = {"key": whole_key(self.key), "digest": digest, "dataset_files": files, "files": found}
        part = folder / f".{STAMP}.part"
        part.write_text(json.dumps(stamp, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(part, folder / STAMP)  # whole or not at all

    def has_shared(self, slug: str) -> bool:
        """Whether report ``slug``'s graph and shared part are in the cache (not whether they load)."""
        reports = self.folder / "reports"
        return all((reports / f"{slug}.{kind}pickle").is_file() for kind in ("shared.", "triples."))

    def shared(self, slug: str) -> tuple[int, list[Triple]] | None:
        """The size of report ``slug``'s cached graph and its triples that other graphs may state too.

        None when missing or damaged, or when the whole graph is not there to read again.
        """
        if not self.has_shared(slug):
            return None
        try:
            with (self.folder / f"reports/{slug}.shared.pickle").open("rb") as fh:
                size, triples = pickle.load(fh)
        except Exception:
            return None
        return (size, triples) if isinstance(size, int) and isinstance(triples, list) else None

    def keep_report(self, target: Path, entry: CachedReport, reused: bool, shared: Callable[[str], bool]) -> None:
        """Keep a report's parse and graph in the cache of the new output folder ``target``.

        A reused report's files are linked from the last build's cache (or copied);
        otherwise they are written from ``entry``, whose triples are then let go.
        ``shared`` says which subjects other graphs may state too.
        """
        folder = target / CACHE_DIR / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        meta, triples, part = f"{entry.slug}.pickle", f"{entry.slug}.triples.pickle", f"{entry.slug}.shared.pickle"
        if reused and all((self.folder / "reports" / f).is_file() for f in (meta, triples, part)):
            for f in (meta, triples, part):
                if not link_or_copy(self.folder / "reports" / f, folder / f):
                    raise ArtifactError(f"cannot keep {f} in {folder}/ (full disk?)")
            # Let the triples read from the cache go too: a rebuild of 1,000 reports held them
            # all (5.4 GB) until the end.
            entry.triples = []
            return
        write_report(target, entry, shared)

    def write(
        self,
        target: Path,
        entries: list[CachedReport],
        term_iris: dict[str, URIRef],
        known: set[str],
        noted: set[str],
        digest: str,
        folded: dict[str, frozenset[str]],
        curation: dict[str, KeptLines] | None = None,
        sizes: dict[str, int] | None = None,
        owners: dict[str, str] | None = None,
    ) -> None:
        """Write the manifest of the new build's cache into ``target`` (the reports are kept already).

        ``folded``: per slug, the predicates the store folds in that report's graph;
        ``curation``: per source name, its report's alignments kept;
        ``sizes``: per source name, its report graph's triples without those naming the build.
        """
        folder = target / CACHE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        sources: dict[str, dict[str, object]] = {
            e.name: {
                "sha256": e.sha256,
                "slug": e.slug,
                "file": f"reports/{e.slug}.pickle",
                "folded": sorted(folded.get(e.slug, ())),
            }
            for e in entries
        }
        for name, kept in (curation or {}).items():
            sources[name]["curation"] = {"lines": kept.lines, "folded": sorted(kept.folded), "bytes": kept.size}
        for name, size in (sizes or {}).items():
            sources[name]["size"] = size
        manifest = {
            "layout": LAYOUT,
            "key": self.key,
            "sources": dict(sorted(sources.items())),
            "term_iris": {k: str(v) for k, v in sorted(term_iris.items())},
            "known": sorted(known),
            "noted": sorted(noted),
            "part_owners": dict(sorted((owners or {}).items())),
            "digest": digest,  # this build's digest (its build IRI, in the store the next build updates)
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def whole_key(key: str) -> str:
    """``key`` (the global key) and everything else the files depend on, for the stamp: all of
    kg's code and package data, the versions of Python and of kg's dependencies, and the keys
    of SHACL's and the index's reuse. The global key leaves some code out on purpose (a change
    there need not rebuild every report), but a build that does nothing must cover it all."""
    from kg.index_parts import parts_key

    h = hashlib.sha256(f"{key}\0python {sys.version}\0shacl {cache_files.shacl_key()}\0parts {parts_key()}".encode())
    try:
        requires = metadata.requires("nanmatou-kg") or []
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        requires = []
    for requirement in requires:
        name = re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0]
        h.update(f"\0{name} {_version(name)}".encode())
    _tree(h, Path(__file__).resolve().parent, "kg")
    return h.hexdigest()
