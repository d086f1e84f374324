"""The curation graph's lines for a build without dataset files, made a report at a time.

At 1,000 reports the curation graph holds 570,000 triples, nearly all of them
the alignments of each report's work items with the dimensions
(:meth:`kg.building.glossary_graph.GlossaryGraphBuilder.alignments`), which
depend on that report's parse and the curation only. Made again and written
out whole, the graph took 5 s of every rebuild. A build that writes no dataset
files keeps each report's alignments as sorted N-Quads lines in its cache
(``reports/<slug>.curation.nq``, their count and folded predicates in the
manifest); the next build links an unchanged report's file unread, makes the
others', and merges them with the rest of the graph
(:meth:`~kg.building.glossary_graph.GlossaryGraphBuilder.build_shared`) into
the graph's sorted lines (``graphs/<hash>.nq``), from which the store is
patched or loaded. The lines are those of the graph a build with files makes
(a test compares them): a report's alignments state only its own work items'
and their alignment nodes' ``nmt:alignsWith``, ``nmt:hasAlignment``,
``nmt:primaryDimension`` and the alignments' own triples, which no other part of
the graph states, so the graph's size is the sum of the parts'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from kg.build_cache import BuildCache, KeptLines
from kg.cache_files import CACHE_DIR, lines_path, link_or_copy
from kg.dataset_files import merge_runs, write_sorted
from kg.graph_index import Sink, TripleList
from kg.serialise import lines_text
from kg.writers import Triple

Make = Callable[[Sink], None]  # adds a report's alignments to a sink


@dataclass
class CurationLines:
    """The curation graph ``name`` of the build being written into ``target``, report by report."""

    cache: BuildCache
    target: Path
    name: URIRef
    kept: dict[str, KeptLines] = field(default_factory=dict)  # source name → its report's alignments
    _files: list[Path] = field(default_factory=list)
    _made: dict[str, Path] = field(default_factory=dict)  # source name → its report's alignments made now
    _rest: Path | None = None  # after merge: the file of the rest of the graph's lines

    def add(self, source: str, slug: str, reused: bool, make: Make) -> None:
        """Report ``slug``'s alignments (of source file ``source``): the last build's, linked, when the
        report was reused whole and its file is the one kept; else made by ``make`` and written."""
        folder = self.target / CACHE_DIR / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / _file(slug)
        last = self.cache.curation(source) if reused else None
        if last is not None and not _linked(self.cache.folder / "reports" / path.name, path, last.size):
            last = None
        if last is None:
            found = TripleList()
            make(found)
            text = lines_text(found, self.name)
            write_sorted(path, text.nq)
            last = KeptLines(len(text.nq), text.folded, path.stat().st_size)
            self._made[source] = path
        self.kept[source] = last
        self._files.append(path)

    @property
    def size(self) -> int:
        """The lines of every report's alignments."""
        return sum(k.lines for k in self.kept.values())

    def merge(self, shared: list[Triple]) -> tuple[Path, frozenset[str]]:
        """The graph's sorted lines with ``shared`` (the rest of the graph, its size included) in the
        cache's file for it; returns the file and the predicates the store folds."""
        text = lines_text(shared, self.name)
        out = lines_path(self.target, str(self.name))
        out.parent.mkdir(parents=True, exist_ok=True)
        self._rest = write_sorted(_rest_of(out), text.nq)  # kept: the next build compares it
        merge_runs([self._rest, *self._files], out, out.parent)
        folded = text.folded.union(*(k.folded for k in self.kept.values()))
        return out, folded

    def changes(self) -> list[tuple[Path | None, Path | None]] | None:
        """After :meth:`merge`: the files of sorted lines that part the graph in the last build and in
        this one, where they may differ (see :class:`kg.store.Patch`): the rest of the graph, and
        each report's alignments made now, or no longer built. None when the last build did not
        keep the graph so."""
        last = self.cache.manifest.get("sources", {})
        old = self.cache.folder / "reports"
        was = self.cache.lines(str(self.name))
        was_rest = _rest_of(was) if was is not None else None
        if self._rest is None or not isinstance(last, dict) or was_rest is None or not was_rest.is_file():
            return None
        pairs: list[tuple[Path | None, Path | None]] = [(was_rest, self._rest)]
        for source, entry in last.items():
            if source in self.kept and source not in self._made:
                continue  # linked: the same lines
            slug = entry.get("slug") if isinstance(entry, dict) else None
            had = old / _file(str(slug))
            kept = self.cache.curation(source)
            if kept is None or not had.is_file() or had.stat().st_size != kept.size:
                return None  # the lines it had are not known
            pairs.append((had, self._made.get(source)))
        # A source renamed (its slug kept) loses its old file's lines and gains its new one's: the
        # store removes every line lost before it adds those gained (update_store), so they stay.
        pairs += [(None, path) for source, path in self._made.items() if source not in last]
        return pairs


def _file(slug: str) -> str:
    return f"{slug}.curation.nq"


def _linked(src: Path, dst: Path, size: int) -> bool:
    """Lend the last build's file ``src`` as ``dst`` when it has the ``size`` it was kept with;
    false when it is missing, of another size (damaged), or cannot be linked or copied."""
    try:
        same = src.stat().st_size == size
    except OSError:
        return False
    return same and link_or_copy(src, dst)


def _rest_of(lines: Path) -> Path:
    """The file of the lines of the graph but its reports' alignments, beside the graph's."""
    return lines.with_suffix(".rest")
