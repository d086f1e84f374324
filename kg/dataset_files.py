"""The five dataset files written one named graph at a time, holding little of any graph in memory.

A corpus's files are larger than what a build may hold (the N-Quads of 100
reports are 370 MB of text). :class:`FileSet` takes each graph's text (see
:class:`kg.serialise.GraphText`) in graph-IRI order and keeps on disk, in a work
folder, what the files need once every graph is in: sorted runs of N-Quads and
N-Triples lines, merged at the end; the TriG body; each graph's JSON-LD object;
and the Turtle blocks of :class:`kg.writers.UnionTurtle`. The files are the ones
:mod:`kg.serialise` wrote from texts held in memory, byte for byte. A report's
text taken from the build cache brings its sorted lines as files of the cache
(``GraphText.runs``), merged as they are. A build that writes no dataset files
keeps only the lines, for a new store (:meth:`FileSet.line_files`).
"""

from __future__ import annotations

import heapq
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kg.writers import Reload, Triple, UnionTurtle

if TYPE_CHECKING:
    from kg.serialise import GraphText

Fallback = Callable[[], str]


def write_sorted(path: Path, lines: Iterable[str]) -> Path:
    """Write ``lines`` sorted, one per line, into ``path`` (a run the files merge); returns it."""
    with path.open("w", encoding="utf-8", newline="") as fh:  # line by line: no copy of a large graph's text
        fh.writelines(ln + "\n" for ln in sorted(lines))
    return path


