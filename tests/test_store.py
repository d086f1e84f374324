"""The store of an incremental build: the last build's store, updated, holds what a new one would."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kg.store
from kg.store import Patch, create_store, update_store

NN = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"
OLD_BUILD, NEW_BUILD = "urn:x:build/old", "urn:x:build/new"
SUBJECTS = [f"<urn:x:s{i}>" for i in range(4)]
PREDICATES = ["<urn:x:p0>", "<urn:x:p1>"]
# Integers whose encodings end in 0xff (255, 2303) and their neighbours; a string, an IRI.
XSD = "http://www.w3.org/2001/XMLSchema#"
# Three lexical forms the store keeps as one: a patched graph may lose one and keep another.
SAME_SEVEN = [f'"07"^^<{XSD}integer>', f'"7"^^<{XSD}integer>', f'"7"^^<{XSD}int>']
OBJECTS = [f'"{v}"^^<{NN}>' for v in (255, 256, 2303, 2336, 7)] + ['"2303"', "<urn:x:s0>", *SAME_SEVEN]

triple = st.tuples(st.sampled_from(SUBJECTS), st.sampled_from(PREDICATES), st.sampled_from(OBJECTS))
content = st.frozensets(triple, max_size=8)
# Each graph: (its content before or None, what happens: keep | replace | patch | drop, its content after);
# a patched graph is rewritten afresh, and the update gets its lines before and after.
graph = st.tuples(st.one_of(st.none(), content), st.sampled_from(["keep", "replace", "patch", "drop"]), content)


def _lines(graphs: dict[str, frozenset[tuple[str, str, str]]], build: str) -> tuple[str, str]:
    """The N-Quads and the merged N-Triples of these graphs, each stating that ``build`` made it."""
    quads, merged = set(), set()
    for name, triples in graphs.items():
        for s, p, o in {*triples, (f"<{name}>", "<urn:x:generatedBy>", f"<{build}>")}:
            quads.add(f"{s} {p} {o} <{name}> .")
            merged.add(f"{s} {p} {o} .")
    return "".join(ln + "\n" for ln in sorted(quads)), "".join(ln + "\n" for ln in sorted(merged))


def _store(folder: Path, graphs: dict[str, frozenset[tuple[str, str, str]]], build: str) -> object:
    nq, nt = _lines(graphs, build)
    (folder / "d.nq").write_text(nq, encoding="utf-8")
    (folder / "m.nt").write_text(nt, encoding="utf-8")
    return create_store([folder / "d.nq"], [folder / "m.nt"], folder / "store")


def _dump(store: object) -> set[str]:
    import pyoxigraph as ox

    return set(store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())  # type: ignore[attr-defined]


def _merged(store: object) -> set[object]:
    import pyoxigraph as ox

    quads = store.quads_for_pattern(None, None, None, ox.DefaultGraph())  # type: ignore[attr-defined]
    return {q.triple for q in quads if q.graph_name == ox.DefaultGraph()}


# A patched graph drops "07" but keeps "7": the store kept both as one quad, which stays.
SEVEN = (SUBJECTS[0], PREDICATES[0])
KEEPS_SEVEN = frozenset({(*SEVEN, SAME_SEVEN[1])})


def _pieces(folder: Path, name: str, before: frozenset | None, after: frozenset) -> list:
    """A patched graph's lines before and after in two pieces, parted by subject as the curation
    graph's are by report (kg.building.curation_lines): (file then or None, file now or None)."""
    pairs = []
    for i, subjects in enumerate((SUBJECTS[:2], SUBJECTS[2:])):
        files = []
        for when, build, content in (("was", OLD_BUILD, before), ("now", NEW_BUILD, after)):
            lines = _lines({name: content}, build)[0].splitlines() if content is not None else []
            mine = [ln for ln in lines if ln.split(" ", 1)[0] in subjects or (i == 0 and "generatedBy" in ln)]
            path = folder / f"{name[-2:]}.{i}.{when}.nq"
            if mine:
                path.write_text("".join(ln + "\n" for ln in mine), encoding="utf-8")
            files.append(path if mine else None)
        pairs.append(tuple(files))
    return pairs


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(graph, min_size=1, max_size=4), st.booleans())
@example([(frozenset({(*SEVEN, SAME_SEVEN[0]), (*SEVEN, SAME_SEVEN[1])}), "patch", KEEPS_SEVEN)], False)
@example([(frozenset({(*SEVEN, SAME_SEVEN[2])}), "patch", KEEPS_SEVEN)], False)
@example([(frozenset({(*SEVEN, SAME_SEVEN[0]), (*SEVEN, SAME_SEVEN[1])}), "patch", KEEPS_SEVEN)], True)
def test_an_updated_store_holds_what_a_new_one_holds(plan, pieced):
    """… whether a patched graph is compared whole or piece by piece (:class:`kg.store.Patch`)."""
    old, new, fresh, replaced, renamed, patches = {}, {}, {}, set(), set(), {}
    for i, (before, what, after) in enumerate(plan):
        name = f"urn:x:g{i}"
        if before is not None:
            old[name] = before
        if what == "keep" and before is not None:
            new[name] = before
            renamed.add(name)
        elif what == "patch":
            new[name] = patches[name] = after
        elif what != "drop":
            new[name] = fresh[name] = after
            replaced.add(name)
        elif before is not None:
            replaced.add(name)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for sub in ("old", "new", "fresh", "updated"):
            (folder / sub).mkdir()
        last = _store(folder / "old", old, OLD_BUILD)
        merged_before = _merged(last)
        del last  # closed: the update reads it as a build's finished store
        (folder / "fresh" / "f.nq").write_text(_lines(fresh, NEW_BUILD)[0], encoding="utf-8")
        patched = {}
        for name, after in patches.items():  # each graph's sorted lines, as the build cache keeps them
            was = folder / "fresh" / f"{len(patched)}.was.nq"
            now = folder / "fresh" / f"{len(patched)}.now.nq"
            now.write_text(_lines({name: after}, NEW_BUILD)[0], encoding="utf-8")
            if name in old:  # without its lines from the last build, a graph is replaced
                was.write_text(_lines({name: old[name]}, OLD_BUILD)[0], encoding="utf-8")
            pieces = _pieces(folder / "fresh", name, old.get(name), after) if pieced and name in old else None
            patched[name] = Patch(now, was if name in old else None, pieces)
        updated = update_store(
            folder / "old" / "store",
            folder / "updated" / "store",
            folder / "fresh" / "f.nq",
            replaced,
            renamed,
            (OLD_BUILD, NEW_BUILD),
            changed := [],
            patched,
        )
        want = _store(folder / "new", new, NEW_BUILD)
        assert _dump(updated) == _dump(want)
        # What incremental validation starts from: each triple the merged graph gained or lost, once.
        assert len(changed) == len(set(changed))
        assert set(changed) == merged_before ^ _merged(want)
        del updated, want
        shutil.rmtree(folder / "old")  # the copy stands on its own


def test_a_read_only_open_tries_again_when_the_writer_replaced_its_manifest(monkeypatch, tmp_path):
    """A worker opening the store while the build still holds it for writing can find the
    MANIFEST gone (RocksDB's background work replaced it): it opens again; another failure
    is raised at once, and so is the same one once the attempts are spent."""
    real = ox.Store
    gone = RuntimeError("Corruption: IO error: No such file or directory: While open a file: MANIFEST-000005")
    failures: list[BaseException] = []

    class Flaky:
        @staticmethod
        def read_only(path: str) -> object:
            if failures:
                raise failures.pop()
            return real.read_only(path)

    real(str(tmp_path / "store")).flush()
    monkeypatch.setattr(ox, "Store", Flaky)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    failures[:] = [gone, gone]
    assert isinstance(kg.store.open_read_only(tmp_path / "store"), real) and not failures
    failures[:] = [RuntimeError("Corruption: bad block")]
    with pytest.raises(RuntimeError, match="bad block"):
        kg.store.open_read_only(tmp_path / "store")
    failures[:] = [gone] * 5
    with pytest.raises(RuntimeError, match="No such file"):
        kg.store.open_read_only(tmp_path / "store", attempts=5)
