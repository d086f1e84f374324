"""The build cache's files: where each lies in ``<out>/build-cache/``, and how a report's
share, the lines of each graph and the SHACL results are written there and read back.

What the cache holds and when it is trusted is :mod:`kg.build_cache`'s concern.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib.term import Node

from kg import pinyin
from kg.dataset_files import write_sorted
from kg.errors import ArtifactError
from kg.resources import ontology_dir
from kg.serialise import GraphText
from kg.shacl_fast import Result

if TYPE_CHECKING:
    from kg.build_cache import CachedReport

CACHE_DIR = "build-cache"
MANIFEST = "manifest.json"
STAMP = "stamp.json"  # the finished build's keys and digest, and the size, inode and times of every file
LAYOUT = 10  # bump when what the cache holds changes shape
SHACL = "shacl.pickle"  # the last validation's results
PINYIN = "pinyin.json"  # the syllables of every label the build met (kg.pinyin)

Triple = tuple[Node, Node, Node]


def folder_files(folder: Path) -> dict[str, list[int]] | None:
    """Every file under ``folder`` but the stamp: its path, size, inode, and modification and
    change times (ns; the change time moves whatever sets the modification time back). None
    when one vanishes while it is read."""
    found: dict[str, list[int]] = {}
    try:
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = os.path.join(root, name)
                rel = os.path.relpath(path, folder)
                if rel in (os.path.join(CACHE_DIR, STAMP), os.path.join(CACHE_DIR, f".{STAMP}.part")):
                    continue
                st = os.lstat(path)  # a link itself, not what it names (which may be gone)
                found[rel] = [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]
    except OSError:
        return None
    return dict(sorted(found.items()))


def write_report(target: Path, entry: CachedReport, shared: Callable[[str], bool]) -> list[Triple]:
    """Write a report's parse, graph and shared triples into the cache of the output folder ``target``.

    Returns the triples whose subjects ``shared`` says other graphs may state too;
    ``entry``'s triples are let go.
    """
    folder = target / CACHE_DIR / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{entry.slug}.triples.pickle").open("wb") as fh:
        pickle.dump(entry.triples, fh, protocol=pickle.HIGHEST_PROTOCOL)
    found = [t for t in entry.triples if shared(str(t[0]))]
    with (folder / f"{entry.slug}.shared.pickle").open("wb") as fh:
        pickle.dump((len(entry.triples), found), fh, protocol=pickle.HIGHEST_PROTOCOL)
    entry.triples = []
    with (folder / f"{entry.slug}.pickle").open("wb") as fh:
        pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return found


def report_runs(folder: Path, slug: str) -> tuple[Path, Path]:
    return folder / f"reports/{slug}.nq", folder / f"reports/{slug}.nt"


def write_text(target: Path, slug: str, text: GraphText, digest: str) -> GraphText:
    """Write report ``slug``'s share of the files into the cache of the output folder ``target``;
    returns the text with its lines of ``dataset.nq`` and ``graph.nt`` in the cache's files.

    Those lines go to two files of sorted lines, which the next build merges into the files
    as they are, but for the few that name the build (``digest``): they stay in the pickled
    text, renamed with it (a rebuild read, renamed, sorted and wrote every report's lines).
    """
    folder = target / CACHE_DIR / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    runs = report_runs(target / CACHE_DIR, slug)
    pickled = folder / f"{slug}.text.pickle"
    for path in (pickled, *(r for r in runs if text.runs is None or r not in text.runs)):
        path.unlink(missing_ok=True)  # never write through a link into the last build's file
    if text.runs is not None:  # its other lines are in files already
        for src, dst in zip(text.runs, runs, strict=True):
            if src != dst:
                shutil.copyfile(src, dst)
        named = text
    else:
        for lines, path in ((text.nq, runs[0]), (text.nt, runs[1])):
            write_sorted(path, (ln for ln in lines if digest not in ln))
        named = replace(
            text, nq=frozenset(ln for ln in text.nq if digest in ln), nt=frozenset(ln for ln in text.nt if digest in ln)
        )
    with pickled.open("wb") as fh:
        pickle.dump((digest, replace(named, runs=None)), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return replace(named, runs=runs)


def cached_nquads(dist: Path) -> Iterator[str]:
    """The lines of ``dataset.nq`` of the build in ``dist`` (without their line ends, in no order),
    from its cache: for a build that wrote no dataset files.

    They are every report's sorted lines (``reports/<slug>.nq``), the few that name this build
    (``reports/<slug>.named.nq``, see :meth:`kg.build_cache.BuildCache.keep_named`), and the lines of the graphs
    that are not a report's (``graphs/``).
    """
    folder = dist / CACHE_DIR
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        layout = manifest["layout"]
        slugs = [str(entry["slug"]) for entry in manifest["sources"].values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise ArtifactError(f"no built graph in {dist}/ (run `kg build`)") from None
    if layout != LAYOUT:
        raise ArtifactError(f"the build in {dist}/ was made by another version of kg (run `kg build`)")
    try:
        for slug in slugs:
            yield from _read_lines(folder / f"reports/{slug}.named.nq")
            yield from _read_lines(folder / f"reports/{slug}.nq")
        for path in sorted((folder / "graphs").glob("*.nq")):
            yield from _read_lines(path)
    except (OSError, ValueError) as exc:
        hint = "run `kg build --dataset-files`"
        raise ArtifactError(f"the build cache in {dist}/ is incomplete ({exc}): {hint}") from None


def _read_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        for line in fh:
            if line.strip():
                yield line.rstrip("\n")


def graph_lines_file(graph: str) -> str:
    return f"graphs/{hashlib.sha256(graph.encode()).hexdigest()[:24]}.nq"


def link_or_copy(src: Path, dst: Path) -> bool:
    """Lend the last build's cached file ``src`` to the new build's cache as ``dst``: a hard link
    (no byte copied), or a copy where links fail; false, with nothing left at ``dst``, when
    neither can be made (a missing ``src`` among them)."""
    try:
        os.link(src, dst)
        return True
    except OSError:
        pass
    try:
        shutil.copyfile(src, dst)
        return True
    except OSError:
        dst.unlink(missing_ok=True)
        return False


def lines_path(target: Path, graph: str) -> Path:
    """The file of graph ``graph``'s sorted N-Quads lines in the cache of the output folder ``target``."""
    return target / CACHE_DIR / graph_lines_file(graph)


def write_lines(target: Path, graph: str, lines: Iterable[str]) -> Path:
    """Keep graph ``graph``'s N-Quads lines, sorted, in the cache of the output folder ``target``;
    returns the file (the next build patches its store with the lines that differ)."""
    path = lines_path(target, graph)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_sorted(path, lines)


def shacl_key() -> str:
    """A digest of what SHACL results depend on besides the data: the shapes and the evaluator's
    code (the global key leaves the evaluator out, so that its edits keep the cache)."""
    h = hashlib.sha256((ontology_dir() / "shapes.ttl").read_bytes())
    for name in ("shacl_fast.py", "shacl_sparql.py", "validation.py", "store_graph.py", "graph_index.py"):
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()


def write_shacl(target: Path, core: list[Result]) -> None:
    """Keep this build's SHACL results in the cache of the output folder ``target``."""
    folder = target / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / SHACL).open("wb") as fh:
        pickle.dump((shacl_key(), core), fh, protocol=pickle.HIGHEST_PROTOCOL)


def shares(own: str, items: Iterable[str]) -> Callable[[str], bool]:
    """Whether another graph may state a subject of report ``own``'s graph too.

    Work items (``items``), terms and everything outside the report are shared; so
    is the report itself, which the curation graph orders (``nmt:previousReport``).
    The rest (its parts, sections, mentions, quantities …) only its own graph states.
    """
    kept = set(items)

    def shared(s: str) -> bool:
        return s in kept or s == own or not s.startswith(own)

    return shared


def read_pinyin(folder: Path) -> dict[str, list[str]]:
    """The syllables the last build kept in its cache ``folder`` (:func:`kg.pinyin.used`'s form)."""
    try:
        data = json.loads((folder / PINYIN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def keep_pinyin(target: Path) -> None:
    """Keep, in the new build's cache, the syllables of every label this build looked up
    (once the index, the last to look any up, is written)."""
    spelled = pinyin.used()
    path = target / CACHE_DIR / PINYIN
    path.write_text(json.dumps(spelled, ensure_ascii=False, sort_keys=True), encoding="utf-8")