def _write_lines(path: Path, lines: Iterable[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(ln + "\n" for ln in lines)
    return path


def merge_runs(paths: list[Path], out: Path, work: Path) -> None:
    """Merge files of sorted lines into the file ``out``, each distinct line once (every line ends in
    a newline), an empty file as one newline.

    ``sort -m -u`` in the C locale does it five times as fast as Python (byte order is code point
    order in UTF-8, so the files are the same); where it is missing or fails, Python merges.
    """
    sort = shutil.which("sort")
    done = False
    if sort is not None and paths:
        batch = f"--batch-size={open_at_once(len(paths))}"
        env = {**os.environ, "LC_ALL": "C"}
        with out.open("wb") as fh:
            cmd = [sort, "-m", "-u", batch, "-T", str(work), *map(str, paths)]
            done = subprocess.run(cmd, stdout=fh, stderr=subprocess.DEVNULL, env=env, check=False).returncode == 0
    if not done:
        with out.open("w", encoding="utf-8", newline="") as fh:
            _runs(paths, fh)
    if out.stat().st_size == 0:
        out.write_text("\n", encoding="utf-8")  # "\n".join([]) + "\n", as before


FILES_SPARE = 64  # descriptors left for everything else while the runs are open


def open_at_once(runs: int) -> int:
    """How many of ``runs`` files ``sort`` may merge in one pass, raising this process's soft limit
    on open files (inherited by ``sort``) toward what that needs, within the hard limit.

    A merge of more runs than it may open at once goes in passes through temporary files, which
    writes all the data twice: at 1,000 reports, a batch of 512 wrote ``dataset.nq`` and
    ``graph.nt`` (4 GB) once more on every build.
    """
    try:
        import resource
    except ImportError:  # not on this OS: sort's own default
        return max(2, min(runs, 16))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = runs + FILES_SPARE
    if soft != resource.RLIM_INFINITY and soft < want:
        raised = want if hard == resource.RLIM_INFINITY else min(want, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError):
            pass
    room = want if soft == resource.RLIM_INFINITY else soft - FILES_SPARE
    return max(2, min(runs, room))


def _unterminated(line: str) -> str:
    return line[:-1]


def _runs(paths: list[Path], out: IO[str]) -> None:
    """Merge files of sorted lines into ``out``, each distinct line once (every line ends in a newline)."""
    files = [p.open(encoding="utf-8", newline="") for p in paths]
    try:
        last = None
        # Compared without their newline, as they were sorted (and as ``sort`` compares): with
        # it, "\t" would come before "" (in N-Quads, where no line is a prefix of another, the
        # same order).
        for line in heapq.merge(*files, key=_unterminated):
            if line != last:
                out.write(line)
                last = line
    finally:
        for f in files:
            f.close()


class FileSet:
    """``dataset.nq``, ``.trig``, ``.jsonld``, ``graph.nt`` and ``graph.ttl``, fed a graph at a time."""

    def __init__(
        self, out: Path, work: Path, union: UnionTurtle | None, jsonld_shell: dict[str, Any], files: bool = True
    ) -> None:
        self.out = out
        self.work = work
        # Without the files, only every graph's lines are kept (in files): a new store is loaded from them.
        self.files = files
        work.mkdir(parents=True, exist_ok=True)
        self.union: UnionTurtle | None = union
        self._shell = jsonld_shell
        self._prefixes: set[str] = set()
        self._trig = (work / "trig").open("w+b")
        self._trig_at: list[tuple[str, int, int]] = []  # graph name, offset, length
        self._jsonld = (work / "jsonld").open("w+b")
        self._jsonld_at: list[tuple[str, int, int]] = []  # opening text, offset, length
        self._runs: dict[str, list[Path]] = {"nq": [], "nt": []}
        self._loose: dict[str, list[str]] = {"nq": [], "nt": []}  # lines of graphs whose others are in runs
        self._quads_only: list[tuple[Path, str]] = []  # files of a graph's N-Quads lines, and its IRI
        self.count = 0

    def add(
        self,
        name: str,
        text: GraphText,
        triples: list[Triple],
        keep: Callable[[str], bool] | None = None,
        reload: Reload | None = None,
    ) -> None:
        """One graph's :class:`~kg.serialise.GraphText` and triples, in any order of graphs.

        ``keep`` and ``reload`` say which triples to keep for the union's Turtle (see
        :class:`~kg.writers.UnionTurtle`); without them every triple is kept.
        """
        self.add_lines(text.runs, text.nq, text.nt)
        if not self.files:
            return
        self._prefixes.update(text.prefixes)
        data = text.trig.encode("utf-8")
        self._trig_at.append((name, self._trig.seek(0, io.SEEK_END), len(data)))
        self._trig.write(data)
        if self.union is not None:
            if text.statements is None:
                self.union = None  # rdflib writes the union: see ``finish``
            else:
                self.union.add(text.statements, triples, keep, reload)
        if text.jsonld:
            data = text.jsonld.encode("utf-8")
            self._jsonld_at.append((text.jsonld_key, self._jsonld.seek(0, io.SEEK_END), len(data)))
            self._jsonld.write(data)

    def add_lines(self, runs: tuple[Path, Path] | None, nq: Iterable[str], nt: Iterable[str]) -> None:
        """One graph's lines of ``dataset.nq`` and ``graph.nt``: ``runs``, files of sorted lines
        (a report's, in the cache), and the lines ``nq`` and ``nt`` besides; or, without runs, all
        its lines."""
        for i, (kind, lines) in enumerate((("nq", nq), ("nt", nt))):
            if runs is not None:  # its lines in a file of the cache already, and a few more
                self._runs[kind].append(runs[i])
                self._loose[kind].extend(lines)
                continue
            path = self.work / f"{kind}-{self.count:06d}"
            # A store loads lines in any order: only the files' merge needs them sorted.
            self._runs[kind].append(write_sorted(path, lines) if self.files else _write_lines(path, lines))
        self.count += 1

    def add_quads(self, path: Path, graph: str) -> None:
        """Graph ``graph``'s N-Quads lines, the file ``path``, when no file is written: its N-Triples
        lines are written from them only if a new store is loaded (:meth:`line_files`)."""
        assert not self.files
        self._runs["nq"].append(path)
        self._quads_only.append((path, graph))
        self.count += 1

    def line_files(self) -> tuple[list[Path], list[Path]]:
        """After :meth:`finish`, the files of every graph's N-Quads lines and of its N-Triples lines,
        what a new store is loaded from: ``dataset.nq`` and ``graph.nt``, or without them the work
        folder's and the cache's files (until :meth:`discard`)."""
        if self.files:
            return [self.out / "dataset.nq"], [self.out / "graph.nt"]
        for i, (path, graph) in enumerate(self._quads_only):
            cut = len(f" <{graph}> .")
            with (
                path.open(encoding="utf-8", newline="") as src,
                self._new_run("nt", i).open("w", encoding="utf-8") as fh,
            ):
                fh.writelines(line[:-cut] + " .\n" for line in (ln.rstrip("\n") for ln in src) if line)
        self._quads_only = []
        return self._runs["nq"], self._runs["nt"]

    def _new_run(self, kind: str, i: int) -> Path:
        path = self.work / f"{kind}-quads-{i:06d}"
        self._runs[kind].append(path)
        return path

    def states(self, subject: str) -> bool:
        """Whether a graph added so far states ``subject`` (false when rdflib writes the union)."""
        return self.union is not None and self.union.states(subject)

    def finish(self, turtle_fallback: Fallback, jsonld_fallback: Fallback) -> None:
        """Write the five files; the fallbacks compute a whole file where a graph's text cannot serve.

        Without the files, only the loose lines are written, to files of their own, and the work
        folder is kept for :meth:`line_files` until :meth:`discard`.
        """
        for kind in ("nq", "nt"):
            if self._loose[kind]:
                self._runs[kind].append(write_sorted(self.work / f"{kind}-loose", self._loose[kind]))
                self._loose[kind] = []
        if not self.files:
            self._trig.close()
            self._jsonld.close()
            return
        # The blocks are copied as the bytes they were written as: decoding and encoding them
        # again cost seconds at 1,000 reports (800 MB of TriG).
        with (self.out / "dataset.trig").open("wb") as out:
            out.write(("\n".join(sorted(self._prefixes)) + "\n\n").encode("utf-8"))
            for i, (_name, offset, size) in enumerate(sorted(self._trig_at)):  # graphs in IRI order
                self._trig.seek(offset)
                out.write((b"\n" if i else b"") + self._trig.read(size))
        self._trig.close()
        for kind, name in (("nq", "dataset.nq"), ("nt", "graph.nt")):
            merge_runs(self._runs[kind], self.out / name, self.work)
        with (self.out / "graph.ttl").open("w", encoding="utf-8", newline="") as fh:
            if self.union is not None:
                self.union.write(fh)
            else:
                fh.write(turtle_fallback())
        with (self.out / "dataset.jsonld").open("wb") as out:
            keys = {key for key, _at, _n in self._jsonld_at}
            if self.count > 1 and len(keys) == self.count == len(self._jsonld_at):
                self._write_jsonld(out)
            else:
                out.write(jsonld_fallback().encode("utf-8"))
        self._jsonld.close()
        self.discard()

    def discard(self) -> None:
        """Remove the work folder."""
        shutil.rmtree(self.work, ignore_errors=True)

    def _write_jsonld(self, out: IO[bytes]) -> None:
        """The graphs' objects in the order of their JSON text, inside the shell (context and list)."""
        shell = json.dumps(self._shell, ensure_ascii=False, indent=1, sort_keys=True)
        head, tail = shell.split("\n  0\n")
        out.write((head + "\n  ").encode("utf-8"))
        for i, (_key, offset, size) in enumerate(sorted(self._jsonld_at)):
            self._jsonld.seek(offset)
            out.write((b",\n  " if i else b"") + self._jsonld.read(size))
        out.write(("\n" + tail + "\n").encode("utf-8"))
